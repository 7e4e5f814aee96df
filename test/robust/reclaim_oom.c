/* The OOM killer picks as Linux's does (mm/oom_kill.c: the process with
 * the highest badness, its rss; never init): when a page fault finds
 * the processes' memory spent, the largest process dies of SIGKILL,
 * whoever faulted. First a probe measures how many MiB a process can
 * touch (it is the largest, and killed). Then:
 *   1. a big idle process holding 55% of that, and a small one touching
 *      55% after it: the big one is killed, the small one gets all its
 *      memory, checks every page and exits 0;
 *   2. a small idle process holding 20%, and one touching without end:
 *      the toucher is the largest when the memory runs out, and is the
 *      one killed; the idle one lives on;
 *   3. init itself holding 50%, a child touching without end: init is
 *      never chosen, the child dies;
 *   4. the big idle one again, and one reading a file into 55% it
 *      never touched: the memory runs out inside the read (libposix's
 *      copy), the big one is killed and every read returns its MiB.
 * After each the servers answer and the free frames come back. tern
 * only: the host's OOM killer is not the test's to trigger. */
#include "robust.h"
#include <sys/mman.h>

#define MIB (1ul << 20)
#define SLACK_KIB 4096

/* Touch `mib` MiB (0: without end) a MiB at a time, a byte on `report`
 * per MiB touched; each page holds its own number. Returns the mapping. */
static char *touch(unsigned long mib, int report)
{
	unsigned long len = mib ? mib * MIB : 64ul << 30;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED)
		_exit(20);
	for (unsigned long off = 0; off < len; off += 4096) {
		*(unsigned long *)(m + off) = off / 4096;
		if ((off + 4096) % MIB == 0 && report >= 0)
			(void)!write(report, "m", 1);
	}
	return m;
}

static int check(const char *m, unsigned long mib)
{
	for (unsigned long off = 0; off < mib * MIB; off += 4096)
		if (*(const unsigned long *)(m + off) != off / 4096)
			return 0;
	return 1;
}

/* A child that touches mib MiB, says "r" on ready, then idles (idle) or
 * checks its pages and exits 0. Reports each MiB on `progress` (or -1). */
static pid_t hog(unsigned long mib, int idle, int progress, int ready)
{
	pid_t pid = fork();
	if (pid == 0) {
		char *m = touch(mib, progress);
		(void)!write(ready, "r", 1);
		if (idle)
			for (;;)
				pause();
		_exit(check(m, mib) ? 0 : 21);
	}
	return pid;
}

static long drain(int fd)
{
	char buf[512];
	long n = 0, r;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		n += r;
	return n;
}

static int servers_answer(void)
{
	int ok = 1, p[2];
	char buf[8] = { 0 };
	int fd = open("oom-file", O_CREAT | O_RDWR | O_TRUNC, 0644);
	ok &= fd >= 0 && write(fd, "abc", 3) == 3 && pread(fd, buf, 3, 0) == 3;
	close(fd);
	ok &= unlink("oom-file") == 0;
	ok &= pipe(p) == 0 && write(p[1], "z", 1) == 1 && read(p[0], buf, 1) == 1;
	close(p[0]);
	close(p[1]);
	ok &= robust_runs("/init", "ok");
	return ok;
}

static int killed(int st)
{
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
}

static const char *how(int st)
{
	static char buf[32];
	if (killed(st))
		return "killed by SIGKILL";
	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(st));
	else
		snprintf(buf, sizeof(buf), "status %#x", st);
	return buf;
}

static void after(const char *what, unsigned long start)
{
	TRUE(servers_answer());
	unsigned long now = robust_free_kib();
	printf("%s: free memory back: %s\n", what, now + SLACK_KIB >= start ? "yes" : "no");
	if (now + SLACK_KIB < start)
		contract_fail(__LINE__, "free KiB %lu, at the start %lu", now, start);
}

