/*
 * tls.c - TLS for SMTP (RFC 3207 STARTTLS, RFC 8314 implicit TLS; RFC 6125
 * server identity; RFC 5929 tls-unique and RFC 9266 tls-exporter channel
 * bindings; RFC 6066 SNI and OCSP status request).
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cert.h"
#include "gettext.h"
#include "idn.h"
#include "load_gnutls.h"
#include "tls.h"
#include "tls_in.h"
#include "trust.h"
#include "util.h"
#include "xalloc.h"

struct tls_session {
	gnutls_session_t s;
	struct tls_creds *creds;
	size_t corked;          /* bytes handed to a corked write */
	int proto;
	bool borrowed;          /* creds belong to the caller (cfg) */
	bool dead;              /* verification failed: nothing more is
				   sent or read on this session */
	/* for the verification during the handshake */
	const struct tls_config *cfg;
	struct tls_info *info;
	struct err verr;
	int alert;              /* the alert to send when it fails */
	char why[160];          /* the last read or write failure */
	enum err_class why_cls;
	struct tls_in in;       /* the socket, read through a buffer */
};

struct tls_creds {
	gnutls_certificate_credentials_t cred;
	struct trust *trust;    /* anchors loaded on demand, or NULL */
	tls_pin_fn pin;
	void *pin_arg;
};

static const struct conn_ops tls_ops;

static int global_ready;

static int
global_init(struct err *err)
{
	int rc;

	if (global_ready)
		return 0;
	if (load_gnutls(err) < 0)
		return -1;
	rc = gnutls_global_init();
	if (rc < 0) {
		err_set(err, ERR_TLS, true, _("cannot initialise GnuTLS: %s"),
			gnutls_strerror(rc));
		return -1;
	}
	global_ready = 1;
	return 0;
}

const char *
tls_library_version(void)
{
	/* the version built against: --version loads no library */
	return "GnuTLS " GNUTLS_VERSION;
}

int
tls_sha256(const void *p, size_t n, unsigned char out[32], struct err *err)
{
	if (global_init(err) < 0)
		return -1;
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, p, n, out) != 0) {
		err_set(err, ERR_INTERNAL, true, _("SHA-256 failed"));
		return -1;
	}
	return 0;
}

int
tls_random_key(void *p, size_t n, struct err *err)
{
	if (global_init(err) < 0)
		return -1;
	if (gnutls_rnd(GNUTLS_RND_KEY, p, n) != 0) {
		err_set(err, ERR_INTERNAL, true,
			_("cannot get random bytes from GnuTLS"));
		return -1;
	}
	return 0;
}

/* --- transport ops over a GnuTLS session ------------------------------ */

static short
direction(gnutls_session_t s)
{
	return gnutls_record_get_direction(s) ? POLLOUT : POLLIN;
}

/* failed - errno EPROTO, with the reason kept for tls_error. */
static ssize_t
failed(struct tls_session *t, enum err_class cls, const char *why)
{
	t->why_cls = cls;
	snprintf(t->why, sizeof(t->why), "%s", why);
	errno = EPROTO;
	return -1;
}

/* would_block - for a record call's result r: GNUTLS_E_AGAIN is a
 * non-blocking "not now" (errno EAGAIN, *want the direction to wait for);
 * true then. */
static bool
would_block(struct tls_session *t, ssize_t r, short *want)
{
	if (r != GNUTLS_E_AGAIN)
		return false;
	*want = direction(t->s);
	errno = EAGAIN;
	return true;
}

