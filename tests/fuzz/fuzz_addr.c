/*
 * fuzz_addr.c - libFuzzer target for src/addr.c: RFC 5322 3.4 address
 * lists and RFC 5321 4.1.2 envelope addresses.
 *
 * The input (cut at its first NUL, as the C string it would be) goes to
 * addr_list_parse, appended to a list that already holds one address.  On
 * failure the list must be unchanged and the error of class ERR_DATA with
 * printable text; on success it must have grown by the count returned, and
 * no address may contain CR, LF or NUL.  addr_check must give the same
 * answer twice for every address (and for the raw input), and what it
 * accepts has no control character, is at most ADDR_MAX bytes, and comes
 * back unchanged from addr_list_parse when written as "<address>".
 */
#include <config.h>

#include <string.h>

#include "addr.h"
#include "fuzz.h"
#include "xalloc.h"

#define SENTINEL "sentinel@example.org"

static void
check_err(const struct err *err)
{
	FUZZ_CHECK(err->cls == ERR_DATA, "address errors are ERR_DATA");
	FUZZ_CHECK(fuzz_printable(err->text, strlen(err->text), false),
		   "error text is printable");
}

/* reparse - an accepted address, put in angle brackets, parses back to
 * itself. */
static void
reparse(const char *a)
{
	struct addr_list l;
	struct err err;
	size_t n = strlen(a);
	char *s = xmalloc(n + 3);
	int rc;

	s[0] = '<';
	memcpy(s + 1, a, n);
	s[n + 1] = '>';
	s[n + 2] = '\0';
	addr_list_init(&l);
	rc = addr_list_parse(&l, s, &err);
	FUZZ_CHECK(rc == 1 && l.n == 1 && strcmp(l.v[0], a) == 0,
		   "a valid address survives <address> parsing");
	addr_list_clear(&l);
	free(s);
}

static void
check_one(const char *a)
{
	struct err e1, e2;
	int r1, r2, r3;
	size_t i;
	bool high = false;

	err_clear(&e1);
	err_clear(&e2);
	r1 = addr_check(a, false, &e1);
	r2 = addr_check(a, false, &e2);
	FUZZ_CHECK(r1 == r2 && e1.cls == e2.cls
		   && strcmp(e1.text, e2.text) == 0,
		   "addr_check is deterministic");
	r3 = addr_check(a, true, NULL);
	FUZZ_CHECK(a[0] == '\0' ? r3 == 0 : r3 == r1,
		   "allow_null only matters for the empty address");
	for (i = 0; a[i] != '\0'; i++)
		high |= (unsigned char)a[i] >= 0x80;
	FUZZ_CHECK(addr_is_8bit(a) == high, "addr_is_8bit");
	if (r1 < 0) {
		check_err(&e1);
		return;
	}
	FUZZ_CHECK(strlen(a) <= ADDR_MAX, "an accepted address is bounded");
	FUZZ_CHECK(!fuzz_has_ctl(a), "an accepted address has no control "
		   "character");
	reparse(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct addr_list l;
	struct err err;
	size_t i;
	int rc;

	addr_list_init(&l);
	addr_list_add(&l, SENTINEL);
	err_clear(&err);
	rc = addr_list_parse(&l, s, &err);
	FUZZ_CHECK(l.n >= 1 && strcmp(l.v[0], SENTINEL) == 0,
		   "earlier addresses are kept");
	if (rc < 0) {
		FUZZ_CHECK(rc == -1 && l.n == 1, "list unchanged on failure");
		check_err(&err);
	} else {
		FUZZ_CHECK(l.n == 1 + (size_t)rc,
			   "count returned is count added");
	}
	for (i = 1; i < l.n; i++) {
		FUZZ_CHECK(l.v[i] != NULL, "an address");
		FUZZ_CHECK(strpbrk(l.v[i], "\r\n") == NULL,
			   "no CR or LF in a parsed address");
		check_one(l.v[i]);
	}
	check_one(s);
	addr_list_clear(&l);
	free(s);
	return 0;
}
