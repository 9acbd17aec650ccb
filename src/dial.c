/*
 * dial.c - reaching an account's server (see dial.h): RFC 1928 through a
 * proxy; RFC 5321 4.5.4.1 (every address tried) in net.c.
 */
#include <config.h>

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dial.h"
#include "gettext.h"
#include "idn.h"
#include "net.h"
#include "socks.h"
#include "util.h"
#include "xalloc.h"

/* family - the address family -4/-6 allow (AF_UNSPEC: any). */
static int
family(const struct account *a)
{
	return a->ip_family == IPF_V4 ? AF_INET
	       : a->ip_family == IPF_V6 ? AF_INET6 : AF_UNSPEC;
}

/* trace_connected - "connected to PEER port P [from LOCAL]" */
static void
trace_connected(struct transcript *tr, int fd, const char *what,
		const char *peer, int port)
{
	char local[NI_MAXHOST];

	if (net_local_address(fd, local, sizeof(local)) == 0)
		transcript_note(tr, "connected to %s%s port %d from %s", what,
				peer, port, local);
	else
		transcript_note(tr, "connected to %s%s port %d", what, peer,
				port);
}

/* via_proxy - through the SOCKS5 proxy: connect to it, then have it
 * connect to host port (the name sent in A-labels, for the proxy to
 * resolve). */
static int
via_proxy(const struct account *a, int port, int timeout_ms,
	  struct transcript *tr, int *fd, struct err *err)
{
	int pport = account_proxy_port(a);
	long long deadline = timeout_ms > 0 ? util_now_ms() + timeout_ms : 0;
	char peer[NI_MAXHOST], name[300], *ace;
	int rc;

	if (idn_host_alabels(a->host, &ace, err) < 0)
		return -1;
	transcript_note(tr, "connecting to %s port %d through the SOCKS5 "
			"proxy %s port %d", a->host, port, a->proxy_host,
			pport);
	snprintf(name, sizeof(name), strchr(a->proxy_host, ':') ? "[%s]:%d"
			: "%s:%d", a->proxy_host, pport);
	if (net_connect(a->proxy_host, pport, family(a), timeout_ms,
			a->source_ip, fd, peer, sizeof(peer), tr, err) < 0) {
		free(ace);
		err_prefix(err, _("SOCKS5 proxy"));
		return -1;
	}
	trace_connected(tr, *fd, "the proxy ", peer, pport);
	rc = socks_handshake(*fd, ace, port, deadline, err);
	free(ace);
	if (rc < 0) {
		char what[320];

		snprintf(what, sizeof(what), _("SOCKS5 proxy %s"), name);
		err_prefix(err, what);
		close(*fd);
		*fd = -1;
		return -1;
	}
	transcript_note(tr, "the proxy connected to %s port %d", a->host,
			port);
	return 0;
}

int
dial(const struct account *a, int port, int timeout_ms,
     struct transcript *tr, int *fd, struct err *err)
{
	char peer[NI_MAXHOST];

	*fd = -1;
	if (a->socket != NULL) {
		transcript_note(tr, "connecting to socket %s (as %s)",
				a->socket, a->host);
		if (net_connect_unix(a->socket, fd, err) < 0)
			return -1;
		transcript_note(tr, "connected to socket %s", a->socket);
		return 0;
	}
	if (a->proxy_host != NULL)
		return via_proxy(a, port, timeout_ms, tr, fd, err);
	transcript_note(tr, "connecting to %s port %d", a->host, port);
	if (net_connect(a->host, port, family(a), timeout_ms, a->source_ip,
			fd, peer, sizeof(peer), tr, err) < 0)
		return -1;
	trace_connected(tr, *fd, "", peer, port);
	return 0;
}
