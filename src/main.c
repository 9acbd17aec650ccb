/*
 * main.c - smtpsend: process setup and the send mode.  No protocol code:
 * the command line, the configuration, the message, one delivery attempt,
 * the report.
 */
#include <config.h>

#include <errno.h>
#include <fnmatch.h>
#include <netdb.h>
#include <pwd.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bs.h"
#include "buf.h"

#include "account.h"
#include "addr.h"
#include "aliases.h"
#include "cli.h"
#include "conf.h"
#include "deliver.h"
#include "envelope.h"
#include "exitcodes.h"
#include "gettext.h"
#include "log.h"
#include "msg.h"
#include "flush.h"
#include "headers.h"
#include "idn.h"
#include "prepare.h"
#include "queue.h"
#include "queuecmd.h"
#include "random.h"
#include "report.h"
#include "retry.h"
#include "sasl.h"
#include "tls.h"
#include "serverinfo.h"
#include "sig.h"
#include "transcript.h"
#include "util.h"
#include "xalloc.h"

/* fix_std_fds - make sure 0, 1 and 2 are open, so that no file we open
 * later is taken for standard output or error.  Returns whether standard
 * input was closed: then there is no message to read, and an empty one
 * must not be sent in its place. */
static bool
fix_std_fds(void)
{
	bool stdin_closed = fcntl(STDIN_FILENO, F_GETFD) < 0 && errno == EBADF;
	int fd;

	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd <= 2)
		;
	if (fd > 2)
		close(fd);
	return stdin_closed;
}

static void
die_err(const struct err *err, int status)
{
	fprintf(stderr, "smtpsend: %s\n", err->text);
	exit(status);
}

/*
 * find_user_config - the user's configuration file
 * ($XDG_CONFIG_HOME/smtpsend/config, else ~/.config/smtpsend/config, else
 * ~/.smtpsendrc), allocated, or NULL when none exists.
 */
static char *
find_user_config(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char path[4096];

	if (xdg != NULL && *xdg == '/') {
		snprintf(path, sizeof(path), "%s/smtpsend/config", xdg);
		if (access(path, F_OK) == 0)
			return xstrdup(path);
	} else if (home != NULL && *home != '\0') {
		snprintf(path, sizeof(path), "%s/.config/smtpsend/config",
			 home);
		if (access(path, F_OK) == 0)
			return xstrdup(path);
	}
	if (home != NULL && *home != '\0') {
		snprintf(path, sizeof(path), "%s/.smtpsendrc", home);
		if (access(path, F_OK) == 0)
			return xstrdup(path);
	}
	return NULL;
}

#define SYSTEM_CONFIG SYSCONFDIR "/smtpsendrc"

/* read_config - with -C (system false) the file path alone, which must
 * exist; else the system file, then the user's file path (may be NULL;
 * the user's accounts replace the system's of the same name). */
static int
read_config(struct conf *conf, const char *path, bool system, struct err *err)
{
	if (!system)
		return conf_load(conf, path, err);
	if (path != NULL && strcmp(path, SYSTEM_CONFIG) == 0)
		path = NULL;    /* only the system file exists */
	return conf_load_files(conf, SYSTEM_CONFIG, path, err);
}

/*
 * load_account - built-in defaults, then account name (or the default
 * account when NULL) of the config file path, then over (may be NULL).
 * Returns NULL with err when the file or the account cannot be had.
 */
static struct account *
load_account(const char *path, bool system, const char *name,
	     const struct account *over, struct err *err)
{
	struct account *a = account_new(NULL);
	const struct account *chosen;
	struct conf conf;

	account_defaults(a);
	conf_init(&conf);
	if (path != NULL) {
		if (read_config(&conf, path, system, err) < 0)
			goto fail;
		chosen = name ? conf_find(&conf, name) : conf_default(&conf);
		if (chosen == NULL) {
			if (name != NULL)
				err_set(err, ERR_CONFIG, false,
					_("%s: no account named \"%s\""), path,
					name);
			else
				err_set(err, ERR_CONFIG, false,
					_("%s: no default account; use -a NAME "
					  "or define \"account default : "
					  "NAME\""), path);
			goto fail;
		}
		account_merge(a, chosen);
		a->name = xstrdup(chosen->name);
	}
	if (over != NULL)
		account_merge(a, over);
	conf_clear(&conf);
	return a;
fail:
	conf_clear(&conf);
	account_free(a);
	return NULL;
}

