/*
 * base64.h - the base64 encoding of RFC 4648 4 (with "=" padding), as
 * MIME encoded-words (RFC 2047 4.1) and SMTP AUTH (RFC 4954 4) use it.
 */
#ifndef SMTPSEND_BASE64_H
#define SMTPSEND_BASE64_H

#include <stddef.h>
#include "buf.h"

/* base64_append - the encoding of p[0..n) appended to out (nothing for
 * n == 0).  Returns 0, or -1 when it does not fit (out unchanged). */
int base64_append(struct buf *out, const void *p, size_t n) WARN_UNUSED;

/*
 * base64_decode - the bytes that in[0..n) encodes into out (room for
 * n / 4 * 3 + 3 bytes), white space (a PEM block's line ends) skipped.
 * Returns their count, or -1 for anything else that is not base64: a
 * byte out of the alphabet, "=" anywhere but at the end, a count of
 * characters that is not a whole number of groups, nonzero padding bits.
 */
long base64_decode(const char *in, size_t n, unsigned char *out);

#endif
