/*
 * The IPC fast path, entered from syscall_entry (syscall.S) for Call and
 * ReplyRecv with the sender's callee-saved registers, rip, rflags and rsp
 * saved (SAVE_SYSCALL_FRAME), r13 = the sender's TCB and rsp inside its
 * frame (no stack is used here). What it checks, and why that is all the
 * slow path would check, is the audit below. Every check jumps to
 * syscall_slow with nothing changed and the user's argument registers
 * (rax, rdi, rsi, rdx, r8..r10) untouched: syscall_slow stores them into
 * the frame. After "point of no return" nothing can fail.
 *
 * Registers: r13 sender TCB, r12 the thread to enter, r14 root CNode,
 * ecx its radix, rbp the endpoint, r11 the Reply, rbx the cap looked up
 * (scratch before that), rax scratch after the point of no return, where
 * rdi becomes the badge. The message registers (rsi info, rdx, r10, r8,
 * r9) are never written: they stay live from the syscall to the sysret
 * (rdx is kept in rbx across the switch, which clobbers it).
 */
/*
 * The IPC fast path (after seL4's): Call to a waiting receiver and
 * ReplyRecv to a waiting caller, when the message fits in registers, no
 * capability moves, and the other thread is the one the scheduler would
 * pick. It is assembly (kernel/ipc/fastpath.S), entered from
 * syscall_entry with the sender's preserved registers saved: a short run
 * of checks, each leaving for the slow path (syscall_slow, which stores
 * the argument registers, then syscall_from_user) with nothing changed;
 * after the point of no return nothing can fail: requeue, switch the user
 * context (SWITCH_USER, arch/switch.inc: the same macro as
 * switch_to_user, which kernel_exit enters through), and sysret with the
 * message registers (rdx, r10, r8, r9 and the info word in rsi) still in
 * the registers from the sender's syscall, the rest from the receiver's
 * frame, rdi = badge and rax = TERN_EOK.
 *
 * Frames. The sender's frame has what every call preserves (rbx, rbp,
 * r12..r15, rip, rflags, rsp; kind FRAME_SYSCALL); its argument registers
 * are consumed, Call and ReplyRecv returning new values in all of them
 * (tern/syscall.h). A thread blocked here is otherwise as the slow path
 * would leave it: each later reader of its frame (a slow reply writes the
 * outputs; READ_REGISTERS, upcalls and a cancelled wait go through
 * frame_complete, which reports the consumed registers as 0) sees a
 * defined value. The receiver's frame is not written: it runs in user
 * mode at once and its next entry rewrites the frame; nothing reads the
 * frame of a thread that is in user mode.
 *
 * Audit: what the slow path checks or does for these two cases, and
 * where the fast path has it.
 *
 * Both calls
 *  - reflection (syscall_from_user: personality_reflects): decided in
 *    syscall_entry; a reflected call never reaches the fast path (also
 *    when reflect_syscall declines for lack of an IPC buffer: that goes
 *    straight to syscall_slow).
 *  - message info (ipc_transfer): the receiver gets
 *    tern_msginfo(label, caps moved, length) | unwrapped << 12. Fast only
 *    when bits 0..14 of the sender's word are a length <= 4 and nothing
 *    else (no caps, no unwrapped bits): then that word is exactly what
 *    the slow path builds, and it is passed on unchanged.
 *  - message words: ipc_transfer copies MR0..MR3 (rdx, r10, r8, r9)
 *    whatever the length; so does the exit. No IPC-buffer words (<= 4).
 *  - capability transfer (ncaps, grant): none (caps bits 0, above).
 *  - CSpace lookup (cspace_lookup_cap): LOOKUP_ROOT/LOOKUP_SLOT resolve
 *    only a root CNode whose guard and radix take all 64 bits in one
 *    level, with the same guard comparison and slot index as cspace_walk
 *    (radix <= TERN_CNODE_MAX_RADIX < 64, so the shifts are exact; radix
 *    0 with a 64-bit guard is slot 0, as there); anything else is slow.
 *    cspace_walk also refuses a CNode cap with no object: a cap's object
 *    is set whenever its type is. An empty slot fails the type check.
 *  - sender in a fault (ipc_transfer builds a fault message when
 *    from->fault_pending): a thread making a syscall is running, and a
 *    running thread never has fault_pending (it is set only while the
 *    kernel sends on its behalf, and cleared when it is answered or
 *    cancelled). Checked anyway: Call tests the caller's, and both calls
 *    test the entered thread's together with its exit work (one 16-bit
 *    compare, the two bytes adjacent: asserted in asm_offsets.c).
 *  - scheduling (sched_wake, schedule): the slow path queues the woken
 *    thread at the tail of its priority, the sender blocks, and
 *    schedule() takes the head of the highest ready priority. The fast
 *    path runs the woken thread only if its priority is above every
 *    ready thread (strictly: an equal one would run first), and refills
 *    its timeslice when empty, as schedule() does.
 *  - kernel_exit: a thread without an address space is suspended
 *    (tcb_vspace checked), the thread's exit work is run (an upcall to
 *    deliver, kernel/core/personality.c: any exit_work bit is slow), then
 *    switch_to_user (SWITCH_USER, the same code).
 *  - the return: return_to_user uses sysret only for a frame saved by the
 *    syscall entry (vector FRAME_SYSCALL); the fast exit is sysret, so
 *    any other frame (registers written, an upcall entered) is slow.
 *  - syscall_from_user bookkeeping: syscall_tcb (only for a TCB
 *    destroyed during its own call) and deferred_free are not needed:
 *    nothing is destroyed here. slowpath_ipcs counts slow calls,
 *    fastpath_hits these.
 *
 * Call (sys_CALL, endpoint_send with call = true, blocking)
 *  - the cap is an Endpoint (not an object invocation) with the write
 *    right; the badge is the cap's.
 *  - ep->state == EP_RECV (else the caller would block in Send); the
 *    receiver is the queue head (never NULL in EP_RECV: ep_dequeue
 *    makes an emptied queue EP_IDLE), blocked in Recv with a frame
 *    saved by syscall_entry.
 *  - the receiver named a Reply object (r->reply; else the slow path
 *    releases the caller with TERN_EINTERRUPTED). Such a Reply has no
 *    caller (endpoint_recv refuses a bound one).
 *  - dequeue the receiver (ep_dequeue), unbind its Reply from it and bind
 *    it to the caller (bind_reply), block the caller (sched_block: the
 *    running thread is in no ready queue).
 *
 * ReplyRecv (sys_REPLY_RECV: reply_send, then recv_common)
 *  - r12 names a Reply cap (reply_arg: r12 = 0 means "no Reply" there,
 *    whatever slot 0 holds, so 0 is slow; so is another type)
 *    with a caller waiting (else the slow path sends nothing and only
 *    receives), which is not in a fault (reply_send treats a fault reply
 *    differently; tested in CAN_ENTER with its exit work). A Reply with
 *    a caller has no receiver (bind_reply always follows clearing it,
 *    and endpoint_recv refuses to wait with a Reply that has a caller),
 *    so endpoint_recv's "bound to another thread" refusal cannot apply.
 *  - badge 0 (reply_send); reply_send grants, but a reply carrying a
 *    capability has caps bits set and is slow (CHECK_INFO).
 *  - rdi names an Endpoint cap with the read right (recv_common; a
 *    Notification is slow), not in EP_SEND (else a sender is received at
 *    once): the replier queues at the tail in EP_RECV with the Reply
 *    bound to it as receiver (endpoint_recv, blocking).
 */

