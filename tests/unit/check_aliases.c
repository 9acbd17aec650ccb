/*
 * check_aliases.c - unit tests for src/aliases.c (msmtp/sendmail aliases
 * file format, RFC 5322 3.4 address lists on the right side, envelope-only
 * expansion).
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aliases.h"
#include "buf.h"

#define MAX_ADDRS 8
#define PATH "t.aliases"

/* list_set - l := the NULL-terminated v. */
static void
list_set(struct addr_list *l, const char *const *v)
{
	size_t i;

	addr_list_init(l);
	for (i = 0; i < MAX_ADDRS && v[i] != NULL; i++)
		addr_list_add(l, v[i]);
}

/* list_check - l equals the NULL-terminated want, in order. */
static void
list_check(const char *what, const struct addr_list *l,
	   const char *const *want)
{
	size_t n = 0, i;

	while (n < MAX_ADDRS && want[n] != NULL)
		n++;
	ck_assert_msg(l->n == n, "%s: %zu addresses, want %zu (first \"%s\")",
		      what, l->n, n, l->n > 0 ? l->v[0] : "");
	for (i = 0; i < n; i++)
		ck_assert_msg(strcmp(l->v[i], want[i]) == 0,
			      "%s: [%zu] is \"%s\", want \"%s\"", what, i,
			      l->v[i], want[i]);
}

static struct aliases *
parse_ok(const char *text)
{
	struct err err;
	struct aliases *a;

	err_clear(&err);
	a = aliases_parse(PATH, text, strlen(text), &err);
	ck_assert_msg(a != NULL, "parse of \"%s\" failed: %s", text, err.text);
	return a;
}

/* ---- expansion ---- */

static const struct expand_case {
	const char *what;
	const char *file;
	const char *in[MAX_ADDRS];
	const char *out[MAX_ADDRS];
} expand_cases[] = {
	{ "simple", "root: admin@example.org\n",
	  { "root" }, { "admin@example.org" } },
	{ "multiple targets",
	  "staff: a@x.example, \"Bob B.\" <b@x.example>, (c) c@x.example\n",
	  { "staff" }, { "a@x.example", "b@x.example", "c@x.example" } },
	{ "group on the right side", "team: list: a@x, b@x;\n",
	  { "team" }, { "a@x", "b@x" } },
	{ "recursion", "a: b\nb: c@x\n", { "a" }, { "c@x" } },
	{ "recursion keeps order", "a: b, z@x\nb: c@x, d\nd: d@x\n",
	  { "a" }, { "c@x", "d@x", "z@x" } },
	{ "recursion defined later", "b: c@x\na: b\n", { "a" }, { "c@x" } },
	{ "loop a-b from a", "a: b\nb: a\n", { "a" }, { "a" } },
	{ "loop a-b from b", "a: b\nb: a\n", { "b" }, { "b" } },
	{ "loop a-b-c", "a: b\nb: c, y@x\nc: a, z@x\n",
	  { "a" }, { "a", "z@x", "y@x" } },
	{ "self reference", "root: root, a@x\n",
	  { "root" }, { "root", "a@x" } },
	{ "unlisted, no default", "root: a@x\n", { "bob" }, { "bob" } },
	{ "default", "root: a@x\ndefault: d@x\n",
	  { "bob", "root", "q@y" }, { "d@x", "a@x", "q@y" } },
	{ "default names an alias", "default: admin\nadmin: a@x\n",
	  { "bob" }, { "a@x" } },
	{ "default names an unlisted name", "default: fallback\n",
	  { "bob" }, { "fallback" } },
	{ "default reached from an alias", "a: nobody\ndefault: d@x\n",
	  { "a" }, { "d@x" } },
	{ "default does not touch qualified", "default: d@x\n",
	  { "bob@example.org" }, { "bob@example.org" } },
	{ "case-insensitive key", "Root: a@x\n",
	  { "ROOT", "root", "rOOt" }, { "a@x" } },
	{ "case-insensitive default", "DEFAULT: d@x\n", { "bob" }, { "d@x" } },
	{ "target case kept", "a: Bob@X.Example\n",
	  { "a" }, { "Bob@X.Example" } },
	{ "continuation lines",
	  "staff: a@x,\n  b@x,\n\tc@x\nroot: r@x\n",
	  { "staff", "root" }, { "a@x", "b@x", "c@x", "r@x" } },
	{ "continuation after comment and blank line",
	  "staff: a@x,\n# comment\n\n   b@x\n", { "staff" }, { "a@x", "b@x" } },
	{ "continuation with display name",
	  "staff: \"Alice A.\"\n  <a@x>\n", { "staff" }, { "a@x" } },
	{ "comments", "# root: wrong@x\n  # indented comment\nroot: a@x\n",
	  { "root" }, { "a@x" } },
	{ "blank before colon", "root \t: a@x\n", { "root" }, { "a@x" } },
	{ "CRLF lines", "a: b@x\r\n\r\n# c\r\nc: d@x,\r\n e@x\r\n",
	  { "a", "c" }, { "b@x", "d@x", "e@x" } },
	{ "no final newline", "a: b@x", { "a" }, { "b@x" } },
	{ "first of two entries wins", "a: one@x\nA: two@x\n",
	  { "a" }, { "one@x" } },
	{ "duplicates removed", "a: x@y, b\nb: x@y, z@y\n",
	  { "a", "x@y", "z@y", "a" }, { "x@y", "z@y" } },
	{ "duplicates are exact matches", "a: x@y, X@y\n",
	  { "a" }, { "x@y", "X@y" } },
	{ "duplicate input recipients", "", { "p@x", "q@x", "p@x" },
	  { "p@x", "q@x" } },
	{ "qualified untouched", "root: a@x\n",
	  { "root@example.org", "Root@x" }, { "root@example.org", "Root@x" } },
	{ "empty file", "", { "root" }, { "root" } },
	{ "UTF-8 names", "jösé: j@x\n", { "jösé" }, { "j@x" } },
	/* a "#" after a blank starts a comment, outside quotes */
	{ "inline comment", "root: a@x  # the admin\n", { "root" },
	  { "a@x" } },
	{ "inline comment in a continuation",
	  "staff: a@x,\n  b@x # second\n", { "staff" }, { "a@x", "b@x" } },
	{ "# inside a word or quotes is kept",
	  "a: x#y@x, \"B # c\" <b@x>\n", { "a" }, { "x#y@x", "b@x" } },
	/* dma's catch-all */
	{ "star", "root: a@x\n*: d@x\n", { "bob", "root" }, { "d@x", "a@x" } },
	{ "default before star", "*: s@x\ndefault: d@x\n", { "bob" },
	  { "d@x" } },
};

