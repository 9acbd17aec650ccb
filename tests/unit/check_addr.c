/*
 * check_addr.c - unit tests for src/addr.c (RFC 5322 3.4 address lists,
 * RFC 5321 4.1.2 / 4.5.3.1 envelope addresses, RFC 6531 UTF-8).
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

#define MAX_OUT 4

/* show - s with control bytes as \xNN, for failure messages. */
static const char *
show(const char *s, char *dst, size_t n)
{
	size_t o = 0;

	for (; *s && o + 5 < n; s++) {
		unsigned char c = (unsigned char)*s;
		int w;

		if (c >= 0x20 && c != 0x7f) {
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

/* ---- addr_list_parse: lists that parse ---- */

static const struct parse_case {
	const char *in;
	int n;
	const char *out[MAX_OUT];
} parse_cases[] = {
	{ "a@b", 1, { "a@b" } },
	{ "user@example.com", 1, { "user@example.com" } },
	{ "<a@b>", 1, { "a@b" } },
	{ "Name <a@b>", 1, { "a@b" } },
	{ "John Q. Smith <js@example.com>", 1, { "js@example.com" } },
	{ "\"Last, First\" <a@b>", 1, { "a@b" } },
	{ "\"Quote \\\" inside\" <a@b>", 1, { "a@b" } },
	{ "a@b, c@d", 2, { "a@b", "c@d" } },
	{ "a@b,c@d", 2, { "a@b", "c@d" } },
	{ "A <a@b>, \"C, D\" <c@d>, e@f", 3, { "a@b", "c@d", "e@f" } },
	{ "a@b (comment), c@d", 2, { "a@b", "c@d" } },
	{ "(lead) a@b", 1, { "a@b" } },
	{ "a@b (nested (comment) here), c@d", 2, { "a@b", "c@d" } },
	{ "a@b (a (b (c)) d)", 1, { "a@b" } },
	{ "a@b (escaped \\) paren)", 1, { "a@b" } },
	{ "a@b (with, comma; and <angle>)", 1, { "a@b" } },
	{ "Name (comment) <a@b> (after)", 1, { "a@b" } },
	{ "group: a@b, c@d;", 2, { "a@b", "c@d" } },
	{ "group: a@b, c@d;, e@f", 3, { "a@b", "c@d", "e@f" } },
	{ "x@y, group: A <a@b>;", 2, { "x@y", "a@b" } },
	{ "undisclosed-recipients:;", 0, { NULL } },
	{ "undisclosed-recipients: ;", 0, { NULL } },
	{ "undisclosed-recipients:;, a@b", 1, { "a@b" } },
	{ "<@route,@r2:a@b>", 1, { "a@b" } },
	{ "Name <@route:a@b>", 1, { "a@b" } },
	{ "\"john doe\"@example.com", 1, { "\"john doe\"@example.com" } },
	{ "<\"john doe\"@example.com>", 1, { "\"john doe\"@example.com" } },
	{ ",,a@b,,", 1, { "a@b" } },
	{ ", a@b , , c@d ,", 2, { "a@b", "c@d" } },
	{ "", 0, { NULL } },
	{ "   ", 0, { NULL } },
	{ ",", 0, { NULL } },
	{ "a @ b", 1, { "a@b" } },
	{ "a@b,\r\n c@d", 2, { "a@b", "c@d" } },
	{ "\tA\t<a@b>\t", 1, { "a@b" } },
	{ "j\xc3\xb6rg@b\xc3\xbc" "cher.example", 1,
	  { "j\xc3\xb6rg@b\xc3\xbc" "cher.example" } },
	{ "J\xc3\xb6rg <j\xc3\xb6rg@b\xc3\xbc" "cher.example>", 1,
	  { "j\xc3\xb6rg@b\xc3\xbc" "cher.example" } },
	{ "root", 1, { "root" } },
	/* a domain literal may hold specials (found by tests/fuzz/fuzz_addr) */
	{ "a@[192.0.2.1]", 1, { "a@[192.0.2.1]" } },
	{ "user@[IPv6:2001:db8::1]", 1, { "user@[IPv6:2001:db8::1]" } },
	{ "<user@[IPv6:2001:db8::1]>", 1, { "user@[IPv6:2001:db8::1]" } },
	{ "a@[IPv6:::1], Bob <b@[IPv6:::2]>", 2,
	  { "a@[IPv6:::1]", "b@[IPv6:::2]" } },
	{ "<a@[x,y]>", 1, { "a@[x,y]" } },
	{ "g: a@[x;y];", 1, { "a@[x;y]" } },
};

START_TEST(test_parse_ok)
{
	const struct parse_case *t = &parse_cases[_i];
	struct addr_list l;
	struct err err;
	int i, ret;

	addr_list_init(&l);
	err_clear(&err);
	ret = addr_list_parse(&l, t->in, &err);
	ck_assert_msg(ret == t->n, "\"%s\": %d addresses, expected %d (%s)",
		      t->in, ret, t->n, err.text);
	ck_assert_uint_eq(l.n, (size_t)t->n);
	for (i = 0; i < t->n; i++)
		ck_assert_str_eq(l.v[i], t->out[i]);
	ck_assert_int_eq(err.cls, ERR_NONE);
	addr_list_clear(&l);
}
END_TEST

/* Parsing appends to what the list already holds. */
/* A bare address of atext, "." and "@" takes a short way (addr.c
 * simple()): the result must be the grammar's, which the same string
 * after a blank (not simple) goes through. */
START_TEST(test_parse_simple_same)
{
	static const char *const in[] = {
		"a@b", "r999@example.net", "@@", "a@", "@b", ".", "a..b@c.",
		"x", "!#$%&'*+-/=?^_`{|}~@example.org", "a@b@c",
	};
	char longest[ADDR_MAX + 2], blank[sizeof(longest) + 1];
	struct addr_list l1, l2;
	struct err e1, e2;
	size_t i, k;
	int r1, r2;

	for (i = 0; i < sizeof(in) / sizeof(in[0]) + 2; i++) {
		const char *s = i < sizeof(in) / sizeof(in[0]) ? in[i] : NULL;

		if (s == NULL) {    /* ADDR_MAX bytes, then one more */
			k = ADDR_MAX + (i - sizeof(in) / sizeof(in[0]));
			memset(longest, 'a', k);
			longest[1] = '@';
			longest[k] = '\0';
			s = longest;
		}
		snprintf(blank, sizeof(blank), " %s", s);
		addr_list_init(&l1);
		addr_list_init(&l2);
		err_clear(&e1);
		err_clear(&e2);
		r1 = addr_list_parse(&l1, s, &e1);
		r2 = addr_list_parse(&l2, blank, &e2);
		ck_assert_msg(r1 == r2, "\"%.40s\": %d, %d", s, r1, r2);
		ck_assert_uint_eq(l1.n, l2.n);
		for (k = 0; k < l1.n; k++)
			ck_assert_str_eq(l1.v[k], l2.v[k]);
		ck_assert_int_eq(e1.cls, e2.cls);
		addr_list_clear(&l1);
		addr_list_clear(&l2);
	}
}
END_TEST

START_TEST(test_parse_appends)
{
	struct addr_list l;
	struct err err;

	addr_list_init(&l);
	err_clear(&err);
	ck_assert_int_eq(addr_list_parse(&l, "a@b", &err), 1);
	ck_assert_int_eq(addr_list_parse(&l, "c@d, e@f", &err), 2);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_str_eq(l.v[0], "a@b");
	ck_assert_str_eq(l.v[1], "c@d");
	ck_assert_str_eq(l.v[2], "e@f");
	addr_list_clear(&l);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_ptr_null(l.v);
}
END_TEST

/* ---- addr_list_parse: errors ---- */

static const char *const parse_bad[] = {
	"<a@b",                 /* unbalanced < */
	"Name <a@b",
	"a@b, <c@d",            /* the good first element is not added */
	"<<a@b>>",
	"<a@b> <c@d>",
	"Name <a@b> <c@d>",
	">",
	"a@b>",
	"a@b>, c@d",
	"\"unterminated@b",
	"\"Last, First <a@b>",
	"a@b, \"x",
	"a@b (comment",         /* unbalanced parenthesis */
	"a@b (nested (comment)",
	"(a@b",
	"a@b (esc \\)",
	"a@b comment)",         /* a stray closing parenthesis */
	")a@b",
	"a@b, c@d)",
	"<a@b> x",              /* text after > */
	"<a@b> x@y",
	"Name <a@b> trailing, c@d",
	"a@b;",                 /* ; outside a group */
	";",
	"a@b, c@d;",
	"group: a@b",           /* group without ; */
	"group: a@b, c@d",
	"group:",
	"g1: g2: a@b;;",        /* groups do not nest */
	"<a@b>: x;",
	"\"a\nb\"@c",           /* a line break inside a quoted string */
	"\"a\rb\"@c",           /* (found by tests/fuzz/fuzz_addr) */
	"\"a\r\n b\"@c",
	"<\"a\\\nb\"@c>",
	"Name <a@b>, \"\n\"@c",
};

START_TEST(test_parse_bad)
{
	const char *in = parse_bad[_i];
	struct addr_list l;
	struct err err;
	char sh[128], first[128];
	size_t n;
	int ret, kept;

	addr_list_init(&l);
	addr_list_add(&l, "keep@example.com");
	err_clear(&err);
	ret = addr_list_parse(&l, in, &err);
	/* note the outcome, then free: no leak when an assertion fails */
	n = l.n;
	kept = strcmp(l.v[0], "keep@example.com") == 0;
	snprintf(first, sizeof(first), "%s", l.n > 1 ? l.v[1] : "");
	addr_list_clear(&l);
	ck_assert_msg(ret == -1, "\"%s\" accepted: %d (first: \"%s\")",
		      show(in, sh, sizeof(sh)), ret, first);
	ck_assert_int_eq(err.cls, ERR_DATA);
	ck_assert_msg(err.text[0] != '\0', "no message for \"%s\"", in);
	ck_assert_uint_eq(n, 1);
	ck_assert(kept);
}
END_TEST

/* The messages say what is wrong. */
static const struct msg_case {
	const char *in;
	const char *needle;
} msg_cases[] = {
	{ "<a@b", "\"<\" without \">\"" },
	{ "a@b>", "\">\" without \"<\"" },
	{ "\"x@b", "unterminated quoted string" },
	{ "a@b (x", "unbalanced parenthesis" },
	{ "<a@b> x", "text after \">\"" },
	{ "a@b;", "outside a group" },
	{ "g: a@b", "group without" },
	{ "\"a\nb\"@c", "line break in a quoted string" },
};

START_TEST(test_parse_messages)
{
	const struct msg_case *t = &msg_cases[_i];
	struct addr_list l;
	struct err err;

	addr_list_init(&l);
	err_clear(&err);
	ck_assert_int_eq(addr_list_parse(&l, t->in, &err), -1);
	ck_assert_msg(strstr(err.text, t->needle) != NULL,
		      "\"%s\": message \"%s\" lacks \"%s\"", t->in, err.text,
		      t->needle);
	addr_list_clear(&l);
}
END_TEST

/* A very long address is refused, not truncated or overflowed. */
START_TEST(test_parse_too_long)
{
	struct addr_list l;
	struct err err;
	char *in = malloc(20001);

	ck_assert_ptr_nonnull(in);
	memset(in, 'a', 20000);
	in[20000] = '\0';
	in[10000] = '@';
	addr_list_init(&l);
	err_clear(&err);
	ck_assert_int_eq(addr_list_parse(&l, in, &err), -1);
	ck_assert_int_eq(err.cls, ERR_DATA);
	ck_assert_uint_eq(l.n, 0);
	in[0] = '<';
	in[19999] = '>';
	ck_assert_int_eq(addr_list_parse(&l, in, &err), -1);
	ck_assert_uint_eq(l.n, 0);
	addr_list_clear(&l);
	free(in);
}
END_TEST

/* A long display name is no address: it parses, whatever its length
 * (it broke -t with names over a few hundred bytes). */
START_TEST(test_parse_long_name)
{
	struct addr_list l;
	struct err err;
	size_t n = 20000;
	char *in = malloc(n + 64);

	ck_assert_ptr_nonnull(in);
	memset(in, 'N', n);
	strcpy(in + n, " <x@example.org>, y@example.org");
	addr_list_init(&l);
	ck_assert_msg(addr_list_parse(&l, in, &err) == 2, "%s", err.text);
	ck_assert_str_eq(l.v[0], "x@example.org");
	ck_assert_str_eq(l.v[1], "y@example.org");
	addr_list_clear(&l);
	in[0] = '"';
	memcpy(in + n - 1, "\" <x@example.org>", 18);
	addr_list_init(&l);
	ck_assert_msg(addr_list_parse(&l, in, &err) == 1, "%s", err.text);
	ck_assert_str_eq(l.v[0], "x@example.org");
	addr_list_clear(&l);
	free(in);
}
END_TEST

/* An 8-bit address must be UTF-8 (RFC 6531 3.3). */
START_TEST(test_check_utf8)
{
	struct err err;

	ck_assert_int_eq(addr_check("j\xc3\xb6" "rg@b\xc3\xbc" "cher.example", false,
				    &err), 0);
	ck_assert_int_eq(addr_check("j\xf6rg@example.org", false, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "not valid UTF-8"));
	ck_assert_int_eq(addr_check("a@ex\xc0\xaf" "ample.org", false, &err),
			 -1);
	ck_assert_int_eq(addr_check("a@\xed\xa0\x80.example", false, &err),
			 -1);
}
END_TEST

/* addr_list_add copies and grows. */
START_TEST(test_list_add)
{
	struct addr_list l;
	char tmp[32];
	int i;

	addr_list_init(&l);
	for (i = 0; i < 100; i++) {
		snprintf(tmp, sizeof(tmp), "u%d@example.com", i);
		addr_list_add(&l, tmp);
	}
	snprintf(tmp, sizeof(tmp), "changed");  /* the list holds copies */
	ck_assert_uint_eq(l.n, 100);
	for (i = 0; i < 100; i++) {
		snprintf(tmp, sizeof(tmp), "u%d@example.com", i);
		ck_assert_str_eq(l.v[i], tmp);
	}
	addr_list_clear(&l);
	ck_assert_uint_eq(l.n, 0);
	addr_list_clear(&l);            /* twice is fine */
}
END_TEST

/* ---- addr_check ---- */

/* make_addr - local 'l's, '@', then labels of 'd's joined by dots. */
static void
make_addr(char *dst, size_t local, const size_t *labels, size_t nlabels)
{
	size_t o = 0, i;

	memset(dst, 'l', local);
	o = local;
	dst[o++] = '@';
	for (i = 0; i < nlabels; i++) {
		if (i > 0)
			dst[o++] = '.';
		memset(dst + o, 'd', labels[i]);
		o += labels[i];
	}
	dst[o] = '\0';
}

static const struct check_case {
	const char *addr;
	bool allow_null;
	int ret;
} check_cases[] = {
	/* valid */
	{ "a@b", false, 0 },
	{ "user@example.com", false, 0 },
	{ "first.last@example.com", false, 0 },
	{ "a+tag@example.com", false, 0 },
	{ "!#$%&'*+-/=?^_`{|}~@example.com", false, 0 },
	{ "\"john doe\"@example.com", false, 0 },
	{ "\"a\\\"b\"@example.com", false, 0 },
	{ "\"a\\\\b\"@example.com", false, 0 },
	{ "\"a@b\"@example.com", false, 0 },
	{ "\"\"@example.com", false, 0 },
	{ "\"..\"@example.com", false, 0 },
	{ "root", false, 0 },
	{ "postmaster", true, 0 },
	{ "user@[192.0.2.1]", false, 0 },
	{ "user@[IPv6:::1]", false, 0 },
	{ "user@[IPv6:2001:db8::1]", false, 0 },
	{ "j\xc3\xb6rg@b\xc3\xbc" "cher.example", false, 0 },
	{ "a@xn--bcher-kva.example", false, 0 },
	{ "a@b-c.example", false, 0 },
	{ "a@sub_domain.example", false, 0 },
	{ "A@EXAMPLE.COM", false, 0 },
	{ "", true, 0 },                        /* null reverse-path */
	/* invalid */
	{ "", false, -1 },
	{ "@example.com", false, -1 },
	{ "a@", false, -1 },
	{ "a@b@c", false, -1 },
	{ ".a@b", false, -1 },
	{ "a.@b", false, -1 },
	{ "a..b@c", false, -1 },
	{ ".", false, -1 },
	{ "a@.b", false, -1 },
	{ "a@b.", false, -1 },
	{ "a@b..c", false, -1 },
	{ "a@.", false, -1 },
	{ "a b@c", false, -1 },
	{ "a@b c", false, -1 },
	{ " a@b", false, -1 },
	{ "a@b ", false, -1 },
	{ "a\r@b", false, -1 },
	{ "a\n@b", false, -1 },
	{ "a\t@b", false, -1 },
	{ "a\x7f@b", false, -1 },
	{ "a\x01@b", false, -1 },
	{ "a@b\r", false, -1 },
	{ "a@b\r\nRCPT TO:<x@y>", false, -1 },
	{ "a@b\n", false, -1 },
	{ "a@b\x7f", false, -1 },
	{ "a@\tb", false, -1 },
	{ "\"a\r\"@b", false, -1 },
	{ "\"a\tb\"@c", false, -1 },
	{ "\"a\x7f\"@b", false, -1 },
	{ "\"a\\\r\"@b", false, -1 },          /* escaped CR is still a CR */
	{ "\"a\\\n\"@b", false, -1 },
	{ "\"a\\\r\\\n\"@b", false, -1 },
	{ "\"a\\\x7f\"@b", false, -1 },
	{ "root\r", false, -1 },
	{ "a@[bad", false, -1 },
	{ "a@[]", false, -1 },
	{ "a@[1.2.3.4", false, -1 },
	{ "a@[1 2]", false, -1 },
	{ "a@[a[b]", false, -1 },
	{ "a@1.2.3.4]", false, -1 },
	{ "\"unterminated@b", false, -1 },
	{ "\"a\"b@c", false, -1 },
	{ "a\"b\"@c", false, -1 },
	{ "\"a\\\"@b", false, -1 },
	{ "a(b)@c", false, -1 },
	{ "a,b@c", false, -1 },
	{ "<a@b>", false, -1 },
	{ "a@b>", false, -1 },
	{ "a@b!c", false, -1 },
	{ "a@b/c", false, -1 },
};

START_TEST(test_check)
{
	const struct check_case *t = &check_cases[_i];
	struct err err;
	char sh[128];
	int ret;
	size_t i;

	err_clear(&err);
	ret = addr_check(t->addr, t->allow_null, &err);
	ck_assert_msg(ret == t->ret, "case %d: addr_check(\"%s\", %d) = %d",
		      _i, show(t->addr, sh, sizeof(sh)), t->allow_null, ret);
	if (ret == 0) {
		ck_assert_int_eq(err.cls, ERR_NONE);
		return;
	}
	ck_assert_int_eq(err.cls, ERR_DATA);
	ck_assert(err.text[0] != '\0');
	for (i = 0; err.text[i]; i++)
		ck_assert((unsigned char)err.text[i] >= 0x20
			  && err.text[i] != 0x7f);
}
END_TEST

/* Length limits: 64 for the local part, 63 a label, 254 in all. */
static const struct len_case {
	size_t local;
	size_t labels[5];
	size_t nlabels;
	int ret;
} len_cases[] = {
	{ 64, { 10 }, 1, 0 },
	{ 65, { 10 }, 1, -1 },
	{ 1, { 63 }, 1, 0 },
	{ 1, { 64 }, 1, -1 },
	{ 1, { 3, 63, 3 }, 3, 0 },
	{ 1, { 3, 64, 3 }, 3, -1 },
	{ 64, { 63, 63, 61 }, 3, 0 },           /* 254 */
	{ 64, { 63, 63, 62 }, 3, -1 },          /* 255 */
	{ 60, { 63, 63, 63, 10 }, 4, -1 },
	{ 64, { 63, 63, 63 }, 3, -1 },
};

START_TEST(test_check_lengths)
{
	const struct len_case *t = &len_cases[_i];
	char addr[400];
	struct err err;
	int ret;

	make_addr(addr, t->local, t->labels, t->nlabels);
	err_clear(&err);
	ret = addr_check(addr, false, &err);
	ck_assert_msg(ret == t->ret, "case %d (%zu bytes): %d", _i,
		      strlen(addr), ret);
	if (ret < 0)
		ck_assert_int_eq(err.cls, ERR_DATA);
}
END_TEST

/* A bare local name is bounded like a local part. */
START_TEST(test_check_bare_name_length)
{
	char name[70];
	struct err err;

	memset(name, 'r', 64);
	name[64] = '\0';
	ck_assert_int_eq(addr_check(name, false, &err), 0);
	name[64] = 'r';
	name[65] = '\0';
	err_clear(&err);
	ck_assert_int_eq(addr_check(name, false, &err), -1);
	ck_assert_int_eq(err.cls, ERR_DATA);
}
END_TEST

/* err may be NULL. */
START_TEST(test_check_null_err)
{
	ck_assert_int_eq(addr_check("a b@c", false, NULL), -1);
	ck_assert_int_eq(addr_check("", false, NULL), -1);
	ck_assert_int_eq(addr_check("a@b", false, NULL), 0);
}
END_TEST

/*
 * The message for a printable character that may not be in a local part
 * shows the address made printable, like every other message: a
 * character printable() does not show (here U+202E, a bidirectional
 * control) becomes '?' (found by tests/fuzz/fuzz_addr).
 */
START_TEST(test_check_message_printable)
{
	struct err err;

	err_clear(&err);
	ck_assert_int_eq(addr_check("A\xe2\x80\xae" "C;", false, &err), -1);
	ck_assert_int_eq(err.cls, ERR_DATA);
	ck_assert_str_eq(err.text,
			 "invalid character ';' in the local part of \"A?C;\"");
}
END_TEST

/* ---- addr_is_8bit ---- */

static const struct eight_case {
	const char *addr;
	bool expect;
} eight_cases[] = {
	{ "", false },
	{ "a@b", false },
	{ "a\x7f@b", false },
	{ "j\xc3\xb6rg@example.com", true },
	{ "a@b\xc3\xbc" "cher.example", true },
	{ "\x80", true },
	{ "a@b\xff", true },
};

START_TEST(test_is_8bit)
{
	const struct eight_case *t = &eight_cases[_i];

	ck_assert_msg(addr_is_8bit(t->addr) == t->expect, "case %d", _i);
}
END_TEST

static Suite *
addr_suite(void)
{
	Suite *s = suite_create("addr");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_parse_ok, 0,
			    sizeof(parse_cases) / sizeof(parse_cases[0]));
	tcase_add_test(tc, test_parse_appends);
	tcase_add_test(tc, test_parse_simple_same);
	tcase_add_loop_test(tc, test_parse_bad, 0,
			    sizeof(parse_bad) / sizeof(parse_bad[0]));
	tcase_add_loop_test(tc, test_parse_messages, 0,
			    sizeof(msg_cases) / sizeof(msg_cases[0]));
	tcase_add_test(tc, test_parse_too_long);
	tcase_add_test(tc, test_parse_long_name);
	tcase_add_test(tc, test_check_utf8);
	tcase_add_test(tc, test_list_add);
	suite_add_tcase(s, tc);

	tc = tcase_create("check");
	tcase_add_loop_test(tc, test_check, 0,
			    sizeof(check_cases) / sizeof(check_cases[0]));
	tcase_add_loop_test(tc, test_check_lengths, 0,
			    sizeof(len_cases) / sizeof(len_cases[0]));
	tcase_add_test(tc, test_check_bare_name_length);
	tcase_add_test(tc, test_check_null_err);
	tcase_add_test(tc, test_check_message_printable);
	tcase_add_loop_test(tc, test_is_8bit, 0,
			    sizeof(eight_cases) / sizeof(eight_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(addr_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
