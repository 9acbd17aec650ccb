/*
 * mbuf.h - bounded, growable byte buffers for smtpmock.
 *
 * All variable-length data in the harness (scenario sections, what the
 * server received, the client's output) lives in a struct mbuf with a hard
 * maximum.  Appends that would pass the maximum fail and leave the buffer
 * unchanged.  The content is always followed by a NUL (not counted in len),
 * so text can be used as a C string; binary content is fine too.  Running
 * out of memory ends the program (merr_oom).
 */
#ifndef SMTPMOCK_MBUF_H
#define SMTPMOCK_MBUF_H

#include <stddef.h>

#define MBUF_WUR __attribute__((warn_unused_result))

struct mbuf {
	char *p;	/* content + NUL; NULL until the first append */
	size_t len;	/* bytes used */
	size_t cap;	/* bytes allocated */
	size_t max;	/* hard limit on len */
};

/* mbuf_init - an empty buffer that never holds more than max bytes. */
void mbuf_init(struct mbuf *b, size_t max);

/* mbuf_clear - free the content; the buffer is empty and reusable. */
void mbuf_clear(struct mbuf *b);

/* mbuf_add - append n bytes; -1 (buffer unchanged) past max. */
int mbuf_add(struct mbuf *b, const void *data, size_t n) MBUF_WUR;

/* mbuf_addc - append one byte; -1 (unchanged) past max. */
int mbuf_addc(struct mbuf *b, int c) MBUF_WUR;

/* mbuf_adds - append a C string; -1 (unchanged) past max. */
int mbuf_adds(struct mbuf *b, const char *s) MBUF_WUR;

/* mbuf_consume - drop the first n bytes (n <= len). */
void mbuf_consume(struct mbuf *b, size_t n);

/* mbuf_str - the content as a C string ("" when empty). */
const char *mbuf_str(const struct mbuf *b);

#endif
