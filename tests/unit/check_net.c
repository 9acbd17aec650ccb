/*
 * check_net.c - connecting: every address of a host is tried in turn, and
 * a refused connection is a temporary network error naming the address.
 */
#include <config.h>

#include <arpa/inet.h>
#include <check.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "buf.h"
#include "net.h"
#include "transcript.h"

/* listener - a listening socket on 127.0.0.1, port returned in *port. */
static int
listener(int *port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(fd, 4), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

/* closed_port - a loopback port nothing listens on (bound, not listening). */
static int
closed_port(int *port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

static void
fill(struct addrinfo *ai, struct sockaddr_in *sin, int port,
     struct addrinfo *next)
{
	memset(ai, 0, sizeof(*ai));
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((unsigned short)port);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ai->ai_family = AF_INET;
	ai->ai_socktype = SOCK_STREAM;
	ai->ai_addr = (struct sockaddr *)sin;
	ai->ai_addrlen = sizeof(*sin);
	ai->ai_next = next;
}

START_TEST(test_second_address_after_refusal)
{
	struct addrinfo a1, a2;
	struct sockaddr_in s1, s2;
	struct err err;
	char peer[64];
	int lport, cport, lfd, cfd, fd = -1, one = 0;
	socklen_t len = sizeof(one);

	lfd = listener(&lport);
	cfd = closed_port(&cport);
	fill(&a2, &s2, lport, NULL);
	fill(&a1, &s1, cport, &a2);
	ck_assert_int_eq(net_connect_list(&a1, "test.example", lport, 2000, NULL,
					  &fd, peer, sizeof(peer), NULL, &err), 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_str_eq(peer, "127.0.0.1");
	/* TCP_NODELAY is set */
	ck_assert_int_eq(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, &len),
			 0);
	ck_assert_int_ne(one, 0);
	close(fd);
	close(lfd);
	close(cfd);
}
END_TEST

/* source_ip: bound before connecting; refused when it cannot be bound or
 * is of the other family */
START_TEST(test_source)
{
	struct addrinfo a1;
	struct sockaddr_in s1, local;
	struct err err;
	char peer[64], addr[64];
	int lport, lfd, fd = -1;
	socklen_t len = sizeof(local);

	lfd = listener(&lport);
	fill(&a1, &s1, lport, NULL);
	ck_assert_int_eq(net_connect_list(&a1, "test.example", lport, 2000,
					  "127.0.0.2", &fd, peer, sizeof(peer),
					  NULL, &err), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&local, &len), 0);
	ck_assert_str_eq(inet_ntop(AF_INET, &local.sin_addr, addr,
				   sizeof(addr)), "127.0.0.2");
	close(fd);
	ck_assert_int_eq(net_connect_list(&a1, "test.example", lport, 2000,
					  "192.0.2.1", &fd, peer, sizeof(peer),
					  NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "(127.0.0.1: Cannot assign "
					       "requested address)"));
	ck_assert_int_eq(net_connect_list(&a1, "test.example", lport, 2000,
					  "::1", &fd, peer, sizeof(peer),
					  NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "the address family "
					       "differs from source_ip's"));
	close(lfd);
}
END_TEST

START_TEST(test_all_refused)
{
	struct addrinfo a1;
	struct sockaddr_in s1;
	struct err err;
	struct transcript tr;
	struct buf mem;
	char peer[64];
	int cport, cfd, fd = 5;

	cfd = closed_port(&cport);
	fill(&a1, &s1, cport, NULL);
	transcript_init(&tr, NULL);
	buf_init(&mem, 4096);
	transcript_capture(&tr, &mem);
	ck_assert_int_eq(net_connect_list(&a1, "test.example", cport, 2000, NULL,
					  &fd, peer, sizeof(peer), &tr, &err), -1);
	/* each address that failed is in the transcript */
	ck_assert_ptr_nonnull(mem.p);
	ck_assert_ptr_nonnull(strstr(mem.p, " -- cannot connect to 127.0.0.1: "
					    "Connection refused\n"));
	buf_clear(&mem);
	ck_assert_int_eq(fd, -1);
	ck_assert_int_eq(err.cls, ERR_NET);
	ck_assert(err.temp);
	ck_assert_ptr_nonnull(strstr(err.text, "cannot connect to test.example"));
	ck_assert_ptr_nonnull(strstr(err.text, "(127.0.0.1: Connection refused)"));
	
	close(cfd);
}
END_TEST

START_TEST(test_unresolvable_is_temporary)
{
	struct err err;
	char peer[64];
	int fd;

	/* .invalid never resolves (RFC 6761); DNS trouble must not be
	 * mistaken for a permanent failure */
	ck_assert_int_eq(net_connect("no-such-host.invalid", 25, AF_UNSPEC,
				     1000, NULL, &fd, peer, sizeof(peer),
				     NULL, &err), -1);
	ck_assert_int_eq(err.cls, ERR_NET);
	ck_assert(err.temp);
	ck_assert_ptr_nonnull(strstr(err.text, "cannot resolve host "
					       "no-such-host.invalid"));
	/* answered without a query (RFC 6761 6.4), so always "no such
	 * host", whatever the name servers do; any case, a final dot */
	ck_assert_ptr_nonnull(strstr(err.hint, "no such host"));
	ck_assert_int_eq(net_connect("X.Invalid.", 25, AF_INET, 1000, NULL,
				     &fd, peer, sizeof(peer), NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "X.Invalid."));
	ck_assert_int_eq(net_connect("invalid", 25, AF_UNSPEC, 1000, NULL,
				     &fd, peer, sizeof(peer), NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.hint, "no such host"));
}
END_TEST

/* -4: only the IPv4 addresses of a name; the IPv4 loopback connects */
START_TEST(test_family_v4)
{
	struct err err;
	char peer[64];
	int lport, lfd = listener(&lport), fd;

	ck_assert_int_eq(net_connect("127.0.0.1", lport, AF_INET, 2000, NULL,
				     &fd, peer, sizeof(peer), NULL, &err), 0);
	ck_assert_str_eq(peer, "127.0.0.1");
	close(fd);
	/* an IPv4 literal has no IPv6 address */
	ck_assert_int_eq(net_connect("127.0.0.1", lport, AF_INET6, 2000, NULL,
				     &fd, peer, sizeof(peer), NULL, &err), -1);
	ck_assert_int_eq(err.cls, ERR_NET);
	ck_assert_ptr_nonnull(strstr(err.text, "cannot resolve host "
					       "127.0.0.1 to an IPv6 address"));
	close(lfd);
}
END_TEST

/* a Unix-domain socket: connects; a missing one is a temporary network
 * error naming the path; one too long for sun_path a configuration
 * error */
START_TEST(test_unix)
{
	struct sockaddr_un sun;
	char dir[] = "/tmp/check_net.XXXXXX", path[64], lng[200];
	struct err err;
	int lfd, fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s", dir);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	ck_assert_int_eq(listen(lfd, 4), 0);
	ck_assert_int_eq(net_connect_unix(path, &fd, &err), 0);
	close(fd);
	close(lfd);
	unlink(path);
	ck_assert_int_eq(net_connect_unix(path, &fd, &err), -1);
	ck_assert_int_eq(fd, -1);
	ck_assert_int_eq(err.cls, ERR_NET);
	ck_assert(err.temp);
	ck_assert_ptr_nonnull(strstr(err.text, "cannot connect to socket "));
	memset(lng, 'a', sizeof(lng) - 1);
	lng[sizeof(lng) - 1] = '\0';
	ck_assert_int_eq(net_connect_unix(lng, &fd, &err), -1);
	ck_assert_int_eq(err.cls, ERR_CONFIG);
	ck_assert(!err.temp);
	ck_assert_ptr_nonnull(strstr(err.text, "too long"));
	rmdir(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("net");
	TCase *tc = tcase_create("connect");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_second_address_after_refusal);
	tcase_add_test(tc, test_source);
	tcase_add_test(tc, test_all_refused);
	tcase_add_test(tc, test_unresolvable_is_temporary);
	tcase_add_test(tc, test_family_v4);
	tcase_add_test(tc, test_unix);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
