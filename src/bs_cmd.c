/*
 * bs_cmd.c - the commands of "sendmail -bs" (see bs.h and bs_int.h):
 * RFC 5321 4.1.1 (commands), 4.1.2 (paths), 4.1.4 (sequencing), 4.5.3.1.8
 * (recipients); RFC 1870 SIZE=, RFC 6152 BODY=, RFC 3463 enhanced codes.
 * Each handler queues its replies with bs_reply.
 */
#include <config.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "addr.h"
#include "bs.h"
#include "bs_int.h"
#include "gettext.h"
#include "reply.h"
#include "utf8.h"
#include "util.h"
#include "xalloc.h"

/* RFC 1870: SIZE=<1*20DIGIT> */
#define SIZE_DIGITS_MAX 20

/* spool_open - a new, already unlinked file for the data; -1 on failure. */
static int
spool_open(const struct bs_session *s)
{
	const char *dir = s->spool_dir;
	struct err err;

	return util_tmpfile(dir, _("spool file"), &err);
}

/* ---- the transaction ---- */

void
bs_txn_reset(struct bs_session *s)
{
	free(s->sender);
	s->sender = NULL;
	strset_clear(&s->rcpt_set);
	addr_list_clear(&s->rcpts);
	addr_list_init(&s->rcpts);
	s->in_txn = false;
	s->rcpt_refused = false;
}

/*
 * parse_path - the path at s ("<addr>", after "FROM:" or "TO:", optional
 * spaces before it; RFC 5321 4.1.2, a source route is dropped) into addr
 * (size ADDR_MAX + 1); *rest points after the ">".  Returns 0, or -1 when
 * the syntax is wrong or the address too long.
 */
static int
parse_path(const char *s, char *addr, const char **rest)
{
	const char *p, *start, *colon;
	bool quoted = false;
	size_t n;

	while (*s == ' ')
		s++;
	if (*s != '<')
		return -1;
	start = ++s;
	for (p = start; *p != '\0'; p++) {
		if (quoted && *p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '"')
			quoted = !quoted;
		else if (*p == '>' && !quoted)
			break;
	}
	if (*p != '>')
		return -1;
	*rest = p + 1;
	if (*start == '@') {            /* A-d-l ":" Mailbox */
		colon = memchr(start, ':', (size_t)(p - start));
		if (colon == NULL)
			return -1;
		start = colon + 1;
	}
	n = (size_t)(p - start);
	if (n > ADDR_MAX)
		return -1;
	memcpy(addr, start, n);
	addr[n] = '\0';
	return 0;
}

/* parse_size - RFC 1870 "SIZE=" 1*20DIGIT; -1 when malformed or too big
 * for size_t (then it is over every limit anyway: *over). */
static int
parse_size(const char *v, size_t *size, bool *over)
{
	unsigned long long x;
	char *end;
	size_t n = strlen(v);

	*over = false;
	if (n == 0 || n > SIZE_DIGITS_MAX || strspn(v, "0123456789") != n)
		return -1;
	errno = 0;
	x = strtoull(v, &end, 10);
	if (errno == ERANGE || x > (size_t)-1) {
		*over = true;
		*size = (size_t)-1;
		return 0;
	}
	*size = (size_t)x;
	return 0;
}

/*
 * mail_params - check the parameters of MAIL (RFC 5321 4.1.1.2, SIZE, BODY)
 * and queue the refusal when one is wrong.  Returns 0 when all are good.
 */
