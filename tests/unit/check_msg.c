/*
 * check_msg.c - unit tests for src/msg.c: the spool (RFC 5322 2.3 line
 * endings, RFC 1870 size, RFC 6152 8-bit detection, NUL refusal, line
 * counts and the first long line of RFC 5321 4.5.3.1.6), against a
 * reference written one byte at a time, across block boundaries; and a
 * message read from its file (msg_direct) against its spool.
 */
#include <config.h>

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "msg.h"

/* What the spool of an input must be. */
struct want {
	char *out;
	size_t len;
	bool has8bit;
	unsigned long lines, long_line;
	size_t long_len;
	unsigned long nul_line;  /* the line of the first NUL, or 0 */
};

/*
 * ref_spool - msg.h's rules one byte at a time: in[0..n), of which the
 * first skip bytes are not the caller's (not counted, not checked for
 * NUL), the first counted line being line + 1.
 */
static void
ref_spool(const char *in, size_t n, size_t skip, unsigned long line,
	  struct want *w)
{
	bool bol = true, cr = false;
	size_t i, o = 0, len = 0;

	memset(w, 0, sizeof(*w));
	w->out = malloc(2 * n + 2);
	ck_assert_ptr_nonnull(w->out);
	line++;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c >= 0x80)
			w->has8bit = true;
		if (i >= skip && c == 0 && w->nul_line == 0)
			w->nul_line = line;
		if (i >= skip && (c == '\r' || c == '\n')) {
			if (len > MSG_LINE_MAX && w->long_line == 0) {
				w->long_line = line;
				w->long_len = len;
			}
			len = 0;
			if (c == '\n')
				line++;
		} else if (i >= skip) {
			len++;
		}
		if (cr) {
			w->out[o++] = '\r';
			w->out[o++] = '\n';
			cr = false;
			bol = true;
			if (c == '\n')
				continue;
		}
		if (c == '\r') {
			cr = true;
		} else if (c == '\n') {
			w->out[o++] = '\r';
			w->out[o++] = '\n';
			bol = true;
		} else {
			w->out[o++] = (char)c;
			bol = false;
		}
	}
	if (cr || !bol) {
		w->out[o++] = '\r';
		w->out[o++] = '\n';
	}
	if (len > MSG_LINE_MAX && w->long_line == 0) {
		w->long_line = line;
		w->long_len = len;
	}
	w->len = o;
	w->lines = line;
}

