/*
 * merr.c - error messages for smtpmock (see merr.h).  No RFC here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "merr.h"

int
merr_set(struct merr *e, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	if (n < 0) {
		snprintf(e->msg, sizeof(e->msg), "(unprintable error)");
	} else if ((size_t)n >= sizeof(e->msg)) {
		/* Truncated: mark it visibly. */
		memcpy(e->msg + sizeof(e->msg) - 4, "...", 4);
	}
	return -1;
}

void
merr_oom(void)
{
	static const char msg[] = "smtpmock: out of memory\n";

	if (write(2, msg, sizeof(msg) - 1) < 0) {
		/* nothing more we can do */
	}
	_exit(99);
}
