/*
 * txn.c - the mail transaction (RFC 5321 3.3, 4.1.1.2-4.1.1.4; RFC 2920
 * PIPELINING; RFC 3030 CHUNKING; RFC 1870 SIZE; RFC 6152 8BITMIME;
 * RFC 6531 SMTPUTF8; RFC 3461 DSN; RFC 4954 4 AUTH pipelined; RFC 2033
 * 4.2 LMTP's reply per recipient).
 *
 * The transaction is a plan of named commands - [RSET] [AUTH] MAIL
 * RCPT... [DATA | BDAT] - sent in groups (one write each, up to a window
 * of commands ahead of their replies with PIPELINING, one at a time
 * without) and answered in order: the replies are matched to the plan's
 * commands one by one, and each kind of command has its handler.  With
 * LMTP, the end of the message adds to the plan a step for each recipient
 * accepted at RCPT, in RCPT order, which takes that recipient's own reply.
 * What a reply means for a recipient is decided in one place (decide()).
 * What is settled before the first command (the addresses as sent, the
 * size limit, DSN) is preflight.c's.
 */
#include <config.h>

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "body.h"
#include "gettext.h"
#include "preflight.h"
#include "sasl.h"
#include "txn.h"
#include "xalloc.h"

/* CMD_FINAL is no command but the end of the message as LMTP answers it:
 * once for each recipient accepted at RCPT. */
enum cmd {
	CMD_RSET, CMD_AUTH, CMD_MAIL, CMD_RCPT, CMD_DATA, CMD_BDAT, CMD_FINAL
};

struct txn;

/* What each kind of command is: for errors, its name and the stage a
 * failure is charged to (reading its reply; writing the group that
 * holds it); the timeout of its reply; what its reply does. */
static const struct cmd_info {
	const char *what;
	enum smtp_stage stage;
	enum smtp_stage write_stage;
	size_t timeout;         /* offset in struct smtp_timeouts */
	bool lead;              /* before MAIL: not counted in the window */
	int (*reply)(struct txn *t, size_t rcpt, const struct reply *r,
		     struct err *err);
} cmds[];

/* A command of the plan: its kind and, for RCPT and FINAL, its recipient
 * (an index into struct txn's idx and pf.wire). */
struct step {
	enum cmd kind;
	size_t rcpt;
};

struct txn {
	struct smtp_session *s;
	struct envelope *e;
	const struct message *m;
	size_t *idx;            /* the recipients of this transaction */
	size_t n;
	struct preflight pf;    /* their addresses as sent (A-labels...) */
	bool pipelining;
	bool chunks;            /* the message goes in BDAT chunks after
				   the envelope */
	struct step *plan;      /* the commands, in order */
	size_t nplan;
	size_t sent, recvd;     /* plan[recvd..sent) await their replies */
	size_t nleads;          /* RSET and AUTH at the front */
	bool mail_ok;
	bool stop;              /* send nothing more (MAIL refused) */
	bool data_go;           /* DATA was answered 354 */
	size_t accepted;
	struct buf group;       /* commands waiting to be written */
	size_t group_cmd_len;   /* how much of group is command text */
	bool group_quit;        /* QUIT ends the group, after the data */
	size_t secret_off;      /* the group's secret bytes (a pipelined */
	size_t secret_len;      /* AUTH): where, how many */
	const struct txn_auth *auth;
	bool auth_failed;
	struct err auth_err;
};

/* ---- the recipients ---------------------------------------------------- */

/* decide - what a reply code means for a recipient: to RCPT (rcpt) 2xx
 * accepts it and 452 (too many recipients, RFC 5321 4.5.3.1.10) keeps it
 * for a further transaction; to the message 2xx delivers it; 4xx defers
 * it; anything else fails it. */
