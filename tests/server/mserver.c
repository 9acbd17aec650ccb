/*
 * mserver.c - the mock SMTP server (see mserver.h).
 *
 * It speaks just enough of RFC 5321 (commands, DATA with its lone-dot end,
 * RFC 5321 4.5.2), RFC 2920 (pipelined commands are answered in order, as
 * each line completes), RFC 3030 (BDAT chunks of exact size) and RFC 4954
 * (after a 334 reply the next line is a continuation, pseudo-verb "+") to
 * drive a client through scripted situations; it checks nothing itself
 * except, when asked (pipelined / not-pipelined), whether more input had
 * arrived before a reply: an RFC 2920 client pipelines, others must not.
 * RFC 3207 (STARTTLS: 220, then the handshake; all state is reset after
 * it) and RFC 8314 (implicit TLS) with mtls.c; RFC 4954 AUTH with a real
 * SASL server in msasl.c when auth-mechs is given.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1	/* accept4 */
#endif
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include "mio.h"
#include "msasl.h"
#include "mserver.h"
#include "mtls.h"

enum state {
	ST_CMD,		/* reading command lines */
	ST_LONG,	/* inside an over-long command line */
	ST_DATA,	/* after 354, until ".\r\n" */
	ST_BDAT		/* reading the bytes of a BDAT chunk */
};

/* What to do after handling some input. */
enum next {
	NX_MORE,	/* go on reading */
	NX_CLOSE	/* close the connection */
};

struct mserver {
	const struct mscn_server *sc;
	const struct mserver_opts *o;
	size_t *cursor;			/* per sc->verbs[] */
	size_t *pipe_cursor;		/* per sc->verbs[]: next check */
	size_t greet_cursor;
	size_t close_next;		/* next close-during-data value */
	long close_limit;		/* armed value, -1 if none */
	long long content;		/* content bytes in this data phase */
	long long recorded;
	int failed;
	struct mtls_ctx *tls_ctx;	/* NULL without tls-cert */
	struct msasl *sasl;		/* NULL without auth-mechs */
	/* per connection */
	int fd;
	struct mtls *tls;		/* NULL while in plaintext */
	int starttls;			/* handshake after this line */
	int in_sasl;			/* next line belongs to msasl */
	int authed;			/* AUTH succeeded */
	long conn_no;
	struct mbuf in;
	struct mbuf out;		/* reply-batch: replies not yet sent */
	size_t cur_len;			/* bytes of the command being
					 * answered still in front of in */
	int eof;			/* the end of the client's stream
					 * was seen while looking ahead */
	enum state st;
	int mid_line;			/* ST_DATA: not at a line start */
	int cont;			/* next line answers a 334 */
	int in_bdat;			/* previous command was a BDAT */
	unsigned long long bdat_left, bdat_size;
	int bdat_last;
	char code[4];			/* of the last reply sent */
	/* for the log */
	char from[256];
	long rcpts, ncmds, nmsgs;
	long long msgbytes;
};

static enum next flush_out(struct mserver *m);

static void
status(struct mserver *m, const char *what)
{
	char line[512];
	int n;

	if (m->o->status_fd == -1) {
		fprintf(stderr, "smtpmock: server: %s\n", what);
		return;
	}
	n = snprintf(line, sizeof(line), "E%s\n", what);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = snprintf(line, sizeof(line), "Eserver trouble\n");
	(void)!write(m->o->status_fd, line, (size_t)n);
}

/* record - append what the server processed to the record file. */
static void
record(struct mserver *m, const void *p, size_t n)
{
	if (m->o->record_fd == -1 || m->failed || n == 0)
		return;
	if (m->recorded + (long long)n > MSERVER_RECORD_MAX) {
		status(m, "more than 1 GiB received; record cut");
		m->failed = 1;
		return;
	}
	if (mio_write_all(m->o->record_fd, p, n, 10000) == -1) {
		status(m, "cannot write the record file");
		m->failed = 1;
		return;
	}
	m->recorded += (long long)n;
}

/* pick - the next scripted turn for verb, or NULL for the default. */
static const struct mscn_act *
pick(struct mserver *m, const char *verb)
{
	const struct mscn_server *sc = m->sc;
	const struct mscn_verb *v;
	size_t i, *cur;

	if (verb == NULL) {
		v = &sc->greeting;
		cur = &m->greet_cursor;
	} else {
		for (i = 0; i < sc->nverbs; i++)
			if (strcmp(sc->verbs[i].name, verb) == 0)
				break;
		if (i == sc->nverbs)
			return NULL;
		v = &sc->verbs[i];
		cur = &m->cursor[i];
	}
	if (v->nacts == 0)
		return NULL;
	/* The last turn is sticky. */
	if (*cur + 1 < v->nacts)
		return &v->acts[(*cur)++];
	return &v->acts[v->nacts - 1];
}

/* pipe_pick - the next pipelining check for verb, or NULL (not sticky). */
static const struct mscn_pipe *
pipe_pick(struct mserver *m, const char *verb)
{
	const struct mscn_server *sc = m->sc;
	size_t i;

	for (i = 0; i < sc->nverbs; i++)
		if (strcmp(sc->verbs[i].name, verb) == 0)
			break;
	if (i == sc->nverbs || m->pipe_cursor[i] >= sc->verbs[i].npipes)
		return NULL;
	return &sc->verbs[i].pipes[m->pipe_cursor[i]++];
}

/* ahead - input after the command being answered holds a complete
 * command line (any: at least one byte).  A line longer than the limit
 * counts as complete: it will be answered as one. */
static int
ahead(const struct mserver *m, int any)
{
	size_t n = m->in.len - m->cur_len;

	if (n == 0)
		return 0;
	return any || n > (size_t)MSERVER_LINE_MAX ||
	    memchr(m->in.p + m->cur_len, '\n', n) != NULL;
}

/*
 * look_ahead - wait up to ms for ahead(m, any), reading what arrives into
 * m->in, where process() takes it later as usual (plaintext, or decrypted
 * inside TLS), so nothing recorded or answered changes.  Sets m->eof at
 * the end of the stream.  1 when ahead(m, any) holds.
 */
static int
look_ahead(struct mserver *m, int any, long ms)
{
	char chunk[4096];
	long long deadline = mio_now_ms() + ms;
	struct pollfd pfd;
	size_t room;
	ssize_t r;
	long left;
	int pr;

	if (flush_out(m) == NX_CLOSE)
		return 0;
	while (!ahead(m, any) && !m->eof) {
		room = m->in.max - m->in.len;
		if (room == 0)
			break;
		if (room > sizeof(chunk))
			room = sizeof(chunk);
		if (m->tls == NULL || mtls_pending(m->tls) == 0) {
			left = (long)(deadline - mio_now_ms());
			if (left <= 0)
				break;
			pfd.fd = m->fd;
			pfd.events = POLLIN;
			pr = poll(&pfd, 1, (int)left);
			if (pr == -1 && errno == EINTR)
				continue;
			if (pr <= 0)
				break;
		}
		if (m->tls != NULL) {
			r = mtls_read(m->tls, chunk, room);
			if (r == -2)
				continue;
		} else {
			r = read(m->fd, chunk, room);
			if (r == -1 && (errno == EINTR || errno == EAGAIN))
				continue;
		}
		if (r <= 0) {
			m->eof = 1;
			break;
		}
		if (mbuf_add(&m->in, chunk, (size_t)r) == -1) {
			status(m, "input buffer overflow (internal error)");
			m->failed = 1;
			break;
		}
	}
	return ahead(m, any);
}

