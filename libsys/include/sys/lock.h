/*
 * A mutex for the threads of one task (libsys's own globals use it: the
 * heap, the slot allocator, the thread table).
 *
 * A futex-like lock on a notification, not a spinlock: the uncontended
 * path is one atomic compare-and-swap with no kernel entry; a contended
 * acquirer marks the lock "with waiters" and blocks in WAIT on the lock's
 * notification, and a release that sees waiters SIGNALs it (which wakes
 * exactly one waiter, or leaves a bit for the next WAIT, so no wakeup is
 * lost). A spinlock that yields would only let threads of the same or a
 * higher priority run: a waiter that outranks the holder would spin
 * forever while the holder never runs again.
 *
 * A lock without a notification (ntfn 0: before tern_lock_init, or when
 * no quota was available) falls back to yielding, which is enough while
 * the task has one thread. The runtime gives its locks their notification
 * before it creates a task's second thread.
 *
 * Entry points: tern_lock_init, tern_lock_acquire, tern_lock_release.
 */
#ifndef SYS_LOCK_H
#define SYS_LOCK_H

#include <stdint.h>

#include "tern/caps.h"
#include "tern/errors.h"

struct tern_lock {
	uint32_t state;	  /* 0 free, 1 held, 2 held and a thread may be waiting */
	tern_cptr_t ntfn; /* where waiters block; 0 = yield instead */
};

#define TERN_LOCK_INIT \
	{              \
		0, 0   \
	}

/* Give the lock a notification made from the runtime's quota. */
enum tern_error tern_lock_init(struct tern_lock *l);
void tern_lock_acquire(struct tern_lock *l);
void tern_lock_release(struct tern_lock *l);

#endif
