/*
 * account.c - account profiles (see account.h).
 */
#include <config.h>

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>
#include <pwd.h>
#include <netdb.h>
#include <fnmatch.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "account.h"
#include "addr.h"
#include "buf.h"
#include "gettext.h"
#include "idn.h"
#include "xalloc.h"

enum field_type {
	F_STR,          /* any text */
	F_PATH,         /* a file name; "~/" expanded */
	F_HOST,         /* a host name or address */
	F_PORT,
	F_TIMEOUT,
	F_BOOL,
	F_ADDR,         /* an envelope address */
	F_DOMAIN,       /* an EHLO name */
	F_AUTH,
	F_TLSVER,
	F_FINGERPRINT,
	F_SECRET,       /* like F_STR, wiped when freed, masked when shown */
	F_DURATION,     /* seconds, or a number with s, m, h or d */
	F_DSN_NOTIFY,   /* off | never | success,failure,delay */
	F_DSN_RETURN,   /* off | headers | full */
	F_CHOICE,       /* one word of a list (choices()) */
	F_SYSLOG,       /* off | on | LOG_facility */
	F_HOSTLIST      /* host[:port] ... */
};

static const struct field {
	const char *name;       /* config directive */
	const char *option;     /* long option, NULL: none */
	enum field_type type;
	size_t off;
} fields[ACC_NFIELDS] = {
#define F(id, name, opt, type, member) \
	[id] = { name, opt, type, offsetof(struct account, member) }
	F(ACC_HOST, "host", "host", F_HOST, host),
	F(ACC_PORT, "port", "port", F_PORT, port),
	F(ACC_FROM, "from", NULL, F_ADDR, from),
	F(ACC_TIMEOUT, "timeout", "timeout", F_TIMEOUT, timeout),
	F(ACC_DOMAIN, "domain", "domain", F_DOMAIN, domain),
	F(ACC_TLS, "tls", "tls", F_BOOL, tls),
	F(ACC_TLS_STARTTLS, "tls_starttls", "tls-starttls", F_BOOL,
	  tls_starttls),
	F(ACC_TLS_TRUST_FILE, "tls_trust_file", "tls-trust-file", F_PATH,
	  tls_trust_file),
	F(ACC_TLS_FINGERPRINT, "tls_fingerprint", "tls-fingerprint",
	  F_FINGERPRINT, tls_fingerprint),
	F(ACC_TLS_CERTCHECK, "tls_certcheck", "tls-certcheck", F_BOOL,
	  tls_certcheck),
	F(ACC_TLS_CERT_FILE, "tls_cert_file", "tls-cert-file", F_PATH,
	  tls_cert_file),
	F(ACC_TLS_KEY_FILE, "tls_key_file", "tls-key-file", F_PATH,
	  tls_key_file),
	F(ACC_TLS_PRIORITIES, "tls_priorities", "tls-priorities", F_STR,
	  tls_priorities),
	F(ACC_TLS_HOST_OVERRIDE, "tls_host_override", "tls-host-override",
	  F_HOST, tls_host_override),
	F(ACC_TLS_MIN_VERSION, "tls_min_version", "tls-min-version",
	  F_TLSVER, tls_min_version),
	F(ACC_AUTH, "auth", "auth", F_AUTH, auth),
	F(ACC_USER, "user", "user", F_STR, user),
	F(ACC_PASSWORD, "password", NULL, F_SECRET, password),
	F(ACC_PASSWORDEVAL, "passwordeval", "passwordeval", F_STR,
	  passwordeval),
	F(ACC_QUEUE, "queue", NULL, F_BOOL, queue),
	F(ACC_QUEUE_DIR, "queue_dir", "queue-dir", F_PATH, queue_dir),
	F(ACC_RETRY_MIN, "retry_min", NULL, F_DURATION, retry_min),
	F(ACC_RETRY_MAX, "retry_max", NULL, F_DURATION, retry_max),
	F(ACC_QUEUE_MAX_AGE, "queue_max_age", NULL, F_DURATION, queue_max_age),
	F(ACC_BOUNCE, "bounce", NULL, F_BOOL, bounce),
	F(ACC_DSN_NOTIFY, "dsn_notify", "dsn-notify", F_DSN_NOTIFY, dsn_notify),
	F(ACC_DSN_RETURN, "dsn_return", "dsn-return", F_DSN_RETURN, dsn_return),
	F(ACC_ALIASES, "aliases", "aliases", F_PATH, aliases),
	F(ACC_SET_FROM_HEADER, "set_from_header", "set-from-header", F_CHOICE,
	  set_from_header),
	F(ACC_SET_DATE_HEADER, "set_date_header", "set-date-header", F_CHOICE,
	  set_date_header),
	F(ACC_SET_MSGID_HEADER, "set_msgid_header", "set-msgid-header",
	  F_CHOICE, set_msgid_header),
	F(ACC_SET_TO_HEADER, "set_to_header", "set-to-header", F_CHOICE,
	  set_to_header),
	F(ACC_REMOVE_BCC_HEADERS, "remove_bcc_headers", "remove-bcc-headers",
	  F_BOOL, remove_bcc_headers),
	F(ACC_FROM_FULL_NAME, "from_full_name", NULL, F_STR, from_full_name),
	F(ACC_MAILDOMAIN, "maildomain", "maildomain", F_DOMAIN, maildomain),
	F(ACC_ALLOW_FROM_OVERRIDE, "allow_from_override", NULL, F_BOOL,
	  allow_from_override),
	F(ACC_LOGFILE, "logfile", "logfile", F_PATH, logfile),
	F(ACC_LOGFILE_TIME_FORMAT, "logfile_time_format",
	  "logfile-time-format", F_STR, logfile_time_format),
	F(ACC_SYSLOG, "syslog", "syslog", F_SYSLOG, syslog),
	F(ACC_FALLBACK_HOSTS, "fallback_hosts", "fallback-hosts", F_HOSTLIST,
	  fallback_hosts),
#undef F
};

