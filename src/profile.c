/*
 * profile.c - the account a run sends through (see profile.h).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "conf.h"
#include "gettext.h"
#include "pattern.h"
#include "profile.h"
#include "report.h"
#include "util.h"
#include "xalloc.h"

#define SYSTEM_CONFIG SYSCONFDIR "/smtpsendrc"

/* try_path - dir and then name, recorded in tried; the path (allocated)
 * when such a file exists, else NULL. */
static char *
try_path(struct buf *tried, const char *dir, const char *name)
{
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s%s", dir, name);

	if (n < 0 || (size_t)n >= sizeof(path))
		return NULL;
	if (buf_printf(tried, "%s%s", tried->len ? ", " : "", path) < 0)
		buf_reset(tried);       /* too long to show: the rest */
	return access(path, F_OK) == 0 ? xstrdup(path) : NULL;
}

/* in_home - home/.config/smtpsend/config (unless XDG_CONFIG_HOME is
 * set), then home/.smtpsendrc. */
static char *
in_home(const char *home, bool xdg, struct buf *tried)
{
	char *p = NULL;

	if (!xdg)
		p = try_path(tried, home, "/.config/smtpsend/config");
	if (p == NULL)
		p = try_path(tried, home, "/.smtpsendrc");
	return p;
}

/*
 * user_config - the user's configuration file ($XDG_CONFIG_HOME/smtpsend/
 * config, else ~/.config/smtpsend/config, else ~/.smtpsendrc; ~ is $HOME,
 * then the passwd entry's home when it differs: a cleared or forced HOME
 * still finds the user's file), allocated, or NULL when none exists.
 * Every path looked at is recorded in tried.
 */
static char *
user_config(struct buf *tried)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	const char *pw;
	bool has_xdg = xdg != NULL && xdg[0] == '/';
	char *p = NULL;

	if (has_xdg)
		p = try_path(tried, xdg, "/smtpsend/config");
	if (p == NULL && home != NULL && home[0] != '\0')
		p = in_home(home, has_xdg, tried);
	pw = util_passwd_home();
	if (p == NULL && pw != NULL
	    && (home == NULL || strcmp(home, pw) != 0))
		p = in_home(pw, has_xdg, tried);
	return p;
}

/* no_config - the error for a run that found no configuration file:
 * which paths it tried and which home it used. */
static void
no_config(const struct buf *tried, struct err *err)
{
	const char *home = getenv("HOME"), *pw = util_passwd_home();
	char where[4200];

	if (home != NULL && home[0] != '\0')
		snprintf(where, sizeof(where), "HOME=%s", home);
	else if (pw != NULL)
		snprintf(where, sizeof(where),
			 _("HOME not set; home %s from the passwd entry of "
			   "uid %lu"), pw, (unsigned long)getuid());
	else
		snprintf(where, sizeof(where),
			 _("HOME not set and no passwd entry for uid %lu"),
			 (unsigned long)getuid());
	err_set(err, ERR_CONFIG, false,
		_("no configuration file found and no --host given (tried "
		  "%s%s%s; %s); see smtpsend(1)"), buf_str(tried),
		tried->len ? ", " : "", SYSTEM_CONFIG, where);
}

char *
profile_user_file(void)
{
	struct buf tried;
	char *p;

	buf_init(&tried, 16 * 1024);
	p = user_config(&tried);
	buf_clear(&tried);
	return p;
}

/* read_config - with -C (system false) the file path alone, which must
 * exist; else the system file, then the user's file path (may be NULL;
 * the user's accounts replace the system's of the same name). */
static int
read_config(struct conf *conf, const char *path, bool system, struct err *err)
{
	if (!system)
		return conf_load(conf, path, err);
	if (path != NULL && strcmp(path, SYSTEM_CONFIG) == 0)
		path = NULL;    /* only the system file exists */
	return conf_load_files(conf, SYSTEM_CONFIG, path, err);
}

/* layered - the built-in defaults, chosen (may be NULL), then over (may
 * be NULL). */
static struct account *
layered(const struct account *chosen, const struct account *over)
{
	struct account *a = account_new(NULL);

	account_defaults(a);
	if (chosen != NULL) {
		account_merge(a, chosen);
		a->name = xstrdup(chosen->name);
	}
	if (over != NULL)
		account_merge(a, over);
	return a;
}

/* by_sender - the first account of c whose from matches sender. */
static const struct account *
by_sender(const struct conf *c, const char *sender)
{
	size_t i;

	for (i = 0; sender != NULL && i < c->n; i++)
		if (c->accounts[i]->from != NULL
		    && pattern_matches(c->accounts[i]->from, sender))
			return c->accounts[i];
	return NULL;
}

