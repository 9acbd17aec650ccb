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
 *
 * The decoder does the reverse for data that arrives with its end line:
 * the DATA of "sendmail -bs" (RFC 5321 4.5.2: a line "." ends it, the
 * leading "." of any other line is dropped) and, with both mode flags,
 * sendmail's rule for a message on standard input (a line that is only
 * "." ends it, any other dot is data).  It finds the end wherever the
 * input is split, keeps line endings as they came, and says how much of
 * the input it used, so that what follows the end line can be read on.
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

/* dotstuff_decode flags */
enum dotstuff_dec_flag {
	/* a bare LF ends a line too (else only CRLF does) */
	DOTSTUFF_DEC_BARE_LF = 1 << 0,
	/* a leading "." of a line other than the end line is data */
	DOTSTUFF_DEC_KEEP_DOTS = 1 << 1,
};

struct dotstuff_dec {
	unsigned flags;
	int st;         /* where in a line the decoder is (dotstuff.c) */
	bool end;       /* the end line was found: nothing more is decoded */
};

/* The most bytes dotstuff_decode() writes for n input bytes: the input,
 * and the "." and CR held back from the previous call. */
#define DOTSTUFF_DECODE_BOUND(n) ((n) + 2)

/* dotstuff_decode_init - start decoding a new message. */
void dotstuff_decode_init(struct dotstuff_dec *d, unsigned flags);

/*
 * dotstuff_decode - decode n bytes of in into out, which must have room
 * for DOTSTUFF_DECODE_BOUND(n) bytes.  Returns the number of bytes
 * written; *used is the number of input bytes taken: n, or, when the end
 * line was found (d->end becomes true), the bytes up to and including its
 * LF; the rest of in is not the message's.  Line endings are copied as
 * they came, the end line is not.  A line that starts with "." is held
 * back (at most ".") until the decoder knows whether it is the end
 * line, so the input may be split anywhere; what is held back when the
 * input ends is not data.  Once d->end is set, nothing is decoded.
 */
size_t dotstuff_decode(struct dotstuff_dec *d, const char *in, size_t n,
		       char *out, size_t *used);

#endif
