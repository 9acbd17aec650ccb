/*
 * check_oauth2.c - unit tests for the pure parts of the OAuth2 client:
 * the token file's text (src/oauth2_store.c: everything checked before
 * anything is used) and the form encoding and URL decoding of
 * src/http.c.
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "http.h"
#include "oauth2_store.h"

static const struct store_case {
	const char *text;
	const char *refresh, *access;   /* NULL: refused / none */
	long long expires;
	const char *error;              /* in the message when refused */
} store_cases[] = {
	{ "smtpsend-oauth2-token 1\nrefresh_token r1\n", "r1", NULL, 0,
	  NULL },
	{ "smtpsend-oauth2-token 1\nrefresh_token r1\naccess_token a.b-c\n"
	  "expires 1767225600\n", "r1", "a.b-c", 1767225600, NULL },
	{ "", NULL, NULL, 0, "not a token file" },
	{ "smtpsend-oauth2-token 2\nrefresh_token r1\n", NULL, NULL, 0,
	  "not a token file" },
	{ "smtpsend-oauth2-token 1\n", NULL, NULL, 0, "no refresh token" },
	{ "smtpsend-oauth2-token 1\naccess_token a\n", NULL, NULL, 0,
	  "no refresh token" },
	/* cut off mid-line: a write that did not finish */
	{ "smtpsend-oauth2-token 1\nrefresh_token r1\naccess_tok", NULL, NULL,
	  0, "unterminated" },
	{ "smtpsend-oauth2-token 1\nrefresh_token r1\nrefresh_token r2\n",
	  NULL, NULL, 0, "repeated" },
	{ "smtpsend-oauth2-token 1\nrefresh_token r 1\n", NULL, NULL, 0,
	  "bad" },
	{ "smtpsend-oauth2-token 1\nrefresh_token r\x01\n", NULL, NULL, 0,
	  "bad" },
	{ "smtpsend-oauth2-token 1\nrefresh_token \n", NULL, NULL, 0, "bad" },
	{ "smtpsend-oauth2-token 1\nrefresh_token r1\nexpires -5\n", NULL,
	  NULL, 0, "bad" },
	{ "smtpsend-oauth2-token 1\nrefresh_token r1\nexpires 9x\n", NULL,
	  NULL, 0, "bad" },
	{ "smtpsend-oauth2-token 1\nrefresh_token r1\nscope x\n", NULL, NULL,
	  0, "bad" },
};

START_TEST(test_store_parse)
{
	const struct store_case *c = &store_cases[_i];
	struct oauth2_token t = { NULL, NULL, 0 };
	struct err err;
	int rc;

	err_clear(&err);
	rc = oauth2_store_parse(c->text, strlen(c->text), &t, &err);
	if (c->refresh == NULL) {
		ck_assert_int_eq(rc, -1);
		ck_assert_ptr_null(t.refresh);
		ck_assert_ptr_null(t.access);
		ck_assert_msg(strstr(err.text, c->error) != NULL,
			      "\"%s\" lacks \"%s\"", err.text, c->error);
		return;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(t.refresh, c->refresh);
	if (c->access == NULL)
		ck_assert_ptr_null(t.access);
	else
		ck_assert_str_eq(t.access, c->access);
	ck_assert_int_eq(t.expires, c->expires);
	oauth2_token_clear(&t);
}
END_TEST

/* A NUL byte in the file is refused, not taken as the end. */
START_TEST(test_store_nul)
{
	static const char text[] = "smtpsend-oauth2-token 1\nrefresh_token "
				   "r1\0x\n";
	struct oauth2_token t = { NULL, NULL, 0 };
	struct err err;

	ck_assert_int_eq(oauth2_store_parse(text, sizeof(text) - 1, &t, &err),
			 -1);
	ck_assert_ptr_null(t.refresh);
}
END_TEST

START_TEST(test_token_valid)
{
	char *big = malloc(OAUTH2_TOKEN_MAX + 2);

	ck_assert_int_eq(oauth2_token_valid("ya29.a0-_~+/="), 1);
	ck_assert_int_eq(oauth2_token_valid(""), 0);
	ck_assert_int_eq(oauth2_token_valid("a b"), 0);
	ck_assert_int_eq(oauth2_token_valid("a\r\n"), 0);
	ck_assert_int_eq(oauth2_token_valid("\xc3\xa9"), 0);
	memset(big, 'a', OAUTH2_TOKEN_MAX);
	big[OAUTH2_TOKEN_MAX] = '\0';
	ck_assert_int_eq(oauth2_token_valid(big), 1);
	big[OAUTH2_TOKEN_MAX] = 'a';
	big[OAUTH2_TOKEN_MAX + 1] = '\0';
	ck_assert_int_eq(oauth2_token_valid(big), 0);
	free(big);
}
END_TEST

START_TEST(test_form)
{
	struct buf b;

	buf_init(&b, 80);
	ck_assert_int_eq(http_form_add(&b, "grant_type", "refresh_token"), 0);
	ck_assert_int_eq(http_form_add(&b, "scope",
				       "https://mail.google.com/ a~b"), 0);
	ck_assert_str_eq(buf_str(&b), "grant_type=refresh_token&scope=https%3A"
			 "%2F%2Fmail.google.com%2F%20a~b");
	/* too long: refused, the form unchanged */
	ck_assert_int_eq(http_form_add(&b, "x", "&&&&&&&&&&&&&&&&&&&&&&&&"),
			 -1);
	ck_assert_str_eq(buf_str(&b), "grant_type=refresh_token&scope=https%3A"
			 "%2F%2Fmail.google.com%2F%20a~b");
	buf_clear(&b);
}
END_TEST

START_TEST(test_url_decode)
{
	char out[16];

	ck_assert_int_eq(http_url_decode("a%2Fb+c", 7, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "a/b c");
	ck_assert_int_eq(http_url_decode("%4a%4A", 6, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "JJ");
	ck_assert_int_eq(http_url_decode("%4", 2, out, sizeof(out)), -1);
	ck_assert_int_eq(http_url_decode("%zz", 3, out, sizeof(out)), -1);
	ck_assert_int_eq(http_url_decode("a%00", 4, out, sizeof(out)), -1);
	ck_assert_int_eq(http_url_decode("0123456789abcdef", 16, out,
					  sizeof(out)), -1);
	ck_assert_int_eq(http_url_decode("", 0, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "");
}
END_TEST

static Suite *
oauth2_suite(void)
{
	Suite *s = suite_create("oauth2");
	TCase *tc = tcase_create("store");
	TCase *th = tcase_create("http");

	tcase_add_loop_test(tc, test_store_parse, 0,
			    sizeof(store_cases) / sizeof(store_cases[0]));
	tcase_add_test(tc, test_store_nul);
	tcase_add_test(tc, test_token_valid);
	suite_add_tcase(s, tc);
	tcase_add_test(th, test_form);
	tcase_add_test(th, test_url_decode);
	suite_add_tcase(s, th);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(oauth2_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
