/*
 * The page tree of a MemObj: see kernel/pagetree.h for the contract.
 *
 * Levels count from the leaves: a leaf (level 1) holds values, a node at
 * level L > 1 holds child pointers, and a level-2 node may hold huge
 * entries in place of leaves. A slot of an inner node is 0 (absent), a
 * child pointer (nodes are at least 8-byte aligned, so bit 0 is clear), or
 * a huge value shifted left by one with bit 0 set.
 *
 * The tree keeps two shapes true between calls, which is what makes
 * failure clean: no node is empty (removal frees a node the moment its
 * last slot clears, then its parent if that empties too), and the root
 * never leads only to its slot-0 child (the tree shrinks a level when that
 * happens). A call that allocates nodes and then fails just prunes its
 * path, which both rules turn back into the tree it started from.
 */
#include <kernel/pagetree.h>

static unsigned level_shift(unsigned level)
{
	return PAGETREE_FANOUT_SHIFT * (level - 1);
}

static unsigned slot_of(uint64_t index, unsigned level)
{
	return (unsigned)(index >> level_shift(level)) & (PAGETREE_FANOUT - 1);
}

/* Pages covered by a tree of the given height. */
static uint64_t capacity(unsigned height)
{
	return (uint64_t)1 << (PAGETREE_FANOUT_SHIFT * height);
}

static bool slot_is_huge(uint64_t e)
{
	return e & 1;
}

static uint64_t *slot_child(uint64_t e)
{
	return (uint64_t *)(uintptr_t)e;
}

static uint64_t huge_encode(uint64_t value)
{
	return value << 1 | 1;
}

static uint64_t huge_decode(uint64_t e)
{
	return e >> 1;
}

static uint64_t *summary_of(const struct pagetree *t, const uint64_t *n)
{
	return t->ops->summary ? t->ops->summary(t->ops->ctx, (void *)(uintptr_t)n) : NULL;
}

/* Slot `slot` of n is about to be set. */
static void note(const struct pagetree *t, uint64_t *n, unsigned slot)
{
	uint64_t *sum = summary_of(t, n);

	if (sum)
		*sum |= 1ull << (slot / 8);
}

/* The first set slot of n from s on, or PAGETREE_FANOUT. With a summary,
 * only the groups it marks are tested, and a marked group found empty
 * loses its mark. */
static unsigned next_set(const struct pagetree *t, const uint64_t *n, unsigned s)
{
	uint64_t *sum = summary_of(t, n);

	if (!sum) {
		while (s < PAGETREE_FANOUT && !n[s])
			s++;
		return s;
	}
	while (s < PAGETREE_FANOUT) {
		uint64_t g = *sum >> (s / 8);
		if (!g)
			return PAGETREE_FANOUT;
		unsigned group = s / 8 + (unsigned)__builtin_ctzll(g);
		if (group != s / 8)
			s = group * 8;
		bool from_start = s % 8 == 0;
		for (unsigned end = group * 8 + 8; s < end; s++)
			if (n[s])
				return s;
		if (from_start)
			*sum &= ~(1ull << group);
	}
	return PAGETREE_FANOUT;
}

static uint64_t *node_alloc(struct pagetree *t)
{
	uint64_t *n = t->ops->alloc_node(t->ops->ctx);

	if (n) {
		uint64_t *sum = summary_of(t, n);
		if (sum)
			*sum = 0;
		t->nodes++;
	}
	return n;
}

static void node_free(struct pagetree *t, uint64_t *n)
{
	t->ops->free_node(t->ops->ctx, n);
	t->nodes--;
}

static bool node_empty_from(const struct pagetree *t, const uint64_t *n, unsigned first)
{
	return next_set(t, n, first) == PAGETREE_FANOUT;
}

/* Drop the root for as long as it leads only to its slot-0 child. */
static void shrink(struct pagetree *t)
{
	while (t->height > 1 && t->root[0] && !slot_is_huge(t->root[0]) &&
	       node_empty_from(t, t->root, 1)) {
		uint64_t *old = t->root;

		t->root = slot_child(old[0]);
		node_free(t, old);
		t->height--;
	}
}

/*
 * After a slot on index's path cleared in path[level]: free that node and
 * its ancestors for as long as they are empty, then shrink the tree.
 */
/* Is n empty now that slot `cleared` is? Looks beside that slot first:
 * a node emptied in order (a whole object released) then costs one probe
 * per removal instead of a scan. */
