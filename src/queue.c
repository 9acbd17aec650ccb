/*
 * queue.c - the durable local queue (see queue.h and doc/queue-format.md).
 * The write-fsync-rename idiom: POSIX rename(2) is atomic, and fsync on the
 * file and then on its directory makes the result durable.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "utf8.h"
#include "buf.h"
#include "gettext.h"
#include "queue.h"
#include "xalloc.h"
#include "util.h"

#define ENV_MAX (4 * 1024 * 1024)

char *
queue_default_dir(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char path[4096];

	if (state != NULL && state[0] == '/')
		snprintf(path, sizeof(path), "%s/smtpsend/queue", state);
	else if (home != NULL && home[0] != '\0')
		snprintf(path, sizeof(path), "%s/.local/state/smtpsend/queue",
			 home);
	else
		return NULL;
	return xstrdup(path);
}

/* mkdirs - mkdir -p path with mode 0700 for what it creates. */
static int
mkdirs(const char *path)
{
	char tmp[4096];
	size_t i, n = strlen(path);

	if (n >= sizeof(tmp))
		return -1;
	memcpy(tmp, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
			return -1;
		tmp[i] = path[i];
	}
	return 0;
}

int
queue_open(struct queue *q, const char *dir, struct err *err)
{
	static const char *const subs[] = { "tmp", "msg", "failed" };
	size_t i;

	q->dir = xstrdup(dir);
	q->dirfd = -1;
	q->msgfd = -1;
	if (mkdirs(dir) < 0) {
		err_set_errno(err, ERR_IO, true, errno,
			      _("cannot create the queue directory %s"), dir);
		goto fail;
	}
	q->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (q->dirfd < 0) {
		err_set_errno(err, ERR_IO, true, errno,
			      _("cannot open the queue directory %s"), dir);
		goto fail;
	}
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		if (mkdirat(q->dirfd, subs[i], 0700) < 0 && errno != EEXIST) {
			err_set_errno(err, ERR_IO, true, errno,
				      _("cannot create %s/%s"), dir, subs[i]);
			goto fail;
		}
	}
	q->msgfd = openat(q->dirfd, "msg", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (q->msgfd < 0) {
		err_set_errno(err, ERR_IO, true, errno, _("cannot open %s/msg"),
			      dir);
		goto fail;
	}
	return 0;
fail:
	queue_close(q);
	return -1;
}

void
queue_close(struct queue *q)
{
	if (q->msgfd >= 0)
		close(q->msgfd);
	if (q->dirfd >= 0)
		close(q->dirfd);
	free(q->dir);
	q->dir = NULL;
	q->dirfd = q->msgfd = -1;
}

void
queue_new_id(char *id, size_t n)
{
	unsigned char r[6] = { 0 };
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (fd < 0 || read(fd, r, sizeof(r)) != (ssize_t)sizeof(r)) {
		/* good enough to be unique with the pid and the time */
		unsigned long x = (unsigned long)ts.tv_nsec ^ (unsigned long)getpid();
		memcpy(r, &x, sizeof(r) < sizeof(x) ? sizeof(r) : sizeof(x));
	}
	if (fd >= 0)
		close(fd);
	snprintf(id, n, "%lld.%ld.%02x%02x%02x%02x%02x%02x",
		 (long long)ts.tv_sec, (long)getpid(), r[0], r[1], r[2], r[3],
		 r[4], r[5]);
}

bool
queue_valid_id(const char *id)
{
	size_t i, n = strlen(id);

	if (n == 0 || n >= QUEUE_ID_MAX || id[0] == '.')
		return false;
	for (i = 0; i < n; i++)
		if (!((id[i] >= '0' && id[i] <= '9')
		      || (id[i] >= 'a' && id[i] <= 'f') || id[i] == '.'))
			return false;
	return true;
}

void
queue_entry_init(struct queue_entry *qe)
{
	memset(qe, 0, sizeof(*qe));
	envelope_init(&qe->env, "");
}

void
queue_entry_clear(struct queue_entry *qe)
{
	size_t i;

	free(qe->account);
	free(qe->config);
	for (i = 0; i < qe->nsettings; i++)
		free(qe->settings[i]);
	free(qe->settings);
	envelope_clear(&qe->env);
	memset(qe, 0, sizeof(*qe));
}

/* --- the ID.env format ------------------------------------------------- */

static const char *
state_word(enum rcpt_state st)
{
	switch (st) {
	case RCPT_DELIVERED: return "delivered";
	case RCPT_FAILED: return "failed";
	default: return "deferred";
	}
}

