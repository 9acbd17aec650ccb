/*
 * pattern.c - msmtp's patterns in "from" and "domain", and matching an
 * envelope sender against an account's from (see pattern.h).
 */
#include <config.h>

#include <fnmatch.h>
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include "buf.h"
#include "pattern.h"
#include "util.h"
#include "xalloc.h"

/* The values of msmtp's patterns on this machine. */
struct pattern_values {
	char user[256], host[256], canon[256], mailname[256];
};

/* uses - whether s holds the pattern %c and patterns allows it. */
static bool
uses(const char *s, const char *patterns, char c)
{
	const char *p;

	if (strchr(patterns, c) == NULL)
		return false;
	for (p = strchr(s, '%'); p != NULL; p = strchr(p + 1, '%'))
		if (p[1] == c)
			return true;
	return false;
}

/* the user: $USER, $LOGNAME or the login name */
static void
user_name(char *out, size_t n)
{
	const char *user = getenv("USER");
	struct passwd *pw;

	if (user == NULL || *user == '\0')
		user = getenv("LOGNAME");
	if (user == NULL || *user == '\0') {
		pw = getpwuid(getuid());
		user = pw ? pw->pw_name : "nobody";
	}
	snprintf(out, n, "%s", user);
}

/* host_name - $HOSTNAME or the system's name; with canon, its canonical
 * name as the resolver gives it (a look-up: only when %C is used). */
static void
host_name(char *out, size_t n, bool canon)
{
	const char *host = getenv("HOSTNAME");
	struct addrinfo hints, *res = NULL;

	if (host != NULL && *host != '\0')
		snprintf(out, n, "%s", host);
	else
		util_hostname(out, n);
	if (!canon)
		return;
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_CANONNAME;
	if (getaddrinfo(out, NULL, &hints, &res) == 0) {
		if (res->ai_canonname != NULL)
			snprintf(out, n, "%s", res->ai_canonname);
		freeaddrinfo(res);
	}
}

/* mail_name - the first line of /etc/mailname, or "" */
static void
mail_name(char *out, size_t n)
{
	FILE *f = fopen("/etc/mailname", "r");

	out[0] = '\0';
	if (f == NULL)
		return;
	if (fgets(out, (int)n, f) == NULL)
		out[0] = '\0';
	out[strcspn(out, "\r\n")] = '\0';
	fclose(f);
}

/* pattern_values - the values of the patterns s uses, and only those:
 * nothing is looked up for a pattern that does not appear. */
static void
pattern_values(struct pattern_values *v, const char *s,
	       const char *patterns)
{
	v->user[0] = v->host[0] = v->canon[0] = v->mailname[0] = '\0';
	if (uses(s, patterns, 'U'))
		user_name(v->user, sizeof(v->user));
	if (uses(s, patterns, 'H'))
		host_name(v->host, sizeof(v->host), false);
	if (uses(s, patterns, 'C'))
		host_name(v->canon, sizeof(v->canon), true);
	if (uses(s, patterns, 'M'))
		mail_name(v->mailname, sizeof(v->mailname));
}

char *
pattern_expand(const char *s, const char *patterns, const char *from_header)
{
	struct pattern_values v;
	struct buf b;
	const char *p, *val;
	char *res;

	if (strchr(s, '%') == NULL)
		return xstrdup(s);
	pattern_values(&v, s, patterns);
	buf_init(&b, 4096);
	for (p = s; *p; p++) {
		val = NULL;
		if (*p == '%' && p[1] != '\0' && strchr(patterns, p[1]))
			switch (p[1]) {
			case 'U': val = v.user; break;
			case 'H': val = v.host; break;
			case 'C': val = v.canon; break;
			case 'M': val = v.mailname; break;
			case 'F': val = from_header; break;
			}
		/* a result cut at 4096 bytes is no address or host name
		 * (they have at most 254 and 253), and is refused as such */
		if (val != NULL) {
			(void)!buf_append_str(&b, val);
			p++;
		} else {
			(void)!buf_append(&b, p, 1);
		}
	}
	res = xstrdup(buf_str(&b));
	buf_clear(&b);
	return res;
}

/* account_from_matches - whether sender matches an account's from: equal,
 * a shell wildcard pattern (*, ?, [), or equal once "+detail" is taken off
 * the sender's local part; case-insensitive. */
bool
pattern_matches(const char *from, const char *sender)
{
	char *pat = pattern_expand(from, "UHCM", NULL), *plain = NULL;
	const char *plus = strchr(sender, '+'), *at = strrchr(sender, '@');
	bool ok;

	ok = fnmatch(pat, sender, FNM_CASEFOLD) == 0;
	if (!ok && plus != NULL && at != NULL && plus < at) {
		size_t n = (size_t)(plus - sender);
		plain = xmalloc(strlen(sender) + 1);
		memcpy(plain, sender, n);
		memcpy(plain + n, at, strlen(at) + 1);
		ok = fnmatch(pat, plain, FNM_CASEFOLD) == 0;
	}
	free(plain);
	free(pat);
	return ok;
}
