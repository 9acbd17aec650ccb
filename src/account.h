/*
 * account.h - account profiles: what one submission server needs.
 *
 * An account is built in layers: built-in defaults, then the config file
 * (its "defaults" section, then the account itself and its parents), then
 * the command line.  Each layer only overrides the fields it sets; the
 * "set" mask records which fields a layer set, and "where" remembers the
 * file:line (or "command line") that set each one, for messages such as
 * "config:12: tls on: ...".  Every field is described once, in a table in
 * account.c (name, option name, type, bounds, the words of a choice
 * setting), which the config parser and the command line both use; the
 * operations on each type of value are in setting.c.  Choice settings
 * are enums here, and msmtp's other spellings of directives (keepbcc,
 * tls_nocertcheck, ...) are rows of a table in account.c too.
 */
#ifndef SMTPSEND_ACCOUNT_H
#define SMTPSEND_ACCOUNT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "err.h"

enum account_field {
	ACC_HOST,
	ACC_PORT,
	ACC_FROM,
	ACC_TIMEOUT,
	ACC_DOMAIN,
	ACC_SOURCE_IP,
	ACC_SOCKET,
	ACC_PROXY_HOST,
	ACC_PROXY_PORT,
	ACC_IP_FAMILY,
	ACC_TLS,
	ACC_TLS_STARTTLS,
	ACC_TLS_TRUST_FILE,
	ACC_TLS_CRL_FILE,
	ACC_TLS_FINGERPRINT,
	ACC_TLS_CERTCHECK,
	ACC_TLS_CERT_FILE,
	ACC_TLS_KEY_FILE,
	ACC_TLS_PRIORITIES,
	ACC_TLS_HOST_OVERRIDE,
	ACC_TLS_MIN_VERSION,
	ACC_TLS_MIN_DH_PRIME_BITS,
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
	ACC_BOUNCE_TO,
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
	ACC_PROTOCOL,
	ACC_OAUTH2_PROVIDER,
	ACC_OAUTH2_CLIENT_ID,
	ACC_OAUTH2_CLIENT_SECRET,
	ACC_OAUTH2_CLIENT_SECRET_EVAL,
	ACC_OAUTH2_TOKEN_ENDPOINT,
	ACC_OAUTH2_AUTHORIZATION_ENDPOINT,
	ACC_OAUTH2_DEVICE_ENDPOINT,
	ACC_OAUTH2_SCOPE,
	ACC_OAUTH2_TENANT,
	ACC_OAUTH2_TRUST_FILE,
	ACC_NFIELDS
};

#define ACCOUNT_WHERE_MAX 256

/* The "set" mask has a bit per field. */
_Static_assert(ACC_NFIELDS <= 64, "enum account_field outgrows the mask");

/* auth: off, on (the strongest method both sides have), or a mechanism. */
enum account_auth {
	AUTH_OFF,
	AUTH_ON,
	AUTH_SCRAM_SHA_256_PLUS,
	AUTH_SCRAM_SHA_256,
	AUTH_SCRAM_SHA_1_PLUS,
	AUTH_SCRAM_SHA_1,
	AUTH_PLAIN,
	AUTH_LOGIN,
	AUTH_CRAM_MD5,
	AUTH_EXTERNAL,
	AUTH_GSSAPI,
	AUTH_OAUTHBEARER,
	AUTH_XOAUTH2
};

/* set_from_header (auto, on, off); set_date_header and set_msgid_header
 * (auto, off): add the field when missing, always replace it, or never. */
enum header_policy { HDR_AUTO, HDR_ON, HDR_OFF };

/* set_to_header: off, or replace To/Cc/Bcc with "undisclosed-recipients:;"
 * (on and undisclosed_recipients both do). */
enum to_header { TO_HEADER_OFF, TO_HEADER_ON, TO_HEADER_UNDISCLOSED };

/* syslog: off, or the facility (on is LOG_USER). */
enum account_syslog {
	SYSLOG_OFF,
	SYSLOG_USER,
	SYSLOG_MAIL,
	SYSLOG_LOCAL0,
	SYSLOG_LOCAL1,
	SYSLOG_LOCAL2,
	SYSLOG_LOCAL3,
	SYSLOG_LOCAL4,
	SYSLOG_LOCAL5,
	SYSLOG_LOCAL6,
	SYSLOG_LOCAL7
};

/* tls_min_version: the oldest TLS version accepted. */
enum tls_version { TLSV_12, TLSV_13 };

/* protocol: SMTP, or LMTP (RFC 2033: LHLO, a reply per recipient after
 * the message). */
