/*
 * util.c - shared helpers (see util.h).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "gettext.h"
#include "util.h"
#include "xalloc.h"

long long
util_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
util_poll(int fd, short events, long long deadline)
{
	struct pollfd pfd;
	long long left;
	int rc, ms;

	for (;;) {
		ms = -1;
		if (deadline > 0) {
			left = deadline - util_now_ms();
			if (left <= 0)
				return 0;
			ms = left > 0x7fffffff ? 0x7fffffff : (int)left;
		}
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		rc = poll(&pfd, 1, ms);
		if (rc > 0)
			return 1;
		if (rc == 0 && deadline > 0)
			return 0;
		if (rc < 0 && errno != EINTR)
			return -1;
	}
}

int
util_write_all(int fd, const void *data, size_t n)
{
	const char *p = data;

	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
util_tmpfile(const char *dir, const char *what, struct err *err)
{
	char path[4096];
	size_t len;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = getenv("TMPDIR");
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	len = (size_t)snprintf(path, sizeof(path), "%s/smtpsend.", dir);
	if (len + 7 > sizeof(path)) {
		err_set(err, ERR_IO, true, _("directory name too long: %s"),
			dir);
		return -1;
	}
	/* mkostemp's template: six X at the end */
	memset(path + len, 'X', 6);
	path[len + 6] = '\0';
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0) {
		err_set_errno(err, ERR_IO, true, errno,
			      /* TRANSLATORS: the first %s says what the
			       * file is for ("spool file", "report",
			       * translated separately), the second is a
			       * directory */
			      _("cannot create a temporary file (%s) in %s"),
			      what, dir);
		return -1;
	}
	unlink(path);
	return fd;
}

char *
util_state_dir(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char path[4096];
	int n;

	if (state != NULL && state[0] == '/')
		n = snprintf(path, sizeof(path), "%s/smtpsend", state);
	else if (home != NULL && home[0] != '\0')
		n = snprintf(path, sizeof(path), "%s/.local/state/smtpsend",
			     home);
	else
		return NULL;
	if (n < 0 || (size_t)n >= sizeof(path))
		return NULL;
	return xstrdup(path);
}

void
util_no_core_dumps(void)
{
	struct rlimit none = { 0, 0 };

	(void)setrlimit(RLIMIT_CORE, &none);
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

void
util_close_from(int fd)
{
	struct rlimit rl;
	long n, i;

#ifdef HAVE_CLOSE_RANGE
	if (close_range((unsigned)fd, ~0U, 0) == 0)
		return;
#endif
	n = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
		    ? (long)rl.rlim_cur
		    : 65536;
	for (i = fd; i < n; i++)
		close((int)i);
}

void
util_hostname(char *out, size_t n)
{
	if (n == 0)
		return;
	if (gethostname(out, n) < 0 || out[0] == '\0')
		snprintf(out, n, "localhost");
	out[n - 1] = '\0';
}

const char *
util_passwd_home(void)
{
	static char home[4096];
	struct passwd *pw = getpwuid(getuid());

	if (pw == NULL || pw->pw_dir == NULL || pw->pw_dir[0] != '/'
	    || strlen(pw->pw_dir) >= sizeof(home))
		return NULL;
	memcpy(home, pw->pw_dir, strlen(pw->pw_dir) + 1);
	return home;
}

const char *
util_home(void)
{
	const char *home = getenv("HOME");

	if (home != NULL && home[0] != '\0')
		return home;
	return util_passwd_home();
}

char *
util_expand_home(const char *path)
{
	const char *home = util_home();
	size_t len;
	char *p;

	if (path[0] != '~' || (path[1] != '/' && path[1] != '\0'))
		return xstrdup(path);
	if (home == NULL || home[0] == '\0')
		return NULL;
	len = strlen(home) + strlen(path);
	p = xmalloc(len);
	snprintf(p, len, "%s%s", home, path + 1);
	return p;
}

int
util_mkdirs(const char *path)
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
