/*
 * preflight.h - what is decided before a transaction sends its first
 * command: the addresses as they go on the wire (RFC 6531: with SMTPUTF8
 * as they are, else with A-labels, RFC 5890), the server's size limit
 * (RFC 1870 6.1: do not send what it has said it won't take), and DSN
 * requests it cannot carry (RFC 3461: the message still goes; the
 * envelope records that they were dropped).  Used by txn.c.
 */
#ifndef SMTPSEND_PREFLIGHT_H
#define SMTPSEND_PREFLIGHT_H

#include <stdbool.h>
#include <stddef.h>
#include "envelope.h"
#include "msg.h"
#include "smtp.h"

/* The addresses of a transaction as sent. */
struct preflight {
	char *sender;           /* the sender */
	char **wire;            /* the recipients kept, in order */
	size_t n;               /* how many */
	bool smtputf8;          /* MAIL carries SMTPUTF8 (RFC 6531 3.4) */
};

/*
 * preflight_run - the checks for a transaction of message m on session s
 * (after EHLO) from e's sender to the recipients e->rcpts[idx[0..*n)].
 * A recipient whose address cannot be sent (a UTF-8 local part without
 * SMTPUTF8) FAILS locally and leaves idx, which keeps the others in
 * order; *n becomes their number and p->wire holds their addresses.  A
 * sender that cannot be sent, or a message larger than the server's
 * limit, FAILS every recipient (e->message_rejected set, the reason in
 * the transcript).  When the failure is temporary (libidn2 cannot be
 * loaded) the recipients are DEFERRED instead, and e->session holds it.
 * Returns whether anything is to be sent; p is to be freed with
 * preflight_clear either way.
 */
bool preflight_run(struct preflight *p, struct smtp_session *s,
		   struct envelope *e, const struct message *m, size_t *idx,
		   size_t *n);

/* preflight_clear - free the addresses; p is empty. */
void preflight_clear(struct preflight *p);

#endif
