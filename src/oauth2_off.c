/*
 * oauth2_off.c - oauth2.h in a build made with configure --without-oauth2:
 * no account gets its token from smtpsend (the oauth2_* directives are
 * refused by name, conf.c), and the OAuth2 modes say so.
 */
#include <config.h>

#include "cli.h"
#include "exitcodes.h"
#include "gettext.h"
#include "oauth2.h"
#include "report.h"

const char *
oauth2_library_version(void)
{
	return "OAuth2: not in this build (configure --without-oauth2)";
}

bool
oauth2_configured(const struct account *a)
{
	return false;
}

int
oauth2_access_token(const struct account *a, bool renew,
		    struct transcript *tr, char **token, struct err *err)
{
	*token = NULL;
	err_set(err, ERR_CONFIG, false, _("this smtpsend was built without "
		"OAuth2 (configure --without-oauth2)"));
	return -1;
}

void
oauth2_reauthorize_hint(const struct account *a, struct err *err)
{
}

void
oauth2_describe(const struct account *a, FILE *out)
{
}

static int
refused(const char *option)
{
	struct err err;

	err_set(&err, ERR_USAGE, false, _("%s: this smtpsend was built "
		"without OAuth2 (configure --without-oauth2)"), option);
	report_error(&err);
	return EX_CONFIG;
}

int
oauth2_authorize_mode(const struct cli *cli)
{
	return refused("--oauth2-authorize");
}

int
oauth2_revoke_mode(const struct cli *cli)
{
	return refused("--oauth2-revoke");
}
