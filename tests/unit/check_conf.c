/*
 * check_conf.c - unit tests for src/conf.c and src/account.c (the
 * msmtp-compatible configuration file and account layering).
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "account.h"
#include "conf.h"

#define RC "rc"

/* parse - conf_parse text (a C string) as file "rc". */
static int
parse(struct conf *c, const char *text, struct err *err)
{
	conf_init(c);
	err_clear(err);
	return conf_parse(c, RC, text, strlen(text), err);
}

/* find - conf_find that must succeed. */
static const struct account *
find(const struct conf *c, const char *name)
{
	const struct account *a = conf_find(c, name);

	ck_assert_msg(a != NULL, "account \"%s\" not found", name);
	return a;
}

/* layered - built-in defaults, then the account a (as main.c does). */
static struct account *
layered(const struct account *a)
{
	struct account *l = account_new(NULL);

	account_defaults(l);
	account_merge(l, a);
	return l;
}

/* ---- defaults and inheritance ---- */

START_TEST(test_defaults_inherited)
{
	static const char text[] =
		"defaults\n"                            /* 1 */
		"host mail.example.com\n"               /* 2 */
		"port 2525\n"                           /* 3 */
		"tls off\n"                             /* 4 */
		"\n"                                    /* 5 */
		"account a\n"                           /* 6 */
		"from a@example.com\n"                  /* 7 */
		"\n"                                    /* 8 */
		"account b\n"                           /* 9 */
		"host other.example.com\n";             /* 10 */
	struct conf c;
	struct err err;
	const struct account *a, *b;

	ck_assert_int_eq(parse(&c, text, &err), 0);
	ck_assert_int_eq(err.cls, ERR_NONE);
	ck_assert_uint_eq(c.n, 2);
	ck_assert_str_eq(c.path, RC);
	a = find(&c, "a");
	b = find(&c, "b");
	ck_assert_str_eq(c.accounts[0]->name, "a");
	ck_assert_str_eq(c.accounts[1]->name, "b");

	ck_assert_str_eq(a->host, "mail.example.com");
	ck_assert_int_eq(a->port, 2525);
	ck_assert(!a->tls);
	ck_assert_str_eq(a->from, "a@example.com");
	ck_assert(account_is_set(a, ACC_HOST));
	ck_assert(account_is_set(a, ACC_PORT));
	ck_assert(account_is_set(a, ACC_TLS));
	ck_assert(account_is_set(a, ACC_FROM));
	ck_assert(!account_is_set(a, ACC_AUTH));
	ck_assert(!account_is_set(a, ACC_TIMEOUT));
	ck_assert(!account_is_set(a, ACC_DOMAIN));
	ck_assert_str_eq(a->where[ACC_HOST], "rc:2");
	ck_assert_str_eq(a->where[ACC_PORT], "rc:3");
	ck_assert_str_eq(a->where[ACC_TLS], "rc:4");
	ck_assert_str_eq(a->where[ACC_FROM], "rc:7");

	ck_assert_str_eq(b->host, "other.example.com");
	ck_assert_str_eq(b->where[ACC_HOST], "rc:10");
	ck_assert_int_eq(b->port, 2525);
	ck_assert_ptr_null(b->from);
	ck_assert(!account_is_set(b, ACC_FROM));

	ck_assert_ptr_null(conf_find(&c, "c"));
	ck_assert_ptr_null(conf_find(&c, "A"));
	ck_assert_ptr_null(conf_default(&c));
	conf_clear(&c);
	ck_assert_uint_eq(c.n, 0);
	ck_assert_ptr_null(c.path);
}
END_TEST

/* Settings before any section go to the defaults; a later "defaults"
 * section only reaches the accounts that follow it. */
START_TEST(test_defaults_later_section)
{
	static const char text[] =
		"host first.example\n"
		"account a\n"
		"defaults\n"
		"host second.example\n"
		"timeout 30\n"
		"account b\n";
	struct conf c;
	struct err err;
	const struct account *a, *b;

	ck_assert_int_eq(parse(&c, text, &err), 0);
	a = find(&c, "a");
	b = find(&c, "b");
	ck_assert_str_eq(a->host, "first.example");
	ck_assert_str_eq(a->where[ACC_HOST], "rc:1");
	ck_assert_int_eq(a->timeout, 0);
	ck_assert(!account_is_set(a, ACC_TIMEOUT));
	ck_assert_str_eq(b->host, "second.example");
	ck_assert_str_eq(b->where[ACC_HOST], "rc:4");
	ck_assert_int_eq(b->timeout, 30);
	conf_clear(&c);
}
END_TEST

