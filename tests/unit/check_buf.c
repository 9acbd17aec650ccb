/*
 * check_buf.c - unit tests for src/buf.c (bounded buffers).
 */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

/* assert_content - b holds exactly the n bytes of want, NUL after them. */
static void
assert_content(const struct buf *b, const char *want, size_t n)
{
	ck_assert_uint_eq(b->len, n);
	ck_assert_uint_le(b->len, b->max);
	if (n > 0)
		ck_assert_mem_eq(buf_str(b), want, n);
	ck_assert_int_eq(buf_str(b)[n], '\0');
	if (b->p != NULL)
		ck_assert_uint_gt(b->cap, b->len);
}

START_TEST(test_empty)
{
	struct buf b;

	buf_init(&b, 100);
	ck_assert_ptr_null(b.p);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.max, 100);
	ck_assert_ptr_nonnull(buf_str(&b));
	ck_assert_str_eq(buf_str(&b), "");
	buf_clear(&b);
	ck_assert_str_eq(buf_str(&b), "");
	buf_reset(&b);
	ck_assert_str_eq(buf_str(&b), "");
	buf_consume(&b, 0);
	ck_assert_str_eq(buf_str(&b), "");
	buf_clear_secret(&b);
	ck_assert_ptr_null(b.p);
}
END_TEST

/* Appends up to max succeed; one byte more fails and changes nothing. */
static const struct append_case {
	size_t max;
	const char *chunks[5];
	int fail_at;    /* index of the first chunk that must fail, or -1 */
} append_cases[] = {
	{ 10, { "0123456789", "x" }, 1 },
	{ 10, { "01234", "56789", "" , "a" }, 3 },
	{ 10, { "01234567890" }, 0 },
	{ 10, { "0123", "456789x" }, 1 },
	{ 10, { "", "", "0123456789" }, -1 },
	{ 0, { "", "a" }, 1 },
	{ 1, { "a", "b" }, 1 },
	{ 64, { "0123456789012345678901234567890123456789012345678901234567890"
		"12" , "3", "4" }, 2 },
	{ 65, { "0123456789012345678901234567890123456789012345678901234567890"
		"12" , "3", "4", "5" }, 3 },
};

START_TEST(test_append)
{
	const struct append_case *t = &append_cases[_i];
	char want[256];
	size_t wlen = 0;
	struct buf b;
	int i;

	buf_init(&b, t->max);
	for (i = 0; i < 5 && t->chunks[i] != NULL; i++) {
		size_t n = strlen(t->chunks[i]);
		int ret = buf_append(&b, t->chunks[i], n);

		if (t->fail_at >= 0 && i >= t->fail_at) {
			ck_assert_msg(ret == -1, "chunk %d accepted", i);
		} else {
			ck_assert_msg(ret == 0, "chunk %d refused", i);
			memcpy(want + wlen, t->chunks[i], n);
			wlen += n;
		}
		assert_content(&b, want, wlen);
		if (t->fail_at >= 0 && i >= t->fail_at)
			break;
	}
	if (t->fail_at >= 0)
		ck_assert_int_eq(i, t->fail_at);
	buf_clear(&b);
}
END_TEST

/* Binary content: NUL bytes are kept and counted. */
START_TEST(test_binary)
{
	struct buf b;
	static const char bin[] = "a\0b\0\0c";

	buf_init(&b, 100);
	ck_assert_int_eq(buf_append(&b, bin, sizeof(bin) - 1), 0);
	assert_content(&b, bin, sizeof(bin) - 1);
	ck_assert_int_eq(buf_append(&b, "", 1), 0);     /* one NUL byte */
	ck_assert_uint_eq(b.len, sizeof(bin));
	ck_assert_mem_eq(b.p, bin, sizeof(bin));
	buf_clear(&b);
}
END_TEST

