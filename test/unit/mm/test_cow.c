/*
 * Host tests of the copy-on-write reference counting (kernel/cow.h).
 *
 * The fork tests run a small world of frames and owners (page trees, one
 * virtual page each) through forks, writes and exits, doing what the
 * kernel will do with each decision, and compare every count with an
 * explicit model: a frame's refs must equal the number of owners holding
 * it, every owner must read what it last wrote (or inherited), and a
 * frame is freed exactly when its last holder lets go.
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

#include <kernel/cow.h>

static void test_share_unshare_counts(void **state)
{
	struct page_ref r;

	(void)state;
	cow_page_init(&r);
	assert_int_equal(r.refs, 1);
	assert_int_equal(r.flags, 0);
	for (uint32_t i = 2; i <= 5; i++) {
		assert_int_equal(cow_share(&r), COW_OK);
		assert_int_equal(r.refs, i);
	}
	for (uint32_t i = 4; i >= 1; i--) {
		assert_int_equal(cow_unshare(&r), COW_KEEP);
		assert_int_equal(r.refs, i);
	}
	assert_int_equal(cow_unshare(&r), COW_FREE);
	assert_int_equal(r.refs, 0);
	/* A second release of a freed page is reported, not wrapped. */
	assert_int_equal(cow_unshare(&r), COW_EUNDERFLOW);
	assert_int_equal(r.refs, 0);
	assert_int_equal(cow_write_fault(&r), COW_INVALID);
}

static void test_write_fault_transitions(void **state)
{
	struct page_ref a, copy;

	(void)state;
	cow_page_init(&a);
	assert_int_equal(cow_write_fault(&a), COW_REUSE);
	assert_int_equal(a.refs, 1); /* deciding changes nothing */

	/* Two holders: the first writer copies, the other then reuses. */
	assert_int_equal(cow_share(&a), COW_OK);
	assert_int_equal(cow_write_fault(&a), COW_COPY);
	cow_page_init(&copy);
	assert_int_equal(cow_copied(&a), COW_KEEP);
	assert_int_equal(a.refs, 1);
	assert_int_equal(cow_write_fault(&copy), COW_REUSE);
	assert_int_equal(cow_write_fault(&a), COW_REUSE);
	assert_int_equal(cow_unshare(&a), COW_FREE);
	assert_int_equal(cow_unshare(&copy), COW_FREE);
}

static void test_overflow_refused(void **state)
{
	struct page_ref r = { .refs = UINT32_MAX - 1, .flags = 0 };

	(void)state;
	assert_int_equal(cow_share(&r), COW_OK);
	assert_int_equal(r.refs, UINT32_MAX);
	assert_int_equal(cow_share(&r), COW_EOVERFLOW);
	assert_int_equal(r.refs, UINT32_MAX);
	assert_int_equal(cow_write_fault(&r), COW_COPY);
	assert_int_equal(cow_unshare(&r), COW_KEEP);
	assert_int_equal(r.refs, UINT32_MAX - 1);
	assert_int_equal(cow_share(&r), COW_OK);
}

static void test_pinned_page(void **state)
{
	struct page_ref zero;

	(void)state;
	cow_page_init_pinned(&zero);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(cow_share(&zero), COW_OK);
	assert_int_equal(zero.refs, 1);
	assert_int_equal(cow_write_fault(&zero), COW_COPY);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(cow_unshare(&zero), COW_KEEP);
	assert_int_equal(cow_copied(&zero), COW_KEEP);
	assert_int_equal(zero.refs, 1);
	assert_int_equal(cow_write_fault(&zero), COW_COPY);
	assert_int_equal(cow_resolve(COW_FOUND_OWN, &zero, false), COW_MAP_READONLY);
	assert_int_equal(cow_resolve(COW_FOUND_OWN, &zero, true), COW_COPY_REPLACE);
}

