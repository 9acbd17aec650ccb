/*
 * srvconf.c - --configure: RFC 6186 3.1 (_submission._tcp), RFC 8314 5.1
 * (_submissions._tcp, implicit TLS preferred), RFC 2782 (SRV).
 */
#include <config.h>

#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "exitcodes.h"
#include "gettext.h"
#include "idn.h"
#include "random.h"
#include "report.h"
#include "srv.h"
#include "srvconf.h"
#include "xalloc.h"

/* The largest DNS message (RFC 1035 4.2.2: TCP's two-byte length). */
#define SRVCONF_ANSWER_MAX 65535

/* The two services, in the order of preference (RFC 8314 5.1). */
static const struct service {
	const char *label;
	bool starttls;
} services[] = {
	{ "_submissions", false },
	{ "_submission", true },
};

#define NSERVICES (sizeof(services) / sizeof(services[0]))

/* What the lookups found. */
struct found {
	char qname[2][SRV_NAME_MAX + 32];
	struct srv_rec rec;             /* the chosen record */
	const struct service *svc;      /* NULL: none chosen */
	bool dot_seen;                  /* a record said "not offered" */
};

/*
 * lookup - the SRV records of qname into r[0..SRV_RECORDS_MAX): their
 * number (0 when the name or the record does not exist), or -1 with err:
 * ERR_NET (temporary) when the resolver fails, ERR_PROTO for an answer
 * that does not parse.
 */
static int
lookup(const char *qname, struct srv_rec *r, struct err *err)
{
	unsigned char *ans = xmalloc(SRVCONF_ANSWER_MAX);
	int len, n;

	len = res_query(qname, C_IN, T_SRV, ans, SRVCONF_ANSWER_MAX);
	if (len < 0) {
		n = h_errno == HOST_NOT_FOUND || h_errno == NO_DATA ? 0 : -1;
		if (n < 0)
			err_set(err, ERR_NET, true,
				_("cannot look up the SRV record %s: %s"),
				qname, hstrerror(h_errno));
		free(ans);
		return n;
	}
	if (len > SRVCONF_ANSWER_MAX)
		len = SRVCONF_ANSWER_MAX;       /* what the buffer holds */
	n = srv_parse(ans, (size_t)len, r, SRV_RECORDS_MAX, err);
	if (n < 0)
		err_prefix(err, qname);
	free(ans);
	return n;
}

/* find - look the services of domain up, in order, until one offers a
 * server.  Returns 0 (f->svc NULL when none does), or -1 with err. */
static int
find(const char *domain, struct found *f, struct err *err)
{
	struct srv_rec *r = xmalloc(SRV_RECORDS_MAX * sizeof(*r));
	size_t i;
	int n, k, rc = 0;

	for (i = 0; i < NSERVICES && f->svc == NULL; i++) {
		snprintf(f->qname[i], sizeof(f->qname[i]), "%s._tcp.%s",
			 services[i].label, domain);
		n = lookup(f->qname[i], r, err);
		if (n < 0) {
			rc = -1;
			break;
		}
		if ((size_t)n > srv_count_usable(r, (size_t)n))
			f->dot_seen = true;
		k = srv_choose(r, (size_t)n, random_unit());
		if (k >= 0) {
			f->rec = r[k];
			f->svc = &services[i];
		}
	}
	free(r);
	return rc;
}

/* print_value - "key value", the value quoted when the configuration
 * parser would otherwise read it differently (conf.c's parse_arg). */
static void
print_value(FILE *out, const char *key, const char *v)
{
	if (v[0] != '"' && strpbrk(v, " \t\\") == NULL) {
		fprintf(out, "%s %s\n", key, v);
		return;
	}
	fprintf(out, "%s \"", key);
	for (; *v != '\0'; v++)
		fprintf(out, "%s%c", *v == '"' || *v == '\\' ? "\\" : "", *v);
	fputs("\"\n", out);
}

/* print_account - the account block for addr on domain. */
static void
print_account(FILE *out, const char *addr, const char *domain,
	      const struct found *f)
{
	bool starttls = f->svc->starttls;

	fprintf(out, _("# An account for %s, made from the SRV record\n"
		       "# %s._tcp.%s (%s).\n"
		       "# Add it to the configuration file (see "
		       "smtpsendrc(5)).\n"),
		addr, f->svc->label, domain,
		starttls ? _("STARTTLS, RFC 6186")
			 : _("implicit TLS, RFC 8314"));
	fprintf(out, "account %s\n", domain);
	fprintf(out, "host %s\n", f->rec.target);
	fprintf(out, "port %u\n", f->rec.port);
	fprintf(out, "tls on\n");
	fprintf(out, "tls_starttls %s\n", starttls ? "on" : "off");
	fprintf(out, "auth on\n");
	print_value(out, "user", addr);
	print_value(out, "from", addr);
	fprintf(out, _("# The password can come from a command, for "
		       "example:\n"));
	fprintf(out, "# passwordeval \"secret-tool lookup host %s\"\n",
		f->rec.target);
}

/* check_address - addr as one usable address with a domain name; its
 * domain in A-labels into *domain (allocated).  -1 with err (ERR_USAGE;
 * ERR_OSERR when libidn2 cannot be loaded). */
static int
check_address(const char *addr, char **domain, struct err *err)
{
	struct err aerr;
	char *ascii = NULL;
	const char *at = strrchr(addr, '@');

	err_clear(&aerr);
	if (addr_check(addr, false, &aerr) < 0 || at == NULL
	    || at[1] == '[' || idn_ascii_addr(addr, &ascii, &aerr) < 0) {
		if (aerr.cls == ERR_OSERR) {
			*err = aerr;    /* libidn2 cannot be loaded */
			return -1;
		}
		if (at == NULL)
			snprintf(aerr.text, sizeof(aerr.text), "%s",
				 _("it has no domain"));
		else if (at[1] == '[')
			snprintf(aerr.text, sizeof(aerr.text), "%s",
				 _("an address literal has no SRV records"));
		err_set(err, ERR_USAGE, false,
			_("--configure: \"%s\" is not a mail address: %s"),
			addr, aerr.text);
		return -1;
	}
	*domain = xstrdup(strrchr(ascii, '@') + 1);
	free(ascii);
	return 0;
}

int
srvconf_mode(const struct cli *cli)
{
	struct found f;
	struct err err;
	char *domain = NULL;
	int status = EX_OK;

	memset(&f, 0, sizeof(f));
	if (check_address(cli->mode_arg, &domain, &err) < 0) {
		report_error(&err);
		return report_err_status(&err);
	}
	if (find(domain, &f, &err) < 0) {
		report_error(&err);
		status = report_err_status(&err);
	} else if (f.svc == NULL) {
		report_msg(f.dot_seen
			   ? _("%s offers no mail submission: of its SRV "
			       "records %s and %s, those it has name no "
			       "server (target \".\")")
			   : _("%s publishes no SRV record for mail "
			       "submission (looked up %s and %s)"),
			   domain, f.qname[0], f.qname[1]);
		status = EX_UNAVAILABLE;
	} else {
		print_account(stdout, cli->mode_arg, domain, &f);
	}
	free(domain);
	return status;
}
