/*
 * bs.c - the server side of SMTP for "sendmail -bs" (see bs.h): the
 * session, its replies and its input; the commands are in bs_cmd.c.
 *
 * Implements, minimally, the server side of
 *   RFC 5321  SMTP: commands 4.1.1, paths 4.1.2, sequencing 4.1.4,
 *             transparency 4.5.2, limits 4.5.3, timeouts 4.5.3.2
 *   RFC 2920  PIPELINING: commands in order, replies flushed before the
 *             server blocks on input (and before a message is submitted)
 *   RFC 6152  8BITMIME, with BODY=7BIT|8BITMIME
 *   RFC 1870  SIZE: the declared size and the data are both checked
 *   RFC 2034, RFC 3463  enhanced status codes
 * The end of data is only CRLF "." CRLF: a "." after a bare LF is data,
 * so nothing that is not a CRLF line can end a message early.
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "bs.h"
#include "bs_int.h"
#include "buf.h"
#include "conn.h"
#include "dotstuff.h"
#include "gettext.h"
#include "utf8.h"
#include "util.h"
#include "xalloc.h"

/* Pending replies are written once this many bytes wait. */
#define OUT_FLUSH 4096
#define OUT_MAX (64 * 1024)

/* deadline - when a read that starts now times out (0: never). */
static long long
deadline(const struct bs_session *s)
{
	return s->timeout_ms > 0 ? util_now_ms() + s->timeout_ms : 0;
}

/* ---- replies ---- */

void
bs_flush(struct bs_session *s)
{
	struct err e;

	if (!s->out_failed && s->out.len > 0
	    && conn_write(s->c, s->out.p, s->out.len, s->timeout_ms, &e) < 0) {
		s->out_failed = true;
		if (s->c->fail == CONN_FAIL_TIMEOUT)
			err_set(&s->werr, ERR_NET, true,
				_("timed out writing to the SMTP client"));
		else if (s->c->fail == CONN_FAIL_POLL)
			err_set_errno(&s->werr, ERR_IO, true,
				      s->c->fail_errno, "poll");
		else
			err_set_errno(&s->werr, ERR_IO, true,
				      s->c->fail_errno,
				      _("cannot write to the SMTP client"));
	}
	buf_reset(&s->out);
}

void
bs_reply(struct bs_session *s, const char *fmt, ...)
{
	char line[BS_REPLY_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 2, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof(line) - 3)
		n = (int)(sizeof(line) - 3);    /* cut: the line stays legal */
	line[n++] = '\r';
	line[n++] = '\n';
	if (s->out.len + (size_t)n > OUT_FLUSH)
		bs_flush(s);
	if (buf_append(&s->out, line, (size_t)n) < 0) {
		/* cannot happen: OUT_MAX > OUT_FLUSH + BS_REPLY_MAX */
		err_set(&s->werr, ERR_INTERNAL, false, "reply buffer full");
		s->out_failed = true;
	}
}

/* ---- input ---- */

/* in_failed - what a failed read of the input means: the end of it, a
 * timeout (no error yet: the caller words it), or an error (err). */
static enum in_status
in_failed(struct bs_session *s, struct err *err)
{
	switch (s->c->fail) {
	case CONN_FAIL_CLOSED:
		return IN_EOF;
	case CONN_FAIL_TIMEOUT:
		return IN_TIMEOUT;
	case CONN_FAIL_POLL:
		err_set_errno(err, ERR_IO, true, s->c->fail_errno, "poll");
		return IN_ERROR;
	default:
		err_set_errno(err, ERR_IO, true, s->c->fail_errno,
			      _("cannot read from the SMTP client"));
		return IN_ERROR;
	}
}

/*
 * get_line - the next input line (into s->c, NUL-terminated, valid until
 * the next read), without its LF and the CR before it; *len its length.
 * A line of BS_LINE_MAX bytes or more is read to its end and dropped
 * (*too_long).  The replies are written before waiting for input.
 */
static enum in_status
get_line(struct bs_session *s, const char **line, size_t *len,
	 bool *too_long, struct err *err)
{
	struct err e;

	if (!conn_line_ready(s->c))
		bs_flush(s);
	if (conn_getline_max(s->c, BS_LINE_MAX - 1, deadline(s),
			     s->timeout_ms, line, len, too_long, &e) < 0)
		return in_failed(s, err);
	return IN_OK;
}

/* ---- the data of a message ---- */