static ssize_t
tls_read(void *ctx, void *p, size_t n, short *want)
{
	struct tls_session *t = ctx;
	ssize_t r;

	if (t->dead)
		return failed(t, ERR_TLS,
			      _("the TLS session failed verification"));
	r = tls_in_recv(&t->in, p, n);
	if (r >= 0)
		return r;
	if (would_block(t, r, want))
		return -1;
	if (r == GNUTLS_E_PREMATURE_TERMINATION)
		return 0;       /* closed without close_notify */
	if (r == GNUTLS_E_REHANDSHAKE) {
		/* RFC 5746 and the triple handshake: a client that never
		 * renegotiates has nothing to defend */
		(void)gnutls_alert_send(t->s, GNUTLS_AL_WARNING,
					GNUTLS_A_NO_RENEGOTIATION);
		return failed(t, ERR_PROTO,
			      _("the server asked to renegotiate the TLS "
				"session, which smtpsend refuses "
				"(no_renegotiation)"));
	}
	return failed(t, ERR_NET, gnutls_strerror((int)r));
}

/* send_secret - hand n bytes to the record layer without corking: a
 * corked record buffer is freed by GnuTLS without being wiped, so a
 * secret never goes there. */
static ssize_t
send_secret(struct tls_session *t, const void *p, size_t n, short *want)
{
	ssize_t r;

	do {
		r = gnutls_record_send(t->s, p, n);
	} while (r == GNUTLS_E_INTERRUPTED);
	if (r >= 0 || would_block(t, r, want))
		return r >= 0 ? r : -1;
	errno = EPIPE;
	return -1;
}

/*
 * tls_write - cork the record layer, hand it all n bytes (it cuts them into
 * full 16 KiB records), then uncork: the records leave in as few socket
 * writes as the kernel allows, never one small write per record.  Secrets
 * are sent without the cork (send_secret).
 */
static ssize_t
tls_write(void *ctx, const void *p, size_t n, unsigned flags, short *want)
{
	struct tls_session *t = ctx;
	ssize_t r;

	if (t->dead)
		return failed(t, ERR_TLS,
			      _("the TLS session failed verification"));
	if ((flags & CONN_SECRET) && t->corked == 0)
		return send_secret(t, p, n, want);
	if (t->corked == 0) {
		gnutls_record_cork(t->s);
		do
			r = gnutls_record_send(t->s, p, n);
		while (r == GNUTLS_E_INTERRUPTED);
		if (r < 0) {
			errno = EPIPE;
			return -1;
		}
		t->corked = n;
	}
	for (;;) {
		r = gnutls_record_uncork(t->s, 0);
		if (r == GNUTLS_E_INTERRUPTED)
			continue;
		if (r == GNUTLS_E_AGAIN) {
			*want = direction(t->s);
			errno = EAGAIN;
			return -1;
		}
		if (r < 0) {
			errno = EPIPE;
			return -1;
		}
		r = (ssize_t)t->corked;
		t->corked = 0;
		return r;
	}
}

/* tls_error - why the last read or write failed, when TLS knows. */
static int
tls_error(void *ctx, struct err *err)
{
	struct tls_session *t = ctx;

	if (t->why[0] == '\0')
		return 0;
	if (t->why_cls == ERR_NET)
		err_set(err, ERR_NET, true, _("cannot read from the server: "
					      "TLS: %s"), t->why);
	else
		err_set(err, t->why_cls, true, "%s", t->why);
	return 1;
}

static size_t
tls_pending(void *ctx)
{
	struct tls_session *t = ctx;

	return tls_in_pending(&t->in);
}

static void
tls_close(void *ctx)
{
	struct tls_session *t = ctx;

	if (t == NULL)
		return;
	/* no gnutls_bye(): it may block on a dead peer, and SMTP's QUIT has
	 * already ended the dialogue */
	gnutls_deinit(t->s);
	if (!t->borrowed)
		tls_creds_free(t->creds);
	tls_in_free(&t->in);
	free(t);
}

static const struct conn_ops tls_ops = {
	tls_read, tls_write, tls_pending, tls_close, tls_error
};

bool
tls_active(const struct conn *c)
{
	return c->ops == &tls_ops;
}

/* --- verification ------------------------------------------------------ */

/* verify_chain - gnutls_certificate_verify_peers3 against the anchors
 * of a trust file that name an issuer of the chain, then, if that fails,
 * against all of them (trust.h): the verdict is the whole file's. */
