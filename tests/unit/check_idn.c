/*
 * check_idn.c - unit tests for src/idn.c (RFC 5890/5891 IDNA2008 with
 * UTS #46 non-transitional processing through libidn2, RFC 6531 SMTPUTF8).
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <idn2.h>

#include "idn.h"
#define LOAD_IDN2_NO_MAP
#include "load_idn2.h"

/* ---- idn_ascii_addr ---- */

static const struct ascii_case {
	const char *in;
	const char *out;
} ascii_cases[] = {
	{ "user@bücher.example", "user@xn--bcher-kva.example" },
	/* already ASCII: byte for byte, case kept, A-labels kept */
	{ "user@example.org", "user@example.org" },
	{ "User@Example.COM", "User@Example.COM" },
	{ "user@xn--bcher-kva.example", "user@xn--bcher-kva.example" },
	{ "user@XN--BCHER-KVA.example", "user@XN--BCHER-KVA.example" },
	/* ASCII domains are not checked here (addr_check's job) */
	{ "user@--", "user@--" },
	/* UTS #46 mapping as libidn2 does it: case folded in the whole
	 * domain, NFC, non-transitional "ß", compatibility mapping */
	{ "user@BÜCHER.example", "user@xn--bcher-kva.example" },
	{ "User@Bücher.EXAMPLE", "User@xn--bcher-kva.example" },
	{ "user@bu\xcc\x88" "cher.example", "user@xn--bcher-kva.example" },
	{ "user@ß.example", "user@xn--zca.example" },
	{ "user@faß.de", "user@xn--fa-hia.de" },
	{ "user@Ⅷ.example", "user@viii.example" },
	{ "user@bücher.example.", "user@xn--bcher-kva.example." },
	/* the local part is never touched */
	{ "jösé@bücher.example", "jösé@xn--bcher-kva.example" },
	{ "jösé@example.org", "jösé@example.org" },
	{ "\"a@b\"@bücher.example", "\"a@b\"@xn--bcher-kva.example" },
	/* address literals and addresses without a domain */
	{ "user@[192.0.2.1]", "user@[192.0.2.1]" },
	{ "user@[IPv6:2001:db8::1]", "user@[IPv6:2001:db8::1]" },
	{ "user@[ü]", "user@[ü]" },     /* not ours to judge: addr_check's */
	{ "postmaster", "postmaster" },
	{ "jösé", "jösé" },
	{ "", "" },
};

START_TEST(test_ascii)
{
	const struct ascii_case *c = &ascii_cases[_i];
	char *out = NULL;
	struct err err;

	err_clear(&err);
	ck_assert_msg(idn_ascii_addr(c->in, &out, &err) == 0, "\"%s\": %s",
		      c->in, err.text);
	ck_assert_str_eq(out, c->out);
	free(out);
}
END_TEST

static const struct bad_case {
	const char *addr;
	const char *domain;     /* as the message shows it */
	int rc;                 /* libidn2's reason */
	const char *shown;      /* addr made printable, when it is not */
} bad_cases[] = {
	{ "user@-ü.example", "-ü.example", IDN2_HYPHEN_STARTEND, NULL },
	{ "user@ü-.example", "ü-.example", IDN2_HYPHEN_STARTEND, NULL },
	{ "user@ü.--.example", "ü.--.example", IDN2_HYPHEN_STARTEND, NULL },
	{ "user@ab--ü.example", "ab--ü.example", IDN2_2HYPHEN, NULL },
	{ "user@\xc3.example", "?.example", IDN2_ENCODING_ERROR,
	  "user@?.example" },
	{ "user@ü x.example", "ü x.example", IDN2_ALABEL_ROUNDTRIP_FAILED,
	  NULL },
	{ "user@ü.xn--.example", "ü.xn--.example", IDN2_PUNYCODE_BAD_INPUT,
	  NULL },
	{ "user@"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "ü.example",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaü"
	  ".example", IDN2_PUNYCODE_BIG_OUTPUT, NULL },
};

START_TEST(test_ascii_bad)
{
	const struct bad_case *c = &bad_cases[_i];
	char *out = (char *)"untouched";
	char want[ERR_TEXT_MAX];
	const char *shown = c->addr;
	struct err err;

	if (c->shown != NULL)
		shown = c->shown;
	snprintf(want, sizeof(want),
		 "invalid international domain \"%s\" in \"%s\": %s", c->domain,
		 shown, idn2_strerror(c->rc));
	err_clear(&err);
	ck_assert_int_eq(idn_ascii_addr(c->addr, &out, &err), -1);
	ck_assert_str_eq(out, "untouched");
	ck_assert_int_eq(err.cls, ERR_DATA);
	ck_assert(!err.temp);
	ck_assert_str_eq(err.text, want);
}
END_TEST

/* ---- idn_needs_smtputf8 ---- */

static const struct needs_case {
	const char *addr;
	bool needs;
} needs_cases[] = {
	{ "jösé@example.org", true },
	{ "user@bücher.example", false },
	{ "user@example.org", false },
	{ "jösé@bücher.example", true },
	{ "\"ü@x\"@example.org", true },
	{ "\"a@b\"@bücher.example", false },
	{ "jösé", true },
	{ "postmaster", false },
	{ "", false },
};

START_TEST(test_needs)
{
	const struct needs_case *c = &needs_cases[_i];

	ck_assert_msg(idn_needs_smtputf8(c->addr) == c->needs, "\"%s\"",
		      c->addr);
}
END_TEST

/* ---- idn_for_server ---- */

