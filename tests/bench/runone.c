/*
 * runone.c - run one command and print its wall time and peak RSS, for
 * tests/bench/pair.py.
 *
 *   runone STDIN COMMAND [ARG...]
 *
 * COMMAND runs with STDIN as its standard input, /dev/null as its standard
 * output and runone's standard error as its own; runone then prints "NANOSECONDS MAXRSS_KIB EXIT CPU_NANOSECONDS"
 * on its own standard output (EXIT is 128 + the signal number for a
 * signal; CPU is user + system time of the command and of the children
 * it waited for).  It
 * exists because a process started from a big one (python3) with vfork
 * inherits the parent's peak RSS at exec: from this small process the
 * peak RSS is the command's own (plus runone's ~1 MiB before the exec).
 * Exit 0, or 2 when the command cannot be run.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int
main(int argc, char **argv)
{
	struct rusage ru;
	long long t0, t1, cpu;
	pid_t pid;
	int in, out, status, code;

	if (argc < 3) {
		fputs("usage: runone STDIN COMMAND [ARG...]\n", stderr);
		return 2;
	}
	if ((in = open(argv[1], O_RDONLY)) == -1 ||
	    (out = open("/dev/null", O_WRONLY)) == -1) {
		perror(argv[1]);
		return 2;
	}
	t0 = now_ns();
	pid = fork();
	if (pid == 0) {
		if (dup2(in, 0) == -1 || dup2(out, 1) == -1)
			_exit(126);
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	if (pid == -1 || wait4(pid, &status, 0, &ru) != pid) {
		perror("runone");
		return 2;
	}
	t1 = now_ns();
	code = WIFEXITED(status) ? WEXITSTATUS(status) :
	    128 + WTERMSIG(status);
	cpu = ((long long)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) *
	    1000000000LL + ((long long)ru.ru_utime.tv_usec +
	    ru.ru_stime.tv_usec) * 1000LL;
	printf("%lld %ld %d %lld\n", t1 - t0, ru.ru_maxrss, code, cpu);
	return 0;
}
