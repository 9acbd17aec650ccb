/*
 * cli.c - command-line parsing (see cli.h).
 */
#include <config.h>

#include <assert.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ascii.h"
#include "cli.h"
#include "gettext.h"
#include "queue.h"
#include "xalloc.h"

enum {
	OPT_DATA = 256,
	OPT_REPORT,
	OPT_VERSION,
	OPT_HELP,
	OPT_CONFIG,
	OPT_QUEUE,
	OPT_NO_QUEUE,
	OPT_FORCE,
	OPT_REPORT_BY_MAIL,
	OPT_QUEUE_ONLY,
	OPT_READ_ENVELOPE_FROM,
	OPT_PASSWORD,
	OPT_TRANSCRIPT,
	OPT_TRANSCRIPT_SECRETS,
	OPT_TRANSCRIPT_BODY,
	OPT_COLOR,
	OPT_DRY_RUN,
	OPT_QUIT_AFTER,
	OPT_ALIAS = 320,        /* + index of account_alias_name */
	OPT_MODE = 384,         /* + index in modes[] */
	OPT_FIELD = 512         /* + enum account_field */
};

/* sendmail's options: -t -f/-r -F -i -N -R -V -B -bm -bp -bs -bi -q -v -C,
 * and -o* -O -G -h -L -m -n -U -A* accepted and ignored; -4 and -6 (--ipv4,
 * --ipv6): the address family */
#define SHORT_OPTS ":C:a:f:r:F:tio:N:R:V:B:O:Gh:L:mnUA:vd::X:SPq::b:I46"

/* The sendmail options that mean nothing here. */
#define IGNORED_OPTS "OGhLmnUA"

static const struct option fixed_opts[] = {
	{ "from", required_argument, NULL, 'f' },
	{ "account", required_argument, NULL, 'a' },
	{ "config", required_argument, NULL, OPT_CONFIG },
	/* msmtp's name for the configuration file, as -C */
	{ "file", required_argument, NULL, OPT_CONFIG },
	{ "data", required_argument, NULL, OPT_DATA },
	{ "report", optional_argument, NULL, OPT_REPORT },
	{ "pretend", no_argument, NULL, 'P' },
	{ "read-envelope-from", no_argument, NULL, OPT_READ_ENVELOPE_FROM },
	{ "queue", no_argument, NULL, OPT_QUEUE },
	{ "no-queue", no_argument, NULL, OPT_NO_QUEUE },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "report-by-mail", no_argument, NULL, OPT_REPORT_BY_MAIL },
	{ "queue-only", no_argument, NULL, OPT_QUEUE_ONLY },
	{ "verbose", no_argument, NULL, 'v' },
	/* msmtp's names of -v and -t */
	{ "debug", no_argument, NULL, 'v' },
	{ "read-recipients", no_argument, NULL, 't' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, OPT_HELP },
	/* only to refuse it by name (see refuse_password) */
	{ "password", optional_argument, NULL, OPT_PASSWORD },
	{ "ipv4", no_argument, NULL, '4' },
	{ "ipv6", no_argument, NULL, '6' },
	{ "transcript", required_argument, NULL, OPT_TRANSCRIPT },
	{ "transcript-secrets", no_argument, NULL, OPT_TRANSCRIPT_SECRETS },
	{ "transcript-body", no_argument, NULL, OPT_TRANSCRIPT_BODY },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "quit-after", required_argument, NULL, OPT_QUIT_AFTER },
};

#define NFIXED (sizeof(fixed_opts) / sizeof(fixed_opts[0]))

/* msmtp's other spellings of settings, as options: --keepbcc,
 * --add-missing-from-header, ... (the directive with "-" for "_") */
#define NALIAS_MAX 16
#define ALIAS_NAME_MAX 40
static char alias_opts[NALIAS_MAX][ALIAS_NAME_MAX];

/* What the argument of a mode option is. */
enum mode_arg {
	MARG_NONE,
	MARG_ID,                /* the queue id (mode_arg) */
	MARG_IDS,               /* none, or queue ids (flush_ids) */
	MARG_FORMAT,            /* text or json (list_json) */
	MARG_VALUE              /* the mode's own argument (mode_arg),
				   checked by the mode */
};

/*
 * The options that choose a mode, as they are written in messages: a long
 * option ("--queue-list"), -q, -S or -bX.  Two different modes on one
 * command line are a usage error; the same one twice is not.
 */