START_TEST(test_parent)
{
	static const char text[] =
		"account base\n"                        /* 1 */
		"host base.example\n"                   /* 2 */
		"port 25\n"                             /* 3 */
		"timeout 30\n"                          /* 4 */
		"\n"                                    /* 5 */
		"account child : base\n"                /* 6 */
		"port 2525\n"                           /* 7 */
		"\n"                                    /* 8 */
		"account other:base\n"                  /* 9 */
		"host other.example\n"                  /* 10 */
		"account both : child, other\n"         /* 11 */
		"account both2 : other , child\n"       /* 12 */
		"account grandchild : child\n";         /* 13 */
	struct conf c;
	struct err err;
	const struct account *base, *child, *other, *a;

	ck_assert_msg(parse(&c, text, &err) == 0, "%s", err.text);
	base = find(&c, "base");
	child = find(&c, "child");
	other = find(&c, "other");

	ck_assert_int_eq(base->port, 25);               /* unchanged */
	ck_assert_str_eq(base->where[ACC_PORT], "rc:3");

	ck_assert_str_eq(child->host, "base.example");
	ck_assert_str_eq(child->where[ACC_HOST], "rc:2");
	ck_assert_int_eq(child->port, 2525);            /* overridden */
	ck_assert_str_eq(child->where[ACC_PORT], "rc:7");
	ck_assert_int_eq(child->timeout, 30);
	ck_assert_str_eq(child->where[ACC_TIMEOUT], "rc:4");

	ck_assert_str_eq(other->host, "other.example");
	ck_assert_int_eq(other->port, 25);

	/* several parents: the later one wins where both set a field */
	a = find(&c, "both");
	ck_assert_str_eq(a->host, "other.example");
	ck_assert_str_eq(a->where[ACC_HOST], "rc:10");
	ck_assert_int_eq(a->port, 25);
	ck_assert_str_eq(a->where[ACC_PORT], "rc:3");
	a = find(&c, "both2");
	ck_assert_str_eq(a->host, "base.example");
	ck_assert_int_eq(a->port, 2525);

	a = find(&c, "grandchild");
	ck_assert_str_eq(a->host, "base.example");
	ck_assert_int_eq(a->port, 2525);
	ck_assert_int_eq(a->timeout, 30);
	conf_clear(&c);
}
END_TEST

/* A parent's settings override the defaults section; the account's own
 * settings override both. */
START_TEST(test_parent_over_defaults)
{
	static const char text[] =
		"defaults\n"
		"port 1000\n"
		"timeout 10\n"
		"account p\n"
		"port 2000\n"
		"account c : p\n"
		"timeout 20\n";
	struct conf c;
	struct err err;
	const struct account *a;

	ck_assert_int_eq(parse(&c, text, &err), 0);
	a = find(&c, "c");
	ck_assert_int_eq(a->port, 2000);
	ck_assert_int_eq(a->timeout, 20);
	ck_assert_str_eq(a->where[ACC_TIMEOUT], "rc:7");
	conf_clear(&c);
}
END_TEST

START_TEST(test_account_default)
{
	static const char text[] =
		"account work\n"                        /* 1 */
		"host work.example\n"                   /* 2 */
		"port 2525\n"                           /* 3 */
		"account home\n"                        /* 4 */
		"host home.example\n"                   /* 5 */
		"account default : work\n"              /* 6 */
		"port 999\n";                           /* 7 */
	struct conf c;
	struct err err;
	const struct account *d;

	ck_assert_int_eq(parse(&c, text, &err), 0);
	d = conf_default(&c);
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->host, "work.example");
	ck_assert_str_eq(d->where[ACC_HOST], "rc:2");
	ck_assert_int_eq(d->port, 999);
	ck_assert_str_eq(d->where[ACC_PORT], "rc:7");
	ck_assert_int_eq(find(&c, "work")->port, 2525);
	ck_assert_ptr_nonnull(c.default_name);
	ck_assert_str_eq(c.default_name, "work");
	conf_clear(&c);
	ck_assert_ptr_null(c.default_name);
}
END_TEST

