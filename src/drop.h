/*
 * drop.h - the drop file: a message handed to the system queue
 * (doc/queue-format.md, section 9, is normative).
 *
 * A local user who cannot read the system configuration gives a message
 * to smtpsend-drop, a small setgid helper, which writes it to the drop
 * directory as one file: a header of "Key: value" lines (format version,
 * the submitter's uid from the kernel, the sendmail options that matter,
 * the recipients), an empty line, and the message bytes as they came.
 * The system user's --queue-flush picks the file up (pickup.h) and sends
 * it as "sendmail OPTIONS -- RECIPIENTS" would.
 *
 * Everything here is pure: the helper's command line, the header's text
 * and its parser, the argument vector of the send that picks it up.  The
 * helper and the flusher check every value with the same rules, so that
 * a file that did not come from the helper (planted, forged, damaged)
 * is refused rather than trusted.
 */
#ifndef SMTPSEND_DROP_H
#define SMTPSEND_DROP_H

#include <stdbool.h>
#include <stddef.h>
#include "err.h"

#define DROP_VERSION 1
/* The largest message the helper takes (bytes after the header). */
#define DROP_MESSAGE_MAX (32L * 1024 * 1024)
/* The largest header: every value at its longest, with its key. */
#define DROP_HEADER_MAX (1024 * 1024)
/* Recipient arguments of one submission (RFC 5321 4.5.3.1.8 asks a
 * server to take 100 per transaction; an alias list may need more). */
#define DROP_RCPTS_MAX 1000
/* The longest value: a line of RFC 5322 2.1.1 without its CRLF. */
#define DROP_VALUE_MAX 998

/* The values of a drop, in the order of the header. */
enum drop_field {
	DROP_SENDER,            /* -f ADDR ("<>": the null sender) */
	DROP_FULL_NAME,         /* -F NAME */
	DROP_ACCOUNT,           /* -a NAME */
	DROP_NOTIFY,            /* -N never|success,failure,delay */
	DROP_RETURN,            /* -R full|hdrs */
	DROP_ENVID,             /* -V ENVID */
	DROP_NFIELDS
};

struct drop_env {
	unsigned long uid;      /* the submitter (getuid() of the helper) */
	bool read_rcpts;        /* -t */
	bool dot_ends;          /* no -i: a lone "." line ends the input */
	const char *v[DROP_NFIELDS];    /* NULL when not given */
	const char *rcpts[DROP_RCPTS_MAX];
	size_t nrcpts;
};

/* drop_env_init - an empty drop: no values, a lone dot ends the input. */
void drop_env_init(struct drop_env *d);

/*
 * drop_check - whether v is an acceptable value of field f (or, with f
 * DROP_NFIELDS, of a recipient argument): not empty, at most
 * DROP_VALUE_MAX bytes, no control character, no leading '-' where it
 * could be taken for an option, and the field's own syntax.  Returns 0,
 * or -1 with err (ERR_USAGE) naming the value's option and the fault.
 */
int drop_check(enum drop_field f, const char *v, struct err *err);

/*
 * drop_args - the helper's command line (argv[1..argc-1], borrowed):
 * [-t] [-i] [-f ADDR] [-F NAME] [-a NAME] [-N DSN] [-R RET] [-V ENVID]
 * [--] [RECIPIENT...], each option a word of its own, each once.
 * Returns 0, or -1 with err (ERR_USAGE): an unknown or repeated option,
 * a missing value, a value drop_check refuses, too many recipients, none
 * without -t.
 */
int drop_args(struct drop_env *d, int argc, char **argv, struct err *err);

/*
 * drop_format - the header of d (its uid included) and the empty line
 * that ends it, into out (size n); *len receives its length.  Returns 0,
 * or -1 with err (ERR_USAGE when a value is refused, ERR_DATA when it
 * does not fit).
 */
int drop_format(const struct drop_env *d, char *out, size_t n, size_t *len,
		struct err *err);

/*
 * drop_parse - the header at the start of text (len bytes, changed in
 * place: d's values point into it) into d.  *body receives the offset of
 * the message.  Returns 0, or -1 with err (ERR_DATA): no empty line
 * within DROP_HEADER_MAX, a NUL byte, a first line that is not
 * "Version: 1", an unknown or repeated key, a value drop_check refuses,
 * no Uid, no recipient without -t.
 */
int drop_parse(struct drop_env *d, char *text, size_t len, size_t *body,
	       struct err *err);

/*
 * drop_argv - the argument vector of the send that delivers d:
 * "sendmail" [-t] [-i] [-f ADDR] ... "--" RECIPIENT... NULL, into argv
 * (at least DROP_ARGV_MAX entries; the strings are d's).  Returns the
 * count of arguments.
 */
#define DROP_ARGV_MAX (DROP_RCPTS_MAX + 2 * DROP_NFIELDS + 6)
int drop_argv(const struct drop_env *d, const char **argv);

#endif
