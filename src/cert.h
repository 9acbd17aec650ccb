/*
 * cert.h - what a server's certificate says, and why it was refused, in
 * words a person can act on: its SHA-256 fingerprint (what tls_fingerprint
 * pins), the names it is for, the reasons of a failed verification, the
 * TLS alert that tells the server, and the whole chain for --serverinfo.
 * Certificates are given as DER (GnuTLS's gnutls_datum_t); nothing here
 * talks to the network.
 */
#ifndef SMTPSEND_CERT_H
#define SMTPSEND_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <gnutls/gnutls.h>

/* cert_sha256 - "AA:BB:..." of der into out (at least 96 bytes).
 * Returns 0, or -1 when it cannot be computed. */
int cert_sha256(const gnutls_datum_t *der, char *out, size_t n);

/*
 * cert_fingerprint - the same with the digest that a pinned fingerprint of
 * pin_len characters ("AA:BB:...") was made with: SHA-256 (95), SHA-1
 * (59, msmtp's older pins) or MD5 (47).  *name gets the digest's name.
 * Returns 0, or -1 for another length or when it cannot be computed.
 */
int cert_fingerprint(const gnutls_datum_t *der, size_t pin_len,
		     const char **name, char *out, size_t n);

/* cert_why_not - the reasons of a verification status (GnuTLS's
 * GNUTLS_CERT_* bits) in words into out ("certificate expired; ...");
 * der is the server's certificate (may be NULL), host the name checked. */
void cert_why_not(unsigned status, const gnutls_datum_t *der,
		  const char *host, char *out, size_t n);

/* cert_alert - the TLS alert for a refused certificate:
 * certificate_revoked, certificate_expired (also not yet valid),
 * unknown_ca, else bad_certificate. */
int cert_alert(unsigned status);

/* cert_print_chain - subject, issuer, validity, SHA-256 and SHA-1 of each
 * of the n certificates, and the names of the first, to out; plain: the
 * labels untranslated (for the transcript). */
void cert_print_chain(const gnutls_datum_t *chain, unsigned n, bool plain,
		      FILE *out);

#endif