#include "asm_offsets.h"
#include "arch/switch.inc"

/* Fast only for length <= 4 and nothing else in bits 0..14. */
.macro CHECK_INFO
	movl %esi, %ebx
	andl $FP_INFO_LOW_BITS, %ebx
	cmpl $FP_MSG_REG_WORDS, %ebx
	ja syscall_slow
.endm

/* The root CNode must resolve all 64 bits in one level: r14 = the CNode,
 * ecx = its radix. */
.macro LOOKUP_ROOT t
	cmpb $FP_CAP_CNODE, TCB_CSPACE_TYPE(\t)
	jne syscall_slow
	movq TCB_CSPACE_OBJ(\t), %r14
	movl CNODE_RADIX(%r14), %ecx
	movzbl TCB_CSPACE_GUARD_BITS(\t), %ebx
	addl %ecx, %ebx
	cmpl $64, %ebx
	jne syscall_slow
.endm

/* rbx = &slot->cap for cptr: the bits above the radix are the guard, the
 * bits below index the slots (as cspace_walk resolves one level). */
.macro LOOKUP_SLOT t, cptr
	movq \cptr, %rbx
	shrq %cl, %rbx
	cmpq TCB_CSPACE_GUARD(\t), %rbx
	jne syscall_slow
	shlq %cl, %rbx
	xorq \cptr, %rbx
	imulq $CTE_SIZE, %rbx, %rbx
	leaq CNODE_SLOTS(%r14,%rbx), %rbx
.endm

/* Would kernel_exit enter thread r now, as it is? Its priority above
 * every ready thread, an address space, no exit work (an upcall to
 * deliver) and not in a fault (one 16-bit test: fault_pending follows
 * exit_work, asserted in asm_offsets.c), a frame that may return with
 * sysret. Scratch: rcx, r14 (rbx survives). */
.macro CAN_ENTER r
	cmpq $0, %gs:PERCPU_READY_SUMMARY
	je 1f
	bsrq %gs:PERCPU_READY_SUMMARY, %r14
	movq %gs:PERCPU_READY_BITMAP(,%r14,8), %rcx
	bsrq %rcx, %rcx
	shll $6, %r14d
	addl %ecx, %r14d
	movzbl TCB_PRIORITY(\r), %ecx
	cmpl %r14d, %ecx
	jbe syscall_slow
