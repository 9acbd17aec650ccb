/*
 * rmqs.c - --rmqs: Remote Message Queue Starting, ETRN (RFC 1985 3, 5).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "caps.h"
#include "conn.h"
#include "deliver.h"
#include "exitcodes.h"
#include "gettext.h"
#include "idn.h"
#include "profile.h"
#include "report.h"
#include "rmqs.h"
#include "sasl.h"
#include "smtp.h"
#include "transcript.h"
#include "xalloc.h"

/* queue_name_ok - "#queue": printable ASCII, no blank (it is one word on
 * the command line). */
static bool
queue_name_ok(const char *q)
{
	size_t i, n = strlen(q);

	if (n == 0 || n >= RMQS_ARG_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (q[i] < '!' || q[i] > '~')
			return false;
	return true;
}

int
rmqs_arg(const char *arg, char **out, struct err *err)
{
	const char *name = arg;
	char *alabels;
	struct err herr;
	size_t n;

	if (arg[0] == '#') {
		if (!queue_name_ok(arg + 1)) {
			err_set(err, ERR_USAGE, false,
				_("--rmqs: invalid queue name \"%s\" (1 to "
				  "254 printable ASCII characters, no blank)"),
				arg + 1);
			return -1;
		}
		*out = xstrdup(arg);
		return 0;
	}
	if (arg[0] == '@')
		name++;
	if (idn_host_check(name, &herr) < 0) {
		if (herr.cls == ERR_OSERR) {
			*err = herr;    /* libidn2 cannot be loaded */
			return -1;
		}
		err_set(err, ERR_USAGE, false,
			_("--rmqs: \"%s\" is not a host, @domain or #queue: "
			  "%s"), arg, herr.text);
		return -1;
	}
	if (idn_host_alabels(name, &alabels, err) < 0)
		return -1;
	n = strlen(alabels) + 2;
	*out = xmalloc(n);
	snprintf(*out, n, "%s%s", name == arg ? "" : "@", alabels);
	free(alabels);
	return 0;
}

/* refused - err for a reply r that is not 2xx to "ETRN arg". */
static void
refused(const struct reply *r, const char *arg, struct err *err)
{
	char text[ERR_TEXT_MAX], before[ERR_TEXT_MAX];

	reply_oneline(r, text, sizeof(text));
	err_set_reply(err, r->code, r->enh, text);
	snprintf(before, sizeof(before),
		 _("the server refused ETRN %s: %d%s%s "), arg, r->code,
		 r->enh[0] ? " " : "", r->enh);
	err_wrap(err, before, "");
}

/* offered - whether s offers ETRN; else err, permanent and without a
 * reply code: this server will not do it. */
static int
offered(const struct smtp_session *s, struct err *err)
{
	if (s->caps.flags & CAP_ETRN)
		return 0;
	err_set(err, ERR_REJECT, false,
		_("%s does not offer ETRN (RFC 1985): it cannot be asked to "
		  "start its queue"), s->server_name);
	return -1;
}

/* authenticate - AUTH as account a says (with a password prompt when
 * needed: this mode reads nothing else from the terminal). */
static int
authenticate(struct smtp_session *s, const struct account *a,
	     struct err *err)
{
	struct sasl_plan plan;

	if (a->auth == AUTH_OFF)
		return 0;
	if (sasl_choose(s, a, &plan, err) < 0)
		return -1;
	return sasl_authenticate(s, a, &plan, true, err);
}

/* etrn - "ETRN arg" on s; the reply printed to out when it is 2xx. */
static int
etrn(struct smtp_session *s, const char *arg, FILE *out, struct err *err)
{
	struct reply r;
	char cmd[RMQS_ARG_MAX + 16], text[ERR_TEXT_MAX];
	int n;

	n = snprintf(cmd, sizeof(cmd), "ETRN %s\r\n", arg);
	if (n < 0 || (size_t)n >= sizeof(cmd)) {
		err_set(err, ERR_USAGE, false, _("--rmqs: argument too long"));
		return -1;
	}
	if (smtp_write(s, cmd, (size_t)n, s->to.command, err) < 0
	    || smtp_read_reply(s, &r, s->to.command, "ETRN", err) < 0)
		return -1;
	if (r.code / 100 != 2) {
		refused(&r, arg, err);
		return -1;
	}
	reply_oneline(&r, text, sizeof(text));
	fprintf(out, "%d%s%s %s\n", r.code, r.enh[0] ? " " : "", r.enh,
		text);
	return 0;
}

/* rmqs_run - the session for ETRN arg through account a. */
static int
rmqs_run(const struct account *a, const char *arg, struct transcript *tr,
	 FILE *out)
{
	struct smtp_session s;
	struct conn *conn = NULL;
	struct tls_info info;
	struct err err;
	enum smtp_stage stage;
	int rc;

	err_clear(&err);
	memset(&s, 0, sizeof(s));
	memset(&info, 0, sizeof(info));
	rc = deliver_session_open(a, &s, &conn, tr, &stage, &info, &err);
	/* ETRN is looked for before AUTH: no credentials for nothing */
	if (rc == 0)
		rc = offered(&s, &err);
	if (rc == 0)
		rc = authenticate(&s, a, &err);
	if (rc == 0)
		rc = etrn(&s, arg, out, &err);
	deliver_session_close(&s, conn, &err);
	return report_outcome(rc, &err);
}

int
rmqs_mode(const struct cli *cli)
{
	struct transcript tr;
	struct account *a;
	struct err err;
	char *config = NULL, *arg = NULL;
	int status;

	if (rmqs_arg(cli->mode_arg, &arg, &err) < 0) {
		report_error(&err);
		return report_err_status(&err);
	}
	a = profile_cli(cli, false, NULL, &config);
	if (a == NULL) {
		free(arg);
		return EX_CONFIG;
	}
	transcript_start(&tr, &cli->trace);
	status = rmqs_run(a, arg, &tr, stdout);
	account_free(a);
	free(config);
	free(arg);
	return status;
}
