/*
 * oauth2_flow.c - getting the first refresh token: the device
 * authorization grant (RFC 8628 3.1-3.5), else the authorization code
 * grant (RFC 6749 4.1) with PKCE (RFC 7636 4.1-4.6, S256) and a redirect
 * to a loopback port (RFC 8252 7.3, 8.3); --oauth2-authorize and
 * --oauth2-revoke.
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ascii.h"
#include "cli.h"
#include "exitcodes.h"
#include "gettext.h"
#include "http.h"
#include "load_jsonc.h"
#include "oauth2.h"
#include "oauth2_int.h"
#include "oauth2_store.h"
#include "profile.h"
#include "report.h"
#include "tls.h"
#include "util.h"
#include "xalloc.h"

/* The longest wait for the user (RFC 8628 3.5: the device code's own
 * expires_in, at most this). */
#define AUTHORIZE_WAIT 900

/* RFC 8628 3.5: the polling interval, default and bounds; slow_down
 * adds 5 seconds. */
#define POLL_DEFAULT 5
#define POLL_MAX 60

/* The redirect's request: its head must fit, and arrive in time. */
#define REDIRECT_HEAD_MAX 8192
#define REDIRECT_READ_MS 10000

/* Connections to the loopback port that are not the redirect (a
 * browser's favicon request...) answered 404 before giving up. */
#define REDIRECT_TRIES 16

/* A user code or verification address longer than this is refused. */
#define USER_CODE_MAX 64
#define VERIFY_URI_MAX 2048

/* b64url - RFC 4648 5 base64url without padding (RFC 7636 appendix A) */
static void
b64url(const unsigned char *p, size_t n, char *out, size_t outn)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "abcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t i, j, k, o = 0;
	unsigned long v;

	for (i = 0; i < n; i += 3) {
		k = n - i < 3 ? n - i : 3;
		v = (unsigned long)p[i] << 16;
		if (k > 1)
			v |= (unsigned long)p[i + 1] << 8;
		if (k > 2)
			v |= p[i + 2];
		/* k bytes make k + 1 characters */
		for (j = 0; j <= k && o + 1 < outn; j++)
			out[o++] = al[(v >> (18 - 6 * j)) & 63];
	}
	out[o] = '\0';
}

/* shown - whether server text s is fit to print: visible ASCII only */
static bool
shown(const char *s, size_t max)
{
	size_t i;

	if (s == NULL)
		return false;
	for (i = 0; s[i]; i++)
		if (!ascii_is_vchar((unsigned char)s[i]) || i >= max)
			return false;
	return i > 0;
}

/* too_long - a request that does not fit its buffer */
static int
too_long(struct err *err)
{
	err_set(err, ERR_CONFIG, false, _("OAuth2 request too long"));
	return -1;
}

static void
sleep_s(long s)
{
	(void)util_poll(-1, 0, util_now_ms() + s * 1000);
}

/* ---- the device authorization grant (RFC 8628) ---- */

struct device {
	char *code;             /* device_code, a secret */
	long interval;
	long long deadline;     /* util_now_ms() */
};

/* device_start - the device authorization request (RFC 8628 3.1, 3.2),
 * and what the user must do, printed on out */
static int
device_start(const struct oauth2_client *c, struct device *d, FILE *out,
	     struct err *err)
{
	struct json_object *obj = NULL;
	char error[OAUTH2_ERROR_MAX];
	const char *code, *user, *uri, *full;
	struct buf form;
	long long life;
	int rc;

