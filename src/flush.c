/*
 * flush.c - --queue-flush (see flush.h; doc/queue-format.md).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bounce.h"
#include "buf.h"
#include "deliver.h"
#include "exitcodes.h"
#include "flush.h"
#include "gettext.h"
#include "held.h"
#include "log.h"
#include "msg.h"
#include "random.h"
#include "report.h"
#include "sasl.h"
#include "txn.h"
#include "xalloc.h"

#define LOG_MAX (64 * 1024)

/* Group commit: msg/ is synced once for this many entries settled (and
 * at the end of each connection).  A power cut can bring back at most
 * these, to be sent again (doc/queue-format.md 4.2, 8). */
#define SYNC_BATCH 64

/* Transactions in flight at most on one connection (pipelined across
 * messages): their replies are a few dozen bytes each, so that the
 * server's answers never fill a socket buffer while smtpsend writes. */
#define FLUSH_AHEAD 64

void
flush_policy(const struct account *a, struct retry_policy *p)
{
	retry_defaults(p);
	if (a != NULL) {
		p->min = a->retry_min;
		p->max = a->retry_max;
		p->max_age = a->queue_max_age;
	}
}

/* group_key - which connection an entry goes through: entries with the
 * same key share one.  A key too long for out is never cut (two entries
 * cut alike would share a connection their settings do not): the entry
 * gets a key of its own, "I:" and its id, and a connection to itself. */
static void
group_key(const struct queue_entry *qe, const char *id, struct buf *out)
{
	size_t i;
	int r = 0;

	buf_reset(out);
	if (qe->account != NULL)
		r = buf_printf(out, "A:%s\n%s", qe->account,
			       qe->config ? qe->config : "");
	for (i = 0; qe->account == NULL && r == 0 && i < qe->nsettings; i++)
		r = buf_printf(out, "S:%s\n", qe->settings[i]);
	if (r < 0) {
		buf_reset(out);
		if (buf_printf(out, "I:%s", id) < 0)
			abort();        /* an id is at most QUEUE_ID_MAX */
	}
}

/* open_message - the entry's ID.eml (locked as lockfd) as a struct
 * message. */
static int
open_message(const struct queue_entry *qe, int lockfd, struct message *m)
{
	msg_init(m);
	m->fd = fcntl(lockfd, F_DUPFD_CLOEXEC, 0);
	if (m->fd < 0)
		return -1;
	m->size = lseek(m->fd, 0, SEEK_END);
	m->has8bit = qe->has8bit;
	return m->size < 0 ? -1 : 0;
}

/*
 * settle - after an attempt: count it, rewrite or remove the entry, then
 * report permanent failures (after the write: nothing may widen the crash
 * window).  Returns the number of recipients still deferred, or -1 when the
 * queue could not be written.
 */
static int
settle(struct queue *q, struct queue_entry *qe, const struct account *a,
       const struct buf *log)
{
	struct retry_policy p;
	struct err err;
	size_t i, deferred = 0;
	time_t now = time(NULL);

	for (i = 0; i < qe->env.n; i++) {
		struct rcpt *r = &qe->env.rcpts[i];
		if (r->state == RCPT_PENDING || r->state == RCPT_RETRY
		    || r->state == RCPT_ACCEPTED)
			r->state = RCPT_DEFERRED;       /* never lost */
		if (r->state == RCPT_DEFERRED)
			deferred++;
	}
	qe->attempts++;
	qe->last_attempt = now;
	if (deferred == 0) {
		if (queue_remove(q, qe->id, false, &err) < 0) {
			report_error(&err);
			return -1;
		}
	} else {
		flush_policy(a, &p);
		qe->next_attempt = retry_next(&p, qe->attempts, qe->created,
					      now, random_unit());
		if (queue_write_env(q, qe, &err) < 0) {
			report_error(&err);
			return -1;
		}
		if (log != NULL && log->len > 0)
			(void)queue_write_log(q, qe->id, log->p, log->len,
					      &err);
	}
	for (i = 0; i < qe->env.n; i++) {
		const struct rcpt *r = &qe->env.rcpts[i];
		/* failed in this attempt (entries read from disk have no
		 * stage): tell once */
		if (r->state == RCPT_FAILED && r->stage != STAGE_NONE)
			log_notice(_("%s: %s: failed: %d %s %s"), qe->id,
				   r->addr,
			       r->st.code, r->st.enh, status_text(&r->st));
	}
	return (int)deferred;
}

