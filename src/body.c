/*
 * body.c - the message on the wire (see body.h): after DATA's 354,
 * dot-stuffed (RFC 5321 4.5.2) and ended with ".", or in BDAT chunks
 * (RFC 3030 2); with LMTP the replies to the end of data are the caller's
 * (RFC 2033 4.2).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "body.h"
#include "dotstuff.h"
#include "gettext.h"
#include "txn.h"
#include "xalloc.h"

/*
 * body_data - stream the message after 354 through the dot-stuffer, one
 * encoded block per write; the last block carries the final "." (and QUIT
 * when pipelined).  Then read the reply to the end of data, if asked to.
 */
int
body_data(struct smtp_session *s, const struct message *m, bool quit,
	  bool read_end, struct reply *r, struct err *err)
{
	char *in = xmalloc(MSG_BLOCK);
	char *enc = xmalloc(DOTSTUFF_BOUND(MSG_BLOCK) + DOTSTUFF_FINISH_MAX
			    + 6);
	unsigned long long wire = 0;
	struct dotstuff ds;
	off_t off = 0;
	int ret = -1;

	dotstuff_init(&ds, DOTSTUFF_DOTS);
	do {
		size_t want = MSG_BLOCK, n;

		if ((off_t)want > m->size - off)
			want = (size_t)(m->size - off);
		if (msg_pread(m, in, want, off, err) < 0)
			goto out;
		off += (off_t)want;
		n = dotstuff_encode(&ds, in, want, enc);
		wire += n;
		transcript_data(s->tr, enc, n, off == m->size);
		if (off == m->size) {
			transcript_note(s->tr, "(message: %lld bytes, %llu "
					"bytes dot-stuffed)",
					(long long)m->size, wire);
			n += dotstuff_finish(&ds, enc + n);
			transcript_sent(s->tr, ".\r\n", 3);
			if (quit) {
				memcpy(enc + n, "QUIT\r\n", 6);
				n += 6;
				transcript_sent(s->tr, "QUIT\r\n", 6);
				s->quit_sent = true;
			}
		}
		if (conn_write(s->conn, enc, n, s->to.data_block, err) < 0)
			goto out;
	} while (off < m->size);
	ret = read_end ? smtp_read_reply(s, r, s->to.data_end,
					 _("end of data"), err)
		       : 0;
out:
	free(in);
	free(enc);
	return ret;
}

/* chunk - one BDAT chunk (RFC 3030 2) of n bytes at off, with QUIT
 * after the last one when quit; its reply into r (not for the last one
 * without read_end: then r->code is 0). */
static int
chunk(struct smtp_session *s, const struct message *m, char *buf, off_t off,
      size_t n, bool quit, bool read_end, struct reply *r, struct err *err)
{
	bool last = off + (off_t)n == m->size;
	int clen;

	clen = snprintf(buf, 64, "BDAT %zu%s\r\n", n, last ? " LAST" : "");
	if (msg_pread(m, buf + clen, n, off, err) < 0)
		return -1;
	transcript_sent(s->tr, buf, (size_t)clen);
	transcript_note(s->tr, "(%zu bytes of message data)", n);
	transcript_data(s->tr, buf + clen, n, last);
	if (last && quit) {
		memcpy(buf + clen + n, "QUIT\r\n", 6);
		transcript_sent(s->tr, "QUIT\r\n", 6);
		s->quit_sent = true;
	}
	if (conn_write(s->conn, buf, (size_t)clen + n + (last && quit ? 6 : 0),
		       s->to.data_block, err) < 0)
		return -1;
	if (last && !read_end) {
		reply_init(r);
		return 0;
	}
	return smtp_read_reply(s, r, s->to.data_end, "BDAT", err);
}

/* body_chunks - the message in BDAT chunks; r gets the reply that
 * settles it (the last one, or the first that is not 2xx). */
int
body_chunks(struct smtp_session *s, const struct message *m, bool quit,
	    bool read_end, struct reply *r, struct err *err)
{
	char *buf = xmalloc(TXN_BDAT_CHUNK + 64 + 8);
	off_t off = 0;
	int ret = 0;

	do {
		size_t n = TXN_BDAT_CHUNK;

		if ((off_t)n > m->size - off)
			n = (size_t)(m->size - off);
		ret = chunk(s, m, buf, off, n, quit, read_end, r, err);
		off += (off_t)n;
	} while (ret == 0 && r->code / 100 == 2 && off < m->size);
	free(buf);
	return ret;
}

