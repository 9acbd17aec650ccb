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
#include "gettext.h"
#include "buf.h"
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

/*
 * A small tokenizer.  Tokens: specials , : ; < > @, quoted strings (kept
 * with their quotes so that a quoted local part survives), and words.
 * Comments and white space separate tokens and are dropped.
 */
enum tok_kind { T_END, T_WORD, T_QUOTED, T_SPECIAL, T_ERROR };

struct lexer {
	const char *s;
	size_t i;
	bool space_before;      /* white space or a comment preceded the token */
};

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
	       && s[i] != ')' && s[i] != ' ' && s[i] != '\t' && s[i] != '\r'
	       && s[i] != '\n')
		i++;
	return i;
}

static enum tok_kind
next_token(struct lexer *lx, struct buf *tok, struct err *err)
{
	const char *s = lx->s;
	int depth;

	buf_reset(tok);
	lx->space_before = false;
	for (;;) {
		while (s[lx->i] == ' ' || s[lx->i] == '\t' || s[lx->i] == '\r'
		       || s[lx->i] == '\n') {
			lx->i++;
			lx->space_before = true;
		}
		if (s[lx->i] != '(')
			break;
		/* comment, possibly nested, with quoted-pairs */
		depth = 0;
		do {
			char c = s[lx->i];
			if (c == '\0') {
				err_set(err, ERR_DATA, false,
					_("unbalanced parenthesis in address "
					"\"%s\""), s);
				return T_ERROR;
			}
			if (c == '\\' && s[lx->i + 1] != '\0')
				lx->i++;
			else if (c == '(')
				depth++;
			else if (c == ')')
				depth--;
			lx->i++;
		} while (depth > 0);
		lx->space_before = true;
	}
	if (s[lx->i] == '\0')
		return T_END;
	if (is_special(s[lx->i])) {
		if (buf_append(tok, s + lx->i, 1) < 0)
			goto toolong;
		lx->i++;
		return T_SPECIAL;
	}
	if (s[lx->i] == '"') {
		size_t start = lx->i++;
		while (s[lx->i] != '"') {
			if (s[lx->i] == '\0') {
				err_set(err, ERR_DATA, false,
					_("unterminated quoted string in address "
					"\"%s\""), s);
				return T_ERROR;
			}
			if (s[lx->i] == '\\' && s[lx->i + 1] != '\0')
				lx->i++;
			if (s[lx->i] == '\r' || s[lx->i] == '\n') {
				err_set(err, ERR_DATA, false,
					_("line break in a quoted string in "
					  "address \"%s\""), s);
				return T_ERROR;
			}
			lx->i++;
		}
		lx->i++;
		if (buf_append(tok, s + start, lx->i - start) < 0)
			goto toolong;
		return T_QUOTED;
	}
	{
		size_t start = lx->i;
		lx->i = word_end(s, lx->i);
		if (s[lx->i] == ')' && lx->i == start) {
			err_set(err, ERR_DATA, false,
				_("unbalanced parenthesis in address \"%s\""), s);
			return T_ERROR;
		}
		if (buf_append(tok, s + start, lx->i - start) < 0)
			goto toolong;
		return T_WORD;
	}
toolong:
	err_set(err, ERR_DATA, false, _("address too long in \"%.60s...\""), s);
	return T_ERROR;
}

/*
 * addr_list_parse - the grammar, simplified but faithful:
 *   list    = element *("," element)
 *   element = mailbox / group / empty
 *   group   = phrase ":" [list] ";"
 *   mailbox = addr-spec / [phrase] "<" [route ":"] addr-spec ">"
 * A mailbox is the run of tokens up to the next "," or ";" (or ":" that
 * opens a group).  If it has an angle-addr, the address is what is inside
 * the angle brackets; otherwise it is the concatenation of its tokens.
 */
