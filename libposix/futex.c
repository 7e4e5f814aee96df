/*
 * futex(2): Linux's kernel/futex (syscalls.c, waitwake.c, requeue.c) in
 * the process. One wait queue per process (futex_queue.c, the pure
 * part) under a spinlock in libposix's memory; a waiter checks *uaddr
 * under the lock, queues itself, drops the lock and waits on its own
 * Notification (POSIX_SLOT_THREAD_NTFN(i), bit POSIX_NTFN_WAKE); a waker
 * takes waiters off the queue under the lock and signals each one's
 * Notification after dropping it. Timeouts run on the thread's own Timer
 * (POSIX_SLOT_THREAD_TIMER(i)), armed with the same Notification. Entry
 * points: posix_sys_futex, posix_futex_wake (thread exit's
 * CLONE_CHILD_CLEARTID wake).
 *
 * Shared (non-private) futexes are keyed by their address in this
 * process, as private ones (FIXME: a MAP_SHARED word waited on by two
 * processes after fork; docs/personality.md "Threads and futexes").
 * The PI commands are -ENOSYS.
 */
#include "call.h"
#include "futex_queue.h"
#include "intr.h"
#include "log.h"
#include "state.h"
#include "thread.h"
#include "uaccess.h"
#include "vdso/vclock.h"

#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/futex.h"
#include "posix/layout.h"
#include "posix/time.h"
#include "sys/invoke.h"
#include "sys/ipc.h"
#include "sys/syscalls.h"
#include "tern/errors.h"

#define TASK_SIZE_MAX 0x7ffffffff000ul /* x86-64's access_ok limit */
#define clock_page ((const volatile struct tern_clock_page *)POSIX_VVAR)

static volatile uint32_t queue_lock;
static struct futex_queue queue;

/* The waiters and wakers of one process are its threads, all at one
 * priority: a contended acquirer yields to the holder. No upcall handler
 * takes this lock, so an upcall cannot deadlock on it. */
static void lock(void)
{
	while (__atomic_exchange_n(&queue_lock, 1, __ATOMIC_ACQUIRE))
		tern_yield();
}

static void unlock(void)
{
	__atomic_store_n(&queue_lock, 0, __ATOMIC_RELEASE);
}

void posix_futex_after_fork(void)
{
	queue.head = 0;
	queue_lock = 0;
}

static void wake_ids(const uint32_t *ids, int n)
{
	for (int i = 0; i < n; i++)
		tern_signal(POSIX_SLOT_THREAD_NTFN(ids[i]));
}

/* get_futex_key's checks: 4-aligned (EINVAL), inside access_ok
 * (EFAULT), and for a shared futex a page it can pin (EFAULT; a private
 * key needs no memory). Linux refuses a read-only anonymous page for a
 * shared key; the probe is a compare-exchange that leaves the word as it
 * is but needs it writable (FIXME: a read-only file page is a key on
 * Linux, EFAULT here). */
static long futex_key(uint64_t uaddr, bool shared)
{
	uint32_t v = 0;

	if (uaddr & 3)
		return -EINVAL;
	if (uaddr > TASK_SIZE_MAX - 4)
		return -EFAULT;
	if (shared && posix_user_cmpxchg32(uaddr, &v, 0))
		return -EFAULT;
	return 0;
}

long posix_futex_wake(uint64_t uaddr, int nr, uint32_t bitset, bool shared)
{
	uint32_t ids[POSIX_THREADS_MAX];
	long err;
	int n;

	if (!bitset)
		return -EINVAL;
	err = futex_key(uaddr, shared);
	if (err)
		return err;
	lock();
	n = futex_q_wake(&queue, uaddr, bitset, nr, ids);
	unlock();
	wake_ids(ids, n);
	return n;
}

static long futex_wait(uint64_t uaddr, uint32_t val, uint64_t deadline, uint32_t bitset,
		       bool shared)
{
	struct posix_thread *self = posix_self();
	struct futex_waiter *w = &self->futex_wait;
	tern_cptr_t ntfn = POSIX_SLOT_THREAD_NTFN(self->index);
	tern_cptr_t timer = POSIX_SLOT_THREAD_TIMER(self->index);
	uint32_t uval;
	long r;

	if (!bitset)
		return -EINVAL;
	r = futex_key(uaddr, shared);
	if (r)
		return r;
	lock();
	if (copy_from_user(&uval, uaddr, 4)) {
		unlock();
		return -EFAULT;
	}
	if (uval != val) {
		unlock();
		return -EAGAIN;
	}
	futex_q_add(&queue, w, uaddr, bitset, self->index);
	unlock();
	if (deadline && tern_timer_set(timer, deadline, ntfn) != TERN_EOK) {
		lock();
		futex_q_remove(&queue, w);
		unlock();
		return -ENOMEM;
	}
	/* The upcall handler signals the cap named here when it leaves work
	 * for this thread (posix_intr_upcall): a signal that comes between
	 * the test of work below and the kernel's wait still ends it. */
	tern_ipc_buffer()->interrupt_ntfn = ntfn;
	for (;;) {
		uint64_t bits;

		if (!self->work && w->queued)
			tern_wait(ntfn, &bits);
		lock();
		if (!w->queued) {
			unlock();
			r = 0; /* a waker took us off the queue */
			break;
		}
		if (deadline && vclock_ns(clock_page, CLOCK_MONOTONIC) >= deadline) {
			futex_q_remove(&queue, w);
			unlock();
			r = -ETIMEDOUT;
			break;
		}
		if (self->work) {
			futex_q_remove(&queue, w);
			unlock();
			/* Linux: -ERESTARTSYS untimed; a timed wait's restart
			 * block (futex_wait_restart): -EINTR once a handler
			 * runs, else restart_syscall waits on to the same
			 * deadline (an ignored SIGCHLD ends nothing). */
			r = deadline ? -ERESTART_RESTARTBLOCK : -ERESTARTSYS;
			if (deadline) {
				self->restart_nr = SYS_FUTEX_RESTART;
				self->restart_arg[0] = uaddr;
				self->restart_arg[1] = val | (uint64_t)shared << 32;
				self->restart_arg[2] = deadline;
				self->restart_arg[3] = bitset;
			}
			break;
		}
		/* An old wake bit or timer, or an upcall that left no work
		 * (Linux's spurious wakeup): wait again. */
		unlock();
	}
	tern_ipc_buffer()->interrupt_ntfn = 0;
	if (deadline)
		tern_timer_set(timer, 0, 0);
	return r;
}