/* Other spellings msmtp accepts (older names included). */
static const struct {
	const char *name;
	enum account_field field;
	const char *value;      /* fixed value, or NULL: the argument */
	bool negate;            /* on means off and the other way round */
	const char *on;         /* "(on)VALUE": on or no argument means
				   VALUE, off means off */
} aliases[] = {
	{ "connect_timeout", ACC_TIMEOUT, NULL, false, NULL },
	{ "tls_nocertcheck", ACC_TLS_CERTCHECK, "off", false, NULL },
	{ "tls_nostarttls", ACC_TLS_STARTTLS, "off", false, NULL },
	{ "keepbcc", ACC_REMOVE_BCC_HEADERS, NULL, true, NULL },
	/* msmtp's older booleans: "on" is "add when missing" */
	{ "add_missing_from_header", ACC_SET_FROM_HEADER, NULL, false,
	  "(on)auto" },
	{ "add_missing_date_header", ACC_SET_DATE_HEADER, NULL, false,
	  "(on)auto" },
	{ "undisclosed_recipients", ACC_SET_TO_HEADER, NULL, false,
	  "(on)undisclosed_recipients" },
};

/* choices - the words a F_CHOICE field takes ("on" of an old boolean
 * spelling is mapped by account_set). */
static const char *const *
choices(enum account_field f)
{
	static const char *const from[] = { "auto", "on", "off", NULL };
	static const char *const autooff[] = { "auto", "off", NULL };
	static const char *const to[] = { "off", "on",
					  "undisclosed_recipients", NULL };
	switch (f) {
	case ACC_SET_FROM_HEADER: return from;
	case ACC_SET_TO_HEADER: return to;
	default: return autooff;
	}
}

#define STR(a, f) (*(char **)((char *)(a) + fields[f].off))
#define INT(a, f) (*(int *)((char *)(a) + fields[f].off))
#define BOOL(a, f) (*(bool *)((char *)(a) + fields[f].off))
#define LONG(a, f) (*(long *)((char *)(a) + fields[f].off))

