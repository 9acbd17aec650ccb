/*
 * tls_in.h - the receiving side of a TLS session's transport: GnuTLS reads
 * the socket through a buffer of ours instead of with a recv call for
 * every record header and another for its body.
 *
 * A server that answers a thousand pipelined commands with a thousand
 * small records is then read in a few system calls, not two thousand.
 * What the buffer holds is not yet decrypted, so it cannot say by itself
 * whether a reply is waiting: a TLS 1.3 record that looks like application
 * data may be a post-handshake message (a session ticket) that brings no
 * reply at all.  tls_in_pending answers by decrypting one byte ahead when
 * the buffer holds anything, so that "pending" is only ever said of
 * application data, and nothing waits on the socket for bytes already
 * read.
 */
#ifndef SMTPSEND_TLS_IN_H
#define SMTPSEND_TLS_IN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <gnutls/gnutls.h>

struct tls_in {
	gnutls_session_t s;
	int fd;
	unsigned char *buf;     /* TLS_IN_MAX bytes, read from fd */
	size_t len, pos;        /* what buf holds; what GnuTLS took */
	unsigned long long taken;       /* bytes handed to GnuTLS, ever */
	bool ahead;             /* a result of tls_in_pending is kept: */
	ssize_t ahead_r;        /* 1 (the byte), 0 (closed) or an error */
	unsigned char ahead_byte;
};

/* tls_in_attach - s reads fd through in (which must stay where it is);
 * s writes fd directly. */
void tls_in_attach(struct tls_in *in, gnutls_session_t s, int fd);

/* tls_in_free - the buffer. */
void tls_in_free(struct tls_in *in);

/* tls_in_recv - gnutls_record_recv into p (n >= 1): the byte read ahead
 * (or the result kept) first. */
ssize_t tls_in_recv(struct tls_in *in, void *p, size_t n);

/* tls_in_again - after GnuTLS said "again": whether to call it again at
 * once rather than poll the socket, because it took bytes from the buffer
 * since in->taken was before and some are left (it says "again" after a
 * post-handshake message even when what followed is already read).
 * Bounded: each round must take bytes. */
bool tls_in_again(const struct tls_in *in, unsigned long long before);

/* tls_in_pending - decrypted bytes a read returns at once (a kept
 * failure or end counts as one: reading it does not block either). */
size_t tls_in_pending(struct tls_in *in);

#endif
