/*
 * fuzz_conf.c - libFuzzer target for src/conf.c, the configuration file
 * parser (msmtp's syntax; eval and include as conf.h describes them).
 *
 * No shell is run and no file outside a private directory is read:
 *   - c->eval is a stub: for "echo TEXT" it returns TEXT, otherwise a
 *     fixed line chosen by a hash of the command ("host example.org",
 *     "password x", "eval again", ...), or a failure;
 *   - every "include" line of the input (and of what the stub returns) is
 *     rewritten, before parsing, to name one of the files or directories
 *     of a temporary directory made once (relative names, resolved against
 *     the main file's path in that directory): files with accounts,
 *     defaults, a password, an include loop, an eval, an error, a
 *     directory of *.conf files, a missing file.
 * After conf_parse, whether it succeeded or not: every account has a
 * non-empty name without blanks that conf_find finds (so names are
 * unique), "account default : NAME" gave an account called "default",
 * and an error is ERR_CONFIG, printable, and starts with a file name.
 */
#include <config.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "account.h"
#include "buf.h"
#include "conf.h"
#include "fuzz.h"
#include "util.h"
#include "xalloc.h"

#define TEXT_MAX (64 * 1024 * 1024)

static char dir[256];

static const struct {
	const char *name;       /* below dir; ending in '/': a directory */
	const char *text;
} files[] = {
	{ "a.conf", "account inc_a\nhost a.example.org\nport 2525\n" },
	{ "b.conf", "defaults\ntls off\naccount inc_b : inc_a\n"
		    "from b@example.org\n" },
	{ "pw.conf", "password secret\n" },
	{ "loop.conf", "include loop.conf\n" },
	{ "evil.conf", "eval echo host evil.example.org\n" },
	{ "broken.conf", "account\n" },
	{ "d/", NULL },
	{ "d/1.conf", "account inc_d1\nhost d1.example.org\n" },
	{ "d/2.conf", "include ../a.conf\naccount inc_d2 : inc_d1\n" },
	{ "d/.hidden.conf", "unknown directive\n" },
	{ "d/notes.txt", "not a config file\n" },
};

/* What an include line is made to name. */
static const char *const includes[] = {
	"a.conf", "b.conf", "pw.conf", "loop.conf", "evil.conf", "d", "d/",
	"missing.conf", "broken.conf", "\"a.conf\"", "", "d/1.conf", ".",
	"d/notes.txt",
};

/* What the eval stub answers; NULL: the command fails. */
static const char *const evals[] = {
	"host example.org", "password x", "eval again", "port 2525", "",
	"# comment", "account ev_acc", "include a.conf", "defaults",
	"from %U@%H", "tls off", "auth on", "account default : ev_acc",
	"user \"quoted user\"", "  host   spaced.example.org  ", NULL,
};

/* cleanup - remove the private directory (at exit). */
static void
cleanup(void)
{
	size_t i = sizeof(files) / sizeof(files[0]);
	char path[512];

	while (i-- > 0) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
		if (files[i].text == NULL)
			rmdir(path);
		else
			unlink(path);
	}
	rmdir(dir);
}

static void
setup(void)
{
	const char *tmp = getenv("TMPDIR");
	size_t i;
	int fd;

	snprintf(dir, sizeof(dir), "%s/smtpsend-fuzz-conf.XXXXXX",
		 tmp != NULL && tmp[0] == '/' ? tmp : "/tmp");
	FUZZ_CHECK(mkdtemp(dir) != NULL, "a private directory");
	atexit(cleanup);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[512];

		snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
		if (files[i].text == NULL) {
			FUZZ_CHECK(mkdir(path, 0700) == 0, "a directory");
			continue;
		}
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		FUZZ_CHECK(fd >= 0, "a file");
		FUZZ_CHECK(util_write_all(fd, files[i].text,
					  strlen(files[i].text)) == 0,
			   "written");
		close(fd);
	}
}

static unsigned
hash(const char *s, size_t n)
{
	unsigned h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static bool
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/*
 * add_line - line[0..n) to out; an include line (found as conf.c finds
 * its directive) becomes "include X", X one of includes[].
 */
static void
add_line(struct buf *out, const char *line, size_t n)
{
	size_t d = 0, e;
	int rc;

	while (d < n && blank(line[d]))
		d++;
	for (e = d; e < n && !blank(line[e]); e++)
		;
	if (e - d == 7 && memcmp(line + d, "include", 7) == 0)
		rc = buf_printf(out, "include %s", includes[hash(line, n)
			% (sizeof(includes) / sizeof(includes[0]))]);
	else
		rc = buf_append(out, line, n);
	FUZZ_CHECK(rc == 0, "room");
}

static int
eval_stub(const char *cmd, struct buf *out, void *arg, struct err *err)
{
	const char *res;

	(void)arg;
	if (strncmp(cmd, "echo ", 5) == 0) {
		add_line(out, cmd + 5, strlen(cmd + 5));
		return 0;
	}
	res = evals[hash(cmd, strlen(cmd))
		    % (sizeof(evals) / sizeof(evals[0]))];
	if (res == NULL) {
		err_set(err, ERR_CONFIG, false,
			"command failed (exit status 1): %s", cmd);
		return -1;
	}
	FUZZ_CHECK(buf_append_str(out, res) == 0, "room");
	return 0;
}

/* check_resolved - the account over the built-in defaults, as main.c
 * makes it, passes account_check or fails it cleanly. */
static void
check_resolved(const struct account *acc)
{
	struct account *a = account_new(NULL);
	struct err err;

	account_defaults(a);
	account_merge(a, acc);
	err_clear(&err);
	if (account_check(a, &err) < 0)
		FUZZ_CHECK(err.cls == ERR_CONFIG
			   && fuzz_printable(err.text, strlen(err.text), false),
			   "account_check error");
	account_free(a);
}

static void
check_conf(const struct conf *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		const char *name = c->accounts[i]->name;

		FUZZ_CHECK(name != NULL && name[0] != '\0', "a named account");
		FUZZ_CHECK(strpbrk(name, " \t") == NULL,
			   "no blank in an account name");
		FUZZ_CHECK(conf_find(c, name) == c->accounts[i],
			   "conf_find finds each account (names are unique)");
		check_resolved(c->accounts[i]);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	char path[512];
	struct buf text;
	struct conf c;
	struct err err;
	int rc;

	if (dir[0] == '\0')
		setup();
	buf_init(&text, TEXT_MAX);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		add_line(&text, p, n);
		if (nl != NULL)
			FUZZ_CHECK(buf_append(&text, "\n", 1) == 0, "room");
		p += n + (nl != NULL);
	}
	snprintf(path, sizeof(path), "%s/main.conf", dir);
	conf_init(&c);
	c.eval = eval_stub;
	err_clear(&err);
	rc = conf_parse(&c, path, text.p ? text.p : "", text.len, &err);
	check_conf(&c);
	if (rc < 0) {
		FUZZ_CHECK(err.cls == ERR_CONFIG,
			   "config errors are ERR_CONFIG");
		FUZZ_CHECK(fuzz_printable(err.text, strlen(err.text), false),
			   "error text is printable");
		FUZZ_CHECK(strncmp(err.text, dir, strlen(dir)) == 0,
			   "an error names the file");
	} else if (c.default_name != NULL) {
		FUZZ_CHECK(conf_default(&c) != NULL, "the default account");
	}
	conf_clear(&c);
	buf_clear(&text);
	return 0;
}