static bool
is_string(enum field_type t)
{
	return t == F_STR || t == F_PATH || t == F_HOST || t == F_ADDR
	       || t == F_DOMAIN || t == F_AUTH || t == F_FINGERPRINT
	       || t == F_SECRET || t == F_DSN_NOTIFY || t == F_DSN_RETURN
	       || t == F_CHOICE || t == F_SYSLOG || t == F_HOSTLIST;
}

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
	for (f = 0; f < ACC_NFIELDS; f++) {
		if (fields[f].type == F_SECRET)
			xfree_secret(STR(a, f));
		else if (is_string(fields[f].type))
			free(STR(a, f));
	}
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
	a->bounce = false;
	a->remove_bcc_headers = true;
	a->allow_from_override = true;
	free(a->set_from_header);
	a->set_from_header = xstrdup("auto");
	free(a->set_date_header);
	a->set_date_header = xstrdup("auto");
	free(a->set_msgid_header);
	a->set_msgid_header = xstrdup("auto");
	free(a->set_to_header);
	a->set_to_header = xstrdup("off");
	free(a->auth);
	a->auth = xstrdup("off");
	a->timeout = 0;
	a->port = 0;
}

bool
account_is_set(const struct account *a, enum account_field f)
{
	return (a->set & (1UL << f)) != 0;
}

void
account_merge(struct account *dst, const struct account *src)
{
	int f;

	for (f = 0; f < ACC_NFIELDS; f++) {
		if (!account_is_set(src, (enum account_field)f))
			continue;
		if (is_string(fields[f].type)) {
			char **d = &STR(dst, f);
			const char *s = STR(src, f);
			if (fields[f].type == F_SECRET)
				xfree_secret(*d);
			else
				free(*d);
			*d = s ? xstrdup(s) : NULL;
		} else if (fields[f].type == F_BOOL) {
			BOOL(dst, f) = BOOL(src, f);
		} else if (fields[f].type == F_DURATION) {
			LONG(dst, f) = LONG(src, f);
		} else {
			INT(dst, f) = INT(src, f);
		}
		memcpy(dst->where[f], src->where[f], ACCOUNT_WHERE_MAX);
		dst->set |= 1UL << f;
	}
}

int
account_port(const struct account *a)
{
	if (a->port > 0)
		return a->port;
	if (a->tls && !a->tls_starttls)
		return 465;
	return 587;
}

int
account_field_by_name(const char *name, const char **value_override)
{
	size_t i;

	*value_override = NULL;
	for (i = 0; i < ACC_NFIELDS; i++)
		if (strcmp(name, fields[i].name) == 0)
			return (int)i;
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(name, aliases[i].name) == 0) {
			*value_override = aliases[i].value;
			if (aliases[i].negate)
				*value_override = "(negate)";
			else if (aliases[i].on != NULL)
				*value_override = aliases[i].on;
			return (int)aliases[i].field;
		}
	return -1;
}

const char *
account_field_name(enum account_field f)
{
	return fields[f].name;
}

const char *
account_field_option(enum account_field f)
{
	return fields[f].option;
}

/* parse_int - a decimal integer in [min, max], nothing else. */
static int
parse_int(const char *v, long min, long max, long *out)
{
	char *end;
	long n;

	if (v[0] < '0' || v[0] > '9')
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

static const char *const auth_methods[] = {
	"scram-sha-256-plus", "scram-sha-256", "scram-sha-1-plus",
	"scram-sha-1", "plain", "login", "cram-md5", "external", "gssapi",
	"oauthbearer", "xoauth2", NULL
};

/* dsn_notify_canon - "never", or success/failure/delay in a comma list,
 * into upper case (RFC 3461 4.1). */
static int
dsn_notify_canon(const char *v, char *out, size_t n)
{
	const char *p = v;
	size_t o = 0;
	bool never = false, other = false;

	while (*p) {
		size_t len = strcspn(p, ",");
		const char *word = NULL;

		if (len == 5 && strncasecmp(p, "never", 5) == 0)
			word = "NEVER", never = true;
		else if (len == 7 && strncasecmp(p, "success", 7) == 0)
			word = "SUCCESS", other = true;
		else if (len == 7 && strncasecmp(p, "failure", 7) == 0)
			word = "FAILURE", other = true;
		else if (len == 5 && strncasecmp(p, "delay", 5) == 0)
			word = "DELAY", other = true;
		else
			return -1;
		if (o + strlen(word) + 2 > n)
			return -1;
		o += (size_t)snprintf(out + o, n - o, "%s%s", o ? "," : "",
				      word);
		p += len;
		if (*p == ',')
			p++;
	}
	return never != other ? 0 : -1;
}

/* check_fingerprint - "AA:BB:..." (32 bytes, colons optional). */
static int
normalise_fingerprint(const char *v, char *out, size_t n)
{
	size_t i, o = 0, digits = 0;

	for (i = 0; v[i]; i++) {
		char c = v[i];
		if (c == ':')
			continue;
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
		      || (c >= 'A' && c <= 'F')))
			return -1;
		if (o + 2 >= n)
			return -1;
		if (digits > 0 && digits % 2 == 0)
			out[o++] = ':';
		out[o++] = (c >= 'a' && c <= 'f') ? (char)(c - 32) : c;
		digits++;
	}
	out[o] = '\0';
	return digits == 64 ? 0 : -1;
}

