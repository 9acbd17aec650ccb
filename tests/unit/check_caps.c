/*
 * check_caps.c - unit tests for src/caps.c (EHLO keywords, RFC 5321
 * 4.1.1.1 and the extensions listed in caps.h).
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"

#define ALL_CAPS (CAP_SIZE | CAP_PIPELINING | CAP_8BITMIME | CAP_SMTPUTF8 \
		  | CAP_CHUNKING | CAP_BINARYMIME | CAP_DSN \
		  | CAP_ENHANCEDSTATUSCODES | CAP_STARTTLS | CAP_AUTH)

/*
 * ehlo - build the reply to EHLO from its texts: "250-" before every text
 * but the last, "250 " before the last.
 */
static void
ehlo(struct reply *r, const char *const *texts)
{
	char line[1024];
	struct err err;
	size_t i;
	int n;

	reply_init(r);
	err_clear(&err);
	for (i = 0; texts[i] != NULL; i++) {
		enum reply_status st;

		n = snprintf(line, sizeof(line), "250%c%s",
			     texts[i + 1] == NULL ? ' ' : '-', texts[i]);
		ck_assert(n > 0 && (size_t)n < sizeof(line));
		st = reply_feed(r, line, (size_t)n, &err);
		ck_assert_int_eq(st, texts[i + 1] == NULL ? REPLY_DONE
				 : REPLY_MORE);
	}
}

static const struct kw_case {
	const char *texts[6];
	unsigned flags;
	unsigned long long size_max;
	const char *auth;
} kw_cases[] = {
	/* the greeting line alone announces nothing */
	{ { "mx.example.com", NULL }, 0, 0, "" },
	{ { "mx.example.com Hello client [192.0.2.1]", NULL }, 0, 0, "" },
	/* one keyword each */
	{ { "mx", "SIZE 12345", NULL }, CAP_SIZE, 12345, "" },
	{ { "mx", "SIZE", NULL }, CAP_SIZE, 0, "" },
	{ { "mx", "SIZE 0", NULL }, CAP_SIZE, 0, "" },
	{ { "mx", "SIZE 18446744073709551615", NULL }, CAP_SIZE,
	  18446744073709551615ULL, "" },
	{ { "mx", "PIPELINING", NULL }, CAP_PIPELINING, 0, "" },
	{ { "mx", "8BITMIME", NULL }, CAP_8BITMIME, 0, "" },
	{ { "mx", "SMTPUTF8", NULL }, CAP_SMTPUTF8, 0, "" },
	{ { "mx", "CHUNKING", NULL }, CAP_CHUNKING, 0, "" },
	{ { "mx", "BINARYMIME", NULL }, CAP_BINARYMIME, 0, "" },
	{ { "mx", "DSN", NULL }, CAP_DSN, 0, "" },
	{ { "mx", "ENHANCEDSTATUSCODES", NULL }, CAP_ENHANCEDSTATUSCODES, 0,
	  "" },
	{ { "mx", "STARTTLS", NULL }, CAP_STARTTLS, 0, "" },
	{ { "mx", "AUTH PLAIN LOGIN", NULL }, CAP_AUTH, 0, "PLAIN LOGIN" },
	{ { "mx", "AUTH=LOGIN", NULL }, CAP_AUTH, 0, "LOGIN" },
	{ { "mx", "AUTH=LOGIN PLAIN", NULL }, CAP_AUTH, 0, "LOGIN PLAIN" },
	{ { "mx", "AUTH", NULL }, CAP_AUTH, 0, "" },
	{ { "mx", "AUTH  CRAM-MD5   SCRAM-SHA-256", NULL }, CAP_AUTH, 0,
	  "CRAM-MD5 SCRAM-SHA-256" },
	/* lower and mixed case */
	{ { "mx", "pipelining", NULL }, CAP_PIPELINING, 0, "" },
	{ { "mx", "Size 100", NULL }, CAP_SIZE, 100, "" },
	{ { "mx", "8bitmime", NULL }, CAP_8BITMIME, 0, "" },
	{ { "mx", "smtputf8", NULL }, CAP_SMTPUTF8, 0, "" },
	{ { "mx", "StartTLS", NULL }, CAP_STARTTLS, 0, "" },
	{ { "mx", "enhancedstatuscodes", NULL }, CAP_ENHANCEDSTATUSCODES, 0,
	  "" },
	{ { "mx", "auth plain login", NULL }, CAP_AUTH, 0, "PLAIN LOGIN" },
	{ { "mx", "auth=xoauth2", NULL }, CAP_AUTH, 0, "XOAUTH2" },
	/* parameters after a keyword are allowed */
	{ { "mx", "DSN extra", NULL }, CAP_DSN, 0, "" },
	/* SIZE with a value that is not a number: flag only */
	{ { "mx", "SIZE abc", NULL }, CAP_SIZE, 0, "" },
	{ { "mx", "SIZE 12x", NULL }, CAP_SIZE, 0, "" },
	{ { "mx", "SIZE -5", NULL }, CAP_SIZE, 0, "" },
	{ { "mx", "SIZE +5", NULL }, CAP_SIZE, 0, "" },
	{ { "mx", "SIZE ", NULL }, CAP_SIZE, 0, "" },
	{ { "mx", "SIZE 12 34", NULL }, CAP_SIZE, 0, "" },
	{ { "mx", "SIZE 99999999999999999999999", NULL }, CAP_SIZE, 0, "" },
	{ { "mx", "SIZE 0x10", NULL }, CAP_SIZE, 0, "" },
	/* unknown keywords and near misses are ignored */
	{ { "mx", "X-EXPS GSSAPI NTLM", "XCLIENT NAME ADDR", "VRFY", "ETRNX",
	    NULL }, 0, 0, "" },
	/* RFC 1985: --rmqs needs it */
	{ { "mx", "etrn", NULL }, CAP_ETRN, 0, "" },
	{ { "mx", "PIPELININGX", "SIZ 100", "SIZE100", "AUTHPLAIN", NULL }, 0,
	  0, "" },
	{ { "mx", "8BITMIMEX", "DSN2", "STARTTLS2", NULL }, 0, 0, "" },
	{ { "mx", "", "PIPELINING", NULL }, CAP_PIPELINING, 0, "" },
	/* the first line is the greeting, never a keyword */
	{ { "PIPELINING.example.com", NULL }, 0, 0, "" },
	{ { "PIPELINING.example.com", "8BITMIME", NULL }, CAP_8BITMIME, 0,
	  "" },
	{ { "PIPELINING", "DSN", NULL }, CAP_DSN, 0, "" },
	{ { "STARTTLS", NULL }, 0, 0, "" },
	{ { "SIZE 1000", "PIPELINING", NULL }, CAP_PIPELINING, 0, "" },
	{ { "AUTH PLAIN", NULL }, 0, 0, "" },
	/* a typical server */
	{ { "smtp.example.com at your service", "SIZE 35882577", "8BITMIME",
	    "AUTH LOGIN PLAIN XOAUTH2", "ENHANCEDSTATUSCODES", NULL },
	  CAP_SIZE | CAP_8BITMIME | CAP_AUTH | CAP_ENHANCEDSTATUSCODES,
	  35882577, "LOGIN PLAIN XOAUTH2" },
};

