/*
 * Host tests of the scheduler's ready queues (kernel/sched/runqueue.c).
 *
 * check_rq() compares every list and every bitmap bit with a simple
 * reference model (an array per priority); the randomised test drives
 * both with the same fixed-seed operations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_prng.h"

#include <kernel/runqueue.h>

#define NODES 512

struct model {
	unsigned len[RQ_PRIORITIES];
	unsigned ids[RQ_PRIORITIES][NODES];
};

struct fixture {
	struct runqueue rq;
	struct rq_node nodes[NODES];
	struct model m;
};

static struct fixture *fixture_new(void)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	memset(&f->rq, 0xa5, sizeof(f->rq)); /* rq_init must not rely on zeroed memory */
	rq_init(&f->rq);
	return f;
}

static unsigned node_id(struct fixture *f, const struct rq_node *n)
{
	assert_true(n >= f->nodes && n < f->nodes + NODES);
	return (unsigned)(n - f->nodes);
}

static int model_highest(const struct model *m)
{
	for (int p = RQ_PRIORITIES - 1; p >= 0; p--)
		if (m->len[p] != 0)
			return p;
	return -1;
}

static void check_rq(struct fixture *f)
{
	const struct runqueue *rq = &f->rq;
	int top = model_highest(&f->m);
	unsigned queued = 0;

	for (unsigned p = 0; p < RQ_PRIORITIES; p++) {
		const struct rq_node *prev = NULL, *n = rq->head[p];
		bool bit = (rq->bitmap[p / 64] >> (p % 64)) & 1;

		assert_int_equal(bit, f->m.len[p] != 0);
		for (unsigned i = 0; i < f->m.len[p]; i++) {
			assert_non_null(n);
			assert_int_equal(node_id(f, n), f->m.ids[p][i]);
			assert_ptr_equal(n->prev, prev);
			assert_true(n->queued);
			assert_int_equal(n->prio, p);
			prev = n;
			n = n->next;
		}
		assert_null(n);
		assert_ptr_equal(rq->tail[p], prev);
		queued += f->m.len[p];
	}
	for (unsigned w = 0; w < RQ_WORDS; w++)
		assert_int_equal((rq->summary >> w) & 1, rq->bitmap[w] != 0);
	assert_int_equal(rq->summary >> RQ_WORDS, 0);
	for (unsigned i = 0; i < NODES; i++)
		if (f->nodes[i].queued)
			queued--;
	assert_int_equal(queued, 0);
	assert_int_equal(rq_highest_prio(rq), top);
	assert_int_equal(rq_empty(rq), top < 0);
	if (top < 0)
		assert_null(rq_peek_highest(rq));
	else
		assert_ptr_equal(rq_peek_highest(rq), &f->nodes[f->m.ids[top][0]]);
}

static void model_push(struct model *m, unsigned prio, unsigned id, bool at_head)
{
	if (at_head) {
		memmove(&m->ids[prio][1], &m->ids[prio][0], m->len[prio] * sizeof(unsigned));
		m->ids[prio][0] = id;
	} else {
		m->ids[prio][m->len[prio]] = id;
	}
	m->len[prio]++;
}

static void model_remove(struct model *m, unsigned prio, unsigned id)
{
	for (unsigned i = 0; i < m->len[prio]; i++) {
		if (m->ids[prio][i] == id) {
			memmove(&m->ids[prio][i], &m->ids[prio][i + 1],
				(m->len[prio] - i - 1) * sizeof(unsigned));
			m->len[prio]--;
			return;
		}
	}
	fail_msg("node %u not in model level %u", id, prio);
}

static void enqueue(struct fixture *f, unsigned id, uint8_t prio, bool at_head)
{
	if (at_head)
		rq_enqueue_head(&f->rq, &f->nodes[id], prio);
	else
		rq_enqueue_tail(&f->rq, &f->nodes[id], prio);
	model_push(&f->m, prio, id, at_head);
}

static void dequeue(struct fixture *f, unsigned id)
{
	if (f->nodes[id].queued)
		model_remove(&f->m, f->nodes[id].prio, id);
	rq_remove(&f->rq, &f->nodes[id]);
}

static void test_empty(void **state)
{
	struct fixture *f = fixture_new();

	(void)state;
	assert_true(rq_empty(&f->rq));
	assert_int_equal(rq_highest_prio(&f->rq), -1);
	assert_null(rq_peek_highest(&f->rq));
	/* Removing a node that is not queued is a no-op. */
	rq_remove(&f->rq, &f->nodes[0]);
	check_rq(f);
	free(f);
}

static void test_fifo_within_priority(void **state)
{
	struct fixture *f = fixture_new();

	(void)state;
	for (unsigned i = 0; i < 5; i++)
		enqueue(f, i, 7, false);
	check_rq(f);
	for (unsigned i = 0; i < 5; i++) {
		struct rq_node *n = rq_peek_highest(&f->rq);

		assert_ptr_equal(n, &f->nodes[i]);
		dequeue(f, i);
		assert_false(f->nodes[i].queued);
		assert_null(f->nodes[i].next);
		assert_null(f->nodes[i].prev);
		check_rq(f);
	}
	assert_true(rq_empty(&f->rq));
	/* Head insertion goes in front; a re-queued node goes to the back. */
	enqueue(f, 0, 7, false);
	enqueue(f, 1, 7, false);
	enqueue(f, 2, 7, true);
	assert_ptr_equal(rq_peek_highest(&f->rq), &f->nodes[2]);
	dequeue(f, 2);
	enqueue(f, 2, 7, false);
	assert_ptr_equal(rq_peek_highest(&f->rq), &f->nodes[0]);
	assert_ptr_equal(f->rq.tail[7], &f->nodes[2]);
	check_rq(f);
	/* Removing from the middle keeps the order of the rest. */
	dequeue(f, 1);
	check_rq(f);
	free(f);
}

