/*
 * load_gsasl.c - the table of GNU SASL's functions (load.h).
 */
#include <config.h>

#include <string.h>

#define LOAD_GSASL_NO_MAP
#include "load.h"
#include "load_gsasl.h"

LOAD_DEFINE(gsasl, "GNU SASL", GSASL_PATH, LOAD_GSASL_FUNCS)
