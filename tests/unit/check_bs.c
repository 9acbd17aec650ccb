/*
 * check_bs.c - unit tests for src/bs.c, the server side of SMTP used by
 * "sendmail -bs" (RFC 5321, RFC 2920 PIPELINING, RFC 1870 SIZE).
 *
 * Most tests write a whole client dialogue into an unlinked file, run
 * bs_serve on it (so every command is pipelined behind the previous one)
 * with the replies going to another file, and compare the replies byte for
 * byte.  The callback records every message it is given (sender,
 * recipients, data bytes) for the test to compare.  One test talks to
 * bs_serve in a child process over a socketpair, reading each reply before
 * sending more, and one uses a pipe kept open to provoke the timeout.
 */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bs.h"
#include "buf.h"
#include "err.h"

#define HOST "mx.test"
#define GREET "220 mx.test ESMTP smtpsend\r\n"
#define EHLO_SIZE(n) \
	"250-mx.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SIZE " n \
	"\r\n250 ENHANCEDSTATUSCODES\r\n"
#define EHLO_R EHLO_SIZE("1000000")
#define SIZE_MAX_DEFAULT 1000000
#define OK_MAIL "250 2.1.0 OK\r\n"
#define OK_RCPT "250 2.1.5 OK\r\n"
#define GO_DATA "354 end data with <CR><LF>.<CR><LF>\r\n"
#define BYE "221 2.0.0 mx.test closing connection\r\n"
#define MAX_MSGS 4
#define DATA_MAX (1024 * 1024)

/* ---- the callback: what it was given, what it answers ---- */

struct got_msg {
	char *sender;
	struct buf rcpts;       /* joined with "," */
	size_t nrcpts;
	struct buf data;
	bool unlinked;          /* the spool file had no name left */
	bool at_zero;           /* and was positioned at 0 */
	off_t replied;          /* octets of replies written before */
};

struct capture {
	int calls;
	struct got_msg msg[MAX_MSGS];
	/* the answer to call i */
	int code[MAX_MSGS];
	const char *text[MAX_MSGS];
	int rc[MAX_MSGS];
	int out_fd;             /* where bs_serve writes, or -1 */
};

static int
record(const struct bs_message *m, void *arg, int *code, char *text,
       size_t n)
{
	struct capture *c = arg;
	struct got_msg *g;
	struct stat st;
	char block[4096];
	ssize_t r;
	size_t i;
	int k = c->calls++;

	ck_assert_int_lt(k, MAX_MSGS);
	g = &c->msg[k];
	g->sender = strdup(m->sender);
	buf_init(&g->rcpts, 1 << 20);
	buf_init(&g->data, DATA_MAX);
	g->nrcpts = m->nrcpts;
	for (i = 0; i < m->nrcpts; i++)
		ck_assert_int_eq(buf_printf(&g->rcpts, "%s%s", i ? "," : "",
					    m->rcpts[i]), 0);
	ck_assert_int_eq(fstat(m->fd, &st), 0);
	g->unlinked = st.st_nlink == 0;
	g->at_zero = lseek(m->fd, 0, SEEK_CUR) == 0;
	if (c->out_fd >= 0) {
		ck_assert_int_eq(fstat(c->out_fd, &st), 0);
		g->replied = st.st_size;
	}
	while ((r = read(m->fd, block, sizeof(block))) > 0)
		ck_assert_int_eq(buf_append(&g->data, block, (size_t)r), 0);
	ck_assert_int_eq(r, 0);
	*code = c->code[k] ? c->code[k] : 250;
	snprintf(text, n, "%s", c->text[k] ? c->text[k] : "queued");
	return c->rc[k];
}

static void
capture_clear(struct capture *c)
{
	int i;

	for (i = 0; i < c->calls && i < MAX_MSGS; i++) {
		free(c->msg[i].sender);
		buf_clear(&c->msg[i].rcpts);
		buf_clear(&c->msg[i].data);
	}
}

/* ---- running a scripted session ---- */

struct run {
	int rc;
	struct err err;
	struct buf out;         /* every reply bs_serve wrote */
	struct capture cap;
	size_t size_max;
	const char *spool;      /* NULL: a fresh directory, checked empty */
};

static void
run_init(struct run *r)
{
	memset(r, 0, sizeof(*r));
	r->size_max = SIZE_MAX_DEFAULT;
	r->cap.out_fd = -1;
	buf_init(&r->out, 4 << 20);
}

static void
run_clear(struct run *r)
{
	buf_clear(&r->out);
	capture_clear(&r->cap);
}

