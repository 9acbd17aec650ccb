/*
 * conf.c - configuration file parsing (msmtp-compatible syntax, see conf.h):
 * the line syntax, eval, include, and the system and user files.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "conf.h"
#include "gettext.h"
#include "xalloc.h"

/*
 * msmtp directives this version does not handle yet.  They are refused by
 * name rather than reported as unknown, so that a user with an msmtprc
 * learns exactly which line to change.
 */
static const char *const later[] = {
	"tls_crl_file", "tls_min_dh_prime_bits", "tls_force_sslv3",
	"source_ip", "proxy_host", "proxy_port", "socket", "protocol",
	"auto_from", "ntlmdomain", NULL
};

/* The state shared by a file and the files it includes. */
struct parser {
	struct conf *c;
	struct account *defaults;       /* the "defaults" settings so far */
	bool allow_root;                /* files may belong to root */
};

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

static bool
is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
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
				_("%s: unexpected text after the closing quote"),
				loc);
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

/* parse_account_line - "NAME", "NAME : P1, P2" or "default : NAME". */
static int
parse_account_line(struct conf *c, const struct account *defaults,
		   const char *arg, const char *loc, struct account **cur,
		   struct err *err)
{
	const char *colon = strchr(arg, ':');
	char *name;
	size_t nlen;

	nlen = colon ? (size_t)(colon - arg) : strlen(arg);
	while (nlen > 0 && is_blank(arg[nlen - 1]))
		nlen--;
	if (nlen == 0) {
		err_set(err, ERR_CONFIG, false, _("%s: account needs a name"),
			loc);
		return -1;
	}
	name = xstrndup(arg, nlen);
	if (strcspn(name, " \t") != nlen) {
		err_set(err, ERR_CONFIG, false,
			_("%s: account name \"%s\" contains a blank"), loc,
			name);
		free(name);
		return -1;
	}
	if (conf_find(c, name) != NULL) {
		err_set(err, ERR_CONFIG, false,
			_("%s: account \"%s\" is defined twice"), loc, name);
		free(name);
		return -1;
	}
	if (strcmp(name, "default") == 0 && colon != NULL) {
		/* "account default : NAME" - an alias, possibly with
		 * settings of its own that follow */
		const char *p = colon + 1;
		size_t len;

		while (is_blank(*p))
			p++;
		len = strlen(p);
		while (len > 0 && is_blank(p[len - 1]))
			len--;
		if (len == 0 || memchr(p, ',', len) != NULL) {
			err_set(err, ERR_CONFIG, false,
				_("%s: \"account default :\" needs exactly one "
				  "account name"), loc);
			free(name);
			return -1;
		}
		c->default_name = xstrndup(p, len);
	}
	*cur = add_account(c, name);
	free(name);
	account_merge(*cur, defaults);
	if (colon != NULL) {
		const char *p = colon + 1;

		while (*p) {
			const char *e = p + strcspn(p, ",");
			const char *s = p;
			const struct account *parent;
			char *pname;

			while (s < e && is_blank(*s))
				s++;
			while (e > s && is_blank(e[-1]))
				e--;
			pname = xstrndup(s, (size_t)(e - s));
			parent = conf_find(c, pname);
			if (*pname == '\0' || parent == NULL
			    || parent == *cur) {
				err_set(err, ERR_CONFIG, false,
					_("%s: account \"%s\" is not defined "
					  "above"), loc, pname);
				free(pname);
				return -1;
			}
			free(pname);
			account_merge(*cur, parent);
			p += strcspn(p, ",");
			if (*p == ',')
				p++;
		}
	}
	return 0;
}

/* ---- eval ---- */

int
conf_eval_command(const char *cmd, struct buf *out, void *arg,
		  struct err *err)
{
	(void)arg;
	return cmd_first_line(cmd, CONF_EVAL_MAX, 0, ERR_CONFIG, false, out,
			      err);
}

/* ---- files ---- */