/* expire - move an entry past its age to failed/ and tell; returns 0, or
 * -1. */
static int
expire(struct queue *q, struct queue_entry *qe)
{
	struct err err;
	size_t i;

	for (i = 0; i < qe->env.n; i++) {
		struct rcpt *r = &qe->env.rcpts[i];
		if (r->state != RCPT_DEFERRED)
			continue;
		log_notice(_("%s: %s: given up after the maximum queue time; "
			     "last reply: %s"), qe->id, r->addr,
			   r->st.text != NULL ? r->st.text : "-");
	}
	if (queue_move_failed(q, qe->id, &err) < 0) {
		report_error(&err);
		return -1;
	}
	return 0;
}

/*
 * expire_orphan - an entry whose account cannot be had is never tried, so
 * it ages by the default policy: past queue_max_age it is given up like
 * any other (no bounce: there is no account to send one through).
 */
static void
expire_orphan(struct queue *q, const char *id, time_t now)
{
	struct retry_policy p;
	struct queue_entry qe;
	struct err err;
	int fd;

	retry_defaults(&p);
	fd = queue_lock(q, id, &err);
	if (fd < 0)
		return;
	queue_entry_init(&qe);
	if (queue_load(q, id, false, &qe, &err) == 0
	    && retry_expired(&p, qe.created, now))
		(void)expire(q, &qe);
	queue_entry_clear(&qe);
	close(fd);
}

/* A due entry, and which connection it goes through. */
struct item {
	char *id;
	char *key;              /* NULL: not now (held, not due, unreadable) */
	bool done;
};

/* A delivery report composed while its message was at hand. */
struct report {
	int fd;
	char id[QUEUE_ID_MAX];
	char *to;
};

/* An entry whose transaction was sent ahead (txn.h) and awaits its
 * replies; it holds its lock until it is settled. */
struct pending {
	struct queue_entry qe;
	int lockfd;
	struct message m;
	struct txn *t;
	size_t log_off;         /* where its part of the transcript begins */
};

/* One connection and the entries of one account sent through it. */
struct group {
	struct queue *q;
	const struct flush_opts *o;
	struct account *a;
	time_t now;
	struct smtp_session s;
	struct conn *conn;      /* NULL until the first entry needs it */
	struct tls_info info;
	struct transcript tr;
	struct buf log;         /* the transcript of the current entry */
	struct sasl_plan plan;
	char *auth_line;        /* a pipelined AUTH for the first message */
	bool tried;             /* the connection was attempted */
	bool open;              /* and is usable */
	struct err err;         /* why it is not */
	struct report *reports; /* delivery reports to send at the end */
	size_t nreports;
	size_t unsynced;        /* entries settled since msg/ was synced */
	struct pending *ahead[FLUSH_AHEAD];     /* oldest first (each
						   txn holds its envelope) */
	size_t nahead;
	int status;
};

/* commit_batch - sync msg/ after SYNC_BATCH settled entries, or now
 * (force) when any is waiting. */
static void
commit_batch(struct group *g, bool force)
{
	struct err err;

	if (g->unsynced == 0 || (!force && g->unsynced < SYNC_BATCH))
		return;
	g->unsynced = 0;
	if (queue_sync(g->q, &err) < 0) {
		report_error(&err);
		g->status = EX_IOERR;
	}
}

/* is_in - whether id is one of v[n]. */
static bool
is_in(const char *id, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], id) == 0)
			return true;
	return false;
}

/*
 * named - keep of the queue's ids[n] those that o->ids names, in the
 * queue's order and once each (the others are freed); say which of the
 * names wait in no entry of msg/ (exit status 66).  Returns the count
 * kept.
 */
