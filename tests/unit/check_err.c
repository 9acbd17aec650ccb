/*
 * check_err.c - unit tests for src/err.c: err_prefix, which puts "what: "
 * before an error's text and cuts its end when the whole does not fit.
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "utf8.h"

/* assert_printable - err's text is what printable() makes of it: no
 * control character, UTF-8 only as whole sequences. */
static void
assert_printable(const struct err *e)
{
	char again[ERR_TEXT_MAX];

	printable(again, sizeof(again), e->text, strlen(e->text));
	ck_assert_str_eq(again, e->text);
}

START_TEST(test_prefix)
{
	struct err e;

	err_set(&e, ERR_DATA, false, "bad address");
	err_prefix(&e, "To");
	ck_assert_str_eq(e.text, "To: bad address");
	ck_assert_int_eq(e.cls, ERR_DATA);
	err_prefix(&e, NULL);
	ck_assert_str_eq(e.text, "To: bad address");
	err_prefix(NULL, "x");
}
END_TEST

/* A text that fills err.text loses its end to make room. */
START_TEST(test_prefix_cuts)
{
	struct err e;
	char long_text[ERR_TEXT_MAX];

	memset(long_text, 'a', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	err_set(&e, ERR_DATA, false, "%s", long_text);
	ck_assert_uint_eq(strlen(e.text), ERR_TEXT_MAX - 1);
	err_prefix(&e, "what");
	ck_assert_uint_eq(strlen(e.text), ERR_TEXT_MAX - 1);
	ck_assert(strncmp(e.text, "what: aaa", 9) == 0);
}
END_TEST

/*
 * The cut falls between UTF-8 characters, never inside one (found by
 * tests/fuzz/fuzz_headers: "X-Fuzz: ..." ended with a lone 0xd3).  The
 * character of n bytes starts where "p: " (3 bytes) plus the text up to it
 * leaves k of its bytes room, for every k from 1 to n - 1.
 */
START_TEST(test_prefix_cuts_utf8)
{
	static const char *const chars[] = {
		"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
	};
	char text[ERR_TEXT_MAX];
	struct err e;
	size_t n, k, lead;

	for (n = 2; n <= 4; n++) {
		for (k = 1; k < n; k++) {
			/* 511 bytes of text at most, 508 kept after "p: " */
			lead = ERR_TEXT_MAX - 1 - 3 - k;
			memset(text, 'a', lead);
			memcpy(text + lead, chars[n - 2], n);
			text[lead + n] = '\0';
			err_set(&e, ERR_DATA, false, "%s", text);
			ck_assert_str_eq(e.text, text);
			err_prefix(&e, "p");
			assert_printable(&e);
			ck_assert_uint_eq(strlen(e.text), 3 + lead);
			ck_assert_int_eq(e.text[strlen(e.text) - 1], 'a');
		}
	}
}
END_TEST

/* A hint stays with its error when copied, is made printable, and goes
 * with the next err_set. */
START_TEST(test_hint)
{
	struct err e, copy;

	err_clear(&e);
	ck_assert_str_eq(e.hint, "");
	err_set(&e, ERR_NET, true, "cannot resolve host %s", "x.invalid");
	err_hint(&e, "check \"%s\"\n", "x.invalid");
	ck_assert_str_eq(e.hint, "check \"x.invalid\"?");
	copy = e;
	err_prefix(&copy, "bob");
	ck_assert_str_eq(copy.hint, "check \"x.invalid\"?");
	err_set(&e, ERR_TLS, true, "other");
	ck_assert_str_eq(e.hint, "");
	err_hint(&e, "h");
	err_set_reply(&e, 535, "5.7.8", "no");
	ck_assert_str_eq(e.hint, "");
}
END_TEST

static Suite *
err_suite(void)
{
	Suite *s = suite_create("err");
	TCase *tc = tcase_create("prefix");

	tcase_add_test(tc, test_prefix);
	tcase_add_test(tc, test_prefix_cuts);
	tcase_add_test(tc, test_prefix_cuts_utf8);
	tcase_add_test(tc, test_hint);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(err_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
