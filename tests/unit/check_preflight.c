/*
 * check_preflight.c - unit tests for src/preflight.c: the addresses as
 * sent (RFC 6531, RFC 5890), the size limit (RFC 1870 6.1), DSN not
 * offered (RFC 3461).
 */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "envelope.h"
#include "preflight.h"
#include "smtp.h"
#include "transcript.h"
#include "xalloc.h"

/* The session and its transcript, kept in memory. */
struct fixture {
	struct smtp_session s;
	struct transcript tr;
	struct buf mem;
	struct envelope e;
	struct message m;
	size_t idx[8];
	size_t n;
};

static void
setup(struct fixture *f, unsigned caps, const char *sender,
      const char *const *rcpts)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	buf_init(&f->mem, 64 * 1024);
	transcript_init(&f->tr, NULL);
	transcript_capture(&f->tr, &f->mem);
	f->s.tr = &f->tr;
	f->s.caps.flags = caps;
	envelope_init(&f->e, sender);
	for (i = 0; rcpts[i] != NULL; i++) {
		envelope_add(&f->e, rcpts[i]);
		f->idx[f->n++] = i;
	}
	f->m.size = 1000;
}

static void
teardown(struct fixture *f, struct preflight *p)
{
	preflight_clear(p);
	ck_assert_ptr_null(p->wire);
	ck_assert_ptr_null(p->sender);
	ck_assert_uint_eq(p->n, 0);
	envelope_clear(&f->e);
	buf_clear(&f->mem);
}

START_TEST(test_alabels)
{
	static const char *const r[] = { "a@b\xc3\xbc" "cher.example",
					 "b@example.org", NULL };
	struct fixture f;
	struct preflight p;

	setup(&f, 0, "s@b\xc3\xbc" "cher.example", r);
	ck_assert(preflight_run(&p, &f.s, &f.e, &f.m, f.idx, &f.n));
	ck_assert_uint_eq(f.n, 2);
	ck_assert_uint_eq(p.n, 2);
	ck_assert_str_eq(p.sender, "s@xn--bcher-kva.example");
	ck_assert_str_eq(p.wire[0], "a@xn--bcher-kva.example");
	ck_assert_str_eq(p.wire[1], "b@example.org");
	ck_assert(!p.smtputf8);
	ck_assert(!f.e.message_rejected);
	teardown(&f, &p);
}
END_TEST

/* With SMTPUTF8 the addresses go as they are, and MAIL says so when one
 * of them needs it. */
START_TEST(test_smtputf8)
{
	static const char *const r[] = { "b@example.org",
					 "j\xc3\xb6rg@example.org", NULL };
	struct fixture f;
	struct preflight p;

	setup(&f, CAP_SMTPUTF8, "s@example.org", r);
	ck_assert(preflight_run(&p, &f.s, &f.e, &f.m, f.idx, &f.n));
	ck_assert_uint_eq(f.n, 2);
	ck_assert_str_eq(p.sender, "s@example.org");
	ck_assert_str_eq(p.wire[1], "j\xc3\xb6rg@example.org");
	ck_assert(p.smtputf8);
	teardown(&f, &p);
}
END_TEST

/* A UTF-8 local part without SMTPUTF8: that recipient fails, the others
 * stay in order. */
START_TEST(test_utf8_local_dropped)
{
	static const char *const r[] = { "a@example.org",
					 "j\xc3\xb6rg@example.org",
					 "c@example.org", NULL };
	struct fixture f;
	struct preflight p;

	setup(&f, CAP_SIZE, "s@example.org", r);
	ck_assert(preflight_run(&p, &f.s, &f.e, &f.m, f.idx, &f.n));
	ck_assert_uint_eq(f.n, 2);
	ck_assert_uint_eq(f.idx[0], 0);
	ck_assert_uint_eq(f.idx[1], 2);
	ck_assert_str_eq(p.wire[0], "a@example.org");
	ck_assert_str_eq(p.wire[1], "c@example.org");
	ck_assert_int_eq(f.e.rcpts[1].state, RCPT_FAILED);
	ck_assert_int_eq(f.e.rcpts[1].stage, STAGE_LOCAL);
	ck_assert_int_eq(f.e.rcpts[0].state, RCPT_PENDING);
	ck_assert(!f.e.message_rejected);
	teardown(&f, &p);
}
END_TEST

