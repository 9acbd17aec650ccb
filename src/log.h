/*
 * log.h - one line per message: to the account's logfile and/or syslog.
 *
 * The line says where the message went and what became of it, in msmtp's
 * key=value style, extended with each recipient's outcome:
 *   host=smtp.example.org tls=on auth=on user=alice from=alice@example.org
 *   recipients=bob@example.net,carol@example.net mailsize=1234
 *   delivered=bob@example.net deferred=carol@example.net queued=ID
 *   smtpstatus=250 smtpmsg='250 2.0.0 Ok: queued as 4XyZ' exitcode=EX_OK
 * Server text is made printable and single quotes in it are escaped.
 */
#ifndef SMTPSEND_LOG_H
#define SMTPSEND_LOG_H

#include <sys/types.h>
#include "account.h"
#include "envelope.h"

/* log_message - write the line to a's logfile (appended under a lock,
 * with the time in logfile_time_format) and to syslog when a asks for it;
 * a failure to log is reported on stderr and changes nothing else. */
void log_message(const struct account *a, const struct envelope *e,
		 off_t size, int status);

/* log_notice - a line on standard error and in the mail log (syslog,
 * LOG_MAIL, LOG_NOTICE): what a flush did that someone must learn of. */
void log_notice(const char *fmt, ...) ATTR_PRINTF(1, 2);

#endif
