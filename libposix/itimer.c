/*
 * The timers that raise signals: alarm, setitimer and getitimer
 * (ITIMER_REAL), timer_create, timer_settime, timer_gettime,
 * timer_getoverrun and timer_delete, all multiplexed on the process Timer
 * (POSIX_SLOT_TIMER), armed for the earliest deadline with a live
 * thread's POSIX_SLOT_THREAD_SIG(i) cap: its expiry is an upcall, whose
 * path calls posix_itimer_expire (itimer.h). The bookkeeping is
 * itimer_calc.c (host-tested); here are the clock, the Timer, the copies
 * and the signals, with Linux's errors in Linux's order.
 *
 * ITIMER_VIRTUAL and ITIMER_PROF count the process's CPU time, which the
 * kernel does not account: setting one is EINVAL (never a timer that
 * silently does not run), disarming one succeeds, getitimer answers what
 * is true, that it is disarmed.
 *
 * Locking: `busy` guards the state against the other threads and against
 * an expiry upcall that interrupts a timer call; an expiry that finds it
 * held leaves `deferred` for the holder, which runs it before letting go.
 */
#include "itimer.h"

#include "call.h"
#include "itimer_calc.h"
#include "log.h"
#include "state.h"
#include "time_calc.h"
#include "uaccess.h"
#include "vdso/vclock.h"

#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/layout.h"
#include "posix/signal.h"
#include "posix/start.h"
#include "posix/time.h"
#include "sys/invoke.h"
#include "sys/syscalls.h"

#define clock_page ((const volatile struct tern_clock_page *)POSIX_VVAR)

#define ITIMER_SI_TIMER (-2)  /* SI_TIMER */
#define ITIMER_SI_KERNEL 0x80 /* SI_KERNEL: SIGALRM of ITIMER_REAL (SEND_SIG_PRIV) */

/* The signal part's (signals.h on its branch): generate sig for the
 * process (target NULL) or a thread of it, with this siginfo. */
void posix_signal_generate(int sig, const struct posix_siginfo *info,
			   struct posix_thread *target_or_null) __attribute__((weak));
/* Called through a data word (a weak symbol left undefined cannot be
 * called directly at libposix's address: start.c's hooks do the same). */
static void (*volatile const generate_hook)(int, const struct posix_siginfo *,
					    struct posix_thread *) = posix_signal_generate;

static struct posix_itimers itimers;
static uint64_t armed;		   /* the deadline the process Timer has, 0 none */
static unsigned armed_index;	   /* the thread whose SIG cap it signals */
static volatile uint64_t next_due; /* posix_itimers_next: expire's fast test */
static volatile uint32_t busy, deferred;

static uint64_t now_ns(void)
{
	return vclock_ns(clock_page, CLOCK_MONOTONIC);
}

static void lock(void)
{
	while (__atomic_exchange_n(&busy, 1, __ATOMIC_ACQUIRE))
		tern_yield();
}

static void arm(void)
{
	uint64_t next = posix_itimers_next(&itimers);
	unsigned i = posix_self()->index;

	next_due = next;
	if (next == armed && (!next || i == armed_index || posix_threads[armed_index].live))
		return;
	/* A deadline already past fires at once: the kernel's Timer takes it. */
	if (tern_timer_set(POSIX_SLOT_TIMER, next, next ? POSIX_SLOT_THREAD_SIG(i) : 0) ==
	    TERN_EOK) {
		armed = next;
		armed_index = i;
	}
}

static void send(const struct posix_itimer_fire *f)
{
	struct posix_siginfo info = { 0 };
	struct posix_thread *target = NULL;
	int sig;

	if (!f->timer) {
		sig = POSIX_SIGALRM;
		info.si_signo = sig;
		info.si_code = ITIMER_SI_KERNEL;
	} else {
		sig = f->timer->signo;
		info.si_signo = sig;
		info.si_code = ITIMER_SI_TIMER;
		info.u.timer.tid = f->timer->id; /* si_timerid */
		info.u.timer.overrun = f->overrun;
		info.u.timer.value = f->timer->value;
		if (f->timer->notify & SIGEV_THREAD_ID) {
			for (unsigned i = 0; i < POSIX_THREADS_MAX; i++)
				if (posix_threads[i].live &&
				    posix_threads[i].tid == (uint64_t)(uint32_t)f->timer->tid)
					target = &posix_threads[i];
			if (!target)
				return; /* the thread is gone: Linux drops it too */
		}
	}
	if (generate_hook)
		generate_hook(sig, &info, target);
}

