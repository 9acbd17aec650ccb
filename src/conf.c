/*
 * conf.c - configuration file parsing (msmtp-compatible syntax, see conf.h):
 * the lines of a file - their syntax, sections, and the directives, which a
 * table dispatches; the files themselves are conffile.c's.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "buf.h"
#include "conf.h"
#include "conffile.h"
#include "gettext.h"
#include "xalloc.h"

void
conf_init(struct conf *c)
{
	c->path = NULL;
	c->accounts = NULL;
	c->n = 0;
	c->default_name = NULL;
	c->has_password = false;
	c->eval = conf_eval_command;
	c->eval_arg = NULL;
}

void
conf_clear(struct conf *c)
{
	conf_eval_fn *eval = c->eval;
	void *eval_arg = c->eval_arg;
	size_t i;

	for (i = 0; i < c->n; i++)
		account_free(c->accounts[i]);
	free(c->accounts);
	free(c->path);
	free(c->default_name);
	conf_init(c);
	c->eval = eval;
	c->eval_arg = eval_arg;
}

const struct account *
conf_find(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->accounts[i]->name, name) == 0)
			return c->accounts[i];
	return NULL;
}

/* "account default : NAME" defines an account called "default" that
 * inherits NAME, as in msmtp, so looking up "default" covers both forms. */
const struct account *
conf_default(const struct conf *c)
{
	return conf_find(c, "default");
}

/* is_blank - a blank, or the CR of a file with CRLF line ends (lines
 * are split at LF alone), so that such a file reads as one with LF. */
static bool
is_blank(char ch)
{
	return ascii_is_blank((unsigned char)ch) || ch == '\r';
}

/*
 * parse_arg - the argument part of a line: quoted (with \" and \\), or the
 * rest of the line without surrounding blanks.  The result goes to *out.
 */
static int
parse_arg(const char *p, const char *end, struct buf *out, const char *loc,
	  struct err *err)
{
	buf_reset(out);
	while (p < end && is_blank(*p))
		p++;
	while (end > p && is_blank(end[-1]))
		end--;
	if (p < end && *p == '"') {
		p++;
		for (;;) {
			if (p >= end) {
				err_set(err, ERR_CONFIG, false,
					_("%s: missing closing quote"), loc);
				return -1;
			}
			if (*p == '"')
				break;
			if (*p == '\\' && p + 1 < end
			    && (p[1] == '"' || p[1] == '\\'))
				p++;
			if (buf_append(out, p, 1) < 0)
				goto toolong;
			p++;
		}
		p++;
		if (p != end) {
			err_set(err, ERR_CONFIG, false,
				_("%s: unexpected text after the closing "
				  "quote"), loc);
			return -1;
		}
		return 0;
	}
	if (buf_append(out, p, (size_t)(end - p)) < 0)
		goto toolong;
	return 0;
toolong:
	err_set(err, ERR_CONFIG, false, _("%s: line too long"), loc);
	return -1;
}

static struct account *
add_account(struct conf *c, const char *name)
{
	struct account *a = account_new(name);

	c->accounts = xrealloc(c->accounts, (c->n + 1) * sizeof(*c->accounts));
	c->accounts[c->n++] = a;
	return a;
}

/* account_default_target - "account default : NAME": an alias of NAME,
 * possibly with settings of its own that follow; NAME goes to
 * c->default_name.  after is the text after the colon. */
static int
account_default_target(struct conf *c, const char *after, const char *loc,
		       struct err *err)
{
	const char *p = after;
	size_t len;

	while (is_blank(*p))
		p++;
	len = strlen(p);
	while (len > 0 && is_blank(p[len - 1]))
		len--;
	if (len == 0 || memchr(p, ',', len) != NULL) {
		err_set(err, ERR_CONFIG, false,
			_("%s: \"account default :\" needs exactly one account "
			  "name"), loc);
		return -1;
	}
	c->default_name = xstrndup(p, len);
	return 0;
}

/* inherit - the parents "P1, P2" (defined above) into a, in turn. */
static int
inherit(struct conf *c, struct account *a, const char *parents,
	const char *loc, struct err *err)
{
	const char *p = parents;

	while (*p) {
		const char *e = p + strcspn(p, ","), *s = p;
		const struct account *parent;
		char *pname;

		while (s < e && is_blank(*s))
			s++;
		while (e > s && is_blank(e[-1]))
			e--;
		pname = xstrndup(s, (size_t)(e - s));
		parent = conf_find(c, pname);
		if (*pname == '\0' || parent == NULL || parent == a) {
			err_set(err, ERR_CONFIG, false,
				_("%s: account \"%s\" is not defined above"),
				loc, pname);
			free(pname);
			return -1;
		}
		free(pname);
		account_merge(a, parent);
		p += strcspn(p, ",");
		if (*p == ',')
			p++;
	}
	return 0;
}

