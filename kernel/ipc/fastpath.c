/*
 * The IPC fast path (after seL4's): Call to a waiting receiver and
 * ReplyRecv to a waiting caller, when the message fits in registers, no
 * capability moves, and the other thread is the one the scheduler would
 * pick. A short run of checks, each answered "no" (NULL) so that
 * syscall.S takes the slow path (syscall_from_user) with the frame
 * untouched; after the point of no return nothing can fail: requeue,
 * switch the user context, and return the frame to enter. syscall.S then
 * returns with sysret, taking the message registers (rdx, r10, r8, r9
 * and the info word in rsi) straight from the sender's saved frame and
 * the rest from the receiver's, with rdi = badge and rax = TERN_EOK.
 *
 * Frames. The sender's frame is complete (syscall_entry saves every
 * register), so a thread blocked here is as the slow path would leave
 * it. The receiver's frame is not written: it runs in user mode at once
 * and its next entry rewrites the frame; nothing reads the frame of a
 * thread that is in user mode.
 *
 * Audit: what the slow path checks or does for these two cases, and
 * where the fast path has it.
 *
 * Both calls
 *  - reflection (syscall_from_user: personality_reflects): decided in
 *    syscall_entry; a reflected call never reaches the fast path (also
 *    when reflect_syscall declines for lack of an IPC buffer: that goes
 *    straight to syscall_from_user).
 *  - message info (ipc_transfer): the receiver gets
 *    tern_msginfo(label, caps moved, length) | unwrapped << 12. Fast only
 *    when bits 0..14 of the sender's word are a length <= 4 and nothing
 *    else (no caps, no unwrapped bits): then that word is exactly what
 *    the slow path builds, and it is passed on unchanged.
 *  - message words: ipc_transfer copies MR0..MR3 (rdx, r10, r8, r9)
 *    whatever the length; so does the exit. No IPC-buffer words (<= 4).
 *  - capability transfer (ncaps, grant): none (caps bits 0, above).
 *  - CSpace lookup (cspace_lookup_cap): fast_lookup resolves only a root
 *    CNode whose guard and radix take all 64 bits in one level, with the
 *    same guard comparison and slot index as cspace_walk; anything else
 *    is slow. An empty slot fails the type check.
 *  - sender in a fault (ipc_transfer builds a fault message when
 *    from->fault_pending): a thread making a syscall is running, and a
 *    running thread never has fault_pending (it is set only while the
 *    kernel sends on its behalf, and cleared when it is answered or
 *    cancelled). Checked anyway (Call: t; ReplyRecv: the caller).
 *  - scheduling (sched_wake, schedule): the slow path queues the woken
 *    thread at the tail of its priority, the sender blocks, and
 *    schedule() takes the head of the highest ready priority. The fast
 *    path runs the woken thread only if its priority is above every
 *    ready thread (strictly: an equal one would run first), and refills
 *    its timeslice when empty, as schedule() does.
 *  - kernel_exit: a thread without an address space is suspended
 *    (tcb_vspace checked), a pending upcall is delivered
 *    (personality_check_upcall: any upcall_pending bit is slow), then
 *    switch_to_user (switch_user_context, the same code).
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
 *    receiver is the queue head.
 *  - the receiver named a Reply object (r->reply; else the slow path
 *    releases the caller with TERN_EINTERRUPTED). Such a Reply has no
 *    caller (endpoint_recv refuses a bound one).
 *  - dequeue the receiver (ep_dequeue), unbind its Reply from it and bind
 *    it to the caller (bind_reply), block the caller (sched_block: the
 *    running thread is in no ready queue).
 *
 * ReplyRecv (sys_REPLY_RECV: reply_send, then recv_common)
 *  - r12 names a Reply cap (reply_arg; r12 = 0 or another type is slow)
 *    with a caller waiting (else the slow path sends nothing and only
 *    receives), which is not in a fault (reply_send treats a fault reply
 *    differently). A Reply with a caller has no receiver (above), so
 *    endpoint_recv's "bound to another thread" refusal cannot apply.
 *  - badge 0, no grant (reply_send).
 *  - rdi names an Endpoint cap with the read right (recv_common; a
 *    Notification is slow), not in EP_SEND (else a sender is received at
 *    once): the replier queues at the tail in EP_RECV with the Reply
 *    bound to it as receiver (endpoint_recv, blocking).
 */
#include "kernel/fastpath.h"

#include "arch/frame_offsets.h"
#include "kernel/compiler.h"
#include "kernel/ipc.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/tcb.h"
#include "kernel/vm.h"
#include "tern/errors.h"
#include "tern/msginfo.h"

