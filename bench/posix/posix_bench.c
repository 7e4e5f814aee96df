/* Linux system call costs, the same static binary on Linux and on tern
 * (as /init or from a shell). Each benchmark prints
 *     BENCH <name> <iters> <total_ns> <per_iter_ns>
 * timed with clock_gettime(CLOCK_MONOTONIC) around the whole loop. Under
 * QEMU's `-icount shift=0` a nanosecond is one guest instruction, so the
 * figures count instructions (docs/measurements.md).
 *
 * Raw syscall(SYS_...) where musl would answer itself or take a short
 * cut (../shared/FACTS.md, "musl behaviours"): getpid, uname. clock_gettime
 * goes through musl, so through the vDSO when the kernel offers one;
 * clock_gettime_sys is the syscall.
 *
 *   getpid         syscall(SYS_getpid)
 *   read_null      read(fd of /dev/null, buf, 1)
 *   write_null     write(fd of /dev/null, buf, 1)
 *   lseek          lseek(fd of a 4 KiB file, 0, SEEK_SET)
 *   fstat          fstat(that fd)
 *   stat           stat("bench.dat") (one path component, in the cwd)
 *   open_close     open("bench.dat", O_RDONLY) then close
 *   pread          pread(that fd, buf, 1, 0)
 *   uname          syscall(SYS_uname)
 *   clock_gettime  clock_gettime(CLOCK_MONOTONIC) through musl (vDSO)
 *   clock_gettime_sys  syscall(SYS_clock_gettime, CLOCK_MONOTONIC)
 *   sigprocmask    syscall(SYS_rt_sigprocmask, SIG_BLOCK, {SIGUSR1}, &old, 8)
 *   sigaction      syscall(SYS_rt_sigaction, SIGUSR1, {SIG_IGN}, &old, 8)
 *   kill0          syscall(SYS_kill, own pid, 0) (the pid read once)
 *
 * Usage: posix_bench [SCALE] (iterations are multiplied by SCALE, default 1)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static int null_fd, file_fd;
static char buf[4096];

static int64_t now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void op_getpid(void)
{
	syscall(SYS_getpid);
}

static void op_read_null(void)
{
	if (read(null_fd, buf, 1) != 0)
		abort();
}

static void op_write_null(void)
{
	if (write(null_fd, buf, 1) != 1)
		abort();
}

static void op_lseek(void)
{
	if (lseek(file_fd, 0, SEEK_SET) != 0)
		abort();
}

static void op_fstat(void)
{
	struct stat st;
	if (fstat(file_fd, &st) != 0)
		abort();
}

static void op_stat(void)
{
	struct stat st;
	if (stat("bench.dat", &st) != 0)
		abort();
}

static void op_open_close(void)
{
	int fd = open("bench.dat", O_RDONLY);
	if (fd < 0 || close(fd) != 0)
		abort();
}

static void op_pread(void)
{
	if (pread(file_fd, buf, 1, 0) != 1)
		abort();
}

static void op_uname(void)
{
	struct utsname u;
	if (syscall(SYS_uname, &u) != 0)
		abort();
}

static void op_clock_gettime(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
}

static void op_clock_gettime_sys(void)
{
	struct timespec t;
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t);
}

static void op_sigprocmask(void)
{
	uint64_t set = 1ull << 9, old; /* SIGUSR1 */
	syscall(SYS_rt_sigprocmask, 0 /* SIG_BLOCK */, &set, &old, 8);
}

static void op_sigaction(void)
{
	uint64_t act[4] = { 1 /* SIG_IGN */, 0, 0, 0 }, old[4];
	syscall(SYS_rt_sigaction, 10 /* SIGUSR1 */, act, old, 8);
}

static long self_pid;
static void op_kill0(void)
{
	syscall(SYS_kill, self_pid, 0);
}

struct bench {
	const char *name;
	void (*op)(void);
	long iters;
};

static const struct bench benches[] = {
	{ "getpid", op_getpid, 100000 },
	{ "read_null", op_read_null, 100000 },
	{ "write_null", op_write_null, 100000 },
	{ "lseek", op_lseek, 100000 },
	{ "fstat", op_fstat, 100000 },
	{ "stat", op_stat, 20000 },
	{ "open_close", op_open_close, 20000 },
	{ "pread", op_pread, 50000 },
	{ "uname", op_uname, 100000 },
	{ "clock_gettime", op_clock_gettime, 200000 },
	{ "clock_gettime_sys", op_clock_gettime_sys, 100000 },
	{ "sigprocmask", op_sigprocmask, 100000 },
	{ "sigaction", op_sigaction, 100000 },
	{ "kill0", op_kill0, 100000 },
};

int main(int argc, char **argv)
{
	long scale = argc > 1 ? atol(argv[1]) : 1;
	if (scale < 1)
		scale = 1;
	/* A Linux initramfs has no /dev/null until devtmpfs is mounted. */
	if (access("/dev/null", F_OK) != 0) {
		mkdir("/dev", 0755);
		mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	}
	self_pid = getpid();
	null_fd = open("/dev/null", O_RDWR);
	file_fd = open("bench.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
	memset(buf, 'b', sizeof(buf));
	if (null_fd < 0 || file_fd < 0 || write(file_fd, buf, sizeof(buf)) != sizeof(buf)) {
		printf("BENCH setup failed\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++) {
		const struct bench *b = &benches[i];
		long n = b->iters * scale;
		for (long k = 0; k < n / 100 + 1; k++) /* warm up */
			b->op();
		int64_t t0 = now();
		for (long k = 0; k < n; k++)
			b->op();
		int64_t total = now() - t0;
		printf("BENCH %s %ld %lld %.1f\n", b->name, n, (long long)total, (double)total / n);
	}
	close(file_fd);
	unlink("bench.dat");
	printf("BENCH done\n");
	return 0;
}