static int
verify_chain(struct tls_session *t, const char *name,
	     const gnutls_datum_t *chain, unsigned n, unsigned *status)
{
	struct trust *tr = t->creds->trust;
	int rc;

	if (tr != NULL && trust_select(tr, t->creds->cred, chain, n) == 0)
		(void)trust_load_all(tr, t->creds->cred);
	rc = gnutls_certificate_verify_peers3(t->s, name, status);
	if (tr != NULL && (rc < 0 || *status != 0)
	    && trust_load_all(tr, t->creds->cred))
		rc = gnutls_certificate_verify_peers3(t->s, name, status);
	if (tr != NULL)
		trust_describe(tr, t->info->trust, sizeof(t->info->trust));
	return rc;
}

/* verify - check the peer; fills info->verify.  0 ok, -1 with err and
 * t->alert. */
static int
verify(struct tls_session *t, const struct tls_config *cfg,
       struct tls_info *info, struct err *err)
{
	const gnutls_datum_t *chain;
	unsigned nchain = 0, status = 0;
	char fp[128], *ace = NULL;
	int rc;

	t->alert = GNUTLS_A_BAD_CERTIFICATE;
	chain = gnutls_certificate_get_peers(t->s, &nchain);
	if (chain == NULL || nchain == 0) {
		snprintf(info->verify, sizeof(info->verify), "%s",
			 _("the server sent no certificate"));
		goto fail;
	}
	if (cfg->fingerprint != NULL) {
		const char *alg = "SHA-256";

		fp[0] = '\0';
		if (cert_fingerprint(&chain[0], strlen(cfg->fingerprint), &alg,
				     fp, sizeof(fp)) == 0
		    && strcmp(fp, cfg->fingerprint) == 0) {
			snprintf(info->verify, sizeof(info->verify),
				 _("verified (pinned %s fingerprint)"), alg);
			info->verified = true;
			return 0;
		}
		snprintf(info->verify, sizeof(info->verify),
			 _("certificate fingerprint %s does not match the "
			   "pinned %s"), fp, cfg->fingerprint);
		goto fail;
	}
	if (!cfg->certcheck) {
		snprintf(info->verify, sizeof(info->verify), "%s",
			 _("NOT verified (tls_certcheck off)"));
		return 0;
	}
	/* RFC 6125 with internationalised names: compare A-labels */
	if (idn_host_alabels(cfg->host, &ace, err) < 0)
		return -1;
	rc = verify_chain(t, ace, chain, nchain, &status);
	free(ace);
	if (rc < 0) {
		snprintf(info->verify, sizeof(info->verify),
			 _("cannot verify the certificate: %s"),
			 gnutls_strerror(rc));
		goto fail;
	}
	if (status != 0) {
		t->alert = cert_alert(status);
		cert_why_not(status, &chain[0], cfg->host, info->verify,
			sizeof(info->verify));
		goto fail;
	}
	/* "verified", translated only when shown (tls_verify_text) */
	info->verify[0] = '\0';
	info->verified = true;
	return 0;
fail:
	err_set(err, ERR_TLS, true, _("TLS certificate of %s not accepted: %s"),
		cfg->host, info->verify);
	err->config = true;
	if (cfg->fingerprint != NULL)
		err_hint(err, _("tls_fingerprint does not match: \"smtpsend "
				"--serverinfo\" shows the server's certificate "
				"and its fingerprints"));
	else
		err_hint(err, _("it was checked against %s (tls_trust_file); "
				"\"smtpsend --serverinfo\" shows the server's "
				"certificates"),
			 cfg->trust_file ? cfg->trust_file
					 : _("the system trust store"));
	return -1;
}

const char *
tls_verify_text(const struct tls_info *info)
{
	return info->verify[0] != '\0' ? info->verify : _("verified");
}

/* --- handshake --------------------------------------------------------- */

static bool
is_ip_literal(const char *h)
{
	return strspn(h, "0123456789.") == strlen(h) || strchr(h, ':');
}

/*
 * token_pin - GnuTLS asks for a token's PIN.  A PIN that was refused is
 * never offered again: a smart card locks itself after a few wrong ones.
 */
