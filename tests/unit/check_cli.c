/*
 * check_cli.c - unit tests for src/cli.c: the options that choose a mode,
 * the exact spelling of long options, and the texts of --help and
 * --version.
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAXARGS 16

/* Queue ids (queue_valid_id: 0-9, a-f and dots). */
#define QID "1718000000.4821.9f3c01ab7e42"
#define QID2 "1718000001.77.0123456789ab"

/* parse - cli_parse of the words of args (split at spaces), invoked as
 * argv0. */
static int
parse(struct cli *c, const char *argv0, const char *args, char *store,
      size_t n, struct err *err)
{
	char *argv[MAXARGS + 1];
	int argc = 0;
	char *p = store, *sp;

	snprintf(store, n, "%s", args);
	argv[argc++] = (char *)argv0;
	while (*p != '\0') {
		ck_assert_int_lt(argc, MAXARGS);
		argv[argc++] = p;
		sp = strchr(p, ' ');
		if (sp == NULL)
			break;
		*sp = '\0';
		p = sp + 1;
	}
	argv[argc] = NULL;
	cli_init(c);
	err_clear(err);
	return cli_parse(c, argc, argv, err);
}

/* refused - parse gave ret for args: a usage error whose text has want. */
static void
refused(int ret, const char *args, const struct err *err, const char *want)
{
	ck_assert_msg(ret == -1, "\"%s\" accepted", args);
	ck_assert_int_eq(err->cls, ERR_USAGE);
	ck_assert_msg(strstr(err->text, want) != NULL,
		      "\"%s\": \"%s\" lacks \"%s\"", args, err->text, want);
}

