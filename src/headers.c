/*
 * headers.c - the header block (see headers.h).
 *
 * the list of fields, parsing, access, folding and writing, the
 * recipients of "sendmail -t", Date and Message-ID.  Display names are in
 * headers_name.c, qualifying bare local names in headers_qualify.c.
 *
 * RFC 5322 2.1.1 (line length), 2.2 (field names), 2.2.3 (folding and
 * unfolding), 3.3 (date and time), 3.4 (address lists), 3.6.3 (Bcc),
 * 3.6.4 (Message-ID), 3.6.6 (Resent- blocks), 4.5 (obsolete white space
 * before the colon); RFC 4155 (the mbox "From " line).
 */
#include <config.h>

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "ascii.h"
#include "gettext.h"
#include "headers.h"
#include "xalloc.h"

/* ---- small helpers ---- */

/* name_eq - ASCII case-insensitive equality (no locale). */
static bool
name_eq(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++)
		if (ascii_tolower(*a) != ascii_tolower(*b))
			return false;
	return *a == *b;
}

static bool
has_prefix_ci(const char *s, const char *prefix)
{
	for (; *prefix != '\0'; s++, prefix++)
		if (*s == '\0' || ascii_tolower(*s) != ascii_tolower(*prefix))
			return false;
	return true;
}

/* is_ftext - RFC 5322 2.2: a field name is printable ASCII but ':'. */
static bool
is_ftext(char c)
{
	return ascii_is_vchar((unsigned char)c) && c != ':';
}

/*
 * field_name_len - when s[0..n) starts with a field name followed by
 * optional blanks and ':', the length of the name; otherwise 0.
 */
static size_t
field_name_len(const char *s, size_t n)
{
	size_t j = 0, nlen;

	while (j < n && is_ftext(s[j]))
		j++;
	if (j == 0)
		return 0;
	nlen = j;
	while (j < n && ascii_is_blank(s[j]))
		j++;
	return j < n && s[j] == ':' ? nlen : 0;
}

/* ---- the list ---- */

void
headers_init(struct headers *h)
{
	h->v = NULL;
	h->n = 0;
	h->cap = 0;
	h->bytes = 0;
}

void
headers_clear(struct headers *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		free(h->v[i].name);
		free(h->v[i].raw);
	}
	free(h->v);
	headers_init(h);
}

/* push - append a field, taking ownership of name and raw. */
static void
push(struct headers *h, char *name, char *raw)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 16;
		h->v = xrealloc(h->v, h->cap * sizeof(*h->v));
	}
	h->v[h->n].name = name;
	h->v[h->n].raw = raw;
	h->n++;
	h->bytes += strlen(raw);
}

static void
remove_at(struct headers *h, size_t i)
{
	h->bytes -= strlen(h->v[i].raw);
	free(h->v[i].name);
	free(h->v[i].raw);
	memmove(h->v + i, h->v + i + 1, (h->n - i - 1) * sizeof(*h->v));
	h->n--;
}

/* ---- parsing ---- */

/*
 * line_end - find the end of the line that starts at i.  *ce is where its
 * content ends, *next where the following line starts (after CRLF, LF or a
 * bare CR; len when the line has no end).  Returns -1 when the line goes on
 * past HEADERS_MAX, or has a NUL byte (*nul set).
 */
static int
line_end(const char *text, size_t len, size_t i, size_t *ce, size_t *next,
	 bool *nul)
{
	size_t lim = len < HEADERS_MAX + 2 ? len : HEADERS_MAX + 2;
	size_t j;

	*nul = false;
	for (j = i; j < lim && text[j] != '\r' && text[j] != '\n'; j++)
		if (text[j] == '\0') {
			*nul = true;
			return -1;
		}
	if (j >= lim && lim < len)
		return -1;
	*ce = j;
	if (j == len)
		*next = len;
	else if (text[j] == '\r' && j + 1 < len && text[j + 1] == '\n')
		*next = j + 2;
	else
		*next = j + 1;
	return 0;
}

/* add_line - text[i..ce) and CRLF to raw. */
static int
add_line(struct buf *raw, const char *text, size_t i, size_t ce)
{
	if (buf_append(raw, text + i, ce - i) < 0
	    || buf_append(raw, "\r\n", 2) < 0)
		return -1;
	return 0;
}

/* The block being read: the fields so far, and the one being gathered
 * (its name, and its lines joined with CRLF). */
struct block {
	struct headers tmp;
	struct buf raw;
	char *name;
	bool nul;               /* the failure was a NUL byte */
};