static const struct server_case {
	const char *addr;
	bool smtputf8;
	const char *out;        /* NULL: fails */
	enum err_class cls;
	const char *text;
} server_cases[] = {
	{ "user@bücher.example", true, "user@bücher.example", 0, NULL },
	{ "jösé@bücher.example", true, "jösé@bücher.example", 0, NULL },
	{ "User@Bücher.example", true, "User@Bücher.example", 0, NULL },
	/* with SMTPUTF8 the address goes as it is, unchecked */
	{ "user@-ü.example", true, "user@-ü.example", 0, NULL },
	{ "user@bücher.example", false, "user@xn--bcher-kva.example", 0,
	  NULL },
	{ "user@example.org", false, "user@example.org", 0, NULL },
	{ "user@[192.0.2.1]", false, "user@[192.0.2.1]", 0, NULL },
	{ "jösé@example.org", false, NULL, ERR_REJECT,
	  "the server does not offer SMTPUTF8 and the local part of "
	  "jösé@example.org is not ASCII" },
	{ "jösé@bücher.example", false, NULL, ERR_REJECT,
	  "the server does not offer SMTPUTF8 and the local part of "
	  "jösé@bücher.example is not ASCII" },
	{ "user@-ü.example", false, NULL, ERR_DATA,
	  "invalid international domain \"-ü.example\" in \"user@-ü.example\""
	  ": " },
};

START_TEST(test_for_server)
{
	const struct server_case *c = &server_cases[_i];
	char *out = NULL;
	struct err err;
	int rc;

	err_clear(&err);
	rc = idn_for_server(c->addr, c->smtputf8, &out, &err);
	if (c->out != NULL) {
		ck_assert_msg(rc == 0, "\"%s\": %s", c->addr, err.text);
		ck_assert_str_eq(out, c->out);
		free(out);
		return;
	}
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(err.cls, c->cls);
	ck_assert(!err.temp);
	ck_assert_int_eq(err.code, 0);
	ck_assert_msg(strncmp(err.text, c->text, strlen(c->text)) == 0
		      && (c->cls != ERR_REJECT
			  || strlen(err.text) == strlen(c->text)),
		      "text \"%s\", want \"%s\"", err.text, c->text);
}
END_TEST

/* ---- idn_display_addr ---- */

static const struct display_case {
	const char *in;
	const char *out;
} display_cases[] = {
	{ "user@xn--bcher-kva.example", "user@bücher.example" },
	{ "user@XN--BCHER-KVA.Example", "user@BüCHER.Example" },
	{ "user@www.xn--fa-hia.de", "user@www.faß.de" },
	{ "user@example.org", "user@example.org" },
	{ "user@bücher.example", "user@bücher.example" },
	{ "user@[192.0.2.1]", "user@[192.0.2.1]" },
	{ "postmaster", "postmaster" },
	/* bogus A-labels stay as they are: invalid Punycode, a code point
	 * that UTS #46 maps away (U+2177), a disallowed one, a control */
	{ "user@xn--.example", "user@xn--.example" },
	{ "user@xn--e5g.example", "user@xn--e5g.example" },
	{ "user@xn--ls8h.example", "user@xn--ls8h.example" },
	{ "user@xn--a.example", "user@xn--a.example" },
};

START_TEST(test_display)
{
	const struct display_case *c = &display_cases[_i];
	char *out = idn_display_addr(c->in);

	ck_assert_str_eq(out, c->out);
	free(out);
}
END_TEST

/* ---- libidn2 opened on demand ---- */

/* ASCII names, address literals, IP addresses and --version leave libidn2
 * unloaded; a non-ASCII host name loads it.  The first test of the suite,
 * so that nothing has loaded it before (with CK_FORK=no as well). */
START_TEST(test_on_demand)
{
	struct err err;
	char *out;

	ck_assert(!load_idn2_mapped());
	ck_assert_int_eq(idn_ascii_addr("user@example.org", &out, &err), 0);
	free(out);
	ck_assert_int_eq(idn_ascii_addr("user@[192.0.2.1]", &out, &err), 0);
	free(out);
	ck_assert_int_eq(idn_host_check("192.0.2.1", &err), 0);
	ck_assert_int_eq(idn_host_check("2001:db8::1", &err), 0);
	ck_assert_int_eq(idn_host_check("mail.example.org", &err), 0);
	ck_assert_int_eq(idn_host_alabels("mail.example.org", &out, &err), 0);
	ck_assert_str_eq(out, "mail.example.org");
	free(out);
	out = idn_display_addr("user@example.org");
	free(out);
	ck_assert_str_eq(idn_library_version(), "libidn2 " IDN2_VERSION);
	ck_assert(!load_idn2_mapped());
	ck_assert_int_eq(idn_host_alabels("bücher.example", &out, &err), 0);
	ck_assert_str_eq(out, "xn--bcher-kva.example");
	free(out);
	ck_assert(load_idn2_mapped());
}
END_TEST

static Suite *
idn_suite(void)
{
	Suite *s = suite_create("idn");
	TCase *tc;

	tc = tcase_create("load");
	tcase_add_test(tc, test_on_demand);
	suite_add_tcase(s, tc);

	tc = tcase_create("ascii");
	tcase_add_loop_test(tc, test_ascii, 0,
			    sizeof(ascii_cases) / sizeof(ascii_cases[0]));
	tcase_add_loop_test(tc, test_ascii_bad, 0,
			    sizeof(bad_cases) / sizeof(bad_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("smtputf8");
	tcase_add_loop_test(tc, test_needs, 0,
			    sizeof(needs_cases) / sizeof(needs_cases[0]));
	tcase_add_loop_test(tc, test_for_server, 0,
			    sizeof(server_cases) / sizeof(server_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("display");
	tcase_add_loop_test(tc, test_display, 0,
			    sizeof(display_cases) / sizeof(display_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(idn_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
