/*
 * The user TLS bases (FS, GS) across thread switches.
 *
 * A thread's bases live in its TCB (fs_base, gs_base: set by TCB_SET_TLS
 * and WRITE_REGISTERS) and, while it is the thread loaded on a CPU, in the
 * FS_BASE and KERNEL_GS_BASE MSRs (the user GS base sits in KERNEL_GS_BASE
 * while the kernel runs, swapgs having exchanged them). The per-CPU
 * fs_base and gs_base remember what the kernel last wrote there.
 *
 * CR4.FSGSBASE is off, so user code cannot write a base directly, but it
 * can load a segment selector into %fs or %gs (mov, pop, lfs), which sets
 * the base from the descriptor; a null selector clears the base on Intel
 * and QEMU and keeps it on AMD. So at a switch:
 *  - a non-null selector in %fs or %gs means the outgoing thread loaded
 *    one: its real bases are read back into its TCB (READ_REGISTERS then
 *    reports what it ran with), the selectors are reset to null
 *    (selectors are not thread state in tern, and must not leak to the
 *    next thread) and the cache is forgotten;
 *  - with null selectors a base is either what the kernel wrote or 0 (a
 *    null load, which no selector shows), so the write is skipped only
 *    when both the cache and the incoming base are 0. A thread that nulls
 *    its own selector gets its TCB base back at its next switch-in (Linux
 *    without FSGSBASE behaves alike); reading the registers of the loaded
 *    thread (user_regs_read) takes the bases from the MSRs.
 * A switch so costs two selector reads beyond the old cache compare, a
 * write per base that is not 0, and an MSR read only on the rare path
 * (tls_selector_loaded, called through switch_tls_selectors).
 * (No all-zero shortcut: every native thread has a GS base, libsys's
 * struct tern_thread, so it never applied and cost ~9 per switch.)
 */
#ifndef ARCH_TLS_H
#define ARCH_TLS_H

#include <stdint.h>

#include "arch/cpu.h"
#include "common/compiler.h"
#include "kernel/percpu.h"
#include "kernel/tcb.h"

#define TLS_BASE_UNKNOWN (~0ull) /* non-canonical: never a real base */

/* Load null selectors into %fs and %gs. %gs is reached through swapgs,
 * since loading it in the kernel would clear the per-CPU base (Intel);
 * interrupts are off in the kernel. The bases must be written after. */
static inline void tls_reset_selectors(void)
{
	__asm__ volatile("movl %0, %%fs\n\t"
			 "swapgs\n\t"
			 "movl %0, %%gs\n\t"
			 "swapgs" ::"r"(0)
			 : "memory");
}

/* The outgoing thread (c->loaded, NULL when unknown) loaded a selector:
 * keep its real bases and forget what the MSRs hold. */
static inline void tls_selector_loaded(struct percpu *c)
{
	if (c->loaded) {
		c->loaded->fs_base = rdmsr(MSR_FS_BASE);
		c->loaded->gs_base = rdmsr(MSR_KERNEL_GS_BASE);
	}
	tls_reset_selectors();
	c->fs_base = c->gs_base = TLS_BASE_UNKNOWN;
}

/* t's user TLS bases as it runs them: from the MSRs if they are t's on
 * this CPU (user code may have loaded a selector since the TCB was
 * written), else from the TCB. */
static inline uint64_t tls_fs_base(const struct percpu *c, const struct tcb *t)
{
	return c->loaded == t ? rdmsr(MSR_FS_BASE) : t->fs_base;
}

static inline uint64_t tls_gs_base(const struct percpu *c, const struct tcb *t)
{
	return c->loaded == t ? rdmsr(MSR_KERNEL_GS_BASE) : t->gs_base;
}

#endif