static int
token_pin(void *userdata, int attempt, const char *token_url,
	  const char *token_label, unsigned int flags, char *pin,
	  size_t pin_max)
{
	struct tls_creds *c = userdata;

	(void)token_url;
	(void)token_label;
	if (c->pin == NULL || attempt > 0 || (flags & GNUTLS_PIN_WRONG))
		return GNUTLS_E_PKCS11_PIN_ERROR;
	return c->pin(c->pin_arg, pin, pin_max) == 0
	       ? 0 : GNUTLS_E_PKCS11_PIN_ERROR;
}

/* is_url - a PKCS #11 URL rather than a file name. */
static bool
is_url(const char *s)
{
	return strncmp(s, "pkcs11:", 7) == 0;
}

/* key_failed - the client certificate and key could not be loaded, for
 * reason (GnuTLS's code rc, for the PIN hint); -1 with err. */
static int
key_failed(const struct tls_config *cfg, const char *reason, int rc,
	   struct err *err)
{
	err_set(err, ERR_CONFIG, false,
		_("cannot load the client certificate %s and key %s: %s%s"),
		cfg->cert_file, cfg->key_file, reason,
		rc == GNUTLS_E_PKCS11_PIN_ERROR
		? _(" (the PIN is the account's password: password, "
		    "passwordeval or ~/.netrc)") : "");
	return -1;
}

/* datum - what b holds, as GnuTLS takes it. */
static gnutls_datum_t
datum(const struct buf *b)
{
	gnutls_datum_t d = { (unsigned char *)b->p, (unsigned)b->len };

	return d;
}

/* key_files - the client certificate and key from files, each read only
 * when it may be trusted (trust_read_file); 0, or -1 with err. */
static int
key_files(struct tls_creds *c, const struct tls_config *cfg,
	  struct err *err)
{
	struct buf cert, key;
	gnutls_datum_t dc, dk;
	int r, rc = 0;

	buf_init(&cert, TRUST_FILE_MAX);
	buf_init_secret(&key, TRUST_FILE_MAX);
	r = trust_read_file(cfg->cert_file, &cert, err);
	if (r == 0)
		r = trust_read_file(cfg->key_file, &key, err);
	if (r == -1)
		(void)key_failed(cfg, strerror(errno), 0, err);
	if (r == 0) {
		dc = datum(&cert);
		dk = datum(&key);
		rc = gnutls_certificate_set_x509_key_mem(c->cred, &dc, &dk,
							 GNUTLS_X509_FMT_PEM);
	}
	buf_clear(&cert);
	buf_clear_secret(&key);
	if (r < 0)
		return -1;
	return rc < 0 ? key_failed(cfg, gnutls_strerror(rc), rc, err) : 0;
}

/* client_cert - load the client certificate and key (files or PKCS #11
 * URLs) into c; 0, or -1 with err (ERR_CONFIG). */
static int
client_cert(struct tls_creds *c, const struct tls_config *cfg,
	    struct err *err)
{
	int rc;

	c->pin = cfg->pin;
	c->pin_arg = cfg->pin_arg;
	gnutls_certificate_set_pin_function(c->cred, token_pin, c);
	if (!is_url(cfg->cert_file) && !is_url(cfg->key_file))
		return key_files(c, cfg, err);
	rc = gnutls_certificate_set_x509_key_file(c->cred, cfg->cert_file,
						  cfg->key_file,
						  GNUTLS_X509_FMT_PEM);
	return rc < 0 ? key_failed(cfg, gnutls_strerror(rc), rc, err) : 0;
}

/* crl_file - the CRLs of path, read only when it may be trusted
 * (trust_read_file); 0, or -1 with err (ERR_CONFIG). */