static int
mail_params(struct bs_session *s, const char *p)
{
	bool have_size = false, have_body = false, over;
	char tok[BS_LINE_MAX + 1];
	size_t n, size;
	char *eq;

	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return 0;
		n = strcspn(p, " ");
		memcpy(tok, p, n);
		tok[n] = '\0';
		p += n;
		eq = strchr(tok, '=');
		if (eq != NULL)
			*eq++ = '\0';
		if (strcasecmp(tok, "SIZE") == 0) {
			if (have_size || eq == NULL
			    || parse_size(eq, &size, &over) < 0) {
				bs_reply(s, "501 5.5.4 bad SIZE parameter");
				return -1;
			}
			have_size = true;
			if (s->size_max > 0 && (over || size > s->size_max)) {
				bs_reply(s, "552 5.3.4 message size exceeds "
					 "fixed maximum message size");
				return -1;
			}
		} else if (strcasecmp(tok, "BODY") == 0) {
			if (have_body || eq == NULL) {
				bs_reply(s, "501 5.5.4 bad BODY parameter");
				return -1;
			}
			if (strcasecmp(eq, "7BIT") != 0
			    && strcasecmp(eq, "8BITMIME") != 0) {
				bs_reply(s, "555 5.5.4 unsupported BODY type");
				return -1;
			}
			have_body = true;
		} else {
			bs_reply(s, "555 5.5.4 unsupported MAIL parameter");
			return -1;
		}
	}
}

/* ---- command handlers: each queues its replies ---- */

static enum cmd_status
cmd_ehlo(struct bs_session *s, const char *arg, struct err *err)
{
	(void)err;
	if (*arg == '\0') {
		bs_reply(s, "501 5.5.4 syntax: EHLO domain");
		return CMD_NEXT;
	}
	bs_txn_reset(s);
	s->greeted = true;
	bs_reply(s, "250-%s", s->host);
	bs_reply(s, "250-PIPELINING");
	bs_reply(s, "250-8BITMIME");
	if (s->size_max > 0)
		bs_reply(s, "250-SIZE %zu", s->size_max);
	else
		bs_reply(s, "250-SIZE");
	bs_reply(s, "250 ENHANCEDSTATUSCODES");
	return CMD_NEXT;
}

static enum cmd_status
cmd_helo(struct bs_session *s, const char *arg, struct err *err)
{
	(void)err;
	if (*arg == '\0') {
		bs_reply(s, "501 5.5.4 syntax: HELO domain");
		return CMD_NEXT;
	}
	bs_txn_reset(s);
	s->greeted = true;
	bs_reply(s, "250 %s", s->host);
	return CMD_NEXT;
}

static enum cmd_status
cmd_mail(struct bs_session *s, const char *arg, struct err *err)
{
	char addr[ADDR_MAX + 1];
	const char *rest;
	struct err e;

	(void)err;
	if (!s->greeted) {
		bs_reply(s, "503 5.5.1 send HELO or EHLO first");
		return CMD_NEXT;
	}
	if (s->in_txn) {
		bs_reply(s, "503 5.5.1 nested MAIL command");
		return CMD_NEXT;
	}
	if (strncasecmp(arg, "FROM:", 5) != 0
	    || parse_path(arg + 5, addr, &rest) < 0
	    || (*rest != '\0' && *rest != ' ')) {
		bs_reply(s, "501 5.5.4 syntax: MAIL FROM:<address>");
		return CMD_NEXT;
	}
	if (mail_params(s, rest) < 0)
		return CMD_NEXT;
	if (addr_check(addr, true, &e) < 0) {
		bs_reply(s, "501 5.1.7 bad sender address syntax");
		return CMD_NEXT;
	}
	if (addr_is_8bit(addr)) {
		bs_reply(s, "553 5.6.7 non-ASCII address without SMTPUTF8");
		return CMD_NEXT;
	}
	s->sender = xstrdup(addr);
	s->in_txn = true;
	bs_reply(s, "250 2.1.0 OK");
	return CMD_NEXT;
}

