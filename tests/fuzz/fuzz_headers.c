/*
 * fuzz_headers.c - libFuzzer target for headers.h (src/headers.c,
 * headers_name.c, headers_qualify.c): the header block (RFC 5322 2.2
 * fields, 2.2.3 folding, 3.2.5 phrases, 3.3 dates, 3.4 address lists;
 * RFC 2047 encoded-words).
 *
 * The whole input is the message for headers_parse; the bytes after its
 * first NUL (up to the next one), or the input itself when it has none,
 * are a value for headers_add and headers_phrase.  Checked:
 *   - every field is "Name:" (with blanks before the colon allowed), its
 *     lines end in CRLF, its continuation lines start with a blank, and
 *     there is no bare CR or LF: no header injection when written;
 *   - headers_write then headers_parse gives the same fields, and the
 *     whole block is consumed;
 *   - headers_add, with any value, adds exactly one field, and so does
 *     nothing else: headers_qualify rewrites a field in place;
 *   - headers_phrase gives one line that decodes back to the name;
 *   - headers_date and headers_msgid stay within their sizes.
 */
#include <config.h>

#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "headers.h"
#include "xalloc.h"

#define OUT_MAX (8 * HEADERS_MAX)

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* check_raw - field i: "Name" [blanks] ":" ..., CRLF lines, folds only. */
static void
check_raw(const struct headers *h, size_t i)
{
	const char *raw = h->v[i].raw, *name = h->v[i].name, *p;
	size_t n = strlen(raw), nlen = strlen(name), k;

	FUZZ_CHECK(nlen > 0 && strncmp(raw, name, nlen) == 0,
		   "the field starts with its name");
	for (k = 0; k < nlen; k++)
		FUZZ_CHECK(name[k] > 0x20 && name[k] < 0x7f && name[k] != ':',
			   "the name is printable ASCII without ':'");
	for (p = raw + nlen; is_blank(*p); p++)
		;
	FUZZ_CHECK(*p == ':', "the name is followed by ':'");
	FUZZ_CHECK(n >= 2 && raw[n - 2] == '\r' && raw[n - 1] == '\n',
		   "the field ends with CRLF");
	for (k = 0; k < n; k++) {
		if (raw[k] == '\r')
			FUZZ_CHECK(raw[k + 1] == '\n', "no bare CR");
		if (raw[k] == '\n') {
			FUZZ_CHECK(k > 0 && raw[k - 1] == '\r', "no bare LF");
			FUZZ_CHECK(k + 1 == n || is_blank(raw[k + 1]),
				   "a line inside a field is a fold");
		}
	}
}

static void
check_all(const struct headers *h)
{
	size_t i, bytes = 0;

	for (i = 0; i < h->n; i++) {
		char *v = headers_value(h, i);
		size_t vlen = strlen(v);

		check_raw(h, i);
		bytes += strlen(h->v[i].raw);
		FUZZ_CHECK(strpbrk(v, "\r\n") == NULL, "a value is unfolded");
		FUZZ_CHECK(vlen == 0 || (!is_blank(v[0])
					 && !is_blank(v[vlen - 1])),
			   "a value is trimmed");
		FUZZ_CHECK(headers_find(h, h->v[i].name, 0) <= (long)i,
			   "headers_find finds the field");
		free(v);
	}
	FUZZ_CHECK(bytes == h->bytes, "bytes is the size of the block");
}

/* roundtrip - h written and parsed again gives the same fields. */
static void
roundtrip(const struct headers *h)
{
	struct headers h2;
	struct buf out;
	struct err err;
	size_t consumed, i, o = 0;

	buf_init(&out, OUT_MAX);
	FUZZ_CHECK(headers_write(h, &out) == 0, "the block can be written");
	FUZZ_CHECK(out.len == h->bytes + 2, "written size");
	for (i = 0; i < h->n; i++) {
		size_t n = strlen(h->v[i].raw);

		FUZZ_CHECK(memcmp(out.p + o, h->v[i].raw, n) == 0,
			   "the fields are written as they are");
		o += n;
	}
	FUZZ_CHECK(memcmp(out.p + o, "\r\n", 2) == 0, "the empty line");
	headers_init(&h2);
	FUZZ_CHECK(headers_parse(&h2, out.p, out.len, &consumed, &err) == 0,
		   "a written block parses");
	FUZZ_CHECK(consumed == out.len, "the whole block is read again");
	FUZZ_CHECK(h2.n == h->n, "the same number of fields");
	for (i = 0; i < h->n; i++)
		FUZZ_CHECK(strcmp(h2.v[i].name, h->v[i].name) == 0
			   && strcmp(h2.v[i].raw, h->v[i].raw) == 0,
			   "the same fields");
	headers_clear(&h2);
	buf_clear(&out);
}

