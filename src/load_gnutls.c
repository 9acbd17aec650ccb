/*
 * load_gnutls.c - the table of GnuTLS's functions (load.h).
 */
#include <config.h>

#include <string.h>

#define LOAD_GNUTLS_NO_MAP
#include "load.h"
#include "load_gnutls.h"

struct load_gnutls_fn load_gnutls_fn;

#define NAME(f) #f,
static const char *const names[] = { LOAD_GNUTLS_FUNCS(NAME) };
#undef NAME
#define N (sizeof(names) / sizeof(names[0]))
static void *slots[N];
static struct load_lib lib = { "GnuTLS", GNUTLS_PATH, names, N, slots,
				 false };

int
load_gnutls(struct err *err)
{
	size_t i = 0;

	if (lib.loaded)
		return 0;
	if (load_library(&lib, err) < 0)
		return -1;
	/* dlsym's void * into each typed pointer (POSIX guarantees that a
	 * function's address survives the round trip) */
#define COPY(f) memcpy(&load_gnutls_fn.f, &slots[i++], sizeof(void *));
	LOAD_GNUTLS_FUNCS(COPY)
#undef COPY
	return 0;
}

bool
load_gnutls_mapped(void)
{
	return load_mapped(&lib);
}