enum account_protocol { PROTO_SMTP, PROTO_LMTP };

/* oauth2_provider: none (smtpsend gets no token itself), or the endpoints
 * and scope of a known provider, or only those of the oauth2_* lines. */
enum oauth2_provider {
	OAUTH2_NONE,
	OAUTH2_GOOGLE,
	OAUTH2_MICROSOFT,
	OAUTH2_CUSTOM
};

/* The addresses of the host (or of the proxy) that may be used: any, only
 * IPv4 (-4) or only IPv6 (-6). */
enum ip_family { IPF_ANY, IPF_V4, IPF_V6 };

/* The port of a SOCKS proxy when proxy_port is not set (RFC 1928 3). */
#define ACCOUNT_PROXY_PORT 1080

/* dsn_return (RFC 3461 4.3): not asked for, RET=HDRS or RET=FULL. */
enum dsn_return { DSN_RET_OFF, DSN_RET_HDRS, DSN_RET_FULL };

struct account {
	char *name;             /* NULL for the command-line layer */
	char *host;
	int port;               /* 0: the default for the TLS mode */
	char *from;
	int timeout;            /* seconds; 0: off (RFC 5321 defaults) */
	char *domain;           /* EHLO name; NULL: this host's name */
	char *source_ip;        /* the local address to connect from */
	char *socket;           /* a Unix-domain socket to connect to instead
				   of host and port (and the proxy) */
	char *proxy_host;       /* a SOCKS5 proxy, or NULL */
	int proxy_port;         /* 0: ACCOUNT_PROXY_PORT */
	enum ip_family ip_family;
	bool tls;
	bool tls_starttls;
	char *tls_trust_file;   /* NULL or "system": the system store */
	char *tls_crl_file;     /* revoked certificates (PEM CRLs), or NULL */
	char *tls_fingerprint;  /* SHA-256, "AA:BB:..." */
	bool tls_certcheck;
	char *tls_cert_file;
	char *tls_key_file;
	char *tls_priorities;
	char *tls_host_override;
	enum tls_version tls_min_version;
	int tls_min_dh_prime_bits;      /* 0: GnuTLS's own minimum */
	enum account_auth auth;
	char *user;
	char *password;         /* wiped when freed */
	char *passwordeval;
	bool queue;             /* keep deferred recipients in the queue */
	char *queue_dir;        /* NULL: the default */
	long retry_min;         /* seconds */
	long retry_max;
	long queue_max_age;
	bool bounce;            /* mail delivery reports (bounce.h) */
	char *bounce_to;        /* to this address, not the sender; NULL */
	char *dsn_notify;       /* NULL: not asked for; else RFC 3461 4.1's
				   NEVER, or SUCCESS/FAILURE/DELAY in a
				   comma list, upper case */
	enum dsn_return dsn_return;
	char *aliases;          /* the aliases file, or NULL */
	enum header_policy set_from_header;
	enum header_policy set_date_header;     /* auto | off */
	enum header_policy set_msgid_header;    /* auto | off */
	enum to_header set_to_header;
	bool remove_bcc_headers;
	char *from_full_name;
	char *maildomain;       /* qualifies bare local names */
	bool allow_from_override; /* -f may replace from */
	char *logfile;          /* a line per message; "-": stdout */
	char *logfile_time_format; /* strftime; "none": no time */
	enum account_syslog syslog;
	char *fallback_hosts;   /* "host[:port] ..." tried in turn */
	enum account_protocol protocol;
	/* OAuth2 (oauth2.h): how smtpsend gets the access token itself */
	enum oauth2_provider oauth2_provider;
	char *oauth2_client_id;
	char *oauth2_client_secret;             /* wiped when freed */
	char *oauth2_client_secret_eval;
	char *oauth2_token_endpoint;            /* https:// URLs */
	char *oauth2_authorization_endpoint;
	char *oauth2_device_endpoint;
	char *oauth2_scope;
	char *oauth2_tenant;                    /* Microsoft: common, ... */
	char *oauth2_trust_file;        /* NULL: the system store */
	uint64_t set;           /* bit f: enum account_field f was set */
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

/* account_port - the port to use: the set one, else none (0) for LMTP, 587
 * for SMTP, or 465 for SMTP when TLS is on without STARTTLS. */
int account_port(const struct account *a);

/* account_proxy_port - the port of the SOCKS proxy: the set one, else
 * ACCOUNT_PROXY_PORT. */
int account_proxy_port(const struct account *a);

/*
 * account_check - whether a is complete and consistent: a host (or a
 * socket, whose path must fit a Unix-domain socket address; TLS then
 * checks the certificate against the host or tls_host_override, so one of
 * them is needed unless certificate checks are off or a fingerprint is
 * pinned), an IP-literal host of the family -4/-6 allow, a key file
 * with a certificate file and the other way round, a client certificate
 * and TLS for auth external.  (A user name may still come from ~/.netrc,
 * so its absence is found when authenticating.)  Returns 0, or -1 with err
 * (ERR_CONFIG) naming the setting and where it was set.
 */
int account_check(const struct account *a, struct err *err);

/* Where a setting comes from when an option gave it: stored as is and
 * translated only when shown (account_where), so that setting it costs
 * no locale (i18n.h). */
extern const char account_where_cli[];
#define ACCOUNT_WHERE_CLI account_where_cli

/* account_where - where field f was set, for people: "file:12", or
 * "command line" in the user's language. */
const char *account_where(const struct account *a, enum account_field f);

/*
 * account_set - set field f from the text value (a config argument or an
 * option value), recording where.  Returns 0, or -1 with err (ERR_CONFIG)
 * saying what is wrong with the value (the caller adds file:line).  On
 * failure the field is left as it was.
 */
int account_set(struct account *a, enum account_field f, const char *value,
		const char *where, struct err *err);

/*
 * account_set_directive - set what the config directive name says from
 * its argument value (empty when there is none), recording where: a
 * field's own name, or one of msmtp's other spellings (keepbcc,
 * tls_nocertcheck, add_missing_from_header, connect_timeout...), which
 * are mapped here.  Returns the field set (>= 0), or -1 with err
 * (ERR_CONFIG) whose text lacks only the location: 'unknown directive
 * "NAME"', '"NAME" takes no argument' or "NAME: what is wrong".
 */
int account_set_directive(struct account *a, const char *name,
			  const char *value, const char *where,
			  struct err *err);

/*
 * account_field_lookup - the field that the directive name sets with its
 * value taken as given: a field's own name, or a plain other spelling
 * (connect_timeout).  -1 for any other name, including the spellings that
 * map their value (keepbcc, tls_nocertcheck, ...).
 */
int account_field_lookup(const char *name);

/* account_field_name - the directive name of field f. */
const char *account_field_name(enum account_field f);

/* account_field_directive - whether the configuration file may set field
 * f under its name (ip_family, for one, is set by -4 and -6 only). */
bool account_field_directive(enum account_field f);

/* account_field_option - the long option of field f ("tls-trust-file"),
 * or NULL when the field cannot be set on the command line. */
const char *account_field_option(enum account_field f);

/* account_alias_name - the i-th of msmtp's other spellings of a setting
 * ("keepbcc", "tls_nocertcheck", ...; account_set_directive takes them),
 * NULL past the last; *needs_value tells whether it needs a value. */
const char *account_alias_name(size_t i, bool *needs_value);

/* account_field_bare - whether f may be given without a value, which
 * then means on ("--tls", "--auth", "--syslog", as in msmtp). */
bool account_field_bare(enum account_field f);

/* account_value_ok - whether value is a valid value of f. */
bool account_value_ok(enum account_field f, const char *value);

/* account_print_field - "directive value" of field f, in config syntax:
 * account_set takes the value back (secrets print no value). */
void account_print_field(const struct account *a, enum account_field f,
			 FILE *out);

/* account_describe - print every field of a (secrets masked) to out.  A
 * field that is not set and has a text in dflt (indexed by field; dflt
 * may be NULL) shows that text, marked "(default)". */
void account_describe(const struct account *a, const char *const *dflt,
		      FILE *out);

/* account_log_stdout - whether the log file is standard output ("-"). */
bool account_log_stdout(const struct account *a);

/*
 * account_log_time_format - the strftime format of the log file's time
 * stamps: logfile_time_format, by default msmtp's "%b %d %H:%M:%S"; NULL
 * for "none" (no time stamp).
 */
const char *account_log_time_format(const struct account *a);

/*
 * The words of choice settings, for the modules that need them (static
 * strings):
 * account_auth_name - the config word of auth ("off", "on", "plain").
 * account_auth_mech - the SASL name of the mechanism ("PLAIN"), or NULL
 *   for off and on.
 * account_dsn_return_name - the RET keyword (RFC 3461 4.3: "HDRS",
 *   "FULL"), or NULL for off.
 * account_syslog_name - the facility ("LOG_MAIL"), or NULL for off.
 */
const char *account_auth_name(enum account_auth v);
const char *account_auth_mech(enum account_auth v);
const char *account_dsn_return_name(enum dsn_return v);
const char *account_syslog_name(enum account_syslog v);

#endif
