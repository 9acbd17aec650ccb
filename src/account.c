/*
 * account.c - account profiles (see account.h).
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "account.h"
#include "addr.h"
#include "gettext.h"
#include "xalloc.h"

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
	if (a == NULL)
		return;
	free(a->name);
	free(a->host);
	free(a->from);
	free(a->domain);
	free(a->auth);
	free(a);
}

void
account_defaults(struct account *a)
{
	a->tls = true;
	a->tls_starttls = true;
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

static void
copy_str(char **dst, const char *src)
{
	free(*dst);
	*dst = src ? xstrdup(src) : NULL;
}

void
account_merge(struct account *dst, const struct account *src)
{
	int f;

	for (f = 0; f < ACC_NFIELDS; f++) {
		if (!account_is_set(src, (enum account_field)f))
			continue;
		switch ((enum account_field)f) {
		case ACC_HOST: copy_str(&dst->host, src->host); break;
		case ACC_PORT: dst->port = src->port; break;
		case ACC_FROM: copy_str(&dst->from, src->from); break;
		case ACC_TIMEOUT: dst->timeout = src->timeout; break;
		case ACC_DOMAIN: copy_str(&dst->domain, src->domain); break;
		case ACC_TLS: dst->tls = src->tls; break;
		case ACC_TLS_STARTTLS:
			dst->tls_starttls = src->tls_starttls;
			break;
		case ACC_AUTH: copy_str(&dst->auth, src->auth); break;
		case ACC_NFIELDS: break;
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

static int
parse_onoff(const char *v, bool *out, struct err *err)
{
	if (strcmp(v, "on") == 0 || v[0] == '\0') {
		*out = true;
		return 0;
	}
	if (strcmp(v, "off") == 0) {
		*out = false;
		return 0;
	}
	err_set(err, ERR_CONFIG, false, _("invalid value \"%s\" (expected on or off)"), v);
	return -1;
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

int
account_set(struct account *a, enum account_field f, const char *v,
	    const char *where, struct err *err)
{
	long n;
	size_t i;
	struct err aerr;

	switch (f) {
	case ACC_HOST:
		if (v[0] == '\0') {
			err_set(err, ERR_CONFIG, false, _("empty host name"));
			return -1;
		}
		for (i = 0; v[i]; i++) {
			unsigned char c = (unsigned char)v[i];
			if (c <= 0x20 || c == 0x7f || c == '/' || c == '#') {
				err_set(err, ERR_CONFIG, false,
					_("invalid host name \"%s\""), v);
				return -1;
			}
		}
		copy_str(&a->host, v);
		break;
	case ACC_PORT:
		if (parse_int(v, 1, 65535, &n) < 0) {
			err_set(err, ERR_CONFIG, false,
				_("invalid port \"%s\" (expected 1 to 65535)"),
				v);
			return -1;
		}
		a->port = (int)n;
		break;
	case ACC_FROM:
		if (addr_check(v, true, &aerr) < 0) {
			err_set(err, ERR_CONFIG, false, _("invalid from address: %s"),
				aerr.text);
			return -1;
		}
		copy_str(&a->from, v);
		break;
	case ACC_TIMEOUT:
		if (strcmp(v, "off") == 0) {
			a->timeout = 0;
		} else if (parse_int(v, 1, 86400, &n) == 0) {
			a->timeout = (int)n;
		} else {
			err_set(err, ERR_CONFIG, false,
				_("invalid timeout \"%s\" (expected seconds "
				  "from 1 to 86400, or off)"), v);
			return -1;
		}
		break;
	case ACC_DOMAIN:
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
		copy_str(&a->domain, v[0] ? v : NULL);
		break;
	case ACC_TLS:
		if (parse_onoff(v, &a->tls, err) < 0)
			return -1;
		break;
	case ACC_TLS_STARTTLS:
		if (parse_onoff(v, &a->tls_starttls, err) < 0)
			return -1;
		break;
	case ACC_AUTH:
		if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0
		    && v[0] != '\0') {
			for (i = 0; auth_methods[i]; i++)
				if (strcasecmp(v, auth_methods[i]) == 0)
					break;
			if (auth_methods[i] == NULL) {
				err_set(err, ERR_CONFIG, false,
					_("unknown authentication method \"%s\""),
					v);
				return -1;
			}
		}
		copy_str(&a->auth, v[0] ? v : "on");
		for (i = 0; a->auth[i]; i++)
			if (a->auth[i] >= 'A' && a->auth[i] <= 'Z')
				a->auth[i] = (char)(a->auth[i] + 32);
		break;
	case ACC_NFIELDS:
		err_set(err, ERR_INTERNAL, false, "bad field");
		return -1;
	}
	a->set |= 1UL << f;
	snprintf(a->where[f], ACCOUNT_WHERE_MAX, "%s", where);
	return 0;
}

int
account_check(const struct account *a, struct err *err)
{
	if (a->host == NULL) {
		err_set(err, ERR_CONFIG, false,
			_("no host: set \"host\" in the account or use --host"));
		return -1;
	}
	if (a->tls) {
		err_set(err, ERR_CONFIG, false,
			_("%s: TLS is not available yet in this version of "
			  "smtpsend; set \"tls off\" (or --tls=off) to send "
			  "over plain SMTP"),
			account_is_set(a, ACC_TLS) ? a->where[ACC_TLS]
						   : _("tls on (the default)"));
		return -1;
	}
	if (strcmp(a->auth, "off") != 0) {
		err_set(err, ERR_CONFIG, false,
			_("%s: authentication is not available yet in this "
			  "version of smtpsend; set \"auth off\" (or "
			  "--auth=off)"),
			a->where[ACC_AUTH]);
		return -1;
	}
	return 0;
}