static const struct mode_case {
	const char *argv0;
	const char *args;
	enum cli_mode mode;     /* when accepted */
	bool newaliases;
	bool json;
	const char *mode_arg;
	const char *error;      /* NULL: accepted */
} mode_cases[] = {
	{ "smtpsend", "", MODE_SEND, false, false, NULL, NULL },
	{ "smtpsend", "-q", MODE_FLUSH, false, false, NULL, NULL },
	{ "smtpsend", "-q15m", MODE_FLUSH, false, false, NULL, NULL },
	{ "smtpsend", "--queue-flush --force", MODE_FLUSH, false, false, NULL,
	  NULL },
	{ "smtpsend", "-bp", MODE_LIST, false, false, NULL, NULL },
	{ "smtpsend", "--queue-list=json", MODE_LIST, false, true, NULL,
	  NULL },
	{ "smtpsend", "-S", MODE_SERVERINFO, false, false, NULL, NULL },
	{ "smtpsend", "--serverinfo", MODE_SERVERINFO, false, false, NULL,
	  NULL },
	{ "smtpsend", "--queue-show=" QID, MODE_SHOW, false, false, QID,
	  NULL },
	{ "smtpsend", "--queue-remove " QID, MODE_REMOVE, false, false, QID,
	  NULL },
	{ "smtpsend", "--queue-remove=all", MODE_REMOVE, false, false, "all",
	  NULL },
	{ "smtpsend", "--queue-hold=" QID, MODE_HOLD, false, false, QID,
	  NULL },
	{ "smtpsend", "--queue-release=" QID, MODE_RELEASE, false, false, QID,
	  NULL },
	{ "smtpsend", "-bs", MODE_BS, false, false, NULL, NULL },
	{ "smtpsend", "-bm", MODE_SEND, false, false, NULL, NULL },
	{ "smtpsend", "-bi", MODE_SEND, true, false, NULL, NULL },
	{ "smtpsend", "-I", MODE_SEND, true, false, NULL, NULL },
	{ "smtpsend", "-I -bi", MODE_SEND, true, false, NULL, NULL },
	{ "smtpsend", "--configure=a@example.org", MODE_CONFIGURE, false,
	  false, "a@example.org", NULL },
	{ "smtpsend", "--rmqs @example.org", MODE_RMQS, false, false,
	  "@example.org", NULL },
	/* the same mode twice, in any spelling */
	{ "smtpsend", "-q --queue-flush -q", MODE_FLUSH, false, false, NULL,
	  NULL },
	{ "smtpsend", "--queue-list=json -bp", MODE_LIST, false, true, NULL,
	  NULL },
	{ "smtpsend", "-bp --queue-list", MODE_LIST, false, false, NULL,
	  NULL },
	{ "smtpsend", "-S --serverinfo", MODE_SERVERINFO, false, false, NULL,
	  NULL },
	{ "smtpsend", "--queue-show=a --queue-show=b", MODE_SHOW, false, false,
	  "b", NULL },
	{ "smtpsend", "-bm -bm", MODE_SEND, false, false, NULL, NULL },
	{ "smtpsend", "-bi -bi", MODE_SEND, true, false, NULL, NULL },
	/* two different ones, in both orders */
	{ "smtpsend", "-q --queue-list", MODE_SEND, false, false, NULL,
	  "-q and --queue-list are different modes" },
	{ "smtpsend", "--queue-list -q", MODE_SEND, false, false, NULL,
	  "--queue-list and -q are different modes" },
	{ "smtpsend", "-bp --queue-flush", MODE_SEND, false, false, NULL,
	  "-bp and --queue-flush are different modes" },
	{ "smtpsend", "-S -bs", MODE_SEND, false, false, NULL,
	  "-S and -bs are different modes" },
	{ "smtpsend", "--queue-show=a --queue-remove=a", MODE_SEND, false,
	  false, NULL, "--queue-show and --queue-remove are different modes" },
	{ "smtpsend", "--queue-hold=a --queue-release=a", MODE_SEND, false,
	  false, NULL, "--queue-hold and --queue-release are different" },
	{ "smtpsend", "-bm -q", MODE_SEND, false, false, NULL,
	  "-bm and -q are different modes" },
	{ "smtpsend", "-bi -bm", MODE_SEND, false, false, NULL,
	  "-bi and -bm are different modes" },
	{ "smtpsend", "-q -bi", MODE_SEND, false, false, NULL,
	  "-q and -bi are different modes" },
	{ "smtpsend", "--serverinfo -bp", MODE_SEND, false, false, NULL,
	  "--serverinfo and -bp are different modes" },
	{ "smtpsend", "--rmqs=#q --configure=a@example.org", MODE_SEND, false,
	  false, NULL, "--rmqs and --configure are different modes" },
	{ "smtpsend", "-a gm --oauth2-authorize", MODE_OAUTH2_AUTHORIZE,
	  false, false, NULL, NULL },
	{ "smtpsend", "--oauth2-revoke -a gm", MODE_OAUTH2_REVOKE, false,
	  false, NULL, NULL },
	{ "smtpsend", "--oauth2-authorize --oauth2-revoke", MODE_SEND, false,
	  false, NULL,
	  "--oauth2-authorize and --oauth2-revoke are different modes" },
	{ "smtpsend", "--oauth2-authorize=x", MODE_SEND, false, false, NULL,
	  "--oauth2-authorize" },
	{ "smtpsend", "--oauth2-authorize b@example.org", MODE_SEND, false,
	  false, NULL, "recipients given with a mode" },
	{ "smtpsend", "--configure", MODE_SEND, false, false, NULL,
	  "option --configure needs a value" },
	{ "smtpsend", "--rmqs=h.example b@example.org", MODE_SEND, false,
	  false, NULL, "recipients given with a mode that sends no message" },
	/* the name it is invoked by is no mode option */
	{ "mailq", "", MODE_LIST, false, false, NULL, NULL },
	{ "/usr/bin/mailq", "-bp", MODE_LIST, false, false, NULL, NULL },
	{ "mailq", "-q", MODE_FLUSH, false, false, NULL, NULL },
	{ "mailq", "-bm", MODE_LIST, false, false, NULL, NULL },
	{ "newaliases", "", MODE_SEND, true, false, NULL, NULL },
	/* the other mode errors */
	{ "smtpsend", "-bx", MODE_SEND, false, false, NULL,
	  "unsupported mode -bx" },
	{ "smtpsend", "--queue-list=xml", MODE_SEND, false, false, NULL,
	  "--queue-list: invalid value \"xml\" (expected text or json)" },
	{ "smtpsend", "--force", MODE_SEND, false, false, NULL,
	  "--force goes with --queue-flush" },
	{ "smtpsend", "-bp someone", MODE_SEND, false, false, NULL,
	  "recipients given with a mode that sends no message" },
	{ "smtpsend", "--queue-show", MODE_SEND, false, false, NULL,
	  "option --queue-show needs a value" },
	{ "smtpsend", "--queue-sho=" QID, MODE_SEND, false, false, NULL,
	  "did you mean --queue-show?" },
	/* a queue id must look like one; "all" only for --queue-remove */
	{ "smtpsend", "--queue-show=../../etc/passwd", MODE_SEND, false, false,
	  NULL, "--queue-show: \"../../etc/passwd\" is not a queue id" },
	{ "smtpsend", "--queue-show=all", MODE_SEND, false, false, NULL,
	  "--queue-show: \"all\" is not a queue id" },
	{ "smtpsend", "--queue-hold=ID", MODE_SEND, false, false, NULL,
	  "--queue-hold: \"ID\" is not a queue id" },
	{ "smtpsend", "--queue-release=.1", MODE_SEND, false, false, NULL,
	  "--queue-release: \".1\" is not a queue id" },
	{ "smtpsend", "--queue-remove=ALL", MODE_SEND, false, false, NULL,
	  "--queue-remove: \"ALL\" is not a queue id" },
};

