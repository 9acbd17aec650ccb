/*
 * conffile.h - between the two halves of the configuration parser: conf.c
 * (the lines of a file: directives, sections, eval) and conffile.c (the
 * files: reading, owner and mode checks, include, the system and user
 * files).  Other modules use conf.h only.
 */
#ifndef SMTPSEND_CONFFILE_H
#define SMTPSEND_CONFFILE_H

#include <stdbool.h>
#include <stddef.h>
#include "account.h"
#include "conf.h"
#include "err.h"

/* The state shared by a file and the files it includes. */
struct conf_parser {
	struct conf *c;
	struct account *defaults;       /* the "defaults" settings so far,
					   owned */
	bool allow_root;                /* files may belong to root */
};

/*
 * conf_parse_text (conf.c) - the lines of the file path (len bytes of
 * text, read at include depth depth) into ps; the file starts in no
 * section.  *password is set when the file sets a password.  Returns 0,
 * or -1 with err (ERR_CONFIG, "path:LINE: ...").
 */
int conf_parse_text(struct conf_parser *ps, const char *path,
		    const char *text, size_t len, int depth, bool *password,
		    struct err *err);

/*
 * conffile_include (conffile.c) - "include arg", a line (loc, "path:LINE")
 * of the file from at depth: read the file or the directory arg names (see
 * conf.h) into ps.  Returns 0, or -1 with err (ERR_CONFIG, starting with
 * loc or naming the included file's line).
 */
int conffile_include(struct conf_parser *ps, const char *arg,
		     const char *from, const char *loc, int depth,
		     struct err *err);

#endif
