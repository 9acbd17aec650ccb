/*
 * check_strset.c - unit tests for src/strset.h: membership is exact
 * (byte for byte), each string is added once, the table grows without
 * losing anything, and the strings stay the caller's.
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strset.h"

START_TEST(test_empty)
{
	struct strset s;

	strset_init(&s);
	ck_assert(!strset_has(&s, ""));
	ck_assert(!strset_has(&s, "a@example.org"));
	strset_clear(&s);
	strset_clear(&s);       /* twice is fine */
	ck_assert_uint_eq(s.n, 0);
}
END_TEST

START_TEST(test_add_once)
{
	struct strset s;
	char copy[] = "a@example.org";

	strset_init(&s);
	ck_assert(strset_add(&s, "a@example.org"));
	ck_assert(!strset_add(&s, "a@example.org"));
	ck_assert(!strset_add(&s, copy));       /* equal, not the same */
	ck_assert(strset_has(&s, copy));
	ck_assert_uint_eq(s.n, 1);
	/* exact: case, a prefix, a longer string and "" are others */
	ck_assert(!strset_has(&s, "A@example.org"));
	ck_assert(!strset_has(&s, "a@example.or"));
	ck_assert(!strset_has(&s, "a@example.org."));
	ck_assert(!strset_has(&s, ""));
	ck_assert(strset_add(&s, ""));
	ck_assert(strset_has(&s, ""));
	ck_assert_uint_eq(s.n, 2);
	strset_clear(&s);
	ck_assert(!strset_has(&s, "a@example.org"));
}
END_TEST

/* many - 20000 strings (the table grows many times), each added twice:
 * every one is found, none twice, none that was not added. */
START_TEST(test_many)
{
	enum { N = 20000 };
	static char str[N][32];
	struct strset s;
	char probe[32];
	size_t i;

	strset_init(&s);
	for (i = 0; i < N; i++) {
		snprintf(str[i], sizeof(str[i]), "r%zu@example.net", i);
		ck_assert(strset_add(&s, str[i]));
	}
	for (i = 0; i < N; i++) {
		snprintf(probe, sizeof(probe), "r%zu@example.net", i);
		ck_assert(!strset_add(&s, probe));
		ck_assert(strset_has(&s, probe));
		snprintf(probe, sizeof(probe), "r%zu@example.com", i);
		ck_assert(!strset_has(&s, probe));
	}
	ck_assert_uint_eq(s.n, N);
	ck_assert_uint_ge(s.cap, 2 * N);        /* at most half full */
	ck_assert_uint_eq(s.cap & (s.cap - 1), 0);
	strset_clear(&s);
}
END_TEST

static Suite *
strset_suite(void)
{
	Suite *s = suite_create("strset");
	TCase *tc = tcase_create("set");

	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_add_once);
	tcase_add_test(tc, test_many);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(strset_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
