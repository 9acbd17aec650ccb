/*
 * mtls.c - server-side TLS for smtpmock (see mtls.h): RFC 8446 / RFC 5246
 * through GnuTLS, used for SMTP STARTTLS (RFC 3207) and implicit TLS
 * (RFC 8314); channel bindings of RFC 5929 (tls-unique) and RFC 9266
 * (tls-exporter).
 */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "mio.h"
#include "mtls.h"

struct mtls_ctx {
	gnutls_certificate_credentials_t cred;
	gnutls_priority_t prio;
	int want_client_cert;
	gnutls_datum_t ticket_key;	/* tls-ticket-with-reply, else empty */
};

struct mtls {
	gnutls_session_t s;
	int fd;
	struct mbuf pre;	/* bytes read before the handshake */
	size_t pre_off;
	int verified;
	int ticket_due;		/* a ticket goes with the next reply */
	int hold;		/* push keeps what GnuTLS writes in held */
	struct mbuf held;
};

/* Room for a session ticket and a reply held back for one write. */
#define MTLS_HELD_MAX (256 * 1024)

int
mtls_ctx_new(struct mtls_ctx **out, const char *cert, const char *key,
    const char *ca, const char *prio, struct merr *e)
{
	struct mtls_ctx *c;
	const char *errpos = NULL;
	int r, rc = -1;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		merr_oom();
	if ((r = gnutls_certificate_allocate_credentials(&c->cred)) < 0) {
		merr_set(e, "TLS credentials: %s", gnutls_strerror(r));
		c->cred = NULL;
		goto out;
	}
	r = gnutls_certificate_set_x509_key_file(c->cred, cert, key,
	    GNUTLS_X509_FMT_PEM);
	if (r < 0) {
		merr_set(e, "tls-cert %s %s: %s", cert, key,
		    gnutls_strerror(r));
		goto out;
	}
	/* the 2048-bit group of RFC 7919, for DHE-RSA when a scenario's
	 * tls-priorities ask for it */
	r = gnutls_certificate_set_known_dh_params(c->cred,
	    GNUTLS_SEC_PARAM_MEDIUM);
	if (r < 0) {
		merr_set(e, "TLS DH parameters: %s", gnutls_strerror(r));
		goto out;
	}
	if (ca != NULL) {
		r = gnutls_certificate_set_x509_trust_file(c->cred, ca,
		    GNUTLS_X509_FMT_PEM);
		if (r <= 0) {
			merr_set(e, "tls-client-ca %s: %s", ca, r == 0 ?
			    "no certificate in the file" :
			    gnutls_strerror(r));
			goto out;
		}
		c->want_client_cert = 1;
	}
	r = gnutls_priority_init(&c->prio, prio != NULL ? prio : "NORMAL",
	    &errpos);
	if (r < 0) {
		c->prio = NULL;
		merr_set(e, "tls-priorities \"%s\": %s (at \"%.40s\")",
		    prio != NULL ? prio : "NORMAL", gnutls_strerror(r),
		    errpos != NULL ? errpos : "");
		goto out;
	}
	*out = c;
	c = NULL;
	rc = 0;
out:
	mtls_ctx_free(c);
	return rc;
}

int
mtls_ctx_ticket_with_reply(struct mtls_ctx *c, struct merr *e)
{
	int r = gnutls_session_ticket_key_generate(&c->ticket_key);

	if (r < 0) {
		c->ticket_key.data = NULL;
		merr_set(e, "TLS session ticket key: %s", gnutls_strerror(r));
		return -1;
	}
	return 0;
}

void
mtls_ctx_free(struct mtls_ctx *c)
{
	if (c == NULL)
		return;
	if (c->ticket_key.data != NULL)
		gnutls_free(c->ticket_key.data);
	if (c->prio != NULL)
		gnutls_priority_deinit(c->prio);
	if (c->cred != NULL)
		gnutls_certificate_free_credentials(c->cred);
	free(c);
}

