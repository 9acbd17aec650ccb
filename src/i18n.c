/*
 * i18n.c - the locale, set up the first time a run needs it (i18n.h).
 */
#include <config.h>

#include <errno.h>
#if ENABLE_NLS
#include <libintl.h>
#endif
#include <locale.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

/* The real functions: gettext.h redefines their names. */
#undef strerror
#undef gai_strerror
#undef hstrerror

void
i18n_init(void)
{
	static bool done;
	int saved = errno;
#if ENABLE_NLS
	const char *dir;
#endif

	if (done)
		return;
	done = true;
	setlocale(LC_ALL, "");
#if ENABLE_NLS
	/* the catalogues installed under LOCALEDIR, or SMTPSEND_LOCALEDIR's
	 * (the test suite's, before make install); secure_getenv ignores
	 * that variable in a set-user-ID or set-group-ID process, so nobody
	 * can hand such a process catalogues of their own */
	dir = secure_getenv("SMTPSEND_LOCALEDIR");
	bindtextdomain(PACKAGE, dir && *dir == '/' ? dir : LOCALEDIR);
	textdomain(PACKAGE);
#endif
	/* it may run between a failed call and the read of its errno, as
	 * in err_set_errno(err, ..., errno, _("..."), ...) */
	errno = saved;
}

const char *
i18n_gettext(const char *msgid)
{
	i18n_init();
#if ENABLE_NLS
	return gettext(msgid);
#else
	return msgid;
#endif
}

char *
i18n_strerror(int e)
{
	i18n_init();
	return strerror(e);
}

const char *
i18n_gai_strerror(int rc)
{
	i18n_init();
	return gai_strerror(rc);
}

const char *
i18n_hstrerror(int e)
{
	i18n_init();
	return hstrerror(e);
}