/* account_name - the NAME of "account NAME [: ...]" (allocated), or NULL
 * with err. */
static char *
account_name(const struct conf *c, const char *arg, size_t nlen,
	     const char *loc, struct err *err)
{
	char *name;

	while (nlen > 0 && is_blank(arg[nlen - 1]))
		nlen--;
	if (nlen == 0) {
		err_set(err, ERR_CONFIG, false, _("%s: account needs a name"),
			loc);
		return NULL;
	}
	name = xstrndup(arg, nlen);
	if (strcspn(name, " \t") != nlen)
		err_set(err, ERR_CONFIG, false,
			_("%s: account name \"%s\" contains a blank"), loc,
			name);
	else if (conf_find(c, name) != NULL)
		err_set(err, ERR_CONFIG, false,
			_("%s: account \"%s\" is defined twice"), loc, name);
	else
		return name;
	free(name);
	return NULL;
}

/* parse_account_line - "NAME", "NAME : P1, P2" or "default : NAME". */
static int
parse_account_line(struct conf *c, const struct account *defaults,
		   const char *arg, const char *loc, struct account **cur,
		   struct err *err)
{
	const char *colon = strchr(arg, ':');
	char *name;

	name = account_name(c, arg, colon ? (size_t)(colon - arg)
					  : strlen(arg), loc, err);
	if (name == NULL)
		return -1;
	if (strcmp(name, "default") == 0 && colon != NULL
	    && account_default_target(c, colon + 1, loc, err) < 0) {
		free(name);
		return -1;
	}
	*cur = add_account(c, name);
	free(name);
	account_merge(*cur, defaults);
	if (colon != NULL)
		return inherit(c, *cur, colon + 1, loc, err);
	return 0;
}

/* ---- lines ---- */

/* One line being parsed. */
struct line {
	struct conf_parser *ps;
	const char *path;       /* the file */
	const char *loc;        /* "path:LINE" */
	int depth;              /* of includes */
	bool evaluated;         /* the output of an eval */
	struct account **cur;   /* the section it is in */
	bool *password;         /* set when it sets a password */
};

static int parse_line(const struct line *ln, const char *text, size_t len,
		      struct err *err);

/* A directive: name (as written) and its argument (unquoted). */
typedef int directive_fn(const struct line *ln, const char *name,
			 const struct buf *arg, struct err *err);

static int
dir_defaults(const struct line *ln, const char *name, const struct buf *arg,
	     struct err *err)
{
	if (arg->len > 0) {
		err_set(err, ERR_CONFIG, false,
			_("%s: \"defaults\" takes no argument"), ln->loc);
		return -1;
	}
	*ln->cur = ln->ps->defaults;
	return 0;
}

static int
dir_account(const struct line *ln, const char *name, const struct buf *arg,
	    struct err *err)
{
	return parse_account_line(ln->ps->c, ln->ps->defaults, buf_str(arg),
				  ln->loc, ln->cur, err);
}

/* "eval COMMAND": the first line COMMAND prints, parsed in its place */
static int
dir_eval(const struct line *ln, const char *name, const struct buf *arg,
	 struct err *err)
{
	struct conf *c = ln->ps->c;
	struct line out = *ln;
	struct buf res;
	struct err eerr;
	int ret = -1;

	if (ln->evaluated) {
		err_set(err, ERR_CONFIG, false,
			_("%s: eval: the output of the command is another "
			  "eval"), ln->loc);
		return -1;
	}
	if (arg->len == 0) {
		err_set(err, ERR_CONFIG, false, _("%s: eval needs a command"),
			ln->loc);
		return -1;
	}
	buf_init_secret(&res, CONF_EVAL_MAX);
	err_clear(&eerr);
	if (c->eval(buf_str(arg), &res, c->eval_arg, &eerr) < 0) {
		err_set(err, ERR_CONFIG, false, "%s: eval: %s", ln->loc,
			eerr.text);
	} else {
		out.evaluated = true;
		ret = parse_line(&out, buf_str(&res), res.len, err);
	}
	buf_clear_secret(&res);
	return ret;
}

static int
dir_include(const struct line *ln, const char *name, const struct buf *arg,
	    struct err *err)
{
	return conffile_include(ln->ps, buf_str(arg), ln->path, ln->loc,
				ln->depth, err);
}

/* ntlmdomain, tls_force_sslv3: msmtp's, with nothing to do here (NTLM
 * and SSLv3 are refused by name where they would be used) */
static int
dir_no_effect(const struct line *ln, const char *name,
	      const struct buf *arg, struct err *err)
{
	return 0;
}

