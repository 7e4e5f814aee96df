/*
 * SYSCALL entry and the return to user mode.
 *
 * The entry saves the user registers straight into the current TCB's
 * trap frame (percpu.ctx_top is the end of it), in the same layout an
 * interrupt from user mode produces, then continues on the per-CPU kernel
 * stack in C. Interrupts stay off in the kernel (SFMASK clears IF).
 */
#include "kernel/percpu_offsets.h"

#define SEL_USER_DATA (0x20 | 3)
#define SEL_USER_CODE (0x28 | 3)

	.text
	.globl syscall_entry
	.balign 16
syscall_entry:
	swapgs
	movq %rsp, %gs:PERCPU_USER_RSP
	movq %gs:PERCPU_CTX_TOP, %rsp
	pushq $SEL_USER_DATA		/* ss */
	pushq %gs:PERCPU_USER_RSP	/* rsp */
	pushq %r11			/* rflags */
	pushq $SEL_USER_CODE		/* cs */
	pushq %rcx			/* rip */
	pushq $0			/* error */
	pushq $FRAME_SYSCALL		/* vector: may return with sysret */
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	movq %gs:PERCPU_KSTACK_TOP, %rsp
	xorl %ebp, %ebp
	/* Call and ReplyRecv try the IPC fast path first (it falls back to
	 * syscall_from_user itself). */
	cmpq $1, %rax			/* TERN_SYS_CALL */
	je 1f
	cmpq $2, %rax			/* TERN_SYS_REPLY_RECV */
	je 2f
	call syscall_from_user
	ud2
1:	call fastpath_call
	ud2
2:	call fastpath_reply_recv
	ud2

/*
 * void return_to_user(struct trap_frame *f) -- noreturn.
 * A frame saved by the syscall entry returns with sysret (rcx and r11 are
 * dead after a syscall); any other (interrupted, or registers written)
 * returns with iret, restoring everything.
 */
	.globl return_to_user
return_to_user:
	movq %rdi, %rsp
	cmpq $FRAME_SYSCALL, 15*8(%rsp)
	jne 1f
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	addq $8, %rsp			/* r11: becomes rflags */
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	addq $8, %rsp			/* rcx: becomes rip */
	popq %rbx
	popq %rax
	movq 16(%rsp), %rcx		/* rip */
	movq 32(%rsp), %r11		/* rflags */
	movq 40(%rsp), %rsp		/* user rsp */
	swapgs
	sysretq
1:	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp
	swapgs
	iretq

/* void idle_enter(uint64_t stack_top) -- noreturn: run idle_loop on a fresh
 * kernel stack (the old frames are dead). */
	.globl idle_enter
idle_enter:
	movq %rdi, %rsp
	xorl %ebp, %ebp
	call idle_loop
	ud2