static const struct mode_opt {
	const char *name;
	int has_arg;            /* of a long option */
	enum cli_mode mode;
	enum mode_arg arg;
	bool newaliases;        /* -bi: nothing to do (see cli.h) */
} modes[] = {
	{ "--serverinfo", no_argument, MODE_SERVERINFO, MARG_NONE, false },
	{ "-S", no_argument, MODE_SERVERINFO, MARG_NONE, false },
	{ "--queue-flush", optional_argument, MODE_FLUSH, MARG_IDS, false },
	/* sendmail -q, -q15m: one flush */
	{ "-q", no_argument, MODE_FLUSH, MARG_NONE, false },
	/* sendmail -qIID: that entry only */
	{ "-qI", required_argument, MODE_FLUSH, MARG_IDS, false },
	{ "--queue-list", optional_argument, MODE_LIST, MARG_FORMAT, false },
	{ "-bp", no_argument, MODE_LIST, MARG_NONE, false },
	{ "--queue-show", required_argument, MODE_SHOW, MARG_ID, false },
	{ "--queue-remove", required_argument, MODE_REMOVE, MARG_ID, false },
	{ "--queue-hold", required_argument, MODE_HOLD, MARG_ID, false },
	{ "--queue-release", required_argument, MODE_RELEASE, MARG_ID,
	  false },
	{ "-bs", no_argument, MODE_BS, MARG_NONE, false },
	{ "--configure", required_argument, MODE_CONFIGURE, MARG_VALUE,
	  false },
	{ "--rmqs", required_argument, MODE_RMQS, MARG_VALUE, false },
	{ "--oauth2-authorize", no_argument, MODE_OAUTH2_AUTHORIZE, MARG_NONE,
	  false },
	{ "--oauth2-revoke", no_argument, MODE_OAUTH2_REVOKE, MARG_NONE,
	  false },
	{ "-bm", no_argument, MODE_SEND, MARG_NONE, false },
	{ "-bi", no_argument, MODE_SEND, MARG_NONE, true },
	/* Postfix's other spelling of -bi */
	{ "-I", no_argument, MODE_SEND, MARG_NONE, true },
};

#define NMODES (sizeof(modes) / sizeof(modes[0]))

/* Options that set a flag of struct cli, or keep their value there
 * (borrowed from argv). */
enum simple_kind { SET_TRUE, SET_FALSE, SET_VALUE };

static const struct simple_opt {
	int ch;
	size_t off;             /* of the member of struct cli */
	enum simple_kind kind;
} simple_opts[] = {
#define S(ch, member, kind) { ch, offsetof(struct cli, member), kind }
	S('C', config, SET_VALUE),
	S(OPT_CONFIG, config, SET_VALUE),
	S('a', account, SET_VALUE),
	S('f', from, SET_VALUE),
	S('r', from, SET_VALUE),
	S('F', full_name, SET_VALUE),
	S(OPT_DATA, msgfile, SET_VALUE),
	S('P', pretend, SET_TRUE),
	S(OPT_READ_ENVELOPE_FROM, read_envelope_from, SET_TRUE),
	S('t', read_rcpts, SET_TRUE),
	S('i', dot_ends, SET_FALSE),
	S('v', verbose, SET_TRUE),
	S('d', verbose, SET_TRUE),      /* msmtp -d; sendmail -dX.Y */
	S(OPT_FORCE, force, SET_TRUE),
	S(OPT_REPORT_BY_MAIL, report_by_mail, SET_TRUE),
	S(OPT_QUEUE_ONLY, queue_only, SET_TRUE),
	S(OPT_VERSION, version, SET_TRUE),
	S(OPT_HELP, help, SET_TRUE),
	S(OPT_TRANSCRIPT, transcript_file, SET_VALUE),
	S(OPT_TRANSCRIPT_SECRETS, trace.secrets, SET_TRUE),
	S(OPT_TRANSCRIPT_BODY, trace.body, SET_TRUE),
	S(OPT_DRY_RUN, dry_run, SET_TRUE),
#undef S
};

/* The state of one cli_parse. */
struct parse {
	struct cli *c;
	int argc;
	char **argv;
	const struct mode_opt *mode;    /* the mode option given, or NULL */
	const char *flush_all;  /* a flush option given without an id */
};

/* add_alias_opts - the options of msmtp's other spellings, from o[n] on;
 * returns the new n. */
