/*
 * xalloc.h - allocation that cannot fail, and wiping of secrets.
 *
 * On out-of-memory these print one line and exit with EX_OSERR; that is the
 * only exit() below main.  secure_zero() wipes memory in a way the compiler
 * cannot optimise away; xfree_secret() wipes a string, then frees it.
 */
#ifndef SMTPSEND_XALLOC_H
#define SMTPSEND_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void secure_zero(void *p, size_t n);
void xfree_secret(char *s);

#endif
