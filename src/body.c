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
					 N_("end of data"), err)
		       : 0;
out:
	free(in);
	free(enc);
	return ret;
}

/* send_chunk - one BDAT chunk (RFC 3030 2) of n bytes at off, read from
 * the spool and written TXN_BDAT_PIECE bytes at a time (the command with
 * the first piece), with QUIT after the last chunk when quit. */
static int
send_chunk(struct smtp_session *s, const struct message *m, char *buf,
	   off_t off, size_t n, bool quit, struct err *err)
{
	bool last = off + (off_t)n == m->size;
	size_t done = 0;
	int clen;

	clen = snprintf(buf, 64, "BDAT %zu%s\r\n", n, last ? " LAST" : "");
	transcript_sent(s->tr, buf, (size_t)clen);
	transcript_note(s->tr, "(%zu bytes of message data)", n);
	do {
		size_t k = n - done < TXN_BDAT_PIECE ? n - done
						     : TXN_BDAT_PIECE;
		bool end = done + k == n;
		size_t len = (size_t)clen + k;

		if (msg_pread(m, buf + clen, k, off + (off_t)done, err) < 0)
			return -1;
		transcript_data(s->tr, buf + clen, k, last && end);
		if (last && end && quit) {
			memcpy(buf + len, "QUIT\r\n", 6);
			len += 6;
			transcript_sent(s->tr, "QUIT\r\n", 6);
			s->quit_sent = true;
		}
		if (conn_write(s->conn, buf, len, s->to.data_block, err) < 0)
			return -1;
		done += k;
		clen = 0;
	} while (done < n);
	return 0;
}

/* chunk_reply - read the reply to the oldest chunk in flight into r. */
static int
chunk_reply(struct smtp_session *s, struct reply *r, struct err *err)
{
	return smtp_read_reply(s, r, s->to.data_end, "BDAT", err);
}

/* drain_refused - after a chunk was refused: the replies to the chunks
 * already in flight (RFC 3030 4: the server discards them), read and
 * ignored to keep the reply stream in step.  Should the server be gone,
 * the refusal stands, but the session is over (no QUIT). */
static void
drain_refused(struct smtp_session *s, size_t ahead)
{
	struct reply ignored;
	struct err err;

	for (; ahead > 0; ahead--)
		if (chunk_reply(s, &ignored, &err) < 0) {
			s->broken = true;
			return;
		}
}

/*
 * body_chunks - the message in BDAT chunks, with PIPELINING up to
 * TXN_BDAT_AHEAD of them ahead of their replies (RFC 3030 4; one at a
 * time with LMTP, whose last chunk is answered per recipient); r
 * gets the reply that settles it (the last one, or the first that is not
 * 2xx: then nothing more is sent).  Every chunk's reply is read, but,
 * without read_end, the last one's.
 */
int
body_chunks(struct smtp_session *s, const struct message *m, bool quit,
	    bool read_end, struct reply *r, struct err *err)
{
	bool pipe = read_end && (s->caps.flags & CAP_PIPELINING);
	size_t depth = pipe ? TXN_BDAT_AHEAD : 1, ahead = 0;
	char *buf = xmalloc(TXN_BDAT_PIECE + 64 + 8);
	off_t off = 0;
	int ret = -1;

	reply_init(r);
	do {
		size_t n = TXN_BDAT_CHUNK;

		if ((off_t)n > m->size - off)
			n = (size_t)(m->size - off);
		if (send_chunk(s, m, buf, off, n, quit, err) < 0)
			goto out;
		off += (off_t)n;
		ahead++;
		if (off == m->size && !read_end)
			ahead--;        /* LMTP: the caller's */
		while (ahead > 0 && (ahead >= depth || off == m->size
				     || conn_wait_readable(s->conn, 0) != 0)) {
			if (chunk_reply(s, r, err) < 0)
				goto out;
			ahead--;
			if (r->code / 100 != 2) {
				drain_refused(s, ahead);
				ret = 0;
				goto out;
			}
		}
	} while (off < m->size);
	if (!read_end)
		reply_init(r);
	ret = 0;
out:
	free(buf);
	return ret;
}
