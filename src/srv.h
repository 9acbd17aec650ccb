/*
 * srv.h - DNS SRV records (RFC 2782) from a DNS response, and the choice
 * among them (pure: no I/O).
 *
 * srv_parse reads the answer section of a response as the resolver hands
 * it over (RFC 1035 4.1), every length and count checked against the
 * bytes there are, name compression (RFC 1035 4.1.4) followed only
 * backwards and a bounded number of times.  srv_choose applies RFC 2782's
 * priority and weight rules, with the random number as an argument so
 * that tests can pin the result.
 */
#ifndef SMTPSEND_SRV_H
#define SMTPSEND_SRV_H

#include <stddef.h>
#include "err.h"

#define SRV_TYPE 33             /* RFC 2782 */
#define SRV_CLASS_IN 1          /* RFC 1035 3.2.4 */
/* RFC 1035 2.3.4: a name is at most 255 octets on the wire, so at most
 * 253 characters written out (without the final dot). */
#define SRV_NAME_MAX 254
/* The records kept from one answer: a domain publishes a handful; more
 * are dropped, not an error. */
#define SRV_RECORDS_MAX 32
/* Pointers followed in one name: each must point before itself, so a
 * name has at most this many even in a hostile message. */
#define SRV_HOPS_MAX 32

struct srv_rec {
	unsigned priority;
	unsigned weight;
	unsigned port;
	char target[SRV_NAME_MAX];      /* "." for the root: not offered */
};

/*
 * srv_parse - the SRV records of class IN in the answer section of the DNS
 * response msg (len bytes), into out[0..max).  Other records are
 * skipped.  A target is kept only when it is a host name (letters,
 * digits, '-' and '_' in labels; written without the final dot) or the
 * root ".".  Returns how many were stored (records past max are
 * dropped), or -1 with err (ERR_PROTO, permanent) naming what is wrong: a
 * message shorter than its header says, a name that runs past the end or
 * loops, a record longer than its data, a bad target, an answer that is
 * not a successful response.
 */
int srv_parse(const unsigned char *msg, size_t len, struct srv_rec *out,
	      size_t max, struct err *err);

/*
 * srv_choose - RFC 2782: among the usable records of r[0..n) (target not
 * "." and port not 0), those with the lowest priority; among them one
 * chosen at random in proportion to its weight, u (in [0, 1)) being the
 * random number (records of weight 0 first, so they are chosen only when
 * u falls below 1 / (sum + 1)).  Returns the index in r, or -1 when no
 * record is usable.
 */
int srv_choose(const struct srv_rec *r, size_t n, double u);

/* srv_count_usable - how many records of r[0..n) srv_choose may pick. */
size_t srv_count_usable(const struct srv_rec *r, size_t n);

#endif