/* unhex - the value of the hex digit c, or -1. */
static int
unhex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* decode_b64 - base64 s[0..n) appended to out. */
static void
decode_b64(const char *s, size_t n, struct buf *out)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned long v = 0;
	size_t i, bits = 0;
	unsigned char c;

	FUZZ_CHECK(n % 4 == 0, "base64 comes in groups of four");
	for (i = 0; i < n && s[i] != '='; i++) {
		const char *d = memchr(b64, s[i], 64);

		FUZZ_CHECK(d != NULL && s[i] != '\0', "a base64 character");
		v = v << 6 | (unsigned long)(d - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			c = (unsigned char)(v >> bits & 0xff);
			FUZZ_CHECK(buf_append(out, &c, 1) == 0, "room");
		}
	}
}

/* decode_q - RFC 2047 4.2 Q s[0..n) appended to out. */
static void
decode_q(const char *s, size_t n, struct buf *out)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '_') {
			c = ' ';
		} else if (c == '=') {
			FUZZ_CHECK(i + 2 < n && unhex(s[i + 1]) >= 0
				   && unhex(s[i + 2]) >= 0, "Q escape");
			c = (unsigned char)(unhex(s[i + 1]) << 4
					    | unhex(s[i + 2]));
			i += 2;
		} else {
			FUZZ_CHECK(c > 0x20 && c < 0x7f && c != '?',
				   "Q literal");
		}
		FUZZ_CHECK(buf_append(out, &c, 1) == 0, "room");
	}
}

/* decode_words - the encoded-words of p, separated by single spaces. */
static void
decode_words(const char *p, struct buf *out)
{
	while (*p != '\0') {
		size_t wlen = strcspn(p, " ");
		const char *end = p + wlen;

		FUZZ_CHECK(wlen <= HEADERS_EWORD_MAX, "encoded-word length");
		FUZZ_CHECK(wlen >= 12 && strncmp(p, "=?UTF-8?", 8) == 0
			   && (p[8] == 'Q' || p[8] == 'B') && p[9] == '?'
			   && strncmp(end - 2, "?=", 2) == 0,
			   "encoded-word form");
		if (p[8] == 'Q')
			decode_q(p + 10, wlen - 12, out);
		else
			decode_b64(p + 10, wlen - 12, out);
		p = end;
		if (*p == ' ') {
			p++;
			FUZZ_CHECK(*p != '\0' && *p != ' ',
				   "one space between");
		}
	}
}

/* check_phrase - headers_phrase(name) is one line that means name. */
static void
check_phrase(const char *name)
{
	char *ph = headers_phrase(name);
	size_t n = strlen(ph), i;
	struct buf dec;

	buf_init(&dec, OUT_MAX);
	FUZZ_CHECK(strpbrk(ph, "\r\n") == NULL, "a phrase is one line");
	if (n > 0 && ph[0] == '"') {
		FUZZ_CHECK(n >= 2 && ph[n - 1] == '"', "closing quote");
		for (i = 1; i < n - 1; i++) {
			if (ph[i] == '\\')
				i++;
			else
				FUZZ_CHECK(ph[i] != '"', "quote escaped");
			FUZZ_CHECK(i < n - 1, "escape inside the quotes");
			FUZZ_CHECK(buf_append(&dec, ph + i, 1) == 0, "room");
		}
	} else if (strncmp(ph, "=?", 2) == 0 && strcmp(ph, name) != 0) {
		decode_words(ph, &dec);
	} else {
		FUZZ_CHECK(strcmp(ph, name) == 0, "atoms are kept");
		FUZZ_CHECK(buf_append_str(&dec, ph) == 0, "room");
	}
	FUZZ_CHECK(dec.len == strlen(name)
		   && (dec.len == 0 || memcmp(dec.p, name, dec.len) == 0),
		   "the phrase decodes to the name");
	buf_clear(&dec);
	free(ph);
}

/* check_add - headers_add with value adds one field, however it reads. */
static void
check_add(struct headers *h, const char *name, const char *value)
{
	size_t n = h->n;

	headers_add(h, name, value);
	FUZZ_CHECK(h->n == n + 1, "headers_add adds one field");
	FUZZ_CHECK(strcmp(h->v[n].name, name) == 0, "with its name");
	check_all(h);
	roundtrip(h);
}

/*
 * has_domain - whether a has an '@' outside quotes and outside "[...]"
 * (a domain literal, or what the tokenizers take for one: "[@x]" is one
 * word, a local part without a domain).
 */
static bool
has_domain(const char *a)
{
	bool quoted = false;
	size_t n;

	for (; *a != '\0'; a++) {
		if (quoted && *a == '\\' && a[1] != '\0') {
			a++;
		} else if (*a == '"') {
			quoted = !quoted;
		} else if (!quoted && *a == '[') {
			n = strcspn(a + 1, "[]\\\r\n");
			if (a[1 + n] == ']')
				a += n + 1;
		} else if (*a == '@' && !quoted) {
			return true;
		}
	}
	return false;
}

/* value_addrs - the addresses of field i into l; -1 when not a list. */
static int
value_addrs(const struct headers *h, size_t i, struct addr_list *l)
{
	char *v = headers_value(h, i);
	int rc = addr_list_parse(l, v, NULL);

	free(v);
	return rc;
}

