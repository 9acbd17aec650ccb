/*
 * idn.h - internationalised envelope addresses (pure: no I/O, but for
 * opening libidn2).
 *
 * An envelope address "local@domain" may have a UTF-8 domain (an IDN) and,
 * with the SMTPUTF8 extension only, a UTF-8 local part.  A UTF-8 domain can
 * always be sent as A-labels ("xn--..."), converted with libidn2 following
 * IDNA2008 with the UTS #46 non-transitional mapping (so "ß" stays "ß",
 * upper case is folded and input is normalised to NFC); a UTF-8 local part
 * has no ASCII form.  These functions decide what goes on the wire.
 *
 * The domain is what follows the last '@'; an address without '@' is all
 * local part.  Only domains with a byte >= 0x80 are converted or checked
 * here: an all-ASCII domain (including A-labels and address literals
 * "[...]") is passed on byte for byte - its syntax is addr_check()'s job.
 * Every string handed out is allocated and freed by the caller with free().
 *
 * libidn2 is opened (load.h) the first time a name with a byte >= 0x80
 * must be converted or an A-label shown; when it cannot be, the functions
 * that have an err fail with ERR_OSERR (temporary), naming the library.
 */
#ifndef SMTPSEND_IDN_H
#define SMTPSEND_IDN_H

#include <stdbool.h>
#include "err.h"

/*
 * idn_needs_smtputf8 - whether the envelope address addr needs the SMTPUTF8
 * extension: its local part has a byte >= 0x80.  A non-ASCII domain alone
 * does not (RFC 6531 3.2: it can be sent as A-labels).
 */
bool idn_needs_smtputf8(const char *addr);

/*
 * idn_ascii_addr - addr with its domain converted to A-labels; the local
 * part, ASCII domains and address literals are copied unchanged.  *out is
 * set only on success.  Returns 0, or -1 with err (ERR_DATA, permanent)
 * naming the domain and libidn2's reason when the domain is not a valid IDN
 * (invalid UTF-8, a hyphen at either end of a label, "--" in the third and
 * fourth positions, a disallowed code point, ...), or (ERR_OSERR,
 * temporary) when the domain is not ASCII and libidn2 cannot be loaded.
 */
int idn_ascii_addr(const char *addr, char **out, struct err *err);

/*
 * idn_for_server - what to send for addr to a server that offers SMTPUTF8
 * (server_smtputf8) or not: with it, a copy of addr as it is (UTF-8);
 * without it, the idn_ascii_addr() form - unless the local part is not
 * ASCII, which cannot be sent at all: -1 with err (ERR_REJECT, permanent,
 * "the server does not offer SMTPUTF8 and the local part of ADDR is not
 * ASCII").  Other errors as idn_ascii_addr().  *out is set only on success.
 */
int idn_for_server(const char *addr, bool server_smtputf8, char **out,
		   struct err *err);

/*
 * idn_host_alabels - the host name host as it is looked up and verified,
 * into *out (allocated): converted to A-labels when it is an IDN, else a
 * copy (an IP literal, an ASCII name, or a name that does not convert).
 * Returns 0, or -1 with err (ERR_OSERR, temporary) when host is not ASCII
 * and libidn2 cannot be loaded; *out is set only on success.
 */
int idn_host_alabels(const char *host, char **out, struct err *err);

/*
 * idn_host_check - whether host can name a server: an IPv4 or IPv6
 * literal, or a domain name (an IDN converted first) of labels of 1 to 63
 * letters, digits, '-' or '_' (not '-' at either end), 253 bytes at most,
 * a final dot allowed.  Returns 0, or -1 with err (ERR_CONFIG) saying
 * what is wrong, or (ERR_OSERR, temporary) when host is not ASCII and
 * libidn2 cannot be loaded.
 */
int idn_host_check(const char *host, struct err *err);

/* idn_library_version - "libidn2 2.3.3", the version built against (it
 * loads nothing). */
const char *idn_library_version(void);

/*
 * idn_display_addr - addr for showing to a person: A-labels in the domain
 * shown as U-labels.  Never fails: when the domain does not convert, or
 * the U-labels would not convert back to the same A-labels (a bogus
 * "xn--" label), or libidn2 cannot be loaded, the result is a copy of
 * addr.  The caller still makes the result printable.
 */
char *idn_display_addr(const char *addr);

#endif
