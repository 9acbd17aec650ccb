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
	c->ops = &plain_ops;
	c->ctx = &c->fd;
	return c;
}

void
conn_free(struct conn *c)
{
	if (c == NULL)
		return;
	c->ops->close(c->ctx);
	if (c->fd >= 0)
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

/*
 * wait_for - poll fd for events until the deadline (0: none).  Returns 0
 * when ready, -1 with err on timeout or error.
 */
static int
wait_for(struct conn *c, short events, long long deadline, int timeout_ms,
	 struct err *err)
{
	int rc = util_poll(c->fd, events, deadline);

	if (rc > 0)
		return 0;
	if (rc < 0) {
		err_set_errno(err, ERR_NET, true, errno, "poll");
		return -1;
	}
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
			return -1;
		}
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			if (!transport_error(c, err))
				err_set_errno(err, ERR_NET, true, errno,
					      _("cannot read from the server"));
			return -1;
		}
		if (wait_for(c, want, deadline, timeout_ms, err) < 0)
			return -1;
	}
}

int
conn_getline(struct conn *c, long long deadline, int timeout_ms,
	     const char **line, size_t *len, struct err *err)
{
	size_t n = 0;

	for (;;) {
		char *lf;
		size_t avail, take;

		if (c->rpos == c->rlen
		    && fill(c, deadline, timeout_ms, err) < 0)
			return -1;
		avail = c->rlen - c->rpos;
		lf = memchr(c->rbuf + c->rpos, '\n', avail);
		take = lf ? (size_t)(lf - (c->rbuf + c->rpos)) + 1 : avail;
		/* content may be SMTP_LINE_MAX bytes plus a CR */
		if (n + take - (lf ? 1 : 0) > SMTP_LINE_MAX + 1) {
			err_set(err, ERR_PROTO, true,
				_("the server sent a line longer than %d "
				  "bytes"),
				SMTP_LINE_MAX);
			return -1;
		}
		memcpy(c->line + n, c->rbuf + c->rpos, take - (lf ? 1 : 0));
		n += take - (lf ? 1 : 0);
		c->rpos += take;
		if (lf != NULL)
			break;
	}
	if (n > 0 && c->line[n - 1] == '\r')
		n--;
	c->line[n] = '\0';
	*line = c->line;
	*len = n;
	return 0;
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
