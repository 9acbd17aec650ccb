/*
 * check_queue.c - unit tests for src/queue.c: the ID.env text format
 * (queue_format / queue_parse), entry ids, and the queue directory (commit
 * through tmp/, rewrite, lock, list and reap, remove, move to failed/).
 * Each file test works in a fresh mkdtemp directory, removed afterwards.
 */
#include <config.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "queue.h"
#include "xalloc.h"

#define ID "1767225600.4242.9f3a0b1c2d3e"
#define EML "Subject: queued\r\n\r\nhello\r\n"

/* show - s with control bytes as \xNN, for failure messages. */
static const char *
show(const char *s, char *dst, size_t n)
{
	size_t o = 0;

	for (; *s && o + 5 < n; s++) {
		unsigned char c = (unsigned char)*s;
		int w;

		if (c >= 0x20 && c != 0x7f) {
			dst[o++] = (char)c;
			continue;
		}
		w = snprintf(dst + o, n - o, "\\x%02x", c);
		if (w < 0 || (size_t)w >= n - o)
			break;
		o += (size_t)w;
	}
	dst[o] = '\0';
	return dst;
}

/* ---- entries ---- */

static const struct rcpt_spec {
	const char *addr;
	enum rcpt_state state;
	unsigned attempts;
	int code;
	const char *enh;
	const char *text;
} full_rcpts[] = {
	{ "bob@example.org", RCPT_DEFERRED, 3, 451, "4.7.1",
	  "Greylisted, please try again later" },
	{ "carol@example.net", RCPT_DELIVERED, 1, 250, "2.0.0",
	  "Ok: queued as 4XyZ1" },
	{ "dave@example.com", RCPT_FAILED, 2, 550, "5.1.1",
	  "User unknown in virtual mailbox table" },
	{ "erin@example.com", RCPT_DEFERRED, 1, 421, "",
	  "Too many connections from your IP" },
	{ "frank@example.com", RCPT_DEFERRED, 0, 0, "", "" },
};

static const char *const full_settings[] = {
	"host mail.example.com", "port 587", "tls_starttls on",
};

/* The ID.env text of the full entry, byte for byte. */
static const char full_text[] =
	"Version: 1\n"
	"Created: 1767225600\n"
	"Attempts: 3\n"
	"Last-Attempt: 1767229200\n"
	"Next-Attempt: 1767230400\n"
	"Account: work\n"
	"Config: /home/u/.config/smtpsend/config\n"
	"Setting: host mail.example.com\n"
	"Setting: port 587\n"
	"Setting: tls_starttls on\n"
	"Size: 12345\n"
	"Body: 8bit\n"
	"Hold: yes\n"
	"Hold-Reason: TLS certificate of smtp.example.org not accepted: "
	"issuer unknown\n"
	"Hold-Config: 1234.567.1767225600.000000000\n"
	"Sender: alice@example.com\n"
	"Recipient: deferred\t3\t451\t4.7.1\tbob@example.org\t"
	"Greylisted, please try again later\n"
	"Recipient: delivered\t1\t250\t2.0.0\tcarol@example.net\t"
	"Ok: queued as 4XyZ1\n"
	"Recipient: failed\t2\t550\t5.1.1\tdave@example.com\t"
	"User unknown in virtual mailbox table\n"
	"Recipient: deferred\t1\t421\t-\terin@example.com\t"
	"Too many connections from your IP\n"
	"Recipient: deferred\t0\t0\t-\tfrank@example.com\t\n";

static void
add_rcpt(struct queue_entry *qe, const struct rcpt_spec *s)
{
	struct rcpt *r;

	envelope_add(&qe->env, s->addr);
	r = &qe->env.rcpts[qe->env.n - 1];
	r->state = s->state;
	r->attempts = s->attempts;
	r->st.code = s->code;
	snprintf(r->st.enh, sizeof(r->st.enh), "%s", s->enh);
	status_set_text(&r->st, s->text);
}

/* full_entry - an entry with every field set (initialises qe). */
static void
full_entry(struct queue_entry *qe, const char *id)
{
	size_t i, n = sizeof(full_settings) / sizeof(full_settings[0]);

	queue_entry_init(qe);
	snprintf(qe->id, sizeof(qe->id), "%s", id);
	qe->version = QUEUE_VERSION;
	qe->account = strdup("work");
	qe->config = strdup("/home/u/.config/smtpsend/config");
	qe->settings = calloc(n, sizeof(char *));
	ck_assert_ptr_nonnull(qe->settings);
	for (i = 0; i < n; i++)
		qe->settings[i] = strdup(full_settings[i]);
	qe->nsettings = n;
	qe->created = 1767225600;
	qe->attempts = 3;
	qe->last_attempt = 1767229200;
	qe->next_attempt = 1767230400;
	qe->size = 12345;
	qe->has8bit = true;
	qe->hold = true;
	qe->hold_reason = strdup("TLS certificate of smtp.example.org not "
				 "accepted: issuer unknown");
	qe->hold_config = strdup("1234.567.1767225600.000000000");
	free(qe->env.sender);
	qe->env.sender = strdup("alice@example.com");
	for (i = 0; i < sizeof(full_rcpts) / sizeof(full_rcpts[0]); i++)
		add_rcpt(qe, &full_rcpts[i]);
}

/* small_entry - the least an entry has: the null sender, one recipient. */
static void
small_entry(struct queue_entry *qe, const char *id)
{
	queue_entry_init(qe);
	snprintf(qe->id, sizeof(qe->id), "%s", id);
	qe->version = QUEUE_VERSION;
	qe->created = 1767225600;
	add_rcpt(qe, &full_rcpts[4]);
}

static void
assert_str_or_null_eq(const char *what, const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		ck_assert_msg(a == b, "%s: %s, expected %s", what,
			      a ? a : "NULL", b ? b : "NULL");
	else
		ck_assert_msg(strcmp(a, b) == 0, "%s: \"%s\", expected \"%s\"",
			      what, a, b);
}

/* assert_entry_eq - got has every field of want (not the id). */
static void
assert_entry_eq(const struct queue_entry *got, const struct queue_entry *want)
{
	size_t i;

	ck_assert_int_eq(got->version, want->version);
	assert_str_or_null_eq("account", got->account, want->account);
	assert_str_or_null_eq("config", got->config, want->config);
	ck_assert_uint_eq(got->nsettings, want->nsettings);
	for (i = 0; i < want->nsettings; i++)
		ck_assert_str_eq(got->settings[i], want->settings[i]);
	ck_assert_int_eq(got->created, want->created);
	ck_assert_uint_eq(got->attempts, want->attempts);
	ck_assert_int_eq(got->last_attempt, want->last_attempt);
	ck_assert_int_eq(got->next_attempt, want->next_attempt);
	ck_assert_int_eq(got->size, want->size);
	ck_assert(got->has8bit == want->has8bit);
	ck_assert(got->hold == want->hold);
	assert_str_or_null_eq("hold_reason", got->hold_reason,
			      want->hold_reason);
	assert_str_or_null_eq("hold_config", got->hold_config,
			      want->hold_config);
	ck_assert_str_eq(got->env.sender, want->env.sender);
	ck_assert_uint_eq(got->env.n, want->env.n);
	for (i = 0; i < want->env.n; i++) {
		const struct rcpt *g = &got->env.rcpts[i];
		const struct rcpt *w = &want->env.rcpts[i];

		ck_assert_str_eq(g->addr, w->addr);
		ck_assert_msg(g->state == w->state, "%s: state %d, expected %d",
			      w->addr, g->state, w->state);
		ck_assert_uint_eq(g->attempts, w->attempts);
		ck_assert_int_eq(g->st.code, w->st.code);
		ck_assert_str_eq(g->st.enh, w->st.enh);
		ck_assert_str_eq(status_text(&g->st), status_text(&w->st));
	}
}

