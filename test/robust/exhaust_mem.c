/* Memory exhaustion: a process that maps and touches memory until it
 * fails gets ENOMEM from mmap (or brk), or is killed by SIGKILL as
 * Linux's OOM killer kills; never a server. Three hogs in turn: mmap
 * of 1 MiB pieces, each touched; brk in 1 MiB steps, touched; one huge
 * mapping touched page by page (no mmap can fail there: only the kill
 * ends it). After each, pid 1 forks, execs, opens, writes files and
 * pipes (every server answers), and the free frames come back. tern
 * only: on the host the hogs would meet the host's own OOM killer. */
#include "robust.h"
#include <sys/mman.h>

#define MIB (1ul << 20)
#define SLACK_KIB 4096

enum { HOG_MMAP, HOG_BRK, HOG_TOUCH };

static void hog(int kind, int report)
{
	unsigned long n = 0;
	char e = 0;
	if (kind == HOG_MMAP) {
		for (;;) {
			char *m = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (m == MAP_FAILED) {
				e = (char)errno;
				break;
			}
			for (unsigned long i = 0; i < MIB; i += 4096)
				m[i] = 1;
			n++;
		}
	} else if (kind == HOG_BRK) {
		char *b = sbrk(0);
		for (;;) {
			char *nb = (char *)syscall(SYS_brk, b + MIB);
			if (nb != b + MIB) {
				e = ENOMEM; /* brk returns the old break */
				break;
			}
			for (unsigned long i = 0; i < MIB; i += 4096)
				b[i] = 1;
			b = nb;
			n++;
		}
	} else {
		unsigned long len = 64ul << 30;
		char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (m == MAP_FAILED)
			e = (char)errno;
		else
			for (unsigned long i = 0; i < len; i += 4096)
				m[i] = 1;
	}
	(void)!write(report, &e, 1);
	_exit(0);
}

/* Every server still answers pid 1. */
static int servers_answer(void)
{
	int ok = 1, p[2];
	char buf[8] = { 0 };
	int fd = open("robust-file", O_CREAT | O_RDWR | O_TRUNC, 0644);
	ok &= fd >= 0 && write(fd, "abc", 3) == 3 && pread(fd, buf, 3, 0) == 3 &&
	      memcmp(buf, "abc", 3) == 0;
	close(fd);
	ok &= unlink("robust-file") == 0;
	ok &= pipe(p) == 0 && write(p[1], "z", 1) == 1 && read(p[0], buf, 1) == 1;
	close(p[0]);
	close(p[1]);
	void *m = mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ok &= m != MAP_FAILED && memset(m, 1, 4 * MIB) && munmap(m, 4 * MIB) == 0;
	ok &= robust_runs("/init", "ok");
	ok &= write(1, "", 0) == 0;
	return ok;
}

static const char *const names[] = { "mmap pieces", "brk steps", "one huge mapping" };

int main(int argc, char **argv)
{
	if (argc > 1)
		return 0;
	contract_begin("exhaust_mem");
	unsigned long start = robust_free_kib(), low = start;
	TRUE(start > 0);
	for (int kind = 0; kind < 3; kind++) {
		int p[2], st;
		char e = 0;
		VAL(pipe(p), 0);
		pid_t pid = fork();
		if (pid == 0) {
			close(p[0]);
			hog(kind, p[1]);
		}
		close(p[1]);
		long got = read(p[0], &e, 1);
		close(p[0]);
		TRUE(waitpid(pid, &st, 0) == pid);
		const char *how;
		if (got == 1 && e == ENOMEM && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			how = "ENOMEM";
		else if (got == 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
			how = "killed by SIGKILL";
		else
			how = NULL;
		printf("%s until it fails: %s\n", names[kind], how ? how : "something else");
		if (!how)
			contract_fail(__LINE__, "got %ld errno %d status %#x", got, e, st);
		if (kind == HOG_TOUCH && how && strcmp(how, "killed by SIGKILL"))
			contract_fail(__LINE__, "the huge mapping's toucher must be killed");
		TRUE(servers_answer());
		unsigned long now = robust_free_kib();
		printf("%s: free memory back: %s\n", names[kind],
		       now + SLACK_KIB >= start ? "yes" : "no");
		if (now + SLACK_KIB < start)
			contract_fail(__LINE__, "free KiB %lu, at the start %lu", now, start);
		if (now < low)
			low = now;
	}
	/* Not here: the OOM killer's choice between processes (the
	 * largest by oom_badness, never init): robust.reclaim_oom. */
	ERR(wait(NULL), ECHILD);
	fprintf(stderr, "free KiB at the start %lu, lowest after a hog %lu\n", start, low);
	return contract_end();
}