static void expire_locked(void)
{
	struct posix_itimer_fire fires[8];
	unsigned n;

	while ((n = posix_itimers_expire(&itimers, now_ns(), fires, 8))) {
		for (unsigned i = 0; i < n; i++)
			send(&fires[i]);
		if (n < 8)
			break;
	}
	armed = 0; /* it fired (or we are asked to look): arm afresh */
	arm();
}

static void unlock(void)
{
	for (;;) {
		__atomic_store_n(&busy, 0, __ATOMIC_RELEASE);
		if (!__atomic_load_n(&deferred, __ATOMIC_ACQUIRE))
			return;
		if (__atomic_exchange_n(&busy, 1, __ATOMIC_ACQUIRE))
			return; /* another holder runs it */
		deferred = 0;
		expire_locked();
	}
}

/* signal.c's: whether this thread is a vfork (CLONE_VM, no thread) child
 * running in the parent's memory. */
bool posix_signal_in_vm_child(void) __attribute__((weak));
static bool (*volatile const vm_child_hook)(void) = posix_signal_in_vm_child;

void posix_itimer_expire(void)
{
	uint64_t due = next_due;

	if (!due || now_ns() < due)
		return;
	/* A vfork child's upcall never runs the parent's timers: Linux's
	 * child has none of them (a signal struct of its own), and here
	 * it would arm its own Timer for the parent's deadline (the
	 * parent's SIGALRM then never came again) or die holding `busy`
	 * (every timer call of the parent's then waited for good). */
	if (vm_child_hook && vm_child_hook())
		return;
	if (__atomic_exchange_n(&busy, 1, __ATOMIC_ACQUIRE)) {
		deferred = 1; /* a timer call holds the state: it runs this */
		return;
	}
	expire_locked();
	unlock();
}

void posix_itimer_fork_child(void)
{
	posix_itimers_init(&itimers);
	armed = 0;
	next_due = 0;
	busy = deferred = 0;
	tern_timer_set(POSIX_SLOT_TIMER, 0, 0);
}

void posix_itimer_thread_exit(unsigned index)
{
	if (index != armed_index || !armed)
		return;
	lock();
	for (unsigned i = 0; i < POSIX_THREADS_MAX; i++) {
		if (i != index && posix_threads[i].live) {
			if (tern_timer_set(POSIX_SLOT_TIMER, armed, POSIX_SLOT_THREAD_SIG(i)) ==
			    TERN_EOK)
				armed_index = i;
			break;
		}
	}
	unlock();
}

void posix_itimer_exec_state(uint64_t *expires, uint64_t *interval, uint64_t *next_id)
{
	*expires = itimers.real_expires;
	*interval = itimers.real_interval;
	*next_id = (uint64_t)itimers.next_id;
}

void posix_itimer_exec_init(void)
{
	const struct posix_start *st = (const struct posix_start *)POSIX_START_PAGE;

	posix_itimers_init(&itimers);
	armed = 0;
	/* The Timer may still hold the old image's deadline. */
	tern_timer_set(POSIX_SLOT_TIMER, 0, 0);
	if (st->magic != POSIX_START_MAGIC)
		return;
	itimers.next_id = (int32_t)(st->timer_next_id & 0x7fffffff);
	if (!st->itimer_real_expires)
		return;
	itimers.real_expires = st->itimer_real_expires;
	itimers.real_interval = st->itimer_real_interval;
	arm();
}

/* ---- ITIMER_REAL ---- */

static long get_itimer(int64_t which, struct posix_itimerval *v)
{
	uint64_t value, interval;

	*v = (struct posix_itimerval){ 0 };
	switch (which) {
	case ITIMER_REAL:
		posix_itimer_real_get(&itimers, now_ns(), &value, &interval);
		posix_ns_to_timeval(value, &v->it_value);
		posix_ns_to_timeval(interval, &v->it_interval);
		return 0;
	case ITIMER_VIRTUAL:
	case ITIMER_PROF:
		return 0; /* never armed: see the top of the file */
	default:
		return -EINVAL;
	}
}

long posix_sys_getitimer(struct posix_call *c)
{
	struct posix_itimerval v;

	lock();
	long r = get_itimer((int32_t)c->a[0], &v);
	unlock();
	if (r)
		return r;
	return copy_to_user(c->a[1], &v, sizeof(v)) ? -EFAULT : 0;
}

