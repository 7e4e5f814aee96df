/*
 * CSpace lookup: turn a capability pointer into a slot.
 *
 * Entry points: cspace_lookup_cap(), cspace_lookup_slot().
 *
 * Resolution follows seL4. The unconsumed part of a pointer is its low
 * `remaining` bits; each CNode on the way takes the top guard_bits of them
 * and compares them with the cap's guard (kept in cap.badge), then the next
 * radix bits index its slots. Both walks are loops, so a deep CSpace costs
 * no stack.
 */
#include <kernel/cap.h>

/* `width` bits of `v` starting at bit `shift`; safe for width 0 and 64. */
static uint64_t bits_at(uint64_t v, unsigned shift, unsigned width)
{
	if (width == 0)
		return 0;
	if (width >= 64)
		return v;
	return (v >> shift) & (((uint64_t)1 << width) - 1);
}

/* Slot i of cn is handed out: a delete of cn must walk it. */
static struct cte *hand_out(struct cnode *cn, uint64_t i)
{
	if (i >= cn->used)
		cn->used = (uint32_t)i + 1;
	return &cn->slots[i];
}

/*
 * Walk from `root` through `depth` bits of `cptr`. With `exact`, every
 * bit must be consumed and only CNode caps may be passed through; without
 * it the walk stops at the first slot that holds anything but a CNode cap.
 */
static int cspace_walk(const struct cap *root, tern_cptr_t cptr, unsigned depth, bool exact,
		       struct cte **slot)
{
	const struct cap *c = root;
	unsigned remaining = depth;

	if (root->type != TERN_CAP_CNODE || root->obj == NULL)
		return TERN_EINVALID_CAPABILITY;
	if (depth == 0 || depth > 64)
		return TERN_EFAILED_LOOKUP;
	for (;;) {
		struct cnode *cn = c->obj;
		uint64_t level = (uint64_t)c->guard_bits + cn->radix;
		struct cte *s;

		if (cn->dying)
			return TERN_EFAILED_LOOKUP; /* being deleted (cte_delete_bounded) */
		/* A level that consumes no bits would loop forever. */
		if (level == 0 || level > remaining)
			return TERN_EFAILED_LOOKUP;
		if (bits_at(cptr, remaining - c->guard_bits, c->guard_bits) != c->badge)
			return TERN_EFAILED_LOOKUP;
		remaining -= (unsigned)level;
		s = hand_out(cn, bits_at(cptr, remaining, cn->radix));
		if (remaining == 0) {
			*slot = s;
			return TERN_EOK;
		}
		if (s->cap.type != TERN_CAP_CNODE || s->cap.obj == NULL) {
			if (exact)
				return TERN_EFAILED_LOOKUP;
			*slot = s;
			return TERN_EOK;
		}
		c = &s->cap;
	}
}

/* The common case in a dozen instructions instead of ~60: 64 bits from a
 * root that resolves them all on its own (object_create's guard). */
static inline bool walk_one_level(const struct cap *root, tern_cptr_t cptr, struct cte **slot)
{
	struct cnode *cn = root->obj;

	if (root->type != TERN_CAP_CNODE || !cn || cn->dying ||
	    root->guard_bits + cn->radix != 64 || cn->radix >= 64 ||
	    (cptr >> cn->radix) != root->badge)
		return false;
	*slot = hand_out(cn, cptr & (((uint64_t)1 << cn->radix) - 1));
	return true;
}

int cspace_lookup_cap(const struct cap *root, tern_cptr_t cptr, struct cte **slot)
{
	if (walk_one_level(root, cptr, slot))
		return TERN_EOK;
	return cspace_walk(root, cptr, 64, false, slot);
}

int cspace_lookup_slot(const struct cap *root, tern_cptr_t cptr, unsigned depth, struct cte **slot)
{
	if (depth == 64 && walk_one_level(root, cptr, slot))
		return TERN_EOK;
	return cspace_walk(root, cptr, depth, true, slot);
}
