/*
 * mtext.c - escapes, placeholders, word splitting and rendering for
 * smtpmock scenarios (see mtext.h).  No RFC here; the rules are ours and are
 * documented in doc/scenario-format.md.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "mtext.h"

/* The longest single word mtext_words accepts. */
#define WORD_MAX (1024 * 1024)

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * placeholder - if src[i..n) starts with "%NAME" for a known placeholder
 * whose value is set, return the value and store the length of "%NAME".
 */
static const char *
placeholder(const char *src, size_t i, size_t n, const struct mtext_subst *sub,
    size_t *len)
{
	static const struct {
		const char *name;
		size_t off;
	} names[] = {
		/* longest first, so %SRCDIR is not taken for something shorter */
		{ "SMTPMOCK", offsetof(struct mtext_subst, smtpmock) },
		{ "SRCDIR", offsetof(struct mtext_subst, srcdir) },
		{ "CLIENT", offsetof(struct mtext_subst, client) },
		{ "CERTS", offsetof(struct mtext_subst, certs) },
		{ "PORT", offsetof(struct mtext_subst, port) },
		{ "HOST", offsetof(struct mtext_subst, host) },
		{ "TMP", offsetof(struct mtext_subst, tmp) },
	};
	size_t k, nl;
	const char *val;

	if (sub == NULL || src[i] != '%')
		return NULL;
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		nl = strlen(names[k].name);
		if (n - i - 1 < nl || memcmp(src + i + 1, names[k].name, nl) != 0)
			continue;
		memcpy(&val, (const char *)sub + names[k].off, sizeof(val));
		if (val == NULL)
			return NULL;
		*len = nl + 1;
		return val;
	}
	return NULL;
}

/* add_base64 - append the base64 form (RFC 4648) of p[0..n). */
static int
add_base64(struct mbuf *out, const char *p, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = (const unsigned char *)p;
	size_t i;

	for (i = 0; i < n; i += 3) {
		unsigned long v = (unsigned long)s[i] << 16;
		char q[4];

		if (i + 1 < n)
			v |= (unsigned long)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		q[0] = tab[(v >> 18) & 63];
		q[1] = tab[(v >> 12) & 63];
		q[2] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? tab[v & 63] : '=';
		if (mbuf_add(out, q, 4) == -1)
			return -1;
	}
	return 0;
}

int
mtext_expand(const char *src, size_t n, const struct mtext_subst *sub,
    struct mbuf *out, struct merr *e)
{
	size_t i, plen;
	const char *val;
	int c, h1, h2;

	for (i = 0; i < n; i++) {
		c = (unsigned char)src[i];
		if (c == '%' && n - i >= 5 && memcmp(src + i, "%B64{", 5) == 0) {
			/* %B64{TEXT}: TEXT expanded, then base64-encoded (for
			 * SASL lines that embed a placeholder) */
			const char *end = memchr(src + i + 5, '}', n - i - 5);
			struct mbuf inner;
			int rc;

			if (end == NULL)
				return merr_set(e, "%%B64{ without }");
			mbuf_init(&inner, out->max);
			rc = mtext_expand(src + i + 5,
			    (size_t)(end - (src + i + 5)), sub, &inner, e);
			if (rc == 0)
				rc = add_base64(out, inner.p, inner.len);
			mbuf_clear(&inner);
			if (rc == -1)
				return merr_set(e, "%%B64{...}: %s",
				    e->msg[0] ? e->msg : "too long");
			i = (size_t)(end - src);
			continue;
		}
		if (c == '%' && n - i >= 5 && memcmp(src + i, "%CAT{", 5) == 0) {
			/* %CAT{PATH}: the first line of a file, e.g. a
			 * certificate fingerprint made at test time */
			const char *end = memchr(src + i + 5, '}', n - i - 5);
			struct mbuf path;
			char line[4096];
			FILE *fp;
			int rc;

			if (end == NULL)
				return merr_set(e, "%%CAT{ without }");
			mbuf_init(&path, 4096);
			rc = mtext_expand(src + i + 5,
			    (size_t)(end - (src + i + 5)), sub, &path, e);
			if (rc == 0 && (sub == NULL || sub->no_files)) {
				/* checking the syntax only */
				mbuf_clear(&path);
				if (mbuf_adds(out, "CAT") == -1)
					goto full;
				i = (size_t)(end - src);
				continue;
			}
			fp = rc == 0 ? fopen(path.p ? path.p : "", "r") : NULL;
			if (fp == NULL || fgets(line, sizeof(line), fp) == NULL) {
				merr_set(e, "%%CAT{%s}: cannot read it",
				    path.p ? path.p : "");
				if (fp != NULL)
					fclose(fp);
				mbuf_clear(&path);
				return -1;
			}
			fclose(fp);
			mbuf_clear(&path);
			line[strcspn(line, "\r\n")] = '\0';
			if (mbuf_adds(out, line) == -1)
				goto full;
			i = (size_t)(end - src);
			continue;
		}
		if (c == '%' && (val = placeholder(src, i, n, sub, &plen))) {
			if (mbuf_adds(out, val) == -1)
				goto full;
			i += plen - 1;
			continue;
		}
		if (c != '\\') {
			if (mbuf_addc(out, c) == -1)
				goto full;
			continue;
		}
		if (++i >= n)
			return merr_set(e, "backslash at end of line "
			    "(write \\\\ for a backslash)");
		switch (src[i]) {
		case '\\': c = '\\'; break;
		case 'r': c = '\r'; break;
		case 'n': c = '\n'; break;
		case 't': c = '\t'; break;
		case '0': c = '\0'; break;
		case 'x':
			if (n - i < 3 || (h1 = hexval(src[i + 1])) < 0 ||
			    (h2 = hexval(src[i + 2])) < 0)
				return merr_set(e, "\\x needs two hex digits");
			c = h1 * 16 + h2;
			i += 2;
			break;
		default:
			if (isprint((unsigned char)src[i]))
				return merr_set(e, "unknown escape \\%c", src[i]);
			return merr_set(e, "unknown escape \\\\x%02X",
			    (unsigned char)src[i]);
		}
		if (mbuf_addc(out, c) == -1)
			goto full;
	}
	return 0;
full:
	return merr_set(e, "expanded text exceeds %zu bytes", out->max);
}

