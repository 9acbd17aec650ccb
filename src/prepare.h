/*
 * prepare.h - the message made ready before it is spooled: its header
 * block read, the recipients of "sendmail -t" taken from it, and the
 * account's header rules applied (Bcc removed, Date, Message-ID and From
 * added when missing, To replaced for undisclosed recipients, bare local
 * names qualified with maildomain).  Only the header block is held in
 * memory (at most HEADERS_MAX); the body streams through untouched.
 */
#ifndef SMTPSEND_PREPARE_H
#define SMTPSEND_PREPARE_H

#include <stdbool.h>
#include "account.h"
#include "buf.h"
#include "envelope.h"
#include "err.h"

struct prepare_opts {
	bool read_rcpts;        /* -t */
	const char *full_name;  /* -F, else the account's from_full_name */
};

/*
 * prepare_read - read from in_fd into raw (initialised with at least
 * HEADERS_MAX + 64 KiB of room) up to the end of the header block, the
 * limit, or the end of the input.  Returns 0, or -1 with err (ERR_IO).
 */
int prepare_read(int in_fd, const char *name, struct buf *raw,
		 struct err *err);

/*
 * prepare_from - the address of the From field of the header block in raw
 * (allocated), or NULL when there is none that parses.  With resent (for
 * --read-envelope-from), the first Resent-From field counts first: the
 * topmost resent block (RFC 5322 3.6.6) names who sends the message now.
 */
char *prepare_from(const struct buf *raw, bool resent);

/* What prepare_message made of the start of the input. */
struct prepared {
	struct buf text;        /* the processed header block (CRLF), then
				   the body bytes read so far */
	size_t head_len;        /* the header block's part of text */
	unsigned long lines;    /* the input lines it stands for */
	char long_field[64];    /* a field with a line over 998 bytes that
				   could not be folded, or "" */
};

/* prepared_init / prepared_clear - empty; free. */
void prepared_init(struct prepared *p);
void prepared_clear(struct prepared *p);

/*
 * prepare_message - apply the rules of account a to the header block at
 * the start of raw (as read by prepare_read), add the -t recipients to env
 * (as written; the caller removes duplicates once aliases have been
 * applied) and qualify the sender and the From/To/Cc fields' bare local
 * names with maildomain (the envelope recipients are left to the caller:
 * aliases come first).  *out receives the result; the caller spools its
 * text, then the rest of the input.  Returns 0, or -1 with err: ERR_DATA
 * (a header block too long or with a NUL byte, a -t address list that
 * does not parse).
 */
int prepare_message(const struct account *a, const struct prepare_opts *o,
		    const struct buf *raw, const char *name,
		    struct envelope *env, struct prepared *out,
		    struct err *err);

/* prepare_mail_domain - the domain that qualifies bare local names:
 * maildomain, else a domain set in the account or on the command line,
 * else NULL (names stay bare). */
const char *prepare_mail_domain(const struct account *a);

/* prepare_qualify - addr with "@domain" added when it has no "@"
 * (allocated); a copy when domain is NULL or addr is empty. */
char *prepare_qualify(const char *addr, const char *domain);

#endif
