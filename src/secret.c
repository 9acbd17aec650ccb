/*
 * secret.c - password sources (see secret.h).  The netrc format is the
 * one of ftp(1): "machine NAME login USER password SECRET", "default",
 * "macdef" blocks skipped.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "ascii.h"
#include "buf.h"
#include "cmd.h"
#include "gettext.h"
#include "secret.h"
#include "util.h"
#include "xalloc.h"

/*
 * secret_eval - run cmd (cmd_first_line) and return the first line it
 * prints (without its line end), allocated.  where says where the command
 * was set ("file:12", "command line"): errors name it, never the command.
 * Returns 0, or -1 with err (ERR_AUTH, temporary: a locked keyring may be
 * unlocked later).
 */
static int
secret_eval(const char *cmd, const char *where, char **out, struct err *err)
{
	char what[ACCOUNT_WHERE_MAX + 32];
	struct buf b;
	int ret = -1;

	*out = NULL;
	buf_init_secret(&b, SECRET_MAX);
	snprintf(what, sizeof(what), "passwordeval (%s)", where);
	if (cmd_first_line(cmd, SECRET_MAX, 0, ERR_AUTH, true, &b, err) < 0) {
		err_prefix(err, what);
		err->config = true;
		goto out;
	}
	if (b.len == 0) {
		err_set(err, ERR_AUTH, true,
			_("%s: the command printed no password"), what);
		err->config = true;
		goto out;
	}
	*out = xstrndup(b.p, b.len);
	ret = 0;
out:
	buf_clear(&b);
	return ret;
}

/* next_word - the next netrc token of p (which it advances). */
static size_t
next_word(const char **p, char *w, size_t n)
{
	const char *s = *p;
	size_t len = 0;

	while (ascii_is_space(*s))
		s++;
	if (*s == '"') {
		s++;
		while (*s && *s != '"') {
			if (*s == '\\' && s[1])
				s++;
			if (len + 1 < n)
				w[len++] = *s;
			s++;
		}
		if (*s == '"')
			s++;
	} else {
		while (*s && !ascii_is_space(*s)) {
			if (len + 1 < n)
				w[len++] = *s;
			s++;
		}
	}
	w[len] = '\0';
	*p = s;
	return len;
}

/* private_file - a file of passwords must be the user's own and readable
 * by nobody else (as ftp(1) and msmtp require of ~/.netrc). */
static int
private_file(int fd, const char *path, struct err *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		err_set_errno(err, ERR_CONFIG, false, errno, "%s", path);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		err_set(err, ERR_CONFIG, false,
			_("%s holds a password but belongs to another user "
			  "(uid %lu); it must be your own file"), path,
			(unsigned long)st.st_uid);
		return -1;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		err_set(err, ERR_CONFIG, false,
			_("%s holds a password but others may read it (mode "
			  "%04o); fix it with: chmod 600 %s"), path,
			(unsigned)(st.st_mode & 07777), path);
		return -1;
	}
	return 0;
}

/* An entry of a netrc file, while it is read. */
struct netrc_entry {
	bool open;              /* after "machine NAME" or "default" */
	bool matches;           /* for the host */
	char *login;
	char *pw;               /* a secret */
};

static void
entry_clear(struct netrc_entry *e)
{
	free(e->login);
	xfree_secret(e->pw);
	e->login = e->pw = NULL;
}

/* entry_fits - whether the entry that just ended gives the password of
 * user (any user when NULL) at the host. */
static bool
entry_fits(const struct netrc_entry *e, const char *user)
{
	return e->open && e->matches && e->pw != NULL
	       && (user == NULL || e->login == NULL
		   || strcmp(user, e->login) == 0);
}

/* find_entry - the first entry of text that fits host and user: 1 with
 * *login and *password (allocated; the caller owns them), or 0. */
