/*
 * The signal frame's machine parts (sigframe.h): XSAVE/XRSTOR of the
 * program's FPU state (libposix's C is -mgeneral-regs-only, so the
 * registers still hold the program's values when it runs), and the full
 * return of rt_sigreturn.
 */
#include "sys/personality_frame.inc"

#define B_USER_SELF 3976 /* struct tern_ipc_buffer's user_self (sigframe.c checks) */
#define F(r) (B_SYSCALL_FRAME + r)

	.text
/* void posix_xsave(uint64_t buf, uint64_t mask): XSAVE (standard form). */
	.globl posix_xsave
	.type posix_xsave, @function
posix_xsave:
	movl %esi, %eax
	shrq $32, %rsi
	movl %esi, %edx
	xsave (%rdi)
	ret
	.size posix_xsave, . - posix_xsave

/* void posix_xrstor(uint64_t buf, uint64_t mask) */
	.globl posix_xrstor
	.type posix_xrstor, @function
posix_xrstor:
	movl %esi, %eax
	shrq $32, %rsi
	movl %esi, %edx
	xrstor (%rdi)
	ret
	.size posix_xrstor, . - posix_xrstor

/* void posix_fxrstor(uint64_t buf) */
	.globl posix_fxrstor
	.type posix_fxrstor, @function
posix_fxrstor:
	fxrstor (%rdi)
	ret
	.size posix_fxrstor, . - posix_fxrstor

/*
 * void posix_resume_full(void), noreturn: every register from the IPC
 * buffer's syscall_frame, rcx and r11 included, reached through %gs (the
 * IPC buffer page), so no register is needed to hold the frame. The
 * flags are popped from the frame itself; only movs and lea follow. An
 * upcall anywhere in here finds the whole state in syscall_frame (the
 * upcall handler delivers from it: signal.c).
 */
	.globl posix_resume_full, posix_resume_full_end
	.type posix_resume_full, @function
posix_resume_full:
	movq %gs:F(R_RAX), %rax
	movq %gs:F(R_RBX), %rbx
	movq %gs:F(R_RCX), %rcx
	movq %gs:F(R_RDX), %rdx
	movq %gs:F(R_RSI), %rsi
	movq %gs:F(R_RDI), %rdi
	movq %gs:F(R_RBP), %rbp
	movq %gs:F(R_R8), %r8
	movq %gs:F(R_R9), %r9
	movq %gs:F(R_R10), %r10
	movq %gs:F(R_R11), %r11
	movq %gs:F(R_R12), %r12
	movq %gs:F(R_R13), %r13
	movq %gs:F(R_R14), %r14
	movq %gs:F(R_R15), %r15
	movq %gs:B_USER_SELF, %rsp
	leaq F(R_RFLAGS)(%rsp), %rsp
	popfq
	movq %gs:F(R_RSP), %rsp
	jmpq *%gs:F(R_RIP)
posix_resume_full_end:
	.size posix_resume_full, . - posix_resume_full

	.section .note.GNU-stack, "", @progbits