int
queue_format(const struct queue_entry *qe, struct buf *out)
{
	size_t i;
	int rc = 0;

	rc |= buf_printf(out, "Version: %d\n", QUEUE_VERSION);
	rc |= buf_printf(out, "Created: %lld\n", (long long)qe->created);
	rc |= buf_printf(out, "Attempts: %u\n", qe->attempts);
	rc |= buf_printf(out, "Last-Attempt: %lld\n",
			 (long long)qe->last_attempt);
	rc |= buf_printf(out, "Next-Attempt: %lld\n",
			 (long long)qe->next_attempt);
	if (qe->account != NULL)
		rc |= buf_printf(out, "Account: %s\n", qe->account);
	if (qe->config != NULL)
		rc |= buf_printf(out, "Config: %s\n", qe->config);
	for (i = 0; i < qe->nsettings; i++)
		rc |= buf_printf(out, "Setting: %s\n", qe->settings[i]);
	rc |= buf_printf(out, "Size: %lld\n", (long long)qe->size);
	rc |= buf_printf(out, "Body: %s\n", qe->has8bit ? "8bit" : "7bit");
	rc |= buf_printf(out, "Hold: %s\n", qe->hold ? "yes" : "no");
	rc |= buf_printf(out, "Sender: %s\n", qe->env.sender);
	if (qe->env.dsn_notify != NULL)
		rc |= buf_printf(out, "Dsn-Notify: %s\n", qe->env.dsn_notify);
	if (qe->env.dsn_ret != NULL)
		rc |= buf_printf(out, "Dsn-Ret: %s\n", qe->env.dsn_ret);
	if (qe->env.dsn_envid != NULL)
		rc |= buf_printf(out, "Dsn-Envid: %s\n", qe->env.dsn_envid);
	for (i = 0; i < qe->env.n; i++) {
		const struct rcpt *r = &qe->env.rcpts[i];
		rc |= buf_printf(out, "Recipient: %s\t%u\t%d\t%s\t%s\t%s\n",
				 state_word(r->state), r->attempts, r->st.code,
				 r->st.enh[0] ? r->st.enh : "-", r->addr,
				 r->st.text);
	}
	return rc ? -1 : 0;
}

static int
parse_ll(const char *v, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(v, &end, 10);
	return errno == 0 && end != v && *end == '\0' ? 0 : -1;
}

/* parse_recipient - "STATE\tATTEMPTS\tCODE\tENH\tADDR\tTEXT". */
static int
parse_recipient(struct queue_entry *qe, char *v)
{
	char *f[6];
	int i;
	long long n;
	struct rcpt *r;

	for (i = 0; i < 5; i++) {
		f[i] = v;
		v = strchr(v, '\t');
		if (v == NULL)
			return -1;
		*v++ = '\0';
	}
	f[5] = v;
	if (f[4][0] == '\0')
		return -1;
	envelope_add(&qe->env, f[4]);
	r = &qe->env.rcpts[qe->env.n - 1];
	if (strcmp(f[0], "deferred") == 0)
		r->state = RCPT_DEFERRED;
	else if (strcmp(f[0], "delivered") == 0)
		r->state = RCPT_DELIVERED;
	else if (strcmp(f[0], "failed") == 0)
		r->state = RCPT_FAILED;
	else
		return -1;
	if (parse_ll(f[1], &n) < 0 || n < 0 || n > 1000000)
		return -1;
	r->attempts = (unsigned)n;
	if (parse_ll(f[2], &n) < 0 || n < 0 || n > 599)
		return -1;
	r->st.code = (int)n;
	if (strcmp(f[3], "-") != 0)
		snprintf(r->st.enh, sizeof(r->st.enh), "%s", f[3]);
	printable(r->st.text, sizeof(r->st.text), f[5], strlen(f[5]));
	return 0;
}

int
queue_parse(struct queue_entry *qe, const char *text, size_t len,
	    struct err *err)
{
	char *copy = xstrndup(text, len), *line, *next;
	unsigned long lineno = 0;
	int ret = -1;
	long long n;

