/*
 * check_account.c - unit tests for src/account.c and src/setting.c: every
 * type of setting with good and bad values (bounds, empty, control
 * characters), every word of every choice setting, every other spelling
 * of a directive, merging, describing, and printing a setting so that it
 * reads back the same.
 */
#include <config.h>

#include <check.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"

#define HOME "/home/test"
#define FP_LOWER "aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:" \
		 "aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99"
#define FP_UPPER "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:" \
		 "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99"
#define FP_BARE "AABBCCDDEEFF00112233445566778899" \
		"AABBCCDDEEFF00112233445566778899"

/* printed - account_print_field of f (allocated). */
static char *
printed(const struct account *a, enum account_field f)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(mem);
	account_print_field(a, f, mem);
	fclose(mem);
	return text;
}

/* described - the line of account_describe for f, without its newline
 * (allocated). */
static char *
described(const struct account *a, enum account_field f)
{
	char *text = NULL, *line, *nl;
	size_t len = 0, n;
	FILE *mem = open_memstream(&text, &len);
	const char *name = account_field_name(f);

	ck_assert_ptr_nonnull(mem);
	account_describe(a, NULL, mem);
	fclose(mem);
	n = strlen(name);
	for (line = text; line != NULL; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (strncmp(line, name, n) == 0 && line[n] == ':')
			break;
	}
	ck_assert_ptr_nonnull(line);
	line = strndup(line, nl ? (size_t)(nl - line) : strlen(line));
	free(text);
	return line;
}

/* ---- every type of setting ---- */

