/* The project's system call benchmark: one static musl binary that runs
 * unchanged on the host, under Debian's Linux in QEMU and on tern (as
 * /init or from a shell). bench/README.md says what each benchmark
 * measures, how, and with how many iterations. This file has the table,
 * the runner and the micro-benchmarks; workload.c the workloads.
 *
 * Output, one line per benchmark, then the end line:
 *     BENCH <name> <iters> <total_ns> <per_iter_ns>
 *     SKIP <name> <reason>
 *     BENCH done
 * timed by clock_gettime(CLOCK_MONOTONIC) around the whole timed loop,
 * after a warm-up of iters/100 + 1 iterations. Under QEMU's
 * `-icount shift=0` a nanosecond is one guest instruction, so the figures
 * count instructions. Every call's result is checked, in the warm-up and
 * in the timed loop: the first failure ends that benchmark with SKIP and
 * the call, its result and errno; it never prints a figure.
 *
 * Usage: posix_bench [--quick] [--list] [--only a,b,...] [NAME...] [SCALE]
 *   --quick       about a fiftieth of the iterations (a smoke run)
 *   --list        print "<name> <kind> <iters> <quick_iters>" per benchmark
 *   --only a,b    run only these (NAME arguments add to the set)
 *   SCALE         a number: iterations multiplied by it (default 1)
 * An unknown name is an error (status 2), so a typo never runs nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define DIR_NAME "bench.d"
#define FILE_NAME DIR_NAME "/bench.dat"
#define LINK_NAME DIR_NAME "/bench.lnk"
#define LINK_TARGET "bench.dat"
#define FAULT_BYTES (16ul << 20) /* mmap_fault: 16 MiB, 4096 pages a round */

static int null_fd = -1, zero_fd = -1, file_fd = -1, pipe_fd[2] = { -1, -1 };
char buf[PAGE] __attribute__((aligned(64)));
static char path_buf[PAGE];
static long self_pid;

/* ---- failures ------------------------------------------------------ */

/* What failed: printed as the SKIP reason. */
char why[256];

/* A call returned `ret` where it should not: with -1, musl's errno says
 * why, with -4095..-2 (a direct call) the value is -errno; otherwise the
 * value itself was wrong. Returns 1 (the op failed). */
int fail(const char *call, long ret)
{
	int e = errno;
	if (ret < 0 && ret >= -4095 && ret != -1) /* a direct call's -errno */
		e = (int)-ret, ret = -1;
	if (ret == -1)
		snprintf(why, sizeof(why), "%s: %s (errno %d)", call, strerror(e), e);
	else
		snprintf(why, sizeof(why), "%s returned %ld", call, ret);
	return 1;
}

int fail_msg(const char *msg)
{
	snprintf(why, sizeof(why), "%s", msg);
	return 1;
}

/* ---- the micro-benchmarks: one operation each ---------------------- */

static int op_getpid(void)
{
	long r = sc(SYS_getpid, 0, 0, 0, 0);
	CHECK("getpid", r, r == self_pid);
	return 0;
}

static int op_gettid(void)
{
	long r = sc(SYS_gettid, 0, 0, 0, 0);
	CHECK("gettid", r, r > 0);
	return 0;
}

static int op_clock_gettime(void)
{
	struct timespec t;
	int r = clock_gettime(CLOCK_MONOTONIC, &t);
	CHECK("clock_gettime", r, r == 0);
	return 0;
}

static int op_clock_gettime_sys(void)
{
	struct timespec t;
	long r = sc(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&t, 0, 0);
	CHECK("clock_gettime", r, r == 0);
	return 0;
}

static int op_read_null(void)
{
	ssize_t r = read(null_fd, buf, 1);
	CHECK("read(/dev/null)", r, r == 0);
	return 0;
}

static int op_write_null(void)
{
	ssize_t r = write(null_fd, buf, 1);
	CHECK("write(/dev/null)", r, r == 1);
	return 0;
}

static int op_pread(void)
{
	ssize_t r = pread(file_fd, buf, 1, 0);
	CHECK("pread", r, r == 1);
	return 0;
}

static int op_writev(void)
{
	struct iovec iov[2] = { { buf, 1 }, { buf + 64, 1 } };
	ssize_t r = writev(null_fd, iov, 2);
	CHECK("writev(/dev/null)", r, r == 2);
	return 0;
}