START_TEST(test_expand)
{
	const struct expand_case *c = &expand_cases[_i];
	struct aliases *a = parse_ok(c->file);
	struct addr_list in, out;
	struct err err;

	list_set(&in, c->in);
	addr_list_init(&out);
	err_clear(&err);
	ck_assert_msg(aliases_expand(a, &in, &out, &err) == 0, "%s: %s",
		      c->what, err.text);
	list_check(c->what, &out, c->out);
	addr_list_clear(&in);
	addr_list_clear(&out);
	aliases_free(a);
}
END_TEST

/* Addresses already in out are not added again; the rest is appended. */
START_TEST(test_expand_appends)
{
	static const char *const in_v[] = { "staff", "new@x", NULL };
	static const char *const old_v[] = { "old@x", "b@x", NULL };
	static const char *const want[] = { "old@x", "b@x", "a@x", "new@x",
					    NULL };
	struct aliases *a = parse_ok("staff: a@x, b@x\n");
	struct addr_list in, out;
	struct err err;

	list_set(&in, in_v);
	list_set(&out, old_v);
	ck_assert_int_eq(aliases_expand(a, &in, &out, &err), 0);
	list_check("appends", &out, want);
	addr_list_clear(&in);
	addr_list_clear(&out);
	aliases_free(a);
}
END_TEST

/* chain - "a1: a2\n a2: a3\n ... a<n>: end@x\n". */
static void
chain(struct buf *b, int n)
{
	int i;

	buf_init(b, 1 << 20);
	for (i = 1; i < n; i++)
		ck_assert_int_eq(buf_printf(b, "a%d: a%d\n", i, i + 1), 0);
	ck_assert_int_eq(buf_printf(b, "a%d: end@x\n", n), 0);
}

/* ALIASES_DEPTH_MAX nested entries expand; one more is an error that
 * leaves out unchanged. */
