/*
 * sig.h - what a fatal signal must not leave behind.
 *
 * When smtpsend is told to stop (SIGTERM, SIGINT, SIGHUP), the spool
 * copy of a message that is not yet in the queue is removed and a command
 * it runs (passwordeval, eval) is stopped and reaped; then smtpsend dies
 * of the same signal, so that its caller sees why.  A message already
 * committed to the queue is never touched.  The handler only uses
 * async-signal-safe calls.
 */
#ifndef SMTPSEND_SIG_H
#define SMTPSEND_SIG_H

#include <stdbool.h>
#include <sys/types.h>

/* sig_init - install the handlers (once, early in main). */
void sig_init(void);

/* sig_watch_child - the command running now (0: none); group: it leads a
 * process group of its own, which is stopped whole. */
void sig_watch_child(pid_t pid, bool group);

/*
 * sig_watch_file - the file name (relative to the directory dirfd) to
 * remove on a fatal signal, or dirfd -1 for none.  The name is copied;
 * names longer than 127 bytes are not watched.
 */
void sig_watch_file(int dirfd, const char *name);

#endif
