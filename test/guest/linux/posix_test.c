#define _GNU_SOURCE
/*
 * pid 1 of posix.exec (a static musl binary): brk and mmap semantics,
 * limits, exec errors (each bad ELF gives Linux's errno and this process
 * goes on), then execve of hello with argv and envp. It prints a PASS
 * line before that exec; a failed check prints its line and exits with
 * the check's number.
 */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static int step;

static void fail(int line)
{
	char msg[64];
	int n = snprintf(msg, sizeof(msg), "posix_test: FAIL at line %d (errno %d)\n", line, errno);

	write(1, msg, (size_t)n);
	_exit(step);
}

/* A failure says which check (the line) on stdout and exits with the
 * check's number. */
#define CHECK(c)                        \
	do {                            \
		step++;                 \
		if (!(c))               \
			fail(__LINE__); \
	} while (0)

static long sys(long n, long a, long b, long c, long d, long e, long f)
{
	return syscall(n, a, b, c, d, e, f);
}

static void check_exec(const char *path, int want)
{
	char *argv[] = { (char *)path, NULL };
	char *envp[] = { NULL };
	errno = 0;
	step++;
	if (execve(path, argv, envp) != -1 || errno != want) {
		char msg[96];
		int n = snprintf(msg, sizeof(msg),
				 "posix_test: FAIL: execve %s: errno %d, not %d\n", path, errno,
				 want);
		write(1, msg, (size_t)n);
		_exit(step);
	}
}

