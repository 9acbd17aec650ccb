/*
 * txn.c - the mail transaction (RFC 5321 3.3, 4.1.1.2-4.1.1.4; RFC 2920
 * PIPELINING; RFC 3030 CHUNKING; RFC 1870 SIZE; RFC 6152 8BITMIME).
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dotstuff.h"
#include "gettext.h"
#include "addr.h"
#include "idn.h"
#include "sasl.h"
#include "txn.h"
#include "xalloc.h"

enum final_cmd { FINAL_NONE, FINAL_DATA, FINAL_BDAT_INLINE };

struct txn {
	struct smtp_session *s;
	struct envelope *e;
	const struct message *m;
	size_t *idx;            /* the recipients of this transaction */
	char **wire;            /* their addresses as sent (A-labels...) */
	char *sender;           /* the sender as sent */
	bool smtputf8;          /* MAIL carries SMTPUTF8 */
	size_t n;
	enum final_cmd final;
	bool mail_ok;
	bool mail_done;
	size_t accepted;
	struct buf group;       /* commands waiting to be written */
	size_t group_cmd_len;   /* how much of group is command text */
	size_t redact_len;      /* the group starts with this many secret
				   bytes (a pipelined AUTH) */
	const struct txn_auth *auth;
	bool auth_pending;      /* its reply is the next to read */
	bool rset_pending;      /* a pipelined RSET's reply comes first */
	bool auth_failed;
	struct err auth_err;
};

static bool
pipelining(const struct txn *t)
{
	return (t->s->caps.flags & CAP_PIPELINING) != 0;
}

/* flush_group - write the pending commands (and inline data) at once. */
static int
flush_group(struct txn *t, struct err *err)
{
	int rc;

	if (t->group.len == 0)
		return 0;
	if (t->redact_len > 0) {
		char shown[80];
		snprintf(shown, sizeof(shown), "AUTH %s <redacted>\r\n",
			 t->auth->plan->mech);
		transcript_sent(t->s->tr, shown, strlen(shown));
	}
	transcript_sent(t->s->tr, t->group.p + t->redact_len,
			t->group_cmd_len - t->redact_len);
	if (t->group.len > t->group_cmd_len)
		transcript_note(t->s->tr, "(%zu bytes of message data)",
				t->group.len - t->group_cmd_len);
	if (t->redact_len > 0)
		rc = conn_write_secret(t->s->conn, t->group.p, t->group.len,
				       t->s->to.command, err);
	else
		rc = conn_write(t->s->conn, t->group.p, t->group.len,
				t->s->to.command, err);
	if (t->redact_len > 0)
		secure_zero(t->group.p, t->redact_len);
	t->redact_len = 0;
	buf_reset(&t->group);
	t->group_cmd_len = 0;
	return rc;
}

static int
add_cmd(struct txn *t, const char *cmd, struct err *err)
{
	if (buf_append_str(&t->group, cmd) < 0) {
		err_set(err, ERR_INTERNAL, false, "command group overflow");
		return -1;
	}
	t->group_cmd_len = t->group.len;
	return 0;
}

/* pread_all - read exactly n bytes of the spool at off. */
static int
pread_all(const struct message *m, char *p, size_t n, off_t off,
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

/* xtext - RFC 3461 4: printable ASCII but "+" and "=" as is, the rest as
 * "+XX". */
static void
xtext(const char *s, char *out, size_t n)
{
	size_t o = 0;

	for (; *s && o + 4 < n; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= '!' && c <= '~' && c != '+' && c != '=')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, n - o, "+%02X", c);
	}
	out[o] = '\0';
}