/* end_field - the field being gathered, if any, is complete. */
static void
end_field(struct block *b)
{
	if (b->name != NULL) {
		push(&b->tmp, b->name, xstrdup(buf_str(&b->raw)));
		b->name = NULL;
	}
	buf_reset(&b->raw);
}

/* scan_line - the line at text[i]: 1 when it ends the block (*end then
 * says where the body starts), 0 when it was added, -1 on failure. */
static int
scan_line(struct block *b, const char *text, size_t len, size_t *i,
	  size_t *end)
{
	size_t ce, next, nlen;
	char c = text[*i];

	if (c == '\r' || c == '\n') {
		/* the empty line that ends the block */
		if (line_end(text, len, *i, &ce, &next, &b->nul) < 0)
			return -1;
		*end = next;
		return 1;
	}
	if (ascii_is_blank(c) && b->name == NULL) {
		*end = *i;      /* nothing to continue: this is body */
		return 1;
	}
	if (!ascii_is_blank(c)) {
		nlen = field_name_len(text + *i, len - *i);
		if (nlen == 0) {
			/* neither a field nor a continuation: body */
			*end = *i;
			return 1;
		}
		end_field(b);
		b->name = xstrndup(text + *i, nlen);
	}
	if (line_end(text, len, *i, &ce, &next, &b->nul) < 0)
		return -1;
	if (next > HEADERS_MAX || add_line(&b->raw, text, *i, ce) < 0)
		return -1;
	*i = next;
	return 0;
}

/* scan_block - the fields from text[i] on; *end is where the body starts. */
static int
scan_block(struct block *b, const char *text, size_t len, size_t i,
	   size_t *end)
{
	size_t ce, next;
	int r;

	if (len >= 5 && memcmp(text, "From ", 5) == 0
	    && field_name_len(text, len) == 0) {
		/* an mbox "From " line before the fields: dropped */
		if (line_end(text, len, 0, &ce, &next, &b->nul) < 0
		    || next > HEADERS_MAX)
			return -1;
		i = next;
	}
	while (i < len) {
		r = scan_line(b, text, len, &i, end);
		if (r != 0)
			return r < 0 ? -1 : 0;
	}
	if (len >= HEADERS_MAX)
		return -1;
	*end = len;
	return 0;
}

int
headers_parse(struct headers *h, const char *text, size_t len,
	      size_t *consumed, struct err *err)
{
	struct block b = { .name = NULL, .nul = false };
	size_t end = 0, k;
	int ret = -1;

	headers_init(&b.tmp);
	buf_init(&b.raw, 2 * HEADERS_MAX + 2);   /* LF may become CRLF */
	*consumed = 0;
	if (scan_block(&b, text, len, 0, &end) < 0 || end > HEADERS_MAX) {
		if (b.nul)
			err_set(err, ERR_DATA, false,
				_("the header block contains a NUL byte"));
		else
			err_set(err, ERR_DATA, false,
				_("header block longer than %d bytes"),
				HEADERS_MAX);
		goto out;
	}
	end_field(&b);
	for (k = 0; k < b.tmp.n; k++)
		push(h, b.tmp.v[k].name, b.tmp.v[k].raw);
	free(b.tmp.v);
	headers_init(&b.tmp);
	*consumed = end;
	ret = 0;
out:
	free(b.name);
	headers_clear(&b.tmp);
	buf_clear(&b.raw);
	return ret;
}

/* ---- access ---- */

char *
headers_value(const struct headers *h, size_t idx)
{
	struct buf v;
	const char *p;
	size_t n, a, b;
	int rc = 0;

	assert(idx < h->n);
	p = h->v[idx].raw + strlen(h->v[idx].name);
	while (ascii_is_blank(*p))
		p++;
	assert(*p == ':');
	p++;
	buf_init(&v, strlen(p));        /* unfolding only removes */
	for (; *p != '\0'; p += n + strspn(p + n, "\r\n")) {
		n = strcspn(p, "\r\n");
		rc |= buf_append(&v, p, n);
	}
	assert(rc == 0);
	(void)rc;
	for (a = 0; a < v.len && ascii_is_blank(v.p[a]); a++)
		;
	for (b = v.len; b > a && ascii_is_blank(v.p[b - 1]); b--)
		;
	buf_truncate(&v, b);
	buf_consume(&v, a);
	return buf_take(&v);
}

long
headers_find(const struct headers *h, const char *name, size_t from)
{
	size_t i;

	for (i = from; i < h->n; i++)
		if (name_eq(h->v[i].name, name))
			return (long)i;
	return -1;
}