/*
 * check_private - a file that holds a password must be the user's own (or
 * root's, for the system configuration) and readable by nobody else (msmtp
 * has the same rule).
 */
static int
check_private(const struct stat *st, const char *path, bool allow_root,
	      struct err *err)
{
	if (st->st_uid != geteuid() && !(allow_root && st->st_uid == 0)) {
		if (allow_root)
			err_set(err, ERR_CONFIG, false,
				_("%s holds a password but belongs to another "
				  "user; it must be your own file or root's "
				  "(chown)"), path);
		else
			err_set(err, ERR_CONFIG, false,
				_("%s holds a password but belongs to another "
				  "user; it must be your own file (chown)"),
				path);
		return -1;
	}
	if (st->st_mode & (S_IRWXG | S_IRWXO)) {
		err_set(err, ERR_CONFIG, false,
			_("%s holds a password but others may read it (mode "
			  "%04o); fix it with: chmod 600 %s"), path,
			(unsigned)(st->st_mode & 07777), path);
		return -1;
	}
	return 0;
}

/*
 * check_trusted - a configuration file (or an included directory) is read,
 * and its eval commands run, only when it is the user's own or root's and
 * nobody else may change it: otherwise whoever can write it could run
 * commands as this user (as root, for root) or redirect the mail.
 */
static int
check_trusted(const struct stat *st, const char *path, struct err *err)
{
	if (st->st_uid != geteuid() && st->st_uid != 0) {
		err_set(err, ERR_CONFIG, false,
			_("%s belongs to another user (uid %lu); smtpsend "
			  "reads only configuration files of its own user or "
			  "of root"), path, (unsigned long)st->st_uid);
		return -1;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		err_set(err, ERR_CONFIG, false,
			_("%s may be changed by other users (mode %04o); fix "
			  "it with: chmod go-w %s"), path,
			(unsigned)(st->st_mode & 07777), path);
		return -1;
	}
	return 0;
}

static int parse_text(struct parser *ps, const char *path, const char *text,
		      size_t len, int depth, bool *password, struct err *err);

/*
 * load_file - read path and parse it at depth.  loc is the include line
 * ("file:line"), or NULL for a top-level file.  skip: open errors (errno
 * values, 0-terminated) for which the file is skipped (returns 1).
 * Returns 0, 1 or -1 with err.
 */
static int
load_file(struct parser *ps, const char *path, const char *loc, int depth,
	  const int *skip, struct err *err)
{
	struct buf text;
	struct stat st;
	char chunk[8192];
	bool password = false;
	int fd, ret = -1;
	ssize_t n;

	buf_init(&text, CONF_FILE_MAX);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		for (; skip != NULL && *skip != 0; skip++)
			if (errno == *skip) {
				ret = 1;
				goto out;
			}
		if (loc != NULL)
			err_set_errno(err, ERR_CONFIG, false, errno,
				      _("%s: include: cannot open %s"), loc,
				      path);
		else
			err_set_errno(err, ERR_CONFIG, false, errno,
				      _("cannot open configuration file %s"),
				      path);
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		err_set_errno(err, ERR_CONFIG, false, errno, "%s", path);
		goto out;
	}
	if (check_trusted(&st, path, err) < 0) {
		if (loc != NULL)
			err_prefix(err, loc);
		goto out;
	}
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			if (loc != NULL)
				err_set_errno(err, ERR_CONFIG, false, errno,
					      _("%s: include: cannot read %s"),
					      loc, path);
			else
				err_set_errno(err, ERR_CONFIG, false, errno,
					      _("cannot read configuration "
						"file %s"), path);
			goto out;
		}
		if (n == 0)
			break;
		if (buf_append(&text, chunk, (size_t)n) < 0) {
			err_set(err, ERR_CONFIG, false,
				_("configuration file %s is larger than 16 "
				  "MiB"), path);
			goto out;
		}
	}
	close(fd);
	fd = -1;
	if (parse_text(ps, path, buf_str(&text), text.len, depth, &password,
		       err) < 0)
		goto out;
	if (password && check_private(&st, path, ps->allow_root, err) < 0)
		goto out;
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	secure_zero(chunk, sizeof(chunk));
	buf_clear_secret(&text);
	return ret;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* include_dir - the "*.conf" files of the directory path, sorted. */