/* "account default" without a colon is just an account. */
START_TEST(test_account_named_default)
{
	struct conf c;
	struct err err;
	const struct account *d;

	ck_assert_int_eq(parse(&c, "account default\nhost h\n", &err), 0);
	d = conf_default(&c);
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->host, "h");
	ck_assert_ptr_null(c.default_name);
	conf_clear(&c);
}
END_TEST

/* ---- lexical matters ---- */

START_TEST(test_comments_blank)
{
	static const char text[] =
		"# a comment\n"
		"   # an indented comment\n"
		"\t#\ttab\n"
		"\n"
		"   \n"
		"\t\n"
		"account a # a name cannot have blanks\n";
	static const char text2[] =
		"# only comments\n"
		"\n"
		"account a\n"
		"   host    h.example   \n"
		"#host other\n"
		"\tport\t25\t\n";
	struct conf c;
	struct err err;
	const struct account *a;

	/* a name with a blank is refused, with the right line number */
	ck_assert_int_eq(parse(&c, text, &err), -1);
	ck_assert_int_eq(err.cls, ERR_CONFIG);
	ck_assert_int_eq(strncmp(err.text, "rc:7: ", 6), 0);
	conf_clear(&c);

	ck_assert_int_eq(parse(&c, text2, &err), 0);
	a = find(&c, "a");
	ck_assert_str_eq(a->host, "h.example");
	ck_assert_str_eq(a->where[ACC_HOST], "rc:4");
	ck_assert_int_eq(a->port, 25);
	ck_assert_str_eq(a->where[ACC_PORT], "rc:6");
	conf_clear(&c);

	ck_assert_int_eq(parse(&c, "", &err), 0);
	ck_assert_uint_eq(c.n, 0);
	conf_clear(&c);
	ck_assert_int_eq(parse(&c, "# x", &err), 0);
	conf_clear(&c);
}
END_TEST

/*
 * Values: quoted and unquoted, with what each keeps.  A value is seen
 * either as the host it sets or, when the field refuses it, quoted
 * verbatim in the error message.
 */
static const struct value_case {
	const char *line;
	const char *host;       /* the host set, or NULL: an error */
	const char *needle;     /* in the error message */
} value_cases[] = {
	{ "host h.example", "h.example", NULL },
	{ "host h.example   ", "h.example", NULL },
	{ "host h.example \t ", "h.example", NULL },
	{ "host    h.example", "h.example", NULL },
	{ "host\th.example", "h.example", NULL },
	{ "host h.example\r", "h.example", NULL },
	{ "host \"h.example\"", "h.example", NULL },
	{ "host \"a\\\"b\"", "a\"b", NULL },
	{ "host \"a\\\\b\"", "a\\b", NULL },
	{ "host \"a\\\\\"", "a\\", NULL },
	{ "host \"a\\nb\"", "a\\nb", NULL },        /* other escapes kept */
	{ "host \"x\"  ", "x", NULL },
	{ "host \"x\"\r", "x", NULL },
	{ "host a\"b", "a\"b", NULL },
	{ "port \"  25  \"", NULL, "invalid port \"  25  \"" },
	{ "port \" 25\"", NULL, "invalid port \" 25\"" },
	{ "port 2 5", NULL, "invalid port \"2 5\"" },
	{ "port 25 # comment", NULL, "invalid port \"25 # comment\"" },
	{ "port \"#1\"", NULL, "invalid port \"#1\"" },
	{ "port \"a\\\"b\"", NULL, "invalid port \"a\"b\"" },
	{ "tls \" on\"", NULL, "invalid value \" on\"" },
};

START_TEST(test_values)
{
	const struct value_case *t = &value_cases[_i];
	char text[256];
	struct conf c;
	struct err err;
	int ret;

	snprintf(text, sizeof(text), "account a\n%s\n", t->line);
	ret = parse(&c, text, &err);
	if (t->host != NULL) {
		ck_assert_msg(ret == 0, "\"%s\": %s", t->line, err.text);
		ck_assert_str_eq(find(&c, "a")->host, t->host);
	} else {
		ck_assert_msg(ret == -1, "\"%s\" accepted", t->line);
		ck_assert_int_eq(strncmp(err.text, "rc:2: ", 6), 0);
		ck_assert_msg(strstr(err.text, t->needle) != NULL,
			      "message \"%s\" lacks \"%s\"", err.text,
			      t->needle);
	}
	conf_clear(&c);
}
END_TEST

