/*
 * oauth2_store.c - the OAuth2 token files (see oauth2_store.h; the
 * tokens are RFC 6749 1.4 and 1.5's).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ascii.h"
#include "buf.h"
#include "gettext.h"
#include "oauth2_store.h"
#include "util.h"
#include "xalloc.h"

#define STORE_MAGIC "smtpsend-oauth2-token 1"

/* An encoded account name longer than this is refused. */
#define NAME_MAX_ENC 200

void
oauth2_token_clear(struct oauth2_token *t)
{
	xfree_secret(t->refresh);
	xfree_secret(t->access);
	t->refresh = t->access = NULL;
	t->expires = 0;
}

int
oauth2_token_valid(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!ascii_is_vchar((unsigned char)s[i])
		    || i >= OAUTH2_TOKEN_MAX)
			return 0;
	return i > 0;
}

/* ---- the file's text ---- */

static int
parse_expires(const char *v, long long *out)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < 0)
		return -1;
	*out = n;
	return 0;
}

static int
bad_line(const char *key, struct err *err)
{
	err_set(err, ERR_CONFIG, false, _("bad or repeated line \"%.20s\""),
		key);
	return -1;
}

/* parse_one - one "key value" line (NUL-terminated) into t */
static int
parse_one(char *line, struct oauth2_token *t, struct err *err)
{
	char *v = strchr(line, ' ');
	char **slot = NULL;

	if (v == NULL)
		goto bad;
	*v++ = '\0';
	if (strcmp(line, "refresh_token") == 0)
		slot = &t->refresh;
	else if (strcmp(line, "access_token") == 0)
		slot = &t->access;
	else if (strcmp(line, "expires") == 0)
		return parse_expires(v, &t->expires) == 0 ? 0 : bad_line(line,
									 err);
	if (slot == NULL || *slot != NULL || !oauth2_token_valid(v))
		goto bad;
	*slot = xstrdup(v);
	return 0;
bad:
	return bad_line(line, err);
}

int
oauth2_store_parse(const char *text, size_t n, struct oauth2_token *t,
		   struct err *err)
{
	struct buf line;
	const char *p = text, *end = text + n, *nl;
	int ret = -1;

	buf_init_secret(&line, OAUTH2_TOKEN_MAX + 64);
	if (n < strlen(STORE_MAGIC) + 1
	    || memcmp(text, STORE_MAGIC "\n", strlen(STORE_MAGIC) + 1) != 0) {
		err_set(err, ERR_CONFIG, false, _("not a token file"));
		goto out;
	}
	for (p += strlen(STORE_MAGIC) + 1; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL || memchr(p, '\0', (size_t)(nl - p)) != NULL) {
			err_set(err, ERR_CONFIG, false,
				_("unterminated line or NUL byte"));
			goto out;
		}
		buf_reset(&line);
		if (buf_append(&line, p, (size_t)(nl - p)) < 0) {
			err_set(err, ERR_CONFIG, false, _("line too long"));
			goto out;
		}
		if (parse_one(line.p, t, err) < 0)
			goto out;
	}
	if (t->refresh == NULL) {
		err_set(err, ERR_CONFIG, false, _("no refresh token"));
		goto out;
	}
	ret = 0;
out:
	buf_clear_secret(&line);
	if (ret < 0)
		oauth2_token_clear(t);
	return ret;
}

static void
format_token(struct buf *b, const struct oauth2_token *t, int *rc)
{
	*rc = buf_printf(b, "%s\nrefresh_token %s\n", STORE_MAGIC,
			 t->refresh);
	if (*rc == 0 && t->access != NULL)
		*rc = buf_printf(b, "access_token %s\nexpires %lld\n",
				 t->access, t->expires);
}

/* ---- the directory and the files ---- */

/* encode_name - the file name of account: bytes other than letters,
 * digits and "_-+@." (and a leading ".") as %XX */
