/*
 * Host tests of the slab caches and the kheap size classes.
 *
 * Pages come from aligned_alloc through a counting page source, so every
 * test can also assert that each page went back when the caches were
 * emptied and shrunk. The stress test keeps a shadow record of every live
 * object, fills each with a pattern and checks no two ever overlap.
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

#include <kernel/slab.h>

struct page_counter {
	size_t live;
	size_t allocs;
	size_t limit; /* 0: unlimited */
};

static void *test_page_alloc(void *ctx)
{
	struct page_counter *pc = ctx;
	void *page;

	if (pc->limit && pc->live >= pc->limit)
		return NULL;
	page = aligned_alloc(SLAB_PAGE_SIZE, SLAB_PAGE_SIZE);
	assert_non_null(page);
	/* Garbage, as a recycled physical page would hold. */
	memset(page, 0xa5, SLAB_PAGE_SIZE);
	pc->live++;
	pc->allocs++;
	return page;
}

static void test_page_free(void *ctx, void *page)
{
	struct page_counter *pc = ctx;

	assert_true(pc->live > 0);
	pc->live--;
	free(page);
}

static struct slab_page_source source(struct page_counter *pc)
{
	struct slab_page_source src = {
		.page_alloc = test_page_alloc,
		.page_free = test_page_free,
		.ctx = pc,
	};

	return src;
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

/* Objects are distinct, aligned, and wholly inside their page's payload. */
static void check_objects(const struct slab_cache *c, void **objs, size_t n, size_t align)
{
	uintptr_t *sorted = calloc(n, sizeof(*sorted));

	for (size_t i = 0; i < n; i++) {
		uintptr_t p = (uintptr_t)objs[i];
		uintptr_t off = p & (SLAB_PAGE_SIZE - 1);

		assert_int_equal(p % align, 0);
		assert_true(off >= c->first_obj);
		assert_true(off + c->obj_size <= SLAB_PAGE_SIZE);
		assert_ptr_equal(slab_cache_of(objs[i]), c);
		sorted[i] = p;
	}
	qsort(sorted, n, sizeof(*sorted), cmp_ptr);
	for (size_t i = 1; i < n; i++)
		assert_true(sorted[i - 1] + c->obj_size <= sorted[i]);
	free(sorted);
}

static void test_alloc_many_distinct(void **state)
{
	enum { N = 1000 };
	struct page_counter pc = { 0 };
	struct slab_page_source src = source(&pc);
	struct slab_cache c;
	void *objs[N];

	(void)state;
	assert_int_equal(slab_cache_init(&c, "test-40", 40, 8, &src), SLAB_OK);
	for (int i = 0; i < N; i++) {
		objs[i] = slab_alloc(&c);
		assert_non_null(objs[i]);
		memset(objs[i], i & 0xff, 40);
	}
	assert_int_equal(slab_cache_in_use(&c), N);
	assert_int_equal(slab_cache_pages(&c), (N + c.objs_per_slab - 1) / c.objs_per_slab);
	assert_int_equal(pc.live, slab_cache_pages(&c));
	check_objects(&c, objs, N, 8);
	for (int i = 0; i < N; i++) {
		for (int b = 0; b < 40; b++)
			assert_int_equal(((uint8_t *)objs[i])[b], i & 0xff);
		assert_int_equal(slab_free(&c, objs[i]), SLAB_OK);
	}
	assert_int_equal(slab_cache_in_use(&c), 0);
	/* Every emptied slab went back but one. */
	assert_int_equal(pc.live, 1);
	slab_cache_shrink(&c);
	assert_int_equal(pc.live, 0);
	assert_int_equal(slab_cache_pages(&c), 0);
}

static void test_sizes_and_alignment(void **state)
{
	static const size_t cases[][2] = {
		{ 1, 0 },   { 7, 1 },	   { 24, 64 },	{ 100, 128 },
		{ 500, 8 }, { 1000, 512 }, { 2048, 0 }, { 2048, 2048 },
	};
	struct page_counter pc = { 0 };
	struct slab_page_source src = source(&pc);
	struct slab_cache c;

	(void)state;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		size_t size = cases[k][0], align = cases[k][1];
		size_t n = 0;
		void *objs[600];

		assert_int_equal(slab_cache_init(&c, "t", size, align, &src), SLAB_OK);
		assert_true(c.objs_per_slab >= 1);
		/* Fill three pages' worth. */
		while (n < 3 * c.objs_per_slab && n < 600)
			assert_non_null(objs[n++] = slab_alloc(&c));
		check_objects(&c, objs, n, align ? align : 8);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(slab_free(&c, objs[i]), SLAB_OK);
		slab_cache_shrink(&c);
		assert_int_equal(pc.live, 0);
	}
	assert_int_equal(slab_cache_init(&c, "t", 0, 0, &src), SLAB_EINVAL);
	assert_int_equal(slab_cache_init(&c, "t", 2049, 0, &src), SLAB_EINVAL);
	assert_int_equal(slab_cache_init(&c, "t", 16, 3, &src), SLAB_EINVAL);
	assert_int_equal(slab_cache_init(&c, "t", 16, 4096, &src), SLAB_EINVAL);
}