/* format - queue_format qe into b (initialised here). */
static void
format(const struct queue_entry *qe, struct buf *b)
{
	buf_init(b, 1 << 20);
	{
		struct err err;
		ck_assert_int_eq(queue_format(qe, b, &err), 0);
	}
}

/* parse - queue_parse the C string text into qe (initialised here). */
static int
parse(struct queue_entry *qe, const char *text, struct err *err)
{
	queue_entry_init(qe);
	err_clear(err);
	return queue_parse(qe, text, strlen(text), err);
}

/* ---- queue_format / queue_parse ---- */

/* The recipient list: room reserved once for a list of known length
 * holds it without growing; adding past it still grows; duplicates go,
 * the order stays. */
START_TEST(test_envelope_reserve)
{
	struct envelope e;
	char a[32];
	size_t i;

	envelope_init(&e, "s@example.org");
	envelope_reserve(&e, 1000);
	ck_assert_uint_eq(e.cap, 1000);
	for (i = 0; i < 1000; i++) {
		snprintf(a, sizeof(a), "r%zu@example.net", i % 600);
		envelope_add(&e, a);
	}
	ck_assert_uint_eq(e.cap, 1000);
	envelope_reserve(&e, 0);
	ck_assert_uint_eq(e.cap, 1000);
	envelope_add(&e, "late@example.net");
	ck_assert_uint_eq(e.n, 1001);
	ck_assert_uint_ge(e.cap, 1001);
	envelope_dedup(&e);
	ck_assert_uint_eq(e.n, 601);
	ck_assert_str_eq(e.rcpts[0].addr, "r0@example.net");
	ck_assert_str_eq(e.rcpts[599].addr, "r599@example.net");
	ck_assert_str_eq(e.rcpts[600].addr, "late@example.net");
	ck_assert_int_eq(e.rcpts[600].state, RCPT_PENDING);
	envelope_clear(&e);
}
END_TEST

START_TEST(test_format_full)
{
	struct queue_entry qe;
	struct buf b;

	full_entry(&qe, ID);
	format(&qe, &b);
	ck_assert_str_eq(buf_str(&b), full_text);
	ck_assert_uint_eq(b.len, strlen(full_text));
	buf_clear(&b);
	queue_entry_clear(&qe);
}
END_TEST

START_TEST(test_round_trip_full)
{
	struct queue_entry qe, back;
	struct buf b;
	struct err err;

	full_entry(&qe, ID);
	format(&qe, &b);
	ck_assert_msg(parse(&back, b.p, &err) == 0, "%s", err.text);
	assert_entry_eq(&back, &qe);
	buf_clear(&b);
	queue_entry_clear(&back);
	queue_entry_clear(&qe);
}
END_TEST

/* No account, no config, no settings, 7bit, not held, the null sender. */
START_TEST(test_round_trip_small)
{
	struct queue_entry qe, back;
	struct buf b;
	struct err err;

	small_entry(&qe, ID);
	format(&qe, &b);
	ck_assert_ptr_nonnull(strstr(b.p, "\nSender: \n"));
	ck_assert_ptr_null(strstr(b.p, "Account"));
	ck_assert_ptr_nonnull(strstr(b.p, "\nBody: 7bit\n"));
	ck_assert_ptr_nonnull(strstr(b.p, "\nHold: no\n"));
	ck_assert_msg(parse(&back, b.p, &err) == 0, "%s", err.text);
	assert_entry_eq(&back, &qe);
	ck_assert_str_eq(back.env.sender, "");
	buf_clear(&b);
	queue_entry_clear(&back);
	queue_entry_clear(&qe);
}
END_TEST

/* "Sender:" with its trailing space lost is still the null sender. */
START_TEST(test_null_sender_trimmed)
{
	struct queue_entry qe;
	struct err err;

	ck_assert_msg(parse(&qe, "Version: 1\nSender:\n"
			    "Recipient: deferred\t0\t0\t-\ta@b\t\n", &err) == 0,
		      "%s", err.text);
	ck_assert_str_eq(qe.env.sender, "");
	ck_assert_uint_eq(qe.env.n, 1);
	queue_entry_clear(&qe);
}
END_TEST

/* Keys of a later version, anywhere after line 1, are ignored. */
START_TEST(test_unknown_keys)
{
	static const char *const extra[] = {
		"X-Future: 1\n", "Future-Notify: never\n", "Future-Ret: hdrs\n",
		"Lowercase-key: value: with colon\n", "Empty:\n",
	};
	struct queue_entry qe, back;
	struct buf b, t;
	struct err err;
	const char *second = strchr(full_text, '\n') + 1;
	size_t i;

	full_entry(&qe, ID);
	buf_init(&t, 1 << 20);
	ck_assert_int_eq(buf_append(&t, full_text,
				    (size_t)(second - full_text)), 0);
	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		ck_assert_int_eq(buf_append_str(&t, extra[i]), 0);
	ck_assert_int_eq(buf_append_str(&t, second), 0);
	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		ck_assert_int_eq(buf_append_str(&t, extra[i]), 0);
	ck_assert_msg(parse(&back, t.p, &err) == 0, "%s", err.text);
	assert_entry_eq(&back, &qe);

	/* and the entry written back has none of them */
	format(&back, &b);
	ck_assert_str_eq(buf_str(&b), full_text);
	buf_clear(&b);
	buf_clear(&t);
	queue_entry_clear(&back);
	queue_entry_clear(&qe);
}
END_TEST

/* Comments, blank lines and a missing final newline are fine. */
START_TEST(test_comments_blank)
{
	struct queue_entry qe;
	struct err err;

	ck_assert_msg(parse(&qe, "Version: 1\n# a comment\n\nSender: a@b\n\n"
			    "Recipient: failed\t1\t550\t5.1.1\tx@y\t"
			    "no such user",
			    &err) == 0, "%s", err.text);
	ck_assert_str_eq(qe.env.sender, "a@b");
	ck_assert_uint_eq(qe.env.n, 1);
	ck_assert_str_eq(status_text(&qe.env.rcpts[0].st), "no such user");
	queue_entry_clear(&qe);
}
END_TEST

/* Only len bytes are read. */
START_TEST(test_parse_len)
{
	static const char text[] =
		"Version: 1\nRecipient: deferred\t0\t0\t-\ta@b\t\n"
		"Recipient: deferred\t0\t0\t-\tc@d\t\n";
	struct queue_entry qe;
	struct err err;
	size_t first = strchr(strchr(text, '\n') + 1, '\n') + 1 - text;

	queue_entry_init(&qe);
	err_clear(&err);
	ck_assert_int_eq(queue_parse(&qe, text, first, &err), 0);
	ck_assert_uint_eq(qe.env.n, 1);
	ck_assert_str_eq(qe.env.rcpts[0].addr, "a@b");
	queue_entry_clear(&qe);
}
END_TEST

