/*
 * sasl.c - SMTP AUTH (RFC 4954; RFC 4422 SASL; RFC 5802 and 7677 SCRAM;
 * RFC 4616 PLAIN; RFC 2195 CRAM-MD5; RFC 7628 OAUTHBEARER; the XOAUTH2
 * format of Google and Microsoft; RFC 5929/9266 channel bindings).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base64.h"
#include "buf.h"
#include "gettext.h"
#include "load_gsasl.h"
#include "oauth2.h"
#include "report.h"
#include "sasl.h"
#include "secret.h"
#include "tls.h"
#include "xalloc.h"

static const char *const auto_tls[] = {
	"SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256",
	"SCRAM-SHA-1", "PLAIN", "LOGIN", "CRAM-MD5", NULL
};
/* without TLS: nothing that shows the password to the network */
static const char *const auto_plain[] = {
	"SCRAM-SHA-256", "SCRAM-SHA-1", "CRAM-MD5", NULL
};

const char *
sasl_library_version(void)
{
	/* the version built against: --version loads no library */
	return "GNU SASL " GSASL_VERSION;
}

static bool
is_oauth(const char *mech)
{
	return strcmp(mech, "XOAUTH2") == 0 || strcmp(mech, "OAUTHBEARER") == 0;
}

/* builtin - a mechanism done here, without libgsasl: each is one or two
 * base64 lines (RFC 4616 PLAIN; LOGIN; XOAUTH2; RFC 7628 OAUTHBEARER) */
static bool
builtin(const char *mech)
{
	return strcmp(mech, "PLAIN") == 0 || strcmp(mech, "LOGIN") == 0
	       || is_oauth(mech);
}

/* gsasl_ready - libgsasl loaded, and a context in *ctx (once). */
static int
gsasl_ready(Gsasl **ctx, struct err *err)
{
	if (*ctx != NULL)
		return 0;
	if (load_gsasl(err) < 0)
		return -1;
	if (gsasl_init(ctx) != GSASL_OK) {
		*ctx = NULL;
		err_set(err, ERR_AUTH, true, _("cannot initialise GNU SASL"));
		return -1;
	}
	return 0;
}

static bool
client_first(const char *mech)
{
	return strcmp(mech, "LOGIN") != 0 && strcmp(mech, "CRAM-MD5") != 0
	       && strcmp(mech, "DIGEST-MD5") != 0;
}

static bool
exposes_password(const char *mech)
{
	return strcmp(mech, "PLAIN") == 0 || strcmp(mech, "LOGIN") == 0
	       || is_oauth(mech);
}

/* library_has - whether mech can be used: *has; libgsasl is loaded only
 * for a mechanism that is not built in.  Returns 0, or -1 with err. */
static int
library_has(Gsasl **ctx, const char *mech, bool *has, struct err *err)
{
	*has = true;
	if (builtin(mech))
		return 0;
	if (gsasl_ready(ctx, err) < 0)
		return -1;
	*has = gsasl_client_support_p(*ctx, mech);
	return 0;
}

/* has_binding - whether the session has a TLS channel binding. */
static bool
has_binding(const struct smtp_session *s)
{
	const char *type;
	char *cb = NULL;
	bool have = tls_channel_binding(s->conn, &type, &cb) == 0;

	xfree_secret(cb);
	return have;
}

/* named - the mechanism the account names, if it can be used here. */
static int
named(struct smtp_session *s, Gsasl **ctx, const char *want, bool tls,
      struct sasl_plan *plan, struct err *err)
{
	bool has;

	if (library_has(ctx, want, &has, err) < 0)
		return -1;
	if (!has) {
		err_set(err, ERR_AUTH, false,
			_("authentication method %s is not available in this "
			  "build (%s)"), want, sasl_library_version());
		return -1;
	}
	if (!caps_has_auth(&s->caps, want)) {
		err_set(err, ERR_AUTH, false,
			_("the server does not offer AUTH %s (it offers: %s)"),
			want, s->caps.auth);
		return -1;
	}
	if (strstr(want, "-PLUS") != NULL && !has_binding(s)) {
		err_set(err, ERR_AUTH, false,
			_("%s needs a TLS channel binding, which this session "
			  "does not have"), want);
		return -1;
	}
	if (!tls && exposes_password(want))
		report_warning(_("AUTH %s sends the password without "
				 "encryption (TLS is off)"), want);
	snprintf(plan->mech, sizeof(plan->mech), "%s", want);
	return 0;
}