/*
 * qualify_one - headers_qualify on field i rewrites exactly the bare
 * local names it counts, appending "@example.org", and leaves every
 * address with a domain as it was.
 */
static void
qualify_one(struct headers *h, size_t i)
{
	struct addr_list before, after;
	struct err err;
	size_t j, changed = 0;
	int rc, n;

	addr_list_init(&before);
	addr_list_init(&after);
	n = value_addrs(h, i, &before);
	err_clear(&err);
	rc = headers_qualify(h, i, "example.org", &err);
	if (rc < 0) {
		FUZZ_CHECK(err.cls == ERR_DATA && fuzz_printable(err.text,
			   strlen(err.text), false), "qualify error");
		goto out;
	}
	FUZZ_CHECK(n >= 0, "what qualifies is an address list");
	FUZZ_CHECK(value_addrs(h, i, &after) == n,
		   "qualifying keeps the number of addresses");
	for (j = 0; j < before.n; j++) {
		const char *a = before.v[j], *b = after.v[j];
		size_t alen = strlen(a);

		if (strcmp(a, b) == 0)
			continue;
		changed++;
		FUZZ_CHECK(!has_domain(a), "an address with a domain is kept");
		FUZZ_CHECK(strncmp(b, a, alen) == 0
			   && strcmp(b + alen, "@example.org") == 0,
			   "a bare name gets the domain");
	}
	FUZZ_CHECK(changed == (size_t)rc, "the count of names qualified");
out:
	addr_list_clear(&before);
	addr_list_clear(&after);
}

/* check_qualify - qualify every field; each stays one field. */
static void
check_qualify(struct headers *h)
{
	size_t i, n = h->n;

	for (i = 0; i < n; i++) {
		qualify_one(h, i);
		FUZZ_CHECK(h->n == n, "qualifying adds no field");
	}
	check_all(h);
	roundtrip(h);
}

static void
check_recipients(const struct headers *h)
{
	struct addr_list l;
	struct err err;
	size_t i;
	int rc;

	addr_list_init(&l);
	err_clear(&err);
	rc = headers_recipients(h, &l, &err);
	if (rc < 0) {
		FUZZ_CHECK(l.n == 0 && err.cls == ERR_DATA, "recipients error");
		FUZZ_CHECK(fuzz_printable(err.text, strlen(err.text), false),
			   "recipients error text is printable");
	}
	for (i = 0; i < l.n; i++)
		FUZZ_CHECK(strpbrk(l.v[i], "\r\n") == NULL,
			   "no CR or LF in a recipient");
	addr_list_clear(&l);
}

/* check_dates - the first 16 bytes as a time, an offset and 8 random
 * bytes for headers_date and headers_msgid. */
static void
check_dates(const uint8_t *data, size_t size)
{
	uint8_t b[24] = { 0 };
	char date[HEADERS_DATE_MAX], id[HEADERS_MSGID_MAX];
	int64_t t;
	int32_t off;

	memcpy(b, data, size < sizeof(b) ? size : sizeof(b));
	memcpy(&t, b, sizeof(t));
	memcpy(&off, b + 8, sizeof(off));
	headers_date((time_t)t, off % (48 * 60), date, sizeof(date));
	FUZZ_CHECK(strlen(date) < sizeof(date), "date terminated");
	FUZZ_CHECK(!fuzz_has_ctl(date), "date printable");
	headers_msgid((time_t)t, b + 16, "example.org", id, sizeof(id));
	FUZZ_CHECK(strlen(id) >= 2 && id[0] == '<'
		   && id[strlen(id) - 1] == '>', "a Message-ID in brackets");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	char *value;
	struct headers h;
	struct err err;
	size_t consumed;

	value = nul ? fuzz_cstr(nul + 1, size - (size_t)(nul + 1 - data))
		    : fuzz_cstr(data, size);
	check_phrase(value);
	check_dates(data, size);
	headers_init(&h);
	err_clear(&err);
	if (headers_parse(&h, (const char *)data, size, &consumed, &err) < 0) {
		FUZZ_CHECK(h.n == 0 && err.cls == ERR_DATA, "parse error");
		FUZZ_CHECK(nul != NULL || size >= HEADERS_MAX,
			   "only a NUL makes a short block fail");
		/* the part before the NUL has no NUL: it parses */
		if (nul != NULL)
			FUZZ_CHECK(headers_parse(&h, (const char *)data,
						 (size_t)(nul - data),
						 &consumed, &err) == 0,
				   "no NUL, no error");
	}
	FUZZ_CHECK(consumed <= size, "consumed within the text");
	check_all(&h);
	roundtrip(&h);
	check_recipients(&h);
	check_add(&h, "X-Fuzz", value);
	check_add(&h, "To", value);
	check_qualify(&h);
	headers_remove_bcc(&h);
	FUZZ_CHECK(headers_find(&h, "Bcc", 0) < 0, "Bcc removed");
	check_all(&h);
	headers_clear(&h);
	free(value);
	return 0;
}
