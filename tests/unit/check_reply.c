/*
 * check_reply.c - unit tests for src/reply.c (RFC 5321 4.2 replies,
 * RFC 3463 enhanced status codes).
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reply.h"

/* feed - feed one NUL-terminated line. */
static enum reply_status
feed(struct reply *r, const char *line, struct err *err)
{
	return reply_feed(r, line, strlen(line), err);
}

/* has_control - whether s has a byte < 0x20 or 0x7f. */
static int
has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* ---- single-line replies that are valid ---- */

static const struct ok_case {
	const char *line;
	int code;
	const char *enh;
	const char *text;
} ok_cases[] = {
	{ "250 OK", 250, "", "OK" },
	{ "250", 250, "", "" },
	{ "250 ", 250, "", "" },
	{ "200 x", 200, "", "x" },
	{ "559 x", 559, "", "x" },
	{ "354 Start mail input; end with <CRLF>.<CRLF>", 354, "",
	  "Start mail input; end with <CRLF>.<CRLF>" },
	{ "220 mx.example.com ESMTP ready", 220, "",
	  "mx.example.com ESMTP ready" },
	/* enhanced codes: kept only when the class matches */
	{ "550 5.1.1 x", 550, "5.1.1", "x" },
	{ "550 5.1.1 User unknown", 550, "5.1.1", "User unknown" },
	{ "550 2.1.1 x", 550, "", "2.1.1 x" },
	{ "250 5.0.0 x", 250, "", "5.0.0 x" },
	{ "450 5.7.1 x", 450, "", "5.7.1 x" },
	{ "450 4.7.1 try later", 450, "4.7.1", "try later" },
	{ "250 2.0.0", 250, "2.0.0", "" },
	{ "250 2.0.0 ", 250, "2.0.0", "" },
	{ "221 2.0.0 Bye", 221, "2.0.0", "Bye" },
	{ "550 5.123.456 x", 550, "5.123.456", "x" },
	{ "354 3.0.0 go", 354, "", "3.0.0 go" },        /* no class 3 */
	/* malformed enhanced codes are text */
	{ "550 5.1 x", 550, "", "5.1 x" },
	{ "550 5.1111.1 x", 550, "", "5.1111.1 x" },
	{ "550 5.1.1111 x", 550, "", "5.1.1111 x" },
	{ "550 5.1.1x", 550, "", "5.1.1x" },
	{ "550 5..1 x", 550, "", "5..1 x" },
	{ "550 5.1. x", 550, "", "5.1. x" },
	{ "550 55.1.1 x", 550, "", "55.1.1 x" },
	{ "550 5.a.1 x", 550, "", "5.a.1 x" },
	{ "550  5.1.1 x", 550, "", " 5.1.1 x" },
	/* printable text */
	{ "250 a\tb", 250, "", "a b" },
	{ "250 a\x01" "b\x7f" "c\x1b[0m", 250, "", "a?b?c?[0m" },
	{ "250 caf\xc3\xa9", 250, "", "caf\xc3\xa9" },   /* UTF-8 kept */
	{ "250 a\xff" "b", 250, "", "a?b" },
	{ "250 a\xc3", 250, "", "a?" },                   /* cut UTF-8 */
	{ "250 a\r", 250, "", "a?" },
};

START_TEST(test_single_ok)
{
	const struct ok_case *t = &ok_cases[_i];
	struct reply r;
	struct err err;

	reply_init(&r);
	err_clear(&err);
	ck_assert_int_eq(feed(&r, t->line, &err), REPLY_DONE);
	ck_assert_int_eq(r.code, t->code);
	ck_assert_str_eq(r.enh, t->enh);
	ck_assert_str_eq(r.text, t->text);
	ck_assert_uint_eq(r.text_len, strlen(t->text));
	ck_assert_int_eq(r.nlines, 1);
	ck_assert_int_eq(r.done, 1);
	ck_assert_int_eq(err.cls, ERR_NONE);
}
END_TEST

/* ---- lines that are not replies ---- */

