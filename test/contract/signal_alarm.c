/* alarm (no fork): its return value is the previous alarm's remaining
 * seconds, rounded as Linux rounds (to the nearest second, and never 0
 * while one is set); alarm(0) cancels; after alarm(1) a SIGALRM handler
 * runs (si_code SI_KERNEL) and pause() returns -1 EINTR; the alarm is
 * then gone; getitimer(ITIMER_REAL) sees alarm's timer. */
#include "contract.h"
#include <sys/time.h>
#include <time.h>

static volatile int count, code;

static void handler(int sig, siginfo_t *si, void *ctx)
{
	count++;
	code = si->si_code;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	struct sigaction sa;
	struct itimerval it;
	contract_begin("signal_alarm");
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	VAL(sigaction(SIGALRM, &sa, NULL), 0);

	VAL(alarm(0), 0);
	VAL(alarm(5), 0);
	VAL(getitimer(ITIMER_REAL, &it), 0);
	TRUE(it.it_value.tv_sec == 4 || (it.it_value.tv_sec == 5 && it.it_value.tv_usec == 0));
	TRUE(it.it_interval.tv_sec == 0 && it.it_interval.tv_usec == 0);
	VAL(alarm(3), 5); /* 4.99... s left: rounded to 5 */
	VAL(alarm(100), 3);
	VAL(alarm(0), 100);
	VAL(alarm(0), 0);
	VAL(getitimer(ITIMER_REAL, &it), 0);
	TRUE(it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0);

	/* An alarm with 0.3 s left: 1 (never 0 while one is set). */
	it = (struct itimerval){ { 0, 0 }, { 0, 300000 } };
	VAL(setitimer(ITIMER_REAL, &it, NULL), 0);
	VAL(alarm(0), 1);
	/* With 1.7 s left: 2. */
	it = (struct itimerval){ { 0, 0 }, { 1, 700000 } };
	VAL(setitimer(ITIMER_REAL, &it, NULL), 0);
	VAL(alarm(0), 2);

	count = 0;
	double t0 = now();
	VAL(alarm(1), 0);
	ERR(pause(), EINTR);
	double dt = now() - t0;
	VAL(count, 1);
	TRUE(code == SI_KERNEL);
	TRUE(dt >= 0.95 && dt < 3.0);
	VAL(alarm(0), 0); /* gone */
	return contract_end();
}