/* any other: a setting of the account (or defaults) the line is in */
static int
dir_setting(const struct line *ln, const char *name, const struct buf *arg,
	    struct err *err)
{
	struct err verr;
	int f;

#ifndef HAVE_OAUTH2
	if (strncmp(name, "oauth2_", 7) == 0) {
		err_set(err, ERR_CONFIG, false,
			_("%s: %s: this smtpsend was built without OAuth2 "
			  "(configure --without-oauth2); get the token with "
			  "passwordeval instead"), ln->loc, name);
		return -1;
	}
#endif
	f = account_set_directive(*ln->cur, name, buf_str(arg), ln->loc,
				  &verr);
	if (f < 0) {
		err_set(err, ERR_CONFIG, false, "%s: %s", ln->loc, verr.text);
		return -1;
	}
	if (f == ACC_PASSWORD || f == ACC_OAUTH2_CLIENT_SECRET) {
		ln->ps->c->has_password = true;
		*ln->password = true;
	}
	return 0;
}

/*
 * The directives of the file itself; every other one is a setting
 * (account.c knows their names).  msmtp's directives that this version
 * does not handle yet are refused by name rather than reported as
 * unknown, so that a user with an msmtprc learns exactly which line to
 * change.
 */
static const struct directive {
	const char *name;
	directive_fn *run;
} directives[] = {
	{ "defaults", dir_defaults },
	{ "account", dir_account },
	{ "eval", dir_eval },
	{ "include", dir_include },
	{ "tls_force_sslv3", dir_no_effect },
	{ "ntlmdomain", dir_no_effect },
};

const char *
conf_directive_name(size_t i)
{
	if (i >= sizeof(directives) / sizeof(directives[0]))
		return NULL;
	return directives[i].name;
}

static directive_fn *
directive_named(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(directives) / sizeof(directives[0]); i++)
		if (strcmp(name, directives[i].name) == 0)
			return directives[i].run;
	return dir_setting;
}

/*
 * split_line - the directive name of a line (into dname, size n) and where
 * its argument starts (*rest).  Returns 1, 0 for an empty line or a
 * comment, or -1 with err.
 */
static int
split_line(const char *line, const char *eol, char *dname, size_t n,
	   const char **rest, const char *loc, struct err *err)
{
	const char *d = line, *dend;

	if (memchr(line, '\0', (size_t)(eol - line)) != NULL) {
		err_set(err, ERR_CONFIG, false, _("%s: NUL byte in line"), loc);
		return -1;
	}
	while (d < eol && is_blank(*d))
		d++;
	if (d == eol || *d == '#')
		return 0;
	dend = d;
	while (dend < eol && !is_blank(*dend))
		dend++;
	if ((size_t)(dend - d) >= n) {
		err_set(err, ERR_CONFIG, false,
			_("%s: unknown directive \"%.40s...\""), loc, d);
		return -1;
	}
	memcpy(dname, d, (size_t)(dend - d));
	dname[dend - d] = '\0';
	*rest = dend;
	return 1;
}

/* parse_line - one line (len bytes, no newline) of text. */
static int
parse_line(const struct line *ln, const char *text, size_t len,
	   struct err *err)
{
	const char *eol = text + len, *rest = eol;
	char dname[64];
	struct buf arg;
	int ret;

	ret = split_line(text, eol, dname, sizeof(dname), &rest, ln->loc,
			 err);
	if (ret <= 0)
		return ret;
	buf_init(&arg, CONF_FILE_MAX);
	ret = parse_arg(rest, eol, &arg, ln->loc, err);
	if (ret == 0)
		ret = directive_named(dname)(ln, dname, &arg, err);
	buf_clear_secret(&arg);
	return ret;
}

int
conf_parse_text(struct conf_parser *ps, const char *path, const char *text,
		size_t len, int depth, bool *password, struct err *err)
{
	struct account *cur = ps->defaults;
	struct line ln = { ps, path, NULL, depth, false, &cur, password };
	const char *p = text, *end = text + len;
	unsigned long lineno = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		char loc[ACCOUNT_WHERE_MAX];

		lineno++;
		snprintf(loc, sizeof(loc), "%s:%lu", path, lineno);
		ln.loc = loc;
		if (parse_line(&ln, p, (size_t)(eol - p), err) < 0)
			return -1;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

int
conf_parse(struct conf *c, const char *path, const char *text, size_t len,
	   struct err *err)
{
	struct conf_parser ps = { c, account_new(NULL), false };
	bool password = false;
	int ret;

	c->path = xstrdup(path);
	ret = conf_parse_text(&ps, path, text, len, 0, &password, err);
	account_free(ps.defaults);
	return ret;
}