/* Unusable texts: -1, ERR_DATA, and a message that says why (and where). */
#define R3 "Version: 1\nSender: a@b\nRecipient: "
#define BAD3 "line 3: malformed Recipient"
#define OK_RCPT "Recipient: deferred\t0\t0\t-\ta@b\t\n"
static const struct bad_case {
	const char *text;
	const char *needle;
} bad_cases[] = {
	{ "", "no Version" },
	{ "\n", "no Version" },
	{ "Sender: a@b\n" OK_RCPT, "line 1: no Version" },
	{ "Created: 1\nVersion: 1\n" OK_RCPT, "line 1: no Version" },
	{ OK_RCPT "Version: 1\n", "line 1: no Version" },
	{ "Version: 2\n" OK_RCPT, "newer" },
	{ "Version: 2\n", "newer" },
	{ "Version: 100\nX-New: thing\n" OK_RCPT, "newer" },
	{ "Version: 1\n" OK_RCPT "Version: 2\n", "newer" },
	{ "Version: 0\n" OK_RCPT, "Version" },
	{ "Version: -1\n" OK_RCPT, "Version" },
	{ "Version: one\n" OK_RCPT, "Version" },
	{ "Version: 1x\n" OK_RCPT, "Version" },
	{ "Version:\n" OK_RCPT, "Version" },
	{ "Version: 1\n", "no Recipient" },
	{ "Version: 1\nSender: a@b\nCreated: 5\n", "no Recipient" },
	{ "Version: 1\nSender: a@b\n# Recipient: deferred\t0\t0\t-\ta@b\t\n",
	  "no Recipient" },
	{ "Version: 1\nno colon here\n" OK_RCPT, "line 2" },
	/* malformed Recipient lines, all on line 3 */
	{ "Version: 1\nSender: a@b\nRecipient:\n", BAD3 },
	{ R3 "\n", BAD3 },
	{ R3 "deferred\n", BAD3 },
	{ R3 "deferred\t0\n", BAD3 },
	{ R3 "deferred\t0\t0\n", BAD3 },
	{ R3 "deferred\t0\t0\t-\n", BAD3 },
	{ R3 "deferred\t0\t0\t-\ta@b\n", BAD3 },
	{ R3 "deferred\t0\t0\t-\t\ttext\n", BAD3 },
	{ R3 "deferred 0 0 - a@b text\n", BAD3 },
	{ R3 "pending\t0\t0\t-\ta@b\t\n", BAD3 },
	{ R3 "accepted\t0\t0\t-\ta@b\t\n", BAD3 },
	{ R3 "Deferred\t0\t0\t-\ta@b\t\n", BAD3 },
	{ R3 "\t0\t0\t-\ta@b\t\n", BAD3 },
	{ R3 "failed\t1\tabc\t5.1.1\ta@b\tx\n", BAD3 },
	{ R3 "failed\t1\t55x\t5.1.1\ta@b\tx\n", BAD3 },
	{ R3 "failed\t1\t\t5.1.1\ta@b\tx\n", BAD3 },
	{ R3 "failed\t1\t-550\t5.1.1\ta@b\tx\n", BAD3 },
	{ R3 "failed\t1\t600\t5.1.1\ta@b\tx\n", BAD3 },
	{ R3 "failed\tx\t550\t5.1.1\ta@b\tx\n", BAD3 },
	{ R3 "failed\t-1\t550\t5.1.1\ta@b\tx\n", BAD3 },
	{ R3 "failed\t\t550\t5.1.1\ta@b\tx\n", BAD3 },
	{ "Version: 1\n\n# c\n\nSender: a@b\n" OK_RCPT
	  "Recipient: delivered\t1\t250\n", "line 7: malformed Recipient" },
	/* a CR in a value queue_format would refuse to write back (found by
	 * tests/fuzz/fuzz_queue); CRLF line ends are not allowed either */
	{ "Version: 1\nSender: a@b\r\n" OK_RCPT, "line 2: malformed Sender" },
	{ "Version: 1\nAccount: wo\rrk\n" OK_RCPT, "malformed Account" },
	{ "Version: 1\nSetting: host h\r\n" OK_RCPT, "malformed Setting" },
	{ "Version: 1\nDsn-Envid: x\ry\n" OK_RCPT, "malformed Dsn-Envid" },
	{ R3 "deferred\t0\t0\t-\ta@b\rc\ttext\n", BAD3 },
	{ R3 "deferred\t0\t0\t4.0.0\r\ta@b\ttext\n", BAD3 },
};

START_TEST(test_parse_bad)
{
	const struct bad_case *t = &bad_cases[_i];
	struct queue_entry qe;
	struct err err;
	char sh[256];
	int ret;

	ret = parse(&qe, t->text, &err);
	queue_entry_clear(&qe);
	ck_assert_msg(ret == -1, "case %d \"%s\" accepted", _i,
		      show(t->text, sh, sizeof(sh)));
	ck_assert_msg(err.cls == ERR_DATA, "case %d: class %d", _i, err.cls);
	ck_assert_msg(strstr(err.text, t->needle) != NULL,
		      "case %d: \"%s\", expected \"%s\" in it", _i, err.text,
		      t->needle);
}
END_TEST

/* Version must be on line 1, even when blank lines come first. */
static const char *const late_version[] = {
	"\nVersion: 1\n" OK_RCPT,
	"\nCreated: 5\nSender: a@b\nVersion: 1\n" OK_RCPT,
};

START_TEST(test_parse_version_not_first)
{
	struct queue_entry qe;
	struct err err;
	char sh[256];
	int ret;

	ret = parse(&qe, late_version[_i], &err);
	queue_entry_clear(&qe);
	ck_assert_msg(ret == -1, "\"%s\" accepted (Version not on line 1)",
		      show(late_version[_i], sh, sizeof(sh)));
	ck_assert_int_eq(err.cls, ERR_DATA);
	ck_assert_ptr_nonnull(strstr(err.text, "Version"));
}
END_TEST

/* The text of a reply is shown to the user: control bytes in the file
 * become printable, valid UTF-8 stays. */
static const struct text_case {
	const char *in;
	const char *out;
} text_cases[] = {
	{ "plain text", "plain text" },
	{ "bad\x01" "byte", "bad?byte" },
	{ "\x1b[31mred\x1b[0m", "?[31mred?[0m" },
	{ "del\x7f", "del?" },
	{ "cr\r", "cr?" },
	{ "tab\tinside", "tab inside" },
	{ "caf\xc3\xa9", "caf\xc3\xa9" },
	{ "bad utf-8 \xc3(", "bad utf-8 ?(" },
	{ "\xff\xfe", "??" },
};

START_TEST(test_parse_text_printable)
{
	const struct text_case *t = &text_cases[_i];
	struct queue_entry qe;
	struct buf b;
	struct err err;
	char sh[128];
	int ret;

	buf_init(&b, 4096);
	ck_assert_int_eq(buf_printf(&b, "Version: 1\nSender: a@b\n"
				    "Recipient: failed\t1\t550\t5.7.1\tx@y\t"
				    "%s\n", t->in), 0);
	ret = parse(&qe, b.p, &err);
	buf_clear(&b);
	ck_assert_msg(ret == 0, "\"%s\": %s", show(t->in, sh, sizeof(sh)),
		      err.text);
	ck_assert_msg(strcmp(status_text(&qe.env.rcpts[0].st), t->out) == 0,
		      "\"%s\" read as \"%s\"", show(t->in, sh, sizeof(sh)),
		      status_text(&qe.env.rcpts[0].st));
	ck_assert_str_eq(qe.env.rcpts[0].addr, "x@y");
	queue_entry_clear(&qe);
}
END_TEST