1:	cmpb $FP_CAP_VSPACE, TCB_VSPACE_TYPE(\r)
	jne syscall_slow
	cmpw $0, TCB_EXIT_WORK(\r)
	jne syscall_slow
	cmpq $FRAME_SYSCALL, TCB_CTX+TF_VECTOR(\r)
	jne syscall_slow
.endm

/* Enter r12 (as schedule() and kernel_exit would) with the message in
 * the registers and the badge in rdi. A macro, expanded at the end of
 * both calls (no jump between them; the switch in it is still the one
 * SWITCH_USER). */
.macro ENTER
	cmpl $0, TCB_TIMESLICE(%r12)
	jne 1f
	movl $FP_TIMESLICE_TICKS, TCB_TIMESLICE(%r12)
1:	movl $FP_TS_RUNNING, TCB_STATE(%r12)
	movq %r12, %gs:PERCPU_CURRENT
	incq %gs:PERCPU_FASTPATH_HITS
	movq %rdx, %rbx				/* MR0: the switch clobbers rdx */
	SWITCH_USER %r12, other=1		/* r12 is not c->loaded */
	movq %rbx, %rdx
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
.endm

	.text
	.globl fastpath_call
fastpath_call:
	CHECK_INFO
	cmpb $0, TCB_FAULT_PENDING(%r13)
	jne syscall_slow
	LOOKUP_ROOT %r13
	LOOKUP_SLOT %r13, %rdi
	cmpb $FP_CAP_ENDPOINT, CAP_TYPE(%rbx)
	jne syscall_slow
	testb $FP_RIGHT_WRITE, CAP_RIGHTS(%rbx)
	jz syscall_slow
	movq CAP_OBJ(%rbx), %rbp			/* ep */
	cmpl $FP_EP_RECV, EP_STATE(%rbp)
	jne syscall_slow
	movq EP_HEAD(%rbp), %r12			/* the receiver */
	movq TCB_REPLY(%r12), %r11		/* its Reply */
	testq %r11, %r11
	jz syscall_slow
	CAN_ENTER %r12

	/* Point of no return: dequeue the receiver, bind its Reply to the
	 * caller, block the caller. rdi = the badge (rbx: the cap). */
	movq CAP_BADGE(%rbx), %rdi
	movq TCB_EP_NEXT(%r12), %rax
	movq %rax, EP_HEAD(%rbp)
	testq %rax, %rax
	jz 1f
	movq $0, TCB_EP_PREV(%rax)
	movq $0, TCB_EP_NEXT(%r12)
	jmp 2f
1:	movq $0, EP_TAIL(%rbp)
	movl $FP_EP_IDLE, EP_STATE(%rbp)
2:	movq $0, TCB_EP(%r12)
	movq $0, TCB_REPLY(%r12)
	movq $0, REPLY_RECEIVER(%r11)
	movq %r13, REPLY_CALLER(%r11)
	movq %r11, TCB_REPLY(%r13)
	movl $FP_TS_BLOCKED_REPLY, TCB_STATE(%r13)
	ENTER

	.globl fastpath_reply_recv
fastpath_reply_recv:
	CHECK_INFO
	testq %r12, %r12			/* 0: no Reply (reply_arg) */
	jz syscall_slow
	LOOKUP_ROOT %r13
	LOOKUP_SLOT %r13, %r12
	cmpb $FP_CAP_REPLY, CAP_TYPE(%rbx)
	jne syscall_slow
	movq CAP_OBJ(%rbx), %r11		/* the Reply */
	movq REPLY_CALLER(%r11), %r12		/* its caller */
	testq %r12, %r12
	jz syscall_slow
	LOOKUP_SLOT %r13, %rdi
	cmpb $FP_CAP_ENDPOINT, CAP_TYPE(%rbx)
	jne syscall_slow
	testb $FP_RIGHT_READ, CAP_RIGHTS(%rbx)
	jz syscall_slow
	movq CAP_OBJ(%rbx), %rbp			/* ep */
	cmpl $FP_EP_SEND, EP_STATE(%rbp)
	je syscall_slow
	CAN_ENTER %r12

	/* Point of no return: unbind the caller, queue the replier as a
	 * receiver with the Reply bound to it. */
	movq $0, REPLY_CALLER(%r11)
	movq %r13, REPLY_RECEIVER(%r11)
	movq $0, TCB_REPLY(%r12)
	movq %r11, TCB_REPLY(%r13)
	movl $FP_TS_BLOCKED_RECV, TCB_STATE(%r13)
	movq %rbp, TCB_EP(%r13)
	movq $0, TCB_EP_NEXT(%r13)
	movq EP_TAIL(%rbp), %rax
	movq %rax, TCB_EP_PREV(%r13)
	testq %rax, %rax
	jz 1f
	movq %r13, TCB_EP_NEXT(%rax)
	jmp 2f
1:	movq %r13, EP_HEAD(%rbp)
2:	movq %r13, EP_TAIL(%rbp)
	movl $FP_EP_RECV, EP_STATE(%rbp)
	xorl %edi, %edi				/* a reply carries badge 0 */
	ENTER
