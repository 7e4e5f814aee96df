/*
 * The mapping tree: see kernel/maptree.h for the contract.
 *
 * An AVL tree with parent pointers, so that every operation is a loop:
 * descend to find a place, then climb back up through the parents,
 * updating subtree heights and rotating where the two sides differ by
 * two. Rebalancing always climbs to the root, which keeps the code short
 * at the cost of O(log n) steps that could sometimes stop early.
 *
 * Overlap on insert needs no extra bookkeeping: the mappings are disjoint,
 * so a new range can only meet its in-order neighbours, and both lie on
 * the path the descent takes.
 */
#include <kernel/maptree.h>

static int32_t height_of(const struct map_node *n)
{
	return n ? n->height : 0;
}

static void update_height(struct map_node *n)
{
	int32_t l = height_of(n->left);
	int32_t r = height_of(n->right);

	n->height = (l > r ? l : r) + 1;
}

static int32_t balance_of(const struct map_node *n)
{
	return height_of(n->left) - height_of(n->right);
}

/* Make `child` take old's place below `parent` (old's parent). */
static void replace_child(struct map_tree *t, struct map_node *parent, struct map_node *old,
			  struct map_node *child)
{
	if (!parent)
		t->root = child;
	else if (parent->left == old)
		parent->left = child;
	else
		parent->right = child;
}

/* x's right child rises into x's place; returns it. */
static struct map_node *rotate_left(struct map_tree *t, struct map_node *x)
{
	struct map_node *y = x->right;

	x->right = y->left;
	if (y->left)
		y->left->parent = x;
	y->parent = x->parent;
	replace_child(t, x->parent, x, y);
	y->left = x;
	x->parent = y;
	update_height(x);
	update_height(y);
	return y;
}

/* x's left child rises into x's place; returns it. */
static struct map_node *rotate_right(struct map_tree *t, struct map_node *x)
{
	struct map_node *y = x->left;

	x->left = y->right;
	if (y->right)
		y->right->parent = x;
	y->parent = x->parent;
	replace_child(t, x->parent, x, y);
	y->right = x;
	x->parent = y;
	update_height(x);
	update_height(y);
	return y;
}

/* Climb from n to the root, restoring heights and the AVL balance. */
static void rebalance(struct map_tree *t, struct map_node *n)
{
	while (n) {
		int32_t bal;

		update_height(n);
		bal = balance_of(n);
		if (bal > 1) {
			if (balance_of(n->left) < 0)
				rotate_left(t, n->left);
			n = rotate_right(t, n);
		} else if (bal < -1) {
			if (balance_of(n->right) > 0)
				rotate_right(t, n->right);
			n = rotate_left(t, n);
		}
		n = n->parent;
	}
}

static bool page_aligned(uint64_t addr)
{
	return (addr & (MAPTREE_PAGE_SIZE - 1)) == 0;
}

static void link_leaf(struct map_node *n, struct map_node *parent)
{
	n->parent = parent;
	n->left = NULL;
	n->right = NULL;
	n->height = 1;
}

void maptree_init(struct map_tree *t)
{
	t->root = NULL;
	t->count = 0;
}

int maptree_insert(struct map_tree *t, struct map_node *n)
{
	struct map_node *parent = NULL;
	struct map_node **link = &t->root;

	if (n->start >= n->end || !page_aligned(n->start) || !page_aligned(n->end))
		return MAPTREE_EINVAL;
	while (*link) {
		parent = *link;
		if (n->start < parent->end && parent->start < n->end)
			return MAPTREE_EOVERLAP;
		link = n->start < parent->start ? &parent->left : &parent->right;
	}
	link_leaf(n, parent);
	*link = n;
	t->count++;
	rebalance(t, parent);
	return MAPTREE_OK;
}

