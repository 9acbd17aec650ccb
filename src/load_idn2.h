/*
 * load_idn2.h - libidn2, opened on demand (load.h).  Include it after
 * <idn2.h>: from here on, each function of the list is a call through the
 * table that load_idn2() fills.
 */
#ifndef SMTPSEND_LOAD_IDN2_H
#define SMTPSEND_LOAD_IDN2_H

#include <idn2.h>
#include <stdbool.h>
#include "err.h"
#include "i18n.h"

/* the functions used, in table order */
#define LOAD_IDN2_FUNCS(X) \
	X(idn2_free) \
	X(idn2_strerror) \
	X(idn2_to_ascii_8z) \
	X(idn2_to_unicode_8z8z)

#define LOAD_IDN2_FIELD(f) __typeof__(f) *f;
struct load_idn2_fn {
	LOAD_IDN2_FUNCS(LOAD_IDN2_FIELD)
};
#undef LOAD_IDN2_FIELD
extern struct load_idn2_fn load_idn2_fn;

/* LOAD_IDN2_FN - a function of the table, as the callee of a call */
#define LOAD_IDN2_FN(f) (*load_idn2_fn.f)

/*
 * load_idn2 - open libidn2 (once) and fill load_idn2_fn.  Returns 0, or -1
 * with err (ERR_OSERR, temporary) naming the library and why.
 */
int load_idn2(struct err *err);

/* load_idn2_mapped - whether this run has loaded libidn2. */
bool load_idn2_mapped(void);

#ifndef LOAD_IDN2_NO_MAP
#define idn2_free LOAD_IDN2_FN(idn2_free)
/* libidn2 translates its texts: the locale first (i18n.h) */
#define idn2_strerror(e) (i18n_init(), LOAD_IDN2_FN(idn2_strerror)(e))
#define idn2_to_ascii_8z LOAD_IDN2_FN(idn2_to_ascii_8z)
#define idn2_to_unicode_8z8z LOAD_IDN2_FN(idn2_to_unicode_8z8z)
#endif

#endif