static const char *const bad_lines[] = {
	"",             /* empty */
	"2",            /* short */
	"25",
	"OK",
	"abc",
	"abc def",
	"a50 OK",       /* letters */
	"2a0 OK",
	"25a OK",
	" 250 OK",      /* leading space */
	"150 OK",       /* first digit outside 2..5 */
	"050 OK",
	"650 OK",
	"999 OK",
	"100",
	"600",
	"260 OK",       /* second digit > 5 */
	"290 OK",
	"569 OK",
	"599 OK",
	"250x",         /* separator */
	"250_OK",
	"250\tOK",
	"250:OK",
	"250.OK",
	"2500 OK",
	"-250 OK",
};

START_TEST(test_single_bad)
{
	const char *line = bad_lines[_i];
	struct reply r;
	struct err err;

	reply_init(&r);
	err_clear(&err);
	ck_assert_msg(feed(&r, line, &err) == REPLY_INVALID,
		      "\"%s\" accepted", line);
	ck_assert_int_eq(err.cls, ERR_PROTO);
	ck_assert_msg(err.text[0] != '\0', "no error text for \"%s\"", line);
	ck_assert(!has_control(err.text));
}
END_TEST

/* The error quotes the offending line, made printable. */
START_TEST(test_bad_quotes_line)
{
	struct reply r;
	struct err err;
	static const char line[] = "hello\r\x01world";

	reply_init(&r);
	err_clear(&err);
	ck_assert_int_eq(feed(&r, "xyz garbage", &err), REPLY_INVALID);
	ck_assert_ptr_nonnull(strstr(err.text, "xyz garbage"));

	reply_init(&r);
	err_clear(&err);
	ck_assert_int_eq(reply_feed(&r, line, sizeof(line) - 1, &err),
			 REPLY_INVALID);
	ck_assert_ptr_nonnull(strstr(err.text, "hello??world"));
	ck_assert(!has_control(err.text));
}
END_TEST

/* ---- multi-line replies ---- */

static const struct multi_case {
	const char *lines[6];
	int code;
	const char *enh;
	const char *text;
} multi_cases[] = {
	{ { "250-a", "250-b", "250 c", NULL }, 250, "", "a\nb\nc" },
	{ { "250-mx.example.com", "250-PIPELINING", "250 SIZE 100", NULL },
	  250, "", "mx.example.com\nPIPELINING\nSIZE 100" },
	{ { "250-", "250 b", NULL }, 250, "", "\nb" },
	{ { "250-a", "250", NULL }, 250, "", "a\n" },
	/* enhanced code kept from the first line, stripped everywhere */
	{ { "550-5.1.1 first", "550-5.1.1 second", "550 5.1.1 third", NULL },
	  550, "5.1.1", "first\nsecond\nthird" },
	{ { "550-5.1.1 a", "550 5.7.1 b", NULL }, 550, "5.1.1", "a\nb" },
	{ { "550-first", "550 5.1.1 second", NULL }, 550, "", "first\nsecond" },
	{ { "550-5.1.1 a", "550 2.0.0 b", NULL }, 550, "5.1.1", "a\n2.0.0 b" },
	{ { "451-4.3.0 a", "451-4.3.0", "451 4.3.0 c", NULL }, 451, "4.3.0",
	  "a\n\nc" },
};

START_TEST(test_multi)
{
	const struct multi_case *t = &multi_cases[_i];
	struct reply r;
	struct err err;
	int i;

	reply_init(&r);
	err_clear(&err);
	for (i = 0; t->lines[i + 1] != NULL; i++)
		ck_assert_int_eq(feed(&r, t->lines[i], &err), REPLY_MORE);
	ck_assert_int_eq(r.done, 0);
	ck_assert_int_eq(feed(&r, t->lines[i], &err), REPLY_DONE);
	ck_assert_int_eq(r.code, t->code);
	ck_assert_str_eq(r.enh, t->enh);
	ck_assert_str_eq(r.text, t->text);
	ck_assert_uint_eq(r.text_len, strlen(t->text));
	ck_assert_int_eq(r.nlines, i + 1);
	ck_assert_int_eq(err.cls, ERR_NONE);
}
END_TEST

