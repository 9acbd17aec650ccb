/*
 * headers_name.c - display names as RFC 5322 3.2.5 phrases: atoms as
 * they are, a quoted-string (3.2.4), or RFC 2047 encoded-words (2, 4, 5
 * (3), 6.2) for text that is not ASCII (see headers.h, headers_phrase).
 */
#include <config.h>

#include <assert.h>
#include <stdbool.h>
#include <string.h>

#include "ascii.h"
#include "base64.h"
#include "buf.h"
#include "headers.h"
#include "utf8.h"

/* q_literal - RFC 2047 5 (3): what Q may leave as is in a phrase. */
static bool
q_literal(unsigned char c)
{
	return ascii_is_alnum(c) || c == '!' || c == '*' || c == '+'
	       || c == '-' || c == '/';
}

static size_t
q_len(unsigned char c)
{
	return q_literal(c) || c == ' ' ? 1 : 3;
}

/*
 * utf8_len - the length of the character at s[0..n): 2 to 4 for a valid
 * UTF-8 sequence, otherwise 1 (an ASCII byte or a byte that is not valid
 * UTF-8, taken alone).
 */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned long cp;
	size_t len = utf8_decode(s, n, &cp);

	return len > 0 ? len : 1;
}

/* put_q - s[0..n) in the Q encoding (RFC 2047 4.2, as 5 (3) restricts it
 * in a phrase) to out. */
static int
put_q(struct buf *out, const unsigned char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;
	int rc = 0;

	for (i = 0; i < n; i++) {
		char e[3] = { '=', hex[s[i] >> 4], hex[s[i] & 15] };

		if (s[i] == ' ')
			rc |= buf_append(out, "_", 1);
		else if (q_literal(s[i]))
			rc |= buf_append(out, s + i, 1);
		else
			rc |= buf_append(out, e, 3);
	}
	return rc < 0 ? -1 : 0;
}

#define EW_PREFIX_LEN 10        /* "=?UTF-8?Q?" */
#define EW_PAYLOAD_MAX (HEADERS_EWORD_MAX - EW_PREFIX_LEN - 2)
#define EW_B_BYTES (EW_PAYLOAD_MAX / 4 * 3)     /* 45 bytes: 60 chars */

/* The most an encoded-word takes per byte of text: 4 characters (B gives
 * 4 for a byte alone, Q 3), and its prefix, "?=" and the space before it
 * when each byte is a word of its own. */
#define EW_PER_BYTE (4 + EW_PREFIX_LEN + 3)

/* word_end - where the encoded-word that starts at s[start] ends: as many
 * whole characters as fit its payload. */
static size_t
word_end(const unsigned char *s, size_t n, size_t start, bool use_q)
{
	size_t i = start, pay = 0, cl, k, add;

	while (i < n) {
		cl = utf8_len(s + i, n - i);
		for (add = 0, k = 0; k < cl; k++)
			add += q_len(s[i + k]);
		if (use_q ? pay + add > EW_PAYLOAD_MAX
			  : i + cl - start > EW_B_BYTES)
			break;
		pay += add;
		i += cl;
	}
	return i;
}

/*
 * encode_words - s[0..n) as encoded-words to out, each within
 * HEADERS_EWORD_MAX, cut only between characters (RFC 2047 5 (3), 2 and
 * 6.2): Q or B, whichever is shorter.
 */
static int
encode_words(struct buf *out, const unsigned char *s, size_t n)
{
	size_t i, q = 0, start;
	bool use_q;
	int rc = 0;

	for (i = 0; i < n; i++)
		q += q_len(s[i]);
	use_q = q <= (n + 2) / 3 * 4;
	for (i = 0; i < n;) {
		start = i;
		i = word_end(s, n, start, use_q);
		if (start > 0)
			rc |= buf_append(out, " ", 1);
		rc |= buf_append_str(out, use_q ? "=?UTF-8?Q?" : "=?UTF-8?B?");
		if (use_q)
			rc |= put_q(out, s + start, i - start);
		else
			rc |= base64_append(out, s + start, i - start);
		rc |= buf_append(out, "?=", 2);
	}
	return rc < 0 ? -1 : 0;
}

/* put_quoted - s as an RFC 5322 3.2.4 quoted-string to out. */
static int
put_quoted(struct buf *out, const char *s)
{
	int rc = buf_append(out, "\"", 1);

	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			rc |= buf_append(out, "\\", 1);
		rc |= buf_append(out, s, 1);
	}
	rc |= buf_append(out, "\"", 1);
	return rc < 0 ? -1 : 0;
}

char *
headers_phrase(const char *name)
{
	size_t n = strlen(name), i;
	bool atoms = true;
	struct buf out;
	int rc;

	buf_init(&out, EW_PER_BYTE * n + 2);    /* the most of the three */
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if ((ascii_is_ctl(c) && c != '\t') || c >= 0x80)
			break;
		if (c == ' ') {
			if (i == 0 || i == n - 1 || name[i + 1] == ' ')
				atoms = false;
		} else if (!ascii_is_atext(c)) {
			atoms = false;
		} else if (c == '=' && name[i + 1] == '?') {
			atoms = false;  /* would read as an encoded-word */
		}
	}
	if (i < n)
		rc = encode_words(&out, (const unsigned char *)name, n);
	else if (atoms)
		rc = buf_append(&out, name, n);
	else
		rc = put_quoted(&out, name);
	assert(rc == 0);        /* out's maximum is the most they write */
	(void)rc;
	return buf_take(&out);
}