static int
check_text(const char *v, bool allow_space, struct err *err)
{
	size_t i;

	for (i = 0; v[i]; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c < 0x20 || c == 0x7f || (!allow_space && c == ' ')) {
			err_set(err, ERR_CONFIG, false,
				_("invalid value \"%s\" (control characters%s "
				  "are not allowed)"), v,
				allow_space ? "" : _(" and spaces"));
			return -1;
		}
	}
	return 0;
}

static char *
expand_home(const char *v)
{
	const char *home = getenv("HOME");
	char *p;
	size_t len;

	if (v[0] != '~' || (v[1] != '/' && v[1] != '\0') || home == NULL)
		return xstrdup(v);
	len = strlen(home) + strlen(v);
	p = xmalloc(len);
	snprintf(p, len, "%s%s", home, v + 1);
	return p;
}

int
account_set(struct account *a, enum account_field f, const char *v,
	    const char *where, struct err *err)
{
	const struct field *fd = &fields[f];
	char fp[128];
	long n;
	size_t i;
	struct err aerr;
	char *val = NULL;

	switch (fd->type) {
	case F_HOST:
		if (v[0] == '\0') {
			err_set(err, ERR_CONFIG, false, _("empty host name"));
			return -1;
		}
		if (check_text(v, false, err) < 0
		    || idn_host_check(v, err) < 0)
			return -1;
		val = xstrdup(v);
		break;
	case F_PORT:
		if (parse_int(v, 1, 65535, &n) < 0) {
			err_set(err, ERR_CONFIG, false,
				_("invalid port \"%s\" (expected 1 to 65535)"),
				v);
			return -1;
		}
		INT(a, f) = (int)n;
		break;
	case F_ADDR:
		/* a pattern (%U@%H) or a wildcard (*@example.org) is checked
		 * once expanded, when it is used as an address */
		if (strpbrk(v, "%*?[") != NULL) {
			if (check_text(v, false, err) < 0)
				return -1;
			val = xstrdup(v);
			break;
		}
		if (addr_check(v, true, &aerr) < 0) {
			err_set(err, ERR_CONFIG, false,
				_("invalid address: %s"), aerr.text);
			return -1;
		}
		val = xstrdup(v);
		break;
	case F_TIMEOUT:
		if (strcmp(v, "off") == 0) {
			INT(a, f) = 0;
		} else if (parse_int(v, 1, 86400, &n) == 0) {
			INT(a, f) = (int)n;
		} else {
			err_set(err, ERR_CONFIG, false,
				_("invalid timeout \"%s\" (expected seconds "
				  "from 1 to 86400, or off)"), v);
			return -1;
		}
		break;
	case F_DOMAIN:
		for (i = 0; v[i]; i++) {
			unsigned char c = (unsigned char)v[i];
			if (c <= 0x20 || c >= 0x7f) {
				err_set(err, ERR_CONFIG, false,
					_("invalid domain \"%s\" (spaces and "
					  "control characters are not allowed)"),
					v);
				return -1;
			}
		}
		val = v[0] ? xstrdup(v) : NULL;
		break;
	case F_BOOL:
		if (strcmp(v, "on") == 0 || v[0] == '\0') {
			BOOL(a, f) = true;
		} else if (strcmp(v, "off") == 0) {
			BOOL(a, f) = false;
		} else {
			err_set(err, ERR_CONFIG, false,
				_("invalid value \"%s\" (expected on or off)"),
				v);
			return -1;
		}
		break;
	case F_AUTH:
		if (v[0] == '\0')
			v = "on";
		if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0) {
			for (i = 0; auth_methods[i]; i++)
				if (strcasecmp(v, auth_methods[i]) == 0)
					break;
			if (auth_methods[i] == NULL) {
				err_set(err, ERR_CONFIG, false,
					_("unknown authentication method "
					  "\"%s\""), v);
				return -1;
			}
			v = auth_methods[i];
		}
		val = xstrdup(v);
		break;
	case F_DURATION: {
		char *end;
		long mult = 1;

		errno = 0;
		n = strtol(v, &end, 10);
		if (*end == 's')
			end++;
		else if (*end == 'm')
			mult = 60, end++;
		else if (*end == 'h')
			mult = 3600, end++;
		else if (*end == 'd')
			mult = 86400, end++;
		if (errno != 0 || end == v || *end != '\0' || n < 1
		    || n > 365L * 86400 / mult || v[0] < '0' || v[0] > '9') {
			err_set(err, ERR_CONFIG, false,
				_("invalid duration \"%s\" (expected seconds, "
				  "or a number with s, m, h or d, e.g. 5m)"),
				v);
			return -1;
		}
		LONG(a, f) = n * mult;
		break;
	}
	case F_DSN_NOTIFY:
		if (strcmp(v, "off") == 0 || v[0] == '\0') {
			val = NULL;
			break;
		}
		if (dsn_notify_canon(v, fp, sizeof(fp)) < 0) {
			err_set(err, ERR_CONFIG, false,
				_("invalid DSN notify \"%s\" (expected off, "
				  "never, or a comma list of success, "
				  "failure and delay)"), v);
			return -1;
		}
		val = xstrdup(fp);
		break;
	case F_DSN_RETURN:
		if (strcmp(v, "off") == 0 || v[0] == '\0')
			val = NULL;
		else if (strcasecmp(v, "full") == 0)
			val = xstrdup("FULL");
		else if (strcasecmp(v, "headers") == 0
			 || strcasecmp(v, "hdrs") == 0)
			val = xstrdup("HDRS");
		else {
			err_set(err, ERR_CONFIG, false,
				_("invalid DSN return \"%s\" (expected off, "
				  "headers or full)"), v);
			return -1;
		}
		break;
	case F_CHOICE: {
		const char *const *ch = choices(f);
		/* msmtp's older boolean spellings: add_missing_*_header on,
		 * undisclosed_recipients on */
		if (strcmp(v, "on") == 0 && f == ACC_SET_DATE_HEADER)
			v = "auto";
		else if (strcmp(v, "on") == 0 && f == ACC_SET_MSGID_HEADER)
			v = "auto";
		for (i = 0; ch[i]; i++)
			if (strcmp(v, ch[i]) == 0)
				break;
		if (ch[i] == NULL) {
			err_set(err, ERR_CONFIG, false,
				_("invalid value \"%s\" (expected %s%s%s%s%s)"),
				v, ch[0], ch[2] ? ", " : " or ",
				ch[1] ? ch[1] : "", ch[2] ? " or " : "",
				ch[2] ? ch[2] : "");
			return -1;
		}
		val = xstrdup(ch[i]);
		break;
	}
	case F_SYSLOG: {
		static const char *const fac[] = {
			"LOG_USER", "LOG_MAIL", "LOG_LOCAL0", "LOG_LOCAL1",
			"LOG_LOCAL2", "LOG_LOCAL3", "LOG_LOCAL4", "LOG_LOCAL5",
			"LOG_LOCAL6", "LOG_LOCAL7", NULL
		};
		if (v[0] == '\0' || strcmp(v, "on") == 0) {
			val = xstrdup("LOG_USER");
			break;
		}
		if (strcmp(v, "off") == 0) {
			val = NULL;
			break;
		}
		for (i = 0; fac[i]; i++)
			if (strcmp(v, fac[i]) == 0)
				break;
		if (fac[i] == NULL) {
			err_set(err, ERR_CONFIG, false,
				_("invalid syslog value \"%s\" (expected on, "
				  "off, LOG_USER, LOG_MAIL or LOG_LOCAL0 to "
				  "LOG_LOCAL7)"), v);
			return -1;
		}
		val = xstrdup(v);
		break;
	}
	case F_HOSTLIST: {
		const char *p = v;
		char host[256];
		int port, rc;

		while ((rc = account_next_host(&p, host, sizeof(host), &port))
		       > 0)
			if (idn_host_check(host, err) < 0)
				return -1;
		if (rc < 0) {
			err_set(err, ERR_CONFIG, false,
				_("invalid host list \"%s\" (expected "
				  "HOST[:PORT] ..., [IPv6]:PORT)"), v);
			return -1;
		}
		val = v[0] ? xstrdup(v) : NULL;
		break;
	}
	case F_TLSVER:
		if (strcmp(v, "tls1.2") == 0)
			INT(a, f) = TLSV_12;
		else if (strcmp(v, "tls1.3") == 0)
			INT(a, f) = TLSV_13;
		else {
			err_set(err, ERR_CONFIG, false,
				_("invalid TLS version \"%s\" (expected tls1.2 "
				  "or tls1.3)"), v);
			return -1;
		}
		break;
	case F_FINGERPRINT:
		if (v[0] == '\0') {
			val = NULL;
			break;
		}
		if (normalise_fingerprint(v, fp, sizeof(fp)) < 0) {
			err_set(err, ERR_CONFIG, false,
				_("invalid fingerprint \"%s\" (expected the "
				  "SHA-256 of the certificate: 32 hex bytes, "
				  "e.g. AB:CD:...)"), v);
			return -1;
		}
		val = xstrdup(fp);
		break;
	case F_PATH:
		if (check_text(v, true, err) < 0)
			return -1;
		val = v[0] ? expand_home(v) : NULL;
		break;
	case F_STR:
	case F_SECRET:
		if (check_text(v, true, err) < 0)
			return -1;
		val = v[0] || fd->type == F_SECRET ? xstrdup(v) : NULL;
		break;
	}
	if (is_string(fd->type)) {
		char **d = &STR(a, f);
		if (fd->type == F_SECRET)
			xfree_secret(*d);
		else
			free(*d);
		*d = val;
	}
	a->set |= 1UL << f;
	snprintf(a->where[f], ACCOUNT_WHERE_MAX, "%s", where);
	return 0;
}

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
		if (parse_int(num, 1, 65535, &v) < 0)
			return -1;
		*port = (int)v;
	}
	memcpy(host, name, nlen);
	host[nlen] = '\0';
	return 1;
}

