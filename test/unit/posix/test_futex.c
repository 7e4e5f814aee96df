/*
 * libposix's futex queue (libposix/futex_queue.c), the code futex(2)
 * runs: FIFO wake order, bitsets, Linux's "nr <= 0 wakes one", requeue's
 * wake-then-move count and order, FUTEX_WAKE_OP's operations and
 * comparisons (sign extension, the shift form), and the timeouts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "futex_queue.h"
#include "posix/errno.h"
#include "posix/futex.h"

#define A 0x1000
#define B 0x2000

static struct futex_queue q;
static struct futex_waiter w[8];

static void setup_waiters(unsigned n, uint64_t addr)
{
	q.head = NULL;
	for (unsigned i = 0; i < n; i++)
		futex_q_add(&q, &w[i], addr, FUTEX_BITSET_MATCH_ANY, i);
}

static void wake_fifo(void **state)
{
	uint32_t ids[8];
	(void)state;

	setup_waiters(4, A);
	assert_int_equal(futex_q_wake(&q, B, ~0u, 10, ids), 0);
	assert_int_equal(futex_q_wake(&q, A, ~0u, 2, ids), 2);
	assert_int_equal(ids[0], 0);
	assert_int_equal(ids[1], 1);
	assert_false(w[0].queued);
	assert_true(w[2].queued);
	assert_int_equal(futex_q_wake(&q, A, ~0u, 10, ids), 2);
	assert_int_equal(ids[0], 2);
	assert_int_equal(ids[1], 3);
	assert_null(q.head);
}

static void wake_zero_wakes_one(void **state)
{
	uint32_t ids[8];
	(void)state;

	setup_waiters(3, A);
	assert_int_equal(futex_q_wake(&q, A, ~0u, 0, ids), 1);
	assert_int_equal(futex_q_wake(&q, A, ~0u, -5, ids), 1);
	assert_int_equal(futex_q_wake(&q, A, ~0u, 0x7fffffff, ids), 1);
}

static void wake_bitset(void **state)
{
	uint32_t ids[8];
	(void)state;

	q.head = NULL;
	futex_q_add(&q, &w[0], A, 1, 0);
	futex_q_add(&q, &w[1], A, 2, 1);
	futex_q_add(&q, &w[2], A, 3, 2);
	assert_int_equal(futex_q_wake(&q, A, 4, 10, ids), 0);
	assert_int_equal(futex_q_wake(&q, A, 2, 10, ids), 2);
	assert_int_equal(ids[0], 1);
	assert_int_equal(ids[1], 2);
	assert_true(w[0].queued);
}

static void remove_after_wake(void **state)
{
	uint32_t ids[8];
	(void)state;

	setup_waiters(2, A);
	assert_true(futex_q_remove(&q, &w[1]));
	assert_false(futex_q_remove(&q, &w[1]));
	assert_int_equal(futex_q_wake(&q, A, ~0u, 5, ids), 1);
	assert_false(futex_q_remove(&q, &w[0])); /* a waker took it: success */
	assert_false(futex_q_has(&q, A));
}

static void requeue(void **state)
{
	uint32_t ids[8];
	int woken;
	(void)state;

	q.head = NULL;
	futex_q_add(&q, &w[6], B, ~0u, 6); /* already waiting on B */
	for (unsigned i = 0; i < 5; i++)
		futex_q_add(&q, &w[i], A, ~0u, i);
	/* Wake 1, move 2, leave 2: Linux returns woken + moved. */
	assert_int_equal(futex_q_requeue(&q, A, B, 1, 2, ids, &woken), 3);
	assert_int_equal(woken, 1);
	assert_int_equal(ids[0], 0);
	/* B's order: its own waiter first, then the moved ones in order. */
	assert_int_equal(futex_q_wake(&q, B, ~0u, 10, ids), 3);
	assert_int_equal(ids[0], 6);
	assert_int_equal(ids[1], 1);
	assert_int_equal(ids[2], 2);
	assert_int_equal(futex_q_wake(&q, A, ~0u, 10, ids), 2);
	/* Nothing to wake or move: nothing happens. */
	setup_waiters(2, A);
	assert_int_equal(futex_q_requeue(&q, A, B, 0, 0, ids, &woken), 0);
	assert_int_equal(futex_q_requeue(&q, A, B, 0, 5, ids, &woken), 2);
	assert_int_equal(woken, 0);
	assert_false(futex_q_has(&q, A));
	assert_true(futex_q_has(&q, B));
}

