/*
 * utf8.h - the one UTF-8 validator of smtpsend, and what it means for
 * text shown to people.
 *
 * utf8_decode() accepts exactly the well-formed sequences of RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF.  Everything
 * that checks or shows UTF-8 (server text, addresses, headers) goes
 * through it, so that the program has one answer to "is this UTF-8?".
 */
#ifndef SMTPSEND_UTF8_H
#define SMTPSEND_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * utf8_decode - the character at s[0..n) (n > 0): returns the length of
 * its sequence (1 to 4) and stores its code point in *cp, or returns 0
 * when s does not start with a well-formed sequence.
 */
size_t utf8_decode(const unsigned char *s, size_t n, unsigned long *cp);

/* utf8_valid - whether all n bytes of s are well-formed UTF-8. */
bool utf8_valid(const char *s, size_t n);

/*
 * utf8_printable - whether code point cp may be shown on a terminal as it
 * is: not a C0 or C1 control, not DEL, not a line or paragraph separator,
 * not a bidirectional control (they can make a line read differently
 * from what it holds).
 */
bool utf8_printable(unsigned long cp);

/*
 * printable - copy at most n bytes of src into dst (size dstsize, always
 * NUL-terminated), each character kept only when it is well-formed UTF-8
 * and utf8_printable; anything else (each byte of a bad sequence) becomes
 * '?', a tab a space.  Returns the length written.  Server text is
 * untrusted: everything shown to the user goes through here.
 */
size_t printable(char *dst, size_t dstsize, const char *src, size_t n);

#endif
