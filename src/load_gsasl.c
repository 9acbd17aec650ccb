/*
 * load_gsasl.c - the table of GNU SASL's functions (load.h).
 */
#include <config.h>

#include <string.h>

#define LOAD_GSASL_NO_MAP
#include "load.h"
#include "load_gsasl.h"

struct load_gsasl_fn load_gsasl_fn;

#define NAME(f) #f,
static const char *const names[] = { LOAD_GSASL_FUNCS(NAME) };
#undef NAME
#define N (sizeof(names) / sizeof(names[0]))
static void *slots[N];
static struct load_lib lib = { "GNU SASL", GSASL_PATH, names, N, slots,
				 false };

int
load_gsasl(struct err *err)
{
	size_t i = 0;

	if (lib.loaded)
		return 0;
	if (load_library(&lib, err) < 0)
		return -1;
	/* dlsym's void * into each typed pointer (POSIX guarantees that a
	 * function's address survives the round trip) */
#define COPY(f) memcpy(&load_gsasl_fn.f, &slots[i++], sizeof(void *));
	LOAD_GSASL_FUNCS(COPY)
#undef COPY
	return 0;
}

bool
load_gsasl_mapped(void)
{
	return load_mapped(&lib);
}