/* observe - the pipelining check (if any) of this command of verb, just
 * before its reply; any: a byte counts (message content after 354, TLS
 * after 220 to STARTTLS).  A failed check is reported, nothing else. */
static void
observe(struct mserver *m, const char *verb, int any)
{
	const struct mscn_pipe *pp = pipe_pick(m, verb);
	char msg[200];
	int n, got;

	if (pp == NULL)
		return;
	got = look_ahead(m, any, pp->want ? MSERVER_PIPE_WAIT_MS :
	    MSERVER_NOPIPE_WAIT_MS);
	if (got == pp->want)
		return;
	n = snprintf(msg, sizeof(msg), pp->want ? "%%server: %s was not "
	    "pipelined: no further command had arrived before its reply" :
	    "%%server: %s was pipelined: a further command had arrived "
	    "before its reply", verb);
	if (n < 0 || (size_t)n >= sizeof(msg))
		status(m, "%server: a pipelining check failed");
	else
		status(m, msg);
}

static const char *
default_reply(struct mserver *m, const char *verb, char *tmp, size_t tmpsz)
{
	static const struct {
		const char *verb, *text;
	} table[] = {
		{ "EHLO", "250-mock.test\r\n250 PIPELINING\r\n" },
		{ "HELO", "250 mock.test\r\n" },
		{ "MAIL", "250 2.1.0 Ok\r\n" },
		{ "RCPT", "250 2.1.5 Ok\r\n" },
		{ "DATA", "354 End data with <CR><LF>.<CR><LF>\r\n" },
		{ ".", "250 2.0.0 Ok: queued as MOCK1\r\n" },
		{ "RSET", "250 2.0.0 Ok\r\n" },
		{ "NOOP", "250 2.0.0 Ok\r\n" },
		{ "QUIT", "221 2.0.0 Bye\r\n" },
		{ "+", "235 2.7.0 Authentication successful\r\n" },
	};
	size_t i;
	int n;

	if (verb == NULL)
		return "220 mock.test ESMTP smtpmock\r\n";
	if (strcmp(verb, "STARTTLS") == 0 && m->tls_ctx != NULL)
		return m->tls != NULL ? "503 5.5.1 Error: TLS already active\r\n" :
		    "220 2.0.0 Ready to start TLS\r\n";
	if (strcmp(verb, "BDAT") == 0) {
		if (m->bdat_last)
			return "250 2.0.0 Ok: queued as MOCK1\r\n";
		n = snprintf(tmp, tmpsz, "250 2.0.0 Ok: %llu octets\r\n",
		    m->bdat_size);
		if (n < 0 || (size_t)n >= tmpsz)
			return "250 2.0.0 Ok\r\n";
		return tmp;
	}
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(verb, table[i].verb) == 0)
			return table[i].text;
	return "502 5.5.2 Error: command not recognized\r\n";
}

/* write_out - send bytes now (inside TLS if active); NX_CLOSE if the
 * client is gone. */
static enum next
write_out(struct mserver *m, const void *p, size_t n)
{
	int r;

	if (m->tls != NULL)
		r = mtls_write_all(m->tls, p, n, MSERVER_WRITE_TIMEOUT_MS);
	else
		r = mio_write_all(m->fd, p, n, MSERVER_WRITE_TIMEOUT_MS);
	return r == -1 ? NX_CLOSE : NX_MORE;
}

/* flush_out - the replies held by reply-batch, in one write. */
static enum next
flush_out(struct mserver *m)
{
	enum next nx;

	if (m->out.len == 0)
		return NX_MORE;
	nx = write_out(m, m->out.p, m->out.len);
	mbuf_consume(&m->out, m->out.len);
	return nx;
}

/*
 * send_text - send bytes; with reply-batch, keep them until the server
 * has answered all the input it has (flush_out before it waits for more,
 * starts TLS or closes), as Postfix's smtpd answers a pipelined group.
 */
static enum next
send_text(struct mserver *m, const void *p, size_t n)
{
	if (!m->sc->reply_batch)
		return write_out(m, p, n);
	if (mbuf_add(&m->out, p, n) == 0)
		return NX_MORE;
	if (flush_out(m) == NX_CLOSE)
		return NX_CLOSE;
	return write_out(m, p, n);
}

/*
 * peer_gone - wait up to ms for the client to close its side of the
 * connection (end of stream, hang-up, error); input that arrives meanwhile
 * stays unread.  1 when it is gone.
 */
static int
peer_gone(struct mserver *m, long ms)
{
	long long deadline = mio_now_ms() + ms;
	struct pollfd pfd;
	long left;
	int r;

	if (flush_out(m) == NX_CLOSE)
		return 1;
	/* Bounded by the deadline: each poll waits at most what is left. */
	for (;;) {
		left = (long)(deadline - mio_now_ms());
		if (left < 0)
			left = 0;
		pfd.fd = m->fd;
		pfd.events = POLLRDHUP;
		pfd.revents = 0;
		r = poll(&pfd, 1, left > 1000 ? 1000 : (int)left);
		if (r > 0 || (r == -1 && errno != EINTR))
			return 1;
		if (left == 0)
			return 0;
	}
}

/*
 * send_gen - a longline, manylines or trickle reply, streamed in chunks of
 * at most MSERVER_CHUNK bytes, never built whole (a longline may be
 * 1 GiB).  A trickle sends "CODE-line i" lines one by one, step_ms apart,
 * and stops when the client goes away.  NX_CLOSE when the client is gone.
 */