static int
crl_file(struct tls_creds *c, const char *path, struct err *err)
{
	struct buf b;
	gnutls_datum_t d;
	int r, rc = 0;

	buf_init(&b, TRUST_FILE_MAX);
	r = trust_read_file(path, &b, err);
	if (r == 0) {
		d = datum(&b);
		rc = gnutls_certificate_set_x509_crl_mem(c->cred, &d,
							 GNUTLS_X509_FMT_PEM);
	}
	buf_clear(&b);
	if (r == -2)
		return -1;      /* err says why */
	if (r == 0 && rc >= 0)
		return 0;
	err_set(err, ERR_CONFIG, false,
		_("cannot load the certificate revocation lists of %s: %s"),
		path, r == -1 ? strerror(errno) : gnutls_strerror(rc));
	return -1;
}

/* priorities - the priority string with the minimum version and the
 * minimum DH prime applied into prio (size n); -1 when it does not fit. */
static int
priorities(const struct tls_config *cfg, char *prio, size_t n)
{
	static const int ffdhe[] = { 2048, 3072, 4096, 6144, 8192 };
	const char *base = cfg->priorities ? cfg->priorities : "NORMAL";
	size_t len, i;
	int w;

	/* the oldest version accepted: TLS 1.2 unless told tls1.3 */
	w = snprintf(prio, n, "%s%s", base,
		     cfg->min_version == 13
			     ? ":-VERS-TLS1.2:-VERS-TLS1.1:-VERS-TLS1.0"
			       ":-VERS-SSL3.0"
			     : ":-VERS-TLS1.1:-VERS-TLS1.0:-VERS-SSL3.0");
	if (w < 0 || (size_t)w >= n)
		return -1;
	len = (size_t)w;
	/* tls_min_dh_prime_bits: the RFC 7919 groups with a smaller prime
	 * are not offered (gnutls_dh_set_prime_bits covers only a server's
	 * own parameters) */
	for (i = 0; i < sizeof(ffdhe) / sizeof(ffdhe[0]); i++) {
		if (cfg->min_dh_bits <= ffdhe[i])
			break;
		w = snprintf(prio + len, n - len, ":-GROUP-FFDHE%d", ffdhe[i]);
		if (w < 0 || (size_t)w >= n - len)
			return -1;
		len += (size_t)w;
	}
	return 0;
}

/* trust_on_demand - the trust store of cfg: a PEM file is read now and
 * its certificates loaded when a chain needs them (trust.h); the system
 * store is its file (configure's --with-system-trust-file) or, without
 * one, GnuTLS's own, loaded now.  *rc as GnuTLS's loaders say it (the
 * count, or a negative error); -1 with err when the file is unusable. */
static int
trust_on_demand(struct tls_creds *c, const struct tls_config *cfg,
		struct err *err, int *rc)
{
	const char *path = cfg->trust_file;

	if (path == NULL || strcmp(path, "system") == 0) {
#ifdef SYSTEM_TRUST_FILE
		if (access(SYSTEM_TRUST_FILE, R_OK) == 0)
			path = SYSTEM_TRUST_FILE;
		else
#endif
		{
			*rc = gnutls_certificate_set_x509_system_trust(c->cred);
			return 0;
		}
	}
	c->trust = trust_open(path, err);
	*rc = 1;
	return c->trust != NULL ? 0 : -1;
}

