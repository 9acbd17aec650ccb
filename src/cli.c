/*
 * cli.c - command-line parsing (see cli.h).
 */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "gettext.h"

enum {
	OPT_FILE = 256,
	OPT_REPORT,
	OPT_VERSION,
	OPT_HELP,
	OPT_CONFIG,
	OPT_SERVERINFO,
	OPT_QUEUE,
	OPT_NO_QUEUE,
	OPT_QUEUE_FLUSH,
	OPT_FORCE,
	OPT_QUEUE_LIST,
	OPT_QUEUE_SHOW,
	OPT_QUEUE_REMOVE,
	OPT_QUEUE_HOLD,
	OPT_QUEUE_RELEASE,
	OPT_READ_ENVELOPE_FROM,
	OPT_PASSWORD,
	OPT_FIELD = 512        /* + enum account_field */
};

static const struct option fixed_opts[] = {
	{ "from", required_argument, NULL, 'f' },
	{ "account", required_argument, NULL, 'a' },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "file", required_argument, NULL, OPT_FILE },
	{ "report", optional_argument, NULL, OPT_REPORT },
	{ "serverinfo", no_argument, NULL, OPT_SERVERINFO },
	{ "pretend", no_argument, NULL, 'P' },
	{ "read-envelope-from", no_argument, NULL, OPT_READ_ENVELOPE_FROM },
	{ "queue", no_argument, NULL, OPT_QUEUE },
	{ "no-queue", no_argument, NULL, OPT_NO_QUEUE },
	{ "queue-flush", no_argument, NULL, OPT_QUEUE_FLUSH },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "queue-list", optional_argument, NULL, OPT_QUEUE_LIST },
	{ "queue-show", required_argument, NULL, OPT_QUEUE_SHOW },
	{ "queue-remove", required_argument, NULL, OPT_QUEUE_REMOVE },
	{ "queue-hold", required_argument, NULL, OPT_QUEUE_HOLD },
	{ "queue-release", required_argument, NULL, OPT_QUEUE_RELEASE },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, OPT_HELP },
	/* only to refuse it by name (see cli_parse) */
	{ "password", optional_argument, NULL, OPT_PASSWORD },
};

#define NFIXED (sizeof(fixed_opts) / sizeof(fixed_opts[0]))

/* build_longopts - the fixed options, then one per account field that has
 * a command-line name (--host, --tls-trust-file, ...). */
static void
build_longopts(struct option *o)
{
	size_t n = 0;
	int f;

	memcpy(o, fixed_opts, sizeof(fixed_opts));
	n = NFIXED;
	for (f = 0; f < ACC_NFIELDS; f++) {
		const char *name = account_field_option((enum account_field)f);
		if (name == NULL)
			continue;
		o[n].name = name;
		o[n].has_arg = required_argument;
		o[n].flag = NULL;
		o[n].val = OPT_FIELD + f;
		n++;
	}
	memset(&o[n], 0, sizeof(o[n]));
}

/* valid_envid - RFC 3461 4.4: an ENVID is at most 100 printable
 * US-ASCII characters (it goes on the wire as xtext). */
static bool
valid_envid(const char *v)
{
	size_t i, n = strlen(v);

	if (n == 0 || n > 100)
		return false;
	for (i = 0; i < n; i++)
		if (v[i] < '!' || v[i] > '~')
			return false;
	return true;
}

void
cli_init(struct cli *c)
{
	memset(c, 0, sizeof(*c));
	c->over = account_new(NULL);
	c->report = REPORT_FAILURES;
	c->dot_ends = true;
}


void
cli_clear(struct cli *c)
{
	account_free(c->over);
	c->over = NULL;
}

/*
 * spelled_out - whether the argument that named long option o spelled
 * its name out in full.  getopt_long takes any unambiguous prefix
 * ("--pass" for --passwordeval); we take none, so that a mistyped option
 * can never stand for another one.  The option is the last argument
 * consumed, or the one before when its value came separately.
 */
static bool
spelled_out(char **argv, const struct option *o, const char **given)
{
	int i = optind - 1;
	const char *a;
	size_t n = strlen(o->name);

	if (o->has_arg == required_argument && optarg != NULL && i > 0
	    && optarg == argv[i])
		i--;
	a = argv[i];
	*given = a;
	return strncmp(a, "--", 2) == 0 && strncmp(a + 2, o->name, n) == 0
	       && (a[2 + n] == '\0' || a[2 + n] == '=');
}