/* Every line must carry the same code; later bad lines are caught too. */
static const struct mixed_case {
	const char *first;
	const char *second;
} mixed_cases[] = {
	{ "250-a", "251 b" },
	{ "250-a", "550 b" },
	{ "550-a", "450 b" },
	{ "250-a", "25" },
	{ "250-a", "" },
	{ "250-a", "abc" },
	{ "250-a", "250+b" },
	{ "250-a", "650 b" },
};

START_TEST(test_multi_bad)
{
	const struct mixed_case *t = &mixed_cases[_i];
	struct reply r;
	struct err err;

	reply_init(&r);
	err_clear(&err);
	ck_assert_int_eq(feed(&r, t->first, &err), REPLY_MORE);
	ck_assert_int_eq(err.cls, ERR_NONE);
	ck_assert_msg(feed(&r, t->second, &err) == REPLY_INVALID,
		      "\"%s\" after \"%s\" accepted", t->second, t->first);
	ck_assert_int_eq(err.cls, ERR_PROTO);
}
END_TEST

/* A NUL byte (explicit length) and other controls become '?'. */
START_TEST(test_nul_bytes)
{
	static const char l1[] = "250-a\0b";
	static const char l2[] = "250 \0\0c\0";
	struct reply r;
	struct err err;

	reply_init(&r);
	err_clear(&err);
	ck_assert_int_eq(reply_feed(&r, l1, sizeof(l1) - 1, &err), REPLY_MORE);
	ck_assert_int_eq(reply_feed(&r, l2, sizeof(l2) - 1, &err), REPLY_DONE);
	ck_assert_str_eq(r.text, "a?b\n??c?");
	ck_assert_uint_eq(r.text_len, 8);
	ck_assert_uint_eq(strlen(r.text), r.text_len);
}
END_TEST

/* A NUL inside the code or separator is not a code. */
START_TEST(test_nul_in_code)
{
	static const char l1[] = "25\0 OK";
	static const char l2[] = "250\0OK";
	struct reply r;
	struct err err;

	reply_init(&r);
	err_clear(&err);
	ck_assert_int_eq(reply_feed(&r, l1, sizeof(l1) - 1, &err),
			 REPLY_INVALID);
	ck_assert_int_eq(err.cls, ERR_PROTO);
	reply_init(&r);
	err_clear(&err);
	ck_assert_int_eq(reply_feed(&r, l2, sizeof(l2) - 1, &err),
			 REPLY_INVALID);
	ck_assert_int_eq(err.cls, ERR_PROTO);
}
END_TEST

/* Only len bytes are read: a longer buffer does not leak into the text. */
START_TEST(test_explicit_length)
{
	struct reply r;
	struct err err;

	reply_init(&r);
	err_clear(&err);
	ck_assert_int_eq(reply_feed(&r, "250 abcdef", 7, &err), REPLY_DONE);
	ck_assert_str_eq(r.text, "abc");
	reply_init(&r);
	ck_assert_int_eq(reply_feed(&r, "250-abcdef", 3, &err), REPLY_DONE);
	ck_assert_str_eq(r.text, "");
}
END_TEST

/* After a complete reply, the next line starts a new reply. */
START_TEST(test_reuse_after_done)
{
	struct reply r;
	struct err err;

	reply_init(&r);
	err_clear(&err);
	ck_assert_int_eq(feed(&r, "250-a", &err), REPLY_MORE);
	ck_assert_int_eq(feed(&r, "250 5.0.0 b", &err), REPLY_DONE);
	ck_assert_int_eq(feed(&r, "354 go", &err), REPLY_DONE);
	ck_assert_int_eq(r.code, 354);
	ck_assert_str_eq(r.text, "go");
	ck_assert_str_eq(r.enh, "");
	ck_assert_int_eq(r.nlines, 1);
	ck_assert_int_eq(feed(&r, "550 5.1.1 no", &err), REPLY_DONE);
	ck_assert_str_eq(r.enh, "5.1.1");
	ck_assert_int_eq(feed(&r, "250 ok", &err), REPLY_DONE);
	ck_assert_str_eq(r.enh, "");
}
END_TEST