/* The same values as accepted where a number is expected. */
START_TEST(test_values_port)
{
	static const char *const lines[] = {
		"port 25", "port 25   ", "port\t25\t", "port \"25\"",
		"port \"25\" ", "port 25\r",
	};
	char text[64];
	struct conf c;
	struct err err;
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		snprintf(text, sizeof(text), "account a\n%s\n", lines[i]);
		ck_assert_msg(parse(&c, text, &err) == 0, "\"%s\": %s",
			      lines[i], err.text);
		ck_assert_int_eq(find(&c, "a")->port, 25);
		conf_clear(&c);
	}
}
END_TEST

START_TEST(test_crlf)
{
	static const char text[] =
		"# comment\r\n"
		"\r\n"
		"account a\r\n"
		"host h.example\r\n"
		"port 25\r\n"
		"from \"me@example.com\"\r\n"
		"account b : a\r\n"
		"tls off\r\n";
	struct conf c;
	struct err err;
	const struct account *a, *b;

	ck_assert_msg(parse(&c, text, &err) == 0, "%s", err.text);
	a = find(&c, "a");
	b = find(&c, "b");
	ck_assert_str_eq(a->host, "h.example");
	ck_assert_int_eq(a->port, 25);
	ck_assert_str_eq(a->from, "me@example.com");
	ck_assert_str_eq(b->host, "h.example");
	ck_assert(!b->tls);
	ck_assert_str_eq(b->where[ACC_TLS], "rc:8");
	conf_clear(&c);

	ck_assert_int_eq(parse(&c, "account a\r\nport 0\r\n", &err), -1);
	ck_assert_int_eq(strncmp(err.text, "rc:2: ", 6), 0);
	conf_clear(&c);
}
END_TEST

/* The last line may lack its newline. */
START_TEST(test_no_final_newline)
{
	struct conf c;
	struct err err;

	ck_assert_int_eq(parse(&c, "account a\nhost h", &err), 0);
	ck_assert_str_eq(find(&c, "a")->host, "h");
	conf_clear(&c);
}
END_TEST

/* Every directive, with accepted values. */
START_TEST(test_directives)
{
	static const char text[] =
		"account a\n"
		"host h\n"
		"port 65535\n"
		"from a@example.com\n"
		"timeout 86400\n"
		"domain client.example\n"
		"tls off\n"
		"tls_starttls off\n"
		"auth plain\n"
		"account b\n"
		"port 1\n"
		"timeout off\n"
		"tls\n"
		"auth\n"
		"from \"\"\n"
		"connect_timeout 5\n"
		"account c\n"
		"timeout 1\n"
		"tls_starttls on\n"
		"auth off\n"
		"domain \"\"\n";
	struct conf c;
	struct err err;
	const struct account *a;

	ck_assert_msg(parse(&c, text, &err) == 0, "%s", err.text);
	a = find(&c, "a");
	ck_assert_str_eq(a->host, "h");
	ck_assert_int_eq(a->port, 65535);
	ck_assert_str_eq(a->from, "a@example.com");
	ck_assert_int_eq(a->timeout, 86400);
	ck_assert_str_eq(a->domain, "client.example");
	ck_assert(!a->tls);
	ck_assert(!a->tls_starttls);
	ck_assert_str_eq(a->auth, "plain");
	a = find(&c, "b");
	ck_assert_int_eq(a->port, 1);
	ck_assert_int_eq(a->timeout, 5);
	ck_assert_str_eq(a->where[ACC_TIMEOUT], "rc:16");
	ck_assert(a->tls);
	ck_assert(account_is_set(a, ACC_TLS));
	ck_assert_str_eq(a->auth, "on");
	ck_assert_str_eq(a->from, "");
	a = find(&c, "c");
	ck_assert_int_eq(a->timeout, 1);
	ck_assert(a->tls_starttls);
	ck_assert_str_eq(a->auth, "off");
	ck_assert_ptr_null(a->domain);
	ck_assert(account_is_set(a, ACC_DOMAIN));
	conf_clear(&c);
}
END_TEST

/* ---- errors ---- */