struct tls_creds *
tls_creds_new(const struct tls_config *cfg, struct err *err)
{
	struct tls_creds *c;
	gnutls_priority_t pc;
	char prio[2048];
	const char *errpos = NULL;
	int rc;

	if (global_init(err) < 0)
		return NULL;
	c = xcalloc(1, sizeof(*c));
	rc = gnutls_certificate_allocate_credentials(&c->cred);
	if (rc < 0) {
		err_set(err, ERR_TLS, true, _("TLS setup failed: %s"),
			gnutls_strerror(rc));
		goto fail;
	}
	/* with a pinned fingerprint or without checks no CA is consulted,
	 * and a missing trust file must not stop the mail */
	if (!cfg->certcheck || cfg->fingerprint != NULL)
		rc = 1;
	else if (trust_on_demand(c, cfg, err, &rc) < 0)
		goto fail;
	if (rc <= 0) {
		err_set(err, ERR_CONFIG, false,
			_("cannot load trusted certificates from %s: %s"),
			cfg->trust_file ? cfg->trust_file
					: _("the system store"),
			rc < 0 ? gnutls_strerror(rc) : _("no certificates"));
		goto fail;
	}
	if (cfg->certcheck && cfg->fingerprint == NULL && cfg->crl_file != NULL
	    && crl_file(c, cfg->crl_file, err) < 0)
		goto fail;
	if (cfg->cert_file != NULL && client_cert(c, cfg, err) < 0)
		goto fail;
	if (priorities(cfg, prio, sizeof(prio)) < 0) {
		err_set(err, ERR_CONFIG, false,
			_("the TLS priority string is too long (%zu "
			  "characters)"), strlen(cfg->priorities));
		goto fail;
	}
	rc = gnutls_priority_init(&pc, prio, &errpos);
	if (rc == GNUTLS_E_NO_PRIORITIES_WERE_SET) {
		err_set(err, ERR_CONFIG, false,
			_("the TLS priority string \"%s\" leaves no TLS "
			  "version to use (TLS 1.1 and older never are): "
			  "allow TLS 1.2 or 1.3"),
			cfg->priorities ? cfg->priorities : "NORMAL");
		goto fail;
	}
	if (rc < 0) {
		err_set(err, ERR_CONFIG, false,
			_("invalid TLS priority string \"%s\" near \"%s\": %s"),
			cfg->priorities ? cfg->priorities : "NORMAL",
			errpos ? errpos : "", gnutls_strerror(rc));
		goto fail;
	}
	gnutls_priority_deinit(pc);
	return c;
fail:
	tls_creds_free(c);
	return NULL;
}

void
tls_creds_free(struct tls_creds *c)
{
	if (c == NULL)
		return;
	if (c->cred != NULL)
		gnutls_certificate_free_credentials(c->cred);
	trust_free(c->trust);
	free(c);
}

static int
setup(struct tls_session *t, const struct tls_config *cfg, struct err *err)
{
	char prio[2048];
	int rc;

	if (cfg->creds != NULL) {
		t->creds = cfg->creds;
		t->borrowed = true;
	} else {
		t->creds = tls_creds_new(cfg, err);
		if (t->creds == NULL)
			return -1;
	}
	rc = gnutls_init(&t->s, GNUTLS_CLIENT | GNUTLS_NONBLOCK);
	if (rc < 0)
		goto gnutls_fail;
	/* tls_creds_new has checked that it fits */
	rc = priorities(cfg, prio, sizeof(prio)) < 0
	     ? GNUTLS_E_INVALID_REQUEST
	     : gnutls_priority_set_direct(t->s, prio, NULL);
	if (rc < 0)
		goto gnutls_fail;
	rc = gnutls_credentials_set(t->s, GNUTLS_CRD_CERTIFICATE,
				    t->creds->cred);
	if (rc < 0)
		goto gnutls_fail;
	if (!is_ip_literal(cfg->host)) {
		char *sni;

		if (idn_host_alabels(cfg->host, &sni, err) < 0)
			return -1;
		gnutls_server_name_set(t->s, GNUTLS_NAME_DNS, sni, strlen(sni));
		snprintf(t->info->sni, sizeof(t->info->sni), "%s", sni);
		free(sni);
	}
	gnutls_ocsp_status_request_enable_client(t->s, NULL, 0, NULL);
	if (cfg->min_dh_bits > 0)       /* finite-field DHE of TLS 1.2 */
		gnutls_dh_set_prime_bits(t->s, (unsigned)cfg->min_dh_bits);
	gnutls_handshake_set_timeout(t->s, 0);
	return 0;
gnutls_fail:
	err_set(err, ERR_TLS, true, _("TLS setup failed: %s"),
		gnutls_strerror(rc));
	return -1;
}

/* describe_ext - ALPN and the OCSP staple (RFC 6066 3, 8; RFC
 * 7301). */
