/*
 * check_cmd.c - unit tests for src/cmd.c (running a user's command and
 * reading its first line) and src/utf8.c.
 */
#include <config.h>

#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "utf8.h"
#include "util.h"

/* run - cmd_first_line with the command's stderr out of the way. */
static int
run(const char *cmd, size_t max, int timeout_ms, struct buf *out,
    struct err *err)
{
	int saved, null, ret;

	fflush(stderr);
	saved = dup(2);
	null = open("/dev/null", O_WRONLY);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_ge(null, 0);
	ck_assert_int_eq(dup2(null, 2), 2);
	ret = cmd_first_line(cmd, max, timeout_ms, ERR_AUTH, true, out, err);
	ck_assert_int_eq(dup2(saved, 2), 2);
	close(saved);
	close(null);
	return ret;
}

static const struct line_case {
	const char *cmd;
	const char *out;        /* NULL: an error */
	const char *error;
} line_cases[] = {
	{ "echo secret", "secret", NULL },
	{ "printf 'crlf\\r\\nnext'", "crlf", NULL },
	{ "printf 'no newline'", "no newline", NULL },
	{ "true", "", NULL },
	/* a long stream after the line: reading stops, no SIGPIPE error */
	{ "echo first; yes", "first", NULL },
	{ "echo first; exec yes", "first", NULL },
	{ "exit 2", NULL, "command failed (exit status 2)" },
	{ "no-such-command-here", NULL,
	  "command failed (exit status 127: command not found)" },
	{ "kill -KILL $$", NULL, "command killed by signal 9" },
	{ "head -c 300 /dev/zero | tr '\\0' a", NULL,
	  "the first line of the output is longer than 256 bytes" },
};

START_TEST(test_first_line)
{
	const struct line_case *t = &line_cases[_i];
	struct buf out;
	struct err err;
	int ret;

	buf_init_secret(&out, 256);
	err_clear(&err);
	ret = run(t->cmd, 256, 5000, &out, &err);
	if (t->error != NULL) {
		ck_assert_msg(ret == -1, "accepted: %s", t->cmd);
		ck_assert_int_eq(err.cls, ERR_AUTH);
		ck_assert(err.temp);
		ck_assert_str_eq(err.text, t->error);
		/* never the command's text (it may hold a secret) */
		ck_assert_ptr_null(strstr(err.text, t->cmd));
	} else {
		ck_assert_msg(ret == 0, "%s: %s", t->cmd, err.text);
		ck_assert_str_eq(buf_str(&out), t->out);
	}
	buf_clear(&out);
}
END_TEST

/* A command that hangs is killed at the time limit, and reaped. */
START_TEST(test_timeout)
{
	struct buf out;
	struct err err;
	long long t0 = util_now_ms();

	buf_init(&out, 256);
	ck_assert_int_eq(run("sleep 30", 256, 300, &out, &err), -1);
	ck_assert_str_eq(err.text, "command did not finish within 1 s");
	ck_assert_int_lt(util_now_ms() - t0, 5000);
	/* nothing left to reap: the child is gone */
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	/* a command that closes its output and lingers is bounded too */
	t0 = util_now_ms();
	ck_assert_int_eq(run("exec >&-; sleep 30", 256, 300, &out, &err), -1);
	ck_assert_int_lt(util_now_ms() - t0, 5000);
	buf_clear(&out);
}
END_TEST

/* No descriptor of ours is inherited: only 0, 1 and 2 are open. */
START_TEST(test_no_fd_leak)
{
	struct buf out;
	struct err err;
	int leak = open("/dev/null", O_RDONLY);        /* no O_CLOEXEC */

	ck_assert_int_gt(leak, 2);
	buf_init(&out, 256);
	ck_assert_int_eq(run("ls /proc/self/fd | tr '\\n' ' '; echo", 256,
			     5000, &out, &err), 0);
	/* ls itself has one more: the directory it reads */
	ck_assert_msg(strncmp(buf_str(&out), "0 1 2 3 ", 8) == 0
			      && out.len == 8,
		      "open descriptors: %s", buf_str(&out));
	close(leak);
	buf_clear(&out);
}
END_TEST

