/* The timers' signals: a POSIX timer's siginfo (SI_TIMER, si_timerid,
 * si_overrun, the sigevent's value), the default sigevent (SIGALRM with
 * the id as value), SIGEV_THREAD_ID to this thread, SIGEV_NONE sending
 * nothing, ITIMER_REAL's SIGALRM (SI_KERNEL) repeating at its interval
 * and interrupting a sleep, alarm's SIGALRM. Raw syscalls for the timer
 * calls. */
#include "contract.h"
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile int got, got_sig, got_code, got_timerid, got_overrun, got_value;

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got++;
	got_sig = sig;
	got_code = si->si_code;
	got_timerid = si->si_timerid;
	got_overrun = si->si_overrun;
	got_value = si->si_value.sival_int;
}

/* Sleep in small steps until the handler ran n times (at most 2 s). */
static void wait_for(int n)
{
	for (int i = 0; i < 200 && got < n; i++)
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
}

int main(void)
{
	contract_begin("timer_signals");
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	OK(sigaction(SIGRTMIN + 2, &sa, NULL));
	OK(sigaction(SIGALRM, &sa, NULL));
	OK(sigaction(SIGUSR1, &sa, NULL));

	/* SIGEV_SIGNAL with a value. */
	struct sigevent ev;
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGRTMIN + 2;
	ev.sigev_value.sival_int = 0x55;
	int id = -1;
	OK(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id));
	struct itimerspec its = { { 0, 0 }, { 0, 10000000 } };
	OK(syscall(SYS_timer_settime, id, 0, &its, NULL));
	wait_for(1);
	VAL(got, 1);
	TRUE(got_sig == SIGRTMIN + 2);
	VAL(got_code, SI_TIMER);
	VAL(got_timerid, id);
	VAL(got_overrun, 0);
	VAL(got_value, 0x55);
	VAL(syscall(SYS_timer_getoverrun, id), 0);
	struct itimerspec cur;
	OK(syscall(SYS_timer_gettime, id, &cur));
	TRUE(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0); /* one shot, done */

	/* The default sigevent: SIGALRM, the id as the value. */
	int id2 = -1;
	OK(syscall(SYS_timer_create, CLOCK_REALTIME, NULL, &id2));
	OK(syscall(SYS_timer_settime, id2, 0, &its, NULL));
	wait_for(2);
	VAL(got, 2);
	VAL(got_sig, SIGALRM);
	VAL(got_code, SI_TIMER);
	VAL(got_value, id2);
	VAL(got_timerid, id2);

	/* SIGEV_THREAD_ID: to this thread. */
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_signo = SIGUSR1;
	ev.sigev_notify_thread_id = (int)syscall(SYS_gettid);
	int id3 = -1;
	OK(syscall(SYS_timer_create, CLOCK_BOOTTIME, &ev, &id3));
	OK(syscall(SYS_timer_settime, id3, 0, &its, NULL));
	wait_for(3);
	VAL(got, 3);
	VAL(got_sig, SIGUSR1);
	VAL(got_timerid, id3);

	/* SIGEV_NONE: nothing comes. */
	ev.sigev_notify = SIGEV_NONE;
	int id4 = -1;
	OK(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id4));
	OK(syscall(SYS_timer_settime, id4, 0, &its, NULL));
	nanosleep(&(struct timespec){ 0, 30000000 }, NULL);
	VAL(got, 3);

	/* ITIMER_REAL every 10 ms: SIGALRM from the kernel, again and again;
	 * each cuts a long sleep short (EINTR, time left). */
	struct itimerval iv = { { 0, 10000 }, { 0, 10000 } };
	OK(setitimer(ITIMER_REAL, &iv, NULL));
	struct timespec rem = { 0, 0 };
	ERR(nanosleep(&(struct timespec){ 5, 0 }, &rem), EINTR);
	TRUE(rem.tv_sec >= 4 && rem.tv_sec <= 5);
	VAL(got_sig, SIGALRM);
	VAL(got_code, SI_KERNEL);
	wait_for(6);
	TRUE(got >= 6);
	iv = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	OK(setitimer(ITIMER_REAL, &iv, NULL));
	int n = got;
	nanosleep(&(struct timespec){ 0, 40000000 }, NULL);
	VAL(got - n, 0); /* disarmed: no more */

	/* alarm(1): SIGALRM about a second later. */
	VAL(alarm(1), 0);
	ERR(pause(), EINTR);
	VAL(got - n, 1);
	VAL(got_sig, SIGALRM);
	VAL(got_code, SI_KERNEL);
	VAL(alarm(0), 0);
	return contract_end();
}
