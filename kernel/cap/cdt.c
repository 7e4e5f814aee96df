/*
 * The capability derivation tree (CDT).
 *
 * Entry points: cte_insert_original(), cte_copy(), cte_mint(), cte_move(),
 * cte_delete(), cte_revoke(), and the preemptible cte_revoke_bounded() and
 * cte_delete_bounded() the CNode invocations use.
 *
 * Each object's caps form one tree rooted at its original cap; a node's
 * children are a doubly linked sibling list. Only an original is ever a
 * root, and everything below it is derived, so revoking a cap only unlinks
 * slots and never destroys an object.
 *
 * Deleting an original CNode cap must empty the CNode, which may hold
 * further original CNode caps, nested arbitrarily deep. Instead of
 * recursing, the CNode is cleared out of its slot (nothing else refers to
 * it once its derived caps are revoked) and pushed on a worklist threaded
 * through struct cnode.next_pending; cte_delete() then empties worklist
 * CNodes one by one, pushing any original CNode caps it meets, and
 * destroys each CNode once its own slots are empty. Two rules keep this
 * safe when slots live inside CNodes being destroyed:
 *   - a CNode's memory is released only after every slot in it is empty,
 *     and an empty slot has no CDT links, so no link ever points into
 *     freed memory;
 *   - ops->destroy gets a copy of the cap, made after the slot was
 *     cleared, and nothing touches the slot afterwards, so destroy may
 *     free the memory that held it.
 *
 * cte_delete_bounded() empties the same tree in place instead, a bounded
 * step at a time, so it can stop and resume: each CNode keeps how far it
 * got (delete_next) and which CNode holds its original (delete_parent);
 * a stopped CNode is `dying` and lookups refuse to enter it, so only the
 * delete itself changes it. When its slots are all empty (`emptied`),
 * cte_delete() destroys it without walking them.
 *
 * A slot whose cap is `held` belongs to a kernel object (a TCB's IPC
 * buffer cap); every path that empties one tells ops->held_emptied first.
 */
#include <kernel/cap.h>

static void cte_clear(struct cte *slot)
{
	__builtin_memset(slot, 0, sizeof(*slot));
}

static bool cte_is_empty(const struct cte *slot)
{
	return cap_is_null(&slot->cap);
}

/* Clear a slot the CDT is deleting the cap of (already unlinked), telling
 * the owner of a held slot first. */
static void cte_empty(struct cte *slot, const struct cdt_ops *ops)
{
	if (slot->cap.held && ops->held_emptied != NULL)
		ops->held_emptied(slot, ops->ctx);
	cte_clear(slot);
}

/* Make the empty slot `child` the first child of `parent`. */
static void cdt_add_child(struct cte *parent, struct cte *child)
{
	child->parent = parent;
	child->first_child = NULL;
	child->prev_sibling = NULL;
	child->next_sibling = parent->first_child;
	if (parent->first_child != NULL)
		parent->first_child->prev_sibling = child;
	parent->first_child = child;
}

/*
 * Take a derived slot out of the tree. Its children, if any, take its place
 * in its parent's child list, so they stay revocable from every ancestor.
 */
static void cdt_unlink(struct cte *slot)
{
	struct cte *parent = slot->parent;
	struct cte *prev = slot->prev_sibling;
	struct cte *next = slot->next_sibling;
	struct cte *first = slot->first_child;
	struct cte *last = NULL;

	for (struct cte *c = first; c != NULL; c = c->next_sibling) {
		c->parent = parent;
		last = c;
	}
	if (parent == NULL) {
		/* Only for a root, which has no siblings: children become roots. */
		for (struct cte *c = first, *n; c != NULL; c = n) {
			n = c->next_sibling;
			c->prev_sibling = NULL;
			c->next_sibling = NULL;
		}
		return;
	}
	if (first != NULL) {
		first->prev_sibling = prev;
		last->next_sibling = next;
	} else {
		first = next;
		last = prev;
	}
	if (prev != NULL)
		prev->next_sibling = first;
	else
		parent->first_child = first;
	if (next != NULL)
		next->prev_sibling = last;
}

void cte_insert_original(struct cte *dst, const struct cap *cap)
{
	cte_clear(dst);
	dst->cap = *cap;
	dst->cap.original = 1;
}

