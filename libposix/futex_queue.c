/*
 * The futex wait queue (futex_queue.h): one list per process, in
 * arrival order, searched linearly (at most POSIX_THREADS_MAX waiters).
 */
#include "futex_queue.h"

#include "posix/errno.h"
#include "posix/futex.h"

void futex_q_add(struct futex_queue *q, struct futex_waiter *w, uint64_t addr, uint32_t bitset,
		 uint32_t id)
{
	struct futex_waiter **pp = &q->head;

	w->addr = addr;
	w->bitset = bitset;
	w->id = id;
	w->next = 0;
	w->queued = true;
	while (*pp)
		pp = &(*pp)->next;
	*pp = w;
}

static void unlink_at(struct futex_waiter **pp)
{
	struct futex_waiter *w = *pp;

	*pp = w->next;
	w->next = 0;
	w->queued = false;
}

bool futex_q_remove(struct futex_queue *q, struct futex_waiter *w)
{
	if (!w->queued)
		return false;
	for (struct futex_waiter **pp = &q->head; *pp; pp = &(*pp)->next)
		if (*pp == w) {
			unlink_at(pp);
			return true;
		}
	w->queued = false; /* not found: cannot happen, but never loop on it */
	return false;
}

bool futex_q_has(const struct futex_queue *q, uint64_t addr)
{
	for (const struct futex_waiter *w = q->head; w; w = w->next)
		if (w->addr == addr)
			return true;
	return false;
}

int futex_q_wake(struct futex_queue *q, uint64_t addr, uint32_t bitset, int nr, uint32_t *out)
{
	int n = 0;

	for (struct futex_waiter **pp = &q->head; *pp;) {
		struct futex_waiter *w = *pp;
		if (w->addr != addr || !(w->bitset & bitset)) {
			pp = &w->next;
			continue;
		}
		unlink_at(pp);
		out[n] = w->id;
		if (++n >= nr)
			break;
	}
	return n;
}

int futex_q_requeue(struct futex_queue *q, uint64_t addr1, uint64_t addr2, int nr_wake,
		    int nr_requeue, uint32_t *out, int *nwoken)
{
	struct futex_waiter *moved = 0, **mtail = &moved;
	int count = 0, woken = 0;

	for (struct futex_waiter **pp = &q->head; *pp;) {
		struct futex_waiter *w = *pp;
		if (count - nr_wake >= nr_requeue)
			break;
		if (w->addr != addr1) {
			pp = &w->next;
			continue;
		}
		unlink_at(pp);
		if (++count <= nr_wake) {
			out[woken++] = w->id;
		} else {
			/* Moved to addr2, behind its current waiters (Linux's
			 * requeue_futex adds it to the end of hb2's list). */
			w->addr = addr2;
			w->queued = true;
			*mtail = w;
			mtail = &w->next;
		}
	}
	if (moved) {
		struct futex_waiter **pp = &q->head;
		while (*pp)
			pp = &(*pp)->next;
		*pp = moved;
	}
	*nwoken = woken;
	return count;
}

static int32_t sign_extend12(uint32_t v)
{
	return (int32_t)(v << 20) >> 20;
}

int futex_op_apply(uint32_t encoded, uint32_t oldval, uint32_t *newval, bool *shift_fixed)
{
	uint32_t op = (encoded & 0x70000000u) >> 28;
	int32_t oparg = sign_extend12((encoded & 0x00fff000u) >> 12);

	*shift_fixed = false;
	if (encoded & ((uint32_t)FUTEX_OP_OPARG_SHIFT << 28)) {
		if (oparg < 0 || oparg > 31) {
			*shift_fixed = true;
			oparg &= 31;
		}
		oparg = (int32_t)(1u << oparg);
	}
	switch (op) {
	case FUTEX_OP_SET:
		*newval = (uint32_t)oparg;
		return 0;
	case FUTEX_OP_ADD:
		*newval = oldval + (uint32_t)oparg;
		return 0;
	case FUTEX_OP_OR:
		*newval = oldval | (uint32_t)oparg;
		return 0;
	case FUTEX_OP_ANDN:
		*newval = oldval & ~(uint32_t)oparg;
		return 0;
	case FUTEX_OP_XOR:
		*newval = oldval ^ (uint32_t)oparg;
		return 0;
	default:
		return -ENOSYS;
	}
}

int futex_op_cmp(uint32_t encoded, uint32_t oldval)
{
	uint32_t cmp = (encoded & 0x0f000000u) >> 24;
	int32_t cmparg = sign_extend12(encoded & 0x00000fffu), old = (int32_t)oldval;

	switch (cmp) {
	case FUTEX_OP_CMP_EQ:
		return old == cmparg;
	case FUTEX_OP_CMP_NE:
		return old != cmparg;
	case FUTEX_OP_CMP_LT:
		return old < cmparg;
	case FUTEX_OP_CMP_GE:
		return old >= cmparg;
	case FUTEX_OP_CMP_LE:
		return old <= cmparg;
	case FUTEX_OP_CMP_GT:
		return old > cmparg;
	default:
		return -ENOSYS;
	}
}

#define KTIME_MAX ((uint64_t)INT64_MAX)

/* timespec64_to_ktime: saturates at KTIME_MAX. */
static uint64_t ts_ns(const struct posix_timespec *ts)
{
	if ((uint64_t)ts->tv_sec >= KTIME_MAX / POSIX_NSEC_PER_SEC)
		return KTIME_MAX;
	return (uint64_t)ts->tv_sec * POSIX_NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
}

int futex_deadline(unsigned cmd, bool clockrt, const struct posix_timespec *ts, uint64_t now,
		   uint64_t realtime_base, uint64_t *deadline)
{
	uint64_t t;

	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || (uint64_t)ts->tv_nsec >= POSIX_NSEC_PER_SEC)
		return -EINVAL;
	t = ts_ns(ts);
	if (cmd == FUTEX_WAIT)
		t = t > KTIME_MAX - now ? KTIME_MAX : now + t; /* ktime_add_safe */
	else if (clockrt)
		t = t > realtime_base ? t - realtime_base : 0; /* a realtime instant, monotonic */
	*deadline = t ? t : 1;
	return 0;
}
