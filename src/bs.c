/*
 * bs.c - the server side of SMTP for "sendmail -bs" (see bs.h).
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
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "bs.h"
#include "buf.h"
#include "conn.h"
#include "dotstuff.h"
#include "gettext.h"
#include "reply.h"
#include "utf8.h"
#include "util.h"
#include "xalloc.h"

/* Pending replies are written once this many bytes wait. */
#define OUT_FLUSH 4096
#define OUT_MAX (64 * 1024)
/* RFC 1870: SIZE=<1*20DIGIT> */
#define SIZE_DIGITS_MAX 20

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
	size_t size;            /* octets of data, counted past the limit */
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
	bool rcpt_refused;      /* an RCPT of this transaction was refused */
	struct bs_data data;
};

/* deadline - when a read that starts now times out (0: never). */
static long long
deadline(const struct bs_session *s)
{
	return s->timeout_ms > 0 ? util_now_ms() + s->timeout_ms : 0;
}

/* ---- replies ---- */

/* flush - write the pending replies; failures are kept in s->werr. */
static void
flush(struct bs_session *s)
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

/* reply - queue one reply line (CRLF added); written at the next flush. */
static void ATTR_PRINTF(2, 3)
reply(struct bs_session *s, const char *fmt, ...)
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
		flush(s);
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
		flush(s);
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

/*
 * read_data - receive the data into s->data.fd until CRLF "." CRLF
 * (RFC 5321 4.5.2: the leading "." of other lines is dropped).  Returns
 * IN_OK (then the spool is flushed and rewound), or IN_EOF, IN_TIMEOUT,
 * IN_ERROR (err set) before the end.
 */
static enum in_status
read_data(struct bs_session *s, struct err *err)
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
			flush(s);       /* replies first, as for a command */
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

/* spool_open - a new, already unlinked file for the data; -1 on failure. */
static int
spool_open(const struct bs_session *s)
{
	const char *dir = s->spool_dir;
	struct err err;

	return util_tmpfile(dir, "spool file", &err);
}

/* ---- the transaction ---- */

static void
txn_reset(struct bs_session *s)
{
	free(s->sender);
	s->sender = NULL;
	addr_list_clear(&s->rcpts);
	addr_list_init(&s->rcpts);
	s->in_txn = false;
	s->rcpt_refused = false;
}

/*
 * parse_path - the path at s ("<addr>", after "FROM:" or "TO:", optional
 * spaces before it; RFC 5321 4.1.2, a source route is dropped) into addr
 * (size ADDR_MAX + 1); *rest points after the ">".  Returns 0, or -1 when
 * the syntax is wrong or the address too long.
 */
static int
parse_path(const char *s, char *addr, const char **rest)
{
	const char *p, *start, *colon;
	bool quoted = false;
	size_t n;

	while (*s == ' ')
		s++;
	if (*s != '<')
		return -1;
	start = ++s;
	for (p = start; *p != '\0'; p++) {
		if (quoted && *p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '"')
			quoted = !quoted;
		else if (*p == '>' && !quoted)
			break;
	}
	if (*p != '>')
		return -1;
	*rest = p + 1;
	if (*start == '@') {            /* A-d-l ":" Mailbox */
		colon = memchr(start, ':', (size_t)(p - start));
		if (colon == NULL)
			return -1;
		start = colon + 1;
	}
	n = (size_t)(p - start);
	if (n > ADDR_MAX)
		return -1;
	memcpy(addr, start, n);
	addr[n] = '\0';
	return 0;
}

/* parse_size - RFC 1870 "SIZE=" 1*20DIGIT; -1 when malformed or too big
 * for size_t (then it is over every limit anyway: *over). */
static int
parse_size(const char *v, size_t *size, bool *over)
{
	unsigned long long x;
	char *end;
	size_t n = strlen(v);

	*over = false;
	if (n == 0 || n > SIZE_DIGITS_MAX || strspn(v, "0123456789") != n)
		return -1;
	errno = 0;
	x = strtoull(v, &end, 10);
	if (errno == ERANGE || x > (size_t)-1) {
		*over = true;
		*size = (size_t)-1;
		return 0;
	}
	*size = (size_t)x;
	return 0;
}

