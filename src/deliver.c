/*
 * deliver.c - one delivery attempt (RFC 5321 3.1-3.3, 4.1.4 order of
 * commands, 3.8 421 handling).
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"
#include "deliver.h"
#include "gettext.h"
#include "net.h"
#include "smtp.h"
#include "txn.h"

/* fail_session - every open recipient takes err; remember it. */
static void
fail_session(struct envelope *e, enum smtp_stage stage, const struct err *err)
{
	envelope_fail_open(e, stage, err);
	e->session = *err;
	if (!err->temp && stage <= STAGE_EHLO)
		e->message_rejected = true;
}

void
deliver_attempt(const struct account *a, struct envelope *e,
		const struct message *m, struct transcript *tr)
{
	char helo[300];
	struct smtp_timeouts to;
	struct smtp_session s;
	struct conn *conn = NULL;
	struct err err;
	char peer[64];
	int fd = -1, port = account_port(a);
	enum smtp_stage stage;
	bool more;

	err_clear(&err);
	smtp_timeouts_set(&to, a->timeout);
	transcript_note(tr, "connecting to %s port %d", a->host, port);
	if (net_connect(a->host, port, to.connect, &fd, peer, sizeof(peer),
			&err) < 0) {
		transcript_note(tr, "%s", err.text);
		fail_session(e, STAGE_CONNECT, &err);
		return;
	}
	transcript_note(tr, "connected to %s port %d", peer, port);
	conn = conn_new(fd);
	smtp_init(&s, conn, tr, &to);
	if (a->domain != NULL)
		snprintf(helo, sizeof(helo), "%s", a->domain);
	else
		net_helo_name(fd, helo, sizeof(helo));

	if (smtp_greeting(&s, &err) < 0) {
		fail_session(e, STAGE_GREETING, &err);
		goto quit;
	}
	if (smtp_ehlo(&s, helo, &err) < 0) {
		fail_session(e, STAGE_EHLO, &err);
		goto quit;
	}
	if (tr != NULL && tr->out != NULL) {
		char caps[256];
		caps_describe(&s.caps, caps, sizeof(caps));
		transcript_note(tr, "server capabilities: %s",
				caps[0] ? caps : "(none)");
	}
	do {
		if (txn_run(&s, e, m, &more, &stage, &err) < 0) {
			fail_session(e, stage, &err);
			goto quit;
		}
	} while (more);
quit:
	/* after a lost connection there is nobody to say QUIT to */
	if (err.cls != ERR_NET && err.code != 421 && err.cls != ERR_PROTO)
		smtp_quit(&s);
	conn_free(conn);
}