static int
named(struct queue *q, const struct flush_opts *o, char **ids, int n,
      int *status)
{
	size_t k;
	int i, m = 0;

	for (i = 0; i < n; i++) {
		if (is_in(ids[i], o->ids, o->nids))
			ids[m++] = ids[i];
		else
			free(ids[i]);
	}
	for (k = 0; k < o->nids; k++) {
		if (is_in(o->ids[k], (const char *const *)ids, (size_t)m))
			continue;
		if (queue_where(q, o->ids[k]) == 1)
			report_msg(_("queue entry %s was given up (it is in "
				     "failed/) and is not sent again"),
				   o->ids[k]);
		else
			report_msg(_("no queue entry %s"), o->ids[k]);
		*status = EX_NOINPUT;
	}
	return m;
}

/* pick - the due entries of ids (read without locks: the lock comes
 * with a second look), each with its connection key.  Entries named by
 * o->ids are due now; a held one is not sent, and said so (75). */
static struct item *
pick(struct queue *q, const struct flush_opts *o, char **ids, int n,
     time_t now, int *status)
{
	struct item *items = xcalloc((size_t)(n ? n : 1), sizeof(*items));
	struct buf key;
	struct err err;
	int i, rc;

	buf_init(&key, 64 * 1024);
	for (i = 0; i < n; i++) {
		struct queue_entry qe;

		queue_entry_init(&qe);
		items[i].id = ids[i];
		items[i].done = true;
		rc = queue_load(q, ids[i], false, &qe, &err);
		if (rc == 0 && held_config_changed(&qe)) {
			qe.hold = false;        /* the fix may be in: try */
			qe.next_attempt = now;
		}
		if (rc < 0) {
			err_prefix(&err, _("skipping queue entry"));
			report_error(&err);
		} else if (qe.hold && o->nids > 0) {
			report_msg(_("queue entry %s is on hold and was not "
				     "sent; release it first with "
				     "--queue-release=%s"), ids[i], ids[i]);
			*status = EX_TEMPFAIL;
		} else if (!qe.hold && (o->force || o->nids > 0
					|| qe.next_attempt <= now)) {
			group_key(&qe, ids[i], &key);
			items[i].key = xstrdup(buf_str(&key));
			items[i].done = false;
		}
		queue_entry_clear(&qe);
	}
	buf_clear(&key);
	return items;
}

/* connect_once - the group's connection for its first message; later
 * messages after a failure share that failure. */
static void
connect_once(struct group *g, struct envelope *env)
{
	enum smtp_stage stage = STAGE_CONNECT;

	if (!g->tried) {
		g->tried = true;
		if (deliver_session_open(g->a, &g->s, &g->conn, &g->tr, &stage,
					 &g->info, &g->err) < 0) {
			if (g->conn == NULL)
				stage = STAGE_CONNECT;
		} else if (deliver_auth(&g->s, g->a, false, &g->plan,
					&g->auth_line, &g->err) < 0) {
			stage = STAGE_AUTH;
		} else {
			g->open = true;
			return;
		}
	}
	if (!g->open)
		deliver_fail(env, stage, &g->err);
}

/* reopen - the entry's deferred recipients are tried again. */
static void
reopen(struct queue_entry *qe)
{
	size_t k;

	for (k = 0; k < qe->env.n; k++)
		if (qe->env.rcpts[k].state == RCPT_DEFERRED) {
			qe->env.rcpts[k].state = RCPT_PENDING;
			qe->env.rcpts[k].attempts++;
		}
	/* a setting to fix (err.h): the entry waits for the fix, held,
	 * even when the server's refusal was permanent (535), whether it
	 * came at connect time or pipelined with the transaction */
	qe->env.hold_on_config = true;
}

/* attempt - one message of the group through its connection, waiting
 * for its replies. */
static void
attempt(struct group *g, struct queue_entry *qe, const struct message *m)
{
	reopen(qe);
	buf_reset(&g->log);
	connect_once(g, &qe->env);
	if (!g->open)
		return;
	g->s.hold_open = true;          /* QUIT comes last */
	if (deliver_message(&g->s, &qe->env, m, &g->plan, &g->auth_line,
			    &g->err) < 0)
		g->open = false;
	g->s.rset_first = true;
	if (qe->env.dsn_dropped)
		report_dsn_dropped();
}