static const struct err_case {
	const char *text;
	const char *prefix;     /* "rc:LINE: " */
	const char *needle;
} err_cases[] = {
	{ "foo bar\n", "rc:1: ", "unknown directive \"foo\"" },
	{ "account a\n\nhots h\n", "rc:3: ", "unknown directive \"hots\"" },
	{ "Host h\n", "rc:1: ", "unknown directive \"Host\"" },
	{ "tls_strat on\n", "rc:1: ", "unknown directive \"tls_strat\"" },
	{ "\n\ntls_crl_file /x\n", "rc:3: ",
	  "directive \"tls_crl_file\" is not supported by this version" },
	{ "source_ip 1.2.3.4\n", "rc:1: ",
	  "directive \"source_ip\" is not supported" },
	{ "tls_fingerprint 12:34\n", "rc:1: ",
	  "tls_fingerprint: invalid fingerprint \"12:34\"" },
	{ "tls_min_version tls1.1\n", "rc:1: ",
	  "tls_min_version: invalid TLS version \"tls1.1\"" },
	{ "tls_certcheck maybe\n", "rc:1: ",
	  "tls_certcheck: invalid value \"maybe\"" },
	{ "tls_nocertcheck off\n", "rc:1: ",
	  "\"tls_nocertcheck\" takes no argument" },
	{ "user \"a\tb\"\n", "rc:1: ",
	  "user: invalid value \"a b\" (control characters are not "
	  "allowed)" },
	{ "logfile /x\n", "rc:1: ", "directive \"logfile\" is not supported" },
	{ "port 0\n", "rc:1: ", "port: invalid port \"0\"" },
	{ "port 65536\n", "rc:1: ", "port: invalid port \"65536\"" },
	{ "port abc\n", "rc:1: ", "port: invalid port \"abc\"" },
	{ "port 25x\n", "rc:1: ", "port: invalid port \"25x\"" },
	{ "port -1\n", "rc:1: ", "invalid port" },
	{ "port +25\n", "rc:1: ", "invalid port" },
	{ "port\n", "rc:1: ", "invalid port" },
	{ "port 99999999999999999999\n", "rc:1: ", "invalid port" },
	{ "port 2 5\n", "rc:1: ", "invalid port" },
	{ "timeout 0\n", "rc:1: ", "timeout: invalid timeout \"0\"" },
	{ "timeout abc\n", "rc:1: ", "invalid timeout" },
	{ "timeout 86401\n", "rc:1: ", "invalid timeout" },
	{ "timeout -5\n", "rc:1: ", "invalid timeout" },
	{ "timeout 10s\n", "rc:1: ", "invalid timeout" },
	{ "connect_timeout x\n", "rc:1: ", "connect_timeout: invalid timeout" },
	{ "tls yes\n", "rc:1: ", "tls: invalid value \"yes\"" },
	{ "tls ON\n", "rc:1: ", "invalid value \"ON\"" },
	{ "tls 1\n", "rc:1: ", "invalid value" },
	{ "tls_starttls maybe\n", "rc:1: ", "tls_starttls: invalid value" },
	{ "auth bogus\n", "rc:1: ", "unknown authentication method \"bogus\"" },
	{ "from not an address\n", "rc:1: ", "from: invalid address" },
	{ "domain a b\n", "rc:1: ", "invalid domain" },
	{ "host \"\"\n", "rc:1: ", "empty host name" },
	{ "host \"abc\n", "rc:1: ", "missing closing quote" },
	{ "host \"abc\\\"\n", "rc:1: ", "missing closing quote" },
	{ "host \"\n", "rc:1: ", "missing closing quote" },
	{ "host \"abc\"x\n", "rc:1: ",
	  "unexpected text after the closing quote" },
	{ "host \"a\" \"b\"\n", "rc:1: ",
	  "unexpected text after the closing quote" },
	{ "account\n", "rc:1: ", "account needs a name" },
	{ "account   \n", "rc:1: ", "account needs a name" },
	{ "account : x\n", "rc:1: ", "account needs a name" },
	{ "account a b\n", "rc:1: ", "contains a blank" },
	{ "account a\nhost h\naccount a\n", "rc:3: ",
	  "account \"a\" is defined twice" },
	{ "account a : nope\n", "rc:1: ", "account \"nope\" is not defined" },
	{ "account a : a\n", "rc:1: ", "account \"a\" is not defined" },
	{ "account a\naccount b : a, nope\n", "rc:2: ",
	  "account \"nope\" is not defined" },
	{ "account b : a\naccount a\n", "rc:1: ",
	  "account \"a\" is not defined" },
	{ "account default : work\naccount work\n", "rc:1: ",
	  "account \"work\" is not defined" },
	{ "defaults x\n", "rc:1: ", "\"defaults\" takes no argument" },
	{ "account a\naccount b\naccount default : a, b\n", "rc:3: ",
	  "\"account default :\" needs exactly one account name" },
	{ "account default :\n", "rc:1: ",
	  "\"account default :\" needs exactly one" },
	{ "account default :   \n", "rc:1: ",
	  "\"account default :\" needs exactly one" },
	{ "account a\naccount default : a\naccount default : a\n", "rc:3: ",
	  "account \"default\" is defined twice" },
	{ "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd "
	  "x\n", "rc:1: ", "unknown directive" },
};