static void test_free_and_reuse(void **state)
{
	struct page_counter pc = { 0 };
	struct slab_page_source src = source(&pc);
	struct slab_cache c;
	void *a, *b, *d;

	(void)state;
	slab_cache_init(&c, "reuse", 64, 0, &src);
	a = slab_alloc(&c);
	b = slab_alloc(&c);
	assert_ptr_not_equal(a, b);
	assert_int_equal(slab_free(&c, a), SLAB_OK);
	d = slab_alloc(&c);
	assert_ptr_equal(d, a); /* the freed object is reused first */
	assert_int_equal(pc.allocs, 1);
	assert_int_equal(slab_free(&c, b), SLAB_OK);
	assert_int_equal(slab_free(&c, d), SLAB_OK);
	/* The empty slab is kept: a new alloc needs no new page. */
	assert_int_equal(pc.live, 1);
	a = slab_alloc(&c);
	assert_int_equal(pc.allocs, 1);
	assert_int_equal(slab_free(&c, a), SLAB_OK);
	slab_cache_shrink(&c);
	assert_int_equal(pc.live, 0);
}

/* Emptied slabs return to the source, keeping at most one cached. */
static void test_pages_returned_when_empty(void **state)
{
	struct page_counter pc = { 0 };
	struct slab_page_source src = source(&pc);
	struct slab_cache c;
	void *objs[4][512];
	size_t per;

	(void)state;
	slab_cache_init(&c, "pages", 256, 0, &src);
	per = c.objs_per_slab;
	for (int p = 0; p < 4; p++)
		for (size_t i = 0; i < per; i++)
			objs[p][i] = slab_alloc(&c);
	assert_int_equal(pc.live, 4);
	assert_int_equal(slab_cache_in_use(&c), 4 * per);

	/* Empty slab 1: it becomes the cached empty slab. */
	for (size_t i = 0; i < per; i++)
		assert_int_equal(slab_free(&c, objs[1][i]), SLAB_OK);
	assert_int_equal(pc.live, 4);
	/* Empty slab 3: one empty is already cached, so this page goes. */
	for (size_t i = 0; i < per; i++)
		assert_int_equal(slab_free(&c, objs[3][i]), SLAB_OK);
	assert_int_equal(pc.live, 3);
	/* Partially free slab 0 and 2, then refill: no new pages needed. */
	assert_int_equal(slab_free(&c, objs[0][0]), SLAB_OK);
	assert_int_equal(slab_free(&c, objs[2][per - 1]), SLAB_OK);
	for (size_t i = 0; i < per + 2; i++)
		assert_non_null(slab_alloc(&c));
	assert_int_equal(pc.live, 3);
	assert_int_equal(slab_cache_in_use(&c), 3 * per);
	assert_null(c.partial);
	assert_null(c.empty);

	/* Releasing the remaining objects, the freshly allocated included,
	 * leaves exactly one slab. */
	for (size_t i = 0; i < per; i++) {
		assert_int_equal(slab_free(&c, objs[0][i]), SLAB_OK);
		assert_int_equal(slab_free(&c, objs[1][i]), SLAB_OK);
		assert_int_equal(slab_free(&c, objs[2][i]), SLAB_OK);
	}
	assert_int_equal(slab_cache_in_use(&c), 0);
	assert_int_equal(pc.live, 1);
	slab_cache_shrink(&c);
	assert_int_equal(pc.live, 0);
}