int
addr_list_parse(struct addr_list *l, const char *s, struct err *err)
{
	struct lexer lx = { s, 0, false };
	struct buf tok, plain, angle;
	struct addr_list out;
	enum tok_kind k;
	bool in_angle = false, had_angle = false, in_group = false;
	bool after_angle = false;
	int ret = -1;
	size_t i;

	/* a display name may be as long as the field (a header line of up
	 * to 998 bytes, folded any number of times): only the address is
	 * bounded, by addr_check */
	buf_init(&tok, ADDR_TEXT_MAX);
	buf_init(&plain, ADDR_TEXT_MAX);
	buf_init(&angle, ADDR_MAX * 4);
	addr_list_init(&out);
	for (;;) {
		k = next_token(&lx, &tok, err);
		if (k == T_ERROR)
			goto out;
		if (in_angle && k == T_SPECIAL && tok.p[0] == ',')
			continue;       /* inside an obsolete route */
		if (k == T_END || (k == T_SPECIAL && (tok.p[0] == ','
						       || tok.p[0] == ';'))) {
			const char *a = had_angle ? buf_str(&angle)
						  : buf_str(&plain);
			if (in_angle) {
				err_set(err, ERR_DATA, false,
					_("\"<\" without \">\" in address \"%s\""),
					s);
				goto out;
			}
			if (!had_angle && plain.len > ADDR_MAX * 4)
				goto toolong;   /* an address, not a name */
			if (*a != '\0' || had_angle)
				addr_list_add(&out, a);
			buf_reset(&plain);
			buf_reset(&angle);
			had_angle = false;
			after_angle = false;
			if (k == T_END)
				break;
			if (tok.p[0] == ';') {
				if (!in_group) {
					err_set(err, ERR_DATA, false,
						_("\";\" outside a group in "
						"address \"%s\""), s);
					goto out;
				}
				in_group = false;
			}
			continue;
		}
		if (k == T_SPECIAL && tok.p[0] == '<') {
			if (in_angle || had_angle) {
				err_set(err, ERR_DATA, false,
					_("unexpected \"<\" in address \"%s\""),
					s);
				goto out;
			}
			in_angle = true;
			had_angle = true;
			continue;
		}
		if (k == T_SPECIAL && tok.p[0] == '>') {
			if (!in_angle) {
				err_set(err, ERR_DATA, false,
					_("\">\" without \"<\" in address \"%s\""),
					s);
				goto out;
			}
			in_angle = false;
			after_angle = true;
			continue;
		}
		if (k == T_SPECIAL && tok.p[0] == ':') {
			if (in_angle) {
				/* obsolete route "<@a,@b:user@host>": drop it */
				buf_reset(&angle);
				continue;
			}
			if (in_group || had_angle) {
				err_set(err, ERR_DATA, false,
					_("unexpected \":\" in address \"%s\""),
					s);
				goto out;
			}
			in_group = true;
			buf_reset(&plain);
			continue;
		}
		if (after_angle) {
			err_set(err, ERR_DATA, false,
				_("text after \">\" in address \"%s\""), s);
			goto out;
		}
		if (in_angle) {
			if (buf_append(&angle, tok.p, tok.len) < 0)
				goto toolong;
		} else {
			/* outside angle brackets: words separated by space
			 * form a display name; keep a marker so that
			 * "John Smith" is not taken for one address */
			if (lx.space_before && plain.len > 0
			    && plain.p[plain.len - 1] != '@' && tok.p[0] != '@'
			    && buf_append(&plain, " ", 1) < 0)
				goto toolong;
			if (buf_append(&plain, tok.p, tok.len) < 0)
				goto toolong;
		}
	}
	if (in_group) {
		err_set(err, ERR_DATA, false,
			_("group without \";\" in address \"%s\""), s);
		goto out;
	}
	for (i = 0; i < out.n; i++)
		addr_list_add(l, out.v[i]);
	ret = (int)out.n;
	goto out;
toolong:
	err_set(err, ERR_DATA, false, _("address too long in \"%.60s...\""), s);
out:
	buf_clear(&tok);
	buf_clear(&plain);
	buf_clear(&angle);
	addr_list_clear(&out);
	return ret;
}

static bool
is_atext(unsigned char c)
{
	if (c >= 0x80)
		return true;    /* UTF-8, RFC 6531 */
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	    || (c >= '0' && c <= '9'))
		return true;
	return strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL && c != '\0';
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
			if (c < 0x20 || c == 0x7f) {
				err_set(err, ERR_DATA, false,
					_("control character in \"%s\""), addr);
				return -1;
			}
			if (c == '\\') {
				/* quoted-pair: a backslash escapes a printable
				 * character only (RFC 5321 4.1.2) */
				i++;
				if (i >= n - 1 || (unsigned char)s[i] < 0x20
				    || (unsigned char)s[i] == 0x7f) {
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
					_("misplaced \".\" in the local part of "
					"\"%s\""), addr);
				return -1;
			}
			continue;
		}
		if (!is_atext(c)) {
			err_set(err, ERR_DATA, false,
				_("invalid character %s in the local part of "
				"\"%s\""), c < 0x20 || c == 0x7f ? "(control)"
				: c == ' ' ? "(space)" : "", addr);
			if (c > 0x20 && c < 0x7f)
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
		err_set(err, ERR_DATA, false, _("empty domain in \"%s\""), addr);
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
			if (c <= 0x20 || c >= 0x7f || c == '[' || c == ']'
			    || c == '\\') {
				err_set(err, ERR_DATA, false,
					_("bad address literal in \"%s\""), addr);
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
					_("bad domain \"%s\" in \"%s\""), d, addr);
				return -1;
			}
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		      || (c >= '0' && c <= '9') || c == '-' || c == '_'
		      || c >= 0x80)) {
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
			_("address longer than %d bytes: \"%.60s...\""), ADDR_MAX,
			addr);
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
		if (c < 0x20 || c == 0x7f) {
			err_set(err, ERR_DATA, false,
				_("control character in address \"%s\""), addr);
			return -1;
		}
		if (c == '\\' && quoted) {
			i++;
			if (i < n && ((unsigned char)addr[i] < 0x20
				      || addr[i] == 0x7f)) {
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
