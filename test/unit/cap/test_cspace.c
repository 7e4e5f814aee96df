/*
 * Host tests of CSpace lookup (kernel/cap/cspace.c).
 *
 * CSpaces here are built by hand: CNodes are calloc'ed with cnode_size()
 * and linked by placing CNode caps in their slots. Pointers are written
 * out bit field by bit field, top of the pointer first, to mirror how
 * resolution consumes them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <kernel/cap.h>

static struct cnode *cnode_new(unsigned radix)
{
	struct cnode *cn = calloc(1, cnode_size(radix));

	assert_non_null(cn);
	cn->hdr.type = TERN_CAP_CNODE;
	cn->radix = radix;
	return cn;
}

static struct cap cnode_cap(struct cnode *cn, unsigned guard_bits, uint64_t guard)
{
	struct cap c = { 0 };

	c.type = TERN_CAP_CNODE;
	c.rights = TERN_RIGHTS_ALL;
	c.guard_bits = (uint8_t)guard_bits;
	c.badge = guard;
	c.obj = cn;
	return c;
}

static struct cap endpoint_cap(void *obj)
{
	struct cap c = { 0 };

	c.type = TERN_CAP_ENDPOINT;
	c.rights = TERN_RIGHTS_ALL;
	c.obj = obj;
	return c;
}

static int dummy_object;

/* The usual root: 4096 slots behind a 52-bit zero guard. */
static void test_single_level_root(void **state)
{
	struct cnode *cn = cnode_new(12);
	struct cap root = cnode_cap(cn, 52, 0);
	struct cte *slot = NULL;

	(void)state;
	cn->slots[5].cap = endpoint_cap(&dummy_object);
	assert_int_equal(cspace_lookup_cap(&root, 5, &slot), TERN_EOK);
	assert_ptr_equal(slot, &cn->slots[5]);
	assert_int_equal(cspace_lookup_cap(&root, 0, &slot), TERN_EOK);
	assert_ptr_equal(slot, &cn->slots[0]);
	assert_int_equal(cspace_lookup_cap(&root, 4095, &slot), TERN_EOK);
	assert_ptr_equal(slot, &cn->slots[4095]);
	assert_int_equal(cspace_lookup_slot(&root, 4095, 64, &slot), TERN_EOK);
	assert_ptr_equal(slot, &cn->slots[4095]);

	/* Any bit above the 12 index bits falls in the guard. */
	slot = NULL;
	assert_int_equal(cspace_lookup_cap(&root, 4096, &slot), TERN_EFAILED_LOOKUP);
	assert_int_equal(cspace_lookup_cap(&root, 1ull << 63, &slot), TERN_EFAILED_LOOKUP);
	assert_int_equal(cspace_lookup_cap(&root, ~0ull, &slot), TERN_EFAILED_LOOKUP);
	assert_null(slot);

	/* The root needs all 64 bits: any smaller depth runs out. */
	assert_int_equal(cspace_lookup_slot(&root, 5, 12, &slot), TERN_EFAILED_LOOKUP);
	assert_int_equal(cspace_lookup_slot(&root, 5, 63, &slot), TERN_EFAILED_LOOKUP);
	assert_int_equal(cspace_lookup_slot(&root, 5, 0, &slot), TERN_EFAILED_LOOKUP);
	assert_int_equal(cspace_lookup_slot(&root, 5, 65, &slot), TERN_EFAILED_LOOKUP);
	assert_null(slot);
	free(cn);
}

/* A non-zero guard is compared bit for bit. */
static void test_guard_value(void **state)
{
	struct cnode *cn = cnode_new(4);
	struct cap root = cnode_cap(cn, 60, 0xabcdef);
	struct cte *slot = NULL;

	(void)state;
	assert_int_equal(cspace_lookup_cap(&root, (0xabcdefull << 4) | 7, &slot), TERN_EOK);
	assert_ptr_equal(slot, &cn->slots[7]);
	assert_int_equal(cspace_lookup_cap(&root, (0xabcdeeull << 4) | 7, &slot),
			 TERN_EFAILED_LOOKUP);
	assert_int_equal(cspace_lookup_cap(&root, (0x1abcdefull << 4) | 7, &slot),
			 TERN_EFAILED_LOOKUP);
	free(cn);
}

/* Guard widths of 0 and 64 must not shift by 64. */
static void test_full_width_guard_and_index(void **state)
{
	struct cnode *one = cnode_new(0);
	struct cap g64 = cnode_cap(one, 64, 0x8000000000000001ull);
	struct cnode *big = cnode_new(16);
	struct cap g48 = cnode_cap(big, 48, 0xffffffffffffull);
	struct cte *slot = NULL;

	(void)state;
	assert_int_equal(cspace_lookup_cap(&g64, 0x8000000000000001ull, &slot), TERN_EOK);
	assert_ptr_equal(slot, &one->slots[0]);
	assert_int_equal(cspace_lookup_cap(&g64, 0x8000000000000000ull, &slot),
			 TERN_EFAILED_LOOKUP);
	assert_int_equal(cspace_lookup_cap(&g48, ~0ull, &slot), TERN_EOK);
	assert_ptr_equal(slot, &big->slots[0xffff]);
	free(one);
	free(big);
}

