/* The timers without their signals: alarm's returns (rounded as Linux),
 * setitimer's old value and getitimer for ITIMER_REAL, ITIMER_VIRTUAL
 * disarmed, the errors of setitimer; timer_create's ids (from 0, not
 * reused at once), its EINVAL and EFAULT, timer_settime/gettime (relative,
 * TIMER_ABSTIME, interval, disarm), timer_getoverrun, timer_delete. Every
 * timer is disarmed or far away before it could fire. Raw syscalls: the
 * kernel's answers, not libc's. */
#include "contract.h"
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static long sc(long n, long a, long b, long c, long d)
{
	return syscall(n, a, b, c, d);
}

int main(void)
{
	contract_begin("timer_query");

	/* alarm: the seconds left, rounded up from half a second. */
	VAL(alarm(100), 0);
	VAL(alarm(200), 100);
	VAL(alarm(0), 200);
	VAL(alarm(0), 0);

	/* setitimer / getitimer (ITIMER_REAL). */
	struct itimerval nv = { { 5, 0 }, { 100, 0 } }, ov, cur;
	OK(setitimer(ITIMER_REAL, &nv, &ov));
	TRUE(ov.it_value.tv_sec == 0 && ov.it_value.tv_usec == 0);
	OK(getitimer(ITIMER_REAL, &cur));
	TRUE(cur.it_interval.tv_sec == 5 && cur.it_interval.tv_usec == 0);
	TRUE(cur.it_value.tv_sec >= 98 && cur.it_value.tv_sec <= 100);
	VAL(alarm(0), 100); /* alarm shares it */
	OK(getitimer(ITIMER_REAL, &cur));
	TRUE(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0 && cur.it_interval.tv_sec == 0);
	nv.it_value.tv_usec = 1000000;
	ERR(setitimer(ITIMER_REAL, &nv, NULL), EINVAL);
	nv.it_value.tv_usec = -1;
	ERR(setitimer(ITIMER_REAL, &nv, NULL), EINVAL);
	nv = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	ERR(setitimer(3, &nv, NULL), EINVAL);
	ERR(getitimer(3, &cur), EINVAL);
	ERR(sc(SYS_getitimer, ITIMER_REAL, 0, 0, 0), EFAULT);
	ERR(sc(SYS_setitimer, ITIMER_REAL, 8, 0, 0), EFAULT);
	OK(getitimer(ITIMER_VIRTUAL, &cur)); /* never armed */
	TRUE(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0);
	OK(setitimer(ITIMER_PROF, &nv, NULL)); /* disarming is fine */

	/* timer_create: ids from 0, up. */
	int id0 = -1, id1 = -1, id2 = -1;
	OK(sc(SYS_timer_create, CLOCK_MONOTONIC, 0, (long)&id0, 0));
	VAL(id0, 0);
	struct sigevent ev = { 0 };
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGRTMIN + 1;
	ev.sigev_value.sival_int = 7;
	OK(sc(SYS_timer_create, CLOCK_REALTIME, (long)&ev, (long)&id1, 0));
	VAL(id1, 1);
	ev.sigev_signo = 65;
	ERR(sc(SYS_timer_create, CLOCK_MONOTONIC, (long)&ev, (long)&id2, 0), EINVAL);
	ev.sigev_signo = SIGUSR1;
	ev.sigev_notify = 99;
	ERR(sc(SYS_timer_create, CLOCK_MONOTONIC, (long)&ev, (long)&id2, 0), EINVAL);
	ev.sigev_notify = SIGEV_NONE;
	ERR(sc(SYS_timer_create, 12345, (long)&ev, (long)&id2, 0), EINVAL);
	ERR(sc(SYS_timer_create, CLOCK_MONOTONIC, 8, (long)&id2, 0), EFAULT);
	OK(sc(SYS_timer_create, CLOCK_BOOTTIME, (long)&ev, (long)&id2, 0));
	VAL(id2, 4); /* the refused sigevents used up ids 2 and 3 */

	/* settime / gettime / getoverrun. */
	struct itimerspec its = { { 1, 0 }, { 50, 0 } }, ots, cts;
	OK(sc(SYS_timer_settime, id1, 0, (long)&its, (long)&ots));
	TRUE(ots.it_value.tv_sec == 0 && ots.it_value.tv_nsec == 0);
	OK(sc(SYS_timer_gettime, id1, (long)&cts, 0, 0));
	TRUE(cts.it_interval.tv_sec == 1 && cts.it_value.tv_sec >= 48 && cts.it_value.tv_sec <= 50);
	VAL(sc(SYS_timer_getoverrun, id1, 0, 0, 0), 0);
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	its = (struct itimerspec){ { 0, 0 }, { now.tv_sec + 60, now.tv_nsec } };
	OK(sc(SYS_timer_settime, id1, TIMER_ABSTIME, (long)&its, (long)&ots));
	TRUE(ots.it_interval.tv_sec == 1 && ots.it_value.tv_sec >= 48);
	OK(sc(SYS_timer_gettime, id1, (long)&cts, 0, 0));
	TRUE(cts.it_interval.tv_sec == 0 && cts.it_value.tv_sec >= 58 && cts.it_value.tv_sec <= 60);
	its = (struct itimerspec){ { 0, 0 }, { 0, 0 } };
	OK(sc(SYS_timer_settime, id1, 0, (long)&its, 0));
	OK(sc(SYS_timer_gettime, id1, (long)&cts, 0, 0));
	TRUE(cts.it_value.tv_sec == 0 && cts.it_value.tv_nsec == 0);
	/* A SIGEV_NONE one-shot that expired reads 0. */
	its = (struct itimerspec){ { 0, 0 }, { 0, 1000 } };
	OK(sc(SYS_timer_settime, id2, 0, (long)&its, 0));
	nanosleep(&(struct timespec){ 0, 2000000 }, NULL);
	OK(sc(SYS_timer_gettime, id2, (long)&cts, 0, 0));
	TRUE(cts.it_value.tv_sec == 0 && cts.it_value.tv_nsec == 0);
	/* Errors. */
	its.it_value.tv_nsec = 1000000000;
	ERR(sc(SYS_timer_settime, id1, 0, (long)&its, 0), EINVAL);
	its.it_value.tv_nsec = 0;
	ERR(sc(SYS_timer_settime, id1, 0, 0, 0), EINVAL);
	ERR(sc(SYS_timer_settime, id1, 0, 8, 0), EFAULT);
	ERR(sc(SYS_timer_settime, 77, 0, (long)&its, 0), EINVAL);
	ERR(sc(SYS_timer_gettime, 77, (long)&cts, 0, 0), EINVAL);
	ERR(sc(SYS_timer_gettime, id1, 8, 0, 0), EFAULT);
	ERR(sc(SYS_timer_getoverrun, 77, 0, 0, 0), EINVAL);
	ERR(sc(SYS_timer_getoverrun, -1, 0, 0, 0), EINVAL);
	/* delete: the id is gone, and not handed out again at once. */
	OK(sc(SYS_timer_delete, id0, 0, 0, 0));
	ERR(sc(SYS_timer_delete, id0, 0, 0, 0), EINVAL);
	ERR(sc(SYS_timer_gettime, id0, (long)&cts, 0, 0), EINVAL);
	int id5 = -1;
	OK(sc(SYS_timer_create, CLOCK_MONOTONIC, 0, (long)&id5, 0));
	VAL(id5, 5);
	OK(sc(SYS_timer_delete, id1, 0, 0, 0));
	OK(sc(SYS_timer_delete, id2, 0, 0, 0));
	OK(sc(SYS_timer_delete, id5, 0, 0, 0));
	return contract_end();
}
