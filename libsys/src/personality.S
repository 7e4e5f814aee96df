/*
 * tern_personality_entry: where the kernel starts a thread with a
 * personality (contract in tern/personality.h, user side in
 * sys/personality.h). On entry
 *     rdi = TERN_UPCALL_SYSCALL or TERN_UPCALL_NOTIFICATION,
 *     rsi = the frame in the IPC buffer (struct tern_frame),
 *     rsp = below the interrupted red zone, 16-aligned minus 8,
 * and the flags are the interrupted ones (DF included), so DF is cleared
 * before C runs. Offsets and numbers are checked in personality.c.
 */
#define UPCALL_SYSCALL 1
#define SYS_RESUME 12

#define R_RAX 0
#define R_RBX 8
#define R_RDX 24
#define R_RSI 32
#define R_RDI 40
#define R_RBP 48
#define R_RSP 56
#define R_R8 64
#define R_R9 72
#define R_R10 80
#define R_R12 96
#define R_R13 104
#define R_R14 112
#define R_R15 120
#define R_RIP 128
#define R_RFLAGS 136

	/* In .text proper, never .text.app: the stub is in the range. */
	.section .text.tern_personality_entry, "ax"
	.globl tern_personality_entry
	.type tern_personality_entry, @function
	.balign 16
tern_personality_entry:
	cld
	cmpl $UPCALL_SYSCALL, %edi
	jne 1f
	pushq %rsi			/* the frame; aligns the stack for the call */
	movq %rsi, %rdi
	call *tern_personality_syscall_handler(%rip)
	/*
	 * Resume in user mode. rbx, rbp and r12-r15 still hold the
	 * application's values: the kernel entered us with them and the C
	 * handler preserved them. The argument registers are reloaded; rcx
	 * holds the frame until the last jump, then the return address; r11
	 * the flags, as sysret leaves them. The flags go through our own
	 * stack, below the application's red zone: were the IPC buffer used
	 * as a stack for popfq, an upcall in this window would run its
	 * handler on the buffer.
	 */
	popq %rcx
	movq R_RDX(%rcx), %rdx
	movq R_RSI(%rcx), %rsi
	movq R_RDI(%rcx), %rdi
	movq R_R8(%rcx), %r8
	movq R_R9(%rcx), %r9
	movq R_R10(%rcx), %r10
resume_tail:
	movq R_RFLAGS(%rcx), %r11
	pushq %r11
	popfq				/* nothing below changes the flags */
	movq R_RSP(%rcx), %rsp
	movq R_RIP(%rcx), %rcx
	jmpq *%rcx

	/* An upcall: the kernel restores the interrupted state in full. */
1:	pushq %rsi
	movq %rsi, %rdi
	call *tern_personality_upcall_handler(%rip)
	movl $SYS_RESUME, %eax
	syscall
	ud2				/* RESUME returns only on error */
	.size tern_personality_entry, . - tern_personality_entry

/*
 * void tern_personality_resume_frame(struct tern_frame *frame), noreturn:
 * resume a reflected syscall with every register from frame->regs
 * (rax included; rcx and r11 become rip and rflags), for a handler that
 * replaces the whole state (sigreturn, execve). Called on the handler's
 * stack, which lies below the application's red zone.
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
