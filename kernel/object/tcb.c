/*
 * TCB objects: creation, destruction and invocations (configure,
 * registers, priority, resume/suspend, notification binding, personality,
 * TLS). Decode steps validate; invoke steps cannot fail.
 */
#include "kernel/tcb.h"

#include "arch/gdt.h"
#include "kernel/ipc.h"
#include "kernel/mm.h"
#include "kernel/irq.h"
#include "kernel/objects.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/vm.h"
#include "tern/invocation.h"

#define RFLAGS_USER_MASK 0xcd5ull /* CF PF AF ZF SF DF OF */
#define RFLAGS_IF 0x202ull

int tcb_init(void *obj)
{
	struct tcb *t = obj;

	t->state = TS_INACTIVE;
	t->ctx.cs = SEL_USER_CODE;
	t->ctx.ss = SEL_USER_DATA;
	t->ctx.rflags = RFLAGS_IF;
	t->ctx.vector = 0;
	return fpu_state_alloc(t);
}

static void tcb_stop(struct tcb *t)
{
	ipc_cancel(t, TERN_EINTERRUPTED);
	sched_unready(t);
	t->state = TS_INACTIVE;
	struct percpu *c = this_cpu();
	if (c->current == t)
		c->current = c->idle; /* kernel_exit picks someone else */
	if (c->loaded == t)
		c->loaded = NULL;
}

void tcb_destroy(void *obj)
{
	struct tcb *t = obj;

	tcb_stop(t);
	if (t->bound_ntfn)
		t->bound_ntfn->bound = NULL;
	cte_delete(&t->cspace_root, &kernel_cdt_ops);
	cte_delete(&t->vspace_cap, &kernel_cdt_ops);
	cte_delete(&t->ipc_buffer_cap, &kernel_cdt_ops);
	fpu_state_free(t);
}

static bool user_address(uint64_t va)
{
	return va < USER_TOP;
}

static int decode_configure(struct tcb *caller, struct tcb *t)
{
	struct cte *cspace, *vspace, *ipcbuf;
	uint64_t buf_vaddr = msg_word(caller, 1);

	if (tern_msginfo_caps(caller->ctx.rsi) < 3)
		return TERN_EINVALID_ARGUMENT;
	if (msg_cap(caller, 0, &cspace) || cspace->cap.type != TERN_CAP_CNODE ||
	    msg_cap(caller, 1, &vspace) || vspace->cap.type != TERN_CAP_VSPACE ||
	    msg_cap(caller, 2, &ipcbuf) || ipcbuf->cap.type != TERN_CAP_MEMOBJ)
		return TERN_EINVALID_CAPABILITY;
	struct memobj *m = ipcbuf->cap.obj;
	if (!user_address(buf_vaddr))
		return TERN_EBAD_ADDRESS;
	if (m->kind != MEMOBJ_ANON || (buf_vaddr & (PAGE_SIZE - 1)))
		return TERN_EINVALID_ARGUMENT;
	/* The kernel keeps a pointer to the page: it is made now and pinned
	 * (an IPC buffer's object can never be cloned, so never moves). */
	uint64_t page = memobj_private_page(m, 0);
	if (!page)
		return TERN_ENOT_ENOUGH_MEMORY;

	/* invoke */
	cte_delete(&t->cspace_root, &kernel_cdt_ops);
	cte_delete(&t->vspace_cap, &kernel_cdt_ops);
	cte_delete(&t->ipc_buffer_cap, &kernel_cdt_ops);
	cte_copy(&t->cspace_root, cspace, TERN_RIGHTS_ALL);
	cte_copy(&t->vspace_cap, vspace, TERN_RIGHTS_ALL);
	cte_copy(&t->ipc_buffer_cap, ipcbuf, TERN_RIGHTS_ALL);
	m->pinned = true;
	t->ipc_buffer = phys_to_virt(page);
	t->ipc_buffer_vaddr = buf_vaddr;
	t->fault_ep = msg_word(caller, 0);
	return TERN_EOK;
}

static void regs_to_frame(const struct tern_regs *r, struct tcb *t)
{
	struct trap_frame *f = &t->ctx;

	f->rax = r->rax, f->rbx = r->rbx, f->rcx = r->rcx, f->rdx = r->rdx;
	f->rsi = r->rsi, f->rdi = r->rdi, f->rbp = r->rbp, f->rsp = r->rsp;
	f->r8 = r->r8, f->r9 = r->r9, f->r10 = r->r10, f->r11 = r->r11;
	f->r12 = r->r12, f->r13 = r->r13, f->r14 = r->r14, f->r15 = r->r15;
	f->rip = r->rip;
	f->rflags = (r->rflags & RFLAGS_USER_MASK) | RFLAGS_IF;
	f->vector = 0; /* registers were written: return with iret */
	t->fs_base = r->fs_base;
	t->gs_base = r->gs_base;
}