static size_t
add_alias_opts(struct option *o, size_t n)
{
	const char *name;
	bool needs_value;
	size_t i, k;

	for (i = 0; (name = account_alias_name(i, &needs_value)) != NULL;
	     i++) {
		assert(i < NALIAS_MAX && strlen(name) < ALIAS_NAME_MAX);
		for (k = 0; name[k] != '\0'; k++)
			alias_opts[i][k] = name[k] == '_' ? '-' : name[k];
		alias_opts[i][k] = '\0';
		o[n].name = alias_opts[i];
		o[n].has_arg = needs_value ? required_argument
					   : optional_argument;
		o[n].flag = NULL;
		o[n].val = OPT_ALIAS + (int)i;
		n++;
	}
	return n;
}

/* build_longopts - the fixed options, the long mode options, msmtp's other
 * spellings, then one per account field that has a command-line name
 * (--host, --tls-trust-file, ...). */
static void
build_longopts(struct option *o)
{
	size_t n = NFIXED, i;
	int f;

	memcpy(o, fixed_opts, sizeof(fixed_opts));
	for (i = 0; i < NMODES; i++) {
		if (modes[i].name[1] != '-')
			continue;
		o[n].name = modes[i].name + 2;
		o[n].has_arg = modes[i].has_arg;
		o[n].flag = NULL;
		o[n].val = OPT_MODE + (int)i;
		n++;
	}
	n = add_alias_opts(o, n);
	for (f = 0; f < ACC_NFIELDS; f++) {
		const char *name = account_field_option((enum account_field)f);
		if (name == NULL)
			continue;
		o[n].name = name;
		o[n].has_arg = account_field_bare((enum account_field)f)
			       ? optional_argument : required_argument;
		o[n].flag = NULL;
		o[n].val = OPT_FIELD + f;
		n++;
	}
	memset(&o[n], 0, sizeof(o[n]));
}

const char *
cli_long_option(size_t i)
{
	static struct option o[NFIXED + NMODES + NALIAS_MAX + ACC_NFIELDS + 1];
	size_t n;

	if (o[0].name == NULL)
		build_longopts(o);
	for (n = 0; n < i && o[n].name != NULL; n++)
		;
	return o[n].name;
}

/* valid_envid - RFC 3461 4.4: an ENVID is at most 100 printable
 * US-ASCII characters (it goes on the wire as xtext). */
static bool
valid_envid(const char *v)
{
	size_t i, n = strlen(v);

	if (n == 0 || n > 100)
		return false;
	for (i = 0; i < n; i++)
		if (v[i] < '!' || v[i] > '~')
			return false;
	return true;
}

void
cli_init(struct cli *c)
{
	memset(c, 0, sizeof(*c));
	c->over = account_new(NULL);
	c->report = REPORT_FAILURES;
	c->dot_ends = true;
}

void
cli_clear(struct cli *c)
{
	account_free(c->over);
	c->over = NULL;
	free(c->flush_ids);
	c->flush_ids = NULL;
	c->nflush_ids = 0;
}

/*
 * spelled_out - whether the argument that named long option o spelled
 * its name out in full.  getopt_long takes any unambiguous prefix
 * ("--pass" for --passwordeval); we take none, so that a mistyped option
 * can never stand for another one.  The option is the last argument
 * consumed, or the one before when its value came separately.
 */
static bool
spelled_out(char **argv, const struct option *o, const char **given)
{
	int i = optind - 1;
	const char *a;
	size_t n = strlen(o->name);

	if (o->has_arg == required_argument && optarg != NULL && i > 0
	    && optarg == argv[i])
		i--;
	a = argv[i];
	*given = a;
	return strncmp(a, "--", 2) == 0 && strncmp(a + 2, o->name, n) == 0
	       && (a[2 + n] == '\0' || a[2 + n] == '=');
}

/* invoked_as - what the name smtpsend was invoked by says: sendmail's
 * lone-dot rule, mailq, newaliases. */
static void
invoked_as(struct cli *c, int argc, char **argv)
{
	const char *base;

	if (argc <= 0 || argv[0] == NULL)
		return;
	base = strrchr(argv[0], '/');
	base = base ? base + 1 : argv[0];
	/* sendmail's lone-dot rule only where callers expect it: invoked
	 * as smtpsend, a "." line is data */
	c->dot_ends = strcmp(base, "sendmail") == 0;
	if (strcmp(base, "mailq") == 0)
		c->mode = MODE_LIST;
	else if (strcmp(base, "newaliases") == 0)
		c->newaliases = true;
}

