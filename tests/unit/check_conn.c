/*
 * check_conn.c - unit tests for src/conn.c over a pair of descriptors
 * (conn_new_pair): lines, long lines, raw bytes, writes, the end of input,
 * deadlines, and the descriptors left open.
 */
#include <config.h>

#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"
#include "err.h"
#include "reply.h"
#include "util.h"

/* A conn reading from in[0] and writing to out[1]; the test writes to
 * in[1] and reads from out[0]. */
struct pair {
	int in[2], out[2];
	struct conn *c;
};

static void
pair_open(struct pair *p)
{
	ck_assert_int_eq(pipe(p->in), 0);
	ck_assert_int_eq(pipe(p->out), 0);
	p->c = conn_new_pair(p->in[0], p->out[1]);
	ck_assert_ptr_nonnull(p->c);
}

static void
pair_close(struct pair *p)
{
	conn_free(p->c);
	close(p->in[0]);
	close(p->in[1]);
	close(p->out[0]);
	close(p->out[1]);
}

static void
feed(struct pair *p, const char *s, size_t n)
{
	ck_assert_int_eq(util_write_all(p->in[1], s, n), 0);
}

static long long
soon(void)
{
	return util_now_ms() + 5000;
}

START_TEST(test_pair_lines)
{
	struct pair p;
	const char *line;
	size_t len;
	bool too_long = true;
	struct err err;

	pair_open(&p);
	feed(&p, "HELO a\r\nbare\n\r\n", 15);
	ck_assert(conn_line_ready(p.c) == false);
	ck_assert_int_eq(conn_getline_max(p.c, 999, soon(), 5000, &line, &len,
					  &too_long, &err), 0);
	ck_assert(!too_long);
	ck_assert_uint_eq(len, 6);
	ck_assert_str_eq(line, "HELO a");
	ck_assert(conn_line_ready(p.c));
	ck_assert_int_eq(conn_getline(p.c, soon(), 5000, &line, &len, &err),
			 0);
	ck_assert_str_eq(line, "bare");
	ck_assert_int_eq(conn_getline(p.c, soon(), 5000, &line, &len, &err),
			 0);
	ck_assert_uint_eq(len, 0);
	ck_assert(!conn_line_ready(p.c));
	ck_assert(p.c->bytes_in == 15);
	pair_close(&p);
}
END_TEST

/* A line over the limit is read to its end and dropped; the limit counts
 * the bytes before the LF, a CR included. */
START_TEST(test_pair_too_long)
{
	struct pair p;
	char big[40];
	const char *line;
	size_t len;
	bool too_long;
	struct err err;

	pair_open(&p);
	memset(big, 'x', sizeof(big));
	feed(&p, big, 9);
	feed(&p, "\r\n", 2);
	feed(&p, big, 10);
	feed(&p, "\r\n", 2);
	feed(&p, big, sizeof(big));
	feed(&p, "\nnext\r\n", 7);
	ck_assert_int_eq(conn_getline_max(p.c, 10, soon(), 5000, &line, &len,
					  &too_long, &err), 0);
	ck_assert(!too_long);
	ck_assert_uint_eq(len, 9);
	ck_assert_int_eq(conn_getline_max(p.c, 10, soon(), 5000, &line, &len,
					  &too_long, &err), 0);
	ck_assert(too_long);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(conn_getline_max(p.c, 10, soon(), 5000, &line, &len,
					  &too_long, &err), 0);
	ck_assert(too_long);
	ck_assert_int_eq(conn_getline_max(p.c, 10, soon(), 5000, &line, &len,
					  &too_long, &err), 0);
	ck_assert(!too_long);
	ck_assert_str_eq(line, "next");
	pair_close(&p);
}
END_TEST

/* conn_getline still fails on a line longer than SMTP_LINE_MAX. */
START_TEST(test_getline_limit)
{
	struct pair p;
	char *big = malloc(SMTP_LINE_MAX + 3);
	const char *line;
	size_t len;
	struct err err;

	ck_assert_ptr_nonnull(big);
	pair_open(&p);
	memset(big, 'y', SMTP_LINE_MAX + 3);
	feed(&p, big, SMTP_LINE_MAX + 3);
	ck_assert_int_eq(conn_getline(p.c, soon(), 5000, &line, &len, &err),
			 -1);
	ck_assert_int_eq(err.cls, ERR_PROTO);
	free(big);
	pair_close(&p);
}
END_TEST