/* ---- limits ---- */

START_TEST(test_max_lines_ok)
{
	struct reply r;
	struct err err;
	int i;

	reply_init(&r);
	err_clear(&err);
	for (i = 0; i < SMTP_REPLY_LINES_MAX - 1; i++)
		ck_assert_int_eq(feed(&r, "250-x", &err), REPLY_MORE);
	ck_assert_int_eq(feed(&r, "250 y", &err), REPLY_DONE);
	ck_assert_int_eq(r.nlines, SMTP_REPLY_LINES_MAX);
}
END_TEST

START_TEST(test_too_many_lines)
{
	struct reply r;
	struct err err;
	int i;

	reply_init(&r);
	err_clear(&err);
	for (i = 0; i < SMTP_REPLY_LINES_MAX; i++)
		ck_assert_int_eq(feed(&r, "250-x", &err), REPLY_MORE);
	ck_assert_int_eq(feed(&r, "250 y", &err), REPLY_INVALID);
	ck_assert_int_eq(err.cls, ERR_PROTO);
	err_clear(&err);
	reply_init(&r);
	for (i = 0; i < SMTP_REPLY_LINES_MAX; i++)
		ck_assert_int_eq(feed(&r, "250-x", &err), REPLY_MORE);
	ck_assert_int_eq(feed(&r, "250-x", &err), REPLY_INVALID);
	ck_assert_int_eq(err.cls, ERR_PROTO);
}
END_TEST

/* The reply sits between canaries: truncation must stay inside text. */
struct guarded_reply {
	unsigned char before[64];
	struct reply r;
	unsigned char after[64];
};

static void
check_canaries(const struct guarded_reply *g)
{
	size_t i;

	for (i = 0; i < sizeof(g->before); i++)
		ck_assert_uint_eq(g->before[i], 0xa5);
	for (i = 0; i < sizeof(g->after); i++)
		ck_assert_uint_eq(g->after[i], 0x5a);
}

START_TEST(test_text_truncation)
{
	struct guarded_reply *g = malloc(sizeof(*g));
	char line[4 + 4000 + 1];
	struct err err;
	const int nlines = SMTP_REPLY_LINES_MAX;
	int i;

	ck_assert_ptr_nonnull(g);
	memset(g->before, 0xa5, sizeof(g->before));
	memset(g->after, 0x5a, sizeof(g->after));
	reply_init(&g->r);
	err_clear(&err);
	memcpy(line, "550-", 4);
	memset(line + 4, 'A', 4000);
	line[4 + 4000] = '\0';
	for (i = 0; i < nlines; i++) {
		if (i == nlines - 1)
			line[3] = ' ';
		line[4] = (char)('a' + i % 26);
		ck_assert_int_eq(feed(&g->r, line, &err),
				 i == nlines - 1 ? REPLY_DONE : REPLY_MORE);
		ck_assert_uint_lt(g->r.text_len, REPLY_TEXT_MAX);
		ck_assert_uint_eq(strlen(g->r.text), g->r.text_len);
		ck_assert_int_eq(g->r.nlines, i + 1);
		ck_assert_int_eq(g->r.code, 550);
		check_canaries(g);
	}
	/* the start of the text is intact: line 1, '\n', line 2 */
	ck_assert_int_eq(g->r.text[0], 'a');
	ck_assert_int_eq(g->r.text[1], 'A');
	ck_assert_int_eq(g->r.text[4000], '\n');
	ck_assert_int_eq(g->r.text[4001], 'b');
	ck_assert_int_eq(g->r.done, 1);
	free(g);
}
END_TEST

