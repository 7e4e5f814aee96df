/*
 * Host tests of the buddy allocator and the per-CPU page cache.
 *
 * check_zone() walks the free lists after each scenario and asserts the
 * invariants the kernel relies on: blocks aligned, in the zone and
 * disjoint, counts consistent, and no two free buddies left unmerged.
 * Randomised tests use a fixed-seed PRNG so failures reproduce.
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

#include <kernel/buddy.h>
#include <kernel/page_cache.h>

static struct buddy_page *zone_create(struct buddy_zone *z, uint64_t base, uint64_t n)
{
	struct buddy_page *pages = calloc(1, buddy_meta_size(n));

	assert_non_null(pages);
	buddy_init(z, base, n, pages);
	return pages;
}

/* Walk every free list and assert the zone's invariants. */
static void check_zone(const struct buddy_zone *z)
{
	uint8_t *seen = calloc(z->nframes ? z->nframes : 1, 1);
	uint64_t frames = 0;

	assert_non_null(seen);
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++) {
		uint64_t blocks = 0;
		uint32_t prev = BUDDY_NIL;

		for (uint32_t i = z->free_head[k]; i != BUDDY_NIL; i = z->pages[i].next) {
			uint64_t pfn = z->base_pfn + i;
			uint64_t size = (uint64_t)1 << k;
			uint64_t buddy = pfn ^ size;

			assert_true(i < z->nframes);
			assert_int_equal(z->pages[i].state, BUDDY_PAGE_FREE);
			assert_int_equal(z->pages[i].order, k);
			assert_int_equal(z->pages[i].prev, prev);
			assert_int_equal(pfn & (size - 1), 0);
			assert_true(i + size <= z->nframes);
			for (uint64_t f = i; f < i + size; f++) {
				assert_int_equal(seen[f], 0);
				seen[f] = 1;
				if (f != i)
					assert_int_equal(z->pages[f].state, BUDDY_PAGE_NONE);
			}
			/* Fully coalesced: the buddy is not free at order k. */
			if (k < BUDDY_MAX_ORDER && buddy >= z->base_pfn &&
			    buddy + size <= z->base_pfn + z->nframes) {
				const struct buddy_page *bp = &z->pages[buddy - z->base_pfn];

				assert_false(bp->state == BUDDY_PAGE_FREE && bp->order == k);
			}
			blocks++;
			frames += size;
			prev = i;
		}
		assert_int_equal(blocks, z->free_blocks[k]);
	}
	assert_int_equal(frames, buddy_free_frames(z));
	free(seen);
}

static void test_init_starts_reserved(void **state)
{
	struct buddy_zone z;
	struct buddy_page *pages = zone_create(&z, 100, 1000);
	uint64_t pfn;

	(void)state;
	assert_int_equal(buddy_free_frames(&z), 0);
	assert_false(buddy_alloc(&z, 0, &pfn));
	assert_int_equal(buddy_free(&z, 100, 0), BUDDY_ENOTALLOC);
	assert_int_equal(buddy_meta_size(1000), 1000 * sizeof(struct buddy_page));
	check_zone(&z);
	free(pages);
}

static void test_single_pages(void **state)
{
	enum { N = 1024, BASE = 0x1000 };
	struct buddy_zone z;
	struct buddy_page *pages = zone_create(&z, BASE, N);
	uint64_t got[N];
	uint8_t used[N] = { 0 };
	uint64_t pfn;

	(void)state;
	buddy_add_free_range(&z, BASE, N);
	assert_int_equal(buddy_free_frames(&z), N);
	assert_int_equal(z.free_blocks[10], 1);
	check_zone(&z);

	for (int i = 0; i < N; i++) {
		assert_true(buddy_alloc(&z, 0, &got[i]));
		assert_true(got[i] >= BASE && got[i] < BASE + N);
		assert_int_equal(used[got[i] - BASE], 0);
		used[got[i] - BASE] = 1;
	}
	assert_false(buddy_alloc(&z, 0, &pfn));
	assert_int_equal(buddy_free_frames(&z), 0);
	for (int i = 0; i < N; i++)
		assert_int_equal(buddy_free(&z, got[i], 0), BUDDY_OK);
	assert_int_equal(buddy_free_frames(&z), N);
	assert_int_equal(z.free_blocks[10], 1);
	check_zone(&z);
	free(pages);
}