static long futex_requeue(uint64_t uaddr1, uint64_t uaddr2, int nr_wake, int nr_requeue,
			  const uint32_t *cmpval, bool shared)
{
	uint32_t ids[POSIX_THREADS_MAX], cur;
	int nwoken;
	long r;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	r = futex_key(uaddr1, shared);
	if (!r)
		r = futex_key(uaddr2, shared);
	if (r)
		return r;
	lock();
	if (cmpval) {
		if (copy_from_user(&cur, uaddr1, 4)) {
			unlock();
			return -EFAULT;
		}
		if (cur != *cmpval) {
			unlock();
			return -EAGAIN;
		}
	}
	r = futex_q_requeue(&queue, uaddr1, uaddr2, nr_wake, nr_requeue, ids, &nwoken);
	unlock();
	wake_ids(ids, nwoken);
	return r;
}

/* FUTEX_WAKE_OP: *uaddr2 = op(*uaddr2) atomically, wake nr_wake of
 * uaddr1, and nr_wake2 of uaddr2 when the old value passes cmp. */
static long futex_wake_op(uint64_t uaddr1, uint64_t uaddr2, int nr_wake, int nr_wake2,
			  uint32_t encoded, bool shared)
{
	uint32_t ids[POSIX_THREADS_MAX], old, next;
	bool fixed;
	long r;
	int n, m = 0, cmp;

	r = futex_key(uaddr1, shared);
	if (!r)
		r = futex_key(uaddr2, shared);
	if (r)
		return r;
	lock();
	if (copy_from_user(&old, uaddr2, 4)) {
		unlock();
		return -EFAULT;
	}
	for (;;) {
		uint32_t seen = old;
		if (futex_op_apply(encoded, old, &next, &fixed)) {
			unlock();
			return -ENOSYS;
		}
		if (posix_user_cmpxchg32(uaddr2, &seen, next)) {
			unlock();
			return -EFAULT; /* read-only: fault_in_user_writeable fails */
		}
		if (seen == old)
			break;
		old = seen;
	}
	cmp = futex_op_cmp(encoded, old);
	if (cmp < 0) {
		unlock();
		return cmp; /* the operation has been done, as in Linux */
	}
	n = futex_q_wake(&queue, uaddr1, FUTEX_BITSET_MATCH_ANY, nr_wake, ids);
	if (cmp > 0)
		m = futex_q_wake(&queue, uaddr2, FUTEX_BITSET_MATCH_ANY, nr_wake2, ids + n);
	unlock();
	if (fixed)
		posix_log("futex_wake_op: %s tries to shift op by %d; fix this program",
			  posix_state.comm, (int)(int32_t)(encoded << 8) >> 20);
	wake_ids(ids, n + m);
	return n + m;
}

static bool has_timeout(int cmd)
{
	return cmd == FUTEX_WAIT || cmd == FUTEX_LOCK_PI || cmd == FUTEX_LOCK_PI2 ||
	       cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_WAIT_REQUEUE_PI;
}

long posix_futex_restart(void)
{
	const uint64_t *a = posix_self()->restart_arg;

	posix_self()->restart_nr = 0;
	return futex_wait(a[0], (uint32_t)a[1], a[2], (uint32_t)a[3], (a[1] >> 32) != 0);
}

long posix_sys_futex(struct posix_call *c)
{
	uint64_t uaddr = c->a[0], utime = c->a[3], uaddr2 = c->a[4], deadline = 0;
	int op = (int)c->a[1], cmd = op & FUTEX_CMD_MASK;
	uint32_t val = (uint32_t)c->a[2], val2 = (uint32_t)utime, val3 = (uint32_t)c->a[5];
	bool shared = !(op & FUTEX_PRIVATE_FLAG), clockrt = op & FUTEX_CLOCK_REALTIME;

	if (utime && has_timeout(cmd)) {
		struct posix_timespec ts;
		if (copy_from_user(&ts, utime, sizeof(ts)))
			return -EFAULT;
		int err = futex_deadline((unsigned)cmd, clockrt, &ts,
					 vclock_ns(clock_page, CLOCK_MONOTONIC),
					 clock_page->realtime_base, &deadline);
		if (err)
			return err;
	}
	if (clockrt && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT_REQUEUE_PI &&
	    cmd != FUTEX_LOCK_PI2)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fallthrough */
	case FUTEX_WAIT_BITSET:
		return futex_wait(uaddr, val, deadline, val3, shared);
	case FUTEX_WAKE:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fallthrough */
	case FUTEX_WAKE_BITSET:
		return posix_futex_wake(uaddr, (int)val, val3, shared);
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, uaddr2, (int)val, (int)val2, 0, shared);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, uaddr2, (int)val, (int)val2, &val3, shared);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, uaddr2, (int)val, (int)val2, val3, shared);
	default:
		return -ENOSYS; /* FUTEX_FD (gone since 2.6.26), the PI family */
	}
}
