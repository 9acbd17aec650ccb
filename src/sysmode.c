/*
 * sysmode.c - system mode: when a send goes through the system queue, and
 * the hand-over to smtpsend-drop (see sysmode.h).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "account.h"
#include "cli.h"
#include "drop.h"
#include "exitcodes.h"
#include "gettext.h"
#include "pickup.h"
#include "profile.h"
#include "queue.h"
#include "queuecmd.h"
#include "report.h"
#include "sysmode.h"
#include "xalloc.h"

bool
sysmode_wanted(const struct cli *cli)
{
	char *user;

	if (cli->mode != MODE_SEND || cli->pretend || cli->config != NULL
	    || cli->host_given)
		return false;
	user = profile_user_file();
	if (user != NULL) {
		free(user);
		return false;
	}
	/* access(2) asks with the real uid: smtpsend is never setuid */
	return access(SYSMODE_CONFIG, R_OK) < 0 && errno == EACCES;
}

/* refuse_over - an option of the command line that sets an account
 * field the system queue cannot pass on (-N and -R it can). */
static int
refuse_over(const struct cli *cli)
{
	int f;

	for (f = 0; f < ACC_NFIELDS; f++) {
		if (f == ACC_DSN_NOTIFY || f == ACC_DSN_RETURN
		    || !account_is_set(cli->over, (enum account_field)f))
			continue;
		report_msg(_("%s cannot be set on the command "
			     "line when the mail goes through the system "
			     "queue (%s is not readable by you)"),
			account_field_name((enum account_field)f),
			SYSMODE_CONFIG);
		return -1;
	}
	if (cli->read_envelope_from) {
		report_msg(_("--read-envelope-from cannot be "
			     "used when the mail goes through the system "
			     "queue; give the sender with -f"));
		return -1;
	}
	return 0;
}

/* helper_argv - the helper's arguments for cli, into argv (at least
 * DROP_ARGV_MAX); false when there are too many recipients. */
static bool
helper_argv(const struct cli *cli, const char **argv)
{
	const struct account *o = cli->over;
	int n = 0, i;

	argv[n++] = "smtpsend-drop";
	if (cli->read_rcpts)
		argv[n++] = "-t";
	if (!cli->dot_ends)
		argv[n++] = "-i";
#define OPT(letter, value) \
	do { if (value) { argv[n++] = letter; argv[n++] = (value); } } while (0)
	OPT("-f", cli->from && cli->from[0] == '\0' ? "<>" : cli->from);
	OPT("-F", cli->full_name && cli->full_name[0] ? cli->full_name : NULL);
	OPT("-a", cli->account);
	OPT("-N", account_is_set(o, ACC_DSN_NOTIFY) ? o->dsn_notify : NULL);
	OPT("-R", account_is_set(o, ACC_DSN_RETURN)
	    ? account_dsn_return_name(o->dsn_return) : NULL);
	OPT("-V", cli->dsn_envid);
#undef OPT
	if (cli->nrcpts > DROP_RCPTS_MAX)
		return false;
	argv[n++] = "--";
	for (i = 0; i < cli->nrcpts; i++)
		argv[n++] = cli->rcpts[i];
	argv[n] = NULL;
	return true;
}

int
sysmode_submit(const struct cli *cli)
{
	static const char *argv[DROP_ARGV_MAX];
	static char *const envp[] = { NULL };
	int fd;

	if (refuse_over(cli) < 0)
		return EX_USAGE;
	if (!helper_argv(cli, argv)) {
		report_msg(_("more than %d recipient arguments "
			     "for the system queue"), DROP_RCPTS_MAX);
		return EX_USAGE;
	}
	if (cli->msgfile != NULL) {
		fd = open(cli->msgfile, O_RDONLY | O_NOCTTY);
		if (fd < 0 || dup2(fd, STDIN_FILENO) < 0) {
			report_msg(_("cannot open %s: %s"),
				cli->msgfile, strerror(errno));
			return EX_NOINPUT;
		}
		close(fd);
	}
	fflush(NULL);
	execve(SYSMODE_HELPER, (char *const *)argv, envp);
	report_msg(_("%s is not readable by you, and the "
		     "system queue's helper %s cannot be run (%s); see "
		     "smtpsend(1), SYSTEM MODE"), SYSMODE_CONFIG,
		SYSMODE_HELPER, strerror(errno));
	return EX_CONFIG;
}

bool
sysmode_is_flusher(void)
{
	struct stat st;

	return geteuid() != 0 && lstat(SYSMODE_SPOOL "/drop", &st) == 0
	       && S_ISDIR(st.st_mode) && st.st_uid == geteuid();
}

char *
sysmode_queue_dir(void)
{
	if (sysmode_is_flusher())
		return xstrdup(SYSMODE_SPOOL "/queue");
	return queue_default_dir();
}

int
sysmode_flush(const struct cli *cli)
{
	int picked, flushed;

	if (!sysmode_is_flusher())
		return queuecmd_run(cli);
	picked = pickup_run();
	flushed = queuecmd_run(cli);
	return flushed != EX_OK ? flushed : picked;
}
