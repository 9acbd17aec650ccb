/*
 * send.c - the send mode (see send.h): RFC 5321 4.1.4 (the envelope),
 * RFC 3461 (DSN requests carried to the envelope), sendmail's -t and -bs.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "aliases.h"
#include "bounce.h"
#include "bs.h"
#include "deliver.h"
#include "exitcodes.h"
#include "flush.h"
#include "gettext.h"
#include "headers.h"
#include "held.h"
#include "log.h"
#include "msg.h"
#include "oauth2.h"
#include "pattern.h"
#include "prepare.h"
#include "profile.h"
#include "queue.h"
#include "random.h"
#include "report.h"
#include "retry.h"
#include "send.h"
#include "transcript.h"
#include "util.h"
#include "xalloc.h"

/* What a message is sent through: the run's options and account. */
struct send_ctx {
	const struct cli *cli;
	const struct account *a;
	const char *config;     /* the configuration file it came from */
};

/* Where a message comes from and what the caller wants to hear. */
struct source {
	const struct buf *raw;  /* the header block, as read */
	int fd;                 /* the rest of the input */
	const char *name;       /* "stdin", a file name, "SMTP input" */
	bool dot_ends;          /* sendmail's lone-dot rule */
	bool read_rcpts;        /* -t */
	bool allow_prompt;      /* a password may be asked for */
	bool report;            /* print the outcome */
};

/* One message in the making. */
struct job {
	const struct send_ctx *ctx;
	struct envelope *env;
	struct prepared head;
	struct message msg;
	struct queue *q;        /* the queue, when on and usable */
	char id[QUEUE_ID_MAX];  /* its spool file there, until committed */
	struct err qerr;        /* why the queue cannot be had */
	struct buf log;         /* the transcript, for the entry's ID.log */
};

/* add_recipients - the recipients of the command line (address lists). */
static int
add_recipients(struct envelope *e, const struct cli *cli, struct err *err)
{
	struct addr_list l;
	size_t i;
	int j, rc = -1;

	addr_list_init(&l);
	for (j = 0; j < cli->nrcpts; j++)
		if (addr_list_parse(&l, cli->rcpts[j], err) < 0)
			goto out;
	envelope_reserve(e, l.n);
	for (i = 0; i < l.n; i++) {
		if (addr_check(l.v[i], false, err) < 0)
			goto out;
		envelope_add(e, l.v[i]);        /* duplicates go later */
	}
	rc = 0;
out:
	if (rc < 0)
		err_prefix(err, _("recipient"));
	addr_list_clear(&l);
	if (rc == 0 && e->n == 0 && !cli->read_rcpts) {
		err_set(err, ERR_DATA, false, _("no recipients given"));
		rc = -1;
	}
	return rc;
}

/* request_dsn - the account's DSN requests (RFC 3461), and -V. */
static void
request_dsn(struct envelope *e, const struct account *a, const char *envid)
{
	if (a->dsn_notify != NULL)
		e->dsn_notify = xstrdup(a->dsn_notify);
	if (a->dsn_return != DSN_RET_OFF)
		e->dsn_ret = xstrdup(account_dsn_return_name(a->dsn_return));
	if (envid != NULL)
		e->dsn_envid = xstrdup(envid);
}

/* expand_aliases - replace local-name recipients by their aliases
 * (msmtp's "aliases" file: the envelope only, never the headers). */
static int
expand_aliases(struct envelope *env, const char *path, struct err *err)
{
	struct aliases *al;
	struct addr_list in, out;
	size_t i;
	int rc = -1;

	al = aliases_load(path, err);
	if (al == NULL) {
		err->cls = ERR_CONFIG;
		return -1;
	}
	addr_list_init(&in);
	addr_list_init(&out);
	for (i = 0; i < env->n; i++)
		addr_list_add(&in, env->rcpts[i].addr);
	if (aliases_expand(al, &in, &out, err) < 0)
		goto out;
	envelope_drop_rcpts(env);
	envelope_reserve(env, out.n);
	for (i = 0; i < out.n; i++)
		envelope_add(env, out.v[i]);
	rc = 0;
out:
	addr_list_clear(&in);
	addr_list_clear(&out);
	aliases_free(al);
	return rc;
}

/*
 * make_envelope - the header block prepared (-t recipients, Bcc out,
 * Date, Message-ID and From in, bare names qualified), then the
 * recipients through the aliases and the mail domain, duplicates out.
 */