	qe->version = 0;
	for (line = copy; line != NULL && *line != '\0'; line = next) {
		char *colon, *v;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		if (lineno == 1 && strncmp(line, "Version: ", 9) != 0) {
			err_set(err, ERR_DATA, false,
				_("line 1: no Version"));
			goto out;
		}
		if (*line == '\0' || *line == '#')
			continue;
		colon = strstr(line, ": ");
		if (colon == NULL) {
			if (line[strlen(line) - 1] == ':') {
				colon = line + strlen(line) - 1;
				v = colon + 1;
			} else {
				err_set(err, ERR_DATA, false,
					_("line %lu: no \"Key: value\""),
					lineno);
				goto out;
			}
		} else {
			v = colon + 2;
		}
		*colon = '\0';
		if (lineno == 1 && strcmp(line, "Version") != 0) {
			err_set(err, ERR_DATA, false,
				_("line 1: no Version"));
			goto out;
		}
		if (strcmp(line, "Version") == 0) {
			if (parse_ll(v, &n) < 0 || n < 1) {
				err_set(err, ERR_DATA, false,
					_("bad Version \"%s\""), v);
				goto out;
			}
			if (n > QUEUE_VERSION) {
				err_set(err, ERR_DATA, false,
					_("written by a newer smtpsend "
					  "(format version %lld; this one reads "
					  "%d)"), n, QUEUE_VERSION);
				goto out;
			}
			qe->version = (int)n;
		} else if (strcmp(line, "Created") == 0
			   && parse_ll(v, &n) == 0) {
			qe->created = (time_t)n;
		} else if (strcmp(line, "Attempts") == 0
			   && parse_ll(v, &n) == 0 && n >= 0) {
			qe->attempts = (unsigned)n;
		} else if (strcmp(line, "Last-Attempt") == 0
			   && parse_ll(v, &n) == 0) {
			qe->last_attempt = (time_t)n;
		} else if (strcmp(line, "Next-Attempt") == 0
			   && parse_ll(v, &n) == 0) {
			qe->next_attempt = (time_t)n;
		} else if (strcmp(line, "Account") == 0) {
			free(qe->account);
			qe->account = xstrdup(v);
		} else if (strcmp(line, "Config") == 0) {
			free(qe->config);
			qe->config = xstrdup(v);
		} else if (strcmp(line, "Setting") == 0) {
			qe->settings = xrealloc(qe->settings,
						(qe->nsettings + 1)
							* sizeof(char *));
			qe->settings[qe->nsettings++] = xstrdup(v);
		} else if (strcmp(line, "Size") == 0 && parse_ll(v, &n) == 0) {
			qe->size = (off_t)n;
		} else if (strcmp(line, "Body") == 0) {
			qe->has8bit = strcmp(v, "8bit") == 0;
		} else if (strcmp(line, "Hold") == 0) {
			qe->hold = strcmp(v, "yes") == 0;
		} else if (strcmp(line, "Sender") == 0) {
			free(qe->env.sender);
			qe->env.sender = xstrdup(v);
		} else if (strcmp(line, "Dsn-Notify") == 0) {
			free(qe->env.dsn_notify);
			qe->env.dsn_notify = xstrdup(v);
		} else if (strcmp(line, "Dsn-Ret") == 0) {
			free(qe->env.dsn_ret);
			qe->env.dsn_ret = xstrdup(v);
		} else if (strcmp(line, "Dsn-Envid") == 0) {
			free(qe->env.dsn_envid);
			qe->env.dsn_envid = xstrdup(v);
		} else if (strcmp(line, "Recipient") == 0) {
			if (parse_recipient(qe, v) < 0) {
				err_set(err, ERR_DATA, false,
					_("line %lu: malformed Recipient"),
					lineno);
				goto out;
			}
		}
		/* anything else: a key of a later version, ignored */
	}
	if (qe->version == 0) {
		err_set(err, ERR_DATA, false, _("no Version"));
		goto out;
	}
	if (qe->env.n == 0) {
		err_set(err, ERR_DATA, false, _("no Recipient"));
		goto out;
	}
	ret = 0;
out:
	free(copy);
	return ret;
}

/* --- files ------------------------------------------------------------- */

/*
 * replace - write data to tmp/NAME.PID, fsync, rename to DIR/NAME (DIR
 * "msg" or "failed"), fsync DIR.  The old DIR/NAME stays until the rename.
 */