/* mode_short - the row of -q, -S, or -b with argument rest, or NULL. */
static const struct mode_opt *
mode_short(int ch, const char *rest)
{
	size_t i;

	for (i = 0; i < NMODES; i++)
		if (modes[i].name[1] == ch
		    && strcmp(modes[i].name + 2, ch == 'b' ? rest : "") == 0)
			return &modes[i];
	return NULL;
}

/* queue_id - the queue id v of mode option m: it must have the form of
 * one ("all" too for --queue-remove, which can never be an id). */
static int
queue_id(const struct mode_opt *m, const char *v, struct err *err)
{
	if (queue_valid_id(v)
	    || (m->mode == MODE_REMOVE && strcmp(v, "all") == 0))
		return 0;
	err_set(err, ERR_USAGE, false,
		_("%s: \"%s\" is not a queue id (ids look like "
		  "1718000000.4821.9f3c01ab7e42: see --queue-list)%s"),
		m->name, v,
		m->arg == MARG_IDS && strchr(v, ',') != NULL
		? _("; give the option once for each id") : "");
	return -1;
}

/*
 * flush_id - --queue-flush=ID, or "--queue-flush ID" (as "--report json":
 * a word of the form of an id can be no recipient of a flush), added to
 * flush_ids; -q and --queue-flush alone flush every due entry.
 */
static int
flush_id(struct parse *ps, const struct mode_opt *m, struct err *err)
{
	struct cli *c = ps->c;
	const char *v = optarg;

	if (v == NULL && m->has_arg == optional_argument && optind < ps->argc
	    && queue_valid_id(ps->argv[optind]))
		v = ps->argv[optind++];
	if (v == NULL || m->arg != MARG_IDS) {
		ps->flush_all = m->name;
	} else if (queue_id(m, v, err) < 0) {
		return -1;
	} else {
		c->flush_ids = xrealloc(c->flush_ids, (c->nflush_ids + 1)
						      * sizeof(char *));
		c->flush_ids[c->nflush_ids++] = v;
	}
	if (ps->flush_all == NULL || c->nflush_ids == 0)
		return 0;
	err_set(err, ERR_USAGE, false,
		_("%s flushes every entry that is due, --queue-flush=ID only "
		  "the entries named: give one or the other"), ps->flush_all);
	return -1;
}

/* mode_option - the mode option m, with its argument optarg. */
static int
mode_option(struct parse *ps, const struct mode_opt *m, struct err *err)
{
	struct cli *c = ps->c;

	if (ps->mode != NULL && (ps->mode->mode != m->mode
				 || ps->mode->newaliases != m->newaliases)) {
		err_set(err, ERR_USAGE, false,
			_("%s and %s are different modes: give only one"),
			ps->mode->name, m->name);
		return -1;
	}
	ps->mode = m;
	if (m->newaliases)
		c->newaliases = true;   /* sendmail -bi */
	else if (m->mode != MODE_SEND)  /* -bm is the default */
		c->mode = m->mode;
	if (m->arg == MARG_ID && queue_id(m, optarg, err) < 0)
		return -1;
	if (m->arg == MARG_ID || m->arg == MARG_VALUE)
		c->mode_arg = optarg;
	if (m->mode == MODE_FLUSH)
		return flush_id(ps, m, err);
	if (m->arg != MARG_FORMAT || optarg == NULL
	    || strcmp(optarg, "text") == 0)
		return 0;
	if (strcmp(optarg, "json") != 0) {
		err_set(err, ERR_USAGE, false,
			_("%s: invalid value \"%s\" (expected text or json)"),
			m->name, optarg);
		return -1;
	}
	c->list_json = true;
	return 0;
}

/* interval - sendmail's queue interval after -q: "15m", "1h30m", "90". */
static bool
interval(const char *v)
{
	while (*v != '\0') {
		if (!ascii_is_digit(*v))
			return false;
		while (ascii_is_digit(*v))
			v++;
		if (*v != '\0' && strchr("smhdw", *v) != NULL)
			v++;
	}
	return true;
}

/*
 * q_option - -q, -qTIME (one flush; the interval means nothing without a
 * daemon), -qIID (that entry, as --queue-flush=ID).  Selecting by
 * recipient or sender site (-qR, -qS) or negated (-q!) is refused by name,
 * never taken for "flush everything".
 */
