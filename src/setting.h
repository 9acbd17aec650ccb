/*
 * setting.h - the value types of account settings.
 *
 * account.c describes each field of struct account once, with a struct
 * setting: its directive and option names, its type, where it lives in
 * the struct, and for numbers their bounds, for choice settings their
 * words.  The operations on a value - parse the text of a config argument
 * or option value into the account, print it back, copy it to another
 * account, free it - depend only on the type, and are here, one small
 * function per type, picked from a table indexed by enum setting_type.
 * Only account.c (and its unit test) use this module.
 */
#ifndef SMTPSEND_SETTING_H
#define SMTPSEND_SETTING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "account.h"
#include "err.h"

enum setting_type {
	ST_STR,         /* any text without control characters; "": NULL */
	ST_PATH,        /* a file name; "~/" expanded; "": NULL */
	ST_HOST,        /* a host name or address */
	ST_PORT,        /* an int in [min, max] */
	ST_TIMEOUT,     /* seconds in [min, max] (int), or off (0) */
	ST_BOOL,        /* on (or nothing) | off */
	ST_ADDR,        /* an envelope address, or a from pattern */
	ST_DOMAIN,      /* an EHLO name; "": NULL */
	ST_FINGERPRINT, /* SHA-256, kept as "AA:BB:..."; "": NULL */
	ST_SECRET,      /* like ST_STR (kept when empty), wiped when freed,
			   masked when described, never printed */
	ST_DURATION,    /* seconds in [min, max] (long), or a number with s,
			   m, h or d */
	ST_DSN_NOTIFY,  /* off | never | success,failure,delay (RFC 3461 4.1),
			   kept in upper case; off: NULL */
	ST_CHOICE,      /* one word of the setting's list, kept as an enum */
	ST_HOSTLIST,    /* host[:port] ... (account_next_host); "": NULL */
	ST_INT,         /* an int in [min, max], or "" (0: not set) */
	ST_IP,          /* an IPv4 or IPv6 address; "": NULL */
	ST_OPT_HOST,    /* a host name or address; "": NULL */
	ST_URL,         /* an https:// URL with a host, printable, without
			   a fragment or user info; "": NULL */
	ST_NTYPES
};

/* One word of a choice setting. */
struct setting_word {
	const char *word;
	int value;
	bool nocase;            /* matched in any case */
};

/* The words of a choice setting, and what its error message says. */
struct setting_choices {
	const struct setting_word *words; /* ended by a NULL word; the first
					     word of a value is printed */
	const char *what;       /* invalid WHAT "v" (expected EXPECTED) */
	const char *expected;   /* NULL: unknown WHAT "v" */
	int unset;              /* the value described as "(not set)", or
				   -1 */
};

struct setting {
	const char *name;       /* config directive */
	const char *option;     /* long option, NULL: none */
	enum setting_type type;
	size_t off, size;       /* the member of struct account */
	long min, max;          /* ST_PORT, ST_TIMEOUT, ST_DURATION */
	const struct setting_choices *choices;  /* ST_CHOICE */
	bool no_directive;      /* not a directive of the config file: set
				   by options only (kept in queue entries
				   under its name all the same) */
};

/*
 * setting_parse - check the text v and store it as s's value in a (the
 * old value freed).  Returns 0, or -1 with err (ERR_CONFIG) saying what is
 * wrong with v; a is then unchanged.
 */
int setting_parse(struct account *a, const struct setting *s, const char *v,
		  struct err *err);

/*
 * setting_print - s's value in a to out: in config syntax, so that
 * setting_parse takes it back (secrets print nothing), or, when describe,
 * as account_describe shows it ("(not set)", the port in use, "*" for a
 * secret, durations with "s").
 */
void setting_print(const struct account *a, const struct setting *s,
		   bool describe, FILE *out);

/* setting_copy - s's value from src to dst (a string copied). */
void setting_copy(struct account *dst, const struct account *src,
		  const struct setting *s);

/* setting_clear - free s's value in a (a secret wiped) and reset it to
 * NULL; nothing for a value that is not a string. */
void setting_clear(struct account *a, const struct setting *s);

/* setting_int - the decimal integer v, nothing else, in [min, max], into
 * *out.  Returns 0, or -1 (nothing set). */
int setting_int(const char *v, long min, long max, long *out);

/* setting_word - the word printed for value of a choice setting (static),
 * or "?" when no word has it. */
const char *setting_word(const struct setting_word *words, int value);

#endif
