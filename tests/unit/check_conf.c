/*
 * check_conf.c - unit tests for src/conf.c and src/account.c (the
 * msmtp-compatible configuration file and account layering).
 */
#include <config.h>

#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "account.h"
#include "conf.h"
#include "pattern.h"
#include "util.h"

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
 * either as the user name it sets or, when the field refuses it, quoted
 * verbatim in the error message.
 */
static const struct value_case {
	const char *line;
	const char *user;       /* the user set, or NULL: an error */
	const char *needle;     /* in the error message */
} value_cases[] = {
	{ "user h.example", "h.example", NULL },
	{ "user h.example   ", "h.example", NULL },
	{ "user h.example \t ", "h.example", NULL },
	{ "user    h.example", "h.example", NULL },
	{ "user\th.example", "h.example", NULL },
	{ "user h.example\r", "h.example", NULL },
	{ "user \"h.example\"", "h.example", NULL },
	{ "user \"a\\\"b\"", "a\"b", NULL },
	{ "user \"a\\\\b\"", "a\\b", NULL },
	{ "user \"a\\\\\"", "a\\", NULL },
	{ "user \"a\\nb\"", "a\\nb", NULL },        /* other escapes kept */
	{ "user \"x\"  ", "x", NULL },
	{ "user \"x\"\r", "x", NULL },
	{ "user a\"b", "a\"b", NULL },
	{ "port \"  25  \"", NULL, "invalid port \"  25  \"" },
	{ "port \" 25\"", NULL, "invalid port \" 25\"" },
	{ "port 2 5", NULL, "invalid port \"2 5\"" },
	{ "port 25 # comment", NULL, "invalid port \"25 # comment\"" },
	{ "port \"#1\"", NULL, "invalid port \"#1\"" },
	{ "port \"a\\\"b\"", NULL, "invalid port \"a\"b\"" },
	{ "tls \" on\"", NULL, "invalid value \" on\"" },
	/* a host name that cannot name a server is a configuration error,
	 * not days of retries */
	{ "host a..b", NULL, "invalid host name \"a..b\": it has an empty "
	  "label" },
	{ "host -a.example", NULL, "a label starts or ends with '-'" },
	{ "host a_b!.example", NULL, "a character that no host name has" },
	{ "host aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  ".example", NULL, "a label is longer than 63 bytes" },
	{ "fallback_hosts b.example a..b", NULL, "invalid host name" },
	{ "tls_host_override x..y", NULL, "invalid host name" },
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
	if (t->user != NULL) {
		ck_assert_msg(ret == 0, "\"%s\": %s", t->line, err.text);
		ck_assert_str_eq(find(&c, "a")->user, t->user);
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
		/* msmtp's, accepted: NTLM and SSLv3 never */
		"protocol smtp\n"
		"ntlmdomain EXAMPLE\n"
		"tls_force_sslv3 on\n"
		"from \"\"\n"
		"connect_timeout 5\n"
		"account c\n"
		"timeout 1\n"
		"tls_starttls on\n"
		"auth off\n"
		"domain \"\"\n"
		"protocol lmtp\n";
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
	ck_assert_str_eq(account_auth_name(a->auth), "plain");
	a = find(&c, "b");
	ck_assert_int_eq(a->port, 1);
	ck_assert_int_eq(a->timeout, 5);
	ck_assert_str_eq(a->where[ACC_TIMEOUT], "rc:19");
	ck_assert_int_eq(a->protocol, PROTO_SMTP);
	ck_assert(account_is_set(a, ACC_PROTOCOL));
	ck_assert(a->tls);
	ck_assert(account_is_set(a, ACC_TLS));
	ck_assert_str_eq(account_auth_name(a->auth), "on");
	ck_assert_str_eq(a->from, "");
	a = find(&c, "c");
	ck_assert_int_eq(a->timeout, 1);
	ck_assert(a->tls_starttls);
	ck_assert_str_eq(account_auth_name(a->auth), "off");
	ck_assert_ptr_null(a->domain);
	ck_assert(account_is_set(a, ACC_DOMAIN));
	ck_assert_int_eq(a->protocol, PROTO_LMTP);
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
	{ "\n\nsocket \"/run/a\tb\"\n", "rc:3: ",
	  "socket: invalid value \"/run/a b\" (control characters" },
	/* -4 and -6 are options only */
	{ "ip_family ipv4\n", "rc:1: ", "unknown directive \"ip_family\"" },
	{ "tls_min_dh_prime_bits 100\n", "rc:1: ",
	  "tls_min_dh_prime_bits: invalid number \"100\" (expected 512 to "
	  "16384)" },
	{ "source_ip 1.2.3.x\n", "rc:1: ",
	  "source_ip: invalid IP address \"1.2.3.x\"" },
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
	{ "proxy_host \"p q\"\n", "rc:1: ",
	  "proxy_host: invalid value \"p q\" (control characters and spaces" },
	{ "auto_from maybe\n", "rc:1: ",
	  "auto_from: invalid value \"maybe\" (expected on or off)" },
	{ "proxy_port 0\n", "rc:1: ",
	  "proxy_port: invalid number \"0\" (expected 1 to 65535)" },
	{ "protocol esmtp\n", "rc:1: ",
	  "protocol: invalid value \"esmtp\" (expected smtp or lmtp)" },
	{ "auth ntlm\n", "rc:1: ", "auth: NTLM is obsolete and not supported" },
	{ "auth DIGEST-MD5\n", "rc:1: ",
	  "auth: DIGEST-MD5 is obsolete (RFC 6331) and not supported" },
	{ "eval\n", "rc:1: ", "eval needs a command" },
	{ "\ninclude\n", "rc:2: ", "include needs a file or directory" },
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

/*
 * Lines of any length (OAuth tokens, long passwordeval commands): a
 * directive with a 100 KiB value, or a 100 KiB comment, is read whole.
 */
#define LONG_VALUE (100 * 1024)

static const char *const long_directives[] = {
	"password", "passwordeval", "user", "from_full_name", "#",
	"tls_priorities",
};

START_TEST(test_long_line)
{
	const char *dir = long_directives[_i];
	size_t tlen = strlen("account a\n") + strlen(dir) + 1 + LONG_VALUE
		      + strlen("\nport 25\n") + 1;
	char *text = malloc(tlen);
	struct conf c;
	struct err err;
	const struct account *a;
	size_t o;

	ck_assert_ptr_nonnull(text);
	o = (size_t)snprintf(text, tlen, "account a\n%s ", dir);
	memset(text + o, 'x', LONG_VALUE);
	o += LONG_VALUE;
	snprintf(text + o, tlen - o, "\nport 25\n");
	ck_assert_msg(parse(&c, text, &err) == 0, "%s: %s", dir, err.text);
	a = find(&c, "a");
	ck_assert_int_eq(a->port, 25);
	ck_assert_str_eq(a->where[ACC_PORT], "rc:3");
	if (strcmp(dir, "password") == 0)
		ck_assert_uint_eq(strlen(a->password), LONG_VALUE);
	else if (strcmp(dir, "passwordeval") == 0)
		ck_assert_uint_eq(strlen(a->passwordeval), LONG_VALUE);
	else if (strcmp(dir, "user") == 0)
		ck_assert_uint_eq(strlen(a->user), LONG_VALUE);
	else if (strcmp(dir, "from_full_name") == 0)
		ck_assert_uint_eq(strlen(a->from_full_name), LONG_VALUE);
	else if (strcmp(dir, "tls_priorities") == 0)
		ck_assert_uint_eq(strlen(a->tls_priorities), LONG_VALUE);
	conf_clear(&c);

	/* errors still name the right line: the long line itself (made a
	 * port), or the one after a long comment */
	if (strcmp(dir, "#") != 0) {
		o = (size_t)snprintf(text, tlen, "account a\nport ");
		memset(text + o, '1', LONG_VALUE);
		ck_assert_int_eq(parse(&c, text, &err), -1);
		ck_assert_msg(strncmp(err.text, "rc:2: port: invalid port \"11",
				      28) == 0, "%s", err.text);
	} else {
		memcpy(text + o + 1, "bogus", 5);
		ck_assert_int_eq(parse(&c, text, &err), -1);
		ck_assert_str_eq(err.text, "rc:3: unknown directive "
				 "\"bogus25\"");
	}
	conf_clear(&c);
	free(text);
}
END_TEST

/* A quoted 100 KiB value, and a 1 MiB line, through conf_load. */
START_TEST(test_long_line_load)
{
	char path[] = "/tmp/check_conf.XXXXXX";
	size_t vlen = 1024 * 1024, tlen = vlen + 64, o;
	char *text = malloc(tlen);
	struct conf c;
	struct err err;
	int fd = mkstemp(path);

	ck_assert_ptr_nonnull(text);
	ck_assert_int_ge(fd, 0);
	o = (size_t)snprintf(text, tlen, "account a\npasswordeval \"");
	memset(text + o, 'y', vlen);
	o += vlen;
	o += (size_t)snprintf(text + o, tlen - o, "\"\nhost h\n");
	ck_assert_int_eq(write(fd, text, o), (ssize_t)o);
	close(fd);
	conf_init(&c);
	err_clear(&err);
	ck_assert_msg(conf_load(&c, path, &err) == 0, "%s", err.text);
	ck_assert_uint_eq(strlen(find(&c, "a")->passwordeval), vlen);
	ck_assert_str_eq(find(&c, "a")->host, "h");
	conf_clear(&c);
	unlink(path);
	free(text);
}
END_TEST

/* ---- eval (with a fake runner) ---- */

static const struct fake_cmd {
	const char *cmd;
	const char *out;        /* the first line */
	int status;             /* non-zero: the command fails */
} fake_cmds[] = {
	{ "echo host smtp.example.org", "host smtp.example.org", 0 },
	{ "echo port 2525", "port 2525", 0 },
	{ "get-account", "account b : a", 0 },
	{ "nothing", "", 0 },
	{ "comment", "# a comment", 0 },
	{ "blanks", " \t host  spaced.example \r", 0 },
	{ "quoted", "password \"a b # c\"", 0 },
	{ "defaults", "defaults", 0 },
	{ "again", "eval echo host x", 0 },
	{ "again-indented", "  eval", 0 },
	{ "bogus", "bogus value", 0 },
	{ "badport", "port 0", 0 },
	{ "unsupported", "ip_family ipv6", 0 },
	{ "badquote", "host \"abc", 0 },
	{ "pass a\"b", "user q", 0 },
	{ "false", "", 1 },
	{ "exit 3", "host never", 3 },
};

struct fake_log {
	int calls;
	char last[128];
};

static int
fake_eval(const char *cmd, struct buf *out, void *arg, struct err *err)
{
	struct fake_log *log = arg;
	size_t i;

	ck_assert_uint_eq(out->len, 0);
	log->calls++;
	snprintf(log->last, sizeof(log->last), "%s", cmd);
	for (i = 0; i < sizeof(fake_cmds) / sizeof(fake_cmds[0]); i++) {
		if (strcmp(cmd, fake_cmds[i].cmd) != 0)
			continue;
		if (fake_cmds[i].status != 0) {
			err_set(err, ERR_CONFIG, false,
				"command failed (exit status %d): %s",
				fake_cmds[i].status, cmd);
			return -1;
		}
		ck_assert_int_eq(buf_append_str(out, fake_cmds[i].out), 0);
		return 0;
	}
	ck_abort_msg("unexpected eval command \"%s\"", cmd);
	return -1;
}

static const struct eval_case {
	const char *text;       /* account "a" is checked */
	const char *error;      /* the whole message, NULL: accepted */
	const char *host;       /* a's host, NULL: not set */
	int port;               /* a's port, 0: not set */
	const char *host_where;
	int calls;              /* commands run */
	const char *last;       /* the last command */
} eval_cases[] = {
	{ "account a\neval echo host smtp.example.org\n", NULL,
	  "smtp.example.org", 0, "rc:2", 1, "echo host smtp.example.org" },
	{ "account a\n  eval   echo host smtp.example.org  \r\n", NULL,
	  "smtp.example.org", 0, "rc:2", 1, "echo host smtp.example.org" },
	{ "account a\neval \"echo host smtp.example.org\"\n", NULL,
	  "smtp.example.org", 0, "rc:2", 1, "echo host smtp.example.org" },
	{ "account a\neval \"pass a\\\"b\"\n", NULL, NULL, 0, NULL, 1,
	  "pass a\"b" },
	/* the output is parsed in place: in a's section, or the defaults */
	{ "eval echo port 2525\naccount a\n", NULL, NULL, 2525, NULL, 1,
	  "echo port 2525" },
	{ "account z\neval defaults\neval echo port 2525\naccount a\n", NULL,
	  NULL, 2525, NULL, 2, "echo port 2525" },
	{ "account a\nhost h\neval get-account\nport 25\n", NULL, "h", 0,
	  "rc:2", 1, "get-account" },
	{ "account a\neval nothing\neval comment\n", NULL, NULL, 0, NULL, 2,
	  "comment" },
	{ "account a\neval blanks\n", NULL, "spaced.example", 0, "rc:2", 1,
	  "blanks" },
	{ "account a\neval quoted\n", NULL, NULL, 0, NULL, 1, "quoted" },
	{ "# eval false\naccount a\n", NULL, NULL, 0, NULL, 0, "" },
	/* errors */
	{ "account a\n\neval false\n",
	  "rc:3: eval: command failed (exit status 1): false", NULL, 0, NULL,
	  1, "false" },
	{ "eval exit 3\n", "rc:1: eval: command failed (exit status 3): exit 3",
	  NULL, 0, NULL, 1, "exit 3" },
	{ "account a\neval again\n",
	  "rc:2: eval: the output of the command is another eval", NULL, 0,
	  NULL, 1, "again" },
	{ "eval again-indented\n",
	  "rc:1: eval: the output of the command is another eval", NULL, 0,
	  NULL, 1, "again-indented" },
	{ "eval\n", "rc:1: eval needs a command", NULL, 0, NULL, 0, "" },
	{ "eval \"\"\n", "rc:1: eval needs a command", NULL, 0, NULL, 0, "" },
	{ "account a\neval bogus\n", "rc:2: unknown directive \"bogus\"", NULL,
	  0, NULL, 1, "bogus" },
	{ "account a\neval badport\n", "rc:2: port: invalid port \"0\" "
	  "(expected 1 to 65535)", NULL, 0, NULL, 1, "badport" },
	{ "eval unsupported\n", "rc:1: unknown directive \"ip_family\"", NULL,
	  0, NULL, 1, "unsupported" },
	{ "eval badquote\n", "rc:1: missing closing quote", NULL, 0, NULL, 1,
	  "badquote" },
	{ "eval \"unclosed\n", "rc:1: missing closing quote", NULL, 0, NULL, 0,
	  "" },
};

START_TEST(test_eval)
{
	const struct eval_case *t = &eval_cases[_i];
	struct fake_log log = { 0, "" };
	struct conf c;
	struct err err;
	int ret;

	conf_init(&c);
	ck_assert_ptr_eq(c.eval, conf_eval_command);
	c.eval = fake_eval;
	c.eval_arg = &log;
	err_clear(&err);
	ret = conf_parse(&c, RC, t->text, strlen(t->text), &err);
	ck_assert_int_eq(log.calls, t->calls);
	ck_assert_str_eq(log.last, t->last);
	if (t->error != NULL) {
		ck_assert_msg(ret == -1, "accepted: %s", t->text);
		ck_assert_int_eq(err.cls, ERR_CONFIG);
		ck_assert_str_eq(err.text, t->error);
	} else {
		const struct account *a;

		ck_assert_msg(ret == 0, "%s: %s", t->text, err.text);
		a = find(&c, "a");
		if (t->host != NULL) {
			ck_assert_str_eq(a->host, t->host);
			ck_assert_str_eq(a->where[ACC_HOST], t->host_where);
		} else {
			ck_assert(!account_is_set(a, ACC_HOST));
		}
		ck_assert_int_eq(a->port, t->port);
	}
	conf_clear(&c);
	/* the hook survives conf_clear */
	ck_assert_ptr_eq(c.eval, fake_eval);
	ck_assert_ptr_eq(c.eval_arg, &log);
}
END_TEST

/* What an eval line sets: an account, a password (a secret file). */
START_TEST(test_eval_effects)
{
	static const char text[] =
		"account a\n"
		"host h\n"
		"eval get-account\n"            /* account b : a */
		"eval echo port 2525\n"
		"eval quoted\n";
	struct fake_log log = { 0, "" };
	struct conf c;
	struct err err;
	const struct account *b;

	conf_init(&c);
	c.eval = fake_eval;
	c.eval_arg = &log;
	err_clear(&err);
	ck_assert_msg(conf_parse(&c, RC, text, strlen(text), &err) == 0, "%s",
		      err.text);
	ck_assert_uint_eq(c.n, 2);
	b = find(&c, "b");
	ck_assert_str_eq(b->host, "h");
	ck_assert_int_eq(b->port, 2525);
	ck_assert_str_eq(b->where[ACC_PORT], "rc:4");
	ck_assert_str_eq(b->password, "a b # c");
	ck_assert_str_eq(b->where[ACC_PASSWORD], "rc:5");
	ck_assert(c.has_password);
	ck_assert(!account_is_set(find(&c, "a"), ACC_PORT));
	conf_clear(&c);
}
END_TEST

/* ---- eval (the real runner) ---- */

static const struct run_case {
	const char *cmd;
	const char *out;        /* NULL: an error */
	const char *error;      /* the whole message */
} run_cases[] = {
	{ "echo host smtp.example.org", "host smtp.example.org", NULL },
	{ "printf 'first\\nsecond\\n'", "first", NULL },
	{ "printf 'no newline'", "no newline", NULL },
	{ "printf '\\nsecond\\n'", "", NULL },
	{ "true", "", NULL },
	{ "echo out; echo err >&2", "out", NULL },
	/* standard input is /dev/null: read sees the end at once */
	{ "read line; echo \"read:$?:$line\"", "read:1:", NULL },
	{ "cat; echo done", "done", NULL },
	/* more output than is kept, the first line short */
	{ "echo first; head -c 200000 /dev/zero", "first", NULL },
	{ "echo first; yes", "first", NULL },
	{ "head -c 65535 /dev/zero | tr '\\0' a; echo; echo b",
	  NULL /* checked by length */, NULL },
	{ "false", NULL, "command failed (exit status 1)" },
	{ "echo host h; exit 3", NULL,
	  "command failed (exit status 3)" },
	{ "smtpsend-no-such-command 2>/dev/null", NULL,
	  "command failed (exit status 127: command not found)" },
	{ "kill -TERM $$", NULL, "command killed by signal 15" },
	{ "head -c 70000 /dev/zero | tr '\\0' a", NULL,
	  "the first line of the output is longer than 65536 bytes" },
};

START_TEST(test_eval_command)
{
	const struct run_case *t = &run_cases[_i];
	struct buf out;
	struct err err;
	int ret, saved, null;

	buf_init(&out, CONF_EVAL_MAX);
	err_clear(&err);
	/* the commands' standard error is ours: keep the test output clean */
	fflush(stderr);
	saved = dup(2);
	null = open("/dev/null", O_WRONLY);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_ge(null, 0);
	ck_assert_int_eq(dup2(null, 2), 2);
	ret = conf_eval_command(t->cmd, &out, NULL, &err);
	ck_assert_int_eq(dup2(saved, 2), 2);
	close(saved);
	close(null);
	if (t->error != NULL) {
		ck_assert_msg(ret == -1, "accepted: %s", t->cmd);
		ck_assert_int_eq(err.cls, ERR_CONFIG);
		ck_assert_str_eq(err.text, t->error);
	} else {
		ck_assert_msg(ret == 0, "%s: %s", t->cmd, err.text);
		if (t->out != NULL) {
			ck_assert_str_eq(buf_str(&out), t->out);
		} else {
			ck_assert_uint_eq(out.len, 65535);
			ck_assert_uint_eq(strspn(buf_str(&out), "a"), 65535);
		}
	}
	buf_clear(&out);
}
END_TEST

/* The real runner is the default, through conf_parse. */
START_TEST(test_eval_real)
{
	static const char text[] =
		"account a\n"
		"eval echo host smtp.example.org\n"
		"eval printf 'port 2525\\nport 1\\n'\n"
		"eval exit 4\n";
	struct conf c;
	struct err err;

	conf_init(&c);
	err_clear(&err);
	ck_assert_int_eq(conf_parse(&c, RC, text, strlen(text), &err), -1);
	ck_assert_str_eq(err.text,
			 "rc:4: eval: command failed (exit status 4)");
	ck_assert_str_eq(find(&c, "a")->host, "smtp.example.org");
	ck_assert_int_eq(find(&c, "a")->port, 2525);
	conf_clear(&c);
}
END_TEST

/* ---- include ---- */

static char tmpdir[64];

static void
make_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_conf.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
remove_tmpdir(void)
{
	ck_assert_int_eq(nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* tmp - tmpdir "/" name, in a static buffer (one of four, in turn). */
static const char *
tmp(const char *name)
{
	static char paths[4][256];
	static int next;
	char *p = paths[next++ % 4];

	snprintf(p, sizeof(paths[0]), "%s/%s", tmpdir, name);
	return p;
}

/* in_tmpdir - pattern with every "@" replaced by tmpdir. */
static void
in_tmpdir(char *out, size_t n, const char *pattern)
{
	size_t o = 0;

	for (; *pattern && o + 1 < n; pattern++) {
		if (*pattern == '@')
			o += (size_t)snprintf(out + o, n - o, "%s", tmpdir);
		else
			out[o++] = *pattern;
		ck_assert_uint_lt(o, n);
	}
	out[o] = '\0';
}

/* put - write the file tmpdir/name with mode. */
static void
put(const char *name, const char *text, mode_t mode)
{
	const char *path = tmp(name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	size_t len = strlen(text);

	ck_assert_msg(fd >= 0, "%s", path);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
}

static void
put_dir(const char *name)
{
	ck_assert_int_eq(mkdir(tmp(name), 0700), 0);
}

/* load - conf_load tmpdir/name. */
static int
load(struct conf *c, const char *name, struct err *err)
{
	conf_init(c);
	err_clear(err);
	return conf_load(c, tmp(name), err);
}

START_TEST(test_include_file)
{
	struct conf c;
	struct err err;
	const struct account *a, *b, *d;
	char where[256];

	make_tmpdir();
	put("rc",
	    "account a\n"                       /* 1 */
	    "host a.example\n"                  /* 2 */
	    "include inc.conf\n"                /* 3 */
	    "port 25\n"                         /* 4: still a's section */
	    "account d : b\n", 0644);           /* 5: b from inc.conf */
	put("inc.conf",
	    "# settings before a section: the defaults\n"
	    "timeout 30\n"                      /* 2 */
	    "account b\n"                       /* 3 */
	    "host b.example\n", 0644);          /* 4 */
	ck_assert_msg(load(&c, "rc", &err) == 0, "%s", err.text);
	ck_assert_str_eq(c.path, tmp("rc"));
	ck_assert_uint_eq(c.n, 3);
	a = find(&c, "a");
	b = find(&c, "b");
	d = find(&c, "d");
	ck_assert_str_eq(c.accounts[1]->name, "b");
	ck_assert_int_eq(a->port, 25);
	ck_assert_str_eq(a->host, "a.example");
	ck_assert(!account_is_set(a, ACC_TIMEOUT));  /* defined before */
	ck_assert(!account_is_set(b, ACC_PORT));
	ck_assert_int_eq(b->timeout, 30);
	snprintf(where, sizeof(where), "%s:2", tmp("inc.conf"));
	ck_assert_str_eq(b->where[ACC_TIMEOUT], where);
	snprintf(where, sizeof(where), "%s:4", tmp("inc.conf"));
	ck_assert_str_eq(b->where[ACC_HOST], where);
	ck_assert_str_eq(d->host, "b.example");
	ck_assert_int_eq(d->timeout, 30);       /* the defaults, too */
	ck_assert(!c.has_password);
	conf_clear(&c);
	remove_tmpdir();
}
END_TEST

/* "defaults" in an included file reach the accounts defined after it in
 * any file; the including file stays in its section. */
START_TEST(test_include_defaults)
{
	struct conf c;
	struct err err;

	make_tmpdir();
	put("rc",
	    "defaults\n"
	    "port 1\n"
	    "account early\n"
	    "include common.conf\n"
	    "tls off\n"                         /* early's */
	    "account late\n", 0644);
	put("common.conf",
	    "account other\n"
	    "defaults\n"
	    "port 2\n"
	    "auth on\n", 0644);
	ck_assert_msg(load(&c, "rc", &err) == 0, "%s", err.text);
	ck_assert_int_eq(find(&c, "early")->port, 1);
	ck_assert(!find(&c, "early")->tls);
	ck_assert(!account_is_set(find(&c, "early"), ACC_AUTH));
	ck_assert_int_eq(find(&c, "other")->port, 1);
	ck_assert_int_eq(find(&c, "late")->port, 2);
	ck_assert_str_eq(account_auth_name(find(&c, "late")->auth), "on");
	ck_assert(!account_is_set(find(&c, "late"), ACC_TLS));
	conf_clear(&c);
	remove_tmpdir();
}
END_TEST

/* A directory: its *.conf files in strcmp order, nothing else. */
START_TEST(test_include_dir)
{
	struct conf c;
	struct err err;
	char where[256];

	make_tmpdir();
	put_dir("rc.d");
	put_dir("rc.d/sub.conf");
	put("rc", "include rc.d\naccount last\n", 0644);
	put("rc.d/b.conf", "defaults\nport 2\naccount b\n", 0644);
	put("rc.d/a.conf", "defaults\nport 1\naccount a\n", 0644);
	put("rc.d/B.conf", "defaults\nport 3\naccount B\n", 0644);
	put("rc.d/.hidden.conf", "bogus\n", 0644);
	put("rc.d/.conf", "bogus\n", 0644);
	put("rc.d/notes.txt", "bogus\n", 0644);
	put("rc.d/c.conf~", "bogus\n", 0644);
	put("rc.d/sub.conf/x.conf", "bogus\n", 0644);
	ck_assert_msg(load(&c, "rc", &err) == 0, "%s", err.text);
	ck_assert_uint_eq(c.n, 4);
	ck_assert_str_eq(c.accounts[0]->name, "B");
	ck_assert_str_eq(c.accounts[1]->name, "a");
	ck_assert_str_eq(c.accounts[2]->name, "b");
	ck_assert_str_eq(c.accounts[3]->name, "last");
	ck_assert_int_eq(find(&c, "B")->port, 3);
	ck_assert_int_eq(find(&c, "a")->port, 1);
	ck_assert_int_eq(find(&c, "last")->port, 2);
	snprintf(where, sizeof(where), "%s:2", tmp("rc.d/b.conf"));
	ck_assert_str_eq(find(&c, "last")->where[ACC_PORT], where);
	conf_clear(&c);

	/* a trailing slash, an empty directory */
	put("rc2", "include rc.d/\ninclude empty\n", 0644);
	put_dir("empty");
	ck_assert_msg(load(&c, "rc2", &err) == 0, "%s", err.text);
	ck_assert_uint_eq(c.n, 3);
	snprintf(where, sizeof(where), "%s:2", tmp("rc.d/b.conf"));
	ck_assert_str_eq(find(&c, "b")->where[ACC_PORT], where);
	conf_clear(&c);
	remove_tmpdir();
}
END_TEST

/* Relative to the including file; "~/"; absolute; quoted. */
START_TEST(test_include_paths)
{
	struct conf c;
	struct err err;
	char text[512];
	char *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;

	make_tmpdir();
	put_dir("d");
	put_dir("d/e");
	put_dir("with blank");
	snprintf(text, sizeof(text),
		 "include d/one.conf\n"
		 "include ~/home.conf\n"
		 "include %s\n"
		 "include \"with blank/x.conf\"\n", tmp("abs.conf"));
	put("rc", text, 0644);
	put("d/one.conf", "account one\ninclude e/two.conf\n", 0644);
	put("d/e/two.conf", "account two\ninclude ../../three.conf\n", 0644);
	put("three.conf", "account three\n", 0644);
	put("home.conf", "account home\n", 0644);
	put("abs.conf", "account abs\n", 0644);
	put("with blank/x.conf", "account blank\n", 0644);
	ck_assert_int_eq(setenv("HOME", tmpdir, 1), 0);
	ck_assert_msg(load(&c, "rc", &err) == 0, "%s", err.text);
	ck_assert_uint_eq(c.n, 6);
	find(&c, "one");
	find(&c, "two");
	find(&c, "three");
	find(&c, "home");
	find(&c, "abs");
	find(&c, "blank");
	conf_clear(&c);

	/* conf_parse: relative to the directory of the path given */
	conf_init(&c);
	err_clear(&err);
	snprintf(text, sizeof(text), "include d/one.conf\n");
	ck_assert_msg(conf_parse(&c, tmp("rc"), text, strlen(text), &err)
		      == 0, "%s", err.text);
	ck_assert_uint_eq(c.n, 3);
	conf_clear(&c);

	/* "~/" with HOME unset: the home of the passwd entry */
	ck_assert_int_eq(unsetenv("HOME"), 0);
	ck_assert_int_eq(load(&c, "rc", &err), -1);
	if (util_passwd_home() != NULL)
		snprintf(text, sizeof(text), "%s:2: include: cannot open "
			 "%s/home.conf: No such file or directory", tmp("rc"),
			 util_passwd_home());
	else
		snprintf(text, sizeof(text), "%s:2: include: cannot expand "
			 "\"~\": HOME is not set and the passwd entry has no "
			 "home", tmp("rc"));
	ck_assert_str_eq(err.text, text);
	conf_clear(&c);
	if (home != NULL)
		ck_assert_int_eq(setenv("HOME", home, 1), 0);
	free(home);
	remove_tmpdir();
}
END_TEST

/*
 * Include errors: "file" is included by rc (line 2) and holds text; the
 * message has "@" for tmpdir.
 */
static const struct include_err_case {
	const char *rc;         /* tmpdir/rc */
	const char *inc;        /* tmpdir/inc.conf, NULL: none */
	mode_t inc_mode;
	const char *error;      /* "@" is tmpdir */
} include_err_cases[] = {
	{ "account a\ninclude missing.conf\n", NULL, 0,
	  "@/rc:2: include: cannot open @/missing.conf: No such file or "
	  "directory" },
	{ "account a\ninclude inc.conf/x\n", "", 0644,
	  "@/rc:2: include: cannot open @/inc.conf/x: Not a directory" },
	{ "include /dev/null\n", NULL, 0,
	  "@/rc:1: include: /dev/null is neither a file nor a directory" },
	{ "include\n", NULL, 0, "@/rc:1: include needs a file or directory" },
	{ "include \"\"\n", NULL, 0,
	  "@/rc:1: include needs a file or directory" },
	{ "account a\ninclude inc.conf\n", "account b\n\nbogus\n", 0644,
	  "@/inc.conf:3: unknown directive \"bogus\"" },
	{ "account a\ninclude inc.conf\n", "account a\n", 0644,
	  "@/inc.conf:1: account \"a\" is defined twice" },
	{ "include inc.conf\naccount a\n", "account a\n", 0644,
	  "@/rc:2: account \"a\" is defined twice" },
	{ "account a\ninclude inc.conf\n", "account b : nope\n", 0644,
	  "@/inc.conf:1: account \"nope\" is not defined above" },
	{ "include inc.conf\n", "include inc.conf\n", 0644,
	  "@/inc.conf:1: include nested too deeply" },
	{ "include inc.conf\n", "host \"x\n", 0644,
	  "@/inc.conf:1: missing closing quote" },
	/* a password: the included file must be private */
	{ "include inc.conf\n", "account b\npassword s\n", 0640,
	  "@/inc.conf holds a password but others may read it (mode 0640); "
	  "fix it with: chmod 600 @/inc.conf" },
	{ "include inc.conf\n", "account b\npassword s\n", 0604,
	  "@/inc.conf holds a password but others may read it (mode 0604); "
	  "fix it with: chmod 600 @/inc.conf" },
	/* ... and so must the including one, when it holds the password */
	{ "account a\npassword s\ninclude inc.conf\n", "account b\n", 0600,
	  "@/rc holds a password but others may read it (mode 0644); "
	  "fix it with: chmod 600 @/rc" },
};

START_TEST(test_include_errors)
{
	const struct include_err_case *t = &include_err_cases[_i];
	struct conf c;
	struct err err;
	char expect[ERR_TEXT_MAX];

	make_tmpdir();
	put("rc", t->rc, 0644);
	if (t->inc != NULL)
		put("inc.conf", t->inc, t->inc_mode);
	in_tmpdir(expect, sizeof(expect), t->error);
	ck_assert_int_eq(load(&c, "rc", &err), -1);
	ck_assert_int_eq(err.cls, ERR_CONFIG);
	ck_assert_str_eq(err.text, expect);
	conf_clear(&c);
	remove_tmpdir();
}
END_TEST

/* A private included file with a password is fine, the including one
 * needs no care then; a file of another user is refused. */
START_TEST(test_include_private)
{
	struct conf c;
	struct err err;
	char expect[ERR_TEXT_MAX];

	make_tmpdir();
	put("rc", "include secret.conf\naccount a\nhost h\n", 0644);
	put("secret.conf", "password s3cret\n", 0600);   /* defaults */
	ck_assert_msg(load(&c, "rc", &err) == 0, "%s", err.text);
	ck_assert(c.has_password);
	ck_assert_str_eq(find(&c, "a")->password, "s3cret");
	conf_clear(&c);
	if (geteuid() == 0) {
		ck_assert_int_eq(chown(tmp("secret.conf"), 1, 1), 0);
		ck_assert_int_eq(load(&c, "rc", &err), -1);
		snprintf(expect, sizeof(expect),
			 "%s:1: %s belongs to another user (uid 1); smtpsend "
			 "reads only configuration files of its own user or "
			 "of root", tmp("rc"), tmp("secret.conf"));
		ck_assert_str_eq(err.text, expect);
		conf_clear(&c);
	}
	remove_tmpdir();
}
END_TEST


/* The eval of a file that another user could write never runs, nor that
 * of an included one, nor of a file in an included directory that others
 * may write to. */
START_TEST(test_untrusted_eval)
{
	struct conf c;
	struct err err;
	char text[512];

	make_tmpdir();
	snprintf(text, sizeof(text), "account a\neval touch %s\n",
		 tmp("ran"));
	put("rc", text, 0600);
	ck_assert_int_eq(chmod(tmp("rc"), 0622), 0);
	ck_assert_int_eq(load(&c, "rc", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "may be changed by other"));
	conf_clear(&c);
	ck_assert_int_eq(access(tmp("ran"), F_OK), -1);

	put("inc.conf", text, 0600);
	put("top", "include inc.conf\n", 0600);
	ck_assert_int_eq(chmod(tmp("inc.conf"), 0602), 0);
	ck_assert_int_eq(load(&c, "top", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "top:1: "));
	conf_clear(&c);
	ck_assert_int_eq(access(tmp("ran"), F_OK), -1);

	put_dir("d");
	ck_assert_int_eq(chmod(tmp("d"), 0777), 0);
	put("d/x.conf", "account x\n", 0600);
	put("top2", "include d\n", 0600);
	ck_assert_int_eq(load(&c, "top2", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "may be changed by other"));
	conf_clear(&c);
	if (geteuid() == 0) {
		ck_assert_int_eq(chmod(tmp("rc"), 0600), 0);
		ck_assert_int_eq(chown(tmp("rc"), 65534, 65534), 0);
		ck_assert_int_eq(load(&c, "rc", &err), -1);
		ck_assert_ptr_nonnull(strstr(err.text, "another user"));
		conf_clear(&c);
		ck_assert_int_eq(access(tmp("ran"), F_OK), -1);
	}
	ck_assert_int_eq(chmod(tmp("d"), 0700), 0);
	remove_tmpdir();
}
END_TEST

/* Up to CONF_INCLUDE_DEPTH nested files are fine, one more is not. */
START_TEST(test_include_depth)
{
	int levels = _i;        /* files below rc */
	struct conf c;
	struct err err;
	char name[32], text[64], expect[ERR_TEXT_MAX];
	int i;

	make_tmpdir();
	put("rc", levels > 0 ? "include f1\n" : "account top\n", 0644);
	for (i = 1; i <= levels; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		if (i < levels)
			snprintf(text, sizeof(text), "account a%d\ninclude f%d\n",
				 i, i + 1);
		else
			snprintf(text, sizeof(text), "account a%d\n", i);
		put(name, text, 0644);
	}
	if (levels <= CONF_INCLUDE_DEPTH) {
		ck_assert_msg(load(&c, "rc", &err) == 0, "%d: %s", levels,
			      err.text);
		ck_assert_uint_eq(c.n, levels > 0 ? (size_t)levels : 1);
	} else {
		ck_assert_int_eq(load(&c, "rc", &err), -1);
		snprintf(expect, sizeof(expect),
			 "%s/f%d:2: include nested too deeply", tmpdir,
			 CONF_INCLUDE_DEPTH);
		ck_assert_str_eq(err.text, expect);
	}
	conf_clear(&c);
	remove_tmpdir();
}
END_TEST

/* An eval line may produce an include (relative to its file). */
START_TEST(test_include_from_eval)
{
	struct conf c;
	struct err err;

	make_tmpdir();
	put_dir("d");
	put("d/rc", "eval echo include inc.conf\n", 0644);
	put("d/inc.conf", "account a\nhost h\n", 0644);
	ck_assert_msg(load(&c, "d/rc", &err) == 0, "%s", err.text);
	ck_assert_str_eq(find(&c, "a")->host, "h");
	conf_clear(&c);
	remove_tmpdir();
}
END_TEST

/* ---- conf_load_files: the system and the user file ---- */

static const char sys_rc[] =
	"defaults\n"
	"port 2525\n"
	"account shared\n"
	"host sys.example\n"
	"timeout 9\n"
	"account sysonly\n"
	"host sysonly.example\n"
	"account default : sysonly\n";

START_TEST(test_files)
{
	struct conf c;
	struct err err;
	const struct account *a;
	char where[256];

	make_tmpdir();
	put("sys", sys_rc, 0644);
	put("user",
	    "account shared\n"
	    "host user.example\n"
	    "account mine\n"
	    "host mine.example\n", 0644);

	/* both: the user's "shared" replaces the system's, entirely */
	conf_init(&c);
	err_clear(&err);
	ck_assert_msg(conf_load_files(&c, tmp("sys"), tmp("user"), &err) == 0,
		      "%s", err.text);
	ck_assert_str_eq(c.path, tmp("user"));
	ck_assert_uint_eq(c.n, 4);
	ck_assert_str_eq(c.accounts[0]->name, "shared");
	ck_assert_str_eq(c.accounts[1]->name, "sysonly");
	ck_assert_str_eq(c.accounts[2]->name, "default");
	ck_assert_str_eq(c.accounts[3]->name, "mine");
	a = find(&c, "shared");
	ck_assert_str_eq(a->host, "user.example");
	ck_assert(!account_is_set(a, ACC_PORT));        /* not sys defaults */
	ck_assert(!account_is_set(a, ACC_TIMEOUT));
	snprintf(where, sizeof(where), "%s:2", tmp("user"));
	ck_assert_str_eq(a->where[ACC_HOST], where);
	a = find(&c, "sysonly");
	ck_assert_int_eq(a->port, 2525);
	a = conf_default(&c);
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(a->host, "sysonly.example");
	ck_assert_str_eq(c.default_name, "sysonly");
	ck_assert(!c.has_password);
	conf_clear(&c);

	/* the user's "account default" replaces the system's */
	put("user2", "account mine\nhost mine.example\n"
		     "account default : mine\n", 0644);
	ck_assert_msg(conf_load_files(&c, tmp("sys"), tmp("user2"), &err)
		      == 0, "%s", err.text);
	ck_assert_str_eq(conf_default(&c)->host, "mine.example");
	ck_assert_str_eq(c.default_name, "mine");
	ck_assert_uint_eq(c.n, 4);
	conf_clear(&c);

	/* ... so does a plain account called default */
	put("user3", "account default\nhost plain.example\n", 0644);
	ck_assert_msg(conf_load_files(&c, tmp("sys"), tmp("user3"), &err)
		      == 0, "%s", err.text);
	ck_assert_str_eq(conf_default(&c)->host, "plain.example");
	ck_assert_ptr_null(c.default_name);
	conf_clear(&c);

	/* the system file alone; a user file that does not exist */
	ck_assert_msg(conf_load_files(&c, tmp("sys"), tmp("nouser"), &err)
		      == 0, "%s", err.text);
	ck_assert_str_eq(c.path, tmp("sys"));
	ck_assert_uint_eq(c.n, 3);
	ck_assert_str_eq(conf_default(&c)->host, "sysonly.example");
	conf_clear(&c);
	ck_assert_msg(conf_load_files(&c, tmp("sys"), NULL, &err) == 0, "%s",
		      err.text);
	ck_assert_uint_eq(c.n, 3);
	conf_clear(&c);

	/* the user file alone (-C); no system file */
	ck_assert_msg(conf_load_files(&c, NULL, tmp("user"), &err) == 0, "%s",
		      err.text);
	ck_assert_str_eq(c.path, tmp("user"));
	ck_assert_uint_eq(c.n, 2);
	ck_assert_ptr_null(conf_default(&c));
	conf_clear(&c);
	ck_assert_msg(conf_load_files(&c, tmp("nosys"), tmp("user"), &err)
		      == 0, "%s", err.text);
	ck_assert_uint_eq(c.n, 2);
	conf_clear(&c);

	/* neither */
	ck_assert_msg(conf_load_files(&c, tmp("nosys"), tmp("nouser"), &err)
		      == 0, "%s", err.text);
	ck_assert_ptr_null(c.path);
	ck_assert_uint_eq(c.n, 0);
	conf_clear(&c);
	ck_assert_int_eq(conf_load_files(&c, NULL, NULL, &err), 0);
	ck_assert_ptr_null(c.path);
	conf_clear(&c);
	remove_tmpdir();
}
END_TEST

/*
 * Errors of conf_load_files; "@" is tmpdir.  sys and user: the text of
 * the files (NULL: none), with their modes and owners (0: ours).
 */
static const struct files_err_case {
	const char *sys;
	mode_t sys_mode;
	unsigned sys_uid;
	const char *user;
	mode_t user_mode;
	unsigned user_uid;
	const char *error;      /* NULL: accepted */
} files_err_cases[] = {
	{ "bogus\n", 0644, 0, "account a\n", 0600, 0,
	  "@/sys:1: unknown directive \"bogus\"" },
	{ "account a\n", 0644, 0, "account b\nhost\n", 0600, 0,
	  "@/user:2: host: empty host name" },
	/* a user account cannot inherit a system one */
	{ "account a\n", 0644, 0, "account b : a\n", 0600, 0,
	  "@/user:1: account \"a\" is not defined above" },
	/* a system file with a password must be private (root's may be
	 * read by its group: system mode), the user file with none need
	 * not be */
	{ "account a\npassword p\n", 0644, 0, "account b\n", 0644, 0,
	  "@/sys holds a password but others may read it (mode 0644); fix "
	  "it with: chmod 640 @/sys" },
	{ "account a\npassword p\n", 0650, 0, "account b\n", 0644, 0,
	  "@/sys holds a password but others may read it (mode 0650); fix "
	  "it with: chmod 640 @/sys" },
	{ "account a\npassword p\n", 0600, 0, "account b\n", 0644, 0, NULL },
	{ "account a\npassword p\n", 0640, 0, "account b\n", 0644, 0, NULL },
	{ "account a\n", 0644, 0, "account b\npassword p\n", 0640, 0,
	  "@/user holds a password but others may read it (mode 0640); fix "
	  "it with: chmod 600 @/user" },
	/* a file that others may change is never read */
	{ "account a\n", 0644, 0, "account b\n", 0620, 0,
	  "@/user may be changed by other users (mode 0620); fix it with: "
	  "chmod go-w @/user" },
	{ "account a\n", 0646, 0, "account b\n", 0600, 0,
	  "@/sys may be changed by other users (mode 0646); fix it with: "
	  "chmod go-w @/sys" },
	{ "account a\n", 0644, 0, "account b\npassword p\n", 0600, 0, NULL },
	/* owners (when the tests run as root): a file is read only when it
	 * is our own or root's, password or not */
	{ "account a\npassword p\n", 0600, 1, NULL, 0, 0,
	  "@/sys belongs to another user (uid 1); smtpsend reads only "
	  "configuration files of its own user or of root" },
	{ "account a\n", 0644, 0, "account b\npassword p\n", 0600, 1,
	  "@/user belongs to another user (uid 1); smtpsend reads only "
	  "configuration files of its own user or of root" },
	{ "account a\n", 0644, 1, "account b\n", 0644, 0,
	  "@/sys belongs to another user (uid 1); smtpsend reads only "
	  "configuration files of its own user or of root" },
};

START_TEST(test_files_errors)
{
	const struct files_err_case *t = &files_err_cases[_i];
	struct conf c;
	struct err err;
	char expect[ERR_TEXT_MAX];

	if ((t->sys_uid != 0 || t->user_uid != 0) && geteuid() != 0)
		return;         /* chown needs root */
	make_tmpdir();
	if (t->sys != NULL) {
		put("sys", t->sys, t->sys_mode);
		ck_assert_int_eq(chown(tmp("sys"), t->sys_uid, 0), 0);
	}
	if (t->user != NULL) {
		put("user", t->user, t->user_mode);
		ck_assert_int_eq(chown(tmp("user"), t->user_uid, 0), 0);
	}
	conf_init(&c);
	err_clear(&err);
	if (t->error == NULL) {
		ck_assert_msg(conf_load_files(&c, tmp("sys"), tmp("user"),
					      &err) == 0, "%s", err.text);
	} else {
		in_tmpdir(expect, sizeof(expect), t->error);
		ck_assert_int_eq(conf_load_files(&c, tmp("sys"), tmp("user"),
						 &err), -1);
		ck_assert_int_eq(err.cls, ERR_CONFIG);
		ck_assert_str_eq(err.text, expect);
	}
	conf_clear(&c);
	remove_tmpdir();
}
END_TEST

/* A system file the user may not read is skipped; a user file is not. */
START_TEST(test_files_unreadable)
{
	struct conf c;
	struct err err;
	char expect[ERR_TEXT_MAX];

	if (geteuid() == 0)
		return;         /* root reads everything */
	make_tmpdir();
	put("sys", "account a\npassword p\n", 0);
	put("user", "account b\n", 0644);
	conf_init(&c);
	err_clear(&err);
	ck_assert_msg(conf_load_files(&c, tmp("sys"), tmp("user"), &err) == 0,
		      "%s", err.text);
	ck_assert_uint_eq(c.n, 1);
	conf_clear(&c);
	ck_assert_int_eq(chmod(tmp("user"), 0), 0);
	ck_assert_int_eq(conf_load_files(&c, tmp("sys"), tmp("user"), &err),
			 -1);
	snprintf(expect, sizeof(expect),
		 "cannot open configuration file %s: Permission denied",
		 tmp("user"));
	ck_assert_str_eq(err.text, expect);
	conf_clear(&c);
	remove_tmpdir();
}
END_TEST

/* ---- a real msmtprc ---- */

/* An msmtprc as msmtp users write it (after msmtp's manual), unchanged. */
static const char msmtprc[] =
	"# Example for a user configuration file ~/.msmtprc\n"  /* 1 */
	"#\n"                                                   /* 2 */
	"# Set default values for all following accounts.\n"   /* 3 */
	"defaults\n"                                            /* 4 */
	"\n"                                                    /* 5 */
	"# Use the mail submission port 587 instead of the SMTP port 25.\n"
							/* 6 */
	"port 587\n"                                            /* 7 */
	"\n"                                                    /* 8 */
	"# Always use TLS.\n"                                   /* 9 */
	"tls on\n"                                              /* 10 */
	"tls_trust_file /etc/ssl/certs/ca-certificates.crt\n"   /* 11 */
	"\n"                                                    /* 12 */
	"# Log to a file in the home directory\n"               /* 13 */
	"logfile ~/.msmtp.log\n"                                /* 14 */
	"\n"                                                    /* 15 */
	"# A freemail service\n"                                /* 16 */
	"account freemail\n"                                    /* 17 */
	"\n"                                                    /* 18 */
	"# Host name of the SMTP server\n"                      /* 19 */
	"host smtp.freemail.example\n"                          /* 20 */
	"\n"                                                    /* 21 */
	"# Envelope-from address\n"                             /* 22 */
	"from joe_smith@freemail.example\n"                     /* 23 */
	"\n"                                                    /* 24 */
	"# Authentication.\n"                                   /* 25 */
	"auth on\n"                                             /* 26 */
	"user joe.smith\n"                                      /* 27 */
	"\n"                                                    /* 28 */
	/* 29 */
	"# Password method 2: decrypt the password with GnuPG\n"
	/* 30 */
	"passwordeval \"gpg --no-tty -q -d ~/.msmtp-password.gpg\"\n"
	"\n"                                                    /* 31 */
	"# Gmail\n"                                             /* 32 */
	"account gmail\n"                                       /* 33 */
	"host smtp.gmail.com\n"                                 /* 34 */
	"port 587\n"                                            /* 35 */
	"auth on\n"                                             /* 36 */
	"user \"joe.smith@gmail.com\"\n"                        /* 37 */
	"from joe.smith@gmail.com\n"                            /* 38 */
	/* 39 */
	"passwordeval \"secret-tool lookup host smtp.gmail.com"
	" user \\\"joe smith\\\"\"\n"
	"tls_starttls on\n"                                     /* 40 */
	"syslog LOG_MAIL\n"                                     /* 41 */
	"\n"                                                    /* 42 */
	"# Set a default account\n"                             /* 43 */
	"account default : gmail\n";                           /* 44 */

START_TEST(test_msmtprc)
{
	struct conf c;
	struct err err;
	const struct account *a;
	struct account *l;
	char *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;

	ck_assert_int_eq(setenv("HOME", "/home/joe", 1), 0);
	ck_assert_msg(parse(&c, msmtprc, &err) == 0, "%s", err.text);
	if (home != NULL)
		ck_assert_int_eq(setenv("HOME", home, 1), 0);
	else
		ck_assert_int_eq(unsetenv("HOME"), 0);
	free(home);
	ck_assert_uint_eq(c.n, 3);
	ck_assert(!c.has_password);

	a = find(&c, "freemail");
	ck_assert_str_eq(a->host, "smtp.freemail.example");
	ck_assert_str_eq(a->where[ACC_HOST], "rc:20");
	ck_assert_int_eq(a->port, 587);
	ck_assert_str_eq(a->where[ACC_PORT], "rc:7");
	ck_assert(a->tls);
	ck_assert_str_eq(a->where[ACC_TLS], "rc:10");
	ck_assert_str_eq(a->tls_trust_file,
			 "/etc/ssl/certs/ca-certificates.crt");
	ck_assert_str_eq(a->logfile, "/home/joe/.msmtp.log");
	ck_assert_str_eq(a->where[ACC_LOGFILE], "rc:14");
	ck_assert_ptr_null(account_syslog_name(a->syslog));
	ck_assert_str_eq(a->from, "joe_smith@freemail.example");
	ck_assert_str_eq(account_auth_name(a->auth), "on");
	ck_assert_str_eq(a->user, "joe.smith");
	ck_assert_str_eq(a->passwordeval,
			 "gpg --no-tty -q -d ~/.msmtp-password.gpg");
	ck_assert_str_eq(a->where[ACC_PASSWORDEVAL], "rc:30");
	ck_assert_ptr_null(a->password);

	a = find(&c, "gmail");
	ck_assert_str_eq(a->host, "smtp.gmail.com");
	ck_assert_int_eq(a->port, 587);
	ck_assert_str_eq(a->where[ACC_PORT], "rc:35");
	ck_assert_str_eq(account_auth_name(a->auth), "on");
	ck_assert_str_eq(a->user, "joe.smith@gmail.com");
	ck_assert_str_eq(a->from, "joe.smith@gmail.com");
	ck_assert_str_eq(a->passwordeval,
			 "secret-tool lookup host smtp.gmail.com user "
			 "\"joe smith\"");
	ck_assert_str_eq(a->where[ACC_PASSWORDEVAL], "rc:39");
	ck_assert(a->tls);
	ck_assert(a->tls_starttls);
	ck_assert_str_eq(a->tls_trust_file,
			 "/etc/ssl/certs/ca-certificates.crt");
	ck_assert_str_eq(a->logfile, "/home/joe/.msmtp.log");
	ck_assert_str_eq(account_syslog_name(a->syslog), "LOG_MAIL");

	ck_assert_str_eq(c.default_name, "gmail");
	ck_assert_str_eq(c.accounts[2]->name, "default");
	a = conf_default(&c);
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(a->host, "smtp.gmail.com");
	ck_assert_str_eq(a->user, "joe.smith@gmail.com");
	ck_assert_str_eq(account_syslog_name(a->syslog), "LOG_MAIL");
	ck_assert_str_eq(a->where[ACC_HOST], "rc:34");

	/* layered as main.c does: complete, port 587 with STARTTLS */
	l = layered(a);
	err_clear(&err);
	ck_assert_msg(account_check(l, &err) == 0, "%s", err.text);
	ck_assert_int_eq(account_port(l), 587);
	ck_assert(l->tls_certcheck);
	account_free(l);
	conf_clear(&c);
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
	const char *protocol;   /* NULL: not set (smtp) */
} port_cases[] = {
	{ true, true, 0, 587, NULL },
	{ true, false, 0, 465, NULL },
	{ false, true, 0, 587, NULL },
	{ false, false, 0, 587, NULL },
	{ true, false, 25, 25, NULL },
	{ true, true, 2525, 2525, NULL },
	{ false, false, 465, 465, NULL },
	{ false, true, 1, 1, NULL },
	{ true, true, 0, 587, "smtp" },
	/* LMTP: none whatever the TLS mode (account_check asks for one),
	 * unless set */
	{ false, true, 0, 0, "lmtp" },
	{ true, true, 0, 0, "lmtp" },
	{ true, false, 0, 0, "lmtp" },
	{ false, false, 24, 24, "lmtp" },
	{ true, true, 2003, 2003, "lmtp" },
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
	if (t->protocol != NULL)
		ck_assert_int_eq(account_set(a, ACC_PROTOCOL, t->protocol, "x",
					     &err), 0);
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
/* ---- choosing the account by the envelope sender ---- */

static const struct from_case {
	const char *from;
	const char *sender;
	bool match;
} from_cases[] = {
	{ "alice@example.org", "alice@example.org", true },
	{ "alice@example.org", "ALICE@Example.ORG", true },
	{ "alice@example.org", "bob@example.org", false },
	{ "alice@example.org", "alice+lists@example.org", true },
	{ "alice@example.org", "alice+a+b@example.org", true },
	{ "alice@example.org", "alicex@example.org", false },
	{ "alice+x@example.org", "alice+x@example.org", true },
	{ "*@example.org", "anyone@example.org", true },
	{ "*@example.org", "anyone@example.net", false },
	{ "*@*.example.org", "a@lists.example.org", true },
	{ "a?ice@example.org", "alice@example.org", true },
	{ "[ab]lice@example.org", "blice@example.org", true },
	{ "[ab]lice@example.org", "clice@example.org", false },
	{ "%U@example.org", "tester@example.org", true },
	{ "%U@example.org", "other@example.org", false },
	{ "%U@%H", "tester@box.example", true },
};

START_TEST(test_from_matches)
{
	const struct from_case *t = &from_cases[_i];

	setenv("USER", "tester", 1);
	setenv("HOSTNAME", "box.example", 1);
	ck_assert_msg(pattern_matches(t->from, t->sender) == t->match,
		      "from \"%s\", sender \"%s\": expected %s", t->from,
		      t->sender, t->match ? "a match" : "no match");
}
END_TEST

START_TEST(test_expand_from)
{
	static const struct {
		const char *in, *patterns, *from_header, *want;
	} cases[] = {
		{ "%U@%H", "UHCMF", NULL, "tester@box.example" },
		{ "plain@example.org", "UHCMF", NULL, "plain@example.org" },
		{ "100%@x", "UHCMF", NULL, "100%@x" },  /* a lone % stays */
		{ "%F", "UHCMF", "alice@example.org", "alice@example.org" },
		{ "%F", "UHCMF", NULL, "%F" },  /* no From: field */
		{ "b+%U@%F", "UHCMF", "a.example", "b+tester@a.example" },
		{ "%H", "HCM", NULL, "box.example" },
		{ "%U.%H", "HCM", NULL, "%U.box.example" },   /* not for domain */
		{ "%F%%X", "HCM", "x@y", "%F%%X" },
		{ "%", "UHCMF", NULL, "%" },
	};
	size_t i;
	char *s;

	setenv("USER", "tester", 1);
	setenv("HOSTNAME", "box.example", 1);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = pattern_expand(cases[i].in, cases[i].patterns,
				   cases[i].from_header);
		ck_assert_msg(strcmp(s, cases[i].want) == 0, "%s: %s, not %s",
			      cases[i].in, s, cases[i].want);
		free(s);
	}
	unsetenv("USER");
	setenv("LOGNAME", "logname", 1);
	s = pattern_expand("%U", "UHCMF", NULL);
	ck_assert_str_eq(s, "logname");
	free(s);
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
	tcase_add_loop_test(tc, test_long_line, 0,
			    sizeof(long_directives)
				    / sizeof(long_directives[0]));
	tcase_add_test(tc, test_long_line_load);
	tcase_add_test(tc, test_load);
	suite_add_tcase(s, tc);

	tc = tcase_create("eval");
	tcase_add_loop_test(tc, test_eval, 0,
			    sizeof(eval_cases) / sizeof(eval_cases[0]));
	tcase_add_test(tc, test_eval_effects);
	tcase_add_loop_test(tc, test_eval_command, 0,
			    sizeof(run_cases) / sizeof(run_cases[0]));
	tcase_add_test(tc, test_eval_real);
	suite_add_tcase(s, tc);

	tc = tcase_create("include");
	tcase_add_test(tc, test_include_file);
	tcase_add_test(tc, test_include_defaults);
	tcase_add_test(tc, test_include_dir);
	tcase_add_test(tc, test_include_paths);
	tcase_add_loop_test(tc, test_include_errors, 0,
			    sizeof(include_err_cases)
				    / sizeof(include_err_cases[0]));
	tcase_add_test(tc, test_include_private);
	tcase_add_test(tc, test_untrusted_eval);
	tcase_add_loop_test(tc, test_include_depth, 0,
			    CONF_INCLUDE_DEPTH + 2);
	tcase_add_test(tc, test_include_from_eval);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_test(tc, test_files);
	tcase_add_loop_test(tc, test_files_errors, 0,
			    sizeof(files_err_cases)
				    / sizeof(files_err_cases[0]));
	tcase_add_test(tc, test_files_unreadable);
	tcase_add_test(tc, test_msmtprc);
	suite_add_tcase(s, tc);

	tc = tcase_create("account");
	tcase_add_loop_test(tc, test_port, 0,
			    sizeof(port_cases) / sizeof(port_cases[0]));
	tcase_add_test(tc, test_port_from_conf);
	tcase_add_loop_test(tc, test_check, 0,
			    sizeof(check_cases) / sizeof(check_cases[0]));
	tcase_add_test(tc, test_merge_copies);
	tcase_add_loop_test(tc, test_from_matches, 0,
			    sizeof(from_cases) / sizeof(from_cases[0]));
	tcase_add_test(tc, test_expand_from);
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
