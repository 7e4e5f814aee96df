/*
 * The timers' bookkeeping, pure (no IPC, no clock reads, no user memory)
 * so the host tests run exactly this code (test/unit/posix/test_itimer.c):
 * ITIMER_REAL (alarm, setitimer, getitimer) and the POSIX timers
 * (timer_create, timer_settime, timer_gettime, timer_getoverrun,
 * timer_delete) of one process, every deadline on the monotonic clock,
 * with Linux's rules (kernel/time/itimer.c, posix-timers.c, alarm.c).
 * libposix/itimer.c does the rest: the clock, the process Timer armed for
 * posix_itimers_next(), the copies and the signals.
 */
#ifndef LIBPOSIX_ITIMER_CALC_H
#define LIBPOSIX_ITIMER_CALC_H

#include <stdbool.h>
#include <stdint.h>

#include "posix/time.h"

#define POSIX_TIMERS_MAX 32 /* per process; timer_create's EAGAIN beyond */
#define POSIX_DELAYTIMER_MAX 0x7fffffff

struct posix_ptimer {
	bool used;
	int32_t id;
	int32_t clock;
	int32_t notify; /* SIGEV_SIGNAL (SIGEV_THREAD too: the kernel's view), SIGEV_NONE,
			   SIGEV_SIGNAL | SIGEV_THREAD_ID */
	int32_t signo;
	int32_t tid;	      /* SIGEV_THREAD_ID's thread */
	uint64_t value;	      /* sigev_value, the siginfo's si_value */
	uint64_t expires;     /* monotonic ns; 0 = disarmed */
	uint64_t interval;    /* ns; 0 = one shot */
	uint64_t overrun;     /* expiries missed since the last signal */
	int32_t overrun_last; /* timer_getoverrun: of the last signal sent */
};

struct posix_itimers {
	struct posix_ptimer t[POSIX_TIMERS_MAX];
	int32_t next_id;	/* Linux hands ids out from 0, one up each time */
	uint64_t real_expires;	/* ITIMER_REAL, monotonic ns; 0 = disarmed */
	uint64_t real_interval; /* ns */
};

/* What an expiry sends: SIGALRM from ITIMER_REAL (timer NULL), or a POSIX
 * timer's signal with its si_overrun. */
struct posix_itimer_fire {
	const struct posix_ptimer *timer; /* NULL: ITIMER_REAL */
	int32_t overrun;
};

void posix_itimers_init(struct posix_itimers *s);

/* The earliest deadline a signal is due at (the process Timer's), 0 none. */
uint64_t posix_itimers_next(const struct posix_itimers *s);

/*
 * Everything due at `now`: each expiry in fires[] (at most n; the rest
 * stay due for the next call), interval timers forwarded past now with
 * the expiries they missed counted as overruns, one shots disarmed.
 * Returns the number of fires.
 */
unsigned posix_itimers_expire(struct posix_itimers *s, uint64_t now,
			      struct posix_itimer_fire *fires, unsigned n);

/* Linux's timeval/timespec checks and conversions (ns, saturating at
 * POSIX_ITIMER_NS_MAX: a timer that far never fires). */
#define POSIX_ITIMER_NS_MAX (1ull << 62)
bool posix_timeval_valid(const struct posix_timeval *tv);
uint64_t posix_timeval_to_ns(const struct posix_timeval *tv);
uint64_t posix_timespec_to_ns(const struct posix_timespec *ts);
void posix_ns_to_timeval(uint64_t ns, struct posix_timeval *tv); /* truncates, as Linux */
void posix_ns_to_timespec(uint64_t ns, struct posix_timespec *ts);

/* ITIMER_REAL: the old setting at `now` (Linux's itimer_get_remtime: an
 * armed timer whose time has come shows 1 us), then the new one (a zero
 * value disarms, the interval too). */
void posix_itimer_real_get(const struct posix_itimers *s, uint64_t now, uint64_t *value_ns,
			   uint64_t *interval_ns);
void posix_itimer_real_set(struct posix_itimers *s, uint64_t now, uint64_t value_ns,
			   uint64_t interval_ns);
/* alarm(seconds): the seconds the old alarm had left, rounded as Linux's
 * alarm_setitimer (up from half a second, and never 0 when one was left). */
unsigned posix_alarm(struct posix_itimers *s, uint64_t now, unsigned seconds);

/*
 * timer_create: clock already checked; ev NULL for the default (SIGALRM,
 * si_value = the id); thread_ok tells a SIGEV_THREAD_ID tid of the
 * process. 0 and *id, -EAGAIN (no room), -EINVAL (a bad sigevent: the id
 * is used up anyway, as Linux's).
 */
int posix_ptimer_create(struct posix_itimers *s, int32_t clock, const struct posix_sigevent *ev,
			bool (*thread_ok)(int32_t tid), int32_t *id);
struct posix_ptimer *posix_ptimer_find(struct posix_itimers *s, int64_t id);
int posix_ptimer_delete(struct posix_itimers *s, int64_t id);

/* timer_gettime at `now` (Linux's common_timer_get). */
void posix_ptimer_get(struct posix_ptimer *t, uint64_t now, struct posix_itimerspec *cur);
/*
 * timer_settime: value and interval checked by the caller
 * (posix_timespec_valid); flags TIMER_ABSTIME or not; an absolute time on
 * CLOCK_REALTIME (or TAI, REALTIME_ALARM) is realtime_base ahead of the
 * monotonic clock. The old setting in *old when not NULL.
 */
void posix_ptimer_set(struct posix_ptimer *t, uint64_t now, uint64_t realtime_base, int flags,
		      const struct posix_itimerspec *new_spec, struct posix_itimerspec *old);

#endif
