/*
 * oauth2.h - OAuth2 access tokens for XOAUTH2 and OAUTHBEARER, got and
 * kept by smtpsend itself (doc/oauth2.md).
 *
 * An account with oauth2_provider (google, microsoft or custom) and an
 * oauth2_client_id is authorized once, with --oauth2-authorize: the
 * device authorization grant (RFC 8628) when the provider has a device
 * endpoint, else the authorization code grant with PKCE (RFC 7636, S256)
 * and a redirect to a loopback port (RFC 8252).  The refresh token goes
 * into the token store (oauth2_store.h).  Before each AUTH the access
 * token is taken from the store, renewed with the refresh token (RFC 6749
 * 6) when it ends within OAUTH2_MARGIN seconds; a rotated refresh token
 * is saved at once.  The endpoints are spoken to over HTTPS only, with
 * the certificate verified (http.h).
 *
 * Built with configure --without-oauth2, oauth2_off.c gives these
 * functions: no account is configured for OAuth2 (the directives are
 * refused by name) and the modes say that this build has no OAuth2.
 */
#ifndef SMTPSEND_OAUTH2_H
#define SMTPSEND_OAUTH2_H

#include <stdbool.h>
#include <stdio.h>
#include "account.h"
#include "err.h"
#include "transcript.h"

/* An access token that ends within this many seconds is renewed first:
 * time for a slow connection, a long message and clocks that differ. */
#define OAUTH2_MARGIN 300

/* oauth2_library_version - "OAuth2: libcurl 7.88.1, json-c 0.16" (the
 * versions built against), or that this build has no OAuth2 (for
 * --version). */
const char *oauth2_library_version(void);

/* oauth2_configured - whether smtpsend gets a's token itself. */
bool oauth2_configured(const struct account *a);

/*
 * oauth2_access_token - the access token for a (allocated, a secret:
 * xfree_secret it), renewed first when it ends within OAUTH2_MARGIN, or
 * always when renew is set (the server refused it: RFC 7628 3.2.2).
 * Steps are noted in tr (never a token).  Returns 0, or -1 with err:
 * ERR_CONFIG for settings that cannot work; ERR_AUTH (permanent) when
 * there is no token or the provider refuses the refresh token
 * (invalid_grant, after one retry), the text then says to run
 * "smtpsend --oauth2-authorize -a NAME"; ERR_NET or ERR_IO (temporary)
 * when the endpoint cannot be reached, answers 5xx, too slowly or
 * nonsense, or the store cannot be written; ERR_TLS for a refused
 * certificate.
 */
int oauth2_access_token(const struct account *a, bool renew,
			struct transcript *tr, char **token, struct err *err);

/* oauth2_reauthorize_hint - append "; run smtpsend --oauth2-authorize -a
 * NAME" to err's text. */
void oauth2_reauthorize_hint(const struct account *a, struct err *err);

/* oauth2_describe - for -P: whether a has a stored token and when its
 * access token ends (never a token), to out; nothing when a is not
 * configured for OAuth2. */
void oauth2_describe(const struct account *a, FILE *out);

/*
 * oauth2_authorize_mode / oauth2_revoke_mode - --oauth2-authorize and
 * --oauth2-revoke for the account of the command line (cli.h): get and
 * store a refresh token, printing what the user must do on standard
 * output; or forget the stored token.  Return the exit status.
 */
struct cli;
int oauth2_authorize_mode(const struct cli *cli);
int oauth2_revoke_mode(const struct cli *cli);

#endif
