/*
 * mtls.h - the server side of TLS for smtpmock, on top of GnuTLS.
 *
 * A struct mtls_ctx holds what every connection shares (certificate and
 * key, the CA for client certificates, the priority string); a struct mtls
 * is one TLS session on a connected, non-blocking socket.  All waiting is
 * bounded by the time limits given.  Channel binding data (RFC 5929
 * tls-unique, RFC 9266 tls-exporter) is exposed for SCRAM-*-PLUS.
 */
#ifndef SMTPMOCK_MTLS_H
#define SMTPMOCK_MTLS_H

#include <stddef.h>
#include <sys/types.h>

#include "mbuf.h"
#include "merr.h"

/* Limits. */
#define MTLS_HANDSHAKE_MS 10000L	/* a stalled handshake gives up */
#define MTLS_BYE_MS 1000L		/* close_notify is best effort */

struct mtls_ctx;
struct mtls;

/*
 * mtls_ctx_new - load cert (a PEM chain, leaf first) and key; with ca not
 * NULL, ask for a client certificate and verify it against ca; prio is a
 * GnuTLS priority string (NULL: "NORMAL").  *out is owned by the caller
 * (mtls_ctx_free).  -1 with e set ("tls-cert FILE: ...") on failure.
 */
int mtls_ctx_new(struct mtls_ctx **out, const char *cert, const char *key,
    const char *ca, const char *prio, struct merr *e);

/*
 * mtls_ctx_ticket_with_reply - TLS 1.3 session tickets on, each sent not
 * at the end of the handshake but in the same write as the first reply
 * inside TLS (tls-ticket-with-reply).  -1 with e set on failure.
 */
int mtls_ctx_ticket_with_reply(struct mtls_ctx *c, struct merr *e);

/* mtls_ctx_free - release a context (NULL is fine). */
void mtls_ctx_free(struct mtls_ctx *c);

/*
 * mtls_accept - run the server handshake on fd (non-blocking, not owned).
 * pre[0..npre) are bytes already read from the socket that belong to the
 * TLS stream; they are consumed first.  *out is owned by the caller
 * (mtls_free).  -1 with e set when the handshake fails or takes longer
 * than timeout_ms; alert (size n) then names the fatal alert the client
 * sent ("certificate_expired"), or is "" when it sent none.
 */
int mtls_accept(struct mtls_ctx *c, int fd, const void *pre, size_t npre,
    long timeout_ms, struct mtls **out, char *alert, size_t n,
    struct merr *e);

/*
 * mtls_read - decrypted bytes into buf: > 0 bytes read, 0 at the end of
 * the stream (close_notify, or the peer closed the socket), -1 on a TLS
 * error (also treat as the end), -2 when nothing can be read now.
 */
ssize_t mtls_read(struct mtls *t, void *buf, size_t n);

/* mtls_pending - decrypted bytes buffered inside the session. */
size_t mtls_pending(struct mtls *t);

/*
 * mtls_write_all - send n bytes inside TLS, giving up when no progress is
 * possible for timeout_ms.  0 when all was sent, -1 otherwise.
 */
int mtls_write_all(struct mtls *t, const void *p, size_t n, long timeout_ms);

/*
 * mtls_hello_request - send a HelloRequest (RFC 5246 7.4.1.1: the server
 * asks for a renegotiation; TLS 1.2 and older only), then wait up to
 * timeout_ms for the client's answer, reading and discarding application
 * data meanwhile.  what (size n) gets a description of what the client
 * did: a no_renegotiation alert, another alert, a new handshake (a
 * ClientHello), a close, or nothing.  The session is unusable afterwards:
 * close it.  -1 when the HelloRequest could not be sent (what says why).
 */
int mtls_hello_request(struct mtls *t, long timeout_ms, char *what,
    size_t n);

/* mtls_bye - send close_notify (best effort, at most MTLS_BYE_MS). */
void mtls_bye(struct mtls *t);

/* mtls_free - release a session (NULL is fine); the fd stays open. */
void mtls_free(struct mtls *t);

/* mtls_is_tls13 - 1 when the session negotiated TLS 1.3. */
int mtls_is_tls13(struct mtls *t);

/* mtls_server_name - the host name the client sent as SNI into out (size
 * n, NUL-terminated); -1 (out "") when it sent none or it does not fit. */
int mtls_server_name(struct mtls *t, char *out, size_t n);

/* mtls_version - the protocol name, e.g. "TLS1.3" (for logs). */
const char *mtls_version(struct mtls *t);

/* mtls_client_verified - 1 when the client sent a certificate that was
 * verified against the ca of mtls_ctx_new. */
int mtls_client_verified(const struct mtls *t);

/*
 * mtls_channel_binding - append the raw channel binding data to out:
 * tls-exporter when exporter is non-zero, else tls-unique.  -1 with e set
 * when GnuTLS cannot give it (e.g. tls-unique under TLS 1.3).
 */
int mtls_channel_binding(struct mtls *t, int exporter, struct mbuf *out,
    struct merr *e);

#endif