/* strongest - "auth on": the first of the preferences (without TLS,
 * only those that do not show the password) that both sides have. */
static int
strongest(struct smtp_session *s, Gsasl **ctx, bool tls,
	  struct sasl_plan *plan, struct err *err)
{
	const char *const *prefs = tls ? auto_tls : auto_plain;
	bool have_cb = has_binding(s), has;
	size_t i;

	for (i = 0; prefs[i]; i++) {
		if (strstr(prefs[i], "-PLUS") != NULL && !have_cb)
			continue;
		if (!caps_has_auth(&s->caps, prefs[i]))
			continue;
		if (library_has(ctx, prefs[i], &has, err) < 0)
			return -1;
		if (has) {
			snprintf(plan->mech, sizeof(plan->mech), "%s",
				 prefs[i]);
			return 0;
		}
	}
	err_set(err, ERR_AUTH, false,
		tls ? _("no authentication method in common with the server "
			"(it offers: %s)")
		    : _("the server offers only methods that would expose "
			"the password without TLS (%s); use TLS, or name one "
			"with auth METHOD"),
		s->caps.auth);
	return -1;
}

int
sasl_choose(struct smtp_session *s, const struct account *a,
	    struct sasl_plan *plan, struct err *err)
{
	bool tls = tls_active(s->conn);
	const char *mech = account_auth_mech(a->auth);
	Gsasl *ctx = NULL;
	int rc;

	memset(plan, 0, sizeof(*plan));
	if (!(s->caps.flags & CAP_AUTH) || s->caps.auth[0] == '\0') {
		err_set(err, ERR_AUTH, false, "%s", tls
			? _("the server does not offer authentication (no AUTH "
			    "in its EHLO reply)")
			: _("the server does not offer authentication (no AUTH "
			    "in its EHLO reply without TLS)"));
		return -1;
	}
	if (a->auth != AUTH_ON)
		rc = named(s, &ctx, mech ? mech : "", tls, plan, err);
	else
		rc = strongest(s, &ctx, tls, plan, err);
	if (ctx != NULL)
		gsasl_done(ctx);
	if (rc < 0)
		return -1;
	plan->client_first = client_first(plan->mech);
	plan->one_step = strcmp(plan->mech, "PLAIN") == 0
			 || strcmp(plan->mech, "EXTERNAL") == 0;
	return 0;
}

/*
 * client_start - a libgsasl client session for mech with the user name,
 * the password (either may be NULL), the service and the host set.
 * Returns 0, or -1 with err; *ctx and *sess are then freed by the caller
 * as on success (both may be NULL).
 */
static int
client_start(const char *mech, const char *user, const char *pw,
	     const char *host, Gsasl **ctx, Gsasl_session **sess,
	     struct err *err)
{
	if (gsasl_ready(ctx, err) < 0)
		return -1;
	if (gsasl_client_start(*ctx, mech, sess) != GSASL_OK) {
		err_set(err, ERR_AUTH, false,
			_("cannot start SASL mechanism %s"), mech);
		return -1;
	}
	if (user != NULL)
		gsasl_property_set(*sess, GSASL_AUTHID, user);
	if (pw != NULL)
		gsasl_property_set(*sess, GSASL_PASSWORD, pw);
	gsasl_property_set(*sess, GSASL_SERVICE, "smtp");
	gsasl_property_set(*sess, GSASL_HOSTNAME, host);
	return 0;
}

/* b64 - base64 of n bytes (allocated, a secret; "" for nothing), or
 * NULL when it would not fit on an AUTH line. */
static char *
b64(const char *p, size_t n)
{
	struct buf b;
	char *out = NULL;

	buf_init_secret(&b, SASL_LINE_MAX);
	if (base64_append(&b, p, n) == 0)
		out = xstrndup(b.p ? b.p : "", b.len);
	buf_clear_secret(&b);
	return out;
}

/* plain_ir - RFC 4616 2: the PLAIN message, no authorization identity
 * ("" NUL user NUL password), in base64. */
static char *
plain_ir(const char *user, const char *pw)
{
	struct buf b;
	char *out = NULL;

	buf_init_secret(&b, SASL_LINE_MAX);
	if (buf_reserve(&b, strlen(user) + strlen(pw) + 2) == 0
	    && buf_append(&b, "", 1) == 0 && buf_append_str(&b, user) == 0
	    && buf_append(&b, "", 1) == 0 && buf_append_str(&b, pw) == 0)
		out = b64(b.p, b.len);
	buf_clear_secret(&b);
	return out;
}