static int
make_envelope(struct job *j, const struct source *src, struct err *err)
{
	const struct account *a = j->ctx->a;
	const char *domain = prepare_mail_domain(a);
	struct prepare_opts popts;
	size_t i;

	popts.read_rcpts = src->read_rcpts;
	popts.full_name = j->ctx->cli->full_name;
	if (prepare_message(a, &popts, src->raw, src->name, j->env, &j->head,
			    err) < 0)
		return -1;
	if (j->env->n == 0) {
		err_set(err, ERR_DATA, false,
			_("no recipients: none given and none in To, Cc or "
			  "Bcc"));
		return -1;
	}
	if (a->aliases != NULL && expand_aliases(j->env, a->aliases, err) < 0)
		return -1;
	/* what the aliases left as a local name gets the domain */
	for (i = 0; domain != NULL && i < j->env->n; i++) {
		char *qa = prepare_qualify(j->env->rcpts[i].addr, domain);

		free(j->env->rcpts[i].addr);
		j->env->rcpts[i].addr = qa;
	}
	envelope_dedup(j->env);
	return 0;
}

/*
 * spool - the message, once, in the form it is sent.  With the queue on,
 * straight into msg/ID.eml (no entry before its ID.env), so that queueing
 * it costs no copy and no rename; a queue that cannot be had does not
 * stop a send (it matters only if something must wait): the spool is
 * then an unlinked temporary file.  A regular file is not spooled before
 * a send (msg_direct): kept() spools it when it must be kept.
 */
static int
spool(struct job *j, const struct source *src, struct err *err)
{
	struct msg_input in = {
		src->fd, src->name, j->head.text.p, j->head.text.len,
		j->head.head_len, j->head.lines, src->dot_ends
	};
	int fd;

	/* --dry-run and --quit-after send nothing: nothing to queue */
	if (j->ctx->a->queue && !j->ctx->cli->dry_run
	    && j->ctx->cli->quit_after == STAGE_NONE)
		j->q = queue_new(j->ctx->a->queue_dir, &j->qerr);
	/* a file is sent from where it is, and spooled only to be kept */
	if (!j->ctx->cli->queue_only) {
		int direct = msg_direct(&j->msg, &in, err);

		if (direct != 0)
			return direct;
	}
	if (j->q != NULL) {
		fd = queue_spool_create(j->q, j->id, sizeof(j->id), &j->qerr);
		if (fd < 0) {
			queue_free(j->q);
			j->q = NULL;
		} else if (msg_spool_into(&j->msg, &in, fd, err) < 0) {
			close(fd);
			if (err->cls == ERR_IO)
				/* before any attempt: nothing was sent */
				err_wrap(err, _("cannot queue the message: "),
					 _("; it was not sent and stays with "
					   "the caller"));
			return -1;
		}
	}
	if (j->q == NULL && j->ctx->cli->queue_only) {
		*err = j->qerr; /* nothing else could keep it */
		err_wrap(err, _("cannot queue the message: "),
			 _("; it was not sent and stays with the caller"));
		return -1;
	}
	if (j->q == NULL && msg_spool(&j->msg, &in, NULL, err) < 0)
		return -1;
	return 0;
}

/* warn_long_lines - RFC 5321 4.5.3.1.6 allows 998 bytes a line: say so
 * when a line of the message is longer (it is sent as it is: changing
 * the body would break its MIME structure or a signature). */
static void
warn_long_lines(const struct job *j, const char *name)
{
	if (j->head.long_field[0] != '\0')
		report_warning(_("%s: the %s field has a word longer than %d "
				 "bytes, which cannot be folded; servers may "
				 "refuse the message or break the line"),
			       name, j->head.long_field, MSG_LINE_MAX);
	if (j->msg.long_line > 0)
		report_warning(_("%s:%lu: a line of %zu bytes; SMTP allows %d "
				 "(RFC 5321 4.5.3.1.6): servers may refuse "
				 "the message or break the line (encode the "
				 "body, e.g. quoted-printable)"), name,
			       j->msg.long_line, j->msg.long_len,
			       MSG_LINE_MAX);
}

