/*
 * msg.h - the message: read once from the caller into a spool file.
 *
 * The input (stdin or a file) is copied once, in blocks, into an unlinked
 * temporary file in the form it will be sent: every line ending CRLF (bare
 * CR and bare LF converted), a final CRLF added when missing.  Its size is
 * then exactly what BDAT sends and what SIZE= announces (RFC 1870 counts the
 * message without transparency dots).  Memory use does not depend on the
 * message size.  NUL bytes make the message unusable (RFC 5322 2.3).
 *
 * When the input is a regular file, the spool can be skipped
 * (msg_direct): a first reading learns what the spool would (size, 8-bit,
 * lines, NUL), and the send reads the file again, converting as it goes;
 * the spool is written only when the message must be kept (msg_keep).
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
	struct msg_reader *direct; /* msg_direct: the input, when fd is -1 */
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

/*
 * msg_direct - when in->fd is a regular file: read the whole input once
 * to learn what msg_spool learns (size, 8-bit, lines; a NUL refuses it)
 * without writing a spool, and read it from the file again when it is
 * sent (msg_pread).  in's prefix and name are copied; the descriptor
 * must stay open and its offset is not moved.  Returns 1 when done, 0
 * when in->fd is not a regular file (nothing done: use msg_spool), -1
 * with err as msg_spool.
 */
int msg_direct(struct message *m, const struct msg_input *in,
	       struct err *err);

/*
 * msg_keep - write a message of msg_direct into the open file fd, which
 * m then owns (as after msg_spool_into).  Returns 0, or -1 with err:
 * ERR_IO (the input cannot be read or changed since msg_direct, the
 * spool cannot be written), ERR_DATA (a NUL appeared).
 */
int msg_keep(struct message *m, int fd, struct err *err);

/*
 * msg_pread - exactly n bytes of m's spool at off into p.  Returns 0, or
 * -1 with err (ERR_IO, temporary).  A message of msg_direct is read
 * forwards: each read follows the last one or starts again at 0; the
 * read that reaches its end fails (ERR_IO) when the input file no longer
 * gives the bytes msg_direct found (it changed), so that a message that
 * changed is never completed on the wire.
 */
int msg_pread(const struct message *m, char *p, size_t n, off_t off,
	      struct err *err);

#endif