/* account_for_sender - the name of the first account of the config file
 * path whose from matches sender (allocated), or NULL. */
static char *
account_for_sender(const char *path, bool system, const char *sender)
{
	struct conf conf;
	struct err err;
	char *name = NULL;
	size_t i;

	conf_init(&conf);
	if (read_config(&conf, path, system, &err) == 0)
		for (i = 0; i < conf.n && name == NULL; i++) {
			const struct account *acc = conf.accounts[i];
			if (acc->from != NULL
			    && account_from_matches(acc->from, sender))
				name = xstrdup(acc->name);
		}
	conf_clear(&conf);
	return name;
}

/*
 * resolve_account - the account of this run: built-in defaults, the chosen
 * account, the command line.  *path receives the config file used (or
 * NULL).  lenient: without a config file or a default account, the
 * built-in defaults and the command line (for the queue commands).  Exits
 * with a message when no account can be had.
 */
static struct account *
resolve_account(const struct cli *cli, bool lenient, char **path,
		const char *sender)
{
	struct account *a;
	struct err err;
	char *chosen = NULL;
	bool system = cli->config == NULL;

	*path = NULL;
	if (cli->host_given)
		return load_account(NULL, false, NULL, cli->over, &err);
	*path = cli->config ? xstrdup(cli->config) : find_user_config();
	if (*path == NULL && system && access(SYSTEM_CONFIG, F_OK) == 0)
		*path = xstrdup(SYSTEM_CONFIG);
	if (*path == NULL) {
		if (lenient)
			return load_account(NULL, false, NULL, cli->over,
					    &err);
		fprintf(stderr, _("smtpsend: no configuration file found and "
				  "no --host given; see smtpsend(1)\n"));
		exit(EX_CONFIG);
	}
	if (cli->account == NULL && sender != NULL)
		chosen = account_for_sender(*path, system, sender);
	a = load_account(*path, system, cli->account ? cli->account : chosen,
			 cli->over, &err);
	free(chosen);
	if (a == NULL && lenient && cli->account == NULL
	    && err.cls == ERR_CONFIG && strstr(err.text, "no default") != NULL)
		a = load_account(NULL, false, NULL, cli->over, &err);
	if (a == NULL)
		die_err(&err, EX_CONFIG);
	return a;
}

/* The command-line settings kept with an entry sent without an account:
 * how to reach the server, never a password or a command (passwordeval):
 * the flush takes those from its own command line or ~/.netrc. */
static const enum account_field kept_settings[] = {
	ACC_HOST, ACC_PORT, ACC_TIMEOUT, ACC_DOMAIN, ACC_TLS,
	ACC_TLS_STARTTLS, ACC_TLS_TRUST_FILE, ACC_TLS_FINGERPRINT,
	ACC_TLS_CERTCHECK, ACC_TLS_CERT_FILE, ACC_TLS_KEY_FILE,
	ACC_TLS_PRIORITIES, ACC_TLS_HOST_OVERRIDE, ACC_TLS_MIN_VERSION,
	ACC_AUTH, ACC_USER
};

static bool
kept_setting(int f)
{
	size_t i;

	for (i = 0; i < sizeof(kept_settings) / sizeof(kept_settings[0]); i++)
		if ((int)kept_settings[i] == f)
			return true;
	return false;
}

/* The flush sends each entry through the account it was queued for: that
 * account of its config file, or the settings stored with it. */
struct flush_ctx {
	const struct cli *cli;
};

