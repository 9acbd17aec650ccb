/*
 * msasl.c - SMTP AUTH server side for smtpmock (see msasl.h).
 *
 * RFC 4954 (SMTP AUTH: 334 challenges, "=" empty initial response, "*"
 * cancels, additional data with success sent as a last 334), RFC 4616
 * (PLAIN), RFC 2195 (CRAM-MD5), RFC 5802 / RFC 7677 (SCRAM, channel
 * binding RFC 5929 / RFC 9266), RFC 4422 appendix A (EXTERNAL) through GNU
 * SASL; RFC 7628 (OAUTHBEARER) and Google's XOAUTH2 checked by hand.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <gsasl.h>

#include "msasl.h"

#define R_OK235 "235 2.7.0 Authentication successful\r\n"
#define R_BAD535 "535 5.7.8 Authentication credentials invalid\r\n"
#define R_CANCEL "501 5.7.0 Authentication cancelled\r\n"
#define R_B64 "501 5.5.2 Cannot decode the response\r\n"
#define R_MECH "504 5.5.4 Unrecognized authentication type\r\n"
#define R_TROUBLE "454 4.7.0 Temporary authentication failure\r\n"

/* RFC 7628 3.2.2 and Google's XOAUTH2 error responses. */
#define XOAUTH2_ERR \
	"{\"status\":\"401\",\"schemes\":\"bearer\"," \
	"\"scope\":\"https://mail.google.com/\"}"
#define OAUTHBEARER_ERR "{\"status\":\"invalid_token\",\"schemes\":\"bearer\"}"

enum xstate {
	X_IDLE,
	X_GSASL,	/* a GNU SASL session runs */
	X_FINAL,	/* success data sent as 334; wait for the empty line */
	X_OAUTH_IR,	/* "334 " sent for the OAuth initial response */
	X_OAUTH_FAIL	/* error JSON sent; wait for the client's answer */
};

struct msasl {
	Gsasl *ctx;
	Gsasl_session *sess;
	const char *user, *pass, *token;
	struct msasl_chan ch;
	int plus;		/* the running mechanism is a -PLUS one */
	int xoauth2;		/* X_OAUTH_*: XOAUTH2 (else OAUTHBEARER) */
	enum xstate st;
};

static void
add(struct mbuf *b, const char *s)
{
	if (mbuf_adds(b, s) == -1)
		merr_oom();	/* replies are far below the maximum */
}

/* add_b64 - "334 " + base64(p[0..n)) + CRLF. */
static int
add_challenge(struct mbuf *b, const char *p, size_t n)
{
	char *enc = NULL;
	size_t elen = 0;

	if (n > 0 && gsasl_base64_to(p, n, &enc, &elen) != GSASL_OK)
		return -1;
	if (mbuf_adds(b, "334 ") == -1 ||
	    (elen > 0 && mbuf_add(b, enc, elen) == -1) ||
	    mbuf_adds(b, "\r\n") == -1) {
		gsasl_free(enc);
		return -1;
	}
	gsasl_free(enc);
	return 0;
}

/* decode - base64 text[0..n) into *out (malloc'd, NUL-terminated). */
static int
decode(const char *text, size_t n, char **out, size_t *outlen)
{
	char *dec = NULL, *copy;
	size_t dlen = 0;

	if (n > 0 && gsasl_base64_from(text, n, &dec, &dlen) != GSASL_OK)
		return -1;
	copy = malloc(dlen + 1);
	if (copy == NULL)
		merr_oom();
	if (dlen > 0)
		memcpy(copy, dec, dlen);
	copy[dlen] = '\0';
	gsasl_free(dec);
	*out = copy;
	*outlen = dlen;
	return 0;
}

static int
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* cb_data - provide the channel binding GNU SASL asks for. */
static int
cb_data(struct msasl *x, Gsasl_session *sess, Gsasl_property prop)
{
	int exporter = prop == GSASL_CB_TLS_EXPORTER;
	struct mbuf raw;
	struct merr e;
	char *enc = NULL;
	int rc = GSASL_NO_CALLBACK;

	/* Only a server that offers -PLUS has (and admits to) bindings. */
	if (x->ch.tls == NULL || !(x->plus || x->ch.plus_offered))
		return GSASL_NO_CALLBACK;
	/* tls-exporter under TLS 1.3, tls-unique under TLS 1.2. */
	if (exporter != mtls_is_tls13(x->ch.tls))
		return GSASL_NO_CALLBACK;
	mbuf_init(&raw, 1024);
	if (mtls_channel_binding(x->ch.tls, exporter, &raw, &e) == -1 ||
	    gsasl_base64_to(raw.p, raw.len, &enc, NULL) != GSASL_OK)
		goto out;
	if (gsasl_property_set(sess, prop, enc) == GSASL_OK)
		rc = GSASL_OK;
out:
	gsasl_free(enc);
	mbuf_clear(&raw);
	return rc;
}