static enum cmd_status
cmd_rcpt(struct bs_session *s, const char *arg, struct err *err)
{
	char addr[ADDR_MAX + 1];
	const char *rest;
	struct err e;

	(void)err;
	if (!s->in_txn) {
		bs_reply(s, "503 5.5.1 need MAIL command");
		return CMD_NEXT;
	}
	s->rcpt_refused = true;         /* until accepted below */
	if (strncasecmp(arg, "TO:", 3) != 0
	    || parse_path(arg + 3, addr, &rest) < 0
	    || (*rest != '\0' && *rest != ' ')) {
		bs_reply(s, "501 5.5.4 syntax: RCPT TO:<address>");
		return CMD_NEXT;
	}
	while (*rest == ' ')
		rest++;
	if (*rest != '\0') {
		bs_reply(s, "555 5.5.4 unsupported RCPT parameter");
		return CMD_NEXT;
	}
	if (addr_check(addr, false, &e) < 0) {
		bs_reply(s, "501 5.1.3 bad recipient address syntax");
		return CMD_NEXT;
	}
	if (addr_is_8bit(addr)) {
		bs_reply(s, "553 5.6.7 non-ASCII address without SMTPUTF8");
		return CMD_NEXT;
	}
	if (!strset_has(&s->rcpt_set, addr)) {
		if (s->rcpts.n >= BS_RCPTS_MAX) {
			bs_reply(s, "452 4.5.3 too many recipients");
			return CMD_NEXT;
		}
		addr_list_add(&s->rcpts, addr);
		strset_add(&s->rcpt_set, s->rcpts.v[s->rcpts.n - 1]);
	}
	s->rcpt_refused = false;
	bs_reply(s, "250 2.1.5 OK");
	return CMD_NEXT;
}

/* submit - hand the received message to the callback; queue its reply. */
static void
submit(struct bs_session *s)
{
	struct bs_message m;
	char text[BS_TEXT_MAX], clean[BS_REPLY_MAX], enh[ERR_ENH_MAX];
	int code = 0, rc;
	size_t len;

	m.sender = s->sender;
	m.rcpts = s->rcpts.v;
	m.nrcpts = s->rcpts.n;
	m.fd = s->data.fd;
	text[0] = '\0';
	bs_flush(s);       /* the client sees the earlier replies meanwhile */
	rc = s->submit(&m, s->arg, &code, text, sizeof(text));
	text[sizeof(text) - 1] = '\0';
	if (code < 200 || code > 599 || (code < 400 && rc < 0)
	    || (code >= 300 && code < 400)) {
		code = 451;
		if (text[0] == '\0')
			snprintf(text, sizeof(text), "local error in "
				 "processing");
	}
	if (code < 300)
		code = 250;
	if (text[0] == '\0')
		snprintf(text, sizeof(text), "%s",
			 code == 250 ? "OK" : "failed");
	len = printable(clean, sizeof(clean) - 20, text, strlen(text));
	if (reply_enh_parse(clean, len, code / 100, enh) > 0)
		bs_reply(s, "%d %s", code, clean);
	else
		bs_reply(s, "%d %d.0.0 %s", code, code / 100, clean);
}

static enum cmd_status
cmd_data(struct bs_session *s, const char *arg, struct err *err)
{
	enum in_status st;

	if (*arg != '\0') {
		bs_reply(s, "501 5.5.4 syntax: DATA");
		return CMD_NEXT;
	}
	if (!s->in_txn) {
		bs_reply(s, "503 5.5.1 need MAIL command");
		return CMD_NEXT;
	}
	if (s->rcpts.n == 0) {
		if (s->rcpt_refused)
			bs_reply(s, "554 5.5.1 no valid recipients");
		else
			bs_reply(s, "503 5.5.1 need RCPT command");
		return CMD_NEXT;
	}
	s->data.fd = spool_open(s);
	if (s->data.fd < 0) {
		bs_reply(s, "451 4.3.0 cannot create a spool file");
		return CMD_NEXT;
	}
	bs_reply(s, "354 end data with <CR><LF>.<CR><LF>");
	st = bs_read_data(s, err);
	if (st == IN_OK) {
		if (s->data.too_big)
			bs_reply(s, "552 5.3.4 message size exceeds fixed "
				 "maximum message size");
		else if (s->data.nul)
			bs_reply(s, "554 5.6.0 message contains NUL bytes");
		else if (s->data.werrno == ENOSPC
			 || s->data.werrno == EDQUOT)
			bs_reply(s, "452 4.3.1 insufficient system storage");
		else if (s->data.werrno != 0)
			bs_reply(s, "451 4.3.0 cannot write the message");
		else
			submit(s);
	}
	close(s->data.fd);
	s->data.fd = -1;
	bs_txn_reset(s);
	if (st == IN_OK)
		return CMD_NEXT;
	if (st == IN_TIMEOUT) {
		bs_reply(s, "421 4.4.2 timeout");
		err_set(err, ERR_NET, true, _("timed out waiting for the SMTP "
					     "client; a message was "
					     "discarded"));
	} else if (st == IN_EOF) {
		err_set(err, ERR_NET, true, _("the SMTP client closed the "
					     "input inside a message; it was "
					     "discarded"));
	}
	return CMD_END_ERR;
}

