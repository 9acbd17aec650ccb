/*
 * txn.h - one mail transaction: MAIL, RCPT..., DATA or BDAT, the message.
 *
 * With PIPELINING (RFC 2920) MAIL, every RCPT and DATA leave in one write
 * and the replies are matched to the commands in order; without it, one
 * command at a time.  With CHUNKING (RFC 3030) BDAT replaces DATA: a small
 * message goes as a single "BDAT n LAST" in the same write as the envelope,
 * a large one in chunks once a recipient has been accepted, so that a
 * refused envelope never costs a large upload.  Each recipient's state is
 * set from its own reply; a recipient answered 452 (too many recipients,
 * RFC 5321 4.5.3.1.10) is left RETRY for a further transaction on the same
 * connection.  If no recipient is accepted, no message data is sent.
 */
#ifndef SMTPSEND_TXN_H
#define SMTPSEND_TXN_H

#include <stdbool.h>
#include "envelope.h"
#include "msg.h"
#include "smtp.h"

/* Up to this size a message is sent as one BDAT pipelined with the
 * envelope. */
#define TXN_BDAT_INLINE_MAX (64 * 1024)
/* Recipients a server must accept in one transaction (RFC 5321
 * 4.5.3.1.8): up to this many, no second transaction is expected, and
 * QUIT follows an inline BDAT in the same write. */
#define TXN_RCPTS_SURE 100
/* BDAT chunk size for larger messages. */
#define TXN_BDAT_CHUNK (1024 * 1024)
/* Chunks sent ahead of their replies (RFC 3030 4: BDAT may be
 * pipelined), so the upload does not stop for a round trip per chunk. */
#define TXN_BDAT_AHEAD 4
/* A chunk is read from the spool and written this much at a time: the
 * memory a large message costs, and the most corked into one write
 * (under TLS, the records of one write are encrypted in one buffer). */
#define TXN_BDAT_PIECE (256 * 1024)
/* Commands sent before their replies are read (keeps both sides' socket
 * buffers from filling up with a long recipient list). */
#define TXN_WINDOW 100
/* Once the window is full, replies are awaited until at most this many
 * commands are in flight; then the freed half is refilled in one write
 * (not one command per reply: one write, and one TLS record, per 50
 * recipients instead of per recipient). */
#define TXN_REFILL (TXN_WINDOW / 2)

struct sasl_plan;

/*
 * A one-round-trip AUTH (PLAIN or EXTERNAL with its initial response) to
 * lead the first pipelined group, as RFC 4954 4 allows.  line holds the
 * secret command; txn_run wipes it as soon as it has taken it into the
 * group (the caller still frees it); plan says which mechanism.
 */
struct txn_auth {
	char *line;
	const struct sasl_plan *plan;
};

/*
 * txn_run - run one transaction for every recipient of e that is PENDING or
 * RETRY, on session s (after EHLO), sending message m.
 * On return 0 the transaction is over: each of those recipients is
 * ACCEPTED-then-DELIVERED, DEFERRED, FAILED, or RETRY when a further
 * transaction should carry it (*more is then true).  With auth (only
 * when the server offers PIPELINING), the AUTH command leads the first
 * write; if it is refused, the pipelined replies are read and ignored, no
 * message data is sent (after a 354 the connection is left without the
 * final dot: s->broken), and -1 returns the AUTH error with *stage
 * STAGE_AUTH.  On -1 the session failed (err: ERR_NET, ERR_PROTO,
 * ERR_REJECT with 421, ERR_IO reading the spool) and *stage says where;
 * the caller settles the open recipients.
 */
int txn_run(struct smtp_session *s, struct envelope *e,
	    const struct message *m, const struct txn_auth *auth, bool *more,
	    enum smtp_stage *stage, struct err *err);

#endif
