/*
 * bounce.h - delivery reports: the sender learns of every recipient that
 * failed for good.
 *
 * A report is an RFC 3464 multipart/report (RFC 6522): a text part for
 * people, a message/delivery-status part with a field block per recipient,
 * and the original message's headers (text/rfc822-headers).  It is sent
 * from the null reverse-path, never queued, and never about a message that
 * itself came from the null reverse-path: a report cannot cause a report,
 * so loops are impossible (RFC 5321 4.5.5, RFC 3834).
 *
 * Reports are composed while the original message is at hand (before its
 * entry is removed) and sent later, on a connection of their own.
 */
#ifndef SMTPSEND_BOUNCE_H
#define SMTPSEND_BOUNCE_H

#include <stddef.h>
#include <time.h>
#include "account.h"
#include "envelope.h"
#include "transcript.h"

/* Which recipients a report is about. */
enum bounce_why {
	BOUNCE_FAILED,          /* refused for good in this attempt */
	BOUNCE_EXPIRED          /* still deferred when the entry is given up */
};

/* What a report says about the message. */
struct bounce_info {
	const char *id;                 /* the queue entry (or a new id) */
	time_t created;                 /* when it was submitted */
	unsigned attempts;              /* delivery attempts made */
	const struct envelope *env;     /* sender and recipients */
	enum bounce_why why;
	const char *to;                 /* bounce_address */
};

/*
 * bounce_address - where the report about a message from sender goes
 * through account a: a's bounce_to, else the sender; NULL when none is
 * sent (bounce off, or the null sender: a report about a report).
 */
const char *bounce_address(const struct account *a, const char *sender);

/* bounce_count - how many recipients of env why selects. */
size_t bounce_count(const struct envelope *env, enum bounce_why why);

/*
 * bounce_prepare - the report described by bi, with the headers of the
 * original message read from orig_fd (from offset 0, at most 64 KiB, line
 * ends made CRLF), written to a new unlinked temporary file.  Returns its
 * descriptor positioned at 0 (the caller closes it), or -1 after saying
 * on standard error why it could not be written.
 */
int bounce_prepare(const struct account *a, const struct bounce_info *bi,
		   int orig_fd);

/*
 * bounce_deliver - send the report in fd (from bounce_prepare) to the
 * address to, through account a, once, from the null reverse-path; the
 * outcome goes to standard error and the mail log (log_notice).  id names
 * the original message.
 */
void bounce_deliver(const struct account *a, int fd, const char *id,
		    const char *to, struct transcript *tr);

#endif
