/*
 * flush.c - --queue-flush (see flush.h; doc/queue-format.md).
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "bounce.h"
#include "buf.h"
#include "deliver.h"
#include "exitcodes.h"
#include "flush.h"
#include "gettext.h"
#include "msg.h"
#include "random.h"
#include "report.h"
#include "sasl.h"
#include "xalloc.h"

#define LOG_MAX (64 * 1024)

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

/* key - which connection an entry goes through. */
static void
group_key(const struct queue_entry *qe, struct buf *out)
{
	size_t i;

	buf_reset(out);
	if (qe->account != NULL) {
		(void)!buf_printf(out, "A:%s\n%s", qe->account,
				  qe->config ? qe->config : "");
		return;
	}
	for (i = 0; i < qe->nsettings; i++)
		(void)!buf_printf(out, "S:%s\n", qe->settings[i]);
}

static void notice(const char *fmt, ...) ATTR_PRINTF(1, 2);

/* notice - a line on stderr and in the mail log (syslog LOG_MAIL). */
static void
notice(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "smtpsend: %s\n", line);
	openlog("smtpsend", LOG_PID, LOG_MAIL);
	syslog(LOG_NOTICE, "%s", line);
	closelog();
}

/* open_message - the entry's ID.eml as a struct message. */
static int
open_message(struct queue *q, const struct queue_entry *qe, int lockfd,
	     struct message *m)
{
	msg_init(m);
	m->fd = dup(lockfd);
	if (m->fd < 0)
		return -1;
	m->size = lseek(m->fd, 0, SEEK_END);
	m->has8bit = qe->has8bit;
	(void)q;
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
			fprintf(stderr, "smtpsend: %s\n", err.text);
			return -1;
		}
	} else {
		flush_policy(a, &p);
		qe->next_attempt = retry_next(&p, qe->attempts, qe->created,
					      now, random_unit());
		if (queue_write_env(q, qe, &err) < 0) {
			fprintf(stderr, "smtpsend: %s\n", err.text);
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
			notice(_("%s: %s: failed: %d %s %s"), qe->id, r->addr,
			       r->st.code, r->st.enh, r->st.text);
	}
	return (int)deferred;
}

/* expire - move an entry past its age to failed/ and tell; returns 1 when
 * a report to its sender is wanted (bounce on), 0, or -1. */
static int
expire(struct queue *q, struct queue_entry *qe, const struct account *a,
       int eml_fd, struct transcript *tr)
{
	struct err err;
	size_t i;

	for (i = 0; i < qe->env.n; i++) {
		struct rcpt *r = &qe->env.rcpts[i];
		if (r->state != RCPT_DEFERRED)
			continue;
		notice(_("%s: %s: given up after the maximum queue time; last "
			 "reply: %s"), qe->id, r->addr,
		       r->st.text[0] ? r->st.text : "-");
	}
	if (queue_move_failed(q, qe->id, &err) < 0) {
		fprintf(stderr, "smtpsend: %s\n", err.text);
		return -1;
	}
	(void)eml_fd;
	(void)tr;
	/* a report goes later, once the group's connection is closed */
	return a != NULL && a->bounce && qe->env.sender[0] != '\0' ? 1 : 0;
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
		(void)expire(q, &qe, NULL, fd, NULL);
	queue_entry_clear(&qe);
	close(fd);
}

/* send_bounce - the report for the entry id, now in failed/. */
static void
send_bounce(struct queue *q, const char *id, const struct account *a,
	    struct transcript *tr)
{
	struct queue_entry qe;
	struct err err;
	int fd;

	queue_entry_init(&qe);
	fd = queue_open_message(q, id, true, &err);
	if (fd >= 0 && queue_load(q, id, true, &qe, &err) == 0)
		bounce_send(a, &qe, fd, tr);
	if (fd >= 0)
		close(fd);
	queue_entry_clear(&qe);
}

struct item {
	char *id;
	char *key;
	bool done;
};

