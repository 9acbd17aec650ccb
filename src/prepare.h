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
 * prepare_message - read the header block from in_fd (name says where it
 * comes from), apply the rules of account a, add the -t recipients to env
 * (deduplicated) and qualify env's bare local names with maildomain.
 * *out receives the processed header block (CRLF) followed by the body
 * bytes already read; the caller spools it, then the rest of in_fd.
 * Returns 0, or -1 with err: ERR_IO (reading), ERR_DATA (a header block
 * too long or with a NUL byte, a -t address list that does not parse).
 */
int prepare_message(const struct account *a, const struct prepare_opts *o,
		    int in_fd, const char *name, struct envelope *env,
		    struct buf *out, struct err *err);

/* prepare_qualify - addr with "@domain" added when it has no "@"
 * (allocated); a copy when domain is NULL or addr is empty. */
char *prepare_qualify(const char *addr, const char *domain);

#endif
