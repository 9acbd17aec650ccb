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

/* Where a line goes. */
#define TO_OUT 1
#define TO_MEM 2

void
transcript_init(struct transcript *t, FILE *out)
{
	memset(t, 0, sizeof(*t));
	t->out = out;
	t->t0_ms = util_now_ms();
}

void
transcript_start(struct transcript *t, const struct transcript_opts *o)
{
	transcript_init(t, o->out);
	t->color = o->color;
	t->secrets = o->secrets;
	t->body = o->body;
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

/* colour - the ANSI colour of a line: what we send, what the server
 * says by the class of its reply, our notes dimmed. */
static const char *
colour(const char *dir, const char *s)
{
	if (dir[0] == '-' && dir[1] == '>')
		return "\033[36m";
	if (dir[0] == '-')
		return "\033[2m";
	if (s[0] == '4')
		return "\033[33m";
	if (s[0] == '5' || (s[0] != '2' && s[0] != '3'))
		return "\033[31m";
	return "\033[32m";
}

/* mem_line - the entry "SSS.mmm DIR TEXT\n" (as the stream's, without
 * prefix and colours) added to mem whole or not at all; written by hand,
 * as a session with a thousand recipients makes two thousand of them. */
static void
mem_line(struct buf *mem, long long ms, const char *dir, const char *text,
	 size_t n)
{
	char e[32 + SMTP_LINE_MAX], digits[24];
	long long sec;
	size_t o = 0, k = 0, dn = strlen(dir);

	if (ms < 0)
		ms = 0;
	sec = ms / 1000;
	do
		digits[k++] = (char)('0' + sec % 10);
	while ((sec /= 10) > 0 && k < sizeof(digits));
	while (o + k < 3)
		e[o++] = ' ';
	while (k > 0)
		e[o++] = digits[--k];
	e[o++] = '.';
	e[o++] = (char)('0' + ms % 1000 / 100);
	e[o++] = (char)('0' + ms % 100 / 10);
	e[o++] = (char)('0' + ms % 10);
	e[o++] = ' ';
	memcpy(e + o, dir, dn);
	o += dn;
	e[o++] = ' ';
	memcpy(e + o, text, n);
	o += n;
	e[o++] = '\n';
	/* a full buffer just stops growing: the start of a session matters
	 * most */
	(void)!buf_append(mem, e, o);
}

static void
line(struct transcript *t, const char *dir, const char *s, size_t n,
     int where)
{
	char tmp[SMTP_LINE_MAX + 1];
	size_t shown;
	bool to_out = t->out != NULL && (where & TO_OUT);
	bool to_mem = t->mem != NULL && (where & TO_MEM);
	long long ms;

	/* a line for a full memory copy only is not made at all: the entry
	 * is at least "  0.000 -> " and the text */
	if (to_mem && t->mem->len + 12 > t->mem->max)
		to_mem = false;
	if (!to_out && !to_mem)
		return;
	shown = printable(tmp, sizeof(tmp), s, n);
	if (to_mem && t->mem->len + 12 + shown > t->mem->max)
		to_mem = false;
	if (!to_out && !to_mem)
		return;
	ms = util_now_ms() - t->t0_ms;
	if (to_out)
		fprintf(t->out, "smtpsend: %s%3lld.%03lld %s %s%s\n",
			t->color ? colour(dir, tmp) : "", ms / 1000, ms % 1000,
			dir, tmp, t->color ? "\033[0m" : "");
	if (to_mem)
		mem_line(t->mem, ms, dir, tmp, shown);
}

static void
lines(struct transcript *t, const char *data, size_t n, int where)
{
	while (n > 0) {
		const char *nl = memchr(data, '\n', n);
		size_t len = nl ? (size_t)(nl - data) : n;
		size_t shown = len;

		if (shown > 0 && data[shown - 1] == '\r')
			shown--;
		line(t, "->", data, shown, where);
		if (nl == NULL)
			break;
		data += len + 1;
		n -= len + 1;
	}
	if (t->out != NULL)
		fflush(t->out);
}

void
transcript_sent(struct transcript *t, const char *data, size_t n)
{
	if (active(t))
		lines(t, data, n, TO_OUT | TO_MEM);
}

void
transcript_secret(struct transcript *t, const char *data, size_t n,
		  const char *shown, size_t shown_n)
{
	if (!active(t))
		return;
	if (t->secrets) {
		lines(t, data, n, TO_OUT);
		lines(t, shown, shown_n, TO_MEM);
	} else {
		lines(t, shown, shown_n, TO_OUT | TO_MEM);
	}
}

bool
transcript_wants_body(const struct transcript *t)
{
	return t != NULL && t->out != NULL && t->body;
}

void
transcript_data(struct transcript *t, const char *data, size_t n, bool last)
{
	if (!transcript_wants_body(t))
		return;
	while (n > 0) {
		const char *nl = memchr(data, '\n', n);
		size_t len = nl ? (size_t)(nl - data) + 1 : n;
		size_t room = sizeof(t->carry) - t->ncarry;

		if (len > room)
			len = room;
		memcpy(t->carry + t->ncarry, data, len);
		t->ncarry += len;
		data += len;
		n -= len;
		if (t->carry[t->ncarry - 1] == '\n'
		    || t->ncarry == sizeof(t->carry)) {
			lines(t, t->carry, t->ncarry, TO_OUT);
			t->ncarry = 0;
		}
	}
	if (last && t->ncarry > 0) {
		lines(t, t->carry, t->ncarry, TO_OUT);
		t->ncarry = 0;
	}
}

void
transcript_received(struct transcript *t, const char *s, size_t n)
{
	if (!active(t))
		return;
	line(t, "<-", s, n, TO_OUT | TO_MEM);
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
	line(t, "--", tmp, strlen(tmp), TO_OUT | TO_MEM);
	if (t->out != NULL)
		fflush(t->out);
}