/* A huge n is refused without arithmetic overflow. */
START_TEST(test_append_huge)
{
	struct buf b;

	buf_init(&b, 100);
	ck_assert_int_eq(buf_append(&b, "abc", 3), 0);
	ck_assert_int_eq(buf_append(&b, "x", SIZE_MAX), -1);
	ck_assert_int_eq(buf_append(&b, "x", SIZE_MAX - 2), -1);
	ck_assert_int_eq(buf_append(&b, "x", 98), -1);
	assert_content(&b, "abc", 3);
	buf_clear(&b);
}
END_TEST

/* Growth one byte at a time up to max, then the limit holds. */
START_TEST(test_grow)
{
	struct buf b;
	size_t i, max = 100000;
	char c;

	buf_init(&b, max);
	for (i = 0; i < max; i++) {
		c = (char)('a' + i % 26);
		ck_assert_int_eq(buf_append(&b, &c, 1), 0);
		ck_assert_int_eq(b.p[b.len], '\0');
	}
	ck_assert_uint_eq(b.len, max);
	ck_assert_uint_le(b.cap, max + 1);
	for (i = 0; i < max; i++)
		ck_assert_int_eq(b.p[i], 'a' + (int)(i % 26));
	ck_assert_int_eq(buf_append(&b, "z", 1), -1);
	ck_assert_uint_eq(b.len, max);
	ck_assert_int_eq(b.p[max - 1], 'a' + (int)((max - 1) % 26));
	ck_assert_int_eq(b.p[max], '\0');
	buf_clear(&b);
}
END_TEST

START_TEST(test_append_str)
{
	struct buf b;

	buf_init(&b, 8);
	ck_assert_int_eq(buf_append_str(&b, "abc"), 0);
	ck_assert_int_eq(buf_append_str(&b, ""), 0);
	ck_assert_int_eq(buf_append_str(&b, "defgh"), 0);
	ck_assert_str_eq(buf_str(&b), "abcdefgh");
	ck_assert_int_eq(buf_append_str(&b, "i"), -1);
	ck_assert_str_eq(buf_str(&b), "abcdefgh");
	buf_clear(&b);
}
END_TEST

/* ---- buf_printf: both the small and the large path ---- */

static const size_t printf_lens[] = {
	0, 1, 100, 254, 255, 256, 257, 511, 512, 1000, 4096, 100000
};

START_TEST(test_printf_sizes)
{
	size_t n = printf_lens[_i];
	char *s = malloc(n + 1), *want = malloc(n + 16);
	struct buf b;

	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(want);
	memset(s, 'x', n);
	s[n] = '\0';
	if (n > 0)
		s[n - 1] = 'y';

	/* exactly fits with a prefix already there */
	buf_init(&b, n + 3);
	ck_assert_int_eq(buf_append(&b, "ab", 2), 0);
	ck_assert_int_eq(buf_printf(&b, "%s%c", s, '!'), 0);
	memcpy(want, "ab", 2);
	memcpy(want + 2, s, n);
	want[n + 2] = '!';
	assert_content(&b, want, n + 3);

	/* then nothing more fits, and a failure changes nothing */
	ck_assert_int_eq(buf_printf(&b, "%s", "z"), -1);
	assert_content(&b, want, n + 3);
	buf_clear(&b);

	/* one byte too many from the start: refused, unchanged */
	buf_init(&b, n + 2);
	ck_assert_int_eq(buf_append(&b, "ab", 2), 0);
	ck_assert_int_eq(buf_printf(&b, "%s%c", s, '!'), -1);
	assert_content(&b, "ab", 2);
	buf_clear(&b);

	free(s);
	free(want);
}
END_TEST

START_TEST(test_printf_formats)
{
	struct buf b;

	buf_init(&b, 1000);
	ck_assert_int_eq(buf_printf(&b, "%d-%s-%05u", -42, "x", 7u), 0);
	ck_assert_int_eq(buf_printf(&b, "%s", ""), 0);
	ck_assert_int_eq(buf_printf(&b, "|%300d|", 1), 0);
	ck_assert_uint_eq(b.len, strlen("-42-x-00007") + 302);
	ck_assert_int_eq(strncmp(buf_str(&b), "-42-x-00007|", 12), 0);
	ck_assert_int_eq(b.p[b.len - 2], '1');
	ck_assert_int_eq(b.p[b.len - 1], '|');
	ck_assert_int_eq(b.p[b.len], '\0');
	buf_clear(&b);
}
END_TEST

