/*
 * mscn.c - parse and expand smtpmock scenario files (see mscn.h and
 * doc/scenario-format.md).  The server directives model the reply syntax
 * of RFC 5321 section 4.2 only loosely: reply text is sent as written so
 * that malformed replies can be tested too.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mscn.h"

/* How a section's lines are treated. */
enum sect_kind {
	SK_DATA,	/* every line is data; %repeat allowed */
	SK_LIST		/* '#' lines and blank lines are skipped */
};

/* The parser's state while reading one file. */
struct parser {
	struct mscn *s;
	const char *path;
	int lineno;
	struct mscn_sect *cur;		/* NULL outside a section */
	enum sect_kind kind;
	const char *name;		/* current section name, for messages */
	int in_server;
	int seen_desc, seen_exit, seen_conn, seen_timeout, seen_server;
	int seen_argv0;
	int one_line;			/* lines already in a one-line section */
};

/* Placeholder values used to check escapes at load time. */
static const struct mtext_subst dummy_subst = {
	"1", "127.0.0.1", "/", "/", "/", "/", "/", 1
};

static int
perr(const struct parser *p, struct merr *e, const char *what)
{
	return merr_set(e, "%s:%d: %s", p->path, p->lineno, what);
}

static char *
xstrdup(const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		merr_oom();
	return d;
}

static void
sect_clear(struct mscn_sect *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->lines[i].text);
	free(d->lines);
	memset(d, 0, sizeof(*d));
}

static void
sect_add(struct mscn_sect *d, int lineno, long repeat, const char *text)
{
	if (d->n == d->cap) {
		size_t nc = d->cap ? d->cap * 2 : 16;
		struct mscn_line *nl = realloc(d->lines, nc * sizeof(*nl));

		if (nl == NULL)
			merr_oom();
		d->lines = nl;
		d->cap = nc;
	}
	d->lines[d->n].lineno = lineno;
	d->lines[d->n].repeat = repeat;
	d->lines[d->n].text = xstrdup(text);
	d->n++;
}

void
mscn_init(struct mscn *s)
{
	memset(s, 0, sizeof(*s));
	s->timeout_s = MSCN_TIMEOUT_DEFAULT;
	s->server.greeting.pending_delay = -1;
	mbuf_init(&s->server.inject, MSCN_INJECT_MAX);
	mbuf_init(&s->server.tls_garbage, MSCN_INJECT_MAX);
}

static void
strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* strv_add - append a copy of text to *v. */
static void
strv_add(char ***v, size_t *n, const char *text, size_t len)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(*nv));

	if (nv == NULL)
		merr_oom();
	*v = nv;
	nv[*n] = malloc(len + 1);
	if (nv[*n] == NULL)
		merr_oom();
	memcpy(nv[*n], text, len);
	nv[*n][len] = '\0';
	(*n)++;
}

static void
verb_clear(struct mscn_verb *v)
{
	size_t i;

	for (i = 0; i < v->nacts; i++) {
		mbuf_clear(&v->acts[i].text);
		strv_free(v->acts[i].caps, v->acts[i].ncaps);
	}
	free(v->acts);
	v->acts = NULL;
	v->nacts = 0;
	free(v->pipes);
	v->pipes = NULL;
	v->npipes = 0;
}

void
mscn_clear(struct mscn *s)
{
	size_t i;

	free(s->path);
	free(s->srcdir);
	free(s->desc);
	sect_clear(&s->args);
	sect_clear(&s->in);
	sect_clear(&s->proto);
	sect_clear(&s->out);
	sect_clear(&s->err);
	sect_clear(&s->out_has);
	sect_clear(&s->err_has);
	sect_clear(&s->env);
	sect_clear(&s->skip);
	sect_clear(&s->printable);
	sect_clear(&s->no_default_args);
	free(s->argv0);
	for (i = 0; i < s->nfiles; i++) {
		free(s->files[i].name);
		sect_clear(&s->files[i].body);
	}
	free(s->files);
	verb_clear(&s->server.greeting);
	for (i = 0; i < s->server.nverbs; i++)
		verb_clear(&s->server.verbs[i]);
	free(s->server.verbs);
	free(s->server.close_data);
	free(s->server.tls_cert);
	free(s->server.tls_key);
	free(s->server.tls_ca);
	free(s->server.tls_prio);
	free(s->server.listen_unix);
	free(s->server.tls_alert);
	free(s->server.tls_sni);
	mbuf_clear(&s->server.inject);
	mbuf_clear(&s->server.tls_garbage);
	strv_free(s->server.auth_mechs, s->server.nauth_mechs);
	free(s->server.auth_user);
	free(s->server.auth_pass);
	free(s->server.auth_token);
	mscn_init(s);
}

const struct mscn_verb *
mscn_verb_find(const struct mscn_server *sv, const char *verb)
{
	size_t i;

	for (i = 0; i < sv->nverbs; i++)
		if (strcmp(sv->verbs[i].name, verb) == 0)
			return &sv->verbs[i];
	return NULL;
}

/* next_word - split the next blank-separated word off *pp (in place). */
static char *
next_word(char **pp)
{
	char *p = *pp, *w;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0') {
		*pp = p;
		return NULL;
	}
	w = p;
	while (*p != '\0' && *p != ' ' && *p != '\t')
		p++;
	if (*p != '\0')
		*p++ = '\0';
	*pp = p;
	return w;
}