/* entry - the queue entry of the deferred recipients of j. */
static void
entry(const struct job *j, struct queue_entry *qe)
{
	const struct account *a = j->ctx->a;
	const struct envelope *env = j->env;
	struct retry_policy p;
	time_t now = time(NULL);
	bool tried = !j->ctx->cli->queue_only;
	size_t i;

	queue_entry_init(qe);
	snprintf(qe->id, sizeof(qe->id), "%s", j->id);
	if (a->name != NULL) {
		qe->account = xstrdup(a->name);
		qe->config = j->ctx->config ? xstrdup(j->ctx->config) : NULL;
	} else {
		profile_keep(a, qe);    /* --host, or SMTPSERVER */
	}
	/* --queue-only: no attempt yet, due at once */
	qe->created = qe->next_attempt = now;
	qe->last_attempt = tried ? now : 0;
	qe->attempts = tried ? 1 : 0;
	flush_policy(a, &p);
	if (tried)
		qe->next_attempt = retry_next(&p, 1, now, now, random_unit());
	qe->size = j->msg.size;
	qe->has8bit = j->msg.has8bit;
	if (env->session.config)
		held_mark(qe, &env->session);   /* not retried blindly */
	envelope_copy_request(&qe->env, env);
	envelope_reserve(&qe->env, env->n);
	for (i = 0; i < env->n; i++) {
		struct rcpt *c;

		envelope_add(&qe->env, env->rcpts[i].addr);
		c = &qe->env.rcpts[qe->env.n - 1];
		c->state = env->rcpts[i].state;
		status_copy(&c->st, &env->rcpts[i].st);
		c->attempts = tried ? 1 : 0;
	}
}

/* kept - spool a message that was sent from its file (msg_direct), into
 * msg/ID.eml when the queue is on, else into a temporary file. */
static int
kept(struct job *j, struct err *err)
{
	int fd;

	if (j->q != NULL)
		fd = queue_spool_create(j->q, j->id, sizeof(j->id), err);
	else
		fd = util_tmpfile(NULL, _("spool file"), err);
	if (fd < 0)
		return -1;
	if (msg_keep(&j->msg, fd, err) < 0) {
		close(fd);
		return -1;
	}
	return 0;
}

/* keep_deferred - commit the deferred recipients to the queue and mark
 * them queued.  -1 with err when the queue cannot take them. */
static int
keep_deferred(struct job *j, struct err *err)
{
	struct queue_entry qe;
	size_t i;
	int rc;

	if (j->q == NULL) {
		*err = j->qerr;
		return -1;
	}
	if (j->msg.fd < 0 && kept(j, err) < 0)
		return -1;
	entry(j, &qe);
	rc = queue_commit(j->q, j->msg.fd, &qe, &j->log, err);
	queue_entry_clear(&qe);
	if (rc < 0)
		return -1;
	for (i = 0; i < j->env->n; i++) {
		struct rcpt *r = &j->env->rcpts[i];

		if (r->state != RCPT_DEFERRED)
			continue;
		snprintf(r->local_queue, sizeof(r->local_queue), "%s", j->id);
		if (j->ctx->cli->queue_only)    /* the report's reason */
			status_set_text(&r->st, _("not tried: --queue-only"));
	}
	j->id[0] = '\0';        /* committed: it is the queue's now */
	return 0;
}

/* held_outcome - after the deferred recipients of env were queued: when a
 * configuration problem held them, say so; EX_CONFIG when a person runs
 * smtpsend (held.h), else EX_OK. */
static int
held_outcome(const struct envelope *env)
{
	size_t i;

	if (!env->session.config)
		return EX_OK;
	for (i = 0; i < env->n; i++)
		if (env->rcpts[i].local_queue[0] != '\0') {
			held_tell(env->rcpts[i].local_queue, &env->session);
			return held_person() ? EX_CONFIG : EX_OK;
		}
	return EX_OK;
}

/* outcome - the attempt's result: the deferred recipients queued, the
 * report, the log line; the exit status. */
static int
outcome(struct job *j, const struct source *src)
{
	const struct cli *cli = j->ctx->cli;
	FILE *out = cli->report == REPORT_FAILURES ? stderr : stdout;
	struct err qerr;
	int status;

	if (envelope_count(j->env, RCPT_DEFERRED) > 0 && j->ctx->a->queue
	    && keep_deferred(j, &qerr) < 0) {
		if (src->report)
			report_print(j->env, cli->report, EX_IOERR, out);
		err_wrap(&qerr, _("cannot queue the message: "),
			 _("; it was not sent to the deferred recipients and "
			   "stays with the caller"));
		report_error(&qerr);
		status = EX_IOERR;
	} else {
		status = held_outcome(j->env);
		if (status == EX_OK)
			status = report_exit_status(j->env);
		if (src->report) {
			report_print(j->env, cli->report, status, out);
			report_hint(&j->env->session);
			if (fflush(stdout) != 0 && status == EX_OK)
				status = EX_IOERR;
		}
	}
	log_message(j->ctx->a, j->env, j->msg.size, status);
	return status;
}