static int
replace(struct queue *q, const char *dir, const char *name, const char *data,
	size_t len, struct err *err)
{
	char tmp[256], dst[256];
	int fd = -1, dfd = -1, ret = -1;

	snprintf(tmp, sizeof(tmp), "tmp/%s.%ld", name, (long)getpid());
	snprintf(dst, sizeof(dst), "%s/%s", dir, name);
	fd = openat(q->dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0600);
	if (fd < 0 || util_write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		err_set_errno(err, ERR_IO, true, errno,
			      _("cannot write %s/%s"), q->dir, tmp);
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		err_set_errno(err, ERR_IO, true, errno,
			      _("cannot write %s/%s"), q->dir, tmp);
		goto out;
	}
	fd = -1;
	if (renameat(q->dirfd, tmp, q->dirfd, dst) < 0) {
		err_set_errno(err, ERR_IO, true, errno,
			      _("cannot rename %s/%s"), q->dir, tmp);
		goto out;
	}
	dfd = openat(q->dirfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) < 0) {
		err_set_errno(err, ERR_IO, true, errno,
			      _("cannot sync %s/%s"), q->dir, dir);
		goto out;
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	if (ret < 0)
		unlinkat(q->dirfd, tmp, 0);
	return ret;
}

int
queue_write_env(struct queue *q, const struct queue_entry *qe,
		struct err *err)
{
	struct buf b;
	char name[QUEUE_ID_MAX + 8];
	int rc;

	buf_init(&b, ENV_MAX);
	if (queue_format(qe, &b) < 0) {
		buf_clear(&b);
		err_set(err, ERR_IO, true, _("queue entry %s too large"),
			qe->id);
		return -1;
	}
	snprintf(name, sizeof(name), "%s.env", qe->id);
	rc = replace(q, "msg", name, b.p, b.len, err);
	buf_clear(&b);
	return rc;
}

int
queue_commit(struct queue *q, int fd, const struct queue_entry *qe,
	     struct err *err)
{
	char src[QUEUE_ID_MAX + 16], dst[QUEUE_ID_MAX + 16];

	if (fsync(fd) < 0) {
		err_set_errno(err, ERR_IO, true, errno,
			      _("cannot sync the message in %s"), q->dir);
		return -1;
	}
	snprintf(src, sizeof(src), "tmp/%s.eml", qe->id);
	snprintf(dst, sizeof(dst), "msg/%s.eml", qe->id);
	if (renameat(q->dirfd, src, q->dirfd, dst) < 0) {
		err_set_errno(err, ERR_IO, true, errno,
			      _("cannot move the message into %s/msg"),
			      q->dir);
		return -1;
	}
	/* the commit point: ID.env appears in msg/ */
	if (queue_write_env(q, qe, err) < 0) {
		/* no entry may be left half made: the caller keeps the
		 * message */
		char env[QUEUE_ID_MAX + 16];

		snprintf(env, sizeof(env), "%s.env", qe->id);
		unlinkat(q->msgfd, env, 0);
		renameat(q->dirfd, dst, q->dirfd, src);
		return -1;
	}
	return 0;
}

int
queue_lock(struct queue *q, const char *id, struct err *err)
{
	char name[QUEUE_ID_MAX + 8];
	int fd;

	snprintf(name, sizeof(name), "%s.eml", id);
	fd = openat(q->msgfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err_set_errno(err, ERR_IO, true, errno,
			      _("queue entry %s"), id);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		close(fd);
		if (e == EWOULDBLOCK)
			return -2;
		err_set_errno(err, ERR_IO, true, e, _("cannot lock %s"), id);
		return -1;
	}
	return fd;
}

int
queue_read_file(struct queue *q, const char *id, const char *ext, bool failed,
		struct buf *out, struct err *err)
{
	char name[QUEUE_ID_MAX + 16], chunk[8192];
	int fd;
	ssize_t n;

	snprintf(name, sizeof(name), "%s/%s%s", failed ? "failed" : "msg", id,
		 ext);
	fd = openat(q->dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err_set_errno(err, ERR_IO, true, errno, _("queue entry %s"),
			      id);
		return -1;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (buf_append(out, chunk, (size_t)n) < 0) {
			close(fd);
			err_set(err, ERR_IO, true, _("%s is too large"), name);
			return -1;
		}
	close(fd);
	if (n < 0) {
		err_set_errno(err, ERR_IO, true, errno, _("cannot read %s"),
			      name);
		return -1;
	}
	return 0;
}

int
queue_load(struct queue *q, const char *id, bool failed,
	   struct queue_entry *qe, struct err *err)
{
	struct buf b;
	int rc;

