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
#include <unistd.h>

#include "account.h"
#include "addr.h"
#include "cli.h"
#include "conf.h"
#include "deliver.h"
#include "envelope.h"
#include "exitcodes.h"
#include "gettext.h"
#include "msg.h"
#include "report.h"
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

/* resolve_account - built-in defaults, the chosen account, the command
 * line.  Exits with a message when no account can be had. */
static struct account *
resolve_account(const struct cli *cli)
{
	struct account *a = account_new(NULL);
	struct conf conf;
	struct err err;
	char *path = NULL;

	account_defaults(a);
	conf_init(&conf);
	if (!cli->host_given) {
		path = cli->config ? xstrdup(cli->config) : find_config();
		if (path != NULL && conf_load(&conf, path, &err) < 0)
			die_err(&err, report_err_status(&err));
	}
	if (!cli->host_given) {
		const struct account *chosen;

		if (path == NULL) {
			fprintf(stderr, _("smtpsend: no configuration file "
					  "found and no --host given; see "
					  "smtpsend(1)\n"));
			exit(EX_CONFIG);
		}
		if (cli->account != NULL) {
			chosen = conf_find(&conf, cli->account);
			if (chosen == NULL) {
				fprintf(stderr, _("smtpsend: %s: no account "
						  "named \"%s\"\n"),
					path, cli->account);
				exit(EX_CONFIG);
			}
		} else {
			chosen = conf_default(&conf);
			if (chosen == NULL) {
				fprintf(stderr, _("smtpsend: %s: no default "
						  "account; use -a NAME or "
						  "define \"account default : "
						  "NAME\"\n"), path);
				exit(EX_CONFIG);
			}
		}
		account_merge(a, chosen);
		free(a->name);
		a->name = xstrdup(chosen->name);
	}
	account_merge(a, cli->over);
	conf_clear(&conf);
	free(path);
	return a;
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
	if (e->n == 0) {
		fprintf(stderr, _("smtpsend: no recipients given\n"));
		exit(EX_DATAERR);
	}
}

int
main(int argc, char **argv)
{
	struct cli cli;
	struct err err;
	struct account *a;
	struct envelope env;
	struct message msg;
	struct transcript tr;
	const char *sender;
	int in_fd = STDIN_FILENO, status;

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

	a = resolve_account(&cli);
	if (account_check(a, &err) < 0)
		die_err(&err, EX_CONFIG);
	if (cli.serverinfo) {
		transcript_init(&tr, cli.verbose ? stderr : NULL);
		status = serverinfo_run(a, &tr, stdout);
		account_free(a);
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
	add_recipients(&env, &cli);

	if (cli.msgfile != NULL) {
		in_fd = open(cli.msgfile, O_RDONLY | O_CLOEXEC);
		if (in_fd < 0) {
			fprintf(stderr, _("smtpsend: cannot open %s: %s\n"),
				cli.msgfile, strerror(errno));
			return EX_NOINPUT;
		}
	}
	msg_init(&msg);
	if (msg_spool(&msg, in_fd, cli.msgfile ? cli.msgfile : "stdin", NULL,
		      &err) < 0)
		die_err(&err, report_err_status(&err));
	if (in_fd != STDIN_FILENO)
		close(in_fd);

	transcript_init(&tr, cli.verbose ? stderr : NULL);
	deliver_attempt(a, &env, &msg, &tr,
			cli.msgfile != NULL);

	status = report_exit_status(&env);
	report_print(&env, cli.report, status,
		     cli.report == REPORT_FAILURES ? stderr : stdout);
	if (fflush(stdout) != 0 && status == EX_OK)
		status = EX_IOERR;

	msg_clear(&msg);
	envelope_clear(&env);
	account_free(a);
	cli_clear(&cli);
	return status;
}