/* temp_fd - an unlinked read-write file. */
static int
temp_fd(void)
{
	char path[] = "/tmp/check_bs.XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	unlink(path);
	return fd;
}

static void
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		ck_assert_int_gt(w, 0);
		p += w;
		n -= (size_t)w;
	}
}

/* read_all - everything in fd from offset 0 into b. */
static void
read_all(int fd, struct buf *b)
{
	char block[4096];
	ssize_t r;

	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	while ((r = read(fd, block, sizeof(block))) > 0)
		ck_assert_int_eq(buf_append(b, block, (size_t)r), 0);
	ck_assert_int_eq(r, 0);
}

/* run_n - bs_serve on the n bytes of in; the spool directory it used is
 * checked to be empty afterwards. */
static void
run_n(struct run *r, const char *in, size_t n)
{
	char dir[] = "/tmp/check_bs.dXXXXXX";
	int in_fd = temp_fd(), out_fd = temp_fd();
	const char *spool = r->spool;

	if (spool == NULL) {
		ck_assert_ptr_nonnull(mkdtemp(dir));
		spool = dir;
	}
	write_all(in_fd, in, n);
	ck_assert_int_eq(lseek(in_fd, 0, SEEK_SET), 0);
	err_clear(&r->err);
	r->cap.out_fd = out_fd;
	r->rc = bs_serve(in_fd, out_fd, HOST, r->size_max, 5000, spool,
			 record, &r->cap, &r->err);
	read_all(out_fd, &r->out);
	r->cap.out_fd = -1;
	close(in_fd);
	close(out_fd);
	if (r->spool == NULL)
		ck_assert_msg(rmdir(dir) == 0, "spool directory not empty: %s",
			      strerror(errno));
}

static void
run(struct run *r, const char *in)
{
	run_n(r, in, strlen(in));
}

static void
check_data(const struct got_msg *g, const char *want, size_t n)
{
	ck_assert_uint_eq(g->data.len, n);
	ck_assert_msg(n == 0 || memcmp(g->data.p, want, n) == 0,
		      "data differs: got \"%s\"", g->data.p);
}

/* ---- sessions ---- */

START_TEST(test_two_messages)
{
	struct run r;
	static const char want1[] =
		"Subject: one\r\n"
		"\r\n"
		".leading dot\r\n"
		"..two dots\r\n"
		"mid . dot\r\n"
		".\r\n"
		"end\r\n";
	static const char want2[] = "Subject: two\r\n\r\ncaf\xc3\xa9\r\n";

	run_init(&r);
	r.cap.text[0] = "2.0.0 queued as Q1";
	r.cap.text[1] = "delivered";
	run(&r, "EHLO client.test\r\n"
	    "MAIL FROM:<alice@example.org> SIZE=120 BODY=8BITMIME\r\n"
	    "RCPT TO:<bob@example.org>\r\n"
	    "RCPT TO:<\"carol smith\"@example.net>\r\n"
	    "DATA\r\n"
	    "Subject: one\r\n"
	    "\r\n"
	    "..leading dot\r\n"
	    "...two dots\r\n"
	    "mid . dot\r\n"
	    "..\r\n"
	    "end\r\n"
	    ".\r\n"
	    "mail from:<>\r\n"
	    "rcpt to:<@relay.test,@other.test:dave@example.com>\r\n"
	    "data\r\n"
	    "Subject: two\r\n\r\ncaf\xc3\xa9\r\n"
	    ".\r\n"
	    "QUIT\r\n");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out.p,
			 GREET EHLO_R OK_MAIL OK_RCPT OK_RCPT GO_DATA
			 "250 2.0.0 queued as Q1\r\n"
			 OK_MAIL OK_RCPT GO_DATA
			 "250 2.0.0 delivered\r\n"
			 BYE);
	ck_assert_int_eq(r.cap.calls, 2);
	ck_assert_str_eq(r.cap.msg[0].sender, "alice@example.org");
	ck_assert_uint_eq(r.cap.msg[0].nrcpts, 2);
	ck_assert_str_eq(r.cap.msg[0].rcpts.p,
			 "bob@example.org,\"carol smith\"@example.net");
	check_data(&r.cap.msg[0], want1, sizeof(want1) - 1);
	ck_assert(r.cap.msg[0].unlinked);
	ck_assert(r.cap.msg[0].at_zero);
	/* the replies before the "." were out before the submission */
	ck_assert_int_eq(r.cap.msg[0].replied,
			 strlen(GREET EHLO_R OK_MAIL OK_RCPT OK_RCPT GO_DATA));
	ck_assert_str_eq(r.cap.msg[1].sender, "");
	ck_assert_str_eq(r.cap.msg[1].rcpts.p, "dave@example.com");
	check_data(&r.cap.msg[1], want2, sizeof(want2) - 1);
	run_clear(&r);
}
END_TEST

