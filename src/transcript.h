/*
 * transcript.h - the -v wire trace.
 *
 * Every line sent ("->") and received ("<-") is written to the trace stream
 * with the time elapsed since the session began, server text made
 * printable.  Message bodies are summarised, not dumped, and lines that
 * carry secrets are redacted by the caller (transcript_redacted).
 */
#ifndef SMTPSEND_TRANSCRIPT_H
#define SMTPSEND_TRANSCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "err.h"

struct buf;

struct transcript {
	FILE *out;              /* NULL: no trace on a stream */
	struct buf *mem;        /* NULL: no copy in memory */
	long long t0_ms;
};

/* transcript_init - trace to out (NULL for none); starts the clock. */
void transcript_init(struct transcript *t, FILE *out);

/* transcript_capture - also keep every trace line in mem (bounded; the
 * queue stores it with an entry whose attempt failed). */
void transcript_capture(struct transcript *t, struct buf *mem);

/* transcript_sent - trace data that was sent: one "->" line per line. */
void transcript_sent(struct transcript *t, const char *data, size_t n);

/* transcript_received - trace one received line (no terminator). */
void transcript_received(struct transcript *t, const char *line, size_t n);

/* transcript_note - a "--" line: connection, summaries, decisions. */
void transcript_note(struct transcript *t, const char *fmt, ...)
	ATTR_PRINTF(2, 3);

#endif