/*
 * choose - the account of c for name, else for sender, else the default.
 * NULL with err when there is none; *no_default tells that it was the
 * default that was missing.
 */
static const struct account *
choose(const struct conf *c, const char *path, const char *name,
       const char *sender, bool *no_default, struct err *err)
{
	const struct account *chosen;

	*no_default = false;
	if (name != NULL) {
		chosen = conf_find(c, name);
		if (chosen == NULL)
			err_set(err, ERR_CONFIG, false,
				_("%s: no account named \"%s\""), path, name);
		return chosen;
	}
	chosen = by_sender(c, sender);
	if (chosen == NULL)
		chosen = conf_default(c);
	if (chosen == NULL) {
		*no_default = true;
		err_set(err, ERR_CONFIG, false,
			_("%s: no default account; use -a NAME or define "
			  "\"account default : NAME\""), path);
	}
	return chosen;
}

/*
 * from_environment - msmtp's SMTPSERVER and EMAIL, for a run that names
 * no account and no --host and finds none to use: the host from
 * SMTPSERVER, the envelope sender from EMAIL (-f still overrides it).
 * NULL without SMTPSERVER (err untouched), or with err when a value is
 * not valid.
 */
static struct account *
from_environment(const struct profile_req *r, struct err *err)
{
	const char *host = getenv("SMTPSERVER"), *email = getenv("EMAIL");
	struct account *a;
	struct err verr;

	if (host == NULL || host[0] == '\0')
		return NULL;
	a = layered(NULL, r->over);
	if (account_set(a, ACC_HOST, host, "SMTPSERVER", &verr) < 0
	    || (email != NULL && email[0] != '\0'
		&& account_set(a, ACC_FROM, email, "EMAIL", &verr) < 0)) {
		err_set(err, ERR_CONFIG, false, "%s: %s",
			account_is_set(a, ACC_HOST) ? "EMAIL" : "SMTPSERVER",
			verr.text);
		account_free(a);
		return NULL;
	}
	return a;
}

/* from_file - the account chosen from the configuration at path. */
static struct account *
from_file(const struct profile_req *r, const char *path, const char *sender,
	  struct err *err)
{
	const struct account *chosen;
	struct account *a = NULL;
	struct conf conf;
	bool no_default;

	conf_init(&conf);
	if (read_config(&conf, path, r->config == NULL, err) == 0) {
		chosen = choose(&conf, path, r->account, sender, &no_default,
				err);
		if (chosen != NULL)
			a = layered(chosen, r->over);
		else if (no_default && r->lenient)
			a = layered(NULL, r->over);
		else if (no_default)
			a = from_environment(r, err);
	}
	conf_clear(&conf);
	return a;
}

/* absolute - path made absolute (a queue entry names its configuration,
 * and a later flush runs from anywhere); allocated. */
static char *
absolute(const char *path)
{
	char *real = realpath(path, NULL), cwd[4096];
	size_t n;

	if (real != NULL || path[0] == '/')
		return real != NULL ? real : xstrdup(path);
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return xstrdup(path);
	n = strlen(cwd) + strlen(path) + 2;
	real = xmalloc(n);
	snprintf(real, n, "%s/%s", cwd, path);
	return real;
}

/* expand_domain - "domain" with msmtp's patterns %H %C %M replaced, so
 * that EHLO never carries a pattern. */
static void
expand_domain(struct account *a)
{
	char *d;

	if (a->domain == NULL || strchr(a->domain, '%') == NULL)
		return;
	d = pattern_expand(a->domain, "HCM", NULL);
	free(a->domain);
	a->domain = d;
}

/* socket_host - with a socket and no host, the server is called
 * localhost (as msmtp needs no host then): the name TLS checks the
 * certificate against and messages name the server by. */
static void
socket_host(struct account *a)
{
	if (a->socket != NULL && a->host == NULL)
		a->host = xstrdup("localhost");
}

/*
 * profile_load - the account for r and the envelope sender (NULL: none
 * known yet), checked (account_check).  *config receives the main
 * configuration file read (allocated; NULL when none).  Returns the
 * account (account_free it), or NULL with err (ERR_CONFIG: no file, no
 * such account, no default account, a bad file or account).
 */
static struct account *
profile_load(const struct profile_req *r, const char *sender, char **config,
	     struct err *err)
{
	struct account *a;
	struct buf tried;