static int
include_dir(struct parser *ps, const char *path, const char *loc, int depth,
	    struct err *err)
{
	DIR *dir;
	struct dirent *de;
	struct stat st;
	char **names = NULL;
	size_t n = 0, i;
	int ret = -1, fd;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0
	    || (dir = fdopendir(fd)) == NULL) {
		err_set_errno(err, ERR_CONFIG, false, errno,
			      _("%s: include: cannot open %s"), loc, path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (check_trusted(&st, path, err) < 0) {
		err_prefix(err, loc);
		closedir(dir);
		return -1;
	}
	for (;;) {
		size_t len;

		errno = 0;
		de = readdir(dir);
		if (de == NULL)
			break;
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 5
		    || strcmp(de->d_name + len - 5, ".conf") != 0)
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	if (errno != 0) {
		err_set_errno(err, ERR_CONFIG, false, errno,
			      _("%s: include: cannot read %s"), loc, path);
		goto out;
	}
	if (n > 0)
		qsort(names, n, sizeof(*names), compare_names);
	for (i = 0; i < n; i++) {
		size_t len = strlen(path) + strlen(names[i]) + 2;
		char *full = xmalloc(len);
		int r = 0;

		snprintf(full, len, "%s%s%s", path,
			 path[strlen(path) - 1] == '/' ? "" : "/", names[i]);
		/* only regular files (or links to them) */
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
			r = load_file(ps, full, loc, depth, NULL, err);
		free(full);
		if (r < 0)
			goto out;
	}
	ret = 0;
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(dir);
	return ret;
}

/*
 * include_path - the file the argument of "include" names: "~/" expanded,
 * a relative one taken from the directory of from.  Returns an allocated
 * path, or NULL with err.
 */
static char *
include_path(const char *arg, const char *from, const char *loc,
	     struct err *err)
{
	const char *slash;
	char *p;
	size_t len;

	if (arg[0] == '~' && (arg[1] == '/' || arg[1] == '\0')) {
		const char *home = getenv("HOME");

		if (home == NULL || home[0] == '\0') {
			err_set(err, ERR_CONFIG, false,
				_("%s: include: cannot expand \"~\": HOME is "
				  "not set"), loc);
			return NULL;
		}
		len = strlen(home) + strlen(arg);
		p = xmalloc(len);
		snprintf(p, len, "%s%s", home, arg + 1);
		return p;
	}
	slash = strrchr(from, '/');
	if (arg[0] == '/' || slash == NULL)
		return xstrdup(arg);
	len = (size_t)(slash - from) + 1 + strlen(arg) + 1;
	p = xmalloc(len);
	snprintf(p, len, "%.*s%s", (int)(slash - from + 1), from, arg);
	return p;
}

static int
do_include(struct parser *ps, const char *arg, const char *from,
	   const char *loc, int depth, struct err *err)
{
	struct stat st;
	char *path;
	int ret = -1;

	if (arg[0] == '\0') {
		err_set(err, ERR_CONFIG, false,
			_("%s: include needs a file or directory"), loc);
		return -1;
	}
	if (depth >= CONF_INCLUDE_DEPTH) {
		err_set(err, ERR_CONFIG, false,
			_("%s: include nested too deeply"), loc);
		return -1;
	}
	path = include_path(arg, from, loc, err);
	if (path == NULL)
		return -1;
	if (stat(path, &st) < 0)
		err_set_errno(err, ERR_CONFIG, false, errno,
			      _("%s: include: cannot open %s"), loc, path);
	else if (S_ISDIR(st.st_mode))
		ret = include_dir(ps, path, loc, depth + 1, err);
	else if (!S_ISREG(st.st_mode))
		err_set(err, ERR_CONFIG, false,
			_("%s: include: %s is neither a file nor a directory"),
			loc, path);
	else
		ret = load_file(ps, path, loc, depth + 1, NULL, err);
	free(path);
	return ret;
}

/* ---- lines ---- */

/*
 * parse_line - one line (len bytes, no newline) of the file path at depth,
 * located at loc; *cur is the section it is in.  evaluated: the line is
 * the output of an eval.  *password is set when it sets a password.
 */
static int
parse_line(struct parser *ps, const char *path, const char *loc,
	   const char *line, size_t len, int depth, bool evaluated,
	   struct account **cur, bool *password, struct err *err)
{
	struct conf *c = ps->c;
	const char *d = line, *dend, *eol = line + len;
	char dname[64];
	struct buf arg;
	struct err verr;
	size_t dlen, i;
	int field, ret = -1;

	buf_init(&arg, CONF_FILE_MAX);
	if (memchr(line, '\0', len) != NULL) {
		err_set(err, ERR_CONFIG, false, _("%s: NUL byte in line"), loc);
		goto out;
	}
	while (d < eol && is_blank(*d))
		d++;
	if (d == eol || *d == '#') {
		ret = 0;
		goto out;
	}
	dend = d;
	while (dend < eol && !is_blank(*dend))
		dend++;
	dlen = (size_t)(dend - d);
	if (dlen >= sizeof(dname)) {
		err_set(err, ERR_CONFIG, false,
			_("%s: unknown directive \"%.40s...\""), loc, d);
		goto out;
	}
	memcpy(dname, d, dlen);
	dname[dlen] = '\0';
	if (parse_arg(dend, eol, &arg, loc, err) < 0)
		goto out;

	if (strcmp(dname, "defaults") == 0) {
		if (arg.len > 0) {
			err_set(err, ERR_CONFIG, false,
				_("%s: \"defaults\" takes no argument"), loc);
			goto out;
		}
		*cur = ps->defaults;
		ret = 0;
		goto out;
	}
	if (strcmp(dname, "account") == 0) {
		ret = parse_account_line(c, ps->defaults, buf_str(&arg), loc,
					 cur, err);
		goto out;
	}
	if (strcmp(dname, "eval") == 0) {
		struct buf res;
		struct err eerr;

		if (evaluated) {
			err_set(err, ERR_CONFIG, false,
				_("%s: eval: the output of the command is "
				  "another eval"), loc);
			goto out;
		}
		if (arg.len == 0) {
			err_set(err, ERR_CONFIG, false,
				_("%s: eval needs a command"), loc);
			goto out;
		}
		buf_init_secret(&res, CONF_EVAL_MAX);
		err_clear(&eerr);
		if (c->eval(buf_str(&arg), &res, c->eval_arg, &eerr) < 0) {
			err_set(err, ERR_CONFIG, false, "%s: eval: %s", loc,
				eerr.text);
			buf_clear_secret(&res);
			goto out;
		}
		ret = parse_line(ps, path, loc, buf_str(&res), res.len, depth,
				 true, cur, password, err);
		buf_clear_secret(&res);
		goto out;
	}
	if (strcmp(dname, "include") == 0) {
		ret = do_include(ps, buf_str(&arg), path, loc, depth, err);
		goto out;
	}
	for (i = 0; later[i]; i++)
		if (strcmp(dname, later[i]) == 0)
			break;
	if (later[i] != NULL) {
		err_set(err, ERR_CONFIG, false,
			_("%s: directive \"%s\" is not supported by this "
			  "version of smtpsend"), loc, dname);
		goto out;
	}
	field = account_set_directive(*cur, dname, buf_str(&arg), loc, &verr);
	if (field < 0) {
		err_set(err, ERR_CONFIG, false, "%s: %s", loc, verr.text);
		goto out;
	}
	if (field == ACC_PASSWORD) {
		c->has_password = true;
		*password = true;
	}
	ret = 0;
out:
	buf_clear_secret(&arg);
	return ret;
}

/*
 * parse_text - the lines of the file path (len bytes of text), which starts
 * in no section.  *password is set when the file sets a password.
 */
static int
parse_text(struct parser *ps, const char *path, const char *text, size_t len,
	   int depth, bool *password, struct err *err)
{
	struct account *cur = ps->defaults;
	const char *p = text, *end = text + len;
	unsigned long lineno = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		char loc[ACCOUNT_WHERE_MAX];

		lineno++;
		snprintf(loc, sizeof(loc), "%s:%lu", path, lineno);
		if (parse_line(ps, path, loc, p, (size_t)(eol - p), depth,
			       false, &cur, password, err) < 0)
			return -1;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

int
conf_parse(struct conf *c, const char *path, const char *text, size_t len,
	   struct err *err)
{
	struct parser ps = { c, account_new(NULL), false };
	bool password = false;
	int ret;

	c->path = xstrdup(path);
	ret = parse_text(&ps, path, text, len, 0, &password, err);
	account_free(ps.defaults);
	return ret;
}

/* load_top - a top-level file; 1: skipped (see load_file). */
static int
load_top(struct conf *c, const char *path, bool allow_root, const int *skip,
	 struct err *err)
{
	struct parser ps = { c, account_new(NULL), allow_root };
	int ret;

	c->path = xstrdup(path);
	ret = load_file(&ps, path, NULL, 0, skip, err);
	account_free(ps.defaults);
	return ret;
}

int
conf_load(struct conf *c, const char *path, struct err *err)
{
	return load_top(c, path, false, NULL, err);
}

int
conf_load_files(struct conf *c, const char *system_path,
		const char *user_path, struct err *err)
{
	static const int sys_skip[] = { ENOENT, ENOTDIR, EACCES, 0 };
	static const int user_skip[] = { ENOENT, ENOTDIR, 0 };
	struct conf sys, user;
	int rs = 1, ru = 1, ret = -1;
	size_t i, j;

	conf_init(&sys);
	conf_init(&user);
	sys.eval = user.eval = c->eval;
	sys.eval_arg = user.eval_arg = c->eval_arg;
	if (system_path != NULL) {
		rs = load_top(&sys, system_path, true, sys_skip, err);
		if (rs < 0)
			goto out;
	}
	if (user_path != NULL) {
		ru = load_top(&user, user_path, false, user_skip, err);
		if (ru < 0)
			goto out;
	}
	/* the system's accounts, then the user's, replacing namesakes */
	if (rs == 0) {
		c->accounts = sys.accounts;
		c->n = sys.n;
		sys.accounts = NULL;
		sys.n = 0;
		c->default_name = sys.default_name;
		sys.default_name = NULL;
		c->path = xstrdup(system_path);
		c->has_password = sys.has_password;
	}
	if (ru == 0) {
		if (conf_find(&user, "default") != NULL) {
			free(c->default_name);
			c->default_name = user.default_name;
			user.default_name = NULL;
		}
		for (i = 0; i < user.n; i++) {
			struct account *a = user.accounts[i];

			for (j = 0; j < c->n; j++)
				if (strcmp(c->accounts[j]->name, a->name) == 0)
					break;
			if (j < c->n) {
				account_free(c->accounts[j]);
			} else {
				c->accounts = xrealloc(c->accounts,
						       (c->n + 1)
						       * sizeof(*c->accounts));
				c->n++;
			}
			c->accounts[j] = a;
			user.accounts[i] = NULL;
		}
		user.n = 0;
		free(c->path);
		c->path = xstrdup(user_path);
		c->has_password = c->has_password || user.has_password;
	}
	ret = 0;
out:
	conf_clear(&sys);
	conf_clear(&user);
	return ret;
}
