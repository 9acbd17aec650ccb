/*
 * buf.h - bounded, growable byte buffers.
 *
 * Every variable-length thing in smtpsend lives in a struct buf with a hard
 * maximum size.  Appends check the maximum and leave the buffer unchanged
 * when they fail; their results must be checked.  The content is always
 * followed by a NUL byte (not counted in len) so that text can be used as a
 * C string, but binary content with NUL bytes is fine too.
 */
#ifndef SMTPSEND_BUF_H
#define SMTPSEND_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include "err.h"

struct buf {
	char *p;        /* content, NUL-terminated; NULL until first append */
	size_t len;     /* bytes used */
	size_t cap;     /* bytes allocated */
	size_t max;     /* hard limit on len */
	bool secret;    /* no copy of the content is ever left in memory */
};

/* buf_init - an empty buffer that will never hold more than max bytes. */
void buf_init(struct buf *b, size_t max);

/*
 * buf_init_secret - the same, for secrets: when the buffer grows, the old
 * memory is wiped before it is freed; buf_reset, buf_consume,
 * buf_truncate and buf_clear wipe what they drop.  (buf_reserve first
 * avoids growing at all while a secret is in the buffer.)
 */
void buf_init_secret(struct buf *b, size_t max);

/* buf_reserve - make room for n more bytes now, so that the appends that
 * follow do not move the content; -1 past max. */
int buf_reserve(struct buf *b, size_t n) WARN_UNUSED;

/*
 * buf_read_fd - append what fd holds, to its end, read straight into b
 * (no other copy: fit for a secret).  Returns 0; -1 with errno on a read
 * error; BUF_TOO_BIG when there is more than b may hold.
 */
#define BUF_TOO_BIG (-2)
int buf_read_fd(struct buf *b, int fd) WARN_UNUSED;

/* buf_truncate - keep the first n bytes (n <= len). */
void buf_truncate(struct buf *b, size_t n);

/* buf_clear - free the content; the buffer is empty and reusable. */
void buf_clear(struct buf *b);

/* buf_clear_secret - wipe the content, then free it. */
void buf_clear_secret(struct buf *b);

/* buf_reset - empty the buffer, keeping its memory. */
void buf_reset(struct buf *b);

/* buf_append - add n bytes; -1 (buffer unchanged) when max would be passed. */
int buf_append(struct buf *b, const void *data, size_t n) WARN_UNUSED;

/* buf_append_str - add a C string. */
int buf_append_str(struct buf *b, const char *s) WARN_UNUSED;

/* buf_printf - add formatted text; -1 (unchanged) past max. */
int buf_printf(struct buf *b, const char *fmt, ...)
	ATTR_PRINTF(2, 3) WARN_UNUSED;

/* buf_consume - drop the first n bytes (n <= len). */
void buf_consume(struct buf *b, size_t n);

/* buf_str - the content as a C string ("" when empty). */
const char *buf_str(const struct buf *b);

/*
 * buf_take - the content as an allocated C string ("" when empty), which
 * the caller now owns and frees; b is left empty, as after buf_clear.
 * Not for a secret buffer (the string would escape its wiping).
 */
char *buf_take(struct buf *b);

#endif
