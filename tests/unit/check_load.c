/*
 * check_load.c - unit tests for src/load.c (a library opened on demand,
 * its functions resolved into a table), load_idn2.c (libidn2's table) and
 * src/base64.c (the encoder of built-in PLAIN, LOGIN and XOAUTH2, and of
 * MIME encoded-words).
 */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "buf.h"
#include "err.h"
#include "exitcodes.h"
#include "load.h"
#define LOAD_IDN2_NO_MAP
#include "load_idn2.h"
#include "report.h"

/* A file that does not exist: the library's name and dlerror()'s reason
 * (which names the file), class ERR_OSERR, temporary, exit status 71. */
START_TEST(test_missing_file)
{
	static const char *const names[] = { "gnutls_global_init" };
	void *slots[1] = { NULL };
	struct load_lib lib = { "GnuTLS", "/nonexistent/libgnutls.so.30",
				names, 1, slots, false };
	struct err e;

	err_clear(&e);
	ck_assert_int_eq(load_library(&lib, &e), -1);
	ck_assert_int_eq(e.cls, ERR_OSERR);
	ck_assert(e.temp);
	ck_assert_ptr_nonnull(strstr(e.text, "cannot load GnuTLS: "));
	ck_assert_ptr_nonnull(strstr(e.text, "/nonexistent/libgnutls.so.30"));
	ck_assert(!load_mapped(&lib));
	ck_assert_ptr_null(slots[0]);
	ck_assert_int_eq(report_err_status(&e), EX_OSERR);
}
END_TEST

/* The right file without a function of the list: refused, by name. */
START_TEST(test_missing_function)
{
	static const char *const names[] = { "gnutls_global_init",
					     "gnutls_no_such_function" };
	void *slots[2] = { NULL, NULL };
	struct load_lib lib = { "GnuTLS", GNUTLS_PATH, names, 2, slots,
				false };
	struct err e;

	err_clear(&e);
	ck_assert_int_eq(load_library(&lib, &e), -1);
	ck_assert_int_eq(e.cls, ERR_OSERR);
	ck_assert_ptr_nonnull(strstr(e.text, "cannot load GnuTLS: "));
	ck_assert_ptr_nonnull(strstr(e.text, "gnutls_no_such_function"));
	ck_assert(!load_mapped(&lib));
}
END_TEST

/* The file configure found: every name resolved, once. */
START_TEST(test_loads)
{
	static const char *const names[] = { "gsasl_init", "gsasl_done" };
	void *slots[2] = { NULL, NULL };
	struct load_lib lib = { "GNU SASL", GSASL_PATH, names, 2, slots,
				false };
	struct err e;

	err_clear(&e);
	ck_assert_int_eq(load_library(&lib, &e), 0);
	ck_assert(load_mapped(&lib));
	ck_assert_ptr_nonnull(slots[0]);
	ck_assert_ptr_nonnull(slots[1]);
	ck_assert_ptr_ne(slots[0], slots[1]);
	ck_assert_int_eq(load_library(&lib, &e), 0);
	ck_assert_int_eq(e.cls, ERR_NONE);
}
END_TEST

/* libidn2's table (load_idn2.c): every function of its list resolved from
 * the file configure found, once. */
START_TEST(test_idn2_table)
{
	struct err e;

	err_clear(&e);
	ck_assert(!load_idn2_mapped());
	ck_assert_int_eq(load_idn2(&e), 0);
	ck_assert(load_idn2_mapped());
	ck_assert_ptr_nonnull(load_idn2_fn.idn2_free);
	ck_assert_ptr_nonnull(load_idn2_fn.idn2_strerror);
	ck_assert_ptr_nonnull(load_idn2_fn.idn2_to_ascii_8z);
	ck_assert_ptr_nonnull(load_idn2_fn.idn2_to_unicode_8z8z);
	ck_assert_int_eq(load_idn2(&e), 0);
	ck_assert_int_eq(e.cls, ERR_NONE);
}
END_TEST

static void
check_b64(const char *in, size_t n, const char *want)
{
	struct buf b;

	buf_init(&b, 64);
	ck_assert_int_eq(buf_append_str(&b, "<"), 0);
	ck_assert_int_eq(base64_append(&b, in, n), 0);
	ck_assert_str_eq(buf_str(&b), want);
	buf_clear(&b);
}

/* RFC 4648 10's vectors, and bytes with the high bit and NUL. */
START_TEST(test_base64)
{
	struct buf b;

	check_b64("", 0, "<");
	check_b64("f", 1, "<Zg==");
	check_b64("fo", 2, "<Zm8=");
	check_b64("foo", 3, "<Zm9v");
	check_b64("foob", 4, "<Zm9vYg==");
	check_b64("fooba", 5, "<Zm9vYmE=");
	check_b64("foobar", 6, "<Zm9vYmFy");
	check_b64("\0alice\0secret", 13, "<AGFsaWNlAHNlY3JldA==");
	check_b64("\xff\xfe\xfd", 3, "<//79");
	/* too long for the buffer: nothing appended */
	buf_init(&b, 8);
	ck_assert_int_eq(buf_append_str(&b, "<"), 0);
	ck_assert_int_eq(base64_append(&b, "foobar", 6), -1);
	ck_assert_str_eq(buf_str(&b), "<");
	buf_clear(&b);
}
END_TEST

/* dec_ok - in decodes to want[0..n), white space and all. */
static void
dec_ok(const char *in, const char *want, long n)
{
	unsigned char out[64];

	ck_assert_int_eq(base64_decode(in, strlen(in), out), n);
	ck_assert_int_eq(memcmp(out, want, (size_t)n), 0);
}

/* The decoder of the trust file's PEM blocks: the test vectors of RFC
 * 4648 10 back, line ends skipped, and everything else refused. */
START_TEST(test_base64_decode)
{
	unsigned char out[64];
	static const char *const bad[] = {
		"Zg=", "Zg", "Z===", "=Zg=", "Zg==Zg==", "Zm9v!", "Zm9", "Zh==",
		"Zm9=",
	};
	size_t i;
	long r;

	dec_ok("", "", 0);
	dec_ok("Zg==", "f", 1);
	dec_ok("Zm8=", "fo", 2);
	dec_ok("Zm9v", "foo", 3);
	dec_ok("Zm9vYg==", "foob", 4);
	dec_ok("Zm9vYmE=", "fooba", 5);
	dec_ok("Zm9vYmFy", "foobar", 6);
	dec_ok("\nZm9v\r\nYmFy\n", "foobar", 6);
	dec_ok("AGFsaWNlAHNlY3JldA==", "\0alice\0secret", 13);
	dec_ok("//79", "\xff\xfe\xfd", 3);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = base64_decode(bad[i], strlen(bad[i]), out);
		ck_assert_msg(r == -1, "\"%s\" decoded to %ld bytes", bad[i],
			      r);
	}
}
END_TEST

static Suite *
load_suite(void)
{
	Suite *s = suite_create("load");
	TCase *tc = tcase_create("load");

	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_base64_decode);
	tcase_add_test(tc, test_missing_function);
	tcase_add_test(tc, test_loads);
	tcase_add_test(tc, test_idn2_table);
	tcase_add_test(tc, test_base64);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(load_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