/* add_report - compose the report about the recipients of qe that why
 * selects (the message is msg_fd), when its account sends one; it goes
 * out in finish(), once the group's connection is closed. */
static void
add_report(struct group *g, const struct queue_entry *qe,
	   enum bounce_why why, int msg_fd)
{
	const char *to = bounce_address(g->a, qe->env.sender);
	struct bounce_info bi = { qe->id, qe->created, qe->attempts,
				  &qe->env, why, to };
	struct report *r;
	int fd;

	if (to == NULL || bounce_count(&qe->env, why) == 0)
		return;
	fd = bounce_prepare(g->a, &bi, msg_fd);
	if (fd < 0)
		return;
	g->reports = xrealloc(g->reports,
			      (g->nreports + 1) * sizeof(*g->reports));
	r = &g->reports[g->nreports++];
	r->fd = fd;
	snprintf(r->id, sizeof(r->id), "%s", qe->id);
	r->to = xstrdup(to);
}

/* give_up - an entry past queue_max_age moves to failed/ untried; its
 * sender is told later, on a connection of its own. */
static void
give_up(struct group *g, struct queue_entry *qe, int msg_fd)
{
	if (expire(g->q, qe) < 0)
		g->status = EX_IOERR;
	else
		add_report(g, qe, BOUNCE_EXPIRED, msg_fd);
}

/* tell_deferred - the recipients of an entry named on the command line
 * that are deferred again, with the reply (the entry stays queued). */
static void
tell_deferred(const struct queue_entry *qe)
{
	char code[16];
	size_t i;

	for (i = 0; i < qe->env.n; i++) {
		const struct rcpt *r = &qe->env.rcpts[i];

		if (r->state != RCPT_DEFERRED)
			continue;
		code[0] = '\0';
		if (r->st.code > 0)
			snprintf(code, sizeof(code), "%d ", r->st.code);
		report_msg(_("%s: %s: deferred again: %s%s%s%s"), qe->id,
			   r->addr, code, r->st.enh, r->st.enh[0] ? " " : "",
			   status_text(&r->st));
	}
}

/* record - the outcome of an attempt on qe, written down before
 * anything else happens (the crash window ends there); log is its
 * transcript. */
static void
record(struct group *g, struct queue_entry *qe, const struct message *m,
       const struct buf *log)
{
	int left;

	if (qe->env.session.config) {
		held_mark(qe, &qe->env.session);
		held_tell(qe->id, &qe->env.session);
	} else if (qe->hold_reason != NULL) {
		held_clear(qe);         /* released by a changed config */
	}
	left = settle(g->q, qe, g->a, log);
	g->unsynced++;
	commit_batch(g, false);
	if (left < 0)
		g->status = EX_IOERR;
	else if (left > 0 && g->o->nids > 0)
		tell_deferred(qe);
	if (left >= 0)
		add_report(g, qe, BOUNCE_FAILED, m->fd);
	/* the log file and syslog, as for a message sent directly */
	log_message(g->a, &qe->env, m->size, report_exit_status(&qe->env));
}

/* release - done with a pending entry: settled, unlocked, freed. */
static void
release(struct pending *p)
{
	msg_clear(&p->m);
	queue_entry_clear(&p->qe);
	close(p->lockfd);
	free(p);
}

static void drain(struct group *g);

/* trim_log - drop the transcript that no entry in flight needs. */
static void
trim_log(struct group *g)
{
	size_t i, cut;

	if (g->nahead == 0)
		return;
	cut = g->ahead[0]->log_off < g->log.len ? g->ahead[0]->log_off
						: g->log.len;
	buf_consume(&g->log, cut);
	for (i = 0; i < g->nahead; i++)
		g->ahead[i]->log_off -= g->ahead[i]->log_off < cut
						? g->ahead[i]->log_off : cut;
}

