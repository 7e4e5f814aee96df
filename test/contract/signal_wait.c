/* Waiting for signals (no fork, no timers but sigtimedwait's own):
 * sigsuspend runs the handler of a signal pending under the old mask and
 * returns -1 EINTR with the mask restored; sigpending; sigwaitinfo and
 * sigtimedwait take a pending blocked signal with its siginfo and no
 * handler; sigtimedwait with nothing pending times out (EAGAIN) after
 * about its timeout, and with a zero timeout at once; real-time signals
 * queue in order with their values; EINVAL for a bad timeout. */
#include "contract.h"
#include <time.h>

#define BIT(s) (1ull << ((s)-1))

static int count, last;
static uint64_t mask_in;

static void handler(int sig)
{
	count++;
	last = sig;
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &mask_in, 8);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	sigset_t set, none, pend;
	siginfo_t si;
	struct sigaction sa;
	contract_begin("signal_wait");

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	VAL(sigaction(SIGUSR1, &sa, NULL), 0);
	VAL(sigaction(SIGUSR2, &sa, NULL), 0);
	VAL(sigaction(SIGRTMIN + 3, &sa, NULL), 0);

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGRTMIN + 3);
	VAL(sigprocmask(SIG_BLOCK, &set, NULL), 0);
	VAL(kill(getpid(), SIGUSR1), 0);
	VAL(count, 0);
	VAL(sigpending(&pend), 0);
	TRUE(sigismember(&pend, SIGUSR1) == 1 && sigismember(&pend, SIGUSR2) == 0);

	/* sigsuspend with SIGUSR1 unblocked: its handler, then EINTR. */
	sigemptyset(&none);
	sigaddset(&none, SIGUSR2);
	ERR(sigsuspend(&none), EINTR);
	VAL(count, 1);
	TRUE(last == SIGUSR1);
	TRUE(mask_in == (BIT(SIGUSR1) | BIT(SIGUSR2))); /* sigsuspend's mask + SIGUSR1 */
	uint64_t m = 0;
	VAL(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8), 0);
	TRUE(m == (BIT(SIGUSR1) | BIT(SIGUSR2) | BIT(SIGRTMIN + 3))); /* restored */
	VAL(sigpending(&pend), 0);
	TRUE(sigismember(&pend, SIGUSR1) == 0);

	/* sigwaitinfo/sigtimedwait: taken without the handler. */
	count = 0;
	VAL(kill(getpid(), SIGUSR2), 0);
	memset(&si, 0, sizeof(si));
	VAL(sigwaitinfo(&set, &si), SIGUSR2);
	TRUE(si.si_signo == SIGUSR2 && si.si_code == SI_USER && si.si_pid == getpid());
	VAL(count, 0);
	union sigval v;
	v.sival_int = 1;
	VAL(sigqueue(getpid(), SIGRTMIN + 3, v), 0);
	v.sival_int = 2;
	VAL(sigqueue(getpid(), SIGRTMIN + 3, v), 0);
	struct timespec ts = { 1, 0 };
	memset(&si, 0, sizeof(si));
	VAL(sigtimedwait(&set, &si, &ts) == SIGRTMIN + 3, 1);
	TRUE(si.si_code == SI_QUEUE && si.si_value.sival_int == 1);
	memset(&si, 0, sizeof(si));
	VAL(sigtimedwait(&set, &si, &ts) == SIGRTMIN + 3, 1);
	TRUE(si.si_code == SI_QUEUE && si.si_value.sival_int == 2);
	VAL(count, 0);

	/* Nothing pending: the timeout. */
	ts = (struct timespec){ 0, 0 };
	ERR(sigtimedwait(&set, &si, &ts), EAGAIN);
	ts = (struct timespec){ 0, 200 * 1000 * 1000 };
	double t0 = now();
	ERR(sigtimedwait(&set, &si, &ts), EAGAIN);
	double dt = now() - t0;
	TRUE(dt >= 0.2 && dt < 2.0);
	ts = (struct timespec){ 0, 1000 * 1000 * 1000 };
	ERR(sigtimedwait(&set, &si, &ts), EINVAL);
	ts = (struct timespec){ -1, 0 };
	ERR(sigtimedwait(&set, &si, &ts), EINVAL);

	/* The handlers get what is left once unblocked. */
	VAL(kill(getpid(), SIGUSR2), 0);
	VAL(sigprocmask(SIG_UNBLOCK, &set, NULL), 0);
	VAL(count, 1);
	TRUE(last == SIGUSR2);
	return contract_end();
}