static void
data_flush(struct bs_data *d)
{
	size_t off = 0;
	ssize_t r;

	while (d->werrno == 0 && off < d->blen) {
		r = write(d->fd, d->buf + off, d->blen - off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			d->werrno = r < 0 ? errno : EIO;
		else
			off += (size_t)r;
	}
	d->blen = 0;
}

/*
 * data_keep - account for the n octets of unstuffed data just decoded at
 * the end of d->buf: note a NUL, keep no more than the size limit (RFC
 * 1870: the rest is counted out, the message refused), keep none after the
 * spool could not be written.
 */
static void
data_keep(struct bs_session *s, size_t n)
{
	struct bs_data *d = &s->data;

	if (memchr(d->buf + d->blen, '\0', n) != NULL)
		d->nul = true;
	if (s->size_max > 0 && n > s->size_max - d->size) {
		d->too_big = true;
		n = s->size_max - d->size;
	}
	d->size += n;
	if (d->werrno == 0)
		d->blen += n;
}

/* bs_read_data - see bs_int.h (RFC 5321 4.5.2). */
enum in_status
bs_read_data(struct bs_session *s, struct err *err)
{
	struct bs_data *d = &s->data;
	struct dotstuff_dec dec;
	struct err e;
	const char *p;
	size_t n, o, used;

	dotstuff_decode_init(&dec, 0);
	d->blen = 0;
	d->size = 0;
	d->too_big = d->nul = false;
	d->werrno = 0;
	while (!dec.end) {
		if (conn_pending(s->c) == 0)
			bs_flush(s);    /* replies first, as for a command */
		if (conn_peek(s->c, deadline(s), s->timeout_ms, &p, &n, &e) < 0)
			return in_failed(s, err);
		if (sizeof(d->buf) - d->blen < DOTSTUFF_DECODE_BOUND(1))
			data_flush(d);
		if (DOTSTUFF_DECODE_BOUND(n) > sizeof(d->buf) - d->blen)
			n = sizeof(d->buf) - d->blen - DOTSTUFF_DECODE_BOUND(0);
		o = dotstuff_decode(&dec, p, n, d->buf + d->blen, &used);
		conn_skip(s->c, used);
		data_keep(s, o);
	}
	data_flush(d);
	if (d->werrno == 0 && lseek(d->fd, 0, SEEK_SET) != 0)
		d->werrno = errno;
	return IN_OK;
}

void
bs_refuse(int out_fd, const char *hostname, const char *why)
{
	char host[256], text[BS_REPLY_MAX], line[BS_REPLY_MAX];
	size_t n;

	printable(host, sizeof(host), hostname, strlen(hostname));
	printable(text, sizeof(text) - sizeof(host) - 16, why, strlen(why));
	n = (size_t)snprintf(line, sizeof(line), "421 4.3.0 %s %s\r\n", host,
			     text);
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	(void)util_write_all(out_fd, line, n);
}

int
bs_serve(int in_fd, int out_fd, const char *hostname, size_t size_max,
	 int timeout_ms, const char *spool_dir, bs_submit_fn submit_fn,
	 void *arg, struct err *err)
{
	struct bs_session *s = xcalloc(1, sizeof(*s));
	const char *line;
	enum cmd_status cs = CMD_NEXT;
	enum in_status st;
	bool too_long;
	size_t len = 0;
	int rc = -1;

	s->c = conn_new_pair(in_fd, out_fd);
	s->timeout_ms = timeout_ms;
	printable(s->host, sizeof(s->host), hostname, strlen(hostname));
	s->size_max = size_max;
	s->spool_dir = spool_dir;
	s->submit = submit_fn;
	s->arg = arg;
	s->data.fd = -1;
	buf_init(&s->out, OUT_MAX);
	addr_list_init(&s->rcpts);

	bs_reply(s, "220 %s ESMTP smtpsend", s->host);
	while (cs == CMD_NEXT && !s->out_failed) {
		st = get_line(s, &line, &len, &too_long, err);
		if (st == IN_ERROR)
			break;
		if (st == IN_TIMEOUT) {
			bs_reply(s, "421 4.4.2 timeout");
			err_set(err, ERR_NET, true, _("timed out waiting for "
						     "the SMTP client"));
			break;
		}
		if (st == IN_EOF) {
			if (!s->in_txn)
				cs = CMD_QUIT;
			else
				err_set(err, ERR_NET, true,
					_("the SMTP client closed the input "
					  "inside a mail transaction"));
			break;
		}
		if (too_long) {
			bs_reply(s, "500 5.5.2 line too long");
			continue;
		}
		cs = bs_cmd_dispatch(s, line, len, err);
	}
	bs_flush(s);
	if (s->out_failed)
		*err = s->werr;
	else if (cs == CMD_QUIT)
		rc = 0;
	buf_clear(&s->out);
	bs_txn_reset(s);
	conn_free(s->c);
	free(s);
	return rc;
}