static enum rcpt_state
decide(int code, bool rcpt)
{
	if (code / 100 == 2)
		return rcpt ? RCPT_ACCEPTED : RCPT_DELIVERED;
	if (rcpt && code == 452)
		return RCPT_RETRY;
	return code / 100 == 4 ? RCPT_DEFERRED : RCPT_FAILED;
}

static struct rcpt *
rcpt_of(struct txn *t, size_t i)
{
	return &t->e->rcpts[t->idx[i]];
}

/* settle - the recipients of the transaction take r: all of them, or
 * those it accepted. */
static void
settle(struct txn *t, bool all, const struct reply *r, enum smtp_stage stage)
{
	enum rcpt_state to = decide(r->code, false);
	size_t i;

	for (i = 0; i < t->n; i++)
		if (all || rcpt_of(t, i)->state == RCPT_ACCEPTED)
			envelope_set_reply(rcpt_of(t, i), to, stage, r);
}

/* final_status - a 2xx reply to the message is the envelope's final
 * status (with LMTP, the first recipient's); qid (64 bytes) gets the
 * server's queue id from it, or "". */
static void
final_status(struct txn *t, const struct reply *r, char *qid)
{
	struct status *f = &t->e->final;
	char text[ERR_TEXT_MAX];

	qid[0] = '\0';
	if (r->code / 100 != 2)
		return;
	reply_oneline(r, text, sizeof(text));
	if (!reply_queue_id(text, qid, sizeof(t->e->queue_id)))
		qid[0] = '\0';
	if (t->s->lmtp && f->code != 0)
		return;
	f->code = r->code;
	memcpy(f->enh, r->enh, sizeof(f->enh));
	status_set_text(f, text);
	if (qid[0])
		memcpy(t->e->queue_id, qid, sizeof(t->e->queue_id));
}

/* delivered - the final reply to the message: the accepted recipients
 * take it; the server's queue id is kept. */
static void
delivered(struct txn *t, const struct reply *r)
{
	char qid[sizeof(t->e->queue_id)];
	size_t i;

	final_status(t, r, qid);
	if (decide(r->code, false) == RCPT_FAILED)
		t->e->message_rejected = true;
	settle(t, false, r, STAGE_BODY);
	for (i = 0; i < t->n && qid[0]; i++)
		if (rcpt_of(t, i)->state == RCPT_DELIVERED)
			memcpy(rcpt_of(t, i)->queue_id, qid, sizeof(qid));
}

/* expect_finals - LMTP (RFC 2033 4.2): the end of the message is sent;
 * a reply follows for each recipient accepted at RCPT, in RCPT order.
 * They join the plan as steps already sent. */
