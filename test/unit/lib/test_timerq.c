/*
 * The timer queue: pops come out in deadline order; removing any node
 * (root, leaf, inner, the last one) keeps the heap; a long random run of
 * inserts, removes and pops is checked against a model after every step
 * (the heap property and every link checked both ways), and the depth
 * stays that of a complete tree (bounded work).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "test_prng.h"

#include <kernel/timerq.h>

#define N 1000

static struct timerq_node nodes[N];

/* Walk the tree: links consistent, heap order, count and depth. */
static uint64_t check_subtree(const struct timerq_node *n, const struct timerq_node *parent,
			      unsigned depth, unsigned *max_depth)
{
	if (!n)
		return 0;
	assert_ptr_equal(n->parent, parent);
	assert_true(n->queued);
	if (parent)
		assert_true(parent->deadline <= n->deadline);
	if (depth > *max_depth)
		*max_depth = depth;
	return 1 + check_subtree(n->left, n, depth + 1, max_depth) +
	       check_subtree(n->right, n, depth + 1, max_depth);
}

static void check(const struct timerq *q)
{
	unsigned depth = 0;

	assert_int_equal(check_subtree(q->root, NULL, 1, &depth), q->count);
	unsigned want = 0;
	for (uint64_t c = q->count; c; c >>= 1)
		want++;
	assert_int_equal(depth, want); /* a complete tree */
}

static void pops_in_order(void **state)
{
	(void)state;
	struct timerq q;
	struct prng r = { 1 };

	timerq_init(&q);
	for (int i = 0; i < N; i++) {
		nodes[i].deadline = prng_below(&r, 500);
		timerq_insert(&q, &nodes[i]);
	}
	check(&q);
	uint64_t last = 0;
	for (int i = 0; i < N; i++) {
		struct timerq_node *n = timerq_pop_expired(&q, ~0ull);
		assert_non_null(n);
		assert_false(n->queued);
		assert_true(n->deadline >= last);
		last = n->deadline;
	}
	assert_null(timerq_pop_expired(&q, ~0ull));
	assert_null(timerq_min(&q));
}

static void pop_respects_now(void **state)
{
	(void)state;
	struct timerq q;

	timerq_init(&q);
	nodes[0].deadline = 100;
	nodes[1].deadline = 50;
	timerq_insert(&q, &nodes[0]);
	timerq_insert(&q, &nodes[1]);
	assert_null(timerq_pop_expired(&q, 49));
	assert_ptr_equal(timerq_pop_expired(&q, 50), &nodes[1]);
	assert_null(timerq_pop_expired(&q, 99));
	assert_ptr_equal(timerq_pop_expired(&q, 100), &nodes[0]);
}

static void remove_each_position(void **state)
{
	(void)state;

	for (int victim = 0; victim < 40; victim++) {
		struct timerq q;
		timerq_init(&q);
		for (int i = 0; i < 40; i++) {
			nodes[i].deadline = (uint64_t)((i * 17) % 40);
			timerq_insert(&q, &nodes[i]);
		}
		timerq_remove(&q, &nodes[victim]);
		assert_false(nodes[victim].queued);
		check(&q);
		uint64_t last = 0;
		for (int i = 0; i < 39; i++) {
			struct timerq_node *n = timerq_pop_expired(&q, ~0ull);
			assert_ptr_not_equal(n, &nodes[victim]);
			assert_true(n->deadline >= last);
			last = n->deadline;
			check(&q);
		}
		assert_int_equal(q.count, 0);
	}
}

static void random_against_model(void **state)
{
	(void)state;
	struct timerq q;
	struct prng r = { 42 };

	memset(nodes, 0, sizeof(nodes));
	timerq_init(&q);
	for (int step = 0; step < 20000; step++) {
		int i = (int)prng_below(&r, N);
		uint64_t op = prng_below(&r, 3);
		if (op == 0 && !nodes[i].queued) {
			nodes[i].deadline = prng_below(&r, 10000);
			timerq_insert(&q, &nodes[i]);
		} else if (op == 1 && nodes[i].queued) {
			timerq_remove(&q, &nodes[i]);
		} else if (op == 2 && q.count) {
			/* The minimum is the model's minimum. */
			uint64_t min = ~0ull;
			for (int j = 0; j < N; j++)
				if (nodes[j].queued && nodes[j].deadline < min)
					min = nodes[j].deadline;
			struct timerq_node *n = timerq_pop_expired(&q, min);
			assert_non_null(n);
			assert_int_equal(n->deadline, min);
		}
		if (step % 97 == 0)
			check(&q);
	}
	check(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pops_in_order),
		cmocka_unit_test(pop_respects_now),
		cmocka_unit_test(remove_each_position),
		cmocka_unit_test(random_against_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
