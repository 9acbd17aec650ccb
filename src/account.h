/*
 * account.h - account profiles: what one submission server needs.
 *
 * An account is built in layers: built-in defaults, then the config file
 * (its "defaults" section, then the account itself and its parents), then
 * the command line.  Each layer only overrides the fields it sets; the
 * "set" mask records which fields a layer set, and "where" remembers the
 * file:line (or "command line") that set each one, for messages such as
 * "config:12: tls on: ...".  Every field is described once, in a table in
 * account.c (name, type, option name), which the config parser and the
 * command line both use.
 */
#ifndef SMTPSEND_ACCOUNT_H
#define SMTPSEND_ACCOUNT_H

#include <stdbool.h>
#include <stdio.h>
#include "err.h"

enum account_field {
	ACC_HOST,
	ACC_PORT,
	ACC_FROM,
	ACC_TIMEOUT,
	ACC_DOMAIN,
	ACC_TLS,
	ACC_TLS_STARTTLS,
	ACC_TLS_TRUST_FILE,
	ACC_TLS_FINGERPRINT,
	ACC_TLS_CERTCHECK,
	ACC_TLS_CERT_FILE,
	ACC_TLS_KEY_FILE,
	ACC_TLS_PRIORITIES,
	ACC_TLS_HOST_OVERRIDE,
	ACC_TLS_MIN_VERSION,
	ACC_AUTH,
	ACC_USER,
	ACC_PASSWORD,
	ACC_PASSWORDEVAL,
	ACC_QUEUE,
	ACC_QUEUE_DIR,
	ACC_RETRY_MIN,
	ACC_RETRY_MAX,
	ACC_QUEUE_MAX_AGE,
	ACC_BOUNCE,
	ACC_DSN_NOTIFY,
	ACC_DSN_RETURN,
	ACC_ALIASES,
	ACC_SET_FROM_HEADER,
	ACC_SET_DATE_HEADER,
	ACC_SET_MSGID_HEADER,
	ACC_SET_TO_HEADER,
	ACC_REMOVE_BCC_HEADERS,
	ACC_FROM_FULL_NAME,
	ACC_MAILDOMAIN,
	ACC_ALLOW_FROM_OVERRIDE,
	ACC_LOGFILE,
	ACC_LOGFILE_TIME_FORMAT,
	ACC_SYSLOG,
	ACC_FALLBACK_HOSTS,
	ACC_NFIELDS
};

#define ACCOUNT_WHERE_MAX 256

enum tls_version { TLSV_DEFAULT = 0, TLSV_12 = 12, TLSV_13 = 13 };

struct account {
	char *name;             /* NULL for the command-line layer */
	char *host;
	int port;               /* 0: the default for the TLS mode */
	char *from;
	int timeout;            /* seconds; 0: off (RFC 5321 defaults) */
	char *domain;           /* EHLO name; NULL: this host's name */
	bool tls;
	bool tls_starttls;
	char *tls_trust_file;   /* NULL or "system": the system store */
	char *tls_fingerprint;  /* SHA-256, "AA:BB:..." */
	bool tls_certcheck;
	char *tls_cert_file;
	char *tls_key_file;
	char *tls_priorities;
	char *tls_host_override;
	int tls_min_version;    /* enum tls_version */
	char *auth;             /* "off", "on" or a mechanism (lower case) */
	char *user;
	char *password;         /* wiped when freed */
	char *passwordeval;
	bool queue;             /* keep deferred recipients in the queue */
	char *queue_dir;        /* NULL: the default */
	long retry_min;         /* seconds */
	long retry_max;
	long queue_max_age;
	bool bounce;            /* mail a report to the sender on expiry */
	char *dsn_notify;       /* NULL: not asked for */
	char *dsn_return;
	char *aliases;          /* the aliases file, or NULL */
	char *set_from_header;  /* auto | on | off */
	char *set_date_header;  /* auto | off */
	char *set_msgid_header; /* auto | off */
	char *set_to_header;    /* off | on | undisclosed_recipients */
	bool remove_bcc_headers;
	char *from_full_name;
	char *maildomain;       /* qualifies bare local names */
	bool allow_from_override; /* -f may replace from */
	char *logfile;          /* a line per message; "-": stdout */
	char *logfile_time_format; /* strftime; "none": no time */
	char *syslog;           /* NULL/off, on, or a facility LOG_MAIL */
	char *fallback_hosts;   /* "host[:port] ..." tried in turn */
	unsigned long set;      /* 1 << enum account_field */
	char where[ACC_NFIELDS][ACCOUNT_WHERE_MAX];
};

