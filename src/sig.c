/*
 * sig.c - cleaning up on a fatal signal (see sig.h).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sig.h"

static volatile sig_atomic_t child;
static volatile sig_atomic_t child_group;
static volatile sig_atomic_t file_dirfd = -1;
static char file_name[128];

static const int fatal[] = { SIGTERM, SIGINT, SIGHUP };

/* stop_child - SIGTERM (to its group when it leads one), up to a second
 * to go, then SIGKILL; reaped. */
static void
stop_child(pid_t pid, bool group)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int i;

	kill(group ? -pid : pid, SIGTERM);
	for (i = 0; i < 100; i++) {
		if (waitpid(pid, NULL, WNOHANG) != 0)
			return;
		nanosleep(&tick, NULL);
	}
	kill(group ? -pid : pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

static void
on_fatal(int sig)
{
	int saved = errno;
	pid_t pid = (pid_t)child;

	if (pid > 0)
		stop_child(pid, child_group != 0);
	if (file_dirfd >= 0)
		unlinkat(file_dirfd, file_name, 0);
	errno = saved;
	signal(sig, SIG_DFL);
	raise(sig);
}

void
sig_init(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		sigaddset(&sa.sa_mask, fatal[i]);
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++) {
		struct sigaction old;

		/* a signal ignored by whoever started us stays ignored
		 * (nohup) */
		if (sigaction(fatal[i], NULL, &old) == 0
		    && old.sa_handler == SIG_IGN)
			continue;
		sigaction(fatal[i], &sa, NULL);
	}
}

/* block / unblock - keep the handler out while the watch changes. */
static void
block(sigset_t *old)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		sigaddset(&set, fatal[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

void
sig_watch_child(pid_t pid, bool group)
{
	sigset_t old;

	block(&old);
	child = pid;
	child_group = group;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

void
sig_watch_file(int dirfd, const char *name)
{
	sigset_t old;

	block(&old);
	file_dirfd = -1;
	if (dirfd >= 0 && name != NULL && strlen(name) < sizeof(file_name)) {
		memcpy(file_name, name, strlen(name) + 1);
		file_dirfd = dirfd;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}
