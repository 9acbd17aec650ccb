/*
 * addr.c - address lists (RFC 5322 3.4, 3.2.2 comments, 3.2.4 quoted
 * strings, 4.4 obsolete routes) and envelope addresses (RFC 5321 4.1.2,
 * 4.1.3, 4.5.3.1; RFC 6531 UTF-8 local parts and domains).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "ascii.h"
#include "buf.h"
#include "gettext.h"
#include "utf8.h"
#include "xalloc.h"

void
addr_list_init(struct addr_list *l)
{
	l->v = NULL;
	l->n = 0;
	l->cap = 0;
}

void
addr_list_clear(struct addr_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	addr_list_init(l);
}

void
addr_list_add(struct addr_list *l, const char *addr)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = xstrdup(addr);
}

static bool
is_special(char c)
{
	return c == ',' || c == ':' || c == ';' || c == '<' || c == '>'
	       || c == '@';
}

/*
 * word_end - where the word that starts at s[i] ends: at a special, a
 * quote, a parenthesis, white space or the end of s.  A word that starts
 * with a domain literal ("[IPv6:2001:db8::1]", RFC 5322 3.4.1: no "[",
 * "]" or backslash inside) takes it whole, whatever specials it holds.
 */
static size_t
word_end(const char *s, size_t i)
{
	if (s[i] == '[') {
		size_t n = strcspn(s + i + 1, "[]\\\r\n");

		if (s[i + 1 + n] == ']')
			i += n + 2;
	}
	while (s[i] != '\0' && !is_special(s[i]) && s[i] != '"' && s[i] != '('
	       && s[i] != ')' && !ascii_is_space(s[i]))
		i++;
	return i;
}

/* skip_comment - step over the comment at s[lx->i] ("(", nested, with
 * quoted-pairs); -1 with err if it never closes. */
static int
skip_comment(struct addr_lexer *lx, struct err *err)
{
	const char *s = lx->s;
	int depth = 0;

	do {
		char c = s[lx->i];

		if (c == '\0') {
			err_set(err, ERR_DATA, false,
				_("unbalanced parenthesis in address \"%s\""),
				s);
			return -1;
		}
		if (c == '\\' && s[lx->i + 1] != '\0')
			lx->i++;
		else if (c == '(')
			depth++;
		else if (c == ')')
			depth--;
		lx->i++;
	} while (depth > 0);
	return 0;
}

/* skip_blank - step over white space and comments before a token. */
static int
skip_blank(struct addr_lexer *lx, struct err *err)
{
	for (;;) {
		while (ascii_is_space(lx->s[lx->i])) {
			lx->i++;
			lx->space_before = true;
		}
		if (lx->s[lx->i] != '(')
			return 0;
		if (skip_comment(lx, err) < 0)
			return -1;
		lx->space_before = true;
	}
}

/* quoted_end - the index after the quoted string at s[i] ('"'), or
 * (size_t)-1 with err when it is not closed or holds a line break. */
static size_t
quoted_end(const char *s, size_t i, struct err *err)
{
	for (i++; s[i] != '"'; i++) {
		if (s[i] == '\0') {
			err_set(err, ERR_DATA, false,
				_("unterminated quoted string in address "
				  "\"%s\""), s);
			return (size_t)-1;
		}
		if (s[i] == '\\' && s[i + 1] != '\0')
			i++;
		if (s[i] == '\r' || s[i] == '\n') {
			err_set(err, ERR_DATA, false,
				_("line break in a quoted string in "
				  "address \"%s\""), s);
			return (size_t)-1;
		}
	}
	return i + 1;
}

enum addr_tok
addr_lexer_next(struct addr_lexer *lx, struct err *err)
{
	const char *s = lx->s;
	size_t start, end;
	enum addr_tok k;

	lx->space_before = false;
	if (skip_blank(lx, err) < 0)
		return ADDR_TOK_ERROR;
	start = lx->start = lx->end = lx->i;
	if (s[start] == '\0')
		return ADDR_TOK_END;
	if (is_special(s[start])) {
		end = start + 1;
		k = ADDR_TOK_SPECIAL;
	} else if (s[start] == '"') {
		end = quoted_end(s, start, err);
		if (end == (size_t)-1)
			return ADDR_TOK_ERROR;
		k = ADDR_TOK_QUOTED;
	} else {
		end = word_end(s, start);
		if (end == start) {     /* a ")" that no "(" opened */
			err_set(err, ERR_DATA, false,
				_("unbalanced parenthesis in address \"%s\""),
				s);
			return ADDR_TOK_ERROR;
		}
		k = ADDR_TOK_WORD;
	}
	lx->i = lx->end = end;
	return k;
}

