/*
 * fuzz_dotstuff.c - libFuzzer target for src/dotstuff.c: line-ending
 * normalisation and dot-stuffing (RFC 5321 4.1.1.4, 4.5.2; RFC 5322 2.3).
 *
 * Input: byte 0 gives the number of split points k (0..15), bytes 1..k the
 * sizes of the first k pieces (0..255 each, empty pieces included), the
 * rest is the message; after the k pieces the remainder is one piece.  The
 * message is encoded in those pieces and finished, with and without
 * DOTSTUFF_DOTS.  With dots the stream must have "\r\n.\r\n" only at its
 * very end, every CR and LF only as CRLF, and un-stuffing it (by a
 * reference decoder written here) must give the message with its line
 * ends made CRLF.  Encoding the message in one piece and byte by byte
 * must give the same bytes.  Every call must stay within the bounds
 * dotstuff.h promises (the output buffers are exactly that size, so
 * AddressSanitizer catches a byte too many).
 *
 * The decoder: dotstuff_decode of the stuffed stream, in the same pieces
 * and byte by byte, must find the end exactly at the end of the stream
 * and give back the message with its line ends made CRLF (the round
 * trip).  Decoding the raw message with sendmail's rule (DOTSTUFF_DEC_
 * BARE_LF | DOTSTUFF_DEC_KEEP_DOTS) must give what a reference written
 * here gives: the input up to the first line that is only ".", that line
 * used and the rest left; without such a line, all of it but a "." or
 * ".\r" held back at the start of the last line.
 */
#include <config.h>

#include <stdbool.h>
#include <string.h>

#include "buf.h"
#include "dotstuff.h"
#include "fuzz.h"
#include "xalloc.h"

#define OUT_MAX (16 * 1024 * 1024)
#define SPLITS_MAX 15

/* put - append n bytes to b; the fuzz inputs are far below its max. */
static void
put(struct buf *b, const void *p, size_t n)
{
	FUZZ_CHECK(buf_append(b, p, n) == 0, "output fits");
}

/* encode_piece - one dotstuff_encode call into a buffer of its bound. */
static void
encode_piece(struct dotstuff *d, const char *in, size_t n, struct buf *out)
{
	char *tmp = xmalloc(DOTSTUFF_BOUND(n));
	size_t o = dotstuff_encode(d, in, n, tmp);

	FUZZ_CHECK(o <= DOTSTUFF_BOUND(n), "encode within DOTSTUFF_BOUND");
	put(out, tmp, o);
	free(tmp);
}

static void
finish(struct dotstuff *d, struct buf *out)
{
	char *tmp = xmalloc(DOTSTUFF_FINISH_MAX);
	size_t o = dotstuff_finish(d, tmp);

	FUZZ_CHECK(o <= DOTSTUFF_FINISH_MAX, "finish within its bound");
	put(out, tmp, o);
	free(tmp);
}

/* encode - msg in the pieces of sizes[0..k), then the rest in one; or,
 * when step > 0, in pieces of step bytes. */
static void
encode(unsigned flags, const char *msg, size_t n, const uint8_t *sizes,
       size_t k, size_t step, struct buf *out)
{
	struct dotstuff d;
	size_t i = 0, j, len;

	dotstuff_init(&d, flags);
	if (step > 0) {
		for (i = 0; i < n; i += len) {
			len = step < n - i ? step : n - i;
			encode_piece(&d, msg + i, len, out);
		}
	} else {
		for (j = 0; j < k; j++) {
			len = sizes[j] < n - i ? sizes[j] : n - i;
			encode_piece(&d, msg + i, len, out);
			i += len;
		}
		encode_piece(&d, msg + i, n - i, out);
	}
	finish(&d, out);
}

/* normalise - msg with every CRLF, bare CR and bare LF made CRLF, and a
 * CRLF added when the last line has none (the reference). */
static void
normalise(const char *msg, size_t n, struct buf *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (msg[i] == '\r' || msg[i] == '\n') {
			put(out, "\r\n", 2);
			if (msg[i] == '\r' && i + 1 < n && msg[i + 1] == '\n')
				i++;
		} else {
			put(out, msg + i, 1);
		}
	}
	if (out->len > 0 && out->p[out->len - 1] != '\n')
		put(out, "\r\n", 2);
}