static void
expect_finals(struct txn *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (rcpt_of(t, i)->state == RCPT_ACCEPTED) {
			t->plan[t->nplan].kind = CMD_FINAL;
			t->plan[t->nplan++].rcpt = i;
		}
	t->sent = t->nplan;
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

/* ---- the reply handlers, one per kind of command ---------------------- */

static int
on_rset(struct txn *t, size_t rcpt, const struct reply *r, struct err *err)
{
	return r->code == 421 ? closing(r, err) : 0;
}

static int
on_auth(struct txn *t, size_t rcpt, const struct reply *r, struct err *err)
{
	if (sasl_oneshot_result(r, t->auth->plan, &t->auth_err) == 0)
		return 0;
	t->auth_failed = true;
	if (t->auth_err.cls != ERR_PROTO)
		return 0;       /* the rest is read and ignored */
	/* the server reads what follows as AUTH data: nothing more can be
	 * understood */
	*err = t->auth_err;
	t->s->broken = true;
	return -1;
}

static int
on_mail(struct txn *t, size_t rcpt, const struct reply *r, struct err *err)
{
	if (r->code == 421)
		return closing(r, err);
	if (t->auth_failed)
		return 0;       /* answers to commands sent unauthenticated */
	if (r->code / 100 == 2) {
		t->mail_ok = true;
		return 0;
	}
	settle(t, true, r, STAGE_MAIL);
	if (r->code / 100 == 5)
		t->e->message_rejected = true;
	t->stop = !t->pipelining;
	return 0;
}

static int
on_rcpt(struct txn *t, size_t rcpt, const struct reply *r, struct err *err)
{
	enum rcpt_state st = decide(r->code, true);

	if (r->code == 421)
		return closing(r, err);
	if (t->auth_failed || !t->mail_ok)
		return 0;
	envelope_set_reply(rcpt_of(t, rcpt), st, STAGE_RCPT, r);
	if (st == RCPT_ACCEPTED)
		t->accepted++;
	return 0;
}

static int
on_data(struct txn *t, size_t rcpt, const struct reply *r, struct err *err)
{
	if (r->code == 421)
		return closing(r, err);
	if (r->code == 354)
		t->data_go = true;      /* also after a failed AUTH: then the
					   data is refused by leaving */
	else if (t->accepted > 0 && t->mail_ok) {
		settle(t, false, r, STAGE_DATA);
		if (r->code / 100 == 5)
			t->e->message_rejected = true;
	}
	return 0;
}

static int on_final(struct txn *t, size_t rcpt, const struct reply *r,
		    struct err *err);

/* on_bdat - the reply to "BDAT n LAST" sent with the envelope; with LMTP
 * it is the first of the replies for the accepted recipients. */
static int
on_bdat(struct txn *t, size_t rcpt, const struct reply *r, struct err *err)
{
	if (r->code == 421)
		return closing(r, err);
	if (t->auth_failed || t->accepted == 0)
		return 0;
	if (!t->s->lmtp) {
		delivered(t, r);
		return 0;
	}
	expect_finals(t);
	rcpt = t->plan[t->recvd++].rcpt;
	return on_final(t, rcpt, r, err);
}

/* on_final - LMTP: one recipient's own reply to the message: 2xx
 * delivered, 4xx deferred, 5xx failed (that recipient alone, not the
 * message).  A 421 ends the session: the recipients still open are
 * deferred. */
static int
on_final(struct txn *t, size_t rcpt, const struct reply *r, struct err *err)
{
	struct rcpt *rc = rcpt_of(t, rcpt);
	char qid[sizeof(rc->queue_id)];

	if (r->code == 421)
		return closing(r, err);
	final_status(t, r, qid);
	envelope_set_reply(rc, decide(r->code, false), STAGE_BODY, r);
	if (rc->state == RCPT_DELIVERED && qid[0])
		memcpy(rc->queue_id, qid, sizeof(qid));
	return 0;
}

#define TO(field) offsetof(struct smtp_timeouts, field)

static const struct cmd_info cmds[] = {
	[CMD_RSET] = { "RSET", STAGE_MAIL, STAGE_MAIL, TO(command), true,
		       on_rset },
	[CMD_AUTH] = { "AUTH", STAGE_AUTH, STAGE_MAIL, TO(command), true,
		       on_auth },
	[CMD_MAIL] = { "MAIL FROM", STAGE_MAIL, STAGE_MAIL, TO(command), false,
		       on_mail },
	[CMD_RCPT] = { "RCPT TO", STAGE_RCPT, STAGE_RCPT, TO(command), false,
		       on_rcpt },
	[CMD_DATA] = { "DATA", STAGE_DATA, STAGE_DATA, TO(data_init), false,
		       on_data },
	[CMD_BDAT] = { "BDAT", STAGE_BODY, STAGE_DATA, TO(data_end), false,
		       on_bdat },
	[CMD_FINAL] = { N_("end of data"), STAGE_BODY, STAGE_BODY,
			TO(data_end), false, on_final },
};

static int
timeout_of(const struct txn *t, enum cmd kind)
{
	return *(const int *)((const char *)&t->s->to + cmds[kind].timeout);
}

/* ---- the commands ------------------------------------------------------ */

/* put_xtext - s as RFC 3461 4 xtext: printable ASCII but "+" and "=" as
 * they are, the rest as "+XX". */
static int
put_xtext(struct buf *b, const char *s)
{
	int rc = 0;

	for (; *s && rc == 0; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= '!' && c <= '~' && c != '+' && c != '=')
			rc = buf_append(b, s, 1);
		else
			rc = buf_printf(b, "+%02X", c);
	}
	return rc;
}