static void wake_op(void **state)
{
	uint32_t v;
	bool fixed;
	(void)state;

#define ENC(op, oparg, cmp, cmparg)                                 \
	(((uint32_t)(op)&0xf) << 28 | ((uint32_t)(cmp)&0xf) << 24 | \
	 ((uint32_t)(oparg)&0xfff) << 12 | ((uint32_t)(cmparg)&0xfff))
	assert_int_equal(futex_op_apply(ENC(FUTEX_OP_SET, 5, 0, 0), 9, &v, &fixed), 0);
	assert_int_equal(v, 5);
	assert_int_equal(futex_op_apply(ENC(FUTEX_OP_ADD, -1, 0, 0), 9, &v, &fixed), 0);
	assert_int_equal(v, 8);
	assert_int_equal(futex_op_apply(ENC(FUTEX_OP_OR, 6, 0, 0), 9, &v, &fixed), 0);
	assert_int_equal(v, 15);
	assert_int_equal(futex_op_apply(ENC(FUTEX_OP_ANDN, 1, 0, 0), 9, &v, &fixed), 0);
	assert_int_equal(v, 8);
	assert_int_equal(futex_op_apply(ENC(FUTEX_OP_XOR, 3, 0, 0), 9, &v, &fixed), 0);
	assert_int_equal(v, 10);
	assert_int_equal(
		futex_op_apply(ENC(FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT, 31, 0, 0), 0, &v, &fixed),
		0);
	assert_int_equal(v, 0x80000000u);
	assert_false(fixed);
	assert_int_equal(
		futex_op_apply(ENC(FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT, 33, 0, 0), 0, &v, &fixed),
		0);
	assert_int_equal(v, 2); /* masked to 1, and said */
	assert_true(fixed);
	assert_int_equal(futex_op_apply(ENC(5, 0, 0, 0), 0, &v, &fixed), -ENOSYS);
	assert_int_equal(futex_op_apply(ENC(7, 0, 0, 0), 0, &v, &fixed), -ENOSYS);

	assert_int_equal(futex_op_cmp(ENC(0, 0, FUTEX_OP_CMP_EQ, 3), 3), 1);
	assert_int_equal(futex_op_cmp(ENC(0, 0, FUTEX_OP_CMP_NE, 3), 3), 0);
	/* Signed: -1 < 0, and cmparg's 12 bits are sign-extended. */
	assert_int_equal(futex_op_cmp(ENC(0, 0, FUTEX_OP_CMP_LT, 0), 0xffffffffu), 1);
	assert_int_equal(futex_op_cmp(ENC(0, 0, FUTEX_OP_CMP_EQ, -1), 0xffffffffu), 1);
	assert_int_equal(futex_op_cmp(ENC(0, 0, FUTEX_OP_CMP_LE, 2), 2), 1);
	assert_int_equal(futex_op_cmp(ENC(0, 0, FUTEX_OP_CMP_GT, 2), 2), 0);
	assert_int_equal(futex_op_cmp(ENC(0, 0, FUTEX_OP_CMP_GE, 2), 2), 1);
	assert_int_equal(futex_op_cmp(ENC(0, 0, 6, 2), 2), -ENOSYS);
	assert_int_equal(futex_op_cmp(ENC(0, 0, 15, 2), 2), -ENOSYS);
}

static void deadlines(void **state)
{
	uint64_t d;
	struct posix_timespec ts = { 1, 5 };
	(void)state;

	assert_int_equal(futex_deadline(FUTEX_WAIT, false, &ts, 1000, 0, &d), 0);
	assert_int_equal(d, 1000 + 1000000005ull);
	assert_int_equal(futex_deadline(FUTEX_WAIT_BITSET, false, &ts, 1000, 0, &d), 0);
	assert_int_equal(d, 1000000005ull);
	assert_int_equal(futex_deadline(FUTEX_WAIT_BITSET, true, &ts, 1000, 5, &d), 0);
	assert_int_equal(d, 1000000000ull);
	assert_int_equal(futex_deadline(FUTEX_WAIT_BITSET, true, &ts, 1000, 2000000000ull, &d), 0);
	assert_int_equal(d, 1); /* already past: never "no deadline" */
	struct posix_timespec zero = { 0, 0 };
	assert_int_equal(futex_deadline(FUTEX_WAIT_BITSET, false, &zero, 10, 0, &d), 0);
	assert_int_equal(d, 1);
	struct posix_timespec huge = { INT64_MAX, 0 };
	assert_int_equal(futex_deadline(FUTEX_WAIT, false, &huge, 1000, 0, &d), 0);
	assert_int_equal(d, (uint64_t)INT64_MAX);
	struct posix_timespec bad1 = { -1, 0 }, bad2 = { 0, 1000000000 }, bad3 = { 0, -1 };
	assert_int_equal(futex_deadline(FUTEX_WAIT, false, &bad1, 0, 0, &d), -EINVAL);
	assert_int_equal(futex_deadline(FUTEX_WAIT, false, &bad2, 0, 0, &d), -EINVAL);
	assert_int_equal(futex_deadline(FUTEX_WAIT_BITSET, false, &bad3, 0, 0, &d), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wake_fifo),   cmocka_unit_test(wake_zero_wakes_one),
		cmocka_unit_test(wake_bitset), cmocka_unit_test(remove_after_wake),
		cmocka_unit_test(requeue),     cmocka_unit_test(wake_op),
		cmocka_unit_test(deadlines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
