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
 * configuration, the defaults).  --queue-remove=all removes every entry
 * but those another process holds locked (named on stderr; status 0)
 * and prints the count.  Returns the exit status.
 */
int queuecmd_run(const struct cli *cli);

#endif
