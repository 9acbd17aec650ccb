/*
 * msg.c - spooling the message (RFC 5322 2.3 line endings; RFC 1870 size;
 * RFC 6152 8-bit detection).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dotstuff.h"
#include "gettext.h"
#include "msg.h"
#include "util.h"
#include "xalloc.h"

void
msg_init(struct message *m)
{
	m->fd = -1;
	m->size = 0;
	m->has8bit = false;
	m->lines = 0;
	m->long_line = 0;
	m->long_len = 0;
	m->line_len = 0;
}

void
msg_clear(struct message *m)
{
	if (m->fd >= 0)
		close(m->fd);
	msg_init(m);
}

/* next_block - the next bytes of the input into in (at most
 * MSG_BLOCK): from the prefix first, then from the descriptor.  *off is
 * how far into the prefix.  Returns the count, 0 at the end, -1 with
 * errno. */
static ssize_t
next_block(const struct msg_input *src, size_t *off, char *in)
{
	ssize_t n;

	if (*off < src->prefix_len) {
		size_t left = src->prefix_len - *off;

		n = (ssize_t)(left > MSG_BLOCK ? MSG_BLOCK : left);
		memcpy(in, src->prefix + *off, (size_t)n);
		*off += (size_t)n;
		return n;
	}
	do
		n = read(src->fd, in, MSG_BLOCK);
	while (n < 0 && errno == EINTR);
	return n;
}

/* any_8bit - whether p[0..n) has a byte with the high bit set (a word
 * at a time). */
static bool
any_8bit(const char *p, size_t n)
{
	uint64_t w, acc = 0;
	size_t i = 0;

	for (; i + sizeof(w) <= n; i += sizeof(w)) {
		memcpy(&w, p + i, sizeof(w));
		acc |= w;
	}
	for (; i < n; i++)
		acc |= (unsigned char)p[i];
	return (acc & UINT64_C(0x8080808080808080)) != 0;
}

/* line_end - the line that was long ends here (at a CR or LF). */
static void
line_end(struct message *m, char c, unsigned long *line)
{
	if (m->line_len > MSG_LINE_MAX && m->long_line == 0) {
		m->long_line = *line;
		m->long_len = m->line_len;
	}
	m->line_len = 0;
	if (c == '\n')
		(*line)++;
}

/* scan - count the lines of in[0..n), refuse a NUL, note 8-bit bytes;
 * the first skip bytes are not the caller's input and are not counted.
 * Runs of text are searched with memchr; nl caches the next LF so that a
 * line full of CRs is still read once. */
static int
scan(struct message *m, const char *in, size_t n, size_t skip,
     unsigned long *line, const char *name, struct err *err)
{
	const char *p = in + (skip < n ? skip : n), *end = in + n;
	const char *nl = NULL, *cr, *stop;

	if (!m->has8bit && any_8bit(in, n))
		m->has8bit = true;
	while (p < end) {
		if (nl == NULL || nl < p) {
			nl = memchr(p, '\n', (size_t)(end - p));
			if (nl == NULL)
				nl = end;
		}
		cr = memchr(p, '\r', (size_t)(nl - p));
		stop = cr != NULL ? cr : nl;
		if (memchr(p, '\0', (size_t)(stop - p)) != NULL) {
			err_set(err, ERR_DATA, false,
				_("%s:%lu: the message contains a NUL byte, "
				  "which SMTP cannot carry"), name, *line);
			return -1;
		}
		m->line_len += (size_t)(stop - p);
		if (stop == end)
			break;
		line_end(m, *stop, line);
		p = stop + 1;
	}
	return 0;
}

int
msg_spool_into(struct message *m, const struct msg_input *src, int fd,
	       struct err *err)
{
	char *in = xmalloc(MSG_BLOCK + 2);
	char *out = xmalloc(DOTSTUFF_BOUND(MSG_BLOCK + 2)
			    + DOTSTUFF_FINISH_MAX);
	struct dotstuff ds;
	struct dotstuff_dec dec;
	int ret = -1;
	size_t off = 0, o, used;
	unsigned long line = src->line + 1;
	ssize_t n;

	dotstuff_init(&ds, 0);
	/* sendmail's rule: a line "." (after LF or CRLF) ends the input */
	dotstuff_decode_init(&dec, DOTSTUFF_DEC_BARE_LF
			     | DOTSTUFF_DEC_KEEP_DOTS);
	m->size = 0;
	m->has8bit = false;
	m->long_line = 0;
	m->line_len = 0;
	while (!dec.end) {
		size_t done = off, skip;

		n = next_block(src, &off, in);
		if (n < 0) {
			err_set_errno(err, ERR_IO, true, errno,
				      _("cannot read the message from %s"),
				      src->name);
			goto out;
		}
		if (n == 0)
			break;
		skip = done < src->skip ? src->skip - done : 0;
		if (src->dot_ends) {
			/* cut in place: out is free until the encoder runs;
			 * the input after the "." line is not read */
			size_t kept = dotstuff_decode(&dec, in, (size_t)n, out,
						      &used);
			memcpy(in, out, kept);
			n = (ssize_t)kept;
		}
		if (scan(m, in, (size_t)n, skip, &line, src->name, err) < 0)
			goto out;
		o = dotstuff_encode(&ds, in, (size_t)n, out);
		if (util_write_all(fd, out, o) < 0)
			goto werr;
		m->size += (off_t)o;
	}
	if (m->line_len > MSG_LINE_MAX && m->long_line == 0) {
		m->long_line = line;    /* the last line, without an end */
		m->long_len = m->line_len;
	}
	o = dotstuff_finish(&ds, out);
	if (util_write_all(fd, out, o) < 0)
		goto werr;
	m->size += (off_t)o;
	m->lines = line;
	m->fd = fd;
	ret = 0;
	goto out;
werr:
	err_set_errno(err, ERR_IO, true, errno,
		      _("cannot write the spool file"));
out:
	free(in);
	free(out);
	return ret;
}

int
msg_spool(struct message *m, const struct msg_input *in, const char *dir,
	  struct err *err)
{
	int fd = util_tmpfile(dir, _("spool file"), err);

	if (fd < 0)
		return -1;
	if (msg_spool_into(m, in, fd, err) < 0) {
		close(fd);
		m->fd = -1;
		return -1;
	}
	return 0;
}

int
msg_pread(const struct message *m, char *p, size_t n, off_t off,
	  struct err *err)
{
	while (n > 0) {
		ssize_t r = pread(m->fd, p, n, off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			err_set_errno(err, ERR_IO, true, r < 0 ? errno : EIO,
				      _("cannot read the spool file"));
			return -1;
		}
		p += r;
		n -= (size_t)r;
		off += r;
	}
	return 0;
}