/* pull - GnuTLS transport: first the bytes read before, then the socket. */
static ssize_t
pull(gnutls_transport_ptr_t ptr, void *buf, size_t n)
{
	struct mtls *t = ptr;
	ssize_t r;

	if (t->pre_off < t->pre.len) {
		size_t k = t->pre.len - t->pre_off;

		if (k > n)
			k = n;
		memcpy(buf, t->pre.p + t->pre_off, k);
		t->pre_off += k;
		return (ssize_t)k;
	}
	r = recv(t->fd, buf, n, 0);
	if (r == -1)
		gnutls_transport_set_errno(t->s, errno);
	return r;
}

static ssize_t
push(gnutls_transport_ptr_t ptr, const void *buf, size_t n)
{
	struct mtls *t = ptr;
	ssize_t r;

	if (t->hold) {
		if (mbuf_add(&t->held, buf, n) == -1) {
			gnutls_transport_set_errno(t->s, ENOBUFS);
			return -1;
		}
		return (ssize_t)n;
	}
	r = send(t->fd, buf, n, MSG_NOSIGNAL);
	if (r == -1)
		gnutls_transport_set_errno(t->s, errno);
	return r;
}

/* wait_io - poll fd in the direction GnuTLS needs; -1 past deadline. */
static int
wait_io(struct mtls *t, long long deadline)
{
	struct pollfd pfd;
	long left = (long)(deadline - mio_now_ms());

	if (left <= 0)
		return -1;
	pfd.fd = t->fd;
	pfd.events = gnutls_record_get_direction(t->s) ? POLLOUT : POLLIN;
	if (poll(&pfd, 1, left > 1000 ? 1000 : (int)left) == -1 &&
	    errno != EINTR)
		return -1;
	return 0;
}

/* alert_name - RFC 8446's name of alert a ("unknown_ca") into out. */
static void
alert_name(gnutls_alert_description_t a, char *out, size_t n)
{
	const char *s = gnutls_alert_get_strname(a);
	size_t i;

	if (s == NULL)
		s = "unknown";
	if (strncmp(s, "GNUTLS_A_", 9) == 0)
		s += 9;
	for (i = 0; s[i] != '\0' && i + 1 < n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	if (n > 0)
		out[i] = '\0';
}

int
mtls_accept(struct mtls_ctx *c, int fd, const void *pre, size_t npre,
    long timeout_ms, struct mtls **out, char *alert, size_t n,
    struct merr *e)
{
	struct mtls *t;
	long long deadline = mio_now_ms() + timeout_ms;
	unsigned int st = 0, npeer = 0;
	int r, rounds, rc = -1;

	*out = NULL;
	if (n > 0)
		*alert = '\0';
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		merr_oom();
	t->fd = fd;
	mbuf_init(&t->held, MTLS_HELD_MAX);
	mbuf_init(&t->pre, npre + 1);
	if (mbuf_add(&t->pre, pre, npre) == -1)
		merr_oom();	/* cannot happen: max is npre + 1 */
	if ((r = gnutls_init(&t->s, GNUTLS_SERVER |
	    (c->ticket_key.data != NULL ? GNUTLS_NO_AUTO_SEND_TICKET : 0))) < 0) {
		t->s = NULL;
		merr_set(e, "gnutls_init: %s", gnutls_strerror(r));
		goto out;
	}
	if ((r = gnutls_priority_set(t->s, c->prio)) < 0 ||
	    (r = gnutls_credentials_set(t->s, GNUTLS_CRD_CERTIFICATE,
	    c->cred)) < 0) {
		merr_set(e, "TLS setup: %s", gnutls_strerror(r));
		goto out;
	}
	if (c->want_client_cert)
		gnutls_certificate_server_set_request(t->s,
		    GNUTLS_CERT_REQUEST);
	if (c->ticket_key.data != NULL) {
		r = gnutls_session_ticket_enable_server(t->s, &c->ticket_key);
		if (r < 0) {
			merr_set(e, "TLS session tickets: %s",
			    gnutls_strerror(r));
			goto out;
		}
		t->ticket_due = 1;
	}
	gnutls_transport_set_ptr(t->s, t);
	gnutls_transport_set_pull_function(t->s, pull);
	gnutls_transport_set_push_function(t->s, push);
	/* Bounded by the deadline and the number of rounds. */
	for (rounds = 0; ; rounds++) {
		r = gnutls_handshake(t->s);
		if (r == 0)
			break;
		if (rounds > 100000 || gnutls_error_is_fatal(r)) {
			if (r == GNUTLS_E_FATAL_ALERT_RECEIVED)
				alert_name(gnutls_alert_get(t->s), alert, n);
			merr_set(e, "TLS handshake failed: %s%s%s",
			    gnutls_strerror(r), *alert ? " " : "", alert);
			goto out;
		}
		if ((r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED) &&
		    wait_io(t, deadline) == -1) {
			merr_set(e, "TLS handshake timed out after %ld ms",
			    timeout_ms);
			goto out;
		}
	}
	if (c->want_client_cert &&
	    gnutls_certificate_get_peers(t->s, &npeer) != NULL && npeer > 0 &&
	    gnutls_certificate_verify_peers2(t->s, &st) == 0 && st == 0)
		t->verified = 1;
	*out = t;
	t = NULL;
	rc = 0;
out:
	mtls_free(t);
	return rc;
}

ssize_t
mtls_read(struct mtls *t, void *buf, size_t n)
{
	ssize_t r = gnutls_record_recv(t->s, buf, n);

	if (r >= 0)
		return r;
	if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED ||
	    r == GNUTLS_E_REHANDSHAKE || !gnutls_error_is_fatal((int)r))
		return -2;
	if (r == GNUTLS_E_PREMATURE_TERMINATION)
		return 0;
	return -1;
}