static void
describe_ext(struct tls_session *t, struct tls_info *info)
{
	gnutls_datum_t d;

	/* info->sni: set when it was sent (setup) */
	if (gnutls_alpn_get_selected_protocol(t->s, &d) == 0)
		snprintf(info->alpn, sizeof(info->alpn), "%.*s", (int)d.size,
			 (const char *)d.data);
	if (gnutls_ocsp_status_request_get(t->s, &d) < 0)
		snprintf(info->ocsp, sizeof(info->ocsp), "none");
	else if (gnutls_ocsp_status_request_is_checked(t->s, 0))
		snprintf(info->ocsp, sizeof(info->ocsp), "stapled, valid");
	else
		snprintf(info->ocsp, sizeof(info->ocsp), "stapled, not valid");
}

static void
describe(struct tls_session *t, struct tls_info *info)
{
	gnutls_protocol_t v = gnutls_protocol_get_version(t->s);
	const char *suite = gnutls_ciphersuite_get(t->s);
	char *desc, *p;

	snprintf(info->version, sizeof(info->version), "%s",
		 gnutls_protocol_get_name(v));
	info->proto = v == GNUTLS_TLS1_3 ? 13 : 12;
	t->proto = info->proto;
	snprintf(info->cipher, sizeof(info->cipher), "%s",
		 suite ? suite : "?");
	/* the key exchange is the second part of the session description,
	 * "(TLS1.3)-(ECDHE-X25519)-(RSA-PSS-RSAE-SHA256)-(AES-256-GCM)" */
	desc = gnutls_session_get_desc(t->s);
	if (desc != NULL) {
		p = strstr(desc, ")-(");
		if (p != NULL) {
			char *e = strchr(p + 3, ')');
			if (e != NULL)
				snprintf(info->kx, sizeof(info->kx), "%.*s",
					 (int)(e - p - 3), p + 3);
		}
		gnutls_free(desc);
	}
	describe_ext(t, info);
}

/* verify_cb - GnuTLS calls it as soon as the server's certificate has
 * come: a refusal ends the handshake before the server hears anything
 * from us but the alert. */
static int
verify_cb(gnutls_session_t s)
{
	struct tls_session *t = gnutls_session_get_ptr(s);

	describe(t, t->info);
	return verify(t, t->cfg, t->info, &t->verr) < 0 ? -1 : 0;
}

/* broken_off - whether a handshake error means that the connection broke
 * or the peer did not speak TLS at all (temporary, like a network
 * failure), rather than a refusal on one side (a TLS failure). */
static bool
broken_off(int rc)
{
	switch (rc) {
	case GNUTLS_E_PREMATURE_TERMINATION:
	case GNUTLS_E_PULL_ERROR:
	case GNUTLS_E_PUSH_ERROR:
	case GNUTLS_E_UNEXPECTED_PACKET:
	case GNUTLS_E_UNEXPECTED_PACKET_LENGTH:
	case GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET:
	case GNUTLS_E_RECORD_OVERFLOW:
		return true;
	default:
		return false;
	}
}

/* handshake - run it on fd by the deadline.  0, or -1 with err. */
static int
handshake(struct tls_session *t, int fd, long long deadline, int timeout_ms,
	  struct err *err)
{
	unsigned long long taken;
	int rc;

	for (;;) {
		taken = t->in.taken;
		rc = gnutls_handshake(t->s);
		if (rc == 0)
			return 0;
		if (rc != GNUTLS_E_AGAIN && rc != GNUTLS_E_INTERRUPTED) {
			if (gnutls_error_is_fatal(rc) == 0)
				continue;
			/* the peer's first bytes were no TLS record: it
			 * speaks plain SMTP (say, "220 ...") */
			if (rc == GNUTLS_E_UNEXPECTED_PACKET_LENGTH
			    || rc == GNUTLS_E_UNEXPECTED_PACKET)
				t->info->not_tls = true;
			if (t->verr.cls != ERR_NONE)
				*err = t->verr;
			else
				err_set(err, broken_off(rc) ? ERR_NET : ERR_TLS,
					true, _("TLS handshake with %s failed: "
						"%s"), t->cfg->host,
					gnutls_strerror(rc));
			return -1;
		}
		/* not the socket: the buffer (tls_in.h) */
		if (tls_in_again(&t->in, taken))
			continue;
		rc = util_poll(fd, direction(t->s), deadline);
		if (rc < 0) {
			err_set_errno(err, ERR_NET, true, errno, "poll");
			return -1;
		}
		if (rc == 0) {
			err_set(err, ERR_NET, true,
				_("timed out during the TLS handshake "
				  "(timeout %d s)"), (timeout_ms + 999) / 1000);
			return -1;
		}
	}
}

