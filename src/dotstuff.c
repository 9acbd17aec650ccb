/*
 * dotstuff.c - CRLF normalisation, dot-stuffing and un-stuffing (RFC 5321
 * 4.1.1.4 and 4.5.2 "transparency"; RFC 5322 2.3: CR and LF only together
 * as CRLF).
 */
#include <config.h>

#include <string.h>

#include "dotstuff.h"

void
dotstuff_init(struct dotstuff *d, unsigned flags)
{
	d->flags = flags;
	d->bol = true;
	d->cr = false;
}

/*
 * text_run - how many bytes from p on (p < end) are neither CR nor LF.
 * *nl and *cr cache the next LF and the next CR at or after p (end when
 * there is none; NULL: not looked for yet), so that each is searched for
 * once per occurrence: the work stays linear in the input, and input
 * without CR costs one search for CR per call.
 */
static size_t
text_run(const char *p, const char *end, const char **nl, const char **cr)
{
	if (*nl == NULL || *nl < p) {
		*nl = memchr(p, '\n', (size_t)(end - p));
		if (*nl == NULL)
			*nl = end;
	}
	if (*cr == NULL || *cr < p) {
		*cr = memchr(p, '\r', (size_t)(end - p));
		if (*cr == NULL)
			*cr = end;
	}
	return (size_t)((*cr < *nl ? *cr : *nl) - p);
}

size_t
dotstuff_encode(struct dotstuff *d, const char *in, size_t n, char *out)
{
	const char *p = in, *end = in + n, *nl = NULL, *cr = NULL;
	bool dots = (d->flags & DOTSTUFF_DOTS) != 0;
	size_t o = 0, run;

	while (p < end) {
		char c = *p;

		if (d->cr) {
			/* CR is always followed by LF on output */
			out[o++] = '\r';
			out[o++] = '\n';
			d->cr = false;
			d->bol = true;
			if (c == '\n') {
				p++;
				continue;
			}
		}
		if (c == '\r') {
			d->cr = true;
			p++;
			continue;
		}
		if (c == '\n') {
			out[o++] = '\r';
			out[o++] = '\n';
			d->bol = true;
			p++;
			continue;
		}
		if (d->bol && c == '.' && dots)
			out[o++] = '.';
		d->bol = false;
		/* the rest of the line's text at once */
		run = text_run(p, end, &nl, &cr);
		memcpy(out + o, p, run);
		o += run;
		p += run;
	}
	return o;
}

size_t
dotstuff_finish(struct dotstuff *d, char *out)
{
	size_t o = 0;

	if (d->cr || !d->bol) {
		out[o++] = '\r';
		out[o++] = '\n';
	}
	d->cr = false;
	d->bol = true;
	if (d->flags & DOTSTUFF_DOTS) {
		out[o++] = '.';
		out[o++] = '\r';
		out[o++] = '\n';
	}
	return o;
}

/* The states of the decoder (struct dotstuff_dec st). */
enum dec_state {
	DEC_BOL,        /* at the start of a line */
	DEC_TEXT,       /* inside a line */
	DEC_CR,         /* after a CR */
	DEC_DOT,        /* after a "." at the start of a line (held) */
	DEC_DOTCR       /* after "." CR at the start of a line (held) */
};

void
dotstuff_decode_init(struct dotstuff_dec *d, unsigned flags)
{
	d->flags = flags;
	d->st = DEC_BOL;
	d->end = false;
}

/* dec_text - copy c, a byte that is not part of a held start of line. */
static size_t
dec_text(struct dotstuff_dec *d, char c, char *out)
{
	if (c == '\n')
		d->st = d->st == DEC_CR || (d->flags & DOTSTUFF_DEC_BARE_LF)
			? DEC_BOL : DEC_TEXT;
	else
		d->st = c == '\r' ? DEC_CR : DEC_TEXT;
	out[0] = c;
	return 1;
}

/* dec_release - the held "." (unless it was stuffing) and CR, when the
 * line turns out not to be the end line. */
static size_t
dec_release(struct dotstuff_dec *d, char *out)
{
	size_t o = 0;

	if (d->flags & DOTSTUFF_DEC_KEEP_DOTS)
		out[o++] = '.';
	if (d->st == DEC_DOTCR) {
		out[o++] = '\r';
		d->st = DEC_CR;
	} else {
		d->st = DEC_TEXT;
	}
	return o;
}

size_t
dotstuff_decode(struct dotstuff_dec *d, const char *in, size_t n, char *out,
		size_t *used)
{
	size_t i, o = 0;

	for (i = 0; i < n && !d->end; i++) {
		char c = in[i];

		if (d->st == DEC_BOL && c == '.') {
			d->st = DEC_DOT;
			continue;
		}
		if (d->st == DEC_DOT && c == '\r') {
			d->st = DEC_DOTCR;
			continue;
		}
		if (c == '\n' && (d->st == DEC_DOTCR
				  || (d->st == DEC_DOT
				      && (d->flags & DOTSTUFF_DEC_BARE_LF)))) {
			d->end = true;
			d->st = DEC_BOL;
			continue;
		}
		if (d->st == DEC_DOT || d->st == DEC_DOTCR)
			o += dec_release(d, out + o);
		o += dec_text(d, c, out + o);
	}
	*used = i;
	return o;
}