static void test_higher_orders_aligned(void **state)
{
	enum { N = 1 << 13 };
	struct buddy_zone z;
	struct buddy_page *pages = zone_create(&z, 0, N);
	uint64_t got[11];

	(void)state;
	buddy_add_free_range(&z, 0, N);
	for (unsigned k = 0; k <= 10; k++) {
		assert_true(buddy_alloc(&z, k, &got[k]));
		assert_int_equal(got[k] & ((1ull << k) - 1), 0);
		check_zone(&z);
	}
	assert_int_equal(buddy_free_frames(&z), N - ((1u << 11) - 1));
	/* Blocks of different orders never overlap. */
	for (unsigned a = 0; a <= 10; a++)
		for (unsigned b = a + 1; b <= 10; b++)
			assert_true(got[a] + (1ull << a) <= got[b] ||
				    got[b] + (1ull << b) <= got[a]);
	for (unsigned k = 0; k <= 10; k++)
		assert_int_equal(buddy_free(&z, got[k], k), BUDDY_OK);
	assert_int_equal(z.free_blocks[13], 1);
	assert_false(buddy_alloc(&z, BUDDY_MAX_ORDER + 1, &got[0]));
	check_zone(&z);
	free(pages);
}

static void test_gib_blocks_physically_aligned(void **state)
{
	/* Two 1 GiB blocks plus a ragged head and tail. */
	const uint64_t big = 1ull << BUDDY_MAX_ORDER;
	const uint64_t base = big - 5;
	const uint64_t n = 2 * big + 5 + 7;
	struct buddy_zone z;
	struct buddy_page *pages = zone_create(&z, base, n);
	uint64_t a, b, c;

	(void)state;
	buddy_add_free_range(&z, base, n);
	assert_int_equal(z.free_blocks[BUDDY_MAX_ORDER], 2);
	check_zone(&z);
	assert_true(buddy_alloc(&z, BUDDY_MAX_ORDER, &a));
	assert_true(buddy_alloc(&z, BUDDY_MAX_ORDER, &b));
	assert_false(buddy_alloc(&z, BUDDY_MAX_ORDER, &c));
	assert_int_equal(a % big, 0);
	assert_int_equal(b % big, 0);
	assert_true(buddy_alloc(&z, 9, &c) == false);
	assert_int_equal(buddy_free_frames(&z), 12);
	assert_int_equal(buddy_free(&z, a, BUDDY_MAX_ORDER), BUDDY_OK);
	assert_true(buddy_alloc(&z, 9, &c));
	assert_int_equal(c % 512, 0);
	assert_int_equal(buddy_free(&z, c, 9), BUDDY_OK);
	assert_int_equal(buddy_free(&z, b, BUDDY_MAX_ORDER), BUDDY_OK);
	assert_int_equal(buddy_free_frames(&z), n);
	assert_int_equal(z.free_blocks[BUDDY_MAX_ORDER], 2);
	check_zone(&z);
	free(pages);
}

