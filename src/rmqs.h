/*
 * rmqs.h - --rmqs: ask a server to start delivering the mail it holds for
 * a host, a domain or a queue (ETRN, RFC 1985), without sending mail.
 */
#ifndef SMTPSEND_RMQS_H
#define SMTPSEND_RMQS_H

#include "cli.h"
#include "err.h"

/*
 * RFC 1985 3: the argument is a node name (a domain, at most 255 octets,
 * RFC 1035 2.3.4), "@" and a domain, or "#" and a queue name, which we
 * bound the same way.
 */
#define RMQS_ARG_MAX 255

/*
 * rmqs_arg - what goes on the wire after "ETRN " for the --rmqs argument
 * arg: "host", "@domain" (the name checked as a host name, an IDN
 * converted to A-labels) or "#queue" (1 to 254 printable ASCII
 * characters, no blank).  *out is allocated (free it) and set only on
 * success.  Returns 0, or -1 with err (ERR_USAGE) saying what is wrong,
 * or (ERR_OSERR) when the name is not ASCII and libidn2 cannot be loaded.
 */
int rmqs_arg(const char *arg, char **out, struct err *err);

/*
 * rmqs_mode - --rmqs for the account cli chooses: connect as for sending
 * (TLS or STARTTLS, EHLO, AUTH when the account authenticates), check
 * that ETRN is offered, send "ETRN ARG", print the server's reply on
 * stdout, QUIT.  Returns the exit status: 0 for a 2xx reply (250, 251,
 * 252, 253); 64 for a bad argument; 69 when ETRN is not offered or the
 * server answers 5xx; 75 for a 4xx (458 and 459 included) or a server
 * that cannot be reached; others as report_err_status.
 */
int rmqs_mode(const struct cli *cli);

#endif
