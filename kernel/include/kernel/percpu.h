/*
 * Per-CPU data, reached through the GS base in the kernel (swapgs on every
 * entry from user mode). The assembly reaches fields through offsets
 * generated from this layout (kernel/arch/x86_64/asm_offsets.c).
 */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/runqueue.h"

struct tcb;

struct percpu {
	struct percpu *self; /* 0: so C can find this struct through %gs:0 */
	uint64_t user_rsp;   /* scratch for the syscall entry */
	uint64_t kstack_top; /* the per-CPU kernel stack */
	struct tcb *current; /* 24 */
	struct tcb *idle;
	struct tcb *fpu_owner;	   /* whose FPU state is in the registers */
	bool ts_set;		   /* CR0.TS: the next FPU use traps */
	struct tcb *loaded;	   /* whose TSS stack and FPU state are loaded */
	uint64_t fs_base, gs_base; /* the user TLS bases in the MSRs */
	uint64_t cr3;		   /* what CR3 holds now */
	struct runqueue ready;
	uint64_t ticks;
	struct tcb *syscall_tcb;   /* the thread whose call is being served */
	struct tcb *deferred_free; /* a TCB destroyed during its own call */
	uint64_t fastpath_hits, slowpath_ipcs;
};

_Static_assert(offsetof(struct percpu, self) == 0, "this_cpu() reads %gs:0");

extern struct percpu cpu0;

/* Single CPU for now; SMP will read %gs:0 here. */
static inline struct percpu *this_cpu(void)
{
	return &cpu0;
}

#endif
