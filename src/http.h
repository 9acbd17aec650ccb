/*
 * http.h - the HTTPS client of the OAuth2 code: one POST of a form, the
 * answer read into a bounded secret buffer.  A thin layer over libcurl
 * (its GnuTLS build), the only file that includes <curl/curl.h>.
 *
 * Only https:// is spoken (no other scheme, no redirect, which could
 * lead elsewhere); the certificate and the host name are always
 * verified, against the system store or a trust file; the whole
 * exchange has a deadline and the answer a size limit.  Nothing is
 * logged: request bodies carry client secrets, codes and refresh tokens,
 * answers carry tokens.
 */
#ifndef SMTPSEND_HTTP_H
#define SMTPSEND_HTTP_H

#include "buf.h"
#include "err.h"

/* The largest answer read: token answers are a few kilobytes. */
#define HTTP_BODY_MAX (64 * 1024)

/* The deadline of one exchange when the account sets no timeout. */
#define HTTP_TIMEOUT 30

struct http_request {
	const char *url;        /* https://... (checked when configured) */
	const char *trust_file; /* CA certificates (PEM), NULL: system */
	int timeout;            /* seconds for the whole exchange; 0:
				   HTTP_TIMEOUT */
	const struct buf *form; /* application/x-www-form-urlencoded body
				   (a secret) */
};

/*
 * http_post - POST rq->form to rq->url; the answer's body goes into body
 * (emptied first; a secret buffer of max HTTP_BODY_MAX), its status into
 * *status.  Returns 0 whatever the status, or -1 with err: ERR_TLS
 * (permanent) when the certificate is refused, ERR_NET (temporary) when
 * the server cannot be reached, does not answer within the deadline, or
 * sends more than HTTP_BODY_MAX bytes.  Error texts name the host, never
 * the body.
 */
int http_post(const struct http_request *rq, struct buf *body, long *status,
	      struct err *err);

/*
 * http_form_add - append "key=value" (with "&" before it unless form is
 * empty) to form, percent-encoded (RFC 3986 2.3: unreserved characters
 * as they are, every other byte as %XX).  Returns 0, or -1 when form
 * would exceed its maximum (form unchanged).
 */
int http_form_add(struct buf *form, const char *key, const char *value)
	WARN_UNUSED;

/*
 * http_url_decode - percent-decode the n bytes at s ("+" is a space, as
 * in a form) into out (size outn, NUL-terminated).  Returns 0, or -1 for
 * a malformed escape, a NUL byte or a result that does not fit.
 */
int http_url_decode(const char *s, size_t n, char *out, size_t outn);

/* http_library_version - "libcurl 7.88.1", the version built against. */
const char *http_library_version(void);

#endif
