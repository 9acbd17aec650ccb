/*
 * strset.c - a set of strings (see strset.h).
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strset.h"
#include "xalloc.h"

void
strset_init(struct strset *s)
{
	s->slots = NULL;
	s->cap = 0;
	s->n = 0;
}

void
strset_clear(struct strset *s)
{
	free(s->slots);
	strset_init(s);
}

static uint64_t
hash(const char *str)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *str; str++)
		h = (h ^ (unsigned char)*str) * 1099511628211ULL;
	return h;
}

/* slot - where str is, or the free slot where it would go. */
static size_t
slot(const struct strset *s, const char *str)
{
	size_t i = (size_t)hash(str) & (s->cap - 1);

	while (s->slots[i] != NULL && strcmp(s->slots[i], str) != 0)
		i = (i + 1) & (s->cap - 1);
	return i;
}

static void
grow(struct strset *s)
{
	const char **old = s->slots;
	size_t i, cap = s->cap;

	s->cap = cap ? cap * 2 : 64;
	s->slots = xcalloc(s->cap, sizeof(*s->slots));
	for (i = 0; i < cap; i++)
		if (old[i] != NULL)
			s->slots[slot(s, old[i])] = old[i];
	free(old);
}

bool
strset_add(struct strset *s, const char *str)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap)
		grow(s);
	i = slot(s, str);
	if (s->slots[i] != NULL)
		return false;
	s->slots[i] = str;
	s->n++;
	return true;
}

bool
strset_has(const struct strset *s, const char *str)
{
	return s->cap > 0 && s->slots[slot(s, str)] != NULL;
}