static int
q_option(struct parse *ps, struct err *err)
{
	const char *v = optarg;
	size_t i;

	/* a bare -q retries everything now, as sendmail and Postfix do;
	 * -qTIME (a periodic run) and --queue-flush keep the schedule */
	if (v == NULL)
		ps->c->force = true;
	if (v == NULL || interval(v))
		return mode_option(ps, mode_short('q', NULL), err);
	if (v[0] == 'I' && v[1] != '\0') {
		for (i = 0; i < NMODES; i++)
			if (strcmp(modes[i].name, "-qI") == 0)
				break;
		assert(i < NMODES);
		optarg = (char *)v + 1;
		return mode_option(ps, &modes[i], err);
	}
	if (v[0] == 'R' || v[0] == 'S' || v[0] == '!')
		err_set(err, ERR_USAGE, false,
			_("-q%s: selecting queued mail by site or negated is "
			  "not supported; name the entries with "
			  "--queue-flush=ID (mailq lists them)"), v);
	else
		err_set(err, ERR_USAGE, false,
			_("-q%s: invalid queue interval or selection "
			  "(expected -q, -qTIME such as -q15m, or -qIID)"), v);
	return -1;
}

/* mode_b - -bX: a mode, or -bm (send, the default). */
static int
mode_b(struct parse *ps, struct err *err)
{
	const struct mode_opt *m = mode_short('b', optarg);

	if (m == NULL) {
		err_set(err, ERR_USAGE, false,
			_("unsupported mode -b%s (this version knows -bm, -bp, "
			  "-bs and -bi)"), optarg);
		return -1;
	}
	return mode_option(ps, m, err);
}

/*
 * bare_value - the value of a setting given without "=": "--tls off" and
 * "--auth plain" take the next word when it is a value of the setting
 * (as "--report json" does); otherwise, as in msmtp, "--tls" and "--auth"
 * alone mean on, and the next word is left alone ("--auth --user=x").
 */
static const char *
bare_value(struct parse *ps, enum account_field f)
{
	const char *next = optind < ps->argc ? ps->argv[optind] : NULL;

	if (next != NULL && next[0] != '-' && next[0] != '\0'
	    && account_value_ok(f, next)) {
		optind++;
		return next;
	}
	return "";
}

/* field_option - --NAME=VALUE, -N and -R: a setting of the account. */
static int
field_option(struct parse *ps, enum account_field f, const char *name,
	     struct err *err)
{
	const char *v = optarg ? optarg : bare_value(ps, f);
	struct err verr;

	if (account_set(ps->c->over, f, v, ACCOUNT_WHERE_CLI, &verr) < 0) {
		/* a library that cannot be loaded (libidn2) is not the
		 * value's fault: its class is kept */
		bool os = verr.cls == ERR_OSERR;

		err_set(err, os ? ERR_OSERR : ERR_USAGE, os, "%s: %s", name,
			verr.text);
		return -1;
	}
	if (f == ACC_HOST)
		ps->c->host_given = true;
	return 0;
}

/* family_option - -4 or -6 (--ipv4, --ipv6): only addresses of that
 * family; the two together are a usage error. */
static int
family_option(struct parse *ps, int ch, struct err *err)
{
	struct account *over = ps->c->over;
	enum ip_family want = ch == '4' ? IPF_V4 : IPF_V6;

	if (account_is_set(over, ACC_IP_FAMILY) && over->ip_family != want) {
		err_set(err, ERR_USAGE, false,
			_("-4 (--ipv4) and -6 (--ipv6) exclude each other: "
			  "give only one"));
		return -1;
	}
	return account_set(over, ACC_IP_FAMILY, ch == '4' ? "ipv4" : "ipv6",
			   ACCOUNT_WHERE_CLI, err);
}

/* alias_option - --keepbcc and msmtp's other spellings of settings. */
static int
alias_option(struct parse *ps, size_t i, struct err *err)
{
	bool needs_value;
	const char *name = account_alias_name(i, &needs_value);

	if (account_set_directive(ps->c->over, name, optarg ? optarg : "",
				  ACCOUNT_WHERE_CLI, err) < 0) {
		err->cls = ERR_USAGE;
		return -1;
	}
	return 0;
}

/* report_option - --report[=text|json], or "--report json": that means
 * what it says, never mail to a local user called "json" by accident */