static int
callback(Gsasl *ctx, Gsasl_session *sess, Gsasl_property prop)
{
	struct msasl *x = gsasl_callback_hook_get(ctx);
	const char *authid = gsasl_property_fast(sess, GSASL_AUTHID);
	const char *authzid = gsasl_property_fast(sess, GSASL_AUTHZID);
	const char *pw = gsasl_property_fast(sess, GSASL_PASSWORD);

	switch (prop) {
	case GSASL_PASSWORD:
		if (!same(authid, x->user) || x->pass == NULL)
			return GSASL_NO_CALLBACK;
		return gsasl_property_set(sess, GSASL_PASSWORD, x->pass);
	case GSASL_VALIDATE_SIMPLE:
		if (same(authid, x->user) && same(pw, x->pass) &&
		    (authzid == NULL || *authzid == '\0' ||
		    same(authzid, authid)))
			return GSASL_OK;
		return GSASL_AUTHENTICATION_ERROR;
	case GSASL_VALIDATE_EXTERNAL:
		return x->ch.tls != NULL &&
		    mtls_client_verified(x->ch.tls) ? GSASL_OK :
		    GSASL_AUTHENTICATION_ERROR;
	case GSASL_CB_TLS_EXPORTER:
	case GSASL_CB_TLS_UNIQUE:
		return cb_data(x, sess, prop);
	default:
		return GSASL_NO_CALLBACK;
	}
}

int
msasl_new(struct msasl **out, const char *user, const char *pass,
    const char *token, struct merr *e)
{
	struct msasl *x;
	int r;

	*out = NULL;
	x = calloc(1, sizeof(*x));
	if (x == NULL)
		merr_oom();
	if ((r = gsasl_init(&x->ctx)) != GSASL_OK) {
		free(x);
		return merr_set(e, "gsasl_init: %s", gsasl_strerror(r));
	}
	gsasl_callback_set(x->ctx, callback);
	gsasl_callback_hook_set(x->ctx, x);
	x->user = user;
	x->pass = pass;
	x->token = token;
	*out = x;
	return 0;
}

void
msasl_reset(struct msasl *x)
{
	if (x == NULL)
		return;
	if (x->sess != NULL)
		gsasl_finish(x->sess);
	x->sess = NULL;
	x->st = X_IDLE;
	x->plus = 0;
	memset(&x->ch, 0, sizeof(x->ch));
}

void
msasl_free(struct msasl *x)
{
	if (x == NULL)
		return;
	msasl_reset(x);
	gsasl_done(x->ctx);
	free(x);
}

/* done - end the exchange with a final reply. */
static enum msasl_res
done(struct msasl *x, struct mbuf *reply, const char *text, int *ok)
{
	add(reply, text);
	*ok = strncmp(text, "235", 3) == 0;
	msasl_reset(x);
	return MSASL_DONE;
}

/* gs_result - turn a GNU SASL step result into a reply. */
static enum msasl_res
gs_result(struct msasl *x, int r, const char *out, size_t outlen,
    struct mbuf *reply, int *ok)
{
	if (r == GSASL_NEEDS_MORE || (r == GSASL_OK && outlen > 0)) {
		if (add_challenge(reply, out, outlen) == -1)
			return done(x, reply, R_TROUBLE, ok);
		x->st = r == GSASL_OK ? X_FINAL : X_GSASL;
		*ok = 0;
		return MSASL_MORE;
	}
	if (r == GSASL_OK)
		return done(x, reply, R_OK235, ok);
	if (r == GSASL_BASE64_ERROR)
		return done(x, reply, R_B64, ok);
	return done(x, reply, R_BAD535, ok);
}

/* gs_step - feed input (NULL: none at all) to the GNU SASL session. */
static enum msasl_res
gs_step(struct msasl *x, const char *input, size_t n, struct mbuf *reply,
    int *ok)
{
	char *out = NULL;
	size_t outlen = 0;
	enum msasl_res res;
	int r;

	r = gsasl_step(x->sess, input, n, &out, &outlen);
	res = gs_result(x, r, out, out != NULL ? outlen : 0, reply, ok);
	gsasl_free(out);
	return res;
}

/* saslname - RFC 5801 saslname: "=2C" is ',', "=3D" is '='. */
static void
unescape_saslname(char *s)
{
	char *d = s;

	while (*s != '\0') {
		if (strncmp(s, "=2C", 3) == 0 || strncmp(s, "=3D", 3) == 0) {
			*d++ = s[2] == 'C' ? ',' : '=';
			s += 3;
		} else {
			*d++ = *s++;
		}
	}
	*d = '\0';
}