/* Free everything in random order; the zone must end up as it started. */
static void test_coalesce_random_order(void **state)
{
	enum { N = 5000, BASE = 77 };
	struct buddy_zone z;
	struct buddy_page *pages = zone_create(&z, BASE, N);
	uint64_t before[BUDDY_MAX_ORDER + 1];
	uint64_t *got = calloc(N, sizeof(*got));
	struct prng r = { 1 };
	size_t n = 0;

	(void)state;
	buddy_add_free_range(&z, BASE, N);
	memcpy(before, z.free_blocks, sizeof(before));
	while (buddy_alloc(&z, 0, &got[n]))
		n++;
	assert_int_equal(n, N);
	prng_shuffle(&r, got, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(buddy_free(&z, got[i], 0), BUDDY_OK);
		if (i % 512 == 0)
			check_zone(&z);
	}
	assert_memory_equal(before, z.free_blocks, sizeof(before));
	check_zone(&z);
	free(got);
	free(pages);
}

/* Allocate mixed orders until even one page fails, then free all. */
static void test_exhaustion_and_recovery(void **state)
{
	enum { N = 3000, BASE = 4096 + 3 };
	struct buddy_zone z;
	struct buddy_page *pages = zone_create(&z, BASE, N);
	uint64_t before[BUDDY_MAX_ORDER + 1];
	uint64_t pfn[N], order[N], idx[N];
	struct prng r = { 2 };
	uint64_t frames = 0;
	size_t n = 0;

	(void)state;
	buddy_add_free_range(&z, BASE, N);
	memcpy(before, z.free_blocks, sizeof(before));
	for (;;) {
		unsigned k = (unsigned)prng_below(&r, 6);
		bool ok;

		/* Fall back to smaller orders as the zone fragments. */
		while (!(ok = buddy_alloc(&z, k, &pfn[n])) && k > 0)
			k--;
		if (!ok)
			break;
		assert_int_equal(pfn[n] & ((1ull << k) - 1), 0);
		order[n] = k;
		frames += 1ull << k;
		n++;
	}
	assert_int_equal(frames, N);
	assert_false(buddy_alloc(&z, 0, &pfn[n]));
	assert_int_equal(buddy_free_frames(&z), 0);
	check_zone(&z);

	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	prng_shuffle(&r, idx, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(buddy_free(&z, pfn[idx[i]], (unsigned)order[idx[i]]), BUDDY_OK);
	assert_int_equal(buddy_free_frames(&z), N);
	assert_memory_equal(before, z.free_blocks, sizeof(before));
	check_zone(&z);
	free(pages);
}

/* Ranges with ragged edges: nothing outside them is ever handed out. */
static void test_unaligned_ranges(void **state)
{
	enum { N = 8192 };
	static const uint64_t ranges[][2] = {
		{ 3, 1000 },
		{ 1500, 1501 },
		{ 2047, 4100 },
		{ 8000, 9000 },
	};
	struct buddy_zone z;
	struct buddy_page *pages = zone_create(&z, 0, N);
	uint8_t usable[N] = { 0 };
	uint64_t expect = 0, count = 0, pfn;

	(void)state;
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		uint64_t end = ranges[i][1] < N ? ranges[i][1] : N;

		buddy_add_free_range(&z, ranges[i][0], ranges[i][1] - ranges[i][0]);
		for (uint64_t f = ranges[i][0]; f < end; f++)
			usable[f] = 1;
		expect += end - ranges[i][0];
	}
	assert_int_equal(buddy_free_frames(&z), expect);
	check_zone(&z);
	while (buddy_alloc(&z, 0, &pfn)) {
		assert_true(pfn < N);
		assert_int_equal(usable[pfn], 1);
		usable[pfn] = 2;
		count++;
	}
	assert_int_equal(count, expect);
	free(pages);
}

/* Two adjacent adds merge into one block, as a single add would. */
static void test_adjacent_ranges_merge(void **state)
{
	struct buddy_zone z;
	struct buddy_page *pages = zone_create(&z, 0, 4096);

	(void)state;
	buddy_add_free_range(&z, 100, 3996);
	buddy_add_free_range(&z, 0, 100);
	assert_int_equal(z.free_blocks[12], 1);
	assert_int_equal(buddy_free_frames(&z), 4096);
	check_zone(&z);
	/* Ranges beyond the zone are clipped, including wrapping ones. */
	buddy_add_free_range(&z, 4096, 10);
	buddy_add_free_range(&z, UINT64_MAX - 5, 100);
	assert_int_equal(buddy_free_frames(&z), 4096);
	free(pages);
}