static struct account *
flush_account(const struct queue_entry *qe, void *arg, struct err *err)
{
	const struct flush_ctx *fc = arg;
	struct account *a;
	size_t i;

	if (qe->account != NULL) {
		if (qe->config != NULL && qe->config[0] != '/') {
			err_set(err, ERR_CONFIG, false,
				_("the entry's Config is not an absolute path"));
			return NULL;
		}
		a = load_account(qe->config, fc->cli->config == NULL,
				 qe->account, fc->cli->over, err);
		if (a == NULL)
			err_prefix(err, _("the entry's account"));
		else if (account_check(a, err) < 0) {
			account_free(a);
			return NULL;
		}
		return a;
	}
	a = account_new(NULL);
	account_defaults(a);
	for (i = 0; i < qe->nsettings; i++) {
		const char *sp = strchr(qe->settings[i], ' ');
		char name[64];
		int f;

		if (sp == NULL || (size_t)(sp - qe->settings[i]) >= sizeof(name))
			continue;
		memcpy(name, qe->settings[i], (size_t)(sp - qe->settings[i]));
		name[sp - qe->settings[i]] = '\0';
		f = account_field_lookup(name);
		/* only what a writer may keep there (never a command) */
		if (f < 0 || !kept_setting(f)
		    || account_set(a, (enum account_field)f, sp + 1,
				   _("queue entry"), err) < 0)
			continue;       /* a setting this version does not know */
	}
	account_merge(a, fc->cli->over);
	if (account_check(a, err) < 0) {
		account_free(a);
		return NULL;
	}
	return a;
}

/* settings_of - the kept_settings the command line gave, into qe. */
static void
settings_of(const struct account *over, struct queue_entry *qe)
{
	const enum account_field *keep = kept_settings;
	FILE *mem;
	char *text = NULL;
	size_t len = 0, i;

	for (i = 0; i < sizeof(kept_settings) / sizeof(kept_settings[0]); i++) {
		enum account_field f = keep[i];

		if (!account_is_set(over, f))
			continue;
		mem = open_memstream(&text, &len);
		if (mem == NULL)
			return;
		account_print_field(over, f, mem);
		fclose(mem);
		qe->settings = xrealloc(qe->settings,
					(qe->nsettings + 1) * sizeof(char *));
		qe->settings[qe->nsettings++] = text;
		text = NULL;
	}
}

static void
add_recipients(struct envelope *e, const struct cli *cli)
{
	struct addr_list l;
	struct err err;
	size_t i;
	int j;

	addr_list_init(&l);
	for (j = 0; j < cli->nrcpts; j++) {
		if (addr_list_parse(&l, cli->rcpts[j], &err) < 0) {
			fprintf(stderr, _("smtpsend: recipient: %s\n"),
				err.text);
			exit(EX_DATAERR);
		}
	}
	for (i = 0; i < l.n; i++) {
		if (addr_check(l.v[i], false, &err) < 0) {
			fprintf(stderr, _("smtpsend: recipient: %s\n"),
				err.text);
			exit(EX_DATAERR);
		}
		envelope_add(e, l.v[i]);        /* duplicates go later */
	}
	addr_list_clear(&l);
	if (e->n == 0 && !cli->read_rcpts) {
		fprintf(stderr, _("smtpsend: no recipients given\n"));
		exit(EX_DATAERR);
	}
}

/* open_queue - the queue of account a; NULL (err set) when it cannot be
 * had. */
static struct queue *
open_queue(const struct account *a, struct err *err)
{
	struct queue *q = xcalloc(1, sizeof(*q));
	char *dir = a->queue_dir ? xstrdup(a->queue_dir) : queue_default_dir();

	if (dir == NULL) {
		err_set(err, ERR_IO, true,
			_("no queue directory: set queue_dir or HOME"));
		free(q);
		return NULL;
	}
	if (queue_open(q, dir, err) < 0) {
		free(dir);
		free(q);
		return NULL;
	}
	free(dir);
	return q;
}

static void
free_queue(struct queue *q)
{
	if (q != NULL) {
		queue_close(q);
		free(q);
	}
}

