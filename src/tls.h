/*
 * tls.h - TLS with GnuTLS: credentials, priorities, verification, and the
 * swap of a connection's I/O functions.
 *
 * tls_start() performs the client handshake on a connection's socket
 * within a timeout, verifies the server (a pinned SHA-256 fingerprint; else
 * the chain against the trust store, the host name - converted to an
 * A-label with libidn2 -, validity dates and a stapled OCSP response), and
 * then replaces the connection's ops so that everything after it is
 * encrypted.  The protocol code never sees GnuTLS.
 */
#ifndef SMTPSEND_TLS_H
#define SMTPSEND_TLS_H

#include <stdbool.h>
#include <stdio.h>
#include "conn.h"
#include "err.h"

struct tls_creds;

/*
 * tls_pin_fn - the PIN of a PKCS #11 token that tls_cert_file or
 * tls_key_file names by a "pkcs11:" URL: written into pin (size n,
 * NUL-terminated); 0, or -1 when there is none.
 */
typedef int (*tls_pin_fn)(void *arg, char *pin, size_t n);

struct tls_config {
	const char *host;               /* name to verify and send as SNI */
	const char *trust_file;         /* NULL or "system": system store */
	const char *crl_file;           /* PEM CRLs, or NULL */
	const char *fingerprint;        /* "AA:BB:..." SHA-256, or NULL */
	bool certcheck;                 /* false: no verification (loud) */
	const char *cert_file;          /* client certificate, or NULL */
	const char *key_file;
	const char *priorities;         /* GnuTLS priority string, or NULL */
	int min_version;                /* 12 or 13 */
	int min_dh_bits;                /* 0: GnuTLS's own minimum */
	tls_pin_fn pin;                 /* asked once per login, or NULL */
	void *pin_arg;                  /* (must outlive the credentials) */
	struct tls_creds *creds;        /* loaded credentials, or NULL:
					   tls_start loads them itself */
};

/* What the handshake established, for -v and --serverinfo. */
struct tls_info {
	char version[16];               /* "TLS1.3" */
	char cipher[128];               /* "TLS_AES_256_GCM_SHA384" */
	char kx[64];                    /* "ECDHE-X25519" */
	char verify[512];               /* "" when verified (shown by
					   tls_verify_text), or why not */
	char trust[512];                /* the anchors of a trust file that
					   were consulted (trust.h), or "" */
	bool verified;
	int proto;                      /* 12 or 13 */
	char sni[256];                  /* the name sent (RFC 6066), or "" */
	char alpn[64];                  /* the protocol agreed, or "" */
	char ocsp[64];                  /* what the server stapled */
	bool not_tls;                   /* the handshake failed on a peer
					   that does not speak TLS */
};

/* tls_verify_text - what the verification of info found, for people
 * ("verified", or why not, or how it was done). */
const char *tls_verify_text(const struct tls_info *info);

/*
 * tls_creds_new - load what cfg names (trust store, client certificate)
 * and check the priority string, before any connection is made, so that a
 * local mistake is found without sending a byte.  Returns the credentials
 * (free with tls_creds_free), or NULL with err (ERR_CONFIG).
 */
struct tls_creds *tls_creds_new(const struct tls_config *cfg,
				struct err *err);
void tls_creds_free(struct tls_creds *c);

/*
 * tls_start - handshake on c (whose read buffer must be empty) within
 * timeout_ms, verify, and switch c to TLS.  *info receives the session's
 * details (also on a verification failure).  Returns 0, or -1 with err:
 * ERR_TLS (handshake or verification failure, temporary: the certificate
 * may be fixed or the attacker gone), ERR_NET (timeout, lost connection),
 * ERR_CONFIG (unusable trust file, client certificate or priorities).
 */
int tls_start(struct conn *c, const struct tls_config *cfg, int timeout_ms,
	      struct tls_info *info, struct err *err);

/* tls_active - whether c runs over TLS. */
bool tls_active(const struct conn *c);

/*
 * tls_channel_binding - the channel binding of c's TLS session for SCRAM-
 * PLUS: "tls-exporter" (RFC 9266) with TLS 1.3, "tls-unique" (RFC 5929)
 * with TLS 1.2.  *type is set to the name, *data (allocated, base64) to
 * the value.  Returns 0, or -1 when c has none.
 */
int tls_channel_binding(const struct conn *c, const char **type,
			char **data);

/*
 * tls_print_chain - print the server's certificate chain: subject, issuer,
 * validity and SHA-256 and SHA-1 fingerprints of each certificate, to out
 * (plain: untranslated labels, for the transcript).
 */
void tls_print_chain(const struct conn *c, bool plain, FILE *out);

/* tls_sha256 - the SHA-256 digest of n bytes at p into out (RFC 7636
 * 4.2's S256 code challenge).  Returns 0, or -1 with err: GnuTLS cannot
 * be loaded (ERR_OSERR) or fails (ERR_INTERNAL). */
int tls_sha256(const void *p, size_t n, unsigned char out[32],
	       struct err *err);

/* tls_random_key - n bytes from GnuTLS's generator for keys (a PKCE code
 * verifier, an OAuth2 state): unpredictable.  Returns 0, or -1 with err
 * as tls_sha256. */
int tls_random_key(void *p, size_t n, struct err *err);

/* tls_library_version - "GnuTLS 3.7.9", the version built against
 * (GnuTLS is loaded only when a run uses TLS: load.h). */
const char *tls_library_version(void);

#endif
