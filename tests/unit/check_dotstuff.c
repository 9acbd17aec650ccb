/*
 * check_dotstuff.c - unit tests for src/dotstuff.c (RFC 5321 4.1.1.4 and
 * 4.5.2: CRLF line endings and dot-stuffing; no input may end DATA early;
 * un-stuffing, and sendmail's lone "." line).
 */
#include <config.h>

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dotstuff.h"

#define CANARY 0xa7
#define OUT_MAX (1024 * 1024)

/*
 * struct run - the output of one encoding, collected from every call, with
 * the per-call bounds checked on the way.
 */
struct run {
	struct dotstuff d;
	struct buf out;
};

static void
run_init(struct run *r, unsigned flags)
{
	dotstuff_init(&r->d, flags);
	buf_init(&r->out, OUT_MAX);
}

/* run_encode - one dotstuff_encode call into a guarded scratch buffer. */
static void
run_encode(struct run *r, const char *in, size_t n)
{
	size_t bound = DOTSTUFF_BOUND(n), o, i;
	unsigned char *scratch = malloc(bound + 16);

	ck_assert_ptr_nonnull(scratch);
	memset(scratch, CANARY, bound + 16);
	o = dotstuff_encode(&r->d, in, n, (char *)scratch);
	ck_assert_msg(o <= bound, "encode wrote %zu > DOTSTUFF_BOUND(%zu)",
		      o, n);
	for (i = bound; i < bound + 16; i++)
		ck_assert_msg(scratch[i] == CANARY,
			      "encode wrote past DOTSTUFF_BOUND(%zu)", n);
	ck_assert_int_eq(buf_append(&r->out, scratch, o), 0);
	free(scratch);
}

/* run_finish - dotstuff_finish into a guarded buffer. */
static void
run_finish(struct run *r)
{
	unsigned char scratch[DOTSTUFF_FINISH_MAX + 16];
	size_t o, i;

	memset(scratch, CANARY, sizeof(scratch));
	o = dotstuff_finish(&r->d, (char *)scratch);
	ck_assert_uint_le(o, DOTSTUFF_FINISH_MAX);
	for (i = DOTSTUFF_FINISH_MAX; i < sizeof(scratch); i++)
		ck_assert_uint_eq(scratch[i], CANARY);
	ck_assert_int_eq(buf_append(&r->out, scratch, o), 0);
}

/* encode_all - the whole input in one call, then finish; out is owned. */
static void
encode_all(const char *in, size_t n, unsigned flags, struct buf *out)
{
	struct run r;

	run_init(&r, flags);
	run_encode(&r, in, n);
	run_finish(&r);
	*out = r.out;
}

static void
assert_same(const struct buf *got, const struct buf *want, const char *how)
{
	ck_assert_msg(got->len == want->len
		      && memcmp(buf_str(got), buf_str(want), got->len) == 0,
		      "%s: output differs from the one-shot output (%zu vs "
		      "%zu bytes)", how, got->len, want->len);
}

/* check_splits - every two-chunk split and byte-at-a-time give want. */
static void
check_splits(const char *in, size_t n, unsigned flags, const struct buf *want)
{
	struct run r;
	size_t k;
	char how[64];

	for (k = 0; k <= n; k++) {
		run_init(&r, flags);
		run_encode(&r, in, k);
		run_encode(&r, in + k, n - k);
		run_finish(&r);
		snprintf(how, sizeof(how), "split at %zu", k);
		assert_same(&r.out, want, how);
		buf_clear(&r.out);
	}
	/* one byte at a time, with empty calls in between */
	run_init(&r, flags);
	for (k = 0; k < n; k++) {
		run_encode(&r, in + k, 1);
		run_encode(&r, in + k, 0);
	}
	run_finish(&r);
	assert_same(&r.out, want, "byte at a time");
	buf_clear(&r.out);
}

/* ---- the table ---- */

