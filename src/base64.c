/*
 * base64.c - base64 (RFC 4648 4).
 */
#include <config.h>

#include "base64.h"

static const char alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int
base64_append(struct buf *out, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i, before = out->len;
	char q[4];

	if (buf_reserve(out, (n + 2) / 3 * 4) < 0)
		return -1;
	for (i = 0; i < n; i += 3) {
		unsigned long v = (unsigned long)s[i] << 16;

		if (i + 1 < n)
			v |= (unsigned long)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		q[0] = alphabet[v >> 18 & 63];
		q[1] = alphabet[v >> 12 & 63];
		q[2] = i + 1 < n ? alphabet[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? alphabet[v & 63] : '=';
		if (buf_append(out, q, 4) < 0) {
			buf_truncate(out, before);
			return -1;
		}
	}
	return 0;
}

/* The value of each byte in the alphabet (0-63); 64 for white space, 65
 * for "=", 66 for anything else.  Filled on first use (from alphabet). */
static unsigned char sextets[256];

static void
sextets_fill(void)
{
	unsigned i;

	for (i = 0; i < 256; i++)
		sextets[i] = 66;
	for (i = 0; i < 64; i++)
		sextets[(unsigned char)alphabet[i]] = (unsigned char)i;
	sextets[' '] = sextets['\t'] = sextets['\r'] = sextets['\n'] = 64;
	sextets['='] = 65;
}

long
base64_decode(const char *in, size_t n, unsigned char *out)
{
	unsigned long v = 0;
	size_t i, o = 0, k = 0, pad = 0;
	unsigned s;

	if (sextets['='] != 65)
		sextets_fill();
	for (i = 0; i < n; i++) {
		s = sextets[(unsigned char)in[i]];
		if (s == 64)
			continue;
		if (s == 66 || (s < 64 && pad > 0))
			return -1;      /* not base64, or text after "=" */
		if (s == 65) {
			if (k % 4 < 2 || ++pad > 2)
				return -1;
			s = 0;
		}
		v = v << 6 | s;
		if (++k % 4 == 0) {
			out[o++] = (unsigned char)(v >> 16);
			out[o++] = (unsigned char)(v >> 8);
			out[o++] = (unsigned char)v;
			v = 0;
		}
	}
	if (k % 4 != 0)
		return -1;
	/* the padding's bits must be zero (RFC 4648 3.5 lets a decoder
	 * refuse them otherwise) */
	if ((pad == 1 && out[o - 1] != 0) || (pad == 2 && out[o - 2] != 0))
		return -1;
	return (long)(o - pad);
}