size_t
headers_remove(struct headers *h, const char *name)
{
	size_t i = 0, removed = 0;

	while (i < h->n) {
		if (name_eq(h->v[i].name, name)) {
			remove_at(h, i);
			removed++;
		} else {
			i++;
		}
	}
	return removed;
}

/*
 * unfolded - "name: value" on one line into line: CR and LF in value made
 * spaces, the blanks around value dropped, "name:" alone when nothing is
 * left of it.  line's maximum must allow strlen(name) + 2 + strlen(value).
 */
static int
unfolded(struct buf *line, const char *name, const char *value)
{
	size_t a, b, i;
	int rc;

	for (a = 0; ascii_is_space(value[a]); a++)
		;
	for (b = strlen(value + a); b > 0 && ascii_is_space(value[a + b - 1]);
	     b--)
		;
	rc = buf_printf(line, "%s:", name);
	if (b > 0)
		rc |= buf_append(line, " ", 1);
	for (i = 0; i < b; i++) {
		char c = value[a + i];

		if (c == '\r' || c == '\n')
			c = ' ';
		rc |= buf_append(line, &c, 1);
	}
	return rc < 0 ? -1 : 0;
}

/*
 * fold_field - "name: value" + CRLF, folded (RFC 5322 2.2.3) by putting a
 * CRLF before the blanks that precede a word, greedily, so that each line
 * stays within HEADERS_FOLD columns when its words allow.  The first line
 * keeps at least one word of the value.  CR and LF in value become spaces;
 * blanks around value are dropped.  Allocated; the caller frees it.
 */
static char *
fold_field(const char *name, const char *value)
{
	struct buf line, out;
	size_t max = strlen(name) + 2 + strlen(value), i = 0, col, words = 0;
	const char *s;
	int rc;

	buf_init(&line, max);
	/* each word may add a CRLF: at most one per byte, plus the end */
	buf_init(&out, 3 * max + 2);
	rc = unfolded(&line, name, value);
	s = buf_str(&line);
	while (s[i] != '\0' && !ascii_is_blank(s[i]))
		i++;
	rc |= buf_append(&out, s, i);
	col = i;
	while (s[i] != '\0') {
		size_t start = i;

		while (ascii_is_blank(s[i]))
			i++;
		while (s[i] != '\0' && !ascii_is_blank(s[i]))
			i++;
		/* the first line keeps a word of the value */
		if (col + i - start > HEADERS_FOLD && words > 0) {
			rc |= buf_append(&out, "\r\n", 2);
			col = 0;
		}
		rc |= buf_append(&out, s + start, i - start);
		col += i - start;
		words++;
	}
	rc |= buf_append(&out, "\r\n", 2);
	assert(rc == 0);        /* the maxima are what folding can need */
	(void)rc;
	buf_clear(&line);
	return buf_take(&out);
}

static bool
valid_name(const char *name)
{
	if (*name == '\0')
		return false;
	for (; *name != '\0'; name++)
		if (!is_ftext(*name))
			return false;
	return true;
}

void
headers_add(struct headers *h, const char *name, const char *value)
{
	assert(valid_name(name));
	push(h, xstrdup(name), fold_field(name, value));
}

void
headers_replace(struct headers *h, size_t idx, const char *value)
{
	char *raw;

	assert(idx < h->n);
	raw = fold_field(h->v[idx].name, value);
	h->bytes = h->bytes - strlen(h->v[idx].raw) + strlen(raw);
	free(h->v[idx].raw);
	h->v[idx].raw = raw;
}

int
headers_write(const struct headers *h, struct buf *out)
{
	size_t i;

	if (h->bytes + 2 < h->bytes || out->len > out->max
	    || h->bytes + 2 > out->max - out->len)
		return -1;
	for (i = 0; i < h->n; i++)
		if (buf_append_str(out, h->v[i].raw) < 0)
			return -1;      /* not reached: the room was checked */
	return buf_append(out, "\r\n", 2);
}

/* longest_line - the length of the longest line of a field's raw text
 * (without its CRLF). */
static size_t
longest_line(const char *raw)
{
	size_t max = 0, len;

	while (*raw != '\0') {
		len = strcspn(raw, "\r\n");
		if (len > max)
			max = len;
		raw += len;
		raw += strspn(raw, "\r\n");
	}
	return max;
}

long
headers_fold_long(struct headers *h)
{
	long first = -1;
	size_t i;

	for (i = 0; i < h->n; i++) {
		char *value;

		if (longest_line(h->v[i].raw) <= HEADERS_LINE_MAX)
			continue;
		value = headers_value(h, i);
		headers_replace(h, i, value);
		free(value);
		if (first < 0 && longest_line(h->v[i].raw) > HEADERS_LINE_MAX)
			first = (long)i;
	}
	return first;
}

