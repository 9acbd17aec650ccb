/*
 * prepare.c - message preparation (RFC 5322 3.6 header fields; RFC 2047
 * encoded display names; sendmail -t semantics with RFC 5322 3.6.6 Resent-
 * blocks).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "gettext.h"
#include "headers.h"
#include "prepare.h"
#include "random.h"
#include "util.h"
#include "xalloc.h"

const char *
prepare_mail_domain(const struct account *a)
{
	if (a->maildomain != NULL)
		return a->maildomain;
	/* an explicitly set EHLO domain names the mail domain too; the
	 * host's own name (the default) is no mail domain */
	return account_is_set(a, ACC_DOMAIN) ? a->domain : NULL;
}

char *
prepare_qualify(const char *addr, const char *domain)
{
	size_t n;
	char *p;

	if (domain == NULL || addr[0] == '\0' || strchr(addr, '@') != NULL)
		return xstrdup(addr);
	n = strlen(addr) + strlen(domain) + 2;
	p = xmalloc(n);
	snprintf(p, n, "%s@%s", addr, domain);
	return p;
}

/* header_end - whether raw[0..len) holds the empty line that ends the
 * header block. */
static bool
header_end(const char *raw, size_t len)
{
	size_t i;

	if (len > 0 && (raw[0] == '\n' || (raw[0] == '\r' && len > 1
					    && raw[1] == '\n')))
		return true;
	for (i = 0; i + 1 < len; i++) {
		if (raw[i] != '\n')
			continue;
		if (raw[i + 1] == '\n'
		    || (raw[i + 1] == '\r' && i + 2 < len
			&& raw[i + 2] == '\n'))
			return true;
	}
	return false;
}

int
prepare_read(int in_fd, const char *name, struct buf *raw, struct err *err)
{
	char chunk[16384];
	ssize_t n;

	while (!header_end(buf_str(raw), raw->len) && raw->len < HEADERS_MAX) {
		n = read(in_fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set_errno(err, ERR_IO, true, errno,
				      _("cannot read the message from %s"),
				      name);
			return -1;
		}
		if (n == 0)
			break;
		if (buf_append(raw, chunk, (size_t)n) < 0)
			break;
	}
	return 0;
}

char *
prepare_from(const struct buf *raw, bool resent)
{
	struct headers h;
	struct addr_list l;
	struct err err;
	size_t consumed;
	char *value, *addr = NULL;
	long idx = -1;

	headers_init(&h);
	addr_list_init(&l);
	if (headers_parse(&h, raw->p ? raw->p : "", raw->len, &consumed, &err)
	    == 0) {
		if (resent)
			idx = headers_find(&h, "Resent-From", 0);
		if (idx < 0)
			idx = headers_find(&h, "From", 0);
	}
	if (idx >= 0) {
		value = headers_value(&h, (size_t)idx);
		if (addr_list_parse(&l, value, &err) > 0)
			addr = xstrdup(l.v[0]);
		free(value);
	}
	addr_list_clear(&l);
	headers_clear(&h);
	return addr;
}

void
prepared_init(struct prepared *p)
{
	buf_init(&p->text, HEADERS_MAX + 65536);
	p->head_len = 0;
	p->lines = 0;
	p->long_field[0] = '\0';
}

void
prepared_clear(struct prepared *p)
{
	buf_clear(&p->text);
	p->head_len = 0;
	p->lines = 0;
	p->long_field[0] = '\0';
}

/* count_lines - the LFs of s[0..n). */
static unsigned long
count_lines(const char *s, size_t n)
{
	unsigned long lines = 0;
	const char *p = s, *end = s + n;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		lines++;
		p++;
	}
	return lines;
}

/* header_recipients - sendmail -t: the recipients are in the header. */
static int
header_recipients(const struct headers *h, const char *name,
		  struct envelope *env, struct err *err)
{
	struct addr_list l;
	struct err aerr;
	size_t i;
	int ret = -1;

	addr_list_init(&l);
	if (headers_recipients(h, &l, &aerr) < 0) {
		err_set(err, ERR_DATA, false, "%s: %s", name, aerr.text);
		goto out;
	}
	for (i = 0; i < l.n; i++) {
		/* qualified later, after the aliases */
		if (addr_check(l.v[i], false, &aerr) < 0) {
			err_set(err, ERR_DATA, false,
				_("%s: recipient in the header: %s"), name,
				aerr.text);
			goto out;
		}
		envelope_add(env, l.v[i]);      /* deduplicated later */
	}
	ret = 0;
out:
	addr_list_clear(&l);
	return ret;
}

/* qualify_local - bare local names ("root"), in the envelope sender and
 * in From/To/Cc, get the mail domain so that a provider accepts cron's
 * mail.  The recipients are qualified by the caller, after the aliases
 * have had their say on local names. */
static void
qualify_local(struct headers *h, struct envelope *env, const char *domain)
{
	static const char *const fields[] = { "From", "To", "Cc", "Reply-To",
					      "Sender" };
	char *q = prepare_qualify(env->sender, domain);
	struct err qerr;
	size_t i;
	long idx;

	free(env->sender);
	env->sender = q;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		idx = headers_find(h, fields[i], 0);
		while (idx >= 0) {
			(void)headers_qualify(h, (size_t)idx, domain, &qerr);
			idx = headers_find(h, fields[i], (size_t)idx + 1);
		}
	}
}

