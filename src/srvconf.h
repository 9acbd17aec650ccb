/*
 * srvconf.h - --configure=ADDRESS: an account for a mail address, made
 * from the SRV records its domain publishes for mail submission (RFC 6186
 * 3.1, RFC 8314 5.1), printed ready for the configuration file.  No SMTP
 * connection is made.
 */
#ifndef SMTPSEND_SRVCONF_H
#define SMTPSEND_SRVCONF_H

#include <stdio.h>
#include "cli.h"

/*
 * srvconf_mode - look up _submissions._tcp.DOMAIN (implicit TLS, chosen
 * when it offers a server) and then _submission._tcp.DOMAIN (STARTTLS)
 * with the system resolver, and print the account block for the address
 * cli->mode_arg on stdout.  Returns the exit status: 0; 64 when the
 * address is not one usable address with a domain; 69 when the domain
 * publishes no record for either service or says it offers neither
 * (target "."); 75 when the resolver fails (no answer, server failure);
 * 76 for a malformed answer.
 */
int srvconf_mode(const struct cli *cli);

#endif
