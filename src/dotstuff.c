/*
 * dotstuff.c - CRLF normalisation and dot-stuffing (RFC 5321 4.1.1.4 and
 * 4.5.2 "transparency"; RFC 5322 2.3: CR and LF only together as CRLF).
 */
#include <config.h>

#include "dotstuff.h"

void
dotstuff_init(struct dotstuff *d, unsigned flags)
{
	d->flags = flags;
	d->bol = true;
	d->cr = false;
}

size_t
dotstuff_encode(struct dotstuff *d, const char *in, size_t n, char *out)
{
	size_t i, o = 0;
	bool dots = (d->flags & DOTSTUFF_DOTS) != 0;

	for (i = 0; i < n; i++) {
		char c = in[i];

		if (d->cr) {
			/* CR is always followed by LF on output */
			out[o++] = '\r';
			out[o++] = '\n';
			d->cr = false;
			d->bol = true;
			if (c == '\n')
				continue;
		}
		if (c == '\r') {
			d->cr = true;
			continue;
		}
		if (c == '\n') {
			out[o++] = '\r';
			out[o++] = '\n';
			d->bol = true;
			continue;
		}
		if (d->bol && c == '.' && dots)
			out[o++] = '.';
		out[o++] = c;
		d->bol = false;
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
