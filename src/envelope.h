/*
 * envelope.h - the sender, the recipients and what became of each.
 *
 * Every recipient starts PENDING and must end DELIVERED, DEFERRED or
 * FAILED, with the reply (or the local reason) that decided it and the
 * stage of the session where that happened: a session-level failure
 * settles every recipient still open (envelope_fail_open), and
 * report_exit_status() treats a recipient left undecided as an internal
 * error (70).
 */
#ifndef SMTPSEND_ENVELOPE_H
#define SMTPSEND_ENVELOPE_H

#include <stdbool.h>
#include <stddef.h>
#include "err.h"
#include "reply.h"

enum rcpt_state {
	RCPT_PENDING,           /* not yet tried in this session */
	RCPT_RETRY,             /* 452 too many recipients: next transaction */
	RCPT_ACCEPTED,          /* RCPT accepted, message not yet */
	RCPT_DELIVERED,         /* final: the server took responsibility */
	RCPT_DEFERRED,          /* final: temporary failure */
	RCPT_FAILED             /* final: permanent failure */
};

/* Where in the session a recipient's fate was decided. */
enum smtp_stage {
	STAGE_NONE,
	STAGE_CONNECT,
	STAGE_GREETING,
	STAGE_EHLO,
	STAGE_TLS,              /* STARTTLS or the TLS handshake */
	STAGE_AUTH,
	STAGE_MAIL,
	STAGE_RCPT,
	STAGE_DATA,
	STAGE_BODY,             /* end of data, or BDAT */
	STAGE_LOCAL             /* decided before sending (size limit, ...) */
};

/* A reply code (0 when none), enhanced code and printable text.  The
 * text is allocated (status_set_text), NULL when there is none: a list of
 * a thousand recipients is not a thousand times ERR_TEXT_MAX bytes. */
struct status {
	int code;
	char enh[ERR_ENH_MAX];
	char *text;
};

/* status_text - the text, "" when there is none. */
static inline const char *
status_text(const struct status *st)
{
	return st->text != NULL ? st->text : "";
}

/* status_set_text - the text (a copy of text, which the caller bounded to
 * ERR_TEXT_MAX - 1 bytes; "" frees it). */
void status_set_text(struct status *st, const char *text);

/* status_copy - src into dst (its text copied). */
void status_copy(struct status *dst, const struct status *src);

struct rcpt {
	char *addr;
	enum rcpt_state state;
	enum smtp_stage stage;
	struct status st;
	char queue_id[64];      /* the server's id for the message, if said */
	unsigned attempts;      /* delivery attempts that included it */
	char local_queue[64];   /* our queue entry, when it was queued */
};

struct envelope {
	char *sender;           /* "" for the null reverse-path */
	struct rcpt *rcpts;
	size_t n;
	size_t cap;             /* room in rcpts */
	struct status final;    /* the last end-of-data reply */
	char queue_id[64];      /* from the last end-of-data reply */
	struct err session;     /* the session-level failure, if any */
	/* RFC 3461 DSN requests (NULL: not asked for) */
	char *dsn_notify;       /* "NEVER" or e.g. "FAILURE,DELAY" */
	char *dsn_ret;          /* "FULL" or "HDRS" */
	char *dsn_envid;
	bool dsn_dropped;       /* the server offers no DSN: the requests
				   were not sent */
	bool message_rejected;  /* a 5xx to MAIL, DATA or the message */
	bool hold_on_config;    /* a queued entry (flush.c): a setting to
				   fix defers the recipients, even after a
				   permanent refusal such as 535 */
};

/* envelope_init / envelope_clear - empty envelope; free it. */
void envelope_init(struct envelope *e, const char *sender);
void envelope_clear(struct envelope *e);

/* envelope_drop_rcpts - no recipients left (the sender and requests
 * stay). */
void envelope_drop_rcpts(struct envelope *e);

/* envelope_set_sender - the sender (copied). */
void envelope_set_sender(struct envelope *e, const char *sender);

/* envelope_copy_request - src's sender and DSN requests into dst (whose
 * own are replaced). */
void envelope_copy_request(struct envelope *dst, const struct envelope *src);

/* envelope_add - add a recipient (copied), PENDING. */
void envelope_add(struct envelope *e, const char *addr);

/* envelope_reserve - room for n more recipients, in one allocation: a
 * list whose length is known is not grown (and copied) step by step. */
void envelope_reserve(struct envelope *e, size_t n);

/* envelope_dedup - keep only the first of recipients with the same
 * address (byte for byte), in linear time. */
void envelope_dedup(struct envelope *e);

/* envelope_set - set recipient r's state from a reply. */
void envelope_set_reply(struct rcpt *r, enum rcpt_state st,
			enum smtp_stage stage, const struct reply *reply);

/* envelope_set_err - set recipient r's state from an error. */
void envelope_set_err(struct rcpt *r, enum rcpt_state st,
		      enum smtp_stage stage, const struct err *err);

/*
 * envelope_fail_open - every recipient not yet final (PENDING, RETRY,
 * ACCEPTED) becomes DEFERRED (err temporary) or FAILED, with err.
 */
void envelope_fail_open(struct envelope *e, enum smtp_stage stage,
			const struct err *err);

/* envelope_count - how many recipients are in state st. */
size_t envelope_count(const struct envelope *e, enum rcpt_state st);

/* rcpt_state_name, smtp_stage_name - untranslated names for reports. */
const char *rcpt_state_name(enum rcpt_state st);
const char *smtp_stage_name(enum smtp_stage stage);

/*
 * reply_queue_id - find the server's queue id in the text of a final reply
 * ("queued as ABC123", "id=1abc-..."), copy it into dst (size n).  Returns
 * true when one was found.
 */
bool reply_queue_id(const char *text, char *dst, size_t n);

#endif
