/* The interval timer's signal while the thread is inside a call that
 * changes the signal state: every call returns, every SIGALRM comes.
 * (libposix's timer upcall generated SIGALRM, which takes the signal
 * state's lock, while the thread it interrupted held that lock in
 * rt_sigaction or sigprocmask: it waited for itself for good.) */
#include "contract.h"
#include <signal.h>
#include <sys/time.h>
#include <time.h>

static volatile long alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART }, old;
	sigset_t set, prev;
	struct timespec t0, t1;
	long calls = 0;
	contract_begin("signal_timer_lock");

	VAL(sigaction(SIGALRM, &sa, NULL), 0);
	struct itimerval it = { { 0, 200 }, { 0, 200 } };
	VAL(setitimer(ITIMER_REAL, &it, NULL), 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (int i = 0; i < 100; i++) {
			sigaction(SIGUSR2, &sa, &old);
			sigprocmask(SIG_BLOCK, &set, &prev);
			sigprocmask(SIG_SETMASK, &prev, NULL);
			calls += 3;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
	} while ((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 < 3000);
	it = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	VAL(setitimer(ITIMER_REAL, &it, NULL), 0);
	TRUE(calls > 1000);
	TRUE(alarms > 10);
	return contract_end();
}
