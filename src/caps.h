/*
 * caps.h - ESMTP capabilities from an EHLO reply (pure: no I/O).
 *
 * The first line of an EHLO reply is the server's greeting; every further
 * line is a keyword with optional parameters (RFC 5321 4.1.1.1).  Keywords
 * are matched case-insensitively; unknown ones are ignored.
 */
#ifndef SMTPSEND_CAPS_H
#define SMTPSEND_CAPS_H

#include <stdbool.h>
#include "reply.h"

enum caps_flag {
	CAP_SIZE = 1 << 0,                  /* RFC 1870 */
	CAP_PIPELINING = 1 << 1,            /* RFC 2920 */
	CAP_8BITMIME = 1 << 2,              /* RFC 6152 */
	CAP_SMTPUTF8 = 1 << 3,              /* RFC 6531 */
	CAP_CHUNKING = 1 << 4,              /* RFC 3030 */
	CAP_BINARYMIME = 1 << 5,            /* RFC 3030 */
	CAP_DSN = 1 << 6,                   /* RFC 3461 */
	CAP_ENHANCEDSTATUSCODES = 1 << 7,   /* RFC 2034 */
	CAP_STARTTLS = 1 << 8,              /* RFC 3207 */
	CAP_AUTH = 1 << 9,                  /* RFC 4954 */
	CAP_ETRN = 1 << 10                  /* RFC 1985 */
};

#define CAPS_AUTH_MAX 512

struct caps {
	unsigned flags;
	unsigned long long size_max;    /* SIZE limit; 0 = none announced */
	char auth[CAPS_AUTH_MAX];       /* AUTH mechanisms, space-separated,
					   upper case */
};

/* caps_clear - forget every capability (after STARTTLS, RFC 3207 4.2). */
void caps_clear(struct caps *c);

/* caps_parse - set *c from a complete EHLO reply (replaces the old state). */
void caps_parse(struct caps *c, const struct reply *ehlo);

/* caps_has_auth - whether mechanism mech (any case) was announced. */
bool caps_has_auth(const struct caps *c, const char *mech);

/*
 * caps_describe - the names of the set flags, space-separated, into dst
 * (NUL-terminated, at most n bytes with the NUL; nothing when n is 0).
 * When they do not all fit, dst has those that do, whole.
 */
void caps_describe(const struct caps *c, char *dst, size_t n);

#endif
