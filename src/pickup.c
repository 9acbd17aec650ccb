/*
 * pickup.c - the drop files taken in by the system user's flush (see
 * pickup.h and doc/queue-format.md, section 9).
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "drop.h"
#include "exitcodes.h"
#include "gettext.h"
#include "log.h"
#include "pickup.h"
#include "queue.h"
#include "report.h"
#include "sysmode.h"
#include "util.h"
#include "xalloc.h"

#define INCOMING_AGE 86400

/* The spool's directories, open. */
struct spool {
	int drop;
	int refused;
	int incoming;
	gid_t gid;              /* the drop directory's group */
};

/* printable - name made safe for a log line (it may hold any byte). */
static void
printable(const char *name, char *out, size_t n)
{
	size_t i;

	for (i = 0; name[i] != '\0' && i + 1 < n; i++)
		out[i] = (unsigned char)name[i] < ' '
			 || (unsigned char)name[i] >= 0x7f ? '?' : name[i];
	out[i] = '\0';
}

/* refuse - move drop/name aside into refused/ under a new name (a
 * directory that cannot be moved is removed when it is empty). */
static void
refuse(const struct spool *s, const char *name, const char *why)
{
	char id[QUEUE_ID_MAX], shown[80];
	int e;

	queue_new_id(id, sizeof(id));
	printable(name, shown, sizeof(shown));
	if (renameat(s->drop, name, s->refused, id) == 0) {
		log_notice(_("drop file %s refused (%s); moved to "
			     "%s/refused/%s"), shown, why, SYSMODE_SPOOL, id);
		return;
	}
	e = errno;
	if (unlinkat(s->drop, name, AT_REMOVEDIR) == 0)
		log_notice(_("drop file %s refused (%s); it was an empty "
			     "directory, now removed"), shown, why);
	else
		log_notice(_("drop file %s refused (%s), and it cannot be "
			     "moved to %s/refused: %s"), shown, why,
			   SYSMODE_SPOOL, strerror(e));
}

/* user_name - the login name of uid, or "?". */
static const char *
user_name(unsigned long uid)
{
	struct passwd *pw = getpwuid((uid_t)uid);

	return pw != NULL ? pw->pw_name : "?";
}

/*
 * check_file - the checks on st that come before the file is opened or
 * believed; NULL when it passes, else what is wrong.
 */
static const char *
check_file(const struct spool *s, const struct stat *st, char *why, size_t n)
{
	if (S_ISLNK(st->st_mode))
		return _("a symbolic link");
	if (!S_ISREG(st->st_mode))
		return _("not a regular file");
	if (st->st_nlink != 1) {
		snprintf(why, n, _("%lu hard links"),
			 (unsigned long)st->st_nlink);
		return why;
	}
	if (st->st_gid != s->gid) {
		snprintf(why, n, _("group %lu, not the drop directory's"),
			 (unsigned long)st->st_gid);
		return why;
	}
	if ((st->st_mode & 07777) != 0604) {
		snprintf(why, n, _("mode %04o, not 0604"),
			 (unsigned)(st->st_mode & 07777));
		return why;
	}
	if (st->st_size > DROP_HEADER_MAX + DROP_MESSAGE_MAX)
		return _("larger than a drop can be");
	return NULL;
}

/* send_child - run "sendmail ARGS" (drop_argv) with fd, from offset
 * body, as its standard input; its exit status, or -1 (a signal). */