static const struct value_case {
	enum account_field f;
	const char *in;
	const char *out;        /* as printed; NULL: refused */
	const char *shown;      /* as described; NULL: the same as out */
	const char *error;      /* in the message when refused */
} value_cases[] = {
	/* ST_STR */
	{ ACC_USER, "joe", "joe", NULL, NULL },
	{ ACC_USER, "joe smith", "joe smith", NULL, NULL },
	{ ACC_USER, "j\xc3\xb6rg", "j\xc3\xb6rg", NULL, NULL },
	{ ACC_USER, " ~!", " ~!", NULL, NULL },
	{ ACC_USER, "", "", "(not set)", NULL },
	/* messages are made printable: the tab shows as a space */
	{ ACC_USER, "a\tb", NULL, NULL,
	  "invalid value \"a b\" (control characters are not allowed)" },
	{ ACC_USER, "a\x1f", NULL, NULL, "control characters" },
	{ ACC_USER, "a\x7f", NULL, NULL, "control characters" },
	{ ACC_USER, "a\nb", NULL, NULL, "control characters" },
	{ ACC_TLS_PRIORITIES, "NORMAL:-VERS-ALL:+VERS-TLS1.3",
	  "NORMAL:-VERS-ALL:+VERS-TLS1.3", NULL, NULL },
	{ ACC_PASSWORDEVAL, "gpg -d ~/.pw.gpg", "gpg -d ~/.pw.gpg", NULL,
	  NULL },
	{ ACC_FROM_FULL_NAME, "Joe Smith", "Joe Smith", NULL, NULL },
	{ ACC_LOGFILE_TIME_FORMAT, "%Y-%m-%d", "%Y-%m-%d", NULL, NULL },
	{ ACC_LOGFILE_TIME_FORMAT, "none", "none", NULL, NULL },
	/* ST_PATH */
	{ ACC_TLS_TRUST_FILE, "/etc/ssl/ca.pem", "/etc/ssl/ca.pem", NULL,
	  NULL },
	{ ACC_TLS_TRUST_FILE, "system", "system", NULL, NULL },
	{ ACC_TLS_TRUST_FILE, "~/ca.pem", HOME "/ca.pem", NULL, NULL },
	{ ACC_TLS_TRUST_FILE, "~", HOME, NULL, NULL },
	{ ACC_TLS_TRUST_FILE, "~joe/ca.pem", "~joe/ca.pem", NULL, NULL },
	{ ACC_TLS_TRUST_FILE, "a/~/b", "a/~/b", NULL, NULL },
	{ ACC_TLS_TRUST_FILE, "", "", "(not set)", NULL },
	{ ACC_TLS_TRUST_FILE, "/a\x01", NULL, NULL, "control characters" },
	{ ACC_TLS_CERT_FILE, "/c.pem", "/c.pem", NULL, NULL },
	{ ACC_TLS_KEY_FILE, "~/k.pem", HOME "/k.pem", NULL, NULL },
	{ ACC_QUEUE_DIR, "/var/q dir", "/var/q dir", NULL, NULL },
	{ ACC_ALIASES, "/etc/aliases", "/etc/aliases", NULL, NULL },
	{ ACC_LOGFILE, "-", "-", NULL, NULL },
	{ ACC_LOGFILE, "~/log", HOME "/log", NULL, NULL },
	/* ST_HOST */
	{ ACC_HOST, "mail.example.com", "mail.example.com", NULL, NULL },
	{ ACC_HOST, "127.0.0.1", "127.0.0.1", NULL, NULL },
	{ ACC_HOST, "::1", "::1", NULL, NULL },
	{ ACC_HOST, "mail.example.com.", "mail.example.com.", NULL, NULL },
	{ ACC_HOST, "", NULL, NULL, "empty host name" },
	{ ACC_HOST, "a b", NULL, NULL, "control characters and spaces" },
	{ ACC_HOST, "a\tb", NULL, NULL, "control characters and spaces" },
	{ ACC_HOST, "a..b", NULL, NULL, "invalid host name \"a..b\"" },
	{ ACC_HOST, "-a.example", NULL, NULL, "starts or ends with '-'" },
	{ ACC_TLS_HOST_OVERRIDE, "other.example", "other.example", NULL,
	  NULL },
	{ ACC_TLS_HOST_OVERRIDE, "x..y", NULL, NULL, "invalid host name" },
	/* msmtp: an empty argument unsets it */
	{ ACC_TLS_HOST_OVERRIDE, "", "", "(not set)", NULL },
	/* ST_PORT: [1, 65535] */
	/* ST_URL */
	{ ACC_OAUTH2_TOKEN_ENDPOINT, "https://oauth2.example/token",
	  "https://oauth2.example/token", NULL, NULL },
	{ ACC_OAUTH2_DEVICE_ENDPOINT, "HTTPS://127.0.0.1:8443/d?x=1",
	  "HTTPS://127.0.0.1:8443/d?x=1", NULL, NULL },
	{ ACC_OAUTH2_TOKEN_ENDPOINT, "", "", "(not set)", NULL },
	{ ACC_OAUTH2_TOKEN_ENDPOINT, "http://oauth2.example/token", NULL,
	  NULL, "invalid URL" },
	{ ACC_OAUTH2_TOKEN_ENDPOINT, "https://user:pw@oauth2.example/", NULL,
	  NULL, "user name" },
	{ ACC_OAUTH2_TOKEN_ENDPOINT, "https:///token", NULL, NULL, "no host" },
	{ ACC_OAUTH2_AUTHORIZATION_ENDPOINT, "https://a.example/x y", NULL,
	  NULL, "spaces are not allowed" },
	{ ACC_OAUTH2_AUTHORIZATION_ENDPOINT, "https://a.example/<x>", NULL,
	  NULL, "invalid URL" },
	{ ACC_OAUTH2_AUTHORIZATION_ENDPOINT, "https://a.example/#f", NULL,
	  NULL, "invalid URL" },
	/* ST_SECRET, for OAuth2 */
	{ ACC_OAUTH2_CLIENT_SECRET, "s3cret", "", "*", NULL },
	/* ST_IP */
	{ ACC_SOURCE_IP, "192.0.2.1", "192.0.2.1", NULL, NULL },
	{ ACC_SOURCE_IP, "2001:db8::1", "2001:db8::1", NULL, NULL },
	{ ACC_SOURCE_IP, "", "", "(not set)", NULL },
	{ ACC_SOURCE_IP, "host.example", NULL, NULL,
	  "invalid IP address \"host.example\"" },
	{ ACC_SOURCE_IP, "192.0.2.256", NULL, NULL, "invalid IP address" },
	/* ST_INT */
	{ ACC_TLS_MIN_DH_PRIME_BITS, "2048", "2048", NULL, NULL },
	{ ACC_TLS_MIN_DH_PRIME_BITS, "512", "512", NULL, NULL },
	{ ACC_TLS_MIN_DH_PRIME_BITS, "16384", "16384", NULL, NULL },
	{ ACC_TLS_MIN_DH_PRIME_BITS, "", "", "(not set)", NULL },
	{ ACC_TLS_MIN_DH_PRIME_BITS, "511", NULL, NULL,
	  "invalid number \"511\" (expected 512 to 16384)" },
	{ ACC_TLS_MIN_DH_PRIME_BITS, "2k", NULL, NULL, "invalid number" },
	{ ACC_PORT, "1", "1", NULL, NULL },
	{ ACC_PORT, "25", "25", NULL, NULL },
	{ ACC_PORT, "65535", "65535", NULL, NULL },
	{ ACC_PORT, "0", NULL, NULL,
	  "invalid port \"0\" (expected 1 to 65535)" },
	{ ACC_PORT, "65536", NULL, NULL, "invalid port \"65536\"" },
	{ ACC_PORT, "", NULL, NULL, "invalid port \"\"" },
	{ ACC_PORT, "-1", NULL, NULL, "invalid port" },
	{ ACC_PORT, "+25", NULL, NULL, "invalid port" },
	{ ACC_PORT, " 25", NULL, NULL, "invalid port" },
	{ ACC_PORT, "25 ", NULL, NULL, "invalid port" },
	{ ACC_PORT, "0x19", NULL, NULL, "invalid port" },
	{ ACC_PORT, "99999999999999999999", NULL, NULL, "invalid port" },
	{ ACC_PORT, "2\x01", NULL, NULL, "invalid port" },
	/* ST_TIMEOUT: [1, 86400] or off */
	{ ACC_TIMEOUT, "1", "1", NULL, NULL },
	{ ACC_TIMEOUT, "86400", "86400", NULL, NULL },
	{ ACC_TIMEOUT, "off", "off", NULL, NULL },
	{ ACC_TIMEOUT, "0", NULL, NULL, "invalid timeout \"0\" (expected "
	  "seconds from 1 to 86400, or off)" },
	{ ACC_TIMEOUT, "86401", NULL, NULL, "invalid timeout \"86401\"" },
	{ ACC_TIMEOUT, "", NULL, NULL, "invalid timeout" },
	{ ACC_TIMEOUT, "OFF", NULL, NULL, "invalid timeout" },
	{ ACC_TIMEOUT, "10s", NULL, NULL, "invalid timeout" },
	/* ST_BOOL, for each boolean field */
	{ ACC_TLS, "on", "on", NULL, NULL },
	{ ACC_TLS, "off", "off", NULL, NULL },
	{ ACC_TLS, "", "on", NULL, NULL },
	{ ACC_TLS, "ON", NULL, NULL,
	  "invalid value \"ON\" (expected on or off)" },
	{ ACC_TLS, "yes", NULL, NULL, "invalid value \"yes\"" },
	{ ACC_TLS, "1", NULL, NULL, "invalid value \"1\"" },
	{ ACC_TLS, " on", NULL, NULL, "invalid value \" on\"" },
	{ ACC_TLS_STARTTLS, "off", "off", NULL, NULL },
	{ ACC_TLS_CERTCHECK, "off", "off", NULL, NULL },
	{ ACC_QUEUE, "off", "off", NULL, NULL },
	{ ACC_BOUNCE, "on", "on", NULL, NULL },
	{ ACC_REMOVE_BCC_HEADERS, "off", "off", NULL, NULL },
	{ ACC_ALLOW_FROM_OVERRIDE, "off", "off", NULL, NULL },
	{ ACC_ALLOW_FROM_OVERRIDE, "maybe", NULL, NULL, "invalid value" },
	/* ST_ADDR */
	{ ACC_FROM, "a@example.org", "a@example.org", NULL, NULL },
	{ ACC_FROM, "", "", NULL, NULL },
	{ ACC_FROM, "%U@%H", "%U@%H", NULL, NULL },
	{ ACC_FROM, "*@example.org", "*@example.org", NULL, NULL },
	{ ACC_FROM, "j\xc3\xb6rg@example.org", "j\xc3\xb6rg@example.org",
	  NULL, NULL },
	{ ACC_FROM, "not an address", NULL, NULL, "invalid address: " },
	{ ACC_FROM, "a@b c", NULL, NULL, "invalid address: " },
	{ ACC_FROM, "%U @x", NULL, NULL, "control characters and spaces" },
	{ ACC_FROM, "a\x01@example.org", NULL, NULL, "invalid address" },
	/* ST_DOMAIN */
	{ ACC_DOMAIN, "client.example", "client.example", NULL, NULL },
	{ ACC_DOMAIN, "[192.0.2.1]", "[192.0.2.1]", NULL, NULL },
	{ ACC_DOMAIN, "", "", "(not set)", NULL },
	{ ACC_DOMAIN, "a b", NULL, NULL, "invalid domain \"a b\" (spaces and "
	  "control characters are not allowed)" },
	{ ACC_DOMAIN, "a\x01", NULL, NULL, "invalid domain" },
	{ ACC_DOMAIN, "a\x7f", NULL, NULL, "invalid domain" },
	{ ACC_DOMAIN, "\xc3\xa9.example", NULL, NULL, "invalid domain" },
	{ ACC_MAILDOMAIN, "example.org", "example.org", NULL, NULL },
	{ ACC_MAILDOMAIN, "x y", NULL, NULL, "invalid domain" },
	/* ST_FINGERPRINT */
	{ ACC_TLS_FINGERPRINT, FP_LOWER, FP_UPPER, NULL, NULL },
	{ ACC_TLS_FINGERPRINT, FP_BARE, FP_UPPER, NULL, NULL },
	{ ACC_TLS_FINGERPRINT, "", "", "(not set)", NULL },
	{ ACC_TLS_FINGERPRINT, "12:34", NULL, NULL,
	  "invalid fingerprint \"12:34\"" },
	{ ACC_TLS_FINGERPRINT, FP_BARE "AA", NULL, NULL,
	  "invalid fingerprint" },
	{ ACC_TLS_FINGERPRINT, "zz", NULL, NULL, "invalid fingerprint" },
	/* msmtp's older pins: SHA-1 (20 bytes) and MD5 (16) */
	{ ACC_TLS_FINGERPRINT, "5b643bdd29f8f5eeba53a4e783c7238ff06ca669",
	  "5B:64:3B:DD:29:F8:F5:EE:BA:53:A4:E7:83:C7:23:8F:F0:6C:A6:69",
	  NULL, NULL },
	{ ACC_TLS_FINGERPRINT, "5c:85:8e:6d:12:9a:ba:a4:1e:e7:2e:b8:6f:fc:7c:1d",
	  "5C:85:8E:6D:12:9A:BA:A4:1E:E7:2E:B8:6F:FC:7C:1D", NULL, NULL },
	{ ACC_TLS_FINGERPRINT, "5c858e6d129abaa41ee72eb86ffc7c", NULL, NULL,
	  "invalid fingerprint" },
	{ ACC_TLS_FINGERPRINT, FP_LOWER " ", NULL, NULL,
	  "invalid fingerprint" },
	/* ST_SECRET: printed never, described masked */
	{ ACC_PASSWORD, "s3cret", "", "*", NULL },
	/* msmtp: an empty argument unsets the password */
	{ ACC_PASSWORD, "", "", "(not set)", NULL },
	{ ACC_PASSWORD, "s3 cret", "", "*", NULL },
	{ ACC_PASSWORD, "s3\tcret", NULL, NULL, "control characters" },
	/* ST_DURATION: [1 s, 365 d] */
	{ ACC_RETRY_MIN, "1", "1", "1s", NULL },
	{ ACC_RETRY_MIN, "1s", "1", "1s", NULL },
	{ ACC_RETRY_MIN, "5m", "300", "300s", NULL },
	{ ACC_RETRY_MIN, "2h", "7200", "7200s", NULL },
	{ ACC_RETRY_MIN, "1d", "86400", "86400s", NULL },
	{ ACC_RETRY_MIN, "365d", "31536000", "31536000s", NULL },
	{ ACC_RETRY_MIN, "8760h", "31536000", "31536000s", NULL },
	{ ACC_RETRY_MIN, "525600m", "31536000", "31536000s", NULL },
	{ ACC_RETRY_MIN, "31536000", "31536000", "31536000s", NULL },
	{ ACC_RETRY_MIN, "0", NULL, NULL, "invalid duration \"0\" (expected "
	  "seconds, or a number with s, m, h or d, e.g. 5m)" },
	{ ACC_RETRY_MIN, "0m", NULL, NULL, "invalid duration" },
	{ ACC_RETRY_MIN, "31536001", NULL, NULL, "invalid duration" },
	{ ACC_RETRY_MIN, "366d", NULL, NULL, "invalid duration" },
	{ ACC_RETRY_MIN, "8761h", NULL, NULL, "invalid duration" },
	{ ACC_RETRY_MIN, "525601m", NULL, NULL, "invalid duration" },
	{ ACC_RETRY_MIN, "", NULL, NULL, "invalid duration" },
	{ ACC_RETRY_MIN, "-5", NULL, NULL, "invalid duration" },
	{ ACC_RETRY_MIN, "m", NULL, NULL, "invalid duration" },
	{ ACC_RETRY_MIN, "5mm", NULL, NULL, "invalid duration" },
	{ ACC_RETRY_MIN, "5x", NULL, NULL, "invalid duration" },
	{ ACC_RETRY_MIN, "5 m", NULL, NULL, "invalid duration" },
	{ ACC_RETRY_MIN, "99999999999999999999d", NULL, NULL,
	  "invalid duration" },
	{ ACC_RETRY_MAX, "4h", "14400", "14400s", NULL },
	{ ACC_QUEUE_MAX_AGE, "5d", "432000", "432000s", NULL },
	/* ST_DSN_NOTIFY */
	{ ACC_DSN_NOTIFY, "never", "NEVER", NULL, NULL },
	{ ACC_DSN_NOTIFY, "NEVER", "NEVER", NULL, NULL },
	{ ACC_DSN_NOTIFY, "success", "SUCCESS", NULL, NULL },
	{ ACC_DSN_NOTIFY, "failure,delay", "FAILURE,DELAY", NULL, NULL },
	{ ACC_DSN_NOTIFY, "Delay,FAILURE,success", "DELAY,FAILURE,SUCCESS",
	  NULL, NULL },
	{ ACC_DSN_NOTIFY, "success,", "SUCCESS", NULL, NULL },
	{ ACC_DSN_NOTIFY, "off", "", "(not set)", NULL },
	{ ACC_DSN_NOTIFY, "", "", "(not set)", NULL },
	{ ACC_DSN_NOTIFY, "never,success", NULL, NULL,
	  "invalid DSN notify \"never,success\" (expected off, never, or a "
	  "comma list of success, failure and delay)" },
	{ ACC_DSN_NOTIFY, "sometimes", NULL, NULL, "invalid DSN notify" },
	{ ACC_DSN_NOTIFY, "success,,failure", NULL, NULL,
	  "invalid DSN notify" },
	{ ACC_DSN_NOTIFY, ",success", NULL, NULL, "invalid DSN notify" },
	{ ACC_DSN_NOTIFY, "OFF", NULL, NULL, "invalid DSN notify" },
	/* ST_HOSTLIST */
	{ ACC_FALLBACK_HOSTS, "a.example", "a.example", NULL, NULL },
	{ ACC_FALLBACK_HOSTS, "a.example b.example:25 [::1]:26",
	  "a.example b.example:25 [::1]:26", NULL, NULL },
	{ ACC_FALLBACK_HOSTS, "b.example:65535", "b.example:65535", NULL,
	  NULL },
	{ ACC_FALLBACK_HOSTS, "", "", "(not set)", NULL },
	{ ACC_FALLBACK_HOSTS, "a..b", NULL, NULL, "invalid host name" },
	{ ACC_FALLBACK_HOSTS, "[::1", NULL, NULL,
	  "invalid host list \"[::1\" (expected HOST[:PORT] ..., "
	  "[IPv6]:PORT)" },
	{ ACC_FALLBACK_HOSTS, "a:0", NULL, NULL, "invalid host list" },
	{ ACC_FALLBACK_HOSTS, "a:", NULL, NULL, "invalid host list" },
	{ ACC_FALLBACK_HOSTS, "a:65536", NULL, NULL, "invalid host list" },
	{ ACC_FALLBACK_HOSTS, ":25", NULL, NULL, "invalid host list" },
	/* ST_CHOICE: the words are choice_cases' */
	{ ACC_AUTH, "", "on", NULL, NULL },
	{ ACC_TLS_MIN_VERSION, "", NULL, NULL,
	  "invalid TLS version \"\" (expected tls1.2 or tls1.3)" },
	/* msmtp's bare "set_from_header" (and --set-from-header): on */
	{ ACC_SET_FROM_HEADER, "", "on", NULL, NULL },
	{ ACC_SYSLOG, "", "LOG_USER", NULL, NULL },
	{ ACC_DSN_RETURN, "", "off", "(not set)", NULL },
};