/* RSET forgets the transaction; the next one starts clean. */
START_TEST(test_rset_between)
{
	struct run r;

	run_init(&r);
	run(&r, "HELO client.test\r\n"
	    "MAIL FROM:<first@example.org>\r\n"
	    "RCPT TO:<one@example.org>\r\n"
	    "RSET\r\n"
	    "MAIL FROM:<second@example.org>\r\n"
	    "RCPT TO:<two@example.org>\r\n"
	    "RCPT TO:<two@example.org>\r\n"
	    "DATA\r\n"
	    "x\r\n"
	    ".\r\n"
	    "RSET\r\n"
	    "QUIT\r\n");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out.p,
			 GREET "250 mx.test\r\n" OK_MAIL OK_RCPT
			 "250 2.0.0 OK\r\n"
			 OK_MAIL OK_RCPT OK_RCPT GO_DATA
			 "250 2.0.0 queued\r\n"
			 "250 2.0.0 OK\r\n" BYE);
	ck_assert_int_eq(r.cap.calls, 1);
	ck_assert_str_eq(r.cap.msg[0].sender, "second@example.org");
	/* a repeated recipient is accepted once */
	ck_assert_str_eq(r.cap.msg[0].rcpts.p, "two@example.org");
	check_data(&r.cap.msg[0], "x\r\n", 3);
	run_clear(&r);
}
END_TEST

START_TEST(test_bad_sequence)
{
	struct run r;

	run_init(&r);
	run(&r, "MAIL FROM:<a@example.org>\r\n"
	    "EHLO client.test\r\n"
	    "RCPT TO:<b@example.org>\r\n"
	    "DATA\r\n"
	    "MAIL FROM:<a@example.org>\r\n"
	    "MAIL FROM:<c@example.org>\r\n"
	    "DATA\r\n"
	    "RCPT TO:<not an address>\r\n"
	    "DATA\r\n"
	    "QUIT\r\n");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out.p,
			 GREET
			 "503 5.5.1 send HELO or EHLO first\r\n"
			 EHLO_R
			 "503 5.5.1 need MAIL command\r\n"
			 "503 5.5.1 need MAIL command\r\n"
			 OK_MAIL
			 "503 5.5.1 nested MAIL command\r\n"
			 "503 5.5.1 need RCPT command\r\n"
			 "501 5.1.3 bad recipient address syntax\r\n"
			 "554 5.5.1 no valid recipients\r\n"
			 BYE);
	ck_assert_int_eq(r.cap.calls, 0);
	run_clear(&r);
}
END_TEST

START_TEST(test_unknown_commands)
{
	struct run r;
	struct buf in;
	size_t i;

	run_init(&r);
	buf_init(&in, 1 << 20);
	ck_assert_int_eq(buf_append_str(&in,
		"EXPN staff\r\n"
		"STARTTLS\r\n"
		"BDAT 10 LAST\r\n"
		"MAILX FROM:<a@b.c>\r\n"
		"\r\n"
		"NOOP\x01\r\n"
		"noop\r\n"
		"NOOP anything\r\n"
		"HELP\r\n"
		"VRFY bob\r\n"
		"VRFY\r\n"
		"EHLO\r\n"
		"HELO\r\n"
		"EHLO client.test\r\n"
		"RSET now\r\n"
		"QUIT now\r\n"
		"NOOP "), 0);
	for (i = 0; i < BS_LINE_MAX; i++)
		ck_assert_int_eq(buf_append(&in, "x", 1), 0);
	ck_assert_int_eq(buf_append_str(&in, "\r\nNOOP\n"
					"QUIT\r\nNOOP\r\n"), 0);
	run_n(&r, in.p, in.len);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out.p,
			 GREET
			 "502 5.5.1 unknown command\r\n"
			 "502 5.5.1 unknown command\r\n"
			 "502 5.5.1 unknown command\r\n"
			 "502 5.5.1 unknown command\r\n"
			 "500 5.5.2 syntax error\r\n"
			 "500 5.5.2 syntax error\r\n"
			 "250 2.0.0 OK\r\n"
			 "250 2.0.0 OK\r\n"
			 "214 2.0.0 commands: EHLO HELO MAIL RCPT DATA RSET "
			 "NOOP QUIT VRFY HELP\r\n"
			 "252 2.0.0 cannot VRFY user, but will accept message "
			 "and attempt delivery\r\n"
			 "501 5.5.4 syntax: VRFY address\r\n"
			 "501 5.5.4 syntax: EHLO domain\r\n"
			 "501 5.5.4 syntax: HELO domain\r\n"
			 EHLO_R
			 "501 5.5.4 syntax: RSET\r\n"
			 "501 5.5.4 syntax: QUIT\r\n"
			 "500 5.5.2 line too long\r\n"
			 "250 2.0.0 OK\r\n"     /* a bare LF ends a command */
			 BYE);                  /* nothing after QUIT */
	buf_clear(&in);
	run_clear(&r);
}
END_TEST