START_TEST(test_keywords)
{
	const struct kw_case *t = &kw_cases[_i];
	struct reply r;
	struct caps c;

	ehlo(&r, t->texts);
	memset(&c, 0x55, sizeof(c));    /* caps_parse replaces everything */
	caps_parse(&c, &r);
	ck_assert_msg(c.flags == t->flags, "case %d: flags %#x, expected %#x",
		      _i, c.flags, t->flags);
	ck_assert_msg(c.size_max == t->size_max,
		      "case %d: size_max %llu, expected %llu", _i, c.size_max,
		      t->size_max);
	ck_assert_str_eq(c.auth, t->auth);
}
END_TEST

/* All keywords together, in one reply. */
START_TEST(test_all_keywords)
{
	static const char *const texts[] = {
		"mx.example.com", "SIZE 1000", "PIPELINING", "8BITMIME",
		"SMTPUTF8", "CHUNKING", "BINARYMIME", "DSN",
		"ENHANCEDSTATUSCODES", "STARTTLS", "AUTH PLAIN", NULL
	};
	struct reply r;
	struct caps c;

	ehlo(&r, texts);
	caps_parse(&c, &r);
	ck_assert_uint_eq(c.flags, ALL_CAPS);
	ck_assert_uint_eq(c.size_max, 1000);
	ck_assert_str_eq(c.auth, "PLAIN");
}
END_TEST

