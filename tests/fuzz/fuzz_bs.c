/*
 * fuzz_bs.c - libFuzzer target for src/bs.c, the server side of SMTP of
 * "sendmail -bs" (RFC 5321, RFC 2920, RFC 1870, RFC 6152, RFC 2034).
 *
 * The input is the client's side of the session: it is written to an
 * unlinked temporary file that bs_serve reads as in_fd (a file is always
 * ready, so the session never waits), and the replies go to another such
 * file.  The submit callback reads each message to its end and checks
 * what bs.h promises (a sender and recipients that pass addr_check,
 * unique, at most BS_RCPTS_MAX, no NUL in the data); it answers with a
 * code and a text taken from the message itself, so that the reply to
 * the end of data is made from untrusted text.  bs_serve must return, 0
 * or -1 with ERR_NET or ERR_IO, and every reply it wrote must be one CRLF
 * line of at most BS_REPLY_MAX octets that reply_feed accepts.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "addr.h"
#include "bs.h"
#include "buf.h"
#include "fuzz.h"
#include "reply.h"
#include "util.h"

#define TIMEOUT_MS 2000
#define REPLIES_MAX (64 * 1024 * 1024)

/* tmpfile_with - an unlinked file holding data[0..n), at offset 0. */
static int
tmpfile_with(const void *data, size_t n)
{
	struct err err;
	int fd = util_tmpfile(NULL, "fuzz input", &err);

	FUZZ_CHECK(fd >= 0, "a temporary file can be made");
	FUZZ_CHECK(util_write_all(fd, data, n) == 0, "it can be written");
	FUZZ_CHECK(lseek(fd, 0, SEEK_SET) == 0, "and rewound");
	return fd;
}

static int
submit(const struct bs_message *m, void *arg, int *code, char *text,
       size_t n)
{
	static const int codes[] = { 250, 250, 250, 451, 554, 0, 299, 600 };
	char block[4096];
	unsigned char first = 0;
	size_t i, j, total = 0;
	ssize_t r;

	(void)arg;
	FUZZ_CHECK(addr_check(m->sender, true, NULL) == 0, "sender checked");
	FUZZ_CHECK(m->nrcpts >= 1 && m->nrcpts <= BS_RCPTS_MAX, "rcpt count");
	for (i = 0; i < m->nrcpts; i++) {
		FUZZ_CHECK(addr_check(m->rcpts[i], false, NULL) == 0,
			   "recipient checked");
		for (j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(m->rcpts[i], m->rcpts[j]) != 0,
				   "recipients unique");
	}
	FUZZ_CHECK(lseek(m->fd, 0, SEEK_CUR) == 0, "data at offset 0");
	while ((r = read(m->fd, block, sizeof(block))) > 0) {
		FUZZ_CHECK(memchr(block, '\0', (size_t)r) == NULL,
			   "no NUL in submitted data");
		if (total == 0)
			first = (unsigned char)block[0];
		/* the start of the message is the text of the answer */
		if (total == 0)
			snprintf(text, n, "%.*s", (int)r, block);
		total += (size_t)r;
	}
	FUZZ_CHECK(r == 0, "the data can be read");
	*code = codes[first % (sizeof(codes) / sizeof(codes[0]))];
	return first % 5 == 4 ? -1 : 0;
}

/* check_replies - the output: CRLF lines that are valid replies. */
static void
check_replies(int fd)
{
	struct buf out;
	struct reply r;
	struct err err;
	char block[4096];
	const char *p, *end;
	ssize_t n;

	buf_init(&out, REPLIES_MAX);
	FUZZ_CHECK(lseek(fd, 0, SEEK_SET) == 0, "replies rewound");
	while ((n = read(fd, block, sizeof(block))) > 0)
		FUZZ_CHECK(buf_append(&out, block, (size_t)n) == 0, "room");
	FUZZ_CHECK(out.len >= 5 && strncmp(out.p, "220 ", 4) == 0,
		   "a greeting first");
	reply_init(&r);
	for (p = out.p, end = out.p + out.len; p < end;) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		size_t len;

		FUZZ_CHECK(lf != NULL && lf > p && lf[-1] == '\r',
			   "every reply line ends with CRLF");
		len = (size_t)(lf - p) - 1;
		FUZZ_CHECK(len + 2 <= BS_REPLY_MAX, "reply line length");
		FUZZ_CHECK(memchr(p, '\r', len) == NULL, "no bare CR");
		FUZZ_CHECK(fuzz_printable(p, len, false), "printable reply");
		FUZZ_CHECK(reply_feed(&r, p, len, &err) != REPLY_INVALID,
			   "a valid reply");
		p = lf + 1;
	}
	buf_clear(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err err;
	int in, out, rc;
	size_t size_max = size > 0 ? (size_t)data[0] * 16 : 0;

	in = tmpfile_with(data, size);
	out = tmpfile_with("", 0);
	err_clear(&err);
	rc = bs_serve(in, out, "mx.fuzz.test", size_max, TIMEOUT_MS, NULL,
		      submit, NULL, &err);
	FUZZ_CHECK(rc == 0 || rc == -1, "bs_serve returns 0 or -1");
	if (rc < 0)
		FUZZ_CHECK(err.cls == ERR_NET || err.cls == ERR_IO,
			   "session errors are ERR_NET or ERR_IO");
	check_replies(out);
	close(in);
	close(out);
	return 0;
}
