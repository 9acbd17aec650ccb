/*
 * bounce.c - delivery reports (see bounce.h).
 *
 * Implements
 *   RFC 3464  the message/delivery-status format: per-message fields
 *             (Reporting-MTA, Arrival-Date), per-recipient fields
 *             (Final-Recipient, Action, Status, Remote-MTA,
 *             Diagnostic-Code, Last-Attempt-Date)
 *   RFC 6522  multipart/report; report-type=delivery-status, with a
 *             text/rfc822-headers part
 *   RFC 3463  enhanced status codes in Status (X.0.0 when the server gave
 *             none; 4.4.7 for a message given up after its time)
 *   RFC 5321 4.5.5  reports from the null reverse-path, none about them
 *   RFC 3834  Auto-Submitted: auto-replied
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bounce.h"
#include "buf.h"
#include "deliver.h"
#include "gettext.h"
#include "log.h"
#include "msg.h"
#include "random.h"
#include "report.h"
#include "util.h"
#include "xalloc.h"

#define HEADERS_MAX (64 * 1024)
#define REPORT_MAX (4 * HEADERS_MAX + 1024 * 1024)

const char *
bounce_address(const struct account *a, const char *sender)
{
	if (a == NULL || !a->bounce || sender == NULL || sender[0] == '\0')
		return NULL;
	return a->bounce_to != NULL ? a->bounce_to : sender;
}

static bool
selected(const struct rcpt *r, enum bounce_why why)
{
	if (why == BOUNCE_EXPIRED)
		return r->state == RCPT_DEFERRED;
	return r->state == RCPT_FAILED && r->stage != STAGE_NONE;
}

size_t
bounce_count(const struct envelope *env, enum bounce_why why)
{
	size_t i, n = 0;

	for (i = 0; i < env->n; i++)
		if (selected(&env->rcpts[i], why))
			n++;
	return n;
}

/* rfc5322_date - t as an RFC 5322 date-time in UTC. */
static void
rfc5322_date(time_t t, char *out, size_t n)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%a, %d %b %Y %H:%M:%S +0000", &tm);
}

/* clean - s with every control character replaced by '?' (a field value
 * stays one line), into out. */
static void
clean(const char *s, char *out, size_t n)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < n; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?'
								    : s[i];
	out[i] = '\0';
}

/* status_of - the RFC 3463 status of r for the report. */
static void
status_of(const struct rcpt *r, enum bounce_why why, char *out, size_t n)
{
	int cls = r->st.code / 100;

	if (r->st.enh[0] != '\0' && (r->st.enh[0] - '0' == cls || cls == 0))
		snprintf(out, n, "%s", r->st.enh);
	else if (why == BOUNCE_EXPIRED)
		snprintf(out, n, "4.4.7");
	else
		snprintf(out, n, "%d.0.0", cls == 4 ? 4 : 5);
}

/* text_part - the part for people. */
static int
text_part(struct buf *b, const struct bounce_info *bi, const char *host)
{
	char since[64];
	size_t i;
	struct tm tm;

	gmtime_r(&bi->created, &tm);
	strftime(since, sizeof(since), "%Y-%m-%d %H:%M UTC", &tm);
	if (buf_printf(b, "Content-Description: Notification\r\n"
			  "Content-Type: text/plain; charset=utf-8\r\n\r\n"
			  "This is smtpsend on %s.\r\n\r\n"
			  "Your message of %s (id %s) could not be "
			  "delivered to the\r\nrecipients below.%s\r\n\r\n",
		       host, since, bi->id,
		       bi->why == BOUNCE_EXPIRED
			       ? " It was kept in the queue; smtpsend has "
				 "now given up."
			       : " The server refused them for good.") < 0)
		return -1;
	for (i = 0; i < bi->env->n; i++) {
		const struct rcpt *r = &bi->env->rcpts[i];
		char text[ERR_TEXT_MAX];

		if (!selected(r, bi->why))
			continue;
		clean(r->st.text != NULL ? r->st.text : "-", text,
		      sizeof(text));
		if (buf_printf(b, "  <%s>\r\n    ", r->addr) < 0
		    || (r->st.code > 0 && buf_printf(b, "%d ", r->st.code) < 0)
		    || buf_printf(b, "%s%s%s\r\n", r->st.enh,
				  r->st.enh[0] ? " " : "", text) < 0)
			return -1;
	}
	return 0;
}

/* status_part - the message/delivery-status part. */
static int
status_part(struct buf *b, const struct account *a,
	    const struct bounce_info *bi, const char *host)
{
	char arrival[64], now[64], st[ERR_ENH_MAX + 8], text[ERR_TEXT_MAX];
	size_t i;

	rfc5322_date(bi->created, arrival, sizeof(arrival));
	rfc5322_date(time(NULL), now, sizeof(now));
	if (buf_printf(b, "Content-Description: Delivery report\r\n"
			  "Content-Type: message/delivery-status\r\n\r\n"
			  "Reporting-MTA: dns; %s\r\n"
			  "X-Smtpsend-Queue-ID: %s\r\n"
			  "Arrival-Date: %s\r\n", host, bi->id, arrival) < 0)
		return -1;
	for (i = 0; i < bi->env->n; i++) {
		const struct rcpt *r = &bi->env->rcpts[i];

		if (!selected(r, bi->why))
			continue;
		status_of(r, bi->why, st, sizeof(st));
		clean(status_text(&r->st), text, sizeof(text));
		if (buf_printf(b, "\r\nFinal-Recipient: rfc822; %s\r\n"
				  "Action: failed\r\nStatus: %s\r\n", r->addr,
			       st) < 0
		    || (r->st.code > 0 && a->host != NULL
			&& buf_printf(b, "Remote-MTA: dns; %s\r\n"
					 "Diagnostic-Code: smtp; %d%s%s %s\r\n",
				      a->host, r->st.code,
				      r->st.enh[0] ? " " : "", r->st.enh,
				      text) < 0)
		    || buf_printf(b, "Last-Attempt-Date: %s\r\n", now) < 0)
			return -1;
	}
	return 0;
}

