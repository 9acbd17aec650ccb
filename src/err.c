/*
 * err.c - error records (see err.h).
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "err.h"
#include "utf8.h"

void
err_clear(struct err *err)
{
	if (err == NULL)
		return;
	memset(err, 0, sizeof(*err));
}

static void
vset(struct err *err, enum err_class cls, bool temp, const char *fmt,
     va_list ap)
{
	char tmp[ERR_TEXT_MAX];
	int n;

	err->cls = cls;
	err->temp = temp;
	err->config = false;
	err->code = 0;
	err->enh[0] = '\0';
	err->hint[0] = '\0';
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	if (n < 0)
		tmp[0] = '\0';
	printable(err->text, sizeof(err->text), tmp, strlen(tmp));
}

void
err_set(struct err *err, enum err_class cls, bool temp, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vset(err, cls, temp, fmt, ap);
	va_end(ap);
}

char *(*err_strerror)(int errnum) = strerror;

void
err_set_errno(struct err *err, enum err_class cls, bool temp, int errnum,
	      const char *fmt, ...)
{
	va_list ap;
	size_t len;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vset(err, cls, temp, fmt, ap);
	va_end(ap);
	len = strlen(err->text);
	snprintf(err->text + len, sizeof(err->text) - len, ": %s",
		 err_strerror(errnum));
}

void
err_set_reply(struct err *err, int code, const char *enh, const char *text)
{
	if (err == NULL)
		return;
	err->cls = ERR_REJECT;
	err->temp = code >= 400 && code < 500;
	err->config = false;
	err->code = code;
	err->hint[0] = '\0';
	snprintf(err->enh, sizeof(err->enh), "%s", enh ? enh : "");
	printable(err->text, sizeof(err->text), text ? text : "",
		  text ? strlen(text) : 0);
}

void
err_hint(struct err *err, const char *fmt, ...)
{
	char tmp[ERR_HINT_MAX];
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	if (vsnprintf(tmp, sizeof(tmp), fmt, ap) < 0)
		tmp[0] = '\0';
	va_end(ap);
	printable(err->hint, sizeof(err->hint), tmp, strlen(tmp));
}

void
err_prefix(struct err *err, const char *what)
{
	size_t wlen, tlen;

	if (err == NULL || what == NULL)
		return;
	wlen = strlen(what) + 2;
	if (wlen >= sizeof(err->text))
		return;
	tlen = strlen(err->text);
	if (tlen > sizeof(err->text) - 1 - wlen) {
		tlen = sizeof(err->text) - 1 - wlen;
		/* cut before a UTF-8 sequence, not inside it */
		while (tlen > 0
		       && ((unsigned char)err->text[tlen] & 0xc0) == 0x80)
			tlen--;
	}
	memmove(err->text + wlen, err->text, tlen);
	memcpy(err->text, what, wlen - 2);
	memcpy(err->text + wlen - 2, ": ", 2);
	err->text[wlen + tlen] = '\0';
}

void
err_wrap(struct err *err, const char *before, const char *after)
{
	char text[ERR_TEXT_MAX];

	if (err == NULL)
		return;
	snprintf(text, sizeof(text), "%s%s%s", before, err->text, after);
	memcpy(err->text, text, sizeof(text));
}
