/*
 * secret.h - where passwords (and OAuth tokens) come from.
 *
 * In order: the account's "password"; the first line printed by its
 * "passwordeval" command (run with standard input closed); the ~/.netrc
 * entry for the host; a prompt without echo on the terminal, when one is
 * present and standard input is not the message.  Secrets are returned in
 * memory the caller wipes with xfree_secret(); they never reach argv, the
 * transcript or the logs.
 */
#ifndef SMTPSEND_SECRET_H
#define SMTPSEND_SECRET_H

#include <stdbool.h>
#include "account.h"
#include "err.h"

/* A token or password line longer than this is refused. */
#define SECRET_MAX (64 * 1024)

/*
 * secret_password - the password for a.  *user is the user name to use: a's
 * "user", else the login of the matching ~/.netrc entry (allocated, may stay
 * NULL).  allow_prompt permits asking on /dev/tty.  Returns 0 with
 * *password allocated, or -1 with err: ERR_AUTH (a passwordeval command
 * failed - temporary: a locked keyring may be unlocked later; no password
 * anywhere - permanent).
 */
int secret_password(const struct account *a, bool allow_prompt, char **user,
		    char **password, struct err *err);

/*
 * secret_eval - run cmd (cmd_first_line) and return the first line it
 * prints (without its line end), allocated.  where says where the command
 * was set ("file:12", "command line"): errors name it, never the command.
 * Returns 0, or -1 with err (ERR_AUTH, temporary: a locked keyring may be
 * unlocked later).
 */
int secret_eval(const char *cmd, const char *where, char **out,
		struct err *err);

/*
 * secret_netrc - look up host (and user, when not NULL) in the netrc file
 * path.  Returns 1 with *login and/or *password allocated (each may be
 * NULL), 0 when there is no entry, -1 with err (ERR_CONFIG) when the file
 * cannot be read, or when it gives a password but is not the user's own
 * private file (mode 0600).
 */
int secret_netrc(const char *path, const char *host, const char *user,
		 char **login, char **password, struct err *err);

#endif