/* account_new - an empty account called name (copied; may be NULL). */
struct account *account_new(const char *name);

/* account_free - free a (secrets wiped); a may be NULL. */
void account_free(struct account *a);

/* account_defaults - the built-in defaults: TLS on with STARTTLS and
 * certificate checks, auth off. */
void account_defaults(struct account *a);

/*
 * account_merge - copy every field that src sets into dst (strings copied),
 * with its "where".  dst's set mask gains src's.
 */
void account_merge(struct account *dst, const struct account *src);

/* account_is_set - whether field f was set. */
bool account_is_set(const struct account *a, enum account_field f);

/*
 * account_next_host - the next "host[:port]" word ("[IPv6]:port" for an
 * IPv6 literal) of a fallback_hosts list at *p, which it advances: host
 * (size n) gets the name, *port the port or 0.  Returns 1, 0 at the end
 * of the list, -1 when the word is malformed (a bad port, an unclosed
 * '[', a name that does not fit).
 */
int account_next_host(const char **p, char *host, size_t n, int *port);

/* account_port - the port to use: the set one, else 587, or 465 when TLS
 * is on without STARTTLS. */
int account_port(const struct account *a);

/*
 * account_check - whether a is complete and consistent: a host, a key file
 * with a certificate file and the other way round, a client certificate
 * and TLS for auth external.  (A user name may still come from ~/.netrc,
 * so its absence is found when authenticating.)  Returns 0, or -1 with err (ERR_CONFIG) naming
 * the setting and where it was set.
 */
int account_check(const struct account *a, struct err *err);

/*
 * account_set - set field f from the text value (a config argument or an
 * option value), recording where.  Returns 0, or -1 with err (ERR_CONFIG)
 * saying what is wrong with the value (the caller adds file:line).
 */
int account_set(struct account *a, enum account_field f, const char *value,
		const char *where, struct err *err);

/*
 * account_field_by_name - the field a config directive names (msmtp's
 * names and their aliases), or -1.  *value_override is set to a fixed
 * value for legacy directives that take none ("tls_nocertcheck" means
 * tls_certcheck off), to "(negate)" for one whose on/off is inverted
 * (keepbcc), to "(on)VALUE" for an old boolean whose on means VALUE
 * (add_missing_from_header on = set_from_header auto), else NULL.
 */
int account_field_by_name(const char *name, const char **value_override);

/* account_field_name - the directive name of field f. */
const char *account_field_name(enum account_field f);

/* account_field_option - the long option of field f ("tls-trust-file"),
 * or NULL when the field cannot be set on the command line. */
const char *account_field_option(enum account_field f);

/* account_print_field - "directive value" of field f, in config syntax
 * (secrets print no value). */
void account_print_field(const struct account *a, enum account_field f,
			 FILE *out);

/*
 * account_expand_from - from with msmtp's patterns replaced: %U the user
 * ($USER, $LOGNAME, or the login name), %H the host name ($HOSTNAME or the
 * system's), %C its canonical name, %M the content of /etc/mailname.
 * Allocated.
 */
char *account_expand_from(const char *from);

/*
 * account_from_matches - whether the envelope sender matches an account's
 * from (after account_expand_from): equal, a shell wildcard pattern (*, ?,
 * [...]), or equal once "+detail" is taken off the sender's local part;
 * case-insensitive.
 */
bool account_from_matches(const char *from, const char *sender);

/* account_describe - print every field of a (secrets masked) to out. */
void account_describe(const struct account *a, FILE *out);

#endif