START_TEST(test_values)
{
	const struct value_case *t = &value_cases[_i];
	struct account *a = account_new("a");
	char *p, *d, want[256];
	struct err err;
	int ret;

	err_clear(&err);
	ret = account_set(a, t->f, t->in, "test", &err);
	if (t->out == NULL) {
		ck_assert_msg(ret == -1, "%s \"%s\" accepted",
			      account_field_name(t->f), t->in);
		ck_assert_int_eq(err.cls, ERR_CONFIG);
		ck_assert_msg(strstr(err.text, t->error) != NULL,
			      "\"%s\" lacks \"%s\"", err.text, t->error);
		ck_assert(!account_is_set(a, t->f));
		account_free(a);
		return;
	}
	ck_assert_msg(ret == 0, "%s \"%s\": %s", account_field_name(t->f),
		      t->in, err.text);
	ck_assert(account_is_set(a, t->f));
	ck_assert_str_eq(a->where[t->f], "test");
	p = printed(a, t->f);
	snprintf(want, sizeof(want), "%s %s", account_field_name(t->f),
		 t->out);
	ck_assert_str_eq(p, want);
	d = described(a, t->f);
	snprintf(want, sizeof(want), "%s: %s  (test)", account_field_name(t->f),
		 t->shown ? t->shown : t->out);
	ck_assert_str_eq(d, want);
	free(p);
	free(d);
	account_free(a);
}
END_TEST