static int
report_option(struct parse *ps, struct err *err)
{
	const char *v = optarg;

	if (v == NULL && optind < ps->argc
	    && (strcmp(ps->argv[optind], "text") == 0
		|| strcmp(ps->argv[optind], "json") == 0))
		v = ps->argv[optind++];
	if (v == NULL || strcmp(v, "text") == 0) {
		ps->c->report = REPORT_TEXT;
	} else if (strcmp(v, "json") == 0) {
		ps->c->report = REPORT_JSON;
	} else {
		err_set(err, ERR_USAGE, false,
			_("--report: invalid value \"%s\" (expected text or "
			  "json)"), v);
		return -1;
	}
	return 0;
}

/* color_option - --color=auto|always|never. */
static int
color_option(struct cli *c, struct err *err)
{
	static const char *const names[] = { "auto", "always", "never" };
	size_t i;

	for (i = 0; i < 3; i++)
		if (strcmp(optarg, names[i]) == 0) {
			c->color = (enum cli_color)i;
			return 0;
		}
	err_set(err, ERR_USAGE, false,
		_("--color: invalid value \"%s\" (expected auto, always or "
		  "never)"), optarg);
	return -1;
}

/* quit_after_option - --quit-after=STEP: the step after which the
 * session ends with QUIT. */
static int
quit_after_option(struct cli *c, struct err *err)
{
	static const struct {
		const char *name;
		enum smtp_stage stage;
	} steps[] = {
		{ "connect", STAGE_CONNECT }, { "tls", STAGE_TLS },
		{ "ehlo", STAGE_EHLO }, { "auth", STAGE_AUTH },
		{ "mail", STAGE_MAIL }, { "rcpt", STAGE_RCPT },
	};
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (strcmp(optarg, steps[i].name) == 0) {
			c->quit_after = steps[i].stage;
			return 0;
		}
	err_set(err, ERR_USAGE, false,
		_("--quit-after: invalid value \"%s\" (expected connect, tls, "
		  "ehlo, auth, mail or rcpt)"), optarg);
	return -1;
}

/* simple_option - an option of simple_opts: 1 done, 0 not one of them. */
static int
simple_option(struct cli *c, int ch)
{
	size_t i;

	for (i = 0; i < sizeof(simple_opts) / sizeof(simple_opts[0]); i++) {
		const struct simple_opt *s = &simple_opts[i];
		char *m = (char *)c + s->off;

		if (s->ch != ch)
			continue;
		if (s->kind == SET_VALUE)
			memcpy(m, &optarg, sizeof(const char *));
		else
			*(bool *)(void *)m = s->kind == SET_TRUE;
		return 1;
	}
	return 0;
}

/* bad_option - the error for getopt's ':' (a value missing) or '?' (an
 * unknown option). */
static int
bad_option(struct parse *ps, int ch, struct err *err)
{
	const char *arg = ps->argv[optind - 1];
	int f = optopt - OPT_FIELD;

	if (ch == ':' && f >= 0)
		err_set(err, ERR_USAGE, false, _("option --%s needs a value"),
			account_field_option((enum account_field)f));
	else if (ch == ':' && optopt > 0 && optopt < 256)
		err_set(err, ERR_USAGE, false, _("option -%c needs a value"),
			optopt);
	else if (ch == ':')
		err_set(err, ERR_USAGE, false, _("option %s needs a value"),
			arg);
	else if (optopt > 0 && optopt < 256)
		err_set(err, ERR_USAGE, false, _("unknown option -%c"), optopt);
	else    /* never the value: "--pass=SECRET" */
		err_set(err, ERR_USAGE, false, _("unknown option %.*s"),
			(int)strcspn(arg, "="), arg);
	return -1;
}

/* alias_file - sendmail's -oAFILE: the aliases file.  1, or -1 with err. */
static int
alias_file(struct cli *c, const char *file, struct err *err)
{
	struct err verr;

	if (file[0] == '\0') {
		err_set(err, ERR_USAGE, false,
			_("-oA needs a file name (-oA/etc/aliases)"));
		return -1;
	}
	if (account_set(c->over, ACC_ALIASES, file, ACCOUNT_WHERE_CLI,
			&verr) < 0) {
		err_set(err, ERR_USAGE, false, "-oA: %s", verr.text);
		return -1;
	}
	return 1;
}

/* sendmail_option - -o, -V, -B and the ignored ones: 1 done, 0 not one of
 * them, -1 with err. */