/* put_mail - MAIL FROM with the parameters the server understands. */
static int
put_mail(struct txn *t)
{
	const struct caps *c = &t->s->caps;
	struct buf *b = &t->group;
	int rc = buf_printf(b, "MAIL FROM:<%s>", t->pf.sender);

	if (c->flags & CAP_SIZE)
		rc |= buf_printf(b, " SIZE=%lld", (long long)t->m->size);
	if (t->m->has8bit && (c->flags & CAP_8BITMIME))
		rc |= buf_append_str(b, " BODY=8BITMIME");
	if (t->pf.smtputf8)     /* RFC 6531 3.4 */
		rc |= buf_append_str(b, " SMTPUTF8");
	if ((c->flags & CAP_DSN) && t->e->dsn_ret != NULL)
		rc |= buf_printf(b, " RET=%s", t->e->dsn_ret);
	if ((c->flags & CAP_DSN) && t->e->dsn_envid != NULL)
		rc |= buf_append_str(b, " ENVID=")
		      | put_xtext(b, t->e->dsn_envid);
	return rc | buf_append(b, "\r\n", 2);
}

/* put_rcpt - RCPT TO, with NOTIFY and the original recipient (RFC 3461
 * 4.1, 4.2) when DSN is asked for and offered. */
static int
put_rcpt(struct txn *t, size_t i)
{
	struct buf *b = &t->group;
	int rc = buf_append_str(b, "RCPT TO:<")
		 | buf_append_str(b, t->pf.wire[i]) | buf_append(b, ">", 1);

	if ((t->s->caps.flags & CAP_DSN) && t->e->dsn_notify != NULL)
		rc |= buf_printf(b, " NOTIFY=%s ORCPT=rfc822;",
				 t->e->dsn_notify)
		      | put_xtext(b, t->pf.wire[i]);
	return rc | buf_append(b, "\r\n", 2);
}

/* quit_inline - whether QUIT may follow an inline "BDAT n LAST" in the
 * same write (RFC 2920 3.1: QUIT may end a group): when nothing is to
 * follow on this connection.  A further transaction follows only for
 * recipients answered 452 (too many recipients); a server must accept 100
 * recipients per transaction (RFC 5321 4.5.3.1.8), so up to that many no
 * further transaction is expected; should a 452 come anyway, those
 * recipients are deferred (retry_or_defer).  Not with LMTP, whose replies
 * per recipient follow the data. */
static bool
quit_inline(const struct txn *t)
{
	const struct smtp_session *s = t->s;

	return !s->hold_open && !s->lmtp && t->n <= TXN_RCPTS_SURE;
}

/* put_bdat_inline - "BDAT n LAST" and the whole (small) message, and QUIT
 * when nothing follows. */
static int
put_bdat_inline(struct txn *t, struct err *err)
{
	size_t sz = (size_t)t->m->size;
	char *data;
	int rc;

	if (buf_printf(&t->group, "BDAT %lld LAST\r\n",
		       (long long)t->m->size) < 0)
		goto overflow;
	t->group_cmd_len = t->group.len;
	data = xmalloc(sz ? sz : 1);
	rc = msg_pread(t->m, data, sz, 0, err);
	if (rc == 0 && buf_append(&t->group, data, sz) < 0)
		rc = 1;
	free(data);
	if (rc == 0 && quit_inline(t)) {
		if (buf_append_str(&t->group, "QUIT\r\n") < 0)
			goto overflow;
		t->group_quit = true;
	}
	if (rc <= 0)
		return rc;      /* done, or the spool could not be read */
overflow:
	err_set(err, ERR_INTERNAL, false, "command group overflow");
	return -1;
}