/* queue_mode - the queue commands: flush, list, show, remove, hold. */
static int
queue_mode(struct cli *cli)
{
	struct account *a;
	struct queue *q;
	struct err err;
	char *path;
	int status;

	a = resolve_account(cli, true, &path, NULL);
	q = open_queue(a, &err);
	if (q == NULL) {
		fprintf(stderr, "smtpsend: %s\n", err.text);
		account_free(a);
		free(path);
		return EX_IOERR;
	}
	switch (cli->mode) {
	case MODE_FLUSH: {
		struct flush_ctx fc = { cli };
		struct flush_opts o = { cli->force, cli->verbose,
					flush_account, &fc };
		status = flush_run(q, &o);
		break;
	}
	case MODE_LIST:
		status = queuecmd_list(q, cli->list_json, stdout);
		break;
	case MODE_SHOW:
		status = queuecmd_show(q, cli->mode_arg, stdout);
		break;
	case MODE_REMOVE:
		status = queuecmd_remove(q, cli->mode_arg);
		break;
	case MODE_HOLD:
	case MODE_RELEASE:
		status = queuecmd_hold(q, cli->mode_arg,
				       cli->mode == MODE_HOLD);
		break;
	default:
		status = EX_SOFTWARE;
		break;
	}
	free_queue(q);
	account_free(a);
	free(path);
	return status;
}

/*
 * enqueue - commit the deferred recipients of env with the spooled message
 * (tmp/ID.eml in q, open as msg->fd).  Returns 0, or -1 with err.
 */
static int
enqueue(struct queue *q, const char *id, const struct account *a,
	const char *config, const struct cli *cli, const struct envelope *env,
	const struct message *msg, const struct buf *log, struct err *err)
{
	struct queue_entry qe;
	struct retry_policy p;
	time_t now = time(NULL);
	size_t i;
	int rc;

	queue_entry_init(&qe);
	snprintf(qe.id, sizeof(qe.id), "%s", id);
	if (a->name != NULL) {
		qe.account = xstrdup(a->name);
		qe.config = config ? xstrdup(config) : NULL;
	} else {
		settings_of(cli->over, &qe);
	}
	qe.created = now;
	qe.attempts = 1;
	qe.last_attempt = now;
	flush_policy(a, &p);
	qe.next_attempt = retry_next(&p, 1, now, now, random_unit());
	qe.size = msg->size;
	qe.has8bit = msg->has8bit;
	free(qe.env.sender);
	qe.env.sender = xstrdup(env->sender);
	if (env->dsn_notify != NULL)
		qe.env.dsn_notify = xstrdup(env->dsn_notify);
	if (env->dsn_ret != NULL)
		qe.env.dsn_ret = xstrdup(env->dsn_ret);
	if (env->dsn_envid != NULL)
		qe.env.dsn_envid = xstrdup(env->dsn_envid);
	for (i = 0; i < env->n; i++) {
		const struct rcpt *r = &env->rcpts[i];
		struct rcpt *c;

		envelope_add(&qe.env, r->addr);
		c = &qe.env.rcpts[qe.env.n - 1];
		c->state = r->state;
		c->st = r->st;
		c->attempts = 1;
	}
	rc = queue_commit(q, msg->fd, &qe, err);
	if (rc == 0 && log != NULL && log->len > 0)
		(void)queue_write_log(q, id, log->p, log->len, err);
	queue_entry_clear(&qe);
	return rc;
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
	for (i = 0; i < env->n; i++)
		free(env->rcpts[i].addr);
	env->n = 0;
	for (i = 0; i < out.n; i++)
		envelope_add(env, out.v[i]);
	rc = 0;
out:
	addr_list_clear(&in);
	addr_list_clear(&out);
	aliases_free(al);
	return rc;
}

/* warn_long_lines - RFC 5321 4.5.3.1.6 allows 998 bytes a line: say so
 * when a line of the message is longer (it is sent as it is: changing
 * the body would break its MIME structure or a signature). */
static void
warn_long_lines(const struct prepared *p, const struct message *m,
		const char *name)
{
	if (p->long_field[0] != '\0')
		fprintf(stderr, _("smtpsend: warning: %s: the %s field has a "
				  "word longer than %d bytes, which cannot be "
				  "folded; servers may refuse the message or "
				  "break the line\n"), name, p->long_field,
			MSG_LINE_MAX);
	if (m->long_line > 0)
		fprintf(stderr, _("smtpsend: warning: %s:%lu: a line of %zu "
				  "bytes; SMTP allows %d (RFC 5321 "
				  "4.5.3.1.6): servers may refuse the message "
				  "or break the line (encode the body, e.g. "
				  "quoted-printable)\n"), name, m->long_line,
			m->long_len, MSG_LINE_MAX);
}

