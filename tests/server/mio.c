/*
 * mio.c - POSIX helpers for smtpmock (see mio.h).  No RFC here.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "mio.h"

long long
mio_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
mio_sleep_ms(long ms)
{
	struct timespec ts, left;
	int tries = 0;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	/* Bounded: each EINTR restart sleeps only what is left. */
	while (nanosleep(&ts, &left) == -1 && errno == EINTR && ++tries < 1000)
		ts = left;
}

int
mio_write_all(int fd, const void *p, size_t n, long timeout_ms)
{
	const char *c = p;
	long long deadline = mio_now_ms() + timeout_ms;
	struct pollfd pfd;
	ssize_t w;
	long left;

	while (n > 0) {
		w = write(fd, c, n);
		if (w > 0) {
			c += w;
			n -= (size_t)w;
			deadline = mio_now_ms() + timeout_ms;
			continue;
		}
		if (w == -1 && errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR)
			return -1;
		left = (long)(deadline - mio_now_ms());
		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		pfd.fd = fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, left > 1000 ? 1000 : (int)left) == -1 &&
		    errno != EINTR)
			return -1;
	}
	return 0;
}

int
mio_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl == -1 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
		return -1;
	return 0;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) == -1 ? -1 : 0;
	return unlink(path) == -1 ? -1 : 0;
}

int
mio_rmtree(const char *path)
{
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
