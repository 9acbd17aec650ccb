/*
 * queue_env.c - the ID.env text of a queue entry (doc/queue-format.md,
 * section 3.2): writing it and reading it back.  Pure: no I/O.
 *
 * The writer refuses a value that would break the line structure (a CR,
 * an LF; a TAB in a Recipient field other than the text) whatever its
 * source, and makes the reply text printable: what it writes always
 * parses back to the same entry.  The reader refuses a NUL byte, a line
 * that is not "Key: value", a malformed value of a key it knows and a
 * second line of a key that may appear once, so that a damaged or forged
 * entry is left alone rather than half read and rewritten without what
 * it could not read.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "buf.h"
#include "gettext.h"
#include "queue.h"
#include "utf8.h"
#include "xalloc.h"

void
queue_entry_init(struct queue_entry *qe)
{
	memset(qe, 0, sizeof(*qe));
	envelope_init(&qe->env, "");
}

void
queue_entry_clear(struct queue_entry *qe)
{
	size_t i;

	free(qe->account);
	free(qe->config);
	free(qe->hold_reason);
	free(qe->hold_config);
	for (i = 0; i < qe->nsettings; i++)
		free(qe->settings[i]);
	free(qe->settings);
	envelope_clear(&qe->env);
	memset(qe, 0, sizeof(*qe));
}

static const char *
state_word(enum rcpt_state st)
{
	switch (st) {
	case RCPT_DELIVERED: return "delivered";
	case RCPT_FAILED: return "failed";
	default: return "deferred";
	}
}

/* checked - v may go into the value of key: no line break (nor, with
 * field, a TAB, which separates the fields of a Recipient line). */
static int
checked(const char *key, const char *v, bool field, struct err *err)
{
	if (strpbrk(v, field ? "\r\n\t" : "\r\n") == NULL)
		return 0;
	err_set(err, ERR_DATA, false, strpbrk(v, "\r\n")
		? _("queue entry: the %s value \"%.60s\" holds a line break")
		: _("queue entry: the %s value \"%.60s\" holds a TAB"), key,
		v);
	return -1;
}

static int
format_recipient(const struct rcpt *r, struct buf *out, struct err *err)
{
	char text[ERR_TEXT_MAX];

	if (r->addr[0] == '\0') {
		err_set(err, ERR_DATA, false,
			_("queue entry: a recipient without an address"));
		return -1;
	}
	if (checked("Recipient", r->addr, true, err) < 0
	    || checked("Recipient", r->st.enh, true, err) < 0)
		return -1;
	/* the reply text is the server's: made printable, never refused */
	printable(text, sizeof(text), status_text(&r->st),
		  strlen(status_text(&r->st)));
	if (buf_printf(out, "Recipient: %s\t%u\t%d\t%s\t%s\t%s\n",
		       state_word(r->state), r->attempts, r->st.code,
		       r->st.enh[0] ? r->st.enh : "-", r->addr, text) < 0)
		goto toolong;
	return 0;
toolong:
	err_set(err, ERR_IO, true, _("queue entry too large"));
	return -1;
}

/* put - "Key: value\n" when v is not NULL. */
static int
put(struct buf *out, const char *key, const char *v, struct err *err)
{
	if (v == NULL)
		return 0;
	if (checked(key, v, false, err) < 0)
		return -1;
	if (buf_printf(out, "%s: %s\n", key, v) < 0) {
		err_set(err, ERR_IO, true, _("queue entry too large"));
		return -1;
	}
	return 0;
}

int
queue_format(const struct queue_entry *qe, struct buf *out, struct err *err)
{
	size_t i;
	int rc = 0;

	rc |= buf_printf(out, "Version: %d\nCreated: %lld\nAttempts: %u\n"
			 "Last-Attempt: %lld\nNext-Attempt: %lld\n",
			 QUEUE_VERSION, (long long)qe->created, qe->attempts,
			 (long long)qe->last_attempt,
			 (long long)qe->next_attempt);
	if (rc != 0) {
		err_set(err, ERR_IO, true, _("queue entry too large"));
		return -1;
	}
	if (put(out, "Account", qe->account, err) < 0
	    || put(out, "Config", qe->config, err) < 0)
		return -1;
	for (i = 0; i < qe->nsettings; i++)
		if (put(out, "Setting", qe->settings[i], err) < 0)
			return -1;
	if (buf_printf(out, "Size: %lld\nBody: %s\nHold: %s\n",
		       (long long)qe->size, qe->has8bit ? "8bit" : "7bit",
		       qe->hold ? "yes" : "no") < 0) {
		err_set(err, ERR_IO, true, _("queue entry too large"));
		return -1;
	}
	if (put(out, "Hold-Reason", qe->hold_reason, err) < 0
	    || put(out, "Hold-Config", qe->hold_config, err) < 0
	    || put(out, "Sender", qe->env.sender, err) < 0
	    || put(out, "Dsn-Notify", qe->env.dsn_notify, err) < 0
	    || put(out, "Dsn-Ret", qe->env.dsn_ret, err) < 0
	    || put(out, "Dsn-Envid", qe->env.dsn_envid, err) < 0)
		return -1;
	for (i = 0; i < qe->env.n; i++)
		if (format_recipient(&qe->env.rcpts[i], out, err) < 0)
			return -1;
	return 0;
}

