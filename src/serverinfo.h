/*
 * serverinfo.h - --serverinfo: what a server offers, without sending mail.
 */
#ifndef SMTPSEND_SERVERINFO_H
#define SMTPSEND_SERVERINFO_H

#include <stdio.h>
#include "account.h"
#include "cli.h"
#include "transcript.h"

/*
 * serverinfo_run - connect as account a would, print the greeting, the
 * capabilities before and after TLS, the TLS version, cipher suite, key
 * exchange, certificate chain and verification result to out, then QUIT.
 * Returns the exit status (report_err_status): 0; 77 when TLS
 * verification failed; 75 or 69 when the server could not be reached or
 * refused the session.
 */
int serverinfo_run(const struct account *a, struct transcript *tr, FILE *out);

/* serverinfo_mode - --serverinfo for the account cli chooses, on stdout;
 * the exit status. */
int serverinfo_mode(const struct cli *cli);

#endif