/* oauth_ir - the initial response of XOAUTH2 or OAUTHBEARER. */
static char *
oauth_ir(const char *mech, const char *user, const char *token,
	 const char *host, int port)
{
	struct buf b;
	char *out;
	size_t i;

	buf_init_secret(&b, SECRET_MAX * 2);
	if (strcmp(mech, "XOAUTH2") == 0) {
		if (buf_printf(&b, "user=%s\001auth=Bearer %s\001\001", user,
			       token) < 0) {
			buf_clear_secret(&b);
			return NULL;
		}
	} else {
		/* RFC 7628 3.1: gs2 header with the authzid escaped as in
		 * RFC 5801 (',' as =2C and '=' as =3D) */
		int rc = buf_append_str(&b, "n,a=");
		for (i = 0; rc == 0 && user[i]; i++)
			rc = user[i] == ',' ? buf_append_str(&b, "=2C")
			     : user[i] == '=' ? buf_append_str(&b, "=3D")
					      : buf_append(&b, &user[i], 1);
		if (rc < 0 || buf_printf(&b, ",\001host=%s\001port=%d\001auth="
					 "Bearer %s\001\001", host, port,
					 token) < 0) {
			buf_clear_secret(&b);
			return NULL;
		}
	}
	out = b64(b.p, b.len);
	buf_clear_secret(&b);
	return out;
}

/* send_line - a client line that carries secrets, traced redacted. */
static int
send_line(struct smtp_session *s, const char *prefix, const char *secret,
	  struct err *err)
{
	struct buf b;
	char shown[64];
	int rc;

	buf_init_secret(&b, SASL_LINE_MAX + 64);
	if (buf_reserve(&b, strlen(prefix) + strlen(secret) + 2) < 0
	    || buf_append_str(&b, prefix) < 0
	    || buf_append_str(&b, secret) < 0
	    || buf_append(&b, "\r\n", 2) < 0) {
		buf_clear_secret(&b);
		err_set(err, ERR_AUTH, false,
			_("authentication data longer than %d bytes"),
			SASL_LINE_MAX);
		return -1;
	}
	snprintf(shown, sizeof(shown), "%s<redacted>\r\n", prefix);
	rc = smtp_write_redacted(s, b.p, b.len, shown, s->to.command, err);
	buf_clear_secret(&b);
	return rc;
}

static void
auth_refused(const struct reply *r, const char *mech, struct err *err)
{
	char text[ERR_TEXT_MAX];
	reply_oneline(r, text, sizeof(text));
	char what[64];

	err_set_reply(err, r->code, r->enh, text);
	err->cls = ERR_AUTH;
	/* 535 5.7.8: the credentials are wrong (RFC 4954 6) */
	err->config = r->code == 535;
	snprintf(what, sizeof(what), "AUTH %s", mech);
	err_prefix(err, what);
	if (r->code == 535)     /* RFC 4954 6: credentials invalid */
		err_hint(err, _("the server refused the credentials: check "
				"user, and the password or token (password, "
				"passwordeval, ~/.netrc); \"smtpsend "
				"--quit-after=auth\" tests them without "
				"sending"));
}

/* An AUTH exchange in progress. */
struct exchange {
	struct smtp_session *s;
	const struct sasl_plan *plan;
	Gsasl *ctx;
	Gsasl_session *sess;    /* NULL for XOAUTH2 and OAUTHBEARER */
	char *user, *pw;        /* pw is a secret */
	char *cb;               /* channel binding (a secret of the session) */
	const char *cbtype;
	char *pending;          /* a response to send at the next 334 */
	char *login[2];         /* built-in LOGIN: the answers to the two
				   334s (user name, password), in base64 */
	int answered;           /* how many of login[] were sent */
	bool done;              /* the client's side is complete */
	bool renew;             /* OAuth2: renew the access token first */
	bool token_refused;     /* OAuth: the server sent an error (334) */
};

static void
exchange_clear(struct exchange *x)
{
	xfree_secret(x->pending);
	xfree_secret(x->login[0]);
	xfree_secret(x->login[1]);
	xfree_secret(x->pw);
	xfree_secret(x->cb);
	free(x->user);
	if (x->sess != NULL)
		gsasl_finish(x->sess);
	if (x->ctx != NULL)
		gsasl_done(x->ctx);
}

