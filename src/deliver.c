/*
 * deliver.c - one delivery attempt (RFC 5321 3.1-3.3, 4.1.4 order of
 * commands, 3.8 421 handling; RFC 3207 STARTTLS; RFC 8314 implicit TLS;
 * RFC 4954 AUTH; RFC 2033 LMTP).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"
#include "deliver.h"
#include "dial.h"
#include "gettext.h"
#include "net.h"
#include "report.h"
#include "sasl.h"
#include "secret.h"
#include "smtp.h"
#include "tls.h"
#include "txn.h"
#include "util.h"
#include "xalloc.h"

/* fail_session - every open recipient takes err; remember it.  For a
 * queued entry a setting to fix (err.h: config) is temporary whatever the
 * server said: the entry waits, held, for the fix (flush.c). */
static void
fail_session(struct envelope *e, enum smtp_stage stage, const struct err *err)
{
	struct err why = *err;

	if (why.config && e->hold_on_config)
		why.temp = true;
	envelope_fail_open(e, stage, &why);
	e->session = why;
	if (!why.temp && stage < STAGE_MAIL && why.cls != ERR_CONFIG)
		e->message_rejected = true;
}

/* account_pin - a PKCS #11 token's PIN: the account's password (from
 * password, passwordeval or ~/.netrc; never a prompt, which would ask for
 * a "password"). */
static int
account_pin(void *arg, char *pin, size_t n)
{
	const struct account *a = arg;
	char *user = NULL, *pw = NULL;
	struct err err;
	size_t len;
	int ret = -1;

	err_clear(&err);
	if (secret_password(a, false, &user, &pw, &err) < 0) {
		report_warning(_("PIN of the PKCS #11 token: %s"), err.text);
		goto out;
	}
	len = strlen(pw);
	if (len >= n) {
		report_warning(_("PIN of the PKCS #11 token: longer than %zu "
				 "bytes"), n - 1);
		goto out;
	}
	memcpy(pin, pw, len + 1);
	ret = 0;
out:
	free(user);
	xfree_secret(pw);
	return ret;
}

void
deliver_tls_config(const struct account *a, struct tls_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->host = a->tls_host_override ? a->tls_host_override : a->host;
	cfg->trust_file = a->tls_trust_file;
	cfg->crl_file = a->tls_crl_file;
	cfg->fingerprint = a->tls_fingerprint;
	cfg->certcheck = a->tls_certcheck;
	cfg->cert_file = a->tls_cert_file;
	cfg->key_file = a->tls_key_file;
	cfg->pin = account_pin;
	cfg->pin_arg = (void *)a;
	cfg->priorities = a->tls_priorities;
	cfg->min_version = a->tls_min_version == TLSV_13 ? 13 : 12;
	cfg->min_dh_bits = a->tls_min_dh_prime_bits;
	if (a->tls && a->tls_fingerprint != NULL
	    && strlen(a->tls_fingerprint) != 95)
		report_warning(_("tls_fingerprint: %s fingerprints are weak "
				 "(a forger can match one more easily); pin "
				 "the SHA-256 one (smtpsend --serverinfo "
				 "shows it)"), strlen(a->tls_fingerprint) == 59
				 ? "SHA-1" : "MD5");
	if (a->tls && !a->tls_certcheck && a->tls_fingerprint == NULL)
		report_warning(_("TLS certificate checks are off "
				 "(tls_certcheck off): anyone on the path to "
				 "%s can read and change this session"),
			       a->host);
}

