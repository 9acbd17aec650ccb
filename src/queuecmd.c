/*
 * queuecmd.c - queue listing and editing (see queuecmd.h).
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "exitcodes.h"
#include "flush.h"
#include "gettext.h"
#include "held.h"
#include "profile.h"
#include "queuecmd.h"
#include "report.h"
#include "xalloc.h"

static void
duration(long s, char *out, size_t n)
{
	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(out, n, "%lds", s);
	else if (s < 3600)
		snprintf(out, n, "%ldm%02lds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(out, n, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
	else
		snprintf(out, n, "%ldd%02ldh", s / 86400, (s % 86400) / 3600);
}

static void
stamp(time_t t, char *out, size_t n)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm);
}

static void
print_text(const struct queue_entry *qe, bool failed, time_t now, FILE *out)
{
	char age[32], next[32], when[32];
	size_t i;

	duration((long)(now - qe->created), age, sizeof(age));
	fprintf(out, "%s  %s  %lld bytes  <%s>%s%s\n", qe->id, age,
		(long long)qe->size, qe->env.sender,
		qe->hold ? _("  [held]") : "", failed ? _("  [given up]") : "");
	if (qe->hold_reason != NULL)
		fprintf(out, _("    held: configuration problem: %s\n"),
			qe->hold_reason);
	stamp(qe->next_attempt, when, sizeof(when));
	duration((long)(qe->next_attempt - now), next, sizeof(next));
	for (i = 0; i < qe->env.n; i++) {
		const struct rcpt *r = &qe->env.rcpts[i];

		fprintf(out, "    <%s>  %s  %s %u", r->addr,
			rcpt_state_name(r->state), _("attempts"), r->attempts);
		if (r->state == RCPT_DEFERRED && !failed && !qe->hold)
			fprintf(out, _("  next try %s (%s)"), when,
				qe->next_attempt > now ? next : _("due"));
		fputc('\n', out);
		if (r->st.code > 0 || r->st.text != NULL) {
			fprintf(out, "        %s", _("last reply: "));
			if (r->st.code > 0)
				fprintf(out, "%d ", r->st.code);
			if (r->st.enh[0] != '\0')
				fprintf(out, "%s ", r->st.enh);
			fprintf(out, "%s\n", status_text(&r->st));
		}
	}
}

static void
print_json(const struct queue_entry *qe, bool failed, FILE *out)
{
	size_t i;

	fputs("{\"id\":", out);
	report_json_string(out, qe->id);
	fprintf(out, ",\"failed\":%s,\"held\":%s,\"created\":%lld,"
		"\"attempts\":%u,\"last_attempt\":%lld,\"next_attempt\":%lld,"
		"\"size\":%lld,\"sender\":", failed ? "true" : "false",
		qe->hold ? "true" : "false", (long long)qe->created,
		qe->attempts, (long long)qe->last_attempt,
		(long long)qe->next_attempt, (long long)qe->size);
	report_json_string(out, qe->env.sender);
	if (qe->hold_reason != NULL) {
		fputs(",\"held_reason\":", out);
		report_json_string(out, qe->hold_reason);
	}
	fputs(",\"account\":", out);
	if (qe->account != NULL)
		report_json_string(out, qe->account);
	else
		fputs("null", out);
	fputs(",\"recipients\":[", out);
	for (i = 0; i < qe->env.n; i++) {
		const struct rcpt *r = &qe->env.rcpts[i];
		fprintf(out, "%s{\"address\":", i ? "," : "");
		report_json_string(out, r->addr);
		fputs(",\"state\":", out);
		report_json_string(out, rcpt_state_name(r->state));
		fprintf(out, ",\"attempts\":%u,\"code\":%d,\"enhanced\":",
			r->attempts, r->st.code);
		report_json_string(out, r->st.enh);
		fputs(",\"text\":", out);
		report_json_string(out, status_text(&r->st));
		fputc('}', out);
	}
	fputs("]}", out);
}

/* queuecmd_list - every entry (and those in failed/), as text or JSON;
 * returns the exit status. */
static int
queuecmd_list(struct queue *q, bool json, FILE *out)
{
	time_t now = time(NULL);
	int pass, total = 0, status = EX_OK;

	if (json)
		fputs("{\"entries\":[", out);
	for (pass = 0; pass < 2; pass++) {
		bool failed = pass == 1;
		struct err err;
		char **ids;
		int n, i;

		n = queue_list(q, failed, &ids, &err);
		if (n < 0) {
			report_error(&err);
			status = EX_IOERR;
			continue;
		}
		for (i = 0; i < n; i++) {
			struct queue_entry qe;

			queue_entry_init(&qe);
			if (queue_load(q, ids[i], failed, &qe, &err) < 0) {
				report_msg(_("unreadable queue entry: %s"),
					   err.text);
				queue_entry_clear(&qe);
				continue;
			}
			if (json) {
				if (total > 0)
					fputc(',', out);
				print_json(&qe, failed, out);
			} else {
				if (total > 0)
					fputc('\n', out);
				print_text(&qe, failed, now, out);
			}
			total++;
			queue_entry_clear(&qe);
		}
		queue_ids_free(ids, n);
	}
	if (json)
		fputs("]}\n", out);
	else if (total == 0)
		fputs(_("The queue is empty.\n"), out);
	return status;
}