static int
sendmail_option(struct cli *c, int ch, struct err *err)
{
	if (ch > 0 && ch < 256 && strchr(IGNORED_OPTS, ch) != NULL)
		return 1;
	if (ch == 'o' && optarg[0] == 'A')
		return alias_file(c, optarg + 1, err);
	if (ch == 'o') {
		/* -oi is -i; -odq (-odqueue: sendmail reads the first
		 * letter of the mode) is --queue-only; the other -oX (-oem,
		 * -odb, -odi, ...) mean nothing here */
		if (strcmp(optarg, "i") == 0)
			c->dot_ends = false;
		if (strncmp(optarg, "dq", 2) == 0)
			c->queue_only = true;
		return 1;
	}
	if (ch == 'V' && !valid_envid(optarg)) {
		err_set(err, ERR_USAGE, false,
			_("-V: the envelope id must be 1 to 100 printable "
			  "ASCII characters, without spaces (RFC 3461 4.4)"));
		return -1;
	}
	if (ch == 'V') {
		c->dsn_envid = optarg;
		return 1;
	}
	if (ch != 'B')
		return 0;
	/* the body is examined anyway: BODY=8BITMIME goes with any 8-bit
	 * byte */
	if (strcasecmp(optarg, "7BIT") != 0
	    && strcasecmp(optarg, "8BITMIME") != 0) {
		err_set(err, ERR_USAGE, false,
			_("-B: invalid body type \"%s\" (expected 7BIT or "
			  "8BITMIME)"), optarg);
		return -1;
	}
	return 1;
}

/*
 * logfile_option - msmtp's -X FILE.  Postfix's sendmail has -XV and -XVxy
 * (VERP) instead: those are refused by name, not taken as a log file
 * named "V" in the current directory.
 */
static int
logfile_option(struct parse *ps, struct err *err)
{
	if (optarg[0] == 'V' && (optarg[1] == '\0' || strlen(optarg) == 3)
	    && strchr(optarg, '/') == NULL) {
		err_set(err, ERR_USAGE, false,
			_("-X%s: VERP (Postfix's -XV) is not supported; -X "
			  "names a log file, as in msmtp"), optarg);
		return -1;
	}
	return field_option(ps, ACC_LOGFILE, "-X", err);
}

/* option - one option ch that getopt_long returned. */
static int
option(struct parse *ps, int ch, struct err *err)
{
	char name[64];
	int r;

	if (simple_option(ps->c, ch))
		return 0;
	r = sendmail_option(ps->c, ch, err);
	if (r != 0)
		return r < 0 ? -1 : 0;
	if (ch >= OPT_FIELD && ch < OPT_FIELD + ACC_NFIELDS) {
		enum account_field f = (enum account_field)(ch - OPT_FIELD);

		snprintf(name, sizeof(name), "--%s", account_field_option(f));
		return field_option(ps, f, name, err);
	}
	if (ch >= OPT_MODE && ch < OPT_MODE + (int)NMODES)
		return mode_option(ps, &modes[ch - OPT_MODE], err);
	if (ch >= OPT_ALIAS && ch < OPT_ALIAS + NALIAS_MAX)
		return alias_option(ps, (size_t)(ch - OPT_ALIAS), err);
	if (ch == 'X')
		return logfile_option(ps, err);
	switch (ch) {
	case 'q':
		return q_option(ps, err);
	case 'S':
	case 'I':
		return mode_option(ps, mode_short(ch, NULL), err);
	case 'b':
		return mode_b(ps, err);
	case '4':
	case '6':
		return family_option(ps, ch, err);
	case 'N':
		return field_option(ps, ACC_DSN_NOTIFY, "-N", err);
	case 'R':
		return field_option(ps, ACC_DSN_RETURN, "-R", err);
	case OPT_QUEUE:
	case OPT_NO_QUEUE:
		return account_set(ps->c->over, ACC_QUEUE,
				   ch == OPT_QUEUE ? "on" : "off",
				   ACCOUNT_WHERE_CLI, err);
	case OPT_REPORT:
		return report_option(ps, err);
	case OPT_COLOR:
		return color_option(ps->c, err);
	case OPT_QUIT_AFTER:
		return quit_after_option(ps->c, err);
	case OPT_PASSWORD:
		err_set(err, ERR_USAGE, false,
			_("--password: a password on the command line can be "
			  "read by every user of this machine; use "
			  "passwordeval, ~/.netrc or a private configuration "
			  "file"));
		return -1;
	}
	return bad_option(ps, ch, err);
}

