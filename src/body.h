/*
 * body.h - sending the message itself, once the envelope is accepted:
 * after DATA's 354 through the dot-stuffer, or as BDAT chunks.  The spool
 * is read in blocks (MSG_BLOCK, TXN_BDAT_PIECE): memory does not depend on
 * the message's size.  With quit, QUIT goes in the same write as the last
 * bytes (RFC 2920: nothing more is to be said on the connection).
 */
#ifndef SMTPSEND_BODY_H
#define SMTPSEND_BODY_H

#include <stdbool.h>
#include "err.h"
#include "msg.h"
#include "reply.h"
#include "smtp.h"

/*
 * body_data - after 354: m dot-stuffed, then ".", one encoded block per
 * write; with read_end, *r gets the reply to the end of data.  Without it
 * (LMTP, RFC 2033 4.2: a reply per recipient follows) nothing is read and
 * *r is left alone.  Returns 0, or -1 with err (ERR_NET, ERR_PROTO,
 * ERR_IO reading the spool).
 */
int body_data(struct smtp_session *s, const struct message *m, bool quit,
	      bool read_end, struct reply *r, struct err *err);

/*
 * body_chunks - m in BDAT chunks of TXN_BDAT_CHUNK bytes, written
 * TXN_BDAT_PIECE bytes at a time; with PIPELINING and read_end up to
 * TXN_BDAT_AHEAD chunks ahead of their replies, else each waiting for its
 * reply.  *r gets the reply that settles the message (the last one, or
 * the first that is not 2xx: no chunk follows it, and the replies to
 * those already sent are read and ignored; if that fails, s->broken).
 * Without read_end, the reply to the last chunk (LMTP: one per
 * recipient) is not read, and r->code is 0 when the last chunk went.
 * Errors as body_data.
 */
int body_chunks(struct smtp_session *s, const struct message *m, bool quit,
		bool read_end, struct reply *r, struct err *err);

#endif