START_TEST(test_modes)
{
	const struct mode_case *t = &mode_cases[_i];
	char store[256];
	struct cli c;
	struct err err;
	int ret;

	ret = parse(&c, t->argv0, t->args, store, sizeof(store), &err);
	if (t->error != NULL) {
		refused(ret, t->args, &err, t->error);
	} else {
		ck_assert_msg(ret == 0, "\"%s\": %s", t->args, err.text);
		ck_assert_int_eq(c.mode, t->mode);
		ck_assert_int_eq(c.newaliases, t->newaliases);
		ck_assert_int_eq(c.list_json, t->json);
		if (t->mode_arg != NULL)
			ck_assert_str_eq(c.mode_arg, t->mode_arg);
		else
			ck_assert_ptr_null(c.mode_arg);
	}
	cli_clear(&c);
}
END_TEST

/* A bare -q retries every entry now (sendmail, Postfix); -qTIME and
 * --queue-flush keep the schedule unless --force. */
START_TEST(test_q_forces)
{
	static const struct { const char *args; bool force; } t[] = {
		{ "-q", true }, { "-q15m", false }, { "--queue-flush", false },
		{ "--queue-flush --force", true }, { "-q1h --force", true },
	};
	char store[256];
	struct cli c;
	struct err err;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_int_eq(parse(&c, "sendmail", t[i].args, store,
				       sizeof(store), &err), 0);
		ck_assert_msg(c.force == t[i].force, "%s: force %d",
			      t[i].args, c.force);
		cli_clear(&c);
	}
}
END_TEST