	*config = NULL;
	buf_init(&tried, 16 * 1024);
	if (r->host_given)
		a = layered(NULL, r->over);
	else {
		*config = r->config ? absolute(r->config) : user_config(&tried);
		if (*config == NULL && r->config == NULL
		    && access(SYSTEM_CONFIG, F_OK) == 0)
			*config = xstrdup(SYSTEM_CONFIG);
		if (*config == NULL && !r->lenient) {
			no_config(&tried, err);
			a = r->account ? NULL : from_environment(r, err);
		} else {
			a = *config ? from_file(r, *config, sender, err)
				    : layered(NULL, r->over);
		}
	}
	if (a != NULL) {
		expand_domain(a);
		socket_host(a);
	}
	if (a != NULL && !r->lenient && account_check(a, err) < 0) {
		account_free(a);
		a = NULL;
	}
	buf_clear(&tried);
	return a;
}

struct account *
profile_get(const struct cli *cli, bool lenient, const char *sender,
	    char **config, struct err *err)
{
	struct profile_req r = { cli->config, cli->account, cli->over,
				 cli->host_given, lenient };

	return profile_load(&r, sender, config, err);
}

struct account *
profile_cli(const struct cli *cli, bool lenient, const char *sender,
	    char **config)
{
	struct account *a;
	struct err err;

	a = profile_get(cli, lenient, sender, config, &err);
	if (a == NULL)
		report_error(&err);
	return a;
}

/* The command-line settings kept with an entry sent without an account:
 * how to reach the server, never a password or a command (passwordeval):
 * the flush takes those from its own command line or ~/.netrc. */
static const enum account_field kept[] = {
	ACC_HOST, ACC_PORT, ACC_TIMEOUT, ACC_DOMAIN, ACC_SOURCE_IP,
	ACC_SOCKET, ACC_PROXY_HOST, ACC_PROXY_PORT, ACC_IP_FAMILY, ACC_TLS,
	ACC_TLS_STARTTLS, ACC_TLS_TRUST_FILE, ACC_TLS_CRL_FILE,
	ACC_TLS_FINGERPRINT,
	ACC_TLS_CERTCHECK, ACC_TLS_CERT_FILE, ACC_TLS_KEY_FILE,
	ACC_TLS_PRIORITIES, ACC_TLS_HOST_OVERRIDE, ACC_TLS_MIN_VERSION,
	ACC_TLS_MIN_DH_PRIME_BITS,
	ACC_AUTH, ACC_USER, ACC_PROTOCOL
};

#define NKEPT (sizeof(kept) / sizeof(kept[0]))

static bool
is_kept(int f)
{
	size_t i;

	for (i = 0; i < NKEPT; i++)
		if ((int)kept[i] == f)
			return true;
	return false;
}

void
profile_keep(const struct account *over, struct queue_entry *qe)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *mem;

	for (i = 0; i < NKEPT; i++) {
		if (!account_is_set(over, kept[i]))
			continue;
		mem = open_memstream(&text, &len);
		if (mem == NULL)
			return;
		account_print_field(over, kept[i], mem);
		fclose(mem);
		qe->settings = xrealloc(qe->settings,
					(qe->nsettings + 1) * sizeof(char *));
		qe->settings[qe->nsettings++] = text;
		text = NULL;
	}
}

/* apply_kept - the Setting lines of qe that a writer may keep, onto a;
 * the others (a later version's, or forged) are skipped. */
static void
apply_kept(struct account *a, const struct queue_entry *qe)
{
	struct err err;
	size_t i;

	for (i = 0; i < qe->nsettings; i++) {
		const char *sp = strchr(qe->settings[i], ' ');
		char name[64];
		int f;

		if (sp == NULL
		    || (size_t)(sp - qe->settings[i]) >= sizeof(name))
			continue;
		memcpy(name, qe->settings[i], (size_t)(sp - qe->settings[i]));
		name[sp - qe->settings[i]] = '\0';
		f = account_field_lookup(name);
		if (f >= 0 && is_kept(f))
			(void)account_set(a, (enum account_field)f, sp + 1,
					  _("queue entry"), &err);
	}
}

struct account *
profile_for_entry(const struct profile_req *r, const struct queue_entry *qe,
		  struct err *err)
{
	struct profile_req er = *r;
	struct account *a;

	er.account = qe->account;
	er.lenient = false;
	if (qe->account == NULL) {
		a = layered(NULL, NULL);
		apply_kept(a, qe);
		if (r->over != NULL)
			account_merge(a, r->over);
	} else if (qe->config != NULL && qe->config[0] != '/') {
		err_set(err, ERR_CONFIG, false,
			_("the entry's Config is not an absolute path"));
		return NULL;
	} else {
		/* read as a send would: the system file too, unless -C */
		a = qe->config ? from_file(&er, qe->config, NULL, err)
			       : layered(NULL, r->over);
		if (a == NULL) {
			err_prefix(err, _("the entry's account"));
			return NULL;
		}
	}
	expand_domain(a);
	socket_host(a);
	if (account_check(a, err) < 0) {
		account_free(a);
		return NULL;
	}
	return a;
}