/* A refused value leaves the field as it was. */
START_TEST(test_refused_keeps)
{
	struct account *a = account_new(NULL);
	struct err err;

	ck_assert_int_eq(account_set(a, ACC_HOST, "h.example", "1", &err), 0);
	ck_assert_int_eq(account_set(a, ACC_HOST, "a..b", "2", &err), -1);
	ck_assert_str_eq(a->host, "h.example");
	ck_assert_str_eq(a->where[ACC_HOST], "1");
	ck_assert_int_eq(account_set(a, ACC_PORT, "25", "1", &err), 0);
	ck_assert_int_eq(account_set(a, ACC_PORT, "0", "2", &err), -1);
	ck_assert_int_eq(a->port, 25);
	ck_assert_int_eq(account_set(a, ACC_AUTH, "plain", "1", &err), 0);
	ck_assert_int_eq(account_set(a, ACC_AUTH, "bogus", "2", &err), -1);
	ck_assert_int_eq(a->auth, AUTH_PLAIN);
	ck_assert_int_eq(account_set(a, ACC_RETRY_MIN, "5m", "1", &err), 0);
	ck_assert_int_eq(account_set(a, ACC_RETRY_MIN, "0", "2", &err), -1);
	ck_assert_int_eq(a->retry_min, 300);
	ck_assert_int_eq(account_set(a, ACC_PASSWORD, "pw", "1", &err), 0);
	ck_assert_int_eq(account_set(a, ACC_PASSWORD, "\x01", "2", &err), -1);
	ck_assert_str_eq(a->password, "pw");
	account_free(a);
}
END_TEST

/* ---- every word of every choice setting ---- */

/* The choice settings' members, to read them as int. */
static const struct {
	enum account_field f;
	size_t off;
} choice_members[] = {
	{ ACC_AUTH, offsetof(struct account, auth) },
	{ ACC_TLS_MIN_VERSION, offsetof(struct account, tls_min_version) },
	{ ACC_DSN_RETURN, offsetof(struct account, dsn_return) },
	{ ACC_SET_FROM_HEADER, offsetof(struct account, set_from_header) },
	{ ACC_SET_DATE_HEADER, offsetof(struct account, set_date_header) },
	{ ACC_SET_MSGID_HEADER, offsetof(struct account, set_msgid_header) },
	{ ACC_SET_TO_HEADER, offsetof(struct account, set_to_header) },
	{ ACC_SYSLOG, offsetof(struct account, syslog) },
	{ ACC_OAUTH2_PROVIDER, offsetof(struct account, oauth2_provider) },
};

static int
choice_value(const struct account *a, enum account_field f)
{
	size_t i;
	int v;

	for (i = 0; i < sizeof(choice_members) / sizeof(choice_members[0]);
	     i++)
		if (choice_members[i].f == f) {
			memcpy(&v, (const char *)a + choice_members[i].off,
			       sizeof(v));
			return v;
		}
	ck_abort_msg("not a choice setting");
	return -1;
}

