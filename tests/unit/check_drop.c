/*
 * check_drop.c - unit tests for src/drop.c: the helper's command line,
 * the drop header written and read back, and the header the flush
 * refuses (doc/queue-format.md, section 9).
 */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "drop.h"

/* args - drop_args on a NULL-terminated list (argv[0] added). */
static int
args(struct drop_env *d, const char *const *list, struct err *err)
{
	char *argv[16];
	int argc = 0;

	argv[argc++] = (char *)"smtpsend-drop";
	while (*list != NULL)
		argv[argc++] = (char *)*list++;
	argv[argc] = NULL;
	drop_env_init(d);
	return drop_args(d, argc, argv, err);
}

START_TEST(test_args_good)
{
	static const char *const b[] = { "-t", "-i", "-f", "<>", "-F",
					 "Web Server", "-N", "never", "-R",
					 "hdrs", "-V", "id-1", "--",
					 "a@example.org, b@example.org", NULL };
	struct drop_env d;
	struct err err;

	ck_assert_int_eq(args(&d, b, &err), 0);
	ck_assert(d.read_rcpts);
	ck_assert(!d.dot_ends);
	ck_assert_str_eq(d.v[DROP_SENDER], "<>");
	ck_assert_str_eq(d.v[DROP_FULL_NAME], "Web Server");
	ck_assert_uint_eq(d.nrcpts, 1);
}
END_TEST

/* Bad command lines and the error each gets. */
static const struct {
	const char *a[6];
	const char *text;
} bad_args[] = {
	{ { "-C", "/etc/shadow", "x@y", NULL }, "unknown option \"-C\"" },
	{ { "-t", "-t", NULL }, "-t given twice" },
	{ { "-f", "a@b", "-f", "c@d", "x@y", NULL }, "-f given twice" },
	{ { "-f", NULL }, "-f needs a value" },
	{ { "-i", NULL }, "no recipient given, and no -t" },
	{ { "-f", "a@b\nX: y", "x@y", NULL },
	  "-f: it contains a control character" },
	{ { "-a", "wo rk", "x@y", NULL }, "-a: an account name is letters, "
	  "digits, '.', '_' and '-', at most 64" },
	{ { "-R", "all", "x@y", NULL }, "-R: expected full or hdrs" },
	{ { "-V", "a b", "x@y", NULL }, "-V: an envelope id is printable "
	  "ASCII without spaces" },
	{ { "-f", "", "x@y", NULL }, "-f: it is empty" },
	{ { "--", "a@b", "-c@d", NULL }, "recipient: it begins with '-'" },
};

START_TEST(test_args_bad)
{
	struct drop_env d;
	struct err err;

	ck_assert_int_eq(args(&d, bad_args[_i].a, &err), -1);
	ck_assert_int_eq(err.cls, ERR_USAGE);
	ck_assert_str_eq(err.text, bad_args[_i].text);
}
END_TEST

START_TEST(test_roundtrip)
{
	static const char *const a[] = { "-i", "-f", "www@example.org",
					 "-a", "relay", "x@example.net",
					 "y@example.net", NULL };
	static char text[DROP_HEADER_MAX];
	const char *argv[DROP_ARGV_MAX];
	struct drop_env d, back;
	struct err err;
	size_t len, body;
	int n;

	ck_assert_int_eq(args(&d, a, &err), 0);
	d.uid = 33;
	ck_assert_int_eq(drop_format(&d, text, sizeof(text), &len, &err), 0);
	ck_assert_str_eq(text, "Version: 1\nUid: 33\nRead-Recipients: no\n"
			 "Dot-Ends: no\nSender: www@example.org\n"
			 "Account: relay\nRecipient: x@example.net\n"
			 "Recipient: y@example.net\n\n");
	memcpy(text + len, "body\n", 6);
	ck_assert_int_eq(drop_parse(&back, text, len + 5, &body, &err), 0);
	ck_assert_uint_eq(body, len);
	ck_assert_uint_eq(back.uid, 33);
	n = drop_argv(&back, argv);
	ck_assert_int_eq(n, 10);
	ck_assert_str_eq(argv[0], "sendmail");
	ck_assert_str_eq(argv[1], "--report-by-mail");
	ck_assert_str_eq(argv[2], "-i");
	ck_assert_str_eq(argv[3], "-f");
	ck_assert_str_eq(argv[5], "-a");
	ck_assert_str_eq(argv[7], "--");
	ck_assert_str_eq(argv[8], "x@example.net");
	ck_assert_ptr_null(argv[n]);
}
END_TEST

/* Headers the flush refuses, and why. */
static const struct {
	const char *text;
	const char *why;
} bad_headers[] = {
	{ "Version: 2\nUid: 1\nRead-Recipients: no\nDot-Ends: no\n"
	  "Recipient: a@b\n\n", "Version: invalid value" },
	{ "Uid: 1\nVersion: 1\n\n", "line 1 is not Version" },
	{ "Version: 1\nUid: 01\nRead-Recipients: no\nDot-Ends: no\n\n",
	  "Uid: invalid value" },
	{ "Version: 1\nUid: 1\nRead-Recipients: no\nDot-Ends: no\n\n",
	  "no recipient, and no -t" },
	{ "Version: 1\nUid: 1\nRead-Recipients: yes\nDot-Ends: no\n"
	  "Config: /tmp/x\n\n", "unknown key on line 5" },
	{ "Version: 1\nUid: 1\nRead-Recipients: yes\nDot-Ends: no\n"
	  "Sender: a@b\nSender: c@d\n\n", "key repeated on line 6" },
	{ "Version: 1\nUid: 1\nRead-Recipients: yes\nDot-Ends: no\n"
	  "Recipient: -oQ/tmp\n\n", "recipient: it begins with '-'" },
	{ "Version: 1\nUid: 1\nRead-Recipients: yes\nDot-Ends: no\n"
	  "Recipient: a@b\r\n\n", "recipient: it contains a control "
	  "character" },
	{ "Version: 1\nUid: 1\nRead-Recipients: yes\nDot-Ends: no\n",
	  "no end of the header" },
	{ "Version: 1\nUid: 1\n\n", "the header is incomplete" },
};

START_TEST(test_parse_bad)
{
	static char text[4096];
	struct drop_env d;
	struct err err;
	size_t body, n = strlen(bad_headers[_i].text);

	memcpy(text, bad_headers[_i].text, n);
	ck_assert_int_eq(drop_parse(&d, text, n, &body, &err), -1);
	ck_assert_int_eq(err.cls, ERR_DATA);
	ck_assert_str_eq(err.text, bad_headers[_i].why);
}
END_TEST

static Suite *
drop_suite(void)
{
	Suite *s = suite_create("drop");
	TCase *tc = tcase_create("drop");

	tcase_add_test(tc, test_args_good);
	tcase_add_loop_test(tc, test_args_bad, 0,
			    sizeof(bad_args) / sizeof(bad_args[0]));
	tcase_add_test(tc, test_roundtrip);
	tcase_add_loop_test(tc, test_parse_bad, 0,
			    sizeof(bad_headers) / sizeof(bad_headers[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(drop_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