void
mtext_words_free(char **argv)
{
	size_t i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

/*
 * expand_functions - copy src, replacing each %CAT{...} and %B64{...} by
 * its value (so that they work in %args too); NULL with e set on error.
 */
static char *
expand_functions(const char *src, const struct mtext_subst *sub,
    struct merr *e)
{
	struct mbuf out;
	const char *p = src;
	char *res;

	mbuf_init(&out, WORD_MAX * 4);
	while (*p != '\0') {
		const char *f = strstr(p, "%CAT{"), *g = strstr(p, "%B64{");
		const char *end;

		if (f == NULL || (g != NULL && g < f))
			f = g;
		if (f == NULL) {
			if (mbuf_adds(&out, p) == -1)
				goto full;
			break;
		}
		end = strchr(f, '}');
		if (end == NULL) {
			merr_set(e, "%.5s without }", f);
			goto fail;
		}
		if (mbuf_add(&out, p, (size_t)(f - p)) == -1)
			goto full;
		if (mtext_expand(f, (size_t)(end + 1 - f), sub, &out, e) == -1)
			goto fail;
		p = end + 1;
	}
	res = strdup(out.p ? out.p : "");
	if (res == NULL)
		merr_oom();
	mbuf_clear(&out);
	return res;
full:
	merr_set(e, "expanded text too long");
fail:
	mbuf_clear(&out);
	return NULL;
}

int
mtext_words(const char *src, const struct mtext_subst *sub,
    char ***argvp, size_t *argcp, struct merr *e)
{
	char **argv = NULL;
	size_t argc = 0, i, n = strlen(src), plen;
	struct mbuf w;
	const char *val;
	int in_word = 0, quote = 0, rc = -1;
	char *expanded = NULL;

	if (sub != NULL && (strstr(src, "%CAT{") || strstr(src, "%B64{"))) {
		expanded = expand_functions(src, sub, e);
		if (expanded == NULL)
			return -1;
		src = expanded;
		n = strlen(src);
	}

	mbuf_init(&w, WORD_MAX);
	argv = calloc(MTEXT_WORDS_MAX + 1, sizeof(*argv));
	if (argv == NULL)
		merr_oom();
	for (i = 0; i <= n; i++) {
		int c = i < n ? (unsigned char)src[i] : -1;

		if (quote == 0 && (c == -1 || c == ' ' || c == '\t' ||
		    c == '\n')) {
			if (!in_word)
				continue;
			if (argc >= MTEXT_WORDS_MAX) {
				merr_set(e, "more than %d words",
				    MTEXT_WORDS_MAX);
				goto out;
			}
			argv[argc] = strdup(mbuf_str(&w));
			if (argv[argc] == NULL)
				merr_oom();
			argc++;
			mbuf_clear(&w);
			in_word = 0;
			continue;
		}
		if (c == -1) {
			merr_set(e, "unterminated %s quote",
			    quote == '"' ? "double" : "single");
			goto out;
		}
		in_word = 1;
		if (c == '%' && (val = placeholder(src, i, n, sub, &plen))) {
			if (mbuf_adds(&w, val) == -1)
				goto toolong;
			i += plen - 1;
			continue;
		}
		if (quote == 0 && (c == '\'' || c == '"')) {
			quote = c;
			continue;
		}
		if (quote != 0 && c == quote) {
			quote = 0;
			continue;
		}
		if (c == '\\' && quote != '\'') {
			if (i + 1 >= n) {
				merr_set(e, "backslash at end of arguments");
				goto out;
			}
			/* In "...", only \" and \\ are escapes. */
			if (quote == 0 || src[i + 1] == '"' ||
			    src[i + 1] == '\\')
				c = (unsigned char)src[++i];
		}
		if (mbuf_addc(&w, c) == -1)
			goto toolong;
	}
	*argvp = argv;
	*argcp = argc;
	argv = NULL;
	rc = 0;
	goto out;
toolong:
	merr_set(e, "word longer than %d bytes", WORD_MAX);
out:
	mbuf_clear(&w);
	mtext_words_free(argv);
	free(expanded);
	return rc;
}

int
mtext_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (*s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
mtext_seconds(const char *s, long max_s, long *ms)
{
	const char *dot = strchr(s, '.');
	char whole[32];
	size_t wl;
	long sec, frac = 0;
	int digits = 0;

	wl = dot != NULL ? (size_t)(dot - s) : strlen(s);
	if (wl == 0 || wl >= sizeof(whole))
		return -1;
	memcpy(whole, s, wl);
	whole[wl] = '\0';
	if (whole[0] == '-' || whole[0] == '+' ||
	    mtext_long(whole, 0, max_s, &sec) == -1)
		return -1;
	if (dot != NULL) {
		const char *p;

		if (dot[1] == '\0')
			return -1;
		for (p = dot + 1; *p != '\0'; p++) {
			if (!isdigit((unsigned char)*p) || ++digits > 3)
				return -1;
			frac = frac * 10 + (*p - '0');
		}
		while (digits++ < 3)
			frac *= 10;
	}
	if (sec == max_s && frac > 0)
		return -1;
	*ms = sec * 1000 + frac;
	return 0;
}

size_t
mtext_bad_text(const unsigned char *p, size_t n, const char **why)
{
	size_t i = 0, len, k;
	unsigned char c, lo, hi;

	while (i < n) {
		c = p[i];
		if (c < 0x80) {
			if ((c < 0x20 && c != '\n') || c == 0x7f) {
				*why = "a control character";
				return i;
			}
			i++;
			continue;
		}
		/* RFC 3629 section 4: the second byte's range by lead byte */
		lo = 0x80;
		hi = 0xbf;
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			if (c == 0xe0)
				lo = 0xa0;	/* overlong below */
			if (c == 0xed)
				hi = 0x9f;	/* surrogates above */
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			if (c == 0xf0)
				lo = 0x90;	/* overlong below */
			if (c == 0xf4)
				hi = 0x8f;	/* above U+10FFFF */
		} else {
			*why = c < 0xc0 ? "a continuation byte without a lead "
			    "byte" : "a byte that never occurs in UTF-8 "
			    "(C0, C1, F5-FF)";
			return i;
		}
		if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) {
			*why = "an ill-formed UTF-8 sequence (overlong, "
			    "surrogate, above U+10FFFF or cut short)";
			return i;
		}
		for (k = 2; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80) {
				*why = "an ill-formed UTF-8 sequence (cut "
				    "short)";
				return i;
			}
		}
		if (c == 0xc2 && p[i + 1] <= 0x9f) {
			*why = "a C1 control character (U+0080-U+009F)";
			return i;
		}
		i += len;
	}
	return n;
}

void
mtext_render(const unsigned char *p, size_t n, size_t max, struct mbuf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;
	char esc[5];
	int r = 0;

	for (i = 0; i < n && i < max && r == 0; i++) {
		switch (p[i]) {
		case '\r': r = mbuf_adds(out, "\\r"); break;
		case '\n': r = mbuf_adds(out, "\\n"); break;
		case '\t': r = mbuf_adds(out, "\\t"); break;
		case '\\': r = mbuf_adds(out, "\\\\"); break;
		default:
			if (p[i] >= 0x20 && p[i] < 0x7f) {
				r = mbuf_addc(out, p[i]);
			} else {
				esc[0] = '\\';
				esc[1] = 'x';
				esc[2] = hex[p[i] >> 4];
				esc[3] = hex[p[i] & 15];
				esc[4] = '\0';
				r = mbuf_adds(out, esc);
			}
		}
	}
	if (r == 0 && n > max)
		(void)!mbuf_adds(out, "...");
}
