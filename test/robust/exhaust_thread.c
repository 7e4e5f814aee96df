/* A thread bomb meets EAGAIN and the system stays usable. BOMBS
 * processes each make threads (clone with CLONE_VM | CLONE_THREAD |
 * CLONE_SIGHAND ..., musl's pthread_create) as fast as they can, every
 * new thread making more, until clone says EAGAIN (here: a process's
 * thread table, POSIX_THREADS_MAX, and proc's system-wide threads-max;
 * Linux: RLIMIT_NPROC, which counts threads, threads-max and the pid
 * space). Meanwhile pid 1 keeps answering (a 20 ms sleep wakes within a
 * bound). Then the threads exit and are joined, and each process makes
 * them again: as many as the first time (proc gave every thread's slot
 * back), then exits. Run twice: the free frames after the second bomb
 * are what they were after the first, within a small slack of the
 * start, and a normal program runs. tern only: a root thread bomb on the
 * host meets the host's own threads-max. */
#include "robust.h"
#include <pthread.h>
#include <sched.h>

#define BOMBS 8
#define MAX_THREADS 4096
#define STACK (64 << 10)
#define SLACK_KIB 2048

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int made, first_err, done_making;
static int hold; /* read end every thread blocks on until it closes */
static pthread_t ids[MAX_THREADS];

static void *bomb_thread(void *arg);

/* Make threads until clone fails; 0 or the errno of the failure. */
static int spawn(void)
{
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, STACK);
	for (;;) {
		pthread_mutex_lock(&lock);
		if (first_err || made >= MAX_THREADS) {
			pthread_mutex_unlock(&lock);
			break;
		}
		int slot = made++;
		int e = pthread_create(&ids[slot], &a, bomb_thread, NULL);
		if (e) {
			made--;
			if (!first_err)
				first_err = e;
		}
		pthread_mutex_unlock(&lock);
	}
	pthread_attr_destroy(&a);
	return first_err;
}

static void *bomb_thread(void *arg)
{
	char c;
	(void)arg;
	spawn(); /* every thread makes more */
	__atomic_add_fetch(&done_making, 1, __ATOMIC_SEQ_CST);
	while (read(hold, &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/* One wave in this process: threads until EAGAIN, all of them exit and
 * are joined. Returns how many there were; *err the failure's errno. */
static int wave(int *err)
{
	int p[2];
	if (pipe(p))
		return -1;
	hold = p[0];
	made = first_err = done_making = 0;
	*err = spawn();
	while (__atomic_load_n(&done_making, __ATOMIC_SEQ_CST) < made)
		sched_yield();
	int n = made;
	close(p[1]); /* every thread's read ends: they return */
	for (int i = 0; i < n; i++)
		pthread_join(ids[i], NULL);
	close(p[0]);
	return n;
}

/* A bomb process: two waves; reports { first count, its errno, second
 * count, its errno } through `out`. */
static void bomb(int out, int go)
{
	int r[4], e1, e2;
	char c;
	if (read(go, &c, 1) != 1)
		_exit(1);
	r[0] = wave(&e1);
	r[1] = e1;
	r[2] = wave(&e2);
	r[3] = e2;
	(void)!write(out, r, sizeof(r));
	_exit(0);
}

static int one_round(int round)
{
	int res[2], go[2], fails = 0, st;
	pid_t pids[BOMBS];
	if (pipe(res) || pipe(go))
		return 1;
	for (int i = 0; i < BOMBS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			close(res[0]);
			close(go[1]);
			bomb(res[1], go[0]);
		}
	}
	close(res[1]);
	close(go[0]);
	char g[BOMBS];
	memset(g, 'g', sizeof(g));
	(void)!write(go[1], g, sizeof(g));
	close(go[1]);
	/* pid 1 answers while the bombs run: twenty 20 ms sleeps, each woken
	 * within 1 s (under TCG). */
	long worst = 0;
	for (int i = 0; i < 20; i++) {
		long a = robust_now_ms();
		robust_sleep_ms(20);
		long d = robust_now_ms() - a;
		if (d > worst)
			worst = d;
	}
	printf("round %d: pid 1 answers while the bombs run: %s\n", round,
	       worst < 1000 ? "yes" : "no");
	if (worst >= 1000) {
		printf("FAIL: a 20 ms sleep took %ld ms\n", worst);
		fails++;
	}
	int eagain = 0, same = 0, total = 0, got = 0, r[4];
	while (read(res[0], r, sizeof(r)) == (long)sizeof(r)) {
		got++;
		eagain += r[1] == EAGAIN && r[3] == EAGAIN;
		same += r[0] == r[2] && r[0] > 1;
		total += r[0];
		fprintf(stderr, "round %d: a bomb made %d threads (%s), then %d (%s)\n", round,
			r[0], errno_name(r[1]), r[2], errno_name(r[3]));
	}
	close(res[0]);
	printf("round %d: bombs that met EAGAIN twice: %d of %d\n", round, eagain, BOMBS);
	printf("round %d: bombs that made as many threads the second time: %d of %d\n", round, same,
	       BOMBS);
	if (got != BOMBS || eagain != BOMBS || same != BOMBS)
		fails++;
	int reaped = 0;
	for (int i = 0; i < BOMBS; i++)
		if (waitpid(pids[i], &st, 0) == pids[i] && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			reaped++;
	printf("round %d: bombs exited and reaped: %d of %d\n", round, reaped, BOMBS);
	if (reaped != BOMBS)
		fails++;
	fprintf(stderr, "round %d: %d threads in all\n", round, total);
	return fails;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return 0; /* the normal program run afterwards */
	contract_begin("exhaust_thread");
	unsigned long start = robust_free_kib();
	TRUE(start > 0);
	contract_failures += one_round(1);
	unsigned long after1 = robust_free_kib();
	TRUE(robust_runs("/init", "ok"));
	contract_failures += one_round(2);
	unsigned long after2 = robust_free_kib();
	TRUE(robust_runs("/init", "ok"));
	ERR(wait(NULL), ECHILD);
	int ok = after2 + SLACK_KIB >= after1 && after1 + SLACK_KIB >= start;
	printf("free memory reclaimed after each bomb: %s\n", ok ? "yes" : "no");
	if (!ok)
		contract_fail(__LINE__, "free KiB: start %lu, after one bomb %lu, after two %lu",
			      start, after1, after2);
	fprintf(stderr, "free KiB: start %lu, after one bomb %lu, after two %lu\n", start, after1,
		after2);
	return contract_end();
}