/* A control byte that reaches queue_format comes back printable. */
START_TEST(test_round_trip_control_byte)
{
	struct queue_entry qe, back;
	struct buf b;
	struct err err;

	small_entry(&qe, ID);
	status_set_text(&qe.env.rcpts[0].st, "try\x01later\x1b");
	format(&qe, &b);
	ck_assert_msg(parse(&back, b.p, &err) == 0, "%s", err.text);
	ck_assert_str_eq(status_text(&back.env.rcpts[0].st), "try?later?");
	buf_clear(&b);
	queue_entry_clear(&back);
	queue_entry_clear(&qe);
}
END_TEST


/* ---- hardening: what the writer refuses, what the reader refuses ---- */

/* Every value goes through the writer's check, whatever its source: a
 * line break (or a TAB in an address) would add lines of its own. */
START_TEST(test_format_refuses)
{
	struct queue_entry qe;
	struct buf b;
	struct err err;
	int i;

	for (i = 0; i < 7; i++) {
		small_entry(&qe, ID);
		switch (i) {
		case 0:
			qe.env.dsn_envid = xstrdup("x\nRecipient: deferred\t1"
						   "\t0\t-\tevil@x\tz");
			break;
		case 1:
			free(qe.env.sender);
			qe.env.sender = xstrdup("a@b\rAccount: other");
			break;
		case 2: qe.account = xstrdup("work\nConfig: /tmp/evil"); break;
		case 3: qe.config = xstrdup("/home/a/rc\n"); break;
		case 4:
			qe.settings = xcalloc(1, sizeof(char *));
			qe.settings[0] = xstrdup("host h\nSetting: x");
			qe.nsettings = 1;
			break;
		case 5:
			free(qe.env.rcpts[0].addr);
			qe.env.rcpts[0].addr = xstrdup("a\t@b");
			break;
		case 6: qe.env.dsn_notify = xstrdup("NEVER\n"); break;
		}
		buf_init(&b, 1 << 20);
		err_clear(&err);
		ck_assert_msg(queue_format(&qe, &b, &err) == -1,
			      "case %d accepted: %s", i, buf_str(&b));
		ck_assert_int_eq(err.cls, ERR_DATA);
		buf_clear(&b);
		queue_entry_clear(&qe);
	}
}
END_TEST

static const struct bad_case strict_cases[] = {
	{ "Version: 1\nSender: a@b\nSender: c@d\n" OK_RCPT, "second Sender" },
	{ "Version: 1\nAccount: a\nAccount: b\n" OK_RCPT, "second Account" },
	{ "Version: 1\nConfig: /a\nConfig: /b\n" OK_RCPT, "second Config" },
	{ "Version: 1\nCreated: soon\n" OK_RCPT, "malformed Created" },
	{ "Version: 1\nAttempts: -1\n" OK_RCPT, "malformed Attempts" },
	{ "Version: 1\nHold: maybe\n" OK_RCPT, "malformed Hold" },
	{ "Version: 1\nBody: 9bit\n" OK_RCPT, "malformed Body" },
	{ "Version: 1\nSize: 1e9\n" OK_RCPT, "malformed Size" },
	{ "Version: 1\n Sender: a@b\n" OK_RCPT, "line 2: no \"Key: value\"" },
	{ "Version: 1\nSen der: a@b\n" OK_RCPT, "line 2: no \"Key: value\"" },
	{ "Version: 1\nSender:a@b\n" OK_RCPT, "line 2: no \"Key: value\"" },
	{ "Version: 1\n" OK_RCPT "Version: 1\n", "second Version" },
};

START_TEST(test_parse_strict)
{
	const struct bad_case *t = &strict_cases[_i];
	struct queue_entry qe;
	struct err err;
	int ret;

	queue_entry_init(&qe);
	err_clear(&err);
	ret = queue_parse(&qe, t->text, strlen(t->text), &err);
	queue_entry_clear(&qe);
	ck_assert_msg(ret == -1, "case %d accepted", _i);
	ck_assert_int_eq(err.cls, ERR_DATA);
	ck_assert_msg(strstr(err.text, t->needle) != NULL,
		      "case %d: \"%s\", expected \"%s\" in it", _i, err.text,
		      t->needle);
}
END_TEST

/* A NUL used to cut the recipients after it (and the next rewrite lost
 * them): now the whole entry is refused. */
START_TEST(test_parse_nul)
{
	static const char text[] = "Version: 1\nSender: a@b\n" OK_RCPT
		"Recipient: deferred\t0\t0\t-\tc@d\tx\0\n"
		"Recipient: deferred\t0\t0\t-\te@f\t\n";
	struct queue_entry qe;
	struct err err;

	queue_entry_init(&qe);
	ck_assert_int_eq(queue_parse(&qe, text, sizeof(text) - 1, &err), -1);
	ck_assert_str_eq(err.text, "NUL byte at offset 85");
	queue_entry_clear(&qe);
}
END_TEST

/* ---- ids ---- */

static const struct id_case {
	const char *id;
	bool valid;
} id_cases[] = {
	{ "1767225600.4242.9f3a0b1c2d3e", true },
	{ "100.1.aa", true },
	{ "0", true },
	{ "123456789012345678901234567890123456789012345678901234567890123",
	  true },                                       /* 63 */
	{ "1234567890123456789012345678901234567890123456789012345678901234",
	  false },                                      /* 64 */
	{ "1767225600.4242.9f3a0b1c2d3e1767225600.4242.9f3a0b1c2d3e"
	  "1767225600.4242.9f3a0b1c2d3e", false },
	{ "", false },
	{ "../x", false },
	{ "..", false },
	{ ".", false },
	{ "a/b", false },
	{ "1/2", false },
	{ "/1", false },
	{ ".hidden", false },
	{ ".1.2", false },
	{ "ABC", false },
	{ "1767225600.4242.9F3A0B1C2D3E", false },
	{ "1 2", false },
	{ "1\n2", false },
	{ "1767225600.4242.9f3a0b1c2d3e.env", false },
	{ "g", false },
	{ "*", false },
};

START_TEST(test_valid_id)
{
	const struct id_case *t = &id_cases[_i];
	char sh[256];

	ck_assert_msg(queue_valid_id(t->id) == t->valid, "\"%s\": expected %s",
		      show(t->id, sh, sizeof(sh)),
		      t->valid ? "valid" : "invalid");
}
END_TEST

#define NIDS 200