static enum next
send_gen(struct mserver *m, const struct mscn_act *a)
{
	static char chunk[MSERVER_CHUNK];
	size_t n = 0, k;
	long i, left;
	int w;

	if (a->kind == MSCN_ACT_LONGLINE) {
		memcpy(chunk, a->code, 3);
		chunk[3] = ' ';
		n = 4;
		for (left = a->count; left > 0; left -= (long)k) {
			k = sizeof(chunk) - n;
			if ((unsigned long)left < k)
				k = (size_t)left;
			memset(chunk + n, 'x', k);
			n += k;
			if (n == sizeof(chunk)) {
				if (send_text(m, chunk, n) == NX_CLOSE)
					return NX_CLOSE;
				n = 0;
			}
		}
		memcpy(chunk + n, "\r\n", 2);	/* n < sizeof(chunk) */
		return send_text(m, chunk, n + 2);
	}
	for (i = 1; i <= a->count + 1; i++) {
		if (a->kind == MSCN_ACT_TRICKLE && i > 1 &&
		    peer_gone(m, a->step_ms)) {
			fprintf(stderr, "smtpmock: the client closed the "
			    "connection during a trickled reply, after %ld "
			    "of %ld lines\n", i - 1, a->count + 1);
			return NX_CLOSE;
		}
		if (i > a->count)
			w = snprintf(chunk + n, sizeof(chunk) - n,
			    "%s end\r\n", a->code);
		else if (a->kind == MSCN_ACT_TRICKLE)
			w = snprintf(chunk + n, sizeof(chunk) - n,
			    "%s-line %ld\r\n", a->code, i);
		else
			w = snprintf(chunk + n, sizeof(chunk) - n,
			    "%s-line\r\n", a->code);
		if (w < 0 || (size_t)w >= sizeof(chunk) - n) {
			status(m, "reply line too long (internal error)");
			m->failed = 1;
			return NX_CLOSE;
		}
		n += (size_t)w;
		if (a->kind == MSCN_ACT_TRICKLE || n + 64 > sizeof(chunk) ||
		    i > a->count) {
			if (send_text(m, chunk, n) == NX_CLOSE)
				return NX_CLOSE;
			n = 0;
		}
	}
	return NX_MORE;
}

/*
 * renegotiate - a tls-renegotiate turn: a HelloRequest instead of the
 * reply to verb, then whatever the client answers is logged; the caller
 * closes.  Outside a TLS 1.2 session the scenario is wrong: reported.
 */
static void
renegotiate(struct mserver *m, const char *verb)
{
	char what[300], msg[400];

	if (m->tls == NULL || mtls_is_tls13(m->tls)) {
		snprintf(msg, sizeof(msg), "tls-renegotiate %s: not inside a "
		    "TLS 1.2 session (use tls-priorities NORMAL:-VERS-TLS1.3)",
		    verb);
		status(m, msg);
		return;
	}
	if (mtls_hello_request(m->tls, MSERVER_RENEG_WAIT_MS, what,
	    sizeof(what)) == -1) {
		snprintf(msg, sizeof(msg), "tls-renegotiate %s: %s", verb,
		    what);
		status(m, msg);
		return;
	}
	fprintf(stderr, "smtpmock: tls-renegotiate %s: HelloRequest sent; %s\n",
	    verb, what);
}

/* auth_offered - the EHLO reply has an AUTH line now. */
static int
auth_offered(const struct mserver *m)
{
	switch (m->sc->auth_when) {
	case MSCN_AUTH_BEFORE_TLS:
		return m->sc->nauth_mechs > 0 && m->tls == NULL;
	case MSCN_AUTH_AFTER_TLS:
		return m->sc->nauth_mechs > 0 && m->tls != NULL;
	case MSCN_AUTH_ALWAYS:
		break;
	}
	return m->sc->nauth_mechs > 0;
}

/* plus_offered - a -PLUS mechanism is advertised now. */
static int
plus_offered(const struct mserver *m)
{
	size_t i, n;

	if (!auth_offered(m))
		return 0;
	for (i = 0; i < m->sc->nauth_mechs; i++) {
		n = strlen(m->sc->auth_mechs[i]);
		if (n > 5 && strcmp(m->sc->auth_mechs[i] + n - 5, "-PLUS") == 0)
			return 1;
	}
	return 0;
}

/* ehlo_reply - the reply of an "ehlo CAP..." turn (a) or the default one
 * (a == NULL): STARTTLS left out inside TLS, AUTH added from auth-mechs. */
static int
ehlo_reply(struct mserver *m, const struct mscn_act *a, struct mbuf *out)
{
	const char *lines[260];
	struct mbuf auth;
	size_t n = 0, i;
	int bad = 0;

	mbuf_init(&auth, 4096);
	lines[n++] = "mock.test";
	if (a != NULL) {
		for (i = 0; i < a->ncaps && n < 256; i++)
			if (m->tls == NULL ||
			    strcasecmp(a->caps[i], "STARTTLS") != 0)
				lines[n++] = a->caps[i];
	} else {
		lines[n++] = "PIPELINING";
		if (m->tls_ctx != NULL && m->tls == NULL)
			lines[n++] = "STARTTLS";
	}
	if (auth_offered(m)) {
		bad = mbuf_adds(&auth, "AUTH");
		for (i = 0; i < m->sc->nauth_mechs && !bad; i++)
			bad = mbuf_addc(&auth, ' ') ||
			    mbuf_adds(&auth, m->sc->auth_mechs[i]);
		lines[n++] = mbuf_str(&auth);
	}
	for (i = 0; i < n && !bad; i++)
		bad = mbuf_adds(out, i + 1 < n ? "250-" : "250 ") ||
		    mbuf_adds(out, lines[i]) || mbuf_adds(out, "\r\n");
	mbuf_clear(&auth);
	return bad ? -1 : 0;
}

/* tls_next - this reply to STARTTLS starts the handshake. */
static int
tls_next(const struct mserver *m, const char *verb, const char *text,
    size_t len)
{
	return verb != NULL && m->tls_ctx != NULL && m->tls == NULL &&
	    strcmp(verb, "STARTTLS") == 0 && len >= 3 &&
	    memcmp(text, "220", 3) == 0;
}

/* arm - start of a data phase: reset the counter, arm close-during-data. */
static void
arm(struct mserver *m)
{
	m->content = 0;
	m->msgbytes = 0;
	m->close_limit = m->close_next < m->sc->nclose_data ?
	    m->sc->close_data[m->close_next] : -1;
}

/* limit_hit - close-during-data reached: spend the value. */
static int
limit_hit(struct mserver *m)
{
	if (m->close_limit < 0 || m->content < m->close_limit)
		return 0;
	m->close_next++;
	m->close_limit = -1;
	return 1;
}

static void
log_message(struct mserver *m)
{
	if (!m->o->log || m->code[0] != '2')
		return;
	m->nmsgs++;
	fprintf(stderr, "smtpmock: message from %s to %ld recipient%s, "
	    "%lld bytes\n", m->from[0] ? m->from : "<?>", m->rcpts,
	    m->rcpts == 1 ? "" : "s", m->msgbytes);
}

/* answer_act - reply to verb (NULL: the greeting) with turn a (NULL: the
 * default reply). */