	buf_init_secret(&form, HTTP_BODY_MAX);
	rc = http_form_add(&form, "scope", c->scope ? c->scope : "");
	rc = rc < 0 ? too_long(err)
		    : oauth2_post(c, c->device_url, &form, &obj, error,
				  sizeof(error), err);
	buf_clear_secret(&form);
	if (rc != 0) {
		if (rc > 0)
			err_set(err, ERR_AUTH, false, _("the device "
				"authorization endpoint refused the request "
				"(%s)"), error);
		goto out;
	}
	code = oauth2_json_str(obj, "device_code");
	user = oauth2_json_str(obj, "user_code");
	uri = oauth2_json_str(obj, "verification_uri");
	if (uri == NULL)        /* Google's older name */
		uri = oauth2_json_str(obj, "verification_url");
	full = oauth2_json_str(obj, "verification_uri_complete");
	if (code == NULL || !oauth2_token_valid(code)
	    || !shown(user, USER_CODE_MAX) || !shown(uri, VERIFY_URI_MAX)
	    || strncmp(uri, "https://", 8) != 0) {
		err_set(err, ERR_PROTO, false, _("the device authorization "
			"answer lacks a valid device_code, user_code or "
			"https:// verification_uri"));
		rc = -1;
		goto out;
	}
	d->code = xstrdup(code);
	d->interval = oauth2_json_int(obj, "interval", POLL_DEFAULT);
	if (d->interval < 1 || d->interval > POLL_MAX)
		d->interval = POLL_DEFAULT;
	life = oauth2_json_int(obj, "expires_in", AUTHORIZE_WAIT);
	if (life < 1 || life > AUTHORIZE_WAIT)
		life = AUTHORIZE_WAIT;
	d->deadline = util_now_ms() + life * 1000;
	fprintf(out, _("To authorize smtpsend for account %s, open\n  %s\n"
		       "and enter the code %s\n"), c->account, uri, user);
	if (shown(full, VERIFY_URI_MAX) && strncmp(full, "https://", 8) == 0)
		fprintf(out, _("(or open %s)\n"), full);
	fprintf(out, _("Waiting up to %lld s...\n"), life);
	fflush(out);
out:
	if (obj != NULL)
		json_object_put(obj);
	return rc;
}

/* device_poll - one token request (RFC 8628 3.4); 1: not yet */
static int
device_poll(const struct oauth2_client *c, struct device *d,
	    struct oauth2_token *t, struct err *err)
{
	struct json_object *obj = NULL;
	char error[OAUTH2_ERROR_MAX];
	struct buf form;
	int rc;

	buf_init_secret(&form, HTTP_BODY_MAX);
	rc = http_form_add(&form, "grant_type",
			   "urn:ietf:params:oauth:grant-type:device_code");
	if (rc == 0)
		rc = http_form_add(&form, "device_code", d->code);
	rc = rc < 0 ? too_long(err)
		    : oauth2_post(c, c->token_url, &form, &obj, error,
				  sizeof(error), err);
	buf_clear_secret(&form);
	if (rc == 0)
		rc = oauth2_take_tokens(obj, (long long)time(NULL), t, err);
	if (obj != NULL)
		json_object_put(obj);
	if (rc != 1)
		return rc;
	if (strcmp(error, "slow_down") == 0)
		d->interval += 5;
	if (strcmp(error, "slow_down") == 0
	    || strcmp(error, "authorization_pending") == 0)
		return 1;
	err_set(err, ERR_AUTH, false, _("authorization refused (%s)"), error);
	return -1;
}

static int
device_flow(const struct oauth2_client *c, struct oauth2_token *t, FILE *out,
	    struct err *err)
{
	struct device d = { NULL, 0, 0 };
	int rc;

	if (device_start(c, &d, out, err) < 0)
		return -1;
	do {
		sleep_s(d.interval);
		if (util_now_ms() >= d.deadline) {
			err_set(err, ERR_AUTH, false, _("nobody entered the "
				"code in time"));
			rc = -1;
			break;
		}
		rc = device_poll(c, &d, t, err);
	} while (rc == 1);
	xfree_secret(d.code);
	return rc;
}

/* ---- the authorization code grant with PKCE and a loopback redirect ---- */

struct pkce {
	char verifier[64];      /* RFC 7636 4.1: 43 characters here */
	char challenge[64];     /* 4.2: BASE64URL(SHA256(verifier)) */
	char state[32];         /* RFC 6749 10.12: against CSRF */
	char redirect[64];      /* http://127.0.0.1:PORT/ */
};