static void test_resolve(void **state)
{
	struct page_ref one, two, none = { .refs = 0, .flags = 0 };

	(void)state;
	cow_page_init(&one);
	cow_page_init(&two);
	cow_share(&two);
	assert_int_equal(cow_resolve(COW_FOUND_NOWHERE, NULL, false), COW_MAP_ZERO_PAGE);
	assert_int_equal(cow_resolve(COW_FOUND_NOWHERE, NULL, true), COW_ALLOC_ZERO);
	assert_int_equal(cow_resolve(COW_FOUND_OWN, &one, false), COW_MAP_WRITABLE);
	assert_int_equal(cow_resolve(COW_FOUND_OWN, &one, true), COW_MAP_WRITABLE);
	assert_int_equal(cow_resolve(COW_FOUND_OWN, &two, false), COW_MAP_READONLY);
	assert_int_equal(cow_resolve(COW_FOUND_OWN, &two, true), COW_COPY_REPLACE);
	assert_int_equal(cow_resolve(COW_FOUND_OWN, &none, true), COW_RESOLVE_INVALID);
	assert_int_equal(cow_resolve(COW_FOUND_OWN, &none, false), COW_RESOLVE_INVALID);
	/* An ancestor's page is never written, even when it alone holds it. */
	for (int depth = 1; depth <= 3; depth++) {
		assert_int_equal(cow_resolve(depth, &one, false), COW_MAP_READONLY);
		assert_int_equal(cow_resolve(depth, &one, true), COW_COPY_FROM_ANCESTOR);
		assert_int_equal(cow_resolve(depth, &two, true), COW_COPY_FROM_ANCESTOR);
	}
	assert_int_equal(one.refs, 1); /* resolving changes nothing */
	assert_int_equal(two.refs, 2);
}

/*
 * A clone chain: a child sees its parent's page until it writes, then its
 * own copy; the parent's page is untouched.
 */
static void test_resolve_chain(void **state)
{
	struct page_ref parent_page, child_page;
	int child_depth;

	(void)state;
	cow_page_init(&parent_page);
	child_depth = 1; /* found in the parent */
	assert_int_equal(cow_resolve(child_depth, &parent_page, false), COW_MAP_READONLY);
	assert_int_equal(cow_resolve(child_depth, &parent_page, true), COW_COPY_FROM_ANCESTOR);
	cow_page_init(&child_page); /* the copy, now in the child's tree */
	child_depth = COW_FOUND_OWN;
	assert_int_equal(cow_resolve(child_depth, &child_page, false), COW_MAP_WRITABLE);
	assert_int_equal(cow_resolve(child_depth, &child_page, true), COW_MAP_WRITABLE);
	assert_int_equal(parent_page.refs, 1);
	assert_int_equal(cow_resolve(COW_FOUND_OWN, &parent_page, true), COW_MAP_WRITABLE);
}

#define MAX_FRAMES 64
#define MAX_OWNERS 8

struct world {
	struct page_ref ref[MAX_FRAMES];
	bool allocated[MAX_FRAMES];
	uint32_t data[MAX_FRAMES];
	int frame[MAX_OWNERS];	     /* held by each owner, -1 for none */
	uint32_t expect[MAX_OWNERS]; /* what each owner must read */
	int copies, reuses, frees;
};

static int holders(const struct world *w, int f)
{
	int n = 0;

	for (int o = 0; o < MAX_OWNERS; o++)
		n += w->frame[o] == f;
	return n;
}

static void check_world(const struct world *w)
{
	for (int f = 0; f < MAX_FRAMES; f++) {
		if (!w->allocated[f]) {
			assert_int_equal(holders(w, f), 0);
			continue;
		}
		assert_true(holders(w, f) > 0); /* no frame leaks */
		assert_int_equal(w->ref[f].refs, holders(w, f));
	}
	for (int o = 0; o < MAX_OWNERS; o++) {
		if (w->frame[o] < 0)
			continue;
		assert_true(w->allocated[w->frame[o]]);
		assert_int_equal(w->data[w->frame[o]], w->expect[o]);
	}
}

static void world_init(struct world *w, int first_owner, uint32_t value)
{
	memset(w, 0, sizeof(*w));
	for (int o = 0; o < MAX_OWNERS; o++)
		w->frame[o] = -1;
	cow_page_init(&w->ref[0]);
	w->allocated[0] = true;
	w->data[0] = value;
	w->frame[first_owner] = 0;
	w->expect[first_owner] = value;
}

static int alloc_frame(struct world *w)
{
	for (int f = 0; f < MAX_FRAMES; f++) {
		if (!w->allocated[f]) {
			w->allocated[f] = true;
			return f;
		}
	}
	fail();
	return -1;
}

static void world_fork(struct world *w, int parent, int child)
{
	int f = w->frame[parent];

	assert_int_equal(cow_share(&w->ref[f]), COW_OK);
	w->frame[child] = f;
	w->expect[child] = w->expect[parent];
	check_world(w);
}