/* crlf_only - every CR of s is followed by LF, every LF preceded by CR,
 * and s is empty or ends with CRLF. */
static bool
crlf_only(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n'))
			return false;
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			return false;
	}
	return n == 0 || (n >= 2 && s[n - 2] == '\r' && s[n - 1] == '\n');
}

/*
 * unstuff - the reference decoder: split s into CRLF lines; the last must
 * be "." and is dropped; every other line that starts with "." must start
 * with ".." and loses one dot.
 */
static void
unstuff(const char *s, size_t n, struct buf *out)
{
	size_t i = 0;

	FUZZ_CHECK(n >= 3 && memcmp(s + n - 3, ".\r\n", 3) == 0,
		   "the stream ends with the \".\" line");
	FUZZ_CHECK(n == 3 || (n >= 5 && s[n - 5] == '\r'),
		   "the \".\" line is a line of its own");
	n -= 3;
	while (i < n) {
		const char *crlf = memmem(s + i, n - i, "\r\n", 2);
		size_t len;

		FUZZ_CHECK(crlf != NULL, "every line ends with CRLF");
		len = (size_t)(crlf - (s + i)) + 2;
		if (s[i] == '.') {
			FUZZ_CHECK(len > 2 && s[i + 1] == '.',
				   "a line starting with \".\" is stuffed");
			i++;
			len--;
		}
		put(out, s + i, len);
		i += len;
	}
}

static void
check_same(const struct buf *a, const struct buf *b, const char *what)
{
	FUZZ_CHECK(a->len == b->len
		   && (a->len == 0 || memcmp(a->p, b->p, a->len) == 0), what);
}

/* decode_piece - one dotstuff_decode call into a buffer of its bound;
 * returns the input used. */
static size_t
decode_piece(struct dotstuff_dec *d, const char *in, size_t n,
	     struct buf *out)
{
	char *tmp = xmalloc(DOTSTUFF_DECODE_BOUND(n));
	bool was_end = d->end;
	size_t used = 0, o = dotstuff_decode(d, in, n, tmp, &used);

	FUZZ_CHECK(o <= DOTSTUFF_DECODE_BOUND(n),
		   "decode within DOTSTUFF_DECODE_BOUND");
	FUZZ_CHECK(used <= n && (d->end || used == n),
		   "all input used unless the end was found");
	FUZZ_CHECK(!was_end || (o == 0 && used == 0),
		   "nothing decoded after the end");
	put(out, tmp, o);
	free(tmp);
	return used;
}

/* decode - as encode, with dotstuff_decode; returns the input used. */
static size_t
decode(unsigned flags, const char *s, size_t n, const uint8_t *sizes,
       size_t k, size_t step, struct buf *out, bool *end)
{
	struct dotstuff_dec d;
	size_t i = 0, j, len, used = 0;

	dotstuff_decode_init(&d, flags);
	if (step > 0) {
		for (i = 0; i < n; i += len) {
			len = step < n - i ? step : n - i;
			used += decode_piece(&d, s + i, len, out);
		}
	} else {
		for (j = 0; j < k; j++) {
			len = sizes[j] < n - i ? sizes[j] : n - i;
			used += decode_piece(&d, s + i, len, out);
			i += len;
		}
		used += decode_piece(&d, s + i, n - i, out);
	}
	*end = d.end;
	return used;
}

/*
 * lone_dot - the reference for sendmail's rule: the bytes of msg before
 * the first line that is only "." (ended by LF or CRLF; lines start after
 * an LF) into out; returns the bytes up to and including that line's LF,
 * or n when there is none (then a last line "." or ".\r" is left out).
 */
static size_t
lone_dot(const char *msg, size_t n, struct buf *out, bool *end)
{
	size_t i = 0;

	*end = false;
	while (i < n) {
		const char *lf = memchr(msg + i, '\n', n - i);
		size_t len = lf ? (size_t)(lf - (msg + i)) + 1 : n - i;

		if (lf != NULL && msg[i] == '.'
		    && (len == 2 || (len == 3 && msg[i + 1] == '\r'))) {
			*end = true;
			return i + len;
		}
		if (lf == NULL && msg[i] == '.'
		    && (len == 1 || (len == 2 && msg[i + 1] == '\r')))
			return n;
		put(out, msg + i, len);
		i += len;
	}
	return n;
}

