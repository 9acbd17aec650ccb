/*
 * account.c - account profiles (see account.h): the table of fields, with
 * msmtp's other spellings; layering; the words of choice settings (RFC
 * 3461 4.3 for dsn_return, RFC 4422 3.1 for the SASL mechanism names).
 */
#include <config.h>

#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "account.h"
#include "gettext.h"
#include "setting.h"
#include "xalloc.h"

/* The choice settings are kept in enums and read and written as int. */
_Static_assert(sizeof(enum account_auth) == sizeof(int)
	       && sizeof(enum header_policy) == sizeof(int)
	       && sizeof(enum to_header) == sizeof(int)
	       && sizeof(enum account_syslog) == sizeof(int)
	       && sizeof(enum tls_version) == sizeof(int)
	       && sizeof(enum dsn_return) == sizeof(int)
	       && sizeof(enum account_protocol) == sizeof(int)
	       && sizeof(enum ip_family) == sizeof(int)
	       && sizeof(enum oauth2_provider) == sizeof(int),
	       "a choice setting is not an int");

#define FIELD_BIT(f) ((uint64_t)1 << (f))

static const struct setting_word auth_words[] = {
	{ "off", AUTH_OFF, false }, { "on", AUTH_ON, false },
	{ "", AUTH_ON, false },
	{ "scram-sha-256-plus", AUTH_SCRAM_SHA_256_PLUS, true },
	{ "scram-sha-256", AUTH_SCRAM_SHA_256, true },
	{ "scram-sha-1-plus", AUTH_SCRAM_SHA_1_PLUS, true },
	{ "scram-sha-1", AUTH_SCRAM_SHA_1, true },
	{ "plain", AUTH_PLAIN, true }, { "login", AUTH_LOGIN, true },
	{ "cram-md5", AUTH_CRAM_MD5, true },
	{ "external", AUTH_EXTERNAL, true }, { "gssapi", AUTH_GSSAPI, true },
	{ "oauthbearer", AUTH_OAUTHBEARER, true },
	{ "xoauth2", AUTH_XOAUTH2, true },
	{ NULL, 0, false }
};

/* The SASL names of the mechanisms (RFC 4422 3.1). */
static const char *const auth_mechs[] = {
	[AUTH_SCRAM_SHA_256_PLUS] = "SCRAM-SHA-256-PLUS",
	[AUTH_SCRAM_SHA_256] = "SCRAM-SHA-256",
	[AUTH_SCRAM_SHA_1_PLUS] = "SCRAM-SHA-1-PLUS",
	[AUTH_SCRAM_SHA_1] = "SCRAM-SHA-1",
	[AUTH_PLAIN] = "PLAIN", [AUTH_LOGIN] = "LOGIN",
	[AUTH_CRAM_MD5] = "CRAM-MD5", [AUTH_EXTERNAL] = "EXTERNAL",
	[AUTH_GSSAPI] = "GSSAPI", [AUTH_OAUTHBEARER] = "OAUTHBEARER",
	[AUTH_XOAUTH2] = "XOAUTH2",
};

static const struct setting_word tlsver_words[] = {
	{ "tls1.2", TLSV_12, false }, { "tls1.3", TLSV_13, false },
	{ NULL, 0, false }
};

static const struct setting_word dsn_return_words[] = {
	{ "off", DSN_RET_OFF, false }, { "", DSN_RET_OFF, false },
	{ "HDRS", DSN_RET_HDRS, true }, { "FULL", DSN_RET_FULL, true },
	{ "headers", DSN_RET_HDRS, true },
	{ NULL, 0, false }
};

static const struct setting_word syslog_words[] = {
	{ "off", SYSLOG_OFF, false },
	{ "LOG_USER", SYSLOG_USER, false }, { "LOG_MAIL", SYSLOG_MAIL, false },
	{ "LOG_LOCAL0", SYSLOG_LOCAL0, false },
	{ "LOG_LOCAL1", SYSLOG_LOCAL1, false },
	{ "LOG_LOCAL2", SYSLOG_LOCAL2, false },
	{ "LOG_LOCAL3", SYSLOG_LOCAL3, false },
	{ "LOG_LOCAL4", SYSLOG_LOCAL4, false },
	{ "LOG_LOCAL5", SYSLOG_LOCAL5, false },
	{ "LOG_LOCAL6", SYSLOG_LOCAL6, false },
	{ "LOG_LOCAL7", SYSLOG_LOCAL7, false },
	{ "on", SYSLOG_USER, false }, { "", SYSLOG_USER, false },
	{ NULL, 0, false }
};

