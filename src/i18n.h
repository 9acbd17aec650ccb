/*
 * i18n.h - the locale, set up the first time a run needs it.
 *
 * A run that prints nothing (a send or a flush that succeeds) never
 * looks at the locale: setlocale(LC_ALL, "") alone reads a file per
 * category, some 0.3 ms and 20 page faults, a fifth of a plain send.  So
 * the locale and the message catalogues are set up by the first call
 * that makes text for people: a translated message (_()), or a text that
 * a library translates, so that it is in the same language as the
 * message it goes into, whatever the order in which a call's arguments
 * are evaluated: strerror, gai_strerror and hstrerror (gettext.h routes
 * them here), dlerror (load.c), and the error texts of GnuTLS, GNU SASL
 * and libidn2 (their load_*.h).  err_set_errno's text is
 * i18n_strerror's in smtpsend (main.c sets err_strerror).  Anything that
 * is only named for an error that may come (the "what" of
 * smtp_read_reply) is passed untranslated, with N_().
 */
#ifndef SMTPSEND_I18N_H
#define SMTPSEND_I18N_H

/* i18n_init - setlocale(LC_ALL, "") and the catalogues, once. */
void i18n_init(void);

/* i18n_gettext - gettext(msgid), the locale set up first; a format
 * stays checked through it, as through gettext. */
const char *i18n_gettext(const char *msgid) __attribute__((format_arg(1)));

/* i18n_strerror, i18n_gai_strerror, i18n_hstrerror - strerror(e),
 * gai_strerror(rc), hstrerror(e), the locale set up first. */
char *i18n_strerror(int e);
const char *i18n_gai_strerror(int rc);
const char *i18n_hstrerror(int e);

#endif