START_TEST(test_new_id)
{
	char ids[NIDS][QUEUE_ID_MAX], prefix[64];
	time_t t0 = time(NULL), t1;
	int i, j;

	for (i = 0; i < NIDS; i++) {
		memset(ids[i], 'x', sizeof(ids[i]));
		queue_new_id(ids[i], sizeof(ids[i]));
	}
	t1 = time(NULL);
	for (i = 0; i < NIDS; i++) {
		long long epoch;
		long pid;
		int off = 0;

		ck_assert_msg(queue_valid_id(ids[i]), "\"%s\" invalid", ids[i]);
		ck_assert_int_eq(sscanf(ids[i], "%lld.%ld.%n", &epoch, &pid,
					&off), 2);
		ck_assert_int_ge(epoch, t0);
		ck_assert_int_le(epoch, t1);
		ck_assert_int_eq(pid, getpid());
		snprintf(prefix, sizeof(prefix), "%lld.%ld.", epoch, pid);
		ck_assert_int_eq(off, (int)strlen(prefix));
		ck_assert_msg(strlen(ids[i] + off) >= 8,
			      "\"%s\": little random", ids[i]);
		for (j = 0; j < i; j++)
			ck_assert_msg(strcmp(ids[i], ids[j]) != 0,
				      "\"%s\" twice", ids[i]);
	}
}
END_TEST

/* ---- the queue directory ---- */

/* Every test gets a fresh directory under one top directory; the top one
 * is made and removed outside the tests (unchecked fixture), so it goes
 * away even when a failing test skips its teardown. */
static char topdir[64];
static char tmpdir[128];
static char qdir[160];
static struct queue q;

static int
chmod_dir(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_D || flag == FTW_DNR)
		chmod(path, 0700);
	return 0;
}

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* rmtree - rm -rf path, also through directories made read-only. */
static void
rmtree(const char *path)
{
	nftw(path, chmod_dir, 16, FTW_PHYS);
	nftw(path, remove_one, 16, FTW_PHYS | FTW_DEPTH);
}

static void
top_setup(void)
{
	snprintf(topdir, sizeof(topdir), "/tmp/check_queue.XXXXXX");
	if (mkdtemp(topdir) == NULL) {
		perror("mkdtemp");
		exit(EXIT_FAILURE);
	}
}

static void
top_teardown(void)
{
	rmtree(topdir);
}

static void
setup(void)
{
	struct err err;

	snprintf(tmpdir, sizeof(tmpdir), "%s/t.XXXXXX", topdir);
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(qdir, sizeof(qdir), "%s/queue", tmpdir);
	err_clear(&err);
	ck_assert_msg(queue_open(&q, qdir, &err) == 0, "%s", err.text);
}

static void
teardown(void)
{
	queue_close(&q);
	rmtree(tmpdir);
	ck_assert_int_eq(access(tmpdir, F_OK), -1);
}

/* exists - whether the file rel (relative to the queue) exists. */
/* EXISTS - whether the file (a format with one argument, relative to the
 * queue) exists; a macro so that the format stays a literal. */
#define EXISTS(fmt, id)                                                    \
	({                                                                 \
		char rel_[1024];                                           \
		struct stat st_;                                           \
		snprintf(rel_, sizeof(rel_), fmt, id);                     \
		fstatat(q.dirfd, rel_, &st_, AT_SYMLINK_NOFOLLOW) == 0;    \
	})

/* count - the number of files in the queue's subdirectory sub. */
static int
count(const char *sub)
{
	int fd = openat(q.dirfd, sub, O_RDONLY | O_DIRECTORY);
	DIR *d;
	struct dirent *de;
	int n = 0;

	ck_assert_int_ge(fd, 0);
	d = fdopendir(fd);
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0
		    && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* put - write the file rel with content, aged by age seconds. */
static void
put(const char *rel, const char *content, time_t age)
{
	int fd = openat(q.dirfd, rel, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	struct timespec ts[2];

	ck_assert_msg(fd >= 0, "%s: %s", rel, strerror(errno));
	ck_assert_int_eq(write(fd, content, strlen(content)),
			 (ssize_t)strlen(content));
	close(fd);
	if (age != 0) {
		ts[0].tv_sec = ts[1].tv_sec = time(NULL) - age;
		ts[0].tv_nsec = ts[1].tv_nsec = 0;
		ck_assert_int_eq(utimensat(q.dirfd, rel, ts, 0), 0);
	}
}

/* spool - create msg/ID.eml with content as the client does; the fd. */
static int
spool(const char *id, const char *content)
{
	char rel[128];
	int fd;

	snprintf(rel, sizeof(rel), "msg/%s.eml", id);
	fd = openat(q.dirfd, rel, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
	ck_assert_msg(fd >= 0, "%s: %s", rel, strerror(errno));
	ck_assert_int_eq(write(fd, content, strlen(content)),
			 (ssize_t)strlen(content));
	return fd;
}

/* commit - spool content and commit qe (id qe->id); must succeed. */
static void
commit(const struct queue_entry *qe, const char *content)
{
	struct err err;
	int fd = spool(qe->id, content), rc;

	err_clear(&err);
	rc = queue_commit(&q, fd, qe, NULL, &err);
	close(fd);
	ck_assert_msg(rc == 0, "commit %s: %s", qe->id, err.text);
}

/* commit_full - commit the full entry with id. */
static void
commit_full(const char *id)
{
	struct queue_entry qe;

	full_entry(&qe, id);
	commit(&qe, EML);
	queue_entry_clear(&qe);
}

/* file_mode - the permission bits of rel in the test directory. */
/* FILE_MODE - the permission bits of a file (a format with one
 * argument). */
#define FILE_MODE(fmt, arg)                                                \
	({                                                                 \
		char path_[1024];                                          \
		struct stat st_;                                           \
		snprintf(path_, sizeof(path_), fmt, arg);                  \
		stat(path_, &st_) == 0 ? (unsigned)(st_.st_mode & 07777)   \
				       : 0xffffu;                          \
	})

START_TEST(test_open)
{
	static const char *const subs[] = { "", "/tmp", "/msg", "/failed" };
	struct queue q2;
	struct err err;
	char dir[256], path[300];
	mode_t old = umask(022);
	size_t i;
	int rc;

	/* the fixture's queue */
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", qdir, subs[i]);
		ck_assert_msg(FILE_MODE("%s", path) == 0700, "%s: mode %o",
			      path, FILE_MODE("%s", path));
	}

	/* missing parents are made, 0700 whatever the umask allows */
	snprintf(dir, sizeof(dir), "%s/a/b/queue", tmpdir);
	err_clear(&err);
	rc = queue_open(&q2, dir, &err);
	umask(old);
	ck_assert_msg(rc == 0, "%s", err.text);
	ck_assert_int_ge(q2.dirfd, 0);
	ck_assert_int_ge(q2.msgfd, 0);
	ck_assert_str_eq(q2.dir, dir);
	queue_close(&q2);
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", dir, subs[i]);
		ck_assert_msg(FILE_MODE("%s", path) == 0700, "%s: mode %o",
			      path, FILE_MODE("%s", path));
	}

	/* opening an existing queue again is fine */
	ck_assert_int_eq(queue_open(&q2, dir, &err), 0);
	queue_close(&q2);
	ck_assert_ptr_null(q2.dir);
	ck_assert_int_eq(q2.dirfd, -1);
}
END_TEST

START_TEST(test_open_fails)
{
	struct queue q2;
	struct err err;
	char dir[256];

	put("file", "x", 0);
	snprintf(dir, sizeof(dir), "%s/file/queue", qdir);
	err_clear(&err);
	ck_assert_int_eq(queue_open(&q2, dir, &err), -1);
	ck_assert_int_eq(err.cls, ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.text, dir));
	ck_assert_ptr_null(q2.dir);
	ck_assert_int_eq(q2.dirfd, -1);
	ck_assert_int_eq(q2.msgfd, -1);
}
END_TEST

