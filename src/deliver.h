/*
 * deliver.h - one delivery attempt: connect, [implicit TLS], greeting,
 * EHLO, [STARTTLS, EHLO], [AUTH], transactions, QUIT, and the
 * classification of every outcome into recipient states.  Shared by the
 * send path, --serverinfo, the queue flush and the non-delivery reports.
 */
#ifndef SMTPSEND_DELIVER_H
#define SMTPSEND_DELIVER_H

#include <stdbool.h>
#include "account.h"
#include "envelope.h"
#include "msg.h"
#include "smtp.h"
#include "tls.h"
#include "transcript.h"

/*
 * deliver_attempt - try to deliver m to every PENDING recipient of e through
 * account a (checked with account_check), tracing to tr (may be NULL).
 * Afterwards every recipient is DELIVERED, DEFERRED or FAILED; a session-
 * level failure (connect, TLS, greeting, EHLO, AUTH, 421, timeout, lost
 * connection, protocol violation) is also kept in e->session.  The EHLO
 * name is the account's domain, else this host's name (net_helo_name).
 * allow_prompt lets authentication ask for a password on the terminal.
 */
void deliver_attempt(const struct account *a, struct envelope *e,
		     const struct message *m, struct transcript *tr,
		     bool allow_prompt);

/* deliver_hint_implicit - the hint for a greeting that never came in
 * the clear from account a's server: its port may expect TLS from the
 * start (set by the session functions; --serverinfo sets it again for the
 * account it opened in the clear). */
void deliver_hint_implicit(const struct account *a, struct err *err);

/*
 * deliver_probe - --quit-after: as deliver_attempt, but the session ends
 * with QUIT right after the step stop (STAGE_CONNECT: the greeting;
 * STAGE_TLS: the TLS handshake; STAGE_EHLO: the last EHLO; STAGE_AUTH:
 * AUTH, not pipelined; STAGE_MAIL: MAIL; STAGE_RCPT: every RCPT), and no
 * message is sent.  Afterwards the recipients are ACCEPTED (their RCPT
 * reply kept), PENDING (not asked about), or DEFERRED or FAILED as
 * deliver_attempt leaves them.
 */
void deliver_probe(const struct account *a, struct envelope *e,
		   const struct message *m, struct transcript *tr,
		   bool allow_prompt, enum smtp_stage stop);

/*
 * deliver_session_open - connect and bring the session to the point where
 * AUTH or MAIL may follow: implicit TLS or STARTTLS as the account says,
 * greeting, EHLO.  *conn is the connection (to be closed with
 * deliver_session_close, also on failure); *stage says how far it got;
 * *info describes TLS when it was negotiated.  Returns 0, or -1 with err.
 */
int deliver_session_open(const struct account *a, struct smtp_session *s,
			 struct conn **conn, struct transcript *tr,
			 enum smtp_stage *stage, struct tls_info *info,
			 struct err *err);

/* deliver_session_close - QUIT when the session allows it, then close. */
void deliver_session_close(struct smtp_session *s, struct conn *conn,
			   const struct err *err);

struct sasl_plan;

/*
 * deliver_auth - authenticate as account a says (nothing for auth off).
 * For PLAIN/EXTERNAL on a pipelining server, *line receives the AUTH
 * command to lead the first transaction (deliver_message sends it);
 * otherwise the exchange is done here.  Returns 0, or -1 with err.
 */
int deliver_auth(struct smtp_session *s, const struct account *a,
		 bool allow_prompt, struct sasl_plan *plan, char **line,
		 struct err *err);

/*
 * deliver_message - the transactions that deliver m to the PENDING
 * recipients of e on an open session (with *auth_line, when not NULL,
 * leading the first; it is wiped and cleared).  On a session failure the
 * open recipients are settled by err (e->session keeps it) and -1 is
 * returned: the connection is no longer usable.
 */
int deliver_message(struct smtp_session *s, struct envelope *e,
		    const struct message *m, const struct sasl_plan *plan,
		    char **auth_line, struct err *err);

/*
 * deliver_ahead - the queue flush's pipelining across messages (txn.h):
 * write the whole transaction of m for e's PENDING recipients when
 * txn_can_ahead allows, without waiting for its replies.  Returns 1 with
 * *t in flight, 0 when nothing was sent (the recipients are settled), -1
 * when the session failed (the open recipients are settled by err).
 * deliver_ahead_finish - read t's replies (every transaction sent before
 * it finished first) and settle e's recipients; frees t.  0 (*more:
 * recipients answered 452 wait, deliver_message sends them once nothing
 * else is in flight), or -1 when the session failed (settled by err).
 */
struct txn;
int deliver_ahead(struct smtp_session *s, struct envelope *e,
		  const struct message *m, struct txn **t, struct err *err);
int deliver_ahead_finish(struct envelope *e, struct txn *t, bool *more,
			 struct err *err);
/* deliver_fail - settle every open recipient of e with err (a session that
 * could not be opened for it). */
void deliver_fail(struct envelope *e, enum smtp_stage stage,
		  const struct err *err);

/* deliver_tls_config - the TLS settings of account a (and the loud
 * warning when certificate checks are off). */
void deliver_tls_config(const struct account *a, struct tls_config *cfg);

#endif
