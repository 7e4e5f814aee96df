/*
 * SYSCALL entry, the switch into a thread and the return to user mode.
 *
 * The entry saves the user registers straight into the current TCB's
 * trap frame, in the same layout an interrupt from user mode produces
 * (which registers, below), then continues in the IPC fast path or on
 * the per-CPU kernel stack in C. Interrupts stay off in the kernel
 * (SFMASK clears IF).
 */
#include "asm_offsets.h"
	.include "arch/frame.inc"
#include "arch/switch.inc"


/*
 * The frame a syscall leaves (vector FRAME_SYSCALL; tern/syscall.h,
 * "Registers across a call"). The entry stores only what every call
 * keeps: the callee-saved registers (rbx, rbp, r12..r15), rip, rflags
 * and rsp, and the vector. The argument registers (rax, rdi, rsi, rdx,
 * r8..r10) are stored by syscall_slow, before any C code runs, or
 * consumed by the IPC fast path (Call and ReplyRecv overwrite them all on
 * return). The words a syscall frame defines (rcx = rip, r11 = rflags,
 * cs, ss, error 0) are never stored here: frame_complete
 * (arch/user_regs.h) fills them in before the frame is read or becomes an
 * iret frame; sysret needs none of them.
 *
 * On entry rsp = current; on exit r13 = current, rsp = &current->ctx.rsp
 * (interrupts are off and NMI, #DF and #MC use IST stacks, so nothing
 * pushes there), the user's rax, rdi, rsi, rdx, r8..r10 untouched.
 */
.macro SAVE_SYSCALL_FRAME
	addq $TCB_CTX+TF_SS, %rsp
	pushq %gs:PERCPU_USER_RSP		/* rsp */
	movq %r11, TF_RFLAGS-TF_RSP(%rsp)
	movq %rcx, TF_RIP-TF_RSP(%rsp)
	movq $FRAME_SYSCALL, TF_VECTOR-TF_RSP(%rsp)
	movq %rbx, TF_RBX-TF_RSP(%rsp)
	movq %rbp, TF_RBP-TF_RSP(%rsp)
	movq %r12, TF_R12-TF_RSP(%rsp)
	movq %r13, TF_R13-TF_RSP(%rsp)
	movq %r14, TF_R14-TF_RSP(%rsp)
	movq %r15, TF_R15-TF_RSP(%rsp)
	leaq -(TCB_CTX+TF_RSP)(%rsp), %r13
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
	SAVE_SYSCALL_FRAME
	/* Call and ReplyRecv try the IPC fast path (kernel/ipc/fastpath.S)
	 * first; it jumps to syscall_slow itself when it declines. */
	cmpq $FP_SYS_CALL, %rax
	je fastpath_call
	cmpq $FP_SYS_REPLY_RECV, %rax
	je fastpath_reply_recv

/*
 * The argument registers, then C: r13 = current, the user's argument
 * registers still live (the fast path declines with them untouched).
 */
	.globl syscall_slow
syscall_slow:
	movq %rax, TCB_CTX+TF_RAX(%r13)
	movq %rdi, TCB_CTX+TF_RDI(%r13)
	movq %rsi, TCB_CTX+TF_RSI(%r13)
	movq %rdx, TCB_CTX+TF_RDX(%r13)
	movq %r8, TCB_CTX+TF_R8(%r13)
	movq %r9, TCB_CTX+TF_R9(%r13)
	movq %r10, TCB_CTX+TF_R10(%r13)
	leaq TCB_CTX(%r13), %rdi
	movq %gs:PERCPU_KSTACK_TOP, %rsp
	xorl %ebp, %ebp			/* the end of a backtrace */
	call syscall_from_user
	ud2

/* Reflection declined (no IPC buffer): the C path answers, never the IPC
 * fast path (which assumes a native call). */
reflect_declined:
	SAVE_SYSCALL_FRAME
	jmp syscall_slow

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
	/* The profiler (sys/prof.h, tern.profile=1): the TSC in the frame's
	 * bits word, which a syscall frame does not use otherwise. rax is
	 * scratch from here on; rdx is live for the handler (libposix's
	 * entry takes it from the register), so it is put back. */
	cmpb $0, profile_on(%rip)
	jne reflect_stamp
reflect_stamped:
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

reflect_stamp:
	rdtsc
	shlq $32, %rdx
	orq %rdx, %rax
	movq %rax, 168(%rsp)		/* struct tern_frame's bits */
	movq 24(%rsp), %rdx
	jmp reflect_stamped

/*
 * void return_to_user(struct trap_frame *f) -- noreturn.
 * A frame saved by the syscall entry returns with sysret (rcx and r11 are
 * dead after a syscall); any other (interrupted, or registers written)
 * returns with iret, restoring everything.
 */
	.globl return_to_user
return_to_user:
	movq %rdi, %rsp
	cmpq $FRAME_SYSCALL, TF_VECTOR(%rsp)
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
	movq TF_RIP-TF_VECTOR(%rsp), %rcx	/* rsp is at the vector now */
	movq TF_RFLAGS-TF_VECTOR(%rsp), %r11
	movq TF_RSP-TF_VECTOR(%rsp), %rsp
	swapgs
	sysretq
1:	POP_GPRS
	addq $16, %rsp
	swapgs
	iretq

/* void switch_to_user(struct tcb *t) -- noreturn (kernel/sched.h): load
 * t's user context (SWITCH_USER, arch/switch.inc) and return_to_user. */
	.globl switch_to_user
switch_to_user:
	movq %rdi, %rbx
	SWITCH_USER %rbx
	leaq TCB_CTX(%rbx), %rdi
	jmp return_to_user

/* void vspace_activate(struct vspace *vs) (kernel/vm.h): load CR3 for vs
 * now, the same code the thread switch runs. */
	.globl vspace_activate
vspace_activate:
	movq %rdi, %rax
	movq VS_PML4(%rax), %rdx
	orw VS_PCID(%rax), %dx
	VSPACE_LOAD
	ret

/* void idle_enter(uint64_t stack_top) -- noreturn: run idle_loop on a fresh
 * kernel stack (the old frames are dead). */
	.globl idle_enter
idle_enter:
	movq %rdi, %rsp
	xorl %ebp, %ebp
	call idle_loop
	ud2
