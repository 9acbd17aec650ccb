/*
 * oauth2.c - OAuth2 settings, token requests and renewal (RFC 6749 3.2,
 * 5.1, 5.2 and 6: the token endpoint and refreshing an access token; RFC
 * 7628 3.2.2: a refused token is renewed once).  The grants that get the
 * first refresh token are in oauth2_flow.c.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ascii.h"
#include "cmd.h"
#include "gettext.h"
#include "http.h"
#include "load_jsonc.h"
#include "oauth2.h"
#include "oauth2_int.h"
#include "oauth2_store.h"
#include "report.h"
#include "secret.h"
#include "tls.h"
#include "util.h"
#include "xalloc.h"

/* How long a second smtpsend waits for the first one's renewal. */
#define LOCK_WAIT_EXTRA 5

/* An oauth2_tenant longer than this is refused. */
#define TENANT_MAX 100

#define GOOGLE_AUTH "https://accounts.google.com/o/oauth2/v2/auth"
#define GOOGLE_TOKEN "https://oauth2.googleapis.com/token"
#define GOOGLE_SCOPE "https://mail.google.com/"
#define MS_BASE "https://login.microsoftonline.com/"
#define MS_SCOPE "https://outlook.office.com/SMTP.Send offline_access"

const char *
oauth2_library_version(void)
{
	static char v[160];

	/* the versions built against: --version loads no library */
	snprintf(v, sizeof(v), "OAuth2: %s, json-c %s", http_library_version(),
		 JSON_C_VERSION);
	return v;
}

bool
oauth2_configured(const struct account *a)
{
	return a->oauth2_provider != OAUTH2_NONE;
}

void
oauth2_reauthorize_hint(const struct account *a, struct err *err)
{
	char after[200];

	snprintf(after, sizeof(after), _("; run smtpsend --oauth2-authorize "
		 "-a %s"), a->name ? a->name : "ACCOUNT");
	err_wrap(err, "", after);
}

int
oauth2_store_key(const struct account *a, char *out, size_t n,
		 struct err *err)
{
	const char *who = a->user ? a->user : a->name;
	const char *name = a->name ? a->name : "(command line)";
	unsigned char d[32];
	int len;

	if (a->oauth2_client_id == NULL) {
		err_set(err, ERR_CONFIG, false, _("account %s: no "
			"oauth2_client_id, so no OAuth2 token"), name);
		return -1;
	}
	if (tls_sha256(a->oauth2_client_id, strlen(a->oauth2_client_id), d,
		       err) < 0)
		return -1;
	len = who == NULL ? -1
	      : snprintf(out, n, "%s.%02x%02x%02x%02x", who, d[0], d[1],
			 d[2], d[3]);
	if (len < 0 || (size_t)len >= n) {
		err_set(err, ERR_CONFIG, false, _("account %s: user name too "
			"long for a token file"), name);
		return -1;
	}
	return 0;
}

static char *
ms_url(const char *tenant, const char *what)
{
	size_t n = strlen(MS_BASE) + strlen(tenant) + strlen(what) + 16;
	char *u = xmalloc(n);

	snprintf(u, n, MS_BASE "%s/oauth2/v2.0/%s", tenant, what);
	return u;
}

static bool
tenant_ok(const char *t)
{
	size_t i;

	for (i = 0; t[i]; i++)
		if (!ascii_is_alnum((unsigned char)t[i]) && t[i] != '-'
		    && t[i] != '.')
			return false;
	return i > 0 && i <= TENANT_MAX;
}

/* presets - the endpoints and scope of the provider; the oauth2_*
 * lines override them */
static int
presets(struct oauth2_client *c, const struct account *a, struct err *err)
{
	const char *tenant = a->oauth2_tenant ? a->oauth2_tenant : "common";

	if (a->oauth2_provider == OAUTH2_GOOGLE) {
		c->token_url = xstrdup(GOOGLE_TOKEN);
		c->auth_url = xstrdup(GOOGLE_AUTH);
		c->scope = GOOGLE_SCOPE;
		c->google = true;
	} else if (a->oauth2_provider == OAUTH2_MICROSOFT) {
		if (!tenant_ok(tenant)) {
			err_set(err, ERR_CONFIG, false, _("%s: oauth2_tenant: "
				"invalid tenant \"%.40s\" (a name or id: "
				"letters, digits, \"-\" and \".\")"),
				account_where(a, ACC_OAUTH2_TENANT), tenant);
			return -1;
		}
		c->token_url = ms_url(tenant, "token");
		c->auth_url = ms_url(tenant, "authorize");
		c->device_url = ms_url(tenant, "devicecode");
		c->scope = MS_SCOPE;
	}
	return 0;
}

