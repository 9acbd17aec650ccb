/*
 * mscn.h - smtpmock scenario files: parsing and expansion.
 *
 * A scenario (*.scn) describes one client run: its arguments, stdin and
 * environment, the script of the mock SMTP server, and the expected exit
 * status, output and bytes on the wire.  The format is described for users
 * in doc/scenario-format.md.  mscn_load checks everything that can be checked
 * without running (escapes, numbers, directive syntax) and reports the first
 * problem as "FILE:LINE: what is wrong"; placeholders are only known at run
 * time, so data sections are kept as source lines and expanded on demand
 * with mscn_expand.
 */
#ifndef SMTPMOCK_MSCN_H
#define SMTPMOCK_MSCN_H

#include <stddef.h>

#include "mbuf.h"
#include "merr.h"
#include "mtext.h"

/* Limits; all generous, all finite. */
#define MSCN_FILE_MAX (16L * 1024 * 1024)	/* scenario file size */
#define MSCN_DATA_MAX (256L * 1024 * 1024)	/* one expanded section */
#define MSCN_VERB_MAX 32			/* verb name incl. NUL */
#define MSCN_REPEAT_MAX 100000000L		/* %repeat count */
#define MSCN_LONGLINE_MAX (1024L * 1024 * 1024)	/* longline length;
						 * streamed, never built */
#define MSCN_MANYLINES_MAX 1000000L		/* manylines, trickle count */
#define MSCN_DELAY_MAX 600L			/* seconds, any delay */
#define MSCN_TRICKLE_MAX_S 3600L		/* seconds, a whole trickle */
#define MSCN_CONN_MAX 1000L			/* %connections */
#define MSCN_TIMEOUT_DEFAULT 30L		/* seconds, %timeout */
#define MSCN_TIMEOUT_MAX 3600L
#define MSCN_INJECT_MAX (16L * 1024 * 1024)	/* starttls-inject(-repeat),
						 * tls-garbage-... TEXT */
#define MSCN_MECHS_MAX 64			/* auth-mechs words */

/* Values of mscn_line.repeat other than a %repeat count. */
#define MSCN_LINE_PLAIN (-1L)	/* an ordinary line */
#define MSCN_LINE_ANY (-2L)	/* "%ANY" in %protocol: one line, any bytes */

/* One source line of a section; repeat >= 0 for a "%repeat N TEXT" line. */
struct mscn_line {
	int lineno;
	long repeat;		/* or MSCN_LINE_PLAIN, MSCN_LINE_ANY */
	char *text;		/* NUL-terminated source text (TEXT for %repeat) */
};

struct mscn_sect {
	int present;
	int lineno;		/* line of the %header */
	struct mscn_line *lines;
	size_t n;
	size_t cap;
};

/* %file NAME [MODE] */
struct mscn_file {
	char *name;
	int mode;		/* default 0600 */
	struct mscn_sect body;
};

enum mscn_act_kind {
	MSCN_ACT_DEFAULT,	/* the built-in reply for the verb */
	MSCN_ACT_REPLY,		/* text, CRLF after each '|'-separated line */
	MSCN_ACT_RAW,		/* text exactly as given */
	MSCN_ACT_LONGLINE,	/* CODE + ' ' + count * 'x' + CRLF */
	MSCN_ACT_MANYLINES,	/* count * "CODE-line" + "CODE end" */
	MSCN_ACT_CLOSE,		/* close without a reply */
	MSCN_ACT_CLOSE_AFTER,	/* reply text, then close */
	MSCN_ACT_EHLO,		/* "ehlo CAP...": built when sent (caps) */
	MSCN_ACT_TRICKLE,	/* as MANYLINES, step_ms between lines */
	MSCN_ACT_RENEGOTIATE	/* tls-renegotiate: HelloRequest, close */
};

/* One turn of a verb's reply sequence. */
struct mscn_act {
	enum mscn_act_kind kind;
	long delay_ms;		/* wait before answering */
	char code[4];		/* LONGLINE, MANYLINES, TRICKLE */
	long count;		/* LONGLINE, MANYLINES, TRICKLE */
	long step_ms;		/* TRICKLE: pause between two lines */
	struct mbuf text;	/* REPLY, RAW, CLOSE_AFTER: bytes to send */
	char **caps;		/* EHLO: expanded capability lines */
	size_t ncaps;
	int lineno;
};

/* What the server does when a TLS handshake would start. */
enum mscn_tls_hs {
	MSCN_HS_NORMAL,		/* run the handshake */
	MSCN_HS_CLOSE,		/* tls-close-during-handshake */
	MSCN_HS_GARBAGE		/* tls-garbage-during-handshake TEXT */
};