/* Copy and mint: `dst` becomes a child of `src`. */
static int cte_derive(struct cte *dst, struct cte *src, uint8_t rights_mask, uint64_t badge)
{
	if (!cte_is_empty(dst))
		return TERN_EDELETE_FIRST;
	if (cte_is_empty(src))
		return TERN_EFAILED_LOOKUP;
	if (badge != 0) {
		uint8_t type = src->cap.type;

		if (type != TERN_CAP_ENDPOINT && type != TERN_CAP_NOTIFICATION)
			return TERN_EILLEGAL_OPERATION;
		if (src->cap.badge != 0)
			return TERN_EILLEGAL_OPERATION;
	}
	dst->cap = src->cap;
	dst->cap.rights = src->cap.rights & rights_mask;
	dst->cap.original = 0;
	dst->cap.held = 0;
	if (badge != 0)
		dst->cap.badge = badge;
	cdt_add_child(src, dst);
	return TERN_EOK;
}

int cte_copy(struct cte *dst, struct cte *src, uint8_t rights_mask)
{
	return cte_derive(dst, src, rights_mask, 0);
}

int cte_mint(struct cte *dst, struct cte *src, uint8_t rights_mask, uint64_t badge)
{
	return cte_derive(dst, src, rights_mask, badge);
}

int cte_move(struct cte *dst, struct cte *src)
{
	if (dst == src)
		return cte_is_empty(src) ? TERN_EFAILED_LOOKUP : TERN_EOK;
	if (!cte_is_empty(dst))
		return TERN_EDELETE_FIRST;
	if (cte_is_empty(src))
		return TERN_EFAILED_LOOKUP;
	/* An original CNode cap moved into the CNode itself (or a CNode it
	 * owns) would make the CNode own itself, unreachable and undeletable. */
	if (src->cap.original && src->cap.type == TERN_CAP_CNODE)
		return TERN_EILLEGAL_OPERATION;

	*dst = *src;
	if (dst->prev_sibling != NULL)
		dst->prev_sibling->next_sibling = dst;
	else if (dst->parent != NULL)
		dst->parent->first_child = dst;
	if (dst->next_sibling != NULL)
		dst->next_sibling->prev_sibling = dst;
	for (struct cte *c = dst->first_child; c != NULL; c = c->next_sibling)
		c->parent = dst;
	cte_clear(src);
	return TERN_EOK;
}

/*
 * Delete every descendant of `slot`, leaves first: walk down to a leaf,
 * unlink it, resume from its parent. Each edge is walked down once, so this
 * is linear in the size of the subtree. Descendants are never originals.
 */
void cte_revoke(struct cte *slot, const struct cdt_ops *ops)
{
	cte_revoke_bounded(slot, ops, 0, NULL);
}

/*
 * The same walk, asking stop() after every `batch` caps deleted: when it
 * says so, the walk ends with the rest of the subtree in place, and a
 * later call carries on (the caps already gone are simply not found).
 */
bool cte_revoke_bounded(struct cte *slot, const struct cdt_ops *ops, unsigned batch,
			bool (*stop)(void))
{
	struct cte *cur = slot->first_child;
	unsigned n = 0;

	while (cur != NULL) {
		struct cte *parent;

		while (cur->first_child != NULL)
			cur = cur->first_child;
		parent = cur->parent;
		cdt_unlink(cur);
		cte_empty(cur, ops);
		cur = parent == slot ? slot->first_child : parent;
		if (stop && cur && ++n % batch == 0 && stop())
			return true;
	}
	return false;
}

/*
 * Delete one cap. Originals of CNodes are pushed on `pending` rather than
 * emptied here; every other object is destroyed at once.
 */
static void cte_delete_one(struct cte *slot, const struct cdt_ops *ops, struct cnode **pending)
{
	struct cap cap;

	if (cte_is_empty(slot))
		return;
	if (!slot->cap.original) {
		cdt_unlink(slot);
		cte_empty(slot, ops);
		return;
	}
	cte_revoke(slot, ops);
	cap = slot->cap;
	cdt_unlink(slot);
	cte_clear(slot);
	if (cap.type == TERN_CAP_CNODE) {
		struct cnode *cn = cap.obj;

		cn->next_pending = *pending;
		*pending = cn;
		return;
	}
	ops->destroy(&cap, ops->ctx);
}

void cte_delete(struct cte *slot, const struct cdt_ops *ops)
{
	struct cnode *pending = NULL;

	cte_delete_one(slot, ops, &pending);
	while (pending != NULL) {
		struct cnode *cn = pending;
		size_t nslots = cn->emptied ? 0 : cnode_span(cn);
		struct cap cap = { 0 };

		pending = cn->next_pending;
		cn->next_pending = NULL;
		for (size_t i = 0; i < nslots; i++)
			cte_delete_one(&cn->slots[i], ops, &pending);
		cap.type = TERN_CAP_CNODE;
		cap.rights = TERN_RIGHTS_ALL;
		cap.original = 1;
		cap.obj = cn;
		ops->destroy(&cap, ops->ctx);
	}
}

