/*
 * queuecmd.h - looking at and editing the queue: --queue-list (-bp, mailq),
 * --queue-show, --queue-remove, --queue-hold, --queue-release.
 */
#ifndef SMTPSEND_QUEUECMD_H
#define SMTPSEND_QUEUECMD_H

#include <stdbool.h>
#include <stdio.h>
#include "cli.h"
#include "queue.h"

/*
 * queuecmd_run - the queue mode of cli (--queue-flush, --queue-list,
 * --queue-show, --queue-remove, --queue-hold, --queue-release) on the
 * queue of the account cli would send with (its queue_dir; without a
 * configuration, the defaults).  Returns the exit status.
 */
int queuecmd_run(const struct cli *cli);

/* queuecmd_list - every entry (and those in failed/), as text or JSON;
 * returns the exit status. */
int queuecmd_list(struct queue *q, bool json, FILE *out);

/* queuecmd_show - one entry with the transcript of its last failed
 * attempt. */
int queuecmd_show(struct queue *q, const char *id, FILE *out);

/* queuecmd_remove - delete an entry (not while a flush works on it). */
int queuecmd_remove(struct queue *q, const char *id);

/* queuecmd_hold - hold (true) or release (false) an entry. */
int queuecmd_hold(struct queue *q, const char *id, bool hold);

#endif