/* A sender that cannot be sent fails everybody. */
START_TEST(test_sender_utf8)
{
	static const char *const r[] = { "a@example.org", "b@example.org",
					 NULL };
	struct fixture f;
	struct preflight p;

	setup(&f, 0, "j\xc3\xb6rg@example.org", r);
	ck_assert(!preflight_run(&p, &f.s, &f.e, &f.m, f.idx, &f.n));
	ck_assert_int_eq(f.e.rcpts[0].state, RCPT_FAILED);
	ck_assert_int_eq(f.e.rcpts[1].state, RCPT_FAILED);
	ck_assert(f.e.message_rejected);
	ck_assert_ptr_nonnull(strstr(buf_str(&f.mem), "SMTPUTF8"));
	teardown(&f, &p);
}
END_TEST

/* RFC 1870 6.1: larger than the announced limit, nothing is sent; at
 * the limit, or with no limit (0), it goes. */
START_TEST(test_size)
{
	static const char *const r[] = { "a@example.org", NULL };
	static const struct {
		unsigned long long max;
		long long size;
		bool go;
	} cases[] = {
		{ 999, 1000, false }, { 1000, 1000, true }, { 0, 1000, true },
	};
	struct fixture f;
	struct preflight p;

	setup(&f, CAP_SIZE, "s@example.org", r);
	f.s.caps.size_max = cases[_i].max;
	f.m.size = cases[_i].size;
	ck_assert_int_eq(preflight_run(&p, &f.s, &f.e, &f.m, f.idx, &f.n),
			 cases[_i].go);
	ck_assert_int_eq(f.e.message_rejected, !cases[_i].go);
	ck_assert_int_eq(f.e.rcpts[0].state,
			 cases[_i].go ? RCPT_PENDING : RCPT_FAILED);
	if (!cases[_i].go) {
		ck_assert_int_eq(f.e.rcpts[0].st.code, 0);
		ck_assert_ptr_nonnull(strstr(buf_str(&f.mem),
					     "exceeds the server's limit"));
	}
	teardown(&f, &p);
}
END_TEST

/* DSN requests to a server without DSN: dropped once, noted, and the
 * message still goes. */
START_TEST(test_dsn_dropped)
{
	static const char *const r[] = { "a@example.org", NULL };
	struct fixture f;
	struct preflight p;

	setup(&f, 0, "s@example.org", r);
	f.e.dsn_ret = xstrdup("HDRS");
	ck_assert(preflight_run(&p, &f.s, &f.e, &f.m, f.idx, &f.n));
	ck_assert(f.e.dsn_dropped);
	ck_assert_ptr_nonnull(strstr(buf_str(&f.mem), "does not offer DSN"));
	preflight_clear(&p);
	buf_reset(&f.mem);
	ck_assert(preflight_run(&p, &f.s, &f.e, &f.m, f.idx, &f.n));
	ck_assert_str_eq(buf_str(&f.mem), "");  /* said once */
	teardown(&f, &p);
}
END_TEST

static Suite *
preflight_suite(void)
{
	Suite *s = suite_create("preflight");
	TCase *tc = tcase_create("preflight");

	tcase_add_test(tc, test_alabels);
	tcase_add_test(tc, test_smtputf8);
	tcase_add_test(tc, test_utf8_local_dropped);
	tcase_add_test(tc, test_sender_utf8);
	tcase_add_loop_test(tc, test_size, 0, 3);
	tcase_add_test(tc, test_dsn_dropped);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(preflight_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