START_TEST(test_commit_load)
{
	struct queue_entry qe, back;
	struct buf b;
	struct err err;

	full_entry(&qe, ID);
	commit(&qe, EML);
	ck_assert(EXISTS("msg/%s.eml", ID));
	ck_assert(EXISTS("msg/%s.env", ID));
	ck_assert(!EXISTS("tmp/%s.eml", ID));
	ck_assert_int_eq(count("tmp"), 0);
	ck_assert_int_eq(count("msg"), 2);
	ck_assert_int_eq(count("failed"), 0);
	ck_assert_uint_eq(FILE_MODE("%s/msg/" ID ".env", qdir), 0600);

	/* the message as written, the envelope as formatted */
	buf_init(&b, 1 << 20);
	err_clear(&err);
	ck_assert_int_eq(queue_read_file(&q, ID, ".eml", false, &b, &err), 0);
	ck_assert_str_eq(buf_str(&b), EML);
	buf_reset(&b);
	ck_assert_int_eq(queue_read_file(&q, ID, ".env", false, &b, &err), 0);
	ck_assert_str_eq(buf_str(&b), full_text);
	buf_clear(&b);

	queue_entry_init(&back);
	ck_assert_msg(queue_load(&q, ID, false, &back, &err) == 0, "%s",
		      err.text);
	ck_assert_str_eq(back.id, ID);
	assert_entry_eq(&back, &qe);
	queue_entry_clear(&back);
	queue_entry_clear(&qe);
}
END_TEST

/* The commit puts the transcript in place as ID.log with the entry, and
 * nothing stays in tmp/. */
START_TEST(test_commit_log)
{
	struct queue_entry qe;
	struct buf log, b;
	struct err err;
	int fd, rc;

	small_entry(&qe, ID);
	fd = spool(ID, EML);
	buf_init(&log, 1024);
	ck_assert_int_eq(buf_append_str(&log, "<- 421 busy\n"), 0);
	err_clear(&err);
	rc = queue_commit(&q, fd, &qe, &log, &err);
	close(fd);
	queue_entry_clear(&qe);
	buf_clear(&log);
	ck_assert_msg(rc == 0, "%s", err.text);
	ck_assert_int_eq(count("tmp"), 0);
	ck_assert_int_eq(count("msg"), 3);
	buf_init(&b, 1024);
	ck_assert_int_eq(queue_read_file(&q, ID, ".log", false, &b, &err), 0);
	ck_assert_str_eq(buf_str(&b), "<- 421 busy\n");
	buf_clear(&b);
}
END_TEST

START_TEST(test_write_env)
{
	struct queue_entry qe, back;
	struct err err;

	full_entry(&qe, ID);
	commit(&qe, EML);
	qe.attempts = 4;
	qe.last_attempt = 1767230400;
	qe.next_attempt = 1767232800;
	qe.hold = false;
	qe.env.rcpts[0].state = RCPT_DELIVERED;
	qe.env.rcpts[0].attempts = 4;
	qe.env.rcpts[0].st.code = 250;
	snprintf(qe.env.rcpts[0].st.enh, sizeof(qe.env.rcpts[0].st.enh),
		 "2.0.0");
	status_set_text(&qe.env.rcpts[0].st, "Ok");
	err_clear(&err);
	ck_assert_msg(queue_write_env(&q, &qe, &err) == 0, "%s", err.text);
	ck_assert_int_eq(count("tmp"), 0);
	ck_assert_int_eq(count("msg"), 2);

	queue_entry_init(&back);
	ck_assert_msg(queue_load(&q, ID, false, &back, &err) == 0, "%s",
		      err.text);
	ck_assert_uint_eq(back.attempts, 4);
	ck_assert_str_eq(status_text(&back.env.rcpts[0].st), "Ok");
	assert_entry_eq(&back, &qe);
	queue_entry_clear(&back);
	queue_entry_clear(&qe);
}
END_TEST

START_TEST(test_lock)
{
	struct err err;
	int fd1, fd2, fd3;

	commit_full(ID);
	err_clear(&err);
	fd1 = queue_lock(&q, ID, &err);
	ck_assert_msg(fd1 >= 0, "%s", err.text);
	/* a second open file description: flock conflicts even in-process */
	fd2 = queue_lock(&q, ID, &err);
	if (fd2 >= 0)
		close(fd2);
	ck_assert_int_eq(fd2, -2);
	close(fd1);
	fd3 = queue_lock(&q, ID, &err);
	ck_assert_msg(fd3 >= 0, "%s", err.text);
	close(fd3);

	/* an entry that is not there */
	err_clear(&err);
	ck_assert_int_eq(queue_lock(&q, "1.1.aa", &err), -1);
	ck_assert_int_eq(err.cls, ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.text, "1.1.aa"));
}
END_TEST

/* Oldest first, by the epoch in the id (not by its spelling). */
START_TEST(test_list_order)
{
	static const char *const made[] = {
		"100.1.aa", "20.1.bb", "3000.1.cc", "100.1.a0",
	};
	static const char *const want[] = {
		"20.1.bb", "100.1.a0", "100.1.aa", "3000.1.cc",
	};
	struct err err;
	char **ids;
	size_t i;
	int n;

	for (i = 0; i < sizeof(made) / sizeof(made[0]); i++)
		commit_full(made[i]);
	put("msg/5.1.dd.eml", "young orphan", 0);    /* no .env: no entry */
	err_clear(&err);
	n = queue_list(&q, false, &ids, &err);
	ck_assert_msg(n == 4, "%d ids: %s", n, err.text);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_msg(strcmp(ids[i], want[i]) == 0,
			      "position %zu: %s, expected %s", i, ids[i],
			      want[i]);
	queue_ids_free(ids, n);
	ck_assert(EXISTS("msg/%s.eml", "5.1.dd"));

	n = queue_list(&q, true, &ids, &err);
	ck_assert_int_eq(n, 0);
	queue_ids_free(ids, n);
}
END_TEST

/* Crash leftovers: msg/ID.eml without ID.env after an hour, tmp/ files
 * after a day; nothing younger, nothing with its ID.env, nothing in
 * failed/. */
START_TEST(test_list_reap)
{
	struct err err;
	char **ids;
	int n;

	commit_full("3.1.cc");
	put("msg/3.1.cc.eml", EML, 2 * 86400);          /* old, but an entry */
	put("msg/1.1.aa.eml", "old orphan", 3600 + 120);
	put("msg/2.1.bb.eml", "young orphan", 3600 - 120);
	put("tmp/4.1.dd.eml", "old spool", 86400 + 120);
	put("tmp/5.1.ee.eml", "young spool", 86400 - 120);
	put("failed/6.1.ff.eml", "old failed", 30 * 86400);

	err_clear(&err);
	n = queue_list(&q, false, &ids, &err);
	ck_assert_msg(n == 1, "%d ids: %s", n, err.text);
	ck_assert_str_eq(ids[0], "3.1.cc");
	queue_ids_free(ids, n);

	ck_assert(!EXISTS("msg/%s.eml", "1.1.aa"));
	ck_assert(EXISTS("msg/%s.eml", "2.1.bb"));
	ck_assert(EXISTS("msg/%s.eml", "3.1.cc"));
	ck_assert(EXISTS("msg/%s.env", "3.1.cc"));
	ck_assert(!EXISTS("tmp/%s.eml", "4.1.dd"));
	ck_assert(EXISTS("tmp/%s.eml", "5.1.ee"));
	ck_assert(EXISTS("failed/%s.eml", "6.1.ff"));

	n = queue_list(&q, true, &ids, &err);
	ck_assert_int_eq(n, 0);
	queue_ids_free(ids, n);
	ck_assert(EXISTS("failed/%s.eml", "6.1.ff"));
}
END_TEST