int
account_check(const struct account *a, struct err *err)
{
	if (a->host == NULL) {
		err_set(err, ERR_CONFIG, false,
			_("no host: set \"host\" in the account or use --host"));
		return -1;
	}
	if (a->tls_key_file != NULL && a->tls_cert_file == NULL) {
		err_set(err, ERR_CONFIG, false,
			_("%s: tls_key_file needs tls_cert_file too"),
			a->where[ACC_TLS_KEY_FILE]);
		return -1;
	}
	if (a->tls_cert_file != NULL && a->tls_key_file == NULL) {
		err_set(err, ERR_CONFIG, false,
			_("%s: tls_cert_file needs tls_key_file too"),
			a->where[ACC_TLS_CERT_FILE]);
		return -1;
	}
	if (strcmp(a->auth, "external") == 0 && a->tls_cert_file == NULL) {
		err_set(err, ERR_CONFIG, false,
			_("%s: auth external needs a client certificate "
			  "(tls_cert_file and tls_key_file)"),
			a->where[ACC_AUTH]);
		return -1;
	}
	if (strcmp(a->auth, "external") == 0 && !a->tls) {
		err_set(err, ERR_CONFIG, false,
			_("%s: auth external needs TLS (tls on)"),
			a->where[ACC_AUTH]);
		return -1;
	}
	return 0;
}

