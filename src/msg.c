/*
 * msg.c - spooling the message (RFC 5322 2.3 line endings; RFC 1870 size;
 * RFC 6152 8-bit detection).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dotstuff.h"
#include "gettext.h"
#include "msg.h"
#include "xalloc.h"
#include "util.h"

void
msg_init(struct message *m)
{
	m->fd = -1;
	m->size = 0;
	m->has8bit = false;
	m->lines = 0;
}

void
msg_clear(struct message *m)
{
	if (m->fd >= 0)
		close(m->fd);
	msg_init(m);
}

/*
 * cut_dot - sendmail's rule without -i: a line that is a single "." ends
 * the input.  st carries what the previous chunk left (0 mid-line, 1 at
 * the start of a line, 2 after a leading ".", 3 after ".\r").  Copies the
 * bytes of in that belong to the message to out (with a held-back "." or
 * ".\r" released when the line turns out to go on); returns their count,
 * and sets *end when the terminating line was found.
 */
static size_t
cut_dot(int *st, const char *in, size_t n, char *out, bool *end)
{
	size_t i, o = 0;

	for (i = 0; i < n && !*end; i++) {
		char c = in[i];

		if (*st == 2 || *st == 3) {
			if (c == '\n') {
				*end = true;
				break;
			}
			if (c == '\r' && *st == 2) {
				*st = 3;
				continue;
			}
			out[o++] = '.';
			if (*st == 3)
				out[o++] = '\r';
			*st = 0;
		}
		if (*st == 1 && c == '.') {
			*st = 2;
			continue;
		}
		out[o++] = c;
		*st = c == '\n' ? 1 : 0;
	}
	return o;
}

int
msg_spool_into(struct message *m, int in_fd, const char *name, int fd,
	       struct err *err)
{
	return msg_spool_into_opt(m, in_fd, name, fd, false, NULL, 0, err);
}

int
msg_spool_into_opt(struct message *m, int in_fd, const char *name, int fd,
		   bool dot_ends, const char *prefix, size_t prefix_len,
		   struct err *err)
{
	char *in = NULL, *out = NULL;
	struct dotstuff ds;
	int ret = -1, dot_st = 1;
	bool dot_end = false;
	size_t prefix_off = 0;
	size_t i;
	ssize_t n;
	unsigned long line = 1;

	in = xmalloc(MSG_BLOCK + 2);
	out = xmalloc(DOTSTUFF_BOUND(MSG_BLOCK + 2) + DOTSTUFF_FINISH_MAX);
	dotstuff_init(&ds, 0);
	m->size = 0;
	m->has8bit = false;
	for (;;) {
		size_t o;

		if (dot_end)
			break;
		if (prefix_off < prefix_len) {
			/* what was read already (the prepared headers) */
			n = (ssize_t)(prefix_len - prefix_off > MSG_BLOCK
					      ? MSG_BLOCK
					      : prefix_len - prefix_off);
			memcpy(in, prefix + prefix_off, (size_t)n);
			prefix_off += (size_t)n;
		} else {
			n = read(in_fd, in, MSG_BLOCK);
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set_errno(err, ERR_IO, true, errno,
				      _("cannot read the message from %s"),
				      name);
			goto out;
		}
		if (n == 0)
			break;
		if (dot_ends) {
			/* cut in place: out is free until the encoder runs */
			size_t kept = cut_dot(&dot_st, in, (size_t)n, out,
					      &dot_end);
			memcpy(in, out, kept);
			n = (ssize_t)kept;
		}
		for (i = 0; i < (size_t)n; i++) {
			unsigned char c = (unsigned char)in[i];
			if (c == '\n')
				line++;
			else if (c == 0) {
				err_set(err, ERR_DATA, false,
					_("%s:%lu: the message contains a NUL "
					  "byte, which SMTP cannot carry"),
					name, line);
				goto out;
			} else if (c >= 0x80)
				m->has8bit = true;
		}
		o = dotstuff_encode(&ds, in, (size_t)n, out);
		if (util_write_all(fd, out, o) < 0)
			goto werr;
		m->size += (off_t)o;
	}
	i = dotstuff_finish(&ds, out);
	if (util_write_all(fd, out, i) < 0)
		goto werr;
	m->size += (off_t)i;
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
msg_spool(struct message *m, int in_fd, const char *name, const char *dir,
	  bool dot_ends, const char *prefix, size_t prefix_len,
	  struct err *err)
{
	int fd = util_tmpfile(dir, _("spool file"), err);

	if (fd < 0)
		return -1;
	if (msg_spool_into_opt(m, in_fd, name, fd, dot_ends, prefix,
			       prefix_len, err) < 0) {
		close(fd);
		m->fd = -1;
		return -1;
	}
	return 0;
}