static bool node_empty_after_clear(const struct pagetree *t, const uint64_t *n, unsigned cleared)
{
	if (t->ops->summary)
		return next_set(t, n, 0) == PAGETREE_FANOUT;
	for (unsigned i = cleared + 1; i < PAGETREE_FANOUT; i++)
		if (n[i])
			return false;
	for (unsigned i = 0; i < cleared; i++)
		if (n[i])
			return false;
	return true;
}

static void prune(struct pagetree *t, uint64_t **path, unsigned level, uint64_t index)
{
	for (; level <= t->height; level++) {
		if (!node_empty_after_clear(t, path[level], slot_of(index, level)))
			break;
		node_free(t, path[level]);
		if (level == t->height) {
			t->root = NULL;
			t->height = 0;
			return;
		}
		path[level + 1][slot_of(index, level + 1)] = 0;
	}
	shrink(t);
}

/* Make the tree at least `need` levels tall. */
static int grow(struct pagetree *t, unsigned need)
{
	if (t->height == 0) {
		t->root = node_alloc(t);
		if (!t->root)
			return PAGETREE_ENOMEM;
		t->height = need;
		return PAGETREE_OK;
	}
	while (t->height < need) {
		uint64_t *n = node_alloc(t);

		if (!n) {
			shrink(t);
			return PAGETREE_ENOMEM;
		}
		n[0] = (uint64_t)(uintptr_t)t->root;
		note(t, n, 0);
		t->root = n;
		t->height++;
	}
	return PAGETREE_OK;
}

/*
 * The node at `level` on index's path, recording the path from the root
 * down to it in path[]; NULL when a node on the way is absent or a huge
 * entry stands above that level.
 */
static uint64_t *find(const struct pagetree *t, uint64_t index, unsigned level, uint64_t **path)
{
	unsigned l = t->height;
	uint64_t *n = t->root;

	if (l < level || index >= capacity(l))
		return NULL;
	path[l] = n;
	while (l > level) {
		uint64_t e = n[slot_of(index, l)];

		if (!e || slot_is_huge(e))
			return NULL;
		n = slot_child(e);
		path[--l] = n;
	}
	return n;
}

/*
 * As find(), creating the missing nodes (and levels) on the way. Fails
 * with PAGETREE_ENOMEM, having pruned what it made, or PAGETREE_EHUGE when
 * a huge entry stands above the level.
 */
static int find_or_make(struct pagetree *t, uint64_t index, unsigned level, uint64_t **path)
{
	unsigned need = level;
	unsigned l;
	uint64_t *n;
	int err;

	while (index >= capacity(need))
		need++;
	err = grow(t, need);
	if (err)
		return err;
	l = t->height;
	n = t->root;
	path[l] = n;
	while (l > level) {
		uint64_t *slot = &n[slot_of(index, l)];

		/* A huge entry here means this node was not just made, so
		 * there is nothing to prune. */
		if (slot_is_huge(*slot))
			return PAGETREE_EHUGE;
		if (!*slot) {
			uint64_t *child = node_alloc(t);

			if (!child) {
				prune(t, path, l, index);
				return PAGETREE_ENOMEM;
			}
			*slot = (uint64_t)(uintptr_t)child;
			note(t, n, slot_of(index, l));
		}
		n = slot_child(*slot);
		path[--l] = n;
	}
	return PAGETREE_OK;
}

void pagetree_init(struct pagetree *t, const struct pagetree_ops *ops)
{
	t->root = NULL;
	t->height = 0;
	t->nodes = 0;
	t->small = 0;
	t->huge = 0;
	t->ops = ops;
}

void pagetree_destroy(struct pagetree *t)
{
	uint64_t *stack[PAGETREE_MAX_HEIGHT + 1];
	unsigned next[PAGETREE_MAX_HEIGHT + 1];
	unsigned l = t->height;

	if (!l)
		return;
	stack[l] = t->root;
	next[l] = 0;
	while (l <= t->height) {
		uint64_t e;

		if (l == 1 || next[l] == PAGETREE_FANOUT) {
			node_free(t, stack[l]);
			l++;
			continue;
		}
		next[l] = next_set(t, stack[l], next[l]);
		if (next[l] == PAGETREE_FANOUT)
			continue;
		e = stack[l][next[l]++];
		if (e && !slot_is_huge(e)) {
			l--;
			stack[l] = slot_child(e);
			next[l] = 0;
		}
	}
	t->root = NULL;
	t->height = 0;
	t->small = 0;
	t->huge = 0;
}