static const struct setting_word from_header_words[] = {
	{ "auto", HDR_AUTO, false }, { "on", HDR_ON, false },
	{ "off", HDR_OFF, false }, { "", HDR_ON, false },
	{ NULL, 0, false }
};

/* set_date_header and set_msgid_header: "on" (msmtp's older boolean
 * spelling) and nothing mean auto */
static const struct setting_word autooff_words[] = {
	{ "auto", HDR_AUTO, false }, { "off", HDR_OFF, false },
	{ "on", HDR_AUTO, false }, { "", HDR_AUTO, false },
	{ NULL, 0, false }
};

static const struct setting_word to_header_words[] = {
	{ "off", TO_HEADER_OFF, false }, { "on", TO_HEADER_ON, false },
	{ "undisclosed_recipients", TO_HEADER_UNDISCLOSED, false },
	{ "", TO_HEADER_ON, false },    /* msmtp: alone means on */
	{ NULL, 0, false }
};

static const struct setting_word protocol_words[] = {
	{ "smtp", PROTO_SMTP, false }, { "lmtp", PROTO_LMTP, false },
	{ NULL, 0, false }
};

static const struct setting_word ip_family_words[] = {
	{ "any", IPF_ANY, false }, { "ipv4", IPF_V4, false },
	{ "ipv6", IPF_V6, false },
	{ NULL, 0, false }
};

static const struct setting_word oauth2_provider_words[] = {
	{ "off", OAUTH2_NONE, false }, { "google", OAUTH2_GOOGLE, true },
	{ "microsoft", OAUTH2_MICROSOFT, true },
	{ "custom", OAUTH2_CUSTOM, true },
	{ NULL, 0, false }
};

static const struct setting_choices auth_choices = {
	auth_words, N_("authentication method"), NULL, -1
};
static const struct setting_choices tlsver_choices = {
	tlsver_words, N_("TLS version"), N_("tls1.2 or tls1.3"), -1
};
static const struct setting_choices dsn_return_choices = {
	dsn_return_words, N_("DSN return"), N_("off, headers or full"),
	DSN_RET_OFF
};
static const struct setting_choices syslog_choices = {
	syslog_words, N_("syslog value"),
	N_("on, off, LOG_USER, LOG_MAIL or LOG_LOCAL0 to LOG_LOCAL7"),
	SYSLOG_OFF
};
static const struct setting_choices protocol_choices = {
	protocol_words, N_("value"), N_("smtp or lmtp"), -1
};
static const struct setting_choices from_header_choices = {
	from_header_words, N_("value"), N_("auto, on or off"), -1
};
static const struct setting_choices autooff_choices = {
	autooff_words, N_("value"), N_("auto or off"), -1
};
static const struct setting_choices to_header_choices = {
	to_header_words, N_("value"), N_("off, on or undisclosed_recipients"),
	-1
};

static const struct setting_choices oauth2_provider_choices = {
	oauth2_provider_words, N_("OAuth2 provider"),
	N_("off, google, microsoft or custom"), OAUTH2_NONE
};

static const struct setting_choices ip_family_choices = {
	ip_family_words, N_("address family"), N_("any, ipv4 or ipv6"), -1
};