/* A line of exactly BS_LINE_MAX octets with its CRLF is still taken. */
START_TEST(test_line_limit)
{
	struct run r;
	struct buf in;

	run_init(&r);
	buf_init(&in, 1 << 20);
	ck_assert_int_eq(buf_append_str(&in, "NOOP "), 0);
	while (in.len < BS_LINE_MAX - 2)
		ck_assert_int_eq(buf_append(&in, "y", 1), 0);
	ck_assert_int_eq(buf_append_str(&in, "\r\nNOOP "), 0);
	while (in.len < 2 * BS_LINE_MAX - 1)
		ck_assert_int_eq(buf_append(&in, "y", 1), 0);
	ck_assert_int_eq(buf_append_str(&in, "\r\nQUIT\r\n"), 0);
	run_n(&r, in.p, in.len);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out.p, GREET "250 2.0.0 OK\r\n"
			 "500 5.5.2 line too long\r\n" BYE);
	buf_clear(&in);
	run_clear(&r);
}
END_TEST

START_TEST(test_invalid_addresses)
{
	struct run r;

	run_init(&r);
	run(&r, "EHLO client.test\r\n"
	    "MAIL FROM:a@example.org\r\n"
	    "MAIL FROM:<a@example.org\r\n"
	    "MAIL FROM:<a@example.org>x\r\n"
	    "MAIL TO:<a@example.org>\r\n"
	    "MAIL FROM:<a..b@example.org>\r\n"
	    "MAIL FROM:<j\xc3\xb6rg@example.org>\r\n"
	    "MAIL FROM:<a@example.org> AUTH=<>\r\n"
	    "MAIL FROM:<a@example.org> SMTPUTF8\r\n"
	    "MAIL FROM:<a@example.org> BODY=BINARYMIME\r\n"
	    "MAIL FROM:<a@example.org> BODY\r\n"
	    "MAIL FROM:<a@example.org> SIZE=12x\r\n"
	    "MAIL FROM:<a@example.org> SIZE=1 SIZE=2\r\n"
	    "MAIL FROM:<a@example.org> SIZE=1000001\r\n"
	    "MAIL FROM:<a@example.org> SIZE=99999999999999999999\r\n"
	    "MAIL FROM: <a@example.org>  size=1000000  body=7bit\r\n"
	    "RCPT TO:<>\r\n"
	    "RCPT TO:<b@exa mple.org>\r\n"
	    "RCPT TO:<b@example.org> NOTIFY=NEVER\r\n"
	    "RCPT TO:<@relay.test b@example.org>\r\n"
	    "RCPT TO:<b\xc3\xa9@example.org>\r\n"
	    "RCPT TO:<\"a>b\"@example.org>\r\n"
	    "RCPT TO:<postmaster>\r\n"
	    "QUIT\r\n");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out.p,
			 GREET EHLO_R
			 "501 5.5.4 syntax: MAIL FROM:<address>\r\n"
			 "501 5.5.4 syntax: MAIL FROM:<address>\r\n"
			 "501 5.5.4 syntax: MAIL FROM:<address>\r\n"
			 "501 5.5.4 syntax: MAIL FROM:<address>\r\n"
			 "501 5.1.7 bad sender address syntax\r\n"
			 "553 5.6.7 non-ASCII address without SMTPUTF8\r\n"
			 "555 5.5.4 unsupported MAIL parameter\r\n"
			 "555 5.5.4 unsupported MAIL parameter\r\n"
			 "555 5.5.4 unsupported BODY type\r\n"
			 "501 5.5.4 bad BODY parameter\r\n"
			 "501 5.5.4 bad SIZE parameter\r\n"
			 "501 5.5.4 bad SIZE parameter\r\n"
			 "552 5.3.4 message size exceeds fixed maximum message "
			 "size\r\n"
			 "552 5.3.4 message size exceeds fixed maximum message "
			 "size\r\n"
			 OK_MAIL
			 "501 5.1.3 bad recipient address syntax\r\n"
			 "501 5.1.3 bad recipient address syntax\r\n"
			 "555 5.5.4 unsupported RCPT parameter\r\n"
			 "501 5.5.4 syntax: RCPT TO:<address>\r\n"
			 "553 5.6.7 non-ASCII address without SMTPUTF8\r\n"
			 OK_RCPT OK_RCPT
			 BYE);
	run_clear(&r);
}
END_TEST

