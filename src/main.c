/*
 * main.c - smtpsend: the process is set up, the command line read, and
 * the mode it names run.  Nothing else happens here: the send mode is
 * send.c (or, through the system queue, sysmode.c), the queue modes
 * queuecmd.c, --serverinfo serverinfo.c,
 * --configure srvconf.c, --rmqs rmqs.c.  This
 * is the one place that ends the process (besides out of memory).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "exitcodes.h"
#include "gettext.h"
#include "oauth2.h"
#include "queuecmd.h"
#include "report.h"
#include "rmqs.h"
#include "send.h"
#include "serverinfo.h"
#include "sig.h"
#include "srvconf.h"
#include "sysmode.h"
#include "util.h"

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


/* reads_stdin - whether the mode reads a message from standard input. */
static bool
reads_stdin(const struct cli *cli)
{
	if (cli->mode == MODE_BS)
		return true;
	return cli->mode == MODE_SEND && cli->msgfile == NULL
	       && (!cli->pretend || cli->read_envelope_from);
}

/* wants_color - --color, or on a terminal unless NO_COLOR is set
 * (https://no-color.org) or the terminal cannot show colours. */
static bool
wants_color(const struct cli *cli, FILE *out)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (cli->color != COLOR_AUTO)
		return cli->color == COLOR_ALWAYS;
	return isatty(fileno(out)) && (nc == NULL || nc[0] == '\0')
	       && term != NULL && strcmp(term, "dumb") != 0;
}

/*
 * trace_open - where the transcript goes: --transcript=FILE (created
 * private, never through a symbolic link), else standard error with -v.
 * Returns 0, or an exit status.
 */
static int
trace_open(struct cli *cli)
{
	FILE *out = cli->verbose ? stderr : NULL;
	int fd;

	if (cli->transcript_file != NULL
	    && strcmp(cli->transcript_file, "-") == 0) {
		out = stdout;   /* as "logfile -" */
	} else if (cli->transcript_file != NULL) {
		fd = open(cli->transcript_file, O_WRONLY | O_CREAT | O_TRUNC
			  | O_NOFOLLOW | O_CLOEXEC, 0600);
		out = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (out == NULL) {
			fprintf(stderr, _("smtpsend: --transcript: cannot "
					  "write %s: %s\n"),
				cli->transcript_file, strerror(errno));
			if (fd >= 0)
				close(fd);
			return EX_CANTCREAT;
		}
	}
	cli->trace.out = out;
	cli->trace.color = out != NULL && wants_color(cli, out);
	if (out != NULL && cli->trace.secrets)
		report_warning(_("--transcript-secrets: the transcript shows "
				 "passwords and tokens; do not share it"));
	return 0;
}

/* trace_close - the transcript file, written out; the exit status. */
static int
trace_close(struct cli *cli, int status)
{
	FILE *out = cli->trace.out;

	if (out == NULL || out == stderr || out == stdout)
		return status;
	if (fclose(out) != 0 && status == EX_OK) {
		fprintf(stderr, _("smtpsend: --transcript: cannot write %s: "
				  "%s\n"), cli->transcript_file,
			strerror(errno));
		return EX_IOERR;
	}
	return status;
}

/* run - the mode of cli; the exit status. */
static int
run(const struct cli *cli, bool stdin_closed)
{
	if (cli->help) {
		cli_usage(stdout);
		return EX_OK;
	}
	if (cli->version) {
		cli_version(stdout);
		return EX_OK;
	}
	if (cli->newaliases)
		return EX_OK;   /* aliases are read from their file each time */
	if (stdin_closed && reads_stdin(cli)) {
		fprintf(stderr, _("smtpsend: standard input is closed: there "
				  "is no message to read\n"));
		return EX_IOERR;
	}
	switch (cli->mode) {
	case MODE_SEND:
		return sysmode_wanted(cli) ? sysmode_submit(cli)
					   : send_run(cli);
	case MODE_FLUSH: return sysmode_flush(cli);
	case MODE_BS: return send_bs(cli);
	case MODE_SERVERINFO: return serverinfo_mode(cli);
	case MODE_CONFIGURE: return srvconf_mode(cli);
	case MODE_RMQS: return rmqs_mode(cli);
	case MODE_OAUTH2_AUTHORIZE: return oauth2_authorize_mode(cli);
	case MODE_OAUTH2_REVOKE: return oauth2_revoke_mode(cli);
	default: return queuecmd_run(cli);
	}
}

/* invoked_name - the name a usage error gives the program: the name it
 * was invoked by when that is one of its sendmail names (a caller's log
 * then says which command it ran), else smtpsend. */
static const char *
invoked_name(int argc, char **argv)
{
	static const char *const names[] = { "sendmail", "mailq",
					     "newaliases" };
	const char *base;
	size_t i;

	if (argc <= 0 || argv[0] == NULL)
		return "smtpsend";
	base = strrchr(argv[0], '/');
	base = base ? base + 1 : argv[0];
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(base, names[i]) == 0)
			return names[i];
	return "smtpsend";
}

int
main(int argc, char **argv)
{
	struct cli cli;
	struct err err;
	bool stdin_closed;
	int status;

	stdin_closed = fix_std_fds();
	umask(077);
	sig_init();
	/* no core dump may hold a password or a message */
	util_no_core_dumps();
	/* no setlocale here: the first message sets the locale up (i18n.h) */
	err_strerror = i18n_strerror;
	cli_init(&cli);
	if (cli_parse(&cli, argc, argv, &err) < 0) {
		const char *name = invoked_name(argc, argv);

		fprintf(stderr, "%s: %s\n", name, err.text);
		/* a library that cannot be loaded (libidn2, for a --host
		 * that is not ASCII) is no usage error */
		status = err.cls == ERR_OSERR ? EX_OSERR : EX_USAGE;
		if (status == EX_USAGE)
			fprintf(stderr,
				_("Try '%s --help' for more information.\n"),
				name);
	} else if ((status = trace_open(&cli)) == 0) {
		status = run(&cli, stdin_closed);
		status = trace_close(&cli, status);
	}
	cli_clear(&cli);
	return status;
}
