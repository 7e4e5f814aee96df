/*
 * An intrusive binary min-heap of timers (kernel/timerq.h). The shape is
 * that of an array heap of q->count nodes; a position's binary digits
 * below the leading 1, from the top, say left (0) or right (1) on the way
 * from the root, so the last node and the next free place are one descent
 * each. Sifting swaps a node with its parent by relinking both.
 */
#include "kernel/timerq.h"

#include <stddef.h>

void timerq_init(struct timerq *q)
{
	q->root = NULL;
	q->count = 0;
}

/* The link that holds (or would hold) the node at position pos >= 1, and
 * the node above it. */
static struct timerq_node **link_at(struct timerq *q, uint64_t pos, struct timerq_node **parent)
{
	struct timerq_node **link = &q->root;
	int bit = 63 - __builtin_clzll(pos);

	*parent = NULL;
	while (--bit >= 0) {
		*parent = *link;
		link = (pos >> bit) & 1 ? &(*link)->right : &(*link)->left;
	}
	return link;
}

/* The link pointing at n. */
static struct timerq_node **link_of(struct timerq *q, struct timerq_node *n)
{
	if (!n->parent)
		return &q->root;
	return n->parent->left == n ? &n->parent->left : &n->parent->right;
}

/* Exchange c and its parent p in the tree. */
static void swap_with_parent(struct timerq *q, struct timerq_node *p, struct timerq_node *c)
{
	struct timerq_node **plink = link_of(q, p);
	struct timerq_node *cl = c->left, *cr = c->right;

	*plink = c;
	c->parent = p->parent;
	if (p->left == c) {
		c->left = p;
		c->right = p->right;
	} else {
		c->right = p;
		c->left = p->left;
	}
	p->parent = c;
	p->left = cl;
	p->right = cr;
	if (c->left)
		c->left->parent = c;
	if (c->right)
		c->right->parent = c;
	if (p->left)
		p->left->parent = p;
	if (p->right)
		p->right->parent = p;
}

static void sift_up(struct timerq *q, struct timerq_node *n)
{
	while (n->parent && n->deadline < n->parent->deadline)
		swap_with_parent(q, n->parent, n);
}

static void sift_down(struct timerq *q, struct timerq_node *n)
{
	for (;;) {
		struct timerq_node *m = n->left;
		if (!m)
			return;
		if (n->right && n->right->deadline < m->deadline)
			m = n->right;
		if (m->deadline >= n->deadline)
			return;
		swap_with_parent(q, n, m);
	}
}

void timerq_insert(struct timerq *q, struct timerq_node *n)
{
	struct timerq_node *parent;
	struct timerq_node **link = link_at(q, q->count + 1, &parent);

	n->left = n->right = NULL;
	n->parent = parent;
	n->queued = true;
	*link = n;
	q->count++;
	sift_up(q, n);
}

void timerq_remove(struct timerq *q, struct timerq_node *n)
{
	struct timerq_node *parent;
	struct timerq_node **last_link = link_at(q, q->count, &parent);
	struct timerq_node *last = *last_link;

	*last_link = NULL; /* detach the last node */
	q->count--;
	n->queued = false;
	if (last == n)
		return;
	/* The last node takes n's place, then moves up or down. */
	*link_of(q, n) = last;
	last->parent = n->parent;
	last->left = n->left;
	last->right = n->right;
	if (last->left)
		last->left->parent = last;
	if (last->right)
		last->right->parent = last;
	if (last->parent && last->deadline < last->parent->deadline)
		sift_up(q, last);
	else
		sift_down(q, last);
}

struct timerq_node *timerq_pop_expired(struct timerq *q, uint64_t now)
{
	struct timerq_node *n = q->root;

	if (!n || n->deadline > now)
		return NULL;
	timerq_remove(q, n);
	return n;
}