START_TEST(test_too_many_rcpts)
{
	struct run r;
	struct buf in, want;
	size_t i;

	run_init(&r);
	buf_init(&in, 1 << 20);
	buf_init(&want, 1 << 20);
	ck_assert_int_eq(buf_append_str(&in, "EHLO client.test\r\n"
					"MAIL FROM:<a@example.org>\r\n"), 0);
	ck_assert_int_eq(buf_append_str(&want, GREET EHLO_R OK_MAIL), 0);
	for (i = 0; i < BS_RCPTS_MAX + 2; i++) {
		ck_assert_int_eq(buf_printf(&in, "RCPT TO:<r%zu@example.org>"
					    "\r\n", i), 0);
		ck_assert_int_eq(buf_append_str(&want, i < BS_RCPTS_MAX
						? OK_RCPT
						: "452 4.5.3 too many "
						  "recipients\r\n"), 0);
	}
	/* one already there is no new one */
	ck_assert_int_eq(buf_append_str(&in, "RCPT TO:<r0@example.org>\r\n"
					"DATA\r\nhi\r\n.\r\nQUIT\r\n"), 0);
	ck_assert_int_eq(buf_append_str(&want, OK_RCPT GO_DATA
					"250 2.0.0 queued\r\n" BYE), 0);
	run_n(&r, in.p, in.len);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out.p, want.p);
	ck_assert_int_eq(r.cap.calls, 1);
	ck_assert_uint_eq(r.cap.msg[0].nrcpts, BS_RCPTS_MAX);
	ck_assert(strncmp(r.cap.msg[0].rcpts.p, "r0@example.org,r1@", 18)
		  == 0);
	ck_assert_ptr_nonnull(strstr(r.cap.msg[0].rcpts.p,
				     ",r999@example.org"));
	ck_assert_ptr_null(strstr(r.cap.msg[0].rcpts.p, "r1000@"));
	buf_clear(&in);
	buf_clear(&want);
	run_clear(&r);
}
END_TEST

/* Data over size_max: 552 at the end, no callback; the session goes on.
 * Exactly size_max octets pass. */
START_TEST(test_oversize)
{
	struct run r;
	char in[1024];
	char exact[65];

	memset(exact, 'e', 62);
	memcpy(exact + 62, "\r\n", 3);          /* 64 octets with CRLF */
	run_init(&r);
	r.size_max = 64;
	snprintf(in, sizeof(in),
		 "EHLO client.test\r\n"
		 "MAIL FROM:<a@example.org> SIZE=65\r\n"
		 "MAIL FROM:<a@example.org> SIZE=64\r\n"
		 "RCPT TO:<b@example.org>\r\n"
		 "DATA\r\n"
		 "%s"
		 "..one more line after the limit\r\n"
		 ".\r\n"
		 "MAIL FROM:<a@example.org>\r\n"
		 "RCPT TO:<b@example.org>\r\n"
		 "DATA\r\n"
		 "%s"
		 ".\r\n"
		 "QUIT\r\n", exact, exact);
	run(&r, in);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out.p,
			 GREET EHLO_SIZE("64")
			 "552 5.3.4 message size exceeds fixed maximum message "
			 "size\r\n"
			 OK_MAIL OK_RCPT GO_DATA
			 "552 5.3.4 message size exceeds fixed maximum message "
			 "size\r\n"
			 OK_MAIL OK_RCPT GO_DATA
			 "250 2.0.0 queued\r\n"
			 BYE);
	ck_assert_int_eq(r.cap.calls, 1);
	check_data(&r.cap.msg[0], exact, 64);
	run_clear(&r);
}
END_TEST

/* size_max 0: no limit, "SIZE" alone in EHLO. */
START_TEST(test_no_size_limit)
{
	struct run r;

	run_init(&r);
	r.size_max = 0;
	run(&r, "EHLO client.test\r\n"
	    "MAIL FROM:<a@example.org> SIZE=99999999999999999999\r\n"
	    "QUIT\r\n");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out.p,
			 GREET "250-mx.test\r\n250-PIPELINING\r\n"
			 "250-8BITMIME\r\n250-SIZE\r\n"
			 "250 ENHANCEDSTATUSCODES\r\n"
			 OK_MAIL BYE);
	run_clear(&r);
}
END_TEST