static int
encode_name(const char *account, char *out, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, o = 0;

	for (i = 0; account[i]; i++) {
		unsigned char ch = (unsigned char)account[i];
		bool plain = ascii_is_alnum(ch) || (ch != 0
			     && strchr("_-+@.", ch) != NULL
			     && (ch != '.' || i > 0));

		if (o + 4 > n || o + 4 > NAME_MAX_ENC)
			return -1;
		if (plain) {
			out[o++] = (char)ch;
		} else {
			out[o++] = '%';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		}
	}
	out[o] = '\0';
	return o > 0 ? 0 : -1;
}

static char *
store_dir(void)
{
	char *state = util_state_dir(), *dir;
	size_t n;

	if (state == NULL)
		return NULL;
	n = strlen(state) + sizeof("/oauth2");
	dir = xmalloc(n);
	snprintf(dir, n, "%s/oauth2", state);
	free(state);
	return dir;
}

void
oauth2_store_path(const char *account, char *out, size_t n)
{
	char *dir = store_dir(), name[NAME_MAX_ENC + 1];

	if (dir == NULL || encode_name(account, name, sizeof(name)) < 0)
		snprintf(out, n, "(none)");
	else
		snprintf(out, n, "%s/%s", dir, name);
	free(dir);
}

/*
 * open_store - the store directory, checked as the queue's is (no
 * symbolic link, ours, written by nobody else), and the file name of
 * account in it.  Returns the directory's descriptor or -1 with err.
 */
static int
open_store(const char *account, char *name, size_t n, struct err *err)
{
	char *dir = store_dir();
	struct stat st;
	int fd = -1;

	if (dir == NULL) {
		err_set(err, ERR_IO, true, _("no state directory for the "
			"OAuth2 tokens: neither XDG_STATE_HOME nor HOME is "
			"set"));
		goto out;
	}
	if (encode_name(account, name, n) < 0) {
		err_set(err, ERR_CONFIG, false, _("account name unusable as a "
			"file name"));
		goto out;
	}
	if (util_mkdirs(dir) < 0
	    || (fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW
				      | O_CLOEXEC)) < 0) {
		err_set_errno(err, ERR_IO, true, errno, _("token directory "
			      "%s (it must be a directory, not a link)"), dir);
		goto out;
	}
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid()
	    || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		err_set(err, ERR_IO, true, _("token directory %s belongs to "
			"another user or others may write it; fix it with: "
			"chmod 700 %s"), dir, dir);
		close(fd);
		fd = -1;
	}
out:
	free(dir);
	return fd;
}

/* check_file - a token file must be a regular file of ours that nobody
 * else may read */
static int
check_file(int fd, const char *name, struct err *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)
	    || st.st_uid != geteuid()) {
		err_set(err, ERR_CONFIG, false, _("token file %s is not a "
			"regular file of this user"), name);
		return -1;
	}
	if (st.st_mode & 077) {
		err_set(err, ERR_CONFIG, false, _("token file %s may be read "
			"by others (mode %04o); fix it with: chmod 600 %s"),
			name, (unsigned)(st.st_mode & 07777), name);
		return -1;
	}
	return 0;
}

int
oauth2_store_load(const char *account, struct oauth2_token *t,
		  struct err *err)
{
	char name[NAME_MAX_ENC + 1], shown[4096];
	struct buf text;
	int dfd, fd = -1, ret = -1;

	buf_init_secret(&text, OAUTH2_STORE_MAX);
	dfd = open_store(account, name, sizeof(name), err);
	if (dfd < 0)
		return -1;
	oauth2_store_path(account, shown, sizeof(shown));
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		ret = 0;
		goto out;
	}
	if (fd < 0) {
		err_set_errno(err, ERR_IO, true, errno,
			      _("cannot open token file %s"), shown);
		goto out;
	}
	if (check_file(fd, shown, err) < 0)
		goto out;
	if (buf_read_fd(&text, fd) < 0) {
		err_set(err, ERR_CONFIG, false, _("cannot read token file %s "
			"(or it is larger than %d bytes)"), shown,
			OAUTH2_STORE_MAX);
		goto out;
	}
	if (oauth2_store_parse(text.p ? text.p : "", text.len, t, err) < 0) {
		err_prefix(err, shown);
		ret = -2;
		goto out;
	}
	ret = 1;