/* next_token - the next token, copied to tok. */
static enum addr_tok
next_token(struct addr_lexer *lx, struct buf *tok, struct err *err)
{
	enum addr_tok k = addr_lexer_next(lx, err);

	buf_reset(tok);
	if (k == ADDR_TOK_END || k == ADDR_TOK_ERROR)
		return k;
	if (buf_append(tok, lx->s + lx->start, lx->end - lx->start) < 0) {
		err_set(err, ERR_DATA, false,
			_("address too long in \"%.60s...\""), lx->s);
		return ADDR_TOK_ERROR;
	}
	return k;
}

/*
 * The parser's state: the mailbox being read is the run of tokens up to
 * the next "," or ";" (or ":" that opens a group).  "plain" gathers the
 * tokens outside angle brackets, "angle" those inside them.
 */
struct parser {
	struct addr_lexer lx;
	struct buf tok, plain, angle;
	struct addr_list out;
	bool in_angle, had_angle, in_group, after_angle;
};

static int
too_long(struct parser *p, struct err *err)
{
	err_set(err, ERR_DATA, false, _("address too long in \"%.60s...\""),
		p->lx.s);
	return -1;
}

/* end_mailbox - a "," or ";" or the end: keep the mailbox read so far. */
static int
end_mailbox(struct parser *p, char c, struct err *err)
{
	const char *a = p->had_angle ? buf_str(&p->angle) : buf_str(&p->plain);
	const char *s = p->lx.s;

	if (p->in_angle) {
		err_set(err, ERR_DATA, false,
			_("\"<\" without \">\" in address \"%s\""), s);
		return -1;
	}
	if (!p->had_angle && p->plain.len > ADDR_MAX * 4)
		return too_long(p, err);        /* an address, not a name */
	if (*a != '\0' || p->had_angle)
		addr_list_add(&p->out, a);
	buf_reset(&p->plain);
	buf_reset(&p->angle);
	p->had_angle = false;
	p->after_angle = false;
	if (c == ';' && !p->in_group) {
		err_set(err, ERR_DATA, false,
			_("\";\" outside a group in address \"%s\""), s);
		return -1;
	}
	if (c == ';')
		p->in_group = false;
	return 0;
}

/* on_special - "<", ">" and ":"; 1 for the others ("@" is part of the
 * mailbox, "," and ";" were handled before). */
static int
on_special(struct parser *p, char c, struct err *err)
{
	const char *s = p->lx.s;

	if (c == '<' && (p->in_angle || p->had_angle)) {
		err_set(err, ERR_DATA, false,
			_("unexpected \"<\" in address \"%s\""), s);
		return -1;
	} else if (c == '<') {
		p->in_angle = true;
		p->had_angle = true;
	} else if (c == '>' && !p->in_angle) {
		err_set(err, ERR_DATA, false,
			_("\">\" without \"<\" in address \"%s\""), s);
		return -1;
	} else if (c == '>') {
		p->in_angle = false;
		p->after_angle = true;
	} else if (c == ':' && p->in_angle) {
		/* obsolete route "<@a,@b:user@host>": drop it */
		buf_reset(&p->angle);
	} else if (c == ':' && (p->in_group || p->had_angle)) {
		err_set(err, ERR_DATA, false,
			_("unexpected \":\" in address \"%s\""), s);
		return -1;
	} else if (c == ':') {
		p->in_group = true;
		buf_reset(&p->plain);
	} else {
		return 1;
	}
	return 0;
}

/* add_word - a word, quoted string or "@" of the current mailbox. */
static int
add_word(struct parser *p, struct err *err)
{
	const struct buf *t = &p->tok;

	if (p->after_angle) {
		err_set(err, ERR_DATA, false,
			_("text after \">\" in address \"%s\""), p->lx.s);
		return -1;
	}
	if (p->in_angle) {
		if (buf_append(&p->angle, t->p, t->len) < 0)
			return too_long(p, err);
		return 0;
	}
	/* outside angle brackets: words separated by space form a display
	 * name; keep a marker so that "John Smith" is not taken for one
	 * address */
	if (p->lx.space_before && p->plain.len > 0
	    && p->plain.p[p->plain.len - 1] != '@' && t->p[0] != '@'
	    && buf_append(&p->plain, " ", 1) < 0)
		return too_long(p, err);
	if (buf_append(&p->plain, t->p, t->len) < 0)
		return too_long(p, err);
	return 0;
}