static const struct setting fields[ACC_NFIELDS] = {
#define ROW(id, name, opt, type, m, min, max, ch) \
	[id] = { name, opt, type, offsetof(struct account, m), \
		 sizeof(((struct account *)0)->m), min, max, ch }
#define F(id, name, opt, type, m) ROW(id, name, opt, type, m, 0, 0, NULL)
#define N(id, name, opt, type, m, min, max) \
	ROW(id, name, opt, type, m, min, max, NULL)
#define C(id, name, opt, m, ch) ROW(id, name, opt, ST_CHOICE, m, 0, 0, &ch)
	F(ACC_HOST, "host", "host", ST_HOST, host),
	N(ACC_PORT, "port", "port", ST_PORT, port, 1, 65535),
	F(ACC_FROM, "from", NULL, ST_ADDR, from),
	N(ACC_TIMEOUT, "timeout", "timeout", ST_TIMEOUT, timeout, 1, 86400),
	F(ACC_DOMAIN, "domain", "domain", ST_DOMAIN, domain),
	F(ACC_SOURCE_IP, "source_ip", "source-ip", ST_IP, source_ip),
	F(ACC_SOCKET, "socket", "socket", ST_PATH, socket),
	F(ACC_PROXY_HOST, "proxy_host", "proxy-host", ST_OPT_HOST, proxy_host),
	N(ACC_PROXY_PORT, "proxy_port", "proxy-port", ST_INT, proxy_port, 1,
	  65535),
	/* -4 and -6 (cli.c); no directive: msmtp has none */
	[ACC_IP_FAMILY] = { "ip_family", NULL, ST_CHOICE,
			    offsetof(struct account, ip_family),
			    sizeof(enum ip_family), 0, 0, &ip_family_choices,
			    true },
	F(ACC_TLS, "tls", "tls", ST_BOOL, tls),
	F(ACC_TLS_STARTTLS, "tls_starttls", "tls-starttls", ST_BOOL,
	  tls_starttls),
	F(ACC_TLS_TRUST_FILE, "tls_trust_file", "tls-trust-file", ST_PATH,
	  tls_trust_file),
	F(ACC_TLS_CRL_FILE, "tls_crl_file", "tls-crl-file", ST_PATH,
	  tls_crl_file),
	F(ACC_TLS_FINGERPRINT, "tls_fingerprint", "tls-fingerprint",
	  ST_FINGERPRINT, tls_fingerprint),
	F(ACC_TLS_CERTCHECK, "tls_certcheck", "tls-certcheck", ST_BOOL,
	  tls_certcheck),
	F(ACC_TLS_CERT_FILE, "tls_cert_file", "tls-cert-file", ST_PATH,
	  tls_cert_file),
	F(ACC_TLS_KEY_FILE, "tls_key_file", "tls-key-file", ST_PATH,
	  tls_key_file),
	F(ACC_TLS_PRIORITIES, "tls_priorities", "tls-priorities", ST_STR,
	  tls_priorities),
	F(ACC_TLS_HOST_OVERRIDE, "tls_host_override", "tls-host-override",
	  ST_OPT_HOST, tls_host_override),
	C(ACC_TLS_MIN_VERSION, "tls_min_version", "tls-min-version",
	  tls_min_version, tlsver_choices),
	N(ACC_TLS_MIN_DH_PRIME_BITS, "tls_min_dh_prime_bits",
	  "tls-min-dh-prime-bits", ST_INT, tls_min_dh_prime_bits, 512, 16384),
	C(ACC_AUTH, "auth", "auth", auth, auth_choices),
	F(ACC_USER, "user", "user", ST_STR, user),
	F(ACC_PASSWORD, "password", NULL, ST_SECRET, password),
	F(ACC_PASSWORDEVAL, "passwordeval", "passwordeval", ST_STR,
	  passwordeval),
	F(ACC_QUEUE, "queue", NULL, ST_BOOL, queue),
	F(ACC_QUEUE_DIR, "queue_dir", "queue-dir", ST_PATH, queue_dir),
	N(ACC_RETRY_MIN, "retry_min", NULL, ST_DURATION, retry_min, 1,
	  365L * 86400),
	N(ACC_RETRY_MAX, "retry_max", NULL, ST_DURATION, retry_max, 1,
	  365L * 86400),
	N(ACC_QUEUE_MAX_AGE, "queue_max_age", NULL, ST_DURATION, queue_max_age,
	  1, 365L * 86400),
	F(ACC_BOUNCE, "bounce", NULL, ST_BOOL, bounce),
	F(ACC_BOUNCE_TO, "bounce_to", NULL, ST_ADDR, bounce_to),
	F(ACC_DSN_NOTIFY, "dsn_notify", "dsn-notify", ST_DSN_NOTIFY,
	  dsn_notify),
	C(ACC_DSN_RETURN, "dsn_return", "dsn-return", dsn_return,
	  dsn_return_choices),
	F(ACC_ALIASES, "aliases", "aliases", ST_PATH, aliases),
	C(ACC_SET_FROM_HEADER, "set_from_header", "set-from-header",
	  set_from_header, from_header_choices),
	C(ACC_SET_DATE_HEADER, "set_date_header", "set-date-header",
	  set_date_header, autooff_choices),
	C(ACC_SET_MSGID_HEADER, "set_msgid_header", "set-msgid-header",
	  set_msgid_header, autooff_choices),
	C(ACC_SET_TO_HEADER, "set_to_header", "set-to-header", set_to_header,
	  to_header_choices),
	F(ACC_REMOVE_BCC_HEADERS, "remove_bcc_headers", "remove-bcc-headers",
	  ST_BOOL, remove_bcc_headers),
	F(ACC_FROM_FULL_NAME, "from_full_name", NULL, ST_STR, from_full_name),
	F(ACC_MAILDOMAIN, "maildomain", "maildomain", ST_DOMAIN, maildomain),
	F(ACC_ALLOW_FROM_OVERRIDE, "allow_from_override", NULL, ST_BOOL,
	  allow_from_override),
	F(ACC_LOGFILE, "logfile", "logfile", ST_PATH, logfile),
	F(ACC_LOGFILE_TIME_FORMAT, "logfile_time_format",
	  "logfile-time-format", ST_STR, logfile_time_format),
	C(ACC_SYSLOG, "syslog", "syslog", syslog, syslog_choices),
	F(ACC_FALLBACK_HOSTS, "fallback_hosts", "fallback-hosts", ST_HOSTLIST,
	  fallback_hosts),
	C(ACC_PROTOCOL, "protocol", "protocol", protocol, protocol_choices),
	C(ACC_OAUTH2_PROVIDER, "oauth2_provider", NULL, oauth2_provider,
	  oauth2_provider_choices),
	F(ACC_OAUTH2_CLIENT_ID, "oauth2_client_id", NULL, ST_STR,
	  oauth2_client_id),
	F(ACC_OAUTH2_CLIENT_SECRET, "oauth2_client_secret", NULL, ST_SECRET,
	  oauth2_client_secret),
	F(ACC_OAUTH2_CLIENT_SECRET_EVAL, "oauth2_client_secret_eval", NULL,
	  ST_STR, oauth2_client_secret_eval),
	F(ACC_OAUTH2_TOKEN_ENDPOINT, "oauth2_token_endpoint", NULL, ST_URL,
	  oauth2_token_endpoint),
	F(ACC_OAUTH2_AUTHORIZATION_ENDPOINT, "oauth2_authorization_endpoint",
	  NULL, ST_URL, oauth2_authorization_endpoint),
	F(ACC_OAUTH2_DEVICE_ENDPOINT, "oauth2_device_endpoint", NULL, ST_URL,
	  oauth2_device_endpoint),
	F(ACC_OAUTH2_SCOPE, "oauth2_scope", NULL, ST_STR, oauth2_scope),
	F(ACC_OAUTH2_TENANT, "oauth2_tenant", NULL, ST_STR, oauth2_tenant),
	F(ACC_OAUTH2_TRUST_FILE, "oauth2_trust_file", NULL, ST_PATH,
	  oauth2_trust_file),
#undef C
#undef N
#undef F
#undef ROW
};

