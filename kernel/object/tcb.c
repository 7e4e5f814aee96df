/*
 * TCB objects: creation, destruction and invocations (configure,
 * registers, priority, resume/suspend, notification binding, personality,
 * TLS). Decode steps validate; invoke steps cannot fail.
 */
#include "kernel/tcb.h"

#include "arch/gdt.h"
#include "arch/user_regs.h"
#include "kernel/ipc.h"
#include "kernel/mm.h"
#include "kernel/irq.h"
#include "kernel/objects.h"
#include "kernel/panic.h"
#include "kernel/personality.h"
#include "kernel/sched.h"
#include "common/string.h"
#include "kernel/vm.h"
#include "tern/invocation.h"

int tcb_init(void *obj)
{
	struct tcb *t = obj;

	t->state = TS_INACTIVE;
	t->ctx.cs = SEL_USER_CODE;
	t->ctx.ss = SEL_USER_DATA;
	t->ctx.rflags = RFLAGS_USER_BASE;
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

/*
 * The IPC-buffer cap is `held` (kernel/cap.h): it pins its MemObj (no
 * clone, so the page the kernel writes never moves) from the configure
 * that puts it there until the CDT empties the slot, however that comes
 * (a reconfigure, the TCB's destruction, a revoke or delete from above),
 * and then tells tcb_ipc_buffer_emptied, which drops the pin.
 */
static void ipc_buffer_hold(struct cte *slot, struct cte *src)
{
	cte_copy(slot, src, TERN_RIGHTS_ALL);
	slot->cap.held = 1;
	((struct memobj *)slot->cap.obj)->pins++;
}

void tcb_ipc_buffer_emptied(struct cte *slot)
{
	struct memobj *m = slot->cap.obj;

	if (!m->pins)
		panic("memobj %p: IPC-buffer pin count underflow", m);
	m->pins--;
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

struct configure_args {
	struct cte *cspace, *vspace, *ipcbuf;
	uint64_t fault_ep;
	uint64_t buf_vaddr;
	uint64_t buf_phys; /* the buffer page, made private and present */
};

/*
 * MR0 fault endpoint CPtr, MR1 buffer vaddr, MR2 page index in the MemObj;
 * caps CNode, VSpace, MemObj. The MemObj cap must allow reading and
 * writing: the kernel writes replies and frames into that page, and a
 * read-only holder must not get a page written for it (nor pin an object
 * it may only read).
 */
static int decode_configure(struct tcb *caller, struct configure_args *a)
{
	struct cte *cspace, *vspace, *ipcbuf;
	uint64_t page_index = msg_word(caller, 2);

	if (tern_msginfo_caps(caller->ctx.rsi) < 3 || tern_msginfo_length(caller->ctx.rsi) < 3)
		return TERN_EINVALID_ARGUMENT;
	if (msg_cap(caller, 0, &cspace) || cspace->cap.type != TERN_CAP_CNODE ||
	    msg_cap(caller, 1, &vspace) || vspace->cap.type != TERN_CAP_VSPACE ||
	    msg_cap(caller, 2, &ipcbuf) || ipcbuf->cap.type != TERN_CAP_MEMOBJ)
		return TERN_EINVALID_CAPABILITY;
	if ((ipcbuf->cap.rights & (TERN_RIGHT_READ | TERN_RIGHT_WRITE)) !=
	    (TERN_RIGHT_READ | TERN_RIGHT_WRITE))
		return TERN_EINSUFFICIENT_RIGHTS;
	struct memobj *m = ipcbuf->cap.obj;
	/* An object whose deletion stopped at a preemption point is half torn
	 * down (its mappings unlinked, its page-table entries not yet): no
	 * thread may start running in it. */
	if (((struct vspace *)vspace->cap.obj)->dying || m->dying)
		return TERN_EILLEGAL_OPERATION;
	a->buf_vaddr = msg_word(caller, 1);
	if (!user_address(a->buf_vaddr))
		return TERN_EBAD_ADDRESS;
	if (m->kind != MEMOBJ_ANON || (a->buf_vaddr & (PAGE_SIZE - 1)))
		return TERN_EINVALID_ARGUMENT;
	if (page_index >= m->npages)
		return TERN_ERANGE_ERROR;
	/* The kernel keeps a pointer to the page: it is made present and
	 * private now (the only allocation), and the object is pinned by
	 * invoke (no clone while pinned, so the page never moves). */
	a->buf_phys = memobj_private_page(m, page_index);
	if (!a->buf_phys)
		return TERN_ENOT_ENOUGH_MEMORY;
	a->cspace = cspace;
	a->vspace = vspace;
	a->ipcbuf = ipcbuf;
	a->fault_ep = msg_word(caller, 0);
	return TERN_EOK;
}

static void invoke_configure(struct tcb *t, const struct configure_args *a)
{
	/* The TCB's slots hold copies, so deleting them destroys nothing (the
	 * old buffer's pin goes), and copying into an empty slot from a
	 * present cap cannot fail. */
	cte_delete(&t->cspace_root, &kernel_cdt_ops);
	cte_delete(&t->vspace_cap, &kernel_cdt_ops);
	cte_delete(&t->ipc_buffer_cap, &kernel_cdt_ops);
	cte_copy(&t->cspace_root, a->cspace, TERN_RIGHTS_ALL);
	cte_copy(&t->vspace_cap, a->vspace, TERN_RIGHTS_ALL);
	ipc_buffer_hold(&t->ipc_buffer_cap, a->ipcbuf);
	t->ipc_buffer = phys_to_virt(a->buf_phys);
	t->ipc_buffer_vaddr = a->buf_vaddr;
	t->fault_ep = a->fault_ep;
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

static int decode_set_priority(struct tcb *caller, uint8_t *prio)
{
	uint64_t p = msg_word(caller, 0);

	if (p > 255 || p > caller->max_priority)
		return TERN_ERANGE_ERROR;
	*prio = (uint8_t)p;
	return TERN_EOK;
}

static void invoke_set_priority(struct tcb *t, uint8_t prio)
{
	bool queued = t->rq.queued;

	sched_unready(t);
	t->priority = prio;
	t->max_priority = prio;
	if (queued)
		sched_ready(t);
}

struct write_registers_args {
	struct tern_regs regs; /* copied once: the caller may change its buffer */
	bool resume;
};

static int decode_write_registers(struct tcb *caller, struct tcb *t, struct write_registers_args *a)
{
	struct tern_regs *r = caller_regs_area(caller);

	if (!r)
		return TERN_EINVALID_ARGUMENT;
	a->regs = *r;
	if (!user_regs_valid(&a->regs, true))
		return TERN_EBAD_ADDRESS;
	if (t == caller)
		return TERN_EILLEGAL_OPERATION;
	a->resume = msg_word(caller, 0) != 0;
	return TERN_EOK;
}

static void invoke_write_registers(struct tcb *t, const struct write_registers_args *a)
{
	ipc_cancel(t, TERN_EINTERRUPTED);
	user_regs_write(t, &a->regs, true);
	if (this_cpu()->loaded == t)
		this_cpu()->loaded = NULL;
	if (a->resume)
		tcb_start(t);
}

static int decode_read_registers(struct tcb *caller, struct tern_regs **out)
{
	*out = caller_regs_area(caller);
	return *out ? TERN_EOK : TERN_EINVALID_ARGUMENT;
}

static int decode_resume(struct tcb *t)
{
	return tcb_vspace(t) ? TERN_EOK : TERN_EILLEGAL_OPERATION;
}

/*
 * MR0 upcall mask; cap: the notification, none to unbind. Binding lets
 * the thread consume the notification's signals, so the cap must carry
 * the read right (the right to wait on it): a holder of a signal-only cap
 * must not be able to take another thread's signals.
 */
static int decode_bind_notification(struct tcb *caller, struct tcb *t, struct notification **out)
{
	struct cte *n;

	*out = NULL;
	if (tern_msginfo_caps(caller->ctx.rsi) == 0)
		return TERN_EOK;
	if (msg_cap(caller, 0, &n) || n->cap.type != TERN_CAP_NOTIFICATION)
		return TERN_EINVALID_CAPABILITY;
	if (!(n->cap.rights & TERN_RIGHT_READ))
		return TERN_EINSUFFICIENT_RIGHTS;
	struct notification *ntfn = n->cap.obj;
	if (ntfn->bound && ntfn->bound != t)
		return TERN_EILLEGAL_OPERATION;
	*out = ntfn;
	return TERN_EOK;
}

static void invoke_bind_notification(struct tcb *t, struct notification *ntfn, uint64_t mask)
{
	if (t->bound_ntfn)
		t->bound_ntfn->bound = NULL;
	t->bound_ntfn = ntfn;
	t->upcall_mask = ntfn ? mask : 0;
	if (ntfn)
		ntfn->bound = t;
}

static int decode_set_personality(struct tcb *caller, uint64_t w[3])
{
	uint64_t entry = msg_word(caller, 0), lo = msg_word(caller, 1), hi = msg_word(caller, 2);

	if (entry && (!user_address(entry) || !user_address(lo) || hi > USER_TOP))
		return TERN_EBAD_ADDRESS;
	if (entry && (lo >= hi || entry < lo || entry >= hi))
		return TERN_EINVALID_ARGUMENT;
	w[0] = entry;
	w[1] = entry ? lo : 0;
	w[2] = entry ? hi : 0;
	return TERN_EOK;
}

static void invoke_set_personality(struct tcb *t, const uint64_t w[3])
{
	t->pers_entry = w[0];
	t->pers_lo = w[1];
	t->pers_hi = w[2];
	/* An upcall posted while the thread had no personality waited in
	 * upcall_pending: it is due now (personality_post_upcall). */
	if (t->upcall_pending)
		personality_post_upcall(t, 0);
}

static int decode_set_fault_fixup(struct tcb *caller, uint64_t w[3])
{
	uint64_t lo = msg_word(caller, 0), hi = msg_word(caller, 1), ip = msg_word(caller, 2);

	if (!lo && !hi && !ip) {
		w[0] = w[1] = w[2] = 0;
		return TERN_EOK;
	}
	if (!user_address(lo) || hi > USER_TOP || !user_address(ip))
		return TERN_EBAD_ADDRESS;
	if (lo >= hi)
		return TERN_EINVALID_ARGUMENT;
	w[0] = lo;
	w[1] = hi;
	w[2] = ip;
	return TERN_EOK;
}

static int decode_set_tls(struct tcb *caller, uint64_t w[2])
{
	w[0] = msg_word(caller, 0);
	w[1] = msg_word(caller, 1);
	return user_address(w[0]) && user_address(w[1]) ? TERN_EOK : TERN_EBAD_ADDRESS;
}

static void invoke_set_tls(struct tcb *t, const uint64_t w[2])
{
	t->fs_base = w[0];
	t->gs_base = w[1];
	if (this_cpu()->loaded == t)
		this_cpu()->loaded = NULL;
}

/* COPY_FPU: the source is a TCB cap sent with the message. */
static int decode_copy_fpu(struct tcb *caller, struct tcb **src)
{
	struct cte *c;

	if (msg_cap(caller, 0, &c) || c->cap.type != TERN_CAP_TCB)
		return TERN_EINVALID_CAPABILITY;
	*src = c->cap.obj;
	return TERN_EOK;
}

/* Each case: decode (validates, may fail, changes nothing the caller can
 * see), then invoke (cannot fail). */
int tcb_invoke(struct tcb *caller, struct cap *cap, uint64_t label)
{
	struct tcb *t = cap->obj;
	int err;

	switch (label) {
	case TERN_INV_TCB_CONFIGURE: {
		struct configure_args a;
		if ((err = decode_configure(caller, &a)))
			return err;
		invoke_configure(t, &a);
		return TERN_EOK;
	}
	case TERN_INV_TCB_SET_PRIORITY: {
		uint8_t prio;
		if ((err = decode_set_priority(caller, &prio)))
			return err;
		invoke_set_priority(t, prio);
		return TERN_EOK;
	}
	case TERN_INV_TCB_WRITE_REGISTERS: {
		struct write_registers_args a;
		if ((err = decode_write_registers(caller, t, &a)))
			return err;
		invoke_write_registers(t, &a);
		return TERN_EOK;
	}
	case TERN_INV_TCB_READ_REGISTERS: {
		struct tern_regs *r;
		if ((err = decode_read_registers(caller, &r)))
			return err;
		user_regs_read(t, r);
		return TERN_EOK;
	}
	case TERN_INV_TCB_RESUME:
		if ((err = decode_resume(t)))
			return err;
		tcb_start(t);
		return TERN_EOK;
	case TERN_INV_TCB_SUSPEND:
		tcb_stop(t); /* on itself: the caller never sees the result */
		return TERN_EOK;
	case TERN_INV_TCB_BIND_NOTIFICATION: {
		struct notification *ntfn;
		if ((err = decode_bind_notification(caller, t, &ntfn)))
			return err;
		invoke_bind_notification(t, ntfn, msg_word(caller, 0));
		return TERN_EOK;
	}
	case TERN_INV_TCB_SET_PERSONALITY: {
		uint64_t w[3];
		if ((err = decode_set_personality(caller, w)))
			return err;
		invoke_set_personality(t, w);
		return TERN_EOK;
	}
	case TERN_INV_TCB_SET_FAULT_FIXUP: {
		uint64_t w[3];
		if ((err = decode_set_fault_fixup(caller, w)))
			return err;
		t->fixup_lo = w[0];
		t->fixup_hi = w[1];
		t->fixup_ip = w[2];
		return TERN_EOK;
	}
	case TERN_INV_TCB_SET_TLS: {
		uint64_t w[2];
		if ((err = decode_set_tls(caller, w)))
			return err;
		invoke_set_tls(t, w);
		return TERN_EOK;
	}
	case TERN_INV_TCB_COPY_FPU: {
		struct tcb *src;
		err = decode_copy_fpu(caller, &src);
		if (err)
			return err;
		fpu_copy(t, src); /* the invoke step */
		return TERN_EOK;
	}
	default:
		return TERN_EILLEGAL_OPERATION;
	}
}