static const struct choice_case {
	enum account_field f;
	const char *word;
	int value;              /* -1: refused */
	const char *out;        /* as printed */
} choice_cases[] = {
	{ ACC_AUTH, "off", AUTH_OFF, "off" },
	{ ACC_AUTH, "on", AUTH_ON, "on" },
	{ ACC_AUTH, "scram-sha-256-plus", AUTH_SCRAM_SHA_256_PLUS,
	  "scram-sha-256-plus" },
	{ ACC_AUTH, "SCRAM-SHA-256", AUTH_SCRAM_SHA_256, "scram-sha-256" },
	{ ACC_AUTH, "scram-sha-1-plus", AUTH_SCRAM_SHA_1_PLUS,
	  "scram-sha-1-plus" },
	{ ACC_AUTH, "Scram-Sha-1", AUTH_SCRAM_SHA_1, "scram-sha-1" },
	{ ACC_AUTH, "plain", AUTH_PLAIN, "plain" },
	{ ACC_AUTH, "PLAIN", AUTH_PLAIN, "plain" },
	{ ACC_AUTH, "login", AUTH_LOGIN, "login" },
	{ ACC_AUTH, "cram-md5", AUTH_CRAM_MD5, "cram-md5" },
	{ ACC_AUTH, "external", AUTH_EXTERNAL, "external" },
	{ ACC_AUTH, "gssapi", AUTH_GSSAPI, "gssapi" },
	{ ACC_AUTH, "oauthbearer", AUTH_OAUTHBEARER, "oauthbearer" },
	{ ACC_AUTH, "XOAUTH2", AUTH_XOAUTH2, "xoauth2" },
	{ ACC_AUTH, "ON", -1, NULL },
	{ ACC_AUTH, "OFF", -1, NULL },
	{ ACC_AUTH, "bogus", -1, NULL },
	{ ACC_AUTH, "plain ", -1, NULL },
	{ ACC_TLS_MIN_VERSION, "tls1.2", TLSV_12, "tls1.2" },
	{ ACC_TLS_MIN_VERSION, "tls1.3", TLSV_13, "tls1.3" },
	{ ACC_TLS_MIN_VERSION, "TLS1.2", -1, NULL },
	{ ACC_TLS_MIN_VERSION, "tls1.1", -1, NULL },
	{ ACC_DSN_RETURN, "off", DSN_RET_OFF, "off" },
	{ ACC_DSN_RETURN, "headers", DSN_RET_HDRS, "HDRS" },
	{ ACC_DSN_RETURN, "hdrs", DSN_RET_HDRS, "HDRS" },
	{ ACC_DSN_RETURN, "HDRS", DSN_RET_HDRS, "HDRS" },
	{ ACC_DSN_RETURN, "Headers", DSN_RET_HDRS, "HDRS" },
	{ ACC_DSN_RETURN, "full", DSN_RET_FULL, "FULL" },
	{ ACC_DSN_RETURN, "FULL", DSN_RET_FULL, "FULL" },
	{ ACC_DSN_RETURN, "OFF", -1, NULL },
	{ ACC_DSN_RETURN, "fully", -1, NULL },
	{ ACC_SET_FROM_HEADER, "auto", HDR_AUTO, "auto" },
	{ ACC_SET_FROM_HEADER, "on", HDR_ON, "on" },
	{ ACC_SET_FROM_HEADER, "off", HDR_OFF, "off" },
	{ ACC_SET_FROM_HEADER, "Auto", -1, NULL },
	{ ACC_SET_DATE_HEADER, "auto", HDR_AUTO, "auto" },
	{ ACC_SET_DATE_HEADER, "off", HDR_OFF, "off" },
	{ ACC_SET_DATE_HEADER, "on", HDR_AUTO, "auto" },
	{ ACC_SET_DATE_HEADER, "yes", -1, NULL },
	{ ACC_SET_MSGID_HEADER, "auto", HDR_AUTO, "auto" },
	{ ACC_SET_MSGID_HEADER, "off", HDR_OFF, "off" },
	{ ACC_SET_MSGID_HEADER, "on", HDR_AUTO, "auto" },
	{ ACC_SET_MSGID_HEADER, "", HDR_AUTO, "auto" },
	{ ACC_SET_DATE_HEADER, "", HDR_AUTO, "auto" },
	{ ACC_SET_TO_HEADER, "off", TO_HEADER_OFF, "off" },
	{ ACC_SET_TO_HEADER, "on", TO_HEADER_ON, "on" },
	{ ACC_SET_TO_HEADER, "undisclosed_recipients", TO_HEADER_UNDISCLOSED,
	  "undisclosed_recipients" },
	{ ACC_SET_TO_HEADER, "auto", -1, NULL },
	{ ACC_SET_TO_HEADER, "", TO_HEADER_ON, "on" },  /* msmtp's bare */
	{ ACC_SYSLOG, "off", SYSLOG_OFF, "off" },
	{ ACC_SYSLOG, "on", SYSLOG_USER, "LOG_USER" },
	{ ACC_SYSLOG, "LOG_USER", SYSLOG_USER, "LOG_USER" },
	{ ACC_SYSLOG, "LOG_MAIL", SYSLOG_MAIL, "LOG_MAIL" },
	{ ACC_SYSLOG, "LOG_LOCAL0", SYSLOG_LOCAL0, "LOG_LOCAL0" },
	{ ACC_SYSLOG, "LOG_LOCAL1", SYSLOG_LOCAL1, "LOG_LOCAL1" },
	{ ACC_SYSLOG, "LOG_LOCAL2", SYSLOG_LOCAL2, "LOG_LOCAL2" },
	{ ACC_SYSLOG, "LOG_LOCAL3", SYSLOG_LOCAL3, "LOG_LOCAL3" },
	{ ACC_SYSLOG, "LOG_LOCAL4", SYSLOG_LOCAL4, "LOG_LOCAL4" },
	{ ACC_SYSLOG, "LOG_LOCAL5", SYSLOG_LOCAL5, "LOG_LOCAL5" },
	{ ACC_SYSLOG, "LOG_LOCAL6", SYSLOG_LOCAL6, "LOG_LOCAL6" },
	{ ACC_SYSLOG, "LOG_LOCAL7", SYSLOG_LOCAL7, "LOG_LOCAL7" },
	{ ACC_SYSLOG, "log_mail", -1, NULL },
	{ ACC_SYSLOG, "LOG_LOCAL8", -1, NULL },
	{ ACC_SYSLOG, "ON", -1, NULL },
	{ ACC_OAUTH2_PROVIDER, "google", OAUTH2_GOOGLE, "google" },
	{ ACC_OAUTH2_PROVIDER, "Microsoft", OAUTH2_MICROSOFT, "microsoft" },
	{ ACC_OAUTH2_PROVIDER, "custom", OAUTH2_CUSTOM, "custom" },
	{ ACC_OAUTH2_PROVIDER, "off", OAUTH2_NONE, "off" },
	{ ACC_OAUTH2_PROVIDER, "yahoo", -1, NULL },
};