static const struct ds_case {
	const char *in;
	const char *dots;       /* with DOTSTUFF_DOTS */
	const char *plain;      /* without */
} ds_cases[] = {
	{ "", ".\r\n", "" },
	{ "a\n", "a\r\n.\r\n", "a\r\n" },
	{ "a", "a\r\n.\r\n", "a\r\n" },
	{ "a\nb", "a\r\nb\r\n.\r\n", "a\r\nb\r\n" },
	{ "a\rb", "a\r\nb\r\n.\r\n", "a\r\nb\r\n" },
	{ "a\r\nb\r\n", "a\r\nb\r\n.\r\n", "a\r\nb\r\n" },
	{ "a\r\r\nb", "a\r\n\r\nb\r\n.\r\n", "a\r\n\r\nb\r\n" },
	{ "\n", "\r\n.\r\n", "\r\n" },
	{ "\r", "\r\n.\r\n", "\r\n" },
	{ "\r\n", "\r\n.\r\n", "\r\n" },
	{ "\n\n", "\r\n\r\n.\r\n", "\r\n\r\n" },
	{ "\r\r", "\r\n\r\n.\r\n", "\r\n\r\n" },
	{ "\n\r", "\r\n\r\n.\r\n", "\r\n\r\n" },
	{ "\n\r\n", "\r\n\r\n.\r\n", "\r\n\r\n" },
	/* a lone dot line is doubled: it never ends the data */
	{ "\r\n.\r\n", "\r\n..\r\n.\r\n", "\r\n.\r\n" },
	{ "a\r\n.\r\nb\r\n", "a\r\n..\r\nb\r\n.\r\n", "a\r\n.\r\nb\r\n" },
	{ "\n.\n", "\r\n..\r\n.\r\n", "\r\n.\r\n" },
	{ "\r.\r", "\r\n..\r\n.\r\n", "\r\n.\r\n" },
	{ "a\n.\r\n", "a\r\n..\r\n.\r\n", "a\r\n.\r\n" },
	{ "a\r.\n", "a\r\n..\r\n.\r\n", "a\r\n.\r\n" },
	{ "a\n.", "a\r\n..\r\n.\r\n", "a\r\n.\r\n" },
	{ "a\r\n.", "a\r\n..\r\n.\r\n", "a\r\n.\r\n" },
	{ "a\r\n.\r\nMAIL FROM:<x@y>\r\n",
	  "a\r\n..\r\nMAIL FROM:<x@y>\r\n.\r\n",
	  "a\r\n.\r\nMAIL FROM:<x@y>\r\n" },
	/* dots at the start of the message */
	{ ".", "..\r\n.\r\n", ".\r\n" },
	{ ".\n", "..\r\n.\r\n", ".\r\n" },
	{ ".\r\n", "..\r\n.\r\n", ".\r\n" },
	{ "..", "...\r\n.\r\n", "..\r\n" },
	{ "..a\n", "...a\r\n.\r\n", "..a\r\n" },
	{ ".a\n.b\n", "..a\r\n..b\r\n.\r\n", ".a\r\n.b\r\n" },
	/* dots elsewhere are untouched */
	{ "a.b\n", "a.b\r\n.\r\n", "a.b\r\n" },
	{ "a.\n", "a.\r\n.\r\n", "a.\r\n" },
	{ "a..\r\n", "a..\r\n.\r\n", "a..\r\n" },
	{ " .\n", " .\r\n.\r\n", " .\r\n" },
	/* a line after a bare CR that starts with '.' */
	{ "a\r.b", "a\r\n..b\r\n.\r\n", "a\r\n.b\r\n" },
	{ "a\r..\r", "a\r\n...\r\n.\r\n", "a\r\n..\r\n" },
	{ "\r.", "\r\n..\r\n.\r\n", "\r\n.\r\n" },
	/* CR at the very end */
	{ "a\r", "a\r\n.\r\n", "a\r\n" },
	{ "a\r\r", "a\r\n\r\n.\r\n", "a\r\n\r\n" },
	{ ".\r", "..\r\n.\r\n", ".\r\n" },
	/* other bytes pass through */
	{ "\t x\x7f\xff\n", "\t x\x7f\xff\r\n.\r\n", "\t x\x7f\xff\r\n" },
};

static void
check_case_n(const char *in, size_t n, unsigned flags, const char *expect,
	     size_t elen)
{
	struct buf got;

	encode_all(in, n, flags, &got);
	ck_assert_msg(got.len == elen
		      && memcmp(buf_str(&got), expect, got.len) == 0,
		      "flags %u: wrong output for input of %zu bytes "
		      "(got %zu bytes)", flags, n, got.len);
	check_splits(in, n, flags, &got);
	buf_clear(&got);
}

