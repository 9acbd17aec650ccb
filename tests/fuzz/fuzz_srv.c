/*
 * fuzz_srv.c - libFuzzer target for src/srv.c: a DNS response as the
 * resolver hands it over (RFC 1035 4.1, SRV records of RFC 2782).
 *
 * srv_parse either refuses the input with a printable ERR_PROTO error or
 * gives at most max records, each target "." or a host name (labels of
 * letters, digits, '-' and '_', joined by single dots, 253 characters at
 * most); it gives the same records twice.  srv_choose picks a usable
 * record of the lowest priority, or none exactly when none is usable.
 */
#include <config.h>

#include <string.h>

#include "fuzz.h"
#include "srv.h"

static void
check_target(const char *t)
{
	size_t i, n = strlen(t);

	FUZZ_CHECK(n > 0 && n < SRV_NAME_MAX, "target length");
	if (strcmp(t, ".") == 0)
		return;
	FUZZ_CHECK(t[0] != '.' && t[n - 1] != '.', "no dot at either end");
	FUZZ_CHECK(strstr(t, "..") == NULL, "no empty label");
	for (i = 0; i < n; i++)
		FUZZ_CHECK((t[i] >= 'a' && t[i] <= 'z')
			   || (t[i] >= 'A' && t[i] <= 'Z')
			   || (t[i] >= '0' && t[i] <= '9') || t[i] == '-'
			   || t[i] == '_' || t[i] == '.',
			   "target is a host name");
}

static void
check_choice(const struct srv_rec *r, size_t n, double u)
{
	int k = srv_choose(r, n, u);
	size_t i;

	if (k < 0) {
		FUZZ_CHECK(srv_count_usable(r, n) == 0,
			   "none chosen only when none is usable");
		return;
	}
	FUZZ_CHECK((size_t)k < n, "index in range");
	FUZZ_CHECK(strcmp(r[k].target, ".") != 0 && r[k].port != 0,
		   "the chosen record is usable");
	for (i = 0; i < n; i++)
		if (strcmp(r[i].target, ".") != 0 && r[i].port != 0)
			FUZZ_CHECK(r[k].priority <= r[i].priority,
				   "the lowest priority is chosen");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct srv_rec r[4], again[4];
	struct err err;
	int n, m, i;

	err_clear(&err);
	n = srv_parse(data, size, r, 4, &err);
	if (n < 0) {
		FUZZ_CHECK(err.cls == ERR_PROTO, "error class");
		FUZZ_CHECK(fuzz_printable(err.text, strlen(err.text), false),
			   "error text is printable");
		return 0;
	}
	FUZZ_CHECK(n <= 4, "at most max records");
	m = srv_parse(data, size, again, 4, &err);
	FUZZ_CHECK(m == n, "the same count twice");
	for (i = 0; i < n; i++) {
		check_target(r[i].target);
		FUZZ_CHECK(r[i].priority <= 65535 && r[i].weight <= 65535
			   && r[i].port <= 65535, "16-bit fields");
		FUZZ_CHECK(r[i].priority == again[i].priority
			   && r[i].weight == again[i].weight
			   && r[i].port == again[i].port
			   && strcmp(r[i].target, again[i].target) == 0,
			   "the same records twice");
	}
	check_choice(r, (size_t)n, 0.0);
	check_choice(r, (size_t)n, 0.5);
	check_choice(r, (size_t)n, 0.999999);
	return 0;
}