START_TEST(test_choices)
{
	const struct choice_case *t = &choice_cases[_i];
	struct account *a = account_new(NULL);
	char *p, want[128];
	struct err err;

	err_clear(&err);
	if (t->value < 0) {
		ck_assert_msg(account_set(a, t->f, t->word, "x", &err) == -1,
			      "%s \"%s\" accepted", account_field_name(t->f),
			      t->word);
		ck_assert_msg(strstr(err.text, t->word) != NULL,
			      "\"%s\" does not quote the value", err.text);
		account_free(a);
		return;
	}
	ck_assert_msg(account_set(a, t->f, t->word, "x", &err) == 0, "%s",
		      err.text);
	ck_assert_int_eq(choice_value(a, t->f), t->value);
	p = printed(a, t->f);
	snprintf(want, sizeof(want), "%s %s", account_field_name(t->f),
		 t->out);
	ck_assert_str_eq(p, want);
	free(p);
	account_free(a);
}
END_TEST

/* The words other modules get, for every value. */
START_TEST(test_names)
{
	struct account *a = account_new(NULL);
	size_t i;

	for (i = 0; i < sizeof(choice_cases) / sizeof(choice_cases[0]); i++) {
		const struct choice_case *t = &choice_cases[i];

		if (t->value < 0)
			continue;
		if (t->f == ACC_AUTH)
			ck_assert_str_eq(account_auth_name(t->value), t->out);
		if (t->f == ACC_SYSLOG && t->value == SYSLOG_OFF)
			ck_assert_ptr_null(account_syslog_name(t->value));
		else if (t->f == ACC_SYSLOG)
			ck_assert_str_eq(account_syslog_name(t->value), t->out);
		if (t->f == ACC_DSN_RETURN && t->value == DSN_RET_OFF)
			ck_assert_ptr_null(account_dsn_return_name(t->value));
		else if (t->f == ACC_DSN_RETURN)
			ck_assert_str_eq(account_dsn_return_name(t->value),
					 t->out);
	}
	ck_assert_ptr_null(account_auth_mech(AUTH_OFF));
	ck_assert_ptr_null(account_auth_mech(AUTH_ON));
	ck_assert_str_eq(account_auth_mech(AUTH_SCRAM_SHA_256_PLUS),
			 "SCRAM-SHA-256-PLUS");
	ck_assert_str_eq(account_auth_mech(AUTH_SCRAM_SHA_256),
			 "SCRAM-SHA-256");
	ck_assert_str_eq(account_auth_mech(AUTH_SCRAM_SHA_1_PLUS),
			 "SCRAM-SHA-1-PLUS");
	ck_assert_str_eq(account_auth_mech(AUTH_SCRAM_SHA_1), "SCRAM-SHA-1");
	ck_assert_str_eq(account_auth_mech(AUTH_PLAIN), "PLAIN");
	ck_assert_str_eq(account_auth_mech(AUTH_LOGIN), "LOGIN");
	ck_assert_str_eq(account_auth_mech(AUTH_CRAM_MD5), "CRAM-MD5");
	ck_assert_str_eq(account_auth_mech(AUTH_EXTERNAL), "EXTERNAL");
	ck_assert_str_eq(account_auth_mech(AUTH_GSSAPI), "GSSAPI");
	ck_assert_str_eq(account_auth_mech(AUTH_OAUTHBEARER), "OAUTHBEARER");
	ck_assert_str_eq(account_auth_mech(AUTH_XOAUTH2), "XOAUTH2");

	/* the log file's special values */
	ck_assert(!account_log_stdout(a));
	ck_assert_str_eq(account_log_time_format(a), "%b %d %H:%M:%S");
	a->logfile = strdup("-");
	a->logfile_time_format = strdup("none");
	ck_assert(account_log_stdout(a));
	ck_assert_ptr_null(account_log_time_format(a));
	free(a->logfile);
	free(a->logfile_time_format);
	a->logfile = strdup("/var/log/x");
	a->logfile_time_format = strdup("%F");
	ck_assert(!account_log_stdout(a));
	ck_assert_str_eq(account_log_time_format(a), "%F");
	account_free(a);
}
END_TEST

/* ---- the other spellings of directives ---- */

static const struct alias_case {
	const char *name;
	const char *arg;
	enum account_field f;   /* the field set */
	const char *out;        /* as printed; NULL: refused */
	const char *error;
} alias_cases[] = {
	{ "connect_timeout", "30", ACC_TIMEOUT, "30", NULL },
	{ "connect_timeout", "off", ACC_TIMEOUT, "off", NULL },
	{ "connect_timeout", "x", ACC_TIMEOUT, NULL,
	  "connect_timeout: invalid timeout \"x\"" },
	{ "tls_nocertcheck", "", ACC_TLS_CERTCHECK, "off", NULL },
	{ "tls_nocertcheck", "off", ACC_TLS_CERTCHECK, NULL,
	  "\"tls_nocertcheck\" takes no argument" },
	{ "tls_nocertcheck", "on", ACC_TLS_CERTCHECK, NULL,
	  "\"tls_nocertcheck\" takes no argument" },
	{ "tls_nostarttls", "", ACC_TLS_STARTTLS, "off", NULL },
	{ "tls_nostarttls", "x", ACC_TLS_STARTTLS, NULL,
	  "\"tls_nostarttls\" takes no argument" },
	{ "keepbcc", "", ACC_REMOVE_BCC_HEADERS, "off", NULL },
	{ "keepbcc", "on", ACC_REMOVE_BCC_HEADERS, "off", NULL },
	{ "keepbcc", "off", ACC_REMOVE_BCC_HEADERS, "on", NULL },
	/* as ever: any other word than on removes Bcc */
	{ "keepbcc", "maybe", ACC_REMOVE_BCC_HEADERS, "on", NULL },
	{ "add_missing_from_header", "", ACC_SET_FROM_HEADER, "auto", NULL },
	{ "add_missing_from_header", "on", ACC_SET_FROM_HEADER, "auto",
	  NULL },
	{ "add_missing_from_header", "off", ACC_SET_FROM_HEADER, "off", NULL },
	{ "add_missing_from_header", "auto", ACC_SET_FROM_HEADER, NULL,
	  "add_missing_from_header: invalid value \"auto\" (expected on or "
	  "off)" },
	{ "add_missing_date_header", "", ACC_SET_DATE_HEADER, "auto", NULL },
	{ "add_missing_date_header", "on", ACC_SET_DATE_HEADER, "auto",
	  NULL },
	{ "add_missing_date_header", "off", ACC_SET_DATE_HEADER, "off", NULL },
	{ "add_missing_date_header", "bogus", ACC_SET_DATE_HEADER, NULL,
	  "add_missing_date_header: invalid value \"bogus\"" },
	{ "undisclosed_recipients", "", ACC_SET_TO_HEADER,
	  "undisclosed_recipients", NULL },
	{ "undisclosed_recipients", "on", ACC_SET_TO_HEADER,
	  "undisclosed_recipients", NULL },
	{ "undisclosed_recipients", "off", ACC_SET_TO_HEADER, "off", NULL },
	{ "undisclosed_recipients", "ON", ACC_SET_TO_HEADER, NULL,
	  "undisclosed_recipients: invalid value \"ON\"" },
	/* the fields' own names go through the same function */
	{ "tls_certcheck", "off", ACC_TLS_CERTCHECK, "off", NULL },
	{ "port", "0", ACC_PORT, NULL, "port: invalid port \"0\"" },
	{ "bogus", "x", ACC_HOST, NULL, "unknown directive \"bogus\"" },
	{ "Host", "x", ACC_HOST, NULL, "unknown directive \"Host\"" },
	{ "", "x", ACC_HOST, NULL, "unknown directive \"\"" },
};

