/*
 * drop_main.c - smtpsend-drop: hand a message to the system queue.
 *
 * Installed setgid to the group that may write the drop directory (and
 * nothing else), it is the only code that runs with that privilege, so it
 * does as little as it can: it makes sure descriptors 0-2 are open,
 * clears the environment, sets the umask, checks its command line
 * (drop_args), and copies standard input, at most DROP_MESSAGE_MAX bytes
 * and no NUL byte, after the header (drop_format) into a new file of
 * SPOOL/incoming, which it then makes readable by the spool's owner and
 * renames into SPOOL/drop.  The submitter's uid is getuid(), never an
 * argument.  It reads no configuration, opens no file named by the user,
 * runs nothing, and does not call setlocale: its few messages are in
 * English, so that no locale or character-set file is loaded on the
 * say-so of the environment.  Exit status: 0, or sysexits(3) 64 (bad
 * arguments), 65 (bad message), 74 (cannot write), 78 (the spool is not
 * set up as smtpsend-drop(8) requires).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "drop.h"
#include "exitcodes.h"
#include "random.h"

#ifndef SPOOLDIR
#error SPOOLDIR must be defined
#endif

static char header[DROP_HEADER_MAX];

#ifdef __has_feature
#define HAS_FEATURE(x) __has_feature(x)
#else
#define HAS_FEATURE(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || HAS_FEATURE(address_sanitizer)
/*
 * In a build with the sanitizers, LeakSanitizer would check for leaks at
 * exit by stopping the process's threads with ptrace, which the kernel
 * refuses for a setgid process, and fail the helper.  It allocates
 * nothing on the heap: there is nothing to check.
 */
int __lsan_is_turned_off(void);
int
__lsan_is_turned_off(void)
{
	return 1;
}
#endif

/* fail - the one-line error on standard error; returns status. */
static int
fail(int status, const char *what, const char *detail)
{
	fprintf(stderr, "smtpsend-drop: %s%s%s\n", what, detail ? ": " : "",
		detail ? detail : "");
	return status;
}

/* fix_std_fds - descriptors 0, 1 and 2 open, so that the file it makes
 * is never one of them. */
static void
fix_std_fds(void)
{
	int fd;

	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd <= 2)
		;
	if (fd > 2)
		close(fd);
}

/*
 * open_dir - SPOOL/name, which must be a directory (not a symbolic
 * link) of the helper's effective group, with mode 1730: the group may
 * create files there but not list them, nobody else may enter, and the
 * sticky bit keeps each one's files its own.
 */
static int
open_dir(const char *name)
{
	char path[sizeof(SPOOLDIR) + 16];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", SPOOLDIR, name);
	fd = open(path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		fail(EX_CONFIG, path, strerror(errno));
		return -1;
	}
	if (st.st_gid != getegid() || (st.st_mode & 07777) != 01730) {
		fprintf(stderr, "smtpsend-drop: %s must have mode 1730 and "
			"the group of smtpsend-drop (gid %lu), and "
			"smtpsend-drop must be setgid: see smtpsend(1), "
			"SYSTEM MODE\n", path, (unsigned long)getegid());
		close(fd);
		return -1;
	}
	return fd;
}

/* copy - standard input after the header into fd; the exit status. */
static int
copy(int fd, size_t hlen)
{
	static char chunk[65536];
	long total = 0;
	ssize_t n;

	if (write(fd, header, hlen) != (ssize_t)hlen)
		return fail(EX_IOERR, "cannot write the message",
			    strerror(errno));
	for (;;) {
		n = read(STDIN_FILENO, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail(EX_IOERR, "cannot read standard input",
				    strerror(errno));
		if (n == 0)
			return EX_OK;
		total += n;
		if (total > DROP_MESSAGE_MAX)
			return fail(EX_DATAERR, "the message is larger than "
				    "32 MiB", NULL);
		if (memchr(chunk, '\0', (size_t)n) != NULL)
			return fail(EX_DATAERR, "the message contains a NUL "
				    "byte", NULL);
		if (write(fd, chunk, (size_t)n) != n)
			return fail(EX_IOERR, "cannot write the message",
				    strerror(errno));
	}
}

/* name_new - "<epoch>.<pid>.<12 hex digits>", as a queue id. */
static void
name_new(char *name, size_t n)
{
	unsigned char r[6];

	random_bytes(r, sizeof(r));
	snprintf(name, n, "%lld.%ld.%02x%02x%02x%02x%02x%02x",
		 (long long)time(NULL), (long)getpid(), r[0], r[1], r[2],
		 r[3], r[4], r[5]);
}

/*
 * deliver - write the drop: incoming/NAME (mode 0600 while written),
 * synced, then mode 0604 (the spool's owner reads it as "other", the
 * group cannot) and renamed into drop/, and the file system synced
 * (the helper may not open drop/ to sync it alone).
 */
static int
deliver(size_t hlen)
{
	int in = -1, drop = -1, fd = -1, status = EX_CONFIG;
	char name[64];

	if ((in = open_dir("incoming")) < 0 || (drop = open_dir("drop")) < 0)
		goto out;
	name_new(name, sizeof(name));
	fd = openat(in, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW
		    | O_CLOEXEC, 0600);
	if (fd < 0) {
		status = fail(EX_IOERR, "cannot create the drop file",
			      strerror(errno));
		goto out;
	}
	status = copy(fd, hlen);
	if (status == EX_OK && (fsync(fd) < 0 || fchmod(fd, 0604) < 0
				|| renameat(in, name, drop, name) < 0
				|| syncfs(fd) < 0))
		status = fail(EX_IOERR, "cannot commit the drop file",
			      strerror(errno));
out:
	if (fd >= 0 && status != EX_OK)
		unlinkat(in, name, 0);
	if (fd >= 0)
		close(fd);
	if (in >= 0)
		close(in);
	if (drop >= 0)
		close(drop);
	return status;
}

int
main(int argc, char **argv)
{
	struct drop_env d;
	struct err err;
	size_t hlen;

	fix_std_fds();
	clearenv();
	umask(077);
	drop_env_init(&d);
	if (argc > DROP_RCPTS_MAX + 2 * DROP_NFIELDS + 4)
		return fail(EX_USAGE, "too many arguments", NULL);
	if (drop_args(&d, argc, argv, &err) < 0)
		return fail(EX_USAGE, err.text, NULL);
	d.uid = (unsigned long)getuid();
	if (drop_format(&d, header, sizeof(header), &hlen, &err) < 0)
		return fail(EX_USAGE, err.text, NULL);
	return deliver(hlen);
}