static void test_bad_free_detected(void **state)
{
	struct page_counter pc = { 0 };
	struct slab_page_source src = source(&pc);
	struct slab_cache a, b;
	char *x, *y, *other;
	void *plain;

	(void)state;
	/* 200-byte objects leave slack at the end of the page. */
	slab_cache_init(&a, "a", 200, 8, &src);
	slab_cache_init(&b, "b", 200, 8, &src);
	assert_true(a.first_obj + a.objs_per_slab * a.stride < SLAB_PAGE_SIZE);
	x = slab_alloc(&a);
	y = slab_alloc(&a);
	other = slab_alloc(&b);

	assert_int_equal(slab_free(&a, NULL), SLAB_EBADPTR);
	assert_int_equal(slab_free(&a, x + 1), SLAB_EBADPTR);
	assert_int_equal(slab_free(&a, x + a.stride / 2), SLAB_EBADPTR);
	/* The header, and the slack past the last object. */
	assert_int_equal(slab_free(&a, (void *)((uintptr_t)x & ~4095ul)), SLAB_EBADPTR);
	assert_int_equal(slab_free(&a, (char *)((uintptr_t)x & ~4095ul) + a.first_obj +
					       a.objs_per_slab * a.stride),
			 SLAB_EBADPTR);
	/* Another cache's object, and a page that is not a slab at all. */
	assert_int_equal(slab_free(&a, other), SLAB_EBADPTR);
	plain = test_page_alloc(&pc);
	assert_int_equal(slab_free(&a, (char *)plain + 256), SLAB_EBADPTR);
	assert_ptr_equal(slab_cache_of(plain), NULL);
	test_page_free(&pc, plain);
	assert_int_equal(slab_cache_in_use(&a), 2);

	/* Double free, while the slab is partial and while it is empty. */
	assert_int_equal(slab_free(&a, x), SLAB_OK);
	assert_int_equal(slab_free(&a, x), SLAB_EDOUBLEFREE);
	/* A never-allocated object in a live slab counts as a double free. */
	assert_int_equal(slab_free(&a, y + a.stride), SLAB_EDOUBLEFREE);
	assert_int_equal(slab_free(&a, y), SLAB_OK);
	assert_int_equal(slab_free(&a, y), SLAB_EDOUBLEFREE);
	assert_int_equal(slab_cache_in_use(&a), 0);
	assert_int_equal(slab_free(&b, other), SLAB_OK);

	/* The free list survived the refused frees. */
	x = slab_alloc(&a);
	y = slab_alloc(&a);
	assert_ptr_not_equal(x, y);
	assert_int_equal(slab_free(&a, x), SLAB_OK);
	assert_int_equal(slab_free(&a, y), SLAB_OK);
	slab_cache_shrink(&a);
	slab_cache_shrink(&b);
	assert_int_equal(pc.live, 0);
}

static void test_page_source_exhausted(void **state)
{
	struct page_counter pc = { .limit = 2 };
	struct slab_page_source src = source(&pc);
	struct slab_cache c;
	void *objs[64];
	size_t n = 0;

	(void)state;
	slab_cache_init(&c, "tight", 512, 0, &src);
	while ((objs[n] = slab_alloc(&c)) != NULL)
		n++;
	assert_int_equal(n, 2 * c.objs_per_slab);
	assert_int_equal(slab_cache_in_use(&c), n);
	assert_int_equal(slab_free(&c, objs[0]), SLAB_OK);
	assert_ptr_equal(slab_alloc(&c), objs[0]);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(slab_free(&c, objs[i]), SLAB_OK);
	slab_cache_shrink(&c);
	assert_int_equal(pc.live, 0);
}

static void kheap_release(struct kheap *h)
{
	for (unsigned i = 0; i < KHEAP_NCLASSES; i++)
		slab_cache_shrink(&h->classes[i]);
}