/* --- reading ----------------------------------------------------------- */

static int
parse_ll(const char *v, long long min, long long max, long long *out)
{
	char *end;

	if (v[0] != '-' && !ascii_is_digit(v[0]))
		return -1;
	errno = 0;
	*out = strtoll(v, &end, 10);
	return errno == 0 && *end == '\0' && *out >= min && *out <= max ? 0
									 : -1;
}

/* parse_recipient - "STATE\tATTEMPTS\tCODE\tENH\tADDR\tTEXT". */
static int
parse_recipient(struct queue_entry *qe, char *v)
{
	static const char *const states[] = { "deferred", "delivered",
					       "failed" };
	static const enum rcpt_state value[] = { RCPT_DEFERRED,
						 RCPT_DELIVERED, RCPT_FAILED };
	char *f[6];
	char text[ERR_TEXT_MAX];
	long long n;
	struct rcpt *r;
	size_t i;

	for (i = 0; i < 5; i++) {
		f[i] = v;
		v = strchr(v, '\t');
		if (v == NULL)
			return -1;
		*v++ = '\0';
	}
	f[5] = v;
	if (f[4][0] == '\0' || strlen(f[3]) >= ERR_ENH_MAX
	    || strchr(f[3], '\r') != NULL || strchr(f[4], '\r') != NULL)
		return -1;
	for (i = 0; i < 3 && strcmp(f[0], states[i]) != 0; i++)
		;
	if (i == 3)
		return -1;
	envelope_add(&qe->env, f[4]);
	r = &qe->env.rcpts[qe->env.n - 1];
	r->state = value[i];
	if (parse_ll(f[1], 0, 1000000, &n) < 0)
		return -1;
	r->attempts = (unsigned)n;
	if (parse_ll(f[2], 0, 599, &n) < 0)
		return -1;
	r->st.code = (int)n;
	if (strcmp(f[3], "-") != 0)
		snprintf(r->st.enh, sizeof(r->st.enh), "%s", f[3]);
	printable(text, sizeof(text), f[5], strlen(f[5]));
	status_set_text(&r->st, text);
	return 0;
}

/* The keys a line may carry once, with where their value goes. */
enum key {
	K_VERSION, K_CREATED, K_ATTEMPTS, K_LAST, K_NEXT, K_ACCOUNT, K_CONFIG,
	K_SIZE, K_BODY, K_HOLD, K_SENDER, K_NOTIFY, K_RET, K_ENVID,
	K_HOLD_REASON, K_HOLD_CONFIG, K_SETTING, K_RECIPIENT, K_UNKNOWN
};

static const char *const key_names[] = {
	"Version", "Created", "Attempts", "Last-Attempt", "Next-Attempt",
	"Account", "Config", "Size", "Body", "Hold", "Sender", "Dsn-Notify",
	"Dsn-Ret", "Dsn-Envid", "Hold-Reason", "Hold-Config", "Setting",
	"Recipient"
};

static enum key
key_of(const char *name)
{
	int k;

	for (k = 0; k < K_UNKNOWN; k++)
		if (strcmp(name, key_names[k]) == 0)
			return (enum key)k;
	return K_UNKNOWN;
}

/* split - "Key: value" or "Key:"; the key is letters, digits, '-'. */
static int
split(char *line, char **value)
{
	size_t n = strspn(line, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			  "abcdefghijklmnopqrstuvwxyz0123456789-");

	if (n == 0 || line[n] != ':' || (line[n + 1] != ' '
					 && line[n + 1] != '\0'))
		return -1;
	line[n] = '\0';
	*value = line + n + (line[n + 1] ? 2 : 1);
	return 0;
}

static int
set_time(const char *v, time_t *out)
{
	long long n;

	if (parse_ll(v, 0, 1LL << 40, &n) < 0)
		return -1;
	*out = (time_t)n;
	return 0;
}

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

