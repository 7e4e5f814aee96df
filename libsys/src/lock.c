/* The notification-backed mutex of sys/lock.h. */
#include "sys/lock.h"

#include "sys/syscalls.h"
#include "sys/thread.h"

enum { FREE = 0, HELD = 1, CONTENDED = 2 };

enum tern_error tern_lock_init(struct tern_lock *l)
{
	tern_cptr_t n;
	enum tern_error err;

	if (l->ntfn)
		return TERN_EOK;
	err = tern_object_create(TERN_CAP_NOTIFICATION, 0, &n);
	if (err == TERN_EOK)
		l->ntfn = n;
	return err;
}

void tern_lock_acquire(struct tern_lock *l)
{
	uint32_t c = FREE;

	if (__atomic_compare_exchange_n(&l->state, &c, HELD, false, __ATOMIC_ACQUIRE,
					__ATOMIC_RELAXED))
		return;
	/* Contended: from now on the state says "maybe waiters", so the
	 * holder's release signals. Whoever takes the lock in this loop keeps
	 * it marked contended: a second waiter may still be blocked. */
	if (c != CONTENDED)
		c = __atomic_exchange_n(&l->state, CONTENDED, __ATOMIC_ACQUIRE);
	while (c != FREE) {
		if (l->ntfn)
			tern_wait(l->ntfn, NULL); /* an upcall may end it early: retry */
		else
			tern_yield();
		c = __atomic_exchange_n(&l->state, CONTENDED, __ATOMIC_ACQUIRE);
	}
}

void tern_lock_release(struct tern_lock *l)
{
	if (__atomic_exchange_n(&l->state, FREE, __ATOMIC_RELEASE) == CONTENDED && l->ntfn)
		tern_signal(l->ntfn);
}
