/*
 * The SYSCALL instruction's MSRs: where it enters (syscall.S for 64-bit
 * code, compat_entry.S, which refuses, for compatibility mode), which
 * selectors it and SYSRET load (arch/gdt.h), and the flags it clears;
 * and SYSENTER turned off.
 */
#include "arch/cpu.h"
#include "arch/gdt.h"
#include "kernel/syscall.h"

extern void syscall_entry(void);
extern void compat_syscall_entry(void);

#define FMASK_BITS 0x47700 /* TF DF IF IOPL NT AC: off in the kernel */

void syscall_init(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, ((uint64_t)SEL_SYSRET_BASE << 48) | ((uint64_t)SEL_KERNEL_CODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_CSTAR, (uint64_t)compat_syscall_entry);
	wrmsr(MSR_FMASK, FMASK_BITS);
	/* SYSENTER has no entry: with a null SYSENTER_CS it raises #GP (on
	 * Intel; AMD CPUs have no SYSENTER in long mode), whatever the
	 * firmware left there. */
	wrmsr(MSR_SYSENTER_CS, 0);
}
