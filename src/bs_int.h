/*
 * bs_int.h - the parts of "sendmail -bs" (bs.h) shared by its session
 * (bs.c: replies, input, the data of a message, bs_serve) and its command
 * handlers (bs_cmd.c).  Private to those two files.
 */
#ifndef SMTPSEND_BS_INT_H
#define SMTPSEND_BS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include "addr.h"
#include "bs.h"
#include "buf.h"
#include "conn.h"
#include "err.h"
#include "strset.h"

enum in_status {
	IN_ERROR = -1,
	IN_OK = 0,
	IN_EOF,
	IN_TIMEOUT
};

/* The outcome of a command handler. */
enum cmd_status {
	CMD_END_ERR = -1,       /* the session ends, err is set */
	CMD_NEXT = 0,           /* read the next command */
	CMD_QUIT = 1            /* the session ends normally */
};

/* The message being received after a 354. */
struct bs_data {
	int fd;
	char buf[BS_BLOCK];     /* unstuffed data not yet written */
	size_t blen;
	size_t size;            /* octets of data, at most size_max */
	bool too_big;
	bool nul;
	int werrno;             /* 0, or why writing the spool failed */
};

struct bs_session {
	struct conn *c;         /* the client: stdin and stdout */
	int timeout_ms;
	char host[256];
	size_t size_max;
	const char *spool_dir;
	bs_submit_fn submit;
	void *arg;

	struct buf out;         /* replies not yet written */
	bool out_failed;        /* writing failed: werr says why */
	struct err werr;

	bool greeted;           /* HELO or EHLO accepted */
	bool in_txn;            /* MAIL accepted */
	char *sender;
	struct addr_list rcpts;
	struct strset rcpt_set; /* the same addresses, for duplicates */
	bool rcpt_refused;      /* an RCPT of this transaction was refused */
	struct bs_data data;
};

/*
 * bs_reply - queue one reply line (CRLF added, cut to BS_REPLY_MAX); it is
 * written at the next bs_flush, or once OUT_FLUSH bytes wait.
 */
void bs_reply(struct bs_session *s, const char *fmt, ...) ATTR_PRINTF(2, 3);

/* bs_flush - write the pending replies; a failure is kept in s->werr and
 * s->out_failed, and nothing more is written. */
void bs_flush(struct bs_session *s);

/*
 * bs_read_data - receive the data into s->data.fd until CRLF "." CRLF
 * (RFC 5321 4.5.2: the leading "." of other lines is dropped).  Returns
 * IN_OK (then the spool is flushed and rewound), or IN_EOF, IN_TIMEOUT,
 * IN_ERROR (err set: ERR_IO) before the end.
 */
enum in_status bs_read_data(struct bs_session *s, struct err *err);

/* bs_txn_reset - forget the transaction (sender, recipients). */
void bs_txn_reset(struct bs_session *s);

/*
 * bs_cmd_dispatch - run one command line (len bytes, no CRLF; NUL-
 * terminated) and queue its replies.  CMD_END_ERR sets err.
 */
enum cmd_status bs_cmd_dispatch(struct bs_session *s, const char *line,
				size_t len, struct err *err);

#endif