/* parse_token - one step of the grammar; 1 at the end of the list. */
static int
parse_token(struct parser *p, struct err *err)
{
	enum addr_tok k = next_token(&p->lx, &p->tok, err);
	char c = k == ADDR_TOK_SPECIAL ? p->tok.p[0] : '\0';
	int r;

	if (k == ADDR_TOK_ERROR)
		return -1;
	if (p->in_angle && c == ',')
		return 0;       /* inside an obsolete route */
	if (k == ADDR_TOK_END || c == ',' || c == ';') {
		if (end_mailbox(p, c, err) < 0)
			return -1;
		return k == ADDR_TOK_END;
	}
	if (k == ADDR_TOK_SPECIAL) {
		r = on_special(p, c, err);
		if (r <= 0)
			return r;
	}
	return add_word(p, err);
}

/* simple - s is one bare address of atext, "." and "@" alone (what a
 * command line mostly holds): for such a string the grammar's result is
 * s itself, and the lexer is not needed */
static bool
simple(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!ascii_is_atext((unsigned char)s[i]) && s[i] != '.'
		    && s[i] != '@')
			return false;
	return i > 0 && i <= ADDR_MAX;
}

/*
 * addr_list_parse - the grammar, simplified but faithful:
 *   list    = element *("," element)
 *   element = mailbox / group / empty
 *   group   = phrase ":" [list] ";"
 *   mailbox = addr-spec / [phrase] "<" [route ":"] addr-spec ">"
 * If a mailbox has an angle-addr, the address is what is inside the angle
 * brackets; otherwise it is the concatenation of its tokens.
 */
int
addr_list_parse(struct addr_list *l, const char *s, struct err *err)
{
	struct parser p = { .lx = { s, 0, 0, 0, false } };
	int r, ret = -1;
	size_t i;

	if (simple(s)) {
		addr_list_add(l, s);
		return 1;
	}
	/* a display name may be as long as the field (a header line of up
	 * to 998 bytes, folded any number of times): only the address is
	 * bounded, by addr_check */
	buf_init(&p.tok, ADDR_TEXT_MAX);
	buf_init(&p.plain, ADDR_TEXT_MAX);
	buf_init(&p.angle, ADDR_MAX * 4);
	while ((r = parse_token(&p, err)) == 0)
		;
	if (r > 0 && p.in_group) {
		err_set(err, ERR_DATA, false,
			_("group without \";\" in address \"%s\""), s);
	} else if (r > 0) {
		for (i = 0; i < p.out.n; i++)
			addr_list_add(l, p.out.v[i]);
		ret = (int)p.out.n;
	}
	buf_clear(&p.tok);
	buf_clear(&p.plain);
	buf_clear(&p.angle);
	addr_list_clear(&p.out);
	return ret;
}

static int
check_local(const char *s, size_t n, const char *addr, struct err *err)
{
	size_t i;

	if (n == 0) {
		err_set(err, ERR_DATA, false, _("empty local part in \"%s\""),
			addr);
		return -1;
	}
	if (n > ADDR_LOCAL_MAX) {
		err_set(err, ERR_DATA, false,
			_("local part longer than %d bytes in \"%s\""),
			ADDR_LOCAL_MAX, addr);
		return -1;
	}
	if (s[0] == '"') {
		if (n < 2 || s[n - 1] != '"') {
			err_set(err, ERR_DATA, false,
				_("badly quoted local part in \"%s\""), addr);
			return -1;
		}
		for (i = 1; i < n - 1; i++) {
			unsigned char c = (unsigned char)s[i];
			if (ascii_is_ctl(c)) {
				err_set(err, ERR_DATA, false,
					_("control character in \"%s\""), addr);
				return -1;
			}
			if (c == '\\') {
				/* quoted-pair: a backslash escapes a printable
				 * character only (RFC 5321 4.1.2) */
				i++;
				if (i >= n - 1 || ascii_is_ctl(s[i])) {
					err_set(err, ERR_DATA, false,
						_("badly quoted local part in "
						"\"%s\""), addr);
					return -1;
				}
			} else if (c == '"') {
				err_set(err, ERR_DATA, false,
					_("badly quoted local part in \"%s\""),
					addr);
				return -1;
			}
		}
		return 0;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.') {
			if (i == 0 || i == n - 1 || s[i - 1] == '.') {
				err_set(err, ERR_DATA, false,
					_("misplaced \".\" in the local part "
					  "of \"%s\""), addr);
				return -1;
			}
			continue;
		}
		/* UTF-8 is atext too (RFC 6531 3.3, RFC 6532 3.2) */
		if (c < 0x80 && !ascii_is_atext(c)) {
			err_set(err, ERR_DATA, false,
				_("invalid character %s in the local part of "
				"\"%s\""), ascii_is_ctl(c) ? "(control)"
				: c == ' ' ? "(space)" : "", addr);
			if (ascii_is_vchar(c))
				err_set(err, ERR_DATA, false,
					_("invalid character '%c' in the local "
					  "part of \"%s\""), c, addr);
			return -1;
		}
	}
	return 0;
}

