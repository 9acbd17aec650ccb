/*
 * mdriver.c - the scenario driver of smtpmock (see mdriver.h).  No RFC
 * here; the scenario format is in doc/scenario-format.md.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1	/* pipe2 */
#endif
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mdriver.h"
#include "mio.h"
#include "mserver.h"

extern char **environ;

/* Set by SIGINT / SIGTERM / SIGHUP: stop everything and clean up. */
static volatile sig_atomic_t interrupted;

/* What the client did. */
struct outcome {
	int status;		/* from waitpid */
	int timed_out;
	struct mbuf out, err;
	int out_cut, err_cut;	/* more output than MDRIVER_OUTPUT_MAX */
};

/* Everything one run owns; released in one place. */
struct run {
	const struct mscn *s;
	char base[PATH_MAX];	/* private directory, "" if none */
	char tmp[PATH_MAX];	/* %TMP */
	char port[16];
	char *client;		/* absolute program path, or NULL */
	struct mtext_subst sub;
	char **argv;
	char **envp;
	size_t nenv;
	int listen_fd;
	int stop_w;		/* write end of the server's stop pipe */
	pid_t server;
	struct outcome oc;
};

static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void
say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("smtpmock: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static int
path_join(char *dst, size_t dsz, const char *a, const char *b,
    struct merr *e)
{
	int n = snprintf(dst, dsz, "%s/%s", a, b);

	if (n < 0 || (size_t)n >= dsz)
		return merr_set(e, "path too long: %s/%s", a, b);
	return 0;
}

/* ---- environment ------------------------------------------------------ */

static int
env_name_is(const char *entry, const char *name, size_t nlen)
{
	return strncmp(entry, name, nlen) == 0 && entry[nlen] == '=';
}

/* env_set - put "NAME=VALUE" (taken over) into r->envp, replacing. */
static void
env_set(struct run *r, char *entry)
{
	size_t nlen = strcspn(entry, "="), i;

	for (i = 0; i < r->nenv; i++) {
		if (env_name_is(r->envp[i], entry, nlen)) {
			free(r->envp[i]);
			r->envp[i] = entry;
			return;
		}
	}
	r->envp = realloc(r->envp, (r->nenv + 2) * sizeof(*r->envp));
	if (r->envp == NULL)
		merr_oom();
	r->envp[r->nenv++] = entry;
	r->envp[r->nenv] = NULL;
}

static void
env_setf(struct run *r, const char *name, const char *v1, const char *v2)
{
	struct mbuf b;

	mbuf_init(&b, 3 * PATH_MAX);
	if (mbuf_adds(&b, name) || mbuf_addc(&b, '=') || mbuf_adds(&b, v1) ||
	    mbuf_adds(&b, v2))
		merr_oom();	/* cannot happen with these lengths */
	env_set(r, b.p);
}

/* Inherited variables the client must not see. */
static int
env_dropped(const char *entry)
{
	static const char *names[] = {
		"LANG", "LANGUAGE", "TZ", "HOME", "XDG_CONFIG_HOME",
		"XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME",
	};
	size_t i;

	if (strncmp(entry, "LC_", 3) == 0 ||
	    strncmp(entry, "SMTPSEND", 8) == 0)
		return 1;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (env_name_is(entry, names[i], strlen(names[i])))
			return 1;
	return 0;
}

static int
build_env(struct run *r, struct merr *e)
{
	const struct mscn_sect *d = &r->s->env;
	struct mbuf v;
	struct merr e2;
	size_t i;
	char *copy;

	r->envp = calloc(1, sizeof(*r->envp));
	if (r->envp == NULL)
		merr_oom();
	for (i = 0; environ[i] != NULL && i < 100000; i++) {
		if (env_dropped(environ[i]))
			continue;
		if ((copy = strdup(environ[i])) == NULL)
			merr_oom();
		env_set(r, copy);
	}
	env_setf(r, "LC_ALL", "C", "");
	env_setf(r, "TZ", "UTC", "");
	env_setf(r, "HOME", r->tmp, "");
	env_setf(r, "XDG_CONFIG_HOME", r->tmp, "/.config");
	env_setf(r, "XDG_STATE_HOME", r->tmp, "/.local/state");
	env_setf(r, "XDG_DATA_HOME", r->tmp, "/.local/share");
	env_setf(r, "XDG_CACHE_HOME", r->tmp, "/.cache");
	for (i = 0; i < d->n; i++) {
		mbuf_init(&v, MSCN_DATA_MAX);
		if (mtext_expand(d->lines[i].text, strlen(d->lines[i].text),
		    &r->sub, &v, &e2) == -1 || mbuf_addc(&v, '\0') == -1) {
			mbuf_clear(&v);
			return merr_set(e, "%s:%d: %s", r->s->path,
			    d->lines[i].lineno, e2.msg);
		}
		env_set(r, v.p);	/* taken over */
	}
	return 0;
}

/* ---- processes --------------------------------------------------------- */

/* reap - wait for pid for at most ms, then SIGKILL it (and its group if
 * group); returns the wait status. */
static int
reap(pid_t pid, long ms, int group)
{
	long long deadline = mio_now_ms() + ms;
	int st = 0;
	pid_t w;

	for (;;) {
		w = waitpid(pid, &st, WNOHANG);
		if (w == pid || (w == -1 && errno != EINTR))
			return st;
		if (mio_now_ms() >= deadline)
			break;
		mio_sleep_ms(5);
	}
	if (group)
		kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		continue;
	return st;
}

/* child_setup - in a forked child: default signals again. */
static void
child_signals(void)
{
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
}

/* spawn_quiet - run argv with stdio on /dev/null; its exit status, or -1
 * if it could not run or took too long (used by %skip-unless run). */
static int
spawn_quiet(char **argv, char **envp)
{
	pid_t pid;
	int st, fd;

	pid = fork();
	if (pid == -1)
		return -1;
	if (pid == 0) {
		child_signals();
		fd = open("/dev/null", O_RDWR);
		if (fd != -1) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		environ = envp;
		execvp(argv[0], argv);
		_exit(127);
	}
	st = reap(pid, MDRIVER_RUN_TIMEOUT_MS, 0);
	if (!WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int
in_path(const char *prog)
{
	const char *path = getenv("PATH"), *p;
	char full[PATH_MAX];
	size_t n;
	int k;

	if (strchr(prog, '/') != NULL)
		return access(prog, X_OK) == 0;
	if (path == NULL)
		path = "/usr/bin:/bin";
	for (p = path; ; p += n + 1) {
		n = strcspn(p, ":");
		k = snprintf(full, sizeof(full), "%.*s/%s", (int)n,
		    n ? p : ".", prog);
		if (k > 0 && (size_t)k < sizeof(full) &&
		    access(full, X_OK) == 0)
			return 1;
		if (p[n] == '\0')
			return 0;
	}
}

/* skip_check - 1 if a %skip-unless condition fails, 0 if all hold. */
static int
skip_check(struct run *r, struct merr *e)
{
	const struct mscn_sect *d = &r->s->skip;
	char **w = NULL;
	size_t n, i;
	int skip = 0;
	const char *v;
	struct merr e2;

	for (i = 0; i < d->n && !skip; i++) {
		if (mtext_words(d->lines[i].text, &r->sub, &w, &n, &e2) == -1) {
			merr_set(e, "%s:%d: %%skip-unless: %s", r->s->path,
			    d->lines[i].lineno, e2.msg);
			return -1;
		}
		if (n < 2) {
			mtext_words_free(w);
			merr_set(e, "%s:%d: %%skip-unless: argument missing",
			    r->s->path, d->lines[i].lineno);
			return -1;
		}
		if (strcmp(w[0], "env") == 0)
			skip = (v = getenv(w[1])) == NULL || *v == '\0';
		else if (strcmp(w[0], "file") == 0)
			skip = access(w[1], F_OK) != 0;
		else if (strcmp(w[0], "exec") == 0)
			skip = !in_path(w[1]);
		else
			skip = spawn_quiet(w + 1, r->envp) != 0;
		if (skip)
			fprintf(stderr, "SKIP %s: condition not met: %s\n",
			    r->s->path, d->lines[i].text);
		mtext_words_free(w);
		w = NULL;
	}
	return skip;
}

/* run_client - start the client, feed stdin, collect output, wait. */
static int
run_client(struct run *r, const struct mbuf *in, struct merr *e)
{
	struct outcome *oc = &r->oc;
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr_[2] = { -1, -1 };
	int pexec[2] = { -1, -1 }, child_err = 0, rc = -1, fd;
	long long deadline, exited_at = -1;
	struct pollfd pfd[3];
	size_t in_off = 0;
	pid_t pid = -1, w;
	char chunk[65536];
	ssize_t k;
	int i, st;

	if ((r->s->in.present && pipe2(pin, O_CLOEXEC) == -1) ||
	    pipe2(pout, O_CLOEXEC) == -1 || pipe2(perr_, O_CLOEXEC) == -1 ||
	    pipe2(pexec, O_CLOEXEC) == -1) {
		merr_set(e, "pipe: %s", strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid == -1) {
		merr_set(e, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		child_signals();
		/* a session of its own, without a controlling terminal: the
		 * client never prompts the person running the tests */
		setsid();
		fd = r->s->in.present ? pin[0] : open("/dev/null", O_RDONLY);
		if (fd == -1 || dup2(fd, 0) == -1 || dup2(pout[1], 1) == -1 ||
		    dup2(perr_[1], 2) == -1 || chdir(r->tmp) == -1)
			goto child_fail;
		environ = r->envp;
		execvp(r->argv[0], r->argv);
child_fail:
		child_err = errno;
		(void)!write(pexec[1], &child_err, sizeof(child_err));
		_exit(127);
	}
	close(pexec[1]);
	pexec[1] = -1;
	close(pout[1]);
	pout[1] = -1;
	close(perr_[1]);
	perr_[1] = -1;
	if (pin[0] != -1) {
		close(pin[0]);
		pin[0] = -1;
	}
	/* exec closes pexec (close-on-exec); a read of 0 means it worked. */
	do {
		k = read(pexec[0], &child_err, sizeof(child_err));
	} while (k == -1 && errno == EINTR);
	if (k == (ssize_t)sizeof(child_err)) {
		merr_set(e, "cannot run %s: %s", r->argv[0],
		    strerror(child_err));
		goto out;
	}
	if ((pin[1] != -1 && mio_nonblock(pin[1]) == -1) ||
	    mio_nonblock(pout[0]) == -1 || mio_nonblock(perr_[0]) == -1) {
		merr_set(e, "fcntl: %s", strerror(errno));
		goto out;
	}
	if (pin[1] != -1 && in->len == 0) {
		close(pin[1]);
		pin[1] = -1;
	}
	deadline = mio_now_ms() + r->s->timeout_s * 1000;
	/* Bounded by the deadline and the grace after exit. */
	for (;;) {
		long long now = mio_now_ms();

		if (interrupted) {
			merr_set(e, "interrupted");
			goto out;
		}
		if (pid != -1 && now >= deadline) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			oc->status = reap(pid, 0, 1);
			pid = -1;
			oc->timed_out = 1;
			break;
		}
		if (pid == -1 && ((pout[0] == -1 && perr_[0] == -1) ||
		    now - exited_at >= MDRIVER_PIPE_GRACE_MS))
			break;
		if (pid != -1) {
			w = waitpid(pid, &st, WNOHANG);
			if (w == pid) {
				oc->status = st;
				pid = -1;
				exited_at = now;
				kill(-w, SIGKILL);  /* leftovers of its group */
				if (pin[1] != -1) {
					close(pin[1]);
					pin[1] = -1;
				}
				continue;
			}
		}
		pfd[0].fd = pout[0];
		pfd[1].fd = perr_[0];
		pfd[2].fd = pin[1];
		pfd[0].events = pfd[1].events = POLLIN;
		pfd[2].events = POLLOUT;
		/* Once both outputs are closed, only exit is left to see. */
		if (poll(pfd, 3, pout[0] == -1 && perr_[0] == -1 ? 2 : 50) <= 0)
			continue;
		for (i = 0; i < 2; i++) {
			struct mbuf *b = i == 0 ? &oc->out : &oc->err;
			int *fdp = i == 0 ? &pout[0] : &perr_[0];

			if (*fdp == -1 || pfd[i].revents == 0)
				continue;
			k = read(*fdp, chunk, sizeof(chunk));
			if (k == -1 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (k <= 0) {
				close(*fdp);
				*fdp = -1;
				continue;
			}
			if (mbuf_add(b, chunk, (size_t)k) == -1)
				*(i == 0 ? &oc->out_cut : &oc->err_cut) = 1;
		}
		if (pin[1] != -1 && pfd[2].revents != 0) {
			k = write(pin[1], in->p + in_off, in->len - in_off);
			if (k > 0)
				in_off += (size_t)k;
			if ((k == -1 && errno != EAGAIN && errno != EINTR) ||
			    in_off == in->len) {
				/* done, or the client closed its stdin */
				close(pin[1]);
				pin[1] = -1;
			}
		}
	}
	rc = 0;
out:
	if (pid > 0) {
		kill(-pid, SIGKILL);
		oc->status = reap(pid, 0, 1);
	}
	for (i = 0; i < 2; i++) {
		if (pin[i] != -1)
			close(pin[i]);
		if (pout[i] != -1)
			close(pout[i]);
		if (perr_[i] != -1)
			close(perr_[i]);
		if (pexec[i] != -1)
			close(pexec[i]);
	}
	return rc;
}

/* start_server - fork the mock server on r->listen_fd. */
static int
start_server(struct run *r, int rec_fd, int st_fd, struct merr *e)
{
	struct mserver_opts o;
	int stop[2];
	pid_t pid;

	if (pipe2(stop, O_CLOEXEC) == -1)
		return merr_set(e, "pipe: %s", strerror(errno));
	pid = fork();
	if (pid == -1) {
		close(stop[0]);
		close(stop[1]);
		return merr_set(e, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		child_signals();
		close(stop[1]);
		/* A hard stop in case the driver dies. */
		alarm((unsigned)(r->s->timeout_s + 15));
		memset(&o, 0, sizeof(o));
		o.listen_fd = r->listen_fd;
		o.stop_fd = stop[0];
		o.record_fd = rec_fd;
		o.status_fd = st_fd;
		o.idle_ms = 60000;
		o.sub = &r->sub;
		_exit(mserver_run(&r->s->server, &o) == 0 ? 0 : 1);
	}
	close(stop[0]);
	r->stop_w = stop[1];
	r->server = pid;
	return 0;
}

/* ---- comparing --------------------------------------------------------- */

/* line_of - the 1-based line number and start of the line holding off. */
static size_t
line_of(const struct mbuf *b, size_t off, size_t *start)
{
	size_t i, line = 1;

	*start = 0;
	for (i = 0; i < off && i < b->len; i++) {
		if (b->p[i] == '\n') {
			line++;
			*start = i + 1;
		}
	}
	return line;
}

static void
show_line(const char *label, const struct mbuf *b, size_t off)
{
	struct mbuf o;
	size_t start, end, line = line_of(b, off, &start);
	const char *lf;

	mbuf_init(&o, 4096);
	if (start >= b->len) {
		fprintf(stderr, "  %s line %zu: (end of data)\n", label, line);
		mbuf_clear(&o);
		return;
	}
	lf = memchr(b->p + start, '\n', b->len - start);
	end = lf != NULL ? (size_t)(lf - b->p) + 1 : b->len;
	mtext_render((const unsigned char *)b->p + start, end - start, 300,
	    &o);
	fprintf(stderr, "  %s line %zu: \"%s\"\n", label, line, mbuf_str(&o));
	mbuf_clear(&o);
}

static void
show_all(const char *label, const struct mbuf *b)
{
	struct mbuf o;
	size_t i = 0, end, lines = 0;
	const char *lf;

	fprintf(stderr, "  --- %s (%zu bytes)\n", label, b->len);
	while (i < b->len && lines++ < 200) {
		lf = memchr(b->p + i, '\n', b->len - i);
		end = lf != NULL ? (size_t)(lf - b->p) + 1 : b->len;
		mbuf_init(&o, 4096);
		mtext_render((const unsigned char *)b->p + i, end - i, 300, &o);
		fprintf(stderr, "  | %s\n", mbuf_str(&o));
		mbuf_clear(&o);
		i = end;
	}
	if (i < b->len)
		fprintf(stderr, "  | ...\n");
}

/* compare - exact comparison of a section; 1 and an explanation if not. */
static int
compare(const char *what, const struct mbuf *exp, const struct mbuf *got)
{
	size_t i, n = exp->len < got->len ? exp->len : got->len, start;

	if (exp->len == got->len &&
	    (n == 0 || memcmp(exp->p, got->p, n) == 0))
		return 0;
	for (i = 0; i < n && exp->p[i] == got->p[i]; i++)
		continue;
	say("FAIL: %s: expected %zu bytes, got %zu bytes; first difference "
	    "at byte offset %zu (line %zu)", what, exp->len, got->len, i,
	    line_of(exp, i, &start));
	show_line("expected", exp, i);
	show_line("got     ", got, i);
	if (exp->len <= 4096 && got->len <= 4096) {
		show_all("expected", exp);
		show_all("got", got);
	}
	return 1;
}

/* contains - every line of d must occur in got; 1 if one does not. */
static int
contains(struct run *r, const char *what, const struct mscn_sect *d,
    const struct mbuf *got, struct merr *e)
{
	struct mbuf needle, o;
	size_t i;
	int bad = 0;

	for (i = 0; i < d->n; i++) {
		mbuf_init(&needle, MSCN_DATA_MAX);
		if (mtext_expand(d->lines[i].text, strlen(d->lines[i].text),
		    &r->sub, &needle, e) == -1) {
			mbuf_clear(&needle);
			return -1;
		}
		if (needle.len > 0 && (got->len < needle.len ||
		    memmem(got->p, got->len, needle.p, needle.len) == NULL)) {
			mbuf_init(&o, 4096);
			mtext_render((unsigned char *)needle.p, needle.len,
			    300, &o);
			say("FAIL: %s (line %d): \"%s\" not found", what,
			    d->lines[i].lineno, mbuf_str(&o));
			mbuf_clear(&o);
			bad = 1;
		}
		mbuf_clear(&needle);
	}
	if (bad && got->len <= 4096)
		show_all("got", got);
	return bad;
}

/*
 * printable - the %printable check of one stream: well-formed UTF-8
 * without control characters other than LF.  1 when it fails (said).
 */
static int
printable(const char *name, const struct mbuf *got)
{
	const unsigned char *p = (const unsigned char *)got->p;
	const char *why = "";
	size_t off, line = 1, start = 0, i;
	struct mbuf o;

	off = mtext_bad_text(p, got->len, &why);
	if (off == got->len)
		return 0;
	for (i = 0; i < off; i++) {
		if (p[i] == '\n') {
			line++;
			start = i + 1;
		}
	}
	mbuf_init(&o, 4096);
	mtext_render(p + start, got->len - start, 200, &o);
	say("FAIL: %%printable: %s byte offset %zu (line %zu) starts %s "
	    "(byte 0x%02x)", name, off, line, why, p[off]);
	fprintf(stderr, "  %s line %zu: \"%s\"\n", name, line, mbuf_str(&o));
	mbuf_clear(&o);
	return 1;
}

/* read_file - the whole content of path (at most out->max bytes). */
static int
read_file(const char *path, struct mbuf *out, struct merr *e)
{
	char chunk[65536];
	ssize_t k;
	int fd, rc = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return merr_set(e, "%s: %s", path, strerror(errno));
	while ((k = read(fd, chunk, sizeof(chunk))) != 0) {
		if (k == -1 && errno == EINTR)
			continue;
		if (k == -1 || mbuf_add(out, chunk, (size_t)k) == -1) {
			merr_set(e, "%s: cannot read it all", path);
			goto out;
		}
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

/*
 * expect_protocol - the expected bytes of %protocol.  Each %ANY line is
 * replaced by the received line at the same place (through its LF), so
 * that it matches exactly one line whatever it holds; when there is no
 * complete line there, by "%ANY\r\n", which cannot match.
 */
static int
expect_protocol(struct run *r, const struct mbuf *rec, struct mbuf *exp,
    struct merr *e)
{
	const struct mscn_sect *d = &r->s->proto;
	struct mscn_sect part;
	const char *lf;
	size_t i, j, n;

	for (i = 0; i < d->n; i = j) {
		for (j = i; j < d->n && d->lines[j].repeat != MSCN_LINE_ANY;
		    j++)
			continue;
		if (j > i) {
			part = *d;
			part.lines = d->lines + i;
			part.n = j - i;
			if (mscn_expand(r->s, &part, "\r\n", 0, &r->sub, exp,
			    e) == -1)
				return -1;
		}
		if (j == d->n)
			break;
		/* d->lines[j] is %ANY */
		j++;
		lf = exp->len < rec->len ? memchr(rec->p + exp->len, '\n',
		    rec->len - exp->len) : NULL;
		if (lf != NULL) {
			n = (size_t)(lf - rec->p) + 1 - exp->len;
			if (mbuf_add(exp, rec->p + exp->len, n) == 0)
				continue;
		} else if (mbuf_adds(exp, "%ANY\r\n") == 0) {
			continue;
		}
		return merr_set(e, "%s: %%protocol expands to more than %zu "
		    "bytes", r->s->path, exp->max);
	}
	return 0;
}

/* check - compare everything; MDRIVER_PASS / _FAIL / _ERROR. */
static int
check(struct run *r, struct merr *e)
{
	const struct mscn *s = r->s;
	struct outcome *oc = &r->oc;
	struct mbuf rec, stat, exp;
	char path[PATH_MAX];
	long conns = 0;
	size_t i;
	int fail = 0, rc = MDRIVER_ERROR;

	mbuf_init(&rec, MSERVER_RECORD_MAX);
	mbuf_init(&stat, 1024 * 1024);
	mbuf_init(&exp, MSCN_DATA_MAX);
	if (path_join(path, sizeof(path), r->base, "record", e) == -1 ||
	    read_file(path, &rec, e) == -1 ||
	    path_join(path, sizeof(path), r->base, "status", e) == -1 ||
	    read_file(path, &stat, e) == -1)
		goto out;
	for (i = 0; i < stat.len; i++) {
		if (stat.p[i] == 'C') {
			conns++;
		} else if (stat.p[i] == 'E') {
			const char *nl = memchr(stat.p + i, '\n',
			    stat.len - i);
			size_t end = nl ? (size_t)(nl - stat.p) : stat.len;

			say("FAIL: server: %.*s", (int)(end - i - 1),
			    stat.p + i + 1);
			fail = 1;
			i = end;
		}
	}
	if (oc->timed_out) {
		say("FAIL: the client did not finish within %ld s (%%timeout); "
		    "killed", s->timeout_s);
		fail = 1;
	} else if (WIFSIGNALED(oc->status)) {
		say("FAIL: %%exit: expected %ld, the client was killed by "
		    "signal %d%s", s->exit_code, WTERMSIG(oc->status),
		    WCOREDUMP(oc->status) ? " (core dumped)" : "");
		fail = 1;
	} else if (WEXITSTATUS(oc->status) != s->exit_code) {
		say("FAIL: %%exit: expected %ld, got %d", s->exit_code,
		    WEXITSTATUS(oc->status));
		fail = 1;
	}
	if (oc->out_cut || oc->err_cut) {
		say("FAIL: the client wrote more than %ld bytes to %s",
		    MDRIVER_OUTPUT_MAX, oc->out_cut ? "stdout" : "stderr");
		fail = 1;
	}
	if (s->proto.present) {
		if (expect_protocol(r, &rec, &exp, e) == -1)
			goto out;
		fail |= compare("%protocol (bytes received by the server)",
		    &exp, &rec);
		mbuf_clear(&exp);
	}
	if (s->out.present) {
		if (mscn_expand(s, &s->out, "\n", 0, &r->sub, &exp, e) == -1)
			goto out;
		fail |= compare("%stdout", &exp, &oc->out);
		mbuf_clear(&exp);
	}
	if (s->err.present) {
		if (mscn_expand(s, &s->err, "\n", 0, &r->sub, &exp, e) == -1)
			goto out;
		fail |= compare("%stderr", &exp, &oc->err);
		mbuf_clear(&exp);
	}
	if (s->out_has.present) {
		int k = contains(r, "%stdout-contains", &s->out_has, &oc->out, e);

		if (k == -1)
			goto out;
		fail |= k;
	}
	if (s->err_has.present) {
		int k = contains(r, "%stderr-contains", &s->err_has, &oc->err, e);

		if (k == -1)
			goto out;
		fail |= k;
	}
	for (i = 0; i < s->printable.n; i++)
		fail |= strcmp(s->printable.lines[i].text, "stdout") == 0 ?
		    printable("stdout", &oc->out) :
		    printable("stderr", &oc->err);
	if (s->has_connections && conns != s->connections) {
		say("FAIL: %%connections: expected %ld, got %ld",
		    s->connections, conns);
		fail = 1;
	}
	if (fail && !s->err.present && !s->err_has.present &&
	    oc->err.len > 0) {
		fprintf(stderr, "  (the client's stderr, for reference)\n");
		show_all("client stderr", &oc->err);
	}
	rc = fail ? MDRIVER_FAIL : MDRIVER_PASS;
out:
	mbuf_clear(&rec);
	mbuf_clear(&stat);
	mbuf_clear(&exp);
	return rc;
}

/* ---- setting up -------------------------------------------------------- */

/* write_files - the %file sections, under %TMP, mode 0600 or as given. */
static int
write_files(struct run *r, struct merr *e)
{
	const struct mscn *s = r->s;
	char path[PATH_MAX], *slash;
	struct mbuf body;
	size_t i;
	int fd, rc = -1;

	mbuf_init(&body, MSCN_DATA_MAX);
	for (i = 0; i < s->nfiles; i++) {
		if (path_join(path, sizeof(path), r->tmp, s->files[i].name,
		    e) == -1)
			goto out;
		/* mkdir -p the parents, below %TMP only */
		for (slash = path + strlen(r->tmp) + 1;
		    (slash = strchr(slash, '/')) != NULL; slash++) {
			*slash = '\0';
			if (mkdir(path, 0700) == -1 && errno != EEXIST) {
				merr_set(e, "mkdir %s: %s", path,
				    strerror(errno));
				goto out;
			}
			*slash = '/';
		}
		mbuf_clear(&body);
		if (mscn_expand(s, &s->files[i].body, "\n", 0, &r->sub,
		    &body, e) == -1)
			goto out;
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		    0600);
		if (fd == -1 || fchmod(fd, (mode_t)s->files[i].mode) == -1 ||
		    mio_write_all(fd, body.p, body.len, 10000) == -1 ||
		    close(fd) == -1) {
			merr_set(e, "%s: %s", path, strerror(errno));
			if (fd != -1)
				close(fd);
			goto out;
		}
	}
	rc = 0;
out:
	mbuf_clear(&body);
	return rc;
}

static int
make_dirs(struct run *r, struct merr *e)
{
	const char *t = getenv("TMPDIR");
	int n;

	if (t == NULL || *t == '\0')
		t = "/tmp";
	n = snprintf(r->base, sizeof(r->base), "%s/smtpmock.XXXXXX", t);
	if (n < 0 || (size_t)n >= sizeof(r->base)) {
		r->base[0] = '\0';
		return merr_set(e, "TMPDIR too long");
	}
	if (mkdtemp(r->base) == NULL) {
		merr_set(e, "mkdtemp %s: %s", r->base, strerror(errno));
		r->base[0] = '\0';
		return -1;
	}
	if (path_join(r->tmp, sizeof(r->tmp), r->base, "tmp", e) == -1)
		return -1;
	if (mkdir(r->tmp, 0700) == -1)
		return merr_set(e, "mkdir %s: %s", r->tmp, strerror(errno));
	return 0;
}

/* open_new - create base/name for the server's record or status. */
static int
open_new(struct run *r, const char *name, struct merr *e)
{
	char path[PATH_MAX];
	int fd;

	if (path_join(path, sizeof(path), r->base, name, e) == -1)
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC,
	    0600);
	if (fd == -1)
		return merr_set(e, "%s: %s", path, strerror(errno));
	return fd;
}

/*
 * The words the client gets before those of %args, unless the scenario
 * has %no-default-args; never with --client - (self-tests, where the first
 * word of %args is the program).  Without them smtpsend would add a Date,
 * a Message-ID and a From header with the moment, a random number and the
 * user's name, so that %protocol could not be exact.
 */
static const char *const default_args[] = {
	"--set-date-header=off",
	"--set-msgid-header=off",
	"--set-from-header=off",
};
#define NDEFAULT_ARGS (sizeof(default_args) / sizeof(default_args[0]))

static int
build_argv(struct run *r, struct merr *e)
{
	const struct mscn_sect *d = &r->s->args;
	struct mbuf joined;
	char **words = NULL;
	size_t n = 0, i, ndef = 0, k;
	int rc = -1;

	mbuf_init(&joined, MSCN_FILE_MAX);
	for (i = 0; i < d->n; i++) {
		if (mbuf_adds(&joined, d->lines[i].text) == -1 ||
		    mbuf_addc(&joined, '\n') == -1) {
			merr_set(e, "%%args too long");
			goto out;
		}
	}
	if (mtext_words(mbuf_str(&joined), &r->sub, &words, &n, e) == -1)
		goto out;
	if (r->client == NULL) {
		if (n == 0) {
			merr_set(e, "%s: with --client -, %%args must start "
			    "with the program", r->s->path);
			goto out;
		}
		r->argv = words;
		words = NULL;
	} else {
		if (!r->s->no_default_args.present)
			ndef = NDEFAULT_ARGS;
		r->argv = calloc(ndef + n + 2, sizeof(*r->argv));
		if (r->argv == NULL)
			merr_oom();
		if (r->s->argv0 != NULL) {
			/* run the client through %TMP/NAME -> client, so
			 * that it sees itself invoked as NAME */
			char link[PATH_MAX];

			if (path_join(link, sizeof(link), r->tmp, r->s->argv0,
			    e) == -1)
				goto out;
			if (symlink(r->client, link) == -1) {
				merr_set(e, "symlink %s: %s", link,
				    strerror(errno));
				goto out;
			}
			r->argv[0] = strdup(link);
		} else {
			r->argv[0] = strdup(r->client);
		}
		if (r->argv[0] == NULL)
			merr_oom();
		for (k = 0; k < ndef; k++)
			if ((r->argv[k + 1] = strdup(default_args[k])) == NULL)
				merr_oom();
		for (i = 0; i < n; i++)
			r->argv[ndef + i + 1] = words[i];
		free(words);
		words = NULL;
	}
	rc = 0;
out:
	mtext_words_free(words);
	mbuf_clear(&joined);
	return rc;
}

/*
 * print_argv - the argument vector on stdout, one word a line, "N: WORD",
 * in the printable form of failure reports.  The values that change from
 * run to run are written as their placeholders: the directory %TMP, and
 * the port (a run of digits equal to it) as %PORT; so two runs of one
 * scenario print the same text.
 */
static void
print_argv(const struct run *r)
{
	size_t tl = strlen(r->tmp), pl = strlen(r->port), i;
	struct mbuf plain, shown;
	const char *w, *p;
	int ok;

	for (i = 0; r->argv[i] != NULL; i++) {
		w = r->argv[i];
		mbuf_init(&plain, MSCN_DATA_MAX);
		mbuf_init(&shown, 4 * MSCN_DATA_MAX);
		ok = 0;
		for (p = w; *p != '\0' && ok == 0; ) {
			if (strncmp(p, r->tmp, tl) == 0) {
				ok = mbuf_adds(&plain, "%TMP");
				p += tl;
			} else if (strncmp(p, r->port, pl) == 0 &&
			    (p == w || !isdigit((unsigned char)p[-1])) &&
			    !isdigit((unsigned char)p[pl])) {
				ok = mbuf_adds(&plain, "%PORT");
				p += pl;
			} else {
				ok = mbuf_addc(&plain, *p++);
			}
		}
		if (ok == -1)
			merr_oom();	/* a word is far below the limit */
		mtext_render((const unsigned char *)mbuf_str(&plain),
		    plain.len, plain.len, &shown);
		printf("%zu: %s\n", i, mbuf_str(&shown));
		mbuf_clear(&plain);
		mbuf_clear(&shown);
	}
	fflush(stdout);
}

/*
 * listen_unix - listen-unix NAME: the server listens on %TMP/NAME instead
 * of TCP.  The TCP socket is closed (%PORT stays its number: a port
 * nothing listens on).
 */
static int
listen_unix(struct run *r, struct merr *e)
{
	char path[4096];
	int fd;

	if (path_join(path, sizeof(path), r->tmp, r->s->server.listen_unix,
	    e) == -1)
		return -1;
	fd = mserver_listen_unix(path, e);
	if (fd == -1)
		return -1;
	close(r->listen_fd);
	r->listen_fd = fd;
	return 0;
}

int
mdriver_run(const struct mscn *s, const char *client, const char *self,
    int flags)
{
	struct run r;
	struct merr e;
	struct mbuf in;
	struct sigaction sa;
	int rec_fd = -1, st_fd = -1, port, rc = MDRIVER_ERROR, k;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.s = s;
	r.listen_fd = -1;
	r.stop_w = -1;
	r.server = -1;
	mbuf_init(&r.oc.out, MDRIVER_OUTPUT_MAX);
	mbuf_init(&r.oc.err, MDRIVER_OUTPUT_MAX);
	mbuf_init(&in, MSCN_DATA_MAX);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (client != NULL) {
		if (strchr(client, '/') != NULL) {
			r.client = realpath(client, NULL);
			if (r.client == NULL) {
				merr_set(&e, "client program %s: %s", client,
				    strerror(errno));
				goto out;
			}
		} else if ((r.client = strdup(client)) == NULL) {
			merr_oom();
		}
	}
	if (make_dirs(&r, &e) == -1)
		goto out;
	r.listen_fd = mserver_listen(&port, &e);
	if (r.listen_fd == -1)
		goto out;
	k = snprintf(r.port, sizeof(r.port), "%d", port);
	if (k < 0 || (size_t)k >= sizeof(r.port))
		goto out;
	if (s->server.listen_unix != NULL && listen_unix(&r, &e) == -1)
		goto out;
	r.sub.port = r.port;
	r.sub.host = "127.0.0.1";
	r.sub.srcdir = s->srcdir;
	r.sub.tmp = r.tmp;
	r.sub.client = r.client != NULL ? r.client : "";
	r.sub.smtpmock = self;
	r.sub.certs = getenv("SMTPMOCK_CERTS");
	if (r.sub.certs != NULL && *r.sub.certs == '\0')
		r.sub.certs = NULL;
	if (flags & MDRIVER_PRINT_ARGV) {
		if (build_argv(&r, &e) == -1)
			goto out;
		print_argv(&r);
		rc = MDRIVER_PASS;
		goto out;
	}
	if (r.sub.certs == NULL && mscn_uses(s, "%CERTS")) {
		fprintf(stderr, "SKIP %s: it uses %%CERTS but SMTPMOCK_CERTS "
		    "is not set (make check generates the certificates; "
		    "certtool from gnutls-bin is needed)\n", s->path);
		rc = MDRIVER_SKIP;
		goto out;
	}
	if (build_env(&r, &e) == -1)
		goto out;
	k = skip_check(&r, &e);
	if (k == -1)
		goto out;
	if (k == 1) {
		rc = MDRIVER_SKIP;
		goto out;
	}
	if (build_argv(&r, &e) == -1 || write_files(&r, &e) == -1 ||
	    (s->in.present && mscn_expand(s, &s->in, "\n", s->in_noeol, NULL,
	    &in, &e) == -1))
		goto out;
	if ((rec_fd = open_new(&r, "record", &e)) == -1 ||
	    (st_fd = open_new(&r, "status", &e)) == -1 ||
	    start_server(&r, rec_fd, st_fd, &e) == -1)
		goto out;
	close(r.listen_fd);
	r.listen_fd = -1;
	if (run_client(&r, &in, &e) == -1)
		goto out;
	/* Tell the server the client is done; let it read the rest. */
	close(r.stop_w);
	r.stop_w = -1;
	reap(r.server, MDRIVER_SERVER_GRACE_MS, 0);
	r.server = -1;
	rc = check(&r, &e);
	if (rc == MDRIVER_PASS || rc == MDRIVER_FAIL)
		fprintf(stderr, "%s %s: %s\n", rc ? "FAIL" : "PASS", s->path,
		    s->desc);
out:
	if (rc == MDRIVER_ERROR)
		fprintf(stderr, "smtpmock: ERROR: %s\n", e.msg);
	if (r.stop_w != -1)
		close(r.stop_w);
	if (r.server > 0) {
		kill(r.server, SIGKILL);
		reap(r.server, 0, 0);
	}
	if (r.listen_fd != -1)
		close(r.listen_fd);
	if (rec_fd != -1)
		close(rec_fd);
	if (st_fd != -1)
		close(st_fd);
	if (r.base[0] != '\0') {
		const char *keep = getenv("SMTPMOCK_KEEP");

		if (keep != NULL && *keep != '\0')
			fprintf(stderr, "smtpmock: kept %s\n", r.base);
		else if (mio_rmtree(r.base) == -1)
			fprintf(stderr, "smtpmock: warning: cannot remove "
			    "%s\n", r.base);
	}
	mtext_words_free(r.argv);
	for (i = 0; i < r.nenv; i++)
		free(r.envp[i]);
	free(r.envp);
	free(r.client);
	mbuf_clear(&r.oc.out);
	mbuf_clear(&r.oc.err);
	mbuf_clear(&in);
	return rc;
}