uint64_t pagetree_lookup(const struct pagetree *t, uint64_t index, bool *huge)
{
	const uint64_t *n = t->root;
	unsigned l = t->height;

	if (huge)
		*huge = false;
	if (!l || index >= capacity(l))
		return 0;
	for (; l > 1; l--) {
		uint64_t e = n[slot_of(index, l)];

		if (!e)
			return 0;
		if (slot_is_huge(e)) {
			if (huge)
				*huge = true;
			return huge_decode(e);
		}
		n = slot_child(e);
	}
	return n[slot_of(index, 1)];
}

int pagetree_insert(struct pagetree *t, uint64_t index, uint64_t value, uint64_t *old)
{
	uint64_t *path[PAGETREE_MAX_HEIGHT + 1];
	uint64_t *slot;
	int err;

	if (index >= PAGETREE_INDEX_LIMIT || !value)
		return PAGETREE_EINVAL;
	err = find_or_make(t, index, 1, path);
	if (err)
		return err;
	slot = &path[1][slot_of(index, 1)];
	if (old)
		*old = *slot;
	if (!*slot)
		t->small++;
	*slot = value;
	note(t, path[1], slot_of(index, 1));
	return PAGETREE_OK;
}

uint64_t pagetree_remove(struct pagetree *t, uint64_t index)
{
	uint64_t *path[PAGETREE_MAX_HEIGHT + 1];
	uint64_t *leaf = find(t, index, 1, path);
	uint64_t *slot;
	uint64_t value;

	if (!leaf)
		return 0;
	slot = &leaf[slot_of(index, 1)];
	value = *slot;
	if (!value)
		return 0;
	*slot = 0;
	t->small--;
	prune(t, path, 1, index);
	return value;
}

int pagetree_insert_huge(struct pagetree *t, uint64_t index, uint64_t value, uint64_t *old)
{
	uint64_t *path[PAGETREE_MAX_HEIGHT + 1];
	uint64_t *slot;
	int err;

	if (index >= PAGETREE_INDEX_LIMIT || index % PAGETREE_HUGE_PAGES || !value ||
	    value >= PAGETREE_HUGE_VALUE_LIMIT)
		return PAGETREE_EINVAL;
	err = find_or_make(t, index, 2, path);
	if (err)
		return err;
	slot = &path[2][slot_of(index, 2)];
	/* A leaf here is not empty (empty nodes are freed), and since it
	 * exists no node was made below the root; the root may be new, made
	 * by growing a one-level tree, and shrinking undoes that. */
	if (*slot && !slot_is_huge(*slot)) {
		shrink(t);
		return PAGETREE_EBUSY;
	}
	if (old)
		*old = *slot ? huge_decode(*slot) : 0;
	if (!*slot)
		t->huge++;
	*slot = huge_encode(value);
	note(t, path[2], slot_of(index, 2));
	return PAGETREE_OK;
}

uint64_t pagetree_remove_huge(struct pagetree *t, uint64_t index)
{
	uint64_t *path[PAGETREE_MAX_HEIGHT + 1];
	uint64_t *n = find(t, index, 2, path);
	uint64_t *slot;
	uint64_t e;

	if (!n)
		return 0;
	slot = &n[slot_of(index, 2)];
	e = *slot;
	if (!slot_is_huge(e))
		return 0;
	*slot = 0;
	t->huge--;
	prune(t, path, 2, index);
	return huge_decode(e);
}

int pagetree_split_huge(struct pagetree *t, uint64_t index,
			uint64_t (*small)(void *ctx, uint64_t huge_value, unsigned i), void *ctx)
{
	uint64_t *path[PAGETREE_MAX_HEIGHT + 1];
	uint64_t *n = find(t, index, 2, path);
	uint64_t *slot, *leaf;
	uint64_t value, present = 0;

	if (!n || !slot_is_huge(n[slot_of(index, 2)]))
		return PAGETREE_ENOENT;
	slot = &n[slot_of(index, 2)];
	leaf = node_alloc(t);
	if (!leaf)
		return PAGETREE_ENOMEM;
	value = huge_decode(*slot);
	for (unsigned i = 0; i < PAGETREE_FANOUT; i++) {
		leaf[i] = small(ctx, value, i);
		if (leaf[i]) {
			present++;
			note(t, leaf, i);
		}
	}
	t->huge--;
	if (!present) {
		node_free(t, leaf);
		*slot = 0;
		prune(t, path, 2, index);
		return PAGETREE_OK;
	}
	*slot = (uint64_t)(uintptr_t)leaf;
	t->small += present;
	return PAGETREE_OK;
}

