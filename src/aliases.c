/*
 * aliases.c - the aliases file and envelope expansion (see aliases.h).
 *
 * Implements: the aliases file format of msmtp(1) "aliases" (itself after
 * sendmail's aliases(5): "name: list", '#' comments, continuation lines,
 * the "default" entry); RFC 5322 3.4 address lists for the right side (via
 * addr.c); RFC 5321 4.1.2 / 4.5.3.1 envelope addresses for each target
 * (addr_check); RFC 5321 3.4 / 4.1.1.3 for what is rewritten (the envelope
 * recipients only, never the header fields of the message).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aliases.h"
#include "ascii.h"
#include "buf.h"
#include "conf.h"
#include "gettext.h"
#include "strset.h"
#include "xalloc.h"

struct alias {
	char *name;             /* lower case */
	unsigned long line;     /* where the entry starts */
	struct addr_list to;
};

struct aliases {
	struct alias *v;        /* sorted by name, then line */
	size_t n;
	size_t cap;
};

void
aliases_free(struct aliases *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++) {
		free(a->v[i].name);
		addr_list_clear(&a->v[i].to);
	}
	free(a->v);
	free(a);
}

/* check_name - the name part of an entry line (already without blanks at
 * either end). */
static int
check_name(const char *loc, const char *name, size_t n, struct err *err)
{
	size_t i;

	if (n == 0) {
		err_set(err, ERR_CONFIG, false, _("%s: empty alias name"), loc);
		return -1;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '@') {
			err_set(err, ERR_CONFIG, false,
				_("%s: alias name \"%.*s\" contains \"@\""),
				loc, (int)n, name);
			return -1;
		}
		if (ascii_is_blank(c)) {
			err_set(err, ERR_CONFIG, false,
				_("%s: alias name \"%.*s\" contains white "
				  "space"), loc, (int)n, name);
			return -1;
		}
		if (ascii_is_ctl(c)) {
			err_set(err, ERR_CONFIG, false,
				_("%s: alias name \"%.*s\" contains a control "
				  "character"), loc, (int)n, name);
			return -1;
		}
	}
	return 0;
}

/*
 * add_entry - parse the address list of the entry name (started at line)
 * and add it to a.
 */
static int
add_entry(struct aliases *a, const char *path, unsigned long line,
	  const char *name, const char *value, struct err *err)
{
	struct addr_list to;
	struct err e;
	char *s;
	size_t i;
	int ret = -1;

	addr_list_init(&to);
	err_clear(&e);
	if (addr_list_parse(&to, value, &e) < 0) {
		err_set(err, ERR_CONFIG, false, _("%s:%lu: alias \"%s\": %s"),
			path, line, name, e.text);
		goto out;
	}
	if (to.n == 0) {
		err_set(err, ERR_CONFIG, false,
			_("%s:%lu: alias \"%s\" has no addresses"), path, line,
			name);
		goto out;
	}
	for (i = 0; i < to.n; i++) {
		if (addr_check(to.v[i], false, &e) < 0) {
			err_set(err, ERR_CONFIG, false,
				_("%s:%lu: alias \"%s\": %s"), path, line, name,
				e.text);
			goto out;
		}
	}
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 16;
		a->v = xrealloc(a->v, a->cap * sizeof(*a->v));
	}
	a->v[a->n].name = xstrdup(name);
	for (s = a->v[a->n].name; *s != '\0'; s++)
		*s = ascii_tolower(*s);
	a->v[a->n].line = line;
	a->v[a->n].to = to;     /* the table takes the list */
	a->n++;
	addr_list_init(&to);
	ret = 0;
out:
	addr_list_clear(&to);
	return ret;
}

static int
cmp_alias(const void *x, const void *y)
{
	const struct alias *p = x, *q = y;
	int c = strcmp(p->name, q->name);

	if (c != 0)
		return c;
	return p->line < q->line ? -1 : p->line > q->line;
}

/* The entry being read: its name, its value so far (continuation lines
 * append to it), and the line it started on. */
struct entry {
	struct buf name, value;
	unsigned long line;
	bool pending;
};

/* continue_entry - a line that starts with a blank adds to the entry. */
static int
continue_entry(struct entry *e, const char *path, const char *loc,
	       const char *d, const char *eol, struct err *err)
{
	if (!e->pending) {
		err_set(err, ERR_CONFIG, false,
			_("%s: continuation line without an alias above it"),
			loc);
		return -1;
	}
	if (buf_append(&e->value, " ", 1) < 0
	    || buf_append(&e->value, d, (size_t)(eol - d)) < 0) {
		err_set(err, ERR_CONFIG, false,
			_("%s:%lu: alias \"%s\" is longer than %d bytes"), path,
			e->line, buf_str(&e->name), ALIASES_FILE_MAX);
		return -1;
	}
	return 0;
}

