/*
 * check_socks.c - the SOCKS5 client (RFC 1928): the exact bytes of the
 * CONNECT request for a name, an IPv4 and an IPv6 literal; every byte of
 * the replies checked, failures named with their code; and the exchange
 * over a socket pair, which reads no byte past the proxy's reply.
 */
#include <config.h>

#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "socks.h"
#include "util.h"

START_TEST(test_hello)
{
	static const unsigned char want[] = { 5, 1, 0 };

	ck_assert_int_eq(memcmp(socks_hello, want, sizeof(want)), 0);
}
END_TEST

START_TEST(test_request_name)
{
	static const unsigned char want[] = {
		5, 1, 0, 3, 17, 'm', 'a', 'i', 'l', '.', 'e', 'x', 'a', 'm',
		'p', 'l', 'e', '.', 't', 'e', 's', 't', 0x02, 0x4b
	};
	unsigned char out[SOCKS_REQUEST_MAX];
	struct err err;
	size_t n = socks_request("mail.example.test", 587, out, sizeof(out),
				 &err);

	ck_assert_uint_eq(n, sizeof(want));
	ck_assert_int_eq(memcmp(out, want, n), 0);
}
END_TEST

START_TEST(test_request_literals)
{
	static const unsigned char v4[] = { 5, 1, 0, 1, 192, 0, 2, 1, 0, 25 };
	static const unsigned char v6[] = {
		5, 1, 0, 4, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0x25, 0xff, 0xff
	};
	unsigned char out[SOCKS_REQUEST_MAX];
	struct err err;
	size_t n;

	n = socks_request("192.0.2.1", 25, out, sizeof(out), &err);
	ck_assert_uint_eq(n, sizeof(v4));
	ck_assert_int_eq(memcmp(out, v4, n), 0);
	n = socks_request("2001:db8::25", 65535, out, sizeof(out), &err);
	ck_assert_uint_eq(n, sizeof(v6));
	ck_assert_int_eq(memcmp(out, v6, n), 0);
}
END_TEST

START_TEST(test_request_bounds)
{
	unsigned char out[SOCKS_REQUEST_MAX];
	char name[300];
	struct err err;

	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	name[255] = '\0';       /* 255: the most a length byte holds */
	ck_assert_uint_eq(socks_request(name, 25, out, sizeof(out), &err),
			  4 + 1 + 255 + 2);
	name[255] = 'a';
	name[256] = '\0';
	ck_assert_uint_eq(socks_request(name, 25, out, sizeof(out), &err), 0);
	ck_assert_ptr_nonnull(strstr(err.text, "256 bytes long"));
	ck_assert_uint_eq(socks_request("", 25, out, sizeof(out), &err), 0);
	ck_assert_uint_eq(socks_request("a", 25, out, 10, &err), 0);
}
END_TEST

START_TEST(test_method)
{
	static const unsigned char ok[2] = { 5, 0 }, none[2] = { 5, 0xff },
		other[2] = { 5, 2 }, v4[2] = { 4, 0 };
	struct err err;

	ck_assert_int_eq(socks_method(ok, &err), 0);
	ck_assert_int_eq(socks_method(none, &err), -1);
	ck_assert_int_eq(err.cls, ERR_NET);
	ck_assert(err.temp);
	ck_assert_ptr_nonnull(strstr(err.text, "wants authentication"));
	ck_assert_int_eq(socks_method(other, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "chose method 2"));
	ck_assert_int_eq(socks_method(v4, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "version 4"));
}
END_TEST

/* Every failure code, named, with its number; then the unknown ones. */
static const struct rep_case {
	unsigned char rep;
	const char *text;
} rep_cases[] = {
	{ 1, "general SOCKS server failure (reply 1)" },
	{ 2, "connection not allowed by ruleset (reply 2)" },
	{ 3, "network unreachable (reply 3)" },
	{ 4, "host unreachable (reply 4)" },
	{ 5, "connection refused by destination host (reply 5)" },
	{ 6, "TTL expired (reply 6)" },
	{ 7, "command not supported (reply 7)" },
	{ 8, "address type not supported (reply 8)" },
	{ 9, "unknown reply code (reply 9)" },
	{ 255, "unknown reply code (reply 255)" },
};

