/*
 * strset.h - a set of strings (open addressing, FNV-1a), for removing
 * duplicates in linear time: 100 000 recipients cost milliseconds, not
 * the minute a pairwise comparison takes.
 */
#ifndef SMTPSEND_STRSET_H
#define SMTPSEND_STRSET_H

#include <stdbool.h>
#include <stddef.h>

struct strset {
	const char **slots;     /* borrowed strings; NULL: free */
	size_t cap;             /* a power of two, or 0 */
	size_t n;
};

/* strset_init / strset_clear - an empty set; free the table (the strings
 * are the caller's). */
void strset_init(struct strset *s);
void strset_clear(struct strset *s);

/* strset_add - add str (borrowed: it must outlive the set); true when it
 * was not in the set yet. */
bool strset_add(struct strset *s, const char *str);

/* strset_has - whether str is in the set. */
bool strset_has(const struct strset *s, const char *str);

#endif