/* probe_outcome - --quit-after: each recipient's verdict (text by
 * default: the answer is what was asked for); nothing queued or logged. */
static int
probe_outcome(const struct job *j, const struct source *src)
{
	const struct cli *cli = j->ctx->cli;
	enum report_mode mode = cli->report == REPORT_JSON ? REPORT_JSON
							   : REPORT_TEXT;
	int status = report_probe_status(j->env);

	if (src->report) {
		report_print(j->env, mode, status, stdout);
		report_hint(&j->env->session);
		if (fflush(stdout) != 0 && status == EX_OK)
			status = EX_IOERR;
	}
	return status;
}

/* dry_run_server - where --dry-run would have sent the message. */
static void
dry_run_server(const struct send_ctx *ctx)
{
	const struct account *a = ctx->a;

	if (a->name != NULL)
		printf("account: %s%s%s\n", a->name,
		       ctx->config ? " in " : "",
		       ctx->config ? ctx->config : "");
	if (a->socket != NULL)
		printf("server: the socket %s\n", a->socket);
	else
		printf("server: %s port %d, TLS %s\n", a->host,
		       account_port(a), !a->tls ? "off"
				      : a->tls_starttls ? "by STARTTLS"
							: "from the start");
}

/*
 * dry_run - --dry-run: the envelope and the message exactly as they would
 * be sent (before dot-stuffing), on standard output; nothing connects.
 */
static int
dry_run(const struct job *j, struct err *err)
{
	const struct envelope *env = j->env;
	char *blk = xmalloc(MSG_BLOCK);
	off_t off = 0;
	size_t i;
	int status = -1;

	dry_run_server(j->ctx);
	printf("envelope sender: <%s>\n", env->sender);
	for (i = 0; i < env->n; i++)
		printf("envelope recipient: <%s>\n", env->rcpts[i].addr);
	if (env->dsn_notify != NULL)
		printf("DSN NOTIFY: %s\n", env->dsn_notify);
	if (env->dsn_ret != NULL)
		printf("DSN RET: %s\n", env->dsn_ret);
	if (env->dsn_envid != NULL)
		printf("DSN ENVID: %s\n", env->dsn_envid);
	printf("message: %lld bytes%s\n\n", (long long)j->msg.size,
	       j->msg.has8bit ? ", 8-bit" : "");
	while (off < j->msg.size) {
		size_t n = MSG_BLOCK;

		if ((off_t)n > j->msg.size - off)
			n = (size_t)(j->msg.size - off);
		if (msg_pread(&j->msg, blk, n, off, err) < 0)
			goto out;
		fwrite(blk, 1, n, stdout);
		off += (off_t)n;
	}
	status = fflush(stdout) == 0 && !ferror(stdout) ? EX_OK : EX_IOERR;
out:
	free(blk);
	return status;
}

/* late_report - the delivery report (bounce.h) about the recipients of
 * env refused for good when the submitter cannot learn of them any more:
 * a -bs client told 250, a --report-by-mail run (the system queue's
 * pickup).  fd holds the message. */
static void
late_report(const struct send_ctx *ctx, const struct envelope *env, int fd)
{
	const char *to = bounce_address(ctx->a, env->sender);
	struct bounce_info bi = { NULL, time(NULL), 1, env, BOUNCE_FAILED,
				  to };
	struct transcript tr;
	char id[QUEUE_ID_MAX];
	size_t i;
	int rfd;

	if (to == NULL || bounce_count(env, BOUNCE_FAILED) == 0)
		return;
	queue_new_id(id, sizeof(id));
	for (i = 0; i < env->n; i++)
		if (env->rcpts[i].local_queue[0] != '\0')
			snprintf(id, sizeof(id), "%s",
				 env->rcpts[i].local_queue);
	bi.id = id;
	rfd = bounce_prepare(ctx->a, &bi, fd);
	if (rfd < 0)
		return;
	transcript_init(&tr, ctx->cli->verbose ? stderr : NULL);
	bounce_deliver(ctx->a, rfd, id, to, &tr);
	close(rfd);
}

