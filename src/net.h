/*
 * net.h - resolving a host and connecting to it with a timeout.
 */
#ifndef SMTPSEND_NET_H
#define SMTPSEND_NET_H

#include <stddef.h>
#include "err.h"

struct addrinfo;
struct transcript;

/*
 * net_connect - resolve host (name, IPv4 or IPv6 literal) and try each of its
 * addresses in turn, in the resolver's order (IPv6 and IPv4 alike; only
 * those of family when it is AF_INET or AF_INET6, not AF_UNSPEC), each
 * with timeout_ms milliseconds to connect.  On success *fd is a connected,
 * non-blocking TCP socket with TCP_NODELAY set, and peer (size n) names the
 * address used ("192.0.2.1" or "2001:db8::1").  With source (an IP
 * address, or NULL) the socket is bound to it first, and only addresses
 * of its family are tried.  Returns 0, or -1 with err: ERR_NET, temporary
 * (unresolvable names included: DNS trouble passes; a source address
 * that cannot be bound too).
 */
int net_connect(const char *host, int port, int family, int timeout_ms,
		const char *source, int *fd, char *peer, size_t n,
		struct transcript *tr, struct err *err);

/*
 * net_connect_unix - connect to the Unix-domain stream socket path.  On
 * success *fd is a connected, non-blocking socket.  Returns 0, or -1 with
 * err: ERR_CONFIG (permanent) when path does not fit a socket address,
 * ERR_NET (temporary) when the connection fails (no such file, nobody
 * listening, permission denied).
 */
int net_connect_unix(const char *path, int *fd, struct err *err);

/*
 * net_connect_list - the loop of net_connect over a resolved list: each
 * address in turn until one connects.  host and port name the target in
 * messages.  Each address that fails is noted in the trace tr (may be
 * NULL) with why.  Same results as net_connect.
 */
int net_connect_list(const struct addrinfo *list, const char *host, int port,
		     int timeout_ms, const char *source, int *fd, char *peer,
		     size_t n, struct transcript *tr, struct err *err);

/*
 * net_helo_name - the name to greet with on the connected socket fd: this
 * host's fully qualified name, or - when it has none (no dot) - the address
 * literal of the local end, "[192.0.2.1]" or "[IPv6:2001:db8::1]"
 * (RFC 5321 4.1.4).  Written to dst (size n).
 */
void net_helo_name(int fd, char *dst, size_t n);

/* net_local_address - the numeric address of fd's local end into dst (size
 * n); 0, or -1 when it has none. */
int net_local_address(int fd, char *dst, size_t n);

#endif