static int
find_entry(const char *p, const char *host, const char *user, char **login,
	   char **password)
{
	struct netrc_entry e = { false, false, NULL, NULL };
	char w[1024];
	size_t len;
	int found = 0;

	for (;;) {
		len = next_word(&p, w, sizeof(w));
		if (len == 0 || strcmp(w, "machine") == 0
		    || strcmp(w, "default") == 0) {
			/* the previous entry ends: take it if it fits */
			if (entry_fits(&e, user)) {
				*login = e.login;
				*password = e.pw;
				e.login = e.pw = NULL;
				found = 1;
				break;
			}
			entry_clear(&e);
			if (len == 0)
				break;
			e.open = true;
			e.matches = strcmp(w, "default") == 0
				    || (next_word(&p, w, sizeof(w)) > 0
					&& strcasecmp(w, host) == 0);
		} else if (strcmp(w, "login") == 0) {
			next_word(&p, w, sizeof(w));
			free(e.login);
			e.login = xstrdup(w);
		} else if (strcmp(w, "password") == 0) {
			next_word(&p, w, sizeof(w));
			xfree_secret(e.pw);
			e.pw = xstrdup(w);
		} else if (strcmp(w, "account") == 0) {
			next_word(&p, w, sizeof(w));
		} else if (strcmp(w, "macdef") == 0) {
			/* a macro runs to the next empty line */
			const char *end = strstr(p, "\n\n");
			p = end ? end + 2 : p + strlen(p);
		}
	}
	entry_clear(&e);
	secure_zero(w, sizeof(w));
	return found;
}

/*
 * secret_netrc - look up host (and user, when not NULL) in the netrc file
 * path.  Returns 1 with *login and/or *password allocated (each may be
 * NULL), 0 when there is no entry, -1 with err (ERR_CONFIG) when the file
 * cannot be read, or when it gives a password but is not the user's own
 * private file (mode 0600).
 */
static int
secret_netrc(const char *path, const char *host, const char *user,
	     char **login, char **password, struct err *err)
{
	struct buf text;
	int fd, found;

	*login = NULL;
	*password = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		err_set_errno(err, ERR_CONFIG, false, errno,
			      _("cannot read %s"), path);
		return -1;
	}
	buf_init_secret(&text, 1024 * 1024);
	found = buf_read_fd(&text, fd);
	if (found == BUF_TOO_BIG)
		err_set(err, ERR_CONFIG, false, _("%s is larger than 1 MiB"),
			path);
	else if (found < 0)
		err_set_errno(err, ERR_CONFIG, false, errno,
			      _("cannot read %s"), path);
	else
		found = find_entry(buf_str(&text), host, user, login,
				   password);
	buf_clear(&text);
	if (found < 0) {
		close(fd);
		return -1;
	}
	if (found && private_file(fd, path, err) < 0) {
		free(*login);
		xfree_secret(*password);
		*login = *password = NULL;
		found = -1;
	}
	close(fd);
	return found;
}

/* prompt - ask on the terminal without echo. */
static int
prompt(const char *user, const char *host, char **out)
{
	struct termios old, quiet;
	char line[1024];
	int fd, ret = -1;
	size_t len = 0;
	char c;

	fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	if (tcgetattr(fd, &old) < 0)
		goto out;
	dprintf(fd, _("Password for %s at %s: "), user ? user : "", host);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	if (tcsetattr(fd, TCSAFLUSH, &quiet) < 0)
		goto out;
	while (read(fd, &c, 1) == 1 && c != '\n') {
		if (len + 1 < sizeof(line))
			line[len++] = c;
	}
	line[len] = '\0';
	tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) {
		/* nothing to do: the echo line is cosmetic */
	}
	if (len > 0) {
		*out = xstrdup(line);
		ret = 0;
	}
	secure_zero(line, sizeof(line));
out:
	close(fd);
	return ret;
}

int
secret_password(const struct account *a, bool allow_prompt, char **user,
		char **password, struct err *err)
{
	const char *home = util_home();
	char path[4096], *login = NULL, *pw = NULL;
	int found;

	*user = a->user ? xstrdup(a->user) : NULL;
	*password = NULL;
	if (a->password != NULL) {
		*password = xstrdup(a->password);
		return 0;
	}
	if (a->passwordeval != NULL)
		return secret_eval(a->passwordeval,
				   a->where[ACC_PASSWORDEVAL][0]
					   ? account_where(a, ACC_PASSWORDEVAL)
					   : "passwordeval",
				   password, err);
	if (home != NULL && *home != '\0') {
		snprintf(path, sizeof(path), "%s/.netrc", home);
		found = secret_netrc(path, a->host, a->user, &login, &pw, err);
		if (found < 0) {
			free(*user);
			*user = NULL;
			return -1;
		}
		if (found == 1 && pw != NULL) {
			if (*user == NULL)
				*user = login;
			else
				free(login);
			*password = pw;
			return 0;
		}
		free(login);
		xfree_secret(pw);
	}
	if (allow_prompt && prompt(*user, a->host, password) == 0)
		return 0;
	err_set(err, ERR_AUTH, false,
		_("no password for %s at %s: set \"password\" or "
		  "\"passwordeval\", or add it to ~/.netrc"),
		*user ? *user : _("(no user)"), a->host);
	err->config = true;
	return -1;
}
