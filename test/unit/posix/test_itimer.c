/*
 * libposix's timer bookkeeping (libposix/itimer_calc.c) on the host, with
 * Linux's rules: alarm's rounding of what was left, setitimer's old value
 * (1 us for a due timer) and disarming, interval forwarding with the
 * missed expiries as overruns, timer ids from 0 up and never reused at
 * once, good_sigevent's checks (the id used up by a refused one), the
 * default sigevent (SIGALRM with the id as value), timer_gettime's 1 ns
 * for an expired signalling timer and 0 for an expired one-shot
 * SIGEV_NONE one, TIMER_ABSTIME on the realtime clock, and the earliest
 * deadline the process Timer is armed for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "itimer_calc.h"
#include "posix/errno.h"
#include "posix/signal.h"

#define S 1000000000ull
#define MS 1000000ull

static struct posix_itimers s;

static int setup(void **state)
{
	(void)state;
	posix_itimers_init(&s);
	return 0;
}

static void alarm_rounding(void **state)
{
	(void)state;
	uint64_t t = 100 * S;

	assert_int_equal(posix_alarm(&s, t, 5), 0); /* none before */
	assert_int_equal(posix_itimers_next(&s), t + 5 * S);
	assert_int_equal(posix_alarm(&s, t + 2 * S + 600 * MS, 10), 2); /* 2.4 s left */
	/* 2.4 s is rounded down; 2.5 s up; a little but not 0. */
	assert_int_equal(posix_alarm(&s, t + 2 * S + 600 * MS + 7 * S + 600 * MS, 1), 2);
	posix_alarm(&s, t, 3);
	assert_int_equal(posix_alarm(&s, t + 500 * MS, 3), 3);		   /* 2.5 s left */
	assert_int_equal(posix_alarm(&s, t + 3 * S + 500 * MS - 1, 0), 1); /* 1 ns left */
	assert_int_equal(posix_itimers_next(&s), 0);			   /* alarm(0) cancels */
	assert_int_equal(posix_alarm(&s, t, 0), 0);
}

static void itimer_real(void **state)
{
	(void)state;
	uint64_t v, i, t = 50 * S;

	posix_itimer_real_set(&s, t, 2 * S, 500 * MS);
	posix_itimer_real_get(&s, t + S, &v, &i);
	assert_int_equal(v, S);
	assert_int_equal(i, 500 * MS);
	/* Due but not yet handled: 1 us ("racy but safe"). */
	posix_itimer_real_get(&s, t + 2 * S, &v, &i);
	assert_int_equal(v, 1000);
	/* Expiry: one SIGALRM however late, then forwarded past now. */
	struct posix_itimer_fire f[4];
	assert_int_equal(posix_itimers_expire(&s, t + 3 * S + 100 * MS, f, 4), 1);
	assert_null(f[0].timer);
	assert_int_equal(posix_itimers_next(&s), t + 3 * S + 500 * MS);
	assert_int_equal(posix_itimers_expire(&s, t + 3 * S + 100 * MS, f, 4), 0);
	/* A zero value disarms, the interval too. */
	posix_itimer_real_set(&s, t, 0, 7 * S);
	posix_itimer_real_get(&s, t, &v, &i);
	assert_int_equal(v, 0);
	assert_int_equal(i, 0);
	/* One shot: disarmed after its expiry. */
	posix_itimer_real_set(&s, t, S, 0);
	assert_int_equal(posix_itimers_expire(&s, t + S, f, 4), 1);
	assert_int_equal(posix_itimers_next(&s), 0);
}

static void conversions(void **state)
{
	(void)state;
	struct posix_timeval tv = { 1, 999999 };
	struct posix_timespec ts;

	assert_true(posix_timeval_valid(&tv));
	tv.tv_usec = 1000000;
	assert_false(posix_timeval_valid(&tv));
	tv = (struct posix_timeval){ -1, 0 };
	assert_false(posix_timeval_valid(&tv));
	tv = (struct posix_timeval){ 2, 5 };
	assert_int_equal(posix_timeval_to_ns(&tv), 2 * S + 5000);
	posix_ns_to_timeval(2 * S + 5999, &tv); /* truncated, as Linux */
	assert_int_equal(tv.tv_sec, 2);
	assert_int_equal(tv.tv_usec, 5);
	tv = (struct posix_timeval){ INT64_MAX, 0 };
	assert_int_equal(posix_timeval_to_ns(&tv), POSIX_ITIMER_NS_MAX);
	posix_ns_to_timespec(3 * S + 7, &ts);
	assert_int_equal(ts.tv_sec, 3);
	assert_int_equal(ts.tv_nsec, 7);
}

static bool tid_ok(int32_t tid)
{
	return tid == 42;
}