/* check_decoder - the decoder's properties (see the top). */
static void
check_decoder(const struct buf *stuffed, const struct buf *ref,
	      const char *msg, size_t n, const uint8_t *sizes, size_t k)
{
	struct buf a, b, want;
	size_t used, wused;
	bool end, wend;
	unsigned sm = DOTSTUFF_DEC_BARE_LF | DOTSTUFF_DEC_KEEP_DOTS;

	buf_init(&a, OUT_MAX);
	buf_init(&b, OUT_MAX);
	buf_init(&want, OUT_MAX);
	used = decode(0, stuffed->p, stuffed->len, sizes, k, 0, &a, &end);
	FUZZ_CHECK(end && used == stuffed->len,
		   "the end line is found at the end");
	check_same(&a, ref, "decoding gives the normalised input");
	used = decode(0, stuffed->p, stuffed->len, sizes, 0, 1, &b, &end);
	FUZZ_CHECK(end && used == stuffed->len, "byte by byte: same end");
	check_same(&b, ref, "byte by byte: same output");

	buf_reset(&a);
	buf_reset(&b);
	wused = lone_dot(msg, n, &want, &wend);
	used = decode(sm, msg, n, sizes, k, 0, &a, &end);
	FUZZ_CHECK(end == wend && used == wused, "lone dot: same end");
	check_same(&a, &want, "lone dot: as the reference");
	used = decode(sm, msg, n, sizes, 0, 1, &b, &end);
	FUZZ_CHECK(end == wend && used == wused,
		   "lone dot byte by byte: same end");
	check_same(&b, &want, "lone dot byte by byte: as the reference");
	buf_clear(&a);
	buf_clear(&b);
	buf_clear(&want);
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf pieces, whole, bytes, plain, ref, dec;
	const uint8_t *sizes;
	const char *msg, *end;
	size_t k, n;

	if (size == 0)
		return 0;
	k = data[0] % (SPLITS_MAX + 1);
	if (k > size - 1)
		k = size - 1;
	sizes = data + 1;
	msg = (const char *)data + 1 + k;
	n = size - 1 - k;
	buf_init(&pieces, OUT_MAX);
	buf_init(&whole, OUT_MAX);
	buf_init(&bytes, OUT_MAX);
	buf_init(&plain, OUT_MAX);
	buf_init(&ref, OUT_MAX);
	buf_init(&dec, OUT_MAX);

	encode(DOTSTUFF_DOTS, msg, n, sizes, k, 0, &pieces);
	encode(DOTSTUFF_DOTS, msg, n, sizes, 0, 0, &whole);
	encode(DOTSTUFF_DOTS, msg, n, sizes, 0, 1, &bytes);
	check_same(&pieces, &whole, "split anywhere: same output");
	check_same(&pieces, &bytes, "byte by byte: same output");

	FUZZ_CHECK(crlf_only(pieces.p, pieces.len), "no bare CR or LF");
	end = memmem(pieces.p, pieces.len, "\r\n.\r\n", 5);
	FUZZ_CHECK(end == NULL || end == pieces.p + pieces.len - 5,
		   "no end of data before the end");
	FUZZ_CHECK((pieces.len == 3) == (n == 0),
		   "only an empty message is just \".\"");
	normalise(msg, n, &ref);
	unstuff(pieces.p, pieces.len, &dec);
	check_same(&dec, &ref, "un-stuffing gives the normalised input");
	check_decoder(&pieces, &ref, msg, n, sizes, k);

	/* without DOTSTUFF_DOTS: exactly the normalised message */
	encode(0, msg, n, sizes, k, 0, &plain);
	check_same(&plain, &ref, "normalising only");

	buf_clear(&pieces);
	buf_clear(&whole);
	buf_clear(&bytes);
	buf_clear(&plain);
	buf_clear(&ref);
	buf_clear(&dec);
	return 0;
}
