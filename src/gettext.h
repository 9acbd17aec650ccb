/*
 * gettext.h - translation macros for user-facing messages.
 *
 * Only messages meant for people go through _(); protocol strings, config
 * keywords and transcripts are never translated.  The locale is set up
 * by the first of them (i18n.h), and so by the first strerror,
 * gai_strerror or hstrerror: those names are routed through i18n.c
 * here.
 */
#ifndef SMTPSEND_GETTEXT_H
#define SMTPSEND_GETTEXT_H

#include <netdb.h>
#include <string.h>

#include "i18n.h"

#define _(s) i18n_gettext(s)
#define N_(s) (s)
#define strerror(e) i18n_strerror(e)
#define gai_strerror(rc) i18n_gai_strerror(rc)
#define hstrerror(e) i18n_hstrerror(e)

#endif