static int
send_child(const struct drop_env *d, int fd, off_t body)
{
	static const char *argv[DROP_ARGV_MAX];
	int status;
	pid_t pid;

	drop_argv(d, argv);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return EX_OSERR;
	if (pid == 0) {
		/* %U and auto_from name the submitter, as the kernel
		 * told its uid, not the system user */
		const char *user = user_name(d->uid);

		if (strcmp(user, "?") == 0 || setenv("USER", user, 1) < 0
		    || setenv("LOGNAME", user, 1) < 0) {
			unsetenv("USER");
			unsetenv("LOGNAME");
		}
		if (lseek(fd, body, SEEK_SET) < 0 || dup2(fd, 0) < 0)
			_exit(EX_OSERR);
		util_close_from(3);
		signal(SIGPIPE, SIG_DFL);
		execv("/proc/self/exe", (char *const *)argv);
		_exit(EX_OSERR);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return EX_OSERR;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * take - send the drop file open as fd (checked, locked): the header
 * read and parsed, its Uid compared with the owner.  Returns 0 (done:
 * remove it), 1 (refuse it, *why says why) or 2 (keep it for later).
 */
static int
take(int fd, const struct stat *st, const char *shown, const char **why,
     char *whybuf, size_t n)
{
	static char text[DROP_HEADER_MAX];
	struct drop_env d;
	struct err err;
	size_t body;
	ssize_t len;
	int status;

	len = pread(fd, text, sizeof(text), 0);
	if (len < 0 || drop_parse(&d, text, (size_t)len, &body, &err) < 0) {
		snprintf(whybuf, n, "%s", len < 0 ? strerror(errno)
			 : err.text);
		*why = whybuf;
		return 1;
	}
	if (d.uid != (unsigned long)st->st_uid) {
		snprintf(whybuf, n, _("it says uid %lu, but belongs to %lu"),
			 d.uid, (unsigned long)st->st_uid);
		*why = whybuf;
		return 1;
	}
	/* the audit line, as Postfix's pickup writes one */
	log_notice(_("drop file %s: from uid %lu (%s)"), shown, d.uid,
		   user_name(d.uid));
	status = send_child(&d, fd, (off_t)body);
	if (status == EX_OK || status == EX_NOUSER
	    || status == EX_UNAVAILABLE) {
		if (status != EX_OK)
			log_notice(_("drop file %s (uid %lu, %s): refused by "
				     "the server for good (exit status %d)"),
				   shown, d.uid, user_name(d.uid), status);
		return 0;
	}
	snprintf(whybuf, n, _("from uid %lu (%s): the send failed with exit "
			      "status %d"), d.uid, user_name(d.uid), status);
	*why = whybuf;
	return status == EX_USAGE || status == EX_DATAERR ? 1 : 2;
}

/* pickup_one - one name of drop/; 0, or -1 when it is kept for later. */
static int
pickup_one(const struct spool *s, const char *name)
{
	char shown[80], whybuf[ERR_TEXT_MAX + 80];
	const char *why;
	struct stat st, st2;
	int fd = -1, r = 0;

	printable(name, shown, sizeof(shown));
	if (fstatat(s->drop, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;       /* gone: another flush took it */
	why = queue_valid_id(name) ? check_file(s, &st, whybuf,
						 sizeof(whybuf))
				   : _("not a drop file's name");
	if (why != NULL) {
		refuse(s, name, why);
		return 0;
	}
	fd = openat(s->drop, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK
		    | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0
	    || fstat(fd, &st2) < 0 || st2.st_nlink != 1
	    || st2.st_ino != st.st_ino || st2.st_dev != st.st_dev)
		goto out;       /* busy, or changed under us: next time */
	switch (take(fd, &st2, shown, &why, whybuf, sizeof(whybuf))) {
	case 0:
		if (unlinkat(s->drop, name, 0) < 0)
			log_notice(_("drop file %s was sent, but cannot be "
				     "removed: %s"), shown, strerror(errno));
		break;
	case 1:
		refuse(s, name, why);
		break;
	default:
		log_notice(_("drop file %s kept for the next flush: %s"),
			   shown, why);
		r = -1;
	}
out:
	if (fd >= 0)
		close(fd);
	return r;
}

/* reap_incoming - remove the files of incoming/ older than a day. */
static void
reap_incoming(const struct spool *s)
{
	int fd = dup(s->incoming);
	struct dirent *de;
	struct stat st;
	DIR *dir;

	if (fd < 0 || (dir = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(dir)) != NULL)
		if (de->d_name[0] != '.'
		    && fstatat(s->incoming, de->d_name, &st,
			       AT_SYMLINK_NOFOLLOW) == 0
		    && !S_ISDIR(st.st_mode)
		    && st.st_mtime + INCOMING_AGE < time(NULL))
			unlinkat(s->incoming, de->d_name, 0);
	closedir(dir);
}

/* open_sub - SPOOL/name, a directory of ours: O_RDONLY, not followed. */
static int
open_sub(const char *name, bool create)
{
	char path[sizeof(SYSMODE_SPOOL) + 16];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", SYSMODE_SPOOL, name);
	if (create)
		(void)mkdir(path, 0700);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		report_msg(_("cannot open %s: %s"), path,
			strerror(errno));
	return fd;
}

/* spool_open - the spool's directories, drop/ checked (mode 1730, ours:
 * sysmode_is_flusher). */
static int
spool_open(struct spool *s)
{
	struct stat st;

	s->drop = open_sub("drop", false);
	s->incoming = open_sub("incoming", false);
	s->refused = open_sub("refused", true);
	if (s->drop < 0 || s->incoming < 0 || s->refused < 0
	    || fstat(s->drop, &st) < 0)
		return -1;
	if ((st.st_mode & 07777) != 01730 || st.st_uid != geteuid()) {
		report_msg(_("%s/drop must be a directory of "
			     "yours with mode 1730; nothing is picked up "
			     "from it"), SYSMODE_SPOOL);
		return -1;
	}
	s->gid = st.st_gid;
	return 0;
}

/* list - up to PICKUP_MAX names of drop/ (allocated). */
static int
list(const struct spool *s, char **names)
{
	int fd = dup(s->drop), n = 0;
	struct dirent *de;
	DIR *dir;

	if (fd < 0 || (dir = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (n < PICKUP_MAX && (de = readdir(dir)) != NULL)
		if (strcmp(de->d_name, ".") != 0
		    && strcmp(de->d_name, "..") != 0)
			names[n++] = xstrdup(de->d_name);
	closedir(dir);
	return n;
}

int
pickup_run(void)
{
	static char *names[PICKUP_MAX];
	struct spool s = { -1, -1, -1, 0 };
	int n, i, status = EX_OK;

	if (spool_open(&s) < 0 || (n = list(&s, names)) < 0) {
		status = EX_CONFIG;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (pickup_one(&s, names[i]) < 0)
			status = EX_TEMPFAIL;
		free(names[i]);
	}
	reap_incoming(&s);
out:
	if (s.drop >= 0)
		close(s.drop);
	if (s.incoming >= 0)
		close(s.incoming);
	if (s.refused >= 0)
		close(s.refused);
	return status;
}