/* credentials - the user name and password the mechanism needs:
 * EXTERNAL proves itself with the TLS client certificate, GSSAPI with a
 * Kerberos ticket, the others with a password. */
static int
credentials(struct exchange *x, const struct account *a, bool allow_prompt,
	    struct err *err)
{
	const char *mech = x->plan->mech;

	if (strcmp(mech, "EXTERNAL") == 0 || strcmp(mech, "GSSAPI") == 0) {
		x->user = a->user ? xstrdup(a->user) : NULL;
		return 0;
	}
	if (is_oauth(mech) && oauth2_configured(a)) {
		/* smtpsend's own token (oauth2.c), renewed when due */
		if (oauth2_access_token(a, x->renew, x->s->tr, &x->pw, err)
		    < 0)
			return -1;
		x->user = a->user ? xstrdup(a->user) : NULL;
	} else if (secret_password(a, allow_prompt, &x->user, &x->pw, err)
		   < 0) {
		return -1;
	}
	if (x->user == NULL) {
		err_set(err, ERR_AUTH, false,
			_("no user name for authentication: set \"user\" (or "
			  "--user)"));
		return -1;
	}
	return 0;
}

/* start_builtin - PLAIN's initial response into x->pending, or LOGIN's
 * two answers into x->login: each the whole of the client's side. */
static int
start_builtin(struct exchange *x, struct err *err)
{
	const char *pw = x->pw ? x->pw : "";

	if (strcmp(x->plan->mech, "PLAIN") == 0) {
		x->pending = plain_ir(x->user, pw);
		x->done = true;
	} else {
		x->login[0] = b64(x->user, strlen(x->user));
		x->login[1] = b64(pw, strlen(pw));
	}
	if (x->pending == NULL
	    && (x->login[0] == NULL || x->login[1] == NULL)) {
		err_set(err, ERR_AUTH, false,
			_("authentication data longer than %d bytes"),
			SASL_LINE_MAX);
		return -1;
	}
	return 0;
}

/* start - the mechanism's first step: x->pending holds the initial
 * response, if the mechanism has one. */
static int
start(struct exchange *x, const struct account *a, struct err *err)
{
	const char *mech = x->plan->mech;
	int rc;

	if (is_oauth(mech)) {
		const char *host = a->tls_host_override ? a->tls_host_override
							: a->host;

		x->pending = oauth_ir(mech, x->user, x->pw, host,
				      account_port(a));
		if (x->pending == NULL)
			err_set(err, ERR_AUTH, false,
				_("OAuth token too long"));
		return x->pending ? 0 : -1;
	}
	if (builtin(mech))
		return start_builtin(x, err);
	if (client_start(mech, x->user, x->pw, a->host, &x->ctx, &x->sess,
			 err) < 0)
		return -1;
	/* channel binding only for the -PLUS variants: libgsasl refuses
	 * plain SCRAM when the property is set */
	if (strstr(mech, "-PLUS") != NULL
	    && tls_channel_binding(x->s->conn, &x->cbtype, &x->cb) == 0)
		gsasl_property_set(x->sess,
				   strcmp(x->cbtype, "tls-exporter") == 0
					   ? GSASL_CB_TLS_EXPORTER
					   : GSASL_CB_TLS_UNIQUE, x->cb);
	if (!x->plan->client_first)
		return 0;
	rc = gsasl_step64(x->sess, "", &x->pending);
	if (rc != GSASL_OK && rc != GSASL_NEEDS_MORE) {
		err_set(err, ERR_AUTH, false, _("SASL %s failed: %s"), mech,
			gsasl_strerror(rc));
		return -1;
	}
	x->done = rc == GSASL_OK;
	if (x->pending[0] == '\0') {
		gsasl_free(x->pending);
		x->pending = xstrdup("=");
	}
	return 0;
}

/* send_auth - the AUTH command, with the initial response when it fits
 * on the line (RFC 4954 4); else it answers the first, empty challenge. */