static int
check_domain(const char *d, const char *addr, struct err *err)
{
	size_t n = strlen(d), i, label = 0;

	if (n == 0) {
		err_set(err, ERR_DATA, false, _("empty domain in \"%s\""),
			addr);
		return -1;
	}
	if (n > ADDR_DOMAIN_MAX) {
		err_set(err, ERR_DATA, false, _("domain too long in \"%s\""),
			addr);
		return -1;
	}
	if (d[0] == '[') {
		if (d[n - 1] != ']' || n < 3) {
			err_set(err, ERR_DATA, false,
				_("bad address literal in \"%s\""), addr);
			return -1;
		}
		for (i = 1; i < n - 1; i++) {
			unsigned char c = (unsigned char)d[i];
			if (!ascii_is_vchar(c) || c == '[' || c == ']'
			    || c == '\\') {
				err_set(err, ERR_DATA, false,
					_("bad address literal in \"%s\""),
					addr);
				return -1;
			}
		}
		return 0;
	}
	for (i = 0; i <= n; i++) {
		unsigned char c = (unsigned char)d[i];
		if (c == '.' || c == '\0') {
			if (label == 0 || label > 63) {
				err_set(err, ERR_DATA, false,
					_("bad domain \"%s\" in \"%s\""), d,
					addr);
				return -1;
			}
			label = 0;
			continue;
		}
		if (!(ascii_is_alnum(c) || c == '-' || c == '_' || c >= 0x80)) {
			err_set(err, ERR_DATA, false,
				_("bad domain \"%s\" in \"%s\""), d, addr);
			return -1;
		}
		label++;
	}
	return 0;
}

int
addr_check(const char *addr, bool allow_null, struct err *err)
{
	size_t n = strlen(addr), i, at = (size_t)-1;
	bool quoted = false;

	if (n == 0) {
		if (allow_null)
			return 0;
		err_set(err, ERR_DATA, false, _("empty address"));
		return -1;
	}
	if (n > ADDR_MAX) {
		err_set(err, ERR_DATA, false,
			_("address longer than %d bytes: \"%.60s...\""),
			ADDR_MAX, addr);
		return -1;
	}
	if (!utf8_valid(addr, n)) {
		/* RFC 6531 3.3: 8-bit addresses are UTF-8 */
		err_set(err, ERR_DATA, false,
			_("address \"%s\" is not valid UTF-8"), addr);
		return -1;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)addr[i];
		if (ascii_is_ctl(c)) {
			err_set(err, ERR_DATA, false,
				_("control character in address \"%s\""), addr);
			return -1;
		}
		if (c == '\\' && quoted) {
			i++;
			if (i < n && ascii_is_ctl(addr[i])) {
				err_set(err, ERR_DATA, false,
					_("control character in address "
					  "\"%s\""), addr);
				return -1;
			}
			continue;
		}
		if (c == '"')
			quoted = !quoted;
		else if (c == '@' && !quoted)
			at = i;
	}
	if (at == (size_t)-1) {
		/* a bare local name ("root"): allowed, the server decides */
		return check_local(addr, n, addr, err);
	}
	if (check_local(addr, at, addr, err) < 0)
		return -1;
	return check_domain(addr + at + 1, addr, err);
}

bool
addr_is_8bit(const char *addr)
{
	for (; *addr; addr++)
		if ((unsigned char)*addr >= 0x80)
			return true;
	return false;
}