static void test_bad_free_detected(void **state)
{
	enum { N = 1024, BASE = 2048 };
	struct buddy_zone z;
	struct buddy_page *pages = zone_create(&z, BASE, N);
	uint64_t a, b, free_before;

	(void)state;
	buddy_add_free_range(&z, BASE, N - 16);
	assert_true(buddy_alloc(&z, 3, &a));
	assert_true(buddy_alloc(&z, 0, &b));
	free_before = buddy_free_frames(&z);

	assert_int_equal(buddy_free(&z, a, 2), BUDDY_ENOTALLOC);
	assert_int_equal(buddy_free(&z, a, 4), BUDDY_ENOTALLOC);
	assert_int_equal(buddy_free(&z, a + 1, 3), BUDDY_EINVAL); /* misaligned */
	assert_int_equal(buddy_free(&z, a + 1, 0), BUDDY_ENOTALLOC);
	assert_int_equal(buddy_free(&z, a + 2, 1), BUDDY_ENOTALLOC);
	assert_int_equal(buddy_free(&z, BASE - 1, 0), BUDDY_EINVAL);
	assert_int_equal(buddy_free(&z, BASE + N, 0), BUDDY_EINVAL);
	assert_int_equal(buddy_free(&z, a, BUDDY_MAX_ORDER + 1), BUDDY_EINVAL);
	assert_int_equal(buddy_free(&z, BASE + N - 1, 0), BUDDY_ENOTALLOC);
	assert_int_equal(buddy_free_frames(&z), free_before);
	check_zone(&z);

	assert_int_equal(buddy_free(&z, a, 3), BUDDY_OK);
	assert_int_equal(buddy_free(&z, a, 3), BUDDY_ENOTALLOC);
	assert_int_equal(buddy_free(&z, b, 0), BUDDY_OK);
	assert_int_equal(buddy_free(&z, b, 0), BUDDY_ENOTALLOC);
	assert_int_equal(buddy_free_frames(&z), N - 16);
	check_zone(&z);
	free(pages);
}

/* Random mixed alloc/free against a shadow map of frame owners. */
static void test_random_stress(void **state)
{
	enum { N = 20000, BASE = 12345, SLOTS = 4000, STEPS = 60000 };
	struct buddy_zone z;
	struct buddy_page *pages = zone_create(&z, BASE, N);
	uint32_t *owner = calloc(N, sizeof(*owner));
	uint64_t *pfn = calloc(SLOTS, sizeof(*pfn));
	uint8_t *order = calloc(SLOTS, 1);
	uint8_t *live = calloc(SLOTS, 1);
	struct prng r = { 3 };
	uint64_t held = 0;

	(void)state;
	buddy_add_free_range(&z, BASE, N);
	for (int step = 0; step < STEPS; step++) {
		size_t s = (size_t)prng_below(&r, SLOTS);

		if (!live[s]) {
			unsigned k = (unsigned)prng_below(&r, 8);

			if (!buddy_alloc(&z, k, &pfn[s]))
				continue;
			assert_int_equal(pfn[s] & ((1ull << k) - 1), 0);
			for (uint64_t f = 0; f < (1ull << k); f++) {
				assert_int_equal(owner[pfn[s] - BASE + f], 0);
				owner[pfn[s] - BASE + f] = (uint32_t)s + 1;
			}
			order[s] = (uint8_t)k;
			live[s] = 1;
			held += 1ull << k;
		} else {
			for (uint64_t f = 0; f < (1ull << order[s]); f++)
				owner[pfn[s] - BASE + f] = 0;
			assert_int_equal(buddy_free(&z, pfn[s], order[s]), BUDDY_OK);
			live[s] = 0;
			held -= 1ull << order[s];
		}
		assert_int_equal(buddy_free_frames(&z) + held, N);
		if (step % 5000 == 0)
			check_zone(&z);
	}
	for (size_t s = 0; s < SLOTS; s++)
		if (live[s])
			assert_int_equal(buddy_free(&z, pfn[s], order[s]), BUDDY_OK);
	assert_int_equal(buddy_free_frames(&z), N);
	check_zone(&z);
	free(live);
	free(order);
	free(pfn);
	free(owner);
	free(pages);
}

