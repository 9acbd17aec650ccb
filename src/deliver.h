/*
 * deliver.h - one delivery attempt: connect, [implicit TLS], greeting,
 * EHLO, [STARTTLS, EHLO], [AUTH], transactions, QUIT, and the
 * classification of every outcome into recipient states.  Shared by the
 * send path, --serverinfo and (later) the queue flush.
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

/* deliver_tls_config - the TLS settings of account a (and the loud
 * warning when certificate checks are off). */
void deliver_tls_config(const struct account *a, struct tls_config *cfg);

#endif
