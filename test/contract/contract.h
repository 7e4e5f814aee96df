/* Contract tests: small static Linux programs that run on the host, on
 * Debian's Linux and on tern as /init, whose outputs must be identical
 * (scripts/contract_run.py compares them). Each check prints one line
 * naming the call and what it returned (an errno by name), so the
 * comparison shows any difference, and is also checked against what
 * Linux gives: a mismatch prints FAIL. Nothing printed may differ
 * legitimately between the runs (no pids, addresses, times or inode
 * numbers). The last line is "CONTRACT <name>: ok" when every check held.
 * Paths are relative: the program runs in / in the guest and in a
 * temporary folder holding the same files on the host. */
#ifndef CONTRACT_H
#define CONTRACT_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *contract_name;
static int contract_failures;

static inline const char *errno_name(int e)
{
	static const char *const names[] = {
		[0] = "0",
		[EPERM] = "EPERM",
		[ENOENT] = "ENOENT",
		[ESRCH] = "ESRCH",
		[EINTR] = "EINTR",
		[EIO] = "EIO",
		[ENXIO] = "ENXIO",
		[E2BIG] = "E2BIG",
		[ENOEXEC] = "ENOEXEC",
		[EBADF] = "EBADF",
		[ECHILD] = "ECHILD",
		[EAGAIN] = "EAGAIN",
		[ENOMEM] = "ENOMEM",
		[EACCES] = "EACCES",
		[EFAULT] = "EFAULT",
		[EBUSY] = "EBUSY",
		[EEXIST] = "EEXIST",
		[EXDEV] = "EXDEV",
		[ENODEV] = "ENODEV",
		[ENOTDIR] = "ENOTDIR",
		[EISDIR] = "EISDIR",
		[EINVAL] = "EINVAL",
		[ENFILE] = "ENFILE",
		[EMFILE] = "EMFILE",
		[ENOTTY] = "ENOTTY",
		[ETXTBSY] = "ETXTBSY",
		[EFBIG] = "EFBIG",
		[ENOSPC] = "ENOSPC",
		[ESPIPE] = "ESPIPE",
		[EROFS] = "EROFS",
		[EMLINK] = "EMLINK",
		[EPIPE] = "EPIPE",
		[EDOM] = "EDOM",
		[ERANGE] = "ERANGE",
		[ENAMETOOLONG] = "ENAMETOOLONG",
		[ENOSYS] = "ENOSYS",
		[ENOTEMPTY] = "ENOTEMPTY",
		[ELOOP] = "ELOOP",
		[ELIBBAD] = "ELIBBAD",
		[EOVERFLOW] = "EOVERFLOW",
		[EOPNOTSUPP] = "EOPNOTSUPP",
		[ETIMEDOUT] = "ETIMEDOUT",
		[EDEADLK] = "EDEADLK",
	};
	static char buf[16];
	if (e >= 0 && e < (int)(sizeof(names) / sizeof(names[0])) && names[e])
		return names[e];
	snprintf(buf, sizeof(buf), "errno%d", e);
	return buf;
}