static void test_page_cache_batches(void **state)
{
	enum { N = 1000 };
	struct buddy_zone z;
	struct buddy_page *pages = zone_create(&z, 0, N);
	struct page_cache c;
	uint64_t got[PAGE_CACHE_CAPACITY + 10];
	uint64_t zone_free;

	(void)state;
	buddy_add_free_range(&z, 0, N);
	page_cache_init(&c);

	/* The first allocation pulls one batch from the zone. */
	assert_true(page_cache_alloc(&c, &z, &got[0]));
	assert_int_equal(buddy_free_frames(&z), N - PAGE_CACHE_BATCH);
	assert_int_equal(page_cache_count(&c), PAGE_CACHE_BATCH - 1);
	for (int i = 1; i < PAGE_CACHE_BATCH; i++)
		assert_true(page_cache_alloc(&c, &z, &got[i]));
	assert_int_equal(page_cache_count(&c), 0);
	assert_int_equal(buddy_free_frames(&z), N - PAGE_CACHE_BATCH);
	assert_true(page_cache_alloc(&c, &z, &got[PAGE_CACHE_BATCH]));
	assert_int_equal(buddy_free_frames(&z), N - 2 * PAGE_CACHE_BATCH);

	/*
	 * Take the rest straight from the zone, then free pages into the
	 * cache until it is full: 31 cached + 33 freed = 64.
	 */
	for (int i = PAGE_CACHE_BATCH + 1; i < PAGE_CACHE_CAPACITY + 10; i++)
		assert_true(buddy_alloc(&z, 0, &got[i]));
	for (int i = 0; i <= PAGE_CACHE_BATCH; i++) {
		assert_int_equal(page_cache_free(&c, &z, got[i]), BUDDY_OK);
		assert_int_equal(page_cache_count(&c), PAGE_CACHE_BATCH + i);
	}
	assert_int_equal(page_cache_count(&c), PAGE_CACHE_CAPACITY);

	/* The cache is full: the next free drains one batch first. */
	zone_free = buddy_free_frames(&z);
	assert_int_equal(page_cache_free(&c, &z, got[PAGE_CACHE_BATCH + 1]), BUDDY_OK);
	assert_int_equal(page_cache_count(&c), PAGE_CACHE_CAPACITY - PAGE_CACHE_BATCH + 1);
	assert_int_equal(buddy_free_frames(&z), zone_free + PAGE_CACHE_BATCH);
	check_zone(&z);

	for (int i = PAGE_CACHE_BATCH + 2; i < PAGE_CACHE_CAPACITY + 10; i++)
		assert_int_equal(page_cache_free(&c, &z, got[i]), BUDDY_OK);
	page_cache_drain_all(&c, &z);
	assert_int_equal(buddy_free_frames(&z), N);
	check_zone(&z);
	free(pages);
}

