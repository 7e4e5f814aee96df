/* CNode invocations: copying, minting, moving, deleting and revoking
 * capabilities. */
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

/*
 * A preemption point of a delete or revoke, taken even when the caller has
 * deleted its own address space, CSpace or TCB on the way and will never
 * execute the call again: finishing in one go would let a task stretch
 * one kernel entry over everything it owns. The rest then stays in the
 * objects, `dying` and unreachable but for the slot still holding the cap
 * (a zombie), and is carried on, still bounded, by whoever deletes that
 * slot or the CNode holding it.
 */
static bool delete_preempt(void)
{
	return this_cpu()->syscall_tcb && preempt_point();
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
	case TERN_INV_CNODE_DERIVED:
		if ((err = slot_arg(t, cap, 0, &dst)))
			return err;
		if (dst->cap.type == TERN_CAP_NULL)
			return TERN_EFAILED_LOOKUP;
		msg_set_word(t, 0, dst->first_child != NULL);
		t->ctx.rsi = tern_msginfo(0, 0, 1);
		return TERN_EOK;
	case TERN_INV_CNODE_REMOVE:
		if ((err = slot_arg(t, cap, 0, &dst)))
			return err;
		if (dst == &t->cspace_root)
			return TERN_EILLEGAL_OPERATION;
		/* A derived cap's delete without the revoke: cte_delete
		 * moves its children up to its parent, one step each (at most
		 * the slots of CNodes the caller can write). An original's end
		 * is CNODE_DELETE's, with the revoke and its preemption points. */
		if (cap_is_null(&dst->cap))
			return TERN_EFAILED_LOOKUP;
		if (dst->cap.original)
			return TERN_EILLEGAL_OPERATION;
		cte_delete(dst, &kernel_cdt_ops);
		return TERN_EOK;
	case TERN_INV_CNODE_DELETE:
	case TERN_INV_CNODE_REVOKE:
		if ((err = slot_arg(t, cap, 0, &dst)))
			return err;
		if (dst == &t->cspace_root)
			return TERN_EILLEGAL_OPERATION;
		/* With preemption points (the call is executed again from
		 * where it stopped): the derived caps, then for a last cap the
		 * pages of a MemObj, the mappings of a VSpace, the slots of a
		 * CNode and everything they hold (kernel_cdt_ops.predestroy). */
		if (cte_revoke_bounded(dst, &kernel_cdt_ops, REVOKE_BATCH, delete_preempt))
			return PREEMPT_RESTART;
		if (label == TERN_INV_CNODE_DELETE &&
		    cte_delete_bounded(dst, &kernel_cdt_ops, REVOKE_BATCH, delete_preempt))
			return PREEMPT_RESTART;
		return TERN_EOK;
	default:
		return TERN_EILLEGAL_OPERATION;
	}
}