/* How an other spelling's argument becomes the field's value. */
enum alias_kind {
	AL_SAME,        /* as given */
	AL_FIXED,       /* none allowed: the value is the row's */
	AL_INVERT,      /* a boolean upside down: on (or none) means off, any
			   other word on */
	AL_ON_SETS,     /* an old switch: on (or none) sets the row's value,
			   off changes nothing */
	AL_ON_MEANS     /* an old boolean: on (or none) means the row's value,
			   off means off */
};

/* Other spellings msmtp accepts (older names included). */
static const struct alias {
	const char *name;
	enum account_field field;
	enum alias_kind kind;
	const char *value;      /* AL_FIXED, AL_ON_SETS, AL_ON_MEANS */
} aliases[] = {
	{ "connect_timeout", ACC_TIMEOUT, AL_SAME, NULL },
	{ "tls_nocertcheck", ACC_TLS_CERTCHECK, AL_FIXED, "off" },
	{ "tls_nostarttls", ACC_TLS_STARTTLS, AL_FIXED, "off" },
	{ "keepbcc", ACC_REMOVE_BCC_HEADERS, AL_INVERT, NULL },
	{ "add_missing_from_header", ACC_SET_FROM_HEADER, AL_ON_MEANS,
	  "auto" },
	{ "add_missing_date_header", ACC_SET_DATE_HEADER, AL_ON_MEANS,
	  "auto" },
	/* msmtp: user@maildomain, or the bare user name without one; a
	 * bare name gets the maildomain like any other (prepare.c) */
	{ "auto_from", ACC_FROM, AL_ON_SETS, "%U" },
	{ "undisclosed_recipients", ACC_SET_TO_HEADER, AL_ON_MEANS,
	  "undisclosed_recipients" },
};

