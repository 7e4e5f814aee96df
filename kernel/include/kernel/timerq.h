/*
 * The queue of armed timers: an intrusive binary min-heap ordered by
 * deadline, kept as a tree of nodes linked by pointers (the node at
 * position i of an array heap has children 2i and 2i+1; the position's
 * bits, read from the top, are the path from the root). Insert, remove
 * and pop are O(log n) in the worst case, however many timers exist, so
 * arming, cancelling and destroying a timer is bounded work with no
 * allocation; the earliest deadline is one load.
 *
 * Pure: nodes belong to the caller (embedded in its objects), the queue
 * never allocates, locks or recurses. Entry points: timerq_init,
 * timerq_insert, timerq_remove, timerq_min, timerq_pop.
 */
#ifndef KERNEL_TIMERQ_H
#define KERNEL_TIMERQ_H

#include <stdbool.h>
#include <stdint.h>

struct timerq_node {
	struct timerq_node *parent, *left, *right;
	uint64_t deadline;
	bool queued;
};

struct timerq {
	struct timerq_node *root;
	uint64_t count;
};

void timerq_init(struct timerq *q);
/* Queue n (not queued) at n->deadline, set by the caller. */
void timerq_insert(struct timerq *q, struct timerq_node *n);
/* Take n (queued) out of the queue. */
void timerq_remove(struct timerq *q, struct timerq_node *n);
/* The node with the earliest deadline, or NULL when the queue is empty. */
static inline struct timerq_node *timerq_min(const struct timerq *q)
{
	return q->root;
}
/* Remove and return the earliest node if its deadline is at or before
 * `now`, else NULL. */
struct timerq_node *timerq_pop_expired(struct timerq *q, uint64_t now);

#endif
