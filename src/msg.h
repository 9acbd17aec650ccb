/*
 * msg.h - the message: read once from the caller into a spool file.
 *
 * The input (stdin or a file) is copied once, in blocks, into an unlinked
 * temporary file in the form it will be sent: every line ending CRLF (bare
 * CR and bare LF converted), a final CRLF added when missing.  Its size is
 * then exactly what BDAT sends and what SIZE= announces (RFC 1870 counts the
 * message without transparency dots).  Memory use does not depend on the
 * message size.  NUL bytes make the message unusable (RFC 5322 2.3).
 */
#ifndef SMTPSEND_MSG_H
#define SMTPSEND_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "err.h"

/* Read and write the spool in blocks of this size. */
#define MSG_BLOCK (64 * 1024)

struct message {
	int fd;                 /* the spool file, read with pread */
	off_t size;             /* bytes in the spool */
	bool has8bit;           /* any byte >= 0x80 */
	unsigned long lines;
	unsigned long long_line; /* the first input line longer than
				    MSG_LINE_MAX (after the header block),
				    or 0 */
	size_t long_len;        /* its length */
	size_t line_len;        /* (while spooling: the current line) */
};

/* RFC 5321 4.5.3.1.6: a text line is at most 998 bytes and its CRLF. */
#define MSG_LINE_MAX 998

/* msg_init - an empty message (fd -1). */
void msg_init(struct message *m);

/* msg_clear - close the spool. */
void msg_clear(struct message *m);

/*
 * Where the message comes from: what was read of it already (prefix, e.g.
 * the prepared header block followed by the first body bytes), then the
 * rest of the descriptor fd.  name says where the input came from, for
 * messages ("stdin", a file name).  The first skip bytes of the prefix are
 * not the caller's input (a header block smtpsend rewrote) and line is
 * the number of input lines they stand for, so that an error names the
 * line of the input.  dot_ends: sendmail's rule, a line that is a single
 * "." ends the message (the rest of the input is not read).
 */
struct msg_input {
	int fd;
	const char *name;
	const char *prefix;
	size_t prefix_len;
	size_t skip;
	unsigned long line;
	bool dot_ends;
};

/*
 * msg_spool - copy the input into a new spool file in dir (NULL: $TMPDIR
 * or /tmp).  Returns 0, or -1 with err: ERR_IO (cannot read the input or
 * write the spool), ERR_DATA (NUL byte: the message names the line).
 */
int msg_spool(struct message *m, const struct msg_input *in, const char *dir,
	      struct err *err);

/*
 * msg_spool_into - the same, into the open file fd (which the message then
 * owns: msg_clear closes it); used to spool straight into the queue.
 */
int msg_spool_into(struct message *m, const struct msg_input *in, int fd,
		   struct err *err);

/* msg_pread - exactly n bytes of m's spool at off into p.  Returns 0, or
 * -1 with err (ERR_IO, temporary). */
int msg_pread(const struct message *m, char *p, size_t n, off_t off,
	      struct err *err);

#endif
