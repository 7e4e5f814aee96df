/*
 * The IPC fast path (after seL4's): Call to a waiting receiver and
 * ReplyRecv to a waiting caller, when the message fits in registers, no
 * capability moves, and the other thread can run now. A short run of
 * checks, each leaving for the slow path; after the point of no return
 * nothing can fail: move the words, requeue, switch, sysret.
 */
#include "kernel/fastpath.h"

#include "common/compiler.h"
#include "kernel/ipc.h"
#include "kernel/personality.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/tcb.h"
#include "kernel/vm.h"
#include "tern/msginfo.h"

#define INFO_SLOW_BITS (0xc00ull) /* capabilities to transfer */

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
	return !(info & INFO_SLOW_BITS) && tern_msginfo_length(info) <= TERN_MSG_REG_WORDS;
}

static inline __attribute__((always_inline)) bool can_run_now(const struct tcb *r)
{
	return r->priority >= rq_highest_prio(&this_cpu()->ready) && tcb_vspace(r);
}

static inline __attribute__((always_inline)) void copy_mrs(struct trap_frame *to,
							   const struct trap_frame *from)
{
	to->rdx = from->rdx;
	to->r10 = from->r10;
	to->r8 = from->r8;
	to->r9 = from->r9;
}

void fastpath_call(struct trap_frame *f)
{
	struct percpu *cpu = this_cpu();
	struct tcb *t = cpu->current;
	tern_msginfo_t info = f->rsi;

	if (unlikely(!info_is_fast(info) || personality_reflects(t, f->rip)))
		syscall_from_user(f);
	struct cap *c = fast_lookup(t, f->rdi);
	if (unlikely(!c || c->type != TERN_CAP_ENDPOINT || !(c->rights & TERN_RIGHT_WRITE)))
		syscall_from_user(f);
	struct endpoint *ep = c->obj;
	if (unlikely(ep->state != EP_RECV))
		syscall_from_user(f);
	/* r waits in Recv, so it has no exit work: an upcall it can take
	 * cancels a Recv at once (personality_post_upcall). */
	struct tcb *r = ep->head;
	struct reply *reply = r->reply;
	if (unlikely(!reply || !can_run_now(r)))
		syscall_from_user(f);

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

	struct trap_frame *rf = &r->ctx;
	copy_mrs(rf, f);
	rf->rsi = info;
	rf->rdi = c->badge;
	rf->rax = TERN_EOK;
	r->state = TS_RUNNING;
	cpu->current = r;
	cpu->fastpath_hits++;
	switch_to_user(cpu, r);
}

void fastpath_reply_recv(struct trap_frame *f)
{
	struct percpu *cpu = this_cpu();
	struct tcb *t = cpu->current;
	tern_msginfo_t info = f->rsi;

	if (unlikely(!info_is_fast(info) || personality_reflects(t, f->rip)))
		syscall_from_user(f);
	struct cap *rc = fast_lookup(t, f->r12);
	if (unlikely(!rc || rc->type != TERN_CAP_REPLY))
		syscall_from_user(f);
	struct reply *reply = rc->obj;
	struct tcb *caller = reply->caller;
	/* A fault is answered on the slow path; a caller with exit work (an
	 * upcall deferred until its reply came) must pass kernel_exit. */
	if (unlikely(!caller || caller->fault_pending || caller->exit_work))
		syscall_from_user(f);
	struct cap *c = fast_lookup(t, f->rdi);
	if (unlikely(!c || c->type != TERN_CAP_ENDPOINT || !(c->rights & TERN_RIGHT_READ)))
		syscall_from_user(f);
	struct endpoint *ep = c->obj;
	if (unlikely(ep->state == EP_SEND || !can_run_now(caller)))
		syscall_from_user(f);

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

	struct trap_frame *cf = &caller->ctx;
	copy_mrs(cf, f);
	cf->rsi = info;
	cf->rdi = 0;
	cf->rax = TERN_EOK;
	caller->state = TS_RUNNING;
	cpu->current = caller;
	cpu->fastpath_hits++;
	switch_to_user(cpu, caller);
}