#define NALIASES (sizeof(aliases) / sizeof(aliases[0]))

/* ---- accounts ---- */

struct account *
account_new(const char *name)
{
	struct account *a = xcalloc(1, sizeof(*a));

	if (name != NULL)
		a->name = xstrdup(name);
	return a;
}

void
account_free(struct account *a)
{
	int f;

	if (a == NULL)
		return;
	for (f = 0; f < ACC_NFIELDS; f++)
		setting_clear(a, &fields[f]);
	free(a->name);
	free(a);
}

void
account_defaults(struct account *a)
{
	a->tls = true;
	a->tls_starttls = true;
	a->tls_certcheck = true;
	a->tls_min_version = TLSV_12;
	a->queue = true;
	a->retry_min = 300;
	a->retry_max = 4 * 3600;
	a->queue_max_age = 5 * 86400;
	a->bounce = true;       /* nobody else learns of a late failure */
	a->remove_bcc_headers = true;
	a->allow_from_override = true;
	a->set_from_header = HDR_AUTO;
	a->set_date_header = HDR_AUTO;
	a->set_msgid_header = HDR_AUTO;
	a->set_to_header = TO_HEADER_OFF;
	a->auth = AUTH_OFF;
	a->timeout = 0;
	a->port = 0;
	a->protocol = PROTO_SMTP;
}

bool
account_is_set(const struct account *a, enum account_field f)
{
	return (a->set & FIELD_BIT(f)) != 0;
}

void
account_merge(struct account *dst, const struct account *src)
{
	int f;

	for (f = 0; f < ACC_NFIELDS; f++) {
		if (!account_is_set(src, (enum account_field)f))
			continue;
		setting_copy(dst, src, &fields[f]);
		memcpy(dst->where[f], src->where[f], ACCOUNT_WHERE_MAX);
		dst->set |= FIELD_BIT(f);
	}
}

int
account_proxy_port(const struct account *a)
{
	return a->proxy_port > 0 ? a->proxy_port : ACCOUNT_PROXY_PORT;
}

int
account_port(const struct account *a)
{
	if (a->port > 0)
		return a->port;
	if (a->protocol == PROTO_LMTP)
		return 0;       /* none: account_check asks for one */
	if (a->tls && !a->tls_starttls)
		return 465;
	return 587;
}

/* ---- setting fields by name ---- */

const char *
account_field_name(enum account_field f)
{
	return fields[f].name;
}

bool
account_field_directive(enum account_field f)
{
	return !fields[f].no_directive;
}

const char *
account_field_option(enum account_field f)
{
	return fields[f].option;
}