static void
override(char **slot, const char *v)
{
	if (v == NULL)
		return;
	free(*slot);
	*slot = xstrdup(v);
}

/* client_secret - oauth2_client_secret, or oauth2_client_secret_eval's
 * first line */
static int
client_secret(struct oauth2_client *c, const struct account *a,
	      struct err *err)
{
	struct buf out;

	if (a->oauth2_client_secret != NULL) {
		c->client_secret = xstrdup(a->oauth2_client_secret);
		return 0;
	}
	if (a->oauth2_client_secret_eval == NULL)
		return 0;
	buf_init_secret(&out, SECRET_MAX);
	if (cmd_first_line(a->oauth2_client_secret_eval, SECRET_MAX, 0,
			   ERR_AUTH, true, &out, err) < 0) {
		buf_clear_secret(&out);
		err_prefix(err, "oauth2_client_secret_eval");
		err_prefix(err,
			   account_where(a, ACC_OAUTH2_CLIENT_SECRET_EVAL));
		return -1;
	}
	c->client_secret = xstrdup(buf_str(&out));
	buf_clear_secret(&out);
	return 0;
}

int
oauth2_client_init(struct oauth2_client *c, const struct account *a,
		   struct err *err)
{
	memset(c, 0, sizeof(*c));
	c->account = a->name;
	c->client_id = a->oauth2_client_id;
	c->trust_file = a->oauth2_trust_file;
	c->timeout = a->timeout > 0 ? a->timeout : HTTP_TIMEOUT;
	if (!oauth2_configured(a) || a->name == NULL) {
		err_set(err, ERR_CONFIG, false, a->name == NULL
			? _("OAuth2 needs an account of the configuration file "
			    "(-a NAME), not --host")
			: _("account %s: oauth2_provider is not set"), a->name);
		return -1;
	}
	if (presets(c, a, err) < 0)
		goto fail;
	override(&c->token_url, a->oauth2_token_endpoint);
	override(&c->auth_url, a->oauth2_authorization_endpoint);
	override(&c->device_url, a->oauth2_device_endpoint);
	if (a->oauth2_scope != NULL)
		c->scope = a->oauth2_scope;
	if (c->client_id == NULL || c->token_url == NULL
	    || (c->auth_url == NULL && c->device_url == NULL)) {
		err_set(err, ERR_CONFIG, false, _("account %s: OAuth2 needs "
			"%s"), a->name, c->client_id == NULL
			? "oauth2_client_id" : c->token_url == NULL
			? "oauth2_token_endpoint"
			: "oauth2_device_endpoint or "
			  "oauth2_authorization_endpoint");
		goto fail;
	}
	if (oauth2_store_key(a, c->key, sizeof(c->key), err) < 0)
		goto fail;
	if (client_secret(c, a, err) == 0)
		return 0;
fail:
	oauth2_client_clear(c);
	return -1;
}

void
oauth2_client_clear(struct oauth2_client *c)
{
	xfree_secret(c->client_secret);
	free(c->token_url);
	free(c->auth_url);
	free(c->device_url);
	memset(c, 0, sizeof(*c));
}

/* ---- the token endpoint ---- */

const char *
oauth2_json_str(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v)
	    || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

long long
oauth2_json_int(struct json_object *obj, const char *key, long long dflt)
{
	struct json_object *v;
	const char *s;
	char *end;
	long long n;

	if (!json_object_object_get_ex(obj, key, &v))
		return dflt;
	if (json_object_is_type(v, json_type_int))
		return (long long)json_object_get_int64(v);
	/* some providers send numbers as strings */
	s = json_object_is_type(v, json_type_string)
	    ? json_object_get_string(v) : NULL;
	if (s == NULL)
		return dflt;
	n = strtoll(s, &end, 10);
	return end != s && *end == '\0' ? n : dflt;
}

/* error_code - the "error" of an answer, kept to RFC 6749 A.7's
 * characters that are safe to show */
static bool
error_code(struct json_object *obj, char *out, size_t n)
{
	const char *e = oauth2_json_str(obj, "error");
	size_t i;

	if (e == NULL || n == 0)
		return false;
	for (i = 0; e[i] && i + 1 < n; i++)
		out[i] = ascii_is_alnum((unsigned char)e[i]) || e[i] == '_'
			 || e[i] == '-' ? e[i] : '?';
	out[i] = '\0';
	return i > 0;
}

static struct json_object *
parse_json(const struct buf *body)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *obj = NULL;

	if (tok == NULL || body->len == 0)
		goto out;
	obj = json_tokener_parse_ex(tok, body->p, (int)body->len);
	if (obj != NULL && (json_tokener_get_error(tok) != json_tokener_success
			    || !json_object_is_type(obj, json_type_object))) {
		json_object_put(obj);
		obj = NULL;
	}