int main(int argc, char **argv)
{
	int p[2], r[2], st;
	char c;
	if (argc > 1 && !strcmp(argv[1], "ok"))
		return 0;
	contract_begin("reclaim_oom");
	unsigned long start = robust_free_kib();
	TRUE(start > 0);

	/* The probe: how much one process may touch. */
	VAL(pipe(p), 0);
	VAL(pipe(r), 0);
	pid_t probe = hog(0, 0, p[1], r[1]);
	close(p[1]);
	close(r[1]);
	long cap = drain(p[0]);
	close(p[0]);
	close(r[0]);
	TRUE(waitpid(probe, &st, 0) == probe);
	printf("the probe: %s\n", how(st));
	TRUE(killed(st));
	TRUE(cap >= 32);
	fprintf(stderr, "reclaim_oom: a process may touch %ld MiB\n", cap);
	after("the probe", start);

	/* 1: the big idle one dies, the small allocator succeeds. */
	unsigned long big_mib = (unsigned long)cap * 55 / 100;
	VAL(pipe(r), 0);
	pid_t big = hog(big_mib, 1, -1, r[1]);
	TRUE(read(r[0], &c, 1) == 1); /* it holds its memory now */
	pid_t small = hog(big_mib, 0, -1, r[1]);
	close(r[1]);
	TRUE(waitpid(small, &st, 0) == small);
	printf("1: the small allocator: %s\n", how(st));
	TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	pid_t w = waitpid(big, &st, WNOHANG);
	printf("1: the big idle process: %s\n", w == big ? how(st) : "alive");
	TRUE(w == big && killed(st));
	if (w != big) {
		kill(big, SIGKILL);
		waitpid(big, &st, 0);
	}
	close(r[0]);
	after("1", start);

	/* 2: the allocator outgrows the idle one: it is the one killed. */
	VAL(pipe(r), 0);
	pid_t idle = hog((unsigned long)cap * 20 / 100, 1, -1, r[1]);
	TRUE(read(r[0], &c, 1) == 1);
	pid_t grower = hog(0, 0, -1, r[1]);
	close(r[1]);
	TRUE(waitpid(grower, &st, 0) == grower);
	printf("2: the allocator without end: %s\n", how(st));
	TRUE(killed(st));
	w = waitpid(idle, &st, WNOHANG);
	printf("2: the small idle process: %s\n", w == 0 ? "alive" : how(st));
	TRUE(w == 0);
	kill(idle, SIGKILL);
	waitpid(idle, &st, 0);
	close(r[0]);
	after("2", start);

	/* 3: init holds the most, yet the child is the one killed. */
	unsigned long init_mib = (unsigned long)cap * 50 / 100;
	char *mine = touch(init_mib, -1);
	VAL(pipe(r), 0);
	grower = hog(0, 0, -1, r[1]);
	close(r[1]);
	TRUE(waitpid(grower, &st, 0) == grower);
	printf("3: the child beside a bigger init: %s\n", how(st));
	TRUE(killed(st));
	TRUE(check(mine, init_mib));
	close(r[0]);
	TRUE(munmap(mine, init_mib * MIB) == 0);
	after("3", start);

	/* 4: the memory runs out inside a system call (read into pages
	 * never touched): the big idle one is killed and the read goes on,
	 * as Linux's allocator calls the OOM killer and tries again. */
	VAL(pipe(r), 0);
	big = hog(big_mib, 1, -1, r[1]);
	TRUE(read(r[0], &c, 1) == 1);
	close(r[1]);
	close(r[0]);
	pid_t reader = fork();
	if (reader == 0) {
		int z = open("oom-data", O_RDWR | O_CREAT | O_TRUNC, 0644);
		static char piece[4096];
		for (int i = 0; z >= 0 && i < 256; i++)
			(void)!write(z, piece, sizeof(piece)); /* 1 MiB in vfs, not ours */
		char *m = mmap(NULL, big_mib * MIB, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (z < 0 || m == MAP_FAILED) {
			printf("4: open %d, mmap %s\n", z, m == MAP_FAILED ? "failed" : "ok");
			_exit(30);
		}
		for (unsigned long i = 0; i < big_mib; i++) {
			long n = pread(z, m + i * MIB, MIB, 0);
			if (n != (long)MIB) {
				printf("4: pread %lu: %ld %s\n", i, n,
				       n < 0 ? errno_name(errno) : "");
				_exit(31);
			}
		}
		_exit(0);
	}
	TRUE(waitpid(reader, &st, 0) == reader);
	printf("4: the reader: %s\n", how(st));
	TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	w = waitpid(big, &st, WNOHANG);
	printf("4: the big idle process: %s\n", w == big ? how(st) : "alive");
	TRUE(w == big && killed(st));
	if (w != big) {
		kill(big, SIGKILL);
		waitpid(big, &st, 0);
	}
	unlink("oom-data");
	after("4", start);

	ERR(wait(NULL), ECHILD);
	return contract_end();
}