/* syscall.S's fast exit reads these. */
#define FRAME_OFFSET(field, value) \
	_Static_assert(__builtin_offsetof(struct trap_frame, field) == (value), #field)
FRAME_OFFSET(r15, TF_R15);
FRAME_OFFSET(r14, TF_R14);
FRAME_OFFSET(r13, TF_R13);
FRAME_OFFSET(r12, TF_R12);
FRAME_OFFSET(r10, TF_R10);
FRAME_OFFSET(r9, TF_R9);
FRAME_OFFSET(r8, TF_R8);
FRAME_OFFSET(rbp, TF_RBP);
FRAME_OFFSET(rsi, TF_RSI);
FRAME_OFFSET(rdx, TF_RDX);
FRAME_OFFSET(rbx, TF_RBX);
FRAME_OFFSET(vector, TF_VECTOR);
FRAME_OFFSET(rip, TF_RIP);
FRAME_OFFSET(rflags, TF_RFLAGS);
FRAME_OFFSET(rsp, TF_RSP);
_Static_assert(TERN_EOK == 0, "the fast exit returns rax = 0");
_Static_assert(TERN_MSG_REG_WORDS == 4, "the fast exit moves rdx, r10, r8, r9");

/* Bits 0..14 of the info word: length, caps, unwrapped. */
#define INFO_LOW_BITS 0x7fffull

/* The common CSpace shape: one CNode resolving all 64 bits. */
static inline __attribute__((always_inline)) struct cap *fast_lookup(const struct tcb *t,
								     tern_cptr_t cptr)
{
	const struct cap *root = &t->cspace_root.cap;

	if (unlikely(root->type != TERN_CAP_CNODE))
		return NULL;
	struct cnode *cn = root->obj;
	unsigned radix = cn->radix;
	if (unlikely(root->guard_bits + radix != 64 || (cptr >> radix) != root->badge))
		return NULL;
	return &cn->slots[cptr & ((1ull << radix) - 1)].cap;
}

static inline __attribute__((always_inline)) bool info_is_fast(tern_msginfo_t info)
{
	return (info & INFO_LOW_BITS) <= TERN_MSG_REG_WORDS;
}

/* Would kernel_exit enter r, as it is, right after the sender blocks? */
static inline __attribute__((always_inline)) bool can_enter_now(const struct tcb *r)
{
	return r->priority > rq_highest_prio(&this_cpu()->ready) && tcb_vspace(r) &&
	       !r->upcall_pending && r->ctx.vector == FRAME_SYSCALL;
}

static inline __attribute__((always_inline)) struct fastpath_next
enter(struct percpu *cpu, struct tcb *r, uint64_t badge)
{
	if (!r->timeslice)
		r->timeslice = TIMESLICE_TICKS;
	r->state = TS_RUNNING;
	cpu->current = r;
	cpu->fastpath_hits++;
	switch_user_context(cpu, r);
	return (struct fastpath_next){ &r->ctx, badge };
}

struct fastpath_next fastpath_call(struct trap_frame *f)
{
	struct percpu *cpu = this_cpu();
	struct tcb *t = cpu->current;
	const struct fastpath_next slow = { NULL, 0 };

	if (unlikely(!info_is_fast(f->rsi) || t->fault_pending))
		return slow;
	struct cap *c = fast_lookup(t, f->rdi);
	if (unlikely(!c || c->type != TERN_CAP_ENDPOINT || !(c->rights & TERN_RIGHT_WRITE)))
		return slow;
	struct endpoint *ep = c->obj;
	if (unlikely(ep->state != EP_RECV))
		return slow;
	struct tcb *r = ep->head;
	struct reply *reply = r->reply;
	if (unlikely(!reply || !can_enter_now(r)))
		return slow;

	/* Point of no return. */
	ep->head = r->ep_next;
	if (ep->head)
		ep->head->ep_prev = NULL;
	else
		ep->tail = NULL, ep->state = EP_IDLE;
	r->ep = NULL;
	r->ep_next = NULL;
	r->reply = NULL;
	reply->receiver = NULL;
	reply->caller = t;
	t->reply = reply;
	t->state = TS_BLOCKED_REPLY;
	return enter(cpu, r, c->badge);
}

struct fastpath_next fastpath_reply_recv(struct trap_frame *f)
{
	struct percpu *cpu = this_cpu();
	struct tcb *t = cpu->current;
	const struct fastpath_next slow = { NULL, 0 };

	if (unlikely(!info_is_fast(f->rsi)))
		return slow;
	struct cap *rc = fast_lookup(t, f->r12);
	if (unlikely(!rc || rc->type != TERN_CAP_REPLY))
		return slow;
	struct reply *reply = rc->obj;
	struct tcb *caller = reply->caller;
	if (unlikely(!caller || caller->fault_pending))
		return slow;
	struct cap *c = fast_lookup(t, f->rdi);
	if (unlikely(!c || c->type != TERN_CAP_ENDPOINT || !(c->rights & TERN_RIGHT_READ)))
		return slow;
	struct endpoint *ep = c->obj;
	if (unlikely(ep->state == EP_SEND || !can_enter_now(caller)))
		return slow;

	/* Point of no return. */
	reply->caller = NULL;
	reply->receiver = t;
	caller->reply = NULL;
	t->reply = reply;
	t->state = TS_BLOCKED_RECV;
	t->ep = ep;
	t->ep_next = NULL;
	t->ep_prev = ep->tail;
	if (ep->tail)
		ep->tail->ep_next = t;
	else
		ep->head = t;
	ep->tail = t;
	ep->state = EP_RECV;
	return enter(cpu, caller, 0);
}
