/*
 * sasl.h - SMTP authentication (RFC 4954).  PLAIN, LOGIN, XOAUTH2 and
 * OAUTHBEARER (RFC 7628) are done here; the others (SCRAM, CRAM-MD5,
 * GSSAPI, ...) with libgsasl, which is loaded only when one of them is
 * considered (load_gsasl.h).
 *
 * "auth on" picks the strongest mechanism both sides have: SCRAM-SHA-256-
 * PLUS and SCRAM-SHA-1-PLUS (channel binding: tls-exporter on TLS 1.3,
 * tls-unique on TLS 1.2), SCRAM-SHA-256, SCRAM-SHA-1, PLAIN, LOGIN,
 * CRAM-MD5.  Without TLS only the mechanisms that do not expose the
 * password are chosen automatically (SCRAM, CRAM-MD5); a mechanism named
 * explicitly is used anyway, with a warning.  GSSAPI, EXTERNAL and the
 * OAuth mechanisms are used only when named.  Initial responses are sent
 * with AUTH whenever the mechanism starts on the client's side.
 */
#ifndef SMTPSEND_SASL_H
#define SMTPSEND_SASL_H

#include <stdbool.h>
#include "account.h"
#include "err.h"
#include "smtp.h"

/* RFC 4954 4: an AUTH command line may be 12288 octets long. */
#define SASL_LINE_MAX 12288

struct sasl_plan {
	char mech[32];          /* upper case, as sent */
	bool client_first;      /* has an initial response */
	bool one_step;          /* done in one round trip (PLAIN, EXTERNAL) */
};

/*
 * sasl_choose - the mechanism for account a on session s (after the last
 * EHLO), into *plan.  Returns 0, or -1 with err (ERR_AUTH, permanent): the
 * server offers no AUTH, or nothing acceptable, or not the one asked for;
 * ERR_OSERR (temporary): libgsasl was needed and cannot be loaded.
 * Prints the warning for a password-exposing mechanism without TLS.
 */
int sasl_choose(struct smtp_session *s, const struct account *a,
		struct sasl_plan *plan, struct err *err);

/*
 * sasl_authenticate - run the exchange for plan with the credentials of a
 * (password or token obtained through secret.c; allow_prompt lets it ask on
 * the terminal).  Lines that carry secrets are traced as "<redacted>".
 * Returns 0 once the server answered 235, or -1 with err: ERR_AUTH
 * (temporary for 4xx, permanent for 535 and other 5xx; the server's code
 * kept), ERR_NET, ERR_PROTO, ERR_OSERR (libgsasl cannot be loaded).
 */
int sasl_authenticate(struct smtp_session *s, const struct account *a,
		      const struct sasl_plan *plan, bool allow_prompt,
		      struct err *err);

/*
 * sasl_oneshot_line - for a plan that completes in one round trip with an
 * initial response (PLAIN, EXTERNAL: plan->one_step), the whole AUTH
 * command line, which RFC 4954 4 lets the client pipeline with what
 * follows.  *line is allocated and holds a secret (xfree_secret it).
 * Returns 0, or -1 with err as sasl_authenticate.
 */
int sasl_oneshot_line(const struct account *a, const struct sasl_plan *plan,
		      bool allow_prompt, char **line, struct err *err);

/* sasl_oneshot_result - 0 when the reply to a one-step AUTH is 2xx, else
 * -1 with err as sasl_authenticate sets it. */
int sasl_oneshot_result(const struct reply *r, const struct sasl_plan *plan,
			struct err *err);

/* sasl_library_version - "GNU SASL 2.2.0". */
const char *sasl_library_version(void);

#endif
