/*
 * reply.c - SMTP reply parsing (RFC 5321 4.2, 4.5.3.1.5; RFC 3463 enhanced
 * status codes as used by RFC 2034).
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "ascii.h"
#include "gettext.h"
#include "reply.h"
#include "utf8.h"

void
reply_init(struct reply *r)
{
	r->code = 0;
	r->enh[0] = '\0';
	r->text[0] = '\0';
	r->text_len = 0;
	r->nlines = 0;
	r->done = 0;
}

/* digits - count 1..max digits at s[i..len); 0 when none or too many. */
static size_t
digits(const char *s, size_t i, size_t len, size_t max)
{
	size_t n = 0;

	while (i + n < len && ascii_is_digit(s[i + n]))
		n++;
	if (n == 0 || n > max)
		return 0;
	return n;
}

size_t
reply_enh_parse(const char *s, size_t len, int cls, char *enh)
{
	size_t i, n;

	/* class: one digit, 2, 4 or 5 (RFC 3463 3.1) */
	if (len < 5 || s[0] - '0' != cls || (cls != 2 && cls != 4 && cls != 5)
	    || s[1] != '.')
		return 0;
	i = 2;
	n = digits(s, i, len, 3);
	if (n == 0)
		return 0;
	i += n;
	if (i >= len || s[i] != '.')
		return 0;
	i++;
	n = digits(s, i, len, 3);
	if (n == 0)
		return 0;
	i += n;
	if (i < len && s[i] != ' ')
		return 0;
	if (i >= ERR_ENH_MAX)
		return 0;
	memcpy(enh, s, i);
	enh[i] = '\0';
	return i;
}

/* quote_line - the line quoted for an error message, in dst */
static const char *
quote_line(char *dst, size_t n, const char *line, size_t len)
{
	size_t show = len > 80 ? 80 : len;
	char tmp[96];

	printable(tmp, sizeof(tmp), line, show);
	snprintf(dst, n, "\"%s%s\"", tmp, len > show ? "..." : "");
	return dst;
}

enum reply_status
reply_feed(struct reply *r, const char *line, size_t len, struct err *err)
{
	char q[128];
	int code;
	const char *text;
	size_t tlen, elen;
	char enh[ERR_ENH_MAX];

	if (r->done)
		reply_init(r);
	/* the line is quoted for an error only: most lines are fine */
	if (len < 3 || !ascii_is_digit(line[0]) || !ascii_is_digit(line[1])
	    || !ascii_is_digit(line[2])
	    || (len > 3 && line[3] != ' ' && line[3] != '-')) {
		err_set(err, ERR_PROTO, true,
			_("malformed reply line from server (no reply code): "
			  "%s"),
			quote_line(q, sizeof(q), line, len));
		return REPLY_INVALID;
	}
	code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
	if (line[0] < '2' || line[0] > '5' || line[1] > '5') {
		err_set(err, ERR_PROTO, true,
			_("invalid reply code %d from server: %s"), code,
			quote_line(q, sizeof(q), line, len));
		return REPLY_INVALID;
	}
	if (r->nlines > 0 && code != r->code) {
		err_set(err, ERR_PROTO, true,
			_("reply from server mixes codes %d and %d: %s"),
			r->code, code, quote_line(q, sizeof(q), line, len));
		return REPLY_INVALID;
	}
	if (r->nlines >= SMTP_REPLY_LINES_MAX) {
		err_set(err, ERR_PROTO, true,
			_("reply from server has more than %d lines"),
			SMTP_REPLY_LINES_MAX);
		return REPLY_INVALID;
	}
	r->code = code;
	text = len > 4 ? line + 4 : "";
	tlen = len > 4 ? len - 4 : 0;

	/* Enhanced status code: kept from the first line; stripped from every
	 * line that carries a matching one (RFC 2034 4). */
	elen = reply_enh_parse(text, tlen, code / 100, enh);
	if (elen > 0) {
		if (r->nlines == 0)
			memcpy(r->enh, enh, sizeof(enh));
		text += elen;
		tlen -= elen;
		if (tlen > 0 && *text == ' ') {
			text++;
			tlen--;
		}
	}
	if (r->nlines > 0 && r->text_len + 1 < sizeof(r->text)) {
		r->text[r->text_len++] = '\n';
		r->text[r->text_len] = '\0';
	}
	r->text_len += printable(r->text + r->text_len,
				 sizeof(r->text) - r->text_len, text, tlen);
	r->nlines++;
	if (len == 3 || line[3] == ' ') {
		r->done = 1;
		return REPLY_DONE;
	}
	return REPLY_MORE;
}

void
reply_first_line(const struct reply *r, char *dst, size_t n)
{
	const char *nl = memchr(r->text, '\n', r->text_len);
	size_t len = nl ? (size_t)(nl - r->text) : r->text_len;

	if (n == 0)
		return;
	if (len >= n)
		len = n - 1;
	memcpy(dst, r->text, len);
	dst[len] = '\0';
}

void
reply_oneline(const struct reply *r, char *dst, size_t n)
{
	size_t i, o = 0;

	if (n == 0)
		return;
	for (i = 0; i < r->text_len && o + 1 < n; i++) {
		if (r->text[i] == '\n') {
			if (o + 4 > n)
				break;
			memcpy(dst + o, " / ", 3);
			o += 3;
		} else {
			dst[o++] = r->text[i];
		}
	}
	dst[o] = '\0';
}
