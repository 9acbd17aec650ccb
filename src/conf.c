/*
 * conf.c - configuration file parsing (msmtp-compatible syntax, see conf.h).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "conf.h"
#include "gettext.h"
#include "xalloc.h"

/*
 * msmtp directives this version does not handle yet.  They are refused by
 * name rather than reported as unknown, so that a user with an msmtprc
 * learns exactly which line to change.
 */
static const char *const later[] = {
	"tls_crl_file", "tls_min_dh_prime_bits", "tls_force_sslv3",
	"source_ip", "proxy_host", "proxy_port", "socket", "protocol",
	"logfile", "logfile_time_format", "syslog", "allow_from_override",
	"auto_from", "ntlmdomain", "eval", "include", "fallback_hosts", NULL
};

void
conf_init(struct conf *c)
{
	c->path = NULL;
	c->accounts = NULL;
	c->n = 0;
	c->default_name = NULL;
	c->has_password = false;
}

void
conf_clear(struct conf *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		account_free(c->accounts[i]);
	free(c->accounts);
	free(c->path);
	free(c->default_name);
	conf_init(c);
}

const struct account *
conf_find(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->accounts[i]->name, name) == 0)
			return c->accounts[i];
	return NULL;
}

/* "account default : NAME" defines an account called "default" that
 * inherits NAME, as in msmtp, so looking up "default" covers both forms. */
const struct account *
conf_default(const struct conf *c)
{
	return conf_find(c, "default");
}

static bool
is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/*
 * parse_arg - the argument part of a line: quoted (with \" and \\), or the
 * rest of the line without surrounding blanks.  The result goes to *out.
 */
static int
parse_arg(const char *p, const char *end, struct buf *out, const char *loc,
	  struct err *err)
{
	buf_reset(out);
	while (p < end && is_blank(*p))
		p++;
	while (end > p && is_blank(end[-1]))
		end--;
	if (p < end && *p == '"') {
		p++;
		for (;;) {
			if (p >= end) {
				err_set(err, ERR_CONFIG, false,
					_("%s: missing closing quote"), loc);
				return -1;
			}
			if (*p == '"')
				break;
			if (*p == '\\' && p + 1 < end
			    && (p[1] == '"' || p[1] == '\\'))
				p++;
			if (buf_append(out, p, 1) < 0)
				goto toolong;
			p++;
		}
		p++;
		if (p != end) {
			err_set(err, ERR_CONFIG, false,
				_("%s: unexpected text after the closing quote"),
				loc);
			return -1;
		}
		return 0;
	}
	if (buf_append(out, p, (size_t)(end - p)) < 0)
		goto toolong;
	return 0;
toolong:
	err_set(err, ERR_CONFIG, false, _("%s: line too long"), loc);
	return -1;
}

static struct account *
add_account(struct conf *c, const char *name)
{
	struct account *a = account_new(name);

	c->accounts = xrealloc(c->accounts, (c->n + 1) * sizeof(*c->accounts));
	c->accounts[c->n++] = a;
	return a;
}

/* parse_account_line - "NAME", "NAME : P1, P2" or "default : NAME". */
static int
parse_account_line(struct conf *c, const struct account *defaults,
		   const char *arg, const char *loc, struct account **cur,
		   struct err *err)
{
	const char *colon = strchr(arg, ':');
	char *name;
	size_t nlen;

	nlen = colon ? (size_t)(colon - arg) : strlen(arg);
	while (nlen > 0 && is_blank(arg[nlen - 1]))
		nlen--;
	if (nlen == 0) {
		err_set(err, ERR_CONFIG, false, _("%s: account needs a name"),
			loc);
		return -1;
	}
	name = xstrndup(arg, nlen);
	if (strcspn(name, " \t") != nlen) {
		err_set(err, ERR_CONFIG, false,
			_("%s: account name \"%s\" contains a blank"), loc,
			name);
		free(name);
		return -1;
	}
	if (conf_find(c, name) != NULL) {
		err_set(err, ERR_CONFIG, false,
			_("%s: account \"%s\" is defined twice"), loc, name);
		free(name);
		return -1;
	}
	if (strcmp(name, "default") == 0 && colon != NULL) {
		/* "account default : NAME" - an alias, possibly with
		 * settings of its own that follow */
		const char *p = colon + 1;
		size_t len;

		while (is_blank(*p))
			p++;
		len = strlen(p);
		while (len > 0 && is_blank(p[len - 1]))
			len--;
		if (len == 0 || memchr(p, ',', len) != NULL) {
			err_set(err, ERR_CONFIG, false,
				_("%s: \"account default :\" needs exactly one "
				  "account name"), loc);
			free(name);
			return -1;
		}
		c->default_name = xstrndup(p, len);
	}
	*cur = add_account(c, name);
	free(name);
	account_merge(*cur, defaults);
	if (colon != NULL) {
		const char *p = colon + 1;

		while (*p) {
			const char *e = p + strcspn(p, ",");
			const char *s = p;
			const struct account *parent;
			char *pname;

			while (s < e && is_blank(*s))
				s++;
			while (e > s && is_blank(e[-1]))
				e--;
			pname = xstrndup(s, (size_t)(e - s));
			parent = conf_find(c, pname);
			if (*pname == '\0' || parent == NULL
			    || parent == *cur) {
				err_set(err, ERR_CONFIG, false,
					_("%s: account \"%s\" is not defined "
					  "above"), loc, pname);
				free(pname);
				return -1;
			}
			free(pname);
			account_merge(*cur, parent);
			p += strcspn(p, ",");
			if (*p == ',')
				p++;
		}
	}
	return 0;
}

