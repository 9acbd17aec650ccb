/*
 * transcript.h - the -v wire trace.
 *
 * Every line sent ("->") and received ("<-") is written to the trace stream
 * with the milliseconds elapsed since the session began, server text made
 * printable; "--" lines note connection events, TLS parameters and
 * decisions.  Message bodies are summarised, not dumped, unless asked for
 * (--transcript-body), and lines that carry secrets are redacted
 * (transcript_secret) unless --transcript-secrets shows them on the stream;
 * the copy kept in memory (for the queue) is always redacted.
 */
#ifndef SMTPSEND_TRANSCRIPT_H
#define SMTPSEND_TRANSCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "err.h"

struct buf;

/* How the trace is written (from the command line). */
struct transcript_opts {
	FILE *out;              /* NULL: no trace on a stream */
	bool color;             /* ANSI colours on out */
	bool secrets;           /* show secrets on out */
	bool body;              /* show the message on out */
};

/* A partial line of message data waits for its end up to this size. */
#define TRANSCRIPT_CARRY_MAX 1000

struct transcript {
	FILE *out;              /* NULL: no trace on a stream */
	struct buf *mem;        /* NULL: no copy in memory */
	long long t0_ms;
	bool color, secrets, body;
	char carry[TRANSCRIPT_CARRY_MAX];      /* message data: a line */
	size_t ncarry;                          /* not yet ended */
};

/* transcript_init - trace to out (NULL for none), plain; starts the
 * clock. */
void transcript_init(struct transcript *t, FILE *out);

/* transcript_start - trace as o says (borrowed); starts the clock. */
void transcript_start(struct transcript *t, const struct transcript_opts *o);

/* transcript_capture - also keep every trace line in mem (bounded; the
 * queue stores it with an entry whose attempt failed). */
void transcript_capture(struct transcript *t, struct buf *mem);

/* transcript_sent - trace data that was sent: one "->" line per line. */
void transcript_sent(struct transcript *t, const char *data, size_t n);

/* transcript_secret - trace a command that carries a secret: shown (its
 * redacted form) everywhere, or data itself on the stream with
 * --transcript-secrets. */
void transcript_secret(struct transcript *t, const char *data, size_t n,
		       const char *shown, size_t shown_n);

/* transcript_wants_body - whether message data is traced line by line
 * (--transcript-body on a stream) rather than summarised. */
bool transcript_wants_body(const struct transcript *t);

/* transcript_data - message data as sent (n bytes, lines cut anywhere);
 * last: its end, the partial line is flushed.  Only on the stream. */
void transcript_data(struct transcript *t, const char *data, size_t n,
		     bool last);

/* transcript_received - trace one received line (no terminator). */
void transcript_received(struct transcript *t, const char *line, size_t n);

/* transcript_note - a "--" line: connection, summaries, decisions. */
void transcript_note(struct transcript *t, const char *fmt, ...)
	ATTR_PRINTF(2, 3);

#endif