size_t
mtls_pending(struct mtls *t)
{
	return gnutls_record_check_pending(t->s);
}

/* records - p through GnuTLS, cut into records, all of it. */
static int
records(struct mtls *t, const void *p, size_t n, long timeout_ms)
{
	const char *c = p;
	long long deadline = mio_now_ms() + timeout_ms;
	ssize_t w;

	while (n > 0) {
		w = gnutls_record_send(t->s, c, n);
		if (w > 0) {
			c += w;
			n -= (size_t)w;
			deadline = mio_now_ms() + timeout_ms;
			continue;
		}
		if (w != GNUTLS_E_AGAIN && w != GNUTLS_E_INTERRUPTED)
			return -1;
		if (wait_io(t, deadline) == -1)
			return -1;
	}
	return 0;
}

/* with_ticket - tls-ticket-with-reply: a TLS 1.3 session ticket, then
 * the reply p, held by push and written together. */
static int
with_ticket(struct mtls *t, const void *p, size_t n, long timeout_ms)
{
	int rc;

	t->ticket_due = 0;
	t->hold = 1;
	rc = gnutls_session_ticket_send(t->s, 1, 0) < 0 ? -1 :
	    records(t, p, n, timeout_ms);
	t->hold = 0;
	if (rc == 0)
		rc = mio_write_all(t->fd, t->held.p, t->held.len, timeout_ms);
	mbuf_clear(&t->held);
	return rc;
}

int
mtls_write_all(struct mtls *t, const void *p, size_t n, long timeout_ms)
{
	if (t->ticket_due && mtls_is_tls13(t))
		return with_ticket(t, p, n, timeout_ms);
	return records(t, p, n, timeout_ms);
}