/* input_file - a temporary file holding p[0..n), at offset 0. */
static int
input_file(const char *p, size_t n)
{
	char path[] = "/tmp/check_msg.XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	unlink(path);
	ck_assert_int_eq(write(fd, p, n), (ssize_t)n);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

/* read_all - the whole message through msg_pread, in pieces of random
 * size (at most max), into a new buffer. */
static char *
read_all(const struct message *m, uint32_t *seed, size_t max)
{
	char *p = malloc((size_t)m->size + 1);
	off_t off = 0;
	struct err err;

	ck_assert_ptr_nonnull(p);
	while (off < m->size) {
		size_t n;

		*seed = *seed * 1103515245u + 12345u;
		n = 1 + (*seed >> 8) % max;
		if ((off_t)n > m->size - off)
			n = (size_t)(m->size - off);
		ck_assert_msg(msg_pread(m, p + off, n, off, &err) == 0,
			      "msg_pread at %lld: %s", (long long)off,
			      err.text);
		off += (off_t)n;
	}
	return p;
}

static void
assert_message(const struct message *m, const struct want *w,
	       const char *how)
{
	ck_assert_msg(m->size == (off_t)w->len, "%s: size %lld, want %zu",
		      how, (long long)m->size, w->len);
	ck_assert_msg(m->has8bit == w->has8bit, "%s: has8bit", how);
	ck_assert_msg(m->lines == w->lines, "%s: lines %lu, want %lu", how,
		      m->lines, w->lines);
	ck_assert_msg(m->long_line == w->long_line
		      && (w->long_line == 0 || m->long_len == w->long_len),
		      "%s: long line %lu (%zu), want %lu (%zu)", how,
		      m->long_line, m->long_len, w->long_line, w->long_len);
}

/*
 * check_input - p[0..n) as the caller's input, the first pre bytes of it
 * given as the prefix (skip of them not the caller's), the rest read from
 * a file: spooled, and read from the file (msg_direct), both as the
 * reference says, byte for byte.
 */
static void
check_input(const char *p, size_t n, size_t pre, size_t skip, uint32_t seed)
{
	struct msg_input in = { -1, "input", p, pre, skip, 3, false };
	struct message m;
	struct want w;
	struct err err;
	char *got;
	int fd = input_file(p + pre, n - pre), rc;

	ref_spool(p, n, skip, 3, &w);
	in.fd = fd;
	msg_init(&m);
	rc = msg_spool(&m, &in, NULL, &err);
	if (w.nul_line != 0) {
		char text[64];

		ck_assert_int_eq(rc, -1);
		ck_assert_int_eq(err.cls, ERR_DATA);
		snprintf(text, sizeof(text), "input:%lu: ", w.nul_line);
		ck_assert_msg(strncmp(err.text, text, strlen(text)) == 0,
			      "NUL: %s, want line %lu", err.text, w.nul_line);
		ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
		ck_assert_int_eq(msg_direct(&m, &in, &err), -1);
		ck_assert_int_eq(err.cls, ERR_DATA);
		ck_assert_msg(strncmp(err.text, text, strlen(text)) == 0,
			      "NUL (direct): %s", err.text);
		goto out;
	}
	ck_assert_msg(rc == 0, "msg_spool: %s", err.text);
	assert_message(&m, &w, "spool");
	got = read_all(&m, &seed, 3 * MSG_BLOCK);
	ck_assert_msg(memcmp(got, w.out, w.len) == 0, "spool: bytes differ");
	free(got);
	msg_clear(&m);

	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(msg_direct(&m, &in, &err), 1);
	assert_message(&m, &w, "direct");
	got = read_all(&m, &seed, 3 * MSG_BLOCK);
	ck_assert_msg(memcmp(got, w.out, w.len) == 0, "direct: bytes differ");
	free(got);
	/* read again from the start, in other pieces */
	got = read_all(&m, &seed, 7);
	ck_assert_msg(memcmp(got, w.out, w.len) == 0, "direct: again");
	free(got);
out:
	msg_clear(&m);
	close(fd);
	free(w.out);
}

static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Random inputs over several blocks: runs of text of every length
 * (short, 998, 999, thousands), CR, LF, CRLF, dots, 8-bit bytes, now and
 * then a NUL; split between prefix and file anywhere. */
START_TEST(test_reference)
{
	static const char text[] = "abcdefgh. \t\x80\xff";
	size_t max = 3 * MSG_BLOCK + 100;
	char *p = malloc(max);
	uint32_t seed = 0x12345678u + (uint32_t)_i;
	int iter;

	ck_assert_ptr_nonnull(p);
	for (iter = 0; iter < 12; iter++) {
		size_t n = rnd(&seed) % max, i = 0, pre, skip;
		uint32_t kind = rnd(&seed);

		while (i < n) {
			uint32_t r = rnd(&seed);
			size_t run = r % 8 == 0 ? 990 + r % 20
				     : r % 8 == 1 ? r % 3000 : r % 120;

			for (; run > 0 && i < n; run--)
				p[i++] = (kind & 1) ? 'x'
					 : text[rnd(&seed) % (sizeof(text) - 1)];
			if (i < n)
				p[i++] = "\n\n\n\r"[rnd(&seed) % ((kind & 2) ? 4 : 3)];
			if (i + 1 < n && rnd(&seed) % 8 == 0) {
				p[i - 1] = '\r';
				p[i++] = '\n';
			}
		}
		if (n > 0 && (kind & 12) == 12)
			p[rnd(&seed) % n] = '\0';
		pre = n > 0 && (kind & 16) ? rnd(&seed) % n : 0;
		skip = pre > 0 ? rnd(&seed) % pre : 0;
		check_input(p, n, pre, skip, seed);
	}
	free(p);
}
END_TEST

/* lines_with_999 - p[0..n) as lines of 998 bytes, but the one whose LF
 * is at or after lf is 999 bytes long. */
static void
lines_with_999(char *p, size_t n, size_t lf)
{
	size_t i = 0, len;
	bool done = false;

	while (i < n) {
		len = !done && i + 998 >= lf ? 999 : 998;
		done = done || len == 999;
		for (; len > 0 && i < n; len--)
			p[i++] = 'z';
		if (i < n)
			p[i++] = '\n';
	}
}

/* Around the block boundary: a CR ends one block and an LF starts the
 * next, a long line ends right there, a line of 998 or 999 bytes
 * crosses it. */
START_TEST(test_boundary)
{
	size_t n = 2 * MSG_BLOCK + 50, i, at = MSG_BLOCK - 2 + (size_t)_i;
	char *p = malloc(n);

	ck_assert_ptr_nonnull(p);
	for (i = 0; i < n; i++)
		p[i] = i % 70 == 69 ? '\n' : 'y';
	p[at - 1] = '\r';
	p[at] = '\n';
	check_input(p, n, 0, 0, 1);
	/* lines of 998, then one of 999 ending at the boundary */
	for (i = 0; i < n; i++)
		p[i] = i % 999 == (at - 1000) % 999 ? '\n' : 'z';
	p[at] = '\n';
	check_input(p, n, 0, 0, 2);
	p[at] = '\r';
	check_input(p, n, 0, 0, 3);
	/* lines of 998, one ending just before the boundary, then CR LF */
	for (i = 0; i < n; i++)
		p[i] = i % 999 == (at - 1) % 999 ? '\n' : 'z';
	p[at] = '\r';
	p[at + 1] = '\n';
	check_input(p, n, 0, 0, 4);
	/* lines of 998 and one of 999: its LF at the boundary, or in the
	 * middle of a block */
	lines_with_999(p, n, at);
	check_input(p, n, 0, 0, 5);
	lines_with_999(p, n, at + 5000);
	check_input(p, n, 0, 0, 6);
	free(p);
}
END_TEST

/* A NUL at each offset of a 16-byte vector (and so of a word), in a
 * block without CR and in one with CR; a byte >= 0x80 at each position
 * of a vector and of the tail. */
START_TEST(test_word_offsets)
{
	char p[300];
	size_t k = (size_t)_i, i;

	for (i = 0; i < sizeof(p); i++)
		p[i] = i % 40 == 39 ? '\n' : 'q';
	p[64 + k] = '\0';
	check_input(p, sizeof(p), 0, 0, 5);
	p[10] = '\r';
	check_input(p, sizeof(p), 0, 0, 6);
	p[10] = 'q';
	p[64 + k] = 'q';
	p[64 + k] = '\x80';
	check_input(p, sizeof(p), 0, 0, 7);
	p[64 + k] = 'q';
	p[sizeof(p) - 1 - k] = '\xc3';
	check_input(p, sizeof(p) - k % 3, 0, 0, 8);
}
END_TEST

/* A file that changes after msg_direct read it: the read that reaches
 * the end fails, whether it grew, shrank or took an 8-bit byte, and
 * msg_keep refuses it too. */
START_TEST(test_changed)
{
	static const char text[] = "Subject: x\n\nline one\nline two\n";
	struct msg_input in = { -1, "input", NULL, 0, 0, 0, false };
	struct message m;
	struct err err;
	char buf[128];
	int fd = input_file(text, sizeof(text) - 1), keep;

	in.fd = fd;
	msg_init(&m);
	ck_assert_int_eq(msg_direct(&m, &in, &err), 1);
	ck_assert_int_eq(m.size, (off_t)sizeof(text) - 1 + 4);
	ck_assert_int_eq(msg_pread(&m, buf, (size_t)m.size, 0, &err), 0);
	switch (_i) {
	case 0:
		ck_assert_int_eq(pwrite(fd, "more\n", 5, sizeof(text) - 1), 5);
		break;
	case 1:
		ck_assert_int_eq(ftruncate(fd, 10), 0);
		break;
	case 2:
		ck_assert_int_eq(pwrite(fd, "\xe9", 1, 13), 1);
		break;
	}
	ck_assert_int_eq(msg_pread(&m, buf, (size_t)m.size, 0, &err), -1);
	ck_assert_int_eq(err.cls, ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.text, "changed"));
	keep = input_file("", 0);
	ck_assert_int_eq(msg_keep(&m, keep, &err), -1);
	close(keep);
	msg_clear(&m);
	close(fd);
}
END_TEST

