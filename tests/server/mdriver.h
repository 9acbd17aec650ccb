/*
 * mdriver.h - run one scenario: the mock server in a child process, the
 * client under test with the scenario's arguments, stdin and environment,
 * then compare exit status, output and received bytes with the scenario.
 */
#ifndef SMTPMOCK_MDRIVER_H
#define SMTPMOCK_MDRIVER_H

#include "mscn.h"

/* Exit statuses, as the automake test harness reads them. */
#define MDRIVER_PASS 0
#define MDRIVER_FAIL 1
#define MDRIVER_SKIP 77
#define MDRIVER_ERROR 99

/* After the client exits, how long the server may go on reading. */
#define MDRIVER_SERVER_GRACE_MS 2000L
/* How long output pipes may stay open after the client exits. */
#define MDRIVER_PIPE_GRACE_MS 2000L
/* Caps on what the client may print. */
#define MDRIVER_OUTPUT_MAX (64L * 1024 * 1024)
/* Time limit of a %skip-unless "run" command. */
#define MDRIVER_RUN_TIMEOUT_MS 10000L

/*
 * Flags of mdriver_run.  MDRIVER_PRINT_ARGV: run nothing; print the
 * argument vector the client would get on stdout (see print_argv in
 * mdriver.c) and return MDRIVER_PASS, whatever %skip-unless says.
 */
#define MDRIVER_PRINT_ARGV 1

/*
 * mdriver_run - run scenario s with client program client (NULL: the first
 * word of %args is the program; otherwise the client gets the default
 * arguments of mdriver.c before the words of %args, unless the scenario
 * has %no-default-args); self is the path of smtpmock itself
 * (%SMTPMOCK); flags are MDRIVER_* flags or 0.  Explains failures on
 * stderr; returns one of the MDRIVER_* statuses.  Temporary files are
 * removed unless the environment variable SMTPMOCK_KEEP is non-empty.
 */
int mdriver_run(const struct mscn *s, const char *client,
    const char *self, int flags);

#endif
