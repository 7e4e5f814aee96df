/*
 * Endpoints: the slow path of Send, Call, Recv and Reply. The fast path
 * (kernel/ipc/fastpath.S) handles the common Call and ReplyRecv without
 * coming here.
 */
#include "kernel/ipc.h"

#include "arch/user_regs.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/tcb.h"
#include "tern/errors.h"
#include "tern/msginfo.h"

static void ep_enqueue(struct endpoint *ep, struct tcb *t)
{
	t->ep = ep;
	t->ep_next = NULL;
	t->ep_prev = ep->tail;
	if (ep->tail)
		ep->tail->ep_next = t;
	else
		ep->head = t;
	ep->tail = t;
}

static void ep_dequeue(struct endpoint *ep, struct tcb *t)
{
	if (t->ep_prev)
		t->ep_prev->ep_next = t->ep_next;
	else
		ep->head = t->ep_next;
	if (t->ep_next)
		t->ep_next->ep_prev = t->ep_prev;
	else
		ep->tail = t->ep_prev;
	t->ep = NULL;
	t->ep_next = t->ep_prev = NULL;
	if (!ep->head)
		ep->state = EP_IDLE;
}

/* The caller blocks until `reply` is answered. */
static void bind_reply(struct tcb *caller, struct reply *reply)
{
	reply->caller = caller;
	caller->reply = reply;
	sched_block(caller, TS_BLOCKED_REPLY);
}

void endpoint_send(struct tcb *t, struct endpoint *ep, uint64_t badge, bool grant, bool call,
		   bool blocking)
{
	if (ep->state != EP_RECV) {
		if (!blocking) {
			t->ctx.rax = TERN_EOK; /* NBSend drops the message */
			return;
		}
		t->send_badge = badge;
		t->send_grant = grant;
		t->call = call;
		sched_block(t, TS_BLOCKED_SEND);
		ep_enqueue(ep, t);
		ep->state = EP_SEND;
		return;
	}
	struct tcb *r = ep->head;
	ep_dequeue(ep, r);
	ipc_transfer(t, r, badge, grant, ep);
	r->ctx.rax = TERN_EOK;
	struct reply *reply = r->reply;
	r->reply = NULL;
	if (reply)
		reply->receiver = NULL;
	if (call && reply)
		bind_reply(t, reply);
	else if (t->fault_pending) /* no one can answer the fault */
		t->fault_pending = false, sched_block(t, TS_INACTIVE);
	else /* a Send, or a receiver that named no Reply: nothing to wait for */
		t->ctx.rax = call ? TERN_EINTERRUPTED : TERN_EOK;
	sched_wake(r);
}

void endpoint_recv(struct tcb *t, struct endpoint *ep, struct reply *reply, bool blocking)
{
	if (reply && (reply->caller || (reply->receiver && reply->receiver != t))) {
		/* Still bound to a caller, or another thread waits with it. */
		t->ctx.rax = TERN_EILLEGAL_OPERATION;
		return;
	}
	if (ep->state != EP_SEND) {
		if (!blocking) {
			t->ctx.rax = TERN_EWOULD_BLOCK;
			return;
		}
		t->reply = reply;
		if (reply)
			reply->receiver = t;
		sched_block(t, TS_BLOCKED_RECV);
		ep_enqueue(ep, t);
		ep->state = EP_RECV;
		return;
	}
	struct tcb *s = ep->head;
	ep_dequeue(ep, s);
	ipc_transfer(s, t, s->send_badge, s->send_grant, ep);
	t->ctx.rax = TERN_EOK;
	if (s->call && reply) {
		bind_reply(s, reply);
	} else if (s->fault_pending) {
		s->fault_pending = false;
		sched_block(s, TS_INACTIVE);
	} else {
		/* A Send, or a Call received without a Reply object: the caller
		 * gets no answer and is released. */
		s->ctx.rax = s->call ? TERN_EINTERRUPTED : TERN_EOK;
		sched_wake(s);
	}
}

int reply_send(struct tcb *t, struct reply *reply)
{
	struct tcb *caller = reply->caller;

	if (!caller)
		return TERN_EINVALID_ARGUMENT;
	reply->caller = NULL;
	caller->reply = NULL;
	if (caller->fault_pending) {
		/* Label 0 restarts the faulting instruction; registers untouched. */
		caller->fault_pending = false;
		if (tern_msginfo_label(t->ctx.rsi) == 0)
			sched_wake(caller);
		else
			caller->state = TS_INACTIVE;
		return TERN_EOK;
	}
	/* A reply may carry one capability (grant): the caller receives it
	 * only where its IPC buffer asks (recv_depth), as for any receive. */
	ipc_transfer(t, caller, 0, true, NULL);
	caller->ctx.rax = TERN_EOK;
	sched_wake(caller);
	return TERN_EOK;
}

void endpoint_destroy(struct endpoint *ep)
{
	while (ep->head) {
		struct tcb *t = ep->head;
		ipc_cancel(t, TERN_EINVALID_CAPABILITY);
	}
}

void reply_destroy(struct reply *r)
{
	if (r->receiver)
		ipc_cancel(r->receiver, TERN_EINVALID_CAPABILITY);
	if (r->caller) {
		struct tcb *c = r->caller;
		r->caller = NULL;
		c->reply = NULL;
		frame_complete(c); /* the message registers return 0 */
		c->ctx.rax = TERN_EINTERRUPTED;
		sched_wake(c);
	}
}

void ipc_cancel(struct tcb *t, int err)
{
	/* A wait to receive ends with 0 in the message registers (the fast
	 * path did not save them: tern/syscall.h). */
	frame_complete(t);
	switch (t->state) {
	case TS_BLOCKED_SEND:
	case TS_BLOCKED_RECV:
		ep_dequeue(t->ep, t);
		if (t->state == TS_BLOCKED_RECV && t->reply)
			t->reply->receiver = NULL;
		t->reply = NULL;
		break;
	case TS_BLOCKED_REPLY:
		if (t->reply)
			t->reply->caller = NULL;
		t->reply = NULL;
		break;
	case TS_BLOCKED_NTFN:
		notification_cancel_wait(t);
		break;
	default:
		return;
	}
	if (t->fault_pending) {
		t->fault_pending = false;
		t->state = TS_INACTIVE;
		return;
	}
	t->ctx.rax = (uint64_t)err;
	sched_wake(t);
}
