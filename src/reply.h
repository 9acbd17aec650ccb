/*
 * reply.h - SMTP reply parsing and validation (pure: no I/O).
 *
 * A reply is one or more lines "CODE-text" ... "CODE text" (RFC 5321 4.2).
 * The parser is fed one line at a time, without its line terminator, and
 * says when the reply is complete.  It is strict: every line must carry the
 * same three-digit code with a first digit from 2 to 5, the number of lines
 * is bounded, and an enhanced status code (RFC 3463) is kept only when its
 * class digit agrees with the reply code.  Text is made printable.
 */
#ifndef SMTPSEND_REPLY_H
#define SMTPSEND_REPLY_H

#include <stddef.h>
#include "err.h"

/*
 * RFC 5321 4.5.3.1.5 limits a reply line to 512 octets; real servers exceed
 * it (long EHLO lines, verbose rejections), so we accept up to 4096 and treat
 * anything longer as a protocol violation, not a reason to buffer without end.
 */
#define SMTP_LINE_MAX 4096
/* An EHLO reply with 40 extensions is already unusual: 128 lines is plenty. */
#define SMTP_REPLY_LINES_MAX 128
/* The text of a whole reply as kept (lines joined by '\n'); longer is cut. */
#define REPLY_TEXT_MAX 8192

struct reply {
	int code;                       /* 200..599 */
	char enh[ERR_ENH_MAX];          /* "2.1.5", or "" */
	char text[REPLY_TEXT_MAX];      /* printable lines joined by '\n' */
	size_t text_len;
	int nlines;
	int done;                       /* 1 once the last line was seen */
};

enum reply_status {
	REPLY_MORE = 0,         /* need another line */
	REPLY_DONE = 1,         /* complete */
	REPLY_INVALID = -1      /* protocol violation; err says why */
};

/* reply_init - prepare *r for a new reply. */
void reply_init(struct reply *r);

/*
 * reply_feed - add one line (len bytes, no CR/LF, may contain NUL bytes).
 * Returns REPLY_MORE, REPLY_DONE, or REPLY_INVALID with err set to class
 * ERR_PROTO and a description that quotes the offending line (printable).
 */
enum reply_status reply_feed(struct reply *r, const char *line, size_t len,
			     struct err *err);

/*
 * reply_enh_parse - if s starts with an RFC 3463 code "C.SSS.DDD" whose class
 * C equals cls, followed by a space or the end, copy it into enh (size
 * ERR_ENH_MAX) and return its length; else return 0.
 */
size_t reply_enh_parse(const char *s, size_t len, int cls, char *enh);

/*
 * reply_first_line - copy the first line of r's text into dst (size n).
 */
void reply_first_line(const struct reply *r, char *dst, size_t n);

/*
 * reply_oneline - the whole text on one line (line breaks become " / "),
 * copied into dst (size n, truncated).
 */
void reply_oneline(const struct reply *r, char *dst, size_t n);

#endif