/* send_alert - the fatal alert of a refused certificate, briefly. */
static void
send_alert(struct tls_session *t, int fd)
{
	struct pollfd pfd = { fd, POLLOUT, 0 };
	int i, rc;

	for (i = 0; i < 100; i++) {
		rc = gnutls_alert_send(t->s, GNUTLS_AL_FATAL,
				       (gnutls_alert_description_t)t->alert);
		if (rc != GNUTLS_E_AGAIN && rc != GNUTLS_E_INTERRUPTED)
			return;
		(void)poll(&pfd, 1, 10);
	}
}

int
tls_start(struct conn *c, const struct tls_config *cfg, int timeout_ms,
	  struct tls_info *info, struct err *err)
{
	struct tls_session *t = NULL;
	long long deadline = timeout_ms > 0 ? util_now_ms() + timeout_ms : 0;

	memset(info, 0, sizeof(*info));
	if (conn_pending(c) > 0) {
		err_set(err, ERR_PROTO, true,
			_("the server sent data before the TLS handshake"));
		return -1;
	}
	if (global_init(err) < 0)
		return -1;
	t = xcalloc(1, sizeof(*t));
	t->cfg = cfg;
	t->info = info;
	if (setup(t, cfg, err) < 0)
		goto fail;
	gnutls_session_set_ptr(t->s, t);
	gnutls_session_set_verify_function(t->s, verify_cb);
	tls_in_attach(&t->in, t->s, c->fd);
	if (handshake(t, c->fd, deadline, timeout_ms, err) == 0) {
		describe(t, info);
		conn_set_ops(c, &tls_ops, t);
		return 0;
	}
	if (t->verr.cls == ERR_NONE)
		goto fail;
	/* refused: tell the server why and say nothing else, ever; the
	 * session stays for --serverinfo to show the chain */
	send_alert(t, c->fd);
	t->dead = true;
	conn_set_ops(c, &tls_ops, t);
	return -1;
fail:
	if (t->s != NULL)
		gnutls_deinit(t->s);
	if (!t->borrowed)
		tls_creds_free(t->creds);
	tls_in_free(&t->in);
	free(t);
	return -1;
}

int
tls_channel_binding(const struct conn *c, const char **type, char **data)
{
	struct tls_session *t;
	gnutls_datum_t cb, b64;
	int rc;

	if (!tls_active(c))
		return -1;
	t = c->ctx;
	if (t->proto == 13) {
		rc = gnutls_session_channel_binding(t->s,
						    GNUTLS_CB_TLS_EXPORTER,
						    &cb);
		*type = "tls-exporter";
	} else {
		rc = gnutls_session_channel_binding(t->s, GNUTLS_CB_TLS_UNIQUE,
						    &cb);
		*type = "tls-unique";
	}
	if (rc < 0)
		return -1;
	rc = gnutls_base64_encode2(&cb, &b64);
	gnutls_free(cb.data);
	if (rc < 0)
		return -1;
	*data = xstrndup((const char *)b64.data, b64.size);
	gnutls_free(b64.data);
	return 0;
}

void
tls_print_chain(const struct conn *c, bool plain, FILE *out)
{
	const struct tls_session *t;
	const gnutls_datum_t *chain;
	unsigned n = 0;

	if (!tls_active(c))
		return;
	t = c->ctx;
	chain = gnutls_certificate_get_peers(t->s, &n);
	cert_print_chain(chain, n, plain, out);
}
