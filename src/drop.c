/*
 * drop.c - the drop file's header and the helper's command line (see
 * drop.h); RFC 3461 4.1-4.4 for the syntax of -N, -R and -V.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "drop.h"

/* Each field: its header key and its option letter. */
static const struct {
	const char *key;
	char opt;
} fields[DROP_NFIELDS] = {
	[DROP_SENDER] = { "Sender", 'f' },
	[DROP_FULL_NAME] = { "Full-Name", 'F' },
	[DROP_ACCOUNT] = { "Account", 'a' },
	[DROP_NOTIFY] = { "Notify", 'N' },
	[DROP_RETURN] = { "Return", 'R' },
	[DROP_ENVID] = { "Envid", 'V' },
};

void
drop_env_init(struct drop_env *d)
{
	memset(d, 0, sizeof(*d));
	d->dot_ends = true;
}

/* only_chars - whether every byte of v is in set. */
static bool
only_chars(const char *v, const char *set)
{
	return v[strspn(v, set)] == '\0';
}

#define ALNUM "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

/* syntax - the field's own rule (drop_check has done the common ones);
 * NULL when v keeps it, else what is wrong. */
static const char *
syntax(enum drop_field f, const char *v)
{
	size_t n = strlen(v), i;

	switch (f) {
	case DROP_ACCOUNT:
		return n <= 64 && only_chars(v, ALNUM "._-") ? NULL
		       : "an account name is letters, digits, '.', '_' and "
			 "'-', at most 64";
	case DROP_NOTIFY:
		return n <= 64 && only_chars(v, ALNUM ",") ? NULL
		       : "expected never or a list of success, failure, delay";
	case DROP_RETURN:
		return strcasecmp(v, "full") == 0 || strcasecmp(v, "hdrs") == 0
		       ? NULL : "expected full or hdrs";
	case DROP_ENVID:
		for (i = 0; i < n; i++)
			if ((unsigned char)v[i] <= ' '
			    || (unsigned char)v[i] >= 0x7f)
				return "an envelope id is printable ASCII "
				       "without spaces";
		return n <= 100 ? NULL : "an envelope id has at most 100 "
					 "characters";
	default:
		return NULL;
	}
}

int
drop_check(enum drop_field f, const char *v, struct err *err)
{
	char what[32];
	size_t n = strlen(v), i;
	const char *why = NULL;

	if (f < DROP_NFIELDS)
		snprintf(what, sizeof(what), "-%c", fields[f].opt);
	else
		snprintf(what, sizeof(what), "recipient");
	if (n == 0)
		why = "it is empty";
	else if (n > DROP_VALUE_MAX)
		why = "it is longer than 998 bytes";
	else if (v[0] == '-' && f != DROP_FULL_NAME)
		why = "it begins with '-'";
	for (i = 0; why == NULL && i < n; i++)
		if ((unsigned char)v[i] < ' ' || v[i] == 0x7f)
			why = "it contains a control character";
	if (why == NULL && f < DROP_NFIELDS)
		why = syntax(f, v);
	if (why == NULL)
		return 0;
	err_set(err, ERR_USAGE, false, "%s: %s", what, why);
	return -1;
}

/* field_of - the field of option letter c, or DROP_NFIELDS. */
static enum drop_field
field_of(char c)
{
	int f;

	for (f = 0; f < DROP_NFIELDS; f++)
		if (fields[f].opt == c)
			return (enum drop_field)f;
	return DROP_NFIELDS;
}

/* add_rcpt - one recipient argument of the helper or the header. */
static int
add_rcpt(struct drop_env *d, const char *v, struct err *err)
{
	if (d->nrcpts >= DROP_RCPTS_MAX) {
		err_set(err, ERR_USAGE, false,
			"more than %d recipient arguments", DROP_RCPTS_MAX);
		return -1;
	}
	if (drop_check(DROP_NFIELDS, v, err) < 0)
		return -1;
	d->rcpts[d->nrcpts++] = v;
	return 0;
}

