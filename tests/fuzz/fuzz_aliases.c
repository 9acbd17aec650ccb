/*
 * fuzz_aliases.c - libFuzzer target for src/aliases.c: the aliases file
 * (msmtp's, after sendmail's aliases(5)) and the expansion of envelope
 * recipients.
 *
 * The input is parsed as an aliases file.  When it parses, a few names
 * are expanded: "root", "default", an unknown name, a name with '@', and
 * the name part (before ':', at most NAMES_MAX) of each line of the input
 * that has no control character.  The output list starts with one
 * address, which must stay first and alone of its kind (no duplicates);
 * everything added must be either one of the names given or an address
 * that addr_check accepts, and have no control character.  Expansion is
 * bounded by ALIASES_STEPS_MAX, so it always ends (libFuzzer's -timeout
 * catches it if not).
 */
#include <config.h>

#include <string.h>

#include "addr.h"
#include "aliases.h"
#include "fuzz.h"
#include "xalloc.h"

#define NAMES_MAX 8
#define FIRST "first@example.org"

/* add_names - the names to expand, from the lines of the input. */
static void
add_names(struct addr_list *in, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	addr_list_add(in, "root");
	addr_list_add(in, "default");
	addr_list_add(in, "nobody-has-this-name");
	addr_list_add(in, "someone@example.org");
	while (p < end && in->n < 4 + NAMES_MAX) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		const char *colon = memchr(p, ':', (size_t)(eol - p));
		char *name;

		if (colon != NULL && colon > p) {
			name = xstrndup(p, (size_t)(colon - p));
			if (strlen(name) == (size_t)(colon - p)
			    && !fuzz_has_ctl(name))
				addr_list_add(in, name);
			free(name);
		}
		p = nl ? nl + 1 : end;
	}
}

static bool
listed(const struct addr_list *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

static void
check_expansion(const struct aliases *a, const struct addr_list *in)
{
	struct addr_list out;
	struct err err;
	size_t i, j;

	addr_list_init(&out);
	addr_list_add(&out, FIRST);
	err_clear(&err);
	if (aliases_expand(a, in, &out, &err) < 0) {
		FUZZ_CHECK(out.n == 1, "out unchanged on failure");
		FUZZ_CHECK(err.cls == ERR_CONFIG, "expansion error class");
		FUZZ_CHECK(fuzz_printable(err.text, strlen(err.text), false),
			   "expansion error is printable");
	}
	FUZZ_CHECK(strcmp(out.v[0], FIRST) == 0, "out keeps what it had");
	for (i = 0; i < out.n; i++) {
		FUZZ_CHECK(!fuzz_has_ctl(out.v[i]),
			   "no control character in the expansion");
		FUZZ_CHECK(listed(in, out.v[i])
			   || addr_check(out.v[i], false, NULL) == 0,
			   "a name given or a checked address");
		for (j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(out.v[i], out.v[j]) != 0,
				   "no address twice");
	}
	addr_list_clear(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct aliases *a;
	struct addr_list in;
	struct err err;

	err_clear(&err);
	a = aliases_parse("fuzz", text, size, &err);
	if (a == NULL) {
		FUZZ_CHECK(err.cls == ERR_CONFIG, "parse error class");
		FUZZ_CHECK(strncmp(err.text, "fuzz:", 5) == 0,
			   "the error names the file");
		FUZZ_CHECK(fuzz_printable(err.text, strlen(err.text), false),
			   "parse error is printable");
		return 0;
	}
	addr_list_init(&in);
	add_names(&in, text, size);
	check_expansion(a, &in);
	addr_list_clear(&in);
	aliases_free(a);
	return 0;
}
