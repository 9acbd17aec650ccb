/*
 * bs.h - "sendmail -bs": the server side of SMTP on standard input/output.
 *
 * Some callers (Symfony Mailer, some PHP setups) run "sendmail -bs" and
 * speak SMTP to it over a pipe instead of passing the message on standard
 * input.  bs_serve() is that dialogue as a pure protocol engine: it reads
 * commands from one file descriptor, writes replies to another, spools the
 * data of each message into an unlinked temporary file and hands every
 * complete message to a callback, whose verdict becomes the reply to the
 * end of data.  It knows nothing of accounts, relaying or the queue: the
 * callback does the submission exactly as a normal send would.
 *
 * What is offered in the EHLO reply is exactly what is honoured:
 * PIPELINING (commands are processed in order, replies are sent before
 * blocking on input), 8BITMIME (any octet but NUL is accepted in the data),
 * SIZE (the caller's limit, checked against SIZE= and against the data)
 * and ENHANCEDSTATUSCODES (every 2xx/4xx/5xx reply after EHLO carries
 * one).  No SMTPUTF8, DSN, STARTTLS, AUTH or CHUNKING: those commands and
 * parameters are refused, and a non-ASCII address is answered 553 5.6.7.
 */
#ifndef SMTPSEND_BS_H
#define SMTPSEND_BS_H

#include <stddef.h>
#include "err.h"

/*
 * RFC 5321 4.5.3.1.4 allows a command line of 512 octets with CRLF, and
 * extensions may raise it (RFC 5321 4.1.1.11); 1000 (the text line limit of
 * 4.5.3.1.6) leaves room for every parameter we accept.  Longer: 500.
 */
#define BS_LINE_MAX 1000
/* RFC 5321 4.5.3.1.8 asks for at least 100; more are answered 452. */
#define BS_RCPTS_MAX 1000
/* RFC 5321 4.5.3.1.5: a reply line is at most 512 octets with CRLF. */
#define BS_REPLY_MAX 512
/* The data of a message is written to the spool in blocks of this size. */
#define BS_BLOCK (64 * 1024)
/* The size of the text buffer the submit callback fills. */
#define BS_TEXT_MAX 400

/*
 * One message received in the session: the envelope, and the data in fd -
 * exactly the octets between the DATA reply and the final ".": dot-
 * unstuffed (RFC 5321 4.5.2), line endings as received, the CRLF before the
 * final "." included, the "." line itself not.  fd is a seekable, already
 * unlinked file positioned at 0; it belongs to bs_serve, which closes it
 * after the callback (dup it to keep it).  sender is "" for the null
 * reverse-path "<>".  The addresses passed addr_check and are unique.
 */
struct bs_message {
	const char *sender;
	char **rcpts;
	size_t nrcpts;
	int fd;
};

/*
 * bs_submit_fn - submit m; set *code and text (size n, one line, NUL-
 * terminated) to the reply for the end of data: 250 when the message was
 * delivered or queued, 4xx when it could not be taken now, 5xx when never.
 * text may start with an enhanced status code of the same class ("4.4.1
 * ..."); otherwise X.0.0 is put in front.  Returning -1 means the callback
 * failed locally: the client gets *code when it is 4xx/5xx, else 451.
 * Non-printable bytes in text are replaced, a text too long is cut.
 */
typedef int (*bs_submit_fn)(const struct bs_message *m, void *arg, int *code,
			    char *text, size_t n);

/*
 * bs_serve - speak SMTP (RFC 5321, server side) with a client whose
 * commands arrive on in_fd and whose replies go to out_fd (the same
 * descriptor is fine for a socket): a 220 greeting naming hostname, then
 * EHLO/HELO, MAIL FROM (parameters SIZE and BODY=7BIT|8BITMIME), RCPT TO
 * (no parameters; up to BS_RCPTS_MAX), DATA, RSET, NOOP, VRFY (252), HELP
 * and QUIT; any number of messages.  Every message whose data ends with
 * the "." line is given to submit(m, arg, ...) - unless it is larger than
 * size_max octets (0: no limit; 552) or holds a NUL byte (554) - and the
 * reply to the "." is the callback's.  A command line must come whole
 * within timeout_ms, and the data of a message may pause at most that long
 * (<= 0: no limit); then "421 4.4.2 timeout" ends the session.  Writing
 * the replies has the same limit.  The data files are made in spool_dir
 * (NULL: $TMPDIR, else /tmp) and unlinked at once.  The descriptors are
 * neither closed nor switched to non-blocking.  A client that stops
 * reading makes out_fd raise SIGPIPE when it is a pipe: the caller should
 * ignore that signal.
 *
 * Returns 0 when the client said QUIT, or closed its input outside a
 * mail transaction.  Returns -1 with err: ERR_NET (temporary) on timeout
 * and when the input ended inside a transaction (a message not ended by
 * "." is discarded, the callback is not called); ERR_IO when reading
 * in_fd or writing out_fd failed.  Refusals given to the client (bad
 * commands, a spool file that could not be written, ...) are not errors.
 */
int bs_serve(int in_fd, int out_fd, const char *hostname, size_t size_max,
	     int timeout_ms, const char *spool_dir, bs_submit_fn submit,
	     void *arg, struct err *err);

/*
 * bs_refuse - answer a client that cannot be served (a configuration
 * error) with "421 4.3.0 hostname why" on out_fd instead of the greeting
 * (RFC 5321 3.1), so that it learns the reason before the end of the
 * session; why is made printable and cut to fit one reply line.
 */
void bs_refuse(int out_fd, const char *hostname, const char *why);

#endif
