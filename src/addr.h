/*
 * addr.h - e-mail addresses (pure: no I/O).
 *
 * addr_list_parse() reads an RFC 5322 address list - the form of a To:
 * header and of smtpsend's recipient arguments: "Name <a@b>", bare
 * addresses, comma-separated lists, quoted display names, (comments) and
 * groups "team: a@b, c@d;" - and yields the addr-spec of every mailbox.
 * addr_check() validates one address for use in an SMTP envelope
 * (RFC 5321 4.1.2 Mailbox): a dot-atom or quoted-string local part, a
 * domain or address literal, no control characters, bounded length.
 */
#ifndef SMTPSEND_ADDR_H
#define SMTPSEND_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include "err.h"

/* RFC 5321 4.5.3.1.3: a path is at most 256 octets including "<>". */
#define ADDR_MAX 254
/* The text of an address list (a header field, a command-line
 * argument) is bounded by this. */
#define ADDR_TEXT_MAX (1024 * 1024)
#define ADDR_LOCAL_MAX 64       /* RFC 5321 4.5.3.1.1 */
#define ADDR_DOMAIN_MAX 255     /* RFC 5321 4.5.3.1.2 */

struct addr_list {
	char **v;       /* addr-specs, each owned by the list */
	size_t n;
	size_t cap;
};

/* addr_list_init / addr_list_clear - empty list; free every element. */
void addr_list_init(struct addr_list *l);
void addr_list_clear(struct addr_list *l);

/* addr_list_add - append a copy of addr. */
void addr_list_add(struct addr_list *l, const char *addr);

/*
 * addr_list_parse - parse the address list s and append the addr-spec of
 * each mailbox to l.  Empty elements (",,") and empty groups are skipped.
 * Returns the number added, or -1 with err (class ERR_DATA) naming what is
 * wrong (unbalanced quote, "<" without ">", ...); l is unchanged then.
 */
int addr_list_parse(struct addr_list *l, const char *s, struct err *err);

/*
 * addr_check - whether addr is usable as an envelope address.  The empty
 * address is allowed only when allow_null (the null reverse-path "<>").
 * Returns 0, or -1 with err (ERR_DATA) saying what is wrong.
 */
int addr_check(const char *addr, bool allow_null, struct err *err);

/*
 * The tokens of an address list (RFC 5322 3.2): the specials , : ; < > @,
 * quoted strings (with their quotes), and words (a domain literal
 * "[...]" is one word).  Comments and white space separate tokens and are
 * dropped.  After addr_lexer_next(), the token is s[start..end).
 */
enum addr_tok {
	ADDR_TOK_END, ADDR_TOK_WORD, ADDR_TOK_QUOTED, ADDR_TOK_SPECIAL,
	ADDR_TOK_ERROR
};

struct addr_lexer {
	const char *s;
	size_t i;               /* where the next token is looked for */
	size_t start, end;      /* the last token */
	bool space_before;      /* white space or a comment came before it */
};

/* addr_lexer_next - the next token of lx->s; ADDR_TOK_ERROR with err
 * (ERR_DATA) for an unbalanced parenthesis or quote, or a line break in a
 * quoted string. */
enum addr_tok addr_lexer_next(struct addr_lexer *lx, struct err *err);

/* addr_is_8bit - whether addr has any byte >= 0x80. */
bool addr_is_8bit(const char *addr);

#endif
