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
#define MSCN_LONGLINE_MAX (64L * 1024 * 1024)	/* longline length */
#define MSCN_MANYLINES_MAX 1000000L		/* manylines count */
#define MSCN_DELAY_MAX 600L			/* seconds, any delay */
#define MSCN_CONN_MAX 1000L			/* %connections */
#define MSCN_TIMEOUT_DEFAULT 30L		/* seconds, %timeout */
#define MSCN_TIMEOUT_MAX 3600L

/* One source line of a section; repeat >= 0 for a "%repeat N TEXT" line. */
struct mscn_line {
	int lineno;
	long repeat;		/* -1 for an ordinary line */
	char *text;		/* NUL-terminated source text (TEXT for %repeat) */
};

struct mscn_sect {
	int present;
	int lineno;		/* line of the %header */
	struct mscn_line *lines;
	size_t n;
	size_t cap;
};

/* %file NAME */
struct mscn_file {
	char *name;
	struct mscn_sect body;
};

enum mscn_act_kind {
	MSCN_ACT_DEFAULT,	/* the built-in reply for the verb */
	MSCN_ACT_REPLY,		/* text, CRLF after each '|'-separated line */
	MSCN_ACT_RAW,		/* text exactly as given */
	MSCN_ACT_LONGLINE,	/* CODE + ' ' + count * 'x' + CRLF */
	MSCN_ACT_MANYLINES,	/* count * "CODE-line" + "CODE end" */
	MSCN_ACT_CLOSE,		/* close without a reply */
	MSCN_ACT_CLOSE_AFTER	/* reply text, then close */
};

/* One turn of a verb's reply sequence. */
struct mscn_act {
	enum mscn_act_kind kind;
	long delay_ms;		/* wait before answering */
	char code[4];		/* LONGLINE, MANYLINES */
	long count;		/* LONGLINE, MANYLINES */
	struct mbuf text;	/* REPLY, RAW, CLOSE_AFTER: bytes to send */
	int lineno;
};

/* The reply sequence of one verb (or of the greeting). */
struct mscn_verb {
	char name[MSCN_VERB_MAX];	/* upper case, "." and "+" included */
	struct mscn_act *acts;
	size_t nacts;
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
};

struct mscn {
	char *path;		/* as given */
	char *srcdir;		/* absolute directory of the file */
	char *desc;
	struct mscn_sect args, in, proto, out, err, out_has, err_has, env,
	    skip;
	int in_noeol;		/* the stdin section was %stdin-noeol */
	long exit_code;
	int has_exit;
	long connections;
	int has_connections;
	long timeout_s;
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

/* mscn_verb_find - the script of a verb, or NULL when it has none. */
const struct mscn_verb *mscn_verb_find(const struct mscn_server *sv,
    const char *verb);

#endif
