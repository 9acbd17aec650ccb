/*
 * fuzz_drop.c - libFuzzer target for the drop file's header of
 * src/drop.c (doc/queue-format.md, section 9): the flush reads it from a
 * directory it does not trust.
 *
 * The input goes to drop_parse.  When it parses, drop_format must write
 * the header again, which drop_parse reads back equal in every value and
 * recipient, ending where the text says; drop_argv must put every
 * recipient after "--", none beginning with '-'.  When it does not parse,
 * the error is ERR_DATA with printable text.
 */
#include <config.h>

#include <string.h>

#include "drop.h"
#include "fuzz.h"

static char in[DROP_HEADER_MAX + 1], out[DROP_HEADER_MAX];

/* check_equal - the same drop, value by value. */
static void
check_equal(const struct drop_env *a, const struct drop_env *b)
{
	size_t i;
	int f;

	FUZZ_CHECK(a->uid == b->uid, "uid");
	FUZZ_CHECK(a->read_rcpts == b->read_rcpts, "read_rcpts");
	FUZZ_CHECK(a->dot_ends == b->dot_ends, "dot_ends");
	for (f = 0; f < DROP_NFIELDS; f++)
		FUZZ_CHECK((a->v[f] == NULL) == (b->v[f] == NULL)
			   && (a->v[f] == NULL
			       || strcmp(a->v[f], b->v[f]) == 0), "value");
	FUZZ_CHECK(a->nrcpts == b->nrcpts, "recipient count");
	for (i = 0; i < a->nrcpts; i++)
		FUZZ_CHECK(strcmp(a->rcpts[i], b->rcpts[i]) == 0,
			   "recipient");
}

/* check_argv - the send's arguments: recipients after "--" only. */
static void
check_argv(const struct drop_env *d)
{
	const char *argv[DROP_ARGV_MAX];
	int n = drop_argv(d, argv), i;

	FUZZ_CHECK(n < DROP_ARGV_MAX && argv[n] == NULL, "argv ends");
	FUZZ_CHECK(strcmp(argv[n - (int)d->nrcpts - 1], "--") == 0,
		   "recipients after --");
	for (i = n - (int)d->nrcpts; i < n; i++)
		FUZZ_CHECK(argv[i][0] != '-', "no recipient like an option");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct drop_env d1, d2;
	struct err err;
	size_t body, len, body2;

	if (size > DROP_HEADER_MAX)
		size = DROP_HEADER_MAX;
	memcpy(in, data, size);
	err_clear(&err);
	if (drop_parse(&d1, in, size, &body, &err) < 0) {
		FUZZ_CHECK(err.cls == ERR_DATA, "parse errors are ERR_DATA");
		FUZZ_CHECK(fuzz_printable(err.text, strlen(err.text), false),
			   "error text is printable");
		return 0;
	}
	FUZZ_CHECK(body <= size && in[body - 1] == '\n', "body offset");
	check_argv(&d1);
	FUZZ_CHECK(drop_format(&d1, out, sizeof(out), &len, &err) == 0,
		   "what drop_parse reads, drop_format writes");
	FUZZ_CHECK(drop_parse(&d2, out, len, &body2, &err) == 0 && body2 == len,
		   "what drop_format writes, drop_parse reads");
	check_equal(&d1, &d2);
	return 0;
}