bool
account_field_bare(enum account_field f)
{
	const struct setting_word *w;

	if (fields[f].type == ST_BOOL)
		return true;
	if (fields[f].type != ST_CHOICE)
		return false;
	for (w = fields[f].choices->words; w->word != NULL; w++)
		if (w->word[0] == '\0')
			return true;
	return false;
}

bool
account_value_ok(enum account_field f, const char *value)
{
	struct account *a = account_new(NULL);
	struct err err;
	bool ok = account_set(a, f, value, "", &err) == 0;

	account_free(a);
	return ok;
}

/* field_named - the field whose directive is name, or -1. */
static int
field_named(const char *name)
{
	int f;

	for (f = 0; f < ACC_NFIELDS; f++)
		if (strcmp(name, fields[f].name) == 0)
			return f;
	return -1;
}

const char *
account_alias_name(size_t i, bool *needs_value)
{
	if (i >= NALIASES)
		return NULL;
	*needs_value = aliases[i].kind == AL_SAME;
	return aliases[i].name;
}

static const struct alias *
alias_named(const char *name)
{
	size_t i;

	for (i = 0; i < NALIASES; i++)
		if (strcmp(name, aliases[i].name) == 0)
			return &aliases[i];
	return NULL;
}

int
account_field_lookup(const char *name)
{
	const struct alias *al;
	int f = field_named(name);

	if (f >= 0)
		return f;
	al = alias_named(name);
	return al != NULL && al->kind == AL_SAME ? (int)al->field : -1;
}

/* The methods msmtp knows that smtpsend refuses, and why. */
static const struct {
	const char *name, *why;
} refused_auth[] = {
	{ "digest-md5", N_("DIGEST-MD5 is obsolete (RFC 6331) and not "
			   "supported; use scram-sha-256, or plain over TLS") },
	{ "ntlm", N_("NTLM is obsolete and not supported; use scram-sha-256, "
		     "or plain or login over TLS") },
};

/* refused_method - the reason why the auth method v is refused, or NULL. */
static const char *
refused_method(const char *v)
{
	size_t i;

	for (i = 0; i < sizeof(refused_auth) / sizeof(refused_auth[0]); i++)
		if (strcasecmp(v, refused_auth[i].name) == 0)
			return _(refused_auth[i].why);
	return NULL;
}

const char account_where_cli[] = N_("command line");

const char *
account_where(const struct account *a, enum account_field f)
{
	return strcmp(a->where[f], ACCOUNT_WHERE_CLI) == 0
	       ? _(ACCOUNT_WHERE_CLI) : a->where[f];
}

int
account_set(struct account *a, enum account_field f, const char *v,
	    const char *where, struct err *err)
{
	const char *why = f == ACC_AUTH ? refused_method(v) : NULL;

	if (why != NULL) {
		err_set(err, ERR_CONFIG, false, "%s", why);
		return -1;
	}
	if (setting_parse(a, &fields[f], v, err) < 0)
		return -1;
	a->set |= FIELD_BIT(f);
	snprintf(a->where[f], ACCOUNT_WHERE_MAX, "%s", where);
	return 0;
}

/* alias_value - what the argument v of the other spelling al means for
 * its field (v itself, or a static string); NULL with err when al refuses
 * v, or without one (*skip set) when it leaves the field alone. */
static const char *
alias_value(const struct alias *al, const char *v, bool *skip,
	    struct err *err)
{
	bool on = v[0] == '\0' || strcmp(v, "on") == 0;

	*skip = false;
	if (al->kind == AL_ON_SETS && !on && strcmp(v, "off") == 0) {
		*skip = true;
		return NULL;
	}
	switch (al->kind) {
	case AL_SAME:
		return v;
	case AL_FIXED:
		if (v[0] == '\0')
			return al->value;
		err_set(err, ERR_CONFIG, false, _("\"%s\" takes no argument"),
			al->name);
		return NULL;
	case AL_INVERT:
		return on ? "off" : "on";
	case AL_ON_SETS:
	case AL_ON_MEANS:
		if (on || strcmp(v, "off") == 0)
			return on ? al->value : "off";
		err_set(err, ERR_CONFIG, false,
			_("%s: invalid value \"%s\" (expected on or off)"),
			al->name, v);
		return NULL;
	}
	return v;
}

