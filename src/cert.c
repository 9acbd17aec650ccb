/*
 * cert.c - the server's X.509 certificates in words (see cert.h): RFC 5280
 * names and validity, RFC 6125 identities, RFC 8446 6.2 alerts.
 */
#include <config.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cert.h"
#include "gettext.h"
#include "load_gnutls.h"

/* digest - "AA:BB:..." of der's alg digest of want bytes into out. */
static int
digest(const gnutls_datum_t *der, gnutls_digest_algorithm_t alg,
       size_t want, char *out, size_t n)
{
	unsigned char md[32];
	size_t len = sizeof(md), i, o = 0;

	if (gnutls_fingerprint(alg, der, md, &len) < 0 || len != want
	    || n < 3 * want)
		return -1;
	for (i = 0; i < len; i++)
		o += (size_t)snprintf(out + o, n - o, "%s%02X", i ? ":" : "",
				      md[i]);
	return 0;
}

int
cert_sha256(const gnutls_datum_t *der, char *out, size_t n)
{
	return digest(der, GNUTLS_DIG_SHA256, 32, out, n);
}

int
cert_fingerprint(const gnutls_datum_t *der, size_t pin_len,
		 const char **name, char *out, size_t n)
{
	static const struct {
		gnutls_digest_algorithm_t alg;
		size_t bytes;
		const char *name;
	} algs[] = {
		{ GNUTLS_DIG_SHA256, 32, "SHA-256" },
		{ GNUTLS_DIG_SHA1, 20, "SHA-1" },
		{ GNUTLS_DIG_MD5, 16, "MD5" },
	};
	size_t i;

	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (pin_len == 3 * algs[i].bytes - 1) {
			*name = algs[i].name;
			return digest(der, algs[i].alg, algs[i].bytes, out, n);
		}
	return -1;
}

/* cert_names - the DNS and IP names of a certificate, comma-separated. */
static void
cert_names(const gnutls_datum_t *der, char *out, size_t n)
{
	gnutls_x509_crt_t crt;
	size_t o = 0;
	unsigned i;

	out[0] = '\0';
	if (gnutls_x509_crt_init(&crt) < 0)
		return;
	if (gnutls_x509_crt_import(crt, der, GNUTLS_X509_FMT_DER) < 0)
		goto out;
	for (i = 0;; i++) {
		char name[256];
		size_t len = sizeof(name);
		unsigned crit;
		int type = gnutls_x509_crt_get_subject_alt_name(crt, i, name,
								&len, &crit);
		if (type < 0)
			break;
		if (type == GNUTLS_SAN_DNSNAME && o + len + 3 < n) {
			o += (size_t)snprintf(out + o, n - o, "%s%s",
					      o ? ", " : "", name);
		} else if (type == GNUTLS_SAN_IPADDRESS
			   && (len == 4 || len == 16)) {
			char ip[INET6_ADDRSTRLEN];
			if (inet_ntop(len == 4 ? AF_INET : AF_INET6, name, ip,
				      sizeof(ip)) != NULL
			    && o + strlen(ip) + 3 < n)
				o += (size_t)snprintf(out + o, n - o, "%s%s",
						      o ? ", " : "", ip);
		}
	}
	if (o == 0) {
		char cn[256];
		size_t len = sizeof(cn);
		if (gnutls_x509_crt_get_dn_by_oid(crt,
						  GNUTLS_OID_X520_COMMON_NAME,
						  0, 0, cn, &len) >= 0)
			snprintf(out, n, "CN=%s", cn);
	}
out:
	gnutls_x509_crt_deinit(crt);
}

static bool
self_signed(const gnutls_datum_t *der)
{
	gnutls_x509_crt_t crt;
	bool ret = false;

	if (gnutls_x509_crt_init(&crt) < 0)
		return false;
	if (gnutls_x509_crt_import(crt, der, GNUTLS_X509_FMT_DER) >= 0)
		ret = gnutls_x509_crt_check_issuer(crt, crt) != 0;
	gnutls_x509_crt_deinit(crt);
	return ret;
}

