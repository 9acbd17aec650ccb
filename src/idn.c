/*
 * idn.c - internationalised envelope addresses (see idn.h).
 *
 * Implements: RFC 5890 / 5891 (IDNA2008: A-labels, U-labels, the lookup
 * conversion) with UTS #46 non-transitional processing, through libidn2;
 * RFC 6531 3.2 / 3.3 (SMTPUTF8: when it is needed, and what a client does
 * when the server does not offer it); RFC 5321 4.1.3 (address literals are
 * not domain names).  libidn2 is opened (load_idn2.h) only for a name
 * with a byte >= 0x80 or an A-label to show: ASCII names, address
 * literals and IP addresses never load it.
 */
#include <config.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <idn2.h>

#include "ascii.h"
#include "gettext.h"
#include "idn.h"
#include "load_idn2.h"
#include "xalloc.h"

/* domain_at - the offset of the domain in addr (after the last '@'), or
 * strlen(addr) + 1 when there is no '@' ("no domain"). */
static size_t
domain_at(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return at != NULL ? (size_t)(at - addr) + 1 : strlen(addr) + 1;
}

static bool
has_8bit(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i] != '\0'; i++)
		if ((unsigned char)s[i] >= 0x80)
			return true;
	return false;
}

bool
idn_needs_smtputf8(const char *addr)
{
	size_t d = domain_at(addr);

	return has_8bit(addr, d - 1);
}

/* join - a new string: the first n bytes of addr, then domain. */
static char *
join(const char *addr, size_t n, const char *domain)
{
	size_t dn = strlen(domain);
	char *s = xmalloc(n + dn + 1);

	memcpy(s, addr, n);
	memcpy(s + n, domain, dn + 1);
	return s;
}

/*
 * to_alabels - name (UTF-8) in A-labels, libidn2 loaded first: 0 with *out
 * (allocated), 1 with libidn2's reason in *rc when name is not a valid
 * IDN, or -1 with err (ERR_OSERR) when libidn2 cannot be loaded.
 */
static int
to_alabels(const char *name, char **out, int *rc, struct err *err)
{
	char *ace = NULL;

	if (load_idn2(err) < 0)
		return -1;
	*rc = idn2_to_ascii_8z(name, &ace, IDN2_NONTRANSITIONAL);
	if (*rc == IDN2_OK)
		*out = xstrdup(ace);
	idn2_free(ace);
	return *rc == IDN2_OK ? 0 : 1;
}

int
idn_ascii_addr(const char *addr, char **out, struct err *err)
{
	size_t d = domain_at(addr);
	const char *domain;
	char *ace;
	int rc, conv;

	if (d > strlen(addr) || !has_8bit(addr + d, (size_t)-1)
	    || addr[d] == '[') {
		*out = xstrdup(addr);   /* no domain, ASCII, or a literal */
		return 0;
	}
	domain = addr + d;
	conv = to_alabels(domain, &ace, &rc, err);
	if (conv < 0)
		return -1;
	if (conv > 0) {
		err_set(err, ERR_DATA, false,
			_("invalid international domain \"%s\" in \"%s\": %s"),
			domain, addr, idn2_strerror(rc));
		return -1;
	}
	*out = join(addr, d, ace);
	free(ace);
	return 0;
}

int
idn_for_server(const char *addr, bool server_smtputf8, char **out,
	       struct err *err)
{
	if (server_smtputf8) {
		*out = xstrdup(addr);
		return 0;
	}
	if (idn_needs_smtputf8(addr)) {
		err_set(err, ERR_REJECT, false,
			_("the server does not offer SMTPUTF8 and the local "
			  "part of %s is not ASCII"), addr);
		return -1;
	}
	return idn_ascii_addr(addr, out, err);
}

/* has_alabel - whether some label of domain starts "xn--" (any case). */
static bool
has_alabel(const char *domain)
{
	const char *p = domain;

	for (;;) {
		if (strncasecmp(p, "xn--", 4) == 0)
			return true;
		p = strchr(p, '.');
		if (p == NULL)
			return false;
		p++;
	}
}

char *
idn_display_addr(const char *addr)
{
	size_t d = domain_at(addr);
	const char *domain;
	char *uni = NULL, *back = NULL, *res = NULL;
	struct err lerr;

	/* display only: without libidn2 the address is shown as given */
	if (d > strlen(addr) || addr[d] == '[' || !has_alabel(addr + d)
	    || load_idn2(&lerr) < 0)
		return xstrdup(addr);
	domain = addr + d;
	/* show U-labels only when they are what the A-labels stand for:
	 * converting them back must give the same (case-folded) domain */
	if (idn2_to_unicode_8z8z(domain, &uni, 0) == IDN2_OK
	    && idn2_to_ascii_8z(uni, &back, IDN2_NONTRANSITIONAL) == IDN2_OK
	    && strcasecmp(back, domain) == 0)
		res = join(addr, d, uni);
	else
		res = xstrdup(addr);
	idn2_free(uni);
	idn2_free(back);
	return res;
}

int
idn_host_alabels(const char *host, char **out, struct err *err)
{
	int rc, conv = 1;

	if (has_8bit(host, strlen(host)))
		conv = to_alabels(host, out, &rc, err);
	if (conv < 0)
		return -1;
	if (conv > 0)
		*out = xstrdup(host);
	return 0;
}

/* check_labels - the LDH (and '_') syntax of an ASCII domain name. */
static const char *
check_labels(const char *name)
{
	size_t n = strlen(name), label = 0, i;

	if (n > 0 && name[n - 1] == '.')
		n--;                    /* the root: "example.org." */
	if (n == 0)
		return _("it is empty");
	if (n > 253)
		return _("it is longer than 253 bytes");
	for (i = 0; i <= n; i++) {
		char c = i < n ? name[i] : '.';

		if (c == '.') {
			if (label == 0)
				return _("it has an empty label");
			if (label > 63)
				return _("a label is longer than 63 bytes");
			if (name[i - 1] == '-' || name[i - label] == '-')
				return _("a label starts or ends with '-'");
			label = 0;
		} else if (ascii_is_alnum(c) || c == '-' || c == '_') {
			label++;
		} else {
			return _("it holds a character that no host name has");
		}
	}
	return NULL;
}

int
idn_host_check(const char *host, struct err *err)
{
	unsigned char addr[16];
	const char *why;
	char *ace = NULL;
	int rc, conv;

	if (inet_pton(AF_INET, host, addr) == 1
	    || inet_pton(AF_INET6, host, addr) == 1)
		return 0;
	if (has_8bit(host, strlen(host))) {
		conv = to_alabels(host, &ace, &rc, err);
		if (conv < 0)
			return -1;
		if (conv > 0) {
			err_set(err, ERR_CONFIG, false,
				_("invalid host name \"%s\": %s"), host,
				idn2_strerror(rc));
			return -1;
		}
	}
	why = check_labels(ace ? ace : host);
	free(ace);
	if (why != NULL) {
		err_set(err, ERR_CONFIG, false,
			_("invalid host name \"%.80s\": %s"), host, why);
		return -1;
	}
	return 0;
}

const char *
idn_library_version(void)
{
	/* the version built against: --version loads no library */
	return "libidn2 " IDN2_VERSION;
}
