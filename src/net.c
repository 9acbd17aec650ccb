/*
 * net.c - connecting (RFC 6724 address order as the resolver returns it;
 * RFC 5321 4.5.4.1 tries every address).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "gettext.h"
#include "idn.h"
#include "net.h"
#include "transcript.h"
#include "util.h"

/* bind_source - bind fd (of family) to the address source; 0, or -1 with
 * errno (EAFNOSUPPORT: source is of the other family). */
static int
bind_source(int fd, int family, const char *source)
{
	struct addrinfo hints, *res = NULL;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
	if (getaddrinfo(source, NULL, &hints, &res) != 0 || res == NULL) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	rc = bind(fd, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return rc;
}

/* try_one - connect to one address (from source, when not NULL); returns
 * fd or -1 with errno set. */
static int
try_one(const struct addrinfo *ai, int timeout_ms, const char *source)
{
	int fd, one = 1, soerr = 0, rc;
	socklen_t len = sizeof(soerr);

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC
				   | SOCK_NONBLOCK, ai->ai_protocol);
	if (fd < 0)
		return -1;
	if (source != NULL && bind_source(fd, ai->ai_family, source) < 0)
		goto fail;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		goto connected;
	if (errno != EINPROGRESS)
		goto fail;
	rc = util_poll(fd, POLLOUT,
		       timeout_ms > 0 ? util_now_ms() + timeout_ms : 0);
	if (rc == 0) {
		errno = ETIMEDOUT;
		goto fail;
	}
	if (rc < 0)
		goto fail;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		goto fail;
	if (soerr != 0) {
		errno = soerr;
		goto fail;
	}
connected:
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
fail:
	rc = errno;
	close(fd);
	errno = rc;
	return -1;
}

int
net_connect_list(const struct addrinfo *list, const char *host, int port,
		 int timeout_ms, const char *source, int *fd, char *peer,
		 size_t n, struct transcript *tr, struct err *err)
{
	const struct addrinfo *ai;
	char addr[NI_MAXHOST] = "", why[ERR_TEXT_MAX] = "";
	size_t wlen = 0, tried = 0;

	*fd = -1;
	for (ai = list; ai != NULL; ai = ai->ai_next) {
		int e;

		getnameinfo(ai->ai_addr, ai->ai_addrlen, addr, sizeof(addr),
			    NULL, 0, NI_NUMERICHOST);
		*fd = try_one(ai, timeout_ms, source);
		if (*fd >= 0) {
			snprintf(peer, n, "%s", addr);
			return 0;
		}
		e = errno;
		transcript_note(tr, "cannot connect to %s: %s", addr,
				e == ETIMEDOUT ? "timed out" : strerror(e));
		/* remember every address and why it failed, for the one
		 * message that says it all */
		if (wlen < sizeof(why)) {
			int w = snprintf(why + wlen, sizeof(why) - wlen,
					 "%s%s: %s", tried ? "; " : "", addr,
					 e == ETIMEDOUT ? _("timed out")
					 : e == EAFNOSUPPORT && source
					 ? _("the address family differs "
					     "from source_ip's")
					 : strerror(e));
			if (w > 0)
				wlen += (size_t)w;
		}
		tried++;
	}
	if (tried == 1)
		err_set(err, ERR_NET, true,
			_("cannot connect to %s port %d (%s)"), host, port,
			why);
	else
		err_set(err, ERR_NET, true,
			_("cannot connect to %s port %d: %s"),
			host, port, tried ? why : _("no address"));
	return -1;
}

/* family_name - what -4/-6 allow, for messages */
static const char *
family_name(int family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}

/* in_invalid - name is in the special-use domain .invalid, which never
 * resolves (RFC 6761 6.4: the library answers no without asking). */
static bool
in_invalid(const char *name)
{
	size_t len = strlen(name);

	if (len > 0 && name[len - 1] == '.')
		len--;
	return (len == 7 || (len > 7 && name[len - 8] == '.'))
	       && strncasecmp(name + len - 7, "invalid", 7) == 0;
}

/* resolve - the addresses of host (in A-labels) for port; getaddrinfo's
 * result code. */