int
mtls_hello_request(struct mtls *t, long timeout_ms, char *what, size_t n)
{
	char buf[4096], data[80] = "";
	long long deadline = mio_now_ms() + timeout_ms;
	unsigned long long got = 0;
	gnutls_alert_description_t al;
	const char *name;
	ssize_t r;
	int rounds;

	/* Bounded by the deadline and the number of rounds. */
	for (rounds = 0; ; rounds++) {
		r = gnutls_rehandshake(t->s);
		if (r == 0)
			break;
		if ((r != GNUTLS_E_AGAIN && r != GNUTLS_E_INTERRUPTED) ||
		    rounds > 1000 || wait_io(t, deadline) == -1) {
			snprintf(what, n, "cannot send the HelloRequest: %s",
			    gnutls_strerror((int)r));
			return -1;
		}
	}
	for (rounds = 0; rounds < 100000; rounds++) {
		r = gnutls_record_recv(t->s, buf, sizeof(buf));
		if (r > 0) {
			got += (unsigned long long)r;
			snprintf(data, sizeof(data), " (after %llu bytes of "
			    "application data, not recorded)", got);
			if (mio_now_ms() >= deadline)
				break;
			continue;
		}
		if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED) {
			if (wait_io(t, deadline) == 0)
				continue;
			snprintf(what, n, "the client did not answer within "
			    "%ld ms%s", timeout_ms, data);
			return 0;
		}
		break;
	}
	if (r > 0) {
		snprintf(what, n, "the client only sent application data%s",
		    data);
		return 0;
	}
	switch (r) {
	case 0:
		snprintf(what, n, "the client closed TLS (close_notify)%s",
		    data);
		break;
	case GNUTLS_E_REHANDSHAKE:
		snprintf(what, n, "the client started a new handshake "
		    "(ClientHello)%s", data);
		break;
	case GNUTLS_E_WARNING_ALERT_RECEIVED:
	case GNUTLS_E_FATAL_ALERT_RECEIVED:
		al = gnutls_alert_get(t->s);
		name = gnutls_alert_get_name(al);
		if (al == GNUTLS_A_NO_RENEGOTIATION)
			name = "no_renegotiation";
		snprintf(what, n, "the client answered with a %s %s alert%s",
		    r == GNUTLS_E_WARNING_ALERT_RECEIVED ? "warning" :
		    "fatal", name != NULL ? name : "unknown", data);
		break;
	case GNUTLS_E_PREMATURE_TERMINATION:
		snprintf(what, n, "the client closed the connection%s", data);
		break;
	default:
		snprintf(what, n, "TLS error: %s%s", gnutls_strerror((int)r),
		    data);
		break;
	}
	return 0;
}

void
mtls_bye(struct mtls *t)
{
	long long deadline = mio_now_ms() + MTLS_BYE_MS;
	int r, rounds;

	for (rounds = 0; rounds < 1000; rounds++) {
		r = gnutls_bye(t->s, GNUTLS_SHUT_WR);
		if (r != GNUTLS_E_AGAIN && r != GNUTLS_E_INTERRUPTED)
			return;
		if (wait_io(t, deadline) == -1)
			return;
	}
}

void
mtls_free(struct mtls *t)
{
	if (t == NULL)
		return;
	if (t->s != NULL)
		gnutls_deinit(t->s);
	mbuf_clear(&t->pre);
	mbuf_clear(&t->held);
	free(t);
}

int
mtls_is_tls13(struct mtls *t)
{
	return gnutls_protocol_get_version(t->s) == GNUTLS_TLS1_3;
}

const char *
mtls_version(struct mtls *t)
{
	const char *v = gnutls_protocol_get_name(
	    gnutls_protocol_get_version(t->s));

	return v != NULL ? v : "?";
}

int
mtls_server_name(struct mtls *t, char *out, size_t n)
{
	size_t len = n;
	unsigned int type;

	if (n == 0 || gnutls_server_name_get(t->s, out, &len, &type, 0) != 0
	    || type != GNUTLS_NAME_DNS) {
		if (n > 0)
			out[0] = '\0';
		return -1;
	}
	return 0;
}

int
mtls_client_verified(const struct mtls *t)
{
	return t->verified;
}

int
mtls_channel_binding(struct mtls *t, int exporter, struct mbuf *out,
    struct merr *e)
{
	gnutls_datum_t cb = { NULL, 0 };
	int r, rc = -1;

	r = gnutls_session_channel_binding(t->s, exporter ?
	    GNUTLS_CB_TLS_EXPORTER : GNUTLS_CB_TLS_UNIQUE, &cb);
	if (r < 0)
		return merr_set(e, "channel binding %s: %s", exporter ?
		    "tls-exporter" : "tls-unique", gnutls_strerror(r));
	if (mbuf_add(out, cb.data, cb.size) == -1) {
		merr_set(e, "channel binding too long");
		goto out;
	}
	rc = 0;
out:
	gnutls_free(cb.data);
	return rc;
}
