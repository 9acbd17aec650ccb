/*
 * load.h - the big libraries (GnuTLS, GNU SASL, libidn2, libcurl, json-c)
 * are not linked into smtpsend: each is opened with dlopen() the first time
 * a run needs it, so that --version, --help, a plain send or an enqueue map
 * none of them.  Each library has one file (load_gnutls.c, ...) with the list
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

/*
 * LOAD_DEFINE(lib, LABEL, PATH, FUNCS) - everything a load_LIB.c defines,
 * written once for all the libraries: the table load_LIB_fn, filled from
 * the list FUNCS (an X-macro of the function names) by load_LIB(), and
 * load_LIB_mapped().  dlsym's void * is copied into each typed pointer
 * (POSIX guarantees that a function's address survives the round trip).
 * The file that uses it includes <string.h>, load.h and its load_LIB.h
 * with LOAD_LIB_NO_MAP defined.
 */
#define LOAD_NAME_(f) #f,
#define LOAD_COPY_(f) memcpy(&fn->f, &load_slots_[i++], sizeof(void *));
#define LOAD_DEFINE(lib, label, path, FUNCS) \
	struct load_##lib##_fn load_##lib##_fn; \
	static const char *const load_names_[] = { FUNCS(LOAD_NAME_) }; \
	static void *load_slots_[sizeof(load_names_) / sizeof(char *)]; \
	static struct load_lib load_table_ = { label, path, load_names_, \
		sizeof(load_names_) / sizeof(char *), load_slots_, false }; \
	int \
	load_##lib(struct err *err) \
	{ \
		struct load_##lib##_fn *fn = &load_##lib##_fn; \
		size_t i = 0; \
		if (load_table_.loaded) \
			return 0; \
		if (load_library(&load_table_, err) < 0) \
			return -1; \
		FUNCS(LOAD_COPY_) \
		return 0; \
	} \
	bool \
	load_##lib##_mapped(void) \
	{ \
		return load_mapped(&load_table_); \
	}

#endif
