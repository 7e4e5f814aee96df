/*
 * Timer objects (kernel/timer.h): TIMER_SET arms, re-arms or cancels; the
 * scheduler's timer interrupt calls timers_expire. Every operation is
 * O(log n) in the armed timers (the queue is a heap), and an interrupt
 * fires at most TIMER_FIRE_BATCH of them.
 *
 * The timer keeps its own copy of the notification cap, derived from the
 * caller's and marked held: deleting the notification (which revokes the
 * copy) disarms the timer through timer_ntfn_emptied, and deleting the
 * timer takes it out of the queue and drops the copy, so neither object
 * outlives the other in the queue.
 */
#include "kernel/timer.h"

#include "kernel/ipc.h"
#include "kernel/objects.h"
#include "kernel/sched.h"
#include "kernel/tcb.h"
#include "kernel/time.h"
#include "tern/invocation.h"

static struct timerq armed; /* single CPU: every timer of the machine */

static void timer_disarm(struct timer *tm)
{
	if (tm->node.queued)
		timerq_remove(&armed, &tm->node);
}

/* TIMER_SET: MR0 deadline (monotonic ns, 0 = cancel); cap 0 the
 * notification (not needed to cancel). A deadline already past fires at
 * the next timer interrupt, which is armed at once. */
static int timer_set(struct tcb *t, struct timer *tm)
{
	uint64_t deadline = msg_word(t, 0);
	struct cte *n;

	if (deadline == 0) {
		timer_disarm(tm);
		return TERN_EOK;
	}
	int err = msg_cap(t, 0, &n);
	if (err)
		return err;
	if (n->cap.type != TERN_CAP_NOTIFICATION)
		return TERN_EINVALID_CAPABILITY;
	if (!(n->cap.rights & TERN_RIGHT_WRITE))
		return TERN_EINSUFFICIENT_RIGHTS;
	/* Invoke: nothing below fails. The old copy goes first (its emptying
	 * disarms), then the new one is made and the timer queued. */
	cte_delete(&tm->ntfn, &kernel_cdt_ops);
	cte_copy(&tm->ntfn, n, TERN_RIGHTS_ALL); /* cannot fail: dst empty, src not */
	tm->ntfn.cap.held = 1;
	timer_disarm(tm);
	tm->node.deadline = deadline;
	timerq_insert(&armed, &tm->node);
	sched_timer_update();
	return TERN_EOK;
}

int timer_invoke(struct tcb *t, struct cap *cap, uint64_t label)
{
	switch (label) {
	case TERN_INV_TIMER_SET:
		return timer_set(t, cap->obj);
	default:
		return TERN_EILLEGAL_OPERATION;
	}
}

void timer_destroy(struct timer *tm)
{
	timer_disarm(tm);
	cte_delete(&tm->ntfn, &kernel_cdt_ops);
}

void timer_ntfn_emptied(struct cte *slot)
{
	struct timer *tm = (struct timer *)((char *)slot - offsetof(struct timer, ntfn));

	timer_disarm(tm);
}

uint64_t timers_expire(uint64_t now_ns)
{
	for (unsigned i = 0; i < TIMER_FIRE_BATCH; i++) {
		struct timerq_node *n = timerq_pop_expired(&armed, now_ns);
		if (!n)
			break;
		struct timer *tm = (struct timer *)((char *)n - offsetof(struct timer, node));
		if (tm->ntfn.cap.type == TERN_CAP_NOTIFICATION)
			notification_signal(tm->ntfn.cap.obj, tm->ntfn.cap.badge);
	}
	return timers_next_ns();
}

uint64_t timers_next_ns(void)
{
	struct timerq_node *n = timerq_min(&armed);

	return n ? n->deadline : ~0ull;
}
