/*
 * load_idn2.c - the table of libidn2's functions (load.h).
 */
#include <config.h>

#include <string.h>

#define LOAD_IDN2_NO_MAP
#include "load.h"
#include "load_idn2.h"

LOAD_DEFINE(idn2, "libidn2", IDN2_PATH, LOAD_IDN2_FUNCS)
