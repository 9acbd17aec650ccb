/*
 * trust.h - the trusted certificates of a PEM file, put into GnuTLS's
 * credentials on demand.
 *
 * Parsing a whole trust store costs more than the rest of a submission:
 * the system's (some 140 certificates) took 22 ms of CPU and 3.6 MiB of
 * a 31 ms STARTTLS send.  The file is only read when the credentials are
 * made, once connected and before anything is sent (so that a missing or
 * empty one is still a configuration error found before a word is
 * said); when the server's chain has come, the
 * certificates of the file that hold the name of an issuer of the chain
 * (a byte comparison of the DER forms, no parsing) become the trust
 * anchors, and the chain is verified against them.  Should that fail,
 * every certificate of the file is loaded and the chain verified again,
 * so the verdict and its reasons are always those of the whole file:
 * the anchors tried first are a subset of the file, and a chain valid
 * for a subset of the anchors is valid for all of them.
 */
#ifndef SMTPSEND_TRUST_H
#define SMTPSEND_TRUST_H

#include <gnutls/gnutls.h>
#include <stdbool.h>
#include "buf.h"
#include "err.h"

struct trust;

/* The largest trust file read (the system's is some 200 KiB). */
#define TRUST_FILE_MAX (16 * 1024 * 1024)

/*
 * trust_open - read the PEM file path (a regular file of at most
 * TRUST_FILE_MAX bytes holding at least one certificate, of this user or
 * root, that nobody else may change: conf_check_trusted).  NULL with err
 * (ERR_CONFIG) naming the file and why.
 */
struct trust *trust_open(const char *path, struct err *err);

/*
 * trust_select - add to cred, as trust anchors, the certificates of t
 * that hold the name of an issuer of chain[0..n) (the server's
 * certificates, DER), once: a later call adds nothing.  Returns how many
 * anchors were picked (0 when none was, or t is already loaded whole).
 */
unsigned trust_select(struct trust *t, gnutls_certificate_credentials_t cred,
		      const gnutls_datum_t *chain, unsigned n);

/*
 * trust_load_all - add every certificate of t to cred (once).  Returns
 * false when t already was (nothing changed), true when it was added
 * now; a file GnuTLS cannot parse adds nothing, and the verification
 * that follows says what is missing.
 */
bool trust_load_all(struct trust *t, gnutls_certificate_credentials_t cred);

/* trust_describe - for -v: which of t's certificates are the anchors
 * ("1 of the 145 certificates of FILE ...", "all 145 ..."). */
void trust_describe(const struct trust *t, char *out, size_t n);

void trust_free(struct trust *t);

/*
 * trust_read_file - the file path (the trust file, a CRL file, the
 * client's certificate or key) appended to b, when it is a regular file
 * of this user or root that nobody else may change (conf_check_trusted,
 * on the file opened, before it is read): whoever may change the trust
 * or CRL file can stand in for a server or take a revocation back, and
 * whoever may change the client's key or certificate can change whom the
 * client says it is.  0; -1 with errno when it cannot be read (EINVAL:
 * not a regular file; EFBIG: more than b may hold), err untouched; -2
 * with err (ERR_CONFIG) when it may not be trusted.
 */
int trust_read_file(const char *path, struct buf *b, struct err *err);

#endif
