/*
 * http.c - HTTPS POST with libcurl for the OAuth2 endpoints (RFC 9110
 * 9.3.3 POST; RFC 6749 3.2 and 5: form-encoded requests, JSON answers;
 * RFC 3986 2.1 and 2.3 percent-encoding).
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "ascii.h"
#include "gettext.h"
#include "http.h"
#include "load_curl.h"

/* The connect phase gets at most this part of the deadline. */
#define HTTP_CONNECT_TIMEOUT 15

const char *
http_library_version(void)
{
	/* the version built against: --version loads no library */
	return "libcurl " LIBCURL_VERSION;
}

static size_t
on_data(char *p, size_t size, size_t n, void *arg)
{
	struct buf *body = arg;

	/* a short count makes libcurl stop with CURLE_WRITE_ERROR */
	if (size != 1 || buf_append(body, p, n) < 0)
		return 0;
	return n;
}

/* url_host - the host part of an https:// URL, for messages. */
static void
url_host(const char *url, char *out, size_t n)
{
	const char *h = url + strlen("https://");

	snprintf(out, n, "%.*s", (int)strcspn(h, "/?:"), h);
}

/* setup - the options of every request: https only, verified, bounded */
static CURLcode
setup(CURL *c, const struct http_request *rq, struct buf *body, char *ebuf)
{
	long t = rq->timeout > 0 ? rq->timeout : HTTP_TIMEOUT;
	CURLcode rc = CURLE_OK;

#define SET(opt, v) if (rc == CURLE_OK) rc = curl_easy_setopt(c, opt, v)
	SET(CURLOPT_URL, rq->url);
#if LIBCURL_VERSION_NUM >= 0x075500
	SET(CURLOPT_PROTOCOLS_STR, "https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "https");
#else
	SET(CURLOPT_PROTOCOLS, (long)CURLPROTO_HTTPS);
	SET(CURLOPT_REDIR_PROTOCOLS, (long)CURLPROTO_HTTPS);
#endif
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	SET(CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	if (rq->trust_file != NULL) {
		SET(CURLOPT_CAINFO, rq->trust_file);
		SET(CURLOPT_CAPATH, (char *)NULL);
	}
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_TIMEOUT, t);
	SET(CURLOPT_CONNECTTIMEOUT,
	    t < HTTP_CONNECT_TIMEOUT ? t : (long)HTTP_CONNECT_TIMEOUT);
	SET(CURLOPT_MAXFILESIZE, (long)HTTP_BODY_MAX);
	SET(CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION);
	SET(CURLOPT_POST, 1L);
	/* not COPYPOSTFIELDS: libcurl keeps no copy of the secrets */
	SET(CURLOPT_POSTFIELDS, rq->form->p ? rq->form->p : "");
	SET(CURLOPT_POSTFIELDSIZE, (long)rq->form->len);
	SET(CURLOPT_WRITEFUNCTION, on_data);
	SET(CURLOPT_WRITEDATA, body);
	SET(CURLOPT_ERRORBUFFER, ebuf);
#undef SET
	return rc;
}

static void
failed(CURLcode rc, const struct http_request *rq, const char *ebuf,
       struct err *err)
{
	char host[256];
	const char *why = ebuf[0] ? ebuf : curl_easy_strerror(rc);

	url_host(rq->url, host, sizeof(host));
	switch (rc) {
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
		err_set(err, ERR_TLS, false,
			_("HTTPS to %s: the certificate was refused: %s"),
			host, why);
		break;
	case CURLE_WRITE_ERROR:
	case CURLE_FILESIZE_EXCEEDED:
		err_set(err, ERR_NET, true,
			_("HTTPS to %s: the answer is longer than %d bytes"),
			host, HTTP_BODY_MAX);
		break;
	default:
		err_set(err, ERR_NET, true, _("HTTPS to %s: %s"), host, why);
	}
}

int
http_post(const struct http_request *rq, struct buf *body, long *status,
	  struct err *err)
{
	static bool ready;
	char ebuf[CURL_ERROR_SIZE];
	struct curl_slist *hdrs = NULL;
	CURL *c = NULL;
	CURLcode rc;
	int ret = -1;

	buf_reset(body);
	*status = 0;
	ebuf[0] = '\0';
	if (load_curl(err) < 0)
		return -1;
	if (!ready && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		err_set(err, ERR_INTERNAL, true,
			_("cannot initialise libcurl"));
		return -1;
	}
	ready = true;
	c = curl_easy_init();
	hdrs = curl_slist_append(NULL, "Accept: application/json");
	if (c == NULL || hdrs == NULL) {
		err_set(err, ERR_INTERNAL, true,
			_("cannot initialise libcurl"));
		goto out;
	}
	rc = setup(c, rq, body, ebuf);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	if (rc == CURLE_OK)
		rc = curl_easy_perform(c);
	if (rc != CURLE_OK) {
		failed(rc, rq, ebuf, err);
		goto out;
	}
	(void)curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	ret = 0;
out:
	curl_slist_free_all(hdrs);
	if (c != NULL)
		curl_easy_cleanup(c);
	return ret;
}

static bool
unreserved(unsigned char ch)
{
	return ascii_is_alnum(ch) || ch == '-' || ch == '.' || ch == '_'
	       || ch == '~';
}

/* put_encoded - s percent-encoded onto form */
static int
put_encoded(struct buf *form, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	char esc[3];

	for (p = (const unsigned char *)s; *p; p++) {
		if (unreserved(*p)) {
			if (buf_append(form, p, 1) < 0)
				return -1;
			continue;
		}
		esc[0] = '%';
		esc[1] = hex[*p >> 4];
		esc[2] = hex[*p & 15];
		if (buf_append(form, esc, 3) < 0)
			return -1;
	}
	return 0;
}

int
http_form_add(struct buf *form, const char *key, const char *value)
{
	size_t before = form->len;

	if ((before > 0 && buf_append(form, "&", 1) < 0)
	    || put_encoded(form, key) < 0 || buf_append(form, "=", 1) < 0
	    || put_encoded(form, value) < 0) {
		buf_truncate(form, before);
		return -1;
	}
	return 0;
}

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = ascii_tolower(ch);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

int
http_url_decode(const char *s, size_t n, char *out, size_t outn)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (ch == '+') {
			ch = ' ';
		} else if (ch == '%') {
			if (i + 2 >= n)
				return -1;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			ch = (char)(hi * 16 + lo);
			i += 2;
		}
		if (ch == '\0' || o + 1 >= outn)
			return -1;
		out[o++] = ch;
	}
	if (o >= outn)
		return -1;
	out[o] = '\0';
	return 0;
}
