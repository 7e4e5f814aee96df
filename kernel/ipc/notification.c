/*
 * Notifications: a word of bits that signals OR in (the signalling cap's
 * badge) and a wait collects. IRQs arrive this way. A notification bound
 * to a TCB with an upcall mask redirects that thread instead (signals,
 * tern/personality.h).
 */
#include "kernel/ipc.h"

#include "kernel/personality.h"
#include "kernel/sched.h"
#include "kernel/tcb.h"
#include "tern/errors.h"

static void wait_enqueue(struct notification *n, struct tcb *t)
{
	t->ntfn_waiting = n;
	t->ep_next = NULL;
	t->ep_prev = n->tail;
	if (n->tail)
		n->tail->ep_next = t;
	else
		n->head = t;
	n->tail = t;
}

static void wait_dequeue(struct notification *n, struct tcb *t)
{
	if (t->ep_prev)
		t->ep_prev->ep_next = t->ep_next;
	else
		n->head = t->ep_next;
	if (t->ep_next)
		t->ep_next->ep_prev = t->ep_prev;
	else
		n->tail = t->ep_prev;
	t->ntfn_waiting = NULL;
	t->ep_next = t->ep_prev = NULL;
}

void notification_signal(struct notification *n, uint64_t badge)
{
	struct tcb *b = n->bound;

	if (!badge)
		badge = 1; /* an unbadged cap still leaves a trace */
	if (b && (badge & b->upcall_mask)) {
		personality_post_upcall(b, badge & b->upcall_mask);
		badge &= ~b->upcall_mask;
		if (!badge)
			return;
	}
	if (n->head) {
		struct tcb *t = n->head;
		wait_dequeue(n, t);
		t->ctx.rdi = n->word | badge;
		t->ctx.rax = TERN_EOK;
		n->word = 0;
		sched_wake(t);
		return;
	}
	n->word |= badge;
}

void notification_wait(struct tcb *t, struct notification *n, bool blocking)
{
	if (n->word || !blocking) {
		t->ctx.rdi = n->word;
		t->ctx.rax = TERN_EOK;
		n->word = 0;
		return;
	}
	sched_block(t, TS_BLOCKED_NTFN);
	wait_enqueue(n, t);
}

void notification_cancel_wait(struct tcb *t)
{
	if (t->ntfn_waiting)
		wait_dequeue(t->ntfn_waiting, t);
}

void notification_destroy(struct notification *n)
{
	while (n->head)
		ipc_cancel(n->head, TERN_EINVALID_CAPABILITY);
	if (n->bound) {
		n->bound->bound_ntfn = NULL;
		n->bound = NULL;
	}
}
