/*
 * exitcodes.h - the sysexits(3) values smtpsend uses.  Which failure leads to
 * which status is decided in one place, report.c.
 */
#ifndef SMTPSEND_EXITCODES_H
#define SMTPSEND_EXITCODES_H

#ifdef HAVE_SYSEXITS_H
#include <sysexits.h>
#endif

#ifndef EX_OK
#define EX_OK 0
#define EX_USAGE 64
#define EX_DATAERR 65
#define EX_NOINPUT 66
#define EX_NOUSER 67
#define EX_NOHOST 68
#define EX_UNAVAILABLE 69
#define EX_SOFTWARE 70
#define EX_OSERR 71
#define EX_OSFILE 72
#define EX_CANTCREAT 73
#define EX_IOERR 74
#define EX_TEMPFAIL 75
#define EX_PROTOCOL 76
#define EX_NOPERM 77
#define EX_CONFIG 78
#endif

#endif
