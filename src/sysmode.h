/*
 * sysmode.h - system mode: smtpsend as the machine's sendmail.
 *
 * The system configuration ($(sysconfdir)/smtpsendrc) holds the accounts
 * every local user and daemon may send through; their credentials are
 * readable only by root and the group smtpsend.  The system queue is
 * $(localstatedir)/spool/smtpsend: incoming/ and drop/, where the setgid
 * helper smtpsend-drop writes messages (drop.h); queue/, an ordinary
 * queue (queue.h) of the system user smtpsend, who owns the spool; and
 * refused/, where drop files that fail the checks are moved aside.
 *
 * A send goes through the system queue when nothing else could send it:
 * no -C, no --host, no configuration file of the user's own, and a system
 * file that exists but that the user may not read.  Everyone else (root,
 * the system user, a user with an account of their own, a system file
 * readable by all) sends as before, at once, with every recipient's
 * result.
 */
#ifndef SMTPSEND_SYSMODE_H
#define SMTPSEND_SYSMODE_H

#include <stdbool.h>

#define SYSMODE_CONFIG SYSCONFDIR "/smtpsendrc"
#define SYSMODE_SPOOL SPOOLDIR
#define SYSMODE_HELPER PKGLIBEXECDIR "/smtpsend-drop"

struct cli;

/* sysmode_wanted - whether the send of cli goes through the system queue
 * (the rule above). */
bool sysmode_wanted(const struct cli *cli);

/*
 * sysmode_submit - hand the message of cli (standard input, or --data
 * FILE opened with the user's rights) to smtpsend-drop with the options
 * that matter, by exec: its exit status becomes smtpsend's.  Returns an
 * exit status only when that cannot be done (64: an option the system
 * queue cannot honour; 66: --data FILE; 78: no helper), having said why.
 */
int sysmode_submit(const struct cli *cli);

/* sysmode_is_flusher - whether this process runs as the owner of the
 * drop directory (the system user; never root): its --queue-flush picks
 * up the drop files, and its queue is the system queue. */
bool sysmode_is_flusher(void);

/* sysmode_queue_dir - the default queue directory: the system queue for
 * the system user, else queue_default_dir() (allocated; NULL: none). */
char *sysmode_queue_dir(void);

/* sysmode_flush - --queue-flush: for the system user, the drop files
 * first (pickup_run), then the queue (queuecmd_run); the exit status. */
int sysmode_flush(const struct cli *cli);

#endif