static int
pkce_make(struct pkce *p, int port, struct err *err)
{
	unsigned char rnd[32], st[16], dig[32];

	if (tls_random_key(rnd, sizeof(rnd), err) < 0
	    || tls_random_key(st, sizeof(st), err) < 0)
		return -1;
	b64url(rnd, sizeof(rnd), p->verifier, sizeof(p->verifier));
	b64url(st, sizeof(st), p->state, sizeof(p->state));
	secure_zero(rnd, sizeof(rnd));
	if (tls_sha256(p->verifier, strlen(p->verifier), dig, err) < 0)
		return -1;
	b64url(dig, sizeof(dig), p->challenge, sizeof(p->challenge));
	snprintf(p->redirect, sizeof(p->redirect), "http://127.0.0.1:%d/",
		 port);
	return 0;
}

/* listen_loopback - a socket on 127.0.0.1, on a port the system picks
 * (RFC 8252 7.3) */
static int
listen_loopback(int *port, struct err *err)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0
	    || listen(fd, 4) < 0
	    || getsockname(fd, (struct sockaddr *)&sin, &len) < 0) {
		err_set_errno(err, ERR_IO, true, errno, _("cannot listen on "
			      "127.0.0.1 for the redirect"));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(sin.sin_port);
	return fd;
}

static int
auth_address(const struct oauth2_client *c, const struct pkce *p,
	     struct buf *url)
{
	struct buf q;
	int rc;

	buf_init(&q, VERIFY_URI_MAX * 2);
	rc = http_form_add(&q, "response_type", "code");
	rc = rc ? rc : http_form_add(&q, "client_id", c->client_id);
	rc = rc ? rc : http_form_add(&q, "redirect_uri", p->redirect);
	rc = rc ? rc : http_form_add(&q, "scope", c->scope ? c->scope : "");
	rc = rc ? rc : http_form_add(&q, "state", p->state);
	rc = rc ? rc : http_form_add(&q, "code_challenge", p->challenge);
	rc = rc ? rc : http_form_add(&q, "code_challenge_method", "S256");
	/* Google gives a refresh token only for offline access */
	if (c->google) {
		rc = rc ? rc : http_form_add(&q, "access_type", "offline");
		rc = rc ? rc : http_form_add(&q, "prompt", "consent");
	}
	rc = rc ? rc : buf_printf(url, "%s%c%s", c->auth_url,
				  strchr(c->auth_url, '?') ? '&' : '?',
				  buf_str(&q));
	buf_clear(&q);
	return rc;
}

/* read_head - the request head of a connection, within its deadline */
static int
read_head(int fd, struct buf *head)
{
	long long deadline = util_now_ms() + REDIRECT_READ_MS;
	char chunk[1024];
	ssize_t n;

	while (strstr(buf_str(head), "\r\n\r\n") == NULL
	       && strstr(buf_str(head), "\n\n") == NULL) {
		if (util_poll(fd, POLLIN, deadline) <= 0)
			return -1;
		n = read(fd, chunk, sizeof(chunk));
		if (n <= 0 || memchr(chunk, '\0', (size_t)n) != NULL
		    || buf_append(head, chunk, (size_t)n) < 0)
			return -1;
	}
	return 0;
}

static void
answer(int fd, int status, const char *text)
{
	char page[512];
	int n;

	n = snprintf(page, sizeof(page), "HTTP/1.1 %d %s\r\nContent-Type: "
		     "text/plain; charset=utf-8\r\nConnection: close\r\n"
		     "Cache-Control: no-store\r\nContent-Length: %zu\r\n\r\n"
		     "%s", status, status == 200 ? "OK" : "Error",
		     strlen(text), text);
	if (n > 0 && (size_t)n < sizeof(page))
		(void)util_write_all(fd, page, (size_t)n);
}

/* The parameters of the redirect (RFC 6749 4.1.2, 4.1.2.1). */
struct redirect {
	char code[4096];        /* a secret */
	char state[64];
	char error[OAUTH2_ERROR_MAX];
};

static void
take_param(const char *p, size_t n, struct redirect *r)
{
	const char *eq = memchr(p, '=', n);
	size_t k;

	if (eq == NULL)
		return;
	k = (size_t)(eq - p);
	eq++;
	n -= k + 1;
	if (k == 4 && memcmp(p, "code", 4) == 0) {
		if (http_url_decode(eq, n, r->code, sizeof(r->code)) < 0)
			r->code[0] = '\0';
	} else if (k == 5 && memcmp(p, "state", 5) == 0) {
		if (http_url_decode(eq, n, r->state, sizeof(r->state)) < 0)
			r->state[0] = '\0';
	} else if (k == 5 && memcmp(p, "error", 5) == 0) {
		if (http_url_decode(eq, n, r->error, sizeof(r->error)) < 0
		    || !shown(r->error, sizeof(r->error)))
			snprintf(r->error, sizeof(r->error), "?");
	}
}