static void
check_case(const char *in, size_t n, unsigned flags, const char *expect)
{
	check_case_n(in, n, flags, expect, strlen(expect));
}

START_TEST(test_table_dots)
{
	const struct ds_case *t = &ds_cases[_i];

	check_case(t->in, strlen(t->in), DOTSTUFF_DOTS, t->dots);
}
END_TEST

START_TEST(test_table_plain)
{
	const struct ds_case *t = &ds_cases[_i];

	check_case(t->in, strlen(t->in), 0, t->plain);
}
END_TEST

/* A NUL byte is data like any other. */
START_TEST(test_nul_byte)
{
	static const char in[] = "a\0.\n\0";
	static const char want[] = "a\0.\r\n\0\r\n.\r\n";

	static const char want_plain[] = "a\0.\r\n\0\r\n";

	check_case_n(in, sizeof(in) - 1, DOTSTUFF_DOTS, want,
		     sizeof(want) - 1);
	check_case_n(in, sizeof(in) - 1, 0, want_plain,
		     sizeof(want_plain) - 1);
}
END_TEST

/* ---- long inputs: a unit repeated, output known from the unit ---- */

static const struct long_case {
	const char *unit;       /* starts at a line start, ends a line */
	const char *dots;
	const char *plain;
} long_cases[] = {
	{ "line.\n", "line.\r\n", "line.\r\n" },
	{ ".x\n", "..x\r\n", ".x\r\n" },
	{ ".\r", "..\r\n", ".\r\n" },
	{ ".\r\n", "..\r\n", ".\r\n" },
	{ "ab\r\r\n", "ab\r\n\r\n", "ab\r\n\r\n" },
	{ "\n.", NULL, NULL },  /* does not end a line: built below */
};

START_TEST(test_long)
{
	const struct long_case *t = &long_cases[_i];
	struct buf in, want_dots, want_plain;
	size_t k, reps = 300;

	buf_init(&in, OUT_MAX);
	buf_init(&want_dots, OUT_MAX);
	buf_init(&want_plain, OUT_MAX);
	for (k = 0; k < reps; k++)
		ck_assert_int_eq(buf_append_str(&in, t->unit), 0);
	if (t->dots != NULL) {
		for (k = 0; k < reps; k++) {
			ck_assert_int_eq(buf_append_str(&want_dots, t->dots),
					 0);
			ck_assert_int_eq(buf_append_str(&want_plain, t->plain),
					 0);
		}
	} else {
		/* "\n." repeated: "\r\n" then ".." per line, "\r\n" + ".."
		 * ... and a final CRLF */
		for (k = 0; k < reps; k++) {
			ck_assert_int_eq(buf_append_str(&want_dots,
							k ? "..\r\n" : "\r\n"),
					 0);
			ck_assert_int_eq(buf_append_str(&want_plain,
							k ? ".\r\n" : "\r\n"),
					 0);
		}
		ck_assert_int_eq(buf_append_str(&want_dots, "..\r\n"), 0);
		ck_assert_int_eq(buf_append_str(&want_plain, ".\r\n"), 0);
	}
	ck_assert_int_eq(buf_append_str(&want_dots, ".\r\n"), 0);
	check_case(buf_str(&in), in.len, DOTSTUFF_DOTS, buf_str(&want_dots));
	check_case(buf_str(&in), in.len, 0, buf_str(&want_plain));
	buf_clear(&in);
	buf_clear(&want_dots);
	buf_clear(&want_plain);
}
END_TEST

/* The bound is reached: a pending CR, then a dot at a line start. */
START_TEST(test_bound_worst_case)
{
	struct run r;
	size_t before;

	run_init(&r, DOTSTUFF_DOTS);
	run_encode(&r, "\r", 1);
	ck_assert_uint_eq(r.out.len, 0);
	run_encode(&r, ".", 1);
	ck_assert_uint_eq(r.out.len, 4);        /* "\r\n.." */
	before = r.out.len;
	run_encode(&r, "\r.\r.\r.", 6);
	ck_assert_uint_eq(r.out.len - before, 12);
	run_finish(&r);
	ck_assert_uint_eq(r.out.len, 16 + 5);
	ck_assert_mem_eq(buf_str(&r.out),
			 "\r\n..\r\n..\r\n..\r\n..\r\n.\r\n", 21);
	buf_clear(&r.out);
}
END_TEST

