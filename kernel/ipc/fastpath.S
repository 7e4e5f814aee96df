/*
 * The IPC fast path, entered from syscall_entry (syscall.S) for Call and
 * ReplyRecv with the sender's frame saved and the user's rdi (cptr), rsi
 * (info) and r12 (Reply cptr) still live; rbx = the sender's frame, rsp =
 * the kernel stack. What it checks, and why that is all the slow path
 * would check, is in fastpath.c. Every check jumps to `slow` with nothing
 * changed; after "point of no return" nothing can fail.
 *
 * Registers: rbx sender frame, r13 sender TCB, r12 the thread to enter,
 * r15 badge (these survive the C call); r8 root CNode, ecx its radix;
 * rax, rdx, rsi, r9..r11 scratch (the message is reloaded from the
 * sender's frame at the exit). rbp is not used.
 */
#include "asm_offsets.h"

/* Fast only for length <= 4 and nothing else in bits 0..14. */
.macro CHECK_INFO
	movl %esi, %eax
	andl $FP_INFO_LOW_BITS, %eax
	cmpl $FP_MSG_REG_WORDS, %eax
	ja slow
.endm

/* The root CNode must resolve all 64 bits in one level: r8 = the CNode,
 * ecx = its radix. */
.macro LOOKUP_ROOT t
	cmpb $FP_CAP_CNODE, TCB_CSPACE_TYPE(\t)
	jne slow
	movq TCB_CSPACE_OBJ(\t), %r8
	movl CNODE_RADIX(%r8), %ecx
	movzbl TCB_CSPACE_GUARD_BITS(\t), %eax
	addl %ecx, %eax
	cmpl $64, %eax
	jne slow
.endm

/* rax = &slot->cap for cptr: the bits above the radix are the guard, the
 * bits below index the slots (as cspace_walk resolves one level). */
.macro LOOKUP_SLOT t, cptr
	movq \cptr, %rax
	shrq %cl, %rax
	cmpq TCB_CSPACE_GUARD(\t), %rax
	jne slow
	shlq %cl, %rax
	xorq \cptr, %rax
	imulq $CTE_SIZE, %rax, %rax
	leaq CNODE_SLOTS(%r8,%rax), %rax
.endm

/* Would kernel_exit enter thread r now, as it is? Its priority above
 * every ready thread, an address space, no exit work (an upcall to
 * deliver), a frame that may return with sysret. */
.macro CAN_ENTER r
	movq %gs:PERCPU_READY_SUMMARY, %rax
	testq %rax, %rax
	jz 1f
	bsrq %rax, %rax
	movq %gs:PERCPU_READY_BITMAP(,%rax,8), %rdx
	bsrq %rdx, %rdx
	shll $6, %eax
	addl %edx, %eax
	movzbl TCB_PRIORITY(\r), %edx
	cmpl %eax, %edx
	jbe slow
1:	cmpb $FP_CAP_VSPACE, TCB_VSPACE_TYPE(\r)
	jne slow
	cmpb $0, TCB_EXIT_WORK(\r)
	jne slow
	cmpq $FRAME_SYSCALL, TCB_CTX+TF_VECTOR(\r)
	jne slow
.endm

	.text
	.globl fastpath_call
fastpath_call:
	CHECK_INFO
	leaq -TCB_CTX(%rbx), %r13
	cmpb $0, TCB_FAULT_PENDING(%r13)
	jne slow
	LOOKUP_ROOT %r13
	LOOKUP_SLOT %r13, %rdi
	cmpb $FP_CAP_ENDPOINT, CAP_TYPE(%rax)
	jne slow
	testb $FP_RIGHT_WRITE, CAP_RIGHTS(%rax)
	jz slow
	movq CAP_BADGE(%rax), %r15
	movq CAP_OBJ(%rax), %r9			/* ep */
	cmpl $FP_EP_RECV, EP_STATE(%r9)
	jne slow
	movq EP_HEAD(%r9), %r12			/* the receiver */
	movq TCB_REPLY(%r12), %r11		/* its Reply */
	testq %r11, %r11
	jz slow
	CAN_ENTER %r12

	/* Point of no return: dequeue the receiver, bind its Reply to the
	 * caller, block the caller. */
	movq TCB_EP_NEXT(%r12), %rax
	movq %rax, EP_HEAD(%r9)
	testq %rax, %rax
	jz 1f
	movq $0, TCB_EP_PREV(%rax)
	movq $0, TCB_EP_NEXT(%r12)
	jmp 2f
