/*
 * The mapping tree of an address space: the VSpace's mappings, each a
 * range [start, end) of page-aligned virtual addresses showing pages of a
 * MemObj, kept in an AVL tree ordered by address. Mappings never overlap,
 * so ordering by start also orders by end, and every query (the mapping
 * containing an address, the first one meeting a range) is one descent.
 *
 * Nodes are intrusive and belong to the caller, which allocates them
 * (charged to the VSpace's quota) and frees them after removal; the tree
 * never allocates, holds no locks and uses no recursion. The caller
 * serialises calls on one tree.
 *
 * Entry points: maptree_init, maptree_insert, maptree_remove,
 * maptree_lookup, maptree_first_overlap, maptree_split, maptree_can_merge,
 * maptree_merge, maptree_first, maptree_last, maptree_next, maptree_prev.
 */
#ifndef KERNEL_MAPTREE_H
#define KERNEL_MAPTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAPTREE_PAGE_SHIFT 12
#define MAPTREE_PAGE_SIZE ((uint64_t)1 << MAPTREE_PAGE_SHIFT)

/* Error codes of maptree_insert and maptree_split: 0 on success. */
#define MAPTREE_OK 0
#define MAPTREE_EINVAL (-1)   /* misaligned, empty range, or split point outside */
#define MAPTREE_EOVERLAP (-2) /* the range meets a mapping already in the tree */

struct map_node {
	/* Tree links, owned by the tree while the node is inserted. */
	struct map_node *parent;
	struct map_node *left;
	struct map_node *right;
	int32_t height; /* of the subtree rooted here; a leaf is 1 */
	/* The mapping, filled in by the caller before maptree_insert. */
	uint32_t rights;
	uint64_t start;	     /* first byte, page aligned */
	uint64_t end;	     /* one past the last byte, page aligned */
	void *obj;	     /* the MemObj shown */
	uint64_t first_page; /* page of obj at start */
};

struct map_tree {
	struct map_node *root;
	uint64_t count;
};

void maptree_init(struct map_tree *t);

/*
 * Insert n, whose start, end, obj, first_page and rights are set. Returns
 * MAPTREE_EINVAL when the range is empty or misaligned and
 * MAPTREE_EOVERLAP when it meets a mapping in the tree; the tree is then
 * unchanged.
 */
int maptree_insert(struct map_tree *t, struct map_node *n);

/* Unlink n from the tree; n goes back to the caller. */
void maptree_remove(struct map_tree *t, struct map_node *n);

/* The mapping containing addr, or NULL. */
struct map_node *maptree_lookup(const struct map_tree *t, uint64_t addr);

/*
 * The lowest mapping meeting [start, end), or NULL. The others follow it
 * through maptree_next while their start is below end: this is the walk of
 * an unmap or a protect over a range.
 */
struct map_node *maptree_first_overlap(const struct map_tree *t, uint64_t start, uint64_t end);

/*
 * Cut n in two at the page-aligned address `at`, strictly inside it: n
 * keeps [start, at) and new_node, supplied by the caller, gets [at, end)
 * with the same object and rights and first_page advanced by the pages
 * cut off. Returns MAPTREE_EINVAL, changing nothing, when `at` is not a
 * page boundary strictly inside n.
 */
int maptree_split(struct map_tree *t, struct map_node *n, uint64_t at, struct map_node *new_node);

/*
 * True when b starts where a ends and continues it: the same object, the
 * object pages contiguous, the same rights.
 */
bool maptree_can_merge(const struct map_node *a, const struct map_node *b);

/*
 * Join b into a when maptree_can_merge(a, b): a grows to cover both and b
 * is removed from the tree and returned, for the caller to free. Returns
 * NULL, changing nothing, when they cannot merge.
 */
struct map_node *maptree_merge(struct map_tree *t, struct map_node *a, struct map_node *b);

/* In-order walks: the lowest and highest mapping, and neighbours. */
struct map_node *maptree_first(const struct map_tree *t);
struct map_node *maptree_last(const struct map_tree *t);
struct map_node *maptree_next(const struct map_node *n);
struct map_node *maptree_prev(const struct map_node *n);

#endif