int
flush_run(struct queue *q, const struct flush_opts *o)
{
	char **ids = NULL;
	int n, i, status = EX_OK;
	struct err err;
	struct item *items = NULL;
	struct buf key;
	time_t now = time(NULL);

	buf_init(&key, 64 * 1024);
	n = queue_list(q, false, &ids, &err);
	if (n < 0) {
		fprintf(stderr, "smtpsend: %s\n", err.text);
		return EX_IOERR;
	}
	items = xcalloc((size_t)(n ? n : 1), sizeof(*items));
	/* pick the due entries (without locks: a second look follows) */
	for (i = 0; i < n; i++) {
		struct queue_entry qe;

		queue_entry_init(&qe);
		items[i].id = ids[i];
		items[i].done = true;
		if (queue_load(q, ids[i], false, &qe, &err) < 0) {
			fprintf(stderr, _("smtpsend: skipping queue entry: "
					  "%s\n"), err.text);
		} else if (qe.hold || (!o->force && qe.next_attempt > now)) {
			/* not now */
		} else {
			group_key(&qe, &key);
			items[i].key = xstrdup(buf_str(&key));
			items[i].done = false;
		}
		queue_entry_clear(&qe);
	}
	for (i = 0; i < n; i++) {
		struct account *a;
		struct smtp_session s;
		struct conn *conn = NULL;
		struct tls_info info;
		struct transcript tr;
		struct buf log;
		struct sasl_plan plan;
		char *auth_line = NULL;
		enum smtp_stage stage;
		bool open = false, first = true;
		char **bounces = NULL;
		size_t nbounces = 0;
		int j;
		struct queue_entry head;

		if (items[i].done)
			continue;
		queue_entry_init(&head);
		if (queue_load(q, items[i].id, false, &head, &err) < 0) {
			items[i].done = true;
			queue_entry_clear(&head);
			continue;
		}
		a = o->resolve(&head, o->arg, &err);
		queue_entry_clear(&head);
		if (a == NULL) {
			fprintf(stderr, "smtpsend: %s: %s\n", items[i].id,
				err.text);
			status = EX_CONFIG;
			for (j = i; j < n; j++)
				if (!items[j].done && items[j].key
				    && strcmp(items[j].key, items[i].key) == 0) {
					items[j].done = true;
					expire_orphan(q, items[j].id, now);
				}
			continue;
		}
		buf_init(&log, LOG_MAX);
		transcript_init(&tr, o->verbose ? stderr : NULL);
		transcript_capture(&tr, &log);
		memset(&s, 0, sizeof(s));
		err_clear(&err);
		/* every entry of this group, through one connection */
		for (j = i; j < n; j++) {
			struct queue_entry qe;
			struct message m;
			struct retry_policy p;
			int lockfd, left;
			size_t k;

			if (items[j].done || items[j].key == NULL
			    || strcmp(items[j].key, items[i].key) != 0)
				continue;
			items[j].done = true;
			lockfd = queue_lock(q, items[j].id, &err);
			if (lockfd < 0)
				continue;       /* busy, or already gone */
			queue_entry_init(&qe);
			if (queue_load(q, items[j].id, false, &qe, &err) < 0) {
				close(lockfd);
				queue_entry_clear(&qe);
				continue;       /* finished by another flush */
			}
			flush_policy(a, &p);
			if (retry_expired(&p, qe.created, now)) {
				/* past queue_max_age: given up, not tried */
				int want = expire(q, &qe, a, lockfd, &tr);
				if (want < 0)
					status = EX_IOERR;
				else if (want > 0) {
					bounces = xrealloc(bounces,
							   (nbounces + 1)
							   * sizeof(char *));
					bounces[nbounces++] = xstrdup(qe.id);
				}
				close(lockfd);
				queue_entry_clear(&qe);
				continue;
			}
			for (k = 0; k < qe.env.n; k++)
				if (qe.env.rcpts[k].state == RCPT_DEFERRED) {
					qe.env.rcpts[k].state = RCPT_PENDING;
					qe.env.rcpts[k].attempts++;
				}
			if (open_message(q, &qe, lockfd, &m) < 0) {
				err_set_errno(&err, ERR_IO, true, errno,
					      "%s.eml", qe.id);
				fprintf(stderr, "smtpsend: %s\n", err.text);
				close(lockfd);
				queue_entry_clear(&qe);
				status = EX_IOERR;
				continue;
			}
			buf_reset(&log);
			if (!open && first) {
				first = false;
				if (deliver_session_open(a, &s, &conn, &tr,
							 &stage, &info, &err)
					    < 0
				    || deliver_auth(&s, a, false, &plan,
						    &auth_line, &err) < 0) {
					if (conn == NULL)
						stage = STAGE_CONNECT;
					deliver_fail(&qe.env, stage, &err);
				} else {
					open = true;
				}
			} else if (!open) {
				/* the group's connection could not be had */
				deliver_fail(&qe.env, STAGE_CONNECT, &err);
			}
			if (open) {
				s.hold_open = true;     /* QUIT comes last */
				if (deliver_message(&s, &qe.env, &m, &plan,
						    &auth_line, &err) < 0)
					open = false;
				s.rset_first = true;
				if (qe.env.dsn_dropped)
					report_dsn_dropped();
			}
			/* the crash window ends here: record the outcome */
			left = settle(q, &qe, a, &log);
			if (left < 0)
				status = EX_IOERR;
			msg_clear(&m);
			close(lockfd);
			queue_entry_clear(&qe);
		}
		xfree_secret(auth_line);
		if (conn != NULL) {
			s.hold_open = false;
			deliver_session_close(&s, conn, open ? &(struct err){ 0 }
							 : &err);
		}
		/* the reports for entries given up, on a connection of
		 * their own now that the group's one is closed */
		for (j = 0; j < (int)nbounces; j++) {
			send_bounce(q, bounces[j], a, &tr);
			free(bounces[j]);
		}
		free(bounces);
		bounces = NULL;
		nbounces = 0;
		buf_clear(&log);
		account_free(a);
	}
	for (i = 0; i < n; i++)
		free(items[i].key);
	free(items);
	queue_ids_free(ids, n);
	buf_clear(&key);
	return status;
}