START_TEST(test_errors)
{
	const struct err_case *t = &err_cases[_i];
	struct conf c;
	struct err err;

	ck_assert_msg(parse(&c, t->text, &err) == -1, "accepted: %s",
		      t->text);
	ck_assert_int_eq(err.cls, ERR_CONFIG);
	ck_assert_msg(strncmp(err.text, t->prefix, strlen(t->prefix)) == 0,
		      "message \"%s\" does not start with \"%s\"", err.text,
		      t->prefix);
	ck_assert_msg(strstr(err.text, t->needle) != NULL,
		      "message \"%s\" lacks \"%s\"", err.text, t->needle);
	conf_clear(&c);
}
END_TEST

/* The path is quoted as given. */
START_TEST(test_error_path)
{
	struct conf c;
	struct err err;
	static const char text[] = "account a\n\n\n\nbogus\n";

	conf_init(&c);
	err_clear(&err);
	ck_assert_int_eq(conf_parse(&c, "/home/u/.smtpsendrc", text,
				    strlen(text), &err), -1);
	ck_assert_str_eq(err.text,
			 "/home/u/.smtpsendrc:5: unknown directive \"bogus\"");
	conf_clear(&c);
}
END_TEST

/* A NUL byte (explicit length) is refused, with its line. */
START_TEST(test_nul_byte)
{
	static const char t1[] = "host a\0b\n";
	static const char t2[] = "account a\nhost a\0\n";
	static const char t3[] = "# comment \0 here\n";
	struct conf c;
	struct err err;

	conf_init(&c);
	err_clear(&err);
	ck_assert_int_eq(conf_parse(&c, RC, t1, sizeof(t1) - 1, &err), -1);
	ck_assert_int_eq(err.cls, ERR_CONFIG);
	ck_assert_int_eq(strncmp(err.text, "rc:1: ", 6), 0);
	ck_assert_ptr_nonnull(strstr(err.text, "NUL"));
	conf_clear(&c);

	err_clear(&err);
	ck_assert_int_eq(conf_parse(&c, RC, t2, sizeof(t2) - 1, &err), -1);
	ck_assert_int_eq(strncmp(err.text, "rc:2: ", 6), 0);
	conf_clear(&c);

	err_clear(&err);
	ck_assert_int_eq(conf_parse(&c, RC, t3, sizeof(t3) - 1, &err), -1);
	ck_assert_int_eq(strncmp(err.text, "rc:1: ", 6), 0);
	conf_clear(&c);
}
END_TEST

/* Only len bytes are parsed. */
START_TEST(test_explicit_length)
{
	static const char text[] = "account a\nhost h\nbogus\n";
	struct conf c;
	struct err err;

	conf_init(&c);
	err_clear(&err);
	ck_assert_int_eq(conf_parse(&c, RC, text, strlen("account a\nhost h\n"),
				    &err), 0);
	ck_assert_str_eq(find(&c, "a")->host, "h");
	conf_clear(&c);
}
END_TEST

