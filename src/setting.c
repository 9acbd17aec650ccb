/*
 * setting.c - the value types of account settings (see setting.h); RFC
 * 3461 4.1 for dsn_notify.
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "ascii.h"
#include "gettext.h"
#include "idn.h"
#include "setting.h"
#include "util.h"
#include "xalloc.h"

/* The member of a that field st describes, as an lvalue of type t. */
#define AT(a, st, t) (*(t *)(void *)((char *)(a) + (st)->off))
#define CAT(a, st, t) (*(t const *)(const void *)((const char *)(a) \
						   + (st)->off))

/* ---- value checks ---- */

int
setting_int(const char *v, long min, long max, long *out)
{
	char *end;
	long n;

	if (!ascii_is_digit(v[0]))
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

static int
check_text(const char *v, bool allow_space, struct err *err)
{
	size_t i;

	for (i = 0; v[i]; i++) {
		unsigned char c = (unsigned char)v[i];
		if (ascii_is_ctl(c) || (!allow_space && c == ' ')) {
			err_set(err, ERR_CONFIG, false, allow_space
				? _("invalid value \"%s\" (control characters "
				    "are not allowed)")
				: _("invalid value \"%s\" (control characters "
				    "and spaces are not allowed)"), v);
			return -1;
		}
	}
	return 0;
}

/* expand_home - "~/" expanded (kept as it is without HOME). */
static char *
expand_home(const char *v)
{
	char *p = util_expand_home(v);

	return p != NULL ? p : xstrdup(v);
}

/* dsn_notify_canon - "never", or success/failure/delay in a comma list,
 * into upper case (RFC 3461 4.1). */
static int
dsn_notify_canon(const char *v, char *out, size_t n)
{
	static const char *const words[] = {
		"NEVER", "SUCCESS", "FAILURE", "DELAY", NULL
	};
	const char *p = v;
	size_t o = 0, i;
	bool never = false, other = false;

	while (*p) {
		size_t len = strcspn(p, ",");

		for (i = 0; words[i]; i++)
			if (len == strlen(words[i])
			    && strncasecmp(p, words[i], len) == 0)
				break;
		if (words[i] == NULL || o + len + 2 > n)
			return -1;
		if (i == 0)
			never = true;
		else
			other = true;
		o += (size_t)snprintf(out + o, n - o, "%s%s", o ? "," : "",
				      words[i]);
		p += len;
		if (*p == ',')
			p++;
	}
	return never != other ? 0 : -1;
}

/* normalise_fingerprint - "AA:BB:..." (32 bytes, colons optional). */
static int
normalise_fingerprint(const char *v, char *out, size_t n)
{
	size_t i, o = 0, digits = 0;

	for (i = 0; v[i]; i++) {
		char c = v[i];
		if (c == ':')
			continue;
		if (!ascii_is_xdigit(c))
			return -1;
		if (o + 2 >= n)
			return -1;
		if (digits > 0 && digits % 2 == 0)
			out[o++] = ':';
		out[o++] = ascii_toupper(c);
		digits++;
	}
	out[o] = '\0';
	/* SHA-256; SHA-1 and MD5 as msmtp still takes them (deliver.c
	 * warns) */
	return digits == 64 || digits == 40 || digits == 32 ? 0 : -1;
}

/* put_str - make val (allocated, or NULL) the string of st in a. */
static void
put_str(struct account *a, const struct setting *st, char *val)
{
	char **d = &AT(a, st, char *);

	if (st->type == ST_SECRET)
		xfree_secret(*d);
	else
		free(*d);
	*d = val;
}

/* ---- parse: one per field type; each sets the field or fails ---- */

static int
parse_str(struct account *a, const struct setting *st, const char *v,
	  struct err *err)
{
	if (check_text(v, true, err) < 0)
		return -1;
	/* "": unset, as in msmtp (for password too) */
	put_str(a, st, v[0] ? xstrdup(v) : NULL);
	return 0;
}

static int
parse_path(struct account *a, const struct setting *st, const char *v,
	   struct err *err)
{
	if (check_text(v, true, err) < 0)
		return -1;
	put_str(a, st, v[0] ? expand_home(v) : NULL);
	return 0;
}

static int
parse_host(struct account *a, const struct setting *st, const char *v,
	   struct err *err)
{
	if (v[0] == '\0') {
		err_set(err, ERR_CONFIG, false, _("empty host name"));
		return -1;
	}
	if (check_text(v, false, err) < 0 || idn_host_check(v, err) < 0)
		return -1;
	put_str(a, st, xstrdup(v));
	return 0;
}

/* parse_opt_host - a host, or "" to unset (msmtp's proxy_host) */
static int
parse_opt_host(struct account *a, const struct setting *st, const char *v,
	       struct err *err)
{
	if (v[0] == '\0') {
		put_str(a, st, NULL);
		return 0;
	}
	return parse_host(a, st, v, err);
}

static int
parse_port(struct account *a, const struct setting *st, const char *v,
	   struct err *err)
{
	long n;

	if (setting_int(v, st->min, st->max, &n) < 0) {
		err_set(err, ERR_CONFIG, false,
			_("invalid port \"%s\" (expected %ld to %ld)"), v,
			st->min, st->max);
		return -1;
	}
	AT(a, st, int) = (int)n;
	return 0;
}

static int
parse_int(struct account *a, const struct setting *st, const char *v,
	  struct err *err)
{
	long n = 0;

	if (v[0] != '\0' && setting_int(v, st->min, st->max, &n) < 0) {
		err_set(err, ERR_CONFIG, false,
			_("invalid number \"%s\" (expected %ld to %ld)"), v,
			st->min, st->max);
		return -1;
	}
	AT(a, st, int) = (int)n;
	return 0;
}

static int
parse_ip(struct account *a, const struct setting *st, const char *v,
	 struct err *err)
{
	unsigned char bin[16];

	if (v[0] != '\0' && inet_pton(AF_INET, v, bin) != 1
	    && inet_pton(AF_INET6, v, bin) != 1) {
		err_set(err, ERR_CONFIG, false,
			_("invalid IP address \"%s\""), v);
		return -1;
	}
	put_str(a, st, v[0] ? xstrdup(v) : NULL);
	return 0;
}

static int
parse_timeout(struct account *a, const struct setting *st, const char *v,
	      struct err *err)
{
	long n = 0;

	if (strcmp(v, "off") != 0 && setting_int(v, st->min, st->max, &n) < 0) {
		err_set(err, ERR_CONFIG, false,
			_("invalid timeout \"%s\" (expected seconds from %ld "
			  "to %ld, or off)"), v, st->min, st->max);
		return -1;
	}
	AT(a, st, int) = (int)n;
	return 0;
}

static int
parse_bool(struct account *a, const struct setting *st, const char *v,
	   struct err *err)
{
	if (strcmp(v, "on") != 0 && v[0] != '\0' && strcmp(v, "off") != 0) {
		err_set(err, ERR_CONFIG, false,
			_("invalid value \"%s\" (expected on or off)"), v);
		return -1;
	}
	AT(a, st, bool) = strcmp(v, "off") != 0;
	return 0;
}

static int
parse_addr(struct account *a, const struct setting *st, const char *v,
	   struct err *err)
{
	struct err aerr;

	/* a pattern (%U@%H) or a wildcard (*@example.org) is checked once
	 * expanded, when it is used as an address */
	if (strpbrk(v, "%*?[") != NULL) {
		if (check_text(v, false, err) < 0)
			return -1;
	} else if (addr_check(v, true, &aerr) < 0) {
		err_set(err, ERR_CONFIG, false, _("invalid address: %s"),
			aerr.text);
		return -1;
	}
	put_str(a, st, xstrdup(v));
	return 0;
}

static int
parse_domain(struct account *a, const struct setting *st, const char *v,
	     struct err *err)
{
	size_t i;

	for (i = 0; v[i]; i++) {
		unsigned char c = (unsigned char)v[i];
		if (!ascii_is_vchar(c)) {
			err_set(err, ERR_CONFIG, false,
				_("invalid domain \"%s\" (spaces and control "
				  "characters are not allowed)"), v);
			return -1;
		}
	}
	put_str(a, st, v[0] ? xstrdup(v) : NULL);
	return 0;
}

static int
parse_fingerprint(struct account *a, const struct setting *st, const char *v,
		  struct err *err)
{
	char fp[128];

	if (v[0] == '\0') {
		put_str(a, st, NULL);
		return 0;
	}
	if (normalise_fingerprint(v, fp, sizeof(fp)) < 0) {
		err_set(err, ERR_CONFIG, false,
			_("invalid fingerprint \"%s\" (expected the SHA-256 of "
			  "the certificate: 32 hex bytes, e.g. AB:CD:...; or "
			  "an older SHA-1 or MD5 one)"), v);
		return -1;
	}
	put_str(a, st, xstrdup(fp));
	return 0;
}

static int
parse_duration(struct account *a, const struct setting *st, const char *v,
	       struct err *err)
{
	static const char units[] = "smhd";
	static const long mults[] = { 1, 60, 3600, 86400 };
	const char *u;
	char *end;
	long n, mult = 1;

	errno = 0;
	n = strtol(v, &end, 10);
	if (*end != '\0' && (u = strchr(units, *end)) != NULL) {
		mult = mults[u - units];
		end++;
	}
	if (errno != 0 || end == v || *end != '\0' || !ascii_is_digit(v[0])
	    || n < 1 || n > st->max / mult
	    || n * mult < st->min) {
		err_set(err, ERR_CONFIG, false,
			_("invalid duration \"%s\" (expected seconds, or a "
			  "number with s, m, h or d, e.g. 5m)"), v);
		return -1;
	}
	AT(a, st, long) = n * mult;
	return 0;
}

static int
parse_dsn_notify(struct account *a, const struct setting *st, const char *v,
		 struct err *err)
{
	char canon[128];

	if (strcmp(v, "off") == 0 || v[0] == '\0') {
		put_str(a, st, NULL);
		return 0;
	}
	if (dsn_notify_canon(v, canon, sizeof(canon)) < 0) {
		err_set(err, ERR_CONFIG, false,
			_("invalid DSN notify \"%s\" (expected off, never, or "
			  "a comma list of success, failure and delay)"), v);
		return -1;
	}
	put_str(a, st, xstrdup(canon));
	return 0;
}

static int
parse_choice(struct account *a, const struct setting *st, const char *v,
	     struct err *err)
{
	const struct setting_choices *ch = st->choices;
	const struct setting_word *w;

	for (w = ch->words; w->word != NULL; w++)
		if (w->nocase ? strcasecmp(v, w->word) == 0
			      : strcmp(v, w->word) == 0)
			break;
	if (w->word == NULL && ch->expected == NULL) {
		/* TRANSLATORS: the first %s is what the value names, e.g.
		 * "authentication method" or "TLS version" (translated
		 * separately), the second the value given */
		err_set(err, ERR_CONFIG, false, _("unknown %s \"%s\""),
			_(ch->what), v);
		return -1;
	}
	if (w->word == NULL) {
		err_set(err, ERR_CONFIG, false,
			/* TRANSLATORS: "invalid authentication method
			 * \"x\" (expected ...)": what the value names, the
			 * value, and the values allowed */
			_("invalid %s \"%s\" (expected %s)"), _(ch->what), v,
			_(ch->expected));
		return -1;
	}
	AT(a, st, int) = w->value;
	return 0;
}

static int
parse_hostlist(struct account *a, const struct setting *st, const char *v,
	       struct err *err)
{
	const char *p = v;
	char host[256];
	int port, rc;

	while ((rc = account_next_host(&p, host, sizeof(host), &port)) > 0)
		if (idn_host_check(host, err) < 0)
			return -1;
	if (rc < 0) {
		err_set(err, ERR_CONFIG, false,
			_("invalid host list \"%s\" (expected HOST[:PORT] ..., "
			  "[IPv6]:PORT)"), v);
		return -1;
	}
	put_str(a, st, v[0] ? xstrdup(v) : NULL);
	return 0;
}

/* An endpoint URL longer than this is refused (browsers and servers
 * commonly accept 2048 bytes). */
#define URL_MAX 2048

/* parse_url - an https:// URL (the OAuth2 endpoints, RFC 6749 3.1 and
 * 3.2: TLS is required); no user info, which would be a secret in it */
static int
parse_url(struct account *a, const struct setting *st, const char *v,
	  struct err *err)
{
	size_t n = strlen(v), host;

	if (n == 0) {
		put_str(a, st, NULL);
		return 0;
	}
	if (check_text(v, false, err) < 0)
		return -1;
	if (n > URL_MAX || strncasecmp(v, "https://", 8) != 0
	    || strpbrk(v, " #\"\\<>") != NULL) {
		err_set(err, ERR_CONFIG, false,
			_("invalid URL \"%.80s\" (expected https://HOST/PATH, "
			  "at most %d bytes)"), v, URL_MAX);
		return -1;
	}
	host = strcspn(v + 8, "/?");
	if (host == 0 || memchr(v + 8, '@', host) != NULL) {
		err_set(err, ERR_CONFIG, false,
			_("invalid URL \"%.80s\" (no host, or a user name "
			  "in it)"), v);
		return -1;
	}
	put_str(a, st, xstrdup(v));
	return 0;
}

/* ---- print: one per kind of value; describe: for account_describe ---- */

static void
print_str(const struct account *a, const struct setting *st, bool describe,
	  FILE *out)
{
	const char *s = CAT(a, st, char *);

	fputs(s ? s : describe ? "(not set)" : "", out);
}

/* secrets: masked when described, never printed */
static void
print_secret(const struct account *a, const struct setting *st, bool describe,
	     FILE *out)
{
	if (describe)
		fputs(CAT(a, st, char *) ? "*" : "(not set)", out);
}

/* described: the port in use (see account_port) */
static void
print_port(const struct account *a, const struct setting *st, bool describe,
	   FILE *out)
{
	int port = describe ? account_port(a) : CAT(a, st, int);

	if (port > 0)
		fprintf(out, "%d", port);
	else
		fputs("(not set)", out);
}

static void
print_int(const struct account *a, const struct setting *st, bool describe,
	  FILE *out)
{
	if (CAT(a, st, int) > 0)
		fprintf(out, "%d", CAT(a, st, int));
	else if (describe)
		fputs("(not set)", out);
}

static void
print_timeout(const struct account *a, const struct setting *st, bool describe,
	      FILE *out)
{
	if (CAT(a, st, int) > 0)
		fprintf(out, "%d", CAT(a, st, int));
	else
		fputs("off", out);
}

static void
print_bool(const struct account *a, const struct setting *st, bool describe,
	   FILE *out)
{
	fputs(CAT(a, st, bool) ? "on" : "off", out);
}

static void
print_duration(const struct account *a, const struct setting *st,
	       bool describe, FILE *out)
{
	fprintf(out, describe ? "%lds" : "%ld", CAT(a, st, long));
}

const char *
setting_word(const struct setting_word *words, int v)
{
	for (; words->word != NULL; words++)
		if (words->value == v)
			return words->word;
	return "?";
}

static void
print_choice(const struct account *a, const struct setting *st, bool describe,
	     FILE *out)
{
	int v = CAT(a, st, int);

	if (describe && v == st->choices->unset)
		fputs("(not set)", out);
	else
		fputs(setting_word(st->choices->words, v), out);
}

/* ---- the operations of each field type ---- */

/* How a value is kept: copied as bytes, or an allocated string. */
enum store { STORE_SCALAR, STORE_STRING };

typedef int parse_fn(struct account *a, const struct setting *st,
		     const char *v, struct err *err);
typedef void print_fn(const struct account *a, const struct setting *st,
		      bool describe, FILE *out);

static const struct type_ops {
	parse_fn *parse;
	print_fn *print;
	enum store store;
} type_ops[ST_NTYPES] = {
	[ST_STR] = { parse_str, print_str, STORE_STRING },
	[ST_PATH] = { parse_path, print_str, STORE_STRING },
	[ST_HOST] = { parse_host, print_str, STORE_STRING },
	[ST_PORT] = { parse_port, print_port, STORE_SCALAR },
	[ST_TIMEOUT] = { parse_timeout, print_timeout, STORE_SCALAR },
	[ST_BOOL] = { parse_bool, print_bool, STORE_SCALAR },
	[ST_ADDR] = { parse_addr, print_str, STORE_STRING },
	[ST_DOMAIN] = { parse_domain, print_str, STORE_STRING },
	[ST_FINGERPRINT] = { parse_fingerprint, print_str, STORE_STRING },
	[ST_SECRET] = { parse_str, print_secret, STORE_STRING },
	[ST_DURATION] = { parse_duration, print_duration, STORE_SCALAR },
	[ST_DSN_NOTIFY] = { parse_dsn_notify, print_str, STORE_STRING },
	[ST_CHOICE] = { parse_choice, print_choice, STORE_SCALAR },
	[ST_HOSTLIST] = { parse_hostlist, print_str, STORE_STRING },
	[ST_INT] = { parse_int, print_int, STORE_SCALAR },
	[ST_IP] = { parse_ip, print_str, STORE_STRING },
	[ST_OPT_HOST] = { parse_opt_host, print_str, STORE_STRING },
	[ST_URL] = { parse_url, print_str, STORE_STRING },
};

int
setting_parse(struct account *a, const struct setting *st, const char *v,
	      struct err *err)
{
	return type_ops[st->type].parse(a, st, v, err);
}

void
setting_print(const struct account *a, const struct setting *st,
	      bool describe, FILE *out)
{
	type_ops[st->type].print(a, st, describe, out);
}

void
setting_copy(struct account *dst, const struct account *src,
	     const struct setting *st)
{
	const char *s;

	if (type_ops[st->type].store == STORE_SCALAR) {
		memcpy((char *)dst + st->off, (const char *)src + st->off,
		       st->size);
		return;
	}
	s = CAT(src, st, char *);
	put_str(dst, st, s ? xstrdup(s) : NULL);
}

void
setting_clear(struct account *a, const struct setting *st)
{
	if (type_ops[st->type].store == STORE_STRING)
		put_str(a, st, NULL);
}
