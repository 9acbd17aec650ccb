/*
 * msasl.h - the server side of SMTP AUTH for smtpmock.
 *
 * One struct msasl serves all AUTH exchanges of a server run for a single
 * account (auth-user, auth-token of the script).  PLAIN, LOGIN, CRAM-MD5,
 * SCRAM-SHA-1(-PLUS), SCRAM-SHA-256(-PLUS) and EXTERNAL run a real GNU SASL
 * server session; XOAUTH2 and OAUTHBEARER are checked here.  The caller
 * feeds it the AUTH command and then each continuation line, and sends the
 * reply text it produces (complete SMTP reply lines, CRLF included).
 */
#ifndef SMTPMOCK_MSASL_H
#define SMTPMOCK_MSASL_H

#include "mbuf.h"
#include "merr.h"
#include "mtls.h"

/* Longest reply (334 challenges of SCRAM are far shorter). */
#define MSASL_REPLY_MAX (64L * 1024)

/* What the TLS layer below tells the SASL layer. */
struct msasl_chan {
	struct mtls *tls;	/* NULL outside TLS; not owned */
	int plus_offered;	/* a -PLUS mechanism is advertised now */
};

/* Results of msasl_begin / msasl_step. */
enum msasl_res {
	MSASL_DONE,		/* the exchange is over; see *ok */
	MSASL_MORE		/* a 334 was produced: the next line is ours */
};

struct msasl;

/*
 * msasl_new - an engine for the account user / pass (either may be NULL:
 * then no password check succeeds) and OAuth token (NULL: no OAuth
 * succeeds).  The strings must outlive the engine.  *out is owned by the
 * caller (msasl_free).  -1 with e set when GNU SASL cannot start.
 */
int msasl_new(struct msasl **out, const char *user, const char *pass,
    const char *token, struct merr *e);

/* msasl_free - release the engine (NULL is fine). */
void msasl_free(struct msasl *x);

/*
 * msasl_begin - "AUTH mech [ir]" (mech upper case; ir NULL when absent,
 * "=" for an empty one).  Appends the reply to reply.  *ok is 1 after a
 * successful authentication (235), else 0.
 */
enum msasl_res msasl_begin(struct msasl *x, const char *mech, const char *ir,
    const struct msasl_chan *ch, struct mbuf *reply, int *ok);

/*
 * msasl_step - one continuation line (line ends may be included).  "*"
 * cancels (501).  Same results as msasl_begin.
 */
enum msasl_res msasl_step(struct msasl *x, const char *line, size_t len,
    struct mbuf *reply, int *ok);

/* msasl_reset - forget an exchange in progress (connection closed). */
void msasl_reset(struct msasl *x);

#endif