out:
	if (tok != NULL)
		json_tokener_free(tok);
	return obj;
}

/* judge - what the status and body of an answer mean (see oauth2_post) */
static int
judge(long status, struct json_object *obj, char *error, size_t errn,
      struct err *err)
{
	if (status >= 200 && status < 300 && obj != NULL)
		return 0;
	if (status >= 400 && status < 500 && status != 429 && obj != NULL
	    && error_code(obj, error, errn))
		return 1;
	if (status >= 500 || status == 429 || (status / 100 == 2))
		err_set(err, ERR_NET, true, status / 100 == 2
			? _("the OAuth2 endpoint's answer is not a JSON object")
			: _("the OAuth2 endpoint answered HTTP %ld"), status);
	else
		err_set(err, ERR_AUTH, false, _("the OAuth2 endpoint answered "
			"HTTP %ld"), status);
	return -1;
}

int
oauth2_post(const struct oauth2_client *c, const char *url,
	    struct buf *form, struct json_object **obj, char *error,
	    size_t errn, struct err *err)
{
	struct http_request rq = { url, c->trust_file, c->timeout, form };
	struct buf body;
	long status;
	int rc = -1;

	*obj = NULL;
	error[0] = '\0';
	buf_init_secret(&body, HTTP_BODY_MAX);
	if (http_form_add(form, "client_id", c->client_id) < 0
	    || (c->client_secret != NULL
		&& http_form_add(form, "client_secret", c->client_secret)
		   < 0)) {
		err_set(err, ERR_CONFIG, false, _("OAuth2 request too long"));
		goto out;
	}
	if (load_jsonc(err) < 0 || http_post(&rq, &body, &status, err) < 0)
		goto out;
	*obj = parse_json(&body);
	rc = judge(status, *obj, error, errn, err);
	if (rc < 0 && *obj != NULL) {
		json_object_put(*obj);
		*obj = NULL;
	}
out:
	buf_clear_secret(&body);
	return rc;
}

int
oauth2_take_tokens(struct json_object *obj, long long now,
		   struct oauth2_token *t, struct err *err)
{
	const char *access = oauth2_json_str(obj, "access_token");
	const char *refresh = oauth2_json_str(obj, "refresh_token");
	long long life = oauth2_json_int(obj, "expires_in", 3600);

	if (access == NULL || !oauth2_token_valid(access)
	    || (refresh != NULL && !oauth2_token_valid(refresh))) {
		err_set(err, ERR_NET, true, _("the token endpoint's answer "
			"has no valid access token"));
		return -1;
	}
	if (life < 0 || life > 366LL * 86400)
		life = 3600;
	xfree_secret(t->access);
	t->access = xstrdup(access);
	t->expires = now + life;
	if (refresh != NULL) {
		xfree_secret(t->refresh);
		t->refresh = xstrdup(refresh);
	}
	return 0;
}

/* ---- renewal (RFC 6749 6) ---- */

static bool
fresh(const struct oauth2_token *t, long long now)
{
	return t->access != NULL && t->expires > now + OAUTH2_MARGIN;
}

/* load - the stored token; none is an authentication failure */
static int
load(const struct account *a, const struct oauth2_client *c,
     struct oauth2_token *t, struct err *err)
{
	int rc;

	oauth2_token_clear(t);
	rc = oauth2_store_load(c->key, t, err);
	if (rc == 0)
		err_set(err, ERR_AUTH, false, _("account %s has no OAuth2 "
			"token yet"), a->name);
	if (rc == 0 || rc == -2)
		oauth2_reauthorize_hint(a, err);
	return rc > 0 ? 0 : -1;
}

/* refresh_once - one refresh request; 1 with error for an OAuth error */
static int
refresh_once(const struct oauth2_client *c, struct oauth2_token *t,
	     char *error, size_t errn, struct err *err)
{
	struct json_object *obj = NULL;
	struct buf form;
	int rc;

	buf_init_secret(&form, OAUTH2_STORE_MAX);
	if (http_form_add(&form, "grant_type", "refresh_token") < 0
	    || http_form_add(&form, "refresh_token", t->refresh) < 0) {
		buf_clear_secret(&form);
		err_set(err, ERR_CONFIG, false, _("OAuth2 request too long"));
		return -1;
	}
	rc = oauth2_post(c, c->token_url, &form, &obj, error, errn, err);
	buf_clear_secret(&form);
	if (rc == 0)
		rc = oauth2_take_tokens(obj, (long long)time(NULL), t, err);
	if (obj != NULL)
		json_object_put(obj);
	return rc;
}

/* save - the renewed token; a store that cannot be written costs the
 * rotated refresh token later, not this message */