START_TEST(test_depth_limit)
{
	static const char *const in_v[] = { "a1", NULL };
	static const char *const want[] = { "end@x", NULL };
	static const char *const old_v[] = { "old@x", NULL };
	struct buf b;
	struct aliases *a;
	struct addr_list in, out;
	struct err err;

	ck_assert_int_eq(ALIASES_DEPTH_MAX, 32);
	list_set(&in, in_v);

	chain(&b, ALIASES_DEPTH_MAX);
	a = parse_ok(buf_str(&b));
	addr_list_init(&out);
	ck_assert_msg(aliases_expand(a, &in, &out, &err) == 0, "%s", err.text);
	list_check("depth 32", &out, want);
	addr_list_clear(&out);
	aliases_free(a);
	buf_clear(&b);

	chain(&b, ALIASES_DEPTH_MAX + 1);
	a = parse_ok(buf_str(&b));
	list_set(&out, old_v);
	err_clear(&err);
	ck_assert_int_eq(aliases_expand(a, &in, &out, &err), -1);
	ck_assert_int_eq(err.cls, ERR_CONFIG);
	ck_assert(!err.temp);
	ck_assert_str_eq(err.text, "alias expansion of \"a1\" is nested deeper "
			 "than 32 levels (at \"a33\")");
	list_check("depth 33 leaves out unchanged", &out, old_v);
	addr_list_clear(&out);
	aliases_free(a);
	buf_clear(&b);
	addr_list_clear(&in);
}
END_TEST

/* No loop, but 2^20 paths: stopped by ALIASES_STEPS_MAX. */
START_TEST(test_steps_limit)
{
	static const char *const in_v[] = { "a0", NULL };
	struct buf b;
	struct aliases *a;
	struct addr_list in, out;
	struct err err;
	int i;

	buf_init(&b, 1 << 20);
	for (i = 0; i < 20; i++)
		ck_assert_int_eq(buf_printf(&b, "a%d: a%d, a%d\n", i, i + 1,
					    i + 1), 0);
	ck_assert_int_eq(buf_printf(&b, "a20: x@y\n"), 0);
	a = parse_ok(buf_str(&b));
	list_set(&in, in_v);
	addr_list_init(&out);
	err_clear(&err);
	ck_assert_int_eq(aliases_expand(a, &in, &out, &err), -1);
	ck_assert_int_eq(err.cls, ERR_CONFIG);
	ck_assert_str_eq(err.text, "alias expansion of \"a0\" visits more "
			 "than 10000 names");
	ck_assert_uint_eq(out.n, 0);
	addr_list_clear(&in);
	aliases_free(a);
	buf_clear(&b);
}
END_TEST

/* Many plain recipients are not limited by ALIASES_STEPS_MAX. */
START_TEST(test_steps_not_plain)
{
	struct aliases *a = parse_ok("root: r@x\n");
	struct addr_list in, out;
	struct err err;
	char name[32];
	int i;

	addr_list_init(&in);
	addr_list_init(&out);
	for (i = 0; i < ALIASES_STEPS_MAX + 5; i++) {
		snprintf(name, sizeof(name), "u%d", i);
		addr_list_add(&in, name);
	}
	ck_assert_msg(aliases_expand(a, &in, &out, &err) == 0, "%s", err.text);
	ck_assert_uint_eq(out.n, (size_t)ALIASES_STEPS_MAX + 5);
	addr_list_clear(&in);
	addr_list_clear(&out);
	aliases_free(a);
}
END_TEST

/* ---- parse errors: exact texts with "path:LINE:" ---- */

static const struct error_case {
	const char *text;
	size_t len;             /* 0: strlen(text) */
	const char *want;
} error_cases[] = {
	{ "root a@x\n", 0, PATH ":1: no \":\" after the alias name" },
	{ "# one\n\nok: a@x\nroot\n", 0,
	  PATH ":4: no \":\" after the alias name" },
	{ "ok: a@x\r\nbad\r\n", 0, PATH ":2: no \":\" after the alias name" },
	{ "# c\n: a@x\n", 0, PATH ":2: empty alias name" },
	{ " \t: a@x\n", 0,
	  PATH ":1: continuation line without an alias above it" },
	{ "# c\n  b@x\n", 0,
	  PATH ":2: continuation line without an alias above it" },
	{ "a@b: c@x\n", 0, PATH ":1: alias name \"a@b\" contains \"@\"" },
	{ "ok: a@x\nroot@: c@x\n", 0,
	  PATH ":2: alias name \"root@\" contains \"@\"" },
	{ "a b: c@x\n", 0, PATH ":1: alias name \"a b\" contains white space" },
	{ "a\tb : c@x\n", 0,
	  PATH ":1: alias name \"a b\" contains white space" },
	{ "a\001: c@x\n", 0,
	  PATH ":1: alias name \"a?\" contains a control character" },
	{ "ok: a@x\nbad: <a@x\n", 0,
	  PATH ":2: alias \"bad\": \"<\" without \">\" in address \"<a@x\"" },
	{ "bad: a@x,\n  (open\nok: b@x\n", 0,
	  PATH ":1: alias \"bad\": unbalanced parenthesis in address "
	  "\"a@x, (open\"" },
	{ "bad: \"a@x\n", 0,
	  PATH ":1: alias \"bad\": unterminated quoted string in address "
	  "\"\"a@x\"" },
	{ "bad: john doe\n", 0,
	  PATH ":1: alias \"bad\": invalid character (space) in the local "
	  "part of \"john doe\"" },
	{ "bad: a@x\n  b@x\n", 0,
	  PATH ":1: alias \"bad\": invalid character '@' in the local "
	  "part of \"a@x b@x\"" },      /* a missing comma */
	{ "bad:\n", 0, PATH ":1: alias \"bad\" has no addresses" },
	{ "ok: a@x\n\nBAD: , ;\n", 0,
	  PATH ":3: alias \"BAD\": \";\" outside a group in address \", ;\"" },
	{ "bad: ,\n", 0, PATH ":1: alias \"bad\" has no addresses" },
	{ "a: b@x\n\0\n", 9, PATH ":2: NUL byte in line" },
};