START_TEST(test_reply_codes)
{
	const struct rep_case *t = &rep_cases[_i];
	unsigned char head[5] = { 5, 0, 0, 1, 0 };
	struct err err;
	size_t rest = 99;

	head[1] = t->rep;
	ck_assert_int_eq(socks_reply(head, &rest, &err), -1);
	ck_assert_int_eq(err.cls, ERR_NET);
	ck_assert(err.temp);
	ck_assert_str_eq(err.text, t->text);
}
END_TEST

START_TEST(test_reply_shapes)
{
	unsigned char head[5] = { 5, 0, 0, 1, 127 };
	struct err err;
	size_t rest;

	ck_assert_int_eq(socks_reply(head, &rest, &err), 0);
	ck_assert_uint_eq(rest, 3 + 2);
	head[3] = 4;
	ck_assert_int_eq(socks_reply(head, &rest, &err), 0);
	ck_assert_uint_eq(rest, 15 + 2);
	head[3] = 3;
	head[4] = 9;
	ck_assert_int_eq(socks_reply(head, &rest, &err), 0);
	ck_assert_uint_eq(rest, 9 + 2);
	head[4] = 0;            /* an empty name */
	ck_assert_int_eq(socks_reply(head, &rest, &err), -1);
	head[3] = 2;
	head[4] = 1;
	ck_assert_int_eq(socks_reply(head, &rest, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "address type 2"));
	head[3] = 1;
	head[2] = 1;
	ck_assert_int_eq(socks_reply(head, &rest, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "reserved byte 1"));
	head[2] = 0;
	head[0] = 4;
	ck_assert_int_eq(socks_reply(head, &rest, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "version 4"));
}
END_TEST

/* pair - a socket pair, the client's end non-blocking; the proxy's
 * replies are written in advance (a socket buffer holds them). */
static void
pair(int sv[2], const void *replies, size_t n)
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	ck_assert_int_eq(write(sv[1], replies, n), (ssize_t)n);
}

START_TEST(test_handshake)
{
	static const unsigned char replies[] = {
		5, 0,                                   /* method 0 */
		5, 0, 0, 3, 4, 'p', 'r', 'x', 'y', 0, 1,/* bound to a name */
		'2', '2', '0', ' '                      /* the greeting */
	};
	static const unsigned char want[] = {
		5, 1, 0, 5, 1, 0, 3, 6, 'm', 'x', '.', 'e', 'x', 'a', 0, 25
	};
	unsigned char got[64], rest[8];
	struct err err;
	int sv[2];

	pair(sv, replies, sizeof(replies));
	ck_assert_int_eq(socks_handshake(sv[0], "mx.exa", 25,
					 util_now_ms() + 2000, &err), 0);
	ck_assert_int_eq(read(sv[1], got, sizeof(got)), (ssize_t)sizeof(want));
	ck_assert_int_eq(memcmp(got, want, sizeof(want)), 0);
	/* the greeting is left for the SMTP session */
	ck_assert_int_eq(read(sv[0], rest, sizeof(rest)), 4);
	ck_assert_int_eq(memcmp(rest, "220 ", 4), 0);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(test_handshake_closed_and_timeout)
{
	static const unsigned char method[] = { 5, 0, 5 };
	struct err err;
	int sv[2];

	/* closed after the first byte of the reply to CONNECT */
	pair(sv, method, sizeof(method));
	close(sv[1]);
	ck_assert_int_eq(socks_handshake(sv[0], "mx.example", 25,
					 util_now_ms() + 2000, &err), -1);
	ck_assert_int_eq(err.cls, ERR_NET);
	ck_assert(err.temp);
	ck_assert_str_eq(err.text, "the proxy closed the connection during "
				   "the handshake");
	close(sv[0]);
	/* silent: the deadline ends it */
	pair(sv, method, 2);
	ck_assert_int_eq(socks_handshake(sv[0], "mx.example", 25,
					 util_now_ms() + 200, &err), -1);
	ck_assert_str_eq(err.text, "timed out during the handshake");
	close(sv[0]);
	close(sv[1]);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("socks");
	TCase *tc = tcase_create("socks5");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_hello);
	tcase_add_test(tc, test_request_name);
	tcase_add_test(tc, test_request_literals);
	tcase_add_test(tc, test_request_bounds);
	tcase_add_test(tc, test_method);
	tcase_add_loop_test(tc, test_reply_codes, 0,
			    sizeof(rep_cases) / sizeof(rep_cases[0]));
	tcase_add_test(tc, test_reply_shapes);
	tcase_add_test(tc, test_handshake);
	tcase_add_test(tc, test_handshake_closed_and_timeout);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