static void
save(const struct account *a, const struct oauth2_client *c,
     const struct oauth2_token *t, bool rotated, struct transcript *tr)
{
	struct err err;

	if (oauth2_store_save(c->key, t, &err) < 0)
		report_warning(_("account %s: the renewed OAuth2 token cannot "
				 "be saved (%s)%s"), a->name, err.text,
			       rotated ? _("; the next send may need smtpsend "
					   "--oauth2-authorize") : "");
	transcript_note(tr, "OAuth2: access token renewed, valid for %lld "
			"s%s", t->expires - (long long)time(NULL),
			rotated ? "; new refresh token saved" : "");
}

static int
renew_token(const struct account *a, const struct oauth2_client *c,
	    struct oauth2_token *t, struct transcript *tr, struct err *err)
{
	char error[OAUTH2_ERROR_MAX], *old = NULL;
	int round, rc = -1;

	for (round = 0; round < 2; round++) {
		transcript_note(tr, "OAuth2: renewing the access token of "
				"account %s", a->name);
		xfree_secret(old);
		old = xstrdup(t->refresh);
		rc = refresh_once(c, t, error, sizeof(error), err);
		if (rc == 0)
			save(a, c, t, strcmp(old, t->refresh) != 0, tr);
		if (rc <= 0 || strcmp(error, "invalid_grant") != 0 || round)
			break;
		/* one more try, with what the store holds now */
		transcript_note(tr, "OAuth2: refresh token refused "
				"(invalid_grant); trying once more");
		(void)util_poll(-1, 0, util_now_ms() + 1000);
		if (load(a, c, t, err) < 0) {
			rc = -1;
			break;
		}
	}
	xfree_secret(old);
	if (rc == 1) {
		err_set(err, ERR_AUTH, false, _("account %s: the OAuth2 token "
			"endpoint refused the request (%s)"), a->name, error);
		if (strcmp(error, "invalid_grant") == 0)
			oauth2_reauthorize_hint(a, err);
		rc = -1;
	}
	return rc;
}

int
oauth2_access_token(const struct account *a, bool renew,
		    struct transcript *tr, char **token, struct err *err)
{
	struct oauth2_client c;
	struct oauth2_token t = { NULL, NULL, 0 };
	char *refused = NULL;
	int lock = -1, ret = -1;

	*token = NULL;
	if (oauth2_client_init(&c, a, err) < 0)
		return -1;
	if (load(a, &c, &t, err) < 0)
		goto out;
	if (!renew && fresh(&t, (long long)time(NULL)))
		goto done;
	if (renew && t.access != NULL)
		refused = xstrdup(t.access);
	lock = oauth2_store_lock(c.key, 2 * c.timeout + LOCK_WAIT_EXTRA, err);
	if (lock < 0 || load(a, &c, &t, err) < 0)
		goto out;
	/* another smtpsend may have renewed it in the meantime */
	if (fresh(&t, (long long)time(NULL))
	    && (refused == NULL || strcmp(refused, t.access) != 0))
		goto done;
	if (renew_token(a, &c, &t, tr, err) < 0)
		goto out;
done:
	*token = xstrdup(t.access);
	ret = 0;
out:
	oauth2_store_unlock(lock);
	xfree_secret(refused);
	oauth2_token_clear(&t);
	oauth2_client_clear(&c);
	return ret;
}

void
oauth2_describe(const struct account *a, FILE *out)
{
	struct oauth2_token t = { NULL, NULL, 0 };
	char path[4096], when[64], key[OAUTH2_KEY_MAX];
	struct err err;
	struct tm *tm;
	time_t end;
	int rc;

	if (!oauth2_configured(a))
		return;
	if (oauth2_store_key(a, key, sizeof(key), &err) < 0) {
		fprintf(out, "oauth2 token: none (%s)\n",
			a->oauth2_client_id ? err.text : "no oauth2_client_id");
		return;
	}
	oauth2_store_path(key, path, sizeof(path));
	rc = oauth2_store_load(key, &t, &err);
	if (rc < 0)
		fprintf(out, "oauth2 token: unusable (%s)\n", err.text);
	else if (rc == 0)
		fprintf(out, "oauth2 token: none (%s)\n", path);
	else if (t.access == NULL)
		fprintf(out, "oauth2 token: present, no access token yet "
			"(%s)\n", path);
	else {
		end = (time_t)t.expires;
		tm = gmtime(&end);
		if (tm == NULL || strftime(when, sizeof(when),
					   "%Y-%m-%d %H:%M:%S UTC", tm) == 0)
			snprintf(when, sizeof(when), "(unknown)");
		fprintf(out, "oauth2 token: present, access token %s %s "
			"(%s)\n", t.expires > (long long)time(NULL)
			? "expires" : "expired", when, path);
	}
	oauth2_token_clear(&t);
}