#define ONE_MSG "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\n" \
	"DATA\r\nx\r\n.\r\n"
#define ONE_MSG_R OK_MAIL OK_RCPT GO_DATA

/* What the callback says is what the client gets, made a legal reply. */
START_TEST(test_callback_replies)
{
	struct run r;

	run_init(&r);
	r.cap.code[0] = 451;
	r.cap.text[0] = "try again later";
	r.cap.code[1] = 451;
	r.cap.text[1] = "4.4.1 relay not reachable";
	r.cap.code[2] = 554;
	r.cap.text[2] = "4.7.1 wrong class\r\n250 injected";
	r.cap.code[3] = 0;
	r.cap.text[3] = "";
	r.cap.rc[3] = -1;
	run(&r, "EHLO client.test\r\n" ONE_MSG ONE_MSG ONE_MSG ONE_MSG
	    "QUIT\r\n");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out.p,
			 GREET EHLO_R
			 ONE_MSG_R "451 4.0.0 try again later\r\n"
			 ONE_MSG_R "451 4.4.1 relay not reachable\r\n"
			 ONE_MSG_R "554 5.0.0 4.7.1 wrong class??250 injected"
			 "\r\n"
			 ONE_MSG_R "451 4.0.0 local error in processing\r\n"
			 BYE);
	ck_assert_int_eq(r.cap.calls, 4);
	run_clear(&r);
}
END_TEST

START_TEST(test_eof_in_data)
{
	struct run r;

	run_init(&r);
	run(&r, "EHLO client.test\r\n"
	    "MAIL FROM:<a@example.org>\r\n"
	    "RCPT TO:<b@example.org>\r\n"
	    "DATA\r\n"
	    "Subject: cut\r\n"
	    "\r\n"
	    "no end\r\n"
	    ".");
	ck_assert_int_eq(r.rc, -1);
	ck_assert_int_eq(r.err.cls, ERR_NET);
	ck_assert_str_eq(r.out.p, GREET EHLO_R OK_MAIL OK_RCPT GO_DATA);
	ck_assert_int_eq(r.cap.calls, 0);
	run_clear(&r);
}
END_TEST

/* The end of input between transactions is a normal end; inside one it
 * is not. */
START_TEST(test_eof_without_quit)
{
	struct run r;

	run_init(&r);
	run(&r, "EHLO client.test\r\n" ONE_MSG "NOOP");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out.p, GREET EHLO_R ONE_MSG_R
			 "250 2.0.0 queued\r\n");
	ck_assert_int_eq(r.cap.calls, 1);
	run_clear(&r);

	run_init(&r);
	run(&r, "EHLO client.test\r\nMAIL FROM:<a@example.org>\r\n");
	ck_assert_int_eq(r.rc, -1);
	ck_assert_int_eq(r.err.cls, ERR_NET);
	ck_assert_str_eq(r.out.p, GREET EHLO_R OK_MAIL);
	run_clear(&r);
}
END_TEST

START_TEST(test_nul_in_data)
{
	struct run r;
	static const char in[] =
		"EHLO client.test\r\n"
		"MAIL FROM:<a@example.org>\r\n"
		"RCPT TO:<b@example.org>\r\n"
		"DATA\r\n"
		"a\0b\r\n"
		".\r\n"
		"QUIT\r\n";

	run_init(&r);
	run_n(&r, in, sizeof(in) - 1);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out.p, GREET EHLO_R OK_MAIL OK_RCPT GO_DATA
			 "554 5.6.0 message contains NUL bytes\r\n" BYE);
	ck_assert_int_eq(r.cap.calls, 0);
	run_clear(&r);
}
END_TEST

/* Only CRLF "." CRLF ends the data; the edges of transparency. */
START_TEST(test_data_edges)
{
	struct run r;
	static const char want2[] = "a\n.\r\nb\r\n";
	static const char want3[] = "\rx\r\n\r\r\n";

	run_init(&r);
	run(&r, "EHLO client.test\r\n"
	    "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\n"
	    "DATA\r\n"
	    ".\r\n"
	    "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\n"
	    "DATA\r\n"
	    "a\n.\r\nb\r\n"
	    ".\r\n"
	    "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\n"
	    "DATA\r\n"
	    ".\rx\r\n"
	    ".\r\r\n"
	    ".\r\n"
	    "QUIT\r\n");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out.p, GREET EHLO_R
			 ONE_MSG_R "250 2.0.0 queued\r\n"
			 ONE_MSG_R "250 2.0.0 queued\r\n"
			 ONE_MSG_R "250 2.0.0 queued\r\n" BYE);
	ck_assert_int_eq(r.cap.calls, 3);
	check_data(&r.cap.msg[0], "", 0);
	check_data(&r.cap.msg[1], want2, sizeof(want2) - 1);
	check_data(&r.cap.msg[2], want3, sizeof(want3) - 1);
	run_clear(&r);
}
END_TEST