void
account_describe(const struct account *a, FILE *out)
{
	int f;

	fprintf(out, "account: %s\n", a->name ? a->name : "(command line)");
	for (f = 0; f < ACC_NFIELDS; f++) {
		const struct field *fd = &fields[f];

		fprintf(out, "%s: ", fd->name);
		switch (fd->type) {
		case F_PORT:
			fprintf(out, "%d", account_port(a));
			break;
		case F_TIMEOUT:
			if (a->timeout > 0)
				fprintf(out, "%d", a->timeout);
			else
				fputs("off", out);
			break;
		case F_BOOL:
			fputs(BOOL(a, f) ? "on" : "off", out);
			break;
		case F_TLSVER:
			fputs(a->tls_min_version == TLSV_13 ? "tls1.3"
							    : "tls1.2", out);
			break;
		case F_SECRET:
			fputs(STR(a, f) ? "*" : "(not set)", out);
			break;
		case F_DURATION:
			fprintf(out, "%lds", LONG(a, f));
			break;
		default:
			fputs(STR(a, f) ? STR(a, f) : "(not set)", out);
			break;
		}
		if (account_is_set(a, (enum account_field)f))
			fprintf(out, "  (%s)", a->where[f]);
		fputc('\n', out);
	}
}

void
account_print_field(const struct account *a, enum account_field f, FILE *out)
{
	const struct field *fd = &fields[f];

	fprintf(out, "%s ", fd->name);
	switch (fd->type) {
	case F_PORT:
		fprintf(out, "%d", INT(a, f));
		break;
	case F_TIMEOUT:
		if (INT(a, f) > 0)
			fprintf(out, "%d", INT(a, f));
		else
			fputs("off", out);
		break;
	case F_BOOL:
		fputs(BOOL(a, f) ? "on" : "off", out);
		break;
	case F_TLSVER:
		fputs(INT(a, f) == TLSV_13 ? "tls1.3" : "tls1.2", out);
		break;
	case F_DURATION:
		fprintf(out, "%ld", LONG(a, f));
		break;
	case F_SECRET:
		break;
	default:
		fputs(STR(a, f) ? STR(a, f) : "", out);
		break;
	}
}

