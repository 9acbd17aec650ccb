/*
 * load_gsasl.h - GNU SASL, opened on demand (load.h).  Include it after any
 * other header of GNU SASL: from here on, each function of the list is a
 * call through the table that load_gsasl() fills.
 */
#ifndef SMTPSEND_LOAD_GSASL_H
#define SMTPSEND_LOAD_GSASL_H

#include <gsasl.h>
#include <stdbool.h>
#include "err.h"
#include "i18n.h"

/* the functions used, in table order */
#define LOAD_GSASL_FUNCS(X) \
	X(gsasl_base64_to) \
	X(gsasl_client_start) \
	X(gsasl_client_support_p) \
	X(gsasl_done) \
	X(gsasl_finish) \
	X(gsasl_free) \
	X(gsasl_init) \
	X(gsasl_property_set) \
	X(gsasl_step64) \
	X(gsasl_strerror)

#define LOAD_GSASL_FIELD(f) __typeof__(f) *f;
struct load_gsasl_fn {
	LOAD_GSASL_FUNCS(LOAD_GSASL_FIELD)
};
#undef LOAD_GSASL_FIELD
extern struct load_gsasl_fn load_gsasl_fn;

/* LOAD_GSASL_FN - a function of the table, as the callee of a call */
#define LOAD_GSASL_FN(f) (*load_gsasl_fn.f)

/*
 * load_gsasl - open GNU SASL (once) and fill load_gsasl_fn.  Returns 0, or -1
 * with err (ERR_OSERR, temporary) naming the library and why.
 */
int load_gsasl(struct err *err);

/* load_gsasl_mapped - whether this run has loaded GNU SASL. */
bool load_gsasl_mapped(void);

#ifndef LOAD_GSASL_NO_MAP
#define gsasl_base64_to LOAD_GSASL_FN(gsasl_base64_to)
#define gsasl_client_start LOAD_GSASL_FN(gsasl_client_start)
#define gsasl_client_support_p LOAD_GSASL_FN(gsasl_client_support_p)
#define gsasl_done LOAD_GSASL_FN(gsasl_done)
#define gsasl_finish LOAD_GSASL_FN(gsasl_finish)
#define gsasl_free LOAD_GSASL_FN(gsasl_free)
#define gsasl_init LOAD_GSASL_FN(gsasl_init)
#define gsasl_property_set LOAD_GSASL_FN(gsasl_property_set)
#define gsasl_step64 LOAD_GSASL_FN(gsasl_step64)
/* GNU SASL translates its texts: the locale first (i18n.h) */
#define gsasl_strerror(e) (i18n_init(), LOAD_GSASL_FN(gsasl_strerror)(e))
#endif

#endif
