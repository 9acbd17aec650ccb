/*
 * queue.c - the durable local queue on disk (see queue.h and
 * doc/queue-format.md).  The write-fsync-rename idiom: POSIX rename(2) is
 * atomic, and fsync on the file and then on its directory makes the
 * result durable.
 *
 * The queue directory and its three parts are opened once, without
 * following symbolic links, and must belong to the user and be writable
 * by nobody else; every later name is looked up relative to those
 * descriptors, so the queue cannot be moved under us.  A file that is
 * being written holds an flock(2) lock from its creation to its commit,
 * and the reaper of crash leftovers takes that lock before it removes
 * anything: it can never remove a file that a living process still uses.
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

#include "ascii.h"
#include "buf.h"
#include "gettext.h"
#include "queue.h"
#include "random.h"
#include "sig.h"
#include "sysmode.h"
#include "util.h"
#include "xalloc.h"

#define ENV_MAX (4 * 1024 * 1024)

/* Crash leftovers older than this are removed (when not locked). */
#define REAP_TMP_AGE 86400
#define REAP_ORPHAN_AGE 3600

char *
queue_default_dir(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = util_home();
	char path[4096];

	if (state != NULL && state[0] == '/')
		snprintf(path, sizeof(path), "%s/smtpsend/queue", state);
	else if (home != NULL)
		snprintf(path, sizeof(path), "%s/.local/state/smtpsend/queue",
			 home);
	else
		return NULL;
	return xstrdup(path);
}

/*
 * open_dir - open name (relative to at) as a directory of ours: not a
 * symbolic link, owned by the effective user, writable by nobody else.
 * shown names it in messages.  Returns the descriptor or -1 with err.
 */
static int
open_dir(int at, const char *name, const char *shown, struct err *err)
{
	struct stat st;
	int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW
				       | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ELOOP || errno == ENOTDIR)
			err_set(err, ERR_IO, true,
				_("%s is a symbolic link or not a directory; "
				  "the queue must be a directory of its own"),
				shown);
		else
			err_set_errno(err, ERR_IO, true, errno,
				      _("cannot open the queue directory %s"),
				      shown);
		return -1;
	}
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid()) {
		err_set(err, ERR_IO, true,
			_("%s belongs to another user (uid %lu); smtpsend uses "
			  "only a queue of its own user"), shown,
			(unsigned long)st.st_uid);
		close(fd);
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		err_set(err, ERR_IO, true,
			_("%s is writable by others (mode %04o); fix it with: "
			  "chmod 700 %s"), shown,
			(unsigned)(st.st_mode & 07777), shown);
		close(fd);
		return -1;
	}
	return fd;
}

int
queue_open(struct queue *q, const char *dir, struct err *err)
{
	static const char *const subs[] = { "tmp", "msg", "failed" };
	int *fds[] = { &q->tmpfd, &q->msgfd, &q->failedfd };
	char shown[4200];
	size_t i;

	q->dir = xstrdup(dir);
	q->dirfd = q->tmpfd = q->msgfd = q->failedfd = -1;
	q->defer_sync = q->dirty = false;
	if (util_mkdirs(dir) < 0) {
		err_set_errno(err, ERR_IO, true, errno,
			      _("cannot create the queue directory %s"), dir);
		goto fail;
	}
	q->dirfd = open_dir(AT_FDCWD, dir, dir, err);
	if (q->dirfd < 0)
		goto fail;
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		snprintf(shown, sizeof(shown), "%s/%s", dir, subs[i]);
		if (mkdirat(q->dirfd, subs[i], 0700) < 0 && errno != EEXIST) {
			err_set_errno(err, ERR_IO, true, errno,
				      _("cannot create %s"), shown);
			goto fail;
		}
		*fds[i] = open_dir(q->dirfd, subs[i], shown, err);
		if (*fds[i] < 0)
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
	int *fds[] = { &q->tmpfd, &q->msgfd, &q->failedfd, &q->dirfd };
	size_t i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
	free(q->dir);
	q->dir = NULL;
}

struct queue *
queue_new(const char *dir, struct err *err)
{
	struct queue *q = xcalloc(1, sizeof(*q));
	char *path = dir ? xstrdup(dir) : sysmode_queue_dir();

	if (path == NULL) {
		err_set(err, ERR_IO, true,
			_("no queue directory: set queue_dir or HOME"));
		free(q);
		return NULL;
	}
	if (queue_open(q, path, err) < 0) {
		free(q);
		q = NULL;
	}
	free(path);
	return q;
}

