/*
 * The scheduler: 256 fixed priorities, round-robin within one, an O(1)
 * ready bitmap (kernel/sched/runqueue.c). The running thread is not in the
 * ready queue. Nothing switches stacks inside the kernel: operations set
 * `current`, and kernel_exit() enters whichever thread that is.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include "kernel/compiler.h"
#include "kernel/percpu.h"
#include "kernel/tcb.h"

#define TICK_NS 5000000ull /* 5 ms timer tick */
#define TIMESLICE_TICKS 2

void sched_init(void);
/* Make t runnable (queue tail). */
void sched_ready(struct tcb *t);
/* Take t off the ready queue if it is there. */
void sched_unready(struct tcb *t);
/* Block the current thread in `state` (it stops being schedulable). */
void sched_block(struct tcb *t, enum thread_state state);
/* The thread `t` becomes runnable; if it should run before the current
 * thread, it preempts it (at kernel exit). */
void sched_wake(struct tcb *t);
/* Yield the rest of the current timeslice. */
void sched_yield(void);

static inline struct tcb *sched_current(void)
{
	return this_cpu()->current;
}

/* Leave the kernel into the current thread (after scheduling). */
void kernel_exit(void) __noreturn;
void return_to_user(struct trap_frame *f) __noreturn;
/* Make t's address space, stack pointer and state current, and enter it. */
void switch_to_user(struct percpu *c, struct tcb *t) __noreturn;

void fpu_init(void);
int fpu_state_alloc(struct tcb *t);
void fpu_switch(struct percpu *c, struct tcb *t);
void fpu_state_free(struct tcb *t);

#endif
