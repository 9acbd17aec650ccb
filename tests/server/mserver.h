/*
 * mserver.h - the scriptable mock SMTP server of smtpmock.
 *
 * mserver_run accepts connections on a listening socket, one at a time,
 * and answers each command line as soon as it is complete, following the
 * %server script of a scenario (see doc/scenario-format.md).  What it
 * processes is appended, byte for byte, to a record file; bytes that arrive
 * after the server decided to close a connection are not recorded, so that
 * records do not depend on TCP timing.  With tls-cert it speaks TLS
 * (STARTTLS or implicit, mtls.h) and records the decrypted bytes; with
 * auth-mechs it runs a real SASL server (msasl.h) for AUTH.  The
 * pipelined / not-pipelined checks only look at (and read ahead) input
 * and report a failed check on status_fd.  Hostile servers: longline,
 * manylines and trickle replies are streamed (a trickle stops when the
 * client closes), tls-*-during-handshake replace every handshake by a
 * close or garbage, tls-renegotiate answers a command with a TLS 1.2
 * HelloRequest; what the client did then goes to stderr.
 */
#ifndef SMTPMOCK_MSERVER_H
#define SMTPMOCK_MSERVER_H

#include "mscn.h"

/* Limits (RFC 5321 4.5.3.1.4 allows 512-byte command lines; we are lax). */
#define MSERVER_LINE_MAX (64L * 1024)		/* longer lines get 500 */
#define MSERVER_RECORD_MAX (1024L * 1024 * 1024) /* bytes recorded in all */
#define MSERVER_WRITE_TIMEOUT_MS 30000L		/* a stuck client */
#define MSERVER_OUT_MAX (1024L * 1024)		/* replies held by reply-batch */
#define MSERVER_SERVE_CONN_MAX 100000L		/* --serve connections */
#define MSERVER_PATH_MAX 4096			/* expanded file names */
#define MSERVER_PIPE_WAIT_MS 500L	/* "pipelined": wait for more input */
#define MSERVER_NOPIPE_WAIT_MS 200L	/* "not-pipelined": the same */
#define MSERVER_RENEG_WAIT_MS 5000L	/* tls-renegotiate: the answer */
#define MSERVER_CHUNK 65536		/* streamed replies: one write */
#define MSERVER_SOCKS_MS 5000L		/* socks5: each step */

struct mserver_opts {
	int listen_fd;		/* bound, listening */
	int stop_fd;		/* EOF = the client is done; -1 for --serve */
	int record_fd;		/* received bytes go here; -1 for none */
	int status_fd;		/* 'C' per connection, "E msg\n" on trouble */
	int log;		/* one-line summaries on stderr */
	int once;		/* stop after the first connection */
	long idle_ms;		/* stop after so long without a connection,
				 * and drop a connection silent so long */
	const struct mtext_subst *sub;	/* for the file names of tls-cert
					 * and tls-client-ca; may be NULL */
};

/*
 * mserver_run - serve until told to stop (stop_fd), idle for idle_ms, or
 * after one connection with once.  Ignores SIGPIPE.  0 when it stopped
 * normally; -1 after an internal failure, reported on status_fd (or
 * stderr when status_fd is -1).
 */
int mserver_run(const struct mscn_server *sc, const struct mserver_opts *o);

/*
 * mserver_listen - a TCP socket (close-on-exec) listening on 127.0.0.1 on a
 * port the kernel picks; the port goes to *port.  The fd, or -1 with e set.
 */
int mserver_listen(int *port, struct merr *e);

/* mserver_listen_unix - a Unix-domain stream socket (close-on-exec)
 * listening at path.  The fd, or -1 with e set. */
int mserver_listen_unix(const char *path, struct merr *e);

#endif