/* parse_target - the parameters of "GET /?QUERY HTTP/1.x"; -1: not
 * the redirect */
static int
parse_target(const char *head, struct redirect *r)
{
	const char *p, *end;
	size_t n;

	if (strncmp(head, "GET /", 5) != 0)
		return -1;
	p = head + 5;
	end = p + strcspn(p, " \r\n");
	if (p == end || *p != '?')
		return -1;
	for (p++; p < end; p += n + 1) {
		n = strcspn(p, "& \r\n");
		if (p + n > end)
			n = (size_t)(end - p);
		take_param(p, n, r);
	}
	return r->code[0] || r->error[0] ? 0 : -1;
}

/* one_connection - 0: the code is in r; 1: not the redirect (keep
 * waiting); -1 with err */
static int
one_connection(int cfd, const struct pkce *p, struct redirect *r,
	       struct err *err)
{
	struct buf head;
	int rc = 1;

	buf_init_secret(&head, REDIRECT_HEAD_MAX);
	memset(r, 0, sizeof(*r));
	if (read_head(cfd, &head) < 0 || parse_target(head.p, r) < 0) {
		answer(cfd, 404, "Not found.\n");
		goto out;
	}
	rc = -1;
	if (strcmp(r->state, p->state) != 0) {
		answer(cfd, 400, "smtpsend: wrong state; nothing was done.\n");
		err_set(err, ERR_AUTH, false, _("the redirect's state does not "
			"match (a forged request?); nothing was stored"));
	} else if (r->error[0] || !r->code[0]) {
		answer(cfd, 400, "smtpsend: authorization refused.\n");
		err_set(err, ERR_AUTH, false, _("authorization refused (%s)"),
			r->error[0] ? r->error : "no code");
	} else {
		answer(cfd, 200, "smtpsend: authorization received; you may "
		       "close this window.\n");
		rc = 0;
	}
out:
	buf_clear_secret(&head);
	return rc;
}

static int
wait_redirect(int lfd, const struct pkce *p, struct redirect *r,
	      struct err *err)
{
	long long deadline = util_now_ms() + AUTHORIZE_WAIT * 1000LL;
	int tries, cfd, rc;

	for (tries = 0; tries < REDIRECT_TRIES; tries++) {
		rc = util_poll(lfd, POLLIN, deadline);
		if (rc <= 0) {
			err_set(err, ERR_AUTH, false, _("no answer from the "
				"browser within %d s"), AUTHORIZE_WAIT);
			return -1;
		}
		cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (cfd < 0)
			continue;
		rc = one_connection(cfd, p, r, err);
		close(cfd);
		if (rc <= 0)
			return rc;
	}
	err_set(err, ERR_AUTH, false, _("%d connections to the redirect port "
		"brought no authorization"), REDIRECT_TRIES);
	return -1;
}

/* redeem - the code for tokens (RFC 6749 4.1.3, RFC 7636 4.5) */
static int
redeem(const struct oauth2_client *c, const struct pkce *p,
       const char *code, struct oauth2_token *t, struct err *err)
{
	struct json_object *obj = NULL;
	char error[OAUTH2_ERROR_MAX];
	struct buf form;
	int rc;

	buf_init_secret(&form, HTTP_BODY_MAX);
	rc = http_form_add(&form, "grant_type", "authorization_code");
	rc = rc ? rc : http_form_add(&form, "code", code);
	rc = rc ? rc : http_form_add(&form, "redirect_uri", p->redirect);
	rc = rc ? rc : http_form_add(&form, "code_verifier", p->verifier);
	rc = rc < 0 ? too_long(err)
		    : oauth2_post(c, c->token_url, &form, &obj, error,
				  sizeof(error), err);
	buf_clear_secret(&form);
	if (rc == 0)
		rc = oauth2_take_tokens(obj, (long long)time(NULL), t, err);
	if (obj != NULL)
		json_object_put(obj);
	if (rc > 0) {
		err_set(err, ERR_AUTH, false, _("the token endpoint refused "
			"the code (%s)"), error);
		rc = -1;
	}
	return rc;
}

