/*
 * check_ascii.c - unit tests for src/ascii.h: every class and case
 * mapping asked of every byte 0-255, against sets written out in full
 * (RFC 5234 B.1, RFC 5322 3.2.3).
 */
#include <config.h>

#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"

static const char upper[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
static const char lower[] = "abcdefghijklmnopqrstuvwxyz";
static const char digit[] = "0123456789";
static const char xdigit[] = "0123456789ABCDEFabcdef";
static const char atext_sym[] = "!#$%&'*+-/=?^_`{|}~";

/* in - whether byte c is one of the bytes of set (never NUL). */
static bool
in(const char *set, int c)
{
	return c != 0 && memchr(set, c, strlen(set)) != NULL;
}

START_TEST(test_classes)
{
	int c = _i;
	unsigned char u = (unsigned char)c;
	bool alpha = in(upper, c) || in(lower, c);
	bool blank = c == ' ' || c == '\t';

	ck_assert_int_eq(ascii_is_blank(u), blank);
	ck_assert_int_eq(ascii_is_space(u),
			 blank || c == '\r' || c == '\n');
	ck_assert_int_eq(ascii_is_ctl(u), c <= 31 || c == 127);
	ck_assert_int_eq(ascii_is_vchar(u), c >= 33 && c <= 126);
	ck_assert_int_eq(ascii_is_digit(u), in(digit, c));
	ck_assert_int_eq(ascii_is_upper(u), in(upper, c));
	ck_assert_int_eq(ascii_is_lower(u), in(lower, c));
	ck_assert_int_eq(ascii_is_alpha(u), alpha);
	ck_assert_int_eq(ascii_is_alnum(u), alpha || in(digit, c));
	ck_assert_int_eq(ascii_is_xdigit(u), in(xdigit, c));
	ck_assert_int_eq(ascii_is_atext(u),
			 alpha || in(digit, c) || in(atext_sym, c));
}
END_TEST

/* A char that is negative (a byte >= 0x80 where char is signed) is the
 * same byte as its unsigned char. */
START_TEST(test_signed_char)
{
	char ch = (char)_i;
	unsigned char u = (unsigned char)_i;

	ck_assert_int_eq(ascii_is_blank(ch), ascii_is_blank(u));
	ck_assert_int_eq(ascii_is_space(ch), ascii_is_space(u));
	ck_assert_int_eq(ascii_is_ctl(ch), ascii_is_ctl(u));
	ck_assert_int_eq(ascii_is_vchar(ch), ascii_is_vchar(u));
	ck_assert_int_eq(ascii_is_alnum(ch), ascii_is_alnum(u));
	ck_assert_int_eq(ascii_is_xdigit(ch), ascii_is_xdigit(u));
	ck_assert_int_eq(ascii_is_atext(ch), ascii_is_atext(u));
}
END_TEST

START_TEST(test_case)
{
	int c = _i;
	char ch = (char)c;
	const char *p;
	char want_lo = ch, want_up = ch;

	if (in(upper, c)) {
		p = memchr(upper, c, sizeof(upper) - 1);
		want_lo = lower[p - upper];
	} else if (in(lower, c)) {
		p = memchr(lower, c, sizeof(lower) - 1);
		want_up = upper[p - lower];
	}
	ck_assert_int_eq(ascii_tolower(ch), want_lo);
	ck_assert_int_eq(ascii_toupper(ch), want_up);
}
END_TEST

static Suite *
ascii_suite(void)
{
	Suite *s = suite_create("ascii");
	TCase *tc = tcase_create("bytes");

	tcase_add_loop_test(tc, test_classes, 0, 256);
	tcase_add_loop_test(tc, test_signed_char, 0, 256);
	tcase_add_loop_test(tc, test_case, 0, 256);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(ascii_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