/* add_command - append command i: 0 MAIL, 1..n RCPT, n+1 the final one. */
static int
add_command(struct txn *t, size_t i, struct err *err)
{
	char cmd[1200];
	const struct message *m = t->m;

	if (i == 0) {
		int len = snprintf(cmd, sizeof(cmd), "MAIL FROM:<%s>",
				   t->sender);
		if (t->s->caps.flags & CAP_SIZE)
			len += snprintf(cmd + len, sizeof(cmd) - (size_t)len,
					" SIZE=%lld", (long long)m->size);
		if (m->has8bit && (t->s->caps.flags & CAP_8BITMIME))
			len += snprintf(cmd + len, sizeof(cmd) - (size_t)len,
					" BODY=8BITMIME");
		if (t->smtputf8)        /* RFC 6531 3.4 */
			len += snprintf(cmd + len, sizeof(cmd) - (size_t)len,
					" SMTPUTF8");
		if (t->s->caps.flags & CAP_DSN) {
			char x[300];
			if (t->e->dsn_ret != NULL)
				len += snprintf(cmd + len,
						sizeof(cmd) - (size_t)len,
						" RET=%s", t->e->dsn_ret);
			if (t->e->dsn_envid != NULL) {
				xtext(t->e->dsn_envid, x, sizeof(x));
				len += snprintf(cmd + len,
						sizeof(cmd) - (size_t)len,
						" ENVID=%s", x);
			}
		}
		snprintf(cmd + len, sizeof(cmd) - (size_t)len, "\r\n");
		return add_cmd(t, cmd, err);
	}
	if (i <= t->n) {
		const char *addr = t->wire[i - 1];
		int len = snprintf(cmd, sizeof(cmd), "RCPT TO:<%s>", addr);

		if ((t->s->caps.flags & CAP_DSN) && t->e->dsn_notify != NULL) {
			/* RFC 3461 4.1, 4.2: NOTIFY and the original
			 * recipient */
			char x[ADDR_MAX * 3 + 1];
			xtext(addr, x, sizeof(x));
			len += snprintf(cmd + len, sizeof(cmd) - (size_t)len,
					" NOTIFY=%s ORCPT=rfc822;%s",
					t->e->dsn_notify, x);
		}
		snprintf(cmd + len, sizeof(cmd) - (size_t)len, "\r\n");
		return add_cmd(t, cmd, err);
	}
	if (t->final == FINAL_DATA)
		return add_cmd(t, "DATA\r\n", err);
	/* FINAL_BDAT_INLINE: the command and the whole (small) message */
	snprintf(cmd, sizeof(cmd), "BDAT %lld LAST\r\n", (long long)m->size);
	if (add_cmd(t, cmd, err) < 0)
		return -1;
	{
		size_t sz = (size_t)m->size;
		char *data = xmalloc(sz ? sz : 1);
		int rc = pread_all(m, data, sz, 0, err);

		if (rc == 0 && buf_append(&t->group, data, sz) < 0) {
			err_set(err, ERR_INTERNAL, false, "group overflow");
			rc = -1;
		}
		free(data);
		return rc;
	}
}

/* settle_accepted - set every accepted recipient from the message's final reply. */
static void
settle_accepted(struct txn *t, const struct reply *r, enum smtp_stage stage)
{
	size_t i;
	enum rcpt_state st = r->code / 100 == 2 ? RCPT_DELIVERED
			     : r->code / 100 == 4 ? RCPT_DEFERRED
						  : RCPT_FAILED;
	char qid[64] = "";

	if (st == RCPT_DELIVERED) {
		t->e->final.code = r->code;
		memcpy(t->e->final.enh, r->enh, sizeof(t->e->final.enh));
		reply_oneline(r, t->e->final.text, sizeof(t->e->final.text));
		if (reply_queue_id(t->e->final.text, qid, sizeof(qid)))
			memcpy(t->e->queue_id, qid, sizeof(qid));
	}
	if (st == RCPT_FAILED)
		t->e->message_rejected = true;
	for (i = 0; i < t->n; i++) {
		struct rcpt *rc = &t->e->rcpts[t->idx[i]];
		if (rc->state != RCPT_ACCEPTED)
			continue;
		envelope_set_reply(rc, st, stage, r);
		if (st == RCPT_DELIVERED)
			memcpy(rc->queue_id, qid, sizeof(qid));
	}
}

