/*
 * Bounded kernel work. The kernel runs with interrupts off from entry to
 * exit, so every stretch in it delays the timer. Operations whose work
 * grows with an object (a MemObj clone walks every page) stop at
 * preemption points: after a bounded chunk they ask preempt_pending()
 * and, if an interrupt waits, record their progress in the object and
 * return PREEMPT_RESTART; the system call is then rewound so the thread
 * executes it again once the interrupt has been taken and the thread is
 * scheduled, and the operation continues from where it stopped.
 *
 * irqoff_begin/irqoff_end measure each stretch from kernel entry to the
 * return to user mode (and each pass of the idle loop with interrupts off)
 * for TERN_DEBUG_QUERY_IRQ_OFF, when the kernel command line says
 * `irqoff_stats`; otherwise they cost a load and a branch (start stays 0)
 * and the query answers TERN_EILLEGAL_OPERATION. The IPC fast path is not
 * measured: it is short and bounded by construction.
 */
#ifndef KERNEL_PREEMPT_H
#define KERNEL_PREEMPT_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/cpu.h"

/* Returned by an invocation that stopped at a preemption point. */
#define PREEMPT_RESTART (-1)

struct irqoff_stats {
	bool enabled;	      /* `irqoff_stats` on the command line */
	uint64_t start;	      /* TSC at the entry being measured, 0 if none */
	uint64_t max;	      /* the longest stretch since the last reset */
	uint64_t entries;     /* stretches measured */
	uint64_t preemptions; /* operations stopped at a preemption point */
};

extern struct irqoff_stats irqoff;

static inline void irqoff_begin(void)
{
	if (__builtin_expect(irqoff.enabled, 0))
		irqoff.start = rdtsc();
}

static inline void irqoff_end(void)
{
	if (!irqoff.start)
		return;
	uint64_t d = rdtsc() - irqoff.start;
	if (d > irqoff.max)
		irqoff.max = d;
	irqoff.entries++;
	irqoff.start = 0;
}

/* Read the command line (once, at boot). */
void irqoff_init(void);

/* An interrupt is waiting to be taken (the local APIC's request register). */
bool preempt_pending(void);

/*
 * A preemption point: true if an interrupt waits, and the caller must then
 * stop and restart. If none waits, the stretch measured so far ends here:
 * an interrupt that comes later waits at most until the next point. One
 * that waits now keeps the stretch open until the caller has really let
 * it in (the return to user mode), so a caller that ignored the answer
 * would show in the figures.
 */
static inline bool preempt_point(void)
{
	if (preempt_pending())
		return true;
	irqoff_end();
	irqoff_begin();
	return false;
}

#endif
