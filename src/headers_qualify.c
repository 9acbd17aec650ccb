/*
 * headers_qualify.c - bare local names in an address-list field made
 * into local@domain (see headers.h, headers_qualify).
 *
 * RFC 5322 3.4 (address lists: mailboxes, angle addresses, groups), 3.2.2
 * (comments), 3.2.4 (quoted strings); the tokens come from addr.c's
 * lexer.
 */
#include <config.h>

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "buf.h"
#include "gettext.h"
#include "headers.h"
#include "xalloc.h"

/* One mailbox (or group name) being read. */
struct qelem {
	size_t ntok;            /* words, quoted strings, '@' outside <> */
	bool has_at, spaced;    /* '@' seen; blanks between the tokens */
	size_t last_end;        /* where the last of them ends */
	bool in_angle, had_angle;
	size_t a_ntok;          /* tokens of the addr-spec inside <> */
	bool a_has_at;
	size_t gt;              /* where '>' is */
};

/*
 * find_bare - the places in v where "@domain" goes: after a mailbox that
 * is a lone local part, or before the '>' of "<local>".  Positions go to
 * pos (room for strlen(v) + 1); returns their number, or -1.
 */
static int
find_bare(const char *v, size_t *pos)
{
	struct addr_lexer lx = { v, 0, 0, 0, false };
	struct err lerr;
	struct qelem e;
	enum addr_tok k;
	char c;
	int count = 0;

	memset(&e, 0, sizeof(e));
	for (;;) {
		k = addr_lexer_next(&lx, &lerr);
		c = k == ADDR_TOK_SPECIAL ? v[lx.start] : '\0';
		if (k == ADDR_TOK_ERROR)
			return -1;
		if (e.in_angle) {
			if (k == ADDR_TOK_END)
				return -1;
			if (c == '>') {
				e.in_angle = false;
				e.gt = lx.start;
			} else if (c == ':') {
				e.a_ntok = 0;   /* the end of a route */
				e.a_has_at = false;
			} else if (c == ',') {
				continue;       /* inside a route */
			} else {
				if (c == '@')
					e.a_has_at = true;
				e.a_ntok++;
			}
			continue;
		}
		if (k == ADDR_TOK_END || c == ',' || c == ';') {
			if (e.had_angle) {
				if (e.a_ntok > 0 && !e.a_has_at)
					pos[count++] = e.gt;
			} else if (e.ntok > 0 && !e.has_at && !e.spaced) {
				pos[count++] = e.last_end;
			}
			memset(&e, 0, sizeof(e));
			if (k == ADDR_TOK_END)
				break;
			continue;
		}
		if (c == '<') {
			e.in_angle = true;
			e.had_angle = true;
			continue;
		}
		if (c == ':') {
			memset(&e, 0, sizeof(e));       /* a group's name */
			continue;
		}
		if (c == '>')
			return -1;
		if (c == '@')
			e.has_at = true;
		else if (e.ntok > 0 && lx.space_before)
			e.spaced = true;
		e.ntok++;
		e.last_end = lx.end;
	}
	return count;
}

int
headers_qualify(struct headers *h, size_t idx, const char *domain,
		struct err *err)
{
	struct addr_list check;
	struct buf nv;
	char *v = NULL;
	size_t *pos = NULL, vlen, from, j;
	int count = -1, rc = 0;

	assert(idx < h->n);
	assert(domain != NULL && *domain != '\0');
	addr_list_init(&check);
	buf_init(&nv, 0);
	v = headers_value(h, idx);
	if (addr_list_parse(&check, v, err) < 0) {
		err_prefix(err, h->v[idx].name);
		goto out;
	}
	vlen = strlen(v);
	pos = xmalloc((vlen + 1) * sizeof(*pos));
	count = find_bare(v, pos);
	if (count < 0) {
		err_set(err, ERR_DATA, false,
			_("%s: cannot read the address list \"%s\""),
			h->v[idx].name, v);
		goto out;
	}
	if (count == 0)
		goto out;
	buf_init(&nv, vlen + (size_t)count * (strlen(domain) + 1));
	for (from = 0, j = 0; j < (size_t)count; from = pos[j++])
		rc |= buf_append(&nv, v + from, pos[j] - from)
		      | buf_printf(&nv, "@%s", domain);
	rc |= buf_append(&nv, v + from, vlen - from);
	assert(rc == 0);        /* nv's maximum is the value with the domains */
	(void)rc;
	headers_replace(h, idx, buf_str(&nv));
out:
	free(v);
	free(pos);
	buf_clear(&nv);
	addr_list_clear(&check);
	return count;
}