/*
 * complete - the oldest transaction in flight: its replies, then its
 * record.  After a session failure its recipients take the failure (still
 * deferred: it stays queued).  Recipients answered 452 go in a further
 * transaction of their own once the others in flight are done.
 */
static void
complete(struct group *g)
{
	struct pending *p = g->ahead[0];
	struct buf log;
	bool more = false;

	memmove(&g->ahead[0], &g->ahead[1],
		--g->nahead * sizeof(g->ahead[0]));
	if (p->t == NULL)
		;       /* settled when it was sent: nothing to read */
	else if (!g->open) {
		txn_abort(p->t);
		deliver_fail(&p->qe.env, STAGE_MAIL, &g->err);
	} else if (deliver_ahead_finish(&p->qe.env, p->t, &more, &g->err)
		   < 0) {
		g->open = false;
	}
	/* its part of the transcript, and the others' from there on */
	buf_init(&log, LOG_MAX);
	if (g->log.len > p->log_off
	    && buf_append(&log, g->log.p + p->log_off,
			  g->log.len - p->log_off) < 0)
		buf_reset(&log);
	if (more) {
		drain(g);
		if (!g->open)
			deliver_fail(&p->qe.env, STAGE_MAIL, &g->err);
		else if (deliver_message(&g->s, &p->qe.env, &p->m, &g->plan,
					 &g->auth_line, &g->err) < 0)
			g->open = false;
	}
	record(g, &p->qe, &p->m, &log);
	buf_clear(&log);
	release(p);
	trim_log(g);
}

/* drain - complete every transaction in flight, oldest first. */
static void
drain(struct group *g)
{
	while (g->nahead > 0)
		complete(g);
	buf_reset(&g->log);
}

/*
 * ahead - send qe's transaction without waiting for its replies when the
 * connection is open and allows it (txn.h); qe, lockfd and m then belong
 * to the window.  Returns whether it did.
 */
static bool
ahead(struct group *g, struct queue_entry *qe, int lockfd, struct message *m)
{
	struct pending *p;
	int rc;

	if (!g->open || g->auth_line != NULL
	    || !txn_can_ahead(&g->s, &qe->env, m))
		return false;
	if (g->nahead == FLUSH_AHEAD)
		complete(g);
	if (!g->open)
		return false;
	if (g->nahead == 0)
		buf_reset(&g->log);
	p = xmalloc(sizeof(*p));
	g->ahead[g->nahead] = p;
	p->qe = *qe;
	p->lockfd = lockfd;
	p->m = *m;
	p->t = NULL;
	p->log_off = g->log.len;
	reopen(&p->qe);
	rc = deliver_ahead(&g->s, &p->qe.env, &p->m, &p->t, &g->err);
	g->s.rset_first = true;
	if (p->qe.env.dsn_dropped)
		report_dsn_dropped();
	if (rc < 0)
		g->open = false;
	g->nahead++;            /* settled in order, with its replies */
	return true;
}

/* entry - one entry of the group: locked (a busy one belongs to another
 * flush), read again, given up or tried, and its outcome recorded before
 * anything else happens on its account. */
static void
entry(struct group *g, const char *id)
{
	struct queue_entry qe;
	struct retry_policy p;
	struct message m;
	struct err err;
	int lockfd;

	lockfd = queue_lock(g->q, id, &err);
	if (lockfd == -2 && g->o->nids > 0) {
		report_msg(_("queue entry %s is being delivered right now by "
			     "another process; it was not sent again"), id);
		g->status = EX_TEMPFAIL;
	}
	if (lockfd < 0)
		return;                 /* busy, or already gone */
	queue_entry_init(&qe);
	if (queue_load(g->q, id, false, &qe, &err) < 0)
		goto out;               /* finished by another flush */
	flush_policy(g->a, &p);
	if (retry_expired(&p, qe.created, g->now)) {
		give_up(g, &qe, lockfd);
		goto out;
	}
	if (open_message(&qe, lockfd, &m) < 0) {
		err_set_errno(&err, ERR_IO, true, errno, "%s.eml", qe.id);
		report_error(&err);
		g->status = EX_IOERR;
		goto out;
	}
	if (ahead(g, &qe, lockfd, &m))
		return;                 /* the window has it now */
	drain(g);
	attempt(g, &qe, &m);
	record(g, &qe, &m, &g->log);
	msg_clear(&m);
out:
	queue_entry_clear(&qe);
	close(lockfd);
}