/* put_auth - the AUTH line (a secret) into the group: it is wiped where
 * it came from at once, and the group is a secret buffer. */
static int
put_auth(struct txn *t)
{
	int rc;

	t->secret_off = t->group.len;
	rc = buf_append_str(&t->group, t->auth->line);
	secure_zero(t->auth->line, strlen(t->auth->line));
	t->secret_len = t->group.len - t->secret_off;
	return rc;
}

/* put - the command of step st into the group.  0, or -1 with err. */
static int
put(struct txn *t, const struct step *st, struct err *err)
{
	int rc = 0;

	switch (st->kind) {
	case CMD_RSET: rc = buf_append_str(&t->group, "RSET\r\n"); break;
	case CMD_AUTH: rc = put_auth(t); break;
	case CMD_MAIL: rc = put_mail(t); break;
	case CMD_RCPT: rc = put_rcpt(t, st->rcpt); break;
	case CMD_DATA: rc = buf_append_str(&t->group, "DATA\r\n"); break;
	case CMD_BDAT: return put_bdat_inline(t, err);
	case CMD_FINAL: break;  /* sent as the end of the message */
	}
	if (rc != 0) {
		err_set(err, ERR_INTERNAL, false, "command group overflow");
		return -1;
	}
	t->group_cmd_len = t->group.len;
	return 0;
}

/* ---- sending and reading ----------------------------------------------- */

/* flush_group - write the pending commands (and inline data) at once;
 * the transcript shows the AUTH line redacted and no message data. */
static int
flush_group(struct txn *t, struct err *err)
{
	struct transcript *tr = t->s->tr;
	const char *p = t->group.p;
	size_t end = t->secret_off + t->secret_len;
	size_t data_end = t->group.len - (t->group_quit ? 6 : 0);
	int rc;

	if (t->group.len == 0)
		return 0;
	if (t->secret_len > 0) {
		struct buf shown;

		transcript_sent(tr, p, t->secret_off);
		/* room for the longest mechanism name of a plan */
		buf_init(&shown, 32 + sizeof(t->auth->plan->mech));
		if (buf_printf(&shown, "AUTH %s <redacted>\r\n",
			       t->auth->plan->mech) == 0)
			transcript_secret(tr, p + t->secret_off, t->secret_len,
					  shown.p, shown.len);
		buf_clear(&shown);
	}
	transcript_sent(tr, p + end, t->group_cmd_len - end);
	if (data_end > t->group_cmd_len)
		transcript_note(tr, "(%zu bytes of message data)",
				data_end - t->group_cmd_len);
	transcript_data(tr, p + t->group_cmd_len, data_end - t->group_cmd_len,
			true);
	if (t->group_quit) {
		transcript_sent(tr, p + data_end, 6);
		t->s->quit_sent = true;
	}
	if (t->secret_len > 0)
		rc = conn_write_secret(t->s->conn, p, t->group.len,
				       t->s->to.command, err);
	else
		rc = conn_write(t->s->conn, p, t->group.len, t->s->to.command,
				err);
	buf_reset(&t->group);   /* a secret buffer: wiped */
	t->group_cmd_len = t->secret_off = t->secret_len = 0;
	t->group_quit = false;
	return rc;
}

/* in_flight - the commands after the leads sent and not yet answered. */
static size_t
in_flight(const struct txn *t)
{
	size_t base = t->recvd > t->nleads ? t->recvd : t->nleads;

	return t->sent > base ? t->sent - base : 0;
}

/* fill - put the next commands of the plan into the group: up to
 * TXN_WINDOW ahead of their replies with PIPELINING, one without (and
 * then DATA only for an accepted recipient: there is no use in asking
 * otherwise). */
