/*
 * load_jsonc.c - the table of json-c's functions (load.h).
 */
#include <config.h>

#include <string.h>

#define LOAD_JSONC_NO_MAP
#include "load.h"
#include "load_jsonc.h"

LOAD_DEFINE(jsonc, "json-c", JSONC_PATH, LOAD_JSONC_FUNCS)
