/*
 * smtp.h - the SMTP session: greeting, EHLO/HELO, commands and replies,
 * QUIT.  Protocol only; what a failure means for the recipients is decided
 * by deliver.c and txn.c.  The same session speaks LMTP (RFC 2033) when
 * lmtp is set: LHLO instead of EHLO, and (txn.c) a reply per recipient
 * after the message.
 */
#ifndef SMTPSEND_SMTP_H
#define SMTPSEND_SMTP_H

#include <stdbool.h>
#include "buf.h"
#include "caps.h"
#include "conn.h"
#include "envelope.h"
#include "err.h"
#include "reply.h"
#include "transcript.h"

/*
 * Timeouts in milliseconds.  The defaults are RFC 5321 4.5.3.2's: 5 minutes
 * for the greeting, MAIL and RCPT, 2 for DATA, 3 per data block, 10 for the
 * end of data.  A configured timeout replaces all of them.
 */
struct smtp_timeouts {
	int connect;
	int greeting;
	int command;            /* EHLO, HELO, MAIL, RCPT, RSET */
	int data_init;
	int data_block;
	int data_end;
	int quit;
};

/* smtp_timeouts_set - RFC defaults when seconds is 0, else all = seconds. */
void smtp_timeouts_set(struct smtp_timeouts *t, int seconds);

/* A pipelined group of commands must fit (RFC 2920 does not bound it; a
 * large recipient list is sent in several groups). */
#define SMTP_GROUP_MAX (256 * 1024)

struct smtp_session {
	struct conn *conn;
	struct transcript *tr;          /* may be NULL */
	struct smtp_timeouts to;
	struct caps caps;
	bool lmtp;                      /* LMTP (RFC 2033), not SMTP */
	bool esmtp;                     /* EHLO (or LHLO) succeeded */
	bool quit_sent;
	bool broken;                    /* the connection is in no state
					   for a polite QUIT */
	char server_name[256];          /* from the greeting */
	char greeting[512];             /* its first line */
	char helo[300];                 /* the name sent with EHLO */
	struct tls_creds *creds;        /* loaded once connected, before
					   anything is sent */
	bool hold_open;                 /* more messages follow: no QUIT
					   pipelined after the last dot */
	bool rset_first;                /* the next transaction starts with
					   RSET (pipelined with MAIL) */
	long long started;              /* util_now_ms() when connecting
					   began: the greeting's timeout
					   counts from there */
	enum smtp_stage quit_after;     /* STAGE_MAIL or STAGE_RCPT: a
					   transaction ends with that
					   step (--quit-after) */
};

/*
 * smtp_init - a session over conn (borrowed) with trace tr (borrowed, may
 * be NULL).
 */
void smtp_init(struct smtp_session *s, struct conn *conn,
	       struct transcript *tr, const struct smtp_timeouts *to);

/*
 * smtp_read_reply - read one complete reply within timeout_ms: the limit
 * is for the whole reply, however many lines it has and however slowly
 * they come.  Returns 0, or -1 with err: ERR_NET, ERR_PROTO.  what names
 * the command the reply answers, for error texts ("after MAIL FROM:
 * ..."), untranslated: it is translated only when an error says it (a
 * run that succeeds sets up no locale, i18n.h).
 */
int smtp_read_reply(struct smtp_session *s, struct reply *r, int timeout_ms,
		    const char *what, struct err *err);

/* smtp_write - send bytes (one or more command lines), traced. */
int smtp_write(struct smtp_session *s, const char *data, size_t n,
	       int timeout_ms, struct err *err);

/* smtp_write_redacted - send data, but trace shown instead (secrets). */
int smtp_write_redacted(struct smtp_session *s, const char *data, size_t n,
			const char *shown, int timeout_ms, struct err *err);

/*
 * smtp_greeting - read the 220 greeting, which must have come within the
 * greeting timeout of s->started (connect and greeting as a whole; when
 * started is 0, of now).  Returns 0, or -1 with err:
 * ERR_NET, ERR_PROTO, ERR_REJECT (the reply's code: 4xx temporary, 5xx
 * permanent).
 */
int smtp_greeting(struct smtp_session *s, struct err *err);

/*
 * smtp_ehlo - EHLO name, falling back to HELO when EHLO is answered 500 or
 * 502 (RFC 5321 4.1.4: the server does not know ESMTP); capabilities set.
 * With s->lmtp, LHLO name and no fallback (RFC 2033 4.1).  Errors as
 * smtp_greeting.
 */
int smtp_ehlo(struct smtp_session *s, const char *name, struct err *err);

struct tls_config;
struct tls_info;

/*
 * smtp_starttls - STARTTLS (RFC 3207): the server must offer it and answer
 * 220 with nothing after the reply; then the TLS handshake (tls_start) and
 * every capability forgotten - the caller sends EHLO again.  Returns 0, or
 * -1 with err: ERR_TLS (not offered: temporary; refused: the reply's code
 * decides; bytes after the 220; handshake or verification), ERR_NET.
 */
int smtp_starttls(struct smtp_session *s, const struct tls_config *cfg,
		  struct tls_info *info, struct err *err);

/*
 * smtp_quit - end the session politely: send QUIT unless already sent
 * (pipelined after the last message), read the reply briefly, ignore
 * failures (the mail is already decided).
 */
void smtp_quit(struct smtp_session *s);

#endif