static void test_kheap_classes(void **state)
{
	struct page_counter pc = { 0 };
	struct slab_page_source src = source(&pc);
	struct kheap h;
	struct slab_cache foreign;
	void *p, *f;

	(void)state;
	kheap_init(&h, &src);
	assert_null(kheap_alloc(&h, 0));
	assert_null(kheap_alloc(&h, 2049));
	assert_null(kheap_alloc(&h, SIZE_MAX));
	assert_int_equal(kheap_free(&h, NULL), SLAB_OK);

	for (size_t size = 1; size <= 2048; size++) {
		size_t class = 16;

		while (class < size)
			class *= 2;
		p = kheap_alloc(&h, size);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		assert_int_equal(slab_cache_of(p)->obj_size, class);
		memset(p, 0x5a, size);
		assert_int_equal(kheap_free(&h, p), SLAB_OK);
	}
	p = kheap_alloc(&h, 100);
	assert_int_equal(kheap_free(&h, p), SLAB_OK);
	assert_int_equal(kheap_free(&h, p), SLAB_EDOUBLEFREE);
	/* An object of a cache outside this heap. */
	slab_cache_init(&foreign, "foreign", 64, 0, &src);
	f = slab_alloc(&foreign);
	assert_int_equal(kheap_free(&h, f), SLAB_EBADPTR);
	assert_int_equal(slab_free(&foreign, f), SLAB_OK);
	slab_cache_shrink(&foreign);
	kheap_release(&h);
	assert_int_equal(pc.live, 0);
}

struct live_obj {
	uint8_t *p;
	size_t size;
	uint8_t pattern;
};

static int cmp_live(const void *a, const void *b)
{
	const struct live_obj *x = a, *y = b;

	return (uintptr_t)x->p < (uintptr_t)y->p ? -1 : (uintptr_t)x->p > (uintptr_t)y->p;
}

static void check_pattern(const struct live_obj *o)
{
	for (size_t b = 0; b < o->size; b++)
		assert_int_equal(o->p[b], o->pattern);
}

/* Live objects never overlap: sort by address, compare neighbours. */
static void check_disjoint(const struct live_obj *slots, size_t n)
{
	struct live_obj *v = calloc(n, sizeof(*v));
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		if (slots[i].p)
			v[m++] = slots[i];
	qsort(v, m, sizeof(*v), cmp_live);
	for (size_t i = 1; i < m; i++)
		assert_true(v[i - 1].p + v[i - 1].size <= v[i].p);
	free(v);
}

static void test_kheap_random_stress(void **state)
{
	enum { SLOTS = 3000, STEPS = 200000 };
	struct page_counter pc = { 0 };
	struct slab_page_source src = source(&pc);
	struct live_obj *slots = calloc(SLOTS, sizeof(*slots));
	struct prng r = { 42 };
	size_t live = 0;
	struct kheap h;

	(void)state;
	kheap_init(&h, &src);
	for (int step = 0; step < STEPS; step++) {
		struct live_obj *o = &slots[prng_next(&r) % SLOTS];

		if (!o->p) {
			/* Bias towards small sizes, as a kernel would. */
			size_t max = (size_t)16 << (prng_next(&r) % 8);

			o->size = 1 + prng_next(&r) % max;
			o->p = kheap_alloc(&h, o->size);
			assert_non_null(o->p);
			o->pattern = (uint8_t)prng_next(&r);
			memset(o->p, o->pattern, o->size);
			live++;
		} else {
			check_pattern(o);
			assert_int_equal(kheap_free(&h, o->p), SLAB_OK);
			o->p = NULL;
			live--;
		}
		if (step % 20000 == 0) {
			size_t in_use = 0;

			for (unsigned i = 0; i < KHEAP_NCLASSES; i++)
				in_use += slab_cache_in_use(&h.classes[i]);
			assert_int_equal(in_use, live);
			check_disjoint(slots, SLOTS);
			for (size_t i = 0; i < SLOTS; i++)
				if (slots[i].p)
					check_pattern(&slots[i]);
		}
	}
	check_disjoint(slots, SLOTS);
	for (size_t i = 0; i < SLOTS; i++) {
		if (slots[i].p) {
			check_pattern(&slots[i]);
			assert_int_equal(kheap_free(&h, slots[i].p), SLAB_OK);
		}
	}
	/* Only the one cached empty slab per class may remain. */
	assert_true(pc.live <= KHEAP_NCLASSES);
	kheap_release(&h);
	assert_int_equal(pc.live, 0);
	free(slots);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_many_distinct),
		cmocka_unit_test(test_sizes_and_alignment),
		cmocka_unit_test(test_free_and_reuse),
		cmocka_unit_test(test_pages_returned_when_empty),
		cmocka_unit_test(test_bad_free_detected),
		cmocka_unit_test(test_page_source_exhausted),
		cmocka_unit_test(test_kheap_classes),
		cmocka_unit_test(test_kheap_random_stress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
