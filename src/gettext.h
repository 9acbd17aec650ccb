/*
 * gettext.h - translation macros for user-facing messages.
 *
 * Only messages meant for people go through _(); protocol strings, config
 * keywords and transcripts are never translated.
 */
#ifndef SMTPSEND_GETTEXT_H
#define SMTPSEND_GETTEXT_H

#if ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#else
#define _(s) (s)
#endif
#define N_(s) (s)

#endif
