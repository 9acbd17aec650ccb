/*
 * send.h - the send mode: one message from the caller to the server.
 *
 * The pipeline: read the header block; choose the account (by -a, by the
 * sender, the default); the envelope sender; the recipients (arguments,
 * -t, aliases, the mail domain, duplicates removed); the prepared header
 * block and the message spooled once (into the queue's tmp/ when the
 * queue is on, so that queueing is a rename); one delivery attempt; the
 * deferred recipients committed to the queue; the report, the log line
 * and the exit status.  "sendmail -bs" runs the same pipeline for each
 * message the caller hands over in an SMTP session on stdin/stdout.
 */
#ifndef SMTPSEND_SEND_H
#define SMTPSEND_SEND_H

#include "cli.h"

/* send_run - the send mode for cli; the exit status (report.h). */
int send_run(const struct cli *cli);

/* send_bs - sendmail -bs: an SMTP session with the caller on stdin and
 * stdout; the exit status. */
int send_bs(const struct cli *cli);

#endif