static int
send_auth(struct exchange *x, struct err *err)
{
	char prefix[80];
	int rc;

	snprintf(prefix, sizeof(prefix), "AUTH %s ", x->plan->mech);
	if (x->pending != NULL
	    && strlen(prefix) + strlen(x->pending) + 2 <= SASL_LINE_MAX) {
		rc = send_line(x->s, prefix, x->pending, err);
		xfree_secret(x->pending);
		x->pending = NULL;
		return rc;
	}
	snprintf(prefix, sizeof(prefix), "AUTH %s\r\n", x->plan->mech);
	return smtp_write(x->s, prefix, strlen(prefix), x->s->to.command, err);
}

/* cancel - "*" ends an exchange (RFC 4954 4); its reply is read briefly
 * and the outcome does not matter. */
static void
cancel(struct smtp_session *s)
{
	struct reply r;
	struct err e2;

	if (smtp_write(s, "*\r\n", 3, s->to.command, &e2) == 0)
		(void)smtp_read_reply(s, &r, s->to.command, "AUTH", &e2);
}

/* challenge - answer one 334; -1 with err ends the exchange. */
static int
challenge(struct exchange *x, const struct reply *r, struct err *err)
{
	char chal[REPLY_TEXT_MAX], *out = NULL;
	int rc;

	if (x->pending != NULL) {
		rc = send_line(x->s, "", x->pending, err);
		xfree_secret(x->pending);
		x->pending = NULL;
		return rc;
	}
	if (x->done) {
		/* nothing is left to say: a server that asks again breaks
		 * the protocol (or loops); that is no verdict on the
		 * credentials */
		err_set(err, ERR_PROTO, true,
			_("AUTH %s: the server asked for more (334) after the "
			  "exchange was complete"), x->plan->mech);
		cancel(x->s);
		return -1;
	}
	if (x->login[0] != NULL && x->answered < 2) {
		/* LOGIN: the user name, then the password; whatever the
		 * server's prompts say */
		rc = send_line(x->s, "", x->login[x->answered++], err);
		x->done = x->answered == 2;
		return rc;
	}
	if (x->sess == NULL) {
		/* OAuth: an error report (JSON); RFC 7628 3.2.3: answer
		 * with a single ^A, then the server fails us */
		x->done = true;
		x->token_refused = true;
		return send_line(x->s, "", strcmp(x->plan->mech, "OAUTHBEARER")
						   == 0 ? "AQ==" : "", err);
	}
	reply_first_line(r, chal, sizeof(chal));
	rc = gsasl_step64(x->sess, chal, &out);
	if (rc != GSASL_OK && rc != GSASL_NEEDS_MORE) {
		/* e.g. a SCRAM server signature that does not verify */
		err_set(err, ERR_AUTH, false, _("SASL %s failed: %s"),
			x->plan->mech, gsasl_strerror(rc));
		cancel(x->s);
		return -1;
	}
	x->done = rc == GSASL_OK;
	rc = send_line(x->s, "", out, err);
	xfree_secret(out);
	return rc;
}

/* run - the replies until the exchange ends (at most 16 rounds). */
static int
run(struct exchange *x, struct err *err)
{
	struct reply r;
	int round;

	for (round = 0; round < 16; round++) {
		if (smtp_read_reply(x->s, &r, x->s->to.command, "AUTH", err)
		    < 0)
			return -1;
		if (r.code / 100 == 2) {
			if (x->sess != NULL && !x->done
			    && strncmp(x->plan->mech, "SCRAM-", 6) == 0) {
				err_set(err, ERR_AUTH, false,
					_("the server accepted %s without "
					  "proving that it knows the password "
					  "(no SCRAM server signature)"),
					x->plan->mech);
				return -1;
			}
			return 0;
		}
		if (r.code != 334) {
			auth_refused(&r, x->plan->mech, err);
			return -1;
		}
		if (challenge(x, &r, err) < 0)
			return -1;
	}
	err_set(err, ERR_PROTO, true, _("AUTH did not end after 16 rounds"));
	return -1;
}

/* attempt - one AUTH exchange; *refused: the server sent an OAuth error
 * report (RFC 7628 3.2.2) */