static int op_pipe(void)
{
	ssize_t w = write(pipe_fd[1], buf, PAGE);
	CHECK("write(pipe, 4096)", w, w == PAGE);
	ssize_t r = read(pipe_fd[0], buf, PAGE);
	CHECK("read(pipe, 4096)", r, r == PAGE);
	return 0;
}

static int op_open_close(void)
{
	int fd = open(FILE_NAME, O_RDONLY);
	CHECK("open", fd, fd >= 0);
	int r = close(fd);
	CHECK("close", r, r == 0);
	return 0;
}

static int op_stat(void)
{
	struct stat st;
	int r = stat(FILE_NAME, &st);
	CHECK("stat", r, r == 0);
	return 0;
}

static int op_fstat(void)
{
	struct stat st;
	int r = fstat(file_fd, &st);
	CHECK("fstat", r, r == 0);
	return 0;
}

static int op_lseek(void)
{
	off_t r = lseek(file_fd, 0, SEEK_SET);
	CHECK("lseek", r, r == 0);
	return 0;
}

static int op_fcntl_getfl(void)
{
	int r = fcntl(file_fd, F_GETFL);
	CHECK("fcntl(F_GETFL)", r, r >= 0 && (r & O_ACCMODE) == O_RDWR);
	return 0;
}

static int op_dup_close(void)
{
	int fd = dup(file_fd);
	CHECK("dup", fd, fd >= 0);
	int r = close(fd);
	CHECK("close", r, r == 0);
	return 0;
}

static int op_getcwd(void)
{
	char *r = getcwd(path_buf, sizeof(path_buf));
	CHECK("getcwd", r ? 0 : -1, r == path_buf);
	return 0;
}

static int op_access(void)
{
	int r = access(FILE_NAME, R_OK);
	CHECK("access", r, r == 0);
	return 0;
}

static int op_readlink(void)
{
	ssize_t r = readlink(LINK_NAME, path_buf, sizeof(path_buf));
	CHECK("readlink", r, r == sizeof(LINK_TARGET) - 1);
	return 0;
}

static int op_mmap_munmap(void)
{
	void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("mmap", p == MAP_FAILED ? -1 : 0, p != MAP_FAILED);
	int r = munmap(p, PAGE);
	CHECK("munmap", r, r == 0);
	return 0;
}

static int64_t now(void);

/* mmap_fault: one op maps 16 MiB, writes a byte to each of its 4096
 * pages and unmaps it; the map and the writes are timed (added up in
 * fault_ns), not the unmap: the figure is the page faults', per page.
 * mmap_fault_cycle times all of it (map, faults, unmap), per page. */
