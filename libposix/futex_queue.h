/*
 * The futex wait queue's pure logic (no IPC, no locks: the caller holds
 * the queue's lock; test/unit/posix/test_futex.c runs it on the host).
 * Linux's semantics from kernel/futex/{waitwake,requeue}.c: FIFO order
 * among waiters of one address, the bitset match of WAKE_BITSET, a wake
 * of nr <= 0 that still wakes one (Linux's `++ret >= nr_wake`), requeue's
 * wake-then-move count, and FUTEX_WAKE_OP's encoded operation and
 * comparison. Waking only takes waiters off the queue and names them (by
 * id); the caller signals them once it has dropped the lock.
 */
#ifndef LIBPOSIX_FUTEX_QUEUE_H
#define LIBPOSIX_FUTEX_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "posix/time.h"

struct futex_waiter {
	uint64_t addr;
	uint32_t bitset;
	uint32_t id; /* who to wake (the thread index) */
	struct futex_waiter *next;
	bool queued;
};

struct futex_queue {
	struct futex_waiter *head;
};

void futex_q_add(struct futex_queue *q, struct futex_waiter *w, uint64_t addr, uint32_t bitset,
		 uint32_t id);
/* Takes w off the queue; false when it was not on it (a waker took it). */
bool futex_q_remove(struct futex_queue *q, struct futex_waiter *w);
/* Is anyone waiting on addr? */
bool futex_q_has(const struct futex_queue *q, uint64_t addr);

/* Wakes up to nr waiters of addr whose bitset meets `bitset` (nr <= 0
 * wakes one, as Linux); their ids go to out[] (room for every waiter).
 * Returns how many. */
int futex_q_wake(struct futex_queue *q, uint64_t addr, uint32_t bitset, int nr, uint32_t *out);
/* Wakes nr_wake waiters of addr1 and moves up to nr_requeue more to
 * addr2 (at the end of its waiters); returns woken + moved, the woken
 * ids in out[], *nwoken how many of them. */
int futex_q_requeue(struct futex_queue *q, uint64_t addr1, uint64_t addr2, int nr_wake,
		    int nr_requeue, uint32_t *out, int *nwoken);

/* FUTEX_WAKE_OP: the new value of the word at uaddr2 from its old one,
 * 0 or -ENOSYS for an unknown operation; *shift_fixed tells that a shift
 * count outside 0..31 was masked (Linux logs it). */
int futex_op_apply(uint32_t encoded, uint32_t oldval, uint32_t *newval, bool *shift_fixed);
/* Whether the old value passes the encoded comparison: 1, 0, or -ENOSYS
 * for an unknown comparison. */
int futex_op_cmp(uint32_t encoded, uint32_t oldval);

/* A futex timeout as a monotonic deadline in ns (never 0: 0 means none).
 * FUTEX_WAIT's is relative to now; WAIT_BITSET's absolute on the
 * monotonic clock, or on the realtime one (clockrt, realtime_base the
 * clock page's offset). -EINVAL for an invalid timespec (timespec64_valid). */
int futex_deadline(unsigned cmd, bool clockrt, const struct posix_timespec *ts, uint64_t now,
		   uint64_t realtime_base, uint64_t *deadline);

#endif
