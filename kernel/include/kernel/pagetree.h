/*
 * The page tree of a MemObj: a radix tree from page index (below 2^36) to
 * a 64-bit value, in practice a physical address with flag bits in its
 * low 12; 0 means absent. Each node is one 4 KiB page of 512 slots, so a
 * tree of height h covers 512^h pages and a lookup reads at most four
 * nodes. The tree is only as tall as its largest index needs: it grows a
 * level at a time and shrinks back when its upper slots empty.
 *
 * A slot of a node whose children are leaves may hold a huge entry
 * instead of a leaf: one value for 512 aligned pages, a 2 MiB huge page.
 * Huge values must be below PAGETREE_HUGE_VALUE_LIMIT (a bit is used to
 * tell them from node pointers); small values may be any nonzero value.
 *
 * Nodes come from the caller (the kernel charges them to the MemObj's
 * quota): alloc_node returns a zeroed 4096-byte node aligned to at least
 * 8 bytes, or NULL. A call that fails leaves the tree as it was, having
 * given back every node it took. Empty nodes are freed as soon as they
 * empty, which costs a scan of the node's 512 slots on removal. No locks
 * and no recursion; the caller serialises calls on one tree.
 *
 * Entry points: pagetree_init, pagetree_destroy, pagetree_lookup,
 * pagetree_insert, pagetree_remove, pagetree_insert_huge,
 * pagetree_remove_huge, pagetree_split_huge, pagetree_next.
 */
#ifndef KERNEL_PAGETREE_H
#define KERNEL_PAGETREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGETREE_FANOUT_SHIFT 9
#define PAGETREE_FANOUT (1u << PAGETREE_FANOUT_SHIFT)
#define PAGETREE_NODE_SIZE 4096
#define PAGETREE_MAX_HEIGHT 4
#define PAGETREE_INDEX_LIMIT ((uint64_t)1 << (PAGETREE_FANOUT_SHIFT * PAGETREE_MAX_HEIGHT))
#define PAGETREE_HUGE_PAGES PAGETREE_FANOUT /* small pages under one huge entry */
#define PAGETREE_HUGE_VALUE_LIMIT ((uint64_t)1 << 63)

/* Error codes: 0 on success. */
#define PAGETREE_OK 0
#define PAGETREE_ENOMEM (-1) /* alloc_node failed; the tree is unchanged */
#define PAGETREE_EINVAL (-2) /* index out of range or misaligned, value 0 or too big */
#define PAGETREE_EHUGE (-3)  /* a small-page call landed inside a huge entry */
#define PAGETREE_EBUSY (-4)  /* a huge entry would cover present small entries */
#define PAGETREE_ENOENT (-5) /* no huge entry there to split */

struct pagetree_ops {
	void *(*alloc_node)(void *ctx);
	void (*free_node)(void *ctx, void *node);
	void *ctx;
	/* Optional: a word kept beside each node (not in it), which the tree
	 * uses as a summary of its slots (bit i: slots 8i to 8i + 7 may be
	 * set), so walks skip empty groups instead of testing 512 slots.
	 * NULL, or a function returning NULL: every slot is tested. */
	uint64_t *(*summary)(void *ctx, void *node);
};

struct pagetree {
	uint64_t *root;	 /* NULL when height is 0 */
	unsigned height; /* levels of nodes; leaves are level 1 */
	uint64_t nodes;	 /* nodes held */
	uint64_t small;	 /* small entries present */
	uint64_t huge;	 /* huge entries present */
	const struct pagetree_ops *ops;
};

/* An empty tree taking its nodes from ops, which must outlive it. */
void pagetree_init(struct pagetree *t, const struct pagetree_ops *ops);

/*
 * Free every node. The values are the caller's: release what they refer
 * to first (pagetree_next walks them).
 */
void pagetree_destroy(struct pagetree *t);

/*
 * The value for page `index`, or 0. Inside a huge entry this is the huge
 * entry's value and *huge (when huge is not NULL) is set; the page is then
 * number index % PAGETREE_HUGE_PAGES within it.
 */
uint64_t pagetree_lookup(const struct pagetree *t, uint64_t index, bool *huge);

/*
 * Store value (nonzero) for page index, replacing any value there, which
 * goes to *old (0 when there was none) when old is not NULL. Fails with
 * PAGETREE_EINVAL, PAGETREE_EHUGE (split the huge entry first) or
 * PAGETREE_ENOMEM.
 */
int pagetree_insert(struct pagetree *t, uint64_t index, uint64_t value, uint64_t *old);

/*
 * Remove the small entry for page index and return it (0 if absent),
 * freeing nodes left empty. An index inside a huge entry is left alone and
 * 0 returned: remove the huge entry, or split it first.
 */
uint64_t pagetree_remove(struct pagetree *t, uint64_t index);

/*
 * Store a huge entry for the 512 pages from index (a multiple of 512),
 * replacing a huge entry there (its value to *old, as for
 * pagetree_insert). Fails with PAGETREE_EBUSY when small entries are
 * present in the range, PAGETREE_EINVAL or PAGETREE_ENOMEM.
 */
int pagetree_insert_huge(struct pagetree *t, uint64_t index, uint64_t value, uint64_t *old);

/* Remove the huge entry covering index and return its value, or 0. */
uint64_t pagetree_remove_huge(struct pagetree *t, uint64_t index);

/*
 * Replace the huge entry covering index with 512 small entries, the i-th
 * being small(ctx, huge_value, i); a 0 leaves page i absent, so a partial
 * unmap can split and drop in one step. Fails with PAGETREE_ENOENT when no
 * huge entry covers index, or PAGETREE_ENOMEM, with the huge entry kept.
 */
int pagetree_split_huge(struct pagetree *t, uint64_t index,
			uint64_t (*small)(void *ctx, uint64_t huge_value, unsigned i), void *ctx);

/*
 * Cursor walk over present entries: the first entry with an index in
 * [from, end), its value returned and its index stored in *index. A huge
 * entry meeting the range is reported once, with the index of its first
 * page (which may be below from) and *huge set. Returns 0 when there is
 * none. Continue from *index + 1, or *index + PAGETREE_HUGE_PAGES after a
 * huge entry.
 */
uint64_t pagetree_next(const struct pagetree *t, uint64_t from, uint64_t end, uint64_t *index,
		       bool *huge);

/*
 * Empty the tree from index *next on, in one walk: fn(ctx, index, value,
 * huge) for every entry, which is cleared, and every node freed once its
 * slots are all empty (no search from the root per entry, no emptiness
 * scan per removal, as pagetree_next and pagetree_remove would cost).
 * With `stop`, asked after each leaf node is done: when it says so, the
 * walk returns true with *next the first index not yet visited, and a
 * later call carries on from there (meanwhile only pagetree_drain and
 * pagetree_destroy may be used on the tree). Entries below the first
 * *next are not visited and the nodes holding them stay. False when the
 * walk is done.
 */
bool pagetree_drain(struct pagetree *t, uint64_t *next,
		    void (*fn)(void *ctx, uint64_t index, uint64_t value, bool huge), void *ctx,
		    bool (*stop)(void));

#endif
