/*
 * conn.c - buffered connections with deadlines (see conn.h).
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "gettext.h"
#include "util.h"
#include "xalloc.h"

static ssize_t
plain_read(void *ctx, void *p, size_t n, short *want)
{
	int fd = *(int *)ctx;
	ssize_t r;

	*want = POLLIN;
	do {
		r = read(fd, p, n);
	} while (r < 0 && errno == EINTR);
	return r;
}

static ssize_t
plain_write(void *ctx, const void *p, size_t n, unsigned flags, short *want)
{
	int fd = *(int *)ctx;
	ssize_t r;

	*want = POLLOUT;
	do {
		r = send(fd, p, n, MSG_NOSIGNAL);
	} while (r < 0 && errno == EINTR);
	return r;
}

static size_t
plain_pending(void *ctx)
{
	(void)ctx;
	return 0;
}

static void
plain_close(void *ctx)
{
	(void)ctx;
}

static const struct conn_ops plain_ops = {
	plain_read, plain_write, plain_pending, plain_close, NULL
};

/* The transport of a pair: ctx is the conn. */
static ssize_t
pair_read(void *ctx, void *p, size_t n, short *want)
{
	return plain_read(&((struct conn *)ctx)->fd, p, n, want);
}

static ssize_t
pair_write(void *ctx, const void *p, size_t n, unsigned flags, short *want)
{
	int fd = ((struct conn *)ctx)->out_fd;
	ssize_t r;

	(void)flags;
	*want = POLLOUT;
	do {
		r = write(fd, p, n);
	} while (r < 0 && errno == EINTR);
	return r;
}

static const struct conn_ops pair_ops = {
	pair_read, pair_write, plain_pending, plain_close, NULL
};

/* transport_error - err from the transport's own reason, if it has one. */
static bool
transport_error(struct conn *c, struct err *err)
{
	return c->ops->error != NULL && c->ops->error(c->ctx, err) == 1;
}

struct conn *
conn_new(int fd)
{
	struct conn *c = xcalloc(1, sizeof(*c));

	c->fd = fd;
	c->out_fd = fd;
	c->ops = &plain_ops;
	c->ctx = &c->fd;
	return c;
}

struct conn *
conn_new_pair(int in_fd, int out_fd)
{
	struct conn *c = xcalloc(1, sizeof(*c));

	c->fd = in_fd;
	c->out_fd = out_fd;
	c->pair = true;
	c->ops = &pair_ops;
	c->ctx = c;
	return c;
}

void
conn_free(struct conn *c)
{
	if (c == NULL)
		return;
	c->ops->close(c->ctx);
	if (c->fd >= 0 && !c->pair)
		close(c->fd);
	free(c);
}

void
conn_set_ops(struct conn *c, const struct conn_ops *ops, void *ctx)
{
	c->ops = ops;
	c->ctx = ctx;
}

size_t
conn_pending(const struct conn *c)
{
	return (c->rlen - c->rpos) + c->ops->pending(c->ctx);
}

/* failed - note why a call fails (c->fail); returns -1. */
static int
failed(struct conn *c, enum conn_fail why, int errnum)
{
	c->fail = why;
	c->fail_errno = errnum;
	return -1;
}

/*
 * wait_for - poll the descriptor for events (the write side for POLLOUT)
 * until the deadline (0: none).  Returns 0 when ready, -1 with err on
 * timeout or error.
 */
static int
wait_for(struct conn *c, short events, long long deadline, int timeout_ms,
	 struct err *err)
{
	int rc = util_poll((events & POLLOUT) ? c->out_fd : c->fd, events,
			   deadline);

	if (rc > 0)
		return 0;
	if (rc < 0) {
		int e = errno;

		err_set_errno(err, ERR_NET, true, e, "poll");
		return failed(c, CONN_FAIL_POLL, e);
	}
	(void)failed(c, CONN_FAIL_TIMEOUT, 0);
	err_set(err, ERR_NET, true,
		_("timed out waiting for the server (timeout %d s)"),
		(timeout_ms + 999) / 1000);
	return -1;
}

/* fill - read more into rbuf (which is empty). */
static int
fill(struct conn *c, long long deadline, int timeout_ms, struct err *err)
{
	ssize_t r;
	short want;

	/* a pair may block: wait first, so the deadline holds */
	if (c->pair && wait_for(c, POLLIN, deadline, timeout_ms, err) < 0)
		return -1;
	for (;;) {
		r = c->ops->read(c->ctx, c->rbuf, sizeof(c->rbuf), &want);
		if (r > 0) {
			c->rpos = 0;
			c->rlen = (size_t)r;
			c->bytes_in += (unsigned long long)r;
			return 0;
		}
		if (r == 0) {
			err_set(err, ERR_NET, true,
				_("connection closed by the server"));
			return failed(c, CONN_FAIL_CLOSED, 0);
		}
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			int e = errno;

			if (!transport_error(c, err))
				err_set_errno(err, ERR_NET, true, e,
					      _("cannot read from the server"));
			return failed(c, CONN_FAIL_IO, e);
		}
		if (wait_for(c, want, deadline, timeout_ms, err) < 0)
			return -1;
	}
}