static int
no_such(const char *id)
{
	report_msg(_("no queue entry %s"), id);
	return EX_NOINPUT;
}

/* lock - the entry's lock into *fd; the exit status when it cannot be
 * had (busy: a flush sends it right now; gone). */
static int
lock(struct queue *q, const char *id, int *fd)
{
	struct err err;

	*fd = queue_lock(q, id, &err);
	if (*fd == -2) {
		report_msg(_("queue entry %s is being delivered right now; "
			     "try again in a moment"), id);
		return EX_TEMPFAIL;
	}
	return *fd < 0 ? no_such(id) : EX_OK;
}

/* queuecmd_show - one entry with the transcript of its last failed
 * attempt. */
static int
queuecmd_show(struct queue *q, const char *id, FILE *out)
{
	struct queue_entry qe;
	struct buf log;
	struct err err;
	int where;

	if ((where = queue_where(q, id)) < 0)
		return no_such(id);
	queue_entry_init(&qe);
	if (queue_load(q, id, where == 1, &qe, &err) < 0) {
		report_error(&err);
		queue_entry_clear(&qe);
		return EX_IOERR;
	}
	print_text(&qe, where == 1, time(NULL), out);
	if (qe.account != NULL)
		fprintf(out, _("  account: %s\n"), qe.account);
	queue_entry_clear(&qe);
	buf_init(&log, 1024 * 1024);
	if (queue_read_file(q, id, ".log", where == 1, &log, &err) == 0
	    && log.len > 0) {
		fprintf(out, _("\nThe last failed attempt:\n"));
		fwrite(log.p, 1, log.len, out);
	}
	buf_clear(&log);
	return EX_OK;
}

/* remove_one - remove an entry of msg/ under its lock (one a flush works
 * on is skipped and named; one gone meanwhile is no error) or of failed/;
 * counts it in *removed.  Returns the exit status. */
static int
remove_one(struct queue *q, const char *id, bool failed, int *removed)
{
	struct err err;
	int fd = -1, status = EX_OK;

	if (!failed && (fd = queue_lock(q, id, &err)) == -2) {
		report_msg(_("queue entry %s is being delivered right now; it "
			     "was not removed"), id);
		return EX_OK;
	}
	if (fd == -1 && !failed) {
		if (queue_where(q, id) != 0)
			return EX_OK;   /* sent or removed meanwhile */
		report_error(&err);
		return EX_IOERR;
	}
	if (queue_remove(q, id, failed, &err) < 0) {
		report_error(&err);
		status = EX_IOERR;
	} else {
		(*removed)++;
	}
	if (fd >= 0)
		close(fd);
	return status;
}

/* remove_part - remove_one for every entry of msg/ or failed/. */
static int
remove_part(struct queue *q, bool failed, int *removed)
{
	struct err err;
	char **ids;
	int n, i, rc, status = EX_OK;

	if ((n = queue_list(q, failed, &ids, &err)) < 0) {
		report_error(&err);
		return EX_IOERR;
	}
	for (i = 0; i < n; i++)
		if ((rc = remove_one(q, ids[i], failed, removed)) != EX_OK)
			status = rc;
	queue_ids_free(ids, n);
	return status;
}

/* queuecmd_remove_all - --queue-remove=all: every entry, waiting or given
 * up, but those being delivered right now. */
static int
queuecmd_remove_all(struct queue *q, FILE *out)
{
	int removed = 0, s1, s2;

	s1 = remove_part(q, false, &removed);
	s2 = remove_part(q, true, &removed);
	fprintf(out, _("queue entries removed: %d\n"), removed);
	if (fflush(out) != 0)
		return EX_IOERR;
	return s1 != EX_OK ? s1 : s2;
}