/* Standard input is /dev/null, not ours. */
START_TEST(test_stdin_null)
{
	struct buf out;
	struct err err;

	buf_init(&out, 256);
	ck_assert_int_eq(run("read x; echo \"$?:$x\"", 256, 5000, &out, &err),
			 0);
	ck_assert_str_eq(buf_str(&out), "1:");
	buf_clear(&out);
}
END_TEST

/* ---- utf8 ---- */

static const struct utf8_case {
	const char *in;
	const char *shown;
} utf8_cases[] = {
	{ "plain text", "plain text" },
	{ "tab\there", "tab here" },
	{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xa7", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xa7" },
	{ "esc\x1b[31mred", "esc?[31mred" },
	{ "del\x7f", "del?" },
	{ "c1 \xc2\x9b csi", "c1 ? csi" },              /* U+009B */
	{ "overlong \xc0\xaf", "overlong ??" },
	{ "overlong3 \xe0\x80\xaf", "overlong3 ???" },
	{ "surrogate \xed\xa0\x80", "surrogate ???" },
	{ "too big \xf4\x90\x80\x80", "too big ????" },
	{ "cut \xe2\x82", "cut ??" },
	{ "bidi \xe2\x80\xae", "bidi ?" },              /* U+202E */
	{ "sep \xe2\x80\xa8", "sep ?" },                /* U+2028 */
	{ "nbsp \xc2\xa0", "nbsp \xc2\xa0" },
};

START_TEST(test_printable)
{
	const struct utf8_case *t = &utf8_cases[_i];
	char out[128];

	printable(out, sizeof(out), t->in, strlen(t->in));
	ck_assert_str_eq(out, t->shown);
}
END_TEST

/* A multi-byte character that does not fit is left out whole. */
START_TEST(test_printable_cut)
{
	char out[5];

	ck_assert_uint_eq(printable(out, sizeof(out), "ab\xe2\x82\xac",
				    5), 2);
	ck_assert_str_eq(out, "ab");
	ck_assert_uint_eq(printable(out, 1, "abc", 3), 0);
	ck_assert_str_eq(out, "");
	/* a run of ASCII cut by the room, then by the length given */
	ck_assert_uint_eq(printable(out, sizeof(out), "abcdefgh", 8), 4);
	ck_assert_str_eq(out, "abcd");
	ck_assert_uint_eq(printable(out, sizeof(out), "abcdef", 3), 3);
	ck_assert_str_eq(out, "abc");
	ck_assert_uint_eq(printable(out, sizeof(out), "ab\001cdef", 3), 3);
	ck_assert_str_eq(out, "ab?");
	ck_assert_uint_eq(printable(out, sizeof(out), "a\tb\001", 4), 4);
	ck_assert_str_eq(out, "a b?");
}
END_TEST

START_TEST(test_valid)
{
	ck_assert(utf8_valid("", 0));
	ck_assert(utf8_valid("\xc3\xa9t\xc3\xa9", 6));
	ck_assert(!utf8_valid("\xc3", 1));
	ck_assert(!utf8_valid("\xc0\x80", 2));
	ck_assert(!utf8_valid("\xed\xbf\xbf", 3));
	ck_assert(!utf8_valid("\xf5\x80\x80\x80", 4));
	ck_assert(!utf8_valid("\xff", 1));
	/* ASCII runs around and before multi-byte characters */
	ck_assert(utf8_valid("a\xc3\xa9" "b", 4));
	ck_assert(!utf8_valid("abc\xc3", 4));
	ck_assert(!utf8_valid("abc\x80" "def", 7));
	ck_assert(utf8_valid("abc\xc3", 3));
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("cmd");
	TCase *tc = tcase_create("cmd");

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_first_line, 0,
			    sizeof(line_cases) / sizeof(line_cases[0]));
	tcase_add_test(tc, test_timeout);
	tcase_add_test(tc, test_no_fd_leak);
	tcase_add_test(tc, test_stdin_null);
	suite_add_tcase(s, tc);
	tc = tcase_create("utf8");
	tcase_add_loop_test(tc, test_printable, 0,
			    sizeof(utf8_cases) / sizeof(utf8_cases[0]));
	tcase_add_test(tc, test_printable_cut);
	tcase_add_test(tc, test_valid);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