static enum next
answer_act(struct mserver *m, const char *verb, const struct mscn_act *a)
{
	enum mscn_act_kind kind = a != NULL ? a->kind : MSCN_ACT_DEFAULT;
	struct mbuf gen;
	char tmp[128];
	const char *text = NULL;
	size_t len = 0;
	enum next nx = NX_MORE;
	int ok = 0, streamed;

	mbuf_init(&gen, (size_t)MSCN_DATA_MAX + MSCN_INJECT_MAX);
	memset(m->code, 0, sizeof(m->code));
	if (a != NULL && a->delay_ms > 0 && flush_out(m) == NX_MORE)
		mio_sleep_ms(a->delay_ms);
	switch (kind) {
	case MSCN_ACT_CLOSE:
		if (verb != NULL)
			observe(m, verb, 0);
		nx = NX_CLOSE;
		goto out;
	case MSCN_ACT_RENEGOTIATE:
		observe(m, verb, 0);
		renegotiate(m, verb);
		nx = NX_CLOSE;
		goto out;
	case MSCN_ACT_DEFAULT:
		if (verb != NULL && strcmp(verb, "EHLO") == 0 &&
		    (m->tls_ctx != NULL || m->sc->nauth_mechs > 0)) {
			ok = ehlo_reply(m, NULL, &gen) == 0;
			text = mbuf_str(&gen);
			len = gen.len;
			break;
		}
		text = default_reply(m, verb, tmp, sizeof(tmp));
		len = strlen(text);
		break;
	case MSCN_ACT_EHLO:
		ok = ehlo_reply(m, a, &gen) == 0;
		text = mbuf_str(&gen);
		len = gen.len;
		break;
	case MSCN_ACT_REPLY:
	case MSCN_ACT_RAW:
	case MSCN_ACT_CLOSE_AFTER:
		text = mbuf_str(&a->text);
		len = a->text.len;
		break;
	case MSCN_ACT_LONGLINE:
	case MSCN_ACT_MANYLINES:
	case MSCN_ACT_TRICKLE:
		/* Streamed below; only the code is known here. */
		text = a->code;
		len = 3;
		break;
	}
	(void)ok;
	streamed = kind == MSCN_ACT_LONGLINE || kind == MSCN_ACT_MANYLINES ||
	    kind == MSCN_ACT_TRICKLE;
	if (len >= 3)
		memcpy(m->code, text, 3);
	if (kind != MSCN_ACT_CLOSE_AFTER && tls_next(m, verb, text, len)) {
		m->starttls = 1;
		if (m->sc->has_inject && !streamed) {
			/* The injection rides in the same write. */
			if (text != gen.p) {
				gen.len = 0;
				ok = mbuf_add(&gen, text, len) == 0;
			}
			if (mbuf_add(&gen, m->sc->inject.p,
			    m->sc->inject.len) == -1) {
				status(m, "reply too long (internal error)");
				m->failed = 1;
			}
			text = mbuf_str(&gen);
			len = gen.len;
		}
	}
	if (verb != NULL)
		observe(m, verb, m->starttls || (strcmp(verb, "DATA") == 0 &&
		    strcmp(m->code, "354") == 0));
	if (streamed) {
		/* A streamed reply cannot share a write with the injection. */
		nx = send_gen(m, a);
		if (nx == NX_MORE && m->starttls && m->sc->has_inject)
			nx = send_text(m, m->sc->inject.p, m->sc->inject.len);
	} else {
		nx = send_text(m, text, len);
	}
	if (nx == NX_CLOSE)
		goto out;
	if (kind == MSCN_ACT_CLOSE_AFTER || (verb != NULL &&
	    strcmp(verb, "QUIT") == 0) || (kind != MSCN_ACT_RAW &&
	    strcmp(m->code, "421") == 0)) {
		nx = NX_CLOSE;
		goto out;
	}
	if (strcmp(m->code, "334") == 0)
		m->cont = 1;
	if (verb != NULL && strcmp(verb, "DATA") == 0 &&
	    strcmp(m->code, "354") == 0) {
		m->st = ST_DATA;
		m->mid_line = 0;
		arm(m);
		if (limit_hit(m))
			nx = NX_CLOSE;
	}
out:
	mbuf_clear(&gen);
	return nx;
}

/* answer - reply to verb (NULL: the greeting) following the script. */
static enum next
answer(struct mserver *m, const char *verb)
{
	return answer_act(m, verb, pick(m, verb));
}

/* sasl_reply - send what msasl produced and keep its state. */
static enum next
sasl_reply(struct mserver *m, enum msasl_res res, int ok,
    const struct mbuf *reply)
{
	m->in_sasl = res == MSASL_MORE;
	if (ok)
		m->authed = 1;
	memset(m->code, 0, sizeof(m->code));
	if (reply->len >= 3)
		memcpy(m->code, reply->p, 3);
	return send_text(m, reply->p, reply->len);
}

/* auth - "AUTH MECH [initial-response]" with auth-mechs given. */
static enum next
auth(struct mserver *m, const char *line, size_t len)
{
	const struct mscn_act *a = pick(m, "AUTH");
	struct msasl_chan ch;
	struct mbuf copy, reply;
	char *cur, *mech = NULL, *ir = NULL, *c;
	const char *fixed = NULL;
	enum msasl_res res = MSASL_DONE;
	enum next nx;
	size_t i;
	int ok = 0;

	/* A scripted turn overrides the engine for this command. */
	if (a != NULL && a->kind != MSCN_ACT_DEFAULT)
		return answer_act(m, "AUTH", a);
	if (a != NULL && a->delay_ms > 0 && flush_out(m) == NX_MORE)
		mio_sleep_ms(a->delay_ms);
	mbuf_init(&copy, (size_t)MSERVER_LINE_MAX + 1);
	mbuf_init(&reply, MSASL_REPLY_MAX);
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (mbuf_add(&copy, line, len) == -1)
		merr_oom();	/* cannot happen: len <= MSERVER_LINE_MAX */
	cur = copy.p != NULL ? copy.p + 4 : NULL;
	if (cur != NULL && (*cur == ' ' || *cur == '\t')) {
		while (*cur == ' ' || *cur == '\t')
			cur++;
		mech = *cur != '\0' ? cur : NULL;
		cur += strcspn(cur, " \t");
		if (*cur != '\0') {
			*cur++ = '\0';
			while (*cur == ' ' || *cur == '\t')
				cur++;
			ir = *cur != '\0' ? cur : NULL;
			if (ir != NULL && ir[strcspn(ir, " \t")] != '\0')
				mech = NULL;	/* more than two words */
		}
	}
	if (mech == NULL) {
		fixed = "501 5.5.4 Syntax: AUTH mechanism "
		    "[initial-response]\r\n";
	} else if (!auth_offered(m)) {
		fixed = "503 5.5.1 Error: authentication not enabled\r\n";
	} else if (m->authed) {
		fixed = "503 5.5.1 Error: already authenticated\r\n";
	} else {
		for (c = mech; *c != '\0'; c++)
			*c = (char)toupper((unsigned char)*c);
		for (i = 0; i < m->sc->nauth_mechs; i++)
			if (strcmp(m->sc->auth_mechs[i], mech) == 0)
				break;
		if (i == m->sc->nauth_mechs)
			fixed = "504 5.5.4 Unrecognized authentication "
			    "type\r\n";
	}
	if (fixed != NULL) {
		if (mbuf_adds(&reply, fixed) == -1)
			merr_oom();
	} else {
		ch.tls = m->tls;
		ch.plus_offered = plus_offered(m);
		res = msasl_begin(m->sasl, mech, ir, &ch, &reply, &ok);
	}
	observe(m, "AUTH", 0);
	nx = sasl_reply(m, res, ok, &reply);
	mbuf_clear(&copy);
	mbuf_clear(&reply);
	return nx;
}

