/*
 * oauth2_store.h - the OAuth2 token store: one file per grant under the
 * state directory, $XDG_STATE_HOME/smtpsend/oauth2/KEY (else
 * ~/.local/state/smtpsend/oauth2/KEY); the key (oauth2_store_key in
 * oauth2_int.h) names the mailbox and the client, so that accounts that
 * share both (an account and "account default : it") share the token.
 * "account" below is that key.
 *
 * The directory is made with mode 0700 and used only when it is no
 * symbolic link, belongs to the effective user and nobody else may write
 * it (as the queue directory).  A file holds the refresh token, the
 * access token and when that expires, as "key value" lines after a
 * version line; it is written with mode 0600 to a temporary file,
 * fsync'd and renamed over the old one (then the directory fsync'd), so
 * that a crash leaves the old file or the new one, never a broken one.
 * It is checked completely before anything in it is used.  Tokens are
 * secrets: wiped when freed, never printed.
 */
#ifndef SMTPSEND_OAUTH2_STORE_H
#define SMTPSEND_OAUTH2_STORE_H

#include <stddef.h>
#include "err.h"

/* The longest token kept (Microsoft's access tokens are a few KiB). */
#define OAUTH2_TOKEN_MAX (16 * 1024)

/* The largest token file read. */
#define OAUTH2_STORE_MAX (64 * 1024)

struct oauth2_token {
	char *refresh;          /* a secret, or NULL */
	char *access;           /* a secret, or NULL */
	long long expires;      /* when access ends (time(2)); 0: unknown */
};

/* oauth2_token_clear - wipe and free t's tokens (t itself stays). */
void oauth2_token_clear(struct oauth2_token *t);

/* oauth2_token_valid - whether s is a token smtpsend keeps: 1 to
 * OAUTH2_TOKEN_MAX visible ASCII characters (RFC 6750 2.1's b64token and
 * RFC 6749 A.17 allow no more). */
int oauth2_token_valid(const char *s);

/*
 * oauth2_store_parse - the n bytes of a token file into *t (pure; t
 * starts empty).  Returns 0, or -1 with err (ERR_CONFIG, permanent)
 * saying what is wrong, t then empty.  A file without a refresh token
 * is wrong.
 */
int oauth2_store_parse(const char *text, size_t n, struct oauth2_token *t,
		       struct err *err);

/*
 * oauth2_store_load - the token file of account into *t (t starts
 * empty).  Returns 1, 0 when there is none, or -1 with err: ERR_IO
 * (temporary) for the directory or a read error, ERR_CONFIG for a file
 * that is not a regular file of ours or readable by others; -2 with
 * err (ERR_CONFIG) for a file whose content is broken.
 */
int oauth2_store_load(const char *account, struct oauth2_token *t,
		      struct err *err);

/*
 * oauth2_store_save - replace the token file of account with t (which
 * needs a refresh token) atomically; the caller holds the account's lock
 * (oauth2_store_lock).  Returns 0, or -1 with err (ERR_IO,
 * temporary); the old file is then intact.
 */
int oauth2_store_save(const char *account, const struct oauth2_token *t,
		      struct err *err);

/* oauth2_store_remove - remove the token file of account.  Returns 1, 0
 * when there was none, -1 with err (ERR_IO). */
int oauth2_store_remove(const char *account, struct err *err);

/*
 * oauth2_store_lock - take the account's lock (ACCOUNT.lock, flock),
 * which serialises refreshes between processes, waiting at most
 * wait_s seconds.  Returns the descriptor to pass to
 * oauth2_store_unlock, or -1 with err (ERR_IO, temporary).
 */
int oauth2_store_lock(const char *account, int wait_s, struct err *err);
void oauth2_store_unlock(int fd);

/* oauth2_store_path - where the token file of account is (for
 * messages): out of size n. */
void oauth2_store_path(const char *account, char *out, size_t n);

#endif
