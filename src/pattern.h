/*
 * pattern.h - msmtp's patterns: %U %H %C %M %F in an account's "from",
 * %H %C %M in its "domain", and whether an envelope sender matches a
 * from (a shell wildcard pattern included).
 */
#ifndef SMTPSEND_PATTERN_H
#define SMTPSEND_PATTERN_H

#include <stdbool.h>

/*
 * pattern_expand - s with msmtp's patterns replaced, those whose letters
 * are in patterns: %U the user ($USER, $LOGNAME, or the login name), %H
 * the host name ($HOSTNAME or the system's), %C its canonical name, %M
 * the first line of /etc/mailname, %F from_header (the address of the
 * message's From: field; when NULL, %F stays as it is).  "from" takes
 * "UHCMF", "domain" "HCM" (as in msmtp).  Any other "%" stays.
 * Allocated.
 */
char *pattern_expand(const char *s, const char *patterns,
		     const char *from_header);

/*
 * pattern_matches - whether the envelope sender matches an account's
 * from (after pattern_expand without %F): equal, a shell wildcard pattern
 * (*, ?, [...]), or equal once "+detail" is taken off the sender's local
 * part; case-insensitive.
 */
bool pattern_matches(const char *from, const char *sender);

#endif
