/*
 * Timer objects: a deadline on the monotonic clock and a copy of a
 * Notification cap, signalled (with that cap's badge, as an IRQ handler
 * signals) when the deadline passes. The armed timers of the machine sit
 * in one queue (kernel/timerq.h) that the scheduler's timer interrupt
 * drains: the LAPIC is armed for the earlier of the next tick and the
 * first deadline.
 */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <stdint.h>

#include "kernel/cap.h"
#include "kernel/object.h"
#include "kernel/timerq.h"

/* At most this many timers fire per interrupt; the rest fire at the
 * interrupt that follows at once (bounded interrupts-off work). */
#define TIMER_FIRE_BATCH 32

struct tcb;

struct timer {
	struct kobj hdr;
	struct timerq_node node; /* deadline in monotonic ns, queued while armed */
	struct cte ntfn;	 /* the notification to signal (held) */
};

int timer_invoke(struct tcb *t, struct cap *cap, uint64_t label);
void timer_destroy(struct timer *tm);
/* The CDT emptied a timer's notification slot (cdt_ops.held_emptied). */
void timer_ntfn_emptied(struct cte *slot);
/* Fire the timers whose deadline is at or before now_ns (at most
 * TIMER_FIRE_BATCH); the earliest deadline still queued (~0 if none). */
uint64_t timers_expire(uint64_t now_ns);
uint64_t timers_next_ns(void);

#endif
