/*
 * held.h - queue entries held for a configuration problem.
 *
 * A certificate that does not verify, a password the server refuses, a
 * host name that does not exist, a passwordeval that fails (err.config):
 * trying again every few minutes cannot help.  The message is kept, but
 * its entry is held with the reason and a stamp of its configuration
 * file; a person learns of it at once (stderr, the mail log, a non-zero
 * exit in a terminal), and it is tried again after --queue-release, or by
 * a flush once the configuration file has changed.
 */
#ifndef SMTPSEND_HELD_H
#define SMTPSEND_HELD_H

#include <stdbool.h>
#include <stddef.h>
#include "err.h"
#include "queue.h"

/* held_mark - hold qe for the configuration problem why: Hold, Hold-Reason
 * (why's text) and Hold-Config (the stamp of qe->config now). */
void held_mark(struct queue_entry *qe, const struct err *why);

/* held_clear - qe no longer held, and no reason kept. */
void held_clear(struct queue_entry *qe);

/* held_config_changed - whether qe is held for a configuration problem
 * and its configuration file has changed since (a flush tries it). */
bool held_config_changed(const struct queue_entry *qe);

/* held_tell - say on stderr and in the mail log that the entry id is held
 * for why, with a hint at the fix and the command that retries it. */
void held_tell(const char *id, const struct err *why);

/* held_person - whether a person runs smtpsend: standard input or
 * standard error is a terminal (then a held message exits 78). */
bool held_person(void);

#endif