/* Line length: CONF_LINE_MAX bytes are fine, one more is not. */
START_TEST(test_long_line)
{
	size_t vlen = CONF_LINE_MAX - strlen("host ");
	size_t tlen = strlen("account a\n") + CONF_LINE_MAX + 2 + 16;
	char *text = malloc(tlen);
	struct conf c;
	struct err err;
	size_t o;

	ck_assert_ptr_nonnull(text);
	o = (size_t)snprintf(text, tlen, "account a\nhost ");
	memset(text + o, 'h', vlen);
	o += vlen;
	text[o++] = '\n';
	text[o] = '\0';
	ck_assert_msg(parse(&c, text, &err) == 0, "%s", err.text);
	ck_assert_uint_eq(strlen(find(&c, "a")->host), vlen);
	conf_clear(&c);

	/* one byte more */
	o -= 1;
	text[o++] = 'h';
	text[o++] = '\n';
	text[o] = '\0';
	ck_assert_int_eq(parse(&c, text, &err), -1);
	ck_assert_int_eq(err.cls, ERR_CONFIG);
	ck_assert_msg(strncmp(err.text, "rc:2: ", 6) == 0, "%s", err.text);
	ck_assert_ptr_nonnull(strstr(err.text, "line longer than"));
	conf_clear(&c);

	/* a very long comment is refused too */
	free(text);
	text = malloc(2 * CONF_LINE_MAX);
	ck_assert_ptr_nonnull(text);
	memset(text, '#', 2 * CONF_LINE_MAX - 1);
	text[2 * CONF_LINE_MAX - 1] = '\0';
	ck_assert_int_eq(parse(&c, text, &err), -1);
	ck_assert_int_eq(strncmp(err.text, "rc:1: ", 6), 0);
	conf_clear(&c);
	free(text);
}
END_TEST

/* ---- conf_load ---- */

START_TEST(test_load)
{
	char path[] = "/tmp/check_conf.XXXXXX";
	static const char text[] = "account a\nhost h\nport 25\n";
	struct conf c;
	struct err err;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, sizeof(text) - 1),
			 (ssize_t)(sizeof(text) - 1));
	close(fd);
	conf_init(&c);
	err_clear(&err);
	ck_assert_msg(conf_load(&c, path, &err) == 0, "%s", err.text);
	ck_assert_str_eq(c.path, path);
	ck_assert_int_eq(find(&c, "a")->port, 25);
	conf_clear(&c);
	unlink(path);

	err_clear(&err);
	ck_assert_int_eq(conf_load(&c, path, &err), -1);
	ck_assert_int_eq(err.cls, ERR_CONFIG);
	ck_assert_ptr_nonnull(strstr(err.text, path));
	conf_clear(&c);
}
END_TEST

/* ---- account_port ---- */

static const struct port_case {
	bool tls;
	bool starttls;
	int port;       /* 0: not set */
	int expect;
} port_cases[] = {
	{ true, true, 0, 587 },
	{ true, false, 0, 465 },
	{ false, true, 0, 587 },
	{ false, false, 0, 587 },
	{ true, false, 25, 25 },
	{ true, true, 2525, 2525 },
	{ false, false, 465, 465 },
	{ false, true, 1, 1 },
};

START_TEST(test_port)
{
	const struct port_case *t = &port_cases[_i];
	struct account *a = account_new("a");
	struct err err;
	char v[16];

	account_defaults(a);
	ck_assert_int_eq(account_port(a), 587);
	ck_assert_int_eq(account_set(a, ACC_TLS, t->tls ? "on" : "off", "x",
				     &err), 0);
	ck_assert_int_eq(account_set(a, ACC_TLS_STARTTLS,
				     t->starttls ? "on" : "off", "x", &err), 0);
	if (t->port > 0) {
		snprintf(v, sizeof(v), "%d", t->port);
		ck_assert_int_eq(account_set(a, ACC_PORT, v, "x", &err), 0);
	}
	ck_assert_int_eq(account_port(a), t->expect);
	account_free(a);
}
END_TEST

/* The same through the file and the layers. */
START_TEST(test_port_from_conf)
{
	static const char text[] =
		"account smtps\ntls on\ntls_starttls off\n"
		"account sub\ntls on\n"
		"account explicit : smtps\nport 2465\n";
	struct conf c;
	struct err err;
	struct account *l;

	ck_assert_int_eq(parse(&c, text, &err), 0);
	l = layered(find(&c, "smtps"));
	ck_assert_int_eq(account_port(l), 465);
	account_free(l);
	l = layered(find(&c, "sub"));
	ck_assert_int_eq(account_port(l), 587);
	account_free(l);
	l = layered(find(&c, "explicit"));
	ck_assert_int_eq(account_port(l), 2465);
	account_free(l);
	conf_clear(&c);
}
END_TEST

/* ---- account_check ---- */

