/*
 * ascii.h - character classes of US-ASCII bytes, the same in every locale
 * (unlike <ctype.h>, whose answers depend on setlocale(3) and which wants
 * an unsigned char or EOF).  Each function takes any byte: a char is
 * converted to unsigned char, so bytes >= 0x80 (UTF-8) are in no class.
 * The protocols smtpsend speaks define their syntax over ASCII: RFC 5234
 * B.1 (ALPHA, DIGIT, HEXDIG, WSP, CTL, VCHAR), RFC 5322 3.2.3 (atext).
 */
#ifndef SMTPSEND_ASCII_H
#define SMTPSEND_ASCII_H

#include <stdbool.h>

/* ascii_is_blank - WSP (RFC 5234 B.1): space or horizontal tab. */
static inline bool
ascii_is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* ascii_is_space - WSP, CR or LF: the white space of folded lines (not
 * VT or FF, which isspace() also counts). */
static inline bool
ascii_is_space(unsigned char c)
{
	return ascii_is_blank(c) || c == '\r' || c == '\n';
}

/* ascii_is_ctl - CTL (RFC 5234 B.1): 0x00-0x1f and DEL. */
static inline bool
ascii_is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* ascii_is_vchar - VCHAR (RFC 5234 B.1): printable, not space, 0x21-0x7e. */
static inline bool
ascii_is_vchar(unsigned char c)
{
	return c > 0x20 && c < 0x7f;
}

/* ascii_is_digit - DIGIT: '0'-'9'. */
static inline bool
ascii_is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* ascii_is_upper, ascii_is_lower - 'A'-'Z'; 'a'-'z'. */
static inline bool
ascii_is_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

static inline bool
ascii_is_lower(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

/* ascii_is_alpha - ALPHA: 'A'-'Z', 'a'-'z'. */
static inline bool
ascii_is_alpha(unsigned char c)
{
	return ascii_is_upper(c) || ascii_is_lower(c);
}

/* ascii_is_alnum - ALPHA or DIGIT. */
static inline bool
ascii_is_alnum(unsigned char c)
{
	return ascii_is_alpha(c) || ascii_is_digit(c);
}

/* ascii_is_xdigit - HEXDIG, in either case: '0'-'9', 'A'-'F', 'a'-'f'. */
static inline bool
ascii_is_xdigit(unsigned char c)
{
	return ascii_is_digit(c) || (c >= 'A' && c <= 'F')
	       || (c >= 'a' && c <= 'f');
}

/*
 * ascii_is_atext - atext (RFC 5322 3.2.3): ALPHA, DIGIT and
 * !#$%&'*+-/=?^_`{|}~.  ASCII only: a caller that takes UTF-8 in atoms
 * (RFC 6532 3.2) says so itself.
 */
static inline bool
ascii_is_atext(unsigned char c)
{
	switch (c) {
	case '!': case '#': case '$': case '%': case '&': case '\'':
	case '*': case '+': case '-': case '/': case '=': case '?':
	case '^': case '_': case '`': case '{': case '|': case '}':
	case '~':
		return true;
	default:
		return ascii_is_alnum(c);
	}
}

/* ascii_tolower, ascii_toupper - the letter in the other case; any other
 * byte as it is. */
static inline char
ascii_tolower(char c)
{
	return ascii_is_upper((unsigned char)c) ? (char)(c - 'A' + 'a') : c;
}

static inline char
ascii_toupper(char c)
{
	return ascii_is_lower((unsigned char)c) ? (char)(c - 'a' + 'A') : c;
}

#endif