/* sasl_line - a continuation line of an AUTH exchange run by msasl. */
static enum next
sasl_line(struct mserver *m, const char *line, size_t len)
{
	struct mbuf reply;
	enum msasl_res res;
	enum next nx;
	int ok = 0;

	mbuf_init(&reply, MSASL_REPLY_MAX);
	res = msasl_step(m->sasl, line, len, &reply, &ok);
	nx = sasl_reply(m, res, ok, &reply);
	mbuf_clear(&reply);
	return nx;
}

/*
 * hostile_handshake - tls-close-during-handshake and
 * tls-garbage-during-handshake: read the client's first TLS record (its
 * ClientHello; pre[0..npre) was read already), for at most
 * MTLS_HANDSHAKE_MS, then send the garbage TEXT if asked, instead of a
 * ServerHello.  The caller closes.
 */
static void
hostile_handshake(struct mserver *m, const char *pre, size_t npre)
{
	unsigned char hdr[5];
	char chunk[4096];
	long long deadline = mio_now_ms() + MTLS_HANDSHAKE_MS;
	size_t have = 0, need = sizeof(hdr), k;
	const char *how = "got nothing";
	struct pollfd pfd;
	ssize_t r;
	long left;
	int rounds;

	k = npre < sizeof(hdr) ? npre : sizeof(hdr);
	if (k > 0)
		memcpy(hdr, pre, k);
	have = npre;
	/* Bounded by the deadline and the number of rounds. */
	for (rounds = 0; rounds < 100000; rounds++) {
		if (have >= sizeof(hdr) && need == sizeof(hdr)) {
			if (hdr[0] != 0x16) {
				how = "got something that is not a TLS "
				    "handshake record";
				break;
			}
			need += (size_t)hdr[3] << 8 | hdr[4];
		}
		if (have >= need) {
			how = "read the ClientHello record";
			break;
		}
		left = (long)(deadline - mio_now_ms());
		if (left <= 0) {
			how = have > 0 ? "timed out in the middle of the "
			    "ClientHello" : "timed out waiting for a ClientHello";
			break;
		}
		pfd.fd = m->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, left > 1000 ? 1000 : (int)left) <= 0)
			continue;
		k = need - have < sizeof(chunk) ? need - have : sizeof(chunk);
		r = read(m->fd, chunk, k);
		if (r == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0) {
			how = have > 0 ? "the client closed in the middle of "
			    "the ClientHello" : "the client closed before a "
			    "ClientHello";
			break;
		}
		if (have < sizeof(hdr))
			memcpy(hdr + have, chunk, sizeof(hdr) - have <
			    (size_t)r ? sizeof(hdr) - have : (size_t)r);
		have += (size_t)r;
	}
	fprintf(stderr, "smtpmock: %s: %s (%zu bytes); %s\n",
	    m->sc->tls_hs == MSCN_HS_CLOSE ? "tls-close-during-handshake" :
	    "tls-garbage-during-handshake", how, have,
	    m->sc->tls_hs == MSCN_HS_CLOSE ? "closing without an answer" :
	    "sending the garbage instead of a ServerHello, closing");
	if (m->sc->tls_hs == MSCN_HS_GARBAGE)
		(void)send_text(m, m->sc->tls_garbage.p,
		    m->sc->tls_garbage.len);
}

/* expect_alert - the tls-expect-alert check: alert is the fatal alert
 * that ended the handshake ("" none), or NULL when it succeeded. */
static void
expect_alert(struct mserver *m, const char *alert)
{
	const char *want = m->sc->tls_alert;
	char msg[200];

	if (want == NULL || (alert != NULL && strcmp(alert, want) == 0))
		return;
	snprintf(msg, sizeof(msg), "%%server: the TLS handshake %s%s%s, not "
	    "with the alert %s", alert == NULL ? "succeeded" : *alert == '\0'
	    ? "ended without an alert" : "ended with the alert ",
	    alert != NULL && *alert ? alert : "", "", want);
	status(m, msg);
}

/* expect_sni - the tls-expect-sni check after a handshake that
 * succeeded: the name the client sent ("-": none). */
static void
expect_sni(struct mserver *m)
{
	const char *want = m->sc->tls_sni;
	char got[256], msg[400];

	if (want == NULL)
		return;
	(void)mtls_server_name(m->tls, got, sizeof(got));
	if (strcmp(got, strcmp(want, "-") == 0 ? "" : want) == 0)
		return;
	snprintf(msg, sizeof(msg), "%%server: the client sent the server name "
	    "(SNI) \"%s\", not \"%s\"", got, want);
	status(m, msg);
}

/* start_tls - the handshake after STARTTLS; bytes the client sent after
 * its STARTTLS line go to TLS, unrecorded.  NX_CLOSE when it fails. */
static enum next
start_tls(struct mserver *m)
{
	char alert[64];
	struct merr e;

	m->starttls = 0;
	if (flush_out(m) == NX_CLOSE)   /* the 220, before TLS */
		return NX_CLOSE;
	if (m->sc->tls_hs != MSCN_HS_NORMAL) {
		hostile_handshake(m, m->in.p, m->in.len);
		mbuf_consume(&m->in, m->in.len);
		return NX_CLOSE;
	}
	if (mtls_accept(m->tls_ctx, m->fd, m->in.p, m->in.len,
	    MTLS_HANDSHAKE_MS, &m->tls, alert, sizeof(alert), &e) == -1) {
		mbuf_consume(&m->in, m->in.len);
		if (m->o->log)
			fprintf(stderr, "smtpmock: %s\n", e.msg);
		expect_alert(m, alert);
		return NX_CLOSE;
	}
	expect_alert(m, NULL);
	expect_sni(m);
	mbuf_consume(&m->in, m->in.len);
	if (m->o->log)
		fprintf(stderr, "smtpmock: STARTTLS: %s\n",
		    mtls_version(m->tls));
	/* RFC 3207 4.2: forget everything learnt before. */
	m->cont = 0;
	m->in_bdat = 0;
	m->in_sasl = 0;
	m->authed = 0;
	msasl_reset(m->sasl);
	return NX_MORE;
}
/* envelope - remember MAIL FROM for the log. */
static void
envelope(struct mserver *m, const char *line, size_t len)
{
	size_t i = 0, j;

	if (len > 10 && strncasecmp(line, "MAIL FROM:", 10) == 0)
		i = 10;
	while (i < len && line[i] == ' ')
		i++;
	for (j = 0; i < len && j + 1 < sizeof(m->from) && line[i] != ' ' &&
	    line[i] != '\r' && line[i] != '\n'; i++, j++)
		m->from[j] = isprint((unsigned char)line[i]) ? line[i] : '?';
	m->from[j] = '\0';
	m->rcpts = 0;
}