static void frame_to_regs(const struct tcb *t, struct tern_regs *r)
{
	const struct trap_frame *f = &t->ctx;

	*r = (struct tern_regs){ f->rax, f->rbx, f->rcx, f->rdx,    f->rsi,	f->rdi,	   f->rbp,
				 f->rsp, f->r8,	 f->r9,	 f->r10,    f->r11,	f->r12,	   f->r13,
				 f->r14, f->r15, f->rip, f->rflags, t->fs_base, t->gs_base };
}

static struct tern_regs *caller_regs_area(struct tcb *caller)
{
	if (caller->ipc_buffer_cap.cap.type != TERN_CAP_MEMOBJ)
		return NULL;
	return (struct tern_regs *)&caller->ipc_buffer->msg[TERN_MSG_REG_WORDS];
}

static void tcb_start(struct tcb *t)
{
	if (t->state == TS_INACTIVE) {
		t->timeslice = TIMESLICE_TICKS;
		sched_wake(t);
	}
}

int tcb_invoke(struct tcb *caller, struct cap *cap, uint64_t label)
{
	struct tcb *t = cap->obj;

	switch (label) {
	case TERN_INV_TCB_CONFIGURE:
		return decode_configure(caller, t);
	case TERN_INV_TCB_SET_PRIORITY: {
		uint64_t prio = msg_word(caller, 0);
		if (prio > 255 || prio > caller->max_priority)
			return TERN_ERANGE_ERROR;
		bool queued = t->rq.queued;
		sched_unready(t);
		t->priority = (uint8_t)prio;
		t->max_priority = (uint8_t)prio;
		if (queued)
			sched_ready(t);
		return TERN_EOK;
	}
	case TERN_INV_TCB_WRITE_REGISTERS: {
		struct tern_regs *r = caller_regs_area(caller);
		if (!r)
			return TERN_EINVALID_ARGUMENT;
		struct tern_regs copy = *r;
		if (!user_address(copy.rip) || !user_address(copy.rsp) ||
		    !user_address(copy.fs_base) || !user_address(copy.gs_base))
			return TERN_EBAD_ADDRESS;
		if (t == caller)
			return TERN_EILLEGAL_OPERATION;
		ipc_cancel(t, TERN_EINTERRUPTED);
		regs_to_frame(&copy, t);
		if (this_cpu()->loaded == t)
			this_cpu()->loaded = NULL;
		if (msg_word(caller, 0))
			tcb_start(t);
		return TERN_EOK;
	}
	case TERN_INV_TCB_READ_REGISTERS: {
		struct tern_regs *r = caller_regs_area(caller);
		if (!r)
			return TERN_EINVALID_ARGUMENT;
		tls_sync(this_cpu(), t); /* its bases may be in the MSRs */
		frame_to_regs(t, r);
		return TERN_EOK;
	}
	case TERN_INV_TCB_RESUME:
		if (!tcb_vspace(t))
			return TERN_EILLEGAL_OPERATION;
		tcb_start(t);
		return TERN_EOK;
	case TERN_INV_TCB_SUSPEND:
		tcb_stop(t);
		if (t == caller)
			return TERN_EOK; /* never seen: the caller does not run again */
		return TERN_EOK;
	case TERN_INV_TCB_BIND_NOTIFICATION: {
		struct cte *n = NULL;
		if (tern_msginfo_caps(caller->ctx.rsi) >= 1 &&
		    (msg_cap(caller, 0, &n) || n->cap.type != TERN_CAP_NOTIFICATION))
			return TERN_EINVALID_CAPABILITY;
		struct notification *ntfn = n ? n->cap.obj : NULL;
		if (ntfn && ntfn->bound && ntfn->bound != t)
			return TERN_EILLEGAL_OPERATION;
		if (t->bound_ntfn)
			t->bound_ntfn->bound = NULL;
		t->bound_ntfn = ntfn;
		t->upcall_mask = ntfn ? msg_word(caller, 0) : 0;
		if (ntfn)
			ntfn->bound = t;
		return TERN_EOK;
	}
	case TERN_INV_TCB_SET_PERSONALITY: {
		uint64_t entry = msg_word(caller, 0), lo = msg_word(caller, 1),
			 hi = msg_word(caller, 2);
		if (entry && (!user_address(entry) || !user_address(lo) || hi > USER_TOP))
			return TERN_EBAD_ADDRESS;
		if (entry && (lo >= hi || entry < lo || entry >= hi))
			return TERN_EINVALID_ARGUMENT;
		t->pers_entry = entry;
		t->pers_lo = entry ? lo : 0;
		t->pers_hi = entry ? hi : 0;
		return TERN_EOK;
	}
	case TERN_INV_TCB_SET_TLS: {
		uint64_t fs = msg_word(caller, 0), gs = msg_word(caller, 1);
		if (!user_address(fs) || !user_address(gs))
			return TERN_EBAD_ADDRESS;
		t->fs_base = fs;
		t->gs_base = gs;
		if (this_cpu()->loaded == t)
			this_cpu()->loaded = NULL;
		return TERN_EOK;
	}
	default:
		return TERN_EILLEGAL_OPERATION;
	}
}
