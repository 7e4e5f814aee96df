/* Preemption: processes stuck in endless loops at the normal priority
 * do not starve pid 1 or the console. Two spinners (one per CPU this
 * system may have, and more than one on one CPU); pid 1 then sleeps
 * 10 ms 50 times and writes to the console and through a pipe to a
 * third process each time: every round must finish within 10 s (a
 * timeslice is 10 ms; the bound leaves room for TCG on a loaded host,
 * where 2 s was once exceeded: starvation is no answer at all), then the spinners are killed and
 * reaped. Host and tern. */
#include "robust.h"

#define ROUNDS 50
#define BOUND_MS 10000

int main(void)
{
	int p[2], q[2], st;
	pid_t spin[3];
	contract_begin("exhaust_spin");

	for (int i = 0; i < 3; i++) {
		spin[i] = fork();
		if (spin[i] == 0)
			for (;;)
				__asm__ volatile("" ::: "memory");
	}
	/* An echo process at the same priority: a round trip through it
	 * needs it to be scheduled against the spinners too. */
	VAL(pipe(p), 0);
	VAL(pipe(q), 0);
	pid_t echo = fork();
	if (echo == 0) {
		char c;
		close(p[1]);
		close(q[0]);
		while (read(p[0], &c, 1) == 1)
			(void)!write(q[1], &c, 1);
		_exit(0);
	}
	close(p[0]);
	close(q[1]);
	long worst = 0;
	int ok = 1;
	for (int i = 0; i < ROUNDS; i++) {
		char c = 'a' + i % 26;
		long t = robust_now_ms();
		robust_sleep_ms(10);
		ok &= write(1, "", 0) == 0;
		ok &= write(p[1], &c, 1) == 1;
		char d = 0;
		ok &= read(q[0], &d, 1) == 1 && d == c;
		long dt = robust_now_ms() - t;
		if (dt > worst)
			worst = dt;
	}
	TRUE(ok);
	printf("50 rounds of sleep, console write and pipe round trip beside 3 spinners: %s\n",
	       worst < BOUND_MS ? "each within the bound" : "too slow");
	if (worst >= BOUND_MS)
		contract_fail(__LINE__, "the slowest round took %ld ms", worst);
	for (int i = 0; i < 3; i++) {
		VAL(kill(spin[i], SIGKILL), 0);
		TRUE(waitpid(spin[i], &st, 0) == spin[i]);
		VAL(WIFSIGNALED(st) ? WTERMSIG(st) : -1, SIGKILL);
	}
	close(p[1]);
	TRUE(waitpid(echo, &st, 0) == echo);
	ERR(wait(NULL), ECHILD);
	return contract_end();
}