/* set_from - From (RFC 5322 3.6.2 requires one), by set_from_header. */
static void
set_from(struct headers *h, const struct account *a, const char *full,
	 const char *sender)
{
	char *value, *phrase;
	size_t len;

	if (sender[0] == '\0' || a->set_from_header == HDR_OFF
	    || (a->set_from_header == HDR_AUTO
		&& headers_find(h, "From", 0) >= 0))
		return;
	headers_remove(h, "From");
	if (full != NULL && full[0] != '\0') {
		phrase = headers_phrase(full);
		len = strlen(phrase) + strlen(sender) + 4;
		value = xmalloc(len);
		snprintf(value, len, "%s <%s>", phrase, sender);
		free(phrase);
	} else {
		value = xstrdup(sender);
	}
	headers_add(h, "From", value);
	free(value);
}

/* add_date - Date (RFC 5322 3.6.1 requires one), in local time. */
static void
add_date(struct headers *h, const struct account *a)
{
	char date[HEADERS_DATE_MAX];
	time_t now = time(NULL);
	struct tm tm;

	if (a->set_date_header != HDR_AUTO || headers_find(h, "Date", 0) >= 0)
		return;
	localtime_r(&now, &tm);
	headers_date(now, (int)(tm.tm_gmtoff / 60), date, sizeof(date));
	headers_add(h, "Date", date);
}

/* add_msgid - Message-ID (RFC 5322 3.6.4 says it SHOULD be there), on
 * the sender's domain, else the account's EHLO domain, else this host. */
static void
add_msgid(struct headers *h, const struct account *a, const char *sender)
{
	char id[HEADERS_MSGID_MAX], host[256] = "localhost";
	const char *at = strrchr(sender, '@');
	unsigned char rnd[8];

	if (a->set_msgid_header != HDR_AUTO
	    || headers_find(h, "Message-ID", 0) >= 0)
		return;
	if (at == NULL)
		util_hostname(host, sizeof(host));
	random_bytes(rnd, sizeof(rnd));
	headers_msgid(time(NULL), rnd,
		      at ? at + 1 : a->domain ? a->domain : host, id,
		      sizeof(id));
	headers_add(h, "Message-ID", id);
}

/*
 * replace_to - set_to_header: To, Cc and Bcc go; the new To lists every
 * envelope recipient (on, as msmtp 1.8.29 does; bare names get the mail
 * domain) or none (undisclosed_recipients).
 */
static int
replace_to(struct headers *h, const struct account *a,
	   const struct envelope *env, const char *domain, const char *name,
	   struct err *err)
{
	struct buf v;
	size_t i;
	char *q;
	int r = 0;

	headers_remove(h, "To");
	headers_remove(h, "Cc");
	headers_remove(h, "Bcc");
	if (a->set_to_header != TO_HEADER_ON || env->n == 0) {
		headers_add(h, "To", "undisclosed-recipients:;");
		return 0;
	}
	buf_init(&v, HEADERS_MAX);
	for (i = 0; r == 0 && i < env->n; i++) {
		q = prepare_qualify(env->rcpts[i].addr, domain);
		r = buf_printf(&v, "%s%s", i ? ", " : "", q);
		free(q);
	}
	if (r == 0)
		headers_add(h, "To", buf_str(&v));
	else
		err_set(err, ERR_DATA, false,
			_("%s: too many recipients for a To: field "
			  "(set_to_header on)"), name);
	buf_clear(&v);
	return r;
}

/* write_prepared - the header block h, then the body of raw after the
 * consumed header, into prep. */
static int
write_prepared(const struct headers *h, const struct buf *raw,
	       size_t consumed, const char *name, struct prepared *prep,
	       struct err *err)
{
	struct buf *out = &prep->text;
	const char *text = raw->p ? raw->p : "";

	buf_reset(out);
	if (h->n > 0 && headers_write(h, out) < 0)
		goto toolong;
	prep->head_len = out->len;
	prep->lines = count_lines(text, consumed);
	if (buf_append(out, text + consumed, raw->len - consumed) < 0)
		goto toolong;
	return 0;
toolong:
	err_set(err, ERR_DATA, false, _("%s: header block too long"), name);
	return -1;
}

int
prepare_message(const struct account *a, const struct prepare_opts *o,
		const struct buf *raw, const char *name,
		struct envelope *env, struct prepared *prep, struct err *err)
{
	struct headers h;
	size_t consumed = 0;
	const char *full = o->full_name ? o->full_name : a->from_full_name;
	const char *domain = prepare_mail_domain(a);
	int ret = -1;
	long idx;

	headers_init(&h);
	if (headers_parse(&h, raw->p ? raw->p : "", raw->len, &consumed, err)
	    < 0) {
		err_prefix(err, name);
		goto out;
	}
	if (o->read_rcpts && header_recipients(&h, name, env, err) < 0)
		goto out;
	if (domain != NULL)
		qualify_local(&h, env, domain);
	set_from(&h, a, full, env->sender);
	add_date(&h, a);
	add_msgid(&h, a, env->sender);
	if (a->set_to_header != TO_HEADER_OFF
	    && replace_to(&h, a, env, domain, name, err) < 0)
		goto out;
	if (a->remove_bcc_headers)
		headers_remove_bcc(&h);
	/* the receiving side's to add (RFC 5321 4.4), and a length that
	 * no longer holds once line ends change: Postfix drops both too */
	headers_remove(&h, "Return-Path");
	headers_remove(&h, "Content-Length");
	/* RFC 5322 2.1.1: no line over 998 bytes, folded where it can be */
	idx = headers_fold_long(&h);
	if (idx >= 0)
		snprintf(prep->long_field, sizeof(prep->long_field), "%s",
			 h.v[idx].name);
	if (write_prepared(&h, raw, consumed, name, prep, err) < 0)
		goto out;
	ret = 0;
out:
	headers_clear(&h);
	return ret;
}
