/*
 * main.c - smtpsend: process setup and the send mode.  No protocol code:
 * the command line, the configuration, the message, one delivery attempt,
 * the report.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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
#include "msg.h"
#include "flush.h"
#include "headers.h"
#include "prepare.h"
#include "queue.h"
#include "queuecmd.h"
#include "report.h"
#include "retry.h"
#include "sasl.h"
#include "tls.h"
#include <idn2.h>
#include "serverinfo.h"
#include "transcript.h"
#include "xalloc.h"

/* fix_std_fds - make sure 0, 1 and 2 are open, so that no file we open
 * later is taken for standard output or error. */
static void
fix_std_fds(void)
{
	int fd;

	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd <= 2)
		;
	if (fd > 2)
		close(fd);
}

static void
die_err(const struct err *err, int status)
{
	fprintf(stderr, "smtpsend: %s\n", err->text);
	exit(status);
}

/*
 * find_config - the configuration file to read: -C, else the user's
 * ($XDG_CONFIG_HOME/smtpsend/config, else ~/.smtpsendrc), else the system
 * file.  Returns an allocated path, or NULL when none exists.
 */
static char *
find_config(void)
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
	snprintf(path, sizeof(path), "%s/smtpsendrc", SYSCONFDIR);
	if (access(path, F_OK) == 0)
		return xstrdup(path);
	return NULL;
}

/*
 * load_account - built-in defaults, then account name (or the default
 * account when NULL) of the config file path, then over (may be NULL).
 * Returns NULL with err when the file or the account cannot be had.
 */
static struct account *
load_account(const char *path, const char *name, const struct account *over,
	     struct err *err)
{
	struct account *a = account_new(NULL);
	const struct account *chosen;
	struct conf conf;