static int
attempt(struct smtp_session *s, const struct account *a,
	const struct sasl_plan *plan, bool allow_prompt, bool renew,
	bool *refused, struct err *err)
{
	struct exchange x;
	int ret = -1;

	memset(&x, 0, sizeof(x));
	x.s = s;
	x.plan = plan;
	x.renew = renew;
	if (credentials(&x, a, allow_prompt, err) < 0 || start(&x, a, err) < 0)
		goto out;
	if (s->tr != NULL && (s->tr->out != NULL || s->tr->mem != NULL))
		transcript_note(s->tr, "authenticating as %s with %s%s%s",
				x.user ? x.user : "(certificate)", plan->mech,
				x.cbtype ? ", channel binding " : "",
				x.cbtype ? x.cbtype : "");
	/* the password is not needed any more: the responses (or
	 * libgsasl) hold what is left to say */
	xfree_secret(x.pw);
	x.pw = NULL;
	if (send_auth(&x, err) == 0)
		ret = run(&x, err);
out:
	*refused = x.token_refused;
	exchange_clear(&x);
	return ret;
}

int
sasl_authenticate(struct smtp_session *s, const struct account *a,
		  const struct sasl_plan *plan, bool allow_prompt,
		  struct err *err)
{
	bool own = is_oauth(plan->mech) && oauth2_configured(a), refused;
	int ret;

	ret = attempt(s, a, plan, allow_prompt, false, &refused, err);
	if (ret == 0 || !own || !refused || err->cls != ERR_AUTH)
		return ret;
	/* RFC 7628 3.2.2: the token was refused; a new one, once (RFC
	 * 4954 4 lets AUTH follow a failed AUTH) */
	transcript_note(s->tr, "OAuth2: the server refused the access token; "
			"renewing it and trying once more");
	ret = attempt(s, a, plan, allow_prompt, true, &refused, err);
	if (ret < 0 && refused && err->cls == ERR_AUTH)
		oauth2_reauthorize_hint(a, err);
	return ret;
}

int
sasl_oneshot_line(const struct account *a, const struct sasl_plan *plan,
		  bool allow_prompt, char **line, struct err *err)
{
	Gsasl *ctx = NULL;
	Gsasl_session *sess = NULL;
	char *user = NULL, *pw = NULL, *out = NULL;
	struct buf b;
	int ret = -1, rc;

	*line = NULL;
	buf_init_secret(&b, SASL_LINE_MAX);
	if (strcmp(plan->mech, "EXTERNAL") == 0) {
		out = xstrdup("=");
	} else {
		if (secret_password(a, allow_prompt, &user, &pw, err) < 0)
			goto out;
		if (user == NULL) {
			err_set(err, ERR_AUTH, false,
				_("no user name for authentication: set "
				  "\"user\" (or --user)"));
			goto out;
		}
		if (strcmp(plan->mech, "PLAIN") == 0) {
			out = plain_ir(user, pw ? pw : "");
		} else {
			if (client_start(plan->mech, user, pw, a->host, &ctx,
					 &sess, err) < 0)
				goto out;
			rc = gsasl_step64(sess, "", &out);
			if (rc != GSASL_OK) {
				err_set(err, ERR_AUTH, false,
					_("SASL %s failed: %s"), plan->mech,
					gsasl_strerror(rc));
				goto out;
			}
		}
	}
	if (out == NULL) {
		err_set(err, ERR_AUTH, false,
			_("authentication data longer than %d bytes"),
			SASL_LINE_MAX);
		goto out;
	}
	if (buf_reserve(&b, strlen(plan->mech) + strlen(out) + 8) < 0
	    || buf_printf(&b, "AUTH %s ", plan->mech) < 0
	    || buf_append_str(&b, out) < 0
	    || buf_append(&b, "\r\n", 2) < 0) {
		err_set(err, ERR_AUTH, false,
			_("authentication data longer than %d bytes"),
			SASL_LINE_MAX);
		goto out;
	}
	*line = xstrndup(b.p, b.len);
	ret = 0;
out:
	buf_clear_secret(&b);
	xfree_secret(out);
	xfree_secret(pw);
	free(user);
	if (sess != NULL)
		gsasl_finish(sess);
	if (ctx != NULL)
		gsasl_done(ctx);
	return ret;
}

int
sasl_oneshot_result(const struct reply *r, const struct sasl_plan *plan,
		    struct err *err)
{
	if (r->code / 100 == 2)
		return 0;
	if (r->code == 334) {
		/* the initial response was complete: another challenge is
		 * a broken (or looping) server, not wrong credentials */
		err_set(err, ERR_PROTO, true,
			_("AUTH %s: the server asked for more (334) after the "
			  "exchange was complete"), plan->mech);
		return -1;
	}
	auth_refused(r, plan->mech, err);
	return -1;
}
