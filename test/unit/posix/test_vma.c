/*
 * mm's region list (servers/mm/vma.c): insert, find, gaps top-down with
 * alignment, removal with splits and the pieces reported, splitting for
 * mprotect, coverage.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vma.h"

#define P 4096ul
static struct vma_list l;
static struct vma removed[8];
static unsigned nremoved;

static void on_removed(void *ctx, const struct vma *piece)
{
	(void)ctx;
	removed[nremoved++] = *piece;
}

static int add(uint64_t s, uint64_t e, uint32_t obj)
{
	struct vma v = { .start = s, .end = e, .prot = 3, .kind = VMA_ANON, .obj = obj };
	return vma_insert(&l, &v);
}

static void test_insert_find(void **state)
{
	(void)state;
	vma_init(&l);
	assert_int_equal(add(10 * P, 20 * P, 1), 0);
	assert_int_equal(add(30 * P, 40 * P, 2), 0);
	assert_int_equal(add(0, 5 * P, 3), 0);
	assert_int_equal(add(15 * P, 25 * P, 4), -1); /* overlaps */
	assert_int_equal(add(5 * P, 5 * P, 4), -1);   /* empty */
	assert_int_equal(l.n, 3);
	assert_int_equal(l.v[0].start, 0); /* sorted */
	assert_ptr_equal(vma_find(&l, 10 * P), &l.v[1]);
	assert_ptr_equal(vma_find(&l, 20 * P - 1), &l.v[1]);
	assert_null(vma_find(&l, 20 * P));
	assert_true(vma_range_free(&l, 20 * P, 30 * P));
	assert_false(vma_range_free(&l, 19 * P, 30 * P));
	assert_true(vma_range_covered(&l, 10 * P, 20 * P));
	assert_false(vma_range_covered(&l, 10 * P, 21 * P));
}

static void test_gap(void **state)
{
	(void)state;
	vma_init(&l);
	add(100 * P, 200 * P, 1);
	/* Highest fit below hi. */
	assert_int_equal(vma_find_gap(&l, 10 * P, P, 16 * P, 1000 * P), 990 * P);
	add(900 * P, 1000 * P, 2);
	assert_int_equal(vma_find_gap(&l, 10 * P, P, 16 * P, 1000 * P), 890 * P);
	/* The gap between regions when the top one is full. */
	add(200 * P, 900 * P, 3);
	assert_int_equal(vma_find_gap(&l, 10 * P, P, 16 * P, 1000 * P), 90 * P);
	/* Too big for any gap, and nothing below lo. */
	assert_int_equal(vma_find_gap(&l, 90 * P, P, 16 * P, 1000 * P), 0);
	/* 2 MiB alignment. */
	vma_init(&l);
	uint64_t a = vma_find_gap(&l, 2ul << 20, 2ul << 20, 16 * P, 0x10000000ul + 5 * P);
	assert_int_equal(a, 0x10000000ul - (2ul << 20));
}

static void test_remove_split(void **state)
{
	(void)state;
	vma_init(&l);
	add(10 * P, 20 * P, 1);
	add(20 * P, 30 * P, 2);
	nremoved = 0;
	/* The middle of one: two left, the object offset follows. */
	assert_int_equal(vma_remove(&l, 12 * P, 14 * P, on_removed, NULL), 0);
	assert_int_equal(nremoved, 1);
	assert_int_equal(removed[0].start, 12 * P);
	assert_int_equal(removed[0].end, 14 * P);
	assert_int_equal(removed[0].obj_page, 2);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.v[1].start, 14 * P);
	assert_int_equal(l.v[1].obj_page, 4);
	assert_int_equal(l.v[1].obj, 1);
	/* Across two regions and a hole. */
	nremoved = 0;
	assert_int_equal(vma_remove(&l, 13 * P, 25 * P, on_removed, NULL), 0);
	assert_int_equal(nremoved, 2);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[1].start, 25 * P);
	assert_int_equal(l.v[1].obj_page, 5);
	assert_true(vma_obj_used(&l, 1) && vma_obj_used(&l, 2));
	nremoved = 0;
	assert_int_equal(vma_remove(&l, 0, 100 * P, on_removed, NULL), 0);
	assert_int_equal(l.n, 0);
	assert_false(vma_obj_used(&l, 1));
}

/* fork's choice: private anonymous memory is cloned whatever its
 * protection now; shared and file/text objects are shared. */
static void test_fork_clone(void **state)
{
	(void)state;
	vma_init(&l);
	struct vma v[] = {
		{ .start = 0, .end = P, .prot = 5, .kind = VMA_FIXED, .obj = 1 }, /* text */
		{ .start = P, .end = 2 * P, .prot = 3, .kind = VMA_FIXED | VMA_ANON, .obj = 2 },
		{ .start = 2 * P,
		  .end = 3 * P,
		  .prot = 0,
		  .kind = VMA_ANON,
		  .obj = 3 }, /* PROT_NONE */
		{ .start = 3 * P,
		  .end = 4 * P,
		  .prot = 3,
		  .kind = VMA_ANON | VMA_SHARED,
		  .obj = 4 },
		{ .start = 4 * P,
		  .end = 5 * P,
		  .prot = 1,
		  .kind = VMA_SHARED,
		  .obj = 5 }, /* a file */
		{ .start = 5 * P,
		  .end = 6 * P,
		  .prot = 1,
		  .kind = VMA_RESERVED,
		  .obj = 0 }, /* IPC */
		{ .start = 6 * P,
		  .end = 7 * P,
		  .prot = 1,
		  .kind = VMA_ANON,
		  .obj = 6 }, /* read-only now */
	};
	for (unsigned i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		assert_int_equal(vma_insert(&l, &v[i]), 0);
	assert_false(vma_obj_cloned(&l, 1));
	assert_true(vma_obj_cloned(&l, 2));
	assert_true(vma_obj_cloned(&l, 3));
	assert_false(vma_obj_cloned(&l, 4));
	assert_false(vma_obj_cloned(&l, 5));
	assert_true(vma_obj_cloned(&l, 6));
	assert_false(vma_obj_cloned(&l, 7)); /* no region */
}

static void test_full(void **state)
{
	(void)state;
	vma_init(&l);
	for (unsigned i = 0; i < VMA_MAX; i++)
		assert_int_equal(add(2 * i * P + 16 * P, (2 * i + 1) * P + 16 * P, i + 1), 0);
	assert_int_equal(add(1000000 * P, 1000001 * P, 9), -1);
	/* A split that needs an entry fails and changes nothing. */
	struct vma_list before = l;
	vma_init(&l);
	add(16 * P, 20 * P, 1);
	for (unsigned i = 1; i < VMA_MAX; i++)
		add(100 * P + 2 * i * P, 101 * P + 2 * i * P, i + 1);
	before = l;
	assert_int_equal(vma_remove(&l, 17 * P, 18 * P, on_removed, NULL), -1);
	assert_memory_equal(&before, &l, sizeof(l));
	assert_int_equal(vma_split_at(&l, 17 * P, 17 * P), -1);
	/* Removing a whole region needs no split. */
	assert_int_equal(vma_remove(&l, 16 * P, 20 * P, on_removed, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_find),  cmocka_unit_test(test_gap),
		cmocka_unit_test(test_remove_split), cmocka_unit_test(test_full),
		cmocka_unit_test(test_fork_clone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
