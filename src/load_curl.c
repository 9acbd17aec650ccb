/*
 * load_curl.c - the table of libcurl's functions (load.h).
 */
#include <config.h>

#include <string.h>

#define LOAD_CURL_NO_MAP
#include "load.h"
#include "load_curl.h"

LOAD_DEFINE(curl, "libcurl", CURL_PATH, LOAD_CURL_FUNCS)