/* What a message is sent through: the run's options and account. */
struct send_ctx {
	const struct cli *cli;
	const struct account *a;
	const char *config;
};

/*
 * submit - one message: the header block (raw, read from in_fd so far)
 * prepared, -t recipients added when read_rcpts, aliases and the mail
 * domain applied, the message spooled (into the queue's tmp/ when the
 * queue is on), delivered, the deferred recipients queued, the outcome
 * reported (when report) and logged.  env holds the sender and the given
 * recipients.  Returns the exit status, or -1 with err for a failure
 * before delivery (the message is unusable or cannot be spooled).
 */
static int
submit(const struct send_ctx *ctx, struct envelope *env, const struct buf *raw,
       int in_fd, const char *name, bool dot_ends, bool read_rcpts,
       bool allow_prompt, bool report, struct err *err)
{
	const struct account *a = ctx->a;
	const struct cli *cli = ctx->cli;
	struct prepare_opts popts;
	struct prepared head;
	struct msg_input input;
	struct buf log;
	struct message msg;
	struct transcript tr;
	struct queue *q = NULL;
	struct err qerr;
	char id[QUEUE_ID_MAX] = "";
	int status = -1;
	size_t i;

	prepared_init(&head);
	buf_init(&log, 64 * 1024);
	msg_init(&msg);
	err_clear(&qerr);

	/* the header block: -t recipients, Bcc out, Date, Message-ID and
	 * From in, bare names qualified */
	popts.read_rcpts = read_rcpts;
	popts.full_name = cli->full_name;
	if (prepare_message(a, &popts, raw, name, env, &head, err) < 0)
		goto out;
	input.fd = in_fd;
	input.name = name;
	input.prefix = head.text.p;
	input.prefix_len = head.text.len;
	input.skip = head.head_len;
	input.line = head.lines;
	input.dot_ends = dot_ends;
	if (env->n == 0) {
		err_set(err, ERR_DATA, false,
			_("no recipients: none given and none in To, Cc or "
			  "Bcc"));
		goto out;
	}
	if (a->aliases != NULL && expand_aliases(env, a->aliases, err) < 0)
		goto out;
	if (prepare_mail_domain(a) != NULL) {
		/* what the aliases left as a local name gets the domain */
		for (i = 0; i < env->n; i++) {
			char *qa = prepare_qualify(env->rcpts[i].addr,
						   prepare_mail_domain(a));
			free(env->rcpts[i].addr);
			env->rcpts[i].addr = qa;
		}
	}
	envelope_dedup(env);

	/* With the queue on, the message is spooled straight into its tmp/,
	 * so that queueing it is a rename.  A queue that cannot be had does
	 * not stop a send; it matters only if something must wait. */
	if (a->queue)
		q = open_queue(a, &qerr);
	if (q != NULL) {
		int fd = queue_spool_create(q, id, sizeof(id), &qerr);

		if (fd < 0) {
			free_queue(q);
			q = NULL;
		} else if (msg_spool_into(&msg, &input, fd, err) < 0) {
			close(fd);
			if (err->cls == ERR_IO) {
				/* before any attempt: nothing was sent */
				char why[ERR_TEXT_MAX];

				snprintf(why, sizeof(why), "%s", err->text);
				err_set(err, ERR_IO, true,
					_("cannot queue the message: %s; it was "
					  "not sent and stays with the caller"),
					why);
			}
			goto out;
		}
	}
	if (q == NULL && msg_spool(&msg, &input, NULL, err) < 0)
		goto out;
	warn_long_lines(&head, &msg, name);
	prepared_clear(&head);

	transcript_init(&tr, cli->verbose ? stderr : NULL);
	transcript_capture(&tr, &log);
	deliver_attempt(a, env, &msg, &tr, allow_prompt);

	if (envelope_count(env, RCPT_DEFERRED) > 0 && a->queue) {
		if (q == NULL || enqueue(q, id, a, ctx->config, cli, env, &msg,
					 &log, &qerr) < 0) {
			if (report)
				report_print(env, cli->report, EX_IOERR,
					     cli->report == REPORT_FAILURES
						     ? stderr
						     : stdout);
			fprintf(stderr, _("smtpsend: cannot queue the message: "
					  "%s; it was not sent to the deferred "
					  "recipients and stays with the "
					  "caller\n"), qerr.text);
			status = EX_IOERR;
			log_message(a, env, msg.size, status);
			goto out;
		}
		for (i = 0; i < env->n; i++)
			if (env->rcpts[i].state == RCPT_DEFERRED)
				snprintf(env->rcpts[i].local_queue,
					 sizeof(env->rcpts[i].local_queue),
					 "%s", id);
		id[0] = '\0';  /* committed: it is the queue's now */
	}
	status = report_exit_status(env);
	if (report) {
		report_print(env, cli->report, status,
			     cli->report == REPORT_FAILURES ? stderr : stdout);
		if (fflush(stdout) != 0 && status == EX_OK)
			status = EX_IOERR;
	}
	log_message(a, env, msg.size, status);
out:
	if (q != NULL && id[0] != '\0')
		queue_spool_discard(q, id);
	free_queue(q);
	prepared_clear(&head);
	buf_clear(&log);
	msg_clear(&msg);
	return status;
}

