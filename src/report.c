/*
 * report.c - per-recipient reports and the exit status table
 * (sysexits(3)).
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ascii.h"
#include "exitcodes.h"
#include "gettext.h"
#include "report.h"

/* deferred_unqueued - deferred recipients that are not in the queue
 * (those in it are safe: they count as done for the exit status). */
static size_t
deferred_unqueued(const struct envelope *e)
{
	size_t i, n = 0;

	for (i = 0; i < e->n; i++)
		if (e->rcpts[i].state == RCPT_DEFERRED
		    && e->rcpts[i].local_queue[0] == '\0')
			n++;
	return n;
}

int
report_exit_status(const struct envelope *e)
{
	/* 77: credentials refused, or TLS verification or policy failed -
	 * not a server's temporary 4xx to STARTTLS or AUTH, nor a 5xx
	 * refusal of STARTTLS, which say nothing about our credentials */
	bool noperm = (e->session.cls == ERR_AUTH
		       && e->session.code / 100 != 4)
		      || (e->session.cls == ERR_TLS && e->session.code == 0);

	/* a local setting that cannot work (an unreadable trust file, a
	 * bad priority string): the configuration's fault, not the server's */
	if (e->session.cls == ERR_CONFIG)
		return EX_CONFIG;
	if (deferred_unqueued(e) > 0) {
		if (e->session.cls == ERR_PROTO)
			return EX_PROTOCOL;
		if (e->session.cls == ERR_OSERR)
			return EX_OSERR;
		return noperm ? EX_NOPERM : EX_TEMPFAIL;
	}
	if (envelope_count(e, RCPT_FAILED) > 0 && noperm)
		return EX_NOPERM;
	if (envelope_count(e, RCPT_FAILED) > 0)
		return e->message_rejected
				       && envelope_count(e, RCPT_DELIVERED) == 0
			       ? EX_UNAVAILABLE
			       : EX_NOUSER;
	if (envelope_count(e, RCPT_DELIVERED)
		    + envelope_count(e, RCPT_DEFERRED) != e->n)
		return EX_SOFTWARE;     /* a recipient left undecided */
	return EX_OK;
}

int
report_outcome(int rc, const struct err *err)
{
	if (rc == 0)
		return EX_OK;
	report_error(err);
	return report_err_status(err);
}

int
report_probe_status(const struct envelope *e)
{
	int status = report_exit_status(e);

	/* recipients accepted at RCPT, or not asked about, are the
	 * expected outcome of a session ended early */
	return status == EX_SOFTWARE ? EX_OK : status;
}

int
report_err_status(const struct err *err)
{
	switch (err->cls) {
	case ERR_NONE: return EX_OK;
	case ERR_USAGE: return EX_USAGE;
	case ERR_CONFIG: return EX_CONFIG;
	case ERR_DATA: return EX_DATAERR;
	case ERR_IO: return EX_IOERR;
	case ERR_NOINPUT: return EX_NOINPUT;
	case ERR_NET: return EX_TEMPFAIL;
	case ERR_TLS: return EX_NOPERM;
	case ERR_PROTO: return EX_PROTOCOL;
	case ERR_AUTH: return EX_NOPERM;
	case ERR_REJECT: return err->temp ? EX_TEMPFAIL : EX_UNAVAILABLE;
	case ERR_OSERR: return EX_OSERR;
	case ERR_INTERNAL: return EX_SOFTWARE;
	}
	return EX_SOFTWARE;
}

void
report_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (ascii_is_ctl(c))
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void
text_line(FILE *out, const char *prefix, const struct rcpt *r)
{
	fprintf(out, "%s%s: %s:", prefix, r->addr, rcpt_state_name(r->state));
	if (r->st.code > 0)
		fprintf(out, " %d", r->st.code);
	if (r->st.enh[0] != '\0')
		fprintf(out, " %s", r->st.enh);
	if (r->st.text != NULL)
		fprintf(out, " %s", r->st.text);
	if (r->local_queue[0] != '\0')
		fprintf(out, " (queued as %s)", r->local_queue);
	fputc('\n', out);
}

static void
json_status(FILE *out, const struct status *st)
{
	fprintf(out, "\"code\":%d,\"enhanced\":", st->code);
	report_json_string(out, st->enh);
	fputs(",\"text\":", out);
	report_json_string(out, status_text(st));
}

