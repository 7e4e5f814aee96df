/*
 * Thread control blocks. A thread's user registers live in its TCB (the
 * entry code saves them there directly: TSS.rsp0 and the syscall entry
 * point at the end of tcb->ctx), so the kernel needs no per-thread stack
 * and a blocked thread is just a TCB in some queue.
 */
#ifndef KERNEL_TCB_H
#define KERNEL_TCB_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/trap.h"
#include "kernel/cap.h"
#include "kernel/object.h"
#include "kernel/runqueue.h"
#include "tern/ipc_buffer.h"

enum thread_state {
	TS_INACTIVE,	  /* created or suspended */
	TS_RUNNING,	  /* current, or in the ready queue */
	TS_BLOCKED_SEND,  /* in an endpoint's queue, sending (maybe a Call) */
	TS_BLOCKED_RECV,  /* in an endpoint's queue, receiving */
	TS_BLOCKED_REPLY, /* made a Call, waits for the reply */
	TS_BLOCKED_NTFN,  /* waits on a notification */
	TS_IDLE,
};

struct endpoint;
struct notification;
struct reply;
struct vspace;
struct memobj;

struct tcb {
	struct kobj hdr;
	struct trap_frame ctx; /* user registers; see the comment above */
	uint64_t fs_base, gs_base;
	void *fpu_state; /* XSAVE area, one page */
	bool fpu_used;	 /* has ever run user code with an FPU state */

	enum thread_state state;
	uint8_t priority;
	uint8_t max_priority;
	uint32_t timeslice; /* ticks left */
	struct rq_node rq;  /* ready queue link */

	/* Endpoint queue and what the blocked operation needs to finish. */
	struct endpoint *ep;
	struct tcb *ep_next, *ep_prev;
	bool call;	 /* blocked sending a Call (needs a reply) */
	bool send_grant; /* may transfer caps */
	uint64_t send_badge;
	struct reply *reply; /* Recv: reply object to bind; Call: the one bound */
	struct notification *ntfn_waiting;

	/* Capabilities the thread runs with (copies, in the CDT). */
	struct cte cspace_root;
	struct cte vspace_cap;
	struct cte ipc_buffer_cap;
	uint64_t ipc_buffer_vaddr;
	struct tern_ipc_buffer *ipc_buffer; /* kernel view, NULL if none */
	tern_cptr_t fault_ep;

	/* Personality (tern/personality.h). */
	uint64_t pers_entry, pers_lo, pers_hi;
	/* Copy routines' fix-up (TCB_SET_FAULT_FIXUP): a fault at an rip in
	 * [fixup_lo, fixup_hi) resumes at fixup_ip. */
	uint64_t fixup_lo, fixup_hi, fixup_ip;
	struct notification *bound_ntfn;
	uint64_t upcall_mask;
	uint64_t upcall_pending;
	bool upcall_active; /* in the handler; RESUME clears */

	/* Work to do on the way out to user mode (EXIT_WORK_* bits, run by
	 * the hooks registered with sched_set_exit_hook). 0 costs one test. */
	uint8_t exit_work;

	/* A fault message waiting to be sent or answered (fault endpoint). */
	bool fault_pending;
	uint64_t fault_label;
	uint64_t fault_msg[4];
};

/* The thread's address space, NULL once its VSpace cap was revoked. */
static inline struct vspace *tcb_vspace(const struct tcb *t)
{
	return t->vspace_cap.cap.type == TERN_CAP_VSPACE ? t->vspace_cap.cap.obj : NULL;
}

static inline uint64_t *frame_mr(struct trap_frame *f, unsigned i)
{
	switch (i) {
	case 0:
		return &f->rdx;
	case 1:
		return &f->r10;
	case 2:
		return &f->r8;
	default:
		return &f->r9;
	}
}

#endif
