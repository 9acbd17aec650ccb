/*
 * account.h - account profiles: what one submission server needs.
 *
 * An account is built in layers: built-in defaults, then the config file
 * (its "defaults" section, then the account itself and its parents), then
 * the command line.  Each layer only overrides the fields it sets; the
 * "set" mask records which fields a layer set, and "where" remembers the
 * file:line (or "command line") that set each one, for messages such as
 * "config:12: tls on: ...".
 */
#ifndef SMTPSEND_ACCOUNT_H
#define SMTPSEND_ACCOUNT_H

#include <stdbool.h>
#include "err.h"

enum account_field {
	ACC_HOST,
	ACC_PORT,
	ACC_FROM,
	ACC_TIMEOUT,
	ACC_DOMAIN,
	ACC_TLS,
	ACC_TLS_STARTTLS,
	ACC_AUTH,
	ACC_NFIELDS
};

#define ACCOUNT_WHERE_MAX 256

struct account {
	char *name;             /* NULL for the command-line layer */
	char *host;
	int port;               /* 0: the default for the TLS mode */
	char *from;
	int timeout;            /* seconds; 0: off (RFC 5321 defaults) */
	char *domain;           /* EHLO name; NULL: this host's name */
	bool tls;
	bool tls_starttls;
	char *auth;             /* "off", "on" or a mechanism name */
	unsigned long set;      /* 1 << enum account_field */
	char where[ACC_NFIELDS][ACCOUNT_WHERE_MAX];
};

/* account_new - an empty account called name (copied; may be NULL). */
struct account *account_new(const char *name);

/* account_free - free a, which may be NULL. */
void account_free(struct account *a);

/* account_defaults - the built-in defaults (tls on, STARTTLS, auth off). */
void account_defaults(struct account *a);

/*
 * account_merge - copy every field that src sets into dst (strings copied),
 * with its "where".  dst's set mask gains src's.
 */
void account_merge(struct account *dst, const struct account *src);

/* account_is_set - whether field f was set. */
bool account_is_set(const struct account *a, enum account_field f);

/* account_port - the port to use: the set one, else 587, or 465 when TLS
 * is on without STARTTLS. */
int account_port(const struct account *a);

/*
 * account_check - whether a is complete and usable with this version: a
 * host, and only settings this version can honour.  Returns 0, or -1 with
 * err (ERR_CONFIG) naming the setting and where it was set.
 */
int account_check(const struct account *a, struct err *err);

/*
 * account_set - set field f from the text value (a config argument or an
 * option value), recording where.  Returns 0, or -1 with err (ERR_CONFIG)
 * saying what is wrong with the value (the caller adds file:line).
 */
int account_set(struct account *a, enum account_field f, const char *value,
		const char *where, struct err *err);

#endif
