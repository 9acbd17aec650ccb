/*
 * buf.c - bounded buffers (see buf.h).
 */
#include <config.h>

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "xalloc.h"

void
buf_init(struct buf *b, size_t max)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->secret = false;
}

void
buf_init_secret(struct buf *b, size_t max)
{
	buf_init(b, max);
	b->secret = true;
}

void
buf_clear(struct buf *b)
{
	if (b->secret && b->p != NULL)
		secure_zero(b->p, b->cap);
	free(b->p);
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
}

void
buf_clear_secret(struct buf *b)
{
	if (b->p != NULL)
		secure_zero(b->p, b->cap);
	buf_clear(b);
}

void
buf_reset(struct buf *b)
{
	if (b->secret && b->p != NULL)
		secure_zero(b->p, b->len);
	b->len = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

/* reserve - make room for n more bytes plus the NUL. */
static int
reserve(struct buf *b, size_t n)
{
	size_t need, cap;

	if (n > b->max || b->len > b->max - n)
		return -1;
	need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	if (b->secret && b->p != NULL) {
		/* realloc could leave the old copy behind, unwiped */
		char *p = xmalloc(cap);

		memcpy(p, b->p, b->len + 1);
		secure_zero(b->p, b->cap);
		free(b->p);
		b->p = p;
	} else {
		b->p = xrealloc(b->p, cap);
	}
	b->cap = cap;
	return 0;
}

int
buf_reserve(struct buf *b, size_t n)
{
	return reserve(b, n);
}

int
buf_read_fd(struct buf *b, int fd)
{
	size_t room;
	ssize_t n;
	char extra;

	for (;;) {
		room = b->max - b->len < 8192 ? b->max - b->len : 8192;
		if (room > 0 && reserve(b, room) < 0)
			return BUF_TOO_BIG;
		if (b->p != NULL)
			b->p[b->len] = '\0';   /* a new allocation has none */
		/* at max, one more byte tells whether the end is there */
		n = read(fd, room > 0 ? b->p + b->len : &extra,
			 room > 0 ? room : 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		if (room == 0) {
			secure_zero(&extra, 1);
			return BUF_TOO_BIG;
		}
		b->len += (size_t)n;
		b->p[b->len] = '\0';
	}
}

void
buf_truncate(struct buf *b, size_t n)
{
	if (n >= b->len)
		return;
	if (b->secret)
		secure_zero(b->p + n, b->len - n);
	b->len = n;
	b->p[n] = '\0';
}

int
buf_append(struct buf *b, const void *data, size_t n)
{
	if (reserve(b, n) < 0)
		return -1;
	if (n > 0)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int
buf_append_str(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	char small[256];

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(small)) {
		int rc = buf_append(b, small, (size_t)n);

		if (b->secret)
			secure_zero(small, sizeof(small));
		return rc;
	}
	if (b->secret)
		secure_zero(small, sizeof(small));
	if (n < 0)
		return -1;
	if (reserve(b, (size_t)n) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void
buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len) {
		buf_reset(b);
		return;
	}
	memmove(b->p, b->p + n, b->len - n);
	if (b->secret)
		secure_zero(b->p + b->len - n, n);
	b->len -= n;
	b->p[b->len] = '\0';
}

const char *
buf_str(const struct buf *b)
{
	return b->p ? b->p : "";
}

char *
buf_take(struct buf *b)
{
	char *p = b->p != NULL ? b->p : xstrdup("");

	assert(!b->secret);
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}