/*
 * mail_params - check the parameters of MAIL (RFC 5321 4.1.1.2, SIZE, BODY)
 * and queue the refusal when one is wrong.  Returns 0 when all are good.
 */
static int
mail_params(struct bs_session *s, const char *p)
{
	bool have_size = false, have_body = false, over;
	char tok[BS_LINE_MAX + 1];
	size_t n, size;
	char *eq;

	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return 0;
		n = strcspn(p, " ");
		memcpy(tok, p, n);
		tok[n] = '\0';
		p += n;
		eq = strchr(tok, '=');
		if (eq != NULL)
			*eq++ = '\0';
		if (strcasecmp(tok, "SIZE") == 0) {
			if (have_size || eq == NULL
			    || parse_size(eq, &size, &over) < 0) {
				reply(s, "501 5.5.4 bad SIZE parameter");
				return -1;
			}
			have_size = true;
			if (s->size_max > 0 && (over || size > s->size_max)) {
				reply(s, "552 5.3.4 message size exceeds fixed "
				      "maximum message size");
				return -1;
			}
		} else if (strcasecmp(tok, "BODY") == 0) {
			if (have_body || eq == NULL) {
				reply(s, "501 5.5.4 bad BODY parameter");
				return -1;
			}
			if (strcasecmp(eq, "7BIT") != 0
			    && strcasecmp(eq, "8BITMIME") != 0) {
				reply(s, "555 5.5.4 unsupported BODY type");
				return -1;
			}
			have_body = true;
		} else {
			reply(s, "555 5.5.4 unsupported MAIL parameter");
			return -1;
		}
	}
}

/* ---- command handlers: each queues its replies ---- */

static enum cmd_status
cmd_ehlo(struct bs_session *s, const char *arg, struct err *err)
{
	(void)err;
	if (*arg == '\0') {
		reply(s, "501 5.5.4 syntax: EHLO domain");
		return CMD_NEXT;
	}
	txn_reset(s);
	s->greeted = true;
	reply(s, "250-%s", s->host);
	reply(s, "250-PIPELINING");
	reply(s, "250-8BITMIME");
	if (s->size_max > 0)
		reply(s, "250-SIZE %zu", s->size_max);
	else
		reply(s, "250-SIZE");
	reply(s, "250 ENHANCEDSTATUSCODES");
	return CMD_NEXT;
}

static enum cmd_status
cmd_helo(struct bs_session *s, const char *arg, struct err *err)
{
	(void)err;
	if (*arg == '\0') {
		reply(s, "501 5.5.4 syntax: HELO domain");
		return CMD_NEXT;
	}
	txn_reset(s);
	s->greeted = true;
	reply(s, "250 %s", s->host);
	return CMD_NEXT;
}

static enum cmd_status
cmd_mail(struct bs_session *s, const char *arg, struct err *err)
{
	char addr[ADDR_MAX + 1];
	const char *rest;
	struct err e;

	(void)err;
	if (!s->greeted) {
		reply(s, "503 5.5.1 send HELO or EHLO first");
		return CMD_NEXT;
	}
	if (s->in_txn) {
		reply(s, "503 5.5.1 nested MAIL command");
		return CMD_NEXT;
	}
	if (strncasecmp(arg, "FROM:", 5) != 0
	    || parse_path(arg + 5, addr, &rest) < 0
	    || (*rest != '\0' && *rest != ' ')) {
		reply(s, "501 5.5.4 syntax: MAIL FROM:<address>");
		return CMD_NEXT;
	}
	if (mail_params(s, rest) < 0)
		return CMD_NEXT;
	if (addr_check(addr, true, &e) < 0) {
		reply(s, "501 5.1.7 bad sender address syntax");
		return CMD_NEXT;
	}
	if (addr_is_8bit(addr)) {
		reply(s, "553 5.6.7 non-ASCII address without SMTPUTF8");
		return CMD_NEXT;
	}
	s->sender = xstrdup(addr);
	s->in_txn = true;
	reply(s, "250 2.1.0 OK");
	return CMD_NEXT;
}

