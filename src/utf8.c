/*
 * utf8.c - UTF-8 (RFC 3629) validation and printable text (see utf8.h).
 */
#include <config.h>

#include <string.h>

#include "utf8.h"

size_t
utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
	size_t len, k;
	unsigned long c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[k] & 0x3f);
	}
	/* overlong 3- and 4-byte forms, surrogates, beyond U+10FFFF */
	if ((len == 3 && c < 0x800) || (c >= 0xd800 && c <= 0xdfff)
	    || (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	*cp = c;
	return len;
}

bool
utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	size_t i = 0, len;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		len = utf8_decode(p + i, n - i, &cp);
		if (len == 0)
			return false;
		i += len;
	}
	return true;
}

bool
utf8_printable(unsigned long cp)
{
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
		return false;
	if (cp == 0x2028 || cp == 0x2029)       /* line, paragraph sep. */
		return false;
	if (cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e)
	    || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x061c)
		return false;                   /* bidirectional controls */
	return true;
}

size_t
printable(char *dst, size_t dstsize, const char *src, size_t n)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0, o = 0, len;
	unsigned long cp;

	if (dstsize == 0)
		return 0;
	while (i < n && o + 1 < dstsize) {
		size_t lim = n - i < dstsize - 1 - o ? n - i : dstsize - 1 - o;

		len = 0;        /* a run of printable ASCII first */
		while (len < lim && s[i + len] >= 0x20 && s[i + len] < 0x7f)
			len++;
		if (len > 0) {
			memcpy(dst + o, s + i, len);
			o += len;
			i += len;
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp);
		if (len > 0 && utf8_printable(cp) && o + len < dstsize) {
			memcpy(dst + o, s + i, len);
			o += len;
			i += len;
			continue;
		}
		if (len > 0 && utf8_printable(cp))
			break;  /* it does not fit: stop at a whole character */
		dst[o++] = s[i] == '\t' ? ' ' : '?';
		i += len > 0 ? len : 1;
	}
	dst[o] = '\0';
	return o;
}
