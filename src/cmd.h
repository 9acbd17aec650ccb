/*
 * cmd.h - running a command of the user's (passwordeval, the eval
 * directive) and reading the first line it prints.
 *
 * The command runs under /bin/sh -c with standard input /dev/null,
 * standard output a pipe to us, standard error inherited, and no other
 * descriptor of ours (nothing open in smtpsend leaks into it).  Its
 * output is read to its end but at most max bytes; the first line must
 * end within them.  It gets CMD_TIMEOUT_MS to finish; then it is killed.
 * While it runs, a SIGTERM, SIGINT or SIGHUP to smtpsend kills it too
 * (sig.h).  Error texts never repeat the command, which may hold a
 * secret: the caller says where it was set.
 */
#ifndef SMTPSEND_CMD_H
#define SMTPSEND_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include "buf.h"
#include "err.h"

/* How long a command may run (an interactive unlock of a password
 * store included). */
#define CMD_TIMEOUT_MS (120 * 1000)

/*
 * cmd_first_line - run cmd and put the first line of its output, without
 * the line end (LF or CRLF), into out (emptied first; give it a secret
 * buffer when the line is a secret).  At most max bytes of output are
 * read; reading stops there, and the command is then stopped and its
 * status not looked at.  timeout_ms 0 means CMD_TIMEOUT_MS.  Returns 0,
 * or -1 with err of class cls (temporary as temp): the shell cannot be
 * run, "exit status N", "killed by signal N", "did not finish within N
 * s", a first line longer than max bytes.
 */
int cmd_first_line(const char *cmd, size_t max, int timeout_ms,
		   enum err_class cls, bool temp, struct buf *out,
		   struct err *err);

#endif