static void create_ids_and_sigevents(void **state)
{
	(void)state;
	int32_t id;
	struct posix_sigevent ev = { .sigev_value = 0x1234,
				     .sigev_signo = 40,
				     .sigev_notify = SIGEV_SIGNAL };

	/* The default: SIGALRM, the id as the value. */
	assert_int_equal(posix_ptimer_create(&s, CLOCK_MONOTONIC, NULL, tid_ok, &id), 0);
	assert_int_equal(id, 0);
	struct posix_ptimer *t = posix_ptimer_find(&s, 0);
	assert_non_null(t);
	assert_int_equal(t->signo, POSIX_SIGALRM);
	assert_int_equal(t->value, 0);
	assert_int_equal(t->notify, SIGEV_SIGNAL);
	assert_int_equal(posix_ptimer_create(&s, CLOCK_REALTIME, &ev, tid_ok, &id), 0);
	assert_int_equal(id, 1);
	assert_int_equal(posix_ptimer_find(&s, 1)->value, 0x1234);
	/* good_sigevent: a bad signal, an unknown notify, a thread not ours,
	 * SIGEV_THREAD_ID alone; each uses up an id. */
	ev.sigev_signo = 65;
	assert_int_equal(posix_ptimer_create(&s, CLOCK_MONOTONIC, &ev, tid_ok, &id), -EINVAL);
	ev.sigev_signo = 0;
	assert_int_equal(posix_ptimer_create(&s, CLOCK_MONOTONIC, &ev, tid_ok, &id), -EINVAL);
	ev.sigev_signo = 10;
	ev.sigev_notify = 3;
	assert_int_equal(posix_ptimer_create(&s, CLOCK_MONOTONIC, &ev, tid_ok, &id), -EINVAL);
	ev.sigev_notify = SIGEV_SIGNAL | SIGEV_THREAD_ID;
	ev.sigev_tid = 41;
	assert_int_equal(posix_ptimer_create(&s, CLOCK_MONOTONIC, &ev, tid_ok, &id), -EINVAL);
	ev.sigev_tid = 42;
	assert_int_equal(posix_ptimer_create(&s, CLOCK_MONOTONIC, &ev, tid_ok, &id), 0);
	assert_int_equal(id, 6);
	/* SIGEV_NONE needs no signal; SIGEV_THREAD is SIGEV_SIGNAL to the kernel. */
	ev.sigev_notify = SIGEV_NONE;
	ev.sigev_signo = 0;
	assert_int_equal(posix_ptimer_create(&s, CLOCK_BOOTTIME, &ev, tid_ok, &id), 0);
	assert_int_equal(id, 7);
	ev.sigev_notify = SIGEV_THREAD;
	ev.sigev_signo = 12;
	assert_int_equal(posix_ptimer_create(&s, CLOCK_MONOTONIC, &ev, tid_ok, &id), 0);
	assert_int_equal(posix_ptimer_find(&s, id)->notify, SIGEV_SIGNAL);
	/* Deleted ids are not handed out again at once. */
	assert_int_equal(posix_ptimer_delete(&s, 0), 0);
	assert_int_equal(posix_ptimer_delete(&s, 0), -EINVAL);
	assert_null(posix_ptimer_find(&s, 0));
	assert_null(posix_ptimer_find(&s, -1));
	assert_int_equal(posix_ptimer_create(&s, CLOCK_MONOTONIC, NULL, tid_ok, &id), 0);
	assert_int_equal(id, 9);
	/* At most POSIX_TIMERS_MAX: EAGAIN. */
	int n = 0;
	while (posix_ptimer_create(&s, CLOCK_MONOTONIC, NULL, tid_ok, &id) == 0)
		n++;
	assert_int_equal(n, POSIX_TIMERS_MAX - 5);
	assert_int_equal(posix_ptimer_create(&s, CLOCK_MONOTONIC, NULL, tid_ok, &id), -EAGAIN);
}

