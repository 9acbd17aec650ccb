/*
 * retry.c - the retry policy (see retry.h).
 */
#include <config.h>

#include "retry.h"

void
retry_defaults(struct retry_policy *p)
{
	p->min = RETRY_MIN_DEFAULT;
	p->max = RETRY_MAX_DEFAULT;
	p->max_age = RETRY_MAX_AGE_DEFAULT;
}

long
retry_delay(const struct retry_policy *p, unsigned attempts, double r)
{
	double d = (double)(p->min > 0 ? p->min : 1);
	unsigned i;

	if (!(r >= 0.0))
		r = 0.0;        /* also NaN */
	if (r >= 1.0)
		r = 0.999999;
	for (i = 1; i < attempts && d < (double)p->max; i++)
		d *= 2.0;
	if (d > (double)p->max)
		d = (double)p->max;
	d *= 0.75 + 0.5 * r;
	return d < 1.0 ? 1 : (long)d;
}

time_t
retry_next(const struct retry_policy *p, unsigned attempts, time_t created,
	   time_t now, double r)
{
	time_t next = now + (time_t)retry_delay(p, attempts, r);
	time_t end = created + (time_t)p->max_age;

	if (next > end && end > now)
		next = end;
	return next;
}

bool
retry_expired(const struct retry_policy *p, time_t created, time_t now)
{
	return now - created >= (time_t)p->max_age;
}