/* Options and settings, and what is refused. */
static const struct opt_case {
	const char *args;
	const char *error;      /* NULL: accepted */
} opt_cases[] = {
	{ "--host=h.example --port=25 --tls=off a@example.org", NULL },
	{ "--host h.example --auth plain", NULL },
	{ "-t -i -oi -oem -F Name -f a@b.example -r a@b.example", NULL },
	{ "-N never -R hdrs -V id", NULL },
	{ "-B 8BITMIME -O x -G -h 1 -L x -m -n -U -Ac", NULL },
	{ "--report json", NULL },
	{ "--report=text", NULL },
	{ "--password=s3cret", "--password: a password on the command line" },
	{ "--password", "--password: a password on the command line" },
	{ "--pass=s3cret", "unknown option --pass" },
	{ "--hos=h.example", "unknown option --hos (did you mean --host?" },
	{ "--port=0", "--port: invalid port \"0\"" },
	{ "--auth=bogus", "--auth: unknown authentication method" },
	{ "-N sometimes", "-N: invalid DSN notify \"sometimes\"" },
	{ "-R bogus", "-R: invalid DSN return \"bogus\"" },
	{ "-V", "option -V needs a value" },
	{ "-B 9BIT", "-B: invalid body type \"9BIT\"" },
	{ "--report=xml", "--report: invalid value \"xml\"" },
	{ "--frobnicate", "unknown option --frobnicate" },
	{ "-x", "unknown option -x" },
	{ "--host=h.example -a acc", "--host uses command-line settings only" },
	{ "-bs -t", "-bs reads the messages as SMTP on standard input" },
	{ "--port", "option --port needs a value" },
	{ "-bs --data=m.eml", "-t, --report and --data do not go with it" },
	{ "--fil=x.conf", "unknown option --fil (did you mean --file?" },
	/* Postfix's VERP request is not a log file named V */
	{ "-XV", "-XV: VERP (Postfix's -XV) is not supported" },
	{ "-XV+=", "-XV+=: VERP (Postfix's -XV) is not supported" },
	{ "-X V", "-XV: VERP" },
	{ "-X Vlog -X ./V -X dir/V+=", NULL },
	/* msmtp's options that this version does not handle: by name */
	{ "--protocol=smtp", NULL },
	{ "--protocol lmtp", NULL },
	{ "--protocol=esmtp", "--protocol: invalid value \"esmtp\" "
			      "(expected smtp or lmtp)" },
	{ "--protocol", "option --protocol needs a value" },
	{ "--socket=/run/smtp", NULL },
	{ "--socket= --proxy-host= --proxy-port=", NULL },
	{ "--proxy-host p.example --proxy-port=1080", NULL },
	{ "--proxy-port=0", "--proxy-port: invalid number \"0\"" },
	{ "--proxy-port=65536", "--proxy-port: invalid number \"65536\"" },
	{ "--proxy-host=a\"b", "--proxy-host: invalid host name" },
	/* the address family: -4/-6, --ipv4/--ipv6; not both */
	{ "-4 --ipv4", NULL },
	{ "-6 --ipv6", NULL },
	{ "-4 -6", "-4 (--ipv4) and -6 (--ipv6) exclude each other" },
	{ "--ipv6 -4", "exclude each other" },
	{ "--ip-family=ipv4", "unknown option --ip-family" },
};

/* Where the configuration file and the message come from: --file is
 * msmtp's name for the configuration file, --data the message's. */
static const struct file_case {
	const char *args;
	const char *config;     /* NULL: none given */
	const char *msgfile;    /* NULL: standard input */
} file_cases[] = {
	{ "--file=a.conf", "a.conf", NULL },
	{ "--file b.conf", "b.conf", NULL },
	{ "-C c.conf", "c.conf", NULL },
	{ "--config=d.conf --data=m.eml", "d.conf", "m.eml" },
	{ "--data m.eml", NULL, "m.eml" },
	{ "--data=-", NULL, NULL },
	{ "--file=e.conf --data=- x@example.org", "e.conf", NULL },
};

START_TEST(test_file_data)
{
	const struct file_case *t = &file_cases[_i];
	char store[256];
	struct cli c;
	struct err err;

	ck_assert_msg(parse(&c, "smtpsend", t->args, store, sizeof(store),
			    &err) == 0, "\"%s\": %s", t->args, err.text);
	if (t->config != NULL)
		ck_assert_str_eq(c.config, t->config);
	else
		ck_assert_ptr_null(c.config);
	if (t->msgfile != NULL)
		ck_assert_str_eq(c.msgfile, t->msgfile);
	else
		ck_assert_ptr_null(c.msgfile);
	cli_clear(&c);
}
END_TEST

START_TEST(test_options)
{
	const struct opt_case *t = &opt_cases[_i];
	char store[256];
	struct cli c;
	struct err err;
	int ret;

	ret = parse(&c, "smtpsend", t->args, store, sizeof(store), &err);
	if (t->error == NULL) {
		ck_assert_msg(ret == 0, "\"%s\": %s", t->args, err.text);
	} else {
		ck_assert_msg(ret == -1, "\"%s\" accepted", t->args);
		ck_assert_msg(strstr(err.text, t->error) != NULL,
			      "\"%s\": \"%s\" lacks \"%s\"", t->args, err.text,
			      t->error);
		/* never the value of a refused option */
		ck_assert_ptr_null(strstr(err.text, "s3cret"));
	}
	cli_clear(&c);
}
END_TEST

