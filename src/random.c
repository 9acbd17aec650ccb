/*
 * random.c - random bytes from the kernel (see random.h).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "random.h"

/* from_file - n bytes of /dev/urandom; 0 or -1. */
static int
from_file(unsigned char *p, size_t n)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -1;
	while (n > 0) {
		r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		p += r;
		n -= (size_t)r;
	}
	close(fd);
	return n == 0 ? 0 : -1;
}

void
random_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;
	size_t i, got = 0;
	struct timespec ts;
	ssize_t r;

	while (got < n) {
		r = getrandom(p + got, n - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got == n || from_file(p, n) == 0)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	for (i = 0; i < n; i++)
		p[i] = (unsigned char)((unsigned long)ts.tv_nsec >> (i % 4 * 8)
				       ^ (unsigned long)getpid() >> (i % 2 * 8)
				       ^ i * 131u);
}

double
random_unit(void)
{
	unsigned int r;

	random_bytes(&r, sizeof(r));
	return (double)(r % 1000000U) / 1000000.0;
}