void maptree_remove(struct map_tree *t, struct map_node *n)
{
	struct map_node *fix;

	if (!n->left || !n->right) {
		struct map_node *child = n->left ? n->left : n->right;

		fix = n->parent;
		replace_child(t, n->parent, n, child);
		if (child)
			child->parent = n->parent;
	} else {
		/* Two children: n's successor s (leftmost on the right, so
		 * without a left child) takes n's place. */
		struct map_node *s = n->right;

		while (s->left)
			s = s->left;
		if (s->parent != n) {
			fix = s->parent;
			fix->left = s->right;
			if (s->right)
				s->right->parent = fix;
			s->right = n->right;
			n->right->parent = s;
		} else {
			fix = s;
		}
		s->left = n->left;
		n->left->parent = s;
		s->parent = n->parent;
		replace_child(t, n->parent, n, s);
		s->height = n->height;
	}
	n->parent = n->left = n->right = NULL;
	t->count--;
	rebalance(t, fix);
}

struct map_node *maptree_lookup(const struct map_tree *t, uint64_t addr)
{
	struct map_node *n = t->root;

	while (n) {
		if (addr < n->start)
			n = n->left;
		else if (addr >= n->end)
			n = n->right;
		else
			return n;
	}
	return NULL;
}

struct map_node *maptree_first_overlap(const struct map_tree *t, uint64_t start, uint64_t end)
{
	struct map_node *n = t->root;
	struct map_node *best = NULL;

	/* The first mapping ending above start; it meets the range unless
	 * it starts at or after end. */
	while (n) {
		if (n->end > start) {
			best = n;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best && best->start < end && start < end ? best : NULL;
}

int maptree_split(struct map_tree *t, struct map_node *n, uint64_t at, struct map_node *new_node)
{
	struct map_node *parent;

	if (at <= n->start || at >= n->end || !page_aligned(at))
		return MAPTREE_EINVAL;
	new_node->start = at;
	new_node->end = n->end;
	new_node->obj = n->obj;
	new_node->rights = n->rights;
	new_node->first_page = n->first_page + ((at - n->start) >> MAPTREE_PAGE_SHIFT);
	n->end = at;

	/* new_node becomes n's in-order successor: n's right child if it has
	 * none, else the left child of the leftmost node on n's right. */
	if (!n->right) {
		parent = n;
		n->right = new_node;
	} else {
		parent = n->right;
		while (parent->left)
			parent = parent->left;
		parent->left = new_node;
	}
	link_leaf(new_node, parent);
	t->count++;
	rebalance(t, parent);
	return MAPTREE_OK;
}

bool maptree_can_merge(const struct map_node *a, const struct map_node *b)
{
	return a != b && a->end == b->start && a->obj == b->obj && a->rights == b->rights &&
	       a->first_page + ((a->end - a->start) >> MAPTREE_PAGE_SHIFT) == b->first_page;
}

struct map_node *maptree_merge(struct map_tree *t, struct map_node *a, struct map_node *b)
{
	if (!maptree_can_merge(a, b))
		return NULL;
	maptree_remove(t, b);
	a->end = b->end;
	return b;
}

struct map_node *maptree_first(const struct map_tree *t)
{
	struct map_node *n = t->root;

	while (n && n->left)
		n = n->left;
	return n;
}

struct map_node *maptree_last(const struct map_tree *t)
{
	struct map_node *n = t->root;

	while (n && n->right)
		n = n->right;
	return n;
}

struct map_node *maptree_next(const struct map_node *n)
{
	if (n->right) {
		n = n->right;
		while (n->left)
			n = n->left;
		return (struct map_node *)n;
	}
	while (n->parent && n->parent->right == n)
		n = n->parent;
	return n->parent;
}

struct map_node *maptree_prev(const struct map_node *n)
{
	if (n->left) {
		n = n->left;
		while (n->right)
			n = n->right;
		return (struct map_node *)n;
	}
	while (n->parent && n->parent->left == n)
		n = n->parent;
	return n->parent;
}
