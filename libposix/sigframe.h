/*
 * Linux's x86-64 signal frame (posix/signal.h: struct posix_rt_sigframe
 * with the XSAVE area above it), set up for a handler and taken down by
 * rt_sigreturn, as arch/x86/kernel/signal.c and fpu/signal.c do. The
 * state a handler interrupts and returns to is a full struct tern_regs:
 * the syscall frame at a syscall's way back (rax the result, rcx and r11
 * what `syscall` left there), the upcall frame when a signal comes while
 * application code runs.
 */
#ifndef LIBPOSIX_SIGFRAME_H
#define LIBPOSIX_SIGFRAME_H

#include <stdint.h>

#include "posix/signal.h"
#include "state.h"
#include "tern/regs.h"

struct posix_sigdelivery {
	int sig;
	struct posix_sigaction ka; /* the action as it was when taken */
	const struct posix_siginfo *info;
	posix_sigset_t oldmask;	   /* uc_sigmask: what rt_sigreturn restores */
	uint64_t trapno, err, cr2; /* a fault's (sigcontext), else 0 */
};

/* Finds the XSAVE size and features (CPUID 0xD, XCR0). */
void posix_sigframe_init(void);
/* __setup_rt_frame: write the frame for d onto t's stack (or its
 * alternate stack) and make *r enter the handler: rdi = sig, rsi =
 * &info, rdx = &uc, rax = 0, rsp = the frame, rip = the handler, DF, TF
 * and RF cleared; the FPU state is saved in the frame and then reset to
 * its initial state, as Linux gives a handler. 0, or -EFAULT (no
 * SA_RESTORER, a stack that does not take the frame): *r is unchanged
 * then and the caller forces SIGSEGV. */
long posix_sigframe_setup(struct posix_thread *t, struct tern_regs *r,
			  const struct posix_sigdelivery *d);
/* rt_sigreturn: *r is the state at the call (rsp just above pretcode);
 * on success it holds the interrupted state again (every register, the
 * flags Linux lets a frame change), the FPU state and the alternate
 * stack are restored, and *mask is the mask to restore. -EFAULT for a
 * frame that cannot be read or restored (SIGSEGV then). */
long posix_sigframe_restore(struct posix_thread *t, struct tern_regs *r, posix_sigset_t *mask);

/* sigframe_asm.S. Resume with every register from the IPC buffer's
 * syscall_frame (rcx and r11 included), entirely in user mode. */
__attribute__((noreturn)) void posix_resume_full(void);
extern char posix_resume_full_end[];
void posix_xsave(uint64_t buf, uint64_t mask);
void posix_xrstor(uint64_t buf, uint64_t mask);
void posix_fxrstor(uint64_t buf);

#endif
