/*
 * smtpmock.c - a scriptable mock SMTP server and scenario test driver.
 *
 *   smtpmock [--client PROGRAM] SCENARIO.scn
 *   smtpmock --serve [--port-file FILE] [--record FILE] [--once] [SCRIPT.scn]
 *
 * The first form runs one scenario against the client (PROGRAM, default
 * $SMTPSEND; "-" means the first word of %args) and exits 0 pass, 1 fail,
 * 77 skip, 99 hard error, as the automake test harness expects.  The second
 * serves connections for demos and manual tests.  See
 * doc/scenario-format.md.  The SMTP side follows RFC 5321, 2920, 3030 and
 * 4954 loosely, see mserver.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mdriver.h"
#include "mio.h"
#include "mscn.h"
#include "mserver.h"

/* --serve stops after this long without a connection. */
#define SERVE_IDLE_MS 60000L

static void
usage(FILE *f)
{
	fputs("usage: smtpmock [--client PROGRAM] SCENARIO.scn\n"
	    "       smtpmock --serve [--port-file FILE] [--record FILE] "
	    "[--once] [SCRIPT.scn]\n"
	    "PROGRAM defaults to $SMTPSEND; \"-\" takes the program from "
	    "the first word of %args.\n"
	    "Exit: 0 pass, 1 fail, 77 skip, 99 error.  "
	    "SMTPMOCK_KEEP=1 keeps the temporary directory.\n", f);
}

/* write_port - "PORT\n" to path (atomically, via a rename) or stdout. */
static int
write_port(const char *path, int port, struct merr *e)
{
	char tmp[PATH_MAX], line[32];
	int n, fd, rc = -1;

	n = snprintf(line, sizeof(line), "%d\n", port);
	if (n < 0 || (size_t)n >= sizeof(line))
		return merr_set(e, "port number too long");
	if (path == NULL) {
		fputs(line, stdout);
		fflush(stdout);
		return 0;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return merr_set(e, "%s: path too long", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1)
		return merr_set(e, "%s: %s", tmp, strerror(errno));
	if (mio_write_all(fd, line, (size_t)n, 10000) == -1) {
		merr_set(e, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (close(fd) == -1 || rename(tmp, path) == -1) {
		fd = -1;
		merr_set(e, "%s: %s", path, strerror(errno));
		goto out;
	}
	fd = -1;
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	return rc;
}

static int
serve(int argc, char **argv)
{
	const char *port_file = NULL, *record = NULL, *script = NULL;
	struct mserver_opts o;
	struct mtext_subst sub;
	char portstr[16];
	struct mscn s;
	struct merr e;
	int i, port, rc = 1;

	memset(&o, 0, sizeof(o));
	o.listen_fd = o.record_fd = -1;
	o.stop_fd = o.status_fd = -1;
	o.log = 1;
	o.idle_ms = SERVE_IDLE_MS;
	mscn_init(&s);
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--port-file") == 0 && i + 1 < argc) {
			port_file = argv[++i];
		} else if (strcmp(argv[i], "--record") == 0 && i + 1 < argc) {
			record = argv[++i];
		} else if (strcmp(argv[i], "--once") == 0) {
			o.once = 1;
		} else if (argv[i][0] != '-' && script == NULL) {
			script = argv[i];
		} else {
			usage(stderr);
			return 99;
		}
	}
	if (script != NULL && mscn_load(&s, script, 0, &e) == -1) {
		fprintf(stderr, "smtpmock: %s\n", e.msg);
		rc = 99;
		goto out;
	}
	if (record != NULL) {
		o.record_fd = open(record, O_WRONLY | O_CREAT | O_APPEND |
		    O_CLOEXEC, 0600);
		if (o.record_fd == -1) {
			fprintf(stderr, "smtpmock: %s: %s\n", record,
			    strerror(errno));
			goto out;
		}
	}
	if ((o.listen_fd = mserver_listen(&port, &e)) == -1 ||
	    write_port(port_file, port, &e) == -1) {
		fprintf(stderr, "smtpmock: %s\n", e.msg);
		goto out;
	}
	/* Placeholders of tls-cert / tls-client-ca file names. */
	memset(&sub, 0, sizeof(sub));
	i = snprintf(portstr, sizeof(portstr), "%d", port);
	sub.port = i > 0 && (size_t)i < sizeof(portstr) ? portstr : NULL;
	sub.host = "127.0.0.1";
	sub.srcdir = s.srcdir;
	sub.certs = getenv("SMTPMOCK_CERTS");
	if (sub.certs != NULL && *sub.certs == '\0')
		sub.certs = NULL;
	o.sub = &sub;
	rc = mserver_run(&s.server, &o) == 0 ? 0 : 1;
out:
	if (o.listen_fd != -1)
		close(o.listen_fd);
	if (o.record_fd != -1)
		close(o.record_fd);
	mscn_clear(&s);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *client = getenv("SMTPSEND"), *file = NULL;
	char *self;
	struct mscn s;
	struct merr e;
	int i, rc, flags = 0;

	if (argc > 1 && strcmp(argv[1], "--serve") == 0)
		return serve(argc, argv);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--client") == 0 && i + 1 < argc) {
			client = argv[++i];
		} else if (strcmp(argv[i], "--print-argv") == 0) {
			/* not in the usage: a check of the test suite itself */
			flags |= MDRIVER_PRINT_ARGV;
		} else if (argv[i][0] != '-' && file == NULL) {
			file = argv[i];
		} else {
			usage(stderr);
			return MDRIVER_ERROR;
		}
	}
	if (file == NULL) {
		usage(stderr);
		return MDRIVER_ERROR;
	}
	mscn_init(&s);
	if (mscn_load(&s, file, 1, &e) == -1) {
		fprintf(stderr, "%s\n", e.msg);
		mscn_clear(&s);
		return MDRIVER_ERROR;
	}
	if (client == NULL || *client == '\0') {
		fprintf(stderr, "smtpmock: no client program: use --client "
		    "PROGRAM or set SMTPSEND\n");
		mscn_clear(&s);
		return MDRIVER_ERROR;
	}
	self = realpath("/proc/self/exe", NULL);
	if (self == NULL && strchr(argv[0], '/') != NULL)
		self = realpath(argv[0], NULL);
	rc = mdriver_run(&s, strcmp(client, "-") == 0 ? NULL : client,
	    self != NULL ? self : argv[0], flags);
	free(self);
	mscn_clear(&s);
	return rc;
}
