/*
 * fuzz_oauth2.c - libFuzzer target for src/oauth2_store.c: the text of an
 * OAuth2 token file, and for src/http.c's URL decoding (the query of the
 * loopback redirect).
 *
 * oauth2_store_parse either refuses the input with a printable
 * ERR_CONFIG error and leaves the token empty, or gives a refresh token
 * (and maybe an access token) of 1 to OAUTH2_TOKEN_MAX visible ASCII
 * characters and a non-negative expiry; the same file written again from
 * those values parses to the same values.  http_url_decode gives a
 * NUL-free string no longer than its input, or refuses.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "http.h"
#include "oauth2_store.h"

static void
check_again(const struct oauth2_token *t)
{
	struct oauth2_token u = { NULL, NULL, 0 };
	struct buf b;
	struct err err;

	buf_init(&b, OAUTH2_STORE_MAX);
	FUZZ_CHECK(buf_printf(&b, "smtpsend-oauth2-token 1\nrefresh_token "
			      "%s\n", t->refresh) == 0, "rewrite fits");
	if (t->access != NULL)
		FUZZ_CHECK(buf_printf(&b, "access_token %s\n", t->access) == 0,
			   "rewrite fits");
	FUZZ_CHECK(buf_printf(&b, "expires %lld\n", t->expires) == 0,
		   "rewrite fits");
	FUZZ_CHECK(oauth2_store_parse(b.p, b.len, &u, &err) == 0,
		   "the rewritten file parses");
	FUZZ_CHECK(strcmp(u.refresh, t->refresh) == 0, "same refresh token");
	FUZZ_CHECK((u.access == NULL) == (t->access == NULL)
		   && (u.access == NULL || strcmp(u.access, t->access) == 0),
		   "same access token");
	FUZZ_CHECK(u.expires == t->expires, "same expiry");
	oauth2_token_clear(&u);
	buf_clear(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oauth2_token t = { NULL, NULL, 0 };
	struct err err;
	char out[256];

	err_clear(&err);
	if (oauth2_store_parse((const char *)data, size, &t, &err) < 0) {
		FUZZ_CHECK(err.cls == ERR_CONFIG, "error class");
		FUZZ_CHECK(fuzz_printable(err.text, strlen(err.text), false),
			   "error text is printable");
		FUZZ_CHECK(t.refresh == NULL && t.access == NULL,
			   "nothing kept after a refusal");
	} else {
		FUZZ_CHECK(oauth2_token_valid(t.refresh), "refresh token");
		FUZZ_CHECK(t.access == NULL || oauth2_token_valid(t.access),
			   "access token");
		FUZZ_CHECK(t.expires >= 0, "expiry");
		check_again(&t);
		oauth2_token_clear(&t);
	}
	if (http_url_decode((const char *)data, size, out, sizeof(out)) == 0)
		FUZZ_CHECK(strlen(out) <= size, "decoded no longer");
	return 0;
}