/* start_entry - "name: value" starts an entry (the one before is done). */
static int
start_entry(struct entry *e, const char *loc, unsigned long lineno,
	    const char *d, const char *eol, struct err *err)
{
	const char *colon = memchr(d, ':', (size_t)(eol - d)), *nend;

	if (colon == NULL) {
		err_set(err, ERR_CONFIG, false,
			_("%s: no \":\" after the alias name"), loc);
		return -1;
	}
	nend = colon;
	while (nend > d && ascii_is_blank(nend[-1]))
		nend--;
	if (check_name(loc, d, (size_t)(nend - d), err) < 0)
		return -1;
	buf_reset(&e->name);
	buf_reset(&e->value);
	for (colon++; colon < eol && ascii_is_blank(*colon); colon++)
		;
	if (buf_append(&e->name, d, (size_t)(nend - d)) < 0
	    || buf_append(&e->value, colon, (size_t)(eol - colon)) < 0) {
		err_set(err, ERR_CONFIG, false,
			_("%s: line longer than %d bytes"), loc,
			ALIASES_FILE_MAX);
		return -1;
	}
	e->line = lineno;
	e->pending = true;
	return 0;
}

/* end_entry - add the pending entry, if any, to a. */
static int
end_entry(struct aliases *a, struct entry *e, const char *path,
	  struct err *err)
{
	if (!e->pending)
		return 0;
	e->pending = false;
	return add_entry(a, path, e->line, buf_str(&e->name),
			 buf_str(&e->value), err);
}

/* comment_start - where a comment starts in d..eol: a "#" at the start or
 * after a blank, outside a quoted string; eol when there is none. */
static const char *
comment_start(const char *d, const char *eol)
{
	const char *p;
	bool quoted = false;

	for (p = d; p < eol; p++) {
		if (quoted && *p == '\\' && p + 1 < eol)
			p++;
		else if (*p == '"')
			quoted = !quoted;
		else if (*p == '#' && !quoted
			 && (p == d || ascii_is_blank(p[-1])))
			return p;
	}
	return eol;
}

/* parse_line - one line of the file, from line to eol (no newline). */
static int
parse_line(struct aliases *a, struct entry *e, const char *path,
	   unsigned long lineno, const char *line, const char *eol,
	   struct err *err)
{
	const char *d = line;
	char loc[ERR_TEXT_MAX];

	/* a path too long for loc is cut, as err.text would be */
	snprintf(loc, sizeof(loc), "%s:%lu", path, lineno);
	if (memchr(d, '\0', (size_t)(eol - d)) != NULL) {
		err_set(err, ERR_CONFIG, false, _("%s: NUL byte in line"), loc);
		return -1;
	}
	if (eol > d && eol[-1] == '\r')
		eol--;
	while (d < eol && ascii_is_blank(*d))
		d++;
	/* "root: admin  # the sysadmin": the comment goes */
	eol = comment_start(d, eol);
	while (eol > d && ascii_is_blank(eol[-1]))
		eol--;
	if (d == eol)
		return 0;       /* blank line or comment */
	if (d != line)          /* continuation: the line starts with a blank */
		return continue_entry(e, path, loc, d, eol, err);
	if (end_entry(a, e, path, err) < 0)
		return -1;
	return start_entry(e, loc, lineno, d, eol, err);
}

struct aliases *
aliases_parse(const char *path, const char *text, size_t len,
	      struct err *err)
{
	struct aliases *a = xcalloc(1, sizeof(*a)), *result = NULL;
	struct entry e = { .pending = false };
	const char *p = text, *end = text + len;
	unsigned long lineno = 0;

	buf_init(&e.name, ALIASES_FILE_MAX);
	buf_init(&e.value, ALIASES_FILE_MAX);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line = p;

		p = nl ? nl + 1 : end;
		if (parse_line(a, &e, path, ++lineno, line, nl ? nl : end,
			       err) < 0)
			goto out;
	}
	if (end_entry(a, &e, path, err) < 0)
		goto out;
	if (a->n > 1)
		qsort(a->v, a->n, sizeof(*a->v), cmp_alias);
	result = a;
	a = NULL;
out:
	buf_clear(&e.name);
	buf_clear(&e.value);
	aliases_free(a);
	return result;
}