/* apply - the value v of key k; -1 when it is malformed. */
static int
apply(struct queue_entry *qe, enum key k, char *v)
{
	long long n;

	/* a CR (a CRLF line end) in a value queue_format would refuse to
	 * write back; the text of a Recipient is made printable instead */
	if (k != K_RECIPIENT && k != K_UNKNOWN && strchr(v, '\r') != NULL)
		return -1;
	switch (k) {
	case K_CREATED: return set_time(v, &qe->created);
	case K_LAST: return set_time(v, &qe->last_attempt);
	case K_NEXT: return set_time(v, &qe->next_attempt);
	case K_ATTEMPTS:
		if (parse_ll(v, 0, 1000000, &n) < 0)
			return -1;
		qe->attempts = (unsigned)n;
		return 0;
	case K_SIZE:
		if (parse_ll(v, 0, 1LL << 50, &n) < 0)
			return -1;
		qe->size = (off_t)n;
		return 0;
	case K_BODY:
		if (strcmp(v, "8bit") != 0 && strcmp(v, "7bit") != 0)
			return -1;
		qe->has8bit = strcmp(v, "8bit") == 0;
		return 0;
	case K_HOLD:
		if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
			return -1;
		qe->hold = strcmp(v, "yes") == 0;
		return 0;
	case K_ACCOUNT: set_str(&qe->account, v); return 0;
	case K_CONFIG: set_str(&qe->config, v); return 0;
	case K_SENDER: set_str(&qe->env.sender, v); return 0;
	case K_NOTIFY: set_str(&qe->env.dsn_notify, v); return 0;
	case K_RET: set_str(&qe->env.dsn_ret, v); return 0;
	case K_ENVID: set_str(&qe->env.dsn_envid, v); return 0;
	case K_HOLD_REASON: set_str(&qe->hold_reason, v); return 0;
	case K_HOLD_CONFIG: set_str(&qe->hold_config, v); return 0;
	case K_SETTING:
		qe->settings = xrealloc(qe->settings, (qe->nsettings + 1)
							      * sizeof(char *));
		qe->settings[qe->nsettings++] = xstrdup(v);
		return 0;
	case K_RECIPIENT: return parse_recipient(qe, v);
	default: return 0;      /* a key of a later version: ignored */
	}
}

/* version - the Version line's value; -1 with err when it cannot be
 * read by this version. */
static int
version(struct queue_entry *qe, const char *v, struct err *err)
{
	long long n;

	if (parse_ll(v, 1, 1000000, &n) < 0) {
		err_set(err, ERR_DATA, false, _("bad Version \"%.20s\""), v);
		return -1;
	}
	if (n > QUEUE_VERSION) {
		err_set(err, ERR_DATA, false,
			_("written by a newer smtpsend (format version %lld; "
			  "this one reads %d)"), n, QUEUE_VERSION);
		return -1;
	}
	qe->version = (int)n;
	return 0;
}

/* parse_line - line lineno (without its LF); seen: the keys so far. */
static int
parse_line(struct queue_entry *qe, char *line, unsigned long lineno,
	   unsigned *seen, struct err *err)
{
	char *v;
	enum key k;

	if (lineno == 1 && strncmp(line, "Version:", 8) != 0) {
		err_set(err, ERR_DATA, false, _("line 1: no Version"));
		return -1;
	}
	if (*line == '\0' || *line == '#')
		return 0;
	if (split(line, &v) < 0) {
		err_set(err, ERR_DATA, false, _("line %lu: no \"Key: value\""),
			lineno);
		return -1;
	}
	k = key_of(line);
	if (k == K_VERSION && lineno > 1) {
		if (version(qe, v, err) == 0)
			err_set(err, ERR_DATA, false,
				_("line %lu: a second Version"), lineno);
		return -1;
	}
	if (k < K_SETTING && (*seen & (1U << k))) {
		err_set(err, ERR_DATA, false, _("line %lu: a second %s"),
			lineno, key_names[k]);
		return -1;
	}
	if (k < K_SETTING)
		*seen |= 1U << k;
	if (k == K_VERSION)
		return version(qe, v, err);
	if (apply(qe, k, v) < 0) {
		err_set(err, ERR_DATA, false, _("line %lu: malformed %s"),
			lineno, line);
		return -1;
	}
	return 0;
}

int
queue_parse(struct queue_entry *qe, const char *text, size_t len,
	    struct err *err)
{
	char *copy, *line, *next;
	unsigned long lineno = 0;
	unsigned seen = 0;
	int ret = -1;

	qe->version = 0;
	if (memchr(text, '\0', len) != NULL) {
		err_set(err, ERR_DATA, false, _("NUL byte at offset %zu"),
			(size_t)((const char *)memchr(text, '\0', len) - text));
		return -1;
	}
	copy = xstrndup(text, len);
	for (line = copy; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (parse_line(qe, line, ++lineno, &seen, err) < 0)
			goto out;
	}
	if (qe->version == 0)
		err_set(err, ERR_DATA, false, _("no Version"));
	else if (qe->env.n == 0)
		err_set(err, ERR_DATA, false, _("no Recipient"));
	else
		ret = 0;
out:
	free(copy);
	return ret;
}
