/*
 * The arithmetic of libposix's time calls, pure (no IPC, no clock reads)
 * so the host tests run exactly this code: Linux's timespec validity,
 * timespec to nanoseconds without overflow, a sleep's deadline on the
 * monotonic clock, the time left when it is cut short, and which clocks
 * each call accepts with Linux's errno for the others.
 */
#ifndef LIBPOSIX_TIME_CALC_H
#define LIBPOSIX_TIME_CALC_H

#include <stdbool.h>
#include <stdint.h>

#include "posix/time.h"

/* timespec64_valid: tv_sec >= 0 and 0 <= tv_nsec < 10^9. */
bool posix_timespec_valid(const struct posix_timespec *ts);
/* A valid timespec in ns, UINT64_MAX when it does not fit (a sleep that
 * long never ends anyway). */
uint64_t posix_timespec_ns(const struct posix_timespec *ts);

/*
 * The monotonic deadline of clock_nanosleep(clk, flags, req) at monotonic
 * time `now`, with CLOCK_REALTIME `realtime_base` ahead of the monotonic
 * clock. An absolute time already past gives `now` (return at once). The
 * result is never 0 (0 cancels a timer).
 */
uint64_t posix_sleep_deadline(int64_t clk, int flags, const struct posix_timespec *req,
			      uint64_t now, uint64_t realtime_base);

/* What is left of a sleep until `deadline` at `now` (0 when passed). */
void posix_sleep_remaining(uint64_t deadline, uint64_t now, struct posix_timespec *rem);

/* clock_nanosleep's check of the clock: 0, -EINVAL for a clock Linux does
 * not know, -EOPNOTSUPP for one it knows but cannot sleep on. */
int posix_nanosleep_clock_check(int64_t clk);

#endif