/* An enhanced status code before the keyword is stripped by the reply. */
START_TEST(test_enhanced_prefix)
{
	static const char *const texts[] = {
		"2.0.0 mx.example.com", "2.0.0 PIPELINING", "2.0.0 SIZE 10",
		NULL
	};
	struct reply r;
	struct caps c;

	ehlo(&r, texts);
	caps_parse(&c, &r);
	ck_assert_uint_eq(c.flags, CAP_PIPELINING | CAP_SIZE);
	ck_assert_uint_eq(c.size_max, 10);
}
END_TEST

/* A second parse replaces the first (after STARTTLS). */
START_TEST(test_parse_replaces)
{
	static const char *const before[] = {
		"mx", "STARTTLS", "SIZE 100", "AUTH LOGIN", NULL
	};
	static const char *const after[] = { "mx", "PIPELINING", NULL };
	struct reply r;
	struct caps c;

	ehlo(&r, before);
	caps_parse(&c, &r);
	ck_assert_uint_eq(c.flags, CAP_STARTTLS | CAP_SIZE | CAP_AUTH);
	ehlo(&r, after);
	caps_parse(&c, &r);
	ck_assert_uint_eq(c.flags, CAP_PIPELINING);
	ck_assert_uint_eq(c.size_max, 0);
	ck_assert_str_eq(c.auth, "");
	ck_assert(!caps_has_auth(&c, "LOGIN"));
}
END_TEST

/* Two AUTH lines (both syntaxes): every mechanism is known. */
START_TEST(test_auth_two_lines)
{
	static const char *const texts[] = {
		"mx", "AUTH=LOGIN", "AUTH PLAIN CRAM-MD5", NULL
	};
	struct reply r;
	struct caps c;

	ehlo(&r, texts);
	caps_parse(&c, &r);
	ck_assert_uint_eq(c.flags, CAP_AUTH);
	ck_assert(caps_has_auth(&c, "LOGIN"));
	ck_assert(caps_has_auth(&c, "PLAIN"));
	ck_assert(caps_has_auth(&c, "CRAM-MD5"));
	ck_assert(!caps_has_auth(&c, "XOAUTH2"));
}
END_TEST

/* A huge AUTH list is cut, never overflowing the array. */
struct guarded_caps {
	unsigned char before[32];
	struct caps c;
	unsigned char after[32];
};

START_TEST(test_auth_overflow)
{
	static const char *texts[4];
	char line[1000];
	struct reply r;
	struct guarded_caps g;
	size_t i, o = 0;

	o += (size_t)snprintf(line, sizeof(line), "AUTH");
	for (i = 0; o + 12 < sizeof(line); i++)
		o += (size_t)snprintf(line + o, sizeof(line) - o, " MECH%05zu",
				      i);
	texts[0] = "mx";
	texts[1] = line;
	texts[2] = "AUTH=ANOTHER-ONE WITH-MORE-MECHANISMS";
	texts[3] = NULL;
	ehlo(&r, texts);
	memset(g.before, 0xa5, sizeof(g.before));
	memset(g.after, 0x5a, sizeof(g.after));
	caps_parse(&g.c, &r);
	for (i = 0; i < sizeof(g.before); i++) {
		ck_assert_uint_eq(g.before[i], 0xa5);
		ck_assert_uint_eq(g.after[i], 0x5a);
	}
	ck_assert_uint_eq(g.c.flags, CAP_AUTH);
	ck_assert_uint_lt(strlen(g.c.auth), CAPS_AUTH_MAX);
	ck_assert(caps_has_auth(&g.c, "MECH00000"));
	ck_assert(caps_has_auth(&g.c, "mech00001"));
	/* mechanisms are kept whole: no cut-off name */
	ck_assert_uint_eq(strlen(g.c.auth) % 10, 9);
}
END_TEST

/* ---- caps_has_auth ---- */

static const struct has_case {
	const char *mech;
	bool expect;
} has_cases[] = {
	{ "PLAIN", true },
	{ "plain", true },
	{ "Plain", true },
	{ "LOGIN", true },
	{ "login", true },
	{ "SCRAM-SHA-256", true },
	{ "scram-sha-256", true },
	{ "SCRAM-SHA-1", false },       /* prefix of a longer name */
	{ "PLAI", false },
	{ "PLAINX", false },
	{ "LOGIN PLAIN", false },
	{ "CRAM-MD5", false },
	{ "", false },
};

