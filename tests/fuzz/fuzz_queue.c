/*
 * fuzz_queue.c - libFuzzer target for the ID.env format of src/queue.c
 * (doc/queue-format.md, section 3.2).
 *
 * The input goes to queue_parse.  When it parses, queue_format must write
 * text without NUL in which every line is "Key: value" (a key of letters
 * and '-', ": ", the value, LF), and queue_parse of that text must give an
 * entry equal to the first in every field and every recipient; formatting
 * the second entry must give the same text again.  When it does not
 * parse, the error is ERR_DATA with printable text.
 */
#include <config.h>

#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "queue.h"

#define ENV_TEXT_MAX (64 * 1024 * 1024)

/* str_eq - equal strings, or both NULL. */
static bool
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static void
check_rcpt(const struct rcpt *a, const struct rcpt *b)
{
	FUZZ_CHECK(strcmp(a->addr, b->addr) == 0, "recipient address");
	FUZZ_CHECK(a->state == b->state, "recipient state");
	FUZZ_CHECK(a->attempts == b->attempts, "recipient attempts");
	FUZZ_CHECK(a->st.code == b->st.code, "recipient code");
	FUZZ_CHECK(strcmp(a->st.enh, b->st.enh) == 0, "recipient enh");
	FUZZ_CHECK(strcmp(status_text(&a->st), status_text(&b->st)) == 0,
		   "recipient text");
	FUZZ_CHECK(a->state == RCPT_DEFERRED || a->state == RCPT_DELIVERED
		   || a->state == RCPT_FAILED, "a stored state");
	FUZZ_CHECK(fuzz_printable(status_text(&a->st),
				  strlen(status_text(&a->st)), false),
		   "recipient text is printable");
}

static void
check_equal(const struct queue_entry *a, const struct queue_entry *b)
{
	size_t i;

	FUZZ_CHECK(a->version == b->version, "Version");
	FUZZ_CHECK(str_eq(a->account, b->account), "Account");
	FUZZ_CHECK(str_eq(a->config, b->config), "Config");
	FUZZ_CHECK(a->nsettings == b->nsettings, "number of Settings");
	for (i = 0; i < a->nsettings; i++)
		FUZZ_CHECK(strcmp(a->settings[i], b->settings[i]) == 0,
			   "Setting");
	FUZZ_CHECK(a->created == b->created, "Created");
	FUZZ_CHECK(a->last_attempt == b->last_attempt, "Last-Attempt");
	FUZZ_CHECK(a->next_attempt == b->next_attempt, "Next-Attempt");
	FUZZ_CHECK(a->attempts == b->attempts, "Attempts");
	FUZZ_CHECK(a->size == b->size, "Size");
	FUZZ_CHECK(a->has8bit == b->has8bit, "Body");
	FUZZ_CHECK(a->hold == b->hold, "Hold");
	FUZZ_CHECK(str_eq(a->env.sender, b->env.sender), "Sender");
	FUZZ_CHECK(str_eq(a->env.dsn_notify, b->env.dsn_notify), "Dsn-Notify");
	FUZZ_CHECK(str_eq(a->env.dsn_ret, b->env.dsn_ret), "Dsn-Ret");
	FUZZ_CHECK(str_eq(a->env.dsn_envid, b->env.dsn_envid), "Dsn-Envid");
	FUZZ_CHECK(a->env.n == b->env.n && a->env.n > 0,
		   "number of Recipients");
	for (i = 0; i < a->env.n; i++)
		check_rcpt(&a->env.rcpts[i], &b->env.rcpts[i]);
}

/* check_lines - every line of text is "Key: value" and ends with LF. */
static void
check_lines(const struct buf *text)
{
	const char *p = text->p, *end = text->p + text->len;

	FUZZ_CHECK(memchr(text->p, '\0', text->len) == NULL, "no NUL");
	FUZZ_CHECK(strncmp(p, "Version: ", 9) == 0, "Version first");
	while (p < end) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		size_t key = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "abcdefghijklmnopqrstuvwxyz-");

		FUZZ_CHECK(lf != NULL, "every line ends with LF");
		FUZZ_CHECK(key > 0 && p + key + 2 <= lf && p[key] == ':'
			   && p[key + 1] == ' ', "Key: value");
		p = lf + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct queue_entry q1, q2;
	struct buf t1, t2;
	struct err err;

	queue_entry_init(&q1);
	queue_entry_init(&q2);
	buf_init(&t1, ENV_TEXT_MAX);
	buf_init(&t2, ENV_TEXT_MAX);
	err_clear(&err);
	if (queue_parse(&q1, (const char *)data, size, &err) < 0) {
		FUZZ_CHECK(err.cls == ERR_DATA, "parse errors are ERR_DATA");
		FUZZ_CHECK(fuzz_printable(err.text, strlen(err.text), false),
			   "error text is printable");
		goto out;
	}
	FUZZ_CHECK(queue_format(&q1, &t1, &err) == 0,
		   "what queue_parse reads, queue_format writes");
	check_lines(&t1);
	FUZZ_CHECK(queue_parse(&q2, t1.p, t1.len, &err) == 0,
		   "what queue_format writes, queue_parse reads");
	check_equal(&q1, &q2);
	FUZZ_CHECK(queue_format(&q2, &t2, &err) == 0, "written again");
	FUZZ_CHECK(t1.len == t2.len && memcmp(t1.p, t2.p, t1.len) == 0,
		   "written the same twice");
out:
	queue_entry_clear(&q1);
	queue_entry_clear(&q2);
	buf_clear(&t1);
	buf_clear(&t2);
	return 0;
}
