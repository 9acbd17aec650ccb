/*
 * err.h - the one error convention of smtpsend.
 *
 * A fallible function returns 0 on success or -1 on failure and takes a
 * "struct err *" as its last argument, which it fills exactly once, where the
 * failure happens.  The structure is fixed-size so that the error path never
 * allocates.  Every error carries a class (what kind of thing went wrong), a
 * temporary/permanent bit, and - when a server said it - the SMTP reply code,
 * the enhanced status code and the (printable) reply text.  Exit statuses are
 * derived from errors in exactly one place: report.c.
 */
#ifndef SMTPSEND_ERR_H
#define SMTPSEND_ERR_H

#include <stdbool.h>
#include <stdarg.h>

enum err_class {
	ERR_NONE = 0,
	ERR_USAGE,      /* bad command line */
	ERR_CONFIG,     /* bad configuration */
	ERR_DATA,       /* unusable message or address */
	ERR_IO,         /* local input/output failure */
	ERR_NOINPUT,    /* the input file cannot be opened */
	ERR_NET,        /* resolve, connect, read, write, timeout, EOF */
	ERR_TLS,        /* TLS negotiation or verification */
	ERR_PROTO,      /* the server broke the protocol */
	ERR_AUTH,       /* authentication failed */
	ERR_REJECT,     /* the server refused (reply code in .code) */
	ERR_OSERR,      /* a shared library cannot be loaded */
	ERR_INTERNAL    /* should not happen */
};

#define ERR_TEXT_MAX 512
#define ERR_ENH_MAX 16
#define ERR_HINT_MAX 256

struct err {
	enum err_class cls;
	bool temp;                  /* true: trying again later may succeed */
	bool config;                /* a setting must be fixed first (the
				       certificate, the password, the host
				       name): the queue holds the entry */
	int code;                   /* SMTP reply code, 0 when no reply */
	char enh[ERR_ENH_MAX];      /* enhanced status code, "" when none */
	char text[ERR_TEXT_MAX];    /* printable, one line */
	char hint[ERR_HINT_MAX];    /* how to fix it, for a new user; ""
				       when there is nothing to add */
};

#if defined(__GNUC__)
#define ATTR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define WARN_UNUSED __attribute__((warn_unused_result))
#else
#define ATTR_PRINTF(f, a)
#define WARN_UNUSED
#endif

/* err_clear - reset *err to "no error". err may be NULL. */
void err_clear(struct err *err);

/*
 * err_set - record a failure of class cls.  The text is formatted from fmt,
 * truncated to fit, and made printable.  err may be NULL (nothing recorded).
 */
void err_set(struct err *err, enum err_class cls, bool temp,
	     const char *fmt, ...) ATTR_PRINTF(4, 5);

/*
 * err_strerror - the text of an errno value for err_set_errno: strerror,
 * unless the program sets another (smtpsend sets i18n_strerror, which
 * sets the locale up first; smtpsend-drop keeps strerror and English).
 */
extern char *(*err_strerror)(int errnum);

/*
 * err_set_errno - like err_set, with ": " and err_strerror(errnum)
 * appended.
 */
void err_set_errno(struct err *err, enum err_class cls, bool temp, int errnum,
		   const char *fmt, ...) ATTR_PRINTF(5, 6);

/*
 * err_set_reply - record a refusal by the server: class ERR_REJECT, temporary
 * when the code is 4xx.  code, enh and text come from the server and are
 * copied (text made printable).
 */
void err_set_reply(struct err *err, int code, const char *enh,
		   const char *text);

/* err_hint - what the user can do about err (shown once, after the
 * error: report_error, report_hint).  Every err_set* clears it. */
void err_hint(struct err *err, const char *fmt, ...) ATTR_PRINTF(2, 3);

/* err_prefix - put "what: " before err's text (truncating the end). */
void err_prefix(struct err *err, const char *what);

/* err_wrap - err's text becomes before + text + after (truncated). */
void err_wrap(struct err *err, const char *before, const char *after);

#endif
