/*
 * load_gnutls.c - the table of GnuTLS's functions (load.h).
 */
#include <config.h>

#include <string.h>

#define LOAD_GNUTLS_NO_MAP
#include "load.h"
#include "load_gnutls.h"

LOAD_DEFINE(gnutls, "GnuTLS", GNUTLS_PATH, LOAD_GNUTLS_FUNCS)