/* Make the first child of the derived slot `slot` a child of slot's
 * parent, with its own subtree: one step of what cdt_unlink does. */
static void cdt_lift_first_child(struct cte *slot)
{
	struct cte *c = slot->first_child;
	struct cte *parent = slot->parent;

	slot->first_child = c->next_sibling;
	if (c->next_sibling != NULL)
		c->next_sibling->prev_sibling = NULL;
	c->parent = parent;
	c->prev_sibling = NULL;
	c->next_sibling = parent->first_child;
	if (parent->first_child != NULL)
		parent->first_child->prev_sibling = c;
	parent->first_child = c;
}

/* Work units between stop() calls: a cap deleted or moved is
 * WORK_CAP, an empty slot passed 1. */
#define WORK_CAP 16

/*
 * One step on a slot of a CNode being emptied, or on the slot given to
 * cte_delete_bounded: true when the slot is empty afterwards. A step is
 * bounded: a derived cap loses one child, an original has its derived
 * caps revoked and its object predestroyed with points of their own
 * (*stopped then says stop() ended them), a CNode original is only
 * deleted once emptied (the caller descends into it otherwise).
 */
static bool slot_step(struct cte *s, const struct cdt_ops *ops, unsigned batch, bool (*stop)(void),
		      bool *stopped)
{
	*stopped = false;
	if (cte_is_empty(s))
		return true;
	if (!s->cap.original) {
		if (s->first_child != NULL) {
			cdt_lift_first_child(s);
			return false;
		}
		cdt_unlink(s);
		cte_empty(s, ops);
		return true;
	}
	if (cte_revoke_bounded(s, ops, batch, stop)) {
		*stopped = true;
		return false;
	}
	if (s->cap.type == TERN_CAP_CNODE) {
		if (!((struct cnode *)s->cap.obj)->emptied)
			return false;
	} else if (ops->predestroy && ops->predestroy(&s->cap, stop, ops->ctx)) {
		*stopped = true;
		return false;
	}
	cte_delete(s, ops); /* nothing long left: no derived cap, no slot, no page */
	return true;
}

bool cte_delete_bounded(struct cte *slot, const struct cdt_ops *ops, unsigned batch,
			bool (*stop)(void))
{
	unsigned work = 0, limit = batch * WORK_CAP;
	struct cnode *top, *cn;
	bool stopped;

	while (!slot_step(slot, ops, batch, stop, &stopped)) {
		if (stopped)
			return true;
		if (slot->cap.type == TERN_CAP_CNODE && slot->cap.original)
			break;
		if ((work += WORK_CAP) >= limit && (work = 0, stop()))
			return true;
	}
	if (cte_is_empty(slot))
		return false;

	/* An original CNode with slots to empty: depth first, from where
	 * the last call stopped. */
	top = slot->cap.obj;
	if (!top->dying) {
		top->dying = true;
		top->delete_parent = NULL;
	}
	cn = top->delete_cur != NULL ? top->delete_cur : top;
	top->delete_cur = NULL;
	for (;;) {
		if (cn->delete_next >= cnode_span(cn)) {
			cn->emptied = true;
			if (cn == top)
				break;
			/* Back up: the parent's current slot holds cn's original,
			 * which the next step deletes. */
			cn = cn->delete_parent;
			work += WORK_CAP;
		} else {
			struct cte *s = &cn->slots[cn->delete_next];
			bool empty = cte_is_empty(s);

			if (empty) {
				cn->delete_next++;
				work++;
			} else if (slot_step(s, ops, batch, stop, &stopped)) {
				cn->delete_next++;
				work += WORK_CAP;
			} else if (stopped) {
				top->delete_cur = cn;
				return true;
			} else if (s->cap.type == TERN_CAP_CNODE && s->cap.original) {
				/* Descend into a nested CNode, which resumes
				 * where its own delete stopped if one did. */
				struct cnode *in = s->cap.obj;

				in->dying = true;
				in->delete_parent = cn;
				cn = in->delete_cur != NULL ? in->delete_cur : in;
				in->delete_cur = NULL;
				work += WORK_CAP;
			} else {
				work += WORK_CAP; /* a child moved up */
			}
		}
		if (work >= limit) {
			work = 0;
			if (stop()) {
				top->delete_cur = cn;
				return true;
			}
		}
	}
	cte_delete(slot, ops); /* an empty CNode: no slot is walked */
	return false;
}
