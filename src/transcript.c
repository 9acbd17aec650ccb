/*
 * transcript.c - the -v wire trace (see transcript.h).
 */
#include <config.h>

#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "reply.h"
#include "transcript.h"

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
transcript_init(struct transcript *t, FILE *out)
{
	t->out = out;
	t->t0_ms = now_ms();
}

static void
line(struct transcript *t, const char *dir, const char *s, size_t n)
{
	char tmp[SMTP_LINE_MAX + 1];
	long long ms = now_ms() - t->t0_ms;

	printable(tmp, sizeof(tmp), s, n);
	fprintf(t->out, "smtpsend: %3lld.%03lld %s %s\n", ms / 1000, ms % 1000,
		dir, tmp);
}

void
transcript_sent(struct transcript *t, const char *data, size_t n)
{
	if (t == NULL || t->out == NULL)
		return;
	while (n > 0) {
		const char *nl = memchr(data, '\n', n);
		size_t len = nl ? (size_t)(nl - data) : n;
		size_t shown = len;

		if (shown > 0 && data[shown - 1] == '\r')
			shown--;
		line(t, "->", data, shown);
		if (nl == NULL)
			break;
		data += len + 1;
		n -= len + 1;
	}
	fflush(t->out);
}

void
transcript_received(struct transcript *t, const char *s, size_t n)
{
	if (t == NULL || t->out == NULL)
		return;
	line(t, "<-", s, n);
	fflush(t->out);
}

void
transcript_note(struct transcript *t, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;

	if (t == NULL || t->out == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	line(t, "--", tmp, strlen(tmp));
	fflush(t->out);
}