/* ---- recipients ---- */

/* add_field_addrs - parse the address list of field i into l. */
static int
add_field_addrs(const struct headers *h, size_t i, struct addr_list *l,
		struct err *err)
{
	char *v = headers_value(h, i);
	int n;

	n = addr_list_parse(l, v, err);
	free(v);
	if (n < 0)
		err_prefix(err, h->v[i].name);
	return n;
}

int
headers_recipients(const struct headers *h, struct addr_list *l,
		   struct err *err)
{
	struct addr_list tmp;
	size_t i, first = h->n;
	bool seen_date = false, seen_from = false;
	int ret = -1;

	addr_list_init(&tmp);
	for (i = 0; i < h->n; i++)
		if (has_prefix_ci(h->v[i].name, "Resent-")) {
			first = i;
			break;
		}
	if (first < h->n) {
		/* the topmost Resent- block only (RFC 5322 3.6.6) */
		for (i = first; i < h->n
		     && has_prefix_ci(h->v[i].name, "Resent-"); i++) {
			const char *nm = h->v[i].name;

			if (name_eq(nm, "Resent-Date")) {
				if (seen_date)
					break;
				seen_date = true;
			} else if (name_eq(nm, "Resent-From")) {
				if (seen_from)
					break;
				seen_from = true;
			} else if ((name_eq(nm, "Resent-To")
				    || name_eq(nm, "Resent-Cc")
				    || name_eq(nm, "Resent-Bcc"))
				   && add_field_addrs(h, i, &tmp, err) < 0) {
				goto out;
			}
		}
	} else {
		for (i = 0; i < h->n; i++) {
			const char *nm = h->v[i].name;

			if ((name_eq(nm, "To") || name_eq(nm, "Cc")
			     || name_eq(nm, "Bcc"))
			    && add_field_addrs(h, i, &tmp, err) < 0)
				goto out;
		}
	}
	for (i = 0; i < tmp.n; i++)
		addr_list_add(l, tmp.v[i]);
	ret = (int)tmp.n;
out:
	addr_list_clear(&tmp);
	return ret;
}

size_t
headers_remove_bcc(struct headers *h)
{
	return headers_remove(h, "Bcc") + headers_remove(h, "Resent-Bcc");
}

/* ---- Date and Message-ID ---- */

static const char day_names[7][4] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char month_names[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

void
headers_date(time_t t, int utc_offset_min, char *out, size_t n)
{
	struct tm tm;
	time_t lt;
	char sign;
	int off = utc_offset_min, w;

	if (n == 0)
		return;
	out[0] = '\0';
	if (off <= -24 * 60 || off >= 24 * 60) {
		off = 0;
		sign = '-';     /* RFC 5322 3.3: "-0000", zone unknown */
	} else {
		sign = off < 0 ? '-' : '+';
	}
	if (__builtin_add_overflow(t, (time_t)off * 60, &lt))
		return;
	if (off < 0)
		off = -off;
	if (gmtime_r(&lt, &tm) == NULL || tm.tm_year < -1900
	    || tm.tm_year > 9999 - 1900 || tm.tm_wday < 0 || tm.tm_wday > 6
	    || tm.tm_mon < 0 || tm.tm_mon > 11)
		return;
	w = snprintf(out, n, "%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d",
		     day_names[tm.tm_wday], tm.tm_mday, month_names[tm.tm_mon],
		     tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, sign,
		     off / 60, off % 60);
	if (w < 0 || (size_t)w >= n)
		out[0] = '\0';
}

void
headers_msgid(time_t t, const unsigned char rnd[8], const char *domain,
	      char *out, size_t n)
{
	struct tm tm;
	char when[32];
	int w;

	if (n == 0)
		return;
	out[0] = '\0';
	if (domain == NULL || *domain == '\0')
		domain = "localhost";
	if (gmtime_r(&t, &tm) != NULL && tm.tm_year >= -1900
	    && tm.tm_year <= 9999 - 1900)
		w = snprintf(when, sizeof(when), "%04d%02d%02d%02d%02d%02d",
			     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			     tm.tm_hour, tm.tm_min, tm.tm_sec);
	else
		w = snprintf(when, sizeof(when), "%llx",
			     (unsigned long long)t);
	if (w < 0 || (size_t)w >= sizeof(when))
		return;
	w = snprintf(out, n,
		     "<%s.%02x%02x%02x%02x%02x%02x%02x%02x@%s>", when,
		     rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6],
		     rnd[7], domain);
	if (w < 0 || (size_t)w >= n)
		out[0] = '\0';
}