/* rest - what remains of *pp after leading blanks ("" if nothing). */
static char *
rest(char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static int
check_escapes(const struct parser *p, const char *text, struct merr *e)
{
	struct mbuf tmp;
	struct merr e2;
	int rc;

	mbuf_init(&tmp, MSCN_DATA_MAX);
	rc = mtext_expand(text, strlen(text), &dummy_subst, &tmp, &e2);
	mbuf_clear(&tmp);
	if (rc == -1)
		return perr(p, e, e2.msg);
	return 0;
}

/* verb_get - the script of verb name, created if needed; -1 if bad name. */
static struct mscn_verb *
verb_get(struct parser *p, const char *name, struct merr *e)
{
	struct mscn_server *sv = &p->s->server;
	struct mscn_verb *v;
	size_t i, n = strlen(name);

	if (n == 0 || n >= MSCN_VERB_MAX) {
		perr(p, e, "verb missing or longer than 31 characters");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (name[i] <= ' ' || name[i] >= 0x7f) {
			perr(p, e, "verb must be printable ASCII");
			return NULL;
		}
	}
	for (i = 0; i < sv->nverbs; i++)
		if (strcasecmp(sv->verbs[i].name, name) == 0)
			return &sv->verbs[i];
	v = realloc(sv->verbs, (sv->nverbs + 1) * sizeof(*v));
	if (v == NULL)
		merr_oom();
	sv->verbs = v;
	v = &sv->verbs[sv->nverbs++];
	memset(v, 0, sizeof(*v));
	for (i = 0; i < n; i++)
		v->name[i] = (char)toupper((unsigned char)name[i]);
	v->pending_delay = -1;
	return v;
}

/* act_add - append a turn to v, taking a pending delay. */
static struct mscn_act *
act_add(struct parser *p, struct mscn_verb *v, enum mscn_act_kind kind)
{
	struct mscn_act *a;

	a = realloc(v->acts, (v->nacts + 1) * sizeof(*a));
	if (a == NULL)
		merr_oom();
	v->acts = a;
	a = &v->acts[v->nacts++];
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->lineno = p->lineno;
	a->delay_ms = v->pending_delay >= 0 ? v->pending_delay : 0;
	v->pending_delay = -1;
	mbuf_init(&a->text, MSCN_DATA_MAX);
	return a;
}

/* reply_text - TEXT with '|' line breaks, escapes, CRLF per line. */
static int
reply_text(const struct parser *p, const char *text, struct mbuf *out,
    struct merr *e)
{
	const char *q = text, *bar;
	struct merr e2;
	size_t n;

	for (;;) {
		bar = strchr(q, '|');
		n = bar != NULL ? (size_t)(bar - q) : strlen(q);
		if (mtext_expand(q, n, NULL, out, &e2) == -1)
			return perr(p, e, e2.msg);
		if (mbuf_add(out, "\r\n", 2) == -1)
			return perr(p, e, "reply text too long");
		if (bar == NULL)
			return 0;
		q = bar + 1;
	}
}

static int
parse_code(const char *w)
{
	return w != NULL && strlen(w) == 3 && isdigit((unsigned char)w[0]) &&
	    isdigit((unsigned char)w[1]) && isdigit((unsigned char)w[2]);
}

/* set_once - store a copy of text in *dst, which must still be NULL. */
static int
set_once(struct parser *p, char **dst, const char *text, struct merr *e)
{
	if (*dst != NULL)
		return perr(p, e, "directive given twice");
	*dst = xstrdup(text);
	return 0;
}

/* expand_text - TEXT with escapes (no placeholders) as a new string. */
static int
expand_text(struct parser *p, const char *text, char **dst, struct merr *e)
{
	struct mbuf b;
	struct merr e2;

	if (*dst != NULL)
		return perr(p, e, "directive given twice");
	mbuf_init(&b, MSCN_INJECT_MAX);
	if (mtext_expand(text, strlen(text), NULL, &b, &e2) == -1) {
		mbuf_clear(&b);
		return perr(p, e, e2.msg);
	}
	if (memchr(mbuf_str(&b), '\0', b.len) != NULL) {
		mbuf_clear(&b);
		return perr(p, e, "NUL byte not allowed here");
	}
	*dst = xstrdup(mbuf_str(&b));
	mbuf_clear(&b);
	return 0;
}

/* auth_mechs - the MECH words of auth-mechs*, upper-cased. */
static int
auth_mechs(struct parser *p, char *cur, struct merr *e)
{
	struct mscn_server *sv = &p->s->server;
	char *w, *c;

	while ((w = next_word(&cur)) != NULL) {
		if (sv->nauth_mechs == MSCN_MECHS_MAX)
			return perr(p, e, "too many mechanisms");
		for (c = w; *c != '\0'; c++) {
			if (!isalnum((unsigned char)*c) && *c != '-' &&
			    *c != '_')
				return perr(p, e, "a mechanism name has only "
				    "letters, digits, '-' and '_'");
			*c = (char)toupper((unsigned char)*c);
		}
		if (c - w > 20)
			return perr(p, e, "mechanism name longer than 20 "
			    "characters");
		strv_add(&sv->auth_mechs, &sv->nauth_mechs, w, strlen(w));
	}
	return 0;
}

/*
 * trickle_args - "[CODE] N SECONDS" of trickle (code NULL: the greeting,
 * always 220) into a new TRICKLE turn of v.  The whole trickle is bounded
 * by MSCN_TRICKLE_MAX_S.
 */
static int
trickle_args(struct parser *p, struct mscn_verb *v, char *cur, int has_code,
    struct merr *e)
{
	struct mscn_act *a;
	const char *code = has_code ? next_word(&cur) : "220";
	char *wn, *ws;
	long n, ms;

	wn = next_word(&cur);
	ws = next_word(&cur);
	if (!parse_code(code) || wn == NULL || ws == NULL ||
	    *rest(cur) != '\0' ||
	    mtext_long(wn, 0, MSCN_MANYLINES_MAX, &n) == -1 ||
	    mtext_seconds(ws, MSCN_DELAY_MAX, &ms) == -1)
		return perr(p, e, has_code ? "usage: trickle VERB CODE N "
		    "SECONDS (N <= 1000000, SECONDS <= 600)" :
		    "usage: greeting trickle N SECONDS (N <= 1000000, "
		    "SECONDS <= 600)");
	if (ms > 0 && n > MSCN_TRICKLE_MAX_S * 1000 / ms)
		return perr(p, e, "trickle: N x SECONDS is more than 3600 s");
	a = act_add(p, v, MSCN_ACT_TRICKLE);
	memcpy(a->code, code, 4);
	a->count = n;
	a->step_ms = ms;
	return 0;
}

/* tls_auth_directive - tls-*, starttls-*, auth-* directives. */
static int
tls_auth_directive(struct parser *p, const char *dir, char *cur,
    struct merr *e)
{
	struct mscn_server *sv = &p->s->server;
	char *w1, *w2, *text;
	struct merr e2;

	if (strcmp(dir, "tls-cert") == 0) {
		w1 = next_word(&cur);
		w2 = next_word(&cur);
		if (w1 == NULL || w2 == NULL || *rest(cur) != '\0')
			return perr(p, e, "usage: tls-cert CERTFILE KEYFILE");
		if (check_escapes(p, w1, e) == -1 ||
		    check_escapes(p, w2, e) == -1 ||
		    set_once(p, &sv->tls_cert, w1, e) == -1)
			return -1;
		sv->tls_key = xstrdup(w2);
		return 0;
	}
	if (strcmp(dir, "tls-client-ca") == 0) {
		w1 = next_word(&cur);
		if (w1 == NULL || *rest(cur) != '\0')
			return perr(p, e, "usage: tls-client-ca CAFILE");
		if (check_escapes(p, w1, e) == -1)
			return -1;
		return set_once(p, &sv->tls_ca, w1, e);
	}
	if (strcmp(dir, "tls-priorities") == 0) {
		w1 = next_word(&cur);
		if (w1 == NULL || *rest(cur) != '\0')
			return perr(p, e, "usage: tls-priorities STRING "
			    "(one word, e.g. NORMAL:-VERS-TLS1.3)");
		return set_once(p, &sv->tls_prio, w1, e);
	}
	if (strcmp(dir, "tls-expect-alert") == 0) {
		w1 = next_word(&cur);
		if (w1 == NULL || *rest(cur) != '\0')
			return perr(p, e, "usage: tls-expect-alert NAME "
			    "(e.g. certificate_expired)");
		return set_once(p, &sv->tls_alert, w1, e);
	}
	if (strcmp(dir, "tls-expect-sni") == 0) {
		w1 = next_word(&cur);
		if (w1 == NULL || *rest(cur) != '\0')
			return perr(p, e, "usage: tls-expect-sni NAME (or - "
			    "for none)");
		return set_once(p, &sv->tls_sni, w1, e);
	}
	if (strcmp(dir, "tls-implicit") == 0) {
		if (*rest(cur) != '\0')
			return perr(p, e, "tls-implicit takes no argument");
		sv->tls_implicit = 1;
		return 0;
	}
	if (strcmp(dir, "tls-ticket-with-reply") == 0) {
		if (*rest(cur) != '\0')
			return perr(p, e, "tls-ticket-with-reply takes no "
			    "argument");
		sv->tls_ticket_with_reply = 1;
		return 0;
	}
	if (strcmp(dir, "starttls-inject") == 0 ||
	    strcmp(dir, "starttls-inject-repeat") == 0) {
		struct mbuf unit;
		long n = 1, k;
		int bad = 0;

		if (dir[15] == '-') {
			w1 = next_word(&cur);
			if (w1 == NULL || mtext_long(w1, 1, MSCN_INJECT_MAX,
			    &n) == -1)
				return perr(p, e, "usage: starttls-inject-repeat "
				    "N TEXT (N >= 1, at most 16 MiB in all)");
		}
		text = rest(cur);
		if (*text == '\0')
			return perr(p, e, dir[15] == '-' ?
			    "usage: starttls-inject-repeat N TEXT" :
			    "usage: starttls-inject TEXT");
		if (sv->has_inject)
			return perr(p, e, "starttls-inject or "
			    "starttls-inject-repeat given twice");
		mbuf_init(&unit, MSCN_INJECT_MAX);
		if (mtext_expand(text, strlen(text), NULL, &unit, &e2) == -1) {
			mbuf_clear(&unit);
			return perr(p, e, e2.msg);
		}
		for (k = 0; k < n && !bad; k++)
			bad = mbuf_add(&sv->inject, unit.p, unit.len);
		mbuf_clear(&unit);
		if (bad)
			return perr(p, e, "injected text longer than 16 MiB");
		sv->has_inject = 1;
		return 0;
	}
	if (strcmp(dir, "tls-close-during-handshake") == 0) {
		if (*rest(cur) != '\0')
			return perr(p, e, "tls-close-during-handshake takes no "
			    "argument");
		if (sv->tls_hs != MSCN_HS_NORMAL)
			return perr(p, e, "only one tls-*-during-handshake");
		sv->tls_hs = MSCN_HS_CLOSE;
		return 0;
	}
	if (strcmp(dir, "tls-garbage-during-handshake") == 0) {
		text = rest(cur);
		if (*text == '\0')
			return perr(p, e, "usage: tls-garbage-during-handshake "
			    "TEXT");
		if (sv->tls_hs != MSCN_HS_NORMAL)
			return perr(p, e, "only one tls-*-during-handshake");
		if (mtext_expand(text, strlen(text), NULL, &sv->tls_garbage,
		    &e2) == -1)
			return perr(p, e, e2.msg);
		sv->tls_hs = MSCN_HS_GARBAGE;
		return 0;
	}
	if (strcmp(dir, "tls-renegotiate") == 0) {
		struct mscn_verb *v;

		w1 = next_word(&cur);
		if (w1 == NULL || *rest(cur) != '\0')
			return perr(p, e, "usage: tls-renegotiate VERB");
		if ((v = verb_get(p, w1, e)) == NULL)
			return -1;
		act_add(p, v, MSCN_ACT_RENEGOTIATE);
		sv->has_renegotiate = 1;
		return 0;
	}
	if (strcmp(dir, "auth-mechs") == 0) {
		if (*rest(cur) == '\0')
			return perr(p, e, "usage: auth-mechs MECH...");
		return auth_mechs(p, cur, e);
	}
	if (strcmp(dir, "auth-mechs-before-tls-only") == 0 ||
	    strcmp(dir, "auth-mechs-after-tls-only") == 0) {
		enum mscn_auth_when when = dir[11] == 'b' ?
		    MSCN_AUTH_BEFORE_TLS : MSCN_AUTH_AFTER_TLS;

		if (sv->auth_when != MSCN_AUTH_ALWAYS && sv->auth_when != when)
			return perr(p, e, "auth-mechs-before-tls-only and "
			    "auth-mechs-after-tls-only exclude each other");
		sv->auth_when = when;
		return auth_mechs(p, cur, e);
	}
	if (strcmp(dir, "auth-user") == 0) {
		w1 = next_word(&cur);
		text = rest(cur);
		if (w1 == NULL || *text == '\0')
			return perr(p, e, "usage: auth-user NAME PASSWORD");
		if (expand_text(p, w1, &sv->auth_user, e) == -1)
			return -1;
		return expand_text(p, text, &sv->auth_pass, e);
	}
	if (strcmp(dir, "auth-token") == 0) {
		text = rest(cur);
		if (*text == '\0')
			return perr(p, e, "usage: auth-token TOKEN");
		return expand_text(p, text, &sv->auth_token, e);
	}
	return perr(p, e, "unknown server directive (tls-cert, tls-implicit, "
	    "tls-ticket-with-reply, tls-client-ca, tls-priorities, tls-expect-alert, "
	    "tls-expect-sni, tls-close-during-handshake, "
	    "tls-garbage-during-handshake, tls-renegotiate, starttls-inject, "
	    "starttls-inject-repeat, auth-mechs, auth-mechs-before-tls-only, "
	    "auth-mechs-after-tls-only, auth-user, auth-token?)");
}

/* transport_directive - listen-unix NAME, socks5 [reply CODE | close]. */
static int
transport_directive(struct parser *p, const char *dir, char *cur,
    struct merr *e)
{
	struct mscn_server *sv = &p->s->server;
	char *w = next_word(&cur), *w2 = next_word(&cur);
	long n;

	if (strcmp(dir, "listen-unix") == 0) {
		if (w == NULL || w2 != NULL || strchr(w, '/') != NULL ||
		    strcmp(w, ".") == 0 || strcmp(w, "..") == 0)
			return perr(p, e, "usage: listen-unix NAME (a file "
			    "name in %%TMP)");
		return set_once(p, &sv->listen_unix, w, e);
	}
	if (sv->socks5)
		return perr(p, e, "socks5 given twice");
	sv->socks5 = 1;
	if (w == NULL)
		return 0;
	if (strcmp(w, "close") == 0 && w2 == NULL) {
		sv->socks5_close = 1;
		return 0;
	}
	if (strcmp(w, "reply") != 0 || w2 == NULL ||
	    *rest(cur) != '\0' || mtext_long(w2, 0, 255, &n) == -1)
		return perr(p, e, "usage: socks5 [reply CODE | close] (CODE "
		    "0 to 255)");
	sv->socks5_reply = (int)n;
	return 0;
}

/* server_directive - one line of %server (already known non-comment). */
static int
server_directive(struct parser *p, char *line, struct merr *e)
{
	struct mscn_server *sv = &p->s->server;
	struct mscn_verb *v;
	struct mscn_act *a;
	char *cur = line, *dir, *verb, *w, *text;
	long n, ms;
	struct merr e2;

	dir = next_word(&cur);
	if (strcmp(dir, "listen-unix") == 0 || strcmp(dir, "socks5") == 0)
		return transport_directive(p, dir, cur, e);
	if (strcmp(dir, "per-connection") == 0) {
		if (*rest(cur) != '\0')
			return perr(p, e, "per-connection takes no argument");
		sv->per_connection = 1;
		return 0;
	}
	if (strcmp(dir, "close-during-data") == 0) {
		w = next_word(&cur);
		if (w == NULL || *rest(cur) != '\0' ||
		    mtext_long(w, 0, 1000000000L, &n) == -1)
			return perr(p, e, "usage: close-during-data N "
			    "(0 to 1000000000)");
		sv->close_data = realloc(sv->close_data,
		    (sv->nclose_data + 1) * sizeof(*sv->close_data));
		if (sv->close_data == NULL)
			merr_oom();
		sv->close_data[sv->nclose_data++] = n;
		return 0;
	}
	if (strcmp(dir, "greeting") == 0) {
		v = &sv->greeting;
		text = rest(cur);
		if (strcmp(text, "close") == 0) {
			act_add(p, v, MSCN_ACT_CLOSE);
			return 0;
		}
		if (strncmp(text, "trickle ", 8) == 0 ||
		    strcmp(text, "trickle") == 0)
			return trickle_args(p, v, text + 7, 0, e);
		if (strncmp(text, "delay ", 6) == 0) {
			cur = text + 6;
			w = next_word(&cur);
			if (w == NULL ||
			    mtext_seconds(w, MSCN_DELAY_MAX, &ms) == -1)
				return perr(p, e, "usage: greeting delay "
				    "SECONDS TEXT (at most 600 s)");
			text = rest(cur);
			v->pending_delay = ms;
		}
		if (*text == '\0')
			return perr(p, e, "greeting needs a TEXT");
		a = act_add(p, v, MSCN_ACT_REPLY);
		return reply_text(p, text, &a->text, e);
	}
	if (strcmp(dir, "ehlo") == 0) {
		struct mbuf cap;
		char *eq;

		if ((v = verb_get(p, "EHLO", e)) == NULL)
			return -1;
		a = act_add(p, v, MSCN_ACT_EHLO);
		while ((w = next_word(&cur)) != NULL) {
			if (a->ncaps == 256)
				return perr(p, e, "too many capabilities");
			while ((eq = strchr(w, '=')) != NULL)
				*eq = ' ';
			mbuf_init(&cap, MSCN_LONGLINE_MAX);
			if (mtext_expand(w, strlen(w), NULL, &cap, &e2) == -1) {
				mbuf_clear(&cap);
				return perr(p, e, e2.msg);
			}
			strv_add(&a->caps, &a->ncaps, mbuf_str(&cap), cap.len);
			mbuf_clear(&cap);
		}
		return 0;
	}
	if (strcmp(dir, "reply-batch") == 0) {
		if (*rest(cur) != '\0')
			return perr(p, e, "reply-batch takes no argument");
		sv->reply_batch = 1;
		return 0;
	}
	if (strncmp(dir, "tls-", 4) == 0 || strncmp(dir, "auth-", 5) == 0 ||
	    strncmp(dir, "starttls-", 9) == 0)
		return tls_auth_directive(p, dir, cur, e);

	/* The remaining directives all start with a VERB. */
	verb = next_word(&cur);
	if (strcmp(dir, "reply") != 0 && strcmp(dir, "raw") != 0 &&
	    strcmp(dir, "close") != 0 && strcmp(dir, "close-after") != 0 &&
	    strcmp(dir, "delay") != 0 && strcmp(dir, "longline") != 0 &&
	    strcmp(dir, "manylines") != 0 && strcmp(dir, "default") != 0 &&
	    strcmp(dir, "pipelined") != 0 && strcmp(dir, "trickle") != 0 &&
	    strcmp(dir, "not-pipelined") != 0) {
		char msg[200];

		if (snprintf(msg, sizeof(msg), "unknown server directive "
		    "\"%.64s\"", dir) >= (int)sizeof(msg))
			return perr(p, e, "unknown server directive");
		return perr(p, e, msg);
	}
	if (verb == NULL)
		return perr(p, e, "VERB missing");
	if ((v = verb_get(p, verb, e)) == NULL)
		return -1;
	text = rest(cur);
	if (strcmp(dir, "close") == 0 || strcmp(dir, "default") == 0) {
		if (*text != '\0')
			return perr(p, e, dir[0] == 'c' ? "usage: close VERB" :
			    "usage: default VERB");
		act_add(p, v, dir[0] == 'c' ? MSCN_ACT_CLOSE :
		    MSCN_ACT_DEFAULT);
		return 0;
	}
	if (strcmp(dir, "pipelined") == 0 ||
	    strcmp(dir, "not-pipelined") == 0) {
		struct mscn_pipe *pp;

		if (*text != '\0')
			return perr(p, e, dir[0] == 'p' ?
			    "usage: pipelined VERB" :
			    "usage: not-pipelined VERB");
		pp = realloc(v->pipes, (v->npipes + 1) * sizeof(*pp));
		if (pp == NULL)
			merr_oom();
		v->pipes = pp;
		pp = &v->pipes[v->npipes++];
		pp->want = dir[0] == 'p';
		pp->lineno = p->lineno;
		return 0;
	}
	if (strcmp(dir, "delay") == 0) {
		if (mtext_seconds(text, MSCN_DELAY_MAX, &ms) == -1)
			return perr(p, e, "usage: delay VERB SECONDS "
			    "(e.g. 2 or 0.5; at most 600)");
		if (v->pending_delay >= 0)
			return perr(p, e, "two delays for the same reply");
		v->pending_delay = ms;
		v->pending_line = p->lineno;
		return 0;
	}
	if (strcmp(dir, "trickle") == 0)
		return trickle_args(p, v, cur, 1, e);
	if (strcmp(dir, "longline") == 0 || strcmp(dir, "manylines") == 0) {
		int longline = dir[0] == 'l';
		char *code = next_word(&cur);

		w = next_word(&cur);
		if (!parse_code(code) || w == NULL || *rest(cur) != '\0' ||
		    mtext_long(w, 0, longline ? MSCN_LONGLINE_MAX :
		    MSCN_MANYLINES_MAX, &n) == -1)
			return perr(p, e, longline ?
			    "usage: longline VERB CODE N (N <= 1073741824)" :
			    "usage: manylines VERB CODE N (N <= 1000000)");
		a = act_add(p, v, longline ? MSCN_ACT_LONGLINE :
		    MSCN_ACT_MANYLINES);
		memcpy(a->code, code, 4);
		a->count = n;
		return 0;
	}
	if (*text == '\0')
		return perr(p, e, "TEXT missing");
	if (strcmp(dir, "raw") == 0) {
		a = act_add(p, v, MSCN_ACT_RAW);
		if (mtext_expand(text, strlen(text), NULL, &a->text,
		    &e2) == -1)
			return perr(p, e, e2.msg);
		return 0;
	}
	a = act_add(p, v, strcmp(dir, "reply") == 0 ? MSCN_ACT_REPLY :
	    MSCN_ACT_CLOSE_AFTER);
	return reply_text(p, text, &a->text, e);
}

/* finish_server - turn dangling delays into delayed default replies;
 * check that the TLS and SASL directives fit together. */
static int
finish_server(struct parser *p, struct merr *e)
{
	struct mscn_server *sv = &p->s->server;
	size_t i;

	for (i = 0; i < sv->nverbs; i++) {
		if (sv->verbs[i].pending_delay >= 0) {
			p->lineno = sv->verbs[i].pending_line;
			act_add(p, &sv->verbs[i], MSCN_ACT_DEFAULT);
		}
	}
	p->lineno = p->seen_server;
	if (sv->tls_cert == NULL && (sv->tls_implicit || sv->has_inject ||
	    sv->tls_ticket_with_reply ||
	    sv->tls_ca != NULL || sv->tls_prio != NULL ||
	    sv->tls_alert != NULL || sv->tls_sni != NULL ||
	    sv->tls_hs != MSCN_HS_NORMAL || sv->has_renegotiate))
		return perr(p, e, "%server: tls-implicit, "
		    "tls-ticket-with-reply, starttls-inject*, "
		    "tls-client-ca, tls-priorities, tls-expect-alert, "
		    "tls-expect-sni, tls-*-during-handshake and tls-renegotiate need "
		    "tls-cert");
	if (sv->tls_implicit && sv->auth_when != MSCN_AUTH_ALWAYS)
		return perr(p, e, "%server: auth-mechs-*-tls-only make no "
		    "sense with tls-implicit");
	if (sv->nauth_mechs == 0 && (sv->auth_user != NULL ||
	    sv->auth_token != NULL || sv->auth_when != MSCN_AUTH_ALWAYS))
		return perr(p, e, "%server: auth-user, auth-token and "
		    "auth-mechs-*-tls-only need at least one mechanism "
		    "(auth-mechs MECH...)");
	return 0;
}

static int
valid_env_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || isdigit((unsigned char)s[0]))
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return 0;
	return 1;
}