START_TEST(test_has_auth)
{
	static const char *const texts[] = {
		"mx", "AUTH PLAIN login SCRAM-SHA-256", NULL
	};
	const struct has_case *t = &has_cases[_i];
	struct reply r;
	struct caps c;

	ehlo(&r, texts);
	caps_parse(&c, &r);
	ck_assert_msg(caps_has_auth(&c, t->mech) == t->expect,
		      "caps_has_auth(\"%s\") != %d", t->mech, t->expect);
}
END_TEST

START_TEST(test_has_auth_none)
{
	struct caps c;

	caps_clear(&c);
	ck_assert(!caps_has_auth(&c, "PLAIN"));
	ck_assert(!caps_has_auth(&c, ""));
}
END_TEST

/* ---- caps_clear ---- */

START_TEST(test_clear)
{
	static const char *const texts[] = {
		"mx", "SIZE 5", "STARTTLS", "AUTH PLAIN", NULL
	};
	struct reply r;
	struct caps c;

	ehlo(&r, texts);
	caps_parse(&c, &r);
	ck_assert_uint_ne(c.flags, 0);
	caps_clear(&c);
	ck_assert_uint_eq(c.flags, 0);
	ck_assert_uint_eq(c.size_max, 0);
	ck_assert_str_eq(c.auth, "");
	ck_assert(!caps_has_auth(&c, "PLAIN"));
}
END_TEST

/* ---- caps_describe ---- */

static const struct describe_case {
	unsigned flags;
	const char *text;
} describe_cases[] = {
	{ 0, "" },
	{ CAP_SIZE, "SIZE" },
	{ CAP_AUTH, "AUTH" },
	{ CAP_PIPELINING | CAP_SIZE, "SIZE PIPELINING" },
	{ CAP_STARTTLS | CAP_8BITMIME | CAP_DSN, "8BITMIME DSN STARTTLS" },
	{ ALL_CAPS, "SIZE PIPELINING 8BITMIME SMTPUTF8 CHUNKING BINARYMIME "
		    "DSN ENHANCEDSTATUSCODES STARTTLS AUTH" },
};

START_TEST(test_describe)
{
	const struct describe_case *t = &describe_cases[_i];
	struct caps c;
	char dst[256];

	caps_clear(&c);
	c.flags = t->flags;
	memset(dst, 'X', sizeof(dst));
	caps_describe(&c, dst, sizeof(dst));
	ck_assert_str_eq(dst, t->text);
}
END_TEST

/* Small destinations: always terminated, within n, a prefix. */
START_TEST(test_describe_small)
{
	static const char full[] = "SIZE PIPELINING 8BITMIME SMTPUTF8 "
		"CHUNKING BINARYMIME DSN ENHANCEDSTATUSCODES STARTTLS AUTH";
	struct caps c;
	char dst[sizeof(full) + 8];
	size_t n, len;

	caps_clear(&c);
	c.flags = ALL_CAPS;
	for (n = 1; n < sizeof(dst) - 1; n++) {
		memset(dst, 'X', sizeof(dst));
		caps_describe(&c, dst, n);
		len = strlen(dst);
		ck_assert_uint_lt(len, n);
		ck_assert_int_eq(strncmp(dst, full, len), 0);
		ck_assert_int_eq(dst[n], 'X');
	}
	memset(dst, 'X', sizeof(dst));
	caps_describe(&c, dst, 0);
	ck_assert_int_eq(dst[0], 'X');
}
END_TEST

static Suite *
caps_suite(void)
{
	Suite *s = suite_create("caps");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_keywords, 0,
			    sizeof(kw_cases) / sizeof(kw_cases[0]));
	tcase_add_test(tc, test_all_keywords);
	tcase_add_test(tc, test_enhanced_prefix);
	tcase_add_test(tc, test_parse_replaces);
	tcase_add_test(tc, test_auth_two_lines);
	tcase_add_test(tc, test_auth_overflow);
	suite_add_tcase(s, tc);

	tc = tcase_create("auth");
	tcase_add_loop_test(tc, test_has_auth, 0,
			    sizeof(has_cases) / sizeof(has_cases[0]));
	tcase_add_test(tc, test_has_auth_none);
	suite_add_tcase(s, tc);

	tc = tcase_create("misc");
	tcase_add_test(tc, test_clear);
	tcase_add_loop_test(tc, test_describe, 0,
			    sizeof(describe_cases) / sizeof(describe_cases[0]));
	tcase_add_test(tc, test_describe_small);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(caps_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