/* When the AUTH line of EHLO replies is shown. */
enum mscn_auth_when {
	MSCN_AUTH_ALWAYS,
	MSCN_AUTH_BEFORE_TLS,	/* auth-mechs-before-tls-only */
	MSCN_AUTH_AFTER_TLS	/* auth-mechs-after-tls-only */
};

/*
 * "pipelined VERB" / "not-pipelined VERB": what the server observes just
 * before its reply to one command of the verb (the n-th check of a verb
 * applies to its n-th command; checks are not sticky).
 */
struct mscn_pipe {
	int want;		/* 1: pipelined, 0: not-pipelined */
	int lineno;
};

/* The reply sequence of one verb (or of the greeting). */
struct mscn_verb {
	char name[MSCN_VERB_MAX];	/* upper case, "." and "+" included */
	struct mscn_act *acts;
	size_t nacts;
	struct mscn_pipe *pipes;	/* pipelining checks, in order */
	size_t npipes;
	long pending_delay;		/* parse time only; -1 if none */
	int pending_line;
};

struct mscn_server {
	struct mscn_verb greeting;	/* name is "" */
	struct mscn_verb *verbs;
	size_t nverbs;
	long *close_data;		/* close-during-data values, in order */
	size_t nclose_data;
	int per_connection;
	/* listen-unix NAME: a Unix-domain socket %TMP/NAME instead of TCP */
	char *listen_unix;
	/* socks5 [reply CODE | close]: a SOCKS5 handshake (RFC 1928) comes
	 * before the greeting of every connection */
	int socks5;
	int socks5_reply;		/* REP of the CONNECT reply (0: ok) */
	int socks5_close;		/* close after the method request */
	/* TLS; file names keep their placeholders (mscn_server_path) */
	char *tls_cert, *tls_key;	/* NULL: no TLS at all */
	char *tls_ca;			/* tls-client-ca, or NULL */
	char *tls_prio;			/* tls-priorities, or NULL */
	char *tls_alert;		/* tls-expect-alert NAME, or NULL */
	char *tls_sni;			/* tls-expect-sni NAME, or NULL */
	int tls_implicit;
	int tls_ticket_with_reply;	/* tls-ticket-with-reply */
	int reply_batch;		/* reply-batch */
	int has_inject;
	struct mbuf inject;		/* starttls-inject TEXT, expanded */
	enum mscn_tls_hs tls_hs;	/* tls-*-during-handshake */
	struct mbuf tls_garbage;	/* its TEXT, expanded */
	int has_renegotiate;		/* a tls-renegotiate turn exists */
	/* SASL */
	char **auth_mechs;		/* upper case; none: no SASL engine */
	size_t nauth_mechs;
	enum mscn_auth_when auth_when;
	char *auth_user, *auth_pass;	/* NULL if no auth-user */
	char *auth_token;		/* NULL if no auth-token */
};

struct mscn {
	char *path;		/* as given */
	char *srcdir;		/* absolute directory of the file */
	char *desc;
	struct mscn_sect args, in, proto, out, err, out_has, err_has, env,
	    skip, printable;
	struct mscn_sect no_default_args;	/* only .present is used */
	int in_noeol;		/* the stdin section was %stdin-noeol */
	long exit_code;
	int has_exit;
	long connections;
	int has_connections;
	long timeout_s;
	char *argv0;		/* %argv0: run the client as this name */
	struct mscn_file *files;
	size_t nfiles;
	struct mscn_server server;
};

/*
 * mscn_load - read and check the scenario at path into s (which the caller
 * clears with mscn_clear whatever the result).  With full == 0 only the
 * %server section matters and %desc / %exit are not required (--serve).
 * -1 with e = "FILE:LINE: problem" (or "FILE: problem").
 */
int mscn_load(struct mscn *s, const char *path, int full, struct merr *e);

/* mscn_init - an empty scenario (the default server script). */
void mscn_init(struct mscn *s);

/* mscn_clear - free everything in s. */
void mscn_clear(struct mscn *s);

/*
 * mscn_expand - append the bytes of section d to out: each ordinary line
 * expanded (escapes; placeholders if sub) followed by eol, except the last
 * one when noeol_last; %repeat lines expand to TEXT N times without eol.
 * -1 with e set ("FILE:LINE: ...") when out would pass its maximum.
 */
int mscn_expand(const struct mscn *s, const struct mscn_sect *d,
    const char *eol, int noeol_last, const struct mtext_subst *sub,
    struct mbuf *out, struct merr *e);

/*
 * mscn_uses - 1 when the source text of the scenario (any section, and the
 * file names of %server) contains needle, e.g. "%CERTS".
 */
int mscn_uses(const struct mscn *s, const char *needle);

/* mscn_verb_find - the script of a verb, or NULL when it has none. */
const struct mscn_verb *mscn_verb_find(const struct mscn_server *sv,
    const char *verb);

#endif
