/*
 * caps.c - EHLO capability parsing (RFC 5321 4.1.1.1; the extensions named
 * in caps.h).
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ascii.h"
#include "buf.h"
#include "caps.h"

static const struct {
	const char *name;
	unsigned flag;
} keywords[] = {
	{ "SIZE", CAP_SIZE },
	{ "PIPELINING", CAP_PIPELINING },
	{ "8BITMIME", CAP_8BITMIME },
	{ "SMTPUTF8", CAP_SMTPUTF8 },
	{ "CHUNKING", CAP_CHUNKING },
	{ "BINARYMIME", CAP_BINARYMIME },
	{ "DSN", CAP_DSN },
	{ "ENHANCEDSTATUSCODES", CAP_ENHANCEDSTATUSCODES },
	{ "STARTTLS", CAP_STARTTLS },
	{ "AUTH", CAP_AUTH },
	{ "ETRN", CAP_ETRN },
};

void
caps_clear(struct caps *c)
{
	memset(c, 0, sizeof(*c));
}

static void
add_auth(struct caps *c, const char *p, size_t n)
{
	size_t len = strlen(c->auth), i = 0;

	while (i < n) {
		size_t start, wlen, k;

		while (i < n && (p[i] == ' ' || p[i] == '='))
			i++;
		start = i;
		while (i < n && p[i] != ' ')
			i++;
		wlen = i - start;
		if (wlen == 0 || len + wlen + 2 > sizeof(c->auth))
			continue;
		if (len > 0)
			c->auth[len++] = ' ';
		for (k = 0; k < wlen; k++) {
			char ch = p[start + k];
			c->auth[len++] = ascii_toupper(ch);
		}
		c->auth[len] = '\0';
	}
}

static void
parse_line(struct caps *c, const char *p, size_t n)
{
	size_t kw = 0, i;

	while (kw < n && p[kw] != ' ' && p[kw] != '=')
		kw++;
	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
		if (strlen(keywords[i].name) != kw
		    || strncasecmp(p, keywords[i].name, kw) != 0)
			continue;
		c->flags |= keywords[i].flag;
		if (keywords[i].flag == CAP_SIZE && kw < n) {
			char num[32];
			size_t len = n - kw - 1;
			char *end;
			unsigned long long v;

			if (len == 0 || len >= sizeof(num))
				break;
			memcpy(num, p + kw + 1, len);
			num[len] = '\0';
			errno = 0;
			v = strtoull(num, &end, 10);
			if (errno == 0 && *end == '\0'
			    && ascii_is_digit(num[0]))
				c->size_max = v;
		} else if (keywords[i].flag == CAP_AUTH && kw < n) {
			add_auth(c, p + kw + 1, n - kw - 1);
		}
		break;
	}
}

void
caps_parse(struct caps *c, const struct reply *ehlo)
{
	const char *p = ehlo->text, *end = ehlo->text + ehlo->text_len;
	int line = 0;

	caps_clear(c);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (line++ > 0)
			parse_line(c, p, len);
		p += len + (nl ? 1 : 0);
	}
}

bool
caps_has_auth(const struct caps *c, const char *mech)
{
	size_t mlen = strlen(mech);
	const char *p = c->auth;

	while (*p) {
		size_t wlen = strcspn(p, " ");
		if (wlen == mlen && strncasecmp(p, mech, mlen) == 0)
			return true;
		p += wlen;
		while (*p == ' ')
			p++;
	}
	return false;
}

void
caps_describe(const struct caps *c, char *dst, size_t n)
{
	struct buf out;
	size_t i;

	if (n == 0)
		return;
	buf_init(&out, n - 1);
	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if ((c->flags & keywords[i].flag)
		    && buf_printf(&out, "%s%s", out.len > 0 ? " " : "",
				  keywords[i].name) < 0)
			break;  /* dst gets the names that fit */
	memcpy(dst, buf_str(&out), out.len + 1);
	buf_clear(&out);
}