/* trace_chain - the server's certificates, a note per line. */
static void
trace_chain(struct transcript *tr, const struct conn *conn)
{
	char *text = NULL, *p, *nl;
	size_t len = 0;
	FILE *m;

	if (tr == NULL || (tr->out == NULL && tr->mem == NULL) || conn == NULL
	    || !tls_active(conn) || (m = open_memstream(&text, &len)) == NULL)
		return;
	tls_print_chain(conn, true, m);
	if (fclose(m) == 0)
		for (p = text; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
			transcript_note(tr, "%.*s", (int)(nl - p), p);
	free(text);
}

static void
trace_tls(struct transcript *tr, const struct tls_info *info,
	  const struct conn *conn)
{
	transcript_note(tr, "TLS: %s, %s, key exchange %s", info->version,
			info->cipher, info->kx[0] ? info->kx : "?");
	transcript_note(tr, "TLS: SNI %s, ALPN %s, OCSP staple %s",
			info->sni[0] ? info->sni : "none (an IP address)",
			info->alpn[0] ? info->alpn : "none",
			info->ocsp[0] ? info->ocsp : "none");
	trace_chain(tr, conn);
	/* the trace is not translated: "verified" as it is (the reasons
	 * of a refusal are the error's own text) */
	transcript_note(tr, "TLS certificate: %s",
			info->verify[0] != '\0' ? info->verify : "verified");
	if (info->trust[0] != '\0')
		transcript_note(tr, "TLS trust anchors: %s", info->trust);
}

/* starttls - STARTTLS, the handshake, and EHLO again (not when the
 * session ends after TLS: --quit-after=tls). */
static int
starttls(struct smtp_session *s, struct tls_config *cfg,
	 struct transcript *tr, enum smtp_stage *stage, struct tls_info *info,
	 enum smtp_stage stop, struct err *err)
{
	*stage = STAGE_TLS;
	if (smtp_starttls(s, cfg, info, err) < 0) {
		if (info->version[0])
			trace_tls(tr, info, s->conn);
		return -1;
	}
	trace_tls(tr, info, s->conn);
	if (stop == STAGE_TLS)
		return 0;
	*stage = STAGE_EHLO;
	return smtp_ehlo(s, s->helo, err);
}

void
deliver_hint_implicit(const struct account *a, struct err *err)
{
	const char *fix = a->tls ? "tls_starttls off"
				 : "tls on and tls_starttls off";

	if (account_port(a) == 465)
		err_hint(err, _("port 465 is implicit TLS: set %s"), fix);
	else
		err_hint(err, _("if the server expects TLS from the start "
				"(implicit TLS, as on port 465), set %s"), fix);
}

/* hint_starttls - the TLS handshake met a server that speaks plain
 * SMTP. */
static void
hint_starttls(const struct account *a, struct err *err)
{
	int port = account_port(a);

	if (port == 587 || port == 25)
		err_hint(err, _("port %d speaks plain SMTP first and offers "
				"STARTTLS: set tls_starttls on"), port);
	else
		err_hint(err, _("the server speaks plain SMTP first, not TLS: "
				"set tls_starttls on to use STARTTLS"));
}

/* greet - the greeting and EHLO (and STARTTLS), up to the step stop. */
static int
greet(const struct account *a, struct smtp_session *s,
      struct tls_config *cfg, struct transcript *tr, enum smtp_stage *stage,
      struct tls_info *info, enum smtp_stage stop, struct err *err)
{
	*stage = STAGE_GREETING;
	if (smtp_greeting(s, err) < 0) {
		/* nothing came: a server waiting for a TLS handshake
		 * stays silent */
		if (s->conn->bytes_in == 0 && (!a->tls || a->tls_starttls)
		    && (s->conn->fail == CONN_FAIL_TIMEOUT
			|| account_port(a) == 465))
			deliver_hint_implicit(a, err);
		return -1;
	}
	/* with implicit TLS, TLS came before the greeting */
	if (stop == STAGE_CONNECT || (stop == STAGE_TLS && !a->tls_starttls))
		return 0;
	*stage = STAGE_EHLO;
	if (smtp_ehlo(s, s->helo, err) < 0)
		return -1;
	if (a->tls && a->tls_starttls
	    && starttls(s, cfg, tr, stage, info, stop, err) < 0)
		return -1;
	if (tr != NULL && (tr->out != NULL || tr->mem != NULL)) {
		char caps[256];
		caps_describe(&s->caps, caps, sizeof(caps));
		transcript_note(tr, "server capabilities: %s",
				caps[0] ? caps : "(none)");
	}
	return 0;
}

static int
open_one(const struct account *a, struct smtp_session *s, struct conn **conn,
	 struct transcript *tr, enum smtp_stage *stage, struct tls_info *info,
	 enum smtp_stage stop, struct err *err)
{
	struct smtp_timeouts to;
	struct tls_config cfg;
	int fd = -1, port = account_port(a);
	long long started;

	*conn = NULL;
	smtp_timeouts_set(&to, a->timeout);
	deliver_tls_config(a, &cfg);
	*stage = STAGE_CONNECT;
	memset(s, 0, sizeof(*s));
	started = util_now_ms();
	if (dial(a, port, to.connect, tr, &fd, err) < 0) {
		transcript_note(tr, "%s", err->text);
		return -1;
	}
	if (a->tls) {
		/* once connected, so that a server that cannot be reached
		 * costs no GnuTLS, trust file or priorities; a local mistake
		 * still shows before anything is sent */
		cfg.creds = tls_creds_new(&cfg, err);
		if (cfg.creds == NULL) {
			close(fd);
			return -1;
		}
	}
	*conn = conn_new(fd);
	smtp_init(s, *conn, tr, &to);
	s->lmtp = a->protocol == PROTO_LMTP;
	s->creds = cfg.creds;   /* freed by deliver_session_close */
	s->started = started;
	if (a->domain != NULL)
		snprintf(s->helo, sizeof(s->helo), "%s", a->domain);
	else
		net_helo_name(fd, s->helo, sizeof(s->helo));

	if (a->tls && !a->tls_starttls) {
		*stage = STAGE_TLS;
		if (tls_start(*conn, &cfg, to.greeting, info, err) < 0) {
			if (info->version[0])
				trace_tls(tr, info, s->conn);
			/* no word after a failed handshake or a refused
			 * certificate: the alert said it all */
			s->broken = true;
			if (info->not_tls)
				hint_starttls(a, err);
			return -1;
		}
		trace_tls(tr, info, s->conn);
	}
	return greet(a, s, &cfg, tr, stage, info, stop, err);
}

/* session_open - deliver_session_open, up to the step stop. */
static int
session_open(const struct account *a, struct smtp_session *s,
	     struct conn **conn, struct transcript *tr,
	     enum smtp_stage *stage, struct tls_info *info,
	     enum smtp_stage stop, struct err *err)
{
	const char *list = a->fallback_hosts;
	char host[256];
	struct account alt;
	int port;

	if (open_one(a, s, conn, tr, stage, info, stop, err) == 0)
		return 0;
	/* fallback_hosts: the next server when this one cannot be reached
	 * or turns us away for now (4xx) before any mail was offered */
	while (list != NULL && *stage <= STAGE_EHLO && err->temp
	       && err->cls != ERR_CONFIG
	       && account_next_host(&list, host, sizeof(host), &port) > 0) {
		transcript_note(tr, "%s; trying the fallback host %s",
				err->text, host);
		deliver_session_close(s, *conn, err);
		*conn = NULL;
		alt = *a;
		alt.host = host;
		if (port > 0)
			alt.port = port;
		memset(info, 0, sizeof(*info));
		if (open_one(&alt, s, conn, tr, stage, info, stop, err) == 0)
			return 0;
	}
	return -1;
}

int
deliver_session_open(const struct account *a, struct smtp_session *s,
		     struct conn **conn, struct transcript *tr,
		     enum smtp_stage *stage, struct tls_info *info,
		     struct err *err)
{
	return session_open(a, s, conn, tr, stage, info, STAGE_NONE, err);
}

void
deliver_session_close(struct smtp_session *s, struct conn *conn,
		      const struct err *err)
{
	/* after a lost connection there is nobody to say QUIT to */
	if (conn != NULL && !s->broken && err->cls != ERR_NET
	    && err->code != 421 && err->cls != ERR_PROTO)
		smtp_quit(s);
	conn_free(conn);
	tls_creds_free(s->creds);
	s->creds = NULL;
}

int
deliver_auth(struct smtp_session *s, const struct account *a,
	     bool allow_prompt, struct sasl_plan *plan, char **line,
	     struct err *err)
{
	*line = NULL;
	if (a->auth == AUTH_OFF)
		return 0;
	if (sasl_choose(s, a, plan, err) < 0)
		return -1;
	if (plan->one_step && (s->caps.flags & CAP_PIPELINING)) {
		/* RFC 4954 4: pipelined with the first transaction */
		if (sasl_oneshot_line(a, plan, allow_prompt, line, err) < 0)
			return -1;
		transcript_note(s->tr, "authenticating with %s, pipelined with "
				"the transaction", plan->mech);
		return 0;
	}
	return sasl_authenticate(s, a, plan, allow_prompt, err);
}

int
deliver_message(struct smtp_session *s, struct envelope *e,
		const struct message *m, const struct sasl_plan *plan,
		char **auth_line, struct err *err)
{
	struct txn_auth auth;
	enum smtp_stage stage;
	bool more;

	auth.plan = plan;
	do {
		int rc;

		auth.line = *auth_line;
		rc = txn_run(s, e, m, *auth_line ? &auth : NULL, &more, &stage,
			     err);
		xfree_secret(*auth_line);
		*auth_line = NULL;
		if (rc < 0) {
			fail_session(e, stage, err);
			return -1;
		}
	} while (more);
	return 0;
}

int
deliver_ahead(struct smtp_session *s, struct envelope *e,
	      const struct message *m, struct txn **t, struct err *err)
{
	enum smtp_stage stage;
	int rc = txn_ahead(s, e, m, t, &stage, err);

	if (rc < 0)
		fail_session(e, stage, err);
	return rc;
}

int
deliver_ahead_finish(struct envelope *e, struct txn *t, bool *more,
		     struct err *err)
{
	enum smtp_stage stage;

	if (txn_finish(t, more, &stage, err) < 0) {
		fail_session(e, stage, err);
		return -1;
	}
	return 0;
}

void
deliver_fail(struct envelope *e, enum smtp_stage stage, const struct err *err)
{
	fail_session(e, stage, err);
}

void
deliver_attempt(const struct account *a, struct envelope *e,
		const struct message *m, struct transcript *tr,
		bool allow_prompt)
{
	struct smtp_session s;
	struct conn *conn = NULL;
	struct tls_info info;
	struct err err;
	enum smtp_stage stage;
	struct sasl_plan plan;
	char *auth_line = NULL;

	err_clear(&err);
	memset(&s, 0, sizeof(s));
	memset(&info, 0, sizeof(info));
	if (deliver_session_open(a, &s, &conn, tr, &stage, &info, &err) < 0) {
		fail_session(e, stage, &err);
		goto quit;
	}
	if (deliver_auth(&s, a, allow_prompt, &plan, &auth_line, &err) < 0) {
		fail_session(e, STAGE_AUTH, &err);
		goto quit;
	}
	(void)deliver_message(&s, e, m, &plan, &auth_line, &err);
quit:
	xfree_secret(auth_line);
	deliver_session_close(&s, conn, &err);
}

/* probe_auth - --quit-after=auth: AUTH on its own, never pipelined. */
static int
probe_auth(struct smtp_session *s, const struct account *a,
	   bool allow_prompt, struct err *err)
{
	struct sasl_plan plan;

	if (sasl_choose(s, a, &plan, err) < 0)
		return -1;
	return sasl_authenticate(s, a, &plan, allow_prompt, err);
}

void
deliver_probe(const struct account *a, struct envelope *e,
	      const struct message *m, struct transcript *tr,
	      bool allow_prompt, enum smtp_stage stop)
{
	struct smtp_session s;
	struct conn *conn = NULL;
	struct tls_info info;
	struct err err;
	enum smtp_stage stage;
	struct sasl_plan plan;
	char *auth_line = NULL;

	err_clear(&err);
	memset(&s, 0, sizeof(s));
	memset(&info, 0, sizeof(info));
	if (session_open(a, &s, &conn, tr, &stage, &info, stop, &err) < 0) {
		fail_session(e, stage, &err);
		goto quit;
	}
	if (stop == STAGE_AUTH && a->auth != AUTH_OFF
	    && probe_auth(&s, a, allow_prompt, &err) < 0)
		fail_session(e, STAGE_AUTH, &err);
	if (stop != STAGE_MAIL && stop != STAGE_RCPT)
		goto quit;
	if (deliver_auth(&s, a, allow_prompt, &plan, &auth_line, &err) < 0) {
		fail_session(e, STAGE_AUTH, &err);
		goto quit;
	}
	s.quit_after = stop;
	(void)deliver_message(&s, e, m, &plan, &auth_line, &err);
quit:
	transcript_note(tr, "--quit-after=%s: ending the session",
			smtp_stage_name(stop));
	xfree_secret(auth_line);
	deliver_session_close(&s, conn, &err);
}