/* Many short lines, joined: the cut falls on every possible position. */
START_TEST(test_text_truncation_short_lines)
{
	struct guarded_reply *g = malloc(sizeof(*g));
	char line[200];
	struct err err;
	int i, len;

	ck_assert_ptr_nonnull(g);
	for (len = 60; len < 70; len++) {
		memset(g->before, 0xa5, sizeof(g->before));
		memset(g->after, 0x5a, sizeof(g->after));
		reply_init(&g->r);
		err_clear(&err);
		memcpy(line, "250-", 4);
		memset(line + 4, 'z', (size_t)len);
		line[4 + len] = '\0';
		for (i = 0; i < SMTP_REPLY_LINES_MAX; i++) {
			if (i == SMTP_REPLY_LINES_MAX - 1)
				line[3] = ' ';
			ck_assert_int_ne(feed(&g->r, line, &err),
					 REPLY_INVALID);
			ck_assert_uint_lt(g->r.text_len, REPLY_TEXT_MAX);
			ck_assert_uint_eq(strlen(g->r.text), g->r.text_len);
			check_canaries(g);
		}
		ck_assert_int_eq(g->r.done, 1);
	}
	free(g);
}
END_TEST

/* ---- reply_enh_parse ---- */

static const struct enh_case {
	const char *s;
	int len;        /* -1: strlen */
	int cls;
	size_t ret;
	const char *enh;
} enh_cases[] = {
	{ "2.0.0", -1, 2, 5, "2.0.0" },
	{ "2.0.0 ok", -1, 2, 5, "2.0.0" },
	{ "4.7.1 later", -1, 4, 5, "4.7.1" },
	{ "5.1.1", -1, 5, 5, "5.1.1" },
	{ "5.123.456", -1, 5, 9, "5.123.456" },
	{ "5.12.3 x", -1, 5, 6, "5.12.3" },
	{ "5.1.12", 5, 5, 5, "5.1.1" },          /* len bounds the scan */
	{ "5.1.1", -1, 2, 0, NULL },            /* class mismatch */
	{ "5.1.1", -1, 4, 0, NULL },
	{ "3.0.0", -1, 3, 0, NULL },            /* class 3 does not exist */
	{ "1.0.0", -1, 1, 0, NULL },
	{ "6.0.0", -1, 6, 0, NULL },
	{ "5.1", -1, 5, 0, NULL },
	{ "5.1.", -1, 5, 0, NULL },
	{ "5.1.1x", -1, 5, 0, NULL },
	{ "5.1.1\t", -1, 5, 0, NULL },
	{ "5.1.1-", -1, 5, 0, NULL },
	{ "5.1111.1", -1, 5, 0, NULL },
	{ "5.1.1111", -1, 5, 0, NULL },
	{ "5..1.1", -1, 5, 0, NULL },
	{ "5.a.1", -1, 5, 0, NULL },
	{ "55.1.1", -1, 5, 0, NULL },
	{ ".1.1", -1, 5, 0, NULL },
	{ " 5.1.1", -1, 5, 0, NULL },
	{ "5,1,1", -1, 5, 0, NULL },
	{ "", -1, 5, 0, NULL },
	{ "5", -1, 5, 0, NULL },
	{ "5.1.1 x", 3, 5, 0, NULL },           /* cut by len */
	{ "5.1.1 x", 4, 5, 0, NULL },
};

START_TEST(test_enh_parse)
{
	const struct enh_case *t = &enh_cases[_i];
	size_t len = t->len < 0 ? strlen(t->s) : (size_t)t->len;
	char enh[ERR_ENH_MAX];
	size_t ret;

	memset(enh, 'Q', sizeof(enh));
	ret = reply_enh_parse(t->s, len, t->cls, enh);
	ck_assert_msg(ret == t->ret, "\"%s\" (len %zu, class %d): %zu, not %zu",
		      t->s, len, t->cls, ret, t->ret);
	if (t->enh != NULL)
		ck_assert_str_eq(enh, t->enh);
}
END_TEST

/* ---- reply_first_line / reply_oneline ---- */

static void
make_reply(struct reply *r, const char *const *lines)
{
	struct err err;
	size_t i;

	reply_init(r);
	err_clear(&err);
	for (i = 0; lines[i] != NULL; i++)
		ck_assert_int_ne(feed(r, lines[i], &err), REPLY_INVALID);
	ck_assert_int_eq(r->done, 1);
}