static int
fill(struct txn *t, struct err *err)
{
	size_t window = t->pipelining ? TXN_WINDOW : 1;

	while (t->sent < t->nplan && in_flight(t) < window) {
		const struct step *st = &t->plan[t->sent];

		if (!t->pipelining && st->kind == CMD_DATA && t->accepted == 0)
			break;
		if (put(t, st, err) < 0)
			return -1;
		t->sent++;
	}
	return 0;
}

/* answer - read the reply to the next command and handle it. */
static int
answer(struct txn *t, enum smtp_stage *stage, struct err *err)
{
	const struct step *st = &t->plan[t->recvd];
	const struct cmd_info *c = &cmds[st->kind];
	struct reply r;

	*stage = c->stage;
	/* the names of commands are themselves; "end of data" is
	 * translated, when an error says it */
	if (smtp_read_reply(t->s, &r, timeout_of(t, st->kind), c->what,
			    err) < 0)
		return -1;
	t->recvd++;
	return c->reply(t, st->rcpt, &r, err);
}

/* more_now - whether to read another reply before the next write: a
 * lead's reply always comes first; then replies are awaited until at
 * most TXN_REFILL commands are in flight (the window is refilled by
 * half of it at a time, in one write), and any reply already received
 * is taken as well, for free (no system call asks whether more came). */
static bool
more_now(const struct txn *t)
{
	size_t low = t->pipelining && t->sent < t->nplan ? TXN_REFILL : 0;

	if (t->recvd >= t->sent || t->stop)
		return false;
	if (t->recvd < t->nleads || in_flight(t) > low)
		return true;
	return conn_pending(t->s->conn) > 0;
}

/* exchange - the commands of the plan and their replies, group by group:
 * after each write, at least one reply, those to the leads, as many as
 * bring the window down to its refill mark, and every other one already
 * received; then the next group fills the window again. */
static int
exchange(struct txn *t, enum smtp_stage *stage, struct err *err)
{
	while (t->recvd < t->nplan && !t->stop) {
		if (fill(t, err) < 0)
			return -1;
		if (t->sent == t->recvd)
			break;  /* nothing more worth sending */
		if (flush_group(t, err) < 0) {
			*stage = cmds[t->plan[t->recvd].kind].write_stage;
			return -1;
		}
		do {
			if (answer(t, stage, err) < 0)
				return -1;
		} while (more_now(t));
	}
	return 0;
}

/* ---- the message ------------------------------------------------------- */

/*
 * body - after the envelope: the message, when a recipient was accepted
 * (after 354, or in BDAT chunks); after a 354 with nothing accepted, the
 * data ends at once (with LMTP, whose server must not say 354 then (RFC
 * 2033 4.2), the session ends instead: no reply would come to the dot).
 * QUIT is pipelined after the last byte when nothing follows on this
 * connection - not with LMTP, whose replies for the recipients follow:
 * the 221 to QUIT of a server that left one out must not be taken for
 * it.
 */
static int
body(struct txn *t, bool more, enum smtp_stage *stage, struct err *err)
{
	struct smtp_session *s = t->s;
	bool quit = t->pipelining && !more && !s->hold_open && !s->lmtp;
	bool go = t->accepted > 0 && t->mail_ok;
	struct reply r;

	if (t->data_go && !go && s->lmtp) {
		err_set(err, ERR_PROTO, true,
			_("the LMTP server answered DATA with 354 though it "
			  "accepted no recipient"));
		s->broken = true;
		return -1;
	}
	if (t->data_go && !go) {
		transcript_note(s->tr, "(no recipient accepted: no message "
				"data sent)");
		return smtp_write(s, ".\r\n", 3, s->to.data_block, err) < 0
			       || smtp_read_reply(s, &r, s->to.data_end,
						  N_("end of data"), err) < 0
			       ? -1
			       : 0;
	}
	if (t->data_go) {
		if (body_data(s, t->m, quit, !s->lmtp, &r, err) < 0)
			return -1;
	} else if (t->chunks && go) {
		if (body_chunks(s, t->m, quit, !s->lmtp, &r, err) < 0)
			return -1;
	} else {
		return 0;
	}
	if (!s->lmtp || (t->chunks && r.code != 0)) {
		/* SMTP's one reply, or a chunk refused before the last */
		delivered(t, &r);
		return 0;
	}
	expect_finals(t);
	return exchange(t, stage, err);
}