/* output - what fn prints, as a string (allocated). */
static char *
output(void (*fn)(FILE *))
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(mem);
	fn(mem);
	fclose(mem);
	return text;
}

START_TEST(test_usage_version)
{
	char *usage = output(cli_usage), *version = output(cli_version);

	ck_assert_int_eq(strncmp(usage, "Usage: smtpsend [OPTION]...", 27), 0);
	ck_assert_ptr_nonnull(strstr(usage, "\nQueue:\n"));
	ck_assert_ptr_nonnull(strstr(usage, "See smtpsend(1) and "
					    "smtpsendrc(5).\n"));
	ck_assert_int_eq(usage[strlen(usage) - 1], '\n');
	ck_assert_int_eq(strncmp(version, "smtpsend " PACKAGE_VERSION "\n",
				 strlen("smtpsend " PACKAGE_VERSION "\n")), 0);
	ck_assert_ptr_nonnull(strstr(version, "\nLibraries: GnuTLS "));
	ck_assert_ptr_nonnull(strstr(version, "License GPLv3+"));
	free(usage);
	free(version);
}
END_TEST

/* msmtp's bare forms: a setting without a value means on, and takes the
 * next word only when it is one of its values. */
START_TEST(test_bare_settings)
{
	char store[256];
	struct cli c;
	struct err err;

	ck_assert_int_eq(parse(&c, "smtpsend", "--tls --tls-trust-file=ca.pem "
			       "a@example.org", store, sizeof(store), &err), 0);
	ck_assert(c.over->tls);
	ck_assert_str_eq(c.over->tls_trust_file, "ca.pem");
	ck_assert_int_eq(c.nrcpts, 1);
	cli_clear(&c);

	ck_assert_int_eq(parse(&c, "smtpsend", "--auth --user=x a@example.org",
			       store, sizeof(store), &err), 0);
	ck_assert_int_eq(c.over->auth, AUTH_ON);
	ck_assert_str_eq(c.over->user, "x");
	ck_assert_int_eq(c.nrcpts, 1);
	cli_clear(&c);

	ck_assert_int_eq(parse(&c, "smtpsend", "--auth plain --tls off "
			       "--tls-starttls a@example.org", store,
			       sizeof(store), &err), 0);
	ck_assert_int_eq(c.over->auth, AUTH_PLAIN);
	ck_assert(!c.over->tls);
	ck_assert(c.over->tls_starttls);
	ck_assert_int_eq(c.nrcpts, 1);     /* (argv was parse()'s own) */
	cli_clear(&c);

	/* not a value of --auth: a recipient */
	ck_assert_int_eq(parse(&c, "smtpsend", "--auth a@example.org", store,
			       sizeof(store), &err), 0);
	ck_assert_int_eq(c.over->auth, AUTH_ON);
	ck_assert_int_eq(c.nrcpts, 1);
	cli_clear(&c);

	ck_assert_int_eq(parse(&c, "smtpsend", "--set-to-header a@example.org",
			       store, sizeof(store), &err), 0);
	ck_assert_int_eq(c.over->set_to_header, TO_HEADER_ON);
	ck_assert_int_eq(c.nrcpts, 1);
	cli_clear(&c);

	ck_assert_int_eq(parse(&c, "smtpsend", "--set-from-header --syslog",
			       store, sizeof(store), &err), 0);
	ck_assert_int_eq(c.over->set_from_header, HDR_ON);
	ck_assert_int_eq(c.over->syslog, SYSLOG_USER);
	cli_clear(&c);

	/* a setting that needs its value still does */
	ck_assert_int_eq(parse(&c, "smtpsend", "--port", store, sizeof(store),
			       &err), -1);
	cli_clear(&c);
}
END_TEST

/* msmtp's other spellings: -d/--debug, --read-recipients, -X, and the
 * legacy settings (--keepbcc, --add-missing-from-header, ...). */
