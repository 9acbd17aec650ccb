/*
 * cli.h - the command line: options into a struct cli, usage text.
 *
 * Settings that an account also has (host, port, timeout, domain, tls,
 * auth) go into an account layer that overrides the config file.
 */
#ifndef SMTPSEND_CLI_H
#define SMTPSEND_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include "account.h"
#include "envelope.h"
#include "err.h"
#include "report.h"
#include "transcript.h"

enum cli_mode {
	MODE_SEND,
	MODE_SERVERINFO,
	MODE_FLUSH,             /* --queue-flush, -q */
	MODE_LIST,              /* --queue-list, -bp, mailq */
	MODE_SHOW,
	MODE_REMOVE,
	MODE_HOLD,
	MODE_RELEASE,
	MODE_BS,                /* -bs: SMTP on stdin/stdout */
	MODE_CONFIGURE,         /* --configure=ADDRESS: an account from
				   the SRV records of its domain */
	MODE_RMQS,              /* --rmqs=ARG: ETRN (RFC 1985) */
	MODE_OAUTH2_AUTHORIZE,  /* --oauth2-authorize: get a refresh token */
	MODE_OAUTH2_REVOKE      /* --oauth2-revoke: forget it */
};

/* --color: colours in the transcript. */
enum cli_color { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct cli {
	enum cli_mode mode;
	const char *mode_arg;   /* the queue id of show/remove/hold/release
				   ("all" for --queue-remove), the address
				   of --configure, the argument of --rmqs */
	const char **flush_ids; /* --queue-flush=ID...: only these (the
				   array allocated, the ids borrowed) */
	size_t nflush_ids;
	bool list_json;
	bool force;             /* --force: flush ignores the schedule */
	bool queue_only;        /* --queue-only, -odq: queue, do not send */
	bool report_by_mail;    /* --report-by-mail: a delivery report for
				   the recipients that fail for good */
	const char *config;     /* -C FILE */
	const char *account;    /* -a NAME */
	const char *from;       /* -f ADDR */
	const char *msgfile;    /* --data=FILE; NULL: stdin */
	struct account *over;   /* settings given on the command line */
	bool host_given;        /* --host: command-line settings only */
	bool verbose;           /* -v */
	const char *transcript_file;    /* --transcript=FILE */
	enum cli_color color;   /* --color */
	struct transcript_opts trace;   /* the trace: its stream, set by
					   main from -v and --transcript;
					   --transcript-secrets,
					   --transcript-body */
	bool dry_run;           /* --dry-run: prepare, print, send nothing */
	enum smtp_stage quit_after;     /* --quit-after: STAGE_NONE, or
					   CONNECT, TLS, EHLO, AUTH, MAIL,
					   RCPT: QUIT after that step */
	enum report_mode report;
	bool help;
	bool version;
	/* sendmail compatibility */
	bool read_rcpts;        /* -t */
	bool dot_ends;          /* a lone "." line ends the input: invoked
				   as sendmail without -i or -oi */
	const char *full_name;  /* -F */
	const char *dsn_envid;  /* -V (-N and -R set account fields) */
	bool newaliases;        /* invoked as newaliases: nothing to do */
	bool pretend;           /* -P: show the account, send nothing */
	bool read_envelope_from;
	char **rcpts;           /* the remaining arguments (borrowed) */
	int nrcpts;
};

/* cli_init / cli_clear - empty options; free what cli_parse allocated. */
void cli_init(struct cli *c);
void cli_clear(struct cli *c);

/*
 * cli_parse - parse argv.  Returns 0, or -1 with err (ERR_USAGE) naming the
 * option and what is wrong with it.  Long options must be spelled out in
 * full.  The options that choose a mode (--serverinfo/-S, --queue-flush/-q,
 * --queue-list/-bp, --queue-show, --queue-remove, --queue-hold,
 * --queue-release, -bs, -bm, -bi, --configure, --rmqs,
 * --oauth2-authorize, --oauth2-revoke) may be given more
 * than once only for the same mode: two different ones are an error
 * naming both.  The name it was
 * invoked by (mailq, newaliases) is no such option: an option may change
 * its mode.  A queue id must have the form of one (queue_valid_id; "all"
 * too for --queue-remove); --queue-flush=ID may be repeated, and adds to
 * flush_ids.
 */
int cli_parse(struct cli *c, int argc, char **argv, struct err *err);

/* cli_long_option - the name of the i-th long option, without its "--"
 * ("account", "queue-flush", "tls-trust-file", ...; static storage), NULL
 * past the last: the table cli_parse reads. */
const char *cli_long_option(size_t i);

/* cli_usage - the --help text, to out. */
void cli_usage(FILE *out);

/* cli_version - the --version text (version, libraries, licence), to
 * out. */
void cli_version(FILE *out);

#endif