/* check_debug - what the debugging options mean together. */
static int
check_debug(const struct cli *c, struct err *err)
{
	const char *probe = c->dry_run ? "--dry-run"
			    : c->quit_after != STAGE_NONE ? "--quit-after"
			    : NULL;

	if ((c->trace.secrets || c->trace.body) && !c->verbose
	    && c->transcript_file == NULL) {
		err_set(err, ERR_USAGE, false,
			_("%s goes with -v or --transcript=FILE"),
			c->trace.secrets ? "--transcript-secrets"
					 : "--transcript-body");
		return -1;
	}
	if (c->transcript_file != NULL && c->mode != MODE_SEND
	    && c->mode != MODE_BS && c->mode != MODE_SERVERINFO
	    && c->mode != MODE_RMQS) {
		err_set(err, ERR_USAGE, false,
			_("--transcript goes with sending, -bs, --serverinfo "
			  "and --rmqs (for a queue flush, use -v)"));
		return -1;
	}
	if (probe == NULL)
		return 0;
	if (c->dry_run && c->quit_after != STAGE_NONE)
		err_set(err, ERR_USAGE, false,
			_("--dry-run does not connect, --quit-after does: give "
			  "one or the other"));
	else if (c->mode != MODE_SEND)
		err_set(err, ERR_USAGE, false,
			_("%s goes with sending a message, not with a queue "
			  "command or --serverinfo"), probe);
	else if (c->pretend || c->queue_only)
		err_set(err, ERR_USAGE, false,
			_("%s and %s do not go together: give one"), probe,
			c->pretend ? "-P (--pretend)" : "--queue-only (-odq)");
	else
		return 0;
	return -1;
}

/* check_together - what the options mean together. */
static int
check_together(const struct cli *c, struct err *err)
{
	if (check_debug(c, err) < 0)
		return -1;
	if (c->host_given && c->account != NULL) {
		err_set(err, ERR_USAGE, false,
			_("--host uses command-line settings only; it cannot "
			  "be combined with -a"));
		return -1;
	}
	if (c->force && c->mode != MODE_FLUSH) {
		err_set(err, ERR_USAGE, false,
			_("--force goes with --queue-flush (-q)"));
		return -1;
	}
	if (c->queue_only && c->mode != MODE_SEND && c->mode != MODE_BS) {
		err_set(err, ERR_USAGE, false,
			_("--queue-only (-odq) goes with sending a message, "
			  "not with a queue command or --serverinfo"));
		return -1;
	}
	if (c->queue_only && account_is_set(c->over, ACC_QUEUE)
	    && !c->over->queue) {
		err_set(err, ERR_USAGE, false,
			_("--queue-only (-odq) puts the message in the queue, "
			  "--no-queue keeps it out: give one or the other"));
		return -1;
	}
	if (c->mode == MODE_BS && (c->read_rcpts || c->report != REPORT_FAILURES
				   || c->msgfile != NULL)) {
		err_set(err, ERR_USAGE, false,
			_("-bs reads the messages as SMTP on standard input: "
			  "-t, --report and --data do not go with it"));
		return -1;
	}
	if (c->mode != MODE_SEND && c->nrcpts > 0) {
		err_set(err, ERR_USAGE, false,
			_("recipients given with a mode that sends no message "
			  "(\"%s\")"), c->rcpts[0]);
		return -1;
	}
	return 0;
}

int
cli_parse(struct cli *c, int argc, char **argv, struct err *err)
{
	struct option longopts[NFIXED + NMODES + NALIAS_MAX + ACC_NFIELDS + 1];
	struct parse ps = { c, argc, argv, NULL, NULL };
	const char *given;
	int ch, li;

	build_longopts(longopts);
	opterr = 0;
	optind = 0;     /* not 1: getopt forgets an earlier argv entirely */
	invoked_as(c, argc, argv);
	while ((li = -1, ch = getopt_long(argc, argv, SHORT_OPTS, longopts,
					  &li)) != -1) {
		if (li >= 0 && !spelled_out(argv, &longopts[li], &given)) {
			err_set(err, ERR_USAGE, false,
				_("unknown option %.*s (did you mean --%s? "
				  "options must be spelled out in full)"),
				(int)strcspn(given, "="), given,
				longopts[li].name);
			return -1;
		}
		if (option(&ps, ch, err) < 0)
			return -1;
	}
	c->rcpts = argv + optind;
	c->nrcpts = argc - optind;
	if (c->msgfile != NULL && strcmp(c->msgfile, "-") == 0)
		c->msgfile = NULL;      /* --data=-: standard input */
	return check_together(c, err);
}