START_TEST(test_msmtp_spellings)
{
	char store[256];
	struct cli c;
	struct err err;

	ck_assert_int_eq(parse(&c, "smtpsend", "-d --read-recipients -X l.log "
			       "--keepbcc --connect-timeout=30 "
			       "--tls-nocertcheck --undisclosed-recipients",
			       store, sizeof(store), &err), 0);
	ck_assert(c.verbose);
	ck_assert(c.read_rcpts);
	ck_assert_str_eq(c.over->logfile, "l.log");
	ck_assert(!c.over->remove_bcc_headers);
	ck_assert_int_eq(c.over->timeout, 30);
	ck_assert(!c.over->tls_certcheck);
	ck_assert_int_eq(c.over->set_to_header, TO_HEADER_UNDISCLOSED);
	cli_clear(&c);

	/* msmtp's --auto-from: from is the user name (qualified later) */
	ck_assert_int_eq(parse(&c, "smtpsend", "--auto-from", store,
			       sizeof(store), &err), 0);
	ck_assert_str_eq(c.over->from, "%U");
	cli_clear(&c);
	ck_assert_int_eq(parse(&c, "smtpsend", "--auto-from=off", store,
			       sizeof(store), &err), 0);
	ck_assert(!account_is_set(c.over, ACC_FROM));
	cli_clear(&c);

	/* "--" ends the options: what follows is a recipient */
	ck_assert_int_eq(parse(&c, "sendmail", "-t -- -i", store, sizeof(store),
			       &err), 0);
	ck_assert(c.read_rcpts);
	ck_assert(c.dot_ends);          /* -i was no option */
	ck_assert_int_eq(c.nrcpts, 1);
	cli_clear(&c);

	/* sendmail's -oA: the aliases file */
	ck_assert_int_eq(parse(&c, "smtpsend", "-oA/etc/x.aliases -oi", store,
			       sizeof(store), &err), 0);
	ck_assert_str_eq(c.over->aliases, "/etc/x.aliases");
	ck_assert(!c.dot_ends);
	cli_clear(&c);
	ck_assert_int_eq(parse(&c, "smtpsend", "-oA", store, sizeof(store),
			       &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "-oA needs a file name"));
	cli_clear(&c);

	/* sendmail's -dX.Y, msmtp's --debug */
	ck_assert_int_eq(parse(&c, "smtpsend", "-d0.1 --debug", store,
			       sizeof(store), &err), 0);
	ck_assert(c.verbose);
	cli_clear(&c);

	ck_assert_int_eq(parse(&c, "smtpsend", "--add-missing-from-header=x",
			       store, sizeof(store), &err), -1);
	ck_assert_int_eq(err.cls, ERR_USAGE);
	ck_assert_ptr_nonnull(strstr(err.text, "invalid value \"x\""));
	cli_clear(&c);
	ck_assert_int_eq(parse(&c, "smtpsend", "--tls-nostarttls=on", store,
			       sizeof(store), &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "takes no argument"));
	cli_clear(&c);
	ck_assert_int_eq(parse(&c, "smtpsend", "-X", store, sizeof(store),
			       &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "option -X needs a value"));
	cli_clear(&c);
}
END_TEST