	account_defaults(a);
	conf_init(&conf);
	if (path != NULL) {
		if (conf_load(&conf, path, err) < 0)
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

/*
 * resolve_account - the account of this run: built-in defaults, the chosen
 * account, the command line.  *path receives the config file used (or
 * NULL).  lenient: without a config file or a default account, the
 * built-in defaults and the command line (for the queue commands).  Exits
 * with a message when no account can be had.
 */
static struct account *
resolve_account(const struct cli *cli, bool lenient, char **path)
{
	struct account *a;
	struct err err;

	*path = NULL;
	if (cli->host_given)
		return load_account(NULL, NULL, cli->over, &err);
	*path = cli->config ? xstrdup(cli->config) : find_config();
	if (*path == NULL) {
		if (lenient)
			return load_account(NULL, NULL, cli->over, &err);
		fprintf(stderr, _("smtpsend: no configuration file found and "
				  "no --host given; see smtpsend(1)\n"));
		exit(EX_CONFIG);
	}
	a = load_account(*path, cli->account, cli->over, &err);
	if (a == NULL && lenient && cli->account == NULL
	    && err.cls == ERR_CONFIG && strstr(err.text, "no default") != NULL)
		a = load_account(NULL, NULL, cli->over, &err);
	if (a == NULL)
		die_err(&err, EX_CONFIG);
	return a;
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
		a = load_account(qe->config, qe->account, fc->cli->over, err);
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
		const char *fixed;
		int f;

		if (sp == NULL || (size_t)(sp - qe->settings[i]) >= sizeof(name))
			continue;
		memcpy(name, qe->settings[i], (size_t)(sp - qe->settings[i]));
		name[sp - qe->settings[i]] = '\0';
		f = account_field_by_name(name, &fixed);
		if (f < 0 || account_set(a, (enum account_field)f, sp + 1,
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

/* settings_of - the command-line settings worth keeping with an entry sent
 * without an account (never a password: the flush finds it again). */
static void
settings_of(const struct account *over, struct queue_entry *qe)
{
	static const enum account_field keep[] = {
		ACC_HOST, ACC_PORT, ACC_TIMEOUT, ACC_DOMAIN, ACC_TLS,
		ACC_TLS_STARTTLS, ACC_TLS_TRUST_FILE, ACC_TLS_FINGERPRINT,
		ACC_TLS_CERTCHECK, ACC_TLS_CERT_FILE, ACC_TLS_KEY_FILE,
		ACC_TLS_PRIORITIES, ACC_TLS_HOST_OVERRIDE, ACC_TLS_MIN_VERSION,
		ACC_AUTH, ACC_USER, ACC_PASSWORDEVAL
	};
	FILE *mem;
	char *text = NULL;
	size_t len = 0, i;

	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
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
	size_t i, k;
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
		for (k = 0; k < e->n; k++)
			if (strcmp(e->rcpts[k].addr, l.v[i]) == 0)
				break;
		if (k == e->n)
			envelope_add(e, l.v[i]);
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

	a = resolve_account(cli, true, &path);
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
	qe.next_attempt = retry_next(&p, 1, now, now, flush_random());
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
static void
expand_aliases(struct envelope *env, const char *path)
{
	struct aliases *al;
	struct addr_list in, out;
	struct err err;
	size_t i;

	al = aliases_load(path, &err);
	if (al == NULL)
		die_err(&err, EX_CONFIG);
	addr_list_init(&in);
	addr_list_init(&out);
	for (i = 0; i < env->n; i++)
		addr_list_add(&in, env->rcpts[i].addr);
	if (aliases_expand(al, &in, &out, &err) < 0)
		die_err(&err, EX_CONFIG);
	for (i = 0; i < env->n; i++)
		free(env->rcpts[i].addr);
	env->n = 0;
	for (i = 0; i < out.n; i++)
		envelope_add(env, out.v[i]);
	addr_list_clear(&in);
	addr_list_clear(&out);
	aliases_free(al);
}

int
main(int argc, char **argv)
{
	struct cli cli;
	struct err err, qerr;
	struct account *a;
	struct envelope env;
	struct message msg;
	struct transcript tr;
	struct queue *q = NULL;
	struct buf log, head;
	struct prepare_opts popts;
	const char *sender;
	char *config = NULL, id[QUEUE_ID_MAX] = "";
	int in_fd = STDIN_FILENO, status;
	size_t i, deferred;

	fix_std_fds();
	umask(077);
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
		return EX_USAGE;
	}
	if (cli.help) {
		cli_usage(stdout);
		return EX_OK;
	}
	if (cli.version) {
		printf("smtpsend %s\n", PACKAGE_VERSION);
		printf(_("Libraries: %s, %s, libidn2 %s\n"),
		       tls_library_version(), sasl_library_version(),
		       idn2_check_version(NULL));
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
	if (cli.mode != MODE_SEND && cli.mode != MODE_SERVERINFO) {
		status = queue_mode(&cli);
		cli_clear(&cli);
		return status;
	}

	a = resolve_account(&cli, false, &config);
	if (account_check(a, &err) < 0)
		die_err(&err, EX_CONFIG);
	if (cli.mode == MODE_SERVERINFO) {
		transcript_init(&tr, cli.verbose ? stderr : NULL);
		status = serverinfo_run(a, &tr, stdout);
		account_free(a);
		free(config);
		cli_clear(&cli);
		return status;
	}

	sender = cli.from ? cli.from : a->from;
	if (sender == NULL) {
		fprintf(stderr, _("smtpsend: no envelope sender: use -f ADDR "
				  "or set \"from\" in the account\n"));
		return EX_USAGE;
	}
	if (addr_check(sender, true, &err) < 0) {
		fprintf(stderr, _("smtpsend: sender: %s\n"), err.text);
		return EX_DATAERR;
	}
	envelope_init(&env, sender);
	if (a->dsn_notify != NULL)
		env.dsn_notify = xstrdup(a->dsn_notify);
	if (a->dsn_return != NULL)
		env.dsn_ret = xstrdup(a->dsn_return);
	if (cli.dsn_envid != NULL)
		env.dsn_envid = xstrdup(cli.dsn_envid);
	add_recipients(&env, &cli);

	if (cli.msgfile != NULL) {
		in_fd = open(cli.msgfile, O_RDONLY | O_CLOEXEC);
		if (in_fd < 0) {
			fprintf(stderr, _("smtpsend: cannot open %s: %s\n"),
				cli.msgfile, strerror(errno));
			return EX_NOINPUT;
		}
	}

	/* the header block: -t recipients, Bcc out, Date, Message-ID and
	 * From in, bare names qualified */
	buf_init(&head, HEADERS_MAX + 65536);
	popts.read_rcpts = cli.read_rcpts;
	popts.full_name = cli.full_name;
	if (prepare_message(a, &popts, in_fd,
			    cli.msgfile ? cli.msgfile : "stdin", &env, &head,
			    &err) < 0)
		die_err(&err, report_err_status(&err));
	if (env.n == 0) {
		fprintf(stderr, _("smtpsend: no recipients: none given and "
				  "none in To, Cc or Bcc\n"));
		return EX_DATAERR;
	}
	if (a->aliases != NULL)
		expand_aliases(&env, a->aliases);

	/* With the queue on, the message is spooled straight into its tmp/,
	 * so that queueing it is a rename.  A queue that cannot be had does
	 * not stop a send; it matters only if something must wait. */
	msg_init(&msg);
	err_clear(&qerr);
	if (a->queue)
		q = open_queue(a, &qerr);
	if (q != NULL) {
		char name[QUEUE_ID_MAX + 16];
		int fd;

		queue_new_id(id, sizeof(id));
		snprintf(name, sizeof(name), "tmp/%s.eml", id);
		fd = openat(q->dirfd, name,
			    O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0) {
			err_set_errno(&qerr, ERR_IO, true, errno,
				      _("cannot create %s/%s"), q->dir, name);
			free_queue(q);
			q = NULL;
			id[0] = '\0';
		} else if (msg_spool_into_opt(&msg, in_fd,
					      cli.msgfile ? cli.msgfile
							  : "stdin",
					      fd, cli.dot_ends, head.p,
					      head.len, &err) < 0) {
			close(fd);
			unlinkat(q->dirfd, name, 0);
			die_err(&err, report_err_status(&err));
		}
	}
	if (q == NULL && msg_spool(&msg, in_fd,
				   cli.msgfile ? cli.msgfile : "stdin", NULL,
				   cli.dot_ends, head.p, head.len, &err) < 0)
		die_err(&err, report_err_status(&err));
	if (in_fd != STDIN_FILENO)
		close(in_fd);
	buf_clear(&head);

	buf_init(&log, 64 * 1024);
	transcript_init(&tr, cli.verbose ? stderr : NULL);
	transcript_capture(&tr, &log);
	deliver_attempt(a, &env, &msg, &tr, cli.msgfile != NULL);

	deferred = envelope_count(&env, RCPT_DEFERRED);
	if (deferred > 0 && a->queue) {
		if (q == NULL || enqueue(q, id, a, config, &cli, &env, &msg,
					 &log, &qerr) < 0) {
			report_print(&env, cli.report, EX_IOERR,
				     cli.report == REPORT_FAILURES ? stderr
								   : stdout);
			fprintf(stderr, _("smtpsend: cannot queue the message: "
					  "%s; it was not sent to the deferred "
					  "recipients and stays with the "
					  "caller\n"), qerr.text);
			status = EX_IOERR;
			goto out;
		}
		for (i = 0; i < env.n; i++)
			if (env.rcpts[i].state == RCPT_DEFERRED)
				snprintf(env.rcpts[i].local_queue,
					 sizeof(env.rcpts[i].local_queue),
					 "%s", id);
		id[0] = '\0';  /* committed: it is the queue's now */
	}
	status = report_exit_status(&env);
	report_print(&env, cli.report, status,
		     cli.report == REPORT_FAILURES ? stderr : stdout);
	if (fflush(stdout) != 0 && status == EX_OK)
		status = EX_IOERR;
out:
	if (q != NULL && id[0] != '\0') {
		char name[QUEUE_ID_MAX + 16];
		snprintf(name, sizeof(name), "tmp/%s.eml", id);
		unlinkat(q->dirfd, name, 0);
	}
	free_queue(q);
	buf_clear(&log);
	msg_clear(&msg);
	envelope_clear(&env);
	account_free(a);
	free(config);
	cli_clear(&cli);
	return status;
}