int
account_set_directive(struct account *a, const char *name, const char *v,
		      const char *where, struct err *err)
{
	const struct alias *al = NULL;
	struct err verr;
	int f = field_named(name);
	bool skip;

	if (f >= 0 && fields[f].no_directive)
		f = -1;
	if (f < 0) {
		al = alias_named(name);
		if (al == NULL) {
			err_set(err, ERR_CONFIG, false,
				_("unknown directive \"%s\""), name);
			return -1;
		}
		f = (int)al->field;
		v = alias_value(al, v, &skip, err);
		if (skip)
			return f;
		if (v == NULL)
			return -1;
	}
	if (account_set(a, (enum account_field)f, v, where, &verr) < 0) {
		err_set(err, ERR_CONFIG, false, "%s: %s", name, verr.text);
		return -1;
	}
	return f;
}

/* ---- the words of choice settings ---- */

const char *
account_auth_name(enum account_auth v)
{
	return setting_word(auth_words, (int)v);
}

const char *
account_auth_mech(enum account_auth v)
{
	if ((size_t)v >= sizeof(auth_mechs) / sizeof(auth_mechs[0]))
		return NULL;
	return auth_mechs[v];
}

const char *
account_dsn_return_name(enum dsn_return v)
{
	return v == DSN_RET_OFF ? NULL : setting_word(dsn_return_words, (int)v);
}

const char *
account_syslog_name(enum account_syslog v)
{
	return v == SYSLOG_OFF ? NULL : setting_word(syslog_words, (int)v);
}

bool
account_log_stdout(const struct account *a)
{
	const char *file = a->logfile;

	return file != NULL && strcmp(file, "-") == 0;
}

const char *
account_log_time_format(const struct account *a)
{
	const char *fmt = a->logfile_time_format;

	if (fmt == NULL)
		return "%b %d %H:%M:%S";
	return strcmp(fmt, "none") == 0 ? NULL : fmt;
}

/* ---- checks and output ---- */

int
account_next_host(const char **p, char *host, size_t n, int *port)
{
	const char *s = *p, *name, *colon;
	size_t len, nlen;
	long v;

	s += strspn(s, " \t");
	len = strcspn(s, " \t");
	if (len == 0)
		return 0;
	*p = s + len;
	*port = 0;
	name = s;
	if (s[0] == '[') {              /* [IPv6]:port */
		const char *close = memchr(s, ']', len);

		if (close == NULL)
			return -1;
		name = s + 1;
		nlen = (size_t)(close - name);
		colon = close + 1 < s + len ? close + 1 : NULL;
		if (colon != NULL && *colon != ':')
			return -1;
	} else {
		colon = memchr(s, ':', len);
		nlen = colon ? (size_t)(colon - s) : len;
	}
	if (nlen == 0 || nlen >= n)
		return -1;
	if (colon != NULL) {
		char num[8];
		size_t plen = (size_t)(s + len - colon - 1);

		if (plen == 0 || plen >= sizeof(num))
			return -1;
		memcpy(num, colon + 1, plen);
		num[plen] = '\0';
		if (setting_int(num, 1, 65535, &v) < 0)
			return -1;
		*port = (int)v;
	}
	memcpy(host, name, nlen);
	host[nlen] = '\0';
	return 1;
}

/* check_transport - the socket's path fits a Unix-domain address; an IP
 * literal that -4 or -6 would leave without an address is refused before
 * anything is sent. */