/* --queue-flush=ID..., --queue-only and -odq. */
static const struct queue_case {
	const char *args;
	bool queue_only;
	size_t nids;            /* flush_ids: QID, then QID2 */
	const char *error;      /* NULL: accepted */
} queue_cases[] = {
	{ "--queue-flush=" QID, false, 1, NULL },
	{ "--queue-flush " QID, false, 1, NULL },
	{ "--queue-flush=" QID " --queue-flush " QID2, false, 2, NULL },
	{ "--queue-flush=" QID " --force --queue-flush=" QID2, false, 2,
	  NULL },
	{ "--queue-flush", false, 0, NULL },
	{ "--queue-flush -q", false, 0, NULL },
	{ "--queue-flush=" QID "," QID2, false, 0,
	  "is not a queue id (ids look like 1718000000.4821.9f3c01ab7e42: "
	  "see --queue-list); give the option once for each id" },
	{ "--queue-flush=x", false, 0,
	  "--queue-flush: \"x\" is not a queue id" },
	{ "--queue-flush=", false, 0,
	  "--queue-flush: \"\" is not a queue id" },
	{ "--queue-flush --queue-flush=" QID, false, 0,
	  "--queue-flush flushes every entry that is due, --queue-flush=ID "
	  "only the entries named: give one or the other" },
	{ "--queue-flush=" QID " -q", false, 0,
	  "-q flushes every entry that is due" },
	{ "-q15m --queue-flush=" QID, false, 0,
	  "-q flushes every entry that is due" },
	/* a word that is no id stays a recipient, which a flush refuses */
	{ "--queue-flush x@example.org", false, 0,
	  "recipients given with a mode that sends no message" },
	{ "--queue-only a@example.org", true, 0, NULL },
	{ "-odq a@example.org", true, 0, NULL },
	{ "-odqueue -oi -t", true, 0, NULL },
	{ "-bs --queue-only", true, 0, NULL },
	{ "--queue-only --queue", true, 0, NULL },
	/* the other delivery modes mean nothing here */
	{ "-odb -odi -odbackground -odd -oem a@example.org", false, 0, NULL },
	{ "--queue-only --no-queue a@example.org", false, 0,
	  "--queue-only (-odq) puts the message in the queue, --no-queue "
	  "keeps it out" },
	{ "--no-queue -odq a@example.org", false, 0,
	  "--no-queue keeps it out" },
	{ "--queue-only -q", false, 0,
	  "--queue-only (-odq) goes with sending a message" },
	{ "-odq --queue-remove=all", false, 0,
	  "--queue-only (-odq) goes with sending a message" },
	{ "--queue-only -S", false, 0, "goes with sending a message" },
	{ "--queue-onl", false, 0, "did you mean --queue-only?" },
	/* sendmail's -q forms: an interval, one entry, never "all" for a
	 * selection this version does not make */
	{ "-q1h30m", false, 0, NULL },
	{ "-q90", false, 0, NULL },
	{ "-qI" QID, false, 1, NULL },
	{ "-qI" QID " -qI" QID2, false, 2, NULL },
	{ "-qI" QID " --queue-flush=" QID2, false, 2, NULL },
	{ "-qIx", false, 0, "-qI: \"x\" is not a queue id" },
	{ "-qRexample.org", false, 0, "-qRexample.org: selecting queued mail "
	  "by site or negated is not supported" },
	{ "-qSexample.org", false, 0, "-qSexample.org: selecting" },
	{ "-q!I" QID, false, 0, "not supported; name the entries with "
	  "--queue-flush=ID" },
	{ "-qX", false, 0, "-qX: invalid queue interval or selection" },
	{ "-q15x", false, 0, "-q15x: invalid queue interval" },
	{ "-qI", false, 0, "-qI: invalid queue interval" },
};

START_TEST(test_queue)
{
	const struct queue_case *t = &queue_cases[_i];
	static const char *const ids[] = { QID, QID2 };
	char store[256];
	struct cli c;
	struct err err;
	size_t k;
	int ret;

	ret = parse(&c, "smtpsend", t->args, store, sizeof(store), &err);
	if (t->error != NULL) {
		refused(ret, t->args, &err, t->error);
	} else {
		ck_assert_msg(ret == 0, "\"%s\": %s", t->args, err.text);
		ck_assert_int_eq(c.queue_only, t->queue_only);
		ck_assert_uint_eq(c.nflush_ids, t->nids);
		for (k = 0; k < t->nids; k++)
			ck_assert_str_eq(c.flush_ids[k], ids[k]);
	}
	cli_clear(&c);
}
END_TEST