static int
valid_file_name(const char *name)
{
	const char *c = name;
	size_t n;

	if (*name == '\0' || *name == '/')
		return 0;
	for (;;) {
		n = strcspn(c, "/");
		if (n == 0 || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		if (c[n] == '\0')
			return 1;
		c += n + 1;
	}
}

/* header - a "%name ..." line starting a section. */
static int
header(struct parser *p, char *line, struct merr *e)
{
	struct mscn *s = p->s;
	char *cur = line + 1, *name = next_word(&cur);
	char msg[200];
	struct {
		const char *name;
		struct mscn_sect *sect;
		enum sect_kind kind;
	} table[] = {
		{ "args", &s->args, SK_LIST },
		{ "stdin", &s->in, SK_DATA },
		{ "stdin-noeol", &s->in, SK_DATA },
		{ "protocol", &s->proto, SK_DATA },
		{ "stdout", &s->out, SK_DATA },
		{ "stderr", &s->err, SK_DATA },
		{ "stdout-contains", &s->out_has, SK_LIST },
		{ "stderr-contains", &s->err_has, SK_LIST },
		{ "env", &s->env, SK_LIST },
		{ "skip-unless", &s->skip, SK_LIST },
		{ "printable", &s->printable, SK_LIST },
		{ "no-default-args", &s->no_default_args, SK_LIST },
	};
	size_t i;

	if (name == NULL)
		return perr(p, e, "lone '%' (section name missing)");
	p->cur = NULL;
	p->in_server = 0;
	p->one_line = 0;
	p->kind = SK_LIST;
	if (strcmp(name, "file") == 0) {
		struct mscn_file *f;
		char *fname = next_word(&cur), *mword;
		long mode = 0600;

		if (fname == NULL || !valid_file_name(fname))
			return perr(p, e, "usage: %file NAME [MODE] (a "
			    "relative path without . or .. parts)");
		if ((mword = next_word(&cur)) != NULL) {
			char *end;

			errno = 0;
			mode = strtol(mword, &end, 8);
			if (errno != 0 || *end != '\0' || mode < 0 ||
			    mode > 0777 || *rest(cur) != '\0')
				return perr(p, e, "usage: %file NAME [MODE] "
				    "(MODE in octal, e.g. 0644)");
		}
		for (i = 0; i < s->nfiles; i++)
			if (strcmp(s->files[i].name, fname) == 0)
				return perr(p, e, "%file given twice for "
				    "the same name");
		f = realloc(s->files, (s->nfiles + 1) * sizeof(*f));
		if (f == NULL)
			merr_oom();
		s->files = f;
		f = &s->files[s->nfiles++];
		memset(f, 0, sizeof(*f));
		f->name = xstrdup(fname);
		f->mode = (int)mode;
		f->body.present = 1;
		f->body.lineno = p->lineno;
		p->cur = &f->body;
		p->kind = SK_DATA;
		p->name = "file";
		return 0;
	}
	if (*rest(cur) != '\0')
		return perr(p, e, "text after the section name");
	p->name = name;
	if (strcmp(name, "desc") == 0 || strcmp(name, "exit") == 0 ||
	    strcmp(name, "connections") == 0 || strcmp(name, "timeout") == 0 ||
	    strcmp(name, "server") == 0 || strcmp(name, "argv0") == 0) {
		int *seen = name[0] == 'a' ? &p->seen_argv0 :
		    name[0] == 'd' ? &p->seen_desc :
		    name[0] == 'e' ? &p->seen_exit :
		    name[0] == 'c' ? &p->seen_conn :
		    name[0] == 't' ? &p->seen_timeout : &p->seen_server;

		if (*seen)
			return perr(p, e, "section given twice");
		*seen = p->lineno;
		p->in_server = name[0] == 's';
		return 0;
	}
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (strcmp(name, table[i].name) != 0)
			continue;
		if (table[i].sect->present)
			return perr(p, e, table[i].sect == &s->in ?
			    "more than one %stdin / %stdin-noeol section" :
			    "section given twice");
		table[i].sect->present = 1;
		table[i].sect->lineno = p->lineno;
		p->cur = table[i].sect;
		p->kind = table[i].kind;
		if (strcmp(name, "stdin-noeol") == 0)
			s->in_noeol = 1;
		return 0;
	}
	if (strcmp(name, "repeat") == 0)
		return perr(p, e, "%repeat is only allowed inside %stdin, "
		    "%stdin-noeol, %protocol, %stdout, %stderr and %file");
	if (snprintf(msg, sizeof(msg), "unknown section \"%%%.64s\"", name) >=
	    (int)sizeof(msg))
		return perr(p, e, "unknown section");
	return perr(p, e, msg);
}

