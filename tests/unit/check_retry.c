/*
 * check_retry.c - unit tests for src/retry.c (the retry policy: capped,
 * jittered exponential backoff with an absolute lifetime).
 */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "retry.h"

#define NATTEMPTS 12

/* an entry created at this time; the defaults make it expire 5 days on */
#define CREATED ((time_t)1767225600)

static struct retry_policy
defaults(void)
{
	struct retry_policy p;

	retry_defaults(&p);
	return p;
}

START_TEST(test_defaults)
{
	struct retry_policy p = { 0, 0, 0 };

	retry_defaults(&p);
	ck_assert_int_eq(p.min, 300);
	ck_assert_int_eq(p.max, 14400);
	ck_assert_int_eq(p.max_age, 5 * 86400);
}
END_TEST

/* ---- retry_delay: the schedule, written out ---- */

/* With min 300 and max 14400 the base delay doubles 300, 600, ... 9600,
 * then stays at 14400 (19200 capped); the jitter factor is 0.75 + 0.5 r. */
static const struct delay_case {
	double r;
	long delay[NATTEMPTS];          /* attempts 1..12 */
} delay_cases[] = {
	{ 0.0,   { 225, 450, 900, 1800, 3600, 7200,
		   10800, 10800, 10800, 10800, 10800, 10800 } },
	{ 0.5,   { 300, 600, 1200, 2400, 4800, 9600,
		   14400, 14400, 14400, 14400, 14400, 14400 } },
	{ 0.999, { 374, 749, 1499, 2998, 5997, 11995,
		   17992, 17992, 17992, 17992, 17992, 17992 } },
};

START_TEST(test_delay_schedule)
{
	const struct delay_case *t = &delay_cases[_i];
	struct retry_policy p = defaults();
	unsigned n;

	for (n = 1; n <= NATTEMPTS; n++) {
		long d = retry_delay(&p, n, t->r);
		ck_assert_msg(d == t->delay[n - 1],
			      "r %g, attempt %u: %ld, expected %ld", t->r, n,
			      d, t->delay[n - 1]);
	}
}
END_TEST

/* Other policies: the cap is exact, and nothing is below 1 second. */
static const struct policy_case {
	long min, max;
	unsigned attempts;
	double r;
	long delay;
} policy_cases[] = {
	{ 0, 14400, 1, 0.0, 1 },        /* min 0: 0.75 s rounds up to 1 */
	{ 1, 14400, 1, 0.0, 1 },        /* 0.75 s: 1 */
	{ 0, 14400, 1, 0.999, 1 },      /* 1.2495 s */
	{ 1, 14400, 3, 0.0, 3 },        /* 4 * 0.75 */
	{ 1, 14400, 3, 0.5, 4 },
	{ 60, 100, 1, 0.5, 60 },
	{ 60, 100, 2, 0.5, 100 },       /* 120 capped */
	{ 60, 100, 2, 0.0, 75 },
	{ 60, 60, 5, 0.5, 60 },         /* min == max: constant */
	{ 300, 14400, 1000, 0.5, 14400 }, /* many attempts: still the cap */
	{ 300, 14400, 4000000000u, 0.0, 10800 },
	{ 10, 0, 1, 0.5, 1 },           /* max 0: never less than 1 s */
};

START_TEST(test_delay_policies)
{
	const struct policy_case *t = &policy_cases[_i];
	struct retry_policy p = defaults();
	long d;

	p.min = t->min;
	p.max = t->max;
	d = retry_delay(&p, t->attempts, t->r);
	ck_assert_msg(d == t->delay,
		      "case %d (min %ld max %ld attempt %u r %g): %ld, "
		      "expected %ld", _i, t->min, t->max, t->attempts, t->r, d,
		      t->delay);
}
END_TEST

/* r outside [0, 1) is clamped into it: below 0 acts as 0; 1 and above act
 * as just under 1, so the delay stays below 1.25 * base. */
static const double clamp_low[] = { -0.001, -0.5, -1.0, -1e300 };
static const double clamp_high[] = { 1.0, 1.5, 2.0, 1e300 };

START_TEST(test_delay_clamp)
{
	struct retry_policy p = defaults();
	unsigned n;
	size_t i;

	for (n = 1; n <= NATTEMPTS; n++) {
		long lo = retry_delay(&p, n, 0.0);
		long hi = retry_delay(&p, n, 0.999);
		long base = n < 7 ? 300L << (n - 1) : 14400;

		for (i = 0; i < sizeof(clamp_low) / sizeof(clamp_low[0]); i++)
			ck_assert_msg(retry_delay(&p, n, clamp_low[i]) == lo,
				      "attempt %u, r %g: %ld, expected %ld", n,
				      clamp_low[i],
				      retry_delay(&p, n, clamp_low[i]), lo);
		for (i = 0; i < sizeof(clamp_high) / sizeof(clamp_high[0]);
		     i++) {
			long d = retry_delay(&p, n, clamp_high[i]);
			ck_assert_msg(d >= hi && d < base + base / 4,
				      "attempt %u, r %g: %ld, expected "
				      "[%ld, %ld)", n, clamp_high[i], d, hi,
				      base + base / 4);
		}
		ck_assert_int_eq(retry_delay(&p, n, -INFINITY), lo);
		ck_assert_int_ge(retry_delay(&p, n, INFINITY), hi);
		ck_assert_int_lt(retry_delay(&p, n, INFINITY),
				 base + base / 4);
	}
}
END_TEST

/* NaN is outside [0, 1) too: it must give a delay of the schedule, not
 * whatever converting NaN to long gives. */
