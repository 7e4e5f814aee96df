/*
 * Capabilities, slots and CNodes, and the derivation tree.
 *
 * A slot (struct cte) holds one capability and its place in the
 * capability derivation tree (CDT): copies and mints are children of the
 * capability they came from, so revoking a capability deletes everything
 * derived from it. The first capability to an object is its "original"
 * (root of the object's tree): deleting it destroys the object.
 *
 * Everything here is pure logic (host-tested in test/unit/cap): the kernel
 * supplies object destruction through struct cdt_ops.
 */
#ifndef KERNEL_CAP_H
#define KERNEL_CAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/object.h"
#include "tern/caps.h"
#include "tern/errors.h"

struct cap {
	uint8_t type;	      /* enum tern_cap_type; TERN_CAP_NULL = empty */
	uint8_t rights;	      /* TERN_RIGHT_* */
	uint8_t original : 1; /* deleting this cap destroys the object */
	/* In a slot the kernel holds inside an object (a TCB's IPC-buffer
	 * cap): the owner is told when the CDT empties it (held_emptied). */
	uint8_t held : 1;
	uint8_t guard_bits; /* CNode caps: guard size in bits */
	uint32_t extra;	    /* type-specific: IOPort (first << 16 | last) */
	uint64_t badge;	    /* Endpoint/Notification: badge; CNode: guard value */
	void *obj;	    /* the object; starts with struct kobj */
};

struct cte {
	struct cap cap;
	struct cte *parent;
	struct cte *first_child;
	struct cte *next_sibling;
	struct cte *prev_sibling;
};

struct cnode {
	struct kobj hdr;
	uint32_t radix;		    /* 2^radix slots */
	struct cnode *next_pending; /* destruction worklist link */
	/* Emptied by a bounded delete (cte_delete_bounded), which stops and
	 * resumes: once `dying` no lookup enters the CNode, slots below
	 * `delete_next` are empty, `emptied` says all are. */
	bool dying;
	bool emptied;
	uint32_t delete_next;
	struct cnode *delete_parent; /* holds this one's original, being emptied */
	struct cnode *delete_cur;    /* where this one's stopped delete resumes */
	/* With `tracked` (every CNode the kernel makes), slots from `used`
	 * on were never handed out by a lookup (cspace.c), so are empty, and
	 * a delete walks only the slots below it: a process's 256-slot
	 * CNodes use a few dozen. */
	bool tracked;
	uint32_t used;
	struct cte slots[];
};

static inline size_t cnode_size(unsigned radix)
{
	return sizeof(struct cnode) + ((size_t)1 << radix) * sizeof(struct cte);
}

/* The slots a delete must walk. */
static inline size_t cnode_span(const struct cnode *cn)
{
	return cn->tracked ? cn->used : (size_t)1 << cn->radix;
}

static inline bool cap_is_null(const struct cap *c)
{
	return c->type == TERN_CAP_NULL;
}

/* What the kernel does when an original capability is deleted. */
struct cdt_ops {
	/* Called once for each object whose original cap is deleted, after
	 * all its derived caps are gone (and, for a CNode, after every slot in
	 * it was deleted). Must release the object's memory and refund.
	 * `original` is a copy and the slot is already empty, so destroy may
	 * free the memory that held the slot. For a CNode the copy is rebuilt
	 * from the object (type, obj, original and all rights; no guard):
	 * rely only on type and obj. */
	void (*destroy)(const struct cap *original, void *ctx);
	/* Optional: the long part of destroying the object of an original
	 * (other than a CNode) before its cap goes, asking stop() between
	 * chunks; true when stop() ended it early, to be called again. The
	 * cap is still in its slot and has no derived caps. */
	bool (*predestroy)(const struct cap *original, bool (*stop)(void), void *ctx);
	/* Optional: called with the cap still in place when a slot whose cap
	 * is `held` is emptied, whatever empties it (a delete of it, a revoke
	 * or delete from above, its CNode's or its parent's destruction), so
	 * the kernel object holding the slot drops what the cap stood for.
	 * Must not touch the CDT. */
	void (*held_emptied)(struct cte *slot, void *ctx);
	void *ctx;
};

/*
 * Lookup. `root` is a CNode capability. cspace_lookup_cap resolves an
 * invocation pointer: all 64 bits, stopping early at the first slot that
 * does not hold a CNode cap. cspace_lookup_slot resolves exactly `depth`
 * bits (1..64) and fails if they run out in the middle of a CNode or pass
 * through a non-CNode. Both return TERN_EOK or TERN_EFAILED_LOOKUP (guard
 * mismatch, depth mismatch, no CNode where one is needed) or
 * TERN_EINVALID_CAPABILITY (root is not a CNode).
 */
int cspace_lookup_cap(const struct cap *root, tern_cptr_t cptr, struct cte **slot);
int cspace_lookup_slot(const struct cap *root, tern_cptr_t cptr, unsigned depth, struct cte **slot);

/* Put a new object's original capability into an empty slot. */
void cte_insert_original(struct cte *dst, const struct cap *cap);

/*
 * Derivation. All fail without change: TERN_EDELETE_FIRST when dst is not
 * empty, TERN_EFAILED_LOOKUP when src is empty, TERN_EILLEGAL_OPERATION
 * when the operation is not allowed on that cap (minting a badge onto an
 * already badged cap or a type without badges; moving an original CNode
 * cap, which could make a CNode own itself).
 */
int cte_copy(struct cte *dst, struct cte *src, uint8_t rights_mask);
int cte_mint(struct cte *dst, struct cte *src, uint8_t rights_mask, uint64_t badge);
int cte_move(struct cte *dst, struct cte *src);

/*
 * Delete the cap in `slot` (no-op on an empty slot). A derived cap is
 * unlinked and its children move up to its parent. An original cap first
 * has every derived cap deleted, then its object destroyed (CNodes: every
 * slot deleted first, iteratively, never recursively).
 */
void cte_delete(struct cte *slot, const struct cdt_ops *ops);
/* Delete every cap derived from the one in `slot`; the slot itself stays. */
void cte_revoke(struct cte *slot, const struct cdt_ops *ops);
/* cte_revoke with a preemption point every `batch` caps: true when stop()
 * ended it early, the caps not yet deleted still in place. */
bool cte_revoke_bounded(struct cte *slot, const struct cdt_ops *ops, unsigned batch,
			bool (*stop)(void));
/*
 * cte_delete with a preemption point (stop()) after every `batch` caps
 * deleted or moved, or 16 * `batch` empty slots passed: true when stop()
 * ended it early, progress kept in the objects, and the same call carries
 * on. Derived caps of the cap go first (as cte_revoke), then for an
 * original ops->predestroy runs, and an original CNode is emptied slot by
 * slot, nested CNodes depth first without recursion (each remembers its
 * parent and where it stopped). From its first call on such a CNode is
 * `dying`: lookups fail through it, so nothing refills it. A derived cap
 * met inside keeps its own derived caps (moved up one at a time), as
 * cte_delete does.
 */
bool cte_delete_bounded(struct cte *slot, const struct cdt_ops *ops, unsigned batch,
			bool (*stop)(void));

#endif
