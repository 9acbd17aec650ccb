/*
 * smtp.c - SMTP session (RFC 5321 3.1 greeting, 4.1.1.1 EHLO/HELO,
 * 4.1.1.10 QUIT, 4.5.3.2 timeouts; RFC 1869/5321 fallback to HELO;
 * RFC 2033 4.1 LHLO).
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "gettext.h"
#include "smtp.h"
#include "tls.h"
#include "util.h"

void
smtp_timeouts_set(struct smtp_timeouts *t, int seconds)
{
	if (seconds > 0) {
		int ms = seconds * 1000;
		t->connect = t->greeting = t->command = t->data_init = ms;
		t->data_block = t->data_end = t->quit = ms;
		return;
	}
	t->connect = 60 * 1000;
	t->greeting = 5 * 60 * 1000;
	t->command = 5 * 60 * 1000;
	t->data_init = 2 * 60 * 1000;
	t->data_block = 3 * 60 * 1000;
	t->data_end = 10 * 60 * 1000;
	t->quit = 30 * 1000;
}

void
smtp_init(struct smtp_session *s, struct conn *conn, struct transcript *tr,
	  const struct smtp_timeouts *to)
{
	memset(s, 0, sizeof(*s));
	s->conn = conn;
	s->tr = tr;
	s->to = *to;
}

/* read_until - one complete reply by the time deadline. */
static int
read_until(struct smtp_session *s, struct reply *r, long long deadline,
	   int timeout_ms, const char *what, struct err *err)
{
	const char *line;
	size_t len;
	enum reply_status st;

	reply_init(r);
	do {
		if (conn_getline(s->conn, deadline, timeout_ms, &line, &len,
				 err) < 0) {
			err_prefix(err, _(what));
			return -1;
		}
		transcript_received(s->tr, line, len);
		st = reply_feed(r, line, len, err);
		if (st == REPLY_INVALID) {
			err_prefix(err, _(what));
			return -1;
		}
	} while (st != REPLY_DONE);
	return 0;
}

int
smtp_read_reply(struct smtp_session *s, struct reply *r, int timeout_ms,
		const char *what, struct err *err)
{
	return read_until(s, r, timeout_ms > 0 ? util_now_ms() + timeout_ms : 0,
			  timeout_ms, what, err);
}

int
smtp_write(struct smtp_session *s, const char *data, size_t n, int timeout_ms,
	   struct err *err)
{
	transcript_sent(s->tr, data, n);
	return conn_write(s->conn, data, n, timeout_ms, err);
}

int
smtp_write_redacted(struct smtp_session *s, const char *data, size_t n,
		    const char *shown, int timeout_ms, struct err *err)
{
	transcript_secret(s->tr, data, n, shown, strlen(shown));
	return conn_write_secret(s->conn, data, n, timeout_ms, err);
}

/* refuse - turn a non-2xx reply into an error. */
static void
refuse(const struct reply *r, struct err *err)
{
	char text[ERR_TEXT_MAX];

	reply_oneline(r, text, sizeof(text));
	err_set_reply(err, r->code, r->enh, text);
}

int
smtp_greeting(struct smtp_session *s, struct err *err)
{
	struct reply r;
	size_t len;
	long long from = s->started > 0 ? s->started : util_now_ms();

	if (read_until(s, &r, s->to.greeting > 0 ? from + s->to.greeting : 0,
		       s->to.greeting, N_("greeting"), err) < 0)
		return -1;
	if (r.code != 220) {
		refuse(&r, err);
		return -1;
	}
	reply_first_line(&r, s->greeting, sizeof(s->greeting));
	len = strcspn(r.text, " \n");
	if (len >= sizeof(s->server_name))
		len = sizeof(s->server_name) - 1;
	memcpy(s->server_name, r.text, len);
	s->server_name[len] = '\0';
	return 0;
}

int
smtp_ehlo(struct smtp_session *s, const char *name, struct err *err)
{
	const char *verb = s->lmtp ? "LHLO" : "EHLO";
	struct reply r;
	char cmd[512];
	int n;

	caps_clear(&s->caps);
	s->esmtp = false;
	n = snprintf(cmd, sizeof(cmd), "%s %s\r\n", verb, name);
	if (n < 0 || (size_t)n >= sizeof(cmd)) {
		/* TRANSLATORS: %s is the command, EHLO or LHLO */
		err_set(err, ERR_CONFIG, false, _("%s name too long"), verb);
		return -1;
	}
	if (smtp_write(s, cmd, (size_t)n, s->to.command, err) < 0
	    || smtp_read_reply(s, &r, s->to.command, verb, err) < 0)
		return -1;
	if (r.code == 250) {
		s->esmtp = true;
		caps_parse(&s->caps, &r);
		return 0;
	}
	/* an LMTP server knows LHLO: there is nothing to fall back to */
	if (s->lmtp || (r.code != 500 && r.code != 502)) {
		refuse(&r, err);
		return -1;
	}
	n = snprintf(cmd, sizeof(cmd), "HELO %s\r\n", name);
	if (smtp_write(s, cmd, (size_t)n, s->to.command, err) < 0
	    || smtp_read_reply(s, &r, s->to.command, "HELO", err) < 0)
		return -1;
	if (r.code != 250) {
		refuse(&r, err);
		return -1;
	}
	return 0;
}

void
smtp_quit(struct smtp_session *s)
{
	struct reply r;
	struct err err;

	if (!s->quit_sent) {
		if (smtp_write(s, "QUIT\r\n", 6, s->to.quit, &err) < 0)
			return;
		s->quit_sent = true;
	}
	(void)smtp_read_reply(s, &r, s->to.quit, "QUIT", &err);
}

int
smtp_starttls(struct smtp_session *s, const struct tls_config *cfg,
	      struct tls_info *info, struct err *err)
{
	struct reply r;

	if (!(s->caps.flags & CAP_STARTTLS)) {
		err_set(err, ERR_TLS, true,
			_("the server does not offer STARTTLS; with \"tls on\" "
			  "nothing is sent without TLS"));
		return -1;
	}
	if (smtp_write(s, "STARTTLS\r\n", 10, s->to.command, err) < 0
	    || smtp_read_reply(s, &r, s->to.command, "STARTTLS", err) < 0)
		return -1;
	if (r.code != 220) {
		refuse(&r, err);
		err->cls = ERR_TLS;
		err_prefix(err, _("STARTTLS refused"));
		return -1;
	}
	/* RFC 3207 5 and the STARTTLS command injection attack: whatever the
	 * server sent after its 220 came in the clear and must not be taken
	 * for a reply inside TLS */
	if (conn_pending(s->conn) > 0) {
		err_set(err, ERR_TLS, true,
			_("the server sent %zu bytes after its 220 reply to "
			  "STARTTLS, before TLS (a command injection "
			  "attempt?); "
			  "session aborted"), conn_pending(s->conn));
		s->broken = true;
		return -1;
	}
	if (tls_start(s->conn, cfg, s->to.greeting, info, err) < 0) {
		/* nothing more is said on a session that failed: not even
		 * QUIT over TLS to a server whose certificate was refused */
		s->broken = true;
		return -1;
	}
	/* RFC 3207 4.2: forget everything learnt before TLS */
	caps_clear(&s->caps);
	s->esmtp = false;
	return 0;
}
