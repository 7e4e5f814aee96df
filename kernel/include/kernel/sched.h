/*
 * The scheduler: 256 fixed priorities, round-robin within one, an O(1)
 * ready bitmap (kernel/sched/runqueue.c). The running thread is not in the
 * ready queue. Nothing switches stacks inside the kernel: operations set
 * `current`, and kernel_exit() enters whichever thread that is.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include "arch/cpu.h"
#include "common/compiler.h"
#include "kernel/percpu.h"
#include "arch/gdt.h"
#include "kernel/tcb.h"
#include "kernel/vm.h"

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
/* A Timer object was armed: re-arm the LAPIC if its deadline comes
 * before the next interrupt already due. */
void sched_timer_update(void);

static inline struct tcb *sched_current(void)
{
	return this_cpu()->current;
}

/*
 * Exit work: a layer above the scheduler (the personality) that must act
 * on a thread before it returns to user mode sets a bit in t->exit_work
 * and registers a hook for that bit once at boot; kernel_exit runs the
 * hooks of the bits set and clears them. The scheduler knows no layer by
 * name, and a thread with no work costs one test. The IPC fast path never
 * enters a thread with exit work (it leaves for the slow path).
 */
enum exit_work_bit {
	EXIT_WORK_UPCALL, /* deliver a pending upcall (kernel/core/personality.c) */
	EXIT_WORK_COUNT,
};
typedef void (*exit_work_fn)(struct tcb *t);
void sched_set_exit_hook(enum exit_work_bit bit, exit_work_fn fn);

/* Leave the kernel into the current thread (after scheduling). */
void kernel_exit(void) __noreturn;
void return_to_user(struct trap_frame *f) __noreturn;

void fpu_init(void);
int fpu_state_alloc(struct tcb *t);
void fpu_take(struct percpu *c, struct tcb *t);
void fpu_state_free(struct tcb *t);
void fpu_copy(struct tcb *dst, struct tcb *src);

/*
 * Lazy FPU switching: the registers keep the state of fpu_owner. Entering
 * any other thread sets CR0.TS, so its first FPU/SSE instruction traps
 * (#NM, fpu_take) and only then is the state exchanged. Native servers
 * never touch the FPU (built with -mgeneral-regs-only), so a Linux
 * program's calls to a server and back switch no FPU state at all.
 */

/* Load t's user context on this CPU (address space, the stack the next
 * trap saves into, TLS bases, FPU ownership) and enter it. t has an
 * address space (the callers checked tcb_vspace). Assembly (syscall.S):
 * the switch is one macro, SWITCH_USER (arch/switch.inc), which the IPC
 * fast path expands too. */
void switch_to_user(struct tcb *t) __noreturn;
/* The switch's rare case: the outgoing thread loaded a selector. */
void switch_tls_selectors(void);

#endif
