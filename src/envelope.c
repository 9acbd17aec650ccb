/*
 * envelope.c - recipients and their states (see envelope.h).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ascii.h"
#include "envelope.h"
#include "strset.h"
#include "xalloc.h"

void
envelope_init(struct envelope *e, const char *sender)
{
	memset(e, 0, sizeof(*e));
	e->sender = xstrdup(sender ? sender : "");
}

void
status_set_text(struct status *st, const char *text)
{
	if (st->text != NULL && strcmp(st->text, text) == 0)
		return;
	free(st->text);
	st->text = text[0] != '\0' ? xstrdup(text) : NULL;
}

void
status_copy(struct status *dst, const struct status *src)
{
	dst->code = src->code;
	memcpy(dst->enh, src->enh, sizeof(dst->enh));
	status_set_text(dst, status_text(src));
}

/* rcpt_free - what recipient r holds */
static void
rcpt_free(struct rcpt *r)
{
	free(r->addr);
	free(r->st.text);
}

void
envelope_drop_rcpts(struct envelope *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		rcpt_free(&e->rcpts[i]);
	e->n = 0;
}

void
envelope_clear(struct envelope *e)
{
	envelope_drop_rcpts(e);
	free(e->rcpts);
	free(e->final.text);
	free(e->sender);
	free(e->dsn_notify);
	free(e->dsn_ret);
	free(e->dsn_envid);
	memset(e, 0, sizeof(*e));
}

void
envelope_set_sender(struct envelope *e, const char *sender)
{
	free(e->sender);
	e->sender = xstrdup(sender);
}

/* dup - a copy of s, or NULL. */
static char *
dup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
envelope_copy_request(struct envelope *dst, const struct envelope *src)
{
	envelope_set_sender(dst, src->sender);
	free(dst->dsn_notify);
	free(dst->dsn_ret);
	free(dst->dsn_envid);
	dst->dsn_notify = dup(src->dsn_notify);
	dst->dsn_ret = dup(src->dsn_ret);
	dst->dsn_envid = dup(src->dsn_envid);
}

void
envelope_reserve(struct envelope *e, size_t n)
{
	if (n <= e->cap - e->n)
		return;
	e->cap = e->n + n;
	e->rcpts = xrealloc(e->rcpts, e->cap * sizeof(*e->rcpts));
}

void
envelope_add(struct envelope *e, const char *addr)
{
	struct rcpt *r;

	if (e->n == e->cap) {
		/* doubling: a long list is not copied once per recipient */
		e->cap = e->cap ? 2 * e->cap : 8;
		e->rcpts = xrealloc(e->rcpts, e->cap * sizeof(*e->rcpts));
	}
	r = &e->rcpts[e->n++];
	memset(r, 0, sizeof(*r));
	r->addr = xstrdup(addr);
	r->state = RCPT_PENDING;
}

void
envelope_dedup(struct envelope *e)
{
	struct strset seen;
	size_t i, kept = 0;

	strset_init(&seen);
	for (i = 0; i < e->n; i++) {
		if (!strset_add(&seen, e->rcpts[i].addr)) {
			rcpt_free(&e->rcpts[i]);
			continue;
		}
		e->rcpts[kept++] = e->rcpts[i];
	}
	e->n = kept;
	strset_clear(&seen);
}

void
envelope_set_reply(struct rcpt *r, enum rcpt_state st, enum smtp_stage stage,
		   const struct reply *reply)
{
	char text[ERR_TEXT_MAX];

	r->state = st;
	r->stage = stage;
	r->st.code = reply->code;
	memcpy(r->st.enh, reply->enh, sizeof(r->st.enh));
	reply_oneline(reply, text, sizeof(text));
	status_set_text(&r->st, text);
}

void
envelope_set_err(struct rcpt *r, enum rcpt_state st, enum smtp_stage stage,
		 const struct err *err)
{
	r->state = st;
	r->stage = stage;
	r->st.code = err->code;
	memcpy(r->st.enh, err->enh, sizeof(r->st.enh));
	status_set_text(&r->st, err->text);
}

void
envelope_fail_open(struct envelope *e, enum smtp_stage stage,
		   const struct err *err)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		struct rcpt *r = &e->rcpts[i];
		if (r->state == RCPT_PENDING || r->state == RCPT_RETRY
		    || r->state == RCPT_ACCEPTED)
			envelope_set_err(r, err->temp ? RCPT_DEFERRED
						      : RCPT_FAILED,
					 stage, err);
	}
}

size_t
envelope_count(const struct envelope *e, enum rcpt_state st)
{
	size_t i, n = 0;

	for (i = 0; i < e->n; i++)
		if (e->rcpts[i].state == st)
			n++;
	return n;
}

const char *
rcpt_state_name(enum rcpt_state st)
{
	switch (st) {
	case RCPT_PENDING: return "pending";
	case RCPT_RETRY: return "retry";
	case RCPT_ACCEPTED: return "accepted";
	case RCPT_DELIVERED: return "delivered";
	case RCPT_DEFERRED: return "deferred";
	case RCPT_FAILED: return "failed";
	}
	return "unknown";
}

const char *
smtp_stage_name(enum smtp_stage stage)
{
	static const char *const names[] = {
		[STAGE_NONE] = "none",         [STAGE_CONNECT] = "connect",
		[STAGE_GREETING] = "greeting", [STAGE_EHLO] = "ehlo",
		[STAGE_TLS] = "tls",           [STAGE_AUTH] = "auth",
		[STAGE_MAIL] = "mail",         [STAGE_RCPT] = "rcpt",
		[STAGE_DATA] = "data",         [STAGE_BODY] = "message",
		[STAGE_LOCAL] = "local",
	};
	if ((unsigned)stage < sizeof(names) / sizeof(names[0]))
		return names[stage];
	return "unknown";
}

static bool
id_char(char c)
{
	return ascii_is_alnum(c) || c == '-' || c == '.' || c == '_'
	       || c == '@';
}

bool
reply_queue_id(const char *text, char *dst, size_t n)
{
	static const char *const markers[] = {
		"queued as ", "id=", "queued as:", "queue id ", NULL
	};
	size_t i, len;
	const char *p;

	for (i = 0; markers[i]; i++) {
		size_t mlen = strlen(markers[i]);
		for (p = text; *p; p++)
			if (strncasecmp(p, markers[i], mlen) == 0)
				break;
		if (*p == '\0')
			continue;
		p += mlen;
		while (*p == ' ')
			p++;
		for (len = 0; id_char(p[len]); len++)
			;
		while (len > 0 && p[len - 1] == '.')
			len--;
		if (len == 0 || len >= n)
			continue;
		memcpy(dst, p, len);
		dst[len] = '\0';
		return true;
	}
	return false;
}