static inline void contract_begin(const char *name)
{
	/* Line by line, so a run that dies shows how far it got. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	contract_name = name;
}

static inline int contract_end(void)
{
	if (contract_failures)
		printf("CONTRACT %s: FAIL (%d)\n", contract_name, contract_failures);
	else
		printf("CONTRACT %s: ok\n", contract_name);
	return contract_failures ? 1 : 0;
}

static inline void contract_fail(int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("FAIL line %d: ", line);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	contract_failures++;
}

/* A call that must fail with errno `want` (its result -1). */
static inline long expect_err(int line, const char *what, long r, int err, int want)
{
	if (r != -1) {
		printf("%s = %ld\n", what, r);
		contract_fail(line, "%s: want -1 %s", what, errno_name(want));
	} else {
		printf("%s = -1 %s\n", what, errno_name(err));
		if (err != want)
			contract_fail(line, "%s: want %s", what, errno_name(want));
	}
	return r;
}

/* A call that must return exactly `want`. */
static inline long expect_val(int line, const char *what, long r, int err, long want)
{
	if (r == -1)
		printf("%s = -1 %s\n", what, errno_name(err));
	else
		printf("%s = %ld\n", what, r);
	if (r != want)
		contract_fail(line, "%s: want %ld", what, want);
	return r;
}

/* A call that must succeed; its value is not printed (an fd, an address). */
static inline long expect_ok(int line, const char *what, long r, int err)
{
	if (r == -1) {
		printf("%s = -1 %s\n", what, errno_name(err));
		contract_fail(line, "%s: want success", what);
	} else {
		printf("%s: ok\n", what);
	}
	return r;
}

#define ERR(expr, want)                                       \
	({                                                    \
		errno = 0;                                    \
		long r_ = (long)(expr);                       \
		expect_err(__LINE__, #expr, r_, errno, want); \
	})
#define VAL(expr, want)                                               \
	({                                                            \
		errno = 0;                                            \
		long r_ = (long)(expr);                               \
		expect_val(__LINE__, #expr, r_, errno, (long)(want)); \
	})
#define OK(expr)                                       \
	({                                             \
		errno = 0;                             \
		long r_ = (long)(expr);                \
		expect_ok(__LINE__, #expr, r_, errno); \
	})
/* A condition, printed with its outcome. */
#define TRUE(cond)                                            \
	do {                                                  \
		int c_ = !!(cond);                            \
		printf("%s: %s\n", #cond, c_ ? "yes" : "no"); \
		if (!c_)                                      \
			contract_fail(__LINE__, "%s", #cond); \
	} while (0)

/* A signal by name ("SIGTERM"; "signal37" for the real-time ones). */
static inline const char *sig_name(int s)
{
	static const char *const names[] = {
		[0] = "0",
		[SIGHUP] = "SIGHUP",
		[SIGINT] = "SIGINT",
		[SIGQUIT] = "SIGQUIT",
		[SIGILL] = "SIGILL",
		[SIGTRAP] = "SIGTRAP",
		[SIGABRT] = "SIGABRT",
		[SIGBUS] = "SIGBUS",
		[SIGFPE] = "SIGFPE",
		[SIGKILL] = "SIGKILL",
		[SIGUSR1] = "SIGUSR1",
		[SIGSEGV] = "SIGSEGV",
		[SIGUSR2] = "SIGUSR2",
		[SIGPIPE] = "SIGPIPE",
		[SIGALRM] = "SIGALRM",
		[SIGTERM] = "SIGTERM",
		[SIGSTKFLT] = "SIGSTKFLT",
		[SIGCHLD] = "SIGCHLD",
		[SIGCONT] = "SIGCONT",
		[SIGSTOP] = "SIGSTOP",
		[SIGTSTP] = "SIGTSTP",
		[SIGTTIN] = "SIGTTIN",
		[SIGTTOU] = "SIGTTOU",
		[SIGURG] = "SIGURG",
		[SIGXCPU] = "SIGXCPU",
		[SIGXFSZ] = "SIGXFSZ",
		[SIGVTALRM] = "SIGVTALRM",
		[SIGPROF] = "SIGPROF",
		[SIGWINCH] = "SIGWINCH",
		[SIGIO] = "SIGIO",
		[SIGPWR] = "SIGPWR",
		[SIGSYS] = "SIGSYS",
	};
	static char buf[24];
	if (s > 0 && s < (int)(sizeof(names) / sizeof(names[0])) && names[s])
		return names[s];
	snprintf(buf, sizeof(buf), "signal%d", s); /* real-time: libc's SIGRTMIN varies */
	return buf;
}

/* A wait status word as Linux makes it, in words: "exited 3", "killed
 * SIGTERM", "killed SIGSEGV, core dumped", "stopped SIGSTOP",
 * "continued", with the word itself. */
static inline const char *status_str(int st)
{
	static char buf[64];
	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "0x%04x: exited %d", st, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "0x%04x: killed %s%s", st, sig_name(WTERMSIG(st)),
			 WCOREDUMP(st) ? ", core dumped" : "");
	else if (WIFSTOPPED(st))
		snprintf(buf, sizeof(buf), "0x%04x: stopped %s", st, sig_name(WSTOPSIG(st)));
	else if (WIFCONTINUED(st))
		snprintf(buf, sizeof(buf), "0x%04x: continued", st);
	else
		snprintf(buf, sizeof(buf), "0x%04x: ?", st);
	return buf;
}

/* waitpid(pid, options) that must report `want` (a status word): prints
 * the status in words. Returns the status. */
static inline int expect_wait(int line, const char *what, pid_t pid, int options, int want)
{
	int st = 0x5a5a5a5a;
	pid_t r;
	do
		r = waitpid(pid, &st, options);
	while (r == -1 && errno == EINTR);
	if (r != pid) {
		printf("%s = %d %s\n", what, (int)r, r == -1 ? errno_name(errno) : "(another pid)");
		contract_fail(line, "%s: want the child", what);
		return -1;
	}
	printf("%s: %s\n", what, status_str(st));
	if (st != want)
		contract_fail(line, "%s: want %s", what, status_str(want));
	return st;
}
#define WAIT(pid, options, want) \
	expect_wait(__LINE__, "waitpid(" #pid ", " #options ")", pid, options, want)

/* A child's end that reports its checks: exit status = its failures. */
static inline void child_end(void)
{
	fflush(stdout);
	_exit(contract_failures > 255 ? 255 : contract_failures);
}

/* Write a whole file (a helper the test needs at run time). */
static inline void put_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len || close(fd) != 0)
		contract_fail(__LINE__, "put_file %s: %s", path, errno_name(errno));
}

/* /dev as a Linux /init finds it: an initramfs booted by Linux has only
 * /dev/console, so an init mounts devtmpfs (tern's vfs accepts that mount
 * and has /dev already). Silent: the output must not depend on it. */
static inline void need_dev(void)
{
	if (access("/dev/null", F_OK) == 0)
		return;
	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
}

#endif
