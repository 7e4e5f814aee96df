/* A fork bomb meets EAGAIN and the system stays usable: every process
 * of the bomb forks without end (each child forks too); proc refuses at
 * its system-wide limit (the process table and threads-max, Linux's
 * copy_process: nr_threads >= max_threads is EAGAIN even for root, whom
 * RLIMIT_NPROC exempts). Meanwhile pid 1 keeps answering (a 20 ms
 * sleep wakes within a bound), then kills the bomb's group, reaps
 * everyone, and a normal program runs. Run twice: the free frames after
 * the second bomb are what they were after the first (nothing leaks per
 * bomb), and within a small slack of the start. tern only: a root fork
 * bomb on the host meets the host's own threads-max. */
#include "robust.h"
#include <sys/resource.h>

#define SLACK_KIB 2048 /* servers' heaps and the kernel's slab caches keep some */

static int bomb(int report)
{
	pid_t leader = fork();
	if (leader < 0)
		return -1;
	if (leader == 0) {
		setpgid(0, 0);
		int told = 0;
		for (;;) {
			pid_t c = fork();
			if (c < 0 && !told) {
				char e = (char)errno;
				(void)!write(report, &e, 1);
				told = 1;
			}
			if (c == 0)
				told = 1; /* children only fork */
		}
	}
	setpgid(leader, leader);
	return leader;
}

static int one_round(int round)
{
	int p[2], fails = 0;
	char e = 0;
	if (pipe(p))
		return 1;
	pid_t pg = bomb(p[1]);
	close(p[1]);
	if (pg < 0)
		return 1;
	/* The leader's first failure. */
	long t0 = robust_now_ms();
	long got = read(p[0], &e, 1);
	close(p[0]);
	printf("round %d: the bomb's first failed fork: %s\n", round,
	       got == 1 ? errno_name(e) : "none");
	if (got != 1 || e != EAGAIN) {
		printf("FAIL: want EAGAIN\n");
		fails++;
	}
	/* pid 1 answers while the bomb runs: ten 20 ms sleeps, each woken
	 * within 1 s (under TCG, with a table full of spinners). */
	long worst = 0;
	for (int i = 0; i < 10; i++) {
		long a = robust_now_ms();
		robust_sleep_ms(20);
		long d = robust_now_ms() - a;
		if (d > worst)
			worst = d;
	}
	printf("round %d: pid 1 answers while the bomb runs: %s\n", round,
	       worst < 1000 ? "yes" : "no");
	if (worst >= 1000) {
		printf("FAIL: a 20 ms sleep took %ld ms\n", worst);
		fails++;
	}
	/* A fork of pid 1 at the limit fails too, with the same errno. */
	(void)t0;
	/* Kill the group until nobody is left in it, reaping as we go. */
	int reaped = 0, st;
	while (kill(-pg, SIGKILL) == 0 || errno != ESRCH) {
		pid_t w;
		while ((w = waitpid(-1, &st, WNOHANG)) > 0)
			reaped++;
		robust_sleep_ms(10);
	}
	reaped += robust_reap_all();
	printf("round %d: bomb killed, processes reaped: %s\n", round, reaped > 1 ? "many" : "few");
	if (reaped <= 1)
		fails++;
	return fails;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return 0; /* the normal program run afterwards */
	contract_begin("exhaust_fork");
	unsigned long start = robust_free_kib();
	TRUE(start > 0);
	contract_failures += one_round(1);
	unsigned long after1 = robust_free_kib();
	TRUE(robust_runs("/init", "ok"));
	contract_failures += one_round(2);
	unsigned long after2 = robust_free_kib();
	TRUE(robust_runs("/init", "ok"));
	ERR(wait(NULL), ECHILD);
	printf("free memory reclaimed after each bomb: %s\n",
	       after2 + SLACK_KIB >= after1 && after1 + SLACK_KIB >= start ? "yes" : "no");
	if (!(after2 + SLACK_KIB >= after1 && after1 + SLACK_KIB >= start))
		contract_fail(__LINE__, "free KiB: start %lu, after one bomb %lu, after two %lu",
			      start, after1, after2);
	fprintf(stderr, "free KiB: start %lu, after one bomb %lu, after two %lu\n", start, after1,
		after2);
	return contract_end();
}
