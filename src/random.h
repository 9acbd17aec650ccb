/*
 * random.h - the one source of randomness: the kernel's (getrandom(2),
 * else /dev/urandom).  For ids, Message-IDs and retry jitter; never for
 * keys (GnuTLS and GNU SASL have their own).
 */
#ifndef SMTPSEND_RANDOM_H
#define SMTPSEND_RANDOM_H

#include <stddef.h>

/* random_bytes - n unpredictable bytes into p.  Without a kernel source
 * (a broken chroot) they are made from the time and the pid: unique,
 * not secret. */
void random_bytes(void *p, size_t n);

/* random_unit - a uniform number in [0, 1). */
double random_unit(void);

#endif