START_TEST(test_parse_error)
{
	const struct error_case *c = &error_cases[_i];
	struct aliases *a;
	struct err err;

	err_clear(&err);
	a = aliases_parse(PATH, c->text, c->len ? c->len : strlen(c->text),
			  &err);
	ck_assert_msg(a == NULL, "case %d parsed", _i);
	ck_assert_int_eq(err.cls, ERR_CONFIG);
	ck_assert(!err.temp);
	ck_assert_str_eq(err.text, c->want);
}
END_TEST

/* ---- aliases_load ---- */

static char *
temp_file(const char *content, size_t len)
{
	const char *dir = getenv("TMPDIR");
	char *path = malloc(4096);
	int fd;

	ck_assert_ptr_nonnull(path);
	snprintf(path, 4096, "%s/check_aliases.XXXXXX",
		 dir != NULL && *dir != '\0' ? dir : "/tmp");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, content, len), (ssize_t)len);
	close(fd);
	return path;
}

START_TEST(test_load)
{
	static const char text[] = "# aliases\nroot: admin@example.org\n";
	static const char *const in_v[] = { "root", NULL };
	static const char *const want[] = { "admin@example.org", NULL };
	char *path = temp_file(text, sizeof(text) - 1);
	struct aliases *a;
	struct addr_list in, out;
	struct err err;

	err_clear(&err);
	a = aliases_load(path, &err);
	ck_assert_msg(a != NULL, "%s", err.text);
	list_set(&in, in_v);
	addr_list_init(&out);
	ck_assert_int_eq(aliases_expand(a, &in, &out, &err), 0);
	list_check("load", &out, want);
	addr_list_clear(&in);
	addr_list_clear(&out);
	aliases_free(a);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(test_load_errors)
{
	static const char bad[] = "ok: a@x\nbad line\n";
	char *path = temp_file(bad, sizeof(bad) - 1);
	char want[4200];
	struct err err;
	FILE *f;

	err_clear(&err);
	ck_assert_ptr_null(aliases_load(path, &err));
	snprintf(want, sizeof(want), "%s:2: no \":\" after the alias name",
		 path);
	ck_assert_str_eq(err.text, want);
	ck_assert_int_eq(err.cls, ERR_CONFIG);

	/* one byte over the limit */
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, ALIASES_FILE_MAX, SEEK_SET), 0);
	ck_assert_int_eq(fputc('\n', f), '\n');
	fclose(f);
	err_clear(&err);
	ck_assert_ptr_null(aliases_load(path, &err));
	snprintf(want, sizeof(want), "aliases file %s is larger than 16 MiB",
		 path);
	ck_assert_str_eq(err.text, want);
	ck_assert_int_eq(err.cls, ERR_CONFIG);
	unlink(path);

	err_clear(&err);
	ck_assert_ptr_null(aliases_load(path, &err));
	snprintf(want, sizeof(want),
		 "cannot open aliases file %s: No such file or directory",
		 path);
	ck_assert_str_eq(err.text, want);
	ck_assert_int_eq(err.cls, ERR_CONFIG);
	ck_assert(!err.temp);
	free(path);

	aliases_free(NULL);
}
END_TEST

static Suite *
aliases_suite(void)
{
	Suite *s = suite_create("aliases");
	TCase *tc;

	tc = tcase_create("expand");
	tcase_add_loop_test(tc, test_expand, 0,
			    sizeof(expand_cases) / sizeof(expand_cases[0]));
	tcase_add_test(tc, test_expand_appends);
	tcase_add_test(tc, test_depth_limit);
	tcase_add_test(tc, test_steps_limit);
	tcase_add_test(tc, test_steps_not_plain);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_parse_error, 0,
			    sizeof(error_cases) / sizeof(error_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("load");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_load);
	tcase_add_test(tc, test_load_errors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(aliases_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
