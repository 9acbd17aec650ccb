/*
 * bounce.h - the non-delivery report for a queue entry given up.
 */
#ifndef SMTPSEND_BOUNCE_H
#define SMTPSEND_BOUNCE_H

#include "account.h"
#include "queue.h"
#include "transcript.h"

/*
 * bounce_send - compose the report and send it once through account a with
 * the null reverse-path (RFC 5321 4.5.5: reports never cause reports);
 * says on stderr when it could not be sent.
 */
void bounce_send(const struct account *a, const struct queue_entry *qe,
		 int orig_fd, struct transcript *tr);

#endif
