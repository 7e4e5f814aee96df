/* CNode and Quota invocations: capability management and object creation. */
#include "kernel/objects.h"
#include "kernel/preempt.h"
#include "kernel/tcb.h"
#include "kernel/vm.h"

#define REVOKE_BATCH 64 /* caps deleted between preemption points */
#include "tern/invocation.h"

/* A slot argument: (index, depth) in message words first and first + 1. */
static int slot_arg(struct tcb *t, struct cap *cnode, unsigned first, struct cte **slot)
{
	uint64_t depth = msg_word(t, first + 1);

	if (depth < 1 || depth > 64)
		return TERN_ERANGE_ERROR;
	return cspace_lookup_slot(cnode, msg_word(t, first), (unsigned)depth, slot);
}

/* The source of COPY, MINT and MOVE is looked up from the CNode cap sent
 * with the message, or from the caller's own CSpace root without one. */
static int src_root(struct tcb *t, struct cap **root)
{
	struct cte *r;

	*root = &t->cspace_root.cap;
	if (tern_msginfo_caps(t->ctx.rsi) == 0)
		return TERN_EOK;
	if (msg_cap(t, 0, &r) || r->cap.type != TERN_CAP_CNODE)
		return TERN_EINVALID_CAPABILITY;
	*root = &r->cap;
	return TERN_EOK;
}

int cnode_invoke(struct tcb *t, struct cap *cap, uint64_t label)
{
	struct cte *dst, *src;
	struct cap *root;
	int err;

	switch (label) {
	case TERN_INV_CNODE_COPY:
	case TERN_INV_CNODE_MINT:
	case TERN_INV_CNODE_MOVE:
		if ((err = src_root(t, &root)) || (err = slot_arg(t, cap, 0, &dst)) ||
		    (err = slot_arg(t, root, 2, &src)))
			return err;
		if (label == TERN_INV_CNODE_MOVE)
			return cte_move(dst, src);
		if (label == TERN_INV_CNODE_COPY)
			return cte_copy(dst, src, (uint8_t)msg_word(t, 4));
		return cte_mint(dst, src, (uint8_t)msg_word(t, 4), msg_word(t, 5));
	case TERN_INV_CNODE_DELETE:
	case TERN_INV_CNODE_REVOKE:
		if ((err = slot_arg(t, cap, 0, &dst)))
			return err;
		if (dst == &t->cspace_root)
			return TERN_EILLEGAL_OPERATION;
		/* The long parts first, with preemption points (the call is
		 * executed again from where they stopped): the derived caps,
		 * then the pages of a MemObj whose last cap this is. */
		if (cte_revoke_bounded(dst, &kernel_cdt_ops, REVOKE_BATCH, preempt_point))
			return PREEMPT_RESTART;
		if (label == TERN_INV_CNODE_DELETE && dst->cap.original &&
		    dst->cap.type == TERN_CAP_MEMOBJ && memobj_predestroy(dst->cap.obj))
			return PREEMPT_RESTART;
		if (label == TERN_INV_CNODE_DELETE)
			cte_delete(dst, &kernel_cdt_ops);
		else
			cte_revoke(dst, &kernel_cdt_ops);
		return TERN_EOK;
	default:
		return TERN_EILLEGAL_OPERATION;
	}
}

int quota_invoke(struct tcb *t, struct cap *cap, uint64_t label)
{
	struct quota *q = cap->obj;
	struct cte *dst;
	int err;

	switch (label) {
	case TERN_INV_QUOTA_CREATE: {
		uint64_t type = msg_word(t, 0);
		if ((err = lookup_dest_slot(t, msg_word(t, 2), msg_word(t, 3), msg_word(t, 4),
					    &dst)))
			return err;
		if (type == TERN_CAP_QUOTA || type == TERN_CAP_IRQ_CONTROL ||
		    type == TERN_CAP_IRQ_HANDLER || type == TERN_CAP_IOPORT ||
		    type >= TERN_CAP_TYPE_COUNT || type == TERN_CAP_NULL)
			return TERN_EINVALID_ARGUMENT;
		return object_create(q, (unsigned)type, msg_word(t, 1), dst);
	}
	case TERN_INV_QUOTA_SPLIT: {
		uint64_t bytes = msg_word(t, 0);
		if ((err = lookup_dest_slot(t, msg_word(t, 1), msg_word(t, 2), msg_word(t, 3),
					    &dst)))
			return err;
		if (!cap_is_null(&dst->cap))
			return TERN_EDELETE_FIRST;
		struct quota *child = kobj_alloc(q, TERN_CAP_QUOTA, sizeof(struct quota));
		if (!child)
			return TERN_ENOT_ENOUGH_MEMORY;
		if (quota_charge(q, bytes) != TERN_EOK) {
			kobj_free(child);
			return TERN_ENOT_ENOUGH_MEMORY;
		}
		child->limit = bytes;
		child->refs = 1;
		struct cap c = { .type = TERN_CAP_QUOTA, .rights = TERN_RIGHTS_ALL, .obj = child };
		cte_insert_original(dst, &c);
		return TERN_EOK;
	}
	case TERN_INV_QUOTA_QUERY:
		msg_set_word(t, 0, q->used);
		msg_set_word(t, 1, q->limit);
		t->ctx.rsi = tern_msginfo(0, 0, 2);
		return TERN_EOK;
	default:
		return TERN_EILLEGAL_OPERATION;
	}
}