/* The end-of-data sequence and a stuffed dot at every position across
 * the boundary between two reads. */
START_TEST(test_block_boundaries)
{
	static const char head[] =
		"EHLO client.test\r\n"
		"MAIL FROM:<a@example.org>\r\n"
		"RCPT TO:<b@example.org>\r\n"
		"DATA\r\n";
	static const char tail[] = "\r\n..y\r\n.\r\nQUIT\r\n";
	struct run r;
	struct buf in, want;
	size_t fill = BS_BLOCK - (sizeof(head) - 1) - 12 + (size_t)_i, i;

	run_init(&r);
	buf_init(&in, 1 << 20);
	buf_init(&want, 1 << 20);
	ck_assert_int_eq(buf_append_str(&in, head), 0);
	for (i = 0; i < fill; i++) {
		ck_assert_int_eq(buf_append(&in, "x", 1), 0);
		ck_assert_int_eq(buf_append(&want, "x", 1), 0);
	}
	ck_assert_int_eq(buf_append_str(&in, tail), 0);
	ck_assert_int_eq(buf_append_str(&want, "\r\n.y\r\n"), 0);
	r.size_max = 0;
	run_n(&r, in.p, in.len);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_int_eq(r.cap.calls, 1);
	check_data(&r.cap.msg[0], want.p, want.len);
	buf_clear(&in);
	buf_clear(&want);
	run_clear(&r);
}
END_TEST

/* A spool directory that cannot be written: 451 to DATA, no data phase. */
START_TEST(test_spool_unwritable)
{
	struct run r;

	run_init(&r);
	r.spool = "/nonexistent/check_bs";
	run(&r, "EHLO client.test\r\n"
	    "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\n"
	    "DATA\r\n"
	    "RSET\r\n"
	    "QUIT\r\n");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out.p, GREET EHLO_R OK_MAIL OK_RCPT
			 "451 4.3.0 cannot create a spool file\r\n"
			 "250 2.0.0 OK\r\n" BYE);
	ck_assert_int_eq(r.cap.calls, 0);
	run_clear(&r);
}
END_TEST

/* ---- over a pipe kept open: the timeout ---- */

static void
run_open_pipe(struct run *r, const char *in, int timeout_ms)
{
	char dir[] = "/tmp/check_bs.dXXXXXX";
	int p[2], out_fd = temp_fd();

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(pipe(p), 0);
	write_all(p[1], in, strlen(in));
	r->rc = bs_serve(p[0], out_fd, HOST, r->size_max, timeout_ms, dir,
			 record, &r->cap, &r->err);
	read_all(out_fd, &r->out);
	close(p[0]);
	close(p[1]);
	close(out_fd);
	ck_assert_int_eq(rmdir(dir), 0);
}

START_TEST(test_timeout)
{
	struct run r;

	run_init(&r);
	run_open_pipe(&r, "EHLO client.test\r\nNOOP", 100);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_int_eq(r.err.cls, ERR_NET);
	ck_assert(r.err.temp);
	ck_assert_str_eq(r.out.p, GREET EHLO_R "421 4.4.2 timeout\r\n");
	run_clear(&r);

	run_init(&r);
	run_open_pipe(&r, "EHLO client.test\r\n"
		      "MAIL FROM:<a@example.org>\r\n"
		      "RCPT TO:<b@example.org>\r\n"
		      "DATA\r\nnot finished\r\n", 100);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_int_eq(r.err.cls, ERR_NET);
	ck_assert_str_eq(r.out.p, GREET EHLO_R OK_MAIL OK_RCPT GO_DATA
			 "421 4.4.2 timeout\r\n");
	ck_assert_int_eq(r.cap.calls, 0);
	run_clear(&r);
}
END_TEST

/* ---- interactive, over a socketpair: pipelined groups ---- */

/* describe - a callback for the child: the reply names what it got. */
static int
describe(const struct bs_message *m, void *arg, int *code, char *text,
	 size_t n)
{
	char data[256];
	ssize_t r = read(m->fd, data, sizeof(data) - 1);

	(void)arg;
	if (r < 0)
		r = 0;
	data[r] = '\0';
	data[strcspn(data, "\r\n")] = '\0';
	*code = 250;
	snprintf(text, n, "from %s to %zu (%s) data %s", m->sender, m->nrcpts,
		 m->rcpts[m->nrcpts - 1], data);
	return 0;
}

