/*
 * The time family: clock_gettime, clock_getres, gettimeofday and time
 * from the kernel's clock page (mapped read-only at POSIX_VVAR, the same
 * reading as the vDSO's, vdso/vclock.h), and nanosleep and
 * clock_nanosleep on the process's Timer object (posix/time.h). Entry
 * points: posix_time_init and the posix_sys_* handlers below.
 *
 * FIXME: one Timer per process, so two threads sleeping at once would
 * share it (and the notification): proc should give each thread created
 * by clone a Timer and a notification of its own, in slots the thread's
 * libposix state names.
 */
#include "call.h"
#include "init.h"
#include "log.h"
#include "time_calc.h"
#include "uaccess.h"
#include "vdso/vclock.h"

#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/layout.h"
#include "posix/time.h"
#include "sys/invoke.h"
#include "sys/syscalls.h"
#include "tern/caps.h"

#define clock_page ((const volatile struct tern_clock_page *)POSIX_VVAR)

/* The timer signals our notification with a badge of its own, so that a
 * wake-up is told from other bits; the badged cap is ours to make. */
static enum tern_error mint_timer_ntfn(void)
{
	return tern_cnode_mint(POSIX_SLOT_CNODE, POSIX_SLOT_TIMER_NTFN, 64, POSIX_SLOT_NTFN, 64,
			       TERN_RIGHT_WRITE, POSIX_TIMER_BADGE);
}

int posix_time_init(void)
{
	enum tern_error err = mint_timer_ntfn();

	/* An occupied slot is the cap from before an exec that kept the
	 * CSpace: still ours, still right. */
	if (err != TERN_EOK && err != TERN_EDELETE_FIRST)
		posix_log("posix: no notification for the timer (error %d): nanosleep fails", err);
	return 0;
}

/* Arm the process's timer. A process made by fork has a CSpace of its
 * own without our badged cap (start-up does not run again): it is minted
 * on first use there. */
static enum tern_error timer_arm(uint64_t deadline)
{
	enum tern_error err = tern_timer_set(POSIX_SLOT_TIMER, deadline, POSIX_SLOT_TIMER_NTFN);

	if (err == TERN_EFAILED_LOOKUP || err == TERN_EINVALID_CAPABILITY ||
	    err == TERN_EINVALID_ARGUMENT) {
		if (mint_timer_ntfn() == TERN_EOK)
			err = tern_timer_set(POSIX_SLOT_TIMER, deadline, POSIX_SLOT_TIMER_NTFN);
	}
	return err;
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

/* Sleep until `deadline` on the monotonic clock. 0, or -EINTR when an
 * upcall (a signal) cut it short, with the time left in *rem. */
static long sleep_until(uint64_t deadline, struct posix_timespec *rem)
{
	uint64_t now = vclock_ns(clock_page, CLOCK_MONOTONIC);

	if (now >= deadline)
		return 0;
	if (timer_arm(deadline) != TERN_EOK)
		return -ENOMEM; /* no timer: what Linux says when it cannot make one */
	for (;;) {
		uint64_t bits = 0;
		enum tern_error err = tern_wait(POSIX_SLOT_NTFN, &bits);
		now = vclock_ns(clock_page, CLOCK_MONOTONIC);
		/* A bit left by an earlier, interrupted sleep wakes us early:
		 * only the clock says when the sleep is over. */
		if (now >= deadline)
			return 0;
		if (err != TERN_EOK) {
			tern_timer_set(POSIX_SLOT_TIMER, 0, 0);
			posix_sleep_remaining(deadline, now, rem);
			return -EINTR;
		}
	}
}

static long nanosleep_common(int64_t clk, int flags, uint64_t ureq, uint64_t urem)
{
	struct posix_timespec req, rem;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (!posix_timespec_valid(&req))
		return -EINVAL;
	uint64_t now = vclock_ns(clock_page, CLOCK_MONOTONIC);
	uint64_t deadline = posix_sleep_deadline(clk, flags, &req, now, clock_page->realtime_base);
	long r = sleep_until(deadline, &rem);
	/* Linux writes the time left only for a relative sleep cut short. */
	if (r == -EINTR && urem && !(flags & TIMER_ABSTIME) &&
	    copy_to_user(urem, &rem, sizeof(rem)))
		return -EFAULT;
	return r;
}

long posix_sys_nanosleep(struct posix_call *c)
{
	return nanosleep_common(CLOCK_MONOTONIC, 0, c->a[0], c->a[1]);
}

long posix_sys_clock_nanosleep(struct posix_call *c)
{
	int64_t clk = (int32_t)c->a[0];
	int err = posix_nanosleep_clock_check(clk);

	if (err)
		return err;
	return nanosleep_common(clk, (int)c->a[1], c->a[2], c->a[3]);
}