/* msg_keep writes the spool msg_spool would have written; the message
 * is then an ordinary spooled one.  A pipe is not read directly. */
START_TEST(test_keep)
{
	static const char text[] = "Subject: k\r\n\r\n.dot\rbare\nend";
	struct msg_input in = { -1, "input", "X-Pre: 1\n", 9, 9, 1, false };
	struct message m;
	struct want w;
	struct err err;
	char buf[128];
	int fd = input_file(text, sizeof(text) - 1), keep, pp[2];

	in.fd = fd;
	msg_init(&m);
	ck_assert_int_eq(msg_direct(&m, &in, &err), 1);
	keep = input_file("", 0);
	ck_assert_int_eq(msg_keep(&m, keep, &err), 0);
	ck_assert_int_eq(m.fd, keep);
	ck_assert_ptr_null(m.direct);
	ck_assert_int_eq(pread(keep, buf, sizeof(buf), 0), m.size);
	ref_spool("X-Pre: 1\nSubject: k\r\n\r\n.dot\rbare\nend", 9 + 27, 9, 1,
		  &w);
	ck_assert_int_eq((off_t)w.len, m.size);
	ck_assert(memcmp(buf, w.out, w.len) == 0);
	free(w.out);
	msg_clear(&m);
	close(fd);

	ck_assert_int_eq(pipe(pp), 0);
	in.fd = pp[0];
	ck_assert_int_eq(msg_direct(&m, &in, &err), 0);
	close(pp[0]);
	close(pp[1]);
}
END_TEST

static Suite *
msg_suite(void)
{
	Suite *s = suite_create("msg");
	TCase *tc = tcase_create("spool");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_reference, 0, 8);
	tcase_add_loop_test(tc, test_boundary, 0, 5);
	tcase_add_loop_test(tc, test_word_offsets, 0, 16);
	tcase_add_loop_test(tc, test_changed, 0, 3);
	tcase_add_test(tc, test_keep);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(msg_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