/* late_report_job - late_report for j, whose message is spooled first
 * when it was sent from its file. */
static void
late_report_job(struct job *j)
{
	struct err kerr;

	err_clear(&kerr);
	if (j->msg.fd < 0 && kept(j, &kerr) < 0) {
		report_error(&kerr);
		return;
	}
	late_report(j->ctx, j->env, j->msg.fd);
}

/* defer_all - --queue-only: every recipient waits for a flush, with no
 * attempt and no reply. */
static void
defer_all(struct envelope *env)
{
	size_t i;

	for (i = 0; i < env->n; i++)
		env->rcpts[i].state = RCPT_DEFERRED;
}

/*
 * submit - one message: env holds the sender and the given recipients.
 * Returns the exit status, or -1 with err for a failure before delivery
 * (the message is unusable or cannot be spooled: nothing was sent).
 */
static int
submit(const struct send_ctx *ctx, struct envelope *env,
       const struct source *src, struct err *err)
{
	struct transcript tr;
	struct job j;
	int status = -1;

	memset(&j, 0, sizeof(j));
	j.ctx = ctx;
	j.env = env;
	prepared_init(&j.head);
	buf_init(&j.log, 64 * 1024);
	msg_init(&j.msg);
	if (make_envelope(&j, src, err) < 0 || spool(&j, src, err) < 0)
		goto out;
	warn_long_lines(&j, src->name);
	prepared_clear(&j.head);
	if (ctx->cli->dry_run) {
		status = dry_run(&j, err);
		goto out;
	}
	transcript_start(&tr, &ctx->cli->trace);
	transcript_capture(&tr, &j.log);
	if (ctx->cli->quit_after != STAGE_NONE) {
		deliver_probe(ctx->a, env, &j.msg, &tr, src->allow_prompt,
			      ctx->cli->quit_after);
		status = probe_outcome(&j, src);
		goto out;
	}
	if (ctx->cli->queue_only)
		defer_all(env);
	else
		deliver_attempt(ctx->a, env, &j.msg, &tr, src->allow_prompt);
	if (env->dsn_dropped)
		report_dsn_dropped();
	status = outcome(&j, src);
	if (ctx->cli->report_by_mail)
		late_report_job(&j);
out:
	if (j.q != NULL && j.id[0] != '\0')
		queue_spool_discard(j.q, j.id);
	queue_free(j.q);
	prepared_clear(&j.head);
	buf_clear(&j.log);
	msg_clear(&j.msg);
	return status;
}

/* The largest message a -bs client may hand over (its EHLO says SIZE). */
#define BS_SIZE_MAX (64UL * 1024 * 1024)

/* bs_submit - a bs_submit_fn: each message received over SMTP goes
 * through submit() like a message given on the command line. */
static int
bs_submit(const struct bs_message *bm, void *arg, int *code, char *text,
	  size_t n)
{
	const struct send_ctx *ctx = arg;
	struct source src = { NULL, bm->fd, "SMTP input", false, false,
			      false, false };
	struct envelope env;
	struct buf raw;
	struct err err;
	size_t i;
	int status;

	envelope_init(&env, bm->sender);
	request_dsn(&env, ctx->a, NULL);
	for (i = 0; i < bm->nrcpts; i++)
		envelope_add(&env, bm->rcpts[i]);
	buf_init(&raw, HEADERS_MAX + 65536);
	err_clear(&err);
	src.raw = &raw;
	status = prepare_read(bm->fd, src.name, &raw, &err);
	if (status == 0)
		status = submit(ctx, &env, &src, &err);
	buf_clear(&raw);
	if (status < 0)
		report_smtp_error(&err, code, text, n);
	else if (report_smtp_reply(&env, code, text, n)) {
		/* accepted, but not for everyone: the others on stderr and
		 * in a report to the sender */
		report_print(&env, REPORT_FAILURES, status, stderr);
		late_report(ctx, &env, bm->fd);
	}
	envelope_clear(&env);
	return 0;
}

