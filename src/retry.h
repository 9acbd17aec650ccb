/*
 * retry.h - when to try a queued message again, and when to give up.
 *
 * A pure policy: time and randomness are arguments, so that tests pin the
 * schedule exactly.  The delay after the n-th failed attempt grows
 * exponentially from retry_min, is capped at retry_max, and is spread by
 * +-25% (jitter) so that many queued messages do not all wake at once.  An
 * entry older than queue_max_age is given up.
 */
#ifndef SMTPSEND_RETRY_H
#define SMTPSEND_RETRY_H

#include <stdbool.h>
#include <time.h>

struct retry_policy {
	long min;       /* seconds before the first retry (default 300) */
	long max;       /* the longest wait between tries (default 14400) */
	long max_age;   /* give up after this many seconds (default 5 days) */
};

#define RETRY_MIN_DEFAULT 300L
#define RETRY_MAX_DEFAULT (4L * 3600)
#define RETRY_MAX_AGE_DEFAULT (5L * 86400)

/* retry_defaults - the defaults above. */
void retry_defaults(struct retry_policy *p);

/*
 * retry_delay - seconds to wait after the attempts-th failed attempt
 * (attempts >= 1): min * 2^(attempts-1), capped at max, times a factor in
 * [0.75, 1.25] chosen by r in [0, 1).  Never less than 1 second.
 */
long retry_delay(const struct retry_policy *p, unsigned attempts, double r);

/*
 * retry_next - the time of the next attempt after a failure at now; never
 * later than the moment the entry expires (created + max_age), so that it
 * is given up on time rather than up to max later.
 */
time_t retry_next(const struct retry_policy *p, unsigned attempts,
		  time_t created, time_t now, double r);

/* retry_expired - whether an entry created at created is past max_age. */
bool retry_expired(const struct retry_policy *p, time_t created, time_t now);

#endif
