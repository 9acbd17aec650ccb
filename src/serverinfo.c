/*
 * serverinfo.c - --serverinfo (see serverinfo.h).
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "conn.h"
#include "deliver.h"
#include "exitcodes.h"
#include "gettext.h"
#include "net.h"
#include "profile.h"
#include "report.h"
#include "serverinfo.h"
#include "smtp.h"
#include "tls.h"

static void
print_caps(FILE *out, const char *title, const struct smtp_session *s)
{
	char caps[256];

	caps_describe(&s->caps, caps, sizeof(caps));
	fprintf(out, "%s %s\n", title, caps[0] ? caps : _("(none)"));
	if (s->caps.flags & CAP_SIZE)
		fprintf(out, _("  maximum message size: %llu bytes%s\n"),
			s->caps.size_max,
			s->caps.size_max ? "" : _(" (no limit announced)"));
	if (s->caps.flags & CAP_AUTH)
		fprintf(out, _("  authentication methods: %s\n"), s->caps.auth);
}

static void
print_tls(FILE *out, const struct tls_info *info, const struct conn *conn)
{
	fprintf(out, _("TLS: %s\n"), info->version);
	fprintf(out, _("  cipher suite: %s\n"), info->cipher);
	fprintf(out, _("  key exchange: %s\n"), info->kx);
	fprintf(out, _("  server name sent (SNI): %s\n"),
		info->sni[0] ? info->sni : _("none (an IP address)"));
	fprintf(out, _("  OCSP staple: %s\n"), info->ocsp);
	if (conn != NULL)
		tls_print_chain(conn, false, out);
	fprintf(out, _("Verification: %s\n"), tls_verify_text(info));
}

/* accepts - whether the server completes a TLS handshake of version v
 * (12 or 13) with account a: one more session, ended with QUIT. */
static bool
accepts(const struct account *a, int v)
{
	struct account alt = *a;
	struct smtp_session s;
	struct conn *conn = NULL;
	struct tls_info info;
	struct err err;
	enum smtp_stage stage;
	char prio[512];

	err_clear(&err);
	memset(&info, 0, sizeof(info));
	alt.fallback_hosts = NULL;
	if (v == 13) {
		alt.tls_min_version = TLSV_13;
	} else {
		snprintf(prio, sizeof(prio), "%s:-VERS-TLS1.3",
			 a->tls_priorities ? a->tls_priorities : "NORMAL");
		alt.tls_priorities = prio;
		alt.tls_min_version = TLSV_12;
	}
	(void)deliver_session_open(&alt, &s, &conn, NULL, &stage, &info,
				   &err);
	deliver_session_close(&s, conn, &err);
	/* a refused certificate still means the version was agreed */
	return info.proto == v;
}

/* print_versions - which of TLS 1.2 and 1.3 the server accepts. */
static void
print_versions(const struct account *a, FILE *out)
{
	fprintf(out, _("TLS versions accepted: TLS1.2 %s, TLS1.3 %s\n"),
		accepts(a, 12) ? _("yes") : _("no"),
		accepts(a, 13) ? _("yes") : _("no"));
}

/* print_verdict - one line: whether the account can send through this
 * server, else what to change. */
static void
print_verdict(const struct account *a, int rc, const struct err *err,
	      const struct smtp_session *s, FILE *out)
{
	if (rc < 0)
		fprintf(out, _("Verdict: not usable: %s\n"),
			err->hint[0] ? err->hint : err->text);
	else if (a->auth != AUTH_OFF && !(s->caps.flags & CAP_AUTH))
		fprintf(out, _("Verdict: not usable: the account authenticates "
			       "but the server offers no AUTH here%s\n"),
			a->tls ? "" : _(" (it may after TLS: tls on)"));
	else
		fprintf(out, _("Verdict: usable: the session works as the "
			       "account is set up\n"));
}

/*
 * serverinfo_run - connect as account a would, print the greeting, the
 * capabilities before and after TLS, the TLS version, cipher suite, key
 * exchange, certificate chain and verification result to out, then QUIT.
 * Returns the exit status (report_err_status): 0; 77 when TLS
 * verification failed; 75 or 69 when the server could not be reached or
 * refused the session.
 */
static int
serverinfo_run(const struct account *a, struct transcript *tr, FILE *out)
{
	struct account first;
	struct smtp_session s;
	struct conn *conn = NULL;
	struct tls_info info;
	struct tls_config cfg;
	struct err err;
	enum smtp_stage stage;
	bool starttls = a->tls && a->tls_starttls;
	int rc;

	err_clear(&err);
	memset(&s, 0, sizeof(s));
	memset(&info, 0, sizeof(info));
	if (a->socket != NULL)
		fprintf(out, _("Server: %s over the socket %s\n"), a->host,
			a->socket);
	else if (a->proxy_host != NULL)
		fprintf(out, _("Server: %s port %d through the SOCKS5 proxy %s "
			       "port %d\n"), a->host, account_port(a),
			a->proxy_host, account_proxy_port(a));
	else
		fprintf(out, _("Server: %s port %d\n"), a->host,
			account_port(a));

	/* with STARTTLS, open the session in the clear first, show what the
	 * server offers there, then switch on the same connection */
	first = *a;
	if (starttls)
		first.tls = false;
	rc = deliver_session_open(&first, &s, &conn, tr, &stage, &info, &err);
	if (rc == 0) {
		fprintf(out, _("Greeting: %d %s\n"), 220, s.greeting);
		if (!a->tls)
			fprintf(out, _("TLS: not used (tls off)\n"));
		else if (!starttls)
			print_tls(out, &info, conn);
		print_caps(out, starttls ? _("Capabilities before TLS:")
			   : a->tls ? _("Capabilities (with TLS):")
				    : _("Capabilities:"), &s);
	} else if (info.version[0]) {
		print_tls(out, &info, conn);
	} else if (starttls && err.hint[0] && stage == STAGE_GREETING) {
		deliver_hint_implicit(a, &err); /* for a, not first */
	}
	if (rc == 0 && starttls) {
		deliver_tls_config(a, &cfg);
		cfg.creds = tls_creds_new(&cfg, &err);
		rc = cfg.creds ? smtp_starttls(&s, &cfg, &info, &err) : -1;
		s.creds = cfg.creds;
		if (info.version[0])
			print_tls(out, &info, tls_active(conn) ? conn : NULL);
		if (rc == 0)
			rc = smtp_ehlo(&s, s.helo, &err);
		if (rc == 0)
			print_caps(out, _("Capabilities after TLS:"), &s);
	}
	deliver_session_close(&s, conn, &err);
	if (rc == 0 && a->tls)
		print_versions(a, out);
	if (err.cls == ERR_TLS && info.version[0])
		err.hint[0] = '\0';    /* the chain is shown above */
	print_verdict(a, rc, &err, &s, out);
	return report_outcome(rc, &err);
}

int
serverinfo_mode(const struct cli *cli)
{
	struct transcript tr;
	struct account *a;
	char *config = NULL;
	int status;

	a = profile_cli(cli, false, NULL, &config);
	if (a == NULL)
		return EX_CONFIG;
	transcript_start(&tr, &cli->trace);
	status = serverinfo_run(a, &tr, stdout);
	account_free(a);
	free(config);
	return status;
}