/* closing - a 421 reply ends the session (RFC 5321 3.8). */
static int
closing(const struct reply *r, struct err *err)
{
	char text[ERR_TEXT_MAX];

	reply_oneline(r, text, sizeof(text));
	err_set_reply(err, r->code, r->enh, text);
	err->temp = true;
	return -1;
}

/* on_reply - account for the reply to command i. */
static int
on_reply(struct txn *t, size_t i, const struct reply *r, bool *stop,
	 struct err *err)
{
	size_t k;

	if (r->code == 421)
		return closing(r, err);
	if (t->auth_failed)
		return 0;       /* answers to commands sent unauthenticated */
	if (i == 0) {
		t->mail_done = true;
		if (r->code / 100 == 2) {
			t->mail_ok = true;
			return 0;
		}
		for (k = 0; k < t->n; k++)
			envelope_set_reply(&t->e->rcpts[t->idx[k]],
					   r->code / 100 == 4 ? RCPT_DEFERRED
							      : RCPT_FAILED,
					   STAGE_MAIL, r);
		if (r->code / 100 == 5)
			t->e->message_rejected = true;
		*stop = !pipelining(t);
		return 0;
	}
	if (i <= t->n) {
		struct rcpt *rc = &t->e->rcpts[t->idx[i - 1]];
		if (!t->mail_ok)
			return 0;
		if (r->code / 100 == 2) {
			envelope_set_reply(rc, RCPT_ACCEPTED, STAGE_RCPT, r);
			t->accepted++;
		} else if (r->code == 452) {
			envelope_set_reply(rc, RCPT_RETRY, STAGE_RCPT, r);
		} else {
			envelope_set_reply(rc, r->code / 100 == 4
						       ? RCPT_DEFERRED
						       : RCPT_FAILED,
					   STAGE_RCPT, r);
		}
		return 0;
	}
	/* the final command: DATA or the inline BDAT */
	if (t->final == FINAL_BDAT_INLINE) {
		if (t->accepted > 0)
			settle_accepted(t, r, STAGE_BODY);
		return 0;
	}
	return 0;       /* DATA: handled by the caller */
}

/*
 * send_data - stream the message after 354 through the dot-stuffer, one
 * encoded block per write; the last block carries the final "." (and QUIT
 * when pipelined).  Then read the reply to the end of data.
 */
