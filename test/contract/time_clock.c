/* Clocks: monotonic never goes back (vDSO and syscall interleaved), the
 * realtime clock agrees with gettimeofday and time, resolutions, and the
 * other clocks Linux has. */
#include "contract.h"
#include <sys/time.h>
#include <time.h>

static int64_t ns(struct timespec t)
{
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

int main(void)
{
	struct timespec t, u, r;
	struct timeval tv;
	contract_begin("time_clock");

	int back = 0, bad_nsec = 0;
	VAL(clock_gettime(CLOCK_MONOTONIC, &t), 0);
	for (int i = 0; i < 2000; i++) {
		if (i % 2)
			syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &u);
		else
			clock_gettime(CLOCK_MONOTONIC, &u); /* musl: the vDSO */
		back += ns(u) < ns(t);
		bad_nsec += u.tv_nsec < 0 || u.tv_nsec >= 1000000000;
		t = u;
	}
	VAL(back, 0);
	VAL(bad_nsec, 0);
	/* It moves: a busy loop of a few million steps takes time. */
	VAL(clock_gettime(CLOCK_MONOTONIC, &t), 0);
	volatile unsigned x = 0;
	for (int i = 0; i < 3000000; i++)
		x += i;
	VAL(clock_gettime(CLOCK_MONOTONIC, &u), 0);
	TRUE(ns(u) > ns(t));

	/* Realtime: after 2020, and the same as gettimeofday and time. */
	VAL(clock_gettime(CLOCK_REALTIME, &t), 0);
	TRUE(t.tv_sec > 1577836800);
	VAL(gettimeofday(&tv, NULL), 0);
	TRUE(tv.tv_sec >= t.tv_sec && tv.tv_sec <= t.tv_sec + 2);
	TRUE(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	VAL(syscall(SYS_gettimeofday, &tv, NULL), 0);
	TRUE(tv.tv_sec >= t.tv_sec && tv.tv_sec <= t.tv_sec + 2);
	time_t now = time(NULL);
	TRUE(now >= t.tv_sec && now <= t.tv_sec + 2);
	long sys_now = syscall(SYS_time, NULL);
	TRUE(sys_now >= t.tv_sec && sys_now <= t.tv_sec + 2);
	VAL(syscall(SYS_clock_gettime, CLOCK_REALTIME, &u), 0);
	TRUE(ns(u) >= ns(t) && u.tv_sec <= t.tv_sec + 2);

	/* Resolutions: 1 ns for the high-resolution clocks. */
	VAL(clock_getres(CLOCK_MONOTONIC, &r), 0);
	TRUE(r.tv_sec == 0 && r.tv_nsec == 1);
	VAL(clock_getres(CLOCK_REALTIME, &r), 0);
	TRUE(r.tv_sec == 0 && r.tv_nsec == 1);
	VAL(clock_getres(CLOCK_BOOTTIME, &r), 0);
	TRUE(r.tv_sec == 0 && r.tv_nsec == 1);
	VAL(clock_getres(CLOCK_MONOTONIC_COARSE, &r), 0);
	TRUE(r.tv_sec == 0 && r.tv_nsec >= 1000 && r.tv_nsec <= 10000000);

	/* The other clocks. */
	VAL(clock_gettime(CLOCK_MONOTONIC, &t), 0);
	VAL(clock_gettime(CLOCK_BOOTTIME, &u), 0);
	TRUE(ns(u) >= ns(t));
	VAL(clock_gettime(CLOCK_MONOTONIC_RAW, &u), 0);
	TRUE(u.tv_sec >= 0 && u.tv_nsec < 1000000000);
	/* The coarse clock is the monotonic clock at the last tick: no later
	 * than a read after it, and not much earlier than one before it. */
	VAL(clock_gettime(CLOCK_MONOTONIC, &t), 0);
	VAL(clock_gettime(CLOCK_MONOTONIC_COARSE, &u), 0);
	VAL(clock_gettime(CLOCK_MONOTONIC, &r), 0);
	TRUE(ns(u) <= ns(r) && ns(u) > ns(t) - 100000000);
	VAL(clock_gettime(CLOCK_REALTIME_COARSE, &u), 0);
	TRUE(u.tv_sec > 1577836800);
	return contract_end();
}
