/*
 * flush.h - --queue-flush: try the queued messages that are due.
 *
 * Entries are taken oldest first; held ones and, unless forced, those not
 * yet due are left alone.  Each entry is locked without waiting (a busy one
 * belongs to another flush and is skipped).  Entries of the same account
 * share one connection: AUTH once, then the messages one after another
 * with RSET pipelined before each further MAIL; with PIPELINING and
 * CHUNKING, small messages go ahead of the replies to the previous ones
 * (up to 64 in flight, each reply applied to the message it answers).
 * Right after the final reply to each message its ID.env is rewritten (or
 * the entry removed), and msg/ is synced once per batch (group commit):
 * a crash can repeat the messages in flight and, after a power cut, those
 * recorded since the last sync, and never loses one.  Entries past
 * queue_max_age move to failed/ with a notice.  With "bounce on", the
 * sender (or bounce_to) gets a delivery report (bounce.h) for those and
 * for recipients refused for good, sent once the group's connection is
 * closed.  A configuration problem (err.config) holds the entries it
 * meets (held.h); a held entry whose configuration file has changed is
 * tried as if released.  Each attempt is logged (log_message) as a
 * direct send is.
 */
#ifndef SMTPSEND_FLUSH_H
#define SMTPSEND_FLUSH_H

#include <stdbool.h>
#include "account.h"
#include "queue.h"
#include "retry.h"
#include "transcript.h"

/* The account an entry is to be sent through, or NULL with err. */
typedef struct account *(*flush_resolve_fn)(const struct queue_entry *qe,
					    void *arg, struct err *err);

struct flush_opts {
	bool force;             /* ignore the schedule (not the holds) */
	bool verbose;           /* trace sessions on stderr */
	flush_resolve_fn resolve;
	void *arg;
	const char *const *ids; /* nids > 0: only these entries, due or not */
	size_t nids;
};

/*
 * flush_run - flush q.  Prints a line on stderr for every recipient that
 * fails permanently and every entry given up; nothing for entries that are
 * only deferred again, unless o->ids named them.  Returns the exit status:
 * 0, 74 when the queue itself cannot be read or written, 78 when an
 * entry's account cannot be found; with o->ids, 66 when one of them is
 * not waiting in the queue, 75 when one is held or being delivered by
 * another process (those are not sent; the others are).
 */
int flush_run(struct queue *q, const struct flush_opts *o);

/* flush_entry_policy - the retry policy of account a. */
void flush_policy(const struct account *a, struct retry_policy *p);

#endif