START_TEST(test_aliases)
{
	const struct alias_case *t = &alias_cases[_i];
	struct account *a = account_new(NULL);
	char *p, want[128];
	struct err err;
	int f;

	err_clear(&err);
	f = account_set_directive(a, t->name, t->arg, "rc:7", &err);
	if (t->out == NULL) {
		ck_assert_msg(f == -1, "%s \"%s\" accepted", t->name, t->arg);
		ck_assert_int_eq(err.cls, ERR_CONFIG);
		ck_assert_msg(strstr(err.text, t->error) != NULL,
			      "\"%s\" lacks \"%s\"", err.text, t->error);
		ck_assert_uint_eq(a->set, 0);
		account_free(a);
		return;
	}
	ck_assert_msg(f >= 0, "%s \"%s\": %s", t->name, t->arg, err.text);
	ck_assert_int_eq(f, t->f);
	ck_assert(account_is_set(a, t->f));
	ck_assert_str_eq(a->where[t->f], "rc:7");
	p = printed(a, t->f);
	snprintf(want, sizeof(want), "%s %s", account_field_name(t->f),
		 t->out);
	ck_assert_str_eq(p, want);
	free(p);
	account_free(a);
}
END_TEST

START_TEST(test_lookup)
{
	int f;

	for (f = 0; f < ACC_NFIELDS; f++) {
		const char *name = account_field_name((enum account_field)f);

		ck_assert_int_eq(account_field_lookup(name), f);
	}
	ck_assert_int_eq(account_field_lookup("connect_timeout"), ACC_TIMEOUT);
	ck_assert_int_eq(account_field_lookup("keepbcc"), -1);
	ck_assert_int_eq(account_field_lookup("tls_nocertcheck"), -1);
	ck_assert_int_eq(account_field_lookup("add_missing_from_header"), -1);
	ck_assert_int_eq(account_field_lookup("bogus"), -1);
	ck_assert_int_eq(account_field_lookup("defaults"), -1);
	ck_assert_str_eq(account_field_option(ACC_TLS_TRUST_FILE),
			 "tls-trust-file");
	ck_assert_ptr_null(account_field_option(ACC_PASSWORD));
}
END_TEST

/* ---- print, then read back ---- */

/*
 * Every accepted value of value_cases and choice_cases: printed in config
 * syntax and set again through account_set_directive, it is the same
 * value (printed and described alike).  A secret prints no value, so it
 * cannot come back.
 */
static void
round_trip(enum account_field f, const char *in)
{
	struct account *a = account_new(NULL), *b = account_new(NULL);
	const char *name = account_field_name(f);
	char *p, *q, *da, *db;
	struct err err;

	if (account_set(a, f, in, "x", &err) < 0 || f == ACC_PASSWORD
	    || f == ACC_OAUTH2_CLIENT_SECRET) {
		account_free(a);
		account_free(b);
		return;
	}
	p = printed(a, f);
	ck_assert_int_eq(strncmp(p, name, strlen(name)), 0);
	ck_assert_int_eq(p[strlen(name)], ' ');
	ck_assert_msg(account_set_directive(b, name, p + strlen(name) + 1,
					    "x", &err) == (int)f,
		      "\"%s\" does not read back: %s", p, err.text);
	q = printed(b, f);
	ck_assert_str_eq(q, p);
	da = described(a, f);
	db = described(b, f);
	ck_assert_str_eq(db, da);
	free(p);
	free(q);
	free(da);
	free(db);
	account_free(a);
	account_free(b);
}

START_TEST(test_round_trip)
{
	size_t i;

	for (i = 0; i < sizeof(value_cases) / sizeof(value_cases[0]); i++)
		round_trip(value_cases[i].f, value_cases[i].in);
	for (i = 0; i < sizeof(choice_cases) / sizeof(choice_cases[0]); i++)
		round_trip(choice_cases[i].f, choice_cases[i].word);
}
END_TEST

/* ---- layering ---- */

START_TEST(test_merge)
{
	struct account *dst = account_new("d"), *src = account_new("s");
	struct err err;

	ck_assert_int_eq(account_set(dst, ACC_HOST, "old.example", "d:1",
				     &err), 0);
	ck_assert_int_eq(account_set(dst, ACC_PORT, "25", "d:2", &err), 0);
	ck_assert_int_eq(account_set(dst, ACC_USER, "olduser", "d:3", &err),
			 0);
	ck_assert_int_eq(account_set(src, ACC_HOST, "new.example", "s:1",
				     &err), 0);
	ck_assert_int_eq(account_set(src, ACC_AUTH, "login", "s:2", &err), 0);
	ck_assert_int_eq(account_set(src, ACC_PASSWORD, "pw", "s:3", &err),
			 0);
	ck_assert_int_eq(account_set(src, ACC_RETRY_MAX, "1h", "s:4", &err),
			 0);
	ck_assert_int_eq(account_set(src, ACC_TLS, "off", "s:5", &err), 0);
	ck_assert_int_eq(account_set(src, ACC_DOMAIN, "", "s:6", &err), 0);
	ck_assert_int_eq(account_set(src, ACC_FALLBACK_HOSTS, "b.example",
				     "s:7", &err), 0);
	account_merge(dst, src);
	account_free(src);
	/* what src set, with where it was set; strings copied */
	ck_assert_str_eq(dst->host, "new.example");
	ck_assert_str_eq(dst->where[ACC_HOST], "s:1");
	ck_assert_int_eq(dst->auth, AUTH_LOGIN);
	ck_assert_str_eq(dst->password, "pw");
	ck_assert_int_eq(dst->retry_max, 3600);
	ck_assert(!dst->tls);
	ck_assert_ptr_null(dst->domain);
	ck_assert(account_is_set(dst, ACC_DOMAIN));
	ck_assert_str_eq(dst->fallback_hosts, "b.example");
	ck_assert_str_eq(dst->where[ACC_FALLBACK_HOSTS], "s:7");
	/* what it did not set stays */
	ck_assert_int_eq(dst->port, 25);
	ck_assert_str_eq(dst->where[ACC_PORT], "d:2");
	ck_assert_str_eq(dst->user, "olduser");
	ck_assert(!account_is_set(dst, ACC_TIMEOUT));
	ck_assert_str_eq(dst->name, "d");
	account_free(dst);
}
END_TEST

