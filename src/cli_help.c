/*
 * cli_help.c - the texts of --help and --version (see cli.h).
 */
#include <config.h>

#include <stdio.h>

#include "cli.h"
#include "gettext.h"
#include "idn.h"
#include "oauth2.h"
#include "sasl.h"
#include "tls.h"

/* The --help text, a section at a time. */
static const char *const usage[] = {
	N_("Usage: smtpsend [OPTION]... [--] RECIPIENT...\n"
	   "       smtpsend --serverinfo [OPTION]...\n"
	   "       smtpsend --configure=ADDRESS\n"
	   "       smtpsend --rmqs=HOST|@DOMAIN|#QUEUE [OPTION]...\n"
	   "       smtpsend --oauth2-authorize|--oauth2-revoke -a ACCOUNT\n"
	   "Read a message from standard input and submit it to an SMTP "
	   "server.\n"
	   "Recipients may be written as in a To: header: \"Name <addr>\", "
	   "comma lists.\n"
	   "\n"),
	N_("Account and server:\n"
	   "  -C, --config=FILE, --file=FILE  use FILE as the configuration "
	   "file\n"
	   "  -a, --account=NAME     use account NAME from the configuration\n"
	   "      --host=HOST        use HOST and command-line settings only\n"
	   "      --port=N           server port (default 587; 465 with "
	   "--tls-starttls=off)\n"
	   "      --timeout=SECONDS  network timeout, or off for the RFC 5321 "
	   "defaults\n"
	   "      --domain=NAME      name to send with EHLO (default: this "
	   "host's name)\n"
	   "      --protocol=smtp|lmtp  SMTP (default) or LMTP (RFC 2033; give "
	   "--port)\n"
	   "      --socket=PATH      connect to a local Unix-domain socket "
	   "instead\n"
	   "      --proxy-host=HOST, --proxy-port=N  through this SOCKS5 "
	   "proxy (port 1080)\n"
	   "  -4, --ipv4, -6, --ipv6  only the IPv4 (or IPv6) addresses of the "
	   "host\n"
	   "\n"),
	N_("TLS:\n"
	   "      --tls=on|off       use TLS (default on)\n"
	   "      --tls-starttls=on|off  STARTTLS (on, port 587) or implicit "
	   "TLS (off, 465)\n"
	   "      --tls-trust-file=FILE|system  trusted CA certificates\n"
	   "      --tls-fingerprint=SHA256  accept only this server "
	   "certificate\n"
	   "      --tls-certcheck=on|off  verify the server certificate "
	   "(default on)\n"
	   "      --tls-cert-file=FILE, --tls-key-file=FILE  client "
	   "certificate and key\n"
	   "      --tls-priorities=STRING  GnuTLS priority string\n"
	   "      --tls-host-override=NAME  name to verify and send as SNI\n"
	   "      --tls-min-version=tls1.2|tls1.3  oldest TLS version accepted "
	   "(tls1.2)\n"
	   "  -S, --serverinfo       show the server's greeting, capabilities "
	   "and TLS\n"
	   "                         certificate, then quit without sending\n"
	   "      --configure=ADDRESS  print an account for ADDRESS made from "
	   "its domain's\n"
	   "                         SRV records (RFC 6186, RFC 8314)\n"
	   "      --rmqs=HOST|@DOMAIN|#QUEUE  ask the server to start its "
	   "queue (ETRN)\n"
	   "\n"),
	N_("Queue:\n"
	   "      --queue, --no-queue  keep deferred recipients in the local "
	   "queue (on)\n"
	   "      --queue-dir=DIR    the queue directory\n"
	   "      --queue-only, -odq  queue the message, send it at the next "
	   "flush\n"
	   "  -q, --queue-flush      try the queued messages that are due\n"
	   "      --queue-flush=ID   try entry ID now (repeat for more)\n"
	   "      --report-by-mail   mail a report on recipients refused for "
	   "good\n"
	   "      --force            with --queue-flush: all of them, due or "
	   "not\n"
	   "      --queue-list[=json], -bp  list the queue (also as mailq)\n"
	   "  -bs                    speak SMTP on stdin and stdout, send what "
	   "comes\n"
	   "      --queue-show=ID    an entry and its last failed attempt\n"
	   "      --queue-remove=ID, --queue-hold=ID, --queue-release=ID\n"
	   "      --queue-remove=all  remove every entry\n"
	   "\n"),
	N_("Authentication:\n"
	   "      --auth=on|off|METHOD  authenticate (default off)\n"
	   "      --user=NAME        user name\n"
	   "      --passwordeval=CMD  take the password from the first line "
	   "CMD prints\n"
	   "      --oauth2-authorize  get the OAuth2 token of the account (-a) "
	   "once: prints\n"
	   "                         the address to open; oauth2_* in the "
	   "configuration\n"
	   "      --oauth2-revoke    forget the account's stored OAuth2 "
	   "token\n"
	   "\n"),
	N_("Message:\n"
	   "  -f, --from=ADDR        envelope sender (\"\" for the null "
	   "sender); also -r\n"
	   "      --read-envelope-from  the envelope sender from the From "
	   "header\n"
	   "  -t                     take the recipients from To, Cc, Bcc (or "
	   "Resent-)\n"
	   "  -F NAME                the full name for an added From: header\n"
	   "  -i, -oi                a line with a single \".\" does not end "
	   "the message\n"
	   "  -N never|success,failure,delay  DSN notify; -R full|hdrs; -V "
	   "ENVID\n"
	   "      --set-from-header=auto|on|off, --set-date-header=auto|off,\n"
	   "      --set-msgid-header=auto|off, "
	   "--set-to-header=off|undisclosed_recipients,\n"
	   "      --remove-bcc-headers=on|off, --maildomain=DOMAIN, "
	   "--aliases=FILE,\n"
	   "      --dsn-notify=..., --dsn-return=off|headers|full\n"
	   "      --data=FILE        read the message from FILE (-: standard "
	   "input)\n"
	   "\n"),
	N_("Output:\n"
	   "      --report[=text|json]  report every recipient on standard "
	   "output\n"
	   "  -v, --verbose          print the SMTP dialogue on standard "
	   "error\n"
	   "      --transcript=FILE  write it to FILE instead (-: standard "
	   "output)\n"
	   "      --transcript-body  show the message in it, not a summary\n"
	   "      --transcript-secrets  show passwords and tokens in it "
	   "(take care)\n"
	   "      --color=auto|always|never  colours in it (auto: on a "
	   "terminal)\n"
	   "  -P, --pretend          print the settings that would be used and "
	   "exit\n"
	   "      --dry-run          print the envelope and the message as "
	   "they would be\n"
	   "                         sent; connect to nothing\n"
	   "      --quit-after=connect|tls|ehlo|auth|mail|rcpt  QUIT after "
	   "that step,\n"
	   "                         send no message; print each recipient's "
	   "verdict\n"
	   "      --logfile=FILE, --logfile-time-format=FMT, "
	   "--syslog=on|off|FACILITY\n"
	   "                         a line per message\n"
	   "      --fallback-hosts=\"HOST[:PORT] ...\"  servers to try when "
	   "the host fails\n"
	   "      msmtp's option names (-d, --read-recipients, -X, --keepbcc, "
	   "...) work too\n"
	   "      --help             show this help and exit\n"
	   "      --version          show the version and exit\n"
	   "\n"),
	N_("Exit status: 0 all delivered, or the rest queued; 64 usage; 65 bad "
	   "message\n"
	   "or address; 66 cannot open --data; 67 some recipients refused;\n"
	   "69 message refused; 70 internal error; 74 I/O error (the queue "
	   "too);\n"
	   "75 temporary failure and not queued; 76 protocol error; 77 "
	   "authentication\n"
	   "or TLS verification failed; 78 configuration error.\n"
	   "See smtpsend(1) and smtpsendrc(5).\n"),
};

void
cli_usage(FILE *out)
{
	size_t i;

	for (i = 0; i < sizeof(usage) / sizeof(usage[0]); i++)
		fputs(_(usage[i]), out);
}

void
cli_version(FILE *out)
{
	fprintf(out, "smtpsend %s\n", PACKAGE_VERSION);
	fprintf(out, _("Libraries: %s, %s, %s\n"), tls_library_version(),
		sasl_library_version(), idn_library_version());
	fprintf(out, "%s\n", oauth2_library_version());
	fputs(_("Copyright (C) 2026 The smtpsend authors.\n"
		"License GPLv3+: GNU GPL version 3 or later "
		"<https://gnu.org/licenses/gpl.html>.\n"
		"This is free software: you are free to change and "
		"redistribute it.\n"), out);
}
