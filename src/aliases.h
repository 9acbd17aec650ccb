/*
 * aliases.h - local recipient aliases for the envelope (pure parsing and
 * expansion; only aliases_load() reads a file).
 *
 * The aliases file (msmtp's "aliases FILE") maps local names to address
 * lists, one entry a line:
 *
 *     # comment
 *     root: admin@example.org
 *     staff: alice@example.org, "Bob B." <bob@example.org>,
 *            root
 *     default: postmaster@example.org
 *
 * The name is everything before the first ':' (blanks before the ':' are
 * dropped); the rest is an RFC 5322 address list read by addr_list_parse()
 * and every address in it must pass addr_check().  A line starting with a
 * blank continues the entry above it (blank and comment lines in between
 * are skipped); a line whose first non-blank byte is '#' is a comment ('#'
 * later in a line is not special: it is valid in a local part).  Names are
 * compared ASCII-case-insensitively.  When a name appears twice, the first
 * entry counts.  The entry "default" applies to every local name that has
 * no entry of its own.
 *
 * Expansion rewrites the envelope only - never the message headers.  Only
 * recipients without '@' are looked up.  It is recursive: an alias may name
 * another alias.  A name whose entry is already being expanded further up
 * is kept as it is and not expanded again (so "root: root, a@b" delivers to
 * root and to a@b, and "a: b" / "b: a" yields "a"); this includes the
 * "default" entry, so an unlisted name reached from "default" is kept.
 * More than ALIASES_DEPTH_MAX nested entries, or more than
 * ALIASES_STEPS_MAX names visited while expanding one recipient (itself
 * included), is a configuration error.
 * The result keeps the first occurrence of each address (exact byte
 * comparison).
 */
#ifndef SMTPSEND_ALIASES_H
#define SMTPSEND_ALIASES_H

#include <stddef.h>
#include "addr.h"
#include "err.h"

/* The largest aliases file read (and the longest entry). */
#define ALIASES_FILE_MAX (16 * 1024 * 1024)
/* Entries expanded inside each other at most (sendmail's MaxAliasRecursion
 * is 10; msmtp does not recurse; 32 leaves room for real nesting). */
#define ALIASES_DEPTH_MAX 32
/* Names visited while expanding one recipient, at most:
 * bounds the work of files such as "a: b, b" / "b: c, c" / ... that have
 * no loop but grow exponentially. */
#define ALIASES_STEPS_MAX 10000

struct aliases;         /* opaque */

/*
 * aliases_parse - parse the aliases file text (len bytes, need not be
 * NUL-terminated; path is used in messages only).  Returns a new table the
 * caller frees with aliases_free(), or NULL with err (ERR_CONFIG,
 * permanent, text starting "path:LINE: "): a NUL byte, a line without ':',
 * an empty name, a name with '@', blanks or control characters, a
 * continuation line with no entry above it, an address list that does not
 * parse, an address in it that addr_check() refuses, an entry with no
 * address, an entry longer than ALIASES_FILE_MAX.  Errors in an entry's
 * address list name the line where the entry starts.
 */
struct aliases *aliases_parse(const char *path, const char *text, size_t len,
			      struct err *err);

/*
 * aliases_load - read the file at path (at most ALIASES_FILE_MAX bytes) and
 * parse it.  NULL with err (ERR_CONFIG, permanent) when it cannot be opened
 * or read, is too large, or does not parse.
 */
struct aliases *aliases_load(const char *path, struct err *err);

/* aliases_free - free a table; NULL is fine. */
void aliases_free(struct aliases *a);

/*
 * aliases_expand - replace each local-name recipient (no '@') of in by its
 * expansion, copy the others, and append the result to out, leaving out any
 * address that is already in out or earlier in the result.  in is not
 * changed; out owns what is added.  Returns 0, or -1 with err (ERR_CONFIG,
 * permanent: nesting deeper than ALIASES_DEPTH_MAX, more than
 * ALIASES_STEPS_MAX names visited for one recipient) and out unchanged.
 */
int aliases_expand(const struct aliases *a, const struct addr_list *in,
		   struct addr_list *out, struct err *err);

#endif
