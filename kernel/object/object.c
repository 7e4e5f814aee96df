/*
 * Object creation from a quota and destruction when the original cap is
 * deleted (the CDT calls kernel_destroy_object, kernel/cap/cdt.c).
 */
#include "kernel/objects.h"

#include "kernel/ipc.h"
#include "kernel/irq.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/preempt.h"
#include "kernel/sched.h"
#include "kernel/tcb.h"
#include "kernel/timer.h"
#include "kernel/vm.h"

static size_t object_size(unsigned type, uint64_t size)
{
	switch (type) {
	case TERN_CAP_CNODE:
		return cnode_size((unsigned)size);
	case TERN_CAP_TCB:
		return sizeof(struct tcb);
	case TERN_CAP_ENDPOINT:
		return sizeof(struct endpoint);
	case TERN_CAP_NOTIFICATION:
		return sizeof(struct notification);
	case TERN_CAP_REPLY:
		return sizeof(struct reply);
	case TERN_CAP_VSPACE:
		return sizeof(struct vspace);
	case TERN_CAP_MEMOBJ:
		return sizeof(struct memobj);
	case TERN_CAP_TIMER:
		return sizeof(struct timer);
	default:
		return 0;
	}
}

int object_create(struct quota *q, unsigned type, uint64_t size, struct cte *dst)
{
	if (!cap_is_null(&dst->cap))
		return TERN_EDELETE_FIRST;
	if (type == TERN_CAP_CNODE && (size < 1 || size > TERN_CNODE_MAX_RADIX))
		return TERN_ERANGE_ERROR;
	if (type == TERN_CAP_MEMOBJ && (size < 1 || size > MEMOBJ_MAX_PAGES))
		return TERN_ERANGE_ERROR;
	size_t bytes = object_size(type, size);
	if (!bytes)
		return TERN_EINVALID_ARGUMENT;
	void *obj = kobj_alloc(q, type, bytes);
	if (!obj)
		return TERN_ENOT_ENOUGH_MEMORY;

	struct cap cap = { .type = (uint8_t)type, .rights = TERN_RIGHTS_ALL, .obj = obj };
	int err = TERN_EOK;
	switch (type) {
	case TERN_CAP_CNODE:
		((struct cnode *)obj)->radix = (uint32_t)size;
		((struct cnode *)obj)->tracked = true;
		/* The guard makes the CNode resolve all 64 bits on its own, so a
		 * task whose root it is names slot i as (cptr i, depth 64). */
		cap.guard_bits = (uint8_t)(64 - size);
		break;
	case TERN_CAP_TCB:
		err = tcb_init(obj);
		break;
	case TERN_CAP_VSPACE:
		err = vspace_init(obj);
		break;
	case TERN_CAP_MEMOBJ:
		err = memobj_init_anon(obj, size);
		break;
	}
	if (err != TERN_EOK) {
		kobj_free(obj);
		return err;
	}
	cte_insert_original(dst, &cap);
	return TERN_EOK;
}

static void destroy_object(const struct cap *cap, void *ctx)
{
	(void)ctx;
	void *obj = cap->obj;

	switch (cap->type) {
	case TERN_CAP_QUOTA:
		quota_put(obj);
		return;
	case TERN_CAP_IRQ_CONTROL:
	case TERN_CAP_IOPORT:
		return; /* capabilities to hardware, not objects in memory */
	case TERN_CAP_IRQ_HANDLER:
		irq_handler_destroy(obj);
		break;
	case TERN_CAP_TCB:
		tcb_destroy(obj);
		if (obj == this_cpu()->syscall_tcb) {
			/* Its own call is still being answered: free at the end. */
			this_cpu()->deferred_free = obj;
			return;
		}
		break;
	case TERN_CAP_ENDPOINT:
		endpoint_destroy(obj);
		break;
	case TERN_CAP_NOTIFICATION:
		notification_destroy(obj);
		break;
	case TERN_CAP_REPLY:
		reply_destroy(obj);
		break;
	case TERN_CAP_VSPACE:
		vspace_destroy(obj);
		break;
	case TERN_CAP_MEMOBJ:
		memobj_destroy(obj);
		break;
	case TERN_CAP_TIMER:
		timer_destroy(obj);
		break;
	case TERN_CAP_CNODE:
		break; /* its slots were emptied by the CDT */
	default:
		panic("destroy_object: unknown type %u", cap->type);
	}
	kobj_free(obj);
}

/* The long part of destroying the object of a last cap, done before the
 * cap goes, with preemption points (cte_delete_bounded). */
static bool predestroy_object(const struct cap *cap, bool (*stop)(void), void *ctx)
{
	(void)ctx;
	if (cap->type == TERN_CAP_MEMOBJ)
		return memobj_predestroy(cap->obj, stop) == PREEMPT_RESTART;
	if (cap->type == TERN_CAP_VSPACE)
		return vspace_predestroy(cap->obj, stop) == PREEMPT_RESTART;
	return false;
}

/* A held slot emptied: a TCB's IPC-buffer cap (a MemObj) or a timer's
 * notification. */
static void held_emptied(struct cte *slot, void *ctx)
{
	(void)ctx;
	if (slot->cap.type == TERN_CAP_MEMOBJ)
		tcb_ipc_buffer_emptied(slot);
	else if (slot->cap.type == TERN_CAP_NOTIFICATION)
		timer_ntfn_emptied(slot);
}

const struct cdt_ops kernel_cdt_ops = { .destroy = destroy_object,
					.predestroy = predestroy_object,
					.held_emptied = held_emptied,
					.ctx = NULL };
