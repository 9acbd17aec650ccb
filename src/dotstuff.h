/*
 * dotstuff.h - streaming line-ending normaliser and dot-stuffer (pure).
 *
 * The encoder turns any byte stream into one that is safe between DATA and
 * the final "." (RFC 5321 4.1.1.4, 4.5.2): every bare CR and every bare LF
 * becomes CRLF, a line that starts with "." gets a second ".", and
 * dotstuff_finish() adds a CRLF when the input did not end with one,
 * followed by ".\r\n".  No input, however it is split into chunks, can end
 * the data early: that is what makes SMTP smuggling through smtpsend
 * impossible.  Without DOTSTUFF_DOTS the same encoder only normalises line
 * endings (used to spool a message in the form BDAT sends it).
 */
#ifndef SMTPSEND_DOTSTUFF_H
#define SMTPSEND_DOTSTUFF_H

#include <stdbool.h>
#include <stddef.h>

enum dotstuff_flag {
	DOTSTUFF_DOTS = 1 << 0,         /* double leading dots, end with "." */
};

struct dotstuff {
	unsigned flags;
	bool bol;       /* the next byte starts a line */
	bool cr;        /* a CR was seen and not yet emitted */
};

/* The most bytes dotstuff_encode() writes for n input bytes. */
#define DOTSTUFF_BOUND(n) (2 * (n) + 2)
/* The most bytes dotstuff_finish() writes. */
#define DOTSTUFF_FINISH_MAX 5

/* dotstuff_init - start a new message. */
void dotstuff_init(struct dotstuff *d, unsigned flags);

/*
 * dotstuff_encode - encode n bytes of in into out, which must have room for
 * DOTSTUFF_BOUND(n) bytes.  Returns the number of bytes written.  State
 * carries across calls, so the input may be split anywhere.
 */
size_t dotstuff_encode(struct dotstuff *d, const char *in, size_t n, char *out);

/*
 * dotstuff_finish - end the message: the pending CR, a final CRLF when the
 * last line had none, and ".\r\n" with DOTSTUFF_DOTS.  out needs
 * DOTSTUFF_FINISH_MAX bytes.  Returns the number of bytes written.
 */
size_t dotstuff_finish(struct dotstuff *d, char *out);

#endif
