/*
 * check_headers.c - unit tests for src/headers.c (RFC 5322 2.2 header
 * fields and folding, 3.3 dates, 3.4 address lists, 3.6.3 Bcc, 3.6.4
 * Message-ID, 3.6.6 Resent- blocks; RFC 2047 encoded-words).
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "headers.h"

#define MAX_FIELDS 8
#define MAX_ADDRS 8

/* show - s with control bytes as \xNN, for failure messages. */
static const char *
show(const char *s, char *dst, size_t n)
{
	size_t o = 0;

	for (; *s && o + 5 < n; s++) {
		unsigned char c = (unsigned char)*s;
		int w;

		if (c >= 0x20 && c < 0x7f) {
			dst[o++] = (char)c;
			continue;
		}
		w = snprintf(dst + o, n - o, "\\x%02x", c);
		if (w < 0 || (size_t)w >= n - o)
			break;
		o += (size_t)w;
	}
	dst[o] = '\0';
	return dst;
}

/* crlf - s with every LF, CRLF and bare CR made CRLF (allocated). */
static char *
crlf(const char *s, size_t n)
{
	char *out = malloc(2 * n + 1);
	size_t i, o = 0;

	ck_assert_ptr_nonnull(out);
	for (i = 0; i < n; i++) {
		if (s[i] == '\r' || s[i] == '\n') {
			out[o++] = '\r';
			out[o++] = '\n';
			if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
				i++;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

/* check_bytes - h->bytes is the sum of the raw lengths. */
static void
check_bytes(const struct headers *h)
{
	size_t i, sum = 0;

	for (i = 0; i < h->n; i++)
		sum += strlen(h->v[i].raw);
	ck_assert_uint_eq(h->bytes, sum);
}

/* parse_str - parse s, which must succeed. */
static size_t
parse_str(struct headers *h, const char *s)
{
	struct err err;
	size_t consumed = 12345;

	err_clear(&err);
	ck_assert_msg(headers_parse(h, s, strlen(s), &consumed, &err) == 0,
		      "parse failed: %s", err.text);
	check_bytes(h);
	return consumed;
}

/* write_str - the block as written (allocated). */
static char *
write_str(const struct headers *h)
{
	struct buf b;
	char *s;

	buf_init(&b, 4 * HEADERS_MAX);
	ck_assert_int_eq(headers_write(h, &b), 0);
	s = strdup(buf_str(&b));
	buf_clear(&b);
	return s;
}

/* ---- headers_parse ---- */

static const struct parse_case {
	const char *what;
	const char *in;
	size_t nf;
	const char *names[MAX_FIELDS];
	const char *body;       /* what is left: in + consumed */
	const char *block;      /* headers_write of the result */
} parse_cases[] = {
	{ "LF", "From: a@b\nTo: c@d\n\nbody\n", 2, { "From", "To" },
	  "body\n", "From: a@b\r\nTo: c@d\r\n\r\n" },
	{ "CRLF", "From: a@b\r\nTo: c@d\r\n\r\nbody\r\n", 2, { "From", "To" },
	  "body\r\n", "From: a@b\r\nTo: c@d\r\n\r\n" },
	{ "mixed", "From: a@b\r\nTo: c@d\n\r\nbody\n", 2, { "From", "To" },
	  "body\n", "From: a@b\r\nTo: c@d\r\n\r\n" },
	{ "bare CR", "From: a@b\rTo: c@d\r\rbody", 2, { "From", "To" },
	  "body", "From: a@b\r\nTo: c@d\r\n\r\n" },
	{ "folded", "Subject: a\n long\n\tsubject\nTo: x@y\n\nb", 2,
	  { "Subject", "To" }, "b",
	  "Subject: a\r\n long\r\n\tsubject\r\nTo: x@y\r\n\r\n" },
	{ "folded CRLF", "To: a@b,\r\n c@d\r\n\r\n", 1, { "To" }, "",
	  "To: a@b,\r\n c@d\r\n\r\n" },
	{ "blank continuation", "Subject: x\n \nTo: y\n\nz", 2,
	  { "Subject", "To" }, "z", "Subject: x\r\n \r\nTo: y\r\n\r\n" },
	{ "body only", "Hello world\nmore\n", 0, { NULL },
	  "Hello world\nmore\n", "\r\n" },
	{ "leading blank", " indented: x\nTo: a\n\nb", 0, { NULL },
	  " indented: x\nTo: a\n\nb", "\r\n" },
	{ "leading tab", "\tTo: a\n\nb", 0, { NULL }, "\tTo: a\n\nb", "\r\n" },
	{ "starts with colon", ":x\n\nb", 0, { NULL }, ":x\n\nb", "\r\n" },
	{ "empty first line", "\nbody\n", 0, { NULL }, "body\n", "\r\n" },
	{ "empty first line CRLF", "\r\nTo: a\r\n", 0, { NULL }, "To: a\r\n",
	  "\r\n" },
	{ "empty", "", 0, { NULL }, "", "\r\n" },
	{ "mbox From line", "From alice@example.org Sat Jan  3 01:05:34 1996\n"
	  "From: a@b\nSubject: s\n\nbody", 2, { "From", "Subject" }, "body",
	  "From: a@b\r\nSubject: s\r\n\r\n" },
	{ "mbox From line, body only", "From x Sat Jan  3 01:05:34 1996\n"
	  "Hello\n", 0, { NULL }, "Hello\n", "\r\n" },
	{ "From with a space is a field", "From : a@b\n\nx", 1, { "From" },
	  "x", "From : a@b\r\n\r\n" },
	{ "From line only at the top", "To: a\nFrom nobody\n\nb", 1, { "To" },
	  "From nobody\n\nb", "To: a\r\n\r\n" },
	{ "no body", "From: a@b\nSubject: s\n", 2, { "From", "Subject" }, "",
	  "From: a@b\r\nSubject: s\r\n\r\n" },
	{ "no body, no final newline", "From: a@b\nSubject: s", 2,
	  { "From", "Subject" }, "", "From: a@b\r\nSubject: s\r\n\r\n" },
	{ "no body, folded last", "Subject: s\n t", 1, { "Subject" }, "",
	  "Subject: s\r\n t\r\n\r\n" },
	{ "non-field line", "From: a@b\nThis is body\nTo: x\n", 1, { "From" },
	  "This is body\nTo: x\n", "From: a@b\r\n\r\n" },
	{ "space in name", "From: a@b\nnot a field: x\n", 1, { "From" },
	  "not a field: x\n", "From: a@b\r\n\r\n" },
	{ "8-bit name", "From: a@b\nN\xc3\xa4me: x\n", 1, { "From" },
	  "N\xc3\xa4me: x\n", "From: a@b\r\n\r\n" },
	{ "blanks before colon", "Subject \t: hi\n\nb", 1, { "Subject" }, "b",
	  "Subject \t: hi\r\n\r\n" },
	{ "odd name chars", "X-W!#$%&'*+.^_`{|}~: v\n\nb", 1,
	  { "X-W!#$%&'*+.^_`{|}~" }, "b", "X-W!#$%&'*+.^_`{|}~: v\r\n\r\n" },
	{ "empty value", "X-Empty:\nTo: a\n\n", 2, { "X-Empty", "To" }, "",
	  "X-Empty:\r\nTo: a\r\n\r\n" },
	{ "8-bit value", "Subject: caf\xc3\xa9\n\nb", 1, { "Subject" }, "b",
	  "Subject: caf\xc3\xa9\r\n\r\n" },
	{ "empty lines in the body", "To: a\n\n\n\nb", 1, { "To" },
	  "\n\nb", "To: a\r\n\r\n" },
};

START_TEST(test_parse)
{
	const struct parse_case *c = &parse_cases[_i];
	struct headers h;
	size_t consumed, k;
	char *w, s1[512], s2[512];

	headers_init(&h);
	consumed = parse_str(&h, c->in);
	ck_assert_msg(h.n == c->nf, "%s: %zu fields, want %zu", c->what, h.n,
		      c->nf);
	for (k = 0; k < c->nf; k++)
		ck_assert_msg(strcmp(h.v[k].name, c->names[k]) == 0,
			      "%s: field %zu is \"%s\", want \"%s\"", c->what,
			      k, h.v[k].name, c->names[k]);
	ck_assert_msg(consumed == strlen(c->in) - strlen(c->body)
		      && strcmp(c->in + consumed, c->body) == 0,
		      "%s: body \"%s\", want \"%s\"", c->what,
		      show(c->in + consumed, s1, sizeof(s1)),
		      show(c->body, s2, sizeof(s2)));
	w = write_str(&h);
	ck_assert_msg(strcmp(w, c->block) == 0, "%s: wrote \"%s\", want \"%s\"",
		      c->what, show(w, s1, sizeof(s1)),
		      show(c->block, s2, sizeof(s2)));
	free(w);
	headers_clear(&h);
}
END_TEST

/* Round trip: write(parse(x)) is the CRLF form of the block that was read. */
static const char *const round_trip[] = {
	"From: a@b\nTo: c@d\n\nbody",
	"From: a@b\r\nTo: c@d\r\n\r\nbody",
	"Received: from x\r\n\tby y; Sat, 3 Jan 1996\n"
	"Subject:  two  spaces \t \nTo: a,\r\n  b,\n\tc\n\nbody",
	"X-A:\nX-B:  \nX-C: \t\n\n",
	"Subject : obs\nDKIM-Signature: v=1; a=rsa-sha256;\n"
	"  b=abc\n  def\n\nbody",
};

START_TEST(test_round_trip)
{
	const char *in = round_trip[_i];
	struct headers h;
	size_t consumed;
	char *want, *w, s1[512], s2[512];

	headers_init(&h);
	consumed = parse_str(&h, in);
	ck_assert_uint_gt(consumed, 0);
	want = crlf(in, consumed);
	w = write_str(&h);
	ck_assert_msg(strcmp(w, want) == 0, "wrote \"%s\", want \"%s\"",
		      show(w, s1, sizeof(s1)), show(want, s2, sizeof(s2)));
	ck_assert_uint_eq(strlen(w), h.bytes + 2);
	free(w);
	free(want);
	headers_clear(&h);
}
END_TEST

START_TEST(test_parse_appends)
{
	struct headers h;

	headers_init(&h);
	headers_add(&h, "X-First", "1");
	parse_str(&h, "To: a\n\n");
	ck_assert_uint_eq(h.n, 2);
	ck_assert_str_eq(h.v[0].name, "X-First");
	ck_assert_str_eq(h.v[1].name, "To");
	check_bytes(&h);
	headers_clear(&h);
}
END_TEST

/* big - n bytes of header fields "X-Fill: aaa...\n" (each line 100 bytes),
 * then tail. */
static char *
big(size_t n, const char *tail, size_t *len)
{
	size_t tl = strlen(tail), i = 0;
	char *s = malloc(n + tl + 1);

	ck_assert_ptr_nonnull(s);
	while (i + 100 <= n) {
		memcpy(s + i, "X-Fill: ", 8);
		memset(s + i + 8, 'a', 91);
		s[i + 99] = '\n';
		i += 100;
	}
	for (; i < n; i++)      /* the rest: one continuation line */
		s[i] = i + 1 == n ? '\n' : ' ';
	memcpy(s + i, tail, tl + 1);
	*len = n + tl;
	return s;
}

START_TEST(test_parse_limits)
{
	struct headers h;
	struct err err;
	size_t len, consumed;
	char *s;

	headers_init(&h);
	/* no end within HEADERS_MAX bytes: refused */
	s = big(HEADERS_MAX, "", &len);
	err_clear(&err);
	ck_assert_int_eq(headers_parse(&h, s, len, &consumed, &err), -1);
	ck_assert_int_eq(err.cls, ERR_DATA);
	ck_assert_msg(strstr(err.text, "header block longer than") != NULL,
		      "%s", err.text);
	ck_assert_uint_eq(h.n, 0);
	ck_assert_uint_eq(h.bytes, 0);
	free(s);
	/* more than HEADERS_MAX before the empty line: refused */
	s = big(HEADERS_MAX + 100, "\nbody\n", &len);
	err_clear(&err);
	ck_assert_int_eq(headers_parse(&h, s, len, &consumed, &err), -1);
	ck_assert_uint_eq(h.n, 0);
	free(s);
	/* just under: fine, however long the body */
	s = big(HEADERS_MAX - 100, "\nbody\n", &len);
	ck_assert_int_eq(headers_parse(&h, s, len, &consumed, &err), 0);
	ck_assert_uint_eq(consumed, HEADERS_MAX - 99);
	ck_assert_uint_eq(h.n, (HEADERS_MAX - 100) / 100);
	check_bytes(&h);
	headers_clear(&h);
	free(s);
	/* a short block without an end in a short text: headers only */
	s = big(1000, "", &len);
	ck_assert_int_eq(headers_parse(&h, s, len, &consumed, &err), 0);
	ck_assert_uint_eq(consumed, len);
	headers_clear(&h);
	free(s);
}
END_TEST

START_TEST(test_parse_nul)
{
	static const char in[] = "To: a\nSubject: x\0y\n\nbody";
	static const char body_nul[] = "To: a\n\nbo\0dy";
	struct headers h;
	struct err err;
	size_t consumed;

	headers_init(&h);
	err_clear(&err);
	ck_assert_int_eq(headers_parse(&h, in, sizeof(in) - 1, &consumed,
				       &err), -1);
	ck_assert_int_eq(err.cls, ERR_DATA);
	ck_assert_msg(strstr(err.text, "NUL") != NULL, "%s", err.text);
	ck_assert_uint_eq(h.n, 0);
	/* a NUL in the body is not this module's business */
	ck_assert_int_eq(headers_parse(&h, body_nul, sizeof(body_nul) - 1,
				       &consumed, &err), 0);
	ck_assert_uint_eq(consumed, 7);
	ck_assert_uint_eq(h.n, 1);
	headers_clear(&h);
}
END_TEST

/* ---- headers_value ---- */

static const struct value_case {
	const char *in;
	const char *value;
} value_cases[] = {
	{ "Subject: hello\n\n", "hello" },
	{ "Subject:hello\n\n", "hello" },
	{ "Subject:   hello  \t\n\n", "hello" },
	{ "Subject: a\n  b\n\tc\n\n", "a  b\tc" },
	{ "Subject: a\r\n b\r\n\r\n", "a b" },
	{ "Subject:\n folded only\n\n", "folded only" },
	{ "X-Empty:\n\n", "" },
	{ "X-Empty: \t \n\n", "" },
	{ "Subject \t: obs\n\n", "obs" },
	{ "Subject: a: b: c\n\n", "a: b: c" },
	{ "Subject: x", "x" },
};

START_TEST(test_value)
{
	const struct value_case *c = &value_cases[_i];
	struct headers h;
	char *v;

	headers_init(&h);
	parse_str(&h, c->in);
	ck_assert_uint_eq(h.n, 1);
	v = headers_value(&h, 0);
	ck_assert_str_eq(v, c->value);
	free(v);
	headers_clear(&h);
}
END_TEST

/* ---- find, remove ---- */

START_TEST(test_find)
{
	struct headers h;

	headers_init(&h);
	parse_str(&h, "To: a\ncc: b\nCC: c\nTo: d\nX-To: e\n\n");
	ck_assert_int_eq(headers_find(&h, "Cc", 0), 1);
	ck_assert_int_eq(headers_find(&h, "cC", 2), 2);
	ck_assert_int_eq(headers_find(&h, "cc", 3), -1);
	ck_assert_int_eq(headers_find(&h, "TO", 0), 0);
	ck_assert_int_eq(headers_find(&h, "to", 1), 3);
	ck_assert_int_eq(headers_find(&h, "To", 4), -1);
	ck_assert_int_eq(headers_find(&h, "x-to", 0), 4);
	ck_assert_int_eq(headers_find(&h, "T", 0), -1);
	ck_assert_int_eq(headers_find(&h, "Bcc", 0), -1);
	ck_assert_int_eq(headers_find(&h, "To", 99), -1);
	headers_clear(&h);
}
END_TEST

START_TEST(test_remove)
{
	struct headers h;
	char *w;

	headers_init(&h);
	parse_str(&h, "To: a\ncc: b\nSubject: s\n t\nCC: c\nTo: d\n\n");
	ck_assert_uint_eq(headers_remove(&h, "Cc"), 2);
	check_bytes(&h);
	ck_assert_uint_eq(headers_remove(&h, "Cc"), 0);
	ck_assert_uint_eq(headers_remove(&h, "Sub"), 0);
	ck_assert_uint_eq(h.n, 3);
	w = write_str(&h);
	ck_assert_str_eq(w, "To: a\r\nSubject: s\r\n t\r\nTo: d\r\n\r\n");
	free(w);
	ck_assert_uint_eq(headers_remove(&h, "to"), 2);
	ck_assert_uint_eq(headers_remove(&h, "SUBJECT"), 1);
	ck_assert_uint_eq(h.n, 0);
	ck_assert_uint_eq(h.bytes, 0);
	headers_clear(&h);
}
END_TEST

/* ---- headers_add ---- */

static const struct add_case {
	const char *name;
	const char *value;
	const char *raw;
} add_cases[] = {
	{ "Subject", "hello", "Subject: hello\r\n" },
	{ "X-Empty", "", "X-Empty:\r\n" },
	{ "X-Blank", " \t ", "X-Blank:\r\n" },
	{ "Subject", "  trimmed\t ", "Subject: trimmed\r\n" },
	{ "Subject", "inner  blanks\tkept",
	  "Subject: inner  blanks\tkept\r\n" },
	/* a value cannot add a field */
	{ "Subject", "hi\r\nBcc: evil@example.org",
	  "Subject: hi  Bcc: evil@example.org\r\n" },
	{ "Subject", "hi\nX: y\rZ", "Subject: hi X: y Z\r\n" },
	{ "Subject", "The quick brown fox jumps over the lazy dog and keeps "
	  "running far beyond the seventy-eight column limit of a line",
	  "Subject: The quick brown fox jumps over the lazy dog and keeps "
	  "running far\r\n"
	  " beyond the seventy-eight column limit of a line\r\n" },
	{ "To", "user00@example.org, user01@example.org, user02@example.org, "
	  "user03@example.org, user04@example.org, user05@example.org, "
	  "user06@example.org, user07@example.org",
	  "To: user00@example.org, user01@example.org, user02@example.org,\r\n"
	  " user03@example.org, user04@example.org, user05@example.org,\r\n"
	  " user06@example.org, user07@example.org\r\n" },
	/* a word longer than a line is not cut; the first line keeps it */
	{ "X-Long",
	  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxx tail",
	  "X-Long: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n tail\r\n" },
	{ "X-Long",
	  "short xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx tail",
	  "X-Long: short\r\n xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n tail\r\n" },
	/* exactly 78 columns stays on one line; 79 folds */
	{ "Subject", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "
	  "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
	  "Subject: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "
	  "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\r\n" },
	{ "Subject", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "
	  "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
	  "Subject: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
	  " bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\r\n" },
};

/* unfold_line - raw without its CRLFs (RFC 5322 2.2.3), allocated. */
static char *
unfold_line(const char *raw)
{
	char *s = strdup(raw), *o = s;
	const char *p;

	ck_assert_ptr_nonnull(s);
	for (p = raw; *p; p++)
		if (*p != '\r' && *p != '\n')
			*o++ = *p;
	*o = '\0';
	return s;
}

START_TEST(test_add)
{
	const struct add_case *c = &add_cases[_i];
	struct headers h;
	const char *line, *p;
	char s1[512], s2[512];
	struct err err;
	size_t consumed;
	char *w;

	headers_init(&h);
	headers_add(&h, c->name, c->value);
	ck_assert_uint_eq(h.n, 1);
	ck_assert_str_eq(h.v[0].name, c->name);
	ck_assert_msg(strcmp(h.v[0].raw, c->raw) == 0,
		      "got \"%s\", want \"%s\"",
		      show(h.v[0].raw, s1, sizeof(s1)),
		      show(c->raw, s2, sizeof(s2)));
	check_bytes(&h);
	/* every line but one holding a single long word fits in 78 columns */
	for (line = h.v[0].raw; *line; line = p + 2) {
		p = strstr(line, "\r\n");
		ck_assert_ptr_nonnull(p);
		if ((size_t)(p - line) > HEADERS_FOLD) {
			const char *q = line + 1;
			while (q < p && *q != ' ' && *q != '\t')
				q++;
			ck_assert_msg(q == p || strncmp(line, c->name,
					strlen(c->name)) == 0,
				      "long line with blanks: %s", line);
		}
		ck_assert(p == line || (p[-1] != ' ' && p[-1] != '\t'));
	}
	/* what was added parses back as one field */
	w = write_str(&h);
	headers_clear(&h);
	err_clear(&err);
	ck_assert_int_eq(headers_parse(&h, w, strlen(w), &consumed, &err), 0);
	ck_assert_uint_eq(h.n, 1);
	ck_assert_uint_eq(consumed, strlen(w));
	free(w);
	headers_clear(&h);
}
END_TEST

START_TEST(test_add_value_round_trip)
{
	static const char v[] = "one two three four five six seven eight "
		"nine ten eleven twelve thirteen fourteen fifteen sixteen "
		"seventeen eighteen nineteen twenty";
	struct headers h;
	char *got, *unf;

	headers_init(&h);
	headers_add(&h, "Subject", v);
	ck_assert_ptr_nonnull(strstr(h.v[0].raw, "\r\n "));
	got = headers_value(&h, 0);
	ck_assert_str_eq(got, v);
	unf = unfold_line(h.v[0].raw);
	ck_assert_str_eq(unf + strlen("Subject: "), v);
	free(unf);
	free(got);
	headers_clear(&h);
}
END_TEST

/* headers_replace: the field keeps its place and name as written, its
 * value is folded as headers_add folds, and bytes follows. */
START_TEST(test_replace)
{
	static const char v[] = "one two three four five six seven eight "
		"nine ten eleven twelve thirteen fourteen fifteen sixteen";
	struct headers h, want;
	size_t consumed;
	struct err err;

	headers_init(&h);
	headers_init(&want);
	ck_assert_int_eq(headers_parse(&h, "A: 1\r\nsUBJect : old\r\nB: 2"
				       "\r\n\r\n", 29, &consumed, &err), 0);
	headers_replace(&h, 1, "  new\r\nvalue ");
	ck_assert_uint_eq(h.n, 3);
	ck_assert_str_eq(h.v[1].name, "sUBJect");
	ck_assert_str_eq(h.v[1].raw, "sUBJect: new  value\r\n");
	ck_assert_str_eq(h.v[2].raw, "B: 2\r\n");
	ck_assert_uint_eq(h.bytes, strlen("A: 1\r\nsUBJect: new  value\r\n"
					  "B: 2\r\n"));
	headers_replace(&h, 1, v);
	headers_add(&want, "sUBJect", v);
	ck_assert_str_eq(h.v[1].raw, want.v[0].raw);
	headers_replace(&h, 0, "");
	ck_assert_str_eq(h.v[0].raw, "A:\r\n");
	ck_assert_uint_eq(h.bytes, strlen(h.v[0].raw) + strlen(h.v[1].raw)
			  + strlen(h.v[2].raw));
	headers_clear(&want);
	headers_clear(&h);
}
END_TEST

/* ---- headers_write ---- */

START_TEST(test_write_bounded)
{
	struct headers h;
	struct buf b;

	headers_init(&h);
	parse_str(&h, "To: a@b\nSubject: s\n\n");       /* 21 bytes + 2 */
	buf_init(&b, 24);
	ck_assert_int_eq(buf_append(&b, "xy", 2), 0);
	ck_assert_int_eq(headers_write(&h, &b), -1);
	ck_assert_str_eq(buf_str(&b), "xy");           /* unchanged */
	buf_reset(&b);
	ck_assert_int_eq(buf_append(&b, "x", 1), 0);
	ck_assert_int_eq(headers_write(&h, &b), 0);
	ck_assert_str_eq(buf_str(&b), "xTo: a@b\r\nSubject: s\r\n\r\n");
	buf_clear(&b);
	headers_clear(&h);
	/* no fields: just the empty line */
	buf_init(&b, 2);
	ck_assert_int_eq(headers_write(&h, &b), 0);
	ck_assert_str_eq(buf_str(&b), "\r\n");
	buf_clear(&b);
}
END_TEST

/* ---- headers_recipients ---- */

static const struct rcpt_case {
	const char *what;
	const char *in;
	int n;
	const char *addrs[MAX_ADDRS];
} rcpt_cases[] = {
	{ "To Cc Bcc", "From: me@x\nTo: a@b\nCc: c@d\nBcc: e@f\n\n", 3,
	  { "a@b", "c@d", "e@f" } },
	{ "names and comments", "To: Alice <a@b>, \"Bob, Jr.\" <bob@x> (boss)\n"
	  "Cc: carol@x (Carol), (lead) dave@x\n\n", 4,
	  { "a@b", "bob@x", "carol@x", "dave@x" } },
	{ "groups", "To: team: a@b, Z <c@d>;, e@f\n"
	  "Cc: undisclosed-recipients:;\n\n", 3, { "a@b", "c@d", "e@f" } },
	{ "several fields", "To: a@b\nSubject: To: x@y\nTo: c@d\nCc: e@f\n"
	  "cc: g@h\n\n", 4, { "a@b", "c@d", "e@f", "g@h" } },
	{ "folded", "To: a@b,\n c@d,\r\n\t\"E F\"\n <e@f>\n\n", 3,
	  { "a@b", "c@d", "e@f" } },
	{ "any case", "TO: a@b\ncc: c@d\nbCC: e@f\n\n", 3,
	  { "a@b", "c@d", "e@f" } },
	{ "not From, Reply-To, X-To", "From: f@x\nReply-To: r@x\nX-To: x@x\n"
	  "Sender: s@x\n\n", 0, { NULL } },
	{ "empty Bcc", "To: a@b\nBcc:\n\n", 1, { "a@b" } },
	{ "Resent- block", "Resent-Date: Mon, 1 Jan 2024 00:00:00 +0000\n"
	  "Resent-From: r@x\nResent-To: n@x\nResent-Cc: m@x\n"
	  "Resent-Bcc: o@x\nTo: a@b\nCc: c@d\n\n", 3,
	  { "n@x", "m@x", "o@x" } },
	{ "Resent- below trace", "Received: from x by y\n"
	  "Resent-From: r@x\nResent-To: Neu <n@x>, q@x\nTo: a@b\n\n", 2,
	  { "n@x", "q@x" } },
	{ "two Resent- blocks", "Received: from a by b\n"
	  "Resent-Date: d2\nResent-From: r2@x\nResent-To: new@x\n"
	  "Received: from c by d\n"
	  "Resent-Date: d1\nResent-From: r1@x\nResent-To: old@x\n"
	  "Resent-Cc: oldcc@x\nTo: orig@x\n\n", 1, { "new@x" } },
	{ "two adjacent Resent- blocks", "Resent-Date: d2\nResent-To: new@x\n"
	  "Resent-Date: d1\nResent-To: old@x\nTo: orig@x\n\n", 1,
	  { "new@x" } },
	{ "a block ends at a non-Resent- field", "Resent-To: new@x\n"
	  "Received: from y by z\nResent-To: old@x\nTo: orig@x\n\n", 1,
	  { "new@x" } },
	{ "adjacent, split on Resent-From", "Resent-From: r2@x\n"
	  "Resent-Cc: new@x\nResent-From: r1@x\nResent-To: old@x\n\n", 1,
	  { "new@x" } },
	{ "Resent- without Resent-To", "Resent-From: r@x\nResent-Date: d\n"
	  "To: a@b\nCc: c@d\n\n", 0, { NULL } },
	{ "Resent- fields in any case", "RESENT-from: r@x\nresent-to: n@x\n"
	  "To: a@b\n\n", 1, { "n@x" } },
	{ "no fields", "", 0, { NULL } },
};

START_TEST(test_recipients)
{
	const struct rcpt_case *c = &rcpt_cases[_i];
	struct headers h;
	struct addr_list l;
	struct err err;
	int k, rc;

	headers_init(&h);
	addr_list_init(&l);
	addr_list_add(&l, "already@there");
	parse_str(&h, c->in);
	err_clear(&err);
	rc = headers_recipients(&h, &l, &err);
	ck_assert_msg(rc == c->n, "%s: %d recipients, want %d (%s)", c->what,
		      rc, c->n, err.text);
	ck_assert_uint_eq(l.n, (size_t)c->n + 1);
	ck_assert_str_eq(l.v[0], "already@there");
	for (k = 0; k < c->n; k++)
		ck_assert_msg(strcmp(l.v[k + 1], c->addrs[k]) == 0,
			      "%s: recipient %d is \"%s\", want \"%s\"",
			      c->what, k, l.v[k + 1], c->addrs[k]);
	addr_list_clear(&l);
	headers_clear(&h);
}
END_TEST

static const struct rcpt_bad {
	const char *in;
	const char *prefix;
} rcpt_bad[] = {
	{ "To: \"unbalanced\n\n", "To: " },
	{ "To: a@b\nCc: <c@d\n\n", "Cc: " },
	{ "To: a@b\nbcc: x@y)\n\n", "bcc: " },
	{ "Resent-To: ok@x\nResent-Cc: a@b>\nTo: fine@x\n\n", "Resent-Cc: " },
};

START_TEST(test_recipients_bad)
{
	const struct rcpt_bad *c = &rcpt_bad[_i];
	struct headers h;
	struct addr_list l;
	struct err err;

	headers_init(&h);
	addr_list_init(&l);
	addr_list_add(&l, "already@there");
	parse_str(&h, c->in);
	err_clear(&err);
	ck_assert_int_eq(headers_recipients(&h, &l, &err), -1);
	ck_assert_int_eq(err.cls, ERR_DATA);
	ck_assert_msg(strncmp(err.text, c->prefix, strlen(c->prefix)) == 0,
		      "error \"%s\" does not start with \"%s\"", err.text,
		      c->prefix);
	ck_assert_uint_eq(l.n, 1);      /* unchanged */
	addr_list_clear(&l);
	headers_clear(&h);
}
END_TEST

START_TEST(test_remove_bcc)
{
	struct headers h;
	struct addr_list l;
	struct err err;
	char *w;

	headers_init(&h);
	addr_list_init(&l);
	parse_str(&h, "To: a@b\nBcc: b@c\nResent-Bcc: c@d\nbcc: d@e,\n e@f\n"
		  "X-Bcc: x\nSubject: Bcc: y\n\nbody");
	/* (a Resent- field: only Resent-Bcc counts) */
	ck_assert_int_eq(headers_recipients(&h, &l, &err), 1);
	ck_assert_str_eq(l.v[0], "c@d");
	ck_assert_uint_eq(headers_remove_bcc(&h), 3);
	check_bytes(&h);
	w = write_str(&h);
	ck_assert_str_eq(w, "To: a@b\r\nX-Bcc: x\r\nSubject: Bcc: y\r\n\r\n");
	free(w);
	ck_assert_uint_eq(headers_remove_bcc(&h), 0);
	addr_list_clear(&l);
	headers_clear(&h);
}
END_TEST

/* ---- headers_date ---- */

static const struct date_case {
	long long t;
	int off;
	const char *want;
} date_cases[] = {
	{ 0, 0, "Thu, 01 Jan 1970 00:00:00 +0000" },
	{ 1795324465, 60, "Sun, 22 Nov 2026 06:14:25 +0100" },
	{ 0, -60, "Wed, 31 Dec 1969 23:00:00 -0100" },
	{ 0, -210, "Wed, 31 Dec 1969 20:30:00 -0330" },
	{ 1709208000, 345, "Thu, 29 Feb 2024 17:45:00 +0545" },
	{ 2147483648LL, 0, "Tue, 19 Jan 2038 03:14:08 +0000" },
	{ 951782400, -300, "Mon, 28 Feb 2000 19:00:00 -0500" },
	{ 1735689599, 840, "Wed, 01 Jan 2025 13:59:59 +1400" },
	{ 1735689599, -720, "Tue, 31 Dec 2024 11:59:59 -1200" },
	{ -86400, 0, "Wed, 31 Dec 1969 00:00:00 +0000" },
	{ 1736942400, 0, "Wed, 15 Jan 2025 12:00:00 +0000" },
	{ 1739620800, 0, "Sat, 15 Feb 2025 12:00:00 +0000" },
	{ 1742040000, 0, "Sat, 15 Mar 2025 12:00:00 +0000" },
	{ 1744718400, 0, "Tue, 15 Apr 2025 12:00:00 +0000" },
	{ 1747310400, 0, "Thu, 15 May 2025 12:00:00 +0000" },
	{ 1749988800, 0, "Sun, 15 Jun 2025 12:00:00 +0000" },
	{ 1752580800, 0, "Tue, 15 Jul 2025 12:00:00 +0000" },
	{ 1755259200, 0, "Fri, 15 Aug 2025 12:00:00 +0000" },
	{ 1757937600, 0, "Mon, 15 Sep 2025 12:00:00 +0000" },
	{ 1760529600, 0, "Wed, 15 Oct 2025 12:00:00 +0000" },
	{ 1763208000, 0, "Sat, 15 Nov 2025 12:00:00 +0000" },
	{ 1765800000, 0, "Mon, 15 Dec 2025 12:00:00 +0000" },
	/* an offset of a day or more is nonsense: UTC, zone unknown */
	{ 0, 1440, "Thu, 01 Jan 1970 00:00:00 -0000" },
	{ 0, -100000, "Thu, 01 Jan 1970 00:00:00 -0000" },
};

START_TEST(test_date)
{
	const struct date_case *c = &date_cases[_i];
	char out[HEADERS_DATE_MAX];

	memset(out, 'X', sizeof(out));
	headers_date((time_t)c->t, c->off, out, sizeof(out));
	ck_assert_str_eq(out, c->want);
}
END_TEST

START_TEST(test_date_small)
{
	char out[31];   /* one short of "Thu, 01 Jan 1970 00:00:00 +0000" */

	memset(out, 'X', sizeof(out));
	headers_date(0, 0, out, sizeof(out));
	ck_assert_str_eq(out, "");
	out[0] = 'X';
	headers_date(0, 0, out, 0);     /* must not write */
	ck_assert_int_eq(out[0], 'X');
}
END_TEST

/* ---- headers_msgid ---- */

START_TEST(test_msgid)
{
	static const unsigned char r1[8] = {
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
	static const unsigned char r2[8] = { 0, 0, 0, 0, 0, 0, 0, 1 };
	char a[HEADERS_MSGID_MAX], b[HEADERS_MSGID_MAX], small[40];
	char dom[ADDR_DOMAIN_MAX + 1];

	headers_msgid(0, r1, "example.org", a, sizeof(a));
	ck_assert_str_eq(a, "<19700101000000.0123456789abcdef@example.org>");
	headers_msgid(1795324465, r2, "mail.example.org", b, sizeof(b));
	ck_assert_str_eq(b,
			 "<20261122051425.0000000000000001@mail.example.org>");
	headers_msgid(1795324465, r1, "mail.example.org", a, sizeof(a));
	ck_assert_str_ne(a, b);
	headers_msgid(0, r1, "", a, sizeof(a));
	ck_assert_str_eq(a, "<19700101000000.0123456789abcdef@localhost>");
	headers_msgid(0, r1, "example.org", small, sizeof(small));
	ck_assert_str_eq(small, "");
	/* the longest domain fits */
	memset(dom, 'd', sizeof(dom) - 1);
	dom[sizeof(dom) - 1] = '\0';
	headers_msgid(0, r1, dom, a, sizeof(a));
	ck_assert_uint_eq(strlen(a), 34 + ADDR_DOMAIN_MAX);
	ck_assert_int_eq(a[0], '<');
	ck_assert_int_eq(a[strlen(a) - 1], '>');
}
END_TEST

/* ---- headers_phrase ---- */

static const struct phrase_case {
	const char *in;
	const char *want;
} phrase_cases[] = {
	{ "John Smith", "John Smith" },
	{ "root", "root" },
	{ "O'Brien", "O'Brien" },
	{ "a+b=c{d}", "a+b=c{d}" },
	{ "", "" },
	{ "John Q. Smith", "\"John Q. Smith\"" },
	{ "Smith, John", "\"Smith, John\"" },
	{ "a <b@c>", "\"a <b@c>\"" },
	{ "x@y", "\"x@y\"" },
	{ "(comment)", "\"(comment)\"" },
	{ "semi;colon:", "\"semi;colon:\"" },
	{ "[brackets]", "\"[brackets]\"" },
	{ "Say \"hi\"", "\"Say \\\"hi\\\"\"" },
	{ "back\\slash", "\"back\\\\slash\"" },
	{ "\"\\", "\"\\\"\\\\\"" },
	{ " lead", "\" lead\"" },
	{ "trail ", "\"trail \"" },
	{ "two  spaces", "\"two  spaces\"" },
	{ "tab\there", "\"tab\there\"" },
	{ "=?UTF-8?Q?x?=", "\"=?UTF-8?Q?x?=\"" },
	{ "J\xc3\xb6rg M\xc3\xbcller", "=?UTF-8?B?SsO2cmcgTcO8bGxlcg==?=" },
	{ "Jos\xc3\xa9 Fern\xc3\xa1ndez",
	  "=?UTF-8?Q?Jos=C3=A9_Fern=C3=A1ndez?=" },
	{ "Andr\xc3\xa9", "=?UTF-8?B?QW5kcsOp?=" },
	{ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "=?UTF-8?B?5pel5pys6Kqe?=" },
	{ "a\x01" "b", "=?UTF-8?B?YQFi?=" },
	{ "Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m-Ekstr\xc3\xb6m de la "
	  "Fontaine-Dupont, Directrice g\xc3\xa9n\xc3\xa9rale adjointe",
	  "=?UTF-8?Q?Zo=C3=AB_=C3=85ngstr=C3=B6m-Ekstr=C3=B6m_de_la_"
	  "Fontaine-Dupont?= =?UTF-8?Q?=2C_Directrice_g=C3=A9n=C3=A9rale_"
	  "adjointe?=" },
	/* Q: the 61st character does not fit; its two bytes stay together */
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "\xc3\xa9" "bcd",
	  "=?UTF-8?Q?aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "?= =?UTF-8?Q?=C3=A9bcd?=" },
	/* B: 45 bytes would cut the 23rd two-byte character */
	{ "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
	  "=?UTF-8?B?w6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOp"
	  "w6k=?= "
	  "=?UTF-8?B?w6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOp?=" },
	/* B: 4-byte characters, 11 to a word */
	{ "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
	  "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
	  "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
	  "\xf0\x9f\x98\x80",
	  "=?UTF-8?B?8J+YgPCfmIDwn5iA8J+YgPCfmIDwn5iA"
	  "8J+YgPCfmIDwn5iA8J+YgPCfmIA=?="
	  " =?UTF-8?B?8J+YgPCfmIA=?=" },
	/* a byte that is not UTF-8 is carried as it is */
	{ "x\xff", "=?UTF-8?Q?x=FF?=" },
};

static int
b64val(char c)
{
	const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			"abcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c != '\0' ? strchr(a, c) : NULL;

	return p != NULL ? (int)(p - a) : -1;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* utf8_whole - s[0..n) is a sequence of complete UTF-8 characters. */
static int
utf8_whole(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t len = s[i] < 0x80 ? 1 : s[i] >= 0xf0 ? 4
			     : s[i] >= 0xe0 ? 3 : s[i] >= 0xc0 ? 2 : 0;
		size_t k;

		if (len == 0 || i + len > n)
			return 0;
		for (k = 1; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
		i += len;
	}
	return 1;
}

/*
 * decode_words - decode a phrase of encoded-words separated by single
 * spaces (RFC 2047 6.2: the space between them is dropped) into out;
 * checks each word's form and length, and that each holds whole UTF-8
 * characters when whole is set.  Returns the length, or -1.
 */
static long
decode_words(const char *s, char *out, int whole)
{
	size_t o = 0;

	while (*s) {
		const char *end, *p;
		size_t start = o;
		char enc;

		if (strncmp(s, "=?UTF-8?", 8) != 0)
			return -1;
		enc = s[8];
		if ((enc != 'B' && enc != 'Q') || s[9] != '?')
			return -1;
		end = strstr(s + 10, "?=");
		if (end == NULL || end - s + 2 > HEADERS_EWORD_MAX)
			return -1;
		for (p = s + 10; p < end;) {
			if (enc == 'Q') {
				if (*p == '_') {
					out[o++] = ' ';
					p++;
				} else if (*p == '=') {
					int hi = hexval(p[1]);
					int lo = hexval(p[2]);

					if (hi < 0 || lo < 0)
						return -1;
					out[o++] = (char)(hi * 16 + lo);
					p += 3;
				} else if (*p == ' ' || *p == '?' || *p == '"'
					   || *p == ',' || *p == '(') {
					return -1;
				} else {
					out[o++] = *p++;
				}
			} else {
				int v[4], k, pad = 0;
				if (end - p < 4)
					return -1;
				for (k = 0; k < 4; k++) {
					if (p[k] == '=') {
						v[k] = 0;
						pad++;
					} else if ((v[k] = b64val(p[k])) < 0) {
						return -1;
					}
				}
				out[o++] = (char)(v[0] << 2 | v[1] >> 4);
				if (pad < 2)
					out[o++] = (char)((v[1] & 15) << 4
							  | v[2] >> 2);
				if (pad < 1)
					out[o++] = (char)((v[2] & 3) << 6
							  | v[3]);
				p += 4;
			}
		}
		if (whole && !utf8_whole((unsigned char *)out + start,
					 o - start))
			return -1;
		s = end + 2;
		if (*s == ' ')
			s++;
		else if (*s != '\0')
			return -1;
	}
	out[o] = '\0';
	return (long)o;
}

START_TEST(test_phrase)
{
	const struct phrase_case *c = &phrase_cases[_i];
	char *p = headers_phrase(c->in), s1[512], s2[512];

	ck_assert_msg(strcmp(p, c->want) == 0,
		      "\"%s\": got \"%s\", want \"%s\"",
		      show(c->in, s1, sizeof(s1)), p, c->want);
	if (strncmp(p, "=?", 2) == 0) {
		char dec[1024];
		long n = decode_words(p, dec, strcmp(c->in, "x\xff") != 0);

		ck_assert_msg(n >= 0, "bad encoded-words \"%s\"", p);
		ck_assert_msg((size_t)n == strlen(c->in)
			      && memcmp(dec, c->in, (size_t)n) == 0,
			      "\"%s\" decodes to \"%s\"",
			      show(c->in, s1, sizeof(s1)),
			      show(dec, s2, sizeof(s2)));
	}
	free(p);
}
END_TEST

/* Long names of every kind of character: words <= 75, whole characters,
 * decoding gives the name back. */
START_TEST(test_phrase_long)
{
	static const char *const chars[] = {
		"a", " ", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "_",
		"=", "?",
	};
	char name[700], dec[1024];
	size_t o = 0, k = 0;
	char *p;
	long n;

	while (o + 4 < sizeof(name) - 1) {
		/* a mix that makes some names prefer Q and others B */
		const char *ch = chars[(k * 7 + (size_t)_i * 3 + (k / 11)
				       * (size_t)_i) % (_i % 2 ? 8 : 3)];
		memcpy(name + o, ch, strlen(ch));
		o += strlen(ch);
		k++;
	}
	name[o] = '\0';
	p = headers_phrase(name);
	n = decode_words(p, dec, 1);
	ck_assert_msg(n >= 0, "bad encoded-words \"%s\"", p);
	ck_assert_uint_eq((size_t)n, strlen(name));
	ck_assert_mem_eq(dec, name, (size_t)n);
	free(p);
}
END_TEST

/* ---- headers_qualify ---- */

static const struct qualify_case {
	const char *in;
	int n;
	const char *raw;        /* the field afterwards */
} qualify_cases[] = {
	{ "To: root\n", 1, "To: root@example.org\r\n" },
	{ "From: Cron Daemon <root>\n", 1,
	  "From: Cron Daemon <root@example.org>\r\n" },
	{ "From: \"Cron, Daemon\" <root>\n", 1,
	  "From: \"Cron, Daemon\" <root@example.org>\r\n" },
	{ "To:   a@b.c  \n", 0, "To:   a@b.c  \r\n" },
	{ "To: Someone <a@b.c> (x)\n", 0, "To: Someone <a@b.c> (x)\r\n" },
	{ "To: root, a@b, \"Admin\" <admin> (the admin)\n", 2,
	  "To: root@example.org, a@b, \"Admin\" <admin@example.org> "
	  "(the admin)\r\n" },
	{ "To: root (the boss)\n", 1, "To: root@example.org (the boss)\r\n" },
	{ "To: (first) root\n", 1, "To: (first) root@example.org\r\n" },
	{ "To: team: root, bob@x.y;, carol\n", 2,
	  "To: team: root@example.org, bob@x.y;, carol@example.org\r\n" },
	{ "To: team: Root <root>, <bob>;\n", 2,
	  "To: team: Root <root@example.org>, <bob@example.org>;\r\n" },
	{ "To: undisclosed-recipients:;\n", 0,
	  "To: undisclosed-recipients:;\r\n" },
	{ "To: \"john doe\"\n", 1, "To: \"john doe\"@example.org\r\n" },
	{ "To: first.last\n", 1, "To: first.last@example.org\r\n" },
	{ "To: root,\n bob\n", 2, "To: root@example.org, bob@example.org\r\n" },
	{ "To: <>\n", 0, "To: <>\r\n" },
	/* two words are a name without an address, not a local part */
	{ "To: Cron Daemon\n", 0, "To: Cron Daemon\r\n" },
	/* a domain literal may hold ':' (found by tests/fuzz/fuzz_headers) */
	{ "To: Bob <user@[IPv6:::1]>, root\n", 1,
	  "To: Bob <user@[IPv6:::1]>, root@example.org\r\n" },
	{ "To: user@[IPv6:2001:db8::1]\n", 0,
	  "To: user@[IPv6:2001:db8::1]\r\n" },
	{ "To: x[y@example.com]\n", 0, "To: x[y@example.com]\r\n" },
	{ "Cc: u1, u2, u3, u4, u5, u6\n", 6,
	  "Cc: u1@example.org, u2@example.org, u3@example.org, "
	  "u4@example.org,\r\n"
	  " u5@example.org, u6@example.org\r\n" },
};

START_TEST(test_qualify)
{
	const struct qualify_case *c = &qualify_cases[_i];
	struct headers h;
	struct addr_list l;
	struct err err;
	char s1[512], s2[512];
	size_t i;

	headers_init(&h);
	addr_list_init(&l);
	parse_str(&h, c->in);
	headers_add(&h, "Subject", "after");
	err_clear(&err);
	ck_assert_int_eq(headers_qualify(&h, 0, "example.org", &err), c->n);
	ck_assert_msg(strcmp(h.v[0].raw, c->raw) == 0,
		      "got \"%s\", want \"%s\"",
		      show(h.v[0].raw, s1, sizeof(s1)),
		      show(c->raw, s2, sizeof(s2)));
	ck_assert_str_eq(h.v[1].raw, "Subject: after\r\n");
	check_bytes(&h);
	/* qualifying again changes nothing */
	ck_assert_int_eq(headers_qualify(&h, 0, "example.org", &err), 0);
	ck_assert_str_eq(h.v[0].raw, c->raw);
	/* every address the field yields now has a domain, or it is a name */
	ck_assert_int_ge(headers_recipients(&h, &l, &err), 0);
	for (i = 0; i < l.n; i++)
		ck_assert(strchr(l.v[i], '@') != NULL || l.v[i][0] == '\0'
			  || strchr(l.v[i], ' ') != NULL);
	addr_list_clear(&l);
	headers_clear(&h);
}
END_TEST

START_TEST(test_qualify_bad)
{
	static const char *const bad[] = {
		"To: <root\n", "To: \"root\n", "To: root>\n", "To: g: a;;\n",
	};
	struct headers h;
	struct err err;
	char *before;

	headers_init(&h);
	parse_str(&h, bad[_i]);
	before = strdup(h.v[0].raw);
	err_clear(&err);
	ck_assert_int_eq(headers_qualify(&h, 0, "example.org", &err), -1);
	ck_assert_int_eq(err.cls, ERR_DATA);
	ck_assert_msg(strncmp(err.text, "To: ", 4) == 0, "%s", err.text);
	ck_assert_str_eq(h.v[0].raw, before);
	free(before);
	headers_clear(&h);
}
END_TEST

static Suite *
headers_suite(void)
{
	Suite *s = suite_create("headers");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_parse, 0,
			    sizeof(parse_cases) / sizeof(parse_cases[0]));
	tcase_add_loop_test(tc, test_round_trip, 0,
			    sizeof(round_trip) / sizeof(round_trip[0]));
	tcase_add_test(tc, test_parse_appends);
	tcase_add_test(tc, test_parse_limits);
	tcase_add_test(tc, test_parse_nul);
	tcase_add_loop_test(tc, test_value, 0,
			    sizeof(value_cases) / sizeof(value_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("edit");
	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_remove);
	tcase_add_loop_test(tc, test_add, 0,
			    sizeof(add_cases) / sizeof(add_cases[0]));
	tcase_add_test(tc, test_add_value_round_trip);
	tcase_add_test(tc, test_replace);
	tcase_add_test(tc, test_write_bounded);
	suite_add_tcase(s, tc);

	tc = tcase_create("recipients");
	tcase_add_loop_test(tc, test_recipients, 0,
			    sizeof(rcpt_cases) / sizeof(rcpt_cases[0]));
	tcase_add_loop_test(tc, test_recipients_bad, 0,
			    sizeof(rcpt_bad) / sizeof(rcpt_bad[0]));
	tcase_add_test(tc, test_remove_bcc);
	tcase_add_loop_test(tc, test_qualify, 0,
			    sizeof(qualify_cases) / sizeof(qualify_cases[0]));
	tcase_add_loop_test(tc, test_qualify_bad, 0, 4);
	suite_add_tcase(s, tc);

	tc = tcase_create("generate");
	tcase_add_loop_test(tc, test_date, 0,
			    sizeof(date_cases) / sizeof(date_cases[0]));
	tcase_add_test(tc, test_date_small);
	tcase_add_test(tc, test_msgid);
	tcase_add_loop_test(tc, test_phrase, 0,
			    sizeof(phrase_cases) / sizeof(phrase_cases[0]));
	tcase_add_loop_test(tc, test_phrase_long, 0, 6);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(headers_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