/* ---- buf_consume / buf_reset / buf_clear ---- */

static const struct consume_case {
	const char *in;
	size_t n;
	const char *out;
} consume_cases[] = {
	{ "hello world", 0, "hello world" },
	{ "hello world", 1, "ello world" },
	{ "hello world", 6, "world" },
	{ "hello world", 10, "d" },
	{ "hello world", 11, "" },
	{ "", 0, "" },
};

START_TEST(test_consume)
{
	const struct consume_case *t = &consume_cases[_i];
	struct buf b;

	buf_init(&b, 100);
	ck_assert_int_eq(buf_append_str(&b, t->in), 0);
	buf_consume(&b, t->n);
	assert_content(&b, t->out, strlen(t->out));
	/* still usable */
	ck_assert_int_eq(buf_append_str(&b, "!"), 0);
	ck_assert_uint_eq(b.len, strlen(t->out) + 1);
	ck_assert_int_eq(b.p[b.len - 1], '!');
	buf_clear(&b);
}
END_TEST

/* Consuming frees room under max. */
START_TEST(test_consume_room)
{
	struct buf b;

	buf_init(&b, 5);
	ck_assert_int_eq(buf_append_str(&b, "abcde"), 0);
	ck_assert_int_eq(buf_append_str(&b, "f"), -1);
	buf_consume(&b, 2);
	ck_assert_int_eq(buf_append_str(&b, "fg"), 0);
	ck_assert_str_eq(buf_str(&b), "cdefg");
	ck_assert_int_eq(buf_append_str(&b, "h"), -1);
	buf_clear(&b);
}
END_TEST

/* buf_take: the content moves to the caller; the buffer is empty and
 * reusable, with its limit. */
START_TEST(test_take)
{
	struct buf b;
	char *p, *q;

	buf_init(&b, 50);
	p = buf_take(&b);
	ck_assert_str_eq(p, "");                /* never appended to */
	free(p);
	ck_assert_int_eq(buf_append_str(&b, "taken"), 0);
	q = b.p;
	p = buf_take(&b);
	ck_assert_ptr_eq(p, q);                 /* no copy */
	ck_assert_str_eq(p, "taken");
	ck_assert_ptr_null(b.p);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.cap, 0);
	ck_assert_uint_eq(b.max, 50);
	ck_assert_int_eq(buf_append_str(&b, "more"), 0);
	ck_assert_str_eq(buf_str(&b), "more");
	ck_assert_str_eq(p, "taken");
	free(p);
	buf_clear(&b);
}
END_TEST

START_TEST(test_reset_clear)
{
	struct buf b;
	char *p;

	buf_init(&b, 50);
	ck_assert_int_eq(buf_append_str(&b, "secret"), 0);
	p = b.p;
	buf_reset(&b);
	ck_assert_ptr_eq(b.p, p);               /* memory kept */
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(buf_str(&b), "");
	ck_assert_int_eq(buf_append_str(&b, "x"), 0);
	ck_assert_str_eq(buf_str(&b), "x");

	buf_clear(&b);
	ck_assert_ptr_null(b.p);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.cap, 0);
	ck_assert_uint_eq(b.max, 50);           /* the limit stays */
	ck_assert_str_eq(buf_str(&b), "");
	ck_assert_int_eq(buf_append_str(&b, "again"), 0);
	ck_assert_str_eq(buf_str(&b), "again");

	buf_clear_secret(&b);
	ck_assert_ptr_null(b.p);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_int_eq(buf_append_str(&b, "more"), 0);
	ck_assert_str_eq(buf_str(&b), "more");
	buf_clear(&b);
	buf_clear(&b);                          /* twice is fine */
}
END_TEST

