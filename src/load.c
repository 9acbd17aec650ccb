/*
 * load.c - open a shared library on demand and resolve its functions
 * (POSIX dlopen, dlsym).
 */
#include <config.h>

#include <dlfcn.h>

#include "gettext.h"
#include "i18n.h"
#include "load.h"

/* failed - the error for lib, with dlerror's text (or what, when it has
 * none); -1.  dlerror's text is translated: the locale first (i18n.h). */
static int
failed(const struct load_lib *lib, const char *what, struct err *err)
{
	const char *why;

	i18n_init();
	why = dlerror();
	err_set(err, ERR_OSERR, true, _("cannot load %s: %s"), lib->name,
		why ? why : what);
	return -1;
}

int
load_library(struct load_lib *lib, struct err *err)
{
	void *h;
	size_t i;

	if (lib->loaded)
		return 0;
	/* RTLD_LOCAL: the names stay out of the global scope; RTLD_NOW:
	 * a missing dependency shows here, not in the middle of a session */
	h = dlopen(lib->path, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL)
		return failed(lib, lib->path, err);
	for (i = 0; i < lib->n; i++) {
		(void)dlerror();
		lib->slots[i] = dlsym(h, lib->names[i]);
		if (lib->slots[i] == NULL) {
			(void)failed(lib, lib->names[i], err);
			dlclose(h);
			return -1;
		}
	}
	lib->loaded = true;
	return 0;       /* the handle stays open for the rest of the run */
}

bool
load_mapped(const struct load_lib *lib)
{
	return lib->loaded;
}