/* bdat - "BDAT size [LAST]": start reading the chunk. */
static enum next
bdat(struct mserver *m, const char *line, size_t len)
{
	char args[128], *end, *w;
	unsigned long long size;
	size_t n = len - 4;

	while (n > 0 && (line[4 + n - 1] == '\n' || line[4 + n - 1] == '\r'))
		n--;
	if (n == 0 || n >= sizeof(args) || (line[4] != ' '))
		goto bad;
	memcpy(args, line + 4, n);
	args[n] = '\0';
	w = args;
	while (*w == ' ')
		w++;
	if (!isdigit((unsigned char)*w))
		goto bad;
	errno = 0;
	size = strtoull(w, &end, 10);
	if (errno != 0 || size > (unsigned long long)MSERVER_RECORD_MAX)
		goto bad;
	while (*end == ' ')
		end++;
	m->bdat_last = 0;
	if (strncasecmp(end, "LAST", 4) == 0) {
		m->bdat_last = 1;
		end += 4;
		while (*end == ' ')
			end++;
	}
	if (*end != '\0')
		goto bad;
	if (!m->in_bdat)
		arm(m);
	m->in_bdat = !m->bdat_last;
	m->bdat_size = size;
	m->bdat_left = size;
	m->st = ST_BDAT;
	if (limit_hit(m))
		return NX_CLOSE;
	if (size == 0) {
		enum next nx;

		m->st = ST_CMD;
		nx = answer(m, "BDAT");
		if (m->bdat_last)
			log_message(m);
		return nx;
	}
	return NX_MORE;
bad:
	m->in_bdat = 0;
	return send_text(m, "501 5.5.4 Syntax: BDAT size [LAST]\r\n", 36);
}

/* command - one complete command line (recorded already). */
static enum next
command(struct mserver *m, const char *line, size_t len)
{
	char verb[MSCN_VERB_MAX];
	size_t i;
	enum next nx;

	m->ncmds++;
	if (len > (size_t)MSERVER_LINE_MAX)
		return send_text(m, "500 5.5.2 Error: line too long\r\n", 32);
	if (m->in_sasl)
		return sasl_line(m, line, len);
	if (m->cont) {
		m->cont = 0;
		m->in_bdat = 0;
		return answer(m, "+");
	}
	for (i = 0; i < len && i + 1 < sizeof(verb) && line[i] != ' ' &&
	    line[i] != '\t' && line[i] != '\r' && line[i] != '\n'; i++)
		verb[i] = (char)toupper((unsigned char)line[i]);
	verb[i] = '\0';
	if (strcmp(verb, "BDAT") == 0)
		return bdat(m, line, len);
	m->in_bdat = 0;
	if (strcmp(verb, "AUTH") == 0 && m->sasl != NULL)
		return auth(m, line, len);
	if (strcmp(verb, "MAIL") == 0)
		envelope(m, line, len);
	nx = answer(m, verb);
	if (strcmp(verb, "RCPT") == 0 && m->code[0] == '2')
		m->rcpts++;
	return nx;
}

/* take - how much of n content bytes may be consumed before closing. */
static size_t
take(struct mserver *m, size_t n)
{
	long long allow;

	if (m->close_limit < 0)
		return n;
	allow = m->close_limit - m->content;
	if (allow <= 0)
		return 0;
	return (unsigned long long)allow < n ? (size_t)allow : n;
}

/* process - handle whatever complete input is buffered. */
static enum next
process(struct mserver *m)
{
	struct mbuf *in = &m->in;
	const char *lf;
	size_t n, t;
	enum next nx;

	/* Bounded: every round consumes input or returns. */
	while (in->len > 0 && !m->failed) {
		lf = memchr(in->p, '\n', in->len);
		switch (m->st) {
		case ST_CMD:
			if (lf == NULL) {
				if (in->len <= (size_t)MSERVER_LINE_MAX)
					return NX_MORE;
				record(m, in->p, in->len);
				mbuf_consume(in, in->len);
				m->st = ST_LONG;
				return NX_MORE;
			}
			n = (size_t)(lf - in->p) + 1;
			record(m, in->p, n);
			m->cur_len = n;
			nx = command(m, in->p, n);
			m->cur_len = 0;
			mbuf_consume(in, n);
			if (nx == NX_CLOSE)
				return nx;
			if (m->starttls && start_tls(m) == NX_CLOSE)
				return NX_CLOSE;
			break;
		case ST_LONG:
			n = lf != NULL ? (size_t)(lf - in->p) + 1 : in->len;
			record(m, in->p, n);
			mbuf_consume(in, n);
			if (lf == NULL)
				return NX_MORE;
			m->st = ST_CMD;
			m->ncmds++;
			if (send_text(m, "500 5.5.2 Error: line too long\r\n",
			    32) == NX_CLOSE)
				return NX_CLOSE;
			break;
		case ST_DATA:
			if (!m->mid_line && in->len < 3 &&
			    memcmp(in->p, ".\r\n", in->len) == 0)
				return NX_MORE;
			if (!m->mid_line && memcmp(in->p, ".\r\n", 3) == 0) {
				record(m, in->p, 3);
				mbuf_consume(in, 3);
				m->st = ST_CMD;
				nx = answer(m, ".");
				log_message(m);
				if (nx == NX_CLOSE)
					return nx;
				break;
			}
			n = lf != NULL ? (size_t)(lf - in->p) + 1 : in->len;
			t = take(m, n);
			record(m, in->p, t);
			mbuf_consume(in, t);
			m->content += (long long)t;
			m->msgbytes += (long long)t;
			m->mid_line = !(t == n && lf != NULL);
			if (limit_hit(m))
				return NX_CLOSE;
			break;
		case ST_BDAT:
			n = in->len < m->bdat_left ? in->len :
			    (size_t)m->bdat_left;
			t = take(m, n);
			record(m, in->p, t);
			mbuf_consume(in, t);
			m->bdat_left -= t;
			m->content += (long long)t;
			m->msgbytes += (long long)t;
			if (limit_hit(m))
				return NX_CLOSE;
			if (m->bdat_left == 0) {
				m->st = ST_CMD;
				nx = answer(m, "BDAT");
				if (m->bdat_last)
					log_message(m);
				if (nx == NX_CLOSE)
					return nx;
			}
			break;
		}
	}
	return m->failed ? NX_CLOSE : NX_MORE;
}

/* close_conn - orderly close: FIN first, drain a little, so replies sent
 * just before are not destroyed by a reset. */
