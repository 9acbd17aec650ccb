/*
 * dial.h - reaching an account's server: over a Unix-domain socket
 * (socket), through a SOCKS5 proxy (proxy_host, proxy_port), or straight
 * to host and port over TCP; -4/-6 (ip_family) restrict the addresses
 * tried to one family, and source_ip binds the TCP connection (to the
 * proxy, when there is one).  What happens is traced with -v.
 */
#ifndef SMTPSEND_DIAL_H
#define SMTPSEND_DIAL_H

#include "account.h"
#include "err.h"
#include "transcript.h"

/*
 * dial - connect to a's server at port (account_port, or a fallback
 * host's), within timeout_ms for each connection and the proxy's
 * handshake; tr may be NULL.  On success *fd is a connected, non-blocking
 * socket (the caller owns it).  Returns 0, or -1 with err as
 * net_connect, net_connect_unix and socks_handshake set it, the proxy's
 * failures naming the proxy ("SOCKS5 proxy HOST:PORT: ...").
 */
int dial(const struct account *a, int port, int timeout_ms,
	 struct transcript *tr, int *fd, struct err *err);

#endif
