/*
 * The libsys heap (malloc's engine): alignment, first fit, splitting,
 * coalescing in every order, realloc in place and by moving, exhaustion,
 * and a fixed-seed random workload checked against a shadow copy of each
 * block's contents, with heap_check() after every step.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <sys/heap.h>

#define ARENA (64 * 1024)

static _Alignas(16) uint8_t arena[ARENA + 16];

static void fresh(struct heap *h)
{
	heap_init(h, arena, ARENA);
	assert_int_equal(heap_check(h), 0);
}

static void test_alignment_and_sizes(void **state)
{
	struct heap h;

	(void)state;
	fresh(&h);
	for (size_t n = 0; n < 100; n++) {
		uint8_t *p = heap_alloc(&h, n);

		assert_non_null(p);
		assert_int_equal((uintptr_t)p % HEAP_ALIGN, 0);
		assert_true(heap_usable_size(p) >= n);
		memset(p, 0xab, n);
		assert_int_equal(heap_check(&h), 0);
	}
}

static void test_unaligned_region(void **state)
{
	struct heap h;
	void *p;

	(void)state;
	heap_init(&h, arena + 3, ARENA - 3);
	p = heap_alloc(&h, 100);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % HEAP_ALIGN, 0);
	assert_true((uintptr_t)p + 100 <= (uintptr_t)arena + ARENA);
	heap_init(&h, arena, 8);
	assert_null(heap_alloc(&h, 1));
}

static void test_free_coalesces_all_orders(void **state)
{
	static const int orders[6][3] = { { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
					  { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 } };
	struct heap h;

	(void)state;
	for (int o = 0; o < 6; o++) {
		void *p[3];
		void *big;

		fresh(&h);
		for (int i = 0; i < 3; i++)
			p[i] = heap_alloc(&h, 1000);
		for (int i = 0; i < 3; i++) {
			heap_free(&h, p[orders[o][i]]);
			assert_int_equal(heap_check(&h), 0);
		}
		/* Everything merged back: the whole arena is one block again. */
		big = heap_alloc(&h, ARENA - 16);
		assert_non_null(big);
		heap_free(&h, big);
	}
}

static void test_first_fit_reuses_hole(void **state)
{
	struct heap h;
	void *a, *b, *c, *d;

	(void)state;
	fresh(&h);
	a = heap_alloc(&h, 256);
	b = heap_alloc(&h, 256);
	c = heap_alloc(&h, 256);
	heap_free(&h, b);
	d = heap_alloc(&h, 200);
	assert_ptr_equal(d, b);
	heap_free(&h, a);
	heap_free(&h, c);
	heap_free(&h, d);
	assert_int_equal(heap_check(&h), 0);
}

static void test_exhaustion(void **state)
{
	struct heap h;
	void *p;
	int n = 0;

	(void)state;
	fresh(&h);
	assert_null(heap_alloc(&h, ARENA));
	assert_null(heap_alloc(&h, SIZE_MAX));
	assert_null(heap_alloc(&h, SIZE_MAX - 8));
	while ((p = heap_alloc(&h, 1000)) != NULL)
		n++;
	assert_true(n >= ARENA / 1024 - 1);
	assert_int_equal(heap_check(&h), 0);
}

static void test_realloc_paths(void **state)
{
	struct heap h;
	uint8_t *p, *q, *blocker;

	(void)state;
	fresh(&h);
	p = heap_realloc(&h, NULL, 32);
	assert_non_null(p);
	for (int i = 0; i < 32; i++)
		p[i] = (uint8_t)i;
	/* Grows in place into the free space after it. */
	q = heap_realloc(&h, p, 4000);
	assert_ptr_equal(q, p);
	/* Shrinks in place. */
	q = heap_realloc(&h, p, 16);
	assert_ptr_equal(q, p);
	assert_int_equal(heap_check(&h), 0);
	/* Blocked: moves and keeps the contents. */
	blocker = heap_alloc(&h, 16);
	assert_non_null(blocker);
	q = heap_realloc(&h, p, 1000);
	assert_non_null(q);
	assert_ptr_not_equal(q, p);
	for (int i = 0; i < 16; i++)
		assert_int_equal(q[i], i);
	assert_null(heap_realloc(&h, q, SIZE_MAX));
	assert_null(heap_realloc(&h, q, 0));
	heap_free(&h, blocker);
	assert_int_equal(heap_check(&h), 0);
	assert_non_null(heap_alloc(&h, ARENA - 16));
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

#define SLOTS 64

static void test_random_workload(void **state)
{
	struct heap h;
	uint8_t *ptr[SLOTS] = { 0 };
	size_t len[SLOTS] = { 0 };
	uint8_t fill[SLOTS] = { 0 };
	uint64_t seed = 42;

	(void)state;
	fresh(&h);
	for (int step = 0; step < 50000; step++) {
		int i = (int)(xorshift(&seed) % SLOTS);
		size_t n = xorshift(&seed) % (xorshift(&seed) % 8 ? 256 : 4096);

		if (ptr[i]) {
			for (size_t k = 0; k < len[i]; k++)
				assert_int_equal(ptr[i][k], fill[i]);
		}
		switch (xorshift(&seed) % 3) {
		case 0:
			heap_free(&h, ptr[i]);
			ptr[i] = NULL;
			len[i] = 0;
			break;
		case 1: {
			uint8_t *q = heap_realloc(&h, ptr[i], n);

			if (q || n == 0) {
				ptr[i] = q;
				len[i] = len[i] < n ? len[i] : n;
				if (q)
					memset(q, fill[i], len[i]);
			}
			break;
		}
		default:
			if (!ptr[i]) {
				ptr[i] = heap_alloc(&h, n);
				len[i] = ptr[i] ? n : 0;
				fill[i] = (uint8_t)xorshift(&seed);
				if (ptr[i])
					memset(ptr[i], fill[i], n);
			}
			break;
		}
		assert_int_equal(heap_check(&h), 0);
	}
	for (int i = 0; i < SLOTS; i++)
		heap_free(&h, ptr[i]);
	assert_int_equal(h.free_bytes, h.end - h.start);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alignment_and_sizes),
		cmocka_unit_test(test_unaligned_region),
		cmocka_unit_test(test_free_coalesces_all_orders),
		cmocka_unit_test(test_first_fit_reuses_hole),
		cmocka_unit_test(test_exhaustion),
		cmocka_unit_test(test_realloc_paths),
		cmocka_unit_test(test_random_workload),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