static void
close_conn(int fd)
{
	char junk[4096];
	long long deadline = mio_now_ms() + 1000;
	struct pollfd pfd;
	ssize_t r;
	int rounds;

	shutdown(fd, SHUT_WR);
	for (rounds = 0; rounds < 10000; rounds++) {
		long left = (long)(deadline - mio_now_ms());

		if (left <= 0)
			break;
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)left) <= 0)
			break;
		r = read(fd, junk, sizeof(junk));
		if (r <= 0 && !(r == -1 && (errno == EINTR ||
		    errno == EAGAIN)))
			break;
	}
	close(fd);
}

/* read_exact - n bytes from fd within MSERVER_SOCKS_MS; 0, or -1 when
 * the client closed or stalled. */
static int
read_exact(int fd, unsigned char *p, size_t n)
{
	long long deadline = mio_now_ms() + MSERVER_SOCKS_MS;
	struct pollfd pfd;
	size_t done = 0;
	ssize_t r;

	while (done < n) {
		long left = (long)(deadline - mio_now_ms());

		if (left <= 0)
			return -1;
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		r = read(fd, p + done, n - done);
		if (r == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0)
			return -1;
		done += (size_t)r;
	}
	return 0;
}

/* socks_record - "SOCKS5 WHAT" and the bytes p[0..n) in hex, then those
 * of name[0..nn) (a domain name) in quotes, printable bytes as they are,
 * others as \xHH, then the bytes tail[0..nt) in hex; CRLF. */
static void
socks_record(struct mserver *m, const char *what, const unsigned char *p,
    size_t n, const unsigned char *name, size_t nn, const unsigned char *tail,
    size_t nt)
{
	char line[64 + 4 * 255 + 3 * 32];
	size_t o, i;

	o = (size_t)snprintf(line, sizeof(line), "SOCKS5 %s", what);
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(line + o, sizeof(line) - o, " %02x", p[i]);
	if (nn > 0)
		o += (size_t)snprintf(line + o, sizeof(line) - o, " \"");
	for (i = 0; i < nn; i++)
		o += (size_t)snprintf(line + o, sizeof(line) - o,
		    name[i] > 0x20 && name[i] < 0x7f && name[i] != '"' &&
		    name[i] != '\\' ? "%c" : "\\x%02x", name[i]);
	if (nn > 0)
		o += (size_t)snprintf(line + o, sizeof(line) - o, "\"");
	for (i = 0; i < nt; i++)
		o += (size_t)snprintf(line + o, sizeof(line) - o, " %02x",
		    tail[i]);
	o += (size_t)snprintf(line + o, sizeof(line) - o, "\r\n");
	record(m, line, o);
}

/*
 * socks_serve - the proxy's side of a SOCKS5 handshake (RFC 1928) before
 * the greeting: the method request and the CONNECT request are recorded
 * as text lines (socks_record), the method 0 (no authentication) chosen,
 * and the CONNECT answered with the script's reply code (bound address
 * 0.0.0.0:0).  0 when the SMTP session follows; -1 to close.
 */
static int
socks_serve(struct mserver *m)
{
	static const unsigned char ok[2] = { 5, 0 }, none[2] = { 5, 0xff };
	unsigned char b[2 + 255], req[4 + 1 + 255 + 2], rep[10];
	size_t nm, len, nn;
	int fd = m->fd;

	if (read_exact(fd, b, 2) == -1 ||
	    read_exact(fd, b + 2, (nm = b[1])) == -1) {
		status(m, "SOCKS5: the method request was cut short");
		return -1;
	}
	socks_record(m, "methods", b, 2 + nm, NULL, 0, NULL, 0);
	if (m->sc->socks5_close)
		return -1;
	if (memchr(b + 2, 0, nm) == NULL) {
		(void)mio_write_all(fd, none, 2, MSERVER_SOCKS_MS);
		return -1;
	}
	if (mio_write_all(fd, ok, 2, MSERVER_SOCKS_MS) == -1 ||
	    read_exact(fd, req, 4) == -1)
		return -1;
	len = req[3] == 1 ? 4 : req[3] == 4 ? 16 : 0;
	if (req[3] == 3 && read_exact(fd, req + 4, 1) == -1)
		return -1;
	nn = req[3] == 3 ? req[4] : 0;
	if ((req[3] == 3 ? read_exact(fd, req + 5, nn + 2) :
	    read_exact(fd, req + 4, len + 2)) == -1)
		return -1;
	if (req[3] == 3)
		socks_record(m, "connect", req, 5, req + 5, nn, req + 5 + nn, 2);
	else
		socks_record(m, "connect", req, 4 + len + 2, NULL, 0, NULL, 0);
	memset(rep, 0, sizeof(rep));
	rep[0] = 5;
	rep[1] = (unsigned char)m->sc->socks5_reply;
	rep[3] = 1;
	if (mio_write_all(fd, rep, sizeof(rep), MSERVER_SOCKS_MS) == -1)
		return -1;
	return m->sc->socks5_reply == 0 ? 0 : -1;
}

static void
serve_conn(struct mserver *m, int fd)
{
	char chunk[65536];
	long long last = mio_now_ms();
	struct pollfd pfd;
	ssize_t r;
	size_t i;

	m->fd = fd;
	m->conn_no++;
	m->st = ST_CMD;
	m->cont = 0;
	m->tls = NULL;
	m->starttls = m->in_sasl = m->authed = 0;
	msasl_reset(m->sasl);
	m->cur_len = 0;
	m->eof = 0;
	m->in_bdat = 0;
	m->from[0] = '\0';
	m->rcpts = m->ncmds = m->nmsgs = 0;
	m->close_limit = -1;
	mbuf_init(&m->in, (size_t)MSERVER_LINE_MAX + sizeof(chunk));
	mbuf_init(&m->out, MSERVER_OUT_MAX);
	if (m->sc->per_connection) {
		for (i = 0; i < m->sc->nverbs; i++)
			m->cursor[i] = m->pipe_cursor[i] = 0;
		m->greet_cursor = 0;
		m->close_next = 0;
	}
	if (m->o->status_fd != -1)
		(void)!write(m->o->status_fd, "C", 1);
	if (m->sc->socks5 && socks_serve(m) == -1)
		goto out;
	if (m->sc->tls_implicit && m->sc->tls_hs != MSCN_HS_NORMAL) {
		hostile_handshake(m, NULL, 0);
		goto out;
	}
	if (m->sc->tls_implicit) {
		struct merr e;

		char alert[64];

		if (mtls_accept(m->tls_ctx, fd, NULL, 0, MTLS_HANDSHAKE_MS,
		    &m->tls, alert, sizeof(alert), &e) == -1) {
			if (m->o->log)
				fprintf(stderr, "smtpmock: %s\n", e.msg);
			expect_alert(m, alert);
			goto out;
		}
		expect_alert(m, NULL);
		expect_sni(m);
	}
	if (answer(m, NULL) == NX_CLOSE)
		goto out;
	for (;;) {
		long idle = (long)(last + m->o->idle_ms - mio_now_ms());

		if (process(m) == NX_CLOSE || flush_out(m) == NX_CLOSE)
			goto out;
		if (m->eof)
			break;	/* seen while looking ahead */
		if (idle <= 0) {
			status(m, "connection idle too long; closed");
			goto out;
		}
		/* Decrypted bytes may wait inside the TLS session. */
		if (m->tls == NULL || mtls_pending(m->tls) == 0) {
			pfd.fd = fd;
			pfd.events = POLLIN;
			if (poll(&pfd, 1, idle > 1000 ? 1000 :
			    (int)idle) <= 0)
				continue;
		}
		/* Keep the buffer bounded: read only what fits. */
		if (m->tls != NULL) {
			r = mtls_read(m->tls, chunk, sizeof(chunk));
			if (r == -2)
				continue;
		} else {
			r = read(fd, chunk, sizeof(chunk));
			if (r == -1 && (errno == EINTR || errno == EAGAIN))
				continue;
		}
		if (r <= 0)
			break;
		last = mio_now_ms();
		if (mbuf_add(&m->in, chunk, (size_t)r) == -1) {
			status(m, "input buffer overflow (internal error)");
			m->failed = 1;
			goto out;
		}
	}
	/* EOF: keep whatever partial input came last. */
	record(m, m->in.p, m->in.len);
out:
	(void)flush_out(m);
	if (m->o->log)
		fprintf(stderr, "smtpmock: connection %ld closed: %ld "
		    "command%s, %ld message%s\n", m->conn_no, m->ncmds,
		    m->ncmds == 1 ? "" : "s", m->nmsgs,
		    m->nmsgs == 1 ? "" : "s");
	mbuf_clear(&m->in);
	mbuf_clear(&m->out);
	if (m->tls != NULL)
		mtls_bye(m->tls);
	close_conn(fd);
	mtls_free(m->tls);
	m->tls = NULL;
	m->starttls = m->in_sasl = 0;
	msasl_reset(m->sasl);
}

