/*
 * mio.h - small POSIX helpers for smtpmock: a monotonic clock, sleeping,
 * writing everything with a time limit, removing a directory tree.
 */
#ifndef SMTPMOCK_MIO_H
#define SMTPMOCK_MIO_H

#include <stddef.h>

/* mio_now_ms - milliseconds on the monotonic clock. */
long long mio_now_ms(void);

/* mio_sleep_ms - sleep ms milliseconds (restarted after signals). */
void mio_sleep_ms(long ms);

/*
 * mio_write_all - write n bytes to fd (blocking or not), giving up when no
 * progress is possible for timeout_ms.  0 when all was written, -1
 * otherwise (errno set; ETIMEDOUT on time-out).  SIGPIPE must be ignored.
 */
int mio_write_all(int fd, const void *p, size_t n, long timeout_ms);

/* mio_nonblock - set O_NONBLOCK on fd; -1 on failure. */
int mio_nonblock(int fd);

/* mio_rmtree - remove path and everything below it; -1 on any failure. */
int mio_rmtree(const char *path);

#endif