/* option - one option word a (with its value argv[*i + 1]). */
static int
option(struct drop_env *d, const char *a, int argc, char **argv, int *i,
       struct err *err)
{
	enum drop_field f;

	if (strcmp(a, "-t") == 0 || strcmp(a, "-i") == 0) {
		bool *flag = a[1] == 't' ? &d->read_rcpts : &d->dot_ends;
		bool set = a[1] == 't';

		if (*flag == set) {
			err_set(err, ERR_USAGE, false, "%s given twice", a);
			return -1;
		}
		*flag = set;
		return 0;
	}
	f = a[1] != '\0' && a[2] == '\0' ? field_of(a[1]) : DROP_NFIELDS;
	if (f == DROP_NFIELDS) {
		err_set(err, ERR_USAGE, false, "unknown option \"%.40s\"", a);
		return -1;
	}
	if (d->v[f] != NULL || *i + 1 >= argc) {
		err_set(err, ERR_USAGE, false, d->v[f] ? "%s given twice"
			: "%s needs a value", a);
		return -1;
	}
	if (drop_check(f, argv[*i + 1], err) < 0)
		return -1;
	d->v[f] = argv[++*i];
	return 0;
}

int
drop_args(struct drop_env *d, int argc, char **argv, struct err *err)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (option(d, argv[i], argc, argv, &i, err) < 0)
			return -1;
	}
	for (; i < argc; i++)
		if (add_rcpt(d, argv[i], err) < 0)
			return -1;
	if (d->nrcpts == 0 && !d->read_rcpts) {
		err_set(err, ERR_USAGE, false, "no recipient given, and no -t");
		return -1;
	}
	return 0;
}

/* put - append "key: value\n" to out; false when it does not fit. */
static bool
put(char *out, size_t n, size_t *len, const char *key, const char *value)
{
	int w = snprintf(out + *len, n - *len, "%s: %s\n", key, value);

	if (w < 0 || (size_t)w >= n - *len)
		return false;
	*len += (size_t)w;
	return true;
}

int
drop_format(const struct drop_env *d, char *out, size_t n, size_t *len,
	    struct err *err)
{
	char num[32];
	bool ok;
	size_t i;
	int f;

	*len = 0;
	snprintf(num, sizeof(num), "%lu", d->uid);
	ok = put(out, n, len, "Version", "1") && put(out, n, len, "Uid", num)
	     && put(out, n, len, "Read-Recipients", d->read_rcpts ? "yes"
		    : "no")
	     && put(out, n, len, "Dot-Ends", d->dot_ends ? "yes" : "no");
	for (f = 0; ok && f < DROP_NFIELDS; f++) {
		if (d->v[f] == NULL)
			continue;
		if (drop_check((enum drop_field)f, d->v[f], err) < 0)
			return -1;
		ok = put(out, n, len, fields[f].key, d->v[f]);
	}
	for (i = 0; ok && i < d->nrcpts; i++) {
		if (drop_check(DROP_NFIELDS, d->rcpts[i], err) < 0)
			return -1;
		ok = put(out, n, len, "Recipient", d->rcpts[i]);
	}
	if (!ok || *len + 1 >= n) {
		err_set(err, ERR_DATA, false, "the envelope is too long");
		return -1;
	}
	out[(*len)++] = '\n';
	return 0;
}

/* parse_uid - a uid in decimal, without sign or leading zero. */
static int
parse_uid(const char *v, unsigned long *uid)
{
	char *end;

	if (v[0] < '0' || v[0] > '9' || (v[0] == '0' && v[1] != '\0')
	    || strlen(v) > 10)
		return -1;
	errno = 0;
	*uid = strtoul(v, &end, 10);
	return errno == 0 && *end == '\0' && *uid < 4294967295UL ? 0 : -1;
}

/* parse_yes_no - "yes" or "no" into *b. */
static int
parse_yes_no(const char *v, bool *b)
{
	if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
		return -1;
	*b = v[0] == 'y';
	return 0;
}

