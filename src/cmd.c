/*
 * cmd.c - running a user's command and reading its first line (see
 * cmd.h).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "gettext.h"
#include "sig.h"
#include "util.h"
#include "xalloc.h"

/* child - in the new process: stdin /dev/null, stdout the pipe, no other
 * descriptor of ours, default signal handling, a process group of its own
 * when asked; then the shell. */
static void
child(const char *cmd, int out, bool group)
{
	sigset_t none;
	int null = open("/dev/null", O_RDONLY);

	if (group)
		setpgid(0, 0);
	if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0)
		_exit(127);
	util_close_from(3);
	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

/*
 * own_group - whether the command gets a process group of its own, so
 * that stopping it stops what it started too.  Not with a terminal: a
 * command that asks for a passphrase there must stay in the foreground
 * (and Ctrl-C reaches the whole group anyway).
 */
static bool
own_group(void)
{
	int tty = open("/dev/tty", O_RDONLY | O_NOCTTY | O_CLOEXEC);

	if (tty < 0)
		return true;
	close(tty);
	return false;
}

/*
 * reap - wait for pid until the deadline (ms of util_now_ms); past it,
 * or when stop is set, it is killed first (its group with group).
 * Returns the wait status, or -1 when it had to be killed for the
 * deadline.
 */
static int
reap(pid_t pid, bool group, long long deadline, bool stop)
{
	struct timespec tick = { 0, 5 * 1000 * 1000 };
	pid_t target = group ? -pid : pid;
	int status = 0;
	pid_t r;

	if (stop)
		kill(target, SIGTERM);
	for (;;) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			break;
		if (util_now_ms() >= deadline) {
			kill(target, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			status = -1;
			break;
		}
		nanosleep(&tick, NULL);
	}
	if (group)
		kill(target, SIGKILL);  /* whatever it left running */
	sig_watch_child(0, false);
	return stop ? 0 : status;
}

/*
 * drain - read the pipe into out until the end, max bytes or the
 * deadline.  Returns 1 at the end of the output, 0 when max was reached,
 * -1 at the deadline, -2 on a read error.
 */
static int
drain(int fd, size_t max, long long deadline, struct buf *out)
{
	char chunk[4096];
	struct pollfd pfd = { fd, POLLIN, 0 };
	int ret;

	for (;;) {
		long long left = deadline - util_now_ms();
		size_t want = max - out->len;
		ssize_t n;

		if (want == 0) {
			ret = 0;
			break;
		}
		if (left <= 0) {
			ret = -1;
			break;
		}
		if (poll(&pfd, 1, (int)(left > 60000 ? 60000 : left)) <= 0)
			continue;       /* EINTR, or look at the clock */
		if (want > sizeof(chunk))
			want = sizeof(chunk);
		n = read(fd, chunk, want);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			ret = n == 0 ? 1 : -2;
			break;
		}
		if (buf_append(out, chunk, (size_t)n) < 0) {
			ret = 0;        /* out is smaller than max */
			break;
		}
	}
	secure_zero(chunk, sizeof(chunk));
	return ret;
}

/* status_err - err for a command that did not end well, or 0. */
static int
status_err(int status, int timeout_ms, enum err_class cls, bool temp,
	   struct err *err)
{
	if (status == -1) {
		err_set(err, cls, temp, _("command did not finish within %d s"),
			(timeout_ms + 999) / 1000);
		return -1;
	}
	if (WIFSIGNALED(status)) {
		err_set(err, cls, temp, _("command killed by signal %d"),
			WTERMSIG(status));
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		err_set(err, cls, temp, _("command failed (exit status 127: "
					  "command not found)"));
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		err_set(err, cls, temp, _("command failed (exit status %d)"),
			WEXITSTATUS(status));
		return -1;
	}
	return 0;
}

int
cmd_first_line(const char *cmd, size_t max, int timeout_ms,
	       enum err_class cls, bool temp, struct buf *out,
	       struct err *err)
{
	int pfd[2], got, status;
	bool group = own_group();
	long long deadline;
	const char *nl;
	size_t len;
	pid_t pid;

	if (timeout_ms <= 0)
		timeout_ms = CMD_TIMEOUT_MS;
	buf_reset(out);
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		err_set_errno(err, cls, temp, errno, _("cannot run a command"));
		return -1;
	}
	deadline = util_now_ms() + timeout_ms;
	pid = fork();
	if (pid == 0)
		child(cmd, pfd[1], group);
	close(pfd[1]);
	if (pid < 0) {
		close(pfd[0]);
		err_set_errno(err, cls, temp, errno, _("cannot run /bin/sh"));
		return -1;
	}
	if (group)
		setpgid(pid, pid);      /* the child does it too: no race */
	sig_watch_child(pid, group);
	got = drain(pfd[0], max, deadline, out);
	close(pfd[0]);
	/* stopped reading early: its status says nothing about the line */
	status = reap(pid, group, got == 1 ? deadline : util_now_ms() + 1000,
		      got != 1);
	if (got == -1)
		status = -1;
	if (got != 0 && status_err(status, timeout_ms, cls, temp, err) < 0)
		return -1;
	if (got == -2) {
		err_set(err, cls, temp, _("cannot read the command's output"));
		return -1;
	}
	nl = memchr(buf_str(out), '\n', out->len);
	if (nl == NULL && got == 0) {
		err_set(err, cls, temp, _("the first line of the output is "
					  "longer than %zu bytes"), max);
		return -1;
	}
	len = nl ? (size_t)(nl - buf_str(out)) : out->len;
	if (len > 0 && out->p[len - 1] == '\r')
		len--;
	buf_truncate(out, len);
	return 0;
}
