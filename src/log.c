/*
 * log.c - the per-message log line (see log.h).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "exitcodes.h"
#include "gettext.h"
#include "i18n.h"
#include "log.h"
#include "report.h"

static const char *
exit_name(int status)
{
	switch (status) {
	case EX_OK: return "EX_OK";
	case EX_USAGE: return "EX_USAGE";
	case EX_DATAERR: return "EX_DATAERR";
	case EX_NOINPUT: return "EX_NOINPUT";
	case EX_NOUSER: return "EX_NOUSER";
	case EX_UNAVAILABLE: return "EX_UNAVAILABLE";
	case EX_SOFTWARE: return "EX_SOFTWARE";
	case EX_IOERR: return "EX_IOERR";
	case EX_TEMPFAIL: return "EX_TEMPFAIL";
	case EX_PROTOCOL: return "EX_PROTOCOL";
	case EX_NOPERM: return "EX_NOPERM";
	case EX_CONFIG: return "EX_CONFIG";
	}
	return "EX_UNKNOWN";
}

/* list - key=a,b,c of the recipients in state st (nothing when none). */
static void
list(struct buf *b, const char *key, const struct envelope *e,
     enum rcpt_state st)
{
	size_t i, k = 0;

	for (i = 0; i < e->n; i++) {
		if (e->rcpts[i].state != st)
			continue;
		/* a cut list is fine: the log line is cut anyway */
		(void)!buf_printf(b, "%s%s", k++ ? "," : key, e->rcpts[i].addr);
	}
}

/* log_format - the line for e sent through a (without time or newline)
 * into out (size n). */
static void
log_format(const struct account *a, const struct envelope *e, off_t size,
	   int status, char *out, size_t n)
{
	struct buf b;
	const char *msg = e->final.code ? status_text(&e->final)
					: e->session.text;
	size_t i;

	/* the line is cut to n bytes in the end: a cut buffer is fine */
	buf_init(&b, 65536);
	(void)!buf_printf(&b, "host=%s tls=%s auth=%s", a->host,
			  a->tls ? "on" : "off",
			  a->auth == AUTH_OFF ? "off" : "on");
	if (a->auth != AUTH_OFF && a->user != NULL)
		(void)!buf_printf(&b, " user=%s", a->user);
	(void)!buf_printf(&b, " from=%s", e->sender);
	for (i = 0; i < e->n; i++)
		(void)!buf_printf(&b, "%s%s", i ? "," : " recipients=",
				  e->rcpts[i].addr);
	(void)!buf_printf(&b, " mailsize=%lld", (long long)size);
	list(&b, " delivered=", e, RCPT_DELIVERED);
	list(&b, " deferred=", e, RCPT_DEFERRED);
	list(&b, " failed=", e, RCPT_FAILED);
	for (i = 0; i < e->n; i++)
		if (e->rcpts[i].local_queue[0] != '\0') {
			(void)!buf_printf(&b, " queued=%s",
					  e->rcpts[i].local_queue);
			break;
		}
	if (e->final.code)
		(void)!buf_printf(&b, " smtpstatus=%d", e->final.code);
	if (msg[0] != '\0') {
		(void)!buf_append_str(&b, " smtpmsg='");
		for (; *msg; msg++)
			(void)!(*msg == '\'' ? buf_append_str(&b, "'\\''")
					     : buf_append(&b, msg, 1));
		(void)!buf_append_str(&b, "'");
	}
	(void)!buf_printf(&b, " exitcode=%s", exit_name(status));
	snprintf(out, n, "%s", buf_str(&b));
	buf_clear(&b);
}

static int
facility(enum account_syslog s)
{
	static const int f[] = {
		[SYSLOG_USER] = LOG_USER,     [SYSLOG_MAIL] = LOG_MAIL,
		[SYSLOG_LOCAL0] = LOG_LOCAL0, [SYSLOG_LOCAL1] = LOG_LOCAL1,
		[SYSLOG_LOCAL2] = LOG_LOCAL2, [SYSLOG_LOCAL3] = LOG_LOCAL3,
		[SYSLOG_LOCAL4] = LOG_LOCAL4, [SYSLOG_LOCAL5] = LOG_LOCAL5,
		[SYSLOG_LOCAL6] = LOG_LOCAL6, [SYSLOG_LOCAL7] = LOG_LOCAL7,
	};

	if (s == SYSLOG_OFF || (size_t)s >= sizeof(f) / sizeof(f[0]))
		return LOG_USER;
	return f[s];
}

void
log_message(const struct account *a, const struct envelope *e, off_t size,
	    int status)
{
	char line[16384], stamp[128] = "", all[16640];
	const char *fmt = account_log_time_format(a);
	int fd, n;

	if (a->logfile == NULL && a->syslog == SYSLOG_OFF)
		return;
	log_format(a, e, size, status, line, sizeof(line));
	if (a->syslog != SYSLOG_OFF) {
		openlog("smtpsend", LOG_PID, facility(a->syslog));
		syslog(status == EX_OK ? LOG_INFO : LOG_ERR, "%s", line);
		closelog();
	}
	if (a->logfile == NULL)
		return;
	if (fmt != NULL) {
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		i18n_init();    /* the month and day names of the locale */
		/* the format is the user's logfile_time_format, on purpose */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		if (strftime(stamp, sizeof(stamp) - 1, fmt, &tm) > 0) {
			size_t l = strlen(stamp);
			stamp[l] = ' ';
			stamp[l + 1] = '\0';
		}
#pragma GCC diagnostic pop
	}
	n = snprintf(all, sizeof(all), "%s%s\n", stamp, line);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(all))
		n = (int)sizeof(all) - 1;
	if (account_log_stdout(a)) {
		fputs(all, stdout);
		return;
	}
	fd = open(a->logfile, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || flock(fd, LOCK_EX) < 0
	    || write(fd, all, (size_t)n) != n) {
		fprintf(stderr, _("smtpsend: cannot write the log file %s: "
				  "%s\n"), a->logfile, strerror(errno));
	}
	if (fd >= 0)
		close(fd);
}

void
log_notice(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	report_msg("%s", line);
	openlog("smtpsend", LOG_PID, LOG_MAIL);
	syslog(LOG_NOTICE, "%s", line);
	closelog();
}
