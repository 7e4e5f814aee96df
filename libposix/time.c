/*
 * The time family: clock_gettime, clock_getres, gettimeofday and time
 * from the kernel's clock page (mapped read-only at POSIX_VVAR, the same
 * reading as the vDSO's, vdso/vclock.h), and nanosleep, clock_nanosleep
 * and restart_syscall on the calling thread's own Timer (posix/time.h).
 * Entry points: posix_time_init and the posix_sys_* handlers below.
 */
#include "call.h"
#include "init.h"
#include "intr.h"
#include "itimer.h"
#include "log.h"
#include "poll_wait.h"
#include "state.h"
#include "thread.h"
#include "time_calc.h"
#include "uaccess.h"
#include "vdso/vclock.h"

#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/layout.h"
#include "posix/syscalls.h"
#include "posix/time.h"
#include "sys/invoke.h"
#include "sys/syscalls.h"
#include "tern/caps.h"

#define clock_page ((const volatile struct tern_clock_page *)POSIX_VVAR)

#define SYS_NANOSLEEP 35
#define SYS_CLOCK_NANOSLEEP 230
#define SYS_POLL 7

int posix_time_init(void)
{
	/* The interval timer an exec kept (posix/start.h). */
	if (posix_itimer_exec_init)
		posix_itimer_exec_init();
	return 0;
}

/* Clocks the page does not answer but Linux does: TAI (its offset from
 * UTC is 0 until adjtimex sets it) and the alarm clocks (their base
 * clocks; root has CAP_WAKE_ALARM). Returns false for the others: the
 * CPU-time clocks need the kernel's per-thread accounting (FIXME), and
 * dynamic (negative) ids name pids or fds. */
static bool clock_alias(int64_t clk, int64_t *base)
{
	if (clk == CLOCK_TAI || clk == CLOCK_REALTIME_ALARM)
		*base = CLOCK_REALTIME;
	else if (clk == CLOCK_BOOTTIME_ALARM)
		*base = CLOCK_BOOTTIME;
	else if (vclock_handles(clk))
		*base = clk;
	else
		return false;
	return true;
}

long posix_sys_clock_gettime(struct posix_call *c)
{
	int64_t clk;
	struct posix_timespec ts;

	if (!clock_alias((int32_t)c->a[0], &clk))
		return -EINVAL;
	vclock_timespec(vclock_ns(clock_page, clk), &ts);
	return copy_to_user(c->a[1], &ts, sizeof(ts));
}

long posix_sys_clock_getres(struct posix_call *c)
{
	int64_t clk;
	struct posix_timespec res;

	if (!clock_alias((int32_t)c->a[0], &clk))
		return -EINVAL;
	if (!c->a[1])
		return 0;
	vclock_timespec(vclock_res_ns(clk), &res);
	return copy_to_user(c->a[1], &res, sizeof(res));
}

long posix_sys_gettimeofday(struct posix_call *c)
{
	if (c->a[0]) {
		uint64_t ns = vclock_ns(clock_page, CLOCK_REALTIME);
		struct posix_timeval tv = { (int64_t)(ns / POSIX_NSEC_PER_SEC),
					    (int64_t)(ns % POSIX_NSEC_PER_SEC / 1000) };
		if (copy_to_user(c->a[0], &tv, sizeof(tv)))
			return -EFAULT;
	}
	if (c->a[1]) {
		struct posix_timezone tz = { 0, 0 }; /* sys_tz: nothing sets it */
		if (copy_to_user(c->a[1], &tz, sizeof(tz)))
			return -EFAULT;
	}
	return 0;
}

long posix_sys_time(struct posix_call *c)
{
	int64_t s = (int64_t)(vclock_ns(clock_page, CLOCK_REALTIME) / POSIX_NSEC_PER_SEC);

	if (c->a[0] && copy_to_user(c->a[0], &s, sizeof(s)))
		return -EFAULT;
	return s;
}

/*
 * Sleep until `deadline` on the monotonic clock on the thread's own
 * Timer. 0, or -ERESTART_RESTARTBLOCK when a signal cut it short (an
 * upcall ended the wait and left work), with the time left in *rem. An
 * upcall with nothing to act on does not end the sleep (Linux sleeps on
 * unless a signal is pending).
 */
