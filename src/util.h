/*
 * util.h - small helpers several modules share: a monotonic clock for
 * deadlines and a poll bounded by one, a write that finishes or fails,
 * unlinked temporary files, the home directory and ~ expansion, the host
 * name, no core dumps, and closing inherited descriptors.
 */
#ifndef SMTPSEND_UTIL_H
#define SMTPSEND_UTIL_H

#include <stddef.h>

/* util_now_ms - milliseconds of CLOCK_MONOTONIC (for deadlines only). */
long long util_now_ms(void);

/*
 * util_poll - wait until fd is ready for events (POLLIN, POLLOUT) or the
 * deadline (a util_now_ms() time; 0: none) passes; EINTR is retried.
 * Returns 1 when ready, 0 when the deadline has passed, -1 with errno.
 */
int util_poll(int fd, short events, long long deadline);

/* util_write_all - write all n bytes of p to fd (EINTR retried).
 * Returns 0, or -1 with errno. */
int util_write_all(int fd, const void *p, size_t n);

/*
 * util_tmpfile - a new, empty, already unlinked file in dir (NULL: $TMPDIR,
 * else /tmp), open for reading and writing: nothing is left behind,
 * whatever happens to the process.  what names the file in messages
 * ("spool file").  Returns the descriptor, or -1 with err (ERR_IO).
 */
struct err;
int util_tmpfile(const char *dir, const char *what, struct err *err);

/*
 * util_home - the user's home directory: $HOME when it is set and not
 * empty, else the home of the real uid's passwd entry (a cleared
 * environment: env -i, cron, PHP-FPM); NULL when neither is known.
 * util_passwd_home - the passwd entry's home alone (absolute), or NULL.
 * Both point to storage that the next call may change.
 */
const char *util_home(void);
const char *util_passwd_home(void);

/* util_expand_home - path with a leading "~/" (or a lone "~") replaced by
 * util_home(), allocated; a copy when it has none; NULL when it has one
 * and no home is known. */
char *util_expand_home(const char *path);

/* util_mkdirs - mkdir -p path, mode 0700 for the directories it makes;
 * 0, or -1 with errno. */
int util_mkdirs(const char *path);

/* util_state_dir - smtpsend's state directory, $XDG_STATE_HOME/smtpsend
 * (an absolute XDG_STATE_HOME only), else ~/.local/state/smtpsend with
 * $HOME; allocated; NULL when neither is set. */
char *util_state_dir(void);

/* util_hostname - this host's name (gethostname), "localhost" when it
 * has none, into out (size n, NUL-terminated). */
void util_hostname(char *out, size_t n);

/* util_no_core_dumps - make the process non-dumpable (no core file, no
 * ptrace by other processes of the user) before any secret is read. */
void util_no_core_dumps(void);

/* util_close_from - close every descriptor from fd up (in a child about
 * to exec: nothing of ours leaks into the command). */
void util_close_from(int fd);

#endif