/* repeat_line - "%repeat N TEXT" in a data section. */
static int
repeat_line(struct parser *p, char *line, struct merr *e)
{
	char *cur = line + 7, *w;
	long n;

	w = next_word(&cur);
	if (w == NULL || mtext_long(w, 0, MSCN_REPEAT_MAX, &n) == -1 ||
	    *cur == '\0')
		return perr(p, e, "usage: %repeat N TEXT (N <= 100000000, "
		    "TEXT not empty; one blank after N)");
	if (check_escapes(p, cur, e) == -1)
		return -1;
	sect_add(p->cur, p->lineno, n, cur);
	return 0;
}

/* one_value - the content line of %desc, %exit, %connections, %timeout,
 * %argv0. */
static int
one_value(struct parser *p, char *line, struct merr *e)
{
	struct mscn *s = p->s;
	const char *name = p->name;

	if (p->one_line++)
		return perr(p, e, "this section takes a single line");
	if (strcmp(name, "desc") == 0) {
		s->desc = xstrdup(line);
		return 0;
	}
	if (strcmp(name, "argv0") == 0) {
		/* the name the client is run under (a symlink in %TMP) */
		if (line[0] == '\0' || strspn(line, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != strlen(line))
			return perr(p, e, "%argv0 must be a plain file name");
		s->argv0 = xstrdup(line);
		return 0;
	}
	if (strcmp(name, "exit") == 0) {
		if (mtext_long(line, 0, 255, &s->exit_code) == -1)
			return perr(p, e, "%exit must be a number 0 to 255");
		s->has_exit = 1;
		return 0;
	}
	if (strcmp(name, "connections") == 0) {
		if (mtext_long(line, 0, MSCN_CONN_MAX, &s->connections) == -1)
			return perr(p, e, "%connections must be a number 0 "
			    "to 1000");
		s->has_connections = 1;
		return 0;
	}
	if (mtext_long(line, 1, MSCN_TIMEOUT_MAX, &s->timeout_s) == -1)
		return perr(p, e, "%timeout must be a number of seconds, "
		    "1 to 3600");
	return 0;
}

/* list_line - a non-comment, non-blank line of a SK_LIST section. */
static int
list_line(struct parser *p, char *line, struct merr *e)
{
	struct mscn *s = p->s;

	if (p->cur == &s->env) {
		const char *eq = strchr(line, '=');

		if (eq == NULL || !valid_env_name(line, (size_t)(eq - line)))
			return perr(p, e, "expected NAME=VALUE");
		if (check_escapes(p, eq + 1, e) == -1)
			return -1;
	} else if (p->cur == &s->skip) {
		char copy[64];
		size_t n = strcspn(line, " \t");

		if (n >= sizeof(copy))
			n = sizeof(copy) - 1;
		memcpy(copy, line, n);
		copy[n] = '\0';
		if (strcmp(copy, "env") != 0 && strcmp(copy, "file") != 0 &&
		    strcmp(copy, "exec") != 0 && strcmp(copy, "run") != 0)
			return perr(p, e, "expected env NAME, file PATH, "
			    "exec PROGRAM or run COMMAND...");
		if (*rest(line + n) == '\0')
			return perr(p, e, "condition needs an argument");
	} else if (p->cur == &s->no_default_args) {
		return perr(p, e, "%no-default-args takes no lines (comments "
		    "only)");
	} else if (p->cur == &s->printable) {
		if (strcmp(line, "stdout") != 0 && strcmp(line, "stderr") != 0)
			return perr(p, e, "%printable: expected stdout or "
			    "stderr");
	} else if (p->cur != &s->args) {
		/* %stdout-contains, %stderr-contains */
		if (check_escapes(p, line, e) == -1)
			return -1;
	}
	sect_add(p->cur, p->lineno, -1, line);
	return 0;
}

static int
line_in_section(struct parser *p, char *line, struct merr *e)
{
	if (p->kind == SK_DATA && p->cur != NULL) {
		if (strncmp(line, "%repeat ", 8) == 0 ||
		    strcmp(line, "%repeat") == 0)
			return repeat_line(p, line, e);
		if (strcmp(line, "%ANY") == 0) {
			if (p->cur != &p->s->proto)
				return perr(p, e, "%ANY is only allowed in "
				    "%protocol");
			sect_add(p->cur, p->lineno, MSCN_LINE_ANY, "");
			return 0;
		}
		if (line[0] == '%')
			return header(p, line, e);
		if (check_escapes(p, line, e) == -1)
			return -1;
		sect_add(p->cur, p->lineno, -1, line);
		return 0;
	}
	if (line[0] == '%')
		return header(p, line, e);
	if (line[0] == '#' || *rest(line) == '\0')
		return 0;
	if (p->in_server)
		return server_directive(p, line, e);
	if (p->cur != NULL)
		return list_line(p, line, e);
	if (p->name != NULL)
		return one_value(p, line, e);
	return perr(p, e, "text outside of any section");
}

/* read_all - the whole file, at most MSCN_FILE_MAX bytes. */
static int
read_all(const char *path, struct mbuf *out, struct merr *e)
{
	char chunk[65536];
	ssize_t r;
	int fd, rc = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return merr_set(e, "%s: %s", path, strerror(errno));
	for (;;) {
		r = read(fd, chunk, sizeof(chunk));
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			merr_set(e, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		if (mbuf_add(out, chunk, (size_t)r) == -1) {
			merr_set(e, "%s: file larger than %ld bytes", path,
			    MSCN_FILE_MAX);
			goto out;
		}
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

static int
set_srcdir(struct mscn *s, const char *path, struct merr *e)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/'), *abs;
	int rc = -1;

	if (slash == NULL) {
		free(dir);
		dir = xstrdup(".");
	} else if (slash == dir) {
		slash[1] = '\0';
	} else {
		*slash = '\0';
	}
	abs = realpath(dir, NULL);
	if (abs == NULL) {
		merr_set(e, "%s: cannot resolve directory: %s", path,
		    strerror(errno));
		goto out;
	}
	s->srcdir = abs;
	rc = 0;
out:
	free(dir);
	return rc;
}

int
mscn_load(struct mscn *s, const char *path, int full, struct merr *e)
{
	struct parser p;
	struct mbuf file;
	char *line, *end, *nl;
	int rc = -1;

	mscn_clear(s);
	memset(&p, 0, sizeof(p));
	p.s = s;
	p.path = path;
	mbuf_init(&file, MSCN_FILE_MAX);
	s->path = xstrdup(path);
	if (read_all(path, &file, e) == -1 || set_srcdir(s, path, e) == -1)
		goto out;
	if (memchr(mbuf_str(&file), '\0', file.len) != NULL) {
		merr_set(e, "%s: NUL byte in file (write \\0)", path);
		goto out;
	}
	line = file.p;
	end = file.p + file.len;
	while (line != NULL && line < end) {
		p.lineno++;
		nl = memchr(line, '\n', (size_t)(end - line));
		if (nl != NULL)
			*nl = '\0';
		if (strchr(line, '\r') != NULL) {
			perr(&p, e, "carriage return in file (write \\r; "
			    "the file must use LF line ends)");
			goto out;
		}
		if (line_in_section(&p, line, e) == -1)
			goto out;
		line = nl != NULL ? nl + 1 : NULL;
	}
	p.lineno = 0;
	if (finish_server(&p, e) == -1)
		goto out;
	if (full && !p.seen_desc) {
		merr_set(e, "%s: required section %%desc missing", path);
		goto out;
	}
	if (full && (!p.seen_exit || !s->has_exit)) {
		merr_set(e, "%s: required section %%exit missing or empty",
		    path);
		goto out;
	}
	if (p.seen_desc && s->desc == NULL) {
		merr_set(e, "%s:%d: %%desc is empty", path, p.seen_desc);
		goto out;
	}
	if (s->args.present) {
		struct mbuf joined;
		char **argv = NULL;
		size_t argc, i;
		struct merr e2;
		int bad = 0;

		mbuf_init(&joined, MSCN_FILE_MAX);
		for (i = 0; i < s->args.n && !bad; i++)
			bad = mbuf_adds(&joined, s->args.lines[i].text) ||
			    mbuf_addc(&joined, '\n');
		if (!bad)
			bad = mtext_words(mbuf_str(&joined), &dummy_subst,
			    &argv, &argc, &e2);
		mtext_words_free(argv);
		mbuf_clear(&joined);
		if (bad) {
			merr_set(e, "%s:%d: %%args: %s", path,
			    s->args.lineno, e2.msg);
			goto out;
		}
	}
	rc = 0;
out:
	mbuf_clear(&file);
	return rc;
}

int
mscn_expand(const struct mscn *s, const struct mscn_sect *d,
    const char *eol, int noeol_last, const struct mtext_subst *sub,
    struct mbuf *out, struct merr *e)
{
	const struct mscn_line *l = NULL;
	size_t i, last_plain = (size_t)-1;
	struct mbuf unit;
	struct merr e2;
	long k;
	int rc = -1;

	mbuf_init(&unit, MSCN_DATA_MAX);
	for (i = 0; i < d->n; i++)
		if (d->lines[i].repeat == MSCN_LINE_PLAIN)
			last_plain = i;
	for (i = 0; i < d->n; i++) {
		l = &d->lines[i];
		if (l->repeat == MSCN_LINE_ANY) {
			/* Only %protocol has these; the driver matches them. */
			if (mbuf_adds(out, "%ANY") == -1 ||
			    mbuf_adds(out, eol) == -1)
				goto full;
			continue;
		}
		if (l->repeat < 0) {
			if (mtext_expand(l->text, strlen(l->text), sub, out,
			    &e2) == -1) {
				merr_set(e, "%s:%d: %s", s->path, l->lineno,
				    e2.msg);
				goto out;
			}
			if ((!noeol_last || i != last_plain) &&
			    mbuf_adds(out, eol) == -1)
				goto full;
			continue;
		}
		/* %repeat: expand TEXT once, then append it N times. */
		mbuf_clear(&unit);
		if (mtext_expand(l->text, strlen(l->text), sub, &unit,
		    &e2) == -1) {
			merr_set(e, "%s:%d: %s", s->path, l->lineno, e2.msg);
			goto out;
		}
		if (unit.len > 0 && (size_t)l->repeat > out->max / unit.len)
			goto full;
		for (k = 0; k < l->repeat; k++)
			if (mbuf_add(out, unit.p, unit.len) == -1)
				goto full;
	}
	rc = 0;
	goto out;
full:
	merr_set(e, "%s:%d: section expands to more than %zu bytes",
	    s->path, l != NULL ? l->lineno : d->lineno, out->max);
out:
	mbuf_clear(&unit);
	return rc;
}

static int
sect_uses(const struct mscn_sect *d, const char *needle)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strstr(d->lines[i].text, needle) != NULL)
			return 1;
	return 0;
}

int
mscn_uses(const struct mscn *s, const char *needle)
{
	const struct mscn_sect *all[] = {
		&s->args, &s->in, &s->proto, &s->out, &s->err, &s->out_has,
		&s->err_has, &s->env, &s->skip, &s->printable
	};
	const char *paths[] = {
		s->server.tls_cert, s->server.tls_key, s->server.tls_ca
	};
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (sect_uses(all[i], needle))
			return 1;
	for (i = 0; i < s->nfiles; i++)
		if (sect_uses(&s->files[i].body, needle))
			return 1;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (paths[i] != NULL && strstr(paths[i], needle) != NULL)
			return 1;
	return 0;
}
