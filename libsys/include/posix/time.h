/*
 * Linux's time ABI (include/uapi/linux/time.h, time_types.h, the x86-64
 * layouts of struct timespec, timeval and timezone): clock ids, the
 * clock_nanosleep flag, getrandom's flags, and how libposix sleeps.
 *
 * nanosleep and clock_nanosleep arm the calling thread's own Timer
 * (POSIX_SLOT_THREAD_TIMER(i), posix/cspace.h) for the deadline on the
 * kernel's monotonic clock with the thread's Notification cap
 * (POSIX_SLOT_THREAD_NTFN(i), bit POSIX_NTFN_WAKE) and wait on it, so
 * threads sleep independently. The process Timer (POSIX_SLOT_TIMER) is
 * alarm's, the interval timers' and the POSIX timers' (libposix/itimer.c),
 * armed with a live thread's POSIX_SLOT_THREAD_SIG(i) cap: its expiry is an
 * upcall. struct posix_itimerval, posix_itimerspec and posix_sigevent are
 * Linux's (include/uapi/linux/time.h, asm-generic/siginfo.h).
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

/* setitimer/getitimer (include/uapi/linux/time.h). */
#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF 2

struct posix_itimerval {
	struct posix_timeval it_interval;
	struct posix_timeval it_value;
};
_Static_assert(sizeof(struct posix_itimerval) == 32, "struct itimerval is Linux's");

struct posix_itimerspec {
	struct posix_timespec it_interval;
	struct posix_timespec it_value;
};
_Static_assert(sizeof(struct posix_itimerspec) == 32, "struct itimerspec is Linux's");

/* timer_create's struct sigevent (64 bytes on x86-64). */
#define SIGEV_SIGNAL 0
#define SIGEV_NONE 1
#define SIGEV_THREAD 2
#define SIGEV_THREAD_ID 4
struct posix_sigevent {
	uint64_t sigev_value; /* union sigval */
	int32_t sigev_signo;
	int32_t sigev_notify;
	int32_t sigev_tid; /* _sigev_un._tid (SIGEV_THREAD_ID) */
	int32_t pad[11];
};
_Static_assert(sizeof(struct posix_sigevent) == 64, "struct sigevent is Linux's");

#endif
