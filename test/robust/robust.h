/* Helpers of the robustness tests (test/robust, docs/testing.md
 * "Robustness"): static musl programs run as /init on tern (and, where
 * Linux defines the outcome and the run cannot hurt the host, on the
 * host too, compared line by line as the contract tests are). */
#ifndef ROBUST_H
#define ROBUST_H

#include "../contract/contract.h"
#include <sys/sysinfo.h>
#include <time.h>

/* Free memory as the guest sees it: sysinfo's freeram (on tern the
 * kernel's free frames, TERN_DEBUG_QUERY_MEMORY), in KiB. */
/* Fill a pipe through its write end fd without blocking: 4 KiB pieces,
 * then single bytes up to the last one that fits; returns the bytes put
 * in (its capacity when it was empty). */
static inline long robust_fill_pipe(int fd)
{
	static char buf[4096];
	long n = 0, r;
	int fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	while ((r = write(fd, buf, sizeof(buf))) > 0)
		n += r;
	while ((r = write(fd, buf, 1)) > 0)
		n += r;
	fcntl(fd, F_SETFL, fl);
	return n;
}

static inline unsigned long robust_free_kib(void)
{
	struct sysinfo si;
	if (sysinfo(&si))
		return 0;
	return (unsigned long)(si.freeram * si.mem_unit / 1024);
}

/* /proc/meminfo's MemFree in KiB, 0 when there is none. */
static inline unsigned long robust_memfree_kib(void)
{
	char buf[512];
	int fd = open("/proc/meminfo", O_RDONLY);
	if (fd < 0)
		return 0;
	long n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	char *s = strstr(buf, "MemFree:");
	return s ? strtoul(s + 8, NULL, 10) : 0;
}

static inline long robust_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline void robust_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Reap every child: how many, until ECHILD. */
static inline int robust_reap_all(void)
{
	int n = 0, st;
	while (waitpid(-1, &st, 0) > 0 || errno == EINTR)
		n++;
	return n;
}

/* A normal program still runs: fork, exec `path` (argv { path, arg }),
 * exit 0. 1 when it did. */
static inline int robust_runs(const char *path, const char *arg)
{
	pid_t pid = fork();
	if (pid < 0)
		return 0;
	if (pid == 0) {
		char *argv[] = { (char *)path, (char *)arg, NULL };
		char *envp[] = { NULL };
		execve(path, argv, envp);
		_exit(127);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return 0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

#endif
