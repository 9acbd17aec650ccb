/*
 * transcript.c - the -v wire trace (see transcript.h).
 */
#include <config.h>

#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "reply.h"
#include "transcript.h"
#include "utf8.h"
#include "util.h"

void
transcript_init(struct transcript *t, FILE *out)
{
	t->out = out;
	t->mem = NULL;
	t->t0_ms = util_now_ms();
}

void
transcript_capture(struct transcript *t, struct buf *mem)
{
	t->mem = mem;
}

static bool
active(const struct transcript *t)
{
	return t != NULL && (t->out != NULL || t->mem != NULL);
}

static void
line(struct transcript *t, const char *dir, const char *s, size_t n)
{
	char tmp[SMTP_LINE_MAX + 1];
	long long ms = util_now_ms() - t->t0_ms;

	printable(tmp, sizeof(tmp), s, n);
	if (t->out != NULL)
		fprintf(t->out, "smtpsend: %3lld.%03lld %s %s\n", ms / 1000,
			ms % 1000, dir, tmp);
	if (t->mem != NULL) {
		/* a full buffer just stops growing: the start of a session
		 * matters most */
		(void)!buf_printf(t->mem, "%3lld.%03lld %s %s\n", ms / 1000,
				  ms % 1000, dir, tmp);
	}
}

void
transcript_sent(struct transcript *t, const char *data, size_t n)
{
	if (!active(t))
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
	if (t->out != NULL)
		fflush(t->out);
}

void
transcript_received(struct transcript *t, const char *s, size_t n)
{
	if (!active(t))
		return;
	line(t, "<-", s, n);
	if (t->out != NULL)
		fflush(t->out);
}

void
transcript_note(struct transcript *t, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;

	if (!active(t))
		return;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	line(t, "--", tmp, strlen(tmp));
	if (t->out != NULL)
		fflush(t->out);
}