out:
	buf_clear_secret(&text);
	if (fd >= 0)
		close(fd);
	close(dfd);
	return ret;
}

/* write_tmp - t into the new file tmp in dfd, mode 0600, fsync'd */
static int
write_tmp(int dfd, const char *tmp, const struct oauth2_token *t,
	  struct err *err)
{
	struct buf b;
	int fd, rc;

	buf_init_secret(&b, OAUTH2_STORE_MAX);
	(void)unlinkat(dfd, tmp, 0);    /* a crash's leftover */
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW
			      | O_CLOEXEC, 0600);
	if (fd < 0) {
		err_set_errno(err, ERR_IO, true, errno, _("cannot create %s"),
			      tmp);
		buf_clear_secret(&b);
		return -1;
	}
	format_token(&b, t, &rc);
	if (rc < 0 || util_write_all(fd, b.p, b.len) < 0 || fsync(fd) < 0) {
		err_set_errno(err, ERR_IO, true, rc < 0 ? EOVERFLOW : errno,
			      _("cannot write %s"), tmp);
		rc = -1;
	}
	buf_clear_secret(&b);
	if (close(fd) < 0 && rc == 0) {
		err_set_errno(err, ERR_IO, true, errno, _("cannot write %s"),
			      tmp);
		rc = -1;
	}
	return rc;
}

int
oauth2_store_save(const char *account, const struct oauth2_token *t,
		  struct err *err)
{
	char name[NAME_MAX_ENC + 1], tmp[NAME_MAX_ENC + 32];
	int dfd, ret = -1;

	dfd = open_store(account, name, sizeof(name), err);
	if (dfd < 0)
		return -1;
	/* one name: the caller holds the account's lock, and a crash's
	 * leftover is replaced by the next save */
	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	if (write_tmp(dfd, tmp, t, err) < 0)
		goto out;
	if (renameat(dfd, tmp, dfd, name) < 0) {
		err_set_errno(err, ERR_IO, true, errno,
			      _("cannot rename %s to %s"), tmp, name);
		goto out;
	}
	(void)fsync(dfd);       /* the rename is durable */
	ret = 0;
out:
	if (ret < 0)
		(void)unlinkat(dfd, tmp, 0);
	close(dfd);
	return ret;
}

int
oauth2_store_remove(const char *account, struct err *err)
{
	char name[NAME_MAX_ENC + 1];
	int dfd, ret = 1;

	dfd = open_store(account, name, sizeof(name), err);
	if (dfd < 0)
		return -1;
	if (unlinkat(dfd, name, 0) < 0) {
		ret = errno == ENOENT ? 0 : -1;
		if (ret < 0)
			err_set_errno(err, ERR_IO, true, errno,
				      _("cannot remove token file %s"), name);
	} else {
		(void)fsync(dfd);
	}
	close(dfd);
	return ret;
}

int
oauth2_store_lock(const char *account, int wait_s, struct err *err)
{
	char name[NAME_MAX_ENC + 1], lock[NAME_MAX_ENC + 8];
	long long deadline = util_now_ms() + (long long)wait_s * 1000;
	int dfd, fd;

	dfd = open_store(account, name, sizeof(name), err);
	if (dfd < 0)
		return -1;
	snprintf(lock, sizeof(lock), "%s.lock", name);
	fd = openat(dfd, lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
		    0600);
	close(dfd);
	if (fd < 0) {
		err_set_errno(err, ERR_IO, true, errno, _("cannot open %s"),
			      lock);
		return -1;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if ((errno != EWOULDBLOCK && errno != EINTR)
		    || util_now_ms() >= deadline) {
			err_set(err, ERR_IO, true, _("another smtpsend is "
				"renewing the OAuth2 token of account %s (its "
				"lock %s was still held after %d s)"), account,
				lock, wait_s);
			close(fd);
			return -1;
		}
		(void)util_poll(-1, 0, util_now_ms() + 100);
	}
	return fd;
}

void
oauth2_store_unlock(int fd)
{
	if (fd >= 0)
		close(fd);      /* releases the flock */
}
