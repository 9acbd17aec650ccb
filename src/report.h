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

/* report_err_status - the exit status for a failure before any delivery
 * (usage, config, data, I/O). */
int report_err_status(const struct err *err);

/* report_print - print e's outcome in mode to out (stderr or stdout). */
void report_print(const struct envelope *e, enum report_mode mode,
		  int exit_status, FILE *out);

/* report_json_string - write s as a JSON string (quoted, escaped). */
void report_json_string(FILE *out, const char *s);

#endif