START_TEST(test_pair_peek)
{
	struct pair p;
	const char *line, *b;
	size_t len, n;
	struct err err;

	pair_open(&p);
	feed(&p, "abc\r\nrest\r\n", 11);
	ck_assert_int_eq(conn_peek(p.c, soon(), 5000, &b, &n, &err), 0);
	ck_assert_uint_eq(n, 11);
	ck_assert(memcmp(b, "abc", 3) == 0);
	conn_skip(p.c, 5);
	ck_assert_uint_eq(conn_pending(p.c), 6);
	ck_assert_int_eq(conn_getline(p.c, soon(), 5000, &line, &len, &err),
			 0);
	ck_assert_str_eq(line, "rest");
	ck_assert_uint_eq(conn_pending(p.c), 0);
	pair_close(&p);
}
END_TEST

START_TEST(test_pair_write)
{
	struct pair p;
	char got[16];
	struct err err;

	pair_open(&p);
	ck_assert_int_eq(conn_write(p.c, "250 OK\r\n", 8, 5000, &err), 0);
	ck_assert_int_eq(read(p.out[0], got, sizeof(got)), 8);
	ck_assert(memcmp(got, "250 OK\r\n", 8) == 0);
	ck_assert(p.c->bytes_out == 8);
	pair_close(&p);
}
END_TEST

START_TEST(test_pair_eof)
{
	struct pair p;
	const char *line;
	size_t len;
	struct err err;

	pair_open(&p);
	feed(&p, "partial", 7);
	close(p.in[1]);
	p.in[1] = -1;
	ck_assert_int_eq(conn_getline(p.c, soon(), 5000, &line, &len, &err),
			 -1);
	ck_assert_int_eq(p.c->fail, CONN_FAIL_CLOSED);
	ck_assert_int_eq(err.cls, ERR_NET);
	pair_close(&p);
}
END_TEST

START_TEST(test_pair_timeout)
{
	struct pair p;
	const char *line;
	size_t len;
	struct err err;
	char fill[4096];
	long long t0 = util_now_ms();

	pair_open(&p);
	ck_assert_int_eq(conn_getline(p.c, t0 + 100, 100, &line, &len, &err),
			 -1);
	ck_assert_int_eq(p.c->fail, CONN_FAIL_TIMEOUT);
	ck_assert(util_now_ms() - t0 >= 100);

	/* a reader that does not read: the write times out */
	p.c->fail = CONN_FAIL_NONE;
	ck_assert_int_eq(fcntl(p.out[1], F_SETFL, O_NONBLOCK), 0);
	memset(fill, 'z', sizeof(fill));
	while (write(p.out[1], fill, sizeof(fill)) > 0)
		;
	ck_assert_int_eq(conn_write(p.c, fill, 10, 100, &err), -1);
	ck_assert_int_eq(p.c->fail, CONN_FAIL_TIMEOUT);
	ck_assert_int_eq(err.cls, ERR_NET);
	pair_close(&p);
}
END_TEST

/* conn_free leaves the descriptors of a pair open; the same descriptor
 * may be both sides. */
START_TEST(test_pair_fds_kept)
{
	int sv[2];
	struct conn *c;
	const char *line;
	size_t len;
	struct err err;
	char got[8];

	ck_assert_int_eq(pipe(sv), 0);
	c = conn_new_pair(sv[0], sv[1]);
	ck_assert_int_eq(conn_write(c, "x\n", 2, 1000, &err), 0);
	ck_assert_int_eq(conn_getline(c, soon(), 5000, &line, &len, &err), 0);
	ck_assert_str_eq(line, "x");
	conn_free(c);
	conn_free(NULL);
	ck_assert_int_eq(write(sv[1], "y", 1), 1);
	ck_assert_int_eq(read(sv[0], got, sizeof(got)), 1);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

static Suite *
conn_suite(void)
{
	Suite *s = suite_create("conn");
	TCase *tc = tcase_create("pair");

	tcase_add_test(tc, test_pair_lines);
	tcase_add_test(tc, test_pair_too_long);
	tcase_add_test(tc, test_getline_limit);
	tcase_add_test(tc, test_pair_peek);
	tcase_add_test(tc, test_pair_write);
	tcase_add_test(tc, test_pair_eof);
	tcase_add_test(tc, test_pair_timeout);
	tcase_add_test(tc, test_pair_fds_kept);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(conn_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