1:	movq $0, EP_TAIL(%r9)
	movl $FP_EP_IDLE, EP_STATE(%r9)
2:	movq $0, TCB_EP(%r12)
	movq $0, TCB_REPLY(%r12)
	movq $0, REPLY_RECEIVER(%r11)
	movq %r13, REPLY_CALLER(%r11)
	movq %r11, TCB_REPLY(%r13)
	movl $FP_TS_BLOCKED_REPLY, TCB_STATE(%r13)
	jmp enter

	.globl fastpath_reply_recv
fastpath_reply_recv:
	CHECK_INFO
	testq %r12, %r12			/* 0: no Reply (reply_arg) */
	jz slow
	leaq -TCB_CTX(%rbx), %r13
	LOOKUP_ROOT %r13
	LOOKUP_SLOT %r13, %r12
	cmpb $FP_CAP_REPLY, CAP_TYPE(%rax)
	jne slow
	movq CAP_OBJ(%rax), %r11		/* the Reply */
	movq REPLY_CALLER(%r11), %r12		/* its caller */
	testq %r12, %r12
	jz slow
	cmpb $0, TCB_FAULT_PENDING(%r12)
	jne slow
	LOOKUP_SLOT %r13, %rdi
	cmpb $FP_CAP_ENDPOINT, CAP_TYPE(%rax)
	jne slow
	testb $FP_RIGHT_READ, CAP_RIGHTS(%rax)
	jz slow
	movq CAP_OBJ(%rax), %r9			/* ep */
	cmpl $FP_EP_SEND, EP_STATE(%r9)
	je slow
	CAN_ENTER %r12

	/* Point of no return: unbind the caller, queue the replier as a
	 * receiver with the Reply bound to it. */
	movq $0, REPLY_CALLER(%r11)
	movq %r13, REPLY_RECEIVER(%r11)
	movq $0, TCB_REPLY(%r12)
	movq %r11, TCB_REPLY(%r13)
	movl $FP_TS_BLOCKED_RECV, TCB_STATE(%r13)
	movq %r9, TCB_EP(%r13)
	movq $0, TCB_EP_NEXT(%r13)
	movq EP_TAIL(%r9), %rax
	movq %rax, TCB_EP_PREV(%r13)
	testq %rax, %rax
	jz 1f
	movq %r13, TCB_EP_NEXT(%rax)
	jmp 2f
1:	movq %r13, EP_HEAD(%r9)
2:	movq %r13, EP_TAIL(%r9)
	movl $FP_EP_RECV, EP_STATE(%r9)
	xorl %r15d, %r15d			/* a reply carries badge 0 */

/* Enter r12 (as schedule() and kernel_exit would) with the message in
 * the sender's frame (rbx) and badge r15. */
enter:
	cmpl $0, TCB_TIMESLICE(%r12)
	jne 1f
	movl $FP_TIMESLICE_TICKS, TCB_TIMESLICE(%r12)
1:	movl $FP_TS_RUNNING, TCB_STATE(%r12)
	movq %r12, %gs:PERCPU_CURRENT
	incq %gs:PERCPU_FASTPATH_HITS
	movq %r12, %rdi
	call fastpath_switch			/* switch_user_context */
	movq %r15, %rdi
	movq TF_RSI(%rbx), %rsi
	movq TF_RDX(%rbx), %rdx
	movq TF_R10(%rbx), %r10
	movq TF_R8(%rbx), %r8
	movq TF_R9(%rbx), %r9
	movq TCB_CTX+TF_RBX(%r12), %rbx
	movq TCB_CTX+TF_RBP(%r12), %rbp
	movq TCB_CTX+TF_R13(%r12), %r13
	movq TCB_CTX+TF_R14(%r12), %r14
	movq TCB_CTX+TF_R15(%r12), %r15
	movq TCB_CTX+TF_RIP(%r12), %rcx
	movq TCB_CTX+TF_RFLAGS(%r12), %r11
	movq TCB_CTX+TF_RSP(%r12), %rsp
	movq TCB_CTX+TF_R12(%r12), %r12
	xorl %eax, %eax				/* TERN_EOK */
	swapgs
	sysretq

slow:
	movq %rbx, %rdi
	xorl %ebp, %ebp
	call syscall_from_user
	ud2