/* ---- the plan ---------------------------------------------------------- */

/* make_plan - the commands of the transaction: [RSET] [AUTH] MAIL, a
 * RCPT for each recipient, then DATA, or a small message inline in one
 * "BDAT n LAST", or nothing when a large one goes in chunks later. */
static void
make_plan(struct txn *t, const struct txn_auth *auth)
{
	bool chunking = (t->s->caps.flags & CAP_CHUNKING) != 0;
	size_t i, n = 0;

	/* room for LMTP's replies after the message too */
	t->plan = xcalloc(2 * t->n + 4, sizeof(*t->plan));
	if (t->s->rset_first) {
		/* a further message on a reused connection: RSET clears any
		 * state the previous one left, in the same write as MAIL */
		t->s->rset_first = false;
		t->plan[n++].kind = CMD_RSET;
	}
	if (auth != NULL)       /* RFC 4954 4: a one-round-trip AUTH */
		t->plan[n++].kind = CMD_AUTH;
	t->nleads = n;
	t->plan[n++].kind = CMD_MAIL;
	for (i = 0; i < t->n && t->s->quit_after != STAGE_MAIL; i++) {
		t->plan[n].kind = CMD_RCPT;
		t->plan[n++].rcpt = i;
	}
	if (t->s->quit_after == STAGE_MAIL || t->s->quit_after == STAGE_RCPT) {
		t->nplan = n;   /* --quit-after: no message */
		return;
	}
	/* with a pipelined AUTH, no message data before its reply */
	if (chunking && t->pipelining && t->m->size <= TXN_BDAT_INLINE_MAX
	    && auth == NULL)
		t->plan[n++].kind = CMD_BDAT;
	else if (!chunking)
		t->plan[n++].kind = CMD_DATA;
	else
		t->chunks = true;
	t->nplan = n;
}

/* begin - the recipients of this transaction: those PENDING or RETRY. */
static void
begin(struct txn *t, struct smtp_session *s, struct envelope *e,
      const struct message *m, const struct txn_auth *auth)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	t->s = s;
	t->e = e;
	t->m = m;
	t->auth = auth;
	t->pipelining = (s->caps.flags & CAP_PIPELINING) != 0;
	if (auth != NULL)
		buf_init_secret(&t->group, SMTP_GROUP_MAX
						   + TXN_BDAT_INLINE_MAX);
	else
		buf_init(&t->group, SMTP_GROUP_MAX + TXN_BDAT_INLINE_MAX);
	t->idx = xmalloc((e->n ? e->n : 1) * sizeof(*t->idx));
	for (i = 0; i < e->n; i++)
		if (e->rcpts[i].state == RCPT_PENDING
		    || e->rcpts[i].state == RCPT_RETRY) {
			e->rcpts[i].state = RCPT_PENDING;
			t->idx[t->n++] = i;
		}
}

static void
end(struct txn *t)
{
	buf_clear(&t->group);
	preflight_clear(&t->pf);
	free(t->idx);
	free(t->plan);
}

/* retry_or_defer - recipients answered 452 go on in a further
 * transaction only if this one made progress and the session goes on
 * (QUIT not yet sent); else they are deferred.  Returns whether one goes
 * on. */