START_TEST(test_remove)
{
	static const char log[] = "<- 451 4.7.1 try later\n";
	struct queue_entry qe;
	struct err err;
	char **ids;
	int n;

	commit_full(ID);
	commit_full("1.1.aa");
	err_clear(&err);
	ck_assert_int_eq(queue_write_log(&q, ID, log, strlen(log), &err), 0);
	ck_assert(EXISTS("msg/%s.log", ID));

	ck_assert_msg(queue_remove(&q, ID, false, &err) == 0, "%s", err.text);
	ck_assert(!EXISTS("msg/%s.env", ID));
	ck_assert(!EXISTS("msg/%s.eml", ID));
	ck_assert(!EXISTS("msg/%s.log", ID));
	ck_assert_int_eq(count("msg"), 2);              /* the other entry */
	ck_assert_int_eq(count("tmp"), 0);
	ck_assert_int_eq(count("failed"), 0);

	n = queue_list(&q, false, &ids, &err);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(ids[0], "1.1.aa");
	queue_ids_free(ids, n);

	queue_entry_init(&qe);
	ck_assert_int_eq(queue_load(&q, ID, false, &qe, &err), -1);
	queue_entry_clear(&qe);
	ck_assert_int_eq(err.cls, ERR_IO);
}
END_TEST

START_TEST(test_move_failed)
{
	static const char log[] = "<- 550 5.1.1 no\n";
	struct queue_entry qe, back;
	struct buf b;
	struct err err;
	char **ids;
	int n;

	full_entry(&qe, ID);
	commit(&qe, EML);
	err_clear(&err);
	ck_assert_int_eq(queue_write_log(&q, ID, log, strlen(log), &err), 0);

	ck_assert_msg(queue_move_failed(&q, ID, &err) == 0, "%s", err.text);
	ck_assert_int_eq(count("msg"), 0);
	ck_assert_int_eq(count("failed"), 3);
	ck_assert(EXISTS("failed/%s.env", ID));
	ck_assert(EXISTS("failed/%s.eml", ID));
	ck_assert(EXISTS("failed/%s.log", ID));

	n = queue_list(&q, false, &ids, &err);
	ck_assert_int_eq(n, 0);
	queue_ids_free(ids, n);
	n = queue_list(&q, true, &ids, &err);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(ids[0], ID);
	queue_ids_free(ids, n);

	queue_entry_init(&back);
	ck_assert_msg(queue_load(&q, ID, true, &back, &err) == 0, "%s",
		      err.text);
	assert_entry_eq(&back, &qe);
	queue_entry_clear(&back);
	buf_init(&b, 4096);
	ck_assert_int_eq(queue_read_file(&q, ID, ".log", true, &b, &err), 0);
	ck_assert_str_eq(buf_str(&b), log);
	buf_clear(&b);
	queue_entry_clear(&qe);
}
END_TEST

/* Without ID.log (no attempt failed yet) the move works too. */
START_TEST(test_move_failed_no_log)
{
	struct err err;

	commit_full(ID);
	err_clear(&err);
	ck_assert_msg(queue_move_failed(&q, ID, &err) == 0, "%s", err.text);
	ck_assert_int_eq(count("msg"), 0);
	ck_assert_int_eq(count("failed"), 2);
}
END_TEST

START_TEST(test_load_missing)
{
	struct queue_entry qe;
	struct err err;
	int rc;

	queue_entry_init(&qe);
	err_clear(&err);
	rc = queue_load(&q, "1.1.aa", false, &qe, &err);
	queue_entry_clear(&qe);
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(err.cls, ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.text, "1.1.aa"));

	commit_full(ID);                /* in msg/, not in failed/ */
	queue_entry_init(&qe);
	rc = queue_load(&q, ID, true, &qe, &err);
	queue_entry_clear(&qe);
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(err.cls, ERR_IO);
}
END_TEST

/* An entry written by a newer version: ERR_DATA naming the entry. */
START_TEST(test_load_newer)
{
	struct queue_entry qe;
	struct err err;
	int rc;

	put("msg/" ID ".eml", EML, 0);
	put("msg/" ID ".env", "Version: 2\nSender: a@b\n" OK_RCPT, 0);
	queue_entry_init(&qe);
	err_clear(&err);
	rc = queue_load(&q, ID, false, &qe, &err);
	queue_entry_clear(&qe);
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(err.cls, ERR_DATA);
	ck_assert_ptr_nonnull(strstr(err.text, "newer"));
	ck_assert_ptr_nonnull(strstr(err.text, ID));
}
END_TEST

/* msg/ not writable: the commit fails and no entry exists; the spool file
 * is still msg/ID.eml for the caller.  Root ignores the mode: skipped. */
START_TEST(test_commit_unwritable)
{
	struct queue_entry qe;
	struct err err;
	char **ids;
	int fd, rc, n;
	bool eml, env, spooled;

	if (geteuid() == 0) {
		fprintf(stderr, "test_commit_unwritable: skipped as root\n");
		return;
	}
	small_entry(&qe, ID);
	fd = spool(ID, EML);
	ck_assert_int_eq(fchmodat(q.dirfd, "msg", 0500, 0), 0);
	err_clear(&err);
	rc = queue_commit(&q, fd, &qe, NULL, &err);
	close(fd);
	queue_entry_clear(&qe);
	eml = EXISTS("msg/%s.eml", ID);
	env = EXISTS("msg/%s.env", ID);
	spooled = count("tmp") == 0;
	ck_assert_int_eq(fchmodat(q.dirfd, "msg", 0700, 0), 0);

	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(err.cls, ERR_IO);
	ck_assert(err.text[0] != '\0');
	ck_assert(eml);
	ck_assert(!env);
	ck_assert(spooled);             /* nothing left in tmp/ */
	n = queue_list(&q, false, &ids, &err);
	ck_assert_int_eq(n, 0);
	queue_ids_free(ids, n);
}
END_TEST

/* ID.env cannot be written (a directory is in its place, which stops root
 * too): no entry exists, the spool file stays for the caller. */
START_TEST(test_commit_env_fails)
{
	struct queue_entry qe;
	struct err err;
	int fd, rc;

	ck_assert_int_eq(mkdirat(q.dirfd, "msg/" ID ".env", 0700), 0);
	small_entry(&qe, ID);
	fd = spool(ID, EML);
	err_clear(&err);
	rc = queue_commit(&q, fd, &qe, NULL, &err);
	close(fd);
	queue_entry_clear(&qe);
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(err.cls, ERR_IO);
	ck_assert(EXISTS("msg/%s.eml", ID));            /* the spool */
	ck_assert_int_eq(count("tmp"), 0);              /* no ID.env.PID */
	ck_assert_int_eq(count("msg"), 2);              /* and the directory */
}
END_TEST


