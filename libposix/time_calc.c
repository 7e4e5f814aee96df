/*
 * Pure time arithmetic for libposix/time.c (time_calc.h).
 */
#include "time_calc.h"

#include "posix/errno.h"

bool posix_timespec_valid(const struct posix_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && (uint64_t)ts->tv_nsec < POSIX_NSEC_PER_SEC;
}

uint64_t posix_timespec_ns(const struct posix_timespec *ts)
{
	uint64_t s = (uint64_t)ts->tv_sec;

	if (s > (UINT64_MAX - POSIX_NSEC_PER_SEC) / POSIX_NSEC_PER_SEC)
		return UINT64_MAX;
	return s * POSIX_NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

uint64_t posix_sleep_deadline(int64_t clk, int flags, const struct posix_timespec *req,
			      uint64_t now, uint64_t realtime_base)
{
	uint64_t ns = posix_timespec_ns(req), deadline;

	if (!(flags & TIMER_ABSTIME)) {
		deadline = add_sat(now, ns);
	} else if (clk == CLOCK_REALTIME || clk == CLOCK_TAI || clk == CLOCK_REALTIME_ALARM) {
		deadline = ns > realtime_base ? ns - realtime_base : 0;
	} else {
		deadline = ns; /* MONOTONIC and BOOTTIME are the kernel's clock */
	}
	if (deadline < now)
		deadline = now;
	return deadline ? deadline : 1;
}

void posix_sleep_remaining(uint64_t deadline, uint64_t now, struct posix_timespec *rem)
{
	uint64_t left = deadline > now ? deadline - now : 0;

	rem->tv_sec = (int64_t)(left / POSIX_NSEC_PER_SEC);
	rem->tv_nsec = (int64_t)(left % POSIX_NSEC_PER_SEC);
}

int posix_nanosleep_clock_check(int64_t clk)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
		return 0;
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_THREAD_CPUTIME_ID:
		return -EOPNOTSUPP;
	default:
		/* CLOCK_PROCESS_CPUTIME_ID too: FIXME: needs per-thread CPU
		 * time from the kernel. */
		return -EINVAL;
	}
}