/* expect - read from fd until want has come (or 5 s have passed). */
static void
expect(int fd, const char *want)
{
	size_t n = strlen(want), got = 0;
	char buf[4096];
	struct pollfd pfd = { fd, POLLIN, 0 };

	ck_assert_uint_lt(n, sizeof(buf));
	while (got < n) {
		ssize_t r;

		ck_assert_msg(poll(&pfd, 1, 5000) == 1,
			      "no reply; have \"%.*s\"", (int)got, buf);
		r = read(fd, buf + got, n - got);
		ck_assert_int_gt(r, 0);
		got += (size_t)r;
	}
	buf[got] = '\0';
	ck_assert_str_eq(buf, want);
}

static void
send_str(int fd, const char *s)
{
	write_all(fd, s, strlen(s));
}

START_TEST(test_pipelined_dialogue)
{
	int sv[2], status;
	pid_t pid;
	char r;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct err err;
		int rc;

		close(sv[0]);
		rc = bs_serve(sv[1], sv[1], HOST, SIZE_MAX_DEFAULT, 5000, NULL,
			      describe, NULL, &err);
		_exit(rc == 0 ? 0 : 1);
	}
	close(sv[1]);
	expect(sv[0], GREET);
	send_str(sv[0], "EHLO client.test\r\n");
	expect(sv[0], EHLO_R);
	/* one group: each reply must come without more input */
	send_str(sv[0], "MAIL FROM:<a@example.org>\r\n"
		 "RCPT TO:<b@example.org>\r\n"
		 "RCPT TO:<bad address>\r\n"
		 "RCPT TO:<c@example.org>\r\n"
		 "DATA\r\n");
	expect(sv[0], OK_MAIL OK_RCPT
	       "501 5.1.3 bad recipient address syntax\r\n"
	       OK_RCPT GO_DATA);
	send_str(sv[0], "..first line\r\nsecond\r\n.\r\n");
	expect(sv[0], "250 2.0.0 from a@example.org to 2 (c@example.org) "
	       "data .first line\r\n");
	send_str(sv[0], "RSET\r\nMAIL FROM:<>\r\nRCPT TO:<d@example.org>\r\n"
		 "DATA\r\n");
	expect(sv[0], "250 2.0.0 OK\r\n" OK_MAIL OK_RCPT GO_DATA);
	send_str(sv[0], "two\r\n.\r\nQUIT\r\n");
	expect(sv[0], "250 2.0.0 from  to 1 (d@example.org) data two\r\n"
	       BYE);
	ck_assert_int_eq(read(sv[0], &r, 1), 0);        /* and it is done */
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	close(sv[0]);
}
END_TEST

/* A client that goes away: writing fails, bs_serve says so (ERR_IO). */
START_TEST(test_client_gone)
{
	int sv[2];
	struct err err;
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	close(sv[0]);
	ck_assert_int_eq(bs_serve(sv[1], sv[1], HOST, 0, 1000, NULL, record,
				  NULL, &err), -1);
	ck_assert_int_eq(err.cls, ERR_IO);
	close(sv[1]);
	signal(SIGPIPE, old);
}
END_TEST

static Suite *
bs_suite(void)
{
	Suite *s = suite_create("bs");
	TCase *tc;

	tc = tcase_create("session");
	tcase_add_test(tc, test_two_messages);
	tcase_add_test(tc, test_rset_between);
	tcase_add_test(tc, test_bad_sequence);
	tcase_add_test(tc, test_unknown_commands);
	tcase_add_test(tc, test_line_limit);
	tcase_add_test(tc, test_invalid_addresses);
	tcase_add_test(tc, test_too_many_rcpts);
	tcase_add_test(tc, test_eof_without_quit);
	tcase_add_test(tc, test_spool_unwritable);
	suite_add_tcase(s, tc);

	tc = tcase_create("data");
	tcase_add_test(tc, test_oversize);
	tcase_add_test(tc, test_no_size_limit);
	tcase_add_test(tc, test_callback_replies);
	tcase_add_test(tc, test_eof_in_data);
	tcase_add_test(tc, test_nul_in_data);
	tcase_add_test(tc, test_data_edges);
	tcase_add_loop_test(tc, test_block_boundaries, 0, 24);
	suite_add_tcase(s, tc);

	tc = tcase_create("io");
	tcase_add_test(tc, test_timeout);
	tcase_add_test(tc, test_pipelined_dialogue);
	tcase_add_test(tc, test_client_gone);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(bs_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