/* read_file_of - a temporary file of n bytes ('a' + i % 26), opened at
 * its start. */
static int
read_file_of(size_t n)
{
	FILE *f = tmpfile();
	size_t i;
	int fd;

	ck_assert_ptr_nonnull(f);
	for (i = 0; i < n; i++)
		ck_assert_int_ne(fputc('a' + (int)(i % 26), f), EOF);
	ck_assert_int_eq(fflush(f), 0);
	fd = dup(fileno(f));
	fclose(f);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

/* The sizes around the limit and around the 8 KiB reads. */
static const struct {
	size_t size, max;
	int want;
} read_cases[] = {
	{ 0, 100, 0 }, { 1, 100, 0 }, { 100, 100, 0 },
	{ 101, 100, BUF_TOO_BIG }, { 8192, 8192, 0 },
	{ 8193, 8192, BUF_TOO_BIG }, { 20000, 65536, 0 },
	{ 70000, 65536, BUF_TOO_BIG }, { 0, 0, 0 }, { 1, 0, BUF_TOO_BIG },
};

START_TEST(test_read_fd)
{
	size_t size = read_cases[_i].size, i;
	struct buf b;
	int fd = read_file_of(size);

	if (_i % 2)
		buf_init_secret(&b, read_cases[_i].max);
	else
		buf_init(&b, read_cases[_i].max);
	ck_assert_int_eq(buf_read_fd(&b, fd), read_cases[_i].want);
	if (read_cases[_i].want == 0) {
		ck_assert_uint_eq(b.len, size);
		for (i = 0; i < size; i++)
			ck_assert_int_eq(b.p[i], 'a' + (int)(i % 26));
		ck_assert_int_eq(buf_str(&b)[size], '\0');
	} else {
		ck_assert_uint_le(b.len, b.max);
	}
	close(fd);
	buf_clear(&b);
}
END_TEST

START_TEST(test_read_fd_appends_and_fails)
{
	struct buf b;
	int fd = read_file_of(3);

	buf_init(&b, 10);
	ck_assert_int_eq(buf_append_str(&b, "xy"), 0);
	ck_assert_int_eq(buf_read_fd(&b, fd), 0);
	ck_assert_str_eq(buf_str(&b), "xyabc");
	close(fd);
	/* a read error is -1 with errno, and b keeps what it had */
	ck_assert_int_eq(buf_read_fd(&b, fd), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_str_eq(buf_str(&b), "xyabc");
	buf_clear(&b);
}
END_TEST

static Suite *
buf_suite(void)
{
	Suite *s = suite_create("buf");
	TCase *tc;

	tc = tcase_create("append");
	tcase_add_test(tc, test_empty);
	tcase_add_loop_test(tc, test_append, 0,
			    sizeof(append_cases) / sizeof(append_cases[0]));
	tcase_add_test(tc, test_binary);
	tcase_add_test(tc, test_append_huge);
	tcase_add_test(tc, test_grow);
	tcase_add_test(tc, test_append_str);
	suite_add_tcase(s, tc);

	tc = tcase_create("printf");
	tcase_add_loop_test(tc, test_printf_sizes, 0,
			    sizeof(printf_lens) / sizeof(printf_lens[0]));
	tcase_add_test(tc, test_printf_formats);
	suite_add_tcase(s, tc);

	tc = tcase_create("consume");
	tcase_add_loop_test(tc, test_consume, 0,
			    sizeof(consume_cases) / sizeof(consume_cases[0]));
	tcase_add_test(tc, test_consume_room);
	tcase_add_test(tc, test_reset_clear);
	tcase_add_test(tc, test_take);
	suite_add_tcase(s, tc);

	tc = tcase_create("read_fd");
	tcase_add_loop_test(tc, test_read_fd, 0,
			    sizeof(read_cases) / sizeof(read_cases[0]));
	tcase_add_test(tc, test_read_fd_appends_and_fails);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(buf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
