/*
 * oauth2_int.h - what oauth2.c (settings, token requests, renewal) and
 * oauth2_flow.c (the authorization grants) share.
 */
#ifndef SMTPSEND_OAUTH2_INT_H
#define SMTPSEND_OAUTH2_INT_H

#include <stdbool.h>
#include "account.h"
#include "buf.h"
#include "err.h"
#include "oauth2_store.h"

struct json_object;      /* json-c's */

/* An error code of the token endpoint (RFC 6749 5.2) kept. */
#define OAUTH2_ERROR_MAX 64

/* The longest key of a token file. */
#define OAUTH2_KEY_MAX 160

/*
 * oauth2_store_key - the key of a's token file: its user (else the
 * account's name), ".", and 8 hex digits of the SHA-256 of its client id,
 * into out.  Returns 0, or -1 with err: ERR_CONFIG when a has no client
 * id or the key does not fit, ERR_OSERR when GnuTLS cannot be loaded.
 */
int oauth2_store_key(const struct account *a, char *out, size_t n,
		     struct err *err);

/* The settings of an account resolved: the provider's presets filled
 * in, the client secret read. */
struct oauth2_client {
	const char *account;    /* the account's name (borrowed) */
	const char *client_id;  /* borrowed */
	char *client_secret;    /* a secret, or NULL */
	char *token_url;
	char *auth_url;         /* NULL: no code grant */
	char *device_url;       /* NULL: no device grant */
	const char *scope;      /* borrowed */
	const char *trust_file; /* borrowed; NULL: the system store */
	int timeout;            /* seconds per HTTPS exchange */
	char key[OAUTH2_KEY_MAX]; /* of the token file (oauth2_store_key) */
	bool google;            /* ask for offline access (a refresh
				   token) the way Google wants it */
};

/*
 * oauth2_client_init - c from a's settings.  Returns 0, or -1 with err:
 * ERR_CONFIG naming the setting that is missing or wrong; ERR_AUTH
 * (temporary) when oauth2_client_secret_eval fails.
 */
int oauth2_client_init(struct oauth2_client *c, const struct account *a,
		       struct err *err);
void oauth2_client_clear(struct oauth2_client *c);

/*
 * oauth2_post - POST form (a secret buffer; the client's id and secret
 * are added) to url and parse the JSON object of the answer into *obj
 * (json_object_put it).  Returns 0 for a 2xx
 * answer, 1 for an OAuth error answer (RFC 6749 5.2, RFC 8628 3.5: 4xx
 * with "error"), its code in error; -1 with err: ERR_NET (temporary)
 * for no answer, 5xx, 429 or a body that is no JSON object; ERR_AUTH
 * (permanent) for another status; ERR_TLS.
 */
int oauth2_post(const struct oauth2_client *c, const char *url,
		struct buf *form, struct json_object **obj, char *error,
		size_t errn, struct err *err);

/*
 * oauth2_take_tokens - the tokens of a token answer (RFC 6749 5.1) into
 * t: the access token with its end (now + expires_in), and the refresh
 * token when there is one (else t's stays).  Returns 0, or -1 with err
 * (ERR_NET, temporary) when a token is missing or not a valid token.
 */
int oauth2_take_tokens(struct json_object *obj, long long now,
		       struct oauth2_token *t, struct err *err);

/* oauth2_json_str - the string member key of obj, or NULL. */
const char *oauth2_json_str(struct json_object *obj, const char *key);

/* oauth2_json_int - the integer member key of obj, or dflt. */
long long oauth2_json_int(struct json_object *obj, const char *key,
			  long long dflt);

#endif