/* expand_path - a file name of the script with its placeholders. */
static int
expand_path(const struct mserver_opts *o, const char *src, char *dst,
    size_t dsz, struct merr *e)
{
	struct mbuf b;
	struct merr e2;
	int rc = -1;

	mbuf_init(&b, dsz - 1);
	if (mtext_expand(src, strlen(src), o->sub, &b, &e2) == -1) {
		merr_set(e, "%s: %s", src, e2.msg);
		goto out;
	}
	memcpy(dst, mbuf_str(&b), b.len + 1);
	rc = 0;
out:
	mbuf_clear(&b);
	return rc;
}

/* setup - TLS credentials and the SASL engine, as the script asks. */
static int
setup(struct mserver *m, struct merr *e)
{
	const struct mscn_server *sc = m->sc;
	char cert[MSERVER_PATH_MAX], key[MSERVER_PATH_MAX];
	char ca[MSERVER_PATH_MAX];

	if (sc->tls_cert != NULL) {
		if (expand_path(m->o, sc->tls_cert, cert, sizeof(cert),
		    e) == -1 ||
		    expand_path(m->o, sc->tls_key, key, sizeof(key), e) == -1 ||
		    (sc->tls_ca != NULL && expand_path(m->o, sc->tls_ca, ca,
		    sizeof(ca), e) == -1))
			return -1;
		if (mtls_ctx_new(&m->tls_ctx, cert, key, sc->tls_ca != NULL ?
		    ca : NULL, sc->tls_prio, e) == -1)
			return -1;
		if (sc->tls_ticket_with_reply &&
		    mtls_ctx_ticket_with_reply(m->tls_ctx, e) == -1)
			return -1;
	}
	if (sc->nauth_mechs > 0 && msasl_new(&m->sasl, sc->auth_user,
	    sc->auth_pass, sc->auth_token, e) == -1)
		return -1;
	return 0;
}

int
mserver_run(const struct mscn_server *sc, const struct mserver_opts *o)
{
	struct mserver m;
	struct pollfd pfd[2];
	long long idle_end;
	long conns, max_conns;
	int stopping = 0, fd, nfds;
	struct merr e;

	signal(SIGPIPE, SIG_IGN);
	memset(&m, 0, sizeof(m));
	m.sc = sc;
	m.o = o;
	m.cursor = calloc(sc->nverbs + 1, sizeof(*m.cursor));
	m.pipe_cursor = calloc(sc->nverbs + 1, sizeof(*m.pipe_cursor));
	if (m.cursor == NULL || m.pipe_cursor == NULL)
		merr_oom();
	if (mio_nonblock(o->listen_fd) == -1) {
		status(&m, "cannot make the socket non-blocking");
		m.failed = 1;
		goto out;
	}
	if (setup(&m, &e) == -1) {
		status(&m, e.msg);
		m.failed = 1;
		goto out;
	}
	max_conns = o->stop_fd == -1 ? MSERVER_SERVE_CONN_MAX : MSCN_CONN_MAX;
	idle_end = mio_now_ms() + o->idle_ms;
	for (conns = 0; conns < max_conns && !m.failed; ) {
		fd = accept4(o->listen_fd, NULL, NULL,
		    SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd == -1 && errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR && errno != ECONNABORTED) {
			status(&m, "accept failed");
			m.failed = 1;
			break;
		}
		if (fd == -1) {
			long left = (long)(idle_end - mio_now_ms());

			if (stopping || left <= 0)
				break;
			pfd[0].fd = o->listen_fd;
			pfd[0].events = POLLIN;
			pfd[1].fd = o->stop_fd;
			pfd[1].events = POLLIN;
			nfds = o->stop_fd != -1 ? 2 : 1;
			pfd[1].revents = 0;
			if (poll(pfd, (nfds_t)nfds, left > 1000 ? 1000 :
			    (int)left) > 0 && nfds == 2 && pfd[1].revents)
				stopping = 1;	/* drain the backlog, then go */
			continue;
		}
		conns++;
		/* replies leave when written, as a real server's do: without
		 * this, a reply written while the previous one is unacknowledged
		 * waits for the client's delayed ACK (Nagle); fails, harmlessly,
		 * on a Unix socket */
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 },
		    sizeof(int));
		serve_conn(&m, fd);
		if (o->once)
			break;
		idle_end = mio_now_ms() + o->idle_ms;
	}
out:
	mtls_ctx_free(m.tls_ctx);
	msasl_free(m.sasl);
	free(m.cursor);
	free(m.pipe_cursor);
	return m.failed ? -1 : 0;
}

int
mserver_listen_unix(const char *path, struct merr *e)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		return merr_set(e, "listen-unix: %s is too long for a "
		    "Unix-domain socket (set TMPDIR to a shorter directory)",
		    path);
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return merr_set(e, "socket: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(fd, 64) == -1) {
		merr_set(e, "cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int
mserver_listen(int *port, struct merr *e)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return merr_set(e, "socket: %s", strerror(errno));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = 0;
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 64) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1) {
		merr_set(e, "cannot listen on 127.0.0.1: %s", strerror(errno));
		close(fd);
		return -1;
	}
	*port = ntohs(sin.sin_port);
	return fd;
}
