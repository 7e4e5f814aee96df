/*
 * tern_personality_entry: where the kernel starts a thread with a
 * personality (contract in tern/personality.h, user side in
 * sys/personality.h). On entry
 *     rdi = TERN_UPCALL_SYSCALL or TERN_UPCALL_NOTIFICATION,
 *     rsi = the frame in the IPC buffer (struct tern_frame),
 *     rsp = below the interrupted red zone, 16-aligned minus 8,
 * and the flags are the interrupted ones (DF included), so DF is cleared
 * before C runs. Offsets and numbers are checked in personality.c.
 *
 * The stack. The handler runs on the thread's handler stack (the IPC
 * buffer's handler_stack_top/size), unless the interrupted rsp already
 * lies on it (an upcall into a syscall handler, a syscall reflected from
 * code an upcall handler runs there): then below the interrupted red zone,
 * where the kernel put rsp. Without a handler stack, there too. Nothing is
 * written to the stack before the switch, so an application stack is
 * never touched.
 */
#include "sys/personality_frame.inc"

	/* In .text proper, never .text.app: the stub is in the range. */
	.section .text.tern_personality_entry, "ax"
	.globl tern_personality_entry
	.type tern_personality_entry, @function
	.balign 16
tern_personality_entry:
	cld
	cmpl $UPCALL_SYSCALL, %edi
	jne upcall
	handler_stack %rsi, B_SYSCALL_FRAME
	/*
	 * Copy the frame to the handler stack before anything can overwrite
	 * it (a reflection from a signal handler that an upcall runs in the
	 * middle of this handler). The registers the kernel left alone are
	 * pushed from themselves, the rest from the IPC buffer; an upcall in
	 * the middle of the copy restores the IPC buffer's frame before it
	 * returns here (see below).
	 */
	pushq $0			/* bits */
	pushq $UPCALL_SYSCALL		/* kind */
	pushq R_GS_BASE(%rsi)
	pushq R_FS_BASE(%rsi)
	pushq R_RFLAGS(%rsi)
	pushq R_RIP(%rsi)
	pushq %r15
	pushq %r14
	pushq %r13
	pushq %r12
	pushq R_R11(%rsi)
	pushq %r10
	pushq %r9
	pushq %r8
	pushq R_RSP(%rsi)
	pushq %rbp
	pushq R_RDI(%rsi)
	pushq R_RSI(%rsi)
	pushq %rdx
	pushq R_RCX(%rsi)
	pushq %rbx
	pushq R_RAX(%rsi)
	movq %rsp, %rdi
	call *tern_personality_syscall_handler(%rip)
	/*
	 * Resume in user mode from the copy. rbx, rbp and r12-r15 still hold
	 * the application's values (the C handler preserved them). The
	 * argument registers are reloaded, rcx becomes the return address and
	 * r11 the flags, as sysret leaves them.
	 */
	movq R_RDX(%rsp), %rdx
	movq R_RSI(%rsp), %rsi
	movq R_RDI(%rsp), %rdi
	movq R_R8(%rsp), %r8
	movq R_R9(%rsp), %r9
	movq R_R10(%rsp), %r10
	movq %rsp, %rcx
	/*
	 * rcx = a frame. popfq takes the flags from the frame itself; rsp then
	 * points 144 bytes into it until the last load, so an upcall in this
	 * window runs its handler below the fields still to be read.
	 */
	.globl tern_personality_resume_tail
tern_personality_resume_tail:
resume_tail:
	movq R_RFLAGS(%rcx), %r11
	leaq R_RFLAGS(%rcx), %rsp
	popfq				/* nothing below changes the flags */
	movq (R_RIP - R_RFLAGS - 8)(%rsp), %rcx
	movq (R_RSP - R_RFLAGS - 8)(%rsp), %rsp
	jmpq *%rcx

	/*
	 * An upcall. Its frame stays in the IPC buffer (only the kernel
	 * writes it, and not before RESUME). The handler may make native
	 * calls and run code whose syscalls are reflected, so the IPC buffer
	 * fields those overwrite are saved on the stack and put back before
	 * RESUME: the interrupted code may have been composing a message, or
	 * been this stub copying a syscall frame. RESUME restores the
	 * interrupted state in full.
	 */
upcall:
	handler_stack %rsi, B_UPCALL_FRAME
	movq %rsi, %rbx			/* the frame, across the C call */
	pushq (B_INTERRUPT_NTFN - B_UPCALL_FRAME)(%rsi)
	subq $(SAVE_QWORDS * 8 + 8), %rsp	/* keeps the 16-byte alignment */
	leaq (B_MSG4 - B_UPCALL_FRAME)(%rsi), %rsi
	movq %rsp, %rdi
	movl $SAVE_QWORDS, %ecx
	rep movsq
	movq %rbx, %rdi
	call *tern_personality_upcall_handler(%rip)
	cld
	movq %rsp, %rsi
	leaq (B_MSG4 - B_UPCALL_FRAME)(%rbx), %rdi
	movl $SAVE_QWORDS, %ecx
	rep movsq
	movq (SAVE_QWORDS * 8 + 8)(%rsp), %rax
	movq %rax, (B_INTERRUPT_NTFN - B_UPCALL_FRAME)(%rbx)
	movl $SYS_RESUME, %eax
	xorl %edi, %edi			/* the upcall frame */
	syscall
	ud2				/* RESUME returns only on error */
	.size tern_personality_entry, . - tern_personality_entry

/*
 * void tern_personality_resume_frame(struct tern_frame *frame), noreturn:
 * resume a reflected syscall with every register from frame->regs
 * (rax included; rcx and r11 become rip and rflags), for a handler that
 * replaces the whole state (sigreturn, execve). The frame may lie
 * anywhere; the handler stack it runs on is given up.
 */
	.globl tern_personality_resume_frame
	.type tern_personality_resume_frame, @function
tern_personality_resume_frame:
	movq %rdi, %rcx
	movq R_RAX(%rcx), %rax
	movq R_RBX(%rcx), %rbx
	movq R_RDX(%rcx), %rdx
	movq R_RSI(%rcx), %rsi
	movq R_RDI(%rcx), %rdi
	movq R_RBP(%rcx), %rbp
	movq R_R8(%rcx), %r8
	movq R_R9(%rcx), %r9
	movq R_R10(%rcx), %r10
	movq R_R12(%rcx), %r12
	movq R_R13(%rcx), %r13
	movq R_R14(%rcx), %r14
	movq R_R15(%rcx), %r15
	jmp resume_tail
	.size tern_personality_resume_frame, . - tern_personality_resume_frame

	.section .note.GNU-stack, "", @progbits
