/*
 * deliver.h - one delivery attempt: connect, greet, EHLO, transactions,
 * QUIT, and the classification of every outcome into recipient states.
 * Shared by the send path and (later) the queue flush.
 */
#ifndef SMTPSEND_DELIVER_H
#define SMTPSEND_DELIVER_H

#include "account.h"
#include "envelope.h"
#include "msg.h"
#include "transcript.h"

/*
 * deliver_attempt - try to deliver m to every PENDING recipient of e through
 * account a (checked with account_check), tracing to tr (may be NULL).
 * Afterwards every recipient is DELIVERED, DEFERRED or FAILED; a session-
 * level failure (connect, greeting, EHLO, 421, timeout, lost connection,
 * protocol violation) is also kept in e->session.  The EHLO name is the
 * account's domain, else this host's name (net_helo_name).
 */
void deliver_attempt(const struct account *a, struct envelope *e,
		     const struct message *m, struct transcript *tr);

#endif