long posix_sys_setitimer(struct posix_call *c)
{
	int64_t which = (int32_t)c->a[0];
	struct posix_itimerval nv = { 0 }, ov;

	/* get_itimerval: the copy, then the timevals, then `which`. A NULL
	 * new value disarms (Linux's "misfeature"). */
	if (c->a[1]) {
		if (copy_from_user(&nv, c->a[1], sizeof(nv)))
			return -EFAULT;
		if (!posix_timeval_valid(&nv.it_value) || !posix_timeval_valid(&nv.it_interval))
			return -EINVAL;
	}
	uint64_t value = posix_timeval_to_ns(&nv.it_value);
	uint64_t interval = posix_timeval_to_ns(&nv.it_interval);
	lock();
	long r = get_itimer(which, &ov);
	if (!r && which == ITIMER_REAL) {
		posix_itimer_real_set(&itimers, now_ns(), value, interval);
		arm();
	} else if (!r && value) {
		r = -EINVAL; /* ITIMER_VIRTUAL, ITIMER_PROF: no CPU-time accounting */
	}
	unlock();
	if (r)
		return r;
	if (c->a[2] && copy_to_user(c->a[2], &ov, sizeof(ov)))
		return -EFAULT;
	return 0;
}

long posix_sys_alarm(struct posix_call *c)
{
	lock();
	unsigned left = posix_alarm(&itimers, now_ns(), (uint32_t)c->a[0]);
	arm();
	unlock();
	return left;
}

/* ---- POSIX timers ---- */

/* The clocks a timer can run on: Linux's with a timer_create (the
 * CPU-time clocks aside: no accounting here, EINVAL as clock_gettime). */
static int timer_clock_check(int64_t clk)
{
	if (clk == CLOCK_PROCESS_CPUTIME_ID || clk == CLOCK_THREAD_CPUTIME_ID)
		return -EINVAL;
	return posix_nanosleep_clock_check(clk);
}

static bool thread_ok(int32_t tid)
{
	for (unsigned i = 0; i < POSIX_THREADS_MAX; i++)
		if (posix_threads[i].live && posix_threads[i].tid == (uint64_t)(uint32_t)tid)
			return true;
	/* The process's only thread before the threads part fills tids. */
	return tid > 0 && (uint64_t)tid == posix_state.tid && !posix_threads[0].tid;
}

long posix_sys_timer_create(struct posix_call *c)
{
	int64_t clk = (int32_t)c->a[0];
	struct posix_sigevent ev;
	int32_t id;

	if (c->a[1] && copy_from_user(&ev, c->a[1], sizeof(ev)))
		return -EFAULT;
	int err = timer_clock_check(clk);
	if (err)
		return err;
	lock();
	err = posix_ptimer_create(&itimers, (int32_t)clk, c->a[1] ? &ev : NULL, thread_ok, &id);
	unlock();
	if (err)
		return err;
	if (copy_to_user(c->a[2], &id, sizeof(id))) {
		lock();
		posix_ptimer_delete(&itimers, id);
		unlock();
		return -EFAULT;
	}
	return 0;
}

long posix_sys_timer_settime(struct posix_call *c)
{
	struct posix_itimerspec nv, ov;

	if (!c->a[2])
		return -EINVAL;
	if (copy_from_user(&nv, c->a[2], sizeof(nv)))
		return -EFAULT;
	if (!posix_timespec_valid(&nv.it_interval) || !posix_timespec_valid(&nv.it_value))
		return -EINVAL;
	lock();
	struct posix_ptimer *t = posix_ptimer_find(&itimers, (int32_t)c->a[0]);
	if (t) {
		posix_ptimer_set(t, now_ns(), clock_page->realtime_base, (int)c->a[1], &nv,
				 c->a[3] ? &ov : NULL);
		arm();
	}
	unlock();
	if (!t)
		return -EINVAL;
	if (c->a[3] && copy_to_user(c->a[3], &ov, sizeof(ov)))
		return -EFAULT;
	return 0;
}

long posix_sys_timer_gettime(struct posix_call *c)
{
	struct posix_itimerspec cur;

	lock();
	struct posix_ptimer *t = posix_ptimer_find(&itimers, (int32_t)c->a[0]);
	if (t)
		posix_ptimer_get(t, now_ns(), &cur);
	unlock();
	if (!t)
		return -EINVAL;
	return copy_to_user(c->a[1], &cur, sizeof(cur)) ? -EFAULT : 0;
}

long posix_sys_timer_getoverrun(struct posix_call *c)
{
	lock();
	struct posix_ptimer *t = posix_ptimer_find(&itimers, (int32_t)c->a[0]);
	long r = t ? t->overrun_last : -EINVAL;
	unlock();
	return r;
}

long posix_sys_timer_delete(struct posix_call *c)
{
	lock();
	long r = posix_ptimer_delete(&itimers, (int32_t)c->a[0]);
	if (!r)
		arm();
	unlock();
	return r;
}
