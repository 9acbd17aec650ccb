/*
 * mtext.h - the text rules of smtpmock scenario files, as pure functions.
 *
 * Escapes (\\ \r \n \t \0 \xHH), placeholders (%PORT %HOST %SRCDIR %TMP
 * %CLIENT %SMTPMOCK %CERTS), shell-like splitting of words with quotes,
 * number parsing and the printable rendering of bytes used in failure
 * reports.  Nothing here does
 * I/O; doc/scenario-format.md is the user-facing description.
 */
#ifndef SMTPMOCK_MTEXT_H
#define SMTPMOCK_MTEXT_H

#include <stddef.h>

#include "mbuf.h"
#include "merr.h"

/* Values of the placeholders; a NULL member leaves that placeholder as is. */
struct mtext_subst {
	const char *port;
	const char *host;
	const char *srcdir;
	const char *tmp;
	const char *client;
	const char *smtpmock;
	const char *certs;	/* $SMTPMOCK_CERTS, or NULL when unset */
	int no_files;		/* %CAT{} reads nothing (syntax checks) */
};

/* The largest number of words mtext_words accepts. */
#define MTEXT_WORDS_MAX 4096

/*
 * mtext_expand - process escapes in src[0..n) and, when sub is not NULL,
 * placeholders; append the bytes to out.  -1 with e set on a bad escape or
 * when out is full.
 */
int mtext_expand(const char *src, size_t n, const struct mtext_subst *sub,
    struct mbuf *out, struct merr *e);

/*
 * mtext_words - split src into words: blanks (space, tab, LF) separate,
 * '...' is literal, "..." allows \" and \\, a backslash outside quotes takes
 * the next character literally.  Placeholders are substituted everywhere
 * except after a backslash (when sub is not NULL).  On success *argv is a
 * NULL-terminated array owned by the caller (free with mtext_words_free) and
 * *argc its length.  -1 with e set on an unterminated quote, a trailing
 * backslash, too many words or too long a word.
 */
int mtext_words(const char *src, const struct mtext_subst *sub,
    char ***argv, size_t *argc, struct merr *e);

/* mtext_words_free - free what mtext_words returned (NULL is fine). */
void mtext_words_free(char **argv);

/*
 * mtext_long - parse a whole decimal string into *out, in [min, max].
 * -1 (and *out untouched) when s is not such a number.
 */
int mtext_long(const char *s, long min, long max, long *out);

/*
 * mtext_seconds - parse "S" or "S.FFF" (at most max_s seconds) into
 * milliseconds.  -1 when malformed or out of range.
 */
int mtext_seconds(const char *s, long max_s, long *ms);

/*
 * mtext_bad_text - the offset of the first byte of p[0..n) that breaks
 * "printable, well-formed UTF-8": RFC 3629 sequences only (no overlong
 * form, no surrogate, nothing above U+10FFFF) and no control character
 * except LF (no other C0, no DEL, no C1 U+0080-U+009F).  n when there is
 * none; otherwise *why says what is wrong (a static string).
 */
size_t mtext_bad_text(const unsigned char *p, size_t n, const char **why);

/*
 * mtext_render - append p[0..n) to out in printable form: \r \n \t \\ and
 * \xHH for other non-printable bytes; at most max input bytes are shown,
 * followed by "..." when cut.  Failures to append (out full) are ignored:
 * this is for messages only.
 */
void mtext_render(const unsigned char *p, size_t n, size_t max,
    struct mbuf *out);

#endif