void
queue_free(struct queue *q)
{
	if (q != NULL) {
		queue_close(q);
		free(q);
	}
}

void
queue_new_id(char *id, size_t n)
{
	unsigned char r[6];

	/* time(), as every other time of the queue: the coarse clock it
	 * reads may lag CLOCK_REALTIME by a tick */
	random_bytes(r, sizeof(r));
	snprintf(id, n, "%lld.%ld.%02x%02x%02x%02x%02x%02x",
		 (long long)time(NULL), (long)getpid(), r[0], r[1], r[2], r[3],
		 r[4], r[5]);
}

bool
queue_valid_id(const char *id)
{
	size_t i, n = strlen(id);

	if (n == 0 || n >= QUEUE_ID_MAX || id[0] == '.')
		return false;
	for (i = 0; i < n; i++)
		if (!(ascii_is_digit(id[i]) || (id[i] >= 'a' && id[i] <= 'f')
		      || id[i] == '.'))
			return false;
	return true;
}

/* --- files ------------------------------------------------------------- */

/* part - the descriptor of msg/ or failed/. */
static int
part(const struct queue *q, bool failed)
{
	return failed ? q->failedfd : q->msgfd;
}

/* name_of - "ID" + ext into out (size QUEUE_ID_MAX + 16). */
static const char *
name_of(char *out, const char *id, const char *ext)
{
	snprintf(out, QUEUE_ID_MAX + 16, "%s%s", id, ext);
	return out;
}

/*
 * put_file - write data to tmp/NAME.PID (fsync'd when sync) and rename it
 * to NAME in the directory dfd (msg/ or failed/).  The old file stays
 * until the rename.  The directory is not synced here (dir_synced).
 */