static int
code_flow(const struct oauth2_client *c, struct oauth2_token *t, FILE *out,
	  struct err *err)
{
	struct pkce p;
	struct redirect r;
	struct buf url;
	int lfd, port, rc = -1;

	buf_init(&url, VERIFY_URI_MAX * 4);
	lfd = listen_loopback(&port, err);
	if (lfd < 0)
		return -1;
	if (pkce_make(&p, port, err) < 0)
		goto out;
	if (auth_address(c, &p, &url) < 0) {
		err_set(err, ERR_CONFIG, false, _("the authorization address "
			"is too long"));
		goto out;
	}
	fprintf(out, _("To authorize smtpsend for account %s, open this "
		       "address in a browser on this machine:\n  %s\n"
		       "Waiting up to %d s for the answer on %s\n"),
		c->account, buf_str(&url), AUTHORIZE_WAIT, p.redirect);
	fflush(out);
	if (wait_redirect(lfd, &p, &r, err) == 0)
		rc = redeem(c, &p, r.code, t, err);
	secure_zero(&r, sizeof(r));
out:
	secure_zero(&p, sizeof(p));
	buf_clear(&url);
	close(lfd);
	return rc;
}

/* ---- the modes ---- */

static int
failed(const struct err *err)
{
	report_error(err);
	return report_err_status(err);
}

static int
authorize(const struct account *a, FILE *out, struct err *err)
{
	struct oauth2_client c;
	struct oauth2_token t = { NULL, NULL, 0 };
	char path[4096];
	int lock = -1, rc = -1;

	if (oauth2_client_init(&c, a, err) < 0)
		return -1;
	/* a send that renews meanwhile waits for the new token */
	lock = oauth2_store_lock(c.key, 0, err);
	if (lock < 0)
		goto out;
	rc = c.device_url != NULL ? device_flow(&c, &t, out, err)
				  : code_flow(&c, &t, out, err);
	if (rc == 0 && t.refresh == NULL) {
		err_set(err, ERR_AUTH, false, _("the provider sent no refresh "
			"token (does oauth2_scope ask for offline access?)"));
		rc = -1;
	}
	if (rc == 0)
		rc = oauth2_store_save(c.key, &t, err);
	if (rc == 0) {
		oauth2_store_path(c.key, path, sizeof(path));
		fprintf(out, _("Account %s is authorized; its token is kept in "
			       "%s\n"), a->name, path);
	}
out:
	oauth2_store_unlock(lock);
	oauth2_token_clear(&t);
	oauth2_client_clear(&c);
	return rc;
}

int
oauth2_authorize_mode(const struct cli *cli)
{
	struct account *a;
	struct err err;
	char *config = NULL;
	int status = EX_OK;

	err_clear(&err);
	a = profile_cli(cli, false, NULL, &config);
	if (a == NULL)
		return EX_CONFIG;
	if (authorize(a, stdout, &err) < 0)
		status = failed(&err);
	account_free(a);
	free(config);
	return status;
}

int
oauth2_revoke_mode(const struct cli *cli)
{
	struct account *a;
	struct err err;
	char *config = NULL, key[OAUTH2_KEY_MAX];
	int status = EX_OK, rc;

	err_clear(&err);
	a = profile_cli(cli, false, NULL, &config);
	if (a == NULL)
		return EX_CONFIG;
	if (oauth2_store_key(a, key, sizeof(key), &err) < 0) {
		status = failed(&err);
		goto out;
	}
	rc = oauth2_store_remove(key, &err);
	if (rc < 0)
		status = failed(&err);
	else
		fprintf(stdout, rc ? _("The OAuth2 token of account %s is "
				       "forgotten\n")
				   : _("Account %s has no OAuth2 token\n"),
			a->name);
out:
	account_free(a);
	free(config);
	return status;
}