/* headers_part - the original headers, from orig_fd: complete lines up to
 * the empty line (or HEADERS_MAX), each ended with CRLF. */
static int
headers_part(struct buf *b, int orig_fd)
{
	char chunk[4096], line[1024];
	size_t len = 0, total = 0;
	ssize_t n, k;
	off_t off = 0;

	if (buf_printf(b, "Content-Description: Undelivered message headers"
			  "\r\nContent-Type: text/rfc822-headers\r\n\r\n") < 0)
		return -1;
	while (total < HEADERS_MAX
	       && (n = pread(orig_fd, chunk, sizeof(chunk), off)) > 0) {
		off += n;
		for (k = 0; k < n; k++) {
			char c = chunk[k];

			if (c == '\r')
				continue;
			if (c != '\n') {
				if (len + 1 < sizeof(line))
					line[len++] = c;
				continue;
			}
			if (len == 0)
				return 0;       /* the end of the headers */
			total += len + 2;
			if (total > HEADERS_MAX)
				return 0;
			if (buf_append(b, line, len) < 0
			    || buf_append(b, "\r\n", 2) < 0)
				return -1;
			len = 0;
		}
	}
	return 0;
}

/* compose - the whole report into b. */
static int
compose(struct buf *b, const struct account *a, const struct bounce_info *bi,
	int orig_fd)
{
	char date[64], host[256] = "localhost", bound[80];
	unsigned char rnd[8];
	const char *at = strrchr(bi->env->sender, '@'), *domain;

	/* this MTA is named as in its EHLO */
	if (a->domain != NULL)
		snprintf(host, sizeof(host), "%s", a->domain);
	else
		util_hostname(host, sizeof(host));
	domain = a->domain ? a->domain : at ? at + 1 : host;
	rfc5322_date(time(NULL), date, sizeof(date));
	random_bytes(rnd, sizeof(rnd));
	snprintf(bound, sizeof(bound), "=_report_%02x%02x%02x%02x%02x%02x%02x"
		 "%02x", rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5],
		 rnd[6], rnd[7]);
	if (buf_printf(b, "From: Mail Delivery System <%s%s%s>\r\n",
		       a->from ? a->from : "MAILER-DAEMON",
		       a->from ? "" : "@", a->from ? "" : domain) < 0
	    || buf_printf(b, "To: <%s>\r\n", bi->to) < 0
	    || buf_printf(b, "Subject: Undelivered mail returned to "
			     "sender\r\n") < 0
	    || buf_printf(b, "Date: %s\r\n", date) < 0
	    || buf_printf(b, "Message-ID: <%s.report@%s>\r\n", bi->id,
			  domain) < 0
	    || buf_printf(b, "Auto-Submitted: auto-replied\r\n"
			     "MIME-Version: 1.0\r\n"
			     "Content-Type: multipart/report; "
			     "report-type=delivery-status;\r\n"
			     "\tboundary=\"%s\"\r\n\r\n"
			     "This is a delivery report in MIME format.\r\n"
			     "\r\n--%s\r\n", bound, bound) < 0
	    || text_part(b, bi, host) < 0
	    || buf_printf(b, "\r\n--%s\r\n", bound) < 0
	    || status_part(b, a, bi, host) < 0
	    || buf_printf(b, "\r\n--%s\r\n", bound) < 0
	    || headers_part(b, orig_fd) < 0
	    || buf_printf(b, "\r\n--%s--\r\n", bound) < 0)
		return -1;
	return 0;
}

int
bounce_prepare(const struct account *a, const struct bounce_info *bi,
	       int orig_fd)
{
	struct buf b;
	struct err err;
	int fd;

	buf_init(&b, REPORT_MAX);
	fd = util_tmpfile(NULL, _("report"), &err);
	if (fd < 0 || compose(&b, a, bi, orig_fd) < 0
	    || util_write_all(fd, b.p, b.len) < 0
	    || lseek(fd, 0, SEEK_SET) < 0) {
		report_msg(_("%s: cannot write the delivery report"), bi->id);
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	buf_clear(&b);
	return fd;
}

void
bounce_deliver(const struct account *a, int fd, const char *id,
	       const char *to, struct transcript *tr)
{
	struct envelope e;
	struct message m;
	struct err err;

	msg_init(&m);
	envelope_init(&e, "");
	envelope_add(&e, to);
	if (msg_spool(&m, &(struct msg_input){ .fd = fd, .name = "report" },
		      NULL, &err) < 0) {
		report_error(&err);
		goto out;
	}
	deliver_attempt(a, &e, &m, tr, false);
	if (e.rcpts[0].state == RCPT_DELIVERED)
		log_notice(_("%s: a delivery report was sent to <%s>"), id,
			   to);
	else
		log_notice(_("%s: the delivery report to <%s> could not be "
			     "sent: %s"), id, to, status_text(&e.rcpts[0].st));
out:
	msg_clear(&m);
	envelope_clear(&e);
}