/* queuecmd_remove - delete an entry (not while a flush works on it). */
static int
queuecmd_remove(struct queue *q, const char *id)
{
	struct err err;
	int fd, where, status;

	if (strcmp(id, "all") == 0)
		return queuecmd_remove_all(q, stdout);
	if ((where = queue_where(q, id)) < 0)
		return no_such(id);
	if (where == 1) {
		if (queue_remove(q, id, true, &err) < 0) {
			report_error(&err);
			return EX_IOERR;
		}
		return EX_OK;
	}
	if ((status = lock(q, id, &fd)) != EX_OK)
		return status;
	if (queue_remove(q, id, false, &err) < 0) {
		report_error(&err);
		close(fd);
		return EX_IOERR;
	}
	close(fd);
	return EX_OK;
}

/* release - hold qe (hold true), or release it: no reason kept, and due
 * now (the next flush sends it). */
static void
release(struct queue_entry *qe, bool hold)
{
	if (hold) {
		qe->hold = true;
		return;
	}
	held_clear(qe);
	qe->next_attempt = time(NULL);
}

/* queuecmd_hold - hold (true) or release (false) an entry. */
static int
queuecmd_hold(struct queue *q, const char *id, bool hold)
{
	struct queue_entry qe;
	struct err err;
	int fd, status = EX_OK;

	if (queue_where(q, id) != 0)
		return no_such(id);
	if ((status = lock(q, id, &fd)) != EX_OK)
		return status;
	queue_entry_init(&qe);
	if (queue_load(q, id, false, &qe, &err) < 0
	    || (release(&qe, hold), queue_write_env(q, &qe, &err)) < 0) {
		report_error(&err);
		status = EX_IOERR;
	}
	queue_entry_clear(&qe);
	close(fd);
	return status;
}

/* entry_account - a flush_resolve_fn: the account of a queued entry,
 * with the flush's own command line on top. */
static struct account *
entry_account(const struct queue_entry *qe, void *arg, struct err *err)
{
	return profile_for_entry(arg, qe, err);
}

/* dispatch - the queue mode of cli on q. */
static int
dispatch(const struct cli *cli, struct queue *q, struct profile_req *r)
{
	struct flush_opts o = { cli->force, cli->verbose, entry_account, r,
				cli->flush_ids, cli->nflush_ids };

	switch (cli->mode) {
	case MODE_FLUSH: return flush_run(q, &o);
	case MODE_LIST: return queuecmd_list(q, cli->list_json, stdout);
	case MODE_SHOW: return queuecmd_show(q, cli->mode_arg, stdout);
	case MODE_REMOVE: return queuecmd_remove(q, cli->mode_arg);
	case MODE_HOLD: return queuecmd_hold(q, cli->mode_arg, true);
	case MODE_RELEASE: return queuecmd_hold(q, cli->mode_arg, false);
	default: return EX_SOFTWARE;
	}
}

/* absent - whether the queue directory dir (NULL: the default) does not
 * exist: nothing was ever queued, and a queue command creates nothing. */
static bool
absent(const char *dir)
{
	char *path = dir ? xstrdup(dir) : queue_default_dir();
	struct stat st;
	bool none;

	none = path != NULL && lstat(path, &st) < 0 && errno == ENOENT;
	free(path);
	return none;
}

/* no_queue - the queue mode of cli when there is no queue directory. */
static int
no_queue(const struct cli *cli)
{
	size_t i;

	switch (cli->mode) {
	case MODE_LIST:
		fputs(cli->list_json ? "{\"entries\":[]}\n"
				     : _("The queue is empty.\n"), stdout);
		return fflush(stdout) == 0 ? EX_OK : EX_IOERR;
	case MODE_FLUSH:
		for (i = 0; i < cli->nflush_ids; i++)
			(void)no_such(cli->flush_ids[i]);
		return cli->nflush_ids > 0 ? EX_NOINPUT : EX_OK;
	case MODE_REMOVE:
		if (strcmp(cli->mode_arg, "all") == 0) {
			printf(_("queue entries removed: %d\n"), 0);
			return fflush(stdout) == 0 ? EX_OK : EX_IOERR;
		}
		return no_such(cli->mode_arg);
	default:
		return no_such(cli->mode_arg);
	}
}

int
queuecmd_run(const struct cli *cli)
{
	struct profile_req r = { cli->config, cli->account, cli->over,
				 cli->host_given, true };
	struct account *a;
	struct queue *q;
	struct err err;
	char *config = NULL;
	int status;

	a = profile_cli(cli, true, NULL, &config);
	if (a == NULL)
		return EX_CONFIG;
	if (absent(a->queue_dir)) {
		status = no_queue(cli);
		account_free(a);
		free(config);
		return status;
	}
	q = queue_new(a->queue_dir, &err);
	if (q == NULL) {
		report_error(&err);
		status = EX_IOERR;
	} else {
		/* each entry is sent through its own account */
		r.lenient = false;
		status = dispatch(cli, q, &r);
		queue_free(q);
	}
	account_free(a);
	free(config);
	return status;
}