int
cli_parse(struct cli *c, int argc, char **argv, struct err *err)
{
	struct option longopts[NFIXED + ACC_NFIELDS + 1];
	int ch, li;

	build_longopts(longopts);
	opterr = 0;
	optind = 1;
	if (argc > 0 && argv[0] != NULL) {
		const char *base = strrchr(argv[0], '/');
		base = base ? base + 1 : argv[0];
		/* sendmail's lone-dot rule only where callers expect it:
		 * invoked as smtpsend, a "." line is data */
		c->dot_ends = strcmp(base, "sendmail") == 0;
		if (strcmp(base, "mailq") == 0)
			c->mode = MODE_LIST;
		else if (strcmp(base, "newaliases") == 0)
			c->newaliases = true;
	}
	/* sendmail's options: -t -f/-r -F -i -N -R -V -B -bm -bp -q -v -C,
	 * and -o* -O -G -h -L -m -n -U -A* accepted and ignored */
	while ((li = -1, ch = getopt_long(argc, argv,
				 ":C:a:f:r:F:tio:N:R:V:B:O:Gh:L:mnUA:vSPq::b:",
				 longopts, &li)) != -1) {
		const char *given;

		if (li >= 0 && !spelled_out(argv, &longopts[li], &given)) {
			size_t len = strcspn(given, "=");
			err_set(err, ERR_USAGE, false,
				_("unknown option %.*s (did you mean --%s? "
				  "options must be spelled out in full)"),
				(int)len, given, longopts[li].name);
			return -1;
		}
		if (ch == OPT_PASSWORD) {
			err_set(err, ERR_USAGE, false,
				_("--password: a password on the command line "
				  "can be read by every user of this machine; "
				  "use passwordeval, ~/.netrc or a private "
				  "configuration file"));
			return -1;
		}
		if (ch >= OPT_FIELD && ch < OPT_FIELD + ACC_NFIELDS) {
			enum account_field f = (enum account_field)(ch
								     - OPT_FIELD);
			struct err verr;

			if (account_set(c->over, f, optarg, _("command line"),
					&verr) < 0) {
				err_set(err, ERR_USAGE, false, "--%s: %s",
					account_field_option(f), verr.text);
				return -1;
			}
			if (f == ACC_HOST)
				c->host_given = true;
			continue;
		}
		switch (ch) {
		case 'C':
		case OPT_CONFIG:
			c->config = optarg;
			break;
		case 'a':
			c->account = optarg;
			break;
		case 'f':
		case 'r':
			c->from = optarg;
			break;
		case 'F':
			c->full_name = optarg;
			break;
		case 'P':
			c->pretend = true;
			break;
		case OPT_READ_ENVELOPE_FROM:
			c->read_envelope_from = true;
			break;
		case 't':
			c->read_rcpts = true;
			break;
		case 'i':
			c->dot_ends = false;
			break;
		case 'o':
			/* -oi is -i; the other -oX (-oem, -odb, ...) mean
			 * nothing here */
			if (strcmp(optarg, "i") == 0)
				c->dot_ends = false;
			break;
		case 'N':
		case 'R': {
			struct err verr;
			if (account_set(c->over, ch == 'N' ? ACC_DSN_NOTIFY
							   : ACC_DSN_RETURN,
					optarg, _("command line"), &verr) < 0) {
				err_set(err, ERR_USAGE, false, "-%c: %s", ch,
					verr.text);
				return -1;
			}
			break;
		}
		case 'V':
			if (!valid_envid(optarg)) {
				err_set(err, ERR_USAGE, false,
					_("-V: the envelope id must be 1 to "
					  "100 printable ASCII characters, "
					  "without spaces (RFC 3461 4.4)"));
				return -1;
			}
			c->dsn_envid = optarg;
			break;
		case 'B':
			if (strcasecmp(optarg, "7BIT") != 0
			    && strcasecmp(optarg, "8BITMIME") != 0) {
				err_set(err, ERR_USAGE, false,
					_("-B: invalid body type \"%s\" "
					  "(expected 7BIT or 8BITMIME)"),
					optarg);
				return -1;
			}
			/* the body is examined anyway: BODY=8BITMIME goes
			 * with any 8-bit byte */
			break;
		case 'O':
		case 'G':
		case 'h':
		case 'L':
		case 'm':
		case 'n':
		case 'U':
		case 'A':
			break;  /* sendmail options with no meaning here */
		case 'v':
			c->verbose = true;
			break;
		case 'S':
		case OPT_SERVERINFO:
			c->mode = MODE_SERVERINFO;
			break;
		case OPT_QUEUE:
		case OPT_NO_QUEUE: {
			struct err verr;
			if (account_set(c->over, ACC_QUEUE,
					ch == OPT_QUEUE ? "on" : "off",
					_("command line"), &verr) < 0) {
				*err = verr;
				return -1;
			}
			break;
		}
		case 'q':       /* sendmail -q, -q15m: one flush */
		case OPT_QUEUE_FLUSH:
			c->mode = MODE_FLUSH;
			break;
		case OPT_FORCE:
			c->force = true;
			break;
		case 'b':
			if (strcmp(optarg, "p") == 0) {
				c->mode = MODE_LIST;
			} else if (strcmp(optarg, "s") == 0) {
				c->mode = MODE_BS;
			} else if (strcmp(optarg, "i") == 0) {
				c->newaliases = true;   /* sendmail -bi */
			} else if (strcmp(optarg, "m") != 0) {
				err_set(err, ERR_USAGE, false,
					_("unsupported mode -b%s (this "
					  "version knows -bm, -bp, -bs and -bi)"),
					optarg);
				return -1;
			}
			break;
		case OPT_QUEUE_LIST:
			c->mode = MODE_LIST;
			if (optarg != NULL && strcmp(optarg, "json") == 0)
				c->list_json = true;
			else if (optarg != NULL && strcmp(optarg, "text") != 0) {
				err_set(err, ERR_USAGE, false,
					_("--queue-list: invalid value \"%s\" "
					  "(expected text or json)"), optarg);
				return -1;
			}
			break;
		case OPT_QUEUE_SHOW:
		case OPT_QUEUE_REMOVE:
		case OPT_QUEUE_HOLD:
		case OPT_QUEUE_RELEASE:
			c->mode = ch == OPT_QUEUE_SHOW ? MODE_SHOW
				  : ch == OPT_QUEUE_REMOVE ? MODE_REMOVE
				  : ch == OPT_QUEUE_HOLD ? MODE_HOLD
							 : MODE_RELEASE;
			c->mode_arg = optarg;
			break;
		case OPT_FILE:
			c->msgfile = optarg;
			break;
		case OPT_REPORT:
			/* "--report json" means what it says: never mail a
			 * local user called "json" by accident */
			if (optarg == NULL && optind < argc
			    && (strcmp(argv[optind], "text") == 0
				|| strcmp(argv[optind], "json") == 0))
				optarg = argv[optind++];
			if (optarg == NULL || strcmp(optarg, "text") == 0)
				c->report = REPORT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				c->report = REPORT_JSON;
			else {
				err_set(err, ERR_USAGE, false,
					_("--report: invalid value \"%s\" "
					  "(expected text or json)"), optarg);
				return -1;
			}
			break;
		case OPT_VERSION:
			c->version = true;
			break;
		case OPT_HELP:
			c->help = true;
			break;
		case ':':
			if (optopt >= OPT_FIELD)
				err_set(err, ERR_USAGE, false,
					_("option --%s needs a value"),
					account_field_option(
					    (enum account_field)(optopt
								 - OPT_FIELD)));
			else if (optopt > 0 && optopt < 256)
				err_set(err, ERR_USAGE, false,
					_("option -%c needs a value"), optopt);
			else
				err_set(err, ERR_USAGE, false,
					_("option %s needs a value"),
					argv[optind - 1]);
			return -1;
		default:
			if (optopt > 0 && optopt < 256)
				err_set(err, ERR_USAGE, false,
					_("unknown option -%c"), optopt);
			else
				/* never the value: "--pass=SECRET" */
				err_set(err, ERR_USAGE, false,
					_("unknown option %.*s"),
					(int)strcspn(argv[optind - 1], "="),
					argv[optind - 1]);
			return -1;
		}
	}
	if (c->host_given && c->account != NULL) {
		err_set(err, ERR_USAGE, false,
			_("--host uses command-line settings only; it cannot "
			  "be combined with -a"));
		return -1;
	}
	if (c->force && c->mode != MODE_FLUSH) {
		err_set(err, ERR_USAGE, false,
			_("--force goes with --queue-flush (-q)"));
		return -1;
	}
	c->rcpts = argv + optind;
	c->nrcpts = argc - optind;
	if (c->mode == MODE_BS && (c->read_rcpts || c->report != REPORT_FAILURES
				   || c->msgfile != NULL)) {
		err_set(err, ERR_USAGE, false,
			_("-bs reads the messages as SMTP on standard input: "
			  "-t, --report and --file do not go with it"));
		return -1;
	}
	if (c->mode != MODE_SEND && c->nrcpts > 0) {
		err_set(err, ERR_USAGE, false,
			_("recipients given with a mode that sends no message "
			  "(\"%s\")"), c->rcpts[0]);
		return -1;
	}
	return 0;
}

