/*
 * SYSCALL entry and the return to user mode.
 *
 * The entry saves the user registers straight into the current TCB's
 * trap frame (TCB_CTX_END is the end of it), in the same layout an
 * interrupt from user mode produces, then continues on the per-CPU kernel
 * stack in C. Interrupts stay off in the kernel (SFMASK clears IF).
 */
#include "asm_offsets.h"
	.include "arch/frame.inc"


/* Save the user registers as a trap frame (rsp = its end) and switch to
 * the kernel stack with rbx = the frame. The user's rdi, rsi and r12 stay
 * live for the fast path. */
.macro SAVE_SYSCALL_FRAME
	pushq $SEL_USER_DATA		/* ss */
	pushq %gs:PERCPU_USER_RSP	/* rsp */
	pushq %r11			/* rflags */
	pushq $SEL_USER_CODE		/* cs */
	pushq %rcx			/* rip */
	pushq $0			/* error */
	pushq $FRAME_SYSCALL		/* vector: may return with sysret */
	PUSH_GPRS
	movq %rsp, %rbx
	movq %gs:PERCPU_KSTACK_TOP, %rsp
.endm

/* Into C: rdi = the frame, rbp = 0 (the end of a backtrace). */
.macro CALL_SLOW
	movq %rbx, %rdi
	xorl %ebp, %ebp
	call syscall_from_user
	ud2
.endm

	.text
	.globl syscall_entry
	.balign 16
syscall_entry:
	swapgs
	movq %rsp, %gs:PERCPU_USER_RSP
	/* A thread with a personality reflects syscalls from outside its
	 * code range: see reflect_syscall below. */
	movq %gs:PERCPU_CURRENT, %rsp
	cmpq $0, TCB_PERS_ENTRY(%rsp)
	jne reflect_check
native_syscall:
	addq $TCB_CTX_END, %rsp		/* rsp = current: the end of its frame */
	SAVE_SYSCALL_FRAME
	/* Call and ReplyRecv try the IPC fast path (kernel/ipc/fastpath.S)
	 * first; it takes the slow path itself when it declines. */
	cmpq $FP_SYS_CALL, %rax
	je fastpath_call
	cmpq $FP_SYS_REPLY_RECV, %rax
	je fastpath_reply_recv
	CALL_SLOW

/* Reflection declined (no IPC buffer): the C path answers, never the IPC
 * fast path (which assumes a native call). */
reflect_declined:
	addq $TCB_CTX_END, %rsp		/* rsp = current */
	SAVE_SYSCALL_FRAME
	CALL_SLOW

/*
 * Reflection (tern/personality.h), all in assembly: store the user
 * registers in the IPC buffer's syscall_frame through the kernel's own
 * mapping of that page, and sysret into the personality entry point with
 * rdi = TERN_UPCALL_SYSCALL, rsi = the frame's user address and rsp below
 * the red zone. rsp holds the TCB on entry; rax and the new rsp are the
 * only registers used as scratch (rax is in the frame). Without an IPC
 * buffer the C path (personality_reflect) answers -ENOSYS.
 */
reflect_check:
	cmpq TCB_PERS_LO(%rsp), %rcx
	jb reflect_syscall
	cmpq TCB_PERS_HI(%rsp), %rcx
	jb native_syscall
reflect_syscall:
	cmpb $CAP_TYPE_MEMOBJ, TCB_IPC_BUFFER_CAP_TYPE(%rsp)
	jne reflect_declined
	movq TCB_IPC_BUFFER(%rsp), %rsp
	addq $IPCBUF_SYSCALL_FRAME, %rsp
	movq %rax, 0(%rsp)
	movq %rbx, 8(%rsp)
	movq %rcx, 16(%rsp)
	movq %rdx, 24(%rsp)
	movq %rsi, 32(%rsp)
	movq %rdi, 40(%rsp)
	movq %rbp, 48(%rsp)
	movq %gs:PERCPU_USER_RSP, %rax
	movq %rax, 56(%rsp)
	movq %r8, 64(%rsp)
	movq %r9, 72(%rsp)
	movq %r10, 80(%rsp)
	movq %r11, 88(%rsp)
	movq %r12, 96(%rsp)
	movq %r13, 104(%rsp)
	movq %r14, 112(%rsp)
	movq %r15, 120(%rsp)
	movq %rcx, 128(%rsp)		/* rip */
	movq %r11, 136(%rsp)		/* rflags */
	movq %gs:PERCPU_CURRENT, %rdi
	movq TCB_FS_BASE(%rdi), %rsi
	movq %rsi, 144(%rsp)
	movq TCB_GS_BASE(%rdi), %rsi
	movq %rsi, 152(%rsp)
	movq $UPCALL_KIND_SYSCALL, 160(%rsp)
	movq TCB_IPC_BUFFER_VADDR(%rdi), %rsi
	addq $IPCBUF_SYSCALL_FRAME, %rsi
	movq TCB_PERS_ENTRY(%rdi), %rcx
	movl $UPCALL_KIND_SYSCALL, %edi
	subq $128, %rax			/* below the red zone, as after a call */
	andq $-16, %rax
	subq $8, %rax
	movq %rax, %rsp
	swapgs
	sysretq

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
1:	POP_GPRS
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