/*
 * get_line - the next line into c->line (see conn_getline_max); with
 * too_long NULL a line longer than max is an error.
 */
static int
get_line(struct conn *c, size_t max, bool *too_long, long long deadline,
	 int timeout_ms, size_t *len, struct err *err)
{
	size_t n = 0, avail, take, body;
	bool over = false;
	char *lf;

	for (;;) {
		if (c->rpos == c->rlen
		    && fill(c, deadline, timeout_ms, err) < 0)
			return -1;
		avail = c->rlen - c->rpos;
		lf = memchr(c->rbuf + c->rpos, '\n', avail);
		take = lf ? (size_t)(lf - (c->rbuf + c->rpos)) + 1 : avail;
		body = take - (lf ? 1 : 0);
		if (!over && n + body > max) {
			if (too_long == NULL) {
				err_set(err, ERR_PROTO, true,
					_("the server sent a line longer than "
					  "%d bytes"),
					SMTP_LINE_MAX);
				return -1;
			}
			over = true;
			n = 0;
		}
		if (!over) {
			memcpy(c->line + n, c->rbuf + c->rpos, body);
			n += body;
		}
		c->rpos += take;
		if (lf != NULL)
			break;
	}
	if (too_long != NULL)
		*too_long = over;
	if (n > 0 && c->line[n - 1] == '\r')
		n--;
	c->line[n] = '\0';
	*len = n;
	return 0;
}

int
conn_getline(struct conn *c, long long deadline, int timeout_ms,
	     const char **line, size_t *len, struct err *err)
{
	/* content may be SMTP_LINE_MAX bytes plus a CR */
	if (get_line(c, SMTP_LINE_MAX + 1, NULL, deadline, timeout_ms, len,
		     err) < 0)
		return -1;
	*line = c->line;
	return 0;
}

int
conn_getline_max(struct conn *c, size_t max, long long deadline,
		 int timeout_ms, const char **line, size_t *len,
		 bool *too_long, struct err *err)
{
	if (max > SMTP_LINE_MAX + 1)
		max = SMTP_LINE_MAX + 1;
	if (get_line(c, max, too_long, deadline, timeout_ms, len, err) < 0)
		return -1;
	*line = c->line;
	return 0;
}

int
conn_peek(struct conn *c, long long deadline, int timeout_ms,
	  const char **p, size_t *n, struct err *err)
{
	if (c->rpos == c->rlen && fill(c, deadline, timeout_ms, err) < 0)
		return -1;
	*p = c->rbuf + c->rpos;
	*n = c->rlen - c->rpos;
	return 0;
}

void
conn_skip(struct conn *c, size_t n)
{
	c->rpos += n <= c->rlen - c->rpos ? n : c->rlen - c->rpos;
}

bool
conn_line_ready(const struct conn *c)
{
	return memchr(c->rbuf + c->rpos, '\n', c->rlen - c->rpos) != NULL;
}

/* write_all - conn_write with transport flags. */
static int
write_all(struct conn *c, const void *data, size_t n, int timeout_ms,
	  unsigned flags, struct err *err)
{
	long long deadline = timeout_ms > 0 ? util_now_ms() + timeout_ms : 0;
	const char *p = data;
	ssize_t w;
	short want;

	while (n > 0) {
		/* a pair may block: wait first, so the deadline holds */
		if (c->pair
		    && wait_for(c, POLLOUT, deadline, timeout_ms, err) < 0)
			return -1;
		w = c->ops->write(c->ctx, p, n, flags, &want);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			c->bytes_out += (unsigned long long)w;
			continue;
		}
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (wait_for(c, want, deadline, timeout_ms, err) < 0)
				return -1;
			continue;
		}
		if (w == 0)
			errno = EPIPE;
		(void)failed(c, CONN_FAIL_IO, errno);
		if (transport_error(c, err))
			return -1;
		err_set_errno(err, ERR_NET, true, errno,
			      errno == EPIPE || errno == ECONNRESET
				      ? _("connection lost while writing to "
					  "the server")
				      : _("cannot write to the server"));
		return -1;
	}
	return 0;
}

int
conn_write(struct conn *c, const void *data, size_t n, int timeout_ms,
	   struct err *err)
{
	return write_all(c, data, n, timeout_ms, 0, err);
}

int
conn_write_secret(struct conn *c, const void *data, size_t n, int timeout_ms,
		  struct err *err)
{
	return write_all(c, data, n, timeout_ms, CONN_SECRET, err);
}

int
conn_wait_readable(struct conn *c, int timeout_ms)
{
	struct pollfd pfd;
	int rc;

	if (conn_pending(c) > 0)
		return 1;
	pfd.fd = c->fd;
	pfd.events = POLLIN;
	do {
		rc = poll(&pfd, 1, timeout_ms);
	} while (rc < 0 && errno == EINTR);
	return rc;
}