void
cli_usage(FILE *out)
{
	fputs(_("Usage: smtpsend [OPTION]... [--] RECIPIENT...\n"
		"       smtpsend --serverinfo [OPTION]...\n"
		"Read a message from standard input and submit it to an SMTP "
		"server.\n"
		"Recipients may be written as in a To: header: \"Name "
		"<addr>\", comma lists.\n"
		"\n"
		"Account and server:\n"
		"  -C, --config=FILE      use FILE as the configuration file\n"
		"  -a, --account=NAME     use account NAME from the "
		"configuration\n"
		"      --host=HOST        use HOST and command-line settings "
		"only\n"
		"      --port=N           server port (default 587; 465 with "
		"--tls-starttls=off)\n"
		"      --timeout=SECONDS  network timeout, or off for the RFC "
		"5321 defaults\n"
		"      --domain=NAME      name to send with EHLO (default: "
		"this host's name)\n"
		"\n"
		"TLS:\n"
		"      --tls=on|off       use TLS (default on)\n"
		"      --tls-starttls=on|off  STARTTLS (on, port 587) or "
		"implicit TLS (off, 465)\n"
		"      --tls-trust-file=FILE|system  trusted CA certificates\n"
		"      --tls-fingerprint=SHA256  accept only this server "
		"certificate\n"
		"      --tls-certcheck=on|off  verify the server certificate "
		"(default on)\n"
		"      --tls-cert-file=FILE, --tls-key-file=FILE  client "
		"certificate and key\n"
		"      --tls-priorities=STRING  GnuTLS priority string\n"
		"      --tls-host-override=NAME  name to verify and send as "
		"SNI\n"
		"      --tls-min-version=tls1.2|tls1.3  oldest TLS version "
		"accepted (tls1.2)\n"
		"  -S, --serverinfo       show the server's greeting, "
		"capabilities and TLS\n"
		"                         certificate, then quit without "
		"sending\n"
		"\n"
		"Queue:\n"
		"      --queue, --no-queue  keep deferred recipients in the "
		"local queue (on)\n"
		"      --queue-dir=DIR    the queue directory\n"
		"  -q, --queue-flush      try the queued messages that are "
		"due\n"
		"      --force            with --queue-flush: all of them, "
		"due or not\n"
		"      --queue-list[=json], -bp  list the queue (also as "
		"mailq)\n"
		"  -bs                    speak SMTP on standard input and "
		"output, send what comes\n"
		"      --queue-show=ID    an entry and its last failed "
		"attempt\n"
		"      --queue-remove=ID, --queue-hold=ID, "
		"--queue-release=ID\n"
		"\n"
		"Authentication:\n"
		"      --auth=on|off|METHOD  authenticate (default off)\n"
		"      --user=NAME        user name\n"
		"      --passwordeval=CMD  take the password from the first "
		"line CMD prints\n"
		"\n"
		"Message:\n"
		"  -f, --from=ADDR        envelope sender (\"\" for the null "
		"sender); also -r\n"
		"      --read-envelope-from  the envelope sender from the "
		"From header\n"
		"  -t                     take the recipients from To, Cc, "
		"Bcc (or Resent-)\n"
		"  -F NAME                the full name for an added From: "
		"header\n"
		"  -i, -oi                a line with a single \".\" does not "
		"end the message\n"
		"  -N never|success,failure,delay  DSN notify; -R full|hdrs; "
		"-V ENVID\n"
		"      --set-from-header=auto|on|off, --set-date-header=auto|off,"
		"\n      --set-msgid-header=auto|off, "
		"--set-to-header=off|undisclosed_recipients,\n"
		"      --remove-bcc-headers=on|off, --maildomain=DOMAIN, "
		"--aliases=FILE,\n"
		"      --dsn-notify=..., --dsn-return=off|headers|full\n"
		"      --file=FILE        read the message from FILE instead "
		"of standard input\n"
		"\n"
		"Output:\n"
		"      --report[=text|json]  report every recipient on "
		"standard output\n"
		"  -v, --verbose          print the SMTP dialogue on standard "
		"error\n"
		"  -P, --pretend          print the settings that would be used "
		"and exit\n"
		"      --logfile=FILE, --logfile-time-format=FMT, "
		"--syslog=on|off|FACILITY\n"
		"                         a line per message\n"
		"      --fallback-hosts=\"HOST[:PORT] ...\"  servers to try when "
		"the host fails\n"
		"      --help             show this help and exit\n"
		"      --version          show the version and exit\n"
		"\n"
		"Exit status: 0 all delivered, or the rest queued; 64 usage; "
		"65 bad message\nor address; "
		"66 cannot open --file; 67 some recipients refused; 69 "
		"message refused;\n"
		"70 internal error; 74 I/O error (the queue too); 75 temporary "
		"failure and\nnot queued; 76 protocol error; "
		"77 authentication or TLS\nverification failed; 78 "
		"configuration error.\n"
		"See smtpsend(1) and smtpsendrc(5).\n"),
	      out);
}