static const struct text_case {
	const char *lines[5];
	const char *first;
	const char *oneline;
} text_cases[] = {
	{ { "250 only", NULL }, "only", "only" },
	{ { "250", NULL }, "", "" },
	{ { "250-a", "250-bb", "250 ccc", NULL }, "a", "a / bb / ccc" },
	{ { "550-5.1.1 no such", "550 5.1.1 user", NULL }, "no such",
	  "no such / user" },
	{ { "250-", "250 x", NULL }, "", " / x" },
};

START_TEST(test_text_helpers)
{
	const struct text_case *t = &text_cases[_i];
	struct reply r;
	char dst[256];

	make_reply(&r, t->lines);
	reply_first_line(&r, dst, sizeof(dst));
	ck_assert_str_eq(dst, t->first);
	reply_oneline(&r, dst, sizeof(dst));
	ck_assert_str_eq(dst, t->oneline);
}
END_TEST

/* Any destination size: NUL-terminated, within n, a prefix of the whole. */
START_TEST(test_text_helpers_small)
{
	static const char *const lines[] = { "250-first line", "250-second",
					     "250 third", NULL };
	static const char full1[] = "first line";
	static const char full[] = "first line / second / third";
	struct reply r;
	char dst[64];
	size_t n, len;

	make_reply(&r, lines);
	for (n = 1; n < sizeof(dst); n++) {
		memset(dst, 'X', sizeof(dst));
		reply_first_line(&r, dst, n);
		len = strlen(dst);
		ck_assert_uint_lt(len, n);
		ck_assert_uint_eq(len, n - 1 < sizeof(full1) - 1
				  ? n - 1 : sizeof(full1) - 1);
		ck_assert_int_eq(strncmp(dst, full1, len), 0);
		ck_assert_int_eq(dst[n], 'X');

		memset(dst, 'X', sizeof(dst));
		reply_oneline(&r, dst, n);
		len = strlen(dst);
		ck_assert_uint_lt(len, n);
		ck_assert_int_eq(strncmp(dst, full, len), 0);
		ck_assert_int_eq(dst[n], 'X');
		if (n >= sizeof(full))
			ck_assert_str_eq(dst, full);
	}
	/* n == 0: nothing written */
	memset(dst, 'X', sizeof(dst));
	reply_first_line(&r, dst, 0);
	reply_oneline(&r, dst, 0);
	ck_assert_int_eq(dst[0], 'X');
}
END_TEST

static Suite *
reply_suite(void)
{
	Suite *s = suite_create("reply");
	TCase *tc;

	tc = tcase_create("single");
	tcase_add_loop_test(tc, test_single_ok, 0,
			    sizeof(ok_cases) / sizeof(ok_cases[0]));
	tcase_add_loop_test(tc, test_single_bad, 0,
			    sizeof(bad_lines) / sizeof(bad_lines[0]));
	tcase_add_test(tc, test_bad_quotes_line);
	tcase_add_test(tc, test_nul_bytes);
	tcase_add_test(tc, test_nul_in_code);
	tcase_add_test(tc, test_explicit_length);
	suite_add_tcase(s, tc);

	tc = tcase_create("multi");
	tcase_add_loop_test(tc, test_multi, 0,
			    sizeof(multi_cases) / sizeof(multi_cases[0]));
	tcase_add_loop_test(tc, test_multi_bad, 0,
			    sizeof(mixed_cases) / sizeof(mixed_cases[0]));
	tcase_add_test(tc, test_reuse_after_done);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_test(tc, test_max_lines_ok);
	tcase_add_test(tc, test_too_many_lines);
	tcase_add_test(tc, test_text_truncation);
	tcase_add_test(tc, test_text_truncation_short_lines);
	suite_add_tcase(s, tc);

	tc = tcase_create("enh");
	tcase_add_loop_test(tc, test_enh_parse, 0,
			    sizeof(enh_cases) / sizeof(enh_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("text");
	tcase_add_loop_test(tc, test_text_helpers, 0,
			    sizeof(text_cases) / sizeof(text_cases[0]));
	tcase_add_test(tc, test_text_helpers_small);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(reply_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