void
cert_why_not(unsigned status, const gnutls_datum_t *der, const char *host,
	char *out, size_t n)
{
	size_t o = 0;
	char names[256];

#define ADD(...)                                                            \
	do {                                                                \
		if (o < n) {                                                \
			int w_ = snprintf(out + o, n - o, "%s",             \
					  o ? "; " : "");                   \
			if (w_ > 0)                                         \
				o += (size_t)w_;                            \
		}                                                           \
		if (o < n) {                                                \
			int w_ = snprintf(out + o, n - o, __VA_ARGS__);     \
			if (w_ > 0)                                         \
				o += (size_t)w_;                            \
		}                                                           \
	} while (0)
	out[0] = '\0';
	if (status & GNUTLS_CERT_SIGNER_NOT_FOUND) {
		if (der != NULL && self_signed(der))
			ADD("%s", _("self-signed certificate"));
		else
			ADD("%s", _("issuer unknown (not in the trust store)"));
	}
	if (status & GNUTLS_CERT_EXPIRED)
		ADD("%s", _("certificate expired"));
	if (status & GNUTLS_CERT_NOT_ACTIVATED)
		ADD("%s", _("certificate not yet valid"));
	if (status & GNUTLS_CERT_REVOKED)
		ADD("%s", _("certificate revoked"));
	if (status & GNUTLS_CERT_UNEXPECTED_OWNER) {
		if (der != NULL)
			cert_names(der, names, sizeof(names));
		else
			names[0] = '\0';
		/* TRANSLATORS: "certificate is for NAMES, not HOST"; the
		 * first %s may also be the translation of "other names" */
		ADD(_("certificate is for %s, not %s"),
		    names[0] ? names : _("other names"), host);
	}
	if (status & GNUTLS_CERT_INSECURE_ALGORITHM)
		ADD("%s", _("insecure signature algorithm"));
	if (status & GNUTLS_CERT_SIGNER_NOT_CA)
		ADD("%s", _("issuer is not a CA"));
	if (status & GNUTLS_CERT_SIGNATURE_FAILURE)
		ADD("%s", _("bad signature"));
	if (status & (GNUTLS_CERT_REVOCATION_DATA_SUPERSEDED
		      | GNUTLS_CERT_REVOCATION_DATA_ISSUED_IN_FUTURE
		      | GNUTLS_CERT_INVALID_OCSP_STATUS))
		ADD("%s", _("invalid OCSP response"));
	if (status & GNUTLS_CERT_MISSING_OCSP_STATUS)
		ADD("%s", _("OCSP status missing (must-staple)"));
	if (o == 0) {
		gnutls_datum_t d;
		if (gnutls_certificate_verification_status_print(
			    status, GNUTLS_CRT_X509, &d, 0) >= 0) {
			snprintf(out, n, "%s", (char *)d.data);
			gnutls_free(d.data);
		} else {
			snprintf(out, n, "%s", _("verification failed"));
		}
	}
#undef ADD
}

int
cert_alert(unsigned status)
{
	if (status & GNUTLS_CERT_REVOKED)
		return GNUTLS_A_CERTIFICATE_REVOKED;
	if (status & (GNUTLS_CERT_EXPIRED | GNUTLS_CERT_NOT_ACTIVATED))
		return GNUTLS_A_CERTIFICATE_EXPIRED;
	if (status & GNUTLS_CERT_SIGNER_NOT_FOUND)
		return GNUTLS_A_UNKNOWN_CA;
	return GNUTLS_A_BAD_CERTIFICATE;
}

/* One label of the chain: translated for --serverinfo, not in the
 * transcript. */
#define LABEL(plain, s) ((plain) ? (s) : _(s))

/* print_dates - the validity of crt. */
static void
print_dates(gnutls_x509_crt_t crt, bool plain, FILE *out)
{
	char tbuf[64];
	time_t when;

	when = gnutls_x509_crt_get_activation_time(crt);
	strftime(tbuf, sizeof(tbuf), "%Y-%m-%d %H:%M:%S UTC", gmtime(&when));
	fprintf(out, LABEL(plain, "  valid from: %s\n"), tbuf);
	when = gnutls_x509_crt_get_expiration_time(crt);
	strftime(tbuf, sizeof(tbuf), "%Y-%m-%d %H:%M:%S UTC", gmtime(&when));
	fprintf(out, LABEL(plain, "  valid to:   %s\n"), tbuf);
}

/* print_one - certificate i of a chain, parsed as crt. */
static void
print_one(gnutls_x509_crt_t crt, const gnutls_datum_t *der, unsigned i,
	  bool plain, FILE *out)
{
	char dn[512], fp[128];
	const char *name;
	size_t len;

	fprintf(out, LABEL(plain, "Certificate %u:\n"), i);
	len = sizeof(dn);
	if (gnutls_x509_crt_get_dn(crt, dn, &len) >= 0)
		fprintf(out, LABEL(plain, "  subject:    %s\n"), dn);
	len = sizeof(dn);
	if (gnutls_x509_crt_get_issuer_dn(crt, dn, &len) >= 0)
		fprintf(out, LABEL(plain, "  issuer:     %s\n"), dn);
	print_dates(crt, plain, out);
	if (cert_sha256(der, fp, sizeof(fp)) == 0)
		fprintf(out, LABEL(plain, "  SHA-256:    %s\n"), fp);
	/* what msmtp's older tls_fingerprint pins hold */
	if (cert_fingerprint(der, 59, &name, fp, sizeof(fp)) == 0)
		fprintf(out, LABEL(plain, "  SHA-1:      %s\n"), fp);
	if (i == 0) {
		cert_names(der, dn, sizeof(dn));
		if (dn[0])
			fprintf(out, LABEL(plain, "  names:      %s\n"), dn);
	}
}

void
cert_print_chain(const gnutls_datum_t *chain, unsigned n, bool plain,
		 FILE *out)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		gnutls_x509_crt_t crt;

		if (gnutls_x509_crt_init(&crt) < 0)
			return;
		if (gnutls_x509_crt_import(crt, &chain[i], GNUTLS_X509_FMT_DER)
		    >= 0)
			print_one(crt, &chain[i], i, plain, out);
		gnutls_x509_crt_deinit(crt);
	}
}