/* The largest message a -bs client may hand over (its EHLO says SIZE). */
#define BS_SIZE_MAX (64UL * 1024 * 1024)

/* -bs: each message received over SMTP on stdin/stdout goes through
 * submit() like a message given on the command line. */
static int
bs_submit(const struct bs_message *bm, void *arg, int *code, char *text,
	  size_t n)
{
	const struct send_ctx *ctx = arg;
	struct envelope env;
	struct buf raw;
	struct err err;
	size_t i, done = 0, queued = 0, failed = 0, open = 0;
	const struct rcpt *first_fail = NULL, *first_open = NULL;
	char qid[64] = "";
	int status;

	envelope_init(&env, bm->sender);
	if (ctx->a->dsn_notify != NULL)
		env.dsn_notify = xstrdup(ctx->a->dsn_notify);
	if (ctx->a->dsn_return != DSN_RET_OFF)
		env.dsn_ret =
			xstrdup(account_dsn_return_name(ctx->a->dsn_return));
	for (i = 0; i < bm->nrcpts; i++)
		envelope_add(&env, bm->rcpts[i]);
	buf_init(&raw, HEADERS_MAX + 65536);
	err_clear(&err);
	status = prepare_read(bm->fd, "SMTP input", &raw, &err);
	if (status == 0)
		status = submit(ctx, &env, &raw, bm->fd, "SMTP input", false,
				false, false, false, &err);
	buf_clear(&raw);
	if (status < 0) {
		*code = err.temp ? 451 : 554;
		snprintf(text, n, "%s %s", err.temp ? "4.3.0" : "5.6.0",
			 err.text);
		envelope_clear(&env);
		return 0;
	}
	for (i = 0; i < env.n; i++) {
		const struct rcpt *r = &env.rcpts[i];
		if (r->state == RCPT_DELIVERED)
			done++;
		else if (r->state == RCPT_DEFERRED && r->local_queue[0]) {
			queued++;
			snprintf(qid, sizeof(qid), "%s", r->local_queue);
		} else if (r->state == RCPT_FAILED) {
			failed++;
			if (first_fail == NULL)
				first_fail = r;
		} else if (first_open == NULL) {
			open++;
			first_open = r;
		}
	}
	if (open > 0) {
		/* deferred and not queued: the client must keep it */
		*code = 451;
		snprintf(text, n, "4.4.0 %s", first_open->st.text);
	} else if (done + queued == 0 && first_fail != NULL) {
		*code = first_fail->st.code / 100 == 5 ? first_fail->st.code
						       : 554;
		snprintf(text, n, "%s %s",
			 first_fail->st.enh[0] ? first_fail->st.enh : "5.0.0",
			 first_fail->st.text);
	} else {
		*code = 250;
		if (queued > 0)
			snprintf(text, n, "2.0.0 Ok: queued as %s", qid);
		else
			snprintf(text, n, "2.0.0 Ok: delivered");
		if (failed > 0)       /* the others are told on stderr */
			report_print(&env, REPORT_FAILURES, status, stderr);
	}
	envelope_clear(&env);
	return 0;
}

