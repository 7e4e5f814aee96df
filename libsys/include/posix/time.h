/*
 * Linux's time ABI (include/uapi/linux/time.h, time_types.h, the x86-64
 * layouts of struct timespec, timeval and timezone): clock ids, the
 * clock_nanosleep flag, getrandom's flags, and how libposix sleeps.
 *
 * nanosleep and clock_nanosleep arm the process's own Timer object
 * (POSIX_SLOT_TIMER, posix/cspace.h) for the deadline on the kernel's
 * monotonic clock and wait on the process's notification
 * (POSIX_SLOT_NTFN) for the timer's badge bit. proc creates both caps when
 * it creates a process; the timer is made with
 *     tern_quota_create(quota, TERN_CAP_TIMER, 0, cnode, POSIX_SLOT_TIMER, 64)
 * from the process's own quota, like its notification. libposix mints its
 * badged copy of the notification itself at start-up (posix_time_init)
 * into POSIX_SLOT_TIMER_NTFN.
 */
#ifndef POSIX_TIME_H
#define POSIX_TIME_H

#include <stdint.h>

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_REALTIME_ALARM 8
#define CLOCK_BOOTTIME_ALARM 9
#define CLOCK_TAI 11

#define TIMER_ABSTIME 0x01

/* getrandom(2) flags (include/uapi/linux/random.h). */
#define GRND_NONBLOCK 0x0001
#define GRND_RANDOM 0x0002
#define GRND_INSECURE 0x0004

#define POSIX_NSEC_PER_SEC 1000000000ull
/* The _COARSE clocks' resolution: Linux's tick at CONFIG_HZ=250 (Debian),
 * so clock_getres answers what it answers there; their readings are the
 * fine clock rounded down to a multiple of it. */
#define POSIX_CLOCK_COARSE_NS 4000000ull

struct posix_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};
_Static_assert(sizeof(struct posix_timespec) == 16, "struct timespec is Linux's");

struct posix_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};
_Static_assert(sizeof(struct posix_timeval) == 16, "struct timeval is Linux's");

struct posix_timezone {
	int32_t tz_minuteswest;
	int32_t tz_dsttime;
};
_Static_assert(sizeof(struct posix_timezone) == 8, "struct timezone is Linux's");

/* The timer's badge on the process's notification: a bit no upcall mask
 * uses (the signal bits are proc's, posix/signal.h, from bit 0 up). */
#define POSIX_TIMER_BADGE (1ull << 62)
/* libposix's badged copy of POSIX_SLOT_NTFN, the cap the timer signals. */
#define POSIX_SLOT_TIMER_NTFN 15

#endif