static int64_t fault_ns;
static int op_mmap_fault(void)
{
	int64_t t0 = now();
	char *p =
		mmap(NULL, FAULT_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("mmap(16 MiB)", p == MAP_FAILED ? -1 : 0, p != MAP_FAILED);
	for (unsigned long off = 0; off < FAULT_BYTES; off += PAGE)
		*(volatile char *)(p + off) = 1;
	fault_ns += now() - t0;
	int r = munmap(p, FAULT_BYTES);
	CHECK("munmap(16 MiB)", r, r == 0);
	return 0;
}

/* The same with MADV_NOHUGEPAGE on the region before the writes: 4 KiB
 * pages where the system backs large regions with 2 MiB pages (Linux
 * with transparent huge pages "always"; tern's mm), as issue 9's goal
 * for mmap_fault is stated. */
static int op_mmap_fault_nothp(void)
{
	int64_t t0 = now();
	char *p =
		mmap(NULL, FAULT_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("mmap(16 MiB)", p == MAP_FAILED ? -1 : 0, p != MAP_FAILED);
	int r = madvise(p, FAULT_BYTES, MADV_NOHUGEPAGE);
	CHECK("madvise(MADV_NOHUGEPAGE)", r, r == 0);
	for (unsigned long off = 0; off < FAULT_BYTES; off += PAGE)
		*(volatile char *)(p + off) = 1;
	fault_ns += now() - t0;
	r = munmap(p, FAULT_BYTES);
	CHECK("munmap(16 MiB)", r, r == 0);
	return 0;
}

static int op_mmap_fault_cycle(void)
{
	char *p =
		mmap(NULL, FAULT_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("mmap(16 MiB)", p == MAP_FAILED ? -1 : 0, p != MAP_FAILED);
	for (unsigned long off = 0; off < FAULT_BYTES; off += PAGE)
		*(volatile char *)(p + off) = 1;
	int r = munmap(p, FAULT_BYTES);
	CHECK("munmap(16 MiB)", r, r == 0);
	return 0;
}

/* A pair: read-only, then back to read-write (a present page). */
static char *prot_page;
static int op_mprotect(void)
{
	int r = mprotect(prot_page, PAGE, PROT_READ);
	CHECK("mprotect(PROT_READ)", r, r == 0);
	r = mprotect(prot_page, PAGE, PROT_READ | PROT_WRITE);
	CHECK("mprotect(PROT_READ|PROT_WRITE)", r, r == 0);
	return 0;
}

/* musl's brk() is ENOMEM without a syscall: the syscall itself. */
static long brk_base;
static int op_brk(void)
{
	long r = sc(SYS_brk, brk_base + 16 * (long)PAGE, 0, 0, 0);
	CHECK("brk(grow 64 KiB)", r, r == brk_base + 16 * (long)PAGE);
	r = sc(SYS_brk, brk_base, 0, 0, 0);
	CHECK("brk(shrink)", r, r == brk_base);
	return 0;
}

static int op_uname(void)
{
	struct utsname u;
	long r = sc(SYS_uname, (long)&u, 0, 0, 0);
	CHECK("uname", r, r == 0);
	return 0;
}

static void on_signal(int sig)
{
	(void)sig;
}

/* The syscall with Linux's struct (handler, flags, restorer, mask), as
 * musl passes it; musl's sigaction() adds ~140 instructions of its own
 * (bench/README.md). The restorer is never run: SIGUSR2 is never sent. */
struct k_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};
static void never_restored(void)
{
	abort();
}

static int op_sigaction(void)
{
	struct k_sigaction act = { on_signal, 0x04000000 /* SA_RESTORER */, never_restored, 0 };
	struct k_sigaction old;
	long r = sc(SYS_rt_sigaction, SIGUSR2, (long)&act, (long)&old, 8);
	CHECK("rt_sigaction(SIGUSR2)", r, r == 0);
	return 0;
}

static int op_sigprocmask(void)
{
	uint64_t set = 1ull << (SIGUSR2 - 1), old;
	long r = sc(SYS_rt_sigprocmask, SIG_BLOCK, (long)&set, (long)&old, 8);
	CHECK("rt_sigprocmask(SIG_BLOCK)", r, r == 0);
	return 0;
}

static int op_kill0(void)
{
	long r = sc(SYS_kill, self_pid, 0, 0, 0);
	CHECK("kill(self, 0)", r, r == 0);
	return 0;
}

static int op_sched_yield(void)
{
	long r = sc(SYS_sched_yield, 0, 0, 0, 0);
	CHECK("sched_yield", r, r == 0);
	return 0;
}

/* The syscall's value is 20 - nice (musl's getpriority subtracts it). */
static int op_getpriority(void)
{
	long r = sc(SYS_getpriority, PRIO_PROCESS, 0, 0, 0);
	CHECK("getpriority", r, r >= 1 && r <= 40);
	return 0;
}

static int op_read_zero(void)
{
	ssize_t r = read(zero_fd, buf, PAGE);
	CHECK("read(/dev/zero, 4096)", r, r == PAGE);
	return 0;
}

/* kill() itself, not raise() (which is sigprocmask + tkill + sigprocmask
 * in musl); the handler must have run before kill returns, as Linux
 * delivers a signal a thread sends itself. */
static volatile long usr1_hits;
static void on_usr1(int sig)
{
	(void)sig;
	usr1_hits++;
}

static int op_signal_delivery(void)
{
	long before = usr1_hits;
	long r = sc(SYS_kill, self_pid, SIGUSR1, 0, 0);
	CHECK("kill(self, SIGUSR1)", r, r == 0);
	if (usr1_hits != before + 1)
		return fail_msg("the SIGUSR1 handler did not run before kill returned");
	return 0;
}

/* fork_exit: musl's fork(), what every program's fork costs: around the
 * fork syscall it blocks all signals and restores them (two
 * rt_sigprocmask), and the child asks for its tid (gettid) and writes
 * its thread structure (a copy-on-write fault). fork_exit_sys is the
 * fork syscall alone. */
static int op_fork_exit(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK("fork", pid, pid > 0);
	int st;
	pid_t r = wait4(pid, &st, 0, NULL);
	CHECK("wait4", r, r == pid);
	CHECK("the child's wait status", st, st == 0);
	return 0;
}

static int op_fork_exit_sys(void)
{
	long pid = sc(SYS_fork, 0, 0, 0, 0);
	if (pid == 0)
		_exit(0);
	CHECK("fork", pid, pid > 0);
	int st;
	long r = wait4((pid_t)pid, &st, 0, NULL);
	CHECK("wait4", r, r == pid);
	CHECK("the child's wait status", st, st == 0);
	return 0;
}

/* ---- set-up and tear-down ------------------------------------------ */

/* Each returns 0 or fills `why` and returns 1 (the benchmark is skipped). */

static int need_file_fd(void)
{
	return file_fd >= 0 ? 0 : fail_msg("no " FILE_NAME " (its set-up failed)");
}

static int need_null(void)
{
	return null_fd >= 0 ? 0 : fail_msg("cannot open /dev/null");
}

/* getcwd runs in bench.d, one level below the start folder. */
static int setup_getcwd(void)
{
	int r = chdir(DIR_NAME);
	CHECK("chdir(" DIR_NAME ")", r, r == 0);
	return 0;
}

static void teardown_getcwd(void)
{
	if (chdir("..") != 0)
		printf("posix_bench: chdir(..) failed: %s\n", strerror(errno));
}

static int setup_pipe(void)
{
	int r = pipe(pipe_fd);
	CHECK("pipe", r, r == 0);
	return 0;
}

static void teardown_pipe(void)
{
	close(pipe_fd[0]);
	close(pipe_fd[1]);
	pipe_fd[0] = pipe_fd[1] = -1;
}

static int setup_readlink(void)
{
	unlink(LINK_NAME);
	int r = symlink(LINK_TARGET, LINK_NAME);
	CHECK("symlink", r, r == 0);
	return 0;
}

static void teardown_readlink(void)
{
	unlink(LINK_NAME);
}

static int setup_zero(void)
{
	zero_fd = open("/dev/zero", O_RDONLY);
	CHECK("open(/dev/zero)", zero_fd, zero_fd >= 0);
	memset(buf, 'b', sizeof(buf));
	ssize_t r = read(zero_fd, buf, PAGE);
	CHECK("read(/dev/zero, 4096)", r, r == PAGE);
	for (size_t i = 0; i < PAGE; i++)
		if (buf[i])
			return fail_msg("read(/dev/zero) gave a byte that is not 0");
	return 0;
}

static void teardown_zero(void)
{
	close(zero_fd);
	zero_fd = -1;
}

static int setup_mprotect(void)
{
	prot_page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("mmap", prot_page == MAP_FAILED ? -1 : 0, prot_page != MAP_FAILED);
	prot_page[0] = 1; /* a present page whose protection changes */
	return 0;
}

static void teardown_mprotect(void)
{
	munmap(prot_page, PAGE);
}

static int setup_brk(void)
{
	brk_base = sc(SYS_brk, 0, 0, 0, 0);
	CHECK("brk(0)", brk_base, brk_base > 0);
	return 0;
}

static void teardown_sigprocmask(void)
{
	uint64_t set = 1ull << (SIGUSR2 - 1);
	sc(SYS_rt_sigprocmask, SIG_UNBLOCK, (long)&set, 0, 8);
}

static int setup_signal_delivery(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	int r = sigaction(SIGUSR1, &sa, NULL);
	CHECK("sigaction(SIGUSR1)", r, r == 0);
	usr1_hits = 0;
	return 0;
}

/* SIG_IGN, not SIG_DFL: a SIGUSR1 left pending (a system that did not
 * deliver it) is discarded instead of becoming fatal. */
static void teardown_signal_delivery(void)
{
	signal(SIGUSR1, SIG_IGN);
}

/* ---- the table ----------------------------------------------------- */

enum kind { MICRO, EXTRA, WORKLOAD };
static const char *const kind_name[] = { "micro", "extra", "workload" };

struct bench {
	const char *name;
	enum kind kind;
	int (*op)(void);
	long iters, quick; /* operations in the timed loop */
	long units;	   /* what one op counts as (mmap_fault: 4096 pages) */
	int (*setup)(void);
	void (*teardown)(void);
	int64_t *timed; /* the op times itself: the total is this sum */
};

/* Iterations: about 50-200 M guest instructions per benchmark under
 * Linux (bench/README.md); --quick about a fiftieth. */
static const struct bench benches[] = {
	{ "getpid", MICRO, op_getpid, 100000, 2000, 1, 0, 0, 0 },
	{ "gettid", MICRO, op_gettid, 100000, 2000, 1, 0, 0, 0 },
	{ "clock_gettime", MICRO, op_clock_gettime, 200000, 4000, 1, 0, 0, 0 },
	{ "clock_gettime_sys", EXTRA, op_clock_gettime_sys, 100000, 2000, 1, 0, 0, 0 },
	{ "read_null", MICRO, op_read_null, 100000, 2000, 1, need_null, 0, 0 },
	{ "write_null", MICRO, op_write_null, 100000, 2000, 1, need_null, 0, 0 },
	{ "pread", MICRO, op_pread, 50000, 1000, 1, need_file_fd, 0, 0 },
	{ "writev", MICRO, op_writev, 50000, 1000, 1, need_null, 0, 0 },
	{ "pipe", MICRO, op_pipe, 20000, 400, 1, setup_pipe, teardown_pipe, 0 },
	{ "open_close", MICRO, op_open_close, 20000, 400, 1, need_file_fd, 0, 0 },
	{ "stat", MICRO, op_stat, 20000, 400, 1, need_file_fd, 0, 0 },
	{ "fstat", MICRO, op_fstat, 50000, 1000, 1, need_file_fd, 0, 0 },
	{ "lseek", MICRO, op_lseek, 100000, 2000, 1, need_file_fd, 0, 0 },
	{ "fcntl_getfl", MICRO, op_fcntl_getfl, 100000, 2000, 1, need_file_fd, 0, 0 },
	{ "dup_close", MICRO, op_dup_close, 50000, 1000, 1, need_file_fd, 0, 0 },
	{ "getcwd", MICRO, op_getcwd, 50000, 1000, 1, setup_getcwd, teardown_getcwd, 0 },
	{ "access", MICRO, op_access, 20000, 400, 1, need_file_fd, 0, 0 },
	{ "readlink", MICRO, op_readlink, 20000, 400, 1, setup_readlink, teardown_readlink, 0 },
	{ "mmap_munmap", MICRO, op_mmap_munmap, 10000, 200, 1, 0, 0, 0 },
	{ "mmap_fault", MICRO, op_mmap_fault, 8, 1, FAULT_BYTES / PAGE, 0, 0, &fault_ns },
	{ "mmap_fault_nothp", EXTRA, op_mmap_fault_nothp, 8, 1, FAULT_BYTES / PAGE, 0, 0,
	  &fault_ns },
	{ "mmap_fault_cycle", EXTRA, op_mmap_fault_cycle, 8, 1, FAULT_BYTES / PAGE, 0, 0, 0 },
	{ "mprotect", MICRO, op_mprotect, 20000, 400, 1, setup_mprotect, teardown_mprotect, 0 },
	{ "brk", MICRO, op_brk, 10000, 200, 1, setup_brk, 0, 0 },
	{ "uname", MICRO, op_uname, 100000, 2000, 1, 0, 0, 0 },
	{ "sigaction", MICRO, op_sigaction, 100000, 2000, 1, 0, 0, 0 },
	{ "sigprocmask", MICRO, op_sigprocmask, 100000, 2000, 1, 0, teardown_sigprocmask, 0 },
	{ "kill0", EXTRA, op_kill0, 100000, 2000, 1, 0, 0, 0 },
	{ "sched_yield", MICRO, op_sched_yield, 100000, 2000, 1, 0, 0, 0 },
	{ "getpriority", MICRO, op_getpriority, 100000, 2000, 1, 0, 0, 0 },
	{ "read_zero", MICRO, op_read_zero, 50000, 1000, 1, setup_zero, teardown_zero, 0 },
	/* The two whose calls are the newest come last among the micro ones. */
	{ "signal_delivery", MICRO, op_signal_delivery, 20000, 400, 1, setup_signal_delivery,
	  teardown_signal_delivery, 0 },
	{ "fork_exit", MICRO, op_fork_exit, 1000, 20, 1, 0, 0, 0 },
	{ "fork_exit_sys", EXTRA, op_fork_exit_sys, 1000, 20, 1, 0, 0, 0 },
	{ "exec_true", WORKLOAD, op_exec_true, 100, 3, 1, setup_exec_true, 0, 0 },
	{ "shell_noop", WORKLOAD, op_shell_noop, 100, 3, 1, need_sh, 0, 0 },
	{ "pipe_grep", WORKLOAD, op_pipe_grep, 50, 3, 1, setup_pipe_grep, teardown_text, 0 },
	{ "sed_pipeline", WORKLOAD, op_sed_pipeline, 50, 3, 1, setup_sed_pipeline, teardown_text,
	  0 },
	{ "sort_uniq", WORKLOAD, op_sort_uniq, 50, 3, 1, setup_sort_uniq, teardown_text, 0 },
	{ "tar_extract", WORKLOAD, op_tar_extract, 20, 3, 1, setup_tar_extract,
	  teardown_tar_extract, 0 },
};
#define NBENCH (sizeof(benches) / sizeof(benches[0]))

static int64_t now(void)
{
	struct timespec t;
	if (clock_gettime(CLOCK_MONOTONIC, &t) != 0) {
		printf("BENCH clock_gettime(CLOCK_MONOTONIC) failed: %s\n", strerror(errno));
		exit(1);
	}
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int loop(int (*op)(void), long n)
{
	for (long k = 0; k < n; k++)
		if (op())
			return 1;
	return 0;
}

static void run(const struct bench *b, long n)
{
	why[0] = 0;
	if (b->setup && b->setup()) {
		printf("SKIP %s %s\n", b->name, why[0] ? why : "set-up failed");
		fflush(stdout);
		return;
	}
	int bad = loop(b->op, n / 100 + 1); /* warm-up, checked as well */
	if (b->timed)
		*b->timed = 0;
	int64_t t0 = now();
	if (!bad)
		bad = loop(b->op, n);
	int64_t total = now() - t0;
	if (b->timed)
		total = *b->timed;
	if (b->teardown)
		b->teardown();
	if (bad)
		printf("SKIP %s %s\n", b->name, why);
	else
		printf("BENCH %s %ld %lld %.1f\n", b->name, n * b->units, (long long)total,
		       (double)total / (double)(n * b->units));
	fflush(stdout);
}

static int find(const char *name)
{
	for (size_t i = 0; i < NBENCH; i++)
		if (!strcmp(benches[i].name, name))
			return (int)i;
	return -1;
}

static int select_name(const char *name, char *chosen)
{
	int i = find(name);
	if (i < 0) {
		printf("posix_bench: no benchmark named '%s' (--list lists them)\n", name);
		return 1;
	}
	chosen[i] = 1;
	return 0;
}

int main(int argc, char **argv)
{
	char chosen[NBENCH] = { 0 };
	int quick = 0, any = 0;
	long scale = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--quick") || !strcmp(a, "quick")) {
			quick = 1;
		} else if (!strcmp(a, "--list")) {
			for (size_t k = 0; k < NBENCH; k++)
				printf("%s %s %ld %ld\n", benches[k].name,
				       kind_name[benches[k].kind],
				       benches[k].iters * benches[k].units,
				       benches[k].quick * benches[k].units);
			return 0;
		} else if (!strcmp(a, "--only") && i + 1 < argc) {
			char list[1024];
			snprintf(list, sizeof(list), "%s", argv[++i]);
			for (char *s = strtok(list, ","); s; s = strtok(NULL, ","))
				if (select_name(s, chosen))
					return 2;
			any = 1;
		} else if (a[0] >= '1' && a[0] <= '9' && strspn(a, "0123456789") == strlen(a)) {
			scale = atol(a);
		} else if (a[0] == '-') {
			printf("posix_bench: unknown option '%s'\n"
			       "usage: posix_bench [--quick] [--list] [--only a,b] [NAME...] "
			       "[SCALE]\n",
			       a);
			return 2;
		} else {
			if (select_name(a, chosen))
				return 2;
			any = 1;
		}
	}

	/* A Linux initramfs has no /dev until devtmpfs is mounted. */
	if (access("/dev/null", F_OK) != 0) {
		mkdir("/dev", 0755);
		mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	}
	self_pid = getpid();
	null_fd = open("/dev/null", O_RDWR);
	mkdir(DIR_NAME, 0755);
	file_fd = open(FILE_NAME, O_RDWR | O_CREAT | O_TRUNC, 0644);
	memset(buf, 'b', sizeof(buf));
	if (file_fd >= 0 && write(file_fd, buf, sizeof(buf)) != sizeof(buf)) {
		close(file_fd);
		file_fd = -1;
	}
	printf("BENCH start %s\n", quick ? "quick" : "full");
	fflush(stdout);
	for (size_t i = 0; i < NBENCH; i++) {
		if (any && !chosen[i])
			continue;
		long n = (quick ? benches[i].quick : benches[i].iters) * scale;
		run(&benches[i], n);
	}
	if (file_fd >= 0)
		close(file_fd);
	unlink(FILE_NAME);
	rmdir(DIR_NAME);
	printf("BENCH done\n");
	return 0;
}
