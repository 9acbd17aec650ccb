/*
 * conffile.c - the files of the configuration (see conf.h): reading one,
 * the checks of its owner and mode, "include" of a file or a directory,
 * the eval runner, and the system and user files together.  The lines of
 * a file are conf.c's.
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
#include "conffile.h"
#include "gettext.h"
#include "util.h"
#include "xalloc.h"

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
 * has the same rule) - but for root's system file, by its group too.
 */
static int
check_private(const struct stat *st, const char *path, bool allow_root,
	      struct err *err)
{
	bool sysfile;

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
	/* root's system file may be read by its group (smtpsend, the
	 * system user's: smtpsend(1), SYSTEM MODE) */
	sysfile = allow_root && st->st_uid == 0;
	if (st->st_mode & (sysfile ? S_IWGRP | S_IXGRP | S_IRWXO
				   : S_IRWXG | S_IRWXO)) {
		err_set(err, ERR_CONFIG, false,
			_("%s holds a password but others may read it (mode "
			  "%04o); fix it with: chmod %s %s"), path,
			(unsigned)(st->st_mode & 07777), sysfile ? "640"
			: "600", path);
		return -1;
	}
	return 0;
}

/*
 * conf_check_trusted - a configuration file (or an included directory) is read,
 * and its eval commands run, only when it is the user's own or root's and
 * nobody else may change it: otherwise whoever can write it could run
 * commands as this user (as root, for root) or redirect the mail.
 */
int
conf_check_trusted(const struct stat *st, const char *path, struct err *err)
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

/*
 * load_file - read path and parse it at depth.  loc is the include line
 * ("file:line"), or NULL for a top-level file.  skip: open errors (errno
 * values, 0-terminated) for which the file is skipped (returns 1).
 * Returns 0, 1 or -1 with err.
 */
static int
load_file(struct conf_parser *ps, const char *path, const char *loc, int depth,
	  const int *skip, struct err *err)
{
	struct buf text;
	struct stat st;
	bool password = false;
	int fd, r, ret = -1;

	buf_init_secret(&text, CONF_FILE_MAX);
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
	if (conf_check_trusted(&st, path, err) < 0) {
		if (loc != NULL)
			err_prefix(err, loc);
		goto out;
	}
	r = buf_read_fd(&text, fd);
	if (r == BUF_TOO_BIG) {
		err_set(err, ERR_CONFIG, false,
			_("configuration file %s is larger than 16 MiB"),
			path);
		goto out;
	}
	if (r < 0 && loc != NULL) {
		err_set_errno(err, ERR_CONFIG, false, errno,
			      _("%s: include: cannot read %s"), loc, path);
		goto out;
	}
	if (r < 0) {
		err_set_errno(err, ERR_CONFIG, false, errno,
			      _("cannot read configuration file %s"), path);
		goto out;
	}
	close(fd);
	fd = -1;
	if (conf_parse_text(ps, path, buf_str(&text), text.len, depth,
			    &password, err) < 0)
		goto out;
	if (password && check_private(&st, path, ps->allow_root, err) < 0)
		goto out;
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
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
include_dir(struct conf_parser *ps, const char *path, const char *loc,
	    int depth, struct err *err)
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
	if (conf_check_trusted(&st, path, err) < 0) {
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
		p = util_expand_home(arg);
		if (p == NULL)
			err_set(err, ERR_CONFIG, false,
				_("%s: include: cannot expand \"~\": HOME is "
				  "not set and the passwd entry has no home"),
				loc);
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

int
conffile_include(struct conf_parser *ps, const char *arg, const char *from,
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

/* load_top - a top-level file; 1: skipped (see load_file). */
static int
load_top(struct conf *c, const char *path, bool allow_root, const int *skip,
	 struct err *err)
{
	struct conf_parser ps = { c, account_new(NULL), allow_root };
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
