/*
 * mbuf.c - bounded byte buffers for smtpmock (see mbuf.h).  No RFC here.
 */
#include <stdlib.h>
#include <string.h>

#include "mbuf.h"
#include "merr.h"

void
mbuf_init(struct mbuf *b, size_t max)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void
mbuf_clear(struct mbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
}

/* reserve - room for n more bytes plus the NUL; -1 past max. */
static int
reserve(struct mbuf *b, size_t n)
{
	size_t need, cap;
	char *np;

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
	np = realloc(b->p, cap);
	if (np == NULL)
		merr_oom();
	b->p = np;
	b->cap = cap;
	return 0;
}

int
mbuf_add(struct mbuf *b, const void *data, size_t n)
{
	if (reserve(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int
mbuf_addc(struct mbuf *b, int c)
{
	unsigned char ch = (unsigned char)c;

	return mbuf_add(b, &ch, 1);
}

int
mbuf_adds(struct mbuf *b, const char *s)
{
	return mbuf_add(b, s, strlen(s));
}

void
mbuf_consume(struct mbuf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
	} else {
		memmove(b->p, b->p + n, b->len - n);
		b->len -= n;
	}
	if (b->p != NULL)
		b->p[b->len] = '\0';
}

const char *
mbuf_str(const struct mbuf *b)
{
	return b->p != NULL ? b->p : "";
}