static const struct check_case {
	const char *text;       /* the file; account "a" is checked */
	int ret;
	const char *needle;
} check_cases[] = {
	{ "account a\ntls off\n", -1, "no host" },
	{ "account a\nhost h\ntls_key_file /k\n", -1,
	  "rc:3: tls_key_file needs tls_cert_file too" },
	{ "account a\nhost h\ntls_cert_file /c\n", -1,
	  "rc:3: tls_cert_file needs tls_key_file too" },
	{ "account a\nhost h\nauth external\n", -1,
	  "rc:3: auth external needs a client certificate" },
	{ "account a\nhost h\ntls off\nauth external\ntls_cert_file /c\n"
	  "tls_key_file /k\n", -1, "rc:4: auth external needs TLS" },
	{ "account a\nhost h\n", 0, NULL },
	{ "account a\nhost h\n\ntls on\n", 0, NULL },
	{ "account a\nhost h\ntls off\nauth on\n", 0, NULL },
	{ "account a\nhost h\nauth PLAIN\n", 0, NULL },
	{ "account a\nhost h\ntls off\n", 0, NULL },
	{ "account a\nhost h\ntls off\nauth off\n", 0, NULL },
	{ "defaults\nhost h\ntls off\naccount a\n", 0, NULL },
};

START_TEST(test_check)
{
	const struct check_case *t = &check_cases[_i];
	struct conf c;
	struct err err;
	struct account *l;

	ck_assert_msg(parse(&c, t->text, &err) == 0, "%s", err.text);
	l = layered(find(&c, "a"));
	err_clear(&err);
	ck_assert_int_eq(account_check(l, &err), t->ret);
	if (t->ret < 0) {
		ck_assert_int_eq(err.cls, ERR_CONFIG);
		ck_assert_msg(strstr(err.text, t->needle) != NULL,
			      "message \"%s\" lacks \"%s\"", err.text,
			      t->needle);
	}
	account_free(l);
	conf_clear(&c);
}
END_TEST

/* account_merge copies strings: the source may go away. */
START_TEST(test_merge_copies)
{
	struct account *src = account_new("s"), *dst = account_new("d");
	struct err err;

	ck_assert_int_eq(account_set(src, ACC_HOST, "h", "cli", &err), 0);
	ck_assert_int_eq(account_set(src, ACC_DOMAIN, "d.example", "cli",
				     &err), 0);
	account_merge(dst, src);
	account_free(src);
	ck_assert_str_eq(dst->host, "h");
	ck_assert_str_eq(dst->domain, "d.example");
	ck_assert_str_eq(dst->where[ACC_HOST], "cli");
	ck_assert(account_is_set(dst, ACC_HOST));
	ck_assert(!account_is_set(dst, ACC_PORT));
	ck_assert_str_eq(dst->name, "d");
	account_free(dst);
	account_free(NULL);
}
END_TEST

static Suite *
conf_suite(void)
{
	Suite *s = suite_create("conf");
	TCase *tc;

	tc = tcase_create("accounts");
	tcase_add_test(tc, test_defaults_inherited);
	tcase_add_test(tc, test_defaults_later_section);
	tcase_add_test(tc, test_parent);
	tcase_add_test(tc, test_parent_over_defaults);
	tcase_add_test(tc, test_account_default);
	tcase_add_test(tc, test_account_named_default);
	suite_add_tcase(s, tc);

	tc = tcase_create("syntax");
	tcase_add_test(tc, test_comments_blank);
	tcase_add_loop_test(tc, test_values, 0,
			    sizeof(value_cases) / sizeof(value_cases[0]));
	tcase_add_test(tc, test_values_port);
	tcase_add_test(tc, test_crlf);
	tcase_add_test(tc, test_no_final_newline);
	tcase_add_test(tc, test_directives);
	tcase_add_test(tc, test_explicit_length);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_loop_test(tc, test_errors, 0,
			    sizeof(err_cases) / sizeof(err_cases[0]));
	tcase_add_test(tc, test_error_path);
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_load);
	suite_add_tcase(s, tc);

	tc = tcase_create("account");
	tcase_add_loop_test(tc, test_port, 0,
			    sizeof(port_cases) / sizeof(port_cases[0]));
	tcase_add_test(tc, test_port_from_conf);
	tcase_add_loop_test(tc, test_check, 0,
			    sizeof(check_cases) / sizeof(check_cases[0]));
	tcase_add_test(tc, test_merge_copies);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(conf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