static int
send_data(struct txn *t, bool quit, struct reply *r, struct err *err)
{
	struct smtp_session *s = t->s;
	struct dotstuff ds;
	char *in, *enc;
	off_t off = 0;
	unsigned long long wire = 0;
	int ret = -1;

	in = xmalloc(MSG_BLOCK);
	enc = xmalloc(DOTSTUFF_BOUND(MSG_BLOCK) + DOTSTUFF_FINISH_MAX + 6);
	dotstuff_init(&ds, DOTSTUFF_DOTS);
	do {
		size_t want = MSG_BLOCK, n;

		if ((off_t)want > t->m->size - off)
			want = (size_t)(t->m->size - off);
		if (pread_all(t->m, in, want, off, err) < 0)
			goto out;
		off += (off_t)want;
		n = dotstuff_encode(&ds, in, want, enc);
		wire += n;
		if (off == t->m->size) {
			transcript_note(s->tr, "(message: %lld bytes, %llu "
					"bytes dot-stuffed)",
					(long long)t->m->size, wire);
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
	} while (off < t->m->size);
	if (smtp_read_reply(s, r, s->to.data_end, _("end of data"), err) < 0)
		goto out;
	ret = 0;
out:
	free(in);
	free(enc);
	return ret;
}

/* send_bdat_chunks - the message in BDAT chunks; reply of the last. */
static int
send_bdat_chunks(struct txn *t, bool quit, struct reply *r, struct err *err)
{
	struct smtp_session *s = t->s;
	char *chunk = NULL;
	off_t off = 0;
	int ret = -1;
	char cmd[64];

	chunk = xmalloc(TXN_BDAT_CHUNK + sizeof(cmd) + 8);
	do {
		size_t n = TXN_BDAT_CHUNK, clen;
		bool last;

		if ((off_t)n > t->m->size - off)
			n = (size_t)(t->m->size - off);
		last = off + (off_t)n == t->m->size;
		clen = (size_t)snprintf(cmd, sizeof(cmd), "BDAT %zu%s\r\n", n,
					last ? " LAST" : "");
		memcpy(chunk, cmd, clen);
		if (pread_all(t->m, chunk + clen, n, off, err) < 0)
			goto out;
		transcript_sent(s->tr, cmd, clen);
		transcript_note(s->tr, "(%zu bytes of message data)", n);
		if (last && quit) {
			memcpy(chunk + clen + n, "QUIT\r\n", 6);
			transcript_sent(s->tr, "QUIT\r\n", 6);
			s->quit_sent = true;
		}
		if (conn_write(s->conn, chunk, clen + n + (last && quit ? 6 : 0),
			       s->to.data_block, err) < 0)
			goto out;
		off += (off_t)n;
		if (smtp_read_reply(s, r, s->to.data_end, "BDAT", err) < 0)
			goto out;
		if (r->code / 100 != 2)
			break;  /* the reply settles the message */
	} while (off < t->m->size);
	ret = 0;
out:
	free(chunk);
	return ret;
}

int
txn_run(struct smtp_session *s, struct envelope *e, const struct message *m,
	const struct txn_auth *auth, bool *more, enum smtp_stage *stage,
	struct err *err)
{
	struct txn t;
	struct reply r;
	size_t i, ncmd, sent = 0, recvd = 0, window;
	bool stop = false, chunking;
	int ret = -1, arc;
	bool data_go = false;

	memset(&t, 0, sizeof(t));
	t.s = s;
	t.e = e;
	t.m = m;
	*more = false;
	*stage = STAGE_MAIL;
	/* with a pipelined AUTH the group holds a secret: no copy of it
	 * may stay behind when the buffer grows */
	if (auth != NULL)
		buf_init_secret(&t.group, SMTP_GROUP_MAX + TXN_BDAT_INLINE_MAX);
	else
		buf_init(&t.group, SMTP_GROUP_MAX + TXN_BDAT_INLINE_MAX);
	t.idx = xmalloc((e->n ? e->n : 1) * sizeof(*t.idx));
	for (i = 0; i < e->n; i++) {
		if (e->rcpts[i].state == RCPT_PENDING
		    || e->rcpts[i].state == RCPT_RETRY) {
			e->rcpts[i].state = RCPT_PENDING;
			t.idx[t.n++] = i;
		}
	}
	if (t.n == 0) {
		ret = 0;
		goto out;
	}

	/* RFC 6531: UTF-8 addresses need SMTPUTF8; without it a domain goes
	 * as A-labels (RFC 5890), and a UTF-8 local part cannot go at all */
	{
		bool utf8 = (s->caps.flags & CAP_SMTPUTF8) != 0;
		struct err ierr;
		size_t k, kept = 0;

		if (idn_for_server(e->sender, utf8, &t.sender, &ierr) < 0) {
			for (i = 0; i < t.n; i++)
				envelope_set_err(&e->rcpts[t.idx[i]],
						 RCPT_FAILED, STAGE_LOCAL,
						 &ierr);
			e->message_rejected = true;
			transcript_note(s->tr, "%s", ierr.text);
			ret = 0;
			goto out;
		}
		t.smtputf8 = utf8 && idn_needs_smtputf8(e->sender);
		t.wire = xcalloc(t.n, sizeof(*t.wire));
		for (k = 0; k < t.n; k++) {
			struct rcpt *rc = &e->rcpts[t.idx[k]];
			char *w;

			if (idn_for_server(rc->addr, utf8, &w, &ierr) < 0) {
				envelope_set_err(rc, RCPT_FAILED, STAGE_LOCAL,
						 &ierr);
				continue;
			}
			if (utf8 && idn_needs_smtputf8(rc->addr))
				t.smtputf8 = true;
			t.idx[kept] = t.idx[k];
			t.wire[kept++] = w;
		}
		t.n = kept;
		if (t.n == 0) {
			ret = 0;
			goto out;
		}
	}

	/* RFC 1870 6.1: do not send what the server has said it won't take */
	if ((s->caps.flags & CAP_SIZE) && s->caps.size_max > 0
	    && (unsigned long long)m->size > s->caps.size_max) {
		struct err lerr;
		err_set(&lerr, ERR_REJECT, false,
			_("message size %lld bytes exceeds the server's limit "
			  "of %llu bytes"), (long long)m->size,
			s->caps.size_max);
		lerr.code = 0;
		for (i = 0; i < t.n; i++)
			envelope_set_err(&e->rcpts[t.idx[i]], RCPT_FAILED,
					 STAGE_LOCAL, &lerr);
		e->message_rejected = true;
		transcript_note(s->tr, "%s", lerr.text);
		ret = 0;
		goto out;
	}

	if ((e->dsn_notify || e->dsn_ret || e->dsn_envid)
	    && !(s->caps.flags & CAP_DSN) && !e->dsn_warned) {
		/* the message still goes: a missing DSN is no reason to
		 * refuse it */
		e->dsn_warned = true;
		fprintf(stderr, _("smtpsend: warning: the server does not "
				  "offer DSN; the delivery status "
				  "notification requests (NOTIFY, RET, ENVID) "
				  "are not sent\n"));
	}
	chunking = (s->caps.flags & CAP_CHUNKING) != 0;
	/* with a pipelined AUTH, no message data before its reply */
	if (chunking && pipelining(&t) && m->size <= TXN_BDAT_INLINE_MAX
	    && auth == NULL)
		t.final = FINAL_BDAT_INLINE;
	else if (chunking)
		t.final = FINAL_NONE;
	else
		t.final = FINAL_DATA;
	ncmd = 1 + t.n + (t.final != FINAL_NONE ? 1 : 0);
	window = pipelining(&t) ? TXN_WINDOW : 1;
	if (s->rset_first) {
		/* a further message on a reused connection: RSET clears any
		 * state the previous one left, in the same write as MAIL */
		s->rset_first = false;
		t.rset_pending = true;
		if (add_cmd(&t, "RSET\r\n", err) < 0)
			goto out;
	}
	if (auth != NULL) {
		/* RFC 4954 4: a one-round-trip mechanism with its initial
		 * response may lead a pipelined group */
		t.auth = auth;
		t.auth_pending = true;
		arc = buf_append_str(&t.group, auth->line);
		secure_zero(auth->line, strlen(auth->line));
		if (arc < 0) {
			err_set(err, ERR_INTERNAL, false, "group overflow");
			goto out;
		}
		t.redact_len = t.group.len;
		t.group_cmd_len = t.group.len;
	}

	while (recvd < ncmd && !stop) {
		const char *what;
		int to;

		while (sent < ncmd && sent - recvd < window) {
			/* without PIPELINING, DATA only for an accepted
			 * recipient (there is no use in asking otherwise) */
			if (!pipelining(&t) && sent == t.n + 1
			    && t.accepted == 0)
				break;
			if (add_command(&t, sent, err) < 0)
				goto out;
			sent++;
		}
		if (sent == recvd)
			break;  /* nothing more worth sending */
		if (flush_group(&t, err) < 0) {
			*stage = recvd == 0 ? STAGE_MAIL
				 : recvd <= t.n ? STAGE_RCPT : STAGE_DATA;
			goto out;
		}
		if (t.rset_pending) {
			struct reply rr;

			t.rset_pending = false;
			if (smtp_read_reply(s, &rr, s->to.command, "RSET", err)
			    < 0)
				goto out;
			if (rr.code == 421) {
				closing(&rr, err);
				goto out;
			}
		}
		if (t.auth_pending) {
			struct reply ar;

			t.auth_pending = false;
			*stage = STAGE_AUTH;
			if (smtp_read_reply(s, &ar, s->to.command, "AUTH", err)
			    < 0)
				goto out;
			if (sasl_oneshot_result(&ar, auth->plan, &t.auth_err)
			    < 0)
				t.auth_failed = true;
			if (t.auth_failed && t.auth_err.cls == ERR_PROTO) {
				/* the server reads what follows as AUTH
				 * data: nothing more can be understood */
				*err = t.auth_err;
				s->broken = true;
				goto out;
			}
		}
		if (recvd == 0) {
			what = "MAIL FROM";
			to = s->to.command;
			*stage = STAGE_MAIL;
		} else if (recvd <= t.n) {
			what = "RCPT TO";
			to = s->to.command;
			*stage = STAGE_RCPT;
		} else if (t.final == FINAL_DATA) {
			what = "DATA";
			to = s->to.data_init;
			*stage = STAGE_DATA;
		} else {
			what = "BDAT";
			to = s->to.data_end;
			*stage = STAGE_BODY;
		}
		if (smtp_read_reply(s, &r, to, what, err) < 0)
			goto out;
		if (on_reply(&t, recvd, &r, &stop, err) < 0)
			goto out;
		recvd++;
		if (recvd == t.n + 2 && t.final == FINAL_DATA) {
			if (r.code == 354)
				data_go = true;
			else if (t.accepted > 0 && t.mail_ok) {
				for (i = 0; i < t.n; i++) {
					struct rcpt *rc = &e->rcpts[t.idx[i]];
					if (rc->state == RCPT_ACCEPTED)
						envelope_set_reply(
						    rc, r.code / 100 == 4
							    ? RCPT_DEFERRED
							    : RCPT_FAILED,
						    STAGE_DATA, &r);
				}
				if (r.code / 100 == 5)
					e->message_rejected = true;
			}
		}
	}

	if (t.auth_failed) {
		/* nothing was sent under a failed AUTH but commands; a 354
		 * means the server waits for a message: leave without the
		 * final dot, so that nothing can be delivered */
		if (data_go)
			s->broken = true;
		*err = t.auth_err;
		*stage = STAGE_AUTH;
		goto out;
	}

	/* RETRY recipients go on only if this transaction made progress */
	if (t.accepted > 0 && t.mail_ok) {
		for (i = 0; i < t.n; i++)
			if (e->rcpts[t.idx[i]].state == RCPT_RETRY)
				*more = true;
	} else {
		for (i = 0; i < t.n; i++) {
			struct rcpt *rc = &e->rcpts[t.idx[i]];
			if (rc->state == RCPT_RETRY)
				rc->state = RCPT_DEFERRED;
		}
	}

	*stage = STAGE_BODY;
	if (data_go) {
		bool quit = pipelining(&t) && !*more && !s->hold_open;
		if (t.accepted == 0 || !t.mail_ok) {
			/* 354 with nothing accepted: end the data at once */
			transcript_note(s->tr, "(no recipient accepted: no "
					"message data sent)");
			if (smtp_write(s, ".\r\n", 3, s->to.data_block, err) < 0
			    || smtp_read_reply(s, &r, s->to.data_end,
					       _("end of data"), err) < 0)
				goto out;
		} else {
			if (send_data(&t, quit, &r, err) < 0)
				goto out;
			settle_accepted(&t, &r, STAGE_BODY);
		}
	} else if (t.final == FINAL_NONE && t.accepted > 0 && t.mail_ok) {
		bool quit = pipelining(&t) && !*more && !s->hold_open;
		if (send_bdat_chunks(&t, quit, &r, err) < 0)
			goto out;
		settle_accepted(&t, &r, STAGE_BODY);
	}
	ret = 0;
out:
	buf_clear(&t.group);
	if (t.wire != NULL) {
		for (i = 0; i < t.n; i++)
			free(t.wire[i]);
		free(t.wire);
	}
	free(t.sender);
	free(t.idx);
	return ret;
}
