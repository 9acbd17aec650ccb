/*
 * check_transcript.c - the in-memory copy of the trace that the queue
 * keeps with an entry: one "SSS.mmm DIR TEXT" line per line, made
 * printable, each added whole or not at all.
 */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "transcript.h"
#include "util.h"

/* stamp_ok - p starts with the stamp of second sec (right-aligned in
 * three columns, milliseconds in three digits) and a blank. */
static void
stamp_ok(const char *p, const char *sec)
{
	size_t n = strlen(sec);

	ck_assert_msg(strncmp(p, sec, n) == 0, "stamp of \"%s\"", p);
	ck_assert_int_eq(p[n], '.');
	ck_assert(p[n + 1] >= '0' && p[n + 1] <= '9');
	ck_assert(p[n + 2] >= '0' && p[n + 2] <= '9');
	ck_assert(p[n + 3] >= '0' && p[n + 3] <= '9');
	ck_assert_int_eq(p[n + 4], ' ');
}

START_TEST(test_lines)
{
	struct transcript tr;
	struct buf mem;
	static const char sent[] = "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n";
	char *p;

	transcript_init(&tr, NULL);
	tr.t0_ms = util_now_ms() - 7000;        /* 7 s into the session */
	buf_init(&mem, 4096);
	transcript_capture(&tr, &mem);
	transcript_sent(&tr, sent, sizeof(sent) - 1);
	transcript_received(&tr, "250 \001ok\t", 8);
	ck_assert_ptr_nonnull(mem.p);
	p = mem.p;
	stamp_ok(p, "  7");
	ck_assert_int_eq(strncmp(p + 8, "-> MAIL FROM:<a@b>\n", 19), 0);
	p += 8 + 19;
	stamp_ok(p, "  7");
	ck_assert_int_eq(strncmp(p + 8, "-> RCPT TO:<c@d>\n", 17), 0);
	p += 8 + 17;
	stamp_ok(p, "  7");
	ck_assert_str_eq(p + 8, "<- 250 ?ok \n");
	buf_clear(&mem);
	/* a long session: the seconds take the room they need */
	buf_init(&mem, 4096);
	tr.t0_ms = util_now_ms() - 1234000;
	transcript_note(&tr, "%s", "note");
	stamp_ok(mem.p, "1234");
	ck_assert_str_eq(mem.p + 9, "-- note\n");
	buf_clear(&mem);
}
END_TEST

/* A line that does not fit is left out whole; a shorter one after it
 * that fits is kept. */
START_TEST(test_full)
{
	struct transcript tr;
	struct buf mem;
	char long_line[100];

	memset(long_line, 'x', sizeof(long_line));
	transcript_init(&tr, NULL);
	buf_init(&mem, 40);
	transcript_capture(&tr, &mem);
	transcript_received(&tr, "250 first", 9);
	transcript_received(&tr, long_line, sizeof(long_line));
	transcript_received(&tr, "250 b", 5);
	transcript_received(&tr, "250 c", 5);
	ck_assert_ptr_nonnull(mem.p);
	ck_assert_uint_eq(mem.len, 21 + 17);
	ck_assert_int_eq(strncmp(mem.p + 8, "<- 250 first\n", 13), 0);
	ck_assert_int_eq(strchr(mem.p, 'x') == NULL, 1);
	ck_assert_str_eq(mem.p + 21 + 8, "<- 250 b\n");
	buf_clear(&mem);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("transcript");
	TCase *tc = tcase_create("memory copy");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_full);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