static bool
retry_or_defer(struct txn *t)
{
	bool progress = t->accepted > 0 && t->mail_ok && !t->s->quit_sent;
	bool more = false;
	size_t i;

	for (i = 0; i < t->n; i++) {
		struct rcpt *rc = rcpt_of(t, i);

		if (rc->state != RCPT_RETRY)
			continue;
		if (progress)
			more = true;
		else
			rc->state = RCPT_DEFERRED;
	}
	return more;
}

/* conclude - the rest of a transaction whose first group is written:
 * the replies, the verdicts, the message.  0, or -1 as txn_run. */
static int
conclude(struct txn *t, bool *more, enum smtp_stage *stage, struct err *err)
{
	struct smtp_session *s = t->s;

	if (exchange(t, stage, err) < 0)
		return -1;
	if (t->auth_failed) {
		/* nothing was sent under a failed AUTH but commands; a 354
		 * means the server waits for a message: leave without the
		 * final dot, so that nothing can be delivered */
		if (t->data_go)
			s->broken = true;
		*err = t->auth_err;
		*stage = STAGE_AUTH;
		return -1;
	}
	if (s->quit_after == STAGE_MAIL || s->quit_after == STAGE_RCPT)
		return 0;       /* the verdicts are the replies */
	*more = retry_or_defer(t);
	*stage = STAGE_BODY;
	return body(t, *more, stage, err);
}

int
txn_run(struct smtp_session *s, struct envelope *e, const struct message *m,
	const struct txn_auth *auth, bool *more, enum smtp_stage *stage,
	struct err *err)
{
	struct txn t;
	int ret = 0;

	*more = false;
	*stage = STAGE_MAIL;
	begin(&t, s, e, m, auth);
	if (t.n > 0 && preflight_run(&t.pf, s, e, m, t.idx, &t.n)) {
		make_plan(&t, auth);
		ret = conclude(&t, more, stage, err);
	}
	end(&t);
	return ret;
}

bool
txn_can_ahead(const struct smtp_session *s, const struct envelope *e,
	      const struct message *m)
{
	unsigned need = CAP_PIPELINING | CAP_CHUNKING;

	/* MAIL, the recipients and BDAT within one window */
	return (s->caps.flags & need) == need && !s->lmtp
	       && s->quit_after == STAGE_NONE
	       && m->size <= TXN_BDAT_INLINE_MAX
	       && envelope_count(e, RCPT_PENDING)
			  + envelope_count(e, RCPT_RETRY) + 2 <= TXN_WINDOW;
}

int
txn_ahead(struct smtp_session *s, struct envelope *e, const struct message *m,
	  struct txn **out, enum smtp_stage *stage, struct err *err)
{
	struct txn *t = xmalloc(sizeof(*t));

	*out = NULL;
	*stage = STAGE_MAIL;
	begin(t, s, e, m, NULL);
	if (t->n == 0 || !preflight_run(&t->pf, s, e, m, t->idx, &t->n)) {
		txn_abort(t);
		return 0;
	}
	make_plan(t, NULL);
	if (fill(t, err) < 0) {
		txn_abort(t);
		return -1;
	}
	if (t->sent != t->nplan) {
		/* what txn_can_ahead promised: a rest sent later would land
		 * behind the next message's commands */
		err_set(err, ERR_INTERNAL, false,
			"transaction ahead cut short");
		txn_abort(t);
		return -1;
	}
	if (flush_group(t, err) < 0) {
		*stage = cmds[t->plan[t->recvd].kind].write_stage;
		txn_abort(t);
		return -1;
	}
	*out = t;
	return 1;
}

int
txn_finish(struct txn *t, bool *more, enum smtp_stage *stage,
	   struct err *err)
{
	int ret;

	*more = false;
	*stage = STAGE_MAIL;
	ret = conclude(t, more, stage, err);
	txn_abort(t);
	return ret;
}

void
txn_abort(struct txn *t)
{
	if (t == NULL)
		return;
	end(t);
	free(t);
}