/*
 * Root: radix 4, no guard. Slot 3 holds a CNode cap to a child with a
 * 52-bit zero guard and radix 8. A full pointer is 3 << 60 | index.
 */
struct two_level {
	struct cnode *root_cn, *child;
	struct cap root;
};

static void two_level_build(struct two_level *t)
{
	t->root_cn = cnode_new(4);
	t->child = cnode_new(8);
	t->root = cnode_cap(t->root_cn, 0, 0);
	t->root_cn->slots[3].cap = cnode_cap(t->child, 52, 0);
	t->root_cn->slots[9].cap = endpoint_cap(&dummy_object);
}

static void two_level_free(struct two_level *t)
{
	free(t->root_cn);
	free(t->child);
}

static void test_two_level(void **state)
{
	struct two_level t;
	struct cte *slot = NULL;

	(void)state;
	two_level_build(&t);
	assert_int_equal(cspace_lookup_cap(&t.root, 3ull << 60 | 0x42, &slot), TERN_EOK);
	assert_ptr_equal(slot, &t.child->slots[0x42]);
	assert_int_equal(cspace_lookup_slot(&t.root, 3ull << 60 | 0xff, 64, &slot), TERN_EOK);
	assert_ptr_equal(slot, &t.child->slots[0xff]);
	/* The child's guard is 52 zero bits: bit 8 of the pointer is in it. */
	assert_int_equal(cspace_lookup_cap(&t.root, 3ull << 60 | 0x142, &slot),
			 TERN_EFAILED_LOOKUP);
	assert_int_equal(cspace_lookup_slot(&t.root, 3ull << 60 | 1ull << 59, 64, &slot),
			 TERN_EFAILED_LOOKUP);
	two_level_free(&t);
}

/* Resolving only the root's bits names the slot holding the child CNode cap. */
static void test_slot_of_cnode_at_partial_depth(void **state)
{
	struct two_level t;
	struct cte *slot = NULL;

	(void)state;
	two_level_build(&t);
	assert_int_equal(cspace_lookup_slot(&t.root, 3, 4, &slot), TERN_EOK);
	assert_ptr_equal(slot, &t.root_cn->slots[3]);
	/* Bits above depth are ignored. */
	assert_int_equal(cspace_lookup_slot(&t.root, 0xfff3, 4, &slot), TERN_EOK);
	assert_ptr_equal(slot, &t.root_cn->slots[3]);
	/* Depth that stops inside the child's guard or index. */
	slot = NULL;
	assert_int_equal(cspace_lookup_slot(&t.root, 3, 3, &slot), TERN_EFAILED_LOOKUP);
	assert_int_equal(cspace_lookup_slot(&t.root, 3ull << 56, 60, &slot), TERN_EFAILED_LOOKUP);
	assert_int_equal(cspace_lookup_slot(&t.root, 3ull << 59, 63, &slot), TERN_EFAILED_LOOKUP);
	assert_null(slot);
	two_level_free(&t);
}

/* lookup_cap stops at the first non-CNode; lookup_slot refuses to pass it. */
static void test_non_cnode_in_the_middle(void **state)
{
	struct two_level t;
	struct cte *slot = NULL;

	(void)state;
	two_level_build(&t);
	assert_int_equal(cspace_lookup_cap(&t.root, 9ull << 60 | 0x1234, &slot), TERN_EOK);
	assert_ptr_equal(slot, &t.root_cn->slots[9]);
	/* An empty slot is returned the same way; the caller sees a null cap. */
	assert_int_equal(cspace_lookup_cap(&t.root, 5ull << 60, &slot), TERN_EOK);
	assert_ptr_equal(slot, &t.root_cn->slots[5]);
	assert_true(cap_is_null(&slot->cap));
	slot = NULL;
	assert_int_equal(cspace_lookup_slot(&t.root, 9ull << 60 | 0x1234, 64, &slot),
			 TERN_EFAILED_LOOKUP);
	assert_int_equal(cspace_lookup_slot(&t.root, 5ull << 60, 64, &slot), TERN_EFAILED_LOOKUP);
	assert_null(slot);
	assert_int_equal(cspace_lookup_slot(&t.root, 9, 4, &slot), TERN_EOK);
	assert_ptr_equal(slot, &t.root_cn->slots[9]);
	two_level_free(&t);
}