/* probe_ok - --quit-after=tls needs TLS, --quit-after=auth AUTH. */
static int
probe_ok(const struct cli *cli, const struct account *a, struct err *err)
{
	if (cli->quit_after == STAGE_TLS && !a->tls)
		err_set(err, ERR_USAGE, false,
			_("--quit-after=tls: the account does not use TLS "
			  "(tls off)"));
	else if (cli->quit_after == STAGE_AUTH && a->auth == AUTH_OFF)
		err_set(err, ERR_USAGE, false,
			_("--quit-after=auth: the account does not "
			  "authenticate (auth off)"));
	else
		return 0;
	return -1;
}

/* queue_only_ok - --queue-only (-odq) needs the account's queue. */
static int
queue_only_ok(const struct cli *cli, const struct account *a,
	      struct err *err)
{
	if (probe_ok(cli, a, err) < 0)
		return -1;
	if (!cli->queue_only || a->queue)
		return 0;
	err_set(err, ERR_USAGE, false,
		_("--queue-only (-odq) puts the message in the queue, but the "
		  "account has \"queue off\": turn the queue on, or send "
		  "without --queue-only"));
	return -1;
}

int
send_bs(const struct cli *cli)
{
	struct account *a;
	struct send_ctx ctx;
	struct err err;
	char *config = NULL, host[256];
	int rc;

	a = profile_get(cli, false, NULL, &config, &err);
	rc = a == NULL ? EX_CONFIG
		       : queue_only_ok(cli, a, &err) < 0 ? EX_USAGE : EX_OK;
	if (rc != EX_OK) {
		/* the client learns why before the end */
		if (cli->over != NULL && cli->over->domain != NULL)
			snprintf(host, sizeof(host), "%s", cli->over->domain);
		else
			util_hostname(host, sizeof(host));
		bs_refuse(STDOUT_FILENO, host, err.text);
		report_error(&err);
		account_free(a);
		free(config);
		return rc;
	}
	if (a->domain != NULL)
		snprintf(host, sizeof(host), "%s", a->domain);
	else
		util_hostname(host, sizeof(host));
	ctx.cli = cli;
	ctx.a = a;
	ctx.config = config;
	rc = bs_serve(STDIN_FILENO, STDOUT_FILENO, host, BS_SIZE_MAX,
		      5 * 60 * 1000, NULL, bs_submit, &ctx, &err);
	account_free(a);
	free(config);
	if (rc < 0) {
		err_prefix(&err, "-bs");
		report_error(&err);
		return report_err_status(&err);
	}
	return EX_OK;
}

/* A run of the send mode: what it holds, freed by run_clear. */
struct run {
	int fd;                 /* the input */
	const char *name;       /* "stdin" or the --file name */
	struct buf raw;         /* its header block */
	char *header_from;      /* its From, for --read-envelope-from */
	char *msg_from;         /* its From's address, for "from %F" (NULL:
				   none, not asked for, or not read: -P) */
	struct account *a;
	char *config;
	char *from;             /* the account's from, patterns expanded */
	struct envelope env;
};

static void
run_clear(struct run *r)
{
	if (r->fd != STDIN_FILENO && r->fd >= 0)
		close(r->fd);
	buf_clear(&r->raw);
	free(r->header_from);
	free(r->msg_from);
	account_free(r->a);
	free(r->config);
	free(r->from);
	envelope_clear(&r->env);
}

/*
 * read_head - open the input and read its header block (it may choose
 * the account: --read-envelope-from); -P reads nothing it does not need.
 */
static int
read_head(const struct cli *cli, struct run *r, struct err *err)
{
	if (cli->msgfile != NULL) {
		r->fd = open(cli->msgfile, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0) {
			err_set_errno(err, ERR_NOINPUT, false, errno,
				      _("cannot open %s"), cli->msgfile);
			return -1;
		}
	}
	if (cli->pretend && !cli->read_envelope_from)
		return 0;
	if (prepare_read(r->fd, r->name, &r->raw, err) < 0)
		return -1;
	if (cli->read_envelope_from && cli->from == NULL) {
		r->header_from = prepare_from(&r->raw, true);
		if (r->header_from == NULL) {
			err_set(err, ERR_DATA, false,
				_("--read-envelope-from: the message has no "
				  "From address"));
			return -1;
		}
	}
	return 0;
}

/*
 * sender - the envelope sender: -f (unless allow_from_override off), else
 * the account's from with its patterns (%U %H %C %M, %F the address of
 * the message's From: field).  NULL with err.
 */
