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
