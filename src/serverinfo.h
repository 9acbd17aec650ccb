/*
 * serverinfo.h - --serverinfo: what a server offers, without sending mail.
 */
#ifndef SMTPSEND_SERVERINFO_H
#define SMTPSEND_SERVERINFO_H

#include <stdio.h>
#include "account.h"
#include "cli.h"
#include "transcript.h"

/* serverinfo_mode - --serverinfo for the account cli chooses, on stdout;
 * the exit status. */
int serverinfo_mode(const struct cli *cli);

#endif