static enum cmd_status
cmd_rcpt(struct bs_session *s, const char *arg, struct err *err)
{
	char addr[ADDR_MAX + 1];
	const char *rest;
	struct err e;
	size_t i;

	(void)err;
	if (!s->in_txn) {
		reply(s, "503 5.5.1 need MAIL command");
		return CMD_NEXT;
	}
	s->rcpt_refused = true;         /* until accepted below */
	if (strncasecmp(arg, "TO:", 3) != 0
	    || parse_path(arg + 3, addr, &rest) < 0
	    || (*rest != '\0' && *rest != ' ')) {
		reply(s, "501 5.5.4 syntax: RCPT TO:<address>");
		return CMD_NEXT;
	}
	while (*rest == ' ')
		rest++;
	if (*rest != '\0') {
		reply(s, "555 5.5.4 unsupported RCPT parameter");
		return CMD_NEXT;
	}
	if (addr_check(addr, false, &e) < 0) {
		reply(s, "501 5.1.3 bad recipient address syntax");
		return CMD_NEXT;
	}
	if (addr_is_8bit(addr)) {
		reply(s, "553 5.6.7 non-ASCII address without SMTPUTF8");
		return CMD_NEXT;
	}
	for (i = 0; i < s->rcpts.n; i++)
		if (strcmp(s->rcpts.v[i], addr) == 0)
			break;
	if (i == s->rcpts.n) {
		if (s->rcpts.n >= BS_RCPTS_MAX) {
			reply(s, "452 4.5.3 too many recipients");
			return CMD_NEXT;
		}
		addr_list_add(&s->rcpts, addr);
	}
	s->rcpt_refused = false;
	reply(s, "250 2.1.5 OK");
	return CMD_NEXT;
}

/* submit - hand the received message to the callback; queue its reply. */
static void
submit(struct bs_session *s)
{
	struct bs_message m;
	char text[BS_TEXT_MAX], clean[BS_REPLY_MAX], enh[ERR_ENH_MAX];
	int code = 0, rc;
	size_t len;

	m.sender = s->sender;
	m.rcpts = s->rcpts.v;
	m.nrcpts = s->rcpts.n;
	m.fd = s->data.fd;
	text[0] = '\0';
	flush(s);       /* the client sees the earlier replies meanwhile */
	rc = s->submit(&m, s->arg, &code, text, sizeof(text));
	text[sizeof(text) - 1] = '\0';
	if (code < 200 || code > 599 || (code < 400 && rc < 0)
	    || (code >= 300 && code < 400)) {
		code = 451;
		if (text[0] == '\0')
			snprintf(text, sizeof(text), "local error in "
				 "processing");
	}
	if (code < 300)
		code = 250;
	if (text[0] == '\0')
		snprintf(text, sizeof(text), "%s",
			 code == 250 ? "OK" : "failed");
	len = printable(clean, sizeof(clean) - 20, text, strlen(text));
	if (reply_enh_parse(clean, len, code / 100, enh) > 0)
		reply(s, "%d %s", code, clean);
	else
		reply(s, "%d %d.0.0 %s", code, code / 100, clean);
}

static enum cmd_status
cmd_data(struct bs_session *s, const char *arg, struct err *err)
{
	enum in_status st;

	if (*arg != '\0') {
		reply(s, "501 5.5.4 syntax: DATA");
		return CMD_NEXT;
	}
	if (!s->in_txn) {
		reply(s, "503 5.5.1 need MAIL command");
		return CMD_NEXT;
	}
	if (s->rcpts.n == 0) {
		if (s->rcpt_refused)
			reply(s, "554 5.5.1 no valid recipients");
		else
			reply(s, "503 5.5.1 need RCPT command");
		return CMD_NEXT;
	}
	s->data.fd = spool_open(s);
	if (s->data.fd < 0) {
		reply(s, "451 4.3.0 cannot create a spool file");
		return CMD_NEXT;
	}
	reply(s, "354 end data with <CR><LF>.<CR><LF>");
	st = read_data(s, err);
	if (st == IN_OK) {
		if (s->data.too_big)
			reply(s, "552 5.3.4 message size exceeds fixed "
			      "maximum message size");
		else if (s->data.nul)
			reply(s, "554 5.6.0 message contains NUL bytes");
		else if (s->data.werrno == ENOSPC
			 || s->data.werrno == EDQUOT)
			reply(s, "452 4.3.1 insufficient system storage");
		else if (s->data.werrno != 0)
			reply(s, "451 4.3.0 cannot write the message");
		else
			submit(s);
	}
	close(s->data.fd);
	s->data.fd = -1;
	txn_reset(s);
	if (st == IN_OK)
		return CMD_NEXT;
	if (st == IN_TIMEOUT) {
		reply(s, "421 4.4.2 timeout");
		err_set(err, ERR_NET, true, _("timed out waiting for the SMTP "
					     "client; a message was "
					     "discarded"));
	} else if (st == IN_EOF) {
		err_set(err, ERR_NET, true, _("the SMTP client closed the "
					     "input inside a message; it was "
					     "discarded"));
	}
	return CMD_END_ERR;
}