static void test_page_cache_accounting_and_bad_free(void **state)
{
	enum { N = 700, BASE = 9 };
	struct buddy_zone z;
	struct buddy_page *pages = zone_create(&z, BASE, N);
	uint64_t before[BUDDY_MAX_ORDER + 1];
	uint64_t *got = calloc(N, sizeof(*got));
	struct page_cache c;
	struct prng r = { 4 };
	size_t n = 0;
	uint64_t big;

	(void)state;
	buddy_add_free_range(&z, BASE, N);
	memcpy(before, z.free_blocks, sizeof(before));
	page_cache_init(&c);

	/* Exhaustion through the cache yields every frame exactly once. */
	while (page_cache_alloc(&c, &z, &got[n]))
		n++;
	assert_int_equal(n, N);
	assert_int_equal(buddy_free_frames(&z) + page_cache_count(&c), 0);

	prng_shuffle(&r, got, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(page_cache_free(&c, &z, got[i]), BUDDY_OK);
		assert_int_equal(buddy_free_frames(&z) + page_cache_count(&c), i + 1);
	}
	/* A page in the cache cannot be freed again, either way. */
	{
		uint64_t cached = c.pfns[c.count - 1];

		assert_int_equal(page_cache_free(&c, &z, cached), BUDDY_ENOTALLOC);
		assert_int_equal(buddy_free(&z, cached, 0), BUDDY_ENOTALLOC);
	}
	/* Neither can a free page, a reserved one, or part of a block. */
	assert_int_equal(page_cache_free(&c, &z, BASE + N), BUDDY_EINVAL);
	page_cache_drain_all(&c, &z);
	assert_int_equal(page_cache_count(&c), 0);
	assert_int_equal(page_cache_free(&c, &z, BASE + 1), BUDDY_ENOTALLOC);
	assert_true(buddy_alloc(&z, 2, &big));
	assert_int_equal(page_cache_free(&c, &z, big), BUDDY_ENOTALLOC);
	assert_int_equal(page_cache_free(&c, &z, big + 1), BUDDY_ENOTALLOC);
	assert_int_equal(buddy_free(&z, big, 2), BUDDY_OK);

	assert_int_equal(buddy_free_frames(&z), N);
	assert_memory_equal(before, z.free_blocks, sizeof(before));
	check_zone(&z);
	free(got);
	free(pages);
}

/* Lock-free halves report when the zone is needed instead of touching it. */
static void test_page_cache_pop_push(void **state)
{
	struct buddy_zone z;
	struct buddy_page *pages = zone_create(&z, 0, 256);
	struct page_cache c;
	uint64_t pfn, got[PAGE_CACHE_CAPACITY + 1];

	(void)state;
	buddy_add_free_range(&z, 0, 256);
	page_cache_init(&c);
	assert_false(page_cache_pop(&c, &z, &pfn));
	assert_int_equal(buddy_free_frames(&z), 256);
	for (int i = 0; i <= PAGE_CACHE_CAPACITY; i++)
		assert_true(buddy_alloc(&z, 0, &got[i]));
	for (int i = 0; i < PAGE_CACHE_CAPACITY; i++)
		assert_int_equal(page_cache_push(&c, &z, got[i]), BUDDY_OK);
	assert_int_equal(page_cache_push(&c, &z, got[PAGE_CACHE_CAPACITY]), PAGE_CACHE_EFULL);
	assert_int_equal(page_cache_refill(&c, &z), 0);
	assert_true(page_cache_pop(&c, &z, &pfn));
	assert_int_equal(pfn, got[PAGE_CACHE_CAPACITY - 1]); /* LIFO */
	assert_int_equal(buddy_free(&z, pfn, 0), BUDDY_OK);
	assert_int_equal(buddy_free(&z, got[PAGE_CACHE_CAPACITY], 0), BUDDY_OK);
	assert_int_equal(page_cache_drain(&c, &z), PAGE_CACHE_BATCH);
	page_cache_drain_all(&c, &z);
	assert_int_equal(buddy_free_frames(&z), 256);
	assert_int_equal(z.free_blocks[8], 1);
	check_zone(&z);
	free(pages);
}

/* Runs of any length: exactly count frames leave the free lists, the run
 * is disjoint from what stays free, and freeing it merges the zone back. */
/* buddy_split: an allocated order-9 block becomes 512 pages, freed one
 * by one in any order, which merge back into the whole zone; a block not
 * allocated, or not at that order, is refused. */
