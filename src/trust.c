/*
 * trust.c - trusted certificates put into the credentials on demand
 * (trust.h).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base64.h"
#include "conf.h"
#include "gettext.h"
#include "load_gnutls.h"
#include "trust.h"
#include "xalloc.h"

struct trust {
	char *path;
	struct buf pem;         /* the file */
	unsigned count;         /* its certificates */
	unsigned selected;      /* of them, put into the credentials */
	bool all;               /* every certificate is in the credentials */
};

#define PEM_BEGIN "-----BEGIN CERTIFICATE-----"
#define PEM_END "-----END CERTIFICATE-----"

/* The issuers of at most this many certificates of a chain are looked
 * for (a chain is a handful). */
#define TRUST_CHAIN_MAX 16

/* count - the certificates of a PEM text (its BEGIN lines). */
static unsigned
count(const char *p)
{
	unsigned n = 0;

	while ((p = strstr(p, PEM_BEGIN)) != NULL) {
		n++;
		p += strlen(PEM_BEGIN);
	}
	return n;
}

struct trust *
trust_open(const char *path, struct err *err)
{
	struct trust *t = xcalloc(1, sizeof(*t));
	int r;

	buf_init(&t->pem, TRUST_FILE_MAX);
	r = trust_read_file(path, &t->pem, err);
	if (r == -1)
		err_set(err, ERR_CONFIG, false,
			_("cannot load trusted certificates from %s: %s"),
			path, strerror(errno));
	if (r < 0)
		goto fail;
	t->count = count(buf_str(&t->pem));
	if (t->count == 0) {
		err_set(err, ERR_CONFIG, false,
			_("cannot load trusted certificates from %s: %s"),
			path, _("no certificates"));
		goto fail;
	}
	t->path = xstrdup(path);
	return t;
fail:
	trust_free(t);
	return NULL;
}

/* issuers - the DER names of the issuers of chain[0..n) into dn (at most
 * TRUST_CHAIN_MAX); returns how many (free each with gnutls_free). */
static unsigned
issuers(const gnutls_datum_t *chain, unsigned n, gnutls_datum_t *dn)
{
	gnutls_x509_crt_t crt;
	unsigned i, k = 0;

	for (i = 0; i < n && k < TRUST_CHAIN_MAX; i++) {
		if (gnutls_x509_crt_init(&crt) < 0)
			break;
		if (gnutls_x509_crt_import(crt, &chain[i],
					   GNUTLS_X509_FMT_DER) >= 0
		    && gnutls_x509_crt_get_raw_issuer_dn(crt, &dn[k]) >= 0
		    && dn[k].size > 0)
			k++;
		gnutls_x509_crt_deinit(crt);
	}
	return k;
}

/* names_one - whether the DER certificate der holds one of dn[0..k). */
static bool
names_one(const gnutls_datum_t *der, const gnutls_datum_t *dn, unsigned k)
{
	unsigned i;

	for (i = 0; i < k; i++)
		if (memmem(der->data, der->size, dn[i].data, dn[i].size)
		    != NULL)
			return true;
	return false;
}

unsigned
trust_select(struct trust *t, gnutls_certificate_credentials_t cred,
	     const gnutls_datum_t *chain, unsigned n)
{
	gnutls_datum_t dn[TRUST_CHAIN_MAX], der;
	const char *p = buf_str(&t->pem), *b, *e;
	unsigned char *buf;
	unsigned k, i, added = 0;
	long len;

	if (t->all)
		return 0;
	/* once per credentials (a flush reconnects with the same): a chain
	 * that needs other anchors fails, and the whole file is loaded */
	if (t->selected > 0)
		return t->selected;
	k = issuers(chain, n, dn);
	buf = xmalloc(t->pem.len / 4 * 3 + 3);
	while (k > 0 && (b = strstr(p, PEM_BEGIN)) != NULL
	       && (e = strstr(b, PEM_END)) != NULL) {
		b += strlen(PEM_BEGIN);
		p = e + strlen(PEM_END);
		len = base64_decode(b, (size_t)(e - b), buf);
		if (len <= 0)
			continue;       /* the full load will say it */
		der.data = buf;
		der.size = (unsigned)len;
		if (names_one(&der, dn, k)
		    && gnutls_certificate_set_x509_trust_mem(
			    cred, &der, GNUTLS_X509_FMT_DER) > 0)
			added++;
	}
	free(buf);
	for (i = 0; i < k; i++)
		gnutls_free(dn[i].data);
	t->selected += added;
	return added;
}

void
trust_describe(const struct trust *t, char *out, size_t n)
{
	if (t->all)
		snprintf(out, n, "all %u certificates of %s", t->count,
			 t->path);
	else
		snprintf(out, n, "%u of the %u certificates of %s (those "
			 "naming an issuer of the chain)", t->selected,
			 t->count, t->path);
}

bool
trust_load_all(struct trust *t, gnutls_certificate_credentials_t cred)
{
	gnutls_datum_t d;

	if (t->all)
		return false;
	t->all = true;
	d.data = (unsigned char *)t->pem.p;
	d.size = (unsigned)t->pem.len;
	(void)gnutls_certificate_set_x509_trust_mem(cred, &d,
						    GNUTLS_X509_FMT_PEM);
	return true;
}

void
trust_free(struct trust *t)
{
	if (t == NULL)
		return;
	free(t->path);
	buf_clear(&t->pem);
	free(t);
}

int
trust_read_file(const char *path, struct buf *b, struct err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY), r = -1, e;
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		;                       /* errno says why */
	else if (!S_ISREG(st.st_mode))
		errno = EINVAL;
	else if (conf_check_trusted(&st, path, err) < 0)
		r = -2;
	else if ((r = buf_read_fd(b, fd)) == BUF_TOO_BIG) {
		errno = EFBIG;
		r = -1;
	}
	e = errno;
	close(fd);
	errno = e;
	return r;
}
