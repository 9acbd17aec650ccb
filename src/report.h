/*
 * report.h - what smtpsend tells its caller: one line per recipient (text
 * or JSON) and the exit status.  The table that maps outcomes to sysexits(3)
 * statuses lives here and nowhere else.
 */
#ifndef SMTPSEND_REPORT_H
#define SMTPSEND_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include "envelope.h"
#include "err.h"

enum report_mode {
	REPORT_FAILURES,        /* default: a line for each recipient that was
				   not delivered, on stderr */
	REPORT_TEXT,            /* --report: a line for every recipient */
	REPORT_JSON             /* --report=json: one JSON object */
};

/*
 * report_exit_status - the exit status for e's outcome:
 *   0   every recipient delivered;
 *   75  some recipient deferred (not queued): EX_TEMPFAIL, or 76
 *       EX_PROTOCOL when the session failed on a protocol violation, or
 *       77 EX_NOPERM when it failed on TLS verification or policy
 *       (certificate, no STARTTLS offered) or on authentication - but not
 *       on a server's 4xx to STARTTLS or AUTH;
 *   77  recipients failed because authentication or TLS failed;
 *   69  the message itself was permanently refused (greeting, EHLO, MAIL,
 *       DATA, end of data, or the server's size limit) and no recipient
 *       got it: EX_UNAVAILABLE;
 *   67  some recipients permanently refused: EX_NOUSER.
 * Deferral wins over failure: the caller must keep the message.
 */
int report_exit_status(const struct envelope *e);

/* report_probe_status - the same for a session that ended early
 * (--quit-after): recipients ACCEPTED at RCPT or still PENDING count as
 * a success. */
int report_probe_status(const struct envelope *e);

/* report_err_status - the exit status for a failure before any delivery
 * (usage, config, data, I/O), or of a session that sends nothing
 * (--serverinfo). */
int report_err_status(const struct err *err);

/* report_outcome - the exit status of a mode whose work returned rc: EX_OK
 * for 0, else err is reported (report_error) and its status returned. */
int report_outcome(int rc, const struct err *err);

/* report_error - "smtpsend: TEXT" on standard error. */
void report_error(const struct err *err);

/* report_hint - "smtpsend: hint: ..." on standard error, when err has a
 * hint (err_hint); report_error prints it too. */
void report_hint(const struct err *err);

/* report_msg - "smtpsend: ..." on standard error. */
void report_msg(const char *fmt, ...) ATTR_PRINTF(1, 2);

/* report_warning - "smtpsend: warning: ..." on standard error. */
void report_warning(const char *fmt, ...) ATTR_PRINTF(1, 2);

/* report_dsn_dropped - the warning for an envelope whose DSN requests
 * the server could not take (e->dsn_dropped): the message went without
 * them. */
void report_dsn_dropped(void);

/*
 * report_smtp_reply - the reply sendmail -bs gives its client for the
 * outcome of one message (*code and text, size n, "X.Y.Z text"): 451
 * when a recipient is deferred and not queued (the client keeps the
 * message), the refusal when no recipient got it, else 250 ("queued as
 * ID", or "delivered" with "(queued as ID)" when the server named its
 * id).  Returns whether some recipients failed while the
 * message was accepted for others (the caller tells of them elsewhere).
 */
bool report_smtp_reply(const struct envelope *e, int *code, char *text,
		       size_t n);

/* report_smtp_error - the reply for a failure before delivery: 451 when
 * it is temporary, else 554. */
void report_smtp_error(const struct err *err, int *code, char *text,
		       size_t n);

/* report_print - print e's outcome in mode to out (stderr or stdout). */
void report_print(const struct envelope *e, enum report_mode mode,
		  int exit_status, FILE *out);

/* report_json_string - write s as a JSON string (quoted, escaped). */
void report_json_string(FILE *out, const char *s);

#endif