/* The debugging options: their values, and what they go with. */
static const struct debug_case {
	const char *args;
	enum smtp_stage quit_after;
	enum cli_color color;
	bool dry_run;
	const char *error;      /* NULL: accepted */
} debug_cases[] = {
	{ "--quit-after=connect", STAGE_CONNECT, COLOR_AUTO, false, NULL },
	{ "--quit-after=tls", STAGE_TLS, COLOR_AUTO, false, NULL },
	{ "--quit-after=ehlo", STAGE_EHLO, COLOR_AUTO, false, NULL },
	{ "--quit-after=auth", STAGE_AUTH, COLOR_AUTO, false, NULL },
	{ "--quit-after=mail", STAGE_MAIL, COLOR_AUTO, false, NULL },
	{ "--quit-after=rcpt", STAGE_RCPT, COLOR_AUTO, false, NULL },
	{ "--quit-after=data", STAGE_NONE, COLOR_AUTO, false,
	  "--quit-after: invalid value \"data\"" },
	{ "--quit-after=RCPT", STAGE_NONE, COLOR_AUTO, false,
	  "invalid value" },
	{ "--dry-run", STAGE_NONE, COLOR_AUTO, true, NULL },
	{ "--dry-run --quit-after=rcpt", STAGE_NONE, COLOR_AUTO, false,
	  "--dry-run does not connect" },
	{ "--dry-run -q", STAGE_NONE, COLOR_AUTO, false,
	  "--dry-run goes with sending a message" },
	{ "--quit-after=auth --serverinfo", STAGE_NONE, COLOR_AUTO, false,
	  "--quit-after goes with sending" },
	{ "--dry-run -P", STAGE_NONE, COLOR_AUTO, false,
	  "do not go together" },
	{ "--quit-after=rcpt --queue-only", STAGE_NONE, COLOR_AUTO, false,
	  "do not go together" },
	{ "-v --color=always", STAGE_NONE, COLOR_ALWAYS, false, NULL },
	{ "-v --color=never", STAGE_NONE, COLOR_NEVER, false, NULL },
	{ "-v --color=auto", STAGE_NONE, COLOR_AUTO, false, NULL },
	{ "-v --color=yes", STAGE_NONE, COLOR_AUTO, false,
	  "--color: invalid value \"yes\"" },
	{ "--transcript-secrets", STAGE_NONE, COLOR_AUTO, false,
	  "--transcript-secrets goes with -v or --transcript=FILE" },
	{ "--transcript=t.log --transcript-secrets --transcript-body",
	  STAGE_NONE, COLOR_AUTO, false, NULL },
	{ "-v --transcript-body", STAGE_NONE, COLOR_AUTO, false, NULL },
	{ "--transcript=t.log -q", STAGE_NONE, COLOR_AUTO, false,
	  "--transcript goes with sending" },
	{ "--transcript=t.log --serverinfo", STAGE_NONE, COLOR_AUTO, false,
	  NULL },
	{ "--transcript-b", STAGE_NONE, COLOR_AUTO, false,
	  "options must be spelled out in full" },
};

START_TEST(test_debug_options)
{
	const struct debug_case *t = &debug_cases[_i];
	char store[256];
	struct cli c;
	struct err err;
	int ret;

	ret = parse(&c, "smtpsend", t->args, store, sizeof(store), &err);
	if (t->error != NULL) {
		ck_assert_msg(ret == -1, "\"%s\" accepted", t->args);
		ck_assert_int_eq(err.cls, ERR_USAGE);
		ck_assert_msg(strstr(err.text, t->error) != NULL,
			      "\"%s\": \"%s\" lacks \"%s\"", t->args, err.text,
			      t->error);
	} else {
		ck_assert_msg(ret == 0, "\"%s\": %s", t->args, err.text);
		ck_assert_int_eq(c.quit_after, t->quit_after);
		ck_assert_int_eq(c.color, t->color);
		ck_assert_int_eq(c.dry_run, t->dry_run);
	}
	cli_clear(&c);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");

	tcase_add_loop_test(tc, test_modes, 0,
			    sizeof(mode_cases) / sizeof(mode_cases[0]));
	tcase_add_loop_test(tc, test_options, 0,
			    sizeof(opt_cases) / sizeof(opt_cases[0]));
	tcase_add_loop_test(tc, test_queue, 0,
			    sizeof(queue_cases) / sizeof(queue_cases[0]));
	tcase_add_loop_test(tc, test_file_data, 0,
			    sizeof(file_cases) / sizeof(file_cases[0]));
	tcase_add_loop_test(tc, test_debug_options, 0,
			    sizeof(debug_cases) / sizeof(debug_cases[0]));
	tcase_add_test(tc, test_bare_settings);
	tcase_add_test(tc, test_q_forces);
	tcase_add_test(tc, test_msmtp_spellings);
	tcase_add_test(tc, test_usage_version);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
