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

/* pattern_values - %U: $USER, $LOGNAME or the login name; %H: $HOSTNAME
 * or the system's name; %C: its canonical name (resolved); %M: the first
 * line of /etc/mailname. */
static void
pattern_values(struct pattern_values *v)
{
	const char *user = getenv("USER"), *host = getenv("HOSTNAME");
	struct addrinfo hints, *res = NULL;
	struct passwd *pw;
	FILE *f;

	if (user == NULL || *user == '\0')
		user = getenv("LOGNAME");
	if (user == NULL || *user == '\0') {
		pw = getpwuid(getuid());
		user = pw ? pw->pw_name : "nobody";
	}
	snprintf(v->user, sizeof(v->user), "%s", user);
	if (host != NULL && *host != '\0')
		snprintf(v->host, sizeof(v->host), "%s", host);
	else
		util_hostname(v->host, sizeof(v->host));
	snprintf(v->canon, sizeof(v->canon), "%s", v->host);
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_CANONNAME;
	if (getaddrinfo(v->host, NULL, &hints, &res) == 0) {
		if (res->ai_canonname != NULL)
			snprintf(v->canon, sizeof(v->canon), "%s",
				 res->ai_canonname);
		freeaddrinfo(res);
	}
	v->mailname[0] = '\0';
	f = fopen("/etc/mailname", "r");
	if (f != NULL) {
		if (fgets(v->mailname, sizeof(v->mailname), f) == NULL)
			v->mailname[0] = '\0';
		v->mailname[strcspn(v->mailname, "\r\n")] = '\0';
		fclose(f);
	}
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
	pattern_values(&v);
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
