/*
 * socks.c - a SOCKS5 client (RFC 1928: method selection, CONNECT; the
 * "no authentication required" method only).
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gettext.h"
#include "socks.h"
#include "util.h"

#define SOCKS_VERSION 5
#define SOCKS_NO_AUTH 0x00
#define SOCKS_NO_METHOD 0xFF
#define SOCKS_CONNECT 1
#define ATYP_IPV4 1
#define ATYP_NAME 3
#define ATYP_IPV6 4

const unsigned char socks_hello[SOCKS_HELLO_LEN] = {
	SOCKS_VERSION, 1, SOCKS_NO_AUTH
};

size_t
socks_request(const char *host, int port, unsigned char *out, size_t n,
	      struct err *err)
{
	unsigned char addr[16];
	size_t len = 4, hlen = strlen(host);

	if (n < SOCKS_REQUEST_MAX) {
		err_set(err, ERR_NET, true,
			_("SOCKS5 request buffer too small"));
		return 0;
	}
	out[0] = SOCKS_VERSION;
	out[1] = SOCKS_CONNECT;
	out[2] = 0;
	if (inet_pton(AF_INET, host, addr) == 1) {
		out[3] = ATYP_IPV4;
		memcpy(out + len, addr, 4);
		len += 4;
	} else if (inet_pton(AF_INET6, host, addr) == 1) {
		out[3] = ATYP_IPV6;
		memcpy(out + len, addr, 16);
		len += 16;
	} else if (hlen == 0 || hlen > 255) {
		err_set(err, ERR_NET, true,
			_("the host name is %zu bytes long; SOCKS5 takes 1 to "
			  "255"), hlen);
		return 0;
	} else {
		out[3] = ATYP_NAME;
		out[len++] = (unsigned char)hlen;
		memcpy(out + len, host, hlen);
		len += hlen;
	}
	out[len++] = (unsigned char)((port >> 8) & 0xFF);
	out[len++] = (unsigned char)(port & 0xFF);
	return len;
}

int
socks_method(const unsigned char reply[2], struct err *err)
{
	if (reply[0] != SOCKS_VERSION) {
		err_set(err, ERR_NET, true,
			_("not a SOCKS5 proxy (version %u in its reply)"),
			reply[0]);
		return -1;
	}
	if (reply[1] == SOCKS_NO_METHOD) {
		err_set(err, ERR_NET, true,
			_("the proxy wants authentication, which smtpsend "
			  "does not offer (no acceptable method)"));
		return -1;
	}
	if (reply[1] != SOCKS_NO_AUTH) {
		err_set(err, ERR_NET, true,
			_("the proxy chose method %u, which was not offered"),
			reply[1]);
		return -1;
	}
	return 0;
}

const char *
socks_reply_text(unsigned rep)
{
	static const char *const text[] = {
		N_("succeeded"),
		N_("general SOCKS server failure"),
		N_("connection not allowed by ruleset"),
		N_("network unreachable"),
		N_("host unreachable"),
		N_("connection refused by destination host"),
		N_("TTL expired"),
		N_("command not supported"),
		N_("address type not supported"),
	};

	if (rep < sizeof(text) / sizeof(text[0]))
		return _(text[rep]);
	return _("unknown reply code");
}

int
socks_reply(const unsigned char head[5], size_t *rest, struct err *err)
{
	*rest = 0;
	if (head[0] != SOCKS_VERSION) {
		err_set(err, ERR_NET, true,
			_("not a SOCKS5 reply (version %u)"), head[0]);
		return -1;
	}
	if (head[1] != 0) {
		err_set(err, ERR_NET, true, "%s (reply %u)",
			socks_reply_text(head[1]), head[1]);
		return -1;
	}
	if (head[2] != 0) {
		err_set(err, ERR_NET, true,
			_("malformed SOCKS5 reply (reserved byte %u)"),
			head[2]);
		return -1;
	}
	/* head[4] is the first byte of BND.ADDR: the length of a name */
	if (head[3] == ATYP_IPV4)
		*rest = 4 - 1 + 2;
	else if (head[3] == ATYP_IPV6)
		*rest = 16 - 1 + 2;
	else if (head[3] == ATYP_NAME && head[4] > 0)
		*rest = (size_t)head[4] + 2;
	else {
		err_set(err, ERR_NET, true,
			_("malformed SOCKS5 reply (address type %u)"), head[3]);
		return -1;
	}
	return 0;
}

/* io - write all of p (out) or read exactly n bytes into p, before the
 * deadline; 0, or -1 with err. */
static int
io(int fd, bool out, void *p, size_t n, long long deadline, struct err *err)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = out ? send(fd, (char *)p + done, n - done,
				       MSG_NOSIGNAL)
				: read(fd, (char *)p + done, n - done);
		int rc;

		if (r > 0) {
			done += (size_t)r;
			continue;
		}
		if (r == 0 || errno == EPIPE || errno == ECONNRESET) {
			err_set(err, ERR_NET, true,
				_("the proxy closed the connection during the "
				  "handshake"));
			return -1;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			goto fail;
		rc = util_poll(fd, out ? POLLOUT : POLLIN, deadline);
		if (rc == 0) {
			err_set(err, ERR_NET, true,
				_("timed out during the handshake"));
			return -1;
		}
		if (rc < 0)
			goto fail;
	}
	return 0;
fail:
	err_set(err, ERR_NET, true, _("handshake: %s"),
		strerror(errno));
	return -1;
}

int
socks_handshake(int fd, const char *host, int port, long long deadline,
		struct err *err)
{
	unsigned char req[SOCKS_REQUEST_MAX], rep[5 + 255 + 2];
	unsigned char hello[SOCKS_HELLO_LEN];
	size_t len, rest;

	len = socks_request(host, port, req, sizeof(req), err);
	if (len == 0)
		return -1;
	/* RFC 1928 3: the method selection is answered before the
	 * request may be sent */
	memcpy(hello, socks_hello, sizeof(hello));
	if (io(fd, true, hello, sizeof(hello), deadline, err) < 0
	    || io(fd, false, rep, 2, deadline, err) < 0
	    || socks_method(rep, err) < 0)
		return -1;
	if (io(fd, true, req, len, deadline, err) < 0
	    || io(fd, false, rep, 5, deadline, err) < 0
	    || socks_reply(rep, &rest, err) < 0)
		return -1;
	/* BND.ADDR and BND.PORT: read, so that the server's bytes come
	 * next; their values mean nothing to a client */
	return io(fd, false, rep + 5, rest, deadline, err);
}
