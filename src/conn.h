/*
 * conn.h - a buffered connection with deadlines, over an ops table.
 *
 * All network I/O goes through a struct conn.  Its transport is a table of
 * functions {read, write, pending, close} with a context pointer: plain TCP
 * now, TLS by swapping the table (conn_set_ops), memory in unit tests.
 * Every read and write has a timeout: a peer that stops answering ends in
 * ERR_NET "timed out", never in a hang.  Reads are line-oriented and bounded
 * by SMTP_LINE_MAX.  conn_new_pair makes one over a pair of descriptors
 * that may block (the standard input and output of "sendmail -bs").
 */
#ifndef SMTPSEND_CONN_H
#define SMTPSEND_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "err.h"
#include "reply.h"

/*
 * Transport operations.  read/write return the byte count, 0 for EOF (read
 * only), or -1 with errno; EAGAIN means "poll the descriptor for *want
 * (POLLIN or POLLOUT), then call again".  pending returns how many bytes the
 * transport already holds decoded (TLS records), which need no poll.
 * close releases ctx (not the descriptor, which the conn closes).
 */
struct conn_ops {
	ssize_t (*read)(void *ctx, void *p, size_t n, short *want);
	ssize_t (*write)(void *ctx, const void *p, size_t n, unsigned flags,
			 short *want);
	size_t (*pending)(void *ctx);
	void (*close)(void *ctx);
	/* why the last read or write failed, when the transport knows
	 * better than errno: fills err and returns 1, else 0 (may be
	 * NULL) */
	int (*error)(void *ctx, struct err *err);
};

/* conn_write flags: the data holds a secret, which must not be copied
 * into buffers that cannot be wiped (TLS corking). */
#define CONN_SECRET 1u

#define CONN_RBUF 16384

/* Why the last call that returned -1 failed, for a caller that words its
 * own message (struct conn fail). */
enum conn_fail {
	CONN_FAIL_NONE = 0,
	CONN_FAIL_CLOSED,       /* end of input */
	CONN_FAIL_TIMEOUT,      /* the deadline passed */
	CONN_FAIL_POLL,         /* poll failed: fail_errno */
	CONN_FAIL_IO            /* read or write failed: fail_errno */
};

struct conn {
	int fd;                 /* read from, polled for reading */
	int out_fd;             /* written to: fd, unless a pair */
	bool pair;              /* conn_new_pair: descriptors not ours */
	const struct conn_ops *ops;
	void *ctx;
	char rbuf[CONN_RBUF];
	size_t rpos, rlen;              /* unread: rbuf[rpos..rlen) */
	char line[SMTP_LINE_MAX + 2];   /* the last line read, CR, NUL */
	unsigned long long bytes_in, bytes_out;
	enum conn_fail fail;
	int fail_errno;
};

/* conn_new - a connection over the connected socket fd (taken over). */
struct conn *conn_new(int fd);

/*
 * conn_new_pair - a connection that reads from in_fd and writes to out_fd
 * (they may be the same), plain transport.  The descriptors stay the
 * caller's: conn_free does not close them, and they are not made
 * non-blocking (every read and write waits for them first, so the
 * deadlines hold).  Writing to a pipe whose reader is gone raises
 * SIGPIPE.
 */
struct conn *conn_new_pair(int in_fd, int out_fd);

/* conn_free - close the transport and the socket (not the descriptors of
 * a pair); c may be NULL. */
void conn_free(struct conn *c);

/*
 * conn_set_ops - switch the transport (for STARTTLS, after the handshake).
 * The old ctx is not closed.  Data already buffered would be a protocol
 * violation at that point; callers check conn_pending() first.
 */
void conn_set_ops(struct conn *c, const struct conn_ops *ops, void *ctx);

/* conn_pending - bytes received and not yet read by the caller. */
size_t conn_pending(const struct conn *c);

/*
 * conn_getline - read one line terminated by LF (a CR before it is removed)
 * by the time deadline (util_now_ms(); 0: no limit).  A deadline, not a
 * timeout: a peer that trickles bytes cannot stretch it.  timeout_ms is
 * only what the error text says the limit was.  *line points into c
 * (valid until the next call), *len excludes the terminator; the line may
 * contain NUL bytes.  Returns 0, or -1 with err: ERR_NET (timeout, reset,
 * closed by the server) or ERR_PROTO (line longer than SMTP_LINE_MAX).
 */
int conn_getline(struct conn *c, long long deadline, int timeout_ms,
		 const char **line, size_t *len, struct err *err);

/*
 * conn_getline_max - conn_getline for lines of at most max bytes before
 * the LF (a CR there included; max <= SMTP_LINE_MAX + 1).  A longer line
 * is no error: it is read to its LF and dropped, *too_long is set and
 * *len is 0.  Errors as conn_getline's, but for the line length.
 */
int conn_getline_max(struct conn *c, size_t max, long long deadline,
		     int timeout_ms, const char **line, size_t *len,
		     bool *too_long, struct err *err);

/*
 * conn_peek - the bytes received and not yet read: *p (into c, valid until
 * the next call) and *n, at least 1; when none are buffered, waits for
 * them by the deadline as conn_getline does.  They stay unread until
 * conn_skip.  Returns 0, or -1 with err (ERR_NET).
 */
int conn_peek(struct conn *c, long long deadline, int timeout_ms,
	      const char **p, size_t *n, struct err *err);

/* conn_skip - mark the first n bytes conn_peek gave as read. */
void conn_skip(struct conn *c, size_t n);

/* conn_line_ready - whether a whole line is buffered, so that
 * conn_getline will not wait for the peer. */
bool conn_line_ready(const struct conn *c);

/*
 * conn_write - write all n bytes within timeout_ms (0: no limit), in as few
 * transport writes as the transport allows.  Returns 0, or -1 with err
 * (ERR_NET; ERR_PROTO when the transport says why).
 */
int conn_write(struct conn *c, const void *data, size_t n, int timeout_ms,
	       struct err *err);

/* conn_write_secret - conn_write for data that holds a secret
 * (CONN_SECRET). */
int conn_write_secret(struct conn *c, const void *data, size_t n,
		      int timeout_ms, struct err *err);

/* conn_wait_readable - 1 if data can be read within timeout_ms, 0 if not,
 * -1 on error (used to notice a server that talks out of turn). */
int conn_wait_readable(struct conn *c, int timeout_ms);

#endif