struct aliases *
aliases_load(const char *path, struct err *err)
{
	struct aliases *a = NULL;
	struct buf text;
	struct stat st;
	int fd, r;

	buf_init(&text, ALIASES_FILE_MAX);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err_set_errno(err, ERR_CONFIG, false, errno,
			      _("cannot open aliases file %s"), path);
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		err_set_errno(err, ERR_CONFIG, false, errno, "%s", path);
		goto out;
	}
	if (conf_check_trusted(&st, path, err) < 0)
		goto out;
	r = buf_read_fd(&text, fd);
	if (r == BUF_TOO_BIG) {
		err_set(err, ERR_CONFIG, false,
			_("aliases file %s is larger than %d MiB"), path,
			ALIASES_FILE_MAX / (1024 * 1024));
		goto out;
	}
	if (r < 0) {
		err_set_errno(err, ERR_CONFIG, false, errno,
			      _("cannot read aliases file %s"), path);
		goto out;
	}
	a = aliases_parse(path, buf_str(&text), text.len, err);
out:
	if (fd >= 0)
		close(fd);
	buf_clear(&text);
	return a;
}

/* cmp_name - compare a stored (lower-case) name with s, ignoring the case
 * of s; the same order as strcmp() on the lower-cased s. */
static int
cmp_name(const char *name, const char *s)
{
	for (;; name++, s++) {
		unsigned char x = (unsigned char)*name;
		unsigned char y = (unsigned char)ascii_tolower(*s);

		if (x != y)
			return x < y ? -1 : 1;
		if (x == '\0')
			return 0;
	}
}

/* lookup - the first entry for name (any case), or NULL. */
static const struct alias *
lookup(const struct aliases *a, const char *name)
{
	size_t lo = 0, hi = a->n;

	/* lower bound: the first entry not less than name */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_name(a->v[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < a->n && cmp_name(a->v[lo].name, name) == 0)
		return &a->v[lo];
	return NULL;
}

struct expansion {
	const struct aliases *a;
	const struct addr_list *out;    /* what the caller already has */
	struct addr_list res;           /* what this call adds */
	const struct alias *stack[ALIASES_DEPTH_MAX];
	size_t depth;
	size_t steps;                   /* names visited for top */
	const char *top;                /* the recipient being expanded */
	struct strset seen;             /* what out and res hold */
};

static void
add_unique(struct expansion *x, const char *addr)
{
	if (strset_has(&x->seen, addr))
		return;
	addr_list_add(&x->res, addr);
	strset_add(&x->seen, x->res.v[x->res.n - 1]);
}

static int
expand_one(struct expansion *x, const char *rcpt, struct err *err)
{
	const struct alias *al;
	size_t i;

	if (++x->steps > ALIASES_STEPS_MAX) {
		err_set(err, ERR_CONFIG, false,
			_("alias expansion of \"%s\" visits more than %d "
			  "names"), x->top, ALIASES_STEPS_MAX);
		return -1;
	}
	if (rcpt[0] == '\0' || strchr(rcpt, '@') != NULL) {
		add_unique(x, rcpt);
		return 0;
	}
	al = lookup(x->a, rcpt);
	if (al == NULL)
		al = lookup(x->a, "default");
	if (al == NULL)
		al = lookup(x->a, "*");         /* dma's spelling */
	for (i = 0; al != NULL && i < x->depth; i++)
		if (x->stack[i] == al)
			al = NULL;      /* already being expanded: a loop */
	if (al == NULL) {
		add_unique(x, rcpt);
		return 0;
	}
	if (x->depth == ALIASES_DEPTH_MAX) {
		err_set(err, ERR_CONFIG, false,
			_("alias expansion of \"%s\" is nested deeper than %d "
			  "levels (at \"%s\")"), x->top, ALIASES_DEPTH_MAX,
			rcpt);
		return -1;
	}
	x->stack[x->depth++] = al;
	for (i = 0; i < al->to.n; i++)
		if (expand_one(x, al->to.v[i], err) < 0)
			return -1;
	x->depth--;
	return 0;
}

int
aliases_expand(const struct aliases *a, const struct addr_list *in,
	       struct addr_list *out, struct err *err)
{
	struct expansion x;
	size_t i;
	int ret = -1;

	memset(&x, 0, sizeof(x));
	x.a = a;
	x.out = out;
	addr_list_init(&x.res);
	strset_init(&x.seen);
	for (i = 0; i < out->n; i++)
		strset_add(&x.seen, out->v[i]);
	for (i = 0; i < in->n; i++) {
		x.top = in->v[i];
		x.depth = 0;
		x.steps = 0;
		if (expand_one(&x, in->v[i], err) < 0)
			goto out;
	}
	for (i = 0; i < x.res.n; i++)
		addr_list_add(out, x.res.v[i]);
	ret = 0;
out:
	strset_clear(&x.seen);
	addr_list_clear(&x.res);
	return ret;
}
