/*
 * socks.h - connecting through a SOCKS5 proxy (RFC 1928).
 *
 * Only what a mail client needs: the "no authentication" method and the
 * CONNECT command.  A host name goes to the proxy as a name (ATYP 3), so
 * that the proxy resolves it (as Tor needs); an IPv4 or IPv6 literal goes
 * as an address (ATYP 1 or 4).  The encoding of the requests and the
 * checks of the replies are pure functions, for the unit tests; the
 * exchange itself (socks_handshake) reads exactly the bytes of each reply,
 * never more, so that the server's greeting that follows stays in the
 * socket for the SMTP session.  Every failure is ERR_NET and temporary,
 * like a connection that cannot be made.
 */
#ifndef SMTPSEND_SOCKS_H
#define SMTPSEND_SOCKS_H

#include <stddef.h>
#include "err.h"

/* The longest CONNECT request: VER CMD RSV ATYP, a name of up to 255
 * bytes with its length byte, the port (RFC 1928 4). */
#define SOCKS_REQUEST_MAX (4 + 1 + 255 + 2)

/* The method-selection request: VER 5, one method, 0 (no
 * authentication).  Its length. */
#define SOCKS_HELLO_LEN 3
extern const unsigned char socks_hello[SOCKS_HELLO_LEN];

/*
 * socks_request - the CONNECT request for host (a name, given in A-labels,
 * or an IPv4 or IPv6 literal) and port into out (size n): its length, or
 * 0 with err (a name longer than 255 bytes, or out too small).
 */
size_t socks_request(const char *host, int port, unsigned char *out,
		     size_t n, struct err *err);

/* socks_method - check the proxy's method selection (2 bytes): 0, or -1
 * with err (another version, a method not offered, 0xFF: none
 * acceptable). */
int socks_method(const unsigned char reply[2], struct err *err);

/*
 * socks_reply - check the first 5 bytes of the proxy's reply to CONNECT
 * (VER REP RSV ATYP and the first byte of BND.ADDR): 0 with *rest the
 * count of bytes of the reply still to come (the rest of BND.ADDR and
 * BND.PORT), or -1 with err (another version, a failure reply - named, with
 * its code -, a reserved byte that is not 0, an unknown address type).
 */
int socks_reply(const unsigned char head[5], size_t *rest, struct err *err);

/* socks_reply_text - what reply code rep means (RFC 1928 6), static. */
const char *socks_reply_text(unsigned rep);

/*
 * socks_handshake - over fd (connected to the proxy, non-blocking): ask
 * the proxy to connect to host port, and check its replies, all before the
 * deadline (a util_now_ms() time; 0: none).  Returns 0 when the proxy has
 * connected, or -1 with err (ERR_NET, temporary; the text lacks the name
 * of the proxy, which the caller puts in front).
 */
int socks_handshake(int fd, const char *host, int port, long long deadline,
		    struct err *err);

#endif