uint64_t pagetree_next(const struct pagetree *t, uint64_t from, uint64_t end, uint64_t *index,
		       bool *huge)
{
	uint64_t idx = from;

	if (huge)
		*huge = false;
	if (!t->height)
		return 0;
	if (end > capacity(t->height))
		end = capacity(t->height);
	/* Descend towards idx; an empty slot moves idx to the next slot's
	 * first page, and running off the end of a node restarts from the
	 * root, so every step moves idx forward. */
	while (idx < end) {
		const uint64_t *n = t->root;
		unsigned l = t->height;

		for (;;) {
			unsigned shift = level_shift(l);
			unsigned s = slot_of(idx, l);
			uint64_t e;

			if (!n[s]) {
				unsigned up = shift + PAGETREE_FANOUT_SHIFT;

				s = next_set(t, n, s + 1);
				idx = s == PAGETREE_FANOUT
					      ? ((idx >> up) + 1) << up
					      : (idx >> up << up) | (uint64_t)s << shift;
				if (idx >= end)
					return 0;
			}
			if (s == PAGETREE_FANOUT)
				break;
			e = n[s];
			if (l == 1) {
				*index = idx;
				return e;
			}
			if (slot_is_huge(e)) {
				*index = idx & ~(uint64_t)(PAGETREE_HUGE_PAGES - 1);
				if (huge)
					*huge = true;
				return huge_decode(e);
			}
			n = slot_child(e);
			l--;
		}
	}
	return 0;
}

bool pagetree_drain(struct pagetree *t, uint64_t *next,
		    void (*fn)(void *ctx, uint64_t index, uint64_t value, bool huge), void *ctx,
		    bool (*stop)(void))
{
	uint64_t *node[PAGETREE_MAX_HEIGHT + 2];
	unsigned pos[PAGETREE_MAX_HEIGHT + 2];
	uint64_t base[PAGETREE_MAX_HEIGHT + 2]; /* index of node[l]'s slot 0 */
	bool keep[PAGETREE_MAX_HEIGHT + 2];	/* node[l] still holds entries */
	unsigned top = t->height, l = top;
	uint64_t from = *next;

	if (!top || from >= capacity(top))
		return false;
	node[l] = t->root;
	base[l] = 0;
	pos[l] = slot_of(from, l);
	/* A node entered part way holds entries below from only if some
	 * slot before the start is set: then it stays. */
	keep[l] = pos[l] && next_set(t, node[l], 0) < pos[l];
	for (;;) {
		if (pos[l] == PAGETREE_FANOUT) {
			bool kept = keep[l];

			if (!kept)
				node_free(t, node[l]);
			if (l == top) {
				if (!kept) {
					t->root = NULL;
					t->height = 0;
				}
				*next = capacity(top);
				return false;
			}
			l++;
			if (kept)
				keep[l] = true;
			else
				node[l][pos[l]] = 0;
			pos[l]++;
			if (l == 2 && stop && pos[l] < PAGETREE_FANOUT && stop()) {
				*next = base[l] + ((uint64_t)pos[l] << level_shift(l));
				return true;
			}
			continue;
		}
		uint64_t e = node[l][pos[l]];
		uint64_t index = base[l] + ((uint64_t)pos[l] << level_shift(l));

		if (!e) {
			pos[l] = next_set(t, node[l], pos[l] + 1);
		} else if (l == 1) {
			fn(ctx, index, e, false);
			node[l][pos[l]++] = 0;
			t->small--;
		} else if (slot_is_huge(e)) {
			fn(ctx, index, huge_decode(e), true);
			node[l][pos[l]++] = 0;
			t->huge--;
		} else {
			/* Down: along from's path where it starts, else from 0. */
			l--;
			node[l] = slot_child(e);
			base[l] = index;
			pos[l] = from > index ? slot_of(from, l) : 0;
			keep[l] = pos[l] && next_set(t, node[l], 0) < pos[l];
		}
	}
}
