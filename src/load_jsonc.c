/*
 * load_jsonc.c - the table of json-c's functions (load.h).
 */
#include <config.h>

#include <string.h>

#define LOAD_JSONC_NO_MAP
#include "load.h"
#include "load_jsonc.h"

struct load_jsonc_fn load_jsonc_fn;

#define NAME(f) #f,
static const char *const names[] = { LOAD_JSONC_FUNCS(NAME) };
#undef NAME
#define N (sizeof(names) / sizeof(names[0]))
static void *slots[N];
static struct load_lib lib = { "json-c", JSONC_PATH, names, N, slots,
				 false };

int
load_jsonc(struct err *err)
{
	size_t i = 0;

	if (lib.loaded)
		return 0;
	if (load_library(&lib, err) < 0)
		return -1;
	/* dlsym's void * into each typed pointer (POSIX guarantees that a
	 * function's address survives the round trip) */
#define COPY(f) memcpy(&load_jsonc_fn.f, &slots[i++], sizeof(void *));
	LOAD_JSONC_FUNCS(COPY)
#undef COPY
	return 0;
}

bool
load_jsonc_mapped(void)
{
	return load_mapped(&lib);
}