static enum cmd_status
cmd_rset(struct bs_session *s, const char *arg, struct err *err)
{
	(void)err;
	if (*arg != '\0') {
		reply(s, "501 5.5.4 syntax: RSET");
		return CMD_NEXT;
	}
	txn_reset(s);
	reply(s, "250 2.0.0 OK");
	return CMD_NEXT;
}

static enum cmd_status
cmd_noop(struct bs_session *s, const char *arg, struct err *err)
{
	(void)arg;
	(void)err;
	reply(s, "250 2.0.0 OK");
	return CMD_NEXT;
}

static enum cmd_status
cmd_quit(struct bs_session *s, const char *arg, struct err *err)
{
	(void)err;
	if (*arg != '\0') {
		reply(s, "501 5.5.4 syntax: QUIT");
		return CMD_NEXT;
	}
	reply(s, "221 2.0.0 %s closing connection", s->host);
	return CMD_QUIT;
}

static enum cmd_status
cmd_vrfy(struct bs_session *s, const char *arg, struct err *err)
{
	(void)err;
	if (*arg == '\0')
		reply(s, "501 5.5.4 syntax: VRFY address");
	else
		reply(s, "252 2.0.0 cannot VRFY user, but will accept "
		      "message and attempt delivery");
	return CMD_NEXT;
}

static enum cmd_status
cmd_help(struct bs_session *s, const char *arg, struct err *err)
{
	(void)arg;
	(void)err;
	reply(s, "214 2.0.0 commands: EHLO HELO MAIL RCPT DATA RSET NOOP "
	      "QUIT VRFY HELP");
	return CMD_NEXT;
}

static const struct bs_command {
	const char *verb;
	enum cmd_status (*fn)(struct bs_session *s, const char *arg,
			      struct err *err);
} commands[] = {
	{ "EHLO", cmd_ehlo },
	{ "HELO", cmd_helo },
	{ "MAIL", cmd_mail },
	{ "RCPT", cmd_rcpt },
	{ "DATA", cmd_data },
	{ "RSET", cmd_rset },
	{ "NOOP", cmd_noop },
	{ "QUIT", cmd_quit },
	{ "VRFY", cmd_vrfy },
	{ "HELP", cmd_help },
};

/* dispatch - one command line (len bytes, no CRLF). */
static enum cmd_status
dispatch(struct bs_session *s, const char *line, size_t len, struct err *err)
{
	size_t i, vlen;
	const char *arg;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];
		if (c < 0x20 || c == 0x7f) {
			reply(s, "500 5.5.2 syntax error");
			return CMD_NEXT;
		}
	}
	vlen = strcspn(line, " ");
	if (vlen == 0) {
		reply(s, "500 5.5.2 syntax error");
		return CMD_NEXT;
	}
	arg = line + vlen;
	while (*arg == ' ')
		arg++;
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (vlen == 4 && strncasecmp(line, commands[i].verb, 4) == 0)
			return commands[i].fn(s, arg, err);
	reply(s, "502 5.5.1 unknown command");
	return CMD_NEXT;
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

	reply(s, "220 %s ESMTP smtpsend", s->host);
	while (cs == CMD_NEXT && !s->out_failed) {
		st = get_line(s, &line, &len, &too_long, err);
		if (st == IN_ERROR)
			break;
		if (st == IN_TIMEOUT) {
			reply(s, "421 4.4.2 timeout");
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
			reply(s, "500 5.5.2 line too long");
			continue;
		}
		cs = dispatch(s, line, len, err);
	}
	flush(s);
	if (s->out_failed)
		*err = s->werr;
	else if (cs == CMD_QUIT)
		rc = 0;
	buf_clear(&s->out);
	txn_reset(s);
	conn_free(s->c);
	free(s);
	return rc;
}