static void test_split(void **state)
{
	enum { N = 1 << 10 };
	struct buddy_zone z;
	struct buddy_page *pages = zone_create(&z, 0, N);
	uint64_t pfn;

	(void)state;
	buddy_add_free_range(&z, 0, N);
	assert_true(buddy_alloc(&z, 9, &pfn));
	assert_int_equal(buddy_split(&z, pfn, 8), BUDDY_ENOTALLOC);
	assert_int_equal(buddy_split(&z, pfn + 1, 9), BUDDY_EINVAL);
	assert_int_equal(buddy_split(&z, pfn, 9), BUDDY_OK);
	assert_int_equal(buddy_split(&z, pfn, 9), BUDDY_ENOTALLOC);
	assert_int_equal(buddy_free(&z, pfn, 9), BUDDY_ENOTALLOC);
	for (unsigned i = 0; i < 512; i++) {
		unsigned k = (i * 37) % 512; /* 37 is prime to 512: each once */
		assert_int_equal(buddy_free(&z, pfn + k, 0), BUDDY_OK);
		check_zone(&z);
	}
	assert_int_equal(buddy_free_frames(&z), N);
	assert_int_equal(z.free_blocks[10], 1);
	free(pages);
}

static void test_alloc_run(void **state)
{
	enum { N = 1024, BASE = 0x4000 };
	static const uint64_t counts[] = { 1, 2, 3, 5, 7, 100, 257, 511, 512, 700, 1023, 1024 };
	struct buddy_zone z;
	struct buddy_page *pages = zone_create(&z, BASE, N);
	uint64_t pfn, other;

	(void)state;
	buddy_add_free_range(&z, BASE, N);
	assert_false(buddy_alloc_run(&z, 0, &pfn));
	assert_false(buddy_alloc_run(&z, N + 1, &pfn));
	for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		uint64_t n = counts[c];

		assert_true(buddy_alloc_run(&z, n, &pfn));
		assert_true(pfn >= BASE && pfn + n <= BASE + N);
		assert_int_equal(buddy_free_frames(&z), N - n);
		check_zone(&z);
		/* What is left is usable and outside the run. */
		while (buddy_alloc(&z, 0, &other))
			assert_true(other < pfn || other >= pfn + n);
		for (uint64_t f = BASE; f < BASE + N; f++)
			if (f < pfn || f >= pfn + n)
				assert_int_equal(buddy_free(&z, f, 0), BUDDY_OK);
		assert_int_equal(buddy_free_run(&z, pfn, n), BUDDY_OK);
		assert_int_equal(buddy_free_frames(&z), N);
		assert_int_equal(z.free_blocks[10], 1);
		check_zone(&z);
	}
	/* A second free of a run is refused, not a corruption. */
	assert_true(buddy_alloc_run(&z, 3, &pfn));
	assert_int_equal(buddy_free_run(&z, pfn, 3), BUDDY_OK);
	assert_int_equal(buddy_free_run(&z, pfn, 3), BUDDY_ENOTALLOC);
	check_zone(&z);
	free(pages);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_starts_reserved),
		cmocka_unit_test(test_single_pages),
		cmocka_unit_test(test_higher_orders_aligned),
		cmocka_unit_test(test_gib_blocks_physically_aligned),
		cmocka_unit_test(test_coalesce_random_order),
		cmocka_unit_test(test_exhaustion_and_recovery),
		cmocka_unit_test(test_unaligned_ranges),
		cmocka_unit_test(test_adjacent_ranges_merge),
		cmocka_unit_test(test_bad_free_detected),
		cmocka_unit_test(test_random_stress),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_alloc_run),
		cmocka_unit_test(test_page_cache_batches),
		cmocka_unit_test(test_page_cache_accounting_and_bad_free),
		cmocka_unit_test(test_page_cache_pop_push),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