static const char *
sender(const struct cli *cli, struct run *r, struct err *err)
{
	const char *asked = cli->from ? cli->from : r->header_from;
	const char *s;

	/* the From: field is looked for only when from asks for it */
	if (r->a->from != NULL && strstr(r->a->from, "%F") != NULL)
		r->msg_from = prepare_from(&r->raw, false);
	r->from = r->a->from ? pattern_expand(r->a->from, "UHCMF",
					      r->msg_from) : NULL;
	s = asked && r->a->allow_from_override ? asked : r->from;
	if (s == r->from && s != NULL && r->msg_from == NULL
	    && !cli->pretend && strstr(r->a->from, "%F") != NULL) {
		err_set(err, ERR_DATA, false,
			_("the account's from \"%s\" takes the address of the "
			  "From: field (%%F), but the message has none"),
			r->a->from);
		return NULL;
	}
	if (s == NULL) {
		err_set(err, ERR_USAGE, false,
			_("no envelope sender: use -f ADDR or set \"from\" in "
			  "the account"));
		return NULL;
	}
	if (strpbrk(s, "*?[") != NULL && cli->pretend)
		return s;       /* -P shows it as a pattern */
	if (strpbrk(s, "*?[") != NULL) {
		err_set(err, ERR_USAGE, false,
			_("the account's from \"%s\" is a pattern; give the "
			  "sender with -f"), s);
		return NULL;
	}
	if (addr_check(s, true, err) < 0) {
		err_prefix(err, _("sender"));
		return NULL;
	}
	return s;
}

/* pretend - -P: the resolved settings, secrets masked, with the defaults
 * in force where nothing is set; nothing sent. */
static int
pretend(const struct run *r, const char *from)
{
	const char *dflt[ACC_NFIELDS] = { NULL };
	char *qdir = queue_default_dir();

	dflt[ACC_QUEUE_DIR] = qdir;
	dflt[ACC_SYSLOG] = "off";
	dflt[ACC_PROXY_PORT] = "1080";
	dflt[ACC_LOGFILE_TIME_FORMAT] = account_log_time_format(r->a);
	account_describe(r->a, dflt, stdout);
	oauth2_describe(r->a, stdout);
	free(qdir);
	if (strpbrk(from, "*?[") != NULL)
		printf("envelope sender: none: the account's from \"%s\" is "
		       "a pattern that -f must match\n", from);
	else
		printf("envelope sender: <%s>\n", from);
	if (r->config != NULL)
		printf("configuration file: %s\n", r->config);
	return fflush(stdout) == 0 ? EX_OK : EX_IOERR;
}

int
send_run(const struct cli *cli)
{
	/* a prompt goes to /dev/tty, after the whole message was read: as
	 * in msmtp, also when it came on standard input */
	struct source src = { NULL, STDIN_FILENO, "stdin", cli->dot_ends,
			      cli->read_rcpts, true, true };
	struct send_ctx ctx = { cli, NULL, NULL };
	struct run r;
	struct err err;
	const char *from;
	int status = -1;

	memset(&r, 0, sizeof(r));
	r.fd = STDIN_FILENO;
	r.name = cli->msgfile ? cli->msgfile : "stdin";
	buf_init(&r.raw, HEADERS_MAX + 65536);
	envelope_init(&r.env, "");
	err_clear(&err);
	if (read_head(cli, &r, &err) < 0)
		goto out;
	r.a = profile_cli(cli, false, cli->from ? cli->from : r.header_from,
			  &r.config);
	if (r.a == NULL) {
		status = EX_CONFIG;
		goto out;
	}
	if ((from = sender(cli, &r, &err)) == NULL)
		goto out;
	if (cli->pretend) {
		status = pretend(&r, from);
		goto out;
	}
	if (queue_only_ok(cli, r.a, &err) < 0)
		goto out;
	envelope_set_sender(&r.env, from);
	request_dsn(&r.env, r.a, cli->dsn_envid);
	if (add_recipients(&r.env, cli, &err) < 0)
		goto out;
	src.raw = &r.raw;
	src.fd = r.fd;
	src.name = r.name;
	ctx.a = r.a;
	ctx.config = r.config;
	status = submit(&ctx, &r.env, &src, &err);
out:
	if (status < 0) {
		report_error(&err);
		status = report_err_status(&err);
	}
	run_clear(&r);
	return status;
}