static enum cmd_status
cmd_rset(struct bs_session *s, const char *arg, struct err *err)
{
	(void)err;
	if (*arg != '\0') {
		bs_reply(s, "501 5.5.4 syntax: RSET");
		return CMD_NEXT;
	}
	bs_txn_reset(s);
	bs_reply(s, "250 2.0.0 OK");
	return CMD_NEXT;
}

static enum cmd_status
cmd_noop(struct bs_session *s, const char *arg, struct err *err)
{
	(void)arg;
	(void)err;
	bs_reply(s, "250 2.0.0 OK");
	return CMD_NEXT;
}

static enum cmd_status
cmd_quit(struct bs_session *s, const char *arg, struct err *err)
{
	(void)err;
	if (*arg != '\0') {
		bs_reply(s, "501 5.5.4 syntax: QUIT");
		return CMD_NEXT;
	}
	bs_reply(s, "221 2.0.0 %s closing connection", s->host);
	return CMD_QUIT;
}

static enum cmd_status
cmd_vrfy(struct bs_session *s, const char *arg, struct err *err)
{
	(void)err;
	if (*arg == '\0')
		bs_reply(s, "501 5.5.4 syntax: VRFY address");
	else
		bs_reply(s, "252 2.0.0 cannot VRFY user, but will accept "
			 "message and attempt delivery");
	return CMD_NEXT;
}

static enum cmd_status
cmd_help(struct bs_session *s, const char *arg, struct err *err)
{
	(void)arg;
	(void)err;
	bs_reply(s, "214 2.0.0 commands: EHLO HELO MAIL RCPT DATA RSET NOOP "
		 "QUIT VRFY HELP");
	return CMD_NEXT;
}

static const struct bs_command {
	const char *verb;
	enum cmd_status (*fn)(struct bs_session *s, const char *arg,
			      struct err *err);
} commands[] = {
	{ "EHLO", cmd_ehlo },
	{ "HELO", cmd_helo },
	{ "MAIL", cmd_mail },
	{ "RCPT", cmd_rcpt },
	{ "DATA", cmd_data },
	{ "RSET", cmd_rset },
	{ "NOOP", cmd_noop },
	{ "QUIT", cmd_quit },
	{ "VRFY", cmd_vrfy },
	{ "HELP", cmd_help },
};

enum cmd_status
bs_cmd_dispatch(struct bs_session *s, const char *line, size_t len,
		struct err *err)
{
	size_t i, vlen;
	const char *arg;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];
		if (c < 0x20 || c == 0x7f) {
			bs_reply(s, "500 5.5.2 syntax error");
			return CMD_NEXT;
		}
	}
	vlen = strcspn(line, " ");
	if (vlen == 0) {
		bs_reply(s, "500 5.5.2 syntax error");
		return CMD_NEXT;
	}
	arg = line + vlen;
	while (*arg == ' ')
		arg++;
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (vlen == 4 && strncasecmp(line, commands[i].verb, 4) == 0)
			return commands[i].fn(s, arg, err);
	bs_reply(s, "502 5.5.1 unknown command");
	return CMD_NEXT;
}
