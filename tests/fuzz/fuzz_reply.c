/*
 * fuzz_reply.c - libFuzzer target for src/reply.c and src/caps.c: what a
 * server says (RFC 5321 4.2 replies, RFC 3463 enhanced codes, RFC 5321
 * 4.1.1.1 EHLO keywords).
 *
 * The input is cut into lines at LF, a CR before the LF dropped (as
 * conn_getline does), and each line is fed to reply_feed.  Every complete
 * reply must have a code from 200 to 599, printable text (no control
 * character but the '\n' between lines, UTF-8 only as whole sequences),
 * an enhanced code of the reply's class or none; caps_parse must then give
 * upper-case mechanisms that caps_has_auth finds again.
 */
#include <config.h>

#include <string.h>

#include "caps.h"
#include "fuzz.h"
#include "reply.h"

static void
check_caps(const struct reply *r)
{
	struct caps c;
	char desc[256], word[CAPS_AUTH_MAX];
	const char *p;
	size_t n;

	caps_parse(&c, r);
	n = strnlen(c.auth, sizeof(c.auth));
	FUZZ_CHECK(n < sizeof(c.auth), "AUTH list is NUL-terminated");
	FUZZ_CHECK(fuzz_printable(c.auth, n, false), "AUTH list is printable");
	FUZZ_CHECK(c.size_max == 0 || (c.flags & CAP_SIZE), "SIZE flag set");
	FUZZ_CHECK(n == 0 || (c.flags & CAP_AUTH), "AUTH flag set");
	for (p = c.auth; *p != '\0'; p += n) {
		FUZZ_CHECK(*p != ' ', "mechanisms are single-space separated");
		n = strcspn(p, " ");
		FUZZ_CHECK(strspn(p, "abcdefghijklmnopqrstuvwxyz") == 0,
			   "mechanisms in upper case");
		memcpy(word, p, n);
		word[n] = '\0';
		FUZZ_CHECK(caps_has_auth(&c, word),
			   "announced mechanism found");
		if (p[n] == ' ')
			n++;
	}
	caps_describe(&c, desc, sizeof(desc));
	FUZZ_CHECK(strlen(desc) < sizeof(desc), "caps_describe terminates");
	caps_describe(&c, desc, 5);
	FUZZ_CHECK(strlen(desc) < 5, "caps_describe respects its size");
}

static void
check_done(const struct reply *r)
{
	char first[64], one[128];
	size_t i, nl = 0;

	FUZZ_CHECK(r->code >= 200 && r->code <= 599, "reply code range");
	FUZZ_CHECK(r->done, "a complete reply says so");
	FUZZ_CHECK(r->nlines >= 1 && r->nlines <= SMTP_REPLY_LINES_MAX,
		   "line count");
	FUZZ_CHECK(r->text_len < sizeof(r->text), "text within its buffer");
	FUZZ_CHECK(strlen(r->text) == r->text_len, "text_len is the length");
	FUZZ_CHECK(fuzz_printable(r->text, r->text_len, true),
		   "text is printable");
	for (i = 0; i < r->text_len; i++)
		nl += r->text[i] == '\n';
	FUZZ_CHECK(nl < (size_t)r->nlines, "at most one '\\n' between lines");
	if (r->enh[0] != '\0') {
		char again[ERR_ENH_MAX];
		size_t elen = strlen(r->enh);

		FUZZ_CHECK(r->enh[0] - '0' == r->code / 100,
			   "enhanced code class equals the reply class");
		FUZZ_CHECK(reply_enh_parse(r->enh, elen, r->code / 100, again)
			   == elen, "enhanced code has the RFC 3463 form");
	}
	reply_first_line(r, first, sizeof(first));
	FUZZ_CHECK(strchr(first, '\n') == NULL, "first line is one line");
	reply_oneline(r, one, sizeof(one));
	FUZZ_CHECK(strchr(one, '\n') == NULL, "oneline is one line");
	FUZZ_CHECK(strlen(one) < sizeof(one), "oneline terminates");
	check_caps(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct reply r;
	struct err err;

	reply_init(&r);
	while (p < end) {
		const char *line = p, *lf = memchr(p, '\n', (size_t)(end - p));
		size_t len = lf ? (size_t)(lf - p) : (size_t)(end - p);
		enum reply_status st;

		p = lf ? lf + 1 : end;
		if (len > 0 && line[len - 1] == '\r')
			len--;
		err_clear(&err);
		st = reply_feed(&r, line, len, &err);
		if (st == REPLY_INVALID) {
			FUZZ_CHECK(err.cls == ERR_PROTO, "error class");
			FUZZ_CHECK(fuzz_printable(err.text, strlen(err.text),
						  false),
				   "error text is printable");
			reply_init(&r);         /* the session would end */
		} else if (st == REPLY_DONE) {
			check_done(&r);
		} else {
			FUZZ_CHECK(st == REPLY_MORE && !r.done, "status");
			FUZZ_CHECK(r.text_len < sizeof(r.text), "text length");
		}
	}
	return 0;
}