START_TEST(test_delay_nan)
{
	struct retry_policy p = defaults();
	unsigned n;

	for (n = 1; n <= NATTEMPTS; n++) {
		long d = retry_delay(&p, n, NAN);
		long lo = retry_delay(&p, n, 0.0);
		long hi = retry_delay(&p, n, 1.0);

		ck_assert_msg(d >= lo && d <= hi,
			      "attempt %u, r NaN: %ld, expected [%ld, %ld]", n,
			      d, lo, hi);
	}
}
END_TEST

/* ---- retry_next ---- */

/* Far from the end: now + the delay. */
START_TEST(test_next_normal)
{
	struct retry_policy p = defaults();
	const struct delay_case *t = &delay_cases[_i];
	time_t now = CREATED + 3600;
	unsigned n;

	for (n = 1; n <= NATTEMPTS; n++) {
		time_t next = retry_next(&p, n, CREATED, now, t->r);
		ck_assert_msg(next == now + t->delay[n - 1],
			      "r %g, attempt %u: now + %lld, "
			      "expected now + %ld",
			      t->r, n, (long long)(next - now),
			      t->delay[n - 1]);
	}
}
END_TEST

/* Close to the end: exactly at the end. */
static const struct next_case {
	long before_end;        /* now = created + max_age - before_end */
	unsigned attempts;
	double r;
	long after_now;         /* expected next - now */
} next_cases[] = {
	{ 100, 3, 0.5, 100 },           /* delay 1200: cut to the end */
	{ 1199, 3, 0.5, 1199 },
	{ 1200, 3, 0.5, 1200 },         /* exactly at the end anyway */
	{ 1201, 3, 0.5, 1200 },         /* one second before the end */
	{ 1, 1, 0.0, 1 },               /* the last second */
	{ 10000, 12, 0.999, 10000 },
	{ 17992, 12, 0.999, 17992 },
	{ 17993, 12, 0.999, 17992 },
	{ 20000, 12, 0.999, 17992 },
};

START_TEST(test_next_at_end)
{
	const struct next_case *t = &next_cases[_i];
	struct retry_policy p = defaults();
	time_t now = CREATED + p.max_age - t->before_end;
	time_t next = retry_next(&p, t->attempts, CREATED, now, t->r);

	ck_assert_msg(next - now == t->after_now,
		      "case %d: now + %lld, expected now + %ld", _i,
		      (long long)(next - now), t->after_now);
	ck_assert_int_le(next, CREATED + p.max_age);
}
END_TEST

/* For every attempt, r and time before the end: after now, never after
 * the end, and the full delay when that fits. */
START_TEST(test_next_bounded)
{
	static const double rs[] = { 0.0, 0.25, 0.5, 0.75, 0.999 };
	struct retry_policy p = defaults();
	time_t end = CREATED + p.max_age;
	unsigned n;
	size_t i;
	long before;

	for (n = 1; n <= NATTEMPTS; n++)
		for (i = 0; i < sizeof(rs) / sizeof(rs[0]); i++)
			for (before = 1; before <= 20000; before += 7) {
				time_t now = end - before;
				time_t next = retry_next(&p, n, CREATED, now,
							 rs[i]);
				long d = retry_delay(&p, n, rs[i]);

				ck_assert_msg(next > now && next <= end,
					      "attempt %u r %g now end-%ld: "
					      "end%+lld", n, rs[i], before,
					      (long long)(next - end));
				ck_assert(next == (d <= before ? now + d
							       : end));
			}
}
END_TEST

/* ---- retry_expired ---- */

static const struct expired_case {
	long max_age;
	long age;               /* now - created */
	bool expired;
} expired_cases[] = {
	{ RETRY_MAX_AGE_DEFAULT, RETRY_MAX_AGE_DEFAULT, true },
	{ RETRY_MAX_AGE_DEFAULT, RETRY_MAX_AGE_DEFAULT - 1, false },
	{ RETRY_MAX_AGE_DEFAULT, RETRY_MAX_AGE_DEFAULT + 1, true },
	{ RETRY_MAX_AGE_DEFAULT, 0, false },
	{ RETRY_MAX_AGE_DEFAULT, -3600, false },   /* clock went back */
	{ 3600, 3600, true },
	{ 3600, 3599, false },
	{ 0, 0, true },
	{ 0, -1, false },
};

START_TEST(test_expired)
{
	const struct expired_case *t = &expired_cases[_i];
	struct retry_policy p = defaults();

	p.max_age = t->max_age;
	ck_assert_msg(retry_expired(&p, CREATED, CREATED + t->age)
			      == t->expired,
		      "max_age %ld, age %ld: expected %s", t->max_age, t->age,
		      t->expired ? "expired" : "not expired");
}
END_TEST

static Suite *
retry_suite(void)
{
	Suite *s = suite_create("retry");
	TCase *tc;

	tc = tcase_create("delay");
	tcase_add_test(tc, test_defaults);
	tcase_add_loop_test(tc, test_delay_schedule, 0,
			    sizeof(delay_cases) / sizeof(delay_cases[0]));
	tcase_add_loop_test(tc, test_delay_policies, 0,
			    sizeof(policy_cases) / sizeof(policy_cases[0]));
	tcase_add_test(tc, test_delay_clamp);
	tcase_add_test(tc, test_delay_nan);
	suite_add_tcase(s, tc);

	tc = tcase_create("next");
	tcase_add_loop_test(tc, test_next_normal, 0,
			    sizeof(delay_cases) / sizeof(delay_cases[0]));
	tcase_add_loop_test(tc, test_next_at_end, 0,
			    sizeof(next_cases) / sizeof(next_cases[0]));
	tcase_add_test(tc, test_next_bounded);
	tcase_add_loop_test(tc, test_expired, 0,
			    sizeof(expired_cases) / sizeof(expired_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(retry_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
