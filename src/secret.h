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

#endif