static int
resolve(const char *host, int port, int family, struct addrinfo **res)
{
	struct addrinfo hints;
	char service[16];
	int rc;

	if (in_invalid(host))
		return EAI_NONAME;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG | AI_NUMERICSERV;
	snprintf(service, sizeof(service), "%d", port);
	rc = getaddrinfo(host, service, &hints, res);
	if (rc == EAI_NONAME || rc == EAI_ADDRFAMILY) {
		/* AI_ADDRCONFIG hides ::1 and 127.0.0.1 on hosts with only
		 * loopback configured: ask again without it */
		hints.ai_flags = AI_NUMERICSERV;
		rc = getaddrinfo(host, service, &hints, res);
	}
	return rc;
}

int
net_connect(const char *host, int port, int family, int timeout_ms,
	    const char *source, int *fd, char *peer, size_t n,
	    struct transcript *tr, struct err *err)
{
	struct addrinfo *res = NULL;
	char *ace;
	int rc;

	*fd = -1;
	/* an internationalised name is looked up by its A-labels */
	if (idn_host_alabels(host, &ace, err) < 0)
		return -1;
	rc = resolve(ace, port, family, &res);
	free(ace);
	if (rc != 0 && family != AF_UNSPEC) {
		err_set(err, ERR_NET, true,
			_("cannot resolve host %s to an %s address: %s"), host,
			family_name(family),
			rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		return -1;
	}
	if (rc != 0) {
		err_set(err, ERR_NET, true, _("cannot resolve host %s: %s"),
			host, rc == EAI_SYSTEM ? strerror(errno)
					       : gai_strerror(rc));
		err->config = rc == EAI_NONAME;         /* no such name */
		if (rc == EAI_NONAME)
			err_hint(err, _("no such host: check the spelling of "
					"\"%s\" (host in the account, or "
					"--host)"), host);
		else if (rc == EAI_AGAIN)
			err_hint(err, _("the name server did not answer: "
					"check the network and "
					"/etc/resolv.conf"));
		return -1;
	}
	rc = net_connect_list(res, host, port, timeout_ms, source, fd, peer, n,
			      tr, err);
	freeaddrinfo(res);
	return rc;
}

int
net_connect_unix(const char *path, int *fd, struct err *err)
{
	struct sockaddr_un sun;
	int e;

	*fd = -1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		err_set(err, ERR_CONFIG, false,
			_("socket %s: the path is too long for a Unix-domain "
			  "socket (at most %zu bytes)"), path,
			sizeof(sun.sun_path) - 1);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	*fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (*fd >= 0 && connect(*fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		return 0;
	e = errno;
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
	err_set(err, ERR_NET, true, _("cannot connect to socket %s: %s"), path,
		strerror(e));
	return -1;
}

void
net_helo_name(int fd, char *dst, size_t n)
{
	char host[256] = "";
	struct addrinfo hints, *res = NULL;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char addr[NI_MAXHOST];

	util_hostname(host, sizeof(host));
	if (strcmp(host, "localhost") != 0) {
		memset(&hints, 0, sizeof(hints));
		hints.ai_flags = AI_CANONNAME;
		hints.ai_socktype = SOCK_STREAM;
		if (strchr(host, '.') == NULL
		    && getaddrinfo(host, NULL, &hints, &res) == 0) {
			if (res->ai_canonname != NULL
			    && strlen(res->ai_canonname) < sizeof(host))
				snprintf(host, sizeof(host), "%s",
					 res->ai_canonname);
			freeaddrinfo(res);
		}
		if (strchr(host, '.') != NULL) {
			snprintf(dst, n, "%s", host);
			return;
		}
	}
	if (net_local_address(fd, addr, sizeof(addr)) == 0) {
		len = sizeof(ss);
		(void)getsockname(fd, (struct sockaddr *)&ss, &len);
		snprintf(dst, n,
			 ss.ss_family == AF_INET6 ? "[IPv6:%s]" : "[%s]",
			 addr);
		return;
	}
	snprintf(dst, n, "localhost");
}

int
net_local_address(int fd, char *dst, size_t n)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0
	    || getnameinfo((struct sockaddr *)&ss, len, dst, (socklen_t)n,
			   NULL, 0, NI_NUMERICHOST) != 0)
		return -1;
	return 0;
}
