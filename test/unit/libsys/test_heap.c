/*
 * The libsys heap (malloc's engine): alignment, first fit, splitting,
 * coalescing in every order, realloc in place and by moving, exhaustion,
 * and a fixed-seed random workload checked against a shadow copy of each
 * block's contents, with heap_check() after every step.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
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

/* A piecewise backing over the arena: CHUNK-byte pieces, poisoned while
 * unbacked, so a heap write into one shows as a changed poison byte. */
#define CHUNK 512
#define NCHUNKS (ARENA / CHUNK)
static bool backed[NCHUNKS];
static unsigned commits, decommits;

static int fake_commit(void *ctx, uintptr_t a, uintptr_t b)
{
	(void)ctx;
	assert_true(a < b && a >= (uintptr_t)arena && b <= (uintptr_t)arena + ARENA);
	for (size_t c = (a - (uintptr_t)arena) / CHUNK; c <= (b - 1 - (uintptr_t)arena) / CHUNK;
	     c++) {
		if (!backed[c]) {
			for (size_t k = 0; k < CHUNK; k++)
				assert_int_equal(arena[c * CHUNK + k],
						 0xdd); /* nothing wrote here */
			memset(arena + c * CHUNK, 0, CHUNK);
			backed[c] = true;
			commits++;
		}
	}
	return 0;
}

static void fake_decommit(void *ctx, uintptr_t a, uintptr_t b)
{
	(void)ctx;
	size_t first = (a - (uintptr_t)arena + CHUNK - 1) / CHUNK;
	size_t end = (b - (uintptr_t)arena) / CHUNK;
	for (size_t c = first; c < end; c++) {
		if (backed[c]) {
			memset(arena + c * CHUNK, 0xdd, CHUNK);
			backed[c] = false;
			decommits++;
		}
	}
}

/* The random workload over the piecewise backing: every payload lies in
 * backed pieces, no unbacked piece is ever written, and once all is
 * free only the first piece (the free block's header) stays backed. */
static void test_backing(void **state)
{
	static uint8_t *ptr[SLOTS];
	size_t len[SLOTS] = { 0 };
	uint8_t fill[SLOTS] = { 0 };
	uint64_t seed = 0x5eed;
	struct heap h;

	(void)state;
	memset(arena, 0xdd, sizeof(arena));
	memset(backed, 0, sizeof(backed));
	memset(arena, 0, CHUNK);
	backed[0] = true;
	heap_init(&h, arena, ARENA);
	heap_set_backing(&h, fake_commit, fake_decommit, NULL);
	for (int step = 0; step < 20000; step++) {
		int i = (int)(xorshift(&seed) % SLOTS);
		size_t n = xorshift(&seed) % 3000;
		if (ptr[i]) {
			for (size_t k = 0; k < len[i]; k++)
				assert_int_equal(ptr[i][k], fill[i]);
			heap_free(&h, ptr[i]);
			ptr[i] = NULL;
		} else if (xorshift(&seed) % 2) {
			ptr[i] = heap_alloc(&h, n);
		} else {
			uint8_t *q = heap_alloc(&h, n / 2 + 1);
			ptr[i] = q ? heap_realloc(&h, q, n + 1) : NULL;
			if (q && !ptr[i])
				heap_free(&h, q);
			n++;
		}
		if (ptr[i]) {
			len[i] = n;
			fill[i] = (uint8_t)xorshift(&seed);
			size_t o = (size_t)(ptr[i] - arena);
			for (size_t c = (o - 16) / CHUNK; c <= (o + (n ? n : 1) - 1) / CHUNK; c++)
				assert_true(backed[c]);
			memset(ptr[i], fill[i], n);
		}
		assert_int_equal(heap_check(&h), 0);
	}
	for (int i = 0; i < SLOTS; i++)
		heap_free(&h, ptr[i]);
	assert_int_equal(h.free_bytes, h.end - h.start);
	for (size_t c = 1; c < NCHUNKS; c++)
		assert_false(backed[c]);
	assert_true(backed[0] && commits > 100 && decommits > 100);
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
		cmocka_unit_test(test_backing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
