/*
 * preflight.c - the checks before a transaction's first command (see
 * preflight.h): RFC 6531 3.4 and RFC 5890 (the addresses as sent),
 * RFC 1870 6.1 (the size limit), RFC 3461 (DSN not offered).
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "gettext.h"
#include "idn.h"
#include "preflight.h"
#include "xalloc.h"

/* fail_one - the recipient r fails locally with err; a temporary err (a
 * library that cannot be loaded) defers it and is the run's, for the exit
 * status. */
static void
fail_one(struct envelope *e, struct rcpt *r, const struct err *err)
{
	envelope_set_err(r, err->temp ? RCPT_DEFERRED : RCPT_FAILED,
			 STAGE_LOCAL, err);
	if (err->temp)
		e->session = *err;
}

/* fail_all - every recipient fails locally with err: the message cannot
 * go to this server at all (err permanent), or not now. */
static void
fail_all(struct smtp_session *s, struct envelope *e, const size_t *idx,
	 size_t n, const struct err *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		fail_one(e, &e->rcpts[idx[i]], err);
	if (!err->temp)
		e->message_rejected = true;
	transcript_note(s->tr, "%s", err->text);
}

/*
 * addresses - the addresses as sent (RFC 6531): with SMTPUTF8 as they
 * are, else with A-labels (RFC 5890); a UTF-8 local part cannot go
 * without SMTPUTF8, so that recipient fails here (and one whose domain
 * needs libidn2, when it cannot be loaded, waits).  Returns false when
 * nothing can be sent.
 */
static bool
addresses(struct preflight *p, struct smtp_session *s, struct envelope *e,
	  size_t *idx, size_t *n)
{
	bool utf8 = (s->caps.flags & CAP_SMTPUTF8) != 0;
	struct err ierr;
	size_t k;

	if (idn_for_server(e->sender, utf8, &p->sender, &ierr) < 0) {
		fail_all(s, e, idx, *n, &ierr);
		return false;
	}
	p->smtputf8 = utf8 && idn_needs_smtputf8(e->sender);
	p->wire = xcalloc(*n, sizeof(*p->wire));
	for (k = 0; k < *n; k++) {
		struct rcpt *rc = &e->rcpts[idx[k]];
		char *w;

		if (idn_for_server(rc->addr, utf8, &w, &ierr) < 0) {
			fail_one(e, rc, &ierr);
			continue;
		}
		if (utf8 && idn_needs_smtputf8(rc->addr))
			p->smtputf8 = true;
		idx[p->n] = idx[k];
		p->wire[p->n++] = w;
	}
	*n = p->n;
	return p->n > 0;
}

bool
preflight_run(struct preflight *p, struct smtp_session *s,
	      struct envelope *e, const struct message *m, size_t *idx,
	      size_t *n)
{
	const struct caps *c = &s->caps;
	struct err lerr;

	memset(p, 0, sizeof(*p));
	if (!addresses(p, s, e, idx, n))
		return false;
	if ((c->flags & CAP_SIZE) && c->size_max > 0
	    && (unsigned long long)m->size > c->size_max) {
		err_set(&lerr, ERR_REJECT, false,
			_("message size %lld bytes exceeds the server's limit "
			  "of %llu bytes"), (long long)m->size,
			c->size_max);
		lerr.code = 0;
		fail_all(s, e, idx, *n, &lerr);
		return false;
	}
	if ((e->dsn_notify || e->dsn_ret || e->dsn_envid)
	    && !(c->flags & CAP_DSN) && !e->dsn_dropped) {
		e->dsn_dropped = true;
		transcript_note(s->tr, "the server does not offer DSN: no "
				"NOTIFY, RET or ENVID");
	}
	return true;
}

void
preflight_clear(struct preflight *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->wire[i]);
	free(p->wire);
	free(p->sender);
	memset(p, 0, sizeof(*p));
}