int
conf_parse(struct conf *c, const char *path, const char *text, size_t len,
	   struct err *err)
{
	struct account *defaults = account_new(NULL);
	struct account *cur = defaults;
	struct buf arg;
	const char *p = text, *end = text + len;
	unsigned long lineno = 0;
	int ret = -1;

	buf_init(&arg, CONF_LINE_MAX);
	c->path = xstrdup(path);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		const char *d, *dend;
		char loc[ACCOUNT_WHERE_MAX], dname[64];
		const char *fixed;
		size_t dlen, i;
		int field;

		lineno++;
		snprintf(loc, sizeof(loc), "%s:%lu", path, lineno);
		if ((size_t)(eol - p) > CONF_LINE_MAX) {
			err_set(err, ERR_CONFIG, false,
				_("%s: line longer than %d bytes"), loc,
				CONF_LINE_MAX);
			goto out;
		}
		if (memchr(p, '\0', (size_t)(eol - p)) != NULL) {
			err_set(err, ERR_CONFIG, false,
				_("%s: NUL byte in line"), loc);
			goto out;
		}
		d = p;
		p = nl ? nl + 1 : end;
		while (d < eol && is_blank(*d))
			d++;
		if (d == eol || *d == '#')
			continue;
		dend = d;
		while (dend < eol && !is_blank(*dend))
			dend++;
		dlen = (size_t)(dend - d);
		if (dlen >= sizeof(dname)) {
			err_set(err, ERR_CONFIG, false,
				_("%s: unknown directive \"%.40s...\""), loc, d);
			goto out;
		}
		memcpy(dname, d, dlen);
		dname[dlen] = '\0';
		if (parse_arg(dend, eol, &arg, loc, err) < 0)
			goto out;

		if (strcmp(dname, "defaults") == 0) {
			if (arg.len > 0) {
				err_set(err, ERR_CONFIG, false,
					_("%s: \"defaults\" takes no argument"),
					loc);
				goto out;
			}
			cur = defaults;
			continue;
		}
		if (strcmp(dname, "account") == 0) {
			if (parse_account_line(c, defaults, buf_str(&arg), loc,
					       &cur, err) < 0)
				goto out;
			continue;
		}
		field = account_field_by_name(dname, &fixed);
		if (field >= 0) {
			struct err verr;

			if (fixed != NULL && strcmp(fixed, "(negate)") == 0) {
				/* keepbcc on = remove_bcc_headers off */
				const char *v = buf_str(&arg);
				fixed = strcmp(v, "off") == 0 ? "on"
					: (v[0] == '\0' || strcmp(v, "on") == 0)
						? "off"
						: v;
				buf_reset(&arg);
			}
			if (fixed != NULL && arg.len > 0) {
				err_set(err, ERR_CONFIG, false,
					_("%s: \"%s\" takes no argument"), loc,
					dname);
				goto out;
			}
			if (account_set(cur, (enum account_field)field,
					fixed ? fixed : buf_str(&arg), loc,
					&verr) < 0) {
				err_set(err, ERR_CONFIG, false, "%s: %s: %s",
					loc, dname, verr.text);
				goto out;
			}
			if (field == ACC_PASSWORD)
				c->has_password = true;
			continue;
		}
		for (i = 0; later[i]; i++)
			if (strcmp(dname, later[i]) == 0)
				break;
		if (later[i] != NULL) {
			err_set(err, ERR_CONFIG, false,
				_("%s: directive \"%s\" is not supported by "
				  "this version of smtpsend"), loc, dname);
			goto out;
		}
		err_set(err, ERR_CONFIG, false, _("%s: unknown directive \"%s\""),
			loc, dname);
		goto out;
	}
	ret = 0;
out:
	buf_clear(&arg);
	account_free(defaults);
	return ret;
}

/*
 * check_private - a file that holds a password must be the user's own and
 * readable by nobody else (msmtp has the same rule).
 */
static int
check_private(int fd, const char *path, struct err *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		err_set_errno(err, ERR_CONFIG, false, errno, "%s", path);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		err_set(err, ERR_CONFIG, false,
			_("%s holds a password but belongs to another user; "
			  "it must be your own file (chown)"), path);
		return -1;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		err_set(err, ERR_CONFIG, false,
			_("%s holds a password but others may read it (mode "
			  "%04o); fix it with: chmod 600 %s"), path,
			(unsigned)(st.st_mode & 07777), path);
		return -1;
	}
	return 0;
}

int
conf_load(struct conf *c, const char *path, struct err *err)
{
	struct buf text;
	char chunk[8192];
	int fd, ret = -1;
	ssize_t n;

	buf_init(&text, 16 * 1024 * 1024);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err_set_errno(err, ERR_CONFIG, false, errno,
			      _("cannot open configuration file %s"), path);
		goto out;
	}
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set_errno(err, ERR_CONFIG, false, errno,
				      _("cannot read configuration file %s"),
				      path);
			goto out;
		}
		if (n == 0)
			break;
		if (buf_append(&text, chunk, (size_t)n) < 0) {
			err_set(err, ERR_CONFIG, false,
				_("configuration file %s is larger than 16 MiB"),
				path);
			goto out;
		}
	}
	if (conf_parse(c, path, buf_str(&text), text.len, err) < 0)
		goto out;
	if (c->has_password && check_private(fd, path, err) < 0)
		goto out;
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	buf_clear(&text);
	return ret;
}