/* A queue that is a symbolic link, or whose parts are, or that others may
 * write, or that belongs to someone else, is refused. */
START_TEST(test_open_untrusted)
{
	struct queue q2;
	struct err err;
	char dir[256], link[300], sub[300];

	snprintf(dir, sizeof(dir), "%s/real", tmpdir);
	ck_assert_int_eq(queue_open(&q2, dir, &err), 0);
	queue_close(&q2);

	snprintf(link, sizeof(link), "%s/link", tmpdir);
	ck_assert_int_eq(symlink(dir, link), 0);
	ck_assert_int_eq(queue_open(&q2, link, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "symbolic link"));

	snprintf(sub, sizeof(sub), "%s/msg", dir);
	snprintf(link, sizeof(link), "%s/elsewhere", tmpdir);
	ck_assert_int_eq(rename(sub, link), 0);
	ck_assert_int_eq(symlink(link, sub), 0);
	ck_assert_int_eq(queue_open(&q2, dir, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "/msg is a symbolic link"));
	ck_assert_int_eq(unlink(sub), 0);
	ck_assert_int_eq(rename(link, sub), 0);

	ck_assert_int_eq(chmod(dir, 0770), 0);
	ck_assert_int_eq(queue_open(&q2, dir, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "writable by others"));
	ck_assert_int_eq(chmod(dir, 0700), 0);
	ck_assert_int_eq(chmod(sub, 0703), 0);
	ck_assert_int_eq(queue_open(&q2, dir, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "/msg is writable by others"));
	ck_assert_int_eq(chmod(sub, 0700), 0);

	if (geteuid() == 0) {
		ck_assert_int_eq(chown(sub, 65534, 65534), 0);
		ck_assert_int_eq(queue_open(&q2, dir, &err), -1);
		ck_assert_ptr_nonnull(strstr(err.text,
					     "belongs to another user"));
		ck_assert_int_eq(chown(sub, 0, 0), 0);
	}
	ck_assert_int_eq(queue_open(&q2, dir, &err), 0);
	queue_close(&q2);
}
END_TEST

/* The reaper never removes a file that a process holds locked: a spool
 * file being written, or a message between the two renames of a commit,
 * however old its time stamp. */
START_TEST(test_reap_locked)
{
	struct err err;
	char **ids;
	int fd, n;

	put("msg/1.1.aa.eml", "old orphan, locked", 2 * 3600);
	put("tmp/2.1.bb.eml", "old spool, locked", 2 * 86400);
	fd = openat(q.msgfd, "1.1.aa.eml", O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(flock(fd, LOCK_EX), 0);
	n = openat(q.tmpfd, "2.1.bb.eml", O_RDONLY);
	ck_assert_int_ge(n, 0);
	ck_assert_int_eq(flock(n, LOCK_EX), 0);
	ck_assert_int_eq(queue_list(&q, false, &ids, &err), 0);
	ck_assert(EXISTS("msg/%s.eml", "1.1.aa"));
	ck_assert(EXISTS("tmp/%s.eml", "2.1.bb"));
	close(fd);
	close(n);
	ck_assert_int_eq(queue_list(&q, false, &ids, &err), 0);
	ck_assert(!EXISTS("msg/%s.eml", "1.1.aa"));
	ck_assert(!EXISTS("tmp/%s.eml", "2.1.bb"));
}
END_TEST

/* A spool file is locked from its creation, and the commit gives the
 * message a fresh time stamp: an attempt that took hours is not a
 * leftover. */
START_TEST(test_spool_commit_fresh)
{
	struct queue_entry qe;
	struct timespec ts[2];
	struct stat st;
	struct err err;
	char id[QUEUE_ID_MAX], name[QUEUE_ID_MAX + 8];
	int fd, other;

	fd = queue_spool_create(&q, id, sizeof(id), &err);
	ck_assert_msg(fd >= 0, "%s", err.text);
	ck_assert(queue_valid_id(id));
	ck_assert_int_eq(write(fd, EML, strlen(EML)), (ssize_t)strlen(EML));
	snprintf(name, sizeof(name), "%s.eml", id);
	other = openat(q.msgfd, name, O_RDONLY);
	ck_assert_int_eq(flock(other, LOCK_EX | LOCK_NB), -1);
	close(other);
	ts[0].tv_sec = ts[1].tv_sec = time(NULL) - 5 * 3600;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	ck_assert_int_eq(futimens(fd, ts), 0);
	small_entry(&qe, id);
	ck_assert_msg(queue_commit(&q, fd, &qe, NULL, &err) == 0, "%s",
		      err.text);
	ck_assert_int_eq(fstatat(q.msgfd, name, &st, 0), 0);
	ck_assert_int_ge(st.st_mtime, time(NULL) - 60);
	close(fd);
	queue_entry_clear(&qe);
}
END_TEST

static Suite *
queue_suite(void)
{
	Suite *s = suite_create("queue");
	TCase *tc;

	tc = tcase_create("format");
	tcase_add_test(tc, test_format_full);
	tcase_add_test(tc, test_envelope_reserve);
	tcase_add_test(tc, test_round_trip_full);
	tcase_add_test(tc, test_round_trip_small);
	tcase_add_test(tc, test_null_sender_trimmed);
	tcase_add_test(tc, test_unknown_keys);
	tcase_add_test(tc, test_comments_blank);
	tcase_add_test(tc, test_parse_len);
	tcase_add_loop_test(tc, test_parse_bad, 0,
			    sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_loop_test(tc, test_parse_version_not_first, 0,
			    sizeof(late_version) / sizeof(late_version[0]));
	tcase_add_loop_test(tc, test_parse_text_printable, 0,
			    sizeof(text_cases) / sizeof(text_cases[0]));
	tcase_add_test(tc, test_round_trip_control_byte);
	tcase_add_test(tc, test_format_refuses);
	tcase_add_test(tc, test_parse_nul);
	tcase_add_loop_test(tc, test_parse_strict, 0,
			    sizeof(strict_cases) / sizeof(strict_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("ids");
	tcase_add_loop_test(tc, test_valid_id, 0,
			    sizeof(id_cases) / sizeof(id_cases[0]));
	tcase_add_test(tc, test_new_id);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_unchecked_fixture(tc, top_setup, top_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_open);
	tcase_add_test(tc, test_open_fails);
	tcase_add_test(tc, test_commit_load);
	tcase_add_test(tc, test_commit_log);
	tcase_add_test(tc, test_write_env);
	tcase_add_test(tc, test_lock);
	tcase_add_test(tc, test_list_order);
	tcase_add_test(tc, test_list_reap);
	tcase_add_test(tc, test_remove);
	tcase_add_test(tc, test_move_failed);
	tcase_add_test(tc, test_move_failed_no_log);
	tcase_add_test(tc, test_load_missing);
	tcase_add_test(tc, test_load_newer);
	tcase_add_test(tc, test_commit_unwritable);
	tcase_add_test(tc, test_commit_env_fails);
	tcase_add_test(tc, test_open_untrusted);
	tcase_add_test(tc, test_reap_locked);
	tcase_add_test(tc, test_spool_commit_fresh);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(queue_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
