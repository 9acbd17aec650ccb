/*
 * cli.c - command-line parsing (see cli.h).
 */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "gettext.h"

enum {
	OPT_HOST = 256,
	OPT_PORT,
	OPT_TIMEOUT,
	OPT_DOMAIN,
	OPT_FILE,
	OPT_REPORT,
	OPT_TLS,
	OPT_AUTH,
	OPT_VERSION,
	OPT_HELP,
	OPT_CONFIG,
};

static const struct option longopts[] = {
	{ "from", required_argument, NULL, 'f' },
	{ "account", required_argument, NULL, 'a' },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "host", required_argument, NULL, OPT_HOST },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "domain", required_argument, NULL, OPT_DOMAIN },
	{ "file", required_argument, NULL, OPT_FILE },
	{ "report", optional_argument, NULL, OPT_REPORT },
	{ "tls", required_argument, NULL, OPT_TLS },
	{ "auth", required_argument, NULL, OPT_AUTH },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 }
};

void
cli_init(struct cli *c)
{
	memset(c, 0, sizeof(*c));
	c->over = account_new(NULL);
	c->report = REPORT_FAILURES;
}

void
cli_clear(struct cli *c)
{
	account_free(c->over);
	c->over = NULL;
}

static int
set(struct cli *c, enum account_field f, const char *opt, const char *v,
    struct err *err)
{
	struct err verr;

	if (account_set(c->over, f, v, _("command line"), &verr) < 0) {
		err_set(err, ERR_USAGE, false, "--%s: %s", opt, verr.text);
		return -1;
	}
	return 0;
}

int
cli_parse(struct cli *c, int argc, char **argv, struct err *err)
{
	int ch;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":C:a:f:v", longopts, NULL))
	       != -1) {
		switch (ch) {
		case 'C':
		case OPT_CONFIG:
			c->config = optarg;
			break;
		case 'a':
			c->account = optarg;
			break;
		case 'f':
			c->from = optarg;
			break;
		case 'v':
			c->verbose = true;
			break;
		case OPT_HOST:
			if (set(c, ACC_HOST, "host", optarg, err) < 0)
				return -1;
			c->host_given = true;
			break;
		case OPT_PORT:
			if (set(c, ACC_PORT, "port", optarg, err) < 0)
				return -1;
			break;
		case OPT_TIMEOUT:
			if (set(c, ACC_TIMEOUT, "timeout", optarg, err) < 0)
				return -1;
			break;
		case OPT_DOMAIN:
			if (set(c, ACC_DOMAIN, "domain", optarg, err) < 0)
				return -1;
			break;
		case OPT_TLS:
			if (set(c, ACC_TLS, "tls", optarg, err) < 0)
				return -1;
			break;
		case OPT_AUTH:
			if (set(c, ACC_AUTH, "auth", optarg, err) < 0)
				return -1;
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
			if (optopt != 0)
				err_set(err, ERR_USAGE, false,
					_("option -%c needs a value"), optopt);
			else
				err_set(err, ERR_USAGE, false,
					_("option %s needs a value"),
					argv[optind - 1]);
			return -1;
		default:
			if (optopt != 0)
				err_set(err, ERR_USAGE, false,
					_("unknown option -%c"), optopt);
			else
				err_set(err, ERR_USAGE, false,
					_("unknown option %s"),
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
	c->rcpts = argv + optind;
	c->nrcpts = argc - optind;
	return 0;
}

void
cli_usage(FILE *out)
{
	fputs(_("Usage: smtpsend [OPTION]... [--] RECIPIENT...\n"
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
		"      --port=N           server port (default 587)\n"
		"      --timeout=SECONDS  network timeout, or off for the RFC "
		"5321 defaults\n"
		"      --domain=NAME      name to send with EHLO (default: "
		"this host's name)\n"
		"      --tls=on|off       use TLS (default on; this version "
		"needs off)\n"
		"      --auth=on|off|METHOD  authenticate (default off)\n"
		"\n"
		"Message:\n"
		"  -f, --from=ADDR        envelope sender (\"\" for the null "
		"sender)\n"
		"      --file=FILE        read the message from FILE instead "
		"of standard input\n"
		"\n"
		"Output:\n"
		"      --report[=text|json]  report every recipient on "
		"standard output\n"
		"  -v, --verbose          print the SMTP dialogue on standard "
		"error\n"
		"      --help             show this help and exit\n"
		"      --version          show the version and exit\n"
		"\n"
		"Exit status: 0 all delivered; 64 usage; 65 bad message or "
		"address;\n"
		"66 cannot open --file; 67 some recipients refused; 69 message "
		"refused;\n"
		"70 internal error; 74 I/O error; 75 temporary failure; 76 "
		"protocol error;\n"
		"78 configuration error.\n"
		"See smtpsend(1) and smtpsendrc(5).\n"),
	      out);
}