static void settime_gettime_overrun(void **state)
{
	(void)state;
	int32_t id;
	uint64_t t = 10 * S;
	struct posix_itimerspec nv = { { 0, 100 * MS }, { 1, 0 } }, ov, cur;
	struct posix_itimer_fire f[4];

	assert_int_equal(posix_ptimer_create(&s, CLOCK_MONOTONIC, NULL, tid_ok, &id), 0);
	struct posix_ptimer *p = posix_ptimer_find(&s, id);
	posix_ptimer_set(p, t, 0, 0, &nv, &ov);
	assert_int_equal(ov.it_value.tv_sec, 0); /* was disarmed */
	assert_int_equal(ov.it_value.tv_nsec, 0);
	assert_int_equal(posix_itimers_next(&s), t + S);
	posix_ptimer_get(p, t + 300 * MS, &cur);
	assert_int_equal(cur.it_value.tv_nsec, 700 * MS);
	assert_int_equal(cur.it_interval.tv_nsec, 100 * MS);
	/* Expired, not yet handled: 1 ns (armed, its signal under way). */
	posix_ptimer_get(p, t + S, &cur);
	assert_int_equal(cur.it_value.tv_sec, 0);
	assert_int_equal(cur.it_value.tv_nsec, 1);
	/* Handled 350 ms late: three expiries missed, one signal. */
	assert_int_equal(posix_itimers_expire(&s, t + S + 350 * MS, f, 4), 1);
	assert_ptr_equal(f[0].timer, p);
	assert_int_equal(f[0].overrun, 3);
	assert_int_equal(p->overrun_last, 3);
	assert_int_equal(posix_itimers_next(&s), t + S + 400 * MS);
	/* On time: no overrun. */
	assert_int_equal(posix_itimers_expire(&s, t + S + 400 * MS, f, 4), 1);
	assert_int_equal(f[0].overrun, 0);
	/* settime clears the overrun and returns the old setting. */
	p->overrun_last = 5;
	nv = (struct posix_itimerspec){ { 0, 0 }, { 0, 0 } };
	posix_ptimer_set(p, t + S + 450 * MS, 0, 0, &nv, &ov);
	assert_int_equal(ov.it_value.tv_nsec, 50 * MS);
	assert_int_equal(p->overrun_last, 0);
	assert_int_equal(posix_itimers_next(&s), 0); /* a zero value disarms */
	/* TIMER_ABSTIME on CLOCK_REALTIME: the realtime base comes off. */
	assert_int_equal(posix_ptimer_create(&s, CLOCK_REALTIME, NULL, tid_ok, &id), 0);
	p = posix_ptimer_find(&s, id);
	nv = (struct posix_itimerspec){ { 0, 0 }, { 1700000000, 0 } };
	posix_ptimer_set(p, t, 1700000000 * S - 20 * S, TIMER_ABSTIME, &nv, NULL);
	assert_int_equal(posix_itimers_next(&s), 20 * S);
	/* In the past: due at once. */
	nv.it_value.tv_sec = 5;
	posix_ptimer_set(p, t, 0, TIMER_ABSTIME, &nv, NULL);
	assert_int_equal(posix_itimers_next(&s), t);
	assert_int_equal(posix_itimers_expire(&s, t, f, 4), 1);
	assert_int_equal(posix_itimers_next(&s), 0);
	posix_ptimer_get(p, t, &cur);
	assert_int_equal(cur.it_value.tv_nsec, 0); /* one shot, fired */
}

static void sigev_none_and_next(void **state)
{
	(void)state;
	int32_t a, b;
	uint64_t t = S;
	struct posix_sigevent none = { .sigev_notify = SIGEV_NONE };
	struct posix_itimerspec nv = { { 0, 0 }, { 0, 10 * MS } }, cur;
	struct posix_itimer_fire f[4];

	assert_int_equal(posix_ptimer_create(&s, CLOCK_MONOTONIC, &none, tid_ok, &a), 0);
	assert_int_equal(posix_ptimer_create(&s, CLOCK_MONOTONIC, NULL, tid_ok, &b), 0);
	posix_ptimer_set(posix_ptimer_find(&s, a), t, 0, 0, &nv, NULL);
	/* A SIGEV_NONE timer never arms the process Timer ... */
	assert_int_equal(posix_itimers_next(&s), 0);
	nv.it_value.tv_nsec = 30 * MS;
	posix_ptimer_set(posix_ptimer_find(&s, b), t, 0, 0, &nv, NULL);
	posix_alarm(&s, t, 1);
	assert_int_equal(posix_itimers_next(&s), t + 30 * MS); /* the earliest */
	/* ... nor fires; expired one-shot it reads 0, not 1 ns. */
	assert_int_equal(posix_itimers_expire(&s, t + 20 * MS, f, 4), 0);
	posix_ptimer_get(posix_ptimer_find(&s, a), t + 20 * MS, &cur);
	assert_int_equal(cur.it_value.tv_nsec, 0);
	/* An interval SIGEV_NONE timer is forwarded when read. */
	nv = (struct posix_itimerspec){ { 0, 4 * MS }, { 0, 10 * MS } };
	posix_ptimer_set(posix_ptimer_find(&s, a), t, 0, 0, &nv, NULL);
	posix_ptimer_get(posix_ptimer_find(&s, a), t + 15 * MS, &cur);
	assert_int_equal(cur.it_value.tv_nsec, 3 * MS);
	/* Both due at once: both fire, in one call. */
	assert_int_equal(posix_itimers_expire(&s, t + 2 * S, f, 4), 2);
	assert_null(f[0].timer);
	assert_int_equal(f[1].timer->id, b);
	/* More due than room: the rest stay for the next call. */
	posix_alarm(&s, t, 1);
	nv = (struct posix_itimerspec){ { 0, 0 }, { 0, 1 } };
	posix_ptimer_set(posix_ptimer_find(&s, b), t, 0, 0, &nv, NULL);
	assert_int_equal(posix_itimers_expire(&s, t + 2 * S, f, 1), 1);
	assert_int_equal(posix_itimers_expire(&s, t + 2 * S, f, 1), 1);
	assert_int_equal(posix_itimers_expire(&s, t + 2 * S, f, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(alarm_rounding, setup),
		cmocka_unit_test_setup(itimer_real, setup),
		cmocka_unit_test_setup(conversions, setup),
		cmocka_unit_test_setup(create_ids_and_sigevents, setup),
		cmocka_unit_test_setup(settime_gettime_overrun, setup),
		cmocka_unit_test_setup(sigev_none_and_next, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