/* account_expand_from - a "from" with msmtp's patterns replaced: %U the user,
 * %H the host name, %C its canonical name, %M /etc/mailname (allocated). */
char *
account_expand_from(const char *from)
{
	struct buf b;
	char host[256] = "localhost", canon[256], mailname[256] = "";
	const char *user = getenv("USER");
	const char *p;
	char *res;
	FILE *f;

	if (strchr(from, '%') == NULL)
		return xstrdup(from);
	if (user == NULL || *user == '\0')
		user = getenv("LOGNAME");
	if (user == NULL || *user == '\0') {
		struct passwd *pw = getpwuid(getuid());
		user = pw ? pw->pw_name : "nobody";
	}
	if (getenv("HOSTNAME") != NULL && *getenv("HOSTNAME") != '\0')
		snprintf(host, sizeof(host), "%s", getenv("HOSTNAME"));
	else
		gethostname(host, sizeof(host) - 1);
	snprintf(canon, sizeof(canon), "%s", host);
	{
		struct addrinfo hints, *res0 = NULL;
		memset(&hints, 0, sizeof(hints));
		hints.ai_flags = AI_CANONNAME;
		if (getaddrinfo(host, NULL, &hints, &res0) == 0) {
			if (res0->ai_canonname != NULL)
				snprintf(canon, sizeof(canon), "%s",
					 res0->ai_canonname);
			freeaddrinfo(res0);
		}
	}
	f = fopen("/etc/mailname", "r");
	if (f != NULL) {
		if (fgets(mailname, sizeof(mailname), f) != NULL)
			mailname[strcspn(mailname, "\r\n")] = '\0';
		fclose(f);
	}
	buf_init(&b, 4096);
	for (p = from; *p; p++) {
		const char *s = NULL;
		if (*p == '%' && p[1] != '\0') {
			switch (p[1]) {
			case 'U': s = user; break;
			case 'H': s = host; break;
			case 'C': s = canon; break;
			case 'M': s = mailname; break;
			}
		}
		if (s != NULL) {
			(void)!buf_append_str(&b, s);
			p++;
		} else {
			(void)!buf_append(&b, p, 1);
		}
	}
	res = xstrdup(buf_str(&b));
	buf_clear(&b);
	return res;
}

/* account_from_matches - whether sender matches an account's from: equal, a shell
 * wildcard pattern (*, ?, [), or equal once "+detail" is taken off the
 * sender's local part; case-insensitive. */
bool
account_from_matches(const char *from, const char *sender)
{
	char *pat = account_expand_from(from), *plain = NULL;
	const char *plus = strchr(sender, '+'), *at = strrchr(sender, '@');
	bool ok;

	ok = fnmatch(pat, sender, FNM_CASEFOLD) == 0;
	if (!ok && plus != NULL && at != NULL && plus < at) {
		size_t n = (size_t)(plus - sender);
		plain = xmalloc(strlen(sender) + 1);
		memcpy(plain, sender, n);
		memcpy(plain + n, at, strlen(at) + 1);
		ok = fnmatch(pat, plain, FNM_CASEFOLD) == 0;
	}
	free(plain);
	free(pat);
	return ok;
}