static void test_highest_first(void **state)
{
	struct fixture *f = fixture_new();

	(void)state;
	enqueue(f, 0, 10, false);
	enqueue(f, 1, 200, false);
	enqueue(f, 2, 63, false);
	enqueue(f, 3, 64, false);
	enqueue(f, 4, 0, false);
	check_rq(f);
	assert_int_equal(rq_highest_prio(&f->rq), 200);
	dequeue(f, 1);
	assert_int_equal(rq_highest_prio(&f->rq), 64);
	dequeue(f, 3);
	assert_int_equal(rq_highest_prio(&f->rq), 63);
	assert_int_equal(f->rq.bitmap[1], 0);
	assert_int_equal(f->rq.summary, 1);
	dequeue(f, 2);
	assert_int_equal(rq_highest_prio(&f->rq), 10);
	dequeue(f, 0);
	assert_int_equal(rq_highest_prio(&f->rq), 0);
	assert_ptr_equal(rq_peek_highest(&f->rq), &f->nodes[4]);
	dequeue(f, 4);
	assert_true(rq_empty(&f->rq));
	assert_int_equal(f->rq.summary, 0);
	for (unsigned w = 0; w < RQ_WORDS; w++)
		assert_int_equal(f->rq.bitmap[w], 0);
	check_rq(f);
	free(f);
}

/* The bit of a level clears only when its last node leaves. */
static void test_bitmap_cleared_when_level_empties(void **state)
{
	struct fixture *f = fixture_new();

	(void)state;
	enqueue(f, 0, 130, false);
	enqueue(f, 1, 130, false);
	enqueue(f, 2, 131, false);
	dequeue(f, 0);
	assert_true(f->rq.bitmap[2] & (1ull << 2));
	dequeue(f, 1);
	assert_false(f->rq.bitmap[2] & (1ull << 2));
	assert_true(f->rq.summary & (1ull << 2));
	dequeue(f, 2);
	assert_int_equal(f->rq.summary, 0);
	check_rq(f);
	free(f);
}

static void test_all_levels(void **state)
{
	struct fixture *f = fixture_new();

	(void)state;
	for (unsigned p = 0; p < RQ_PRIORITIES; p++) {
		enqueue(f, p, (uint8_t)p, false);
		enqueue(f, 256 + p, (uint8_t)p, true);
		assert_int_equal(rq_highest_prio(&f->rq), (int)p);
	}
	check_rq(f);
	for (unsigned w = 0; w < RQ_WORDS; w++)
		assert_int_equal(f->rq.bitmap[w], ~0ull);
	for (int p = RQ_PRIORITIES - 1; p >= 0; p--) {
		assert_int_equal(rq_highest_prio(&f->rq), p);
		assert_ptr_equal(rq_peek_highest(&f->rq), &f->nodes[256 + p]);
		dequeue(f, 256 + (unsigned)p);
		assert_ptr_equal(rq_peek_highest(&f->rq), &f->nodes[p]);
		dequeue(f, (unsigned)p);
	}
	assert_true(rq_empty(&f->rq));
	check_rq(f);
	/* Each level alone. */
	for (unsigned p = 0; p < RQ_PRIORITIES; p++) {
		enqueue(f, 0, (uint8_t)p, false);
		assert_int_equal(rq_highest_prio(&f->rq), (int)p);
		assert_int_equal(f->rq.summary, 1ull << (p / 64));
		assert_int_equal(f->rq.bitmap[p / 64], 1ull << (p % 64));
		dequeue(f, 0);
		assert_true(rq_empty(&f->rq));
	}
	free(f);
}

static void test_random_against_model(void **state)
{
	struct fixture *f = fixture_new();
	struct prng r = { 0x7e57 };

	(void)state;
	for (unsigned step = 0; step < 20000; step++) {
		unsigned id = (unsigned)prng_below(&r, NODES);
		unsigned op = (unsigned)prng_below(&r, 10);
		/* Few priorities at a time, so levels fill and empty often. */
		uint8_t prio =
			(uint8_t)(prng_below(&r, 2) ? prng_below(&r, 256) : 60 + prng_below(&r, 8));

		if (op < 4) {
			if (!f->nodes[id].queued)
				enqueue(f, id, prio, op == 0);
		} else if (op < 7) {
			dequeue(f, id); /* also exercises removing an unqueued node */
		} else {
			/* Run the highest: take it off and, sometimes, requeue it. */
			struct rq_node *n = rq_peek_highest(&f->rq);

			if (n != NULL) {
				unsigned nid = node_id(f, n);
				uint8_t p = n->prio;

				dequeue(f, nid);
				if (op == 9)
					enqueue(f, nid, p, false);
			}
		}
		check_rq(f);
	}
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_fifo_within_priority),
		cmocka_unit_test(test_highest_first),
		cmocka_unit_test(test_bitmap_cleared_when_level_empties),
		cmocka_unit_test(test_all_levels),
		cmocka_unit_test(test_random_against_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
