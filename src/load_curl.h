/*
 * load_curl.h - libcurl, opened on demand (load.h).  Include it after any
 * other header of libcurl: from here on, each function of the list is a
 * call through the table that load_curl() fills.
 */
#ifndef SMTPSEND_LOAD_CURL_H
#define SMTPSEND_LOAD_CURL_H

/* the type-checking macros of curl.h would hide the functions */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>
#include <stdbool.h>
#include "err.h"

/* the functions used, in table order */
#define LOAD_CURL_FUNCS(X) \
	X(curl_easy_cleanup) \
	X(curl_easy_getinfo) \
	X(curl_easy_init) \
	X(curl_easy_perform) \
	X(curl_easy_setopt) \
	X(curl_easy_strerror) \
	X(curl_global_init) \
	X(curl_slist_append) \
	X(curl_slist_free_all)

#define LOAD_CURL_FIELD(f) __typeof__(f) *f;
struct load_curl_fn {
	LOAD_CURL_FUNCS(LOAD_CURL_FIELD)
};
#undef LOAD_CURL_FIELD
extern struct load_curl_fn load_curl_fn;

/* LOAD_CURL_FN - a function of the table, as the callee of a call */
#define LOAD_CURL_FN(f) (*load_curl_fn.f)

/*
 * load_curl - open libcurl (once) and fill load_curl_fn.  Returns 0, or -1
 * with err (ERR_OSERR, temporary) naming the library and why.
 */
int load_curl(struct err *err);

/* load_curl_mapped - whether this run has loaded libcurl. */
bool load_curl_mapped(void);

#ifndef LOAD_CURL_NO_MAP
#define curl_easy_cleanup LOAD_CURL_FN(curl_easy_cleanup)
#undef curl_easy_getinfo
#define curl_easy_getinfo(h, i, v) \
	LOAD_CURL_FN(curl_easy_getinfo)(h, i, v)
#define curl_easy_init LOAD_CURL_FN(curl_easy_init)
#define curl_easy_perform LOAD_CURL_FN(curl_easy_perform)
#undef curl_easy_setopt
#define curl_easy_setopt(h, o, v) \
	LOAD_CURL_FN(curl_easy_setopt)(h, o, v)
#define curl_easy_strerror LOAD_CURL_FN(curl_easy_strerror)
#define curl_global_init LOAD_CURL_FN(curl_global_init)
#define curl_slist_append LOAD_CURL_FN(curl_slist_append)
#define curl_slist_free_all LOAD_CURL_FN(curl_slist_free_all)
#endif

#endif