static void world_write(struct world *w, int o, uint32_t value)
{
	int f = w->frame[o];
	enum cow_action act = cow_write_fault(&w->ref[f]);

	assert_int_equal(act, holders(w, f) == 1 ? COW_REUSE : COW_COPY);
	assert_int_equal(cow_resolve(COW_FOUND_OWN, &w->ref[f], true),
			 act == COW_REUSE ? COW_MAP_WRITABLE : COW_COPY_REPLACE);
	if (act == COW_COPY) {
		int n = alloc_frame(w);

		w->data[n] = w->data[f];
		cow_page_init(&w->ref[n]);
		assert_int_equal(cow_copied(&w->ref[f]), COW_KEEP);
		w->frame[o] = n;
		w->copies++;
	} else {
		w->reuses++;
	}
	w->data[w->frame[o]] = value;
	w->expect[o] = value;
	check_world(w);
}

static void world_exit(struct world *w, int o)
{
	int f = w->frame[o];
	int r;

	w->frame[o] = -1;
	r = cow_unshare(&w->ref[f]);
	assert_int_equal(r, holders(w, f) == 0 ? COW_FREE : COW_KEEP);
	if (r == COW_FREE) {
		w->allocated[f] = false;
		w->frees++;
	}
	check_world(w);
}

/* Parent 0 forks children 1 and 2; all three write, in every order. */
static void test_fork_every_write_order(void **state)
{
	static const int orders[6][3] = { { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
					  { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 } };

	(void)state;
	for (int i = 0; i < 6; i++) {
		struct world w;

		world_init(&w, 0, 100);
		world_fork(&w, 0, 1);
		world_fork(&w, 0, 2);
		assert_int_equal(w.ref[0].refs, 3);
		for (int k = 0; k < 3; k++)
			world_write(&w, orders[i][k], 200 + (uint32_t)orders[i][k]);
		/* The first two writers copy; the last finds itself alone. */
		assert_int_equal(w.copies, 2);
		assert_int_equal(w.reuses, 1);
		assert_int_equal(w.frame[orders[i][2]], 0);
		/* Writing again never copies. */
		for (int o = 0; o < 3; o++)
			world_write(&w, o, 300 + (uint32_t)o);
		assert_int_equal(w.copies, 2);
		for (int o = 0; o < 3; o++)
			world_exit(&w, o);
		assert_int_equal(w.frees, 3);
	}
}

/* Exits before writes: whoever is left alone writes in place. */
static void test_fork_exit_before_write(void **state)
{
	struct world w;

	(void)state;
	world_init(&w, 0, 7);
	world_fork(&w, 0, 1);
	world_fork(&w, 0, 2);
	world_exit(&w, 1);
	assert_int_equal(w.frees, 0);
	world_write(&w, 0, 8); /* the parent still shares with child 2 */
	assert_int_equal(w.copies, 1);
	world_write(&w, 2, 9); /* child 2 now holds the original alone */
	assert_int_equal(w.copies, 1);
	assert_int_equal(w.reuses, 1);
	/* Grandchild of child 2, then child 2 exits: no copy ever needed. */
	world_fork(&w, 2, 3);
	world_exit(&w, 2);
	world_write(&w, 3, 10);
	assert_int_equal(w.copies, 1);
	assert_int_equal(w.expect[0], 8);
	world_exit(&w, 3);
	world_exit(&w, 0);
	assert_int_equal(w.frees, 2);
}

static void test_random_fork_sequences(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 200; seed++) {
		struct prng r = { seed };
		struct world w;
		int live = 1;

		world_init(&w, 0, 1);
		for (int step = 0; step < 200; step++) {
			int o = (int)prng_below(&r, MAX_OWNERS);
			unsigned kind = (unsigned)prng_below(&r, 3);

			if (w.frame[o] < 0)
				continue;
			if (kind == 0) {
				int child = 0;

				while (child < MAX_OWNERS && w.frame[child] >= 0)
					child++;
				if (child == MAX_OWNERS)
					continue;
				world_fork(&w, o, child);
				live++;
			} else if (kind == 1) {
				world_write(&w, o, (uint32_t)prng_next(&r));
			} else if (live > 1) {
				world_exit(&w, o);
				live--;
			}
		}
		for (int o = 0; o < MAX_OWNERS; o++)
			if (w.frame[o] >= 0)
				world_exit(&w, o);
		for (int f = 0; f < MAX_FRAMES; f++)
			assert_false(w.allocated[f]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_share_unshare_counts),
		cmocka_unit_test(test_write_fault_transitions),
		cmocka_unit_test(test_overflow_refused),
		cmocka_unit_test(test_pinned_page),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_resolve_chain),
		cmocka_unit_test(test_fork_every_write_order),
		cmocka_unit_test(test_fork_exit_before_write),
		cmocka_unit_test(test_random_fork_sequences),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