/* finish - close the group's connection, then send the reports of the
 * entries given up (on connections of their own). */
static void
finish(struct group *g)
{
	size_t j;

	drain(g);
	xfree_secret(g->auth_line);
	/* the outcomes are durable before anyone is told by mail */
	commit_batch(g, true);
	if (g->conn != NULL) {
		g->s.hold_open = false;
		deliver_session_close(&g->s, g->conn,
				      g->open ? &(struct err){ 0 } : &g->err);
	}
	for (j = 0; j < g->nreports; j++) {
		struct report *r = &g->reports[j];

		bounce_deliver(g->a, r->fd, r->id, r->to, &g->tr);
		close(r->fd);
		free(r->to);
	}
	free(g->reports);
	buf_clear(&g->log);
}

/* same_key - mark done and call fn for every entry from i on whose key
 * is the key of items[i]. */
static void
for_group(struct item *items, int i, int n,
	  void (*fn)(void *arg, const char *id), void *arg)
{
	const char *key = items[i].key;
	int j;

	for (j = i; j < n; j++)
		if (!items[j].done && items[j].key != NULL
		    && strcmp(items[j].key, key) == 0) {
			items[j].done = true;
			fn(arg, items[j].id);
		}
}

static void
entry_fn(void *arg, const char *id)
{
	entry(arg, id);
}

static void
orphan_fn(void *arg, const char *id)
{
	struct group *g = arg;

	expire_orphan(g->q, id, g->now);
}

/* run_group - every entry with the key of items[i], through one
 * connection of their account; the exit status so far. */
static int
run_group(struct queue *q, const struct flush_opts *o, struct item *items,
	  int i, int n, time_t now)
{
	struct queue_entry head;
	struct group g;

	memset(&g, 0, sizeof(g));
	g.q = q;
	g.o = o;
	g.now = now;
	g.status = EX_OK;
	queue_entry_init(&head);
	if (queue_load(q, items[i].id, false, &head, &g.err) < 0) {
		items[i].done = true;   /* gone meanwhile: the next one */
		queue_entry_clear(&head);
		return EX_OK;
	}
	g.a = o->resolve(&head, o->arg, &g.err);
	queue_entry_clear(&head);
	if (g.a == NULL) {
		err_prefix(&g.err, items[i].id);
		report_error(&g.err);
		for_group(items, i, n, orphan_fn, &g);
		return EX_CONFIG;
	}
	buf_init(&g.log, LOG_MAX);
	transcript_init(&g.tr, o->verbose ? stderr : NULL);
	transcript_capture(&g.tr, &g.log);
	err_clear(&g.err);
	for_group(items, i, n, entry_fn, &g);
	finish(&g);
	account_free(g.a);
	return g.status;
}

int
flush_run(struct queue *q, const struct flush_opts *o)
{
	struct item *items;
	time_t now = time(NULL);
	char **ids = NULL;
	struct err err;
	int n, i, rc, status = EX_OK;

	n = queue_list(q, false, &ids, &err);
	if (n < 0) {
		report_error(&err);
		return EX_IOERR;
	}
	queue_defer_sync(q, true);
	if (o->nids > 0)
		n = named(q, o, ids, n, &status);
	items = pick(q, o, ids, n, now, &status);
	for (i = 0; i < n; i++) {
		if (items[i].done)
			continue;
		rc = run_group(q, o, items, i, n, now);
		if (rc != EX_OK)
			status = rc;
	}
	for (i = 0; i < n; i++)
		free(items[i].key);
	free(items);
	queue_ids_free(ids, n);
	queue_defer_sync(q, false);
	if (queue_sync(q, &err) < 0) {  /* every group synced already */
		report_error(&err);
		status = EX_IOERR;
	}
	return status;
}