static int
check_transport(const struct account *a, struct err *err)
{
	const size_t max = sizeof(((struct sockaddr_un *)0)->sun_path) - 1;
	const char *name = a->proxy_host ? a->proxy_host : a->host;
	unsigned char bin[16];
	bool v4, v6;

	if (a->socket != NULL && strlen(a->socket) > max) {
		err_set(err, ERR_CONFIG, false,
			_("%s: socket: the path is %zu bytes long; a "
			  "Unix-domain socket's path can have at most %zu "
			  "bytes"),
			account_where(a, ACC_SOCKET), strlen(a->socket), max);
		return -1;
	}
	if (a->protocol == PROTO_LMTP && a->port == 0 && a->socket == NULL) {
		err_set(err, ERR_CONFIG, false,
			_("%s: protocol lmtp needs a port: LMTP has no "
			  "standard one (Dovecot and Postfix use 24, Cyrus "
			  "2003); set \"port\" or --port"),
			account_where(a, ACC_PROTOCOL));
		return -1;
	}
	if (a->socket != NULL || a->ip_family == IPF_ANY)
		return 0;
	v4 = inet_pton(AF_INET, name, bin) == 1;
	v6 = inet_pton(AF_INET6, name, bin) == 1;
	if ((a->ip_family == IPF_V4 && v6) || (a->ip_family == IPF_V6 && v4)) {
		err_set(err, ERR_CONFIG, false,
			/* TRANSLATORS: "FILE:LINE: host 192.0.2.1 is an
			 * IPv4 address, but -6 allows only IPv6": where the
			 * setting is, host or proxy_host, the address, IPv4
			 * or IPv6, the option, IPv6 or IPv4 */
			_("%s: %s %s is an %s address, but %s allows only %s"),
			account_where(a, ACC_IP_FAMILY),
			a->proxy_host ? "proxy_host" : "host", name,
			v4 ? "IPv4" : "IPv6", v4 ? "-6" : "-4",
			v4 ? "IPv6" : "IPv4");
		return -1;
	}
	return 0;
}

int
account_check(const struct account *a, struct err *err)
{
	if (a->host == NULL) {
		err_set(err, ERR_CONFIG, false,
			_("no host: set \"host\" in the account or use "
			  "--host"));
		return -1;
	}
	if (check_transport(a, err) < 0)
		return -1;
	if (a->tls_key_file != NULL && a->tls_cert_file == NULL) {
		err_set(err, ERR_CONFIG, false,
			_("%s: tls_key_file needs tls_cert_file too"),
			account_where(a, ACC_TLS_KEY_FILE));
		return -1;
	}
	if (a->tls_cert_file != NULL && a->tls_key_file == NULL) {
		err_set(err, ERR_CONFIG, false,
			_("%s: tls_cert_file needs tls_key_file too"),
			account_where(a, ACC_TLS_CERT_FILE));
		return -1;
	}
	if (a->auth == AUTH_EXTERNAL && a->tls_cert_file == NULL) {
		err_set(err, ERR_CONFIG, false,
			_("%s: auth external needs a client certificate "
			  "(tls_cert_file and tls_key_file)"),
			account_where(a, ACC_AUTH));
		return -1;
	}
	if (a->bounce_to != NULL && strpbrk(a->bounce_to, "%*?[") != NULL) {
		err_set(err, ERR_CONFIG, false,
			_("%s: bounce_to must be one address, not a pattern"),
			account_where(a, ACC_BOUNCE_TO));
		return -1;
	}
	if (a->auth == AUTH_EXTERNAL && !a->tls) {
		err_set(err, ERR_CONFIG, false,
			_("%s: auth external needs TLS (tls on)"),
			account_where(a, ACC_AUTH));
		return -1;
	}
	return 0;
}

void
account_describe(const struct account *a, const char *const *dflt,
		 FILE *out)
{
	int f;

	fprintf(out, "account: %s\n", a->name ? a->name : "(command line)");
	for (f = 0; f < ACC_NFIELDS; f++) {
		const struct setting *fd = &fields[f];
		bool set = account_is_set(a, (enum account_field)f);

		fprintf(out, "%s: ", fd->name);
		if (!set && dflt != NULL && dflt[f] != NULL)
			fprintf(out, "%s  (default)", dflt[f]);
		else
			setting_print(a, fd, true, out);
		if (set)
			fprintf(out, "  (%s)", account_where(a, f));
		fputc('\n', out);
	}
}

void
account_print_field(const struct account *a, enum account_field f, FILE *out)
{
	const struct setting *fd = &fields[f];

	fprintf(out, "%s ", fd->name);
	setting_print(a, fd, false, out);
}

