/*
 * tls_in.c - the receiving side of a TLS session's transport (see
 * tls_in.h).
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "load_gnutls.h"
#include "tls_in.h"
#include "xalloc.h"

/* What one recv may bring: some 300 small reply records. */
#define TLS_IN_MAX (16 * 1024)

/* pull - GnuTLS wants up to n bytes: from the buffer, or else from one
 * recv of the socket (non-blocking: EAGAIN when nothing came). */
static ssize_t
pull(gnutls_transport_ptr_t ptr, void *p, size_t n)
{
	struct tls_in *in = ptr;
	size_t k;
	ssize_t r;

	if (in->pos == in->len) {
		do
			r = recv(in->fd, in->buf, TLS_IN_MAX, 0);
		while (r < 0 && errno == EINTR);
		if (r <= 0) {
			gnutls_transport_set_errno(in->s, r < 0 ? errno : 0);
			return r;
		}
		in->pos = 0;
		in->len = (size_t)r;
	}
	k = in->len - in->pos < n ? in->len - in->pos : n;
	memcpy(p, in->buf + in->pos, k);
	in->pos += k;
	in->taken += k;
	return (ssize_t)k;
}

/* pull_timeout - whether something can be read within ms (GnuTLS asks
 * only when a timeout is set; the buffer counts). */
static int
pull_timeout(gnutls_transport_ptr_t ptr, unsigned int ms)
{
	struct tls_in *in = ptr;
	struct pollfd pfd = { in->fd, POLLIN, 0 };
	int rc;

	if (in->pos < in->len)
		return 1;
	do
		rc = poll(&pfd, 1, ms == GNUTLS_INDEFINITE_TIMEOUT ? -1
				   : ms > INT32_MAX ? INT32_MAX : (int)ms);
	while (rc < 0 && errno == EINTR);
	if (rc < 0)
		gnutls_transport_set_errno(in->s, errno);
	return rc;
}

void
tls_in_attach(struct tls_in *in, gnutls_session_t s, int fd)
{
	memset(in, 0, sizeof(*in));
	in->s = s;
	in->fd = fd;
	in->buf = xmalloc(TLS_IN_MAX);
	gnutls_transport_set_ptr2(s, in, (gnutls_transport_ptr_t)(intptr_t)fd);
	gnutls_transport_set_pull_function(s, pull);
	gnutls_transport_set_pull_timeout_function(s, pull_timeout);
}

void
tls_in_free(struct tls_in *in)
{
	free(in->buf);
	in->buf = NULL;
	in->len = in->pos = 0;
}

/*
 * record_recv - gnutls_record_recv, again while it says "again" but took
 * bytes from the buffer and left some there: GnuTLS says "again" after a
 * post-handshake message (a TLS 1.3 session ticket) even when the reply
 * that followed it was read in the same recv, and nobody must then wait
 * on the socket for it.  Bounded: each round takes bytes from the buffer.
 */
static ssize_t
record_recv(struct tls_in *in, void *p, size_t n)
{
	unsigned long long before;
	ssize_t r;

	do {
		before = in->taken;
		do
			r = gnutls_record_recv(in->s, p, n);
		while (r == GNUTLS_E_INTERRUPTED);
	} while (r == GNUTLS_E_AGAIN && tls_in_again(in, before));
	return r;
}

bool
tls_in_again(const struct tls_in *in, unsigned long long before)
{
	return in->pos < in->len && in->taken != before;
}

ssize_t
tls_in_recv(struct tls_in *in, void *p, size_t n)
{
	if (in->ahead) {
		in->ahead = false;
		if (in->ahead_r == 1)
			*(unsigned char *)p = in->ahead_byte;
		return in->ahead_r;
	}
	return record_recv(in, p, n);
}

size_t
tls_in_pending(struct tls_in *in)
{
	size_t n = gnutls_record_check_pending(in->s);
	ssize_t r;

	if (in->ahead)
		return 1 + (in->ahead_r == 1 ? n : 0);
	if (n > 0 || in->pos == in->len)
		return n;
	/* bytes read, not decrypted: a reply, or a message of TLS itself
	 * (then GnuTLS takes it and says "again") */
	r = record_recv(in, &in->ahead_byte, 1);
	if (r == GNUTLS_E_AGAIN)
		return 0;
	in->ahead = true;
	in->ahead_r = r;
	return tls_in_pending(in);
}
