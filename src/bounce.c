/*
 * bounce.c - non-delivery reports (RFC 5321 4.5.5 null reverse-path;
 * RFC 3834 Auto-Submitted; RFC 5322 message format).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bounce.h"
#include "buf.h"
#include "deliver.h"
#include "gettext.h"
#include "msg.h"
#include "report.h"
#include "util.h"
#include "xalloc.h"

#define HEADERS_MAX (64 * 1024)

/*
 * bounce_compose - write the report for qe (its message's headers read
 * from orig_fd) as a message to fd: From the account (or
 * MAILER-DAEMON at the sender's domain), To the sender, RFC 3834
 * Auto-Submitted, each recipient given up with its last reply, then the
 * original headers.  Returns 0, or -1.
 */
static int
bounce_compose(const struct account *a, const struct queue_entry *qe,
	       int orig_fd, int fd)
{
	struct buf b;
	char date[64], since[64], host[256] = "localhost", chunk[4096];
	const char *domain, *at;
	time_t now = time(NULL);
	size_t i, hdr_end = 0;
	ssize_t n;
	off_t off = 0;
	int ret = -1;

	buf_init(&b, 4 * HEADERS_MAX);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000",
		 gmtime(&now));
	strftime(since, sizeof(since), "%Y-%m-%d %H:%M UTC",
		 gmtime(&qe->created));
	util_hostname(host, sizeof(host));
	at = strrchr(qe->env.sender, '@');
	domain = a->domain ? a->domain : at ? at + 1 : host;
	if (buf_printf(&b, "From: Mail Delivery System <%s%s%s>\r\n",
		       a->from ? a->from : "MAILER-DAEMON",
		       a->from ? "" : "@", a->from ? "" : domain) < 0
	    || buf_printf(&b, "To: <%s>\r\n", qe->env.sender) < 0
	    || buf_printf(&b, "Subject: Undelivered mail returned to "
			      "sender\r\n") < 0
	    || buf_printf(&b, "Date: %s\r\n", date) < 0
	    || buf_printf(&b, "Message-ID: <%s.bounce@%s>\r\n", qe->id,
			  domain) < 0
	    || buf_printf(&b, "Auto-Submitted: auto-replied\r\n"
			      "MIME-Version: 1.0\r\n"
			      "Content-Type: text/plain; charset=utf-8\r\n"
			      "\r\n") < 0
	    || buf_printf(&b, "This is smtpsend on %s.\r\n\r\n"
			      "Your message of %s could not be delivered to "
			      "the recipients below.\r\nIt was kept in the "
			      "queue (delivery attempts: %u); smtpsend has "
			      "now given up.\r\n\r\n", host, since,
			  qe->attempts) < 0)
		goto out;
	for (i = 0; i < qe->env.n; i++) {
		const struct rcpt *r = &qe->env.rcpts[i];
		char code[16] = "";

		if (r->state != RCPT_DEFERRED)
			continue;
		if (r->st.code > 0)
			snprintf(code, sizeof(code), "%d ", r->st.code);
		if (buf_printf(&b, "  <%s>\r\n    last reply: %s%s%s%s\r\n",
			       r->addr, code, r->st.enh,
			       r->st.enh[0] ? " " : "",
			       r->st.text[0] ? r->st.text : "-") < 0)
			goto out;
	}
	if (buf_printf(&b, "\r\nThe headers of your message were:\r\n\r\n")
	    < 0)
		goto out;
	/* the original headers, up to the empty line */
	while (hdr_end == 0 && off < HEADERS_MAX
	       && (n = pread(orig_fd, chunk, sizeof(chunk), off)) > 0) {
		size_t start = b.len >= 3 ? b.len - 3 : 0;
		char *e;

		if (buf_append(&b, chunk, (size_t)n) < 0)
			break;
		off += n;
		e = strstr(b.p + start, "\r\n\r\n");
		if (e != NULL)
			hdr_end = (size_t)(e - b.p) + 2;
	}
	if (hdr_end > 0)
		b.len = hdr_end;
	if (write(fd, b.p, b.len) != (ssize_t)b.len)
		goto out;
	ret = 0;
out:
	buf_clear(&b);
	return ret;
}

void
bounce_send(const struct account *a, const struct queue_entry *qe,
	    int orig_fd, struct transcript *tr)
{
	struct envelope e;
	struct message m;
	struct err err;
	int fd;

	msg_init(&m);
	envelope_init(&e, "");
	envelope_add(&e, qe->env.sender);
	fd = util_tmpfile(NULL, "report", &err);
	if (fd < 0 || bounce_compose(a, qe, orig_fd, fd) < 0
	    || lseek(fd, 0, SEEK_SET) < 0) {
		report_msg(_("%s: cannot write the non-delivery report"),
			   qe->id);
		goto out;
	}
	if (msg_spool(&m, &(struct msg_input){ .fd = fd, .name = "report" },
		      NULL, &err) < 0) {
		report_error(&err);
		goto out;
	}
	deliver_attempt(a, &e, &m, tr, false);
	if (e.rcpts[0].state != RCPT_DELIVERED)
		report_msg(_("%s: the non-delivery report to %s could not be "
			     "sent: %s"), qe->id, qe->env.sender,
			   e.rcpts[0].st.text);
out:
	if (fd >= 0)
		close(fd);
	msg_clear(&m);
	envelope_clear(&e);
}