/* finish resets: a second message on the same encoder starts afresh. */
START_TEST(test_reuse_after_finish)
{
	struct run r;

	run_init(&r, DOTSTUFF_DOTS);
	run_encode(&r, "a\r", 2);
	run_finish(&r);
	run_encode(&r, ".b", 2);
	run_finish(&r);
	ck_assert_uint_eq(r.out.len, strlen("a\r\n.\r\n..b\r\n.\r\n"));
	ck_assert_mem_eq(buf_str(&r.out), "a\r\n.\r\n..b\r\n.\r\n", r.out.len);
	buf_clear(&r.out);
}
END_TEST

/* ---- property test ---- */

/* xorshift32: a fixed-seed generator, the same on every platform. */
static uint32_t
rnd(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

/*
 * unstuff - the plain-mode output from a DOTS output: the terminator
 * removed, one leading dot removed from each line.  Returns -1 when a
 * line starts with a single dot (which would end the data).
 */
static int
unstuff(const char *s, size_t n, struct buf *out)
{
	size_t i = 0;
	bool bol = true;

	ck_assert_uint_ge(n, 3);
	ck_assert_mem_eq(s + n - 3, ".\r\n", 3);
	n -= 3;
	while (i < n) {
		if (bol && s[i] == '.') {
			if (i + 1 >= n || s[i + 1] != '.')
				return -1;
			i++;
		}
		ck_assert_int_eq(buf_append(out, s + i, 1), 0);
		bol = s[i] == '\n';
		i++;
	}
	return 0;
}

/*
 * ref_encode - the encoder's rules one byte at a time, as plainly as they
 * can be written: the reference the encoder (which copies whole runs of
 * text) must agree with, byte for byte.
 */
static void
ref_encode(const char *in, size_t n, unsigned flags, struct buf *out)
{
	bool bol = true, cr = false;
	size_t i;

	buf_init(out, OUT_MAX);
	for (i = 0; i < n; i++) {
		if (cr) {
			ck_assert_int_eq(buf_append(out, "\r\n", 2), 0);
			cr = false;
			bol = true;
			if (in[i] == '\n')
				continue;
		}
		if (in[i] == '\r') {
			cr = true;
		} else if (in[i] == '\n') {
			ck_assert_int_eq(buf_append(out, "\r\n", 2), 0);
			bol = true;
		} else {
			if (bol && in[i] == '.' && (flags & DOTSTUFF_DOTS))
				ck_assert_int_eq(buf_append(out, ".", 1), 0);
			ck_assert_int_eq(buf_append(out, in + i, 1), 0);
			bol = false;
		}
	}
	if (cr || !bol)
		ck_assert_int_eq(buf_append(out, "\r\n", 2), 0);
	if (flags & DOTSTUFF_DOTS)
		ck_assert_int_eq(buf_append(out, ".\r\n", 3), 0);
}

/* Long runs of text, lone CRs inside lines, dots, 8-bit bytes, split at
 * random: the same bytes as the reference. */
START_TEST(test_reference)
{
	static const char alphabet[] = { '\r', '\n', '.', 'a', 'b', 'c', 'd',
					 ' ', '\x80', '\xff' };
	uint32_t seed = 0x9e3779b9u;
	char in[600];
	int iter;

	for (iter = 0; iter < 3000; iter++) {
		size_t n = rnd(&seed) % sizeof(in), i, pos;
		unsigned flags = iter % 2 ? DOTSTUFF_DOTS : 0;
		/* few line ends: long runs of text */
		unsigned spread = 1 + rnd(&seed) % 40;
		struct buf want;
		struct run r;

		for (i = 0; i < n; i++) {
			uint32_t k = rnd(&seed) % (sizeof(alphabet) * spread);

			in[i] = k < 3 ? alphabet[k]
				      : alphabet[3 + k % (sizeof(alphabet) - 3)];
		}
		ref_encode(in, n, flags, &want);
		run_init(&r, flags);
		for (pos = 0; pos < n;) {
			size_t c = rnd(&seed) % 97;

			if (c > n - pos)
				c = n - pos;
			run_encode(&r, in + pos, c);
			pos += c;
		}
		run_finish(&r);
		assert_same(&r.out, &want, "against the reference");
		buf_clear(&r.out);
		buf_clear(&want);
	}
}
END_TEST

/*
 * Large inputs in blocks of 64 KiB (the spool's), CR rare or absent, with
 * a CR ending one block and an LF starting the next, a dot starting a
 * block, a CR as the very last byte: the same bytes as the reference.
 */
START_TEST(test_reference_blocks)
{
	const size_t block = 64 * 1024, n = 3 * block + 7;
	char *in = malloc(n);
	uint32_t seed = 0x7f4a7c15u + (uint32_t)_i;
	unsigned flags = _i % 2 ? DOTSTUFF_DOTS : 0;
	size_t i, pos;
	struct buf want;
	struct run r;

	ck_assert_ptr_nonnull(in);
	for (i = 0; i < n; i++) {
		uint32_t k = rnd(&seed) % 80;

		in[i] = k == 0 ? '\n' : k == 1 ? '.' : k == 2 && _i >= 2 ? '\r'
			: 'a' + (char)(k % 26);
	}
	in[block - 1] = '\r';
	in[block] = '\n';
	in[2 * block - 1] = '\n';
	in[2 * block] = '.';
	in[n - 1] = '\r';
	ref_encode(in, n, flags, &want);
	run_init(&r, flags);
	for (pos = 0; pos < n; pos += block)
		run_encode(&r, in + pos, n - pos < block ? n - pos : block);
	run_finish(&r);
	assert_same(&r.out, &want, "blocks against the reference");
	buf_clear(&r.out);
	buf_clear(&want);
	free(in);
}
END_TEST

START_TEST(test_property)
{
	static const char alphabet[] = { '\r', '\n', '.', 'a' };
	uint32_t seed = 0x2545f491u;
	char in[80];
	int iter;

	for (iter = 0; iter < 4000; iter++) {
		size_t n = rnd(&seed) % sizeof(in), i, pos;
		struct buf dots, plain, back, prefixed;
		struct run r;
		const char *s;
		size_t na_in = 0, na_out = 0;

		for (i = 0; i < n; i++)
			in[i] = alphabet[rnd(&seed) % 4];
		encode_all(in, n, DOTSTUFF_DOTS, &dots);
		encode_all(in, n, 0, &plain);
		s = buf_str(&dots);

		/* random chunking gives the same bytes */
		run_init(&r, DOTSTUFF_DOTS);
		for (pos = 0; pos < n;) {
			size_t c = rnd(&seed) % 5;
			if (c > n - pos)
				c = n - pos;
			run_encode(&r, in + pos, c);
			pos += c;
		}
		run_finish(&r);
		assert_same(&r.out, &dots, "random chunks");
		buf_clear(&r.out);

		/* every CR followed by LF, every LF preceded by CR */
		for (i = 0; i < dots.len; i++) {
			if (s[i] == '\r')
				ck_assert_msg(i + 1 < dots.len
					      && s[i + 1] == '\n',
					      "iteration %d: bare CR at %zu",
					      iter, i);
			if (s[i] == '\n')
				ck_assert_msg(i > 0 && s[i - 1] == '\r',
					      "iteration %d: bare LF at %zu",
					      iter, i);
		}
		/* the end of data is found at the end, and only there: the
		 * CRLF ending the DATA command line is put in front */
		buf_init(&prefixed, OUT_MAX);
		ck_assert_int_eq(buf_append(&prefixed, "\r\n", 2), 0);
		ck_assert_int_eq(buf_append(&prefixed, s, dots.len), 0);
		for (i = 0; i + 5 <= prefixed.len; i++)
			if (memcmp(prefixed.p + i, "\r\n.\r\n", 5) == 0)
				break;
		ck_assert_msg(i == prefixed.len - 5,
			      "iteration %d: end of data at %zu of %zu", iter,
			      i, prefixed.len);
		buf_clear(&prefixed);
		if (n > 0)
			ck_assert_mem_eq(s + dots.len - 5, "\r\n.\r\n", 5);
		else
			ck_assert_str_eq(s, ".\r\n");

		/* removing the stuffing gives the plain output */
		buf_init(&back, OUT_MAX);
		ck_assert_msg(unstuff(s, dots.len, &back) == 0,
			      "iteration %d: unstuffed dot line", iter);
		assert_same(&back, &plain, "unstuffed");
		buf_clear(&back);

		/* the plain output keeps every non-line-ending byte */
		for (i = 0; i < n; i++)
			na_in += in[i] == 'a' || in[i] == '.';
		for (i = 0; i < plain.len; i++)
			na_out += plain.p[i] == 'a' || plain.p[i] == '.';
		ck_assert_uint_eq(na_in, na_out);

		buf_clear(&dots);
		buf_clear(&plain);
	}
}
END_TEST

/* ---- the decoder ---- */

#define SENDMAIL (DOTSTUFF_DEC_BARE_LF | DOTSTUFF_DEC_KEEP_DOTS)

/* decode_piece - one dotstuff_decode call into a guarded buffer. */
static size_t
decode_piece(struct dotstuff_dec *d, const char *in, size_t n,
	     struct buf *out)
{
	size_t bound = DOTSTUFF_DECODE_BOUND(n), o, i, used = n + 1;
	unsigned char *scratch = malloc(bound + 16);

	ck_assert_ptr_nonnull(scratch);
	memset(scratch, CANARY, bound + 16);
	o = dotstuff_decode(d, in, n, (char *)scratch, &used);
	ck_assert_uint_le(o, bound);
	ck_assert_uint_le(used, n);
	ck_assert_msg(d->end || used == n, "input left without an end");
	for (i = bound; i < bound + 16; i++)
		ck_assert_uint_eq(scratch[i], CANARY);
	ck_assert_int_eq(buf_append(out, scratch, o), 0);
	free(scratch);
	return used;
}

/*
 * decode_steps - in[0..n) in pieces of step bytes (the first piece first
 * bytes long when first > 0), fed until the end line is found; returns
 * how much was used.
 */
static size_t
decode_steps(const char *in, size_t n, unsigned flags, size_t first,
	     size_t step, struct buf *out, bool *end)
{
	struct dotstuff_dec d;
	size_t off = 0, len;

	dotstuff_decode_init(&d, flags);
	buf_init(out, OUT_MAX);
	while (off < n && !d.end) {
		len = off == 0 && first > 0 ? first : step;
		if (len > n - off)
			len = n - off;
		off += decode_piece(&d, in + off, len, out);
	}
	*end = d.end;
	return off;
}

static const struct dec_case {
	unsigned flags;
	const char *in;
	const char *out;
	int rest;       /* -1: no end line; else the bytes left after it */
} dec_cases[] = {
	/* SMTP: the end is CRLF "." CRLF, a leading "." is stuffing */
	{ 0, ".\r\n", "", 0 },
	{ 0, "a\r\n.\r\n", "a\r\n", 0 },
	{ 0, "a\r\n..b\r\n.\r\nQUIT\r\n", "a\r\n.b\r\n", 6 },
	{ 0, "..\r\n.\r\n.\r\n", ".\r\n", 3 },
	{ 0, ".a\r\n", "a\r\n", -1 },
	{ 0, "a\n.\r\nb", "a\n.\r\nb", -1 },
	{ 0, "a\r.\r\nb", "a\r.\r\nb", -1 },
	{ 0, "a\r\n.\n", "a\r\n\n", -1 },
	{ 0, "a\r\n.\rX\r\n", "a\r\n\rX\r\n", -1 },
	{ 0, "a\r\n.\r\r\n.\r\n", "a\r\n\r\r\n", 0 },
	{ 0, "a\r\n.", "a\r\n", -1 },
	{ 0, "a\r\n.\r", "a\r\n", -1 },
	{ 0, "a\nb\rc\r\n", "a\nb\rc\r\n", -1 },
	{ 0, "x\0y\r\n.\r\n", "x\0y\r\n", 0 },
	/* sendmail: a line "." after LF or CRLF ends, other dots are data */
	{ SENDMAIL, ".\n", "", 0 },
	{ SENDMAIL, "a\n.\nrest\n", "a\n", 5 },
	{ SENDMAIL, "a\r\n.\r\nrest", "a\r\n", 4 },
	{ SENDMAIL, "..\n.a\n", "..\n.a\n", -1 },
	{ SENDMAIL, "a\r.\n", "a\r.\n", -1 },
	{ SENDMAIL, ".\rX\n", ".\rX\n", -1 },
	{ SENDMAIL, ".\r\r\n", ".\r\r\n", -1 },
	{ SENDMAIL, "\n.\n.\n", "\n", 2 },
	{ SENDMAIL, "a\n.", "a\n", -1 },
};

START_TEST(test_decode_table)
{
	const struct dec_case *t = &dec_cases[_i];
	size_t n = strlen(t->in), olen = strlen(t->out), k, used, want;
	struct buf out;
	char how[64];
	bool end;

	/* the one NUL case: "x\0y..." */
	if (t->in[0] == 'x' && t->in[1] == '\0') {
		n = 8;
		olen = 5;
	}
	want = t->rest < 0 ? n : n - (size_t)t->rest;
	for (k = 0; k <= n + 1; k++) {
		/* k 0: one piece; n + 1: byte at a time; else two pieces */
		if (k == n + 1)
			used = decode_steps(t->in, n, t->flags, 0, 1, &out,
					    &end);
		else
			used = decode_steps(t->in, n, t->flags, k, n, &out,
					    &end);
		snprintf(how, sizeof(how), "case %d, pieces %zu", _i, k);
		ck_assert_msg(end == (t->rest >= 0), "%s: end", how);
		ck_assert_msg(used == want, "%s: used %zu, want %zu", how,
			      used, want);
		ck_assert_msg(out.len == olen
			      && memcmp(buf_str(&out), t->out, olen) == 0,
			      "%s: wrong output (%zu bytes)", how, out.len);
		buf_clear(&out);
	}
}
END_TEST

/* The encoder's output decodes to the normalised input, ending exactly at
 * its end. */
START_TEST(test_decode_round_trip)
{
	const struct ds_case *t = &ds_cases[_i];
	struct buf enc, out;
	size_t used;
	bool end;

	encode_all(t->in, strlen(t->in), DOTSTUFF_DOTS, &enc);
	used = decode_steps(buf_str(&enc), enc.len, 0, 0, enc.len, &out,
			    &end);
	ck_assert(end);
	ck_assert_uint_eq(used, enc.len);
	ck_assert_uint_eq(out.len, strlen(t->plain));
	ck_assert(memcmp(buf_str(&out), t->plain, out.len) == 0);
	buf_clear(&out);
	buf_clear(&enc);
}
END_TEST

/* Once the end is found, nothing more is decoded. */
START_TEST(test_decode_after_end)
{
	struct dotstuff_dec d;
	char out[DOTSTUFF_DECODE_BOUND(8)];
	size_t used;

	dotstuff_decode_init(&d, 0);
	ck_assert_uint_eq(dotstuff_decode(&d, ".\r\nab", 5, out, &used), 0);
	ck_assert(d.end);
	ck_assert_uint_eq(used, 3);
	ck_assert_uint_eq(dotstuff_decode(&d, "ab\r\n", 4, out, &used), 0);
	ck_assert_uint_eq(used, 0);
	dotstuff_decode_init(&d, 0);
	ck_assert(!d.end);
	ck_assert_uint_eq(dotstuff_decode(&d, "ab", 2, out, &used), 2);
	ck_assert_uint_eq(used, 2);
}
END_TEST

static Suite *
dotstuff_suite(void)
{
	Suite *s = suite_create("dotstuff");
	TCase *tc;

	tc = tcase_create("table");
	tcase_add_loop_test(tc, test_table_dots, 0,
			    sizeof(ds_cases) / sizeof(ds_cases[0]));
	tcase_add_loop_test(tc, test_table_plain, 0,
			    sizeof(ds_cases) / sizeof(ds_cases[0]));
	tcase_add_test(tc, test_nul_byte);
	suite_add_tcase(s, tc);

	tc = tcase_create("long");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_long, 0,
			    sizeof(long_cases) / sizeof(long_cases[0]));
	tcase_add_test(tc, test_bound_worst_case);
	tcase_add_test(tc, test_reuse_after_finish);
	suite_add_tcase(s, tc);

	tc = tcase_create("property");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_property);
	tcase_add_test(tc, test_reference);
	tcase_add_loop_test(tc, test_reference_blocks, 0, 4);
	suite_add_tcase(s, tc);

	tc = tcase_create("decode");
	tcase_add_loop_test(tc, test_decode_table, 0,
			    sizeof(dec_cases) / sizeof(dec_cases[0]));
	tcase_add_loop_test(tc, test_decode_round_trip, 0,
			    sizeof(ds_cases) / sizeof(ds_cases[0]));
	tcase_add_test(tc, test_decode_after_end);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(dotstuff_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