/* A CNode whose guard and radix need more bits than are left. */
static void test_level_larger_than_remaining(void **state)
{
	struct cnode *root_cn = cnode_new(12);
	struct cnode *child = cnode_new(8);
	struct cap root = cnode_cap(root_cn, 0, 0);
	struct cte *slot = NULL;

	(void)state;
	/* 52 bits left after the root; the child wants 50 + 8. */
	root_cn->slots[1].cap = cnode_cap(child, 50, 0);
	assert_int_equal(cspace_lookup_cap(&root, 1ull << 52, &slot), TERN_EFAILED_LOOKUP);
	assert_int_equal(cspace_lookup_slot(&root, 1ull << 52, 64, &slot), TERN_EFAILED_LOOKUP);
	/* With exactly 52 bits it resolves. */
	root_cn->slots[1].cap = cnode_cap(child, 44, 0);
	assert_int_equal(cspace_lookup_cap(&root, 1ull << 52 | 0x77, &slot), TERN_EOK);
	assert_ptr_equal(slot, &child->slots[0x77]);
	free(root_cn);
	free(child);
}

/* Three levels with guards at every level, exact depth in the middle. */
static void test_three_levels_with_guards(void **state)
{
	struct cnode *a = cnode_new(2), *b = cnode_new(3), *c = cnode_new(5);
	struct cap root = cnode_cap(a, 2, 2); /* bits 63..62 = 10, 61..60 index */
	struct cte *slot = NULL;
	uint64_t ptr;

	(void)state;
	a->slots[1].cap = cnode_cap(b, 4, 0xa); /* 59..56 guard, 55..53 index */
	b->slots[6].cap = cnode_cap(c, 48, 0);	/* 52..5 guard, 4..0 index */
	ptr = 2ull << 62 | 1ull << 60 | 0xaull << 56 | 6ull << 53 | 17;
	assert_int_equal(cspace_lookup_cap(&root, ptr, &slot), TERN_EOK);
	assert_ptr_equal(slot, &c->slots[17]);
	assert_int_equal(cspace_lookup_slot(&root, ptr, 64, &slot), TERN_EOK);
	assert_ptr_equal(slot, &c->slots[17]);
	assert_int_equal(cspace_lookup_slot(&root, ptr >> 53, 11, &slot), TERN_EOK);
	assert_ptr_equal(slot, &b->slots[6]);
	assert_int_equal(cspace_lookup_slot(&root, ptr >> 60, 4, &slot), TERN_EOK);
	assert_ptr_equal(slot, &a->slots[1]);
	/* Wrong guard at the second and third level. */
	assert_int_equal(cspace_lookup_cap(&root, ptr ^ 1ull << 57, &slot), TERN_EFAILED_LOOKUP);
	assert_int_equal(cspace_lookup_cap(&root, ptr ^ 1ull << 30, &slot), TERN_EFAILED_LOOKUP);
	assert_int_equal(cspace_lookup_cap(&root, ptr ^ 1ull << 63, &slot), TERN_EFAILED_LOOKUP);
	free(a);
	free(b);
	free(c);
}

static void test_invalid_root(void **state)
{
	struct cap null_cap = { 0 };
	struct cap ep = endpoint_cap(&dummy_object);
	struct cte *slot = NULL;

	(void)state;
	assert_int_equal(cspace_lookup_cap(&null_cap, 0, &slot), TERN_EINVALID_CAPABILITY);
	assert_int_equal(cspace_lookup_cap(&ep, 0, &slot), TERN_EINVALID_CAPABILITY);
	assert_int_equal(cspace_lookup_slot(&ep, 0, 64, &slot), TERN_EINVALID_CAPABILITY);
	assert_int_equal(cspace_lookup_slot(&null_cap, 0, 0, &slot), TERN_EINVALID_CAPABILITY);
	assert_null(slot);
}

/* A CNode that consumes no bits (no guard, one slot) must not loop forever. */
static void test_zero_width_level(void **state)
{
	struct cnode *cn = cnode_new(0);
	struct cap root = cnode_cap(cn, 0, 0);
	struct cte *slot = NULL;

	(void)state;
	cn->slots[0].cap = root; /* points back at itself */
	assert_int_equal(cspace_lookup_cap(&root, 0, &slot), TERN_EFAILED_LOOKUP);
	assert_int_equal(cspace_lookup_slot(&root, 0, 64, &slot), TERN_EFAILED_LOOKUP);
	assert_null(slot);
	free(cn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_level_root),
		cmocka_unit_test(test_guard_value),
		cmocka_unit_test(test_full_width_guard_and_index),
		cmocka_unit_test(test_two_level),
		cmocka_unit_test(test_slot_of_cnode_at_partial_depth),
		cmocka_unit_test(test_non_cnode_in_the_middle),
		cmocka_unit_test(test_level_larger_than_remaining),
		cmocka_unit_test(test_three_levels_with_guards),
		cmocka_unit_test(test_invalid_root),
		cmocka_unit_test(test_zero_width_level),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
