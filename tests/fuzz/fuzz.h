/*
 * fuzz.h - what every libFuzzer target in tests/fuzz shares.
 *
 * Each target (fuzz_NAME.c) defines LLVMFuzzerTestOneInput, which feeds
 * the input to one parser and checks invariants that must hold whatever
 * the input is.  A broken invariant is reported with FUZZ_CHECK, which
 * prints where and why and aborts: libFuzzer then keeps the input as a
 * crash.  (assert() is not used: it would vanish under NDEBUG.)  fuzz.c
 * holds the few helpers more than one target needs.
 */
#ifndef SMTPSEND_FUZZ_H
#define SMTPSEND_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The entry point libFuzzer calls with each input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * fuzz_printable - whether s[0..n) is what printable() (utf8.h) makes:
 * well-formed UTF-8 of characters utf8_printable() allows; '\n' too
 * when nl.
 */
bool fuzz_printable(const char *s, size_t n, bool nl);

/* fuzz_has_ctl - whether the C string s has a byte < 0x20 or 0x7f. */
bool fuzz_has_ctl(const char *s);

/* fuzz_cstr - data as a C string (allocated; cut at a NUL byte when it
 * has one, as a C string is).  The caller frees it. */
char *fuzz_cstr(const uint8_t *data, size_t size);

/* FUZZ_CHECK - abort with a message when cond is false. */
#define FUZZ_CHECK(cond, what) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: invariant broken: %s (%s)\n", \
				__FILE__, __LINE__, (what), #cond); \
			abort(); \
		} \
	} while (0)

#endif