	buf_init(&b, ENV_MAX);
	rc = queue_read_file(q, id, ".env", failed, &b, err);
	if (rc == 0) {
		snprintf(qe->id, sizeof(qe->id), "%s", id);
		rc = queue_parse(qe, buf_str(&b), b.len, err);
		if (rc < 0)
			err_prefix(err, id);
	}
	buf_clear(&b);
	return rc;
}

static int
sync_dir(struct queue *q, const char *dir)
{
	int fd = openat(q->dirfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int
queue_remove(struct queue *q, const char *id, struct err *err)
{
	char name[QUEUE_ID_MAX + 8];

	snprintf(name, sizeof(name), "%s.env", id);
	if (unlinkat(q->msgfd, name, 0) < 0 && errno != ENOENT) {
		err_set_errno(err, ERR_IO, true, errno,
			      _("cannot remove queue entry %s"), id);
		return -1;
	}
	snprintf(name, sizeof(name), "%s.eml", id);
	unlinkat(q->msgfd, name, 0);
	snprintf(name, sizeof(name), "%s.log", id);
	unlinkat(q->msgfd, name, 0);
	sync_dir(q, "msg");
	return 0;
}

int
queue_move_failed(struct queue *q, const char *id, struct err *err)
{
	static const char *const exts[] = { ".eml", ".env", ".log" };
	char src[QUEUE_ID_MAX + 16], dst[QUEUE_ID_MAX + 16];
	size_t i;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		snprintf(src, sizeof(src), "msg/%s%s", id, exts[i]);
		snprintf(dst, sizeof(dst), "failed/%s%s", id, exts[i]);
		if (renameat(q->dirfd, src, q->dirfd, dst) < 0
		    && errno != ENOENT) {
			err_set_errno(err, ERR_IO, true, errno,
				      _("cannot move %s to failed/"), id);
			return -1;
		}
	}
	sync_dir(q, "failed");
	sync_dir(q, "msg");
	return 0;
}

int
queue_write_log(struct queue *q, const char *id, const char *text, size_t len,
		struct err *err)
{
	char name[QUEUE_ID_MAX + 8];

	snprintf(name, sizeof(name), "%s.log", id);
	return replace(q, "msg", name, text, len, err);
}

static int
cmp_ids(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	long long tx = atoll(x), ty = atoll(y);

	if (tx != ty)
		return tx < ty ? -1 : 1;
	return strcmp(x, y);
}

/* reap - crash leftovers: tmp/ files older than a day, and ID.eml in msg/
 * without its ID.env older than an hour (the commit never happened). */
static void
reap(struct queue *q, time_t now)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	int fd;
	char env[QUEUE_ID_MAX + 16];

	fd = openat(q->dirfd, "tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 && (d = fdopendir(fd)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			if (fstatat(dirfd(d), de->d_name, &st, 0) == 0
			    && now - st.st_mtime > 86400)
				unlinkat(dirfd(d), de->d_name, 0);
		}
		closedir(d);
	} else if (fd >= 0) {
		close(fd);
	}
	fd = dup(q->msgfd);
	if (fd >= 0 && (d = fdopendir(fd)) != NULL) {
		rewinddir(d);
		while ((de = readdir(d)) != NULL) {
			size_t n = strlen(de->d_name);
			if (n < 5 || strcmp(de->d_name + n - 4, ".eml") != 0
			    || n - 4 >= QUEUE_ID_MAX)
				continue;
			snprintf(env, sizeof(env), "%.*s.env", (int)(n - 4),
				 de->d_name);
			if (faccessat(q->msgfd, env, F_OK, 0) == 0)
				continue;
			if (fstatat(q->msgfd, de->d_name, &st, 0) == 0
			    && now - st.st_mtime > 3600)
				unlinkat(q->msgfd, de->d_name, 0);
		}
		closedir(d);
	} else if (fd >= 0) {
		close(fd);
	}
}

int
queue_list(struct queue *q, bool failed, char ***ids, struct err *err)
{
	DIR *d;
	struct dirent *de;
	char **v = NULL;
	int n = 0, fd;

	*ids = NULL;
	if (!failed)
		reap(q, time(NULL));
	fd = openat(q->dirfd, failed ? "failed" : "msg",
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		err_set_errno(err, ERR_IO, true, errno,
			      _("cannot read the queue directory %s"), q->dir);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 4, ".env") != 0)
			continue;
		if (len - 4 >= QUEUE_ID_MAX)
			continue;
		v = xrealloc(v, (size_t)(n + 1) * sizeof(*v));
		v[n] = xstrndup(de->d_name, len - 4);
		if (!queue_valid_id(v[n])) {
			free(v[n]);     /* not ours */
			continue;
		}
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(v, (size_t)n, sizeof(*v), cmp_ids);
	*ids = v;
	return n;
}

void
queue_ids_free(char **ids, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}