void
report_print(const struct envelope *e, enum report_mode mode, int status,
	     FILE *out)
{
	size_t i;

	if (mode == REPORT_JSON) {
		fputs("{\"sender\":", out);
		report_json_string(out, e->sender);
		fputs(",\"recipients\":[", out);
		for (i = 0; i < e->n; i++) {
			const struct rcpt *r = &e->rcpts[i];
			fprintf(out, "%s{\"address\":", i ? "," : "");
			report_json_string(out, r->addr);
			fputs(",\"state\":", out);
			report_json_string(out, rcpt_state_name(r->state));
			fputs(",\"stage\":", out);
			report_json_string(out, smtp_stage_name(r->stage));
			fputc(',', out);
			json_status(out, &r->st);
			fputs(",\"queue_id\":", out);
			if (r->queue_id[0] != '\0')
				report_json_string(out, r->queue_id);
			else
				fputs("null", out);
			if (r->local_queue[0] != '\0') {
				fputs(",\"queued\":", out);
				report_json_string(out, r->local_queue);
			}
			fputc('}', out);
		}
		fputs("],\"final\":", out);
		if (e->final.code > 0) {
			fputc('{', out);
			json_status(out, &e->final);
			fputc('}', out);
		} else {
			fputs("null", out);
		}
		fputs(",\"queue_id\":", out);
		if (e->queue_id[0] != '\0')
			report_json_string(out, e->queue_id);
		else
			fputs("null", out);
		fprintf(out, ",\"exit_status\":%d}\n", status);
		return;
	}
	for (i = 0; i < e->n; i++) {
		const struct rcpt *r = &e->rcpts[i];
		if (mode == REPORT_FAILURES && r->state == RCPT_DELIVERED)
			continue;
		text_line(out, mode == REPORT_FAILURES ? "smtpsend: " : "", r);
	}
}

void
report_error(const struct err *err)
{
	fprintf(stderr, "smtpsend: %s\n", err->text);
	report_hint(err);
}

void
report_hint(const struct err *err)
{
	if (err->hint[0] != '\0')
		fprintf(stderr, _("smtpsend: hint: %s\n"), err->hint);
}

void
report_msg(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "smtpsend: %s\n", line);
}

void
report_warning(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	report_msg(_("warning: %s"), line);
}

void
report_dsn_dropped(void)
{
	report_warning("%s", _("the server does not offer DSN; the delivery "
			       "status notification requests (NOTIFY, RET, "
			       "ENVID) are not sent"));
}

/* The recipients of an outcome, counted for the -bs reply. */
struct tally {
	size_t done, queued, failed;
	const struct rcpt *first_fail, *first_open, *queued_one;
};

static void
tally(const struct envelope *e, struct tally *t)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < e->n; i++) {
		const struct rcpt *r = &e->rcpts[i];

		if (r->state == RCPT_DELIVERED) {
			t->done++;
		} else if (r->state == RCPT_DEFERRED && r->local_queue[0]) {
			t->queued++;
			t->queued_one = r;
		} else if (r->state == RCPT_FAILED) {
			t->failed++;
			if (t->first_fail == NULL)
				t->first_fail = r;
		} else if (t->first_open == NULL) {
			t->first_open = r;
		}
	}
}

bool
report_smtp_reply(const struct envelope *e, int *code, char *text, size_t n)
{
	const struct rcpt *f;
	struct tally t;

	tally(e, &t);
	f = t.first_fail;
	if (t.first_open != NULL) {
		/* deferred and not queued: the client must keep it */
		*code = 451;
		snprintf(text, n, "4.4.0 %s", status_text(&t.first_open->st));
	} else if (t.done + t.queued == 0 && f != NULL) {
		*code = f->st.code / 100 == 5 ? f->st.code : 554;
		snprintf(text, n, "%s %s", f->st.enh[0] ? f->st.enh : "5.0.0",
			 status_text(&f->st));
	} else {
		*code = 250;
		if (t.queued > 0)
			snprintf(text, n, "2.0.0 Ok: queued as %s",
				 t.queued_one->local_queue);
		else if (e->queue_id[0] != '\0')
			snprintf(text, n, "2.0.0 Ok: delivered (queued as %s)",
				 e->queue_id);
		else
			snprintf(text, n, "2.0.0 Ok: delivered");
		return t.failed > 0;
	}
	return false;
}

void
report_smtp_error(const struct err *err, int *code, char *text, size_t n)
{
	*code = err->temp ? 451 : 554;
	snprintf(text, n, "%s %s", err->temp ? "4.3.0" : "5.6.0", err->text);
}