int main(void)
{
	/* brk */
	uintptr_t b0 = (uintptr_t)sbrk(0);
	CHECK(b0 != (uintptr_t)-1 && b0 > 0x400000);
	CHECK(sys(SYS_brk, 0, 0, 0, 0, 0, 0) == (long)b0);
	CHECK(sys(SYS_brk, b0 + 100000, 0, 0, 0, 0, 0) == (long)(b0 + 100000));
	memset((void *)b0, 0xab, 100000);
	CHECK(sys(SYS_brk, b0, 0, 0, 0, 0, 0) == (long)b0);
	CHECK(sys(SYS_brk, b0 + 8192, 0, 0, 0, 0, 0) == (long)(b0 + 8192));
	CHECK(*(volatile unsigned char *)b0 == 0); /* fresh pages after a shrink */
	CHECK(sys(SYS_brk, 0x1000, 0, 0, 0, 0, 0) == (long)(b0 + 8192));

	/* mmap errors */
	CHECK(mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	      errno == EINVAL);
	CHECK(mmap(0, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);
	CHECK(mmap((void *)0x10001000, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		   1) == MAP_FAILED &&
	      errno == EINVAL);
	CHECK(mmap((void *)0x1000, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		   0) == MAP_FAILED &&
	      errno == EPERM);
	CHECK(mmap((void *)0x10000001, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		   0) == MAP_FAILED &&
	      errno == EINVAL);
	CHECK(mmap(0, 4096, PROT_READ, MAP_PRIVATE, -1, 0) == MAP_FAILED && errno == EBADF);

	/* anonymous memory: zero, writable, placed below the stack */
	unsigned char *p =
		mmap(0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED && ((uintptr_t)p & 4095) == 0);
	CHECK(p[0] == 0 && p[3 * 4096 - 1] == 0);
	p[4096] = 1;
	CHECK(mmap(p, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) ==
		      MAP_FAILED &&
	      errno == EEXIST);
	CHECK(munmap(p + 4096, 4096) == 0);
	CHECK(munmap(p + 1, 4096) == -1 && errno == EINVAL);
	CHECK(munmap(p, 0) == -1 && errno == EINVAL);
	CHECK(mmap(p + 4096, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) == p + 4096);
	CHECK(p[4096] == 0); /* a new mapping, zero again */
	CHECK(mprotect(p, 4096, PROT_READ) == 0);
	CHECK(mprotect(p, 4096, 0x80) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_mprotect, p + 1, 4096, PROT_READ) == -1 && errno == EINVAL);
	p[8192] = 5;
	CHECK(madvise(p + 8192, 4096, MADV_DONTNEED) == 0 && p[8192] == 0);
	CHECK(madvise(p, 4096, 12345) == -1 && errno == EINVAL);
	unsigned char vec[3];
	CHECK(mincore(p, 3 * 4096, vec) == 0 && vec[0] == 1);
	CHECK(msync(p, 4096, MS_SYNC | MS_ASYNC) == -1 && errno == EINVAL);
	/* mremap needs one region: p is three now (EFAULT, as on Linux) */
	CHECK(mremap(p, 3 * 4096, 64 * 4096, MREMAP_MAYMOVE) == MAP_FAILED && errno == EFAULT);
	CHECK(munmap(p, 3 * 4096) == 0);
	p = mmap(0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	p[5] = 42;
	unsigned char *q = mremap(p, 3 * 4096, 64 * 4096, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED && q[5] == 42);
	CHECK(q != MAP_FAILED && q[64 * 4096 - 1] == 0);
	CHECK(munmap(q, 64 * 4096) == 0);
	CHECK(mincore(q, 4096, vec) == -1 && errno == ENOMEM);

	/* a 4 MiB region is 2 MiB aligned (huge pages) */
	unsigned char *h =
		mmap(0, 4 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(h != MAP_FAILED && ((uintptr_t)h & ((2 << 20) - 1)) == 0);
	h[0] = 1;
	h[(4 << 20) - 1] = 2;
	CHECK(munmap(h, 4 << 20) == 0);

	/* exec errors: the caller goes on */
	check_exec("/linux/nonexistent", ENOENT);
	check_exec("/linux", EACCES);
	check_exec("/linux/bad_noperm", EACCES);
	check_exec("/linux/bad_trunc", ENOEXEC);
	check_exec("/linux/bad_class", ENOEXEC);
	check_exec("/linux/bad_machine", ENOEXEC);
	check_exec("/linux/bad_type", ENOEXEC);
	check_exec("/linux/bad_phentsize", ENOEXEC);
	check_exec("/linux/bad_phoff", ENOEXEC);
	check_exec("/linux/bad_interp", ENOEXEC);
	check_exec("/linux/bad_memsz", EINVAL);
	check_exec("/linux/bad_wrap", EINVAL);
	check_exec("/linux/bad_entry", ENOEXEC);
	check_exec("/linux/bad_overlap", ENOEXEC);
	check_exec("/linux/bad_script", ENOENT);
	check_exec("/linux/bad_loop", ELOOP);
	check_exec("/linux/bad_noname", ENOEXEC);
	CHECK(execve((char *)1, NULL, NULL) == -1 && errno == EFAULT);
	char *bad_argv[] = { "x", (char *)8, NULL };
	CHECK(execve("/linux/hello", bad_argv, NULL) == -1 && errno == EFAULT);

	/* identity */
	CHECK(getpid() == 1 && getppid() == 0 && syscall(SYS_gettid) == 1);
	CHECK(getpgrp() == 1 && getsid(0) == 1);

	/* limits and nice */
	struct rlimit rl;
	CHECK(getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur == 8 << 20 &&
	      rl.rlim_max == RLIM_INFINITY);
	CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur == 1024 && rl.rlim_max == 4096);
	rl.rlim_cur = 2048;
	rl.rlim_max = 1024;
	CHECK(setrlimit(RLIMIT_CORE, &rl) == -1 && errno == EINVAL);
	rl.rlim_cur = 1 << 20;
	rl.rlim_max = RLIM_INFINITY;
	CHECK(setrlimit(RLIMIT_CORE, &rl) == 0);
	CHECK(getrlimit(RLIMIT_CORE, &rl) == 0 && rl.rlim_cur == 1 << 20);
	CHECK(syscall(SYS_getrlimit, 99, &rl) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_prlimit64, 12345, RLIMIT_CORE, NULL, &rl) == -1 && errno == ESRCH);
	CHECK(syscall(SYS_getrlimit, RLIMIT_CORE, (void *)8) == -1 && errno == EFAULT);
	errno = 0;
	CHECK(getpriority(PRIO_PROCESS, 0) == 0 && errno == 0);
	CHECK(setpriority(PRIO_PROCESS, 0, 5) == 0 && getpriority(PRIO_PROCESS, 0) == 5);
	CHECK(syscall(SYS_getpriority, PRIO_PROCESS, 0) == 15);
	CHECK(setpriority(PRIO_PROCESS, 0, 100) == 0 && getpriority(PRIO_PROCESS, 0) == 19);
	CHECK(setpriority(7, 0, 0) == -1 && errno == EINVAL);
	CHECK(setpriority(PRIO_PROCESS, 4242, 0) == -1 && errno == ESRCH);
	setpriority(PRIO_PROCESS, 0, 0);

	write(1, "posix_test: PASS\n", 17);
	/* Through a script: hello gets { "/linux/hello", "one",
	 * "/linux/script", "two" }. */
	char *argv[] = { "script", "two", NULL };
	/* A 100,000-byte variable: more than one message (proc stages it). */
	static char big[4 + 100000 + 1] = "BIG=";
	memset(big + 4, 'b', 100000);
	char *envp[] = { "K=v", big, NULL };
	execve("/linux/script", argv, envp);
	return 100;
}