static int
put_file(struct queue *q, int dfd, const char *name, const char *data,
	 size_t len, bool sync, struct err *err)
{
	char tmp[QUEUE_ID_MAX + 48];
	int fd, ret = -1;

	snprintf(tmp, sizeof(tmp), "%s.%ld", name, (long)getpid());
	fd = openat(q->tmpfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW
					   | O_CLOEXEC, 0600);
	if (fd < 0 || util_write_all(fd, data, len) < 0
	    || (sync && fsync(fd) < 0)) {
		err_set_errno(err, ERR_IO, true, errno,
			      _("cannot write %s/tmp/%s"), q->dir, tmp);
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		err_set_errno(err, ERR_IO, true, errno,
			      _("cannot write %s/tmp/%s"), q->dir, tmp);
		goto out;
	}
	fd = -1;
	if (renameat(q->tmpfd, tmp, dfd, name) < 0) {
		err_set_errno(err, ERR_IO, true, errno,
			      _("cannot rename %s/tmp/%s"), q->dir, tmp);
		goto out;
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	if (ret < 0)
		unlinkat(q->tmpfd, tmp, 0);
	return ret;
}

/* sync_dir - fsync the directory dfd (msg/ or failed/). */
static int
sync_dir(struct queue *q, int dfd, struct err *err)
{
	if (fsync(dfd) == 0)
		return 0;
	err_set_errno(err, ERR_IO, true, errno,
		      _("cannot sync the queue directory %s"), q->dir);
	return -1;
}

/* dir_changed - msg/ has changed: sync it now, or at queue_sync when
 * the syncs are deferred (group commit). */
static int
dir_changed(struct queue *q, struct err *err)
{
	if (q->defer_sync) {
		q->dirty = true;
		return 0;
	}
	return sync_dir(q, q->msgfd, err);
}

void
queue_defer_sync(struct queue *q, bool on)
{
	q->defer_sync = on;
}

int
queue_sync(struct queue *q, struct err *err)
{
	if (!q->dirty)
		return 0;
	q->dirty = false;
	return sync_dir(q, q->msgfd, err);
}

/* format_env - qe's ID.env text into b (initialised). */
static int
format_env(const struct queue_entry *qe, struct buf *b, struct err *err)
{
	if (queue_format(qe, b, err) == 0)
		return 0;
	err_prefix(err, qe->id);
	return -1;
}

int
queue_write_env(struct queue *q, const struct queue_entry *qe,
		struct err *err)
{
	char name[QUEUE_ID_MAX + 16];
	struct buf b;
	int rc;

	buf_init(&b, ENV_MAX);
	rc = format_env(qe, &b, err);
	if (rc == 0)
		rc = put_file(q, q->msgfd, name_of(name, qe->id, ".env"), b.p,
			      b.len, true, err);
	buf_clear(&b);
	return rc < 0 ? -1 : dir_changed(q, err);
}

int
queue_spool_create(struct queue *q, char *id, size_t n, struct err *err)
{
	char name[QUEUE_ID_MAX + 16];
	int fd;

	queue_new_id(id, n);
	fd = openat(q->msgfd, name_of(name, id, ".eml"),
		    O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		err_set_errno(err, ERR_IO, true, errno,
			      _("cannot create %s/msg/%s"), q->dir, name);
		id[0] = '\0';
		return -1;
	}
	/* held until the commit is over: the reaper leaves it alone */
	(void)flock(fd, LOCK_EX | LOCK_NB);
	sig_watch_file(q->msgfd, name);
	return fd;
}

void
queue_spool_discard(struct queue *q, const char *id)
{
	char name[QUEUE_ID_MAX + 16];

	unlinkat(q->msgfd, name_of(name, id, ".eml"), 0);
	sig_watch_file(-1, NULL);
}

int
queue_commit(struct queue *q, int fd, const struct queue_entry *qe,
	     const struct buf *log, struct err *err)
{
	char env[QUEUE_ID_MAX + 16], lname[QUEUE_ID_MAX + 16];
	struct err lerr;
	struct buf b;
	int rc;

	/* the file's age counts from now: however long the attempt took,
	 * it is not a crash leftover (and it is locked: see reap) */
	if (fsync(fd) < 0 || futimens(fd, NULL) < 0) {
		err_set_errno(err, ERR_IO, true, errno,
			      _("cannot sync the message in %s"), q->dir);
		return -1;
	}
	name_of(env, qe->id, ".env");
	name_of(lname, qe->id, ".log");
	buf_init(&b, ENV_MAX);
	/* the rename of ID.env is the commit point */
	rc = format_env(qe, &b, err);
	if (rc == 0)
		rc = put_file(q, q->msgfd, env, b.p, b.len, true, err);
	buf_clear(&b);
	if (rc < 0)
		return -1;
	/* the transcript is a courtesy: not synced, its loss is harmless */
	if (log != NULL && log->len > 0)
		(void)put_file(q, q->msgfd, lname, log->p, log->len, false,
			       &lerr);
	if (sync_dir(q, q->msgfd, err) < 0) {
		/* no entry may be left that the caller was not told of:
		 * the caller keeps the message */
		unlinkat(q->msgfd, env, 0);
		unlinkat(q->msgfd, lname, 0);
		return -1;
	}
	sig_watch_file(-1, NULL);
	return 0;
}

int
queue_lock(struct queue *q, const char *id, struct err *err)
{
	char name[QUEUE_ID_MAX + 16];
	int fd;

	fd = openat(q->msgfd, name_of(name, id, ".eml"),
		    O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
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
queue_open_message(struct queue *q, const char *id, bool failed,
		   struct err *err)
{
	char name[QUEUE_ID_MAX + 16];
	int fd = openat(part(q, failed), name_of(name, id, ".eml"),
			O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		err_set_errno(err, ERR_IO, true, errno,
			      _("queue entry %s"), id);
	return fd;
}

int
queue_read_file(struct queue *q, const char *id, const char *ext, bool failed,
		struct buf *out, struct err *err)
{
	char name[QUEUE_ID_MAX + 16];
	int fd, r;

	fd = openat(part(q, failed), name_of(name, id, ext),
		    O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		err_set_errno(err, ERR_IO, true, errno, _("queue entry %s"),
			      id);
		return -1;
	}
	r = buf_read_fd(out, fd);
	if (r == BUF_TOO_BIG)
		err_set(err, ERR_IO, true, _("%s is too large"), name);
	else if (r < 0)
		err_set_errno(err, ERR_IO, true, errno, _("cannot read %s"),
			      name);
	close(fd);
	return r < 0 ? -1 : 0;
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
		rc = queue_parse(qe, b.p ? b.p : "", b.len, err);
		if (rc < 0)
			err_prefix(err, id);
	}
	buf_clear(&b);
	return rc;
}

int
queue_where(struct queue *q, const char *id)
{
	char name[QUEUE_ID_MAX + 16];

	if (!queue_valid_id(id))
		return -1;
	name_of(name, id, ".env");
	if (faccessat(q->msgfd, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return 0;
	if (faccessat(q->failedfd, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return 1;
	return -1;
}

int
queue_remove(struct queue *q, const char *id, bool failed, struct err *err)
{
	static const char *const exts[] = { ".env", ".eml", ".log" };
	char name[QUEUE_ID_MAX + 16];
	int dfd = part(q, failed);
	size_t i;

	/* ID.env first: the entry is gone at once */
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (unlinkat(dfd, name_of(name, id, exts[i]), 0) < 0
		    && errno != ENOENT && i == 0) {
			err_set_errno(err, ERR_IO, true, errno,
				      _("cannot remove queue entry %s"), id);
			return -1;
		}
	/* gone already: a failed sync only widens the window of a second
	 * delivery (doc/queue-format.md 8) */
	if (failed)
		(void)sync_dir(q, dfd, err);
	else
		(void)dir_changed(q, err);
	return 0;
}

int
queue_move_failed(struct queue *q, const char *id, struct err *err)
{
	static const char *const exts[] = { ".eml", ".env", ".log" };
	char name[QUEUE_ID_MAX + 16];
	size_t i;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		name_of(name, id, exts[i]);
		if (renameat(q->msgfd, name, q->failedfd, name) < 0
		    && errno != ENOENT) {
			err_set_errno(err, ERR_IO, true, errno,
				      _("cannot move %s to failed/"), id);
			return -1;
		}
	}
	fsync(q->failedfd);
	fsync(q->msgfd);
	return 0;
}

int
queue_write_log(struct queue *q, const char *id, const char *text, size_t len,
		struct err *err)
{
	char name[QUEUE_ID_MAX + 16];

	if (put_file(q, q->msgfd, name_of(name, id, ".log"), text, len, false,
		     err) < 0)
		return -1;
	return dir_changed(q, err);
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

/*
 * reap_one - remove name (in dfd) when it is a regular file older than
 * age seconds that nobody holds locked; with env (the ID.env name), only
 * while that still does not exist.  The lock is taken first, so a file
 * that a living process writes or commits is never removed.
 */
static void
reap_one(int dfd, const char *name, const char *env, time_t now, long age)
{
	struct stat st;
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK
					   | O_CLOEXEC);

	if (fd < 0)
		return;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0 && fstat(fd, &st) == 0
	    && S_ISREG(st.st_mode) && now - st.st_mtime > age
	    && (env == NULL
		|| faccessat(dfd, env, F_OK, AT_SYMLINK_NOFOLLOW) < 0))
		unlinkat(dfd, name, 0);
	close(fd);
}

/* for_each - call fn for each name in the directory fd (not . names). */
static void
for_each(int fd, void (*fn)(int dfd, const char *name, time_t now),
	 time_t now)
{
	int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	struct dirent *de;
	DIR *d;

	if (dup_fd < 0)
		return;
	d = fdopendir(dup_fd);
	if (d == NULL) {
		close(dup_fd);
		return;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			fn(fd, de->d_name, now);
	closedir(d);
}

static void
reap_tmp(int dfd, const char *name, time_t now)
{
	reap_one(dfd, name, NULL, now, REAP_TMP_AGE);
}

static void
reap_msg(int dfd, const char *name, time_t now)
{
	char env[QUEUE_ID_MAX + 16];
	size_t n = strlen(name);

	if (n < 5 || n - 4 >= QUEUE_ID_MAX || strcmp(name + n - 4, ".eml"))
		return;
	snprintf(env, sizeof(env), "%.*s.env", (int)(n - 4), name);
	if (faccessat(dfd, env, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return;
	reap_one(dfd, name, env, now, REAP_ORPHAN_AGE);
}

int
queue_list(struct queue *q, bool failed, char ***ids, struct err *err)
{
	int fd = part(q, failed), n = 0, dup_fd;
	struct dirent *de;
	char **v = NULL;
	DIR *d;

	*ids = NULL;
	if (!failed) {
		for_each(q->tmpfd, reap_tmp, time(NULL));
		for_each(q->msgfd, reap_msg, time(NULL));
	}
	dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (dup_fd < 0 || (d = fdopendir(dup_fd)) == NULL) {
		err_set_errno(err, ERR_IO, true, errno,
			      _("cannot read the queue directory %s"), q->dir);
		if (dup_fd >= 0)
			close(dup_fd);
		return -1;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (len < 5 || len - 4 >= QUEUE_ID_MAX
		    || strcmp(de->d_name + len - 4, ".env") != 0)
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
