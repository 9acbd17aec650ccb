/*
 * merr.h - error reports for the smtpmock test harness.
 *
 * smtpmock is a test tool, so an error is just a message: a fallible
 * function returns 0 / -1 and, on -1, has filled the struct merr given as its
 * last argument.  The message is fixed-size so the error path never
 * allocates; an over-long message is cut and ends in "...".
 */
#ifndef SMTPMOCK_MERR_H
#define SMTPMOCK_MERR_H

#define MERR_MSG_MAX 1024

struct merr {
	char msg[MERR_MSG_MAX];
};

/* merr_set - format the message into e (always returns -1 for convenience). */
int merr_set(struct merr *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* merr_oom - print "out of memory" and exit 99; the only exit below main. */
void merr_oom(void) __attribute__((noreturn));

#endif
