/*
 * The scheduler's ready queues: one FIFO per priority and a two-level
 * bitmap, so enqueue, remove and "highest ready" are all O(1).
 *
 * 256 priorities, 0 lowest and 255 highest. bitmap[w] bit b is set when
 * priority w * 64 + b has a queued node; summary bit w is set when
 * bitmap[w] is not zero. Nodes are intrusive (embedded in the TCB), so the
 * queues never allocate.
 *
 * Pure logic (host-tested in test/unit/sched); callers provide locking.
 */
#ifndef KERNEL_RUNQUEUE_H
#define KERNEL_RUNQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RQ_PRIORITIES 256
#define RQ_WORDS (RQ_PRIORITIES / 64)

struct rq_node {
	struct rq_node *next, *prev;
	uint8_t prio; /* valid while queued */
	bool queued;
};

struct runqueue {
	uint64_t summary; /* bit w: bitmap[w] != 0 */
	uint64_t bitmap[RQ_WORDS];
	struct rq_node *head[RQ_PRIORITIES], *tail[RQ_PRIORITIES];
};

void rq_init(struct runqueue *rq);

/* Queue a node that is not queued (a node starts out zeroed or removed). */
void rq_enqueue_tail(struct runqueue *rq, struct rq_node *n, uint8_t prio);
void rq_enqueue_head(struct runqueue *rq, struct rq_node *n, uint8_t prio);

/* Take a node off its queue; no-op when it is not queued. */
void rq_remove(struct runqueue *rq, struct rq_node *n);

/* The first node of the highest non-empty priority, or NULL. */
struct rq_node *rq_peek_highest(const struct runqueue *rq);
/* The highest non-empty priority, or -1. */
/* Inline: the IPC fast path asks this on every call. */
static inline int rq_highest_prio(const struct runqueue *rq)
{
	unsigned w;

	if (rq->summary == 0)
		return -1;
	w = 63 - (unsigned)__builtin_clzll(rq->summary);
	return (int)(w * 64 + 63 - (unsigned)__builtin_clzll(rq->bitmap[w]));
}
bool rq_empty(const struct runqueue *rq);

#endif