/* oauth_ok - the decoded initial response carries our token and user. */
static int
oauth_ok(struct msasl *x, char *msg, size_t n)
{
	char want[1024], *user = NULL, *end;
	int k;

	if (x->token == NULL || memchr(msg, '\0', n) != NULL)
		return 0;
	k = snprintf(want, sizeof(want), "auth=Bearer %s\x01", x->token);
	if (k < 0 || (size_t)k >= sizeof(want) || strstr(msg, want) == NULL)
		return 0;
	if (x->xoauth2) {
		/* user={User}^Aauth=Bearer {Token}^A^A */
		if (strncmp(msg, "user=", 5) != 0)
			return 0;
		user = msg + 5;
		if ((end = strchr(user, '\x01')) == NULL)
			return 0;
		*end = '\0';
	} else {
		/* gs2-header "n,a=USER," then kvpairs (RFC 7628 3.1) */
		if (strncmp(msg, "n,", 2) != 0 && strncmp(msg, "y,", 2) != 0)
			return 0;
		if (strncmp(msg + 2, "a=", 2) == 0) {
			user = msg + 4;
			if ((end = strchr(user, ',')) == NULL)
				return 0;
			*end = '\0';
			unescape_saslname(user);
		}
	}
	return x->user == NULL || user == NULL || strcmp(user, x->user) == 0;
}

/* oauth_eval - judge the OAuth initial response (base64). */
static enum msasl_res
oauth_eval(struct msasl *x, const char *b64, size_t n, struct mbuf *reply,
    int *ok)
{
	char *msg = NULL;
	size_t mlen = 0;
	const char *err;
	int good;

	if (n == 1 && b64[0] == '=')
		n = 0;
	if (decode(b64, n, &msg, &mlen) == -1)
		return done(x, reply, R_B64, ok);
	good = oauth_ok(x, msg, mlen);
	free(msg);
	if (good)
		return done(x, reply, R_OK235, ok);
	err = x->xoauth2 ? XOAUTH2_ERR : OAUTHBEARER_ERR;
	if (add_challenge(reply, err, strlen(err)) == -1)
		return done(x, reply, R_TROUBLE, ok);
	x->st = X_OAUTH_FAIL;
	*ok = 0;
	return MSASL_MORE;
}

static int
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && strcmp(s + n - t, tail) == 0;
}

enum msasl_res
msasl_begin(struct msasl *x, const char *mech, const char *ir,
    const struct msasl_chan *ch, struct mbuf *reply, int *ok)
{
	char *input = NULL;
	size_t n = 0;
	enum msasl_res res;

	msasl_reset(x);
	x->ch = *ch;
	*ok = 0;
	if (strcmp(mech, "XOAUTH2") == 0 || strcmp(mech, "OAUTHBEARER") == 0) {
		x->xoauth2 = mech[0] == 'X';
		if (ir == NULL) {
			add(reply, "334 \r\n");
			x->st = X_OAUTH_IR;
			return MSASL_MORE;
		}
		return oauth_eval(x, ir, strlen(ir), reply, ok);
	}
	x->plus = ends_with(mech, "-PLUS");
	if (gsasl_server_start(x->ctx, mech, &x->sess) != GSASL_OK) {
		x->sess = NULL;
		return done(x, reply, R_MECH, ok);
	}
	x->st = X_GSASL;
	if (ir == NULL)
		return gs_step(x, NULL, 0, reply, ok);
	if (decode(ir, strcmp(ir, "=") == 0 ? 0 : strlen(ir), &input,
	    &n) == -1)
		return done(x, reply, R_B64, ok);
	res = gs_step(x, input, n, reply, ok);
	free(input);
	return res;
}

enum msasl_res
msasl_step(struct msasl *x, const char *line, size_t len,
    struct mbuf *reply, int *ok)
{
	char *input = NULL;
	size_t n = 0;
	enum msasl_res res;

	*ok = 0;
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len == 1 && line[0] == '*')
		return done(x, reply, R_CANCEL, ok);
	switch (x->st) {
	case X_FINAL:
		return done(x, reply, len == 0 ? R_OK235 : R_BAD535, ok);
	case X_OAUTH_IR:
		return oauth_eval(x, line, len, reply, ok);
	case X_OAUTH_FAIL:
		return done(x, reply, R_BAD535, ok);
	case X_GSASL:
		if (decode(line, len, &input, &n) == -1)
			return done(x, reply, R_B64, ok);
		res = gs_step(x, input, n, reply, ok);
		free(input);
		return res;
	case X_IDLE:
		break;
	}
	return done(x, reply, R_TROUBLE, ok);
}