/* bs_mode - sendmail -bs: an SMTP session with the caller. */
static int
bs_mode(struct cli *cli)
{
	struct account *a;
	struct send_ctx ctx;
	struct err err;
	char *config = NULL, host[256] = "localhost";
	int rc;

	a = resolve_account(cli, false, &config, NULL);
	if (account_check(a, &err) < 0)
		die_err(&err, EX_CONFIG);
	if (a->domain != NULL)
		snprintf(host, sizeof(host), "%s", a->domain);
	else
		gethostname(host, sizeof(host) - 1);
	signal(SIGPIPE, SIG_IGN);
	ctx.cli = cli;
	ctx.a = a;
	ctx.config = config;
	rc = bs_serve(STDIN_FILENO, STDOUT_FILENO, host, BS_SIZE_MAX,
		      5 * 60 * 1000, NULL, bs_submit, &ctx, &err);
	account_free(a);
	free(config);
	if (rc < 0) {
		fprintf(stderr, "smtpsend: -bs: %s\n", err.text);
		return report_err_status(&err);
	}
	return EX_OK;
}

int
main(int argc, char **argv)
{
	struct cli cli;
	struct err err;
	struct account *a = NULL;
	struct envelope env;
	struct transcript tr;
	struct buf raw;
	struct send_ctx ctx;
	char *header_from = NULL, *from_expanded = NULL;
	const char *asked;
	const char *sender;
	char *config = NULL;
	int in_fd = STDIN_FILENO, status;
	bool stdin_closed;

	stdin_closed = fix_std_fds();
	umask(077);
	sig_init();
	/* no core dump may hold a password or a message */
	util_no_core_dumps();
	setlocale(LC_ALL, "");
#if ENABLE_NLS
	bindtextdomain(PACKAGE, LOCALEDIR);
	textdomain(PACKAGE);
#endif

	cli_init(&cli);
	if (cli_parse(&cli, argc, argv, &err) < 0) {
		fprintf(stderr, "smtpsend: %s\n", err.text);
		fprintf(stderr, _("Try 'smtpsend --help' for more "
				  "information.\n"));
		cli_clear(&cli);
		return EX_USAGE;
	}
	if (cli.help) {
		cli_usage(stdout);
		cli_clear(&cli);
		return EX_OK;
	}
	if (cli.version) {
		printf("smtpsend %s\n", PACKAGE_VERSION);
		printf(_("Libraries: %s, %s, %s\n"),
		       tls_library_version(), sasl_library_version(),
		       idn_library_version());
		printf(_("Copyright (C) 2026 The smtpsend authors.\n"
			 "License GPLv3+: GNU GPL version 3 or later "
			 "<https://gnu.org/licenses/gpl.html>.\n"
			 "This is free software: you are free to change and "
			 "redistribute it.\n"));
		return EX_OK;
	}
	if (cli.newaliases) {
		/* invoked as newaliases (or -bi): there is no alias database
		 * to rebuild; aliases are read from the aliases file */
		cli_clear(&cli);
		return EX_OK;
	}
	if (stdin_closed
	    && (cli.mode == MODE_BS
		|| (cli.mode == MODE_SEND && cli.msgfile == NULL
		    && (!cli.pretend || cli.read_envelope_from)))) {
		fprintf(stderr, _("smtpsend: standard input is closed: there "
				  "is no message to read\n"));
		cli_clear(&cli);
		return EX_IOERR;
	}
	if (cli.mode == MODE_BS) {
		status = bs_mode(&cli);
		cli_clear(&cli);
		return status;
	}
	if (cli.mode != MODE_SEND && cli.mode != MODE_SERVERINFO) {
		status = queue_mode(&cli);
		cli_clear(&cli);
		return status;
	}

	if (cli.mode == MODE_SERVERINFO) {
		a = resolve_account(&cli, false, &config, NULL);
		if (account_check(a, &err) < 0)
			die_err(&err, EX_CONFIG);
		transcript_init(&tr, cli.verbose ? stderr : NULL);
		status = serverinfo_run(a, &tr, stdout);
		account_free(a);
		free(config);
		cli_clear(&cli);
		return status;
	}

	/* the input's header block first: --read-envelope-from picks the
	 * account by its From */
	if (cli.msgfile != NULL) {
		in_fd = open(cli.msgfile, O_RDONLY | O_CLOEXEC);
		if (in_fd < 0) {
			fprintf(stderr, _("smtpsend: cannot open %s: %s\n"),
				cli.msgfile, strerror(errno));
			cli_clear(&cli);
			return EX_NOINPUT;
		}
	}
	buf_init(&raw, HEADERS_MAX + 65536);
	envelope_init(&env, "");
	if (!cli.pretend || cli.read_envelope_from) {
		if (prepare_read(in_fd, cli.msgfile ? cli.msgfile : "stdin",
				 &raw, &err) < 0)
			die_err(&err, report_err_status(&err));
	}
	if (cli.read_envelope_from && cli.from == NULL) {
		header_from = prepare_from(&raw);
		if (header_from == NULL) {
			fprintf(stderr, _("smtpsend: --read-envelope-from: the "
					  "message has no From address\n"));
			status = EX_DATAERR;
			goto done;
		}
	}
	asked = cli.from ? cli.from : header_from;
	a = resolve_account(&cli, false, &config, asked);
	if (account_check(a, &err) < 0)
		die_err(&err, EX_CONFIG);

	/* the envelope sender: -f (unless allow_from_override off), else
	 * the account's from with its patterns (%U %H %C %M) */
	from_expanded = a->from ? account_expand_from(a->from) : NULL;
	sender = asked && a->allow_from_override ? asked : from_expanded;
	if (sender == NULL) {
		fprintf(stderr, _("smtpsend: no envelope sender: use -f ADDR "
				  "or set \"from\" in the account\n"));
		status = EX_USAGE;
		goto done;
	}
	if (strpbrk(sender, "*?[") != NULL) {
		fprintf(stderr, _("smtpsend: the account's from \"%s\" is a "
				  "pattern; give the sender with -f\n"),
			sender);
		status = EX_USAGE;
		goto done;
	}
	if (addr_check(sender, true, &err) < 0) {
		fprintf(stderr, _("smtpsend: sender: %s\n"), err.text);
		status = EX_DATAERR;
		goto done;
	}
	if (cli.pretend) {
		/* -P: the resolved settings, secrets masked; nothing sent */
		account_describe(a, stdout);
		printf("envelope sender: <%s>\n", sender);
		if (config != NULL)
			printf("configuration file: %s\n", config);
		fflush(stdout);
		status = EX_OK;
		goto done;
	}
	free(env.sender);
	env.sender = xstrdup(sender);
	if (a->dsn_notify != NULL)
		env.dsn_notify = xstrdup(a->dsn_notify);
	if (a->dsn_return != DSN_RET_OFF)
		env.dsn_ret = xstrdup(account_dsn_return_name(a->dsn_return));
	if (cli.dsn_envid != NULL)
		env.dsn_envid = xstrdup(cli.dsn_envid);
	add_recipients(&env, &cli);
	ctx.cli = &cli;
	ctx.a = a;
	ctx.config = config;

	status = submit(&ctx, &env, &raw, in_fd,
			cli.msgfile ? cli.msgfile : "stdin", cli.dot_ends,
			cli.read_rcpts, cli.msgfile != NULL, true, &err);
	if (status < 0) {
		fprintf(stderr, "smtpsend: %s\n", err.text);
		status = report_err_status(&err);
	}
done:
	if (in_fd != STDIN_FILENO)
		close(in_fd);
	buf_clear(&raw);
	envelope_clear(&env);
	account_free(a);
	free(config);
	free(header_from);
	free(from_expanded);
	cli_clear(&cli);
	return status;
}