/* Every field has its own bit, the last ones too (past 32). */
START_TEST(test_set_mask)
{
	int f, g;

	for (f = 0; f < ACC_NFIELDS; f++) {
		struct account *a = account_new(NULL), *b = account_new(NULL);

		a->set = (uint64_t)1 << f;
		for (g = 0; g < ACC_NFIELDS; g++)
			ck_assert_int_eq(account_is_set(a,
							(enum account_field)g),
					 g == f);
		account_merge(b, a);
		ck_assert(b->set == a->set);
		account_free(a);
		account_free(b);
	}
}
END_TEST

/* The built-in defaults, as -P shows them. */
START_TEST(test_describe_defaults)
{
	static const char expect[] =
		"account: (command line)\n"
		"host: (not set)\n"
		"port: 587\n"
		"from: (not set)\n"
		"timeout: off\n"
		"domain: (not set)\n"
		"source_ip: (not set)\n"
		"socket: (not set)\n"
		"proxy_host: (not set)\n"
		"proxy_port: (not set)\n"
		"ip_family: any\n"
		"tls: on\n"
		"tls_starttls: on\n"
		"tls_trust_file: (not set)\n"
		"tls_crl_file: (not set)\n"
		"tls_fingerprint: (not set)\n"
		"tls_certcheck: on\n"
		"tls_cert_file: (not set)\n"
		"tls_key_file: (not set)\n"
		"tls_priorities: (not set)\n"
		"tls_host_override: (not set)\n"
		"tls_min_version: tls1.2\n"
		"tls_min_dh_prime_bits: (not set)\n"
		"auth: off\n"
		"user: (not set)\n"
		"password: (not set)\n"
		"passwordeval: (not set)\n"
		"queue: on\n"
		"queue_dir: (not set)\n"
		"retry_min: 300s\n"
		"retry_max: 14400s\n"
		"queue_max_age: 432000s\n"
		"bounce: on\n"
		"bounce_to: (not set)\n"
		"dsn_notify: (not set)\n"
		"dsn_return: (not set)\n"
		"aliases: (not set)\n"
		"set_from_header: auto\n"
		"set_date_header: auto\n"
		"set_msgid_header: auto\n"
		"set_to_header: off\n"
		"remove_bcc_headers: on\n"
		"from_full_name: (not set)\n"
		"maildomain: (not set)\n"
		"allow_from_override: on\n"
		"logfile: (not set)\n"
		"logfile_time_format: (not set)\n"
		"syslog: (not set)\n"
		"fallback_hosts: (not set)\n"
		"protocol: smtp\n"
		"oauth2_provider: (not set)\n"
		"oauth2_client_id: (not set)\n"
		"oauth2_client_secret: (not set)\n"
		"oauth2_client_secret_eval: (not set)\n"
		"oauth2_token_endpoint: (not set)\n"
		"oauth2_authorization_endpoint: (not set)\n"
		"oauth2_device_endpoint: (not set)\n"
		"oauth2_scope: (not set)\n"
		"oauth2_tenant: (not set)\n"
		"oauth2_trust_file: (not set)\n";
	struct account *a = account_new(NULL);
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(mem);
	account_defaults(a);
	account_describe(a, NULL, mem);
	fclose(mem);
	ck_assert_str_eq(text, expect);
	free(text);
	account_free(a);
}
END_TEST

/* Described: the port in use; the where of what is set. */
START_TEST(test_describe_port)
{
	struct account *a = account_new("x");
	struct err err;
	char *d;

	account_defaults(a);
	ck_assert_int_eq(account_set(a, ACC_TLS_STARTTLS, "off", "rc:2", &err),
			 0);
	d = described(a, ACC_PORT);
	ck_assert_str_eq(d, "port: 465");
	free(d);
	d = described(a, ACC_TLS_STARTTLS);
	ck_assert_str_eq(d, "tls_starttls: off  (rc:2)");
	free(d);
	account_free(a);
}
END_TEST

/* account_next_host, which fallback_hosts is checked with. */
static const struct host_case {
	const char *list;
	const char *hosts;      /* "host/port ..." of the words read */
	int last;               /* the return value that ended the list */
} host_cases[] = {
	{ "", "", 0 },
	{ "  \t ", "", 0 },
	{ "a.example", "a.example/0 ", 0 },
	{ " a:25\tb:1 c:65535 ", "a/25 b/1 c/65535 ", 0 },
	{ "[::1]:26 [2001:db8::1]", "::1/26 2001:db8::1/0 ", 0 },
	{ "a b:0", "a/0 ", -1 },
	{ "a:", "", -1 },
	{ ":25", "", -1 },
	{ "[::1", "", -1 },
	{ "[::1]x", "", -1 },
	{ "a:1234567", "", -1 },
};

START_TEST(test_next_host)
{
	const struct host_case *t = &host_cases[_i];
	const char *p = t->list;
	char host[64], got[512] = "";
	int port, rc;

	while ((rc = account_next_host(&p, host, sizeof(host), &port)) > 0) {
		size_t n = strlen(got);

		snprintf(got + n, sizeof(got) - n, "%s/%d ", host, port);
	}
	ck_assert_int_eq(rc, t->last);
	ck_assert_str_eq(got, t->hosts);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("account");
	TCase *tc = tcase_create("values");

	tcase_add_loop_test(tc, test_values, 0,
			    sizeof(value_cases) / sizeof(value_cases[0]));
	tcase_add_test(tc, test_refused_keeps);
	tcase_add_loop_test(tc, test_choices, 0,
			    sizeof(choice_cases) / sizeof(choice_cases[0]));
	tcase_add_test(tc, test_names);
	tcase_add_loop_test(tc, test_aliases, 0,
			    sizeof(alias_cases) / sizeof(alias_cases[0]));
	tcase_add_test(tc, test_lookup);
	tcase_add_test(tc, test_round_trip);
	suite_add_tcase(s, tc);
	tc = tcase_create("accounts");
	tcase_add_test(tc, test_merge);
	tcase_add_test(tc, test_set_mask);
	tcase_add_test(tc, test_describe_defaults);
	tcase_add_test(tc, test_describe_port);
	tcase_add_loop_test(tc, test_next_host, 0,
			    sizeof(host_cases) / sizeof(host_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	setenv("HOME", HOME, 1);
	sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
