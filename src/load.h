/*
 * load.h - the big libraries (GnuTLS, GNU SASL, libcurl, json-c) are not
 * linked into smtpsend: each is opened with dlopen() the first time a run
 * needs it, so that --version, --help, a plain send or an enqueue map none
 * of them.  Each library has one file (load_gnutls.c, ...) with the list
 * of the functions its module uses, resolved into a table; the module
 * keeps calling them by their names through macros of its load_*.h, and is
 * compiled against the library's real headers, so every call is checked.
 *
 * The file opened is the one configure found, by its absolute path (no
 * environment variable chooses it).  A library that cannot be opened, or
 * lacks a function, is a local failure of class ERR_OSERR (temporary: the
 * message is queued or kept; exit status EX_OSERR when it is not).
 */
#ifndef SMTPSEND_LOAD_H
#define SMTPSEND_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include "err.h"

struct load_lib {
	const char *name;               /* "GnuTLS", for messages */
	const char *path;               /* absolute, from configure */
	const char *const *names;       /* the functions, in table order */
	size_t n;
	void **slots;                   /* n addresses, once loaded */
	bool loaded;
};

/*
 * load_library - open lib->path (once; later calls return at once) and
 * resolve every name into lib->slots.  Returns 0, or -1 with err
 * (ERR_OSERR, temporary): "cannot load NAME: <dlerror() text>"; nothing
 * is kept then, and the next call tries again.
 */
int load_library(struct load_lib *lib, struct err *err);

/* load_mapped - whether lib is loaded (for tests and traces). */
bool load_mapped(const struct load_lib *lib);

#endif
