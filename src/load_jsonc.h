/*
 * load_jsonc.h - json-c, opened on demand (load.h).  Include it after any
 * other header of json-c: from here on, each function of the list is a
 * call through the table that load_jsonc() fills.
 */
#ifndef SMTPSEND_LOAD_JSONC_H
#define SMTPSEND_LOAD_JSONC_H

#include <json-c/json.h>
#include <stdbool.h>
#include "err.h"

/* the functions used, in table order */
#define LOAD_JSONC_FUNCS(X) \
	X(json_object_get_int64) \
	X(json_object_get_string) \
	X(json_object_is_type) \
	X(json_object_object_get_ex) \
	X(json_object_put) \
	X(json_tokener_free) \
	X(json_tokener_get_error) \
	X(json_tokener_new) \
	X(json_tokener_parse_ex)

#define LOAD_JSONC_FIELD(f) __typeof__(f) *f;
struct load_jsonc_fn {
	LOAD_JSONC_FUNCS(LOAD_JSONC_FIELD)
};
#undef LOAD_JSONC_FIELD
extern struct load_jsonc_fn load_jsonc_fn;

/* LOAD_JSONC_FN - a function of the table, as the callee of a call */
#define LOAD_JSONC_FN(f) (*load_jsonc_fn.f)

/*
 * load_jsonc - open json-c (once) and fill load_jsonc_fn.  Returns 0, or -1
 * with err (ERR_OSERR, temporary) naming the library and why.
 */
int load_jsonc(struct err *err);

/* load_jsonc_mapped - whether this run has loaded json-c. */
bool load_jsonc_mapped(void);

#ifndef LOAD_JSONC_NO_MAP
#define json_object_get_int64 LOAD_JSONC_FN(json_object_get_int64)
#define json_object_get_string LOAD_JSONC_FN(json_object_get_string)
#define json_object_is_type LOAD_JSONC_FN(json_object_is_type)
#define json_object_object_get_ex LOAD_JSONC_FN(json_object_object_get_ex)
#define json_object_put LOAD_JSONC_FN(json_object_put)
#define json_tokener_free LOAD_JSONC_FN(json_tokener_free)
#define json_tokener_get_error LOAD_JSONC_FN(json_tokener_get_error)
#define json_tokener_new LOAD_JSONC_FN(json_tokener_new)
#define json_tokener_parse_ex LOAD_JSONC_FN(json_tokener_parse_ex)
#endif

#endif
