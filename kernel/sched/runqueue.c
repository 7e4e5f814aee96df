/*
 * Ready queues: see kernel/runqueue.h for the contract.
 *
 * Entry points: rq_init(), rq_enqueue_tail(), rq_enqueue_head(),
 * rq_remove(), rq_peek_highest(), rq_highest_prio(), rq_empty().
 *
 * Each priority is a NULL-terminated doubly linked list with head and
 * tail pointers. The bitmap bit of a priority is set exactly while its
 * list is non-empty, and a summary bit exactly while its bitmap word is
 * non-zero, so the highest priority is two count-leading-zeros away.
 */
#include <kernel/runqueue.h>

static void rq_mark(struct runqueue *rq, unsigned prio)
{
	unsigned w = prio / 64;

	rq->bitmap[w] |= (uint64_t)1 << (prio % 64);
	rq->summary |= (uint64_t)1 << w;
}

static void rq_unmark(struct runqueue *rq, unsigned prio)
{
	unsigned w = prio / 64;

	rq->bitmap[w] &= ~((uint64_t)1 << (prio % 64));
	if (rq->bitmap[w] == 0)
		rq->summary &= ~((uint64_t)1 << w);
}

void rq_init(struct runqueue *rq)
{
	__builtin_memset(rq, 0, sizeof(*rq));
}

void rq_enqueue_tail(struct runqueue *rq, struct rq_node *n, uint8_t prio)
{
	struct rq_node *tail = rq->tail[prio];

	n->prio = prio;
	n->queued = true;
	n->next = NULL;
	n->prev = tail;
	if (tail != NULL) {
		tail->next = n;
	} else {
		rq->head[prio] = n;
		rq_mark(rq, prio);
	}
	rq->tail[prio] = n;
}

void rq_enqueue_head(struct runqueue *rq, struct rq_node *n, uint8_t prio)
{
	struct rq_node *head = rq->head[prio];

	n->prio = prio;
	n->queued = true;
	n->prev = NULL;
	n->next = head;
	if (head != NULL) {
		head->prev = n;
	} else {
		rq->tail[prio] = n;
		rq_mark(rq, prio);
	}
	rq->head[prio] = n;
}

void rq_remove(struct runqueue *rq, struct rq_node *n)
{
	uint8_t prio = n->prio;

	if (!n->queued)
		return;
	if (n->prev != NULL)
		n->prev->next = n->next;
	else
		rq->head[prio] = n->next;
	if (n->next != NULL)
		n->next->prev = n->prev;
	else
		rq->tail[prio] = n->prev;
	if (rq->head[prio] == NULL)
		rq_unmark(rq, prio);
	n->next = NULL;
	n->prev = NULL;
	n->queued = false;
}

struct rq_node *rq_peek_highest(const struct runqueue *rq)
{
	int prio = rq_highest_prio(rq);

	return prio < 0 ? NULL : rq->head[prio];
}

bool rq_empty(const struct runqueue *rq)
{
	return rq->summary == 0;
}