static long sleep_until(uint64_t deadline, struct posix_timespec *rem)
{
	uint64_t now = vclock_ns(clock_page, CLOCK_MONOTONIC);
	unsigned i = posix_self()->index;

	if (now >= deadline)
		return 0;
	if (posix_self()->work) { /* a signal already pending: do not start */
		posix_sleep_remaining(deadline, now, rem);
		return -ERESTART_RESTARTBLOCK;
	}
	if (tern_timer_set(POSIX_SLOT_THREAD_TIMER(i), deadline, POSIX_SLOT_THREAD_NTFN(i)) !=
	    TERN_EOK)
		return -ENOMEM; /* no timer: what Linux says when it cannot make one */
	for (;;) {
		uint64_t bits = 0;
		enum tern_error err = tern_wait(POSIX_SLOT_THREAD_NTFN(i), &bits);
		now = vclock_ns(clock_page, CLOCK_MONOTONIC);
		/* A bit left by an earlier, interrupted sleep or a futex wake
		 * wakes us early: only the clock says when the sleep is over. */
		if (now >= deadline)
			return 0;
		if (err != TERN_EOK && posix_self()->work) {
			tern_timer_set(POSIX_SLOT_THREAD_TIMER(i), 0, 0);
			posix_sleep_remaining(deadline, now, rem);
			return -ERESTART_RESTARTBLOCK;
		}
	}
}

/* poll (poll.c, poll_wait.h): the same sleep, and the monotonic clock. */
long posix_sleep_until_monotonic(uint64_t deadline)
{
	return sleep_until(deadline, &(struct posix_timespec){ 0, 0 });
}

uint64_t posix_monotonic_ns(void)
{
	return vclock_ns(clock_page, CLOCK_MONOTONIC);
}

/*
 * The sleep to `deadline` and what an interruption returns: a relative
 * sleep writes the time left to urem (-EFAULT if it cannot) and returns
 * -ERESTART_RESTARTBLOCK with the thread's restart block set, so that
 * restart_syscall sleeps on to the same deadline (Linux's
 * hrtimer_nanosleep_restart); an absolute one returns -ERESTARTNOHAND
 * (it is simply made again) and leaves urem alone.
 */
static long sleep_to(uint64_t nr, int flags, uint64_t deadline, uint64_t urem)
{
	struct posix_timespec rem;
	struct posix_thread *self = posix_self();
	long r = sleep_until(deadline, &rem);

	if (r != -ERESTART_RESTARTBLOCK) {
		self->restart_nr = 0;
		return r;
	}
	if (flags & TIMER_ABSTIME) {
		self->restart_nr = 0;
		return -ERESTARTNOHAND;
	}
	if (urem && copy_to_user(urem, &rem, sizeof(rem))) {
		self->restart_nr = 0;
		return -EFAULT;
	}
	self->restart_nr = nr;
	self->restart_arg[0] = deadline;
	self->restart_arg[1] = urem;
	return r;
}

static long nanosleep_common(uint64_t nr, int64_t clk, int flags, uint64_t ureq, uint64_t urem)
{
	struct posix_timespec req;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (!posix_timespec_valid(&req))
		return -EINVAL;
	uint64_t now = vclock_ns(clock_page, CLOCK_MONOTONIC);
	uint64_t deadline = posix_sleep_deadline(clk, flags, &req, now, clock_page->realtime_base);
	return sleep_to(nr, flags, deadline, urem);
}

long posix_sys_nanosleep(struct posix_call *c)
{
	return nanosleep_common(SYS_NANOSLEEP, CLOCK_MONOTONIC, 0, c->a[0], c->a[1]);
}

long posix_sys_clock_nanosleep(struct posix_call *c)
{
	int64_t clk = (int32_t)c->a[0];
	int err = posix_nanosleep_clock_check(clk);

	if (err)
		return err;
	return nanosleep_common(SYS_CLOCK_NANOSLEEP, clk, (int)c->a[1], c->a[2], c->a[3]);
}

/*
 * restart_syscall (219): what the way back runs instead of a call that
 * returned -ERESTART_RESTARTBLOCK when no handler ran. A sleep goes on to
 * its deadline (cut short again: the same answer, the time left written
 * again); a poll polls on to its deadline (poll.c); with no restart
 * block it is -EINTR (Linux's do_no_restart_syscall).
 */
/* futex.c's, absent where the time family is hosted alone (guest.posix_time). */
__attribute__((weak)) long posix_futex_restart(void);

long posix_sys_restart_syscall(struct posix_call *c)
{
	struct posix_thread *self = posix_self();

	(void)c;
	switch (self->restart_nr) {
	case SYS_NANOSLEEP:
	case SYS_CLOCK_NANOSLEEP:
		return sleep_to(self->restart_nr, 0, self->restart_arg[0], self->restart_arg[1]);
	case SYS_POLL:
		return posix_poll_restart ? posix_poll_restart(self->restart_arg) : -EINTR;
	case SYS_FUTEX_RESTART:
		return posix_futex_restart ? posix_futex_restart() : -EINTR;
	default:
		return -EINTR;
	}
}