/* header_line - one "Key: value" line (line number no; seen: the keys of
 * fixed position already given, as bits). */
static int
header_line(struct drop_env *d, char *line, int no, unsigned *seen,
	    struct err *err)
{
	static const char *const fixed[] = { "Version", "Uid",
					     "Read-Recipients", "Dot-Ends" };
	char *v = strstr(line, ": ");
	int f, r = 0;

	if (v == NULL) {
		err_set(err, ERR_DATA, false, "line %d is not \"Key: value\"",
			no);
		return -1;
	}
	*v = '\0';
	v += 2;
	if (no <= 4) {
		if (strcmp(line, fixed[no - 1]) != 0) {
			err_set(err, ERR_DATA, false, "line %d is not %s", no,
				fixed[no - 1]);
			return -1;
		}
		if (no == 1)
			r = strcmp(v, "1") == 0 ? 0 : -1;
		else if (no == 2)
			r = parse_uid(v, &d->uid);
		else
			r = parse_yes_no(v, no == 3 ? &d->read_rcpts
					 : &d->dot_ends);
		if (r < 0)
			err_set(err, ERR_DATA, false, "%s: invalid value",
				line);
		return r;
	}
	if (strcmp(line, "Recipient") == 0)
		return add_rcpt(d, v, err);
	for (f = 0; f < DROP_NFIELDS; f++)
		if (strcmp(line, fields[f].key) == 0)
			break;
	if (f == DROP_NFIELDS || (*seen & (1U << f))) {
		err_set(err, ERR_DATA, false, f == DROP_NFIELDS
			? "unknown key on line %d" : "key repeated on line %d",
			no);
		return -1;
	}
	*seen |= 1U << f;
	d->v[f] = v;
	return drop_check((enum drop_field)f, v, err);
}

int
drop_parse(struct drop_env *d, char *text, size_t len, size_t *body,
	   struct err *err)
{
	size_t max = len < DROP_HEADER_MAX ? len : DROP_HEADER_MAX, pos = 0;
	unsigned seen = 0;
	char *nl;
	int no = 0;

	drop_env_init(d);
	if (memchr(text, '\0', max) != NULL) {
		err_set(err, ERR_DATA, false, "a NUL byte in the header");
		return -1;
	}
	while ((nl = memchr(text + pos, '\n', max - pos)) != NULL) {
		if (nl == text + pos) {
			if (no < 4) {
				err_set(err, ERR_DATA, false,
					"the header is incomplete");
				return -1;
			}
			if (d->nrcpts == 0 && !d->read_rcpts) {
				err_set(err, ERR_DATA, false,
					"no recipient, and no -t");
				return -1;
			}
			*body = pos + 1;
			return 0;
		}
		*nl = '\0';
		if (header_line(d, text + pos, ++no, &seen, err) < 0) {
			err->cls = ERR_DATA;
			return -1;
		}
		pos = (size_t)(nl - text) + 1;
	}
	err_set(err, ERR_DATA, false, "no end of the header");
	return -1;
}

int
drop_argv(const struct drop_env *d, const char **argv)
{
	static const char *const opt[DROP_NFIELDS] = {
		"-f", "-F", "-a", "-N", "-R", "-V"
	};
	size_t i;
	int n = 0, f;

	argv[n++] = "sendmail";
	/* the submitter was told the message is accepted: a recipient that
	 * fails for good is reported by mail (bounce, bounce_to) */
	argv[n++] = "--report-by-mail";
	if (d->read_rcpts)
		argv[n++] = "-t";
	if (!d->dot_ends)
		argv[n++] = "-i";
	for (f = 0; f < DROP_NFIELDS; f++)
		if (d->v[f] != NULL) {
			argv[n++] = opt[f];
			argv[n++] = d->v[f];
		}
	argv[n++] = "--";
	for (i = 0; i < d->nrcpts; i++)
		argv[n++] = d->rcpts[i];
	argv[n] = NULL;
	return n;
}
