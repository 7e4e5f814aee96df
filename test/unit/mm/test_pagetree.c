/*
 * Host tests of the MemObj page tree (kernel/pagetree.h).
 *
 * Nodes come from a counting allocator that can be told to fail at its
 * k-th call, so every test also checks that nodes taken equal nodes given
 * back. check_tree() looks inside the tree (it knows the slot encoding:
 * bit 0 marks a huge entry) and asserts its shape: no empty node, huge
 * entries only at level 2, counts right, no needless top level, and the
 * contents equal to a reference model through lookup and the cursor.
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

#include <kernel/pagetree.h>

#define HUGE PAGETREE_HUGE_PAGES

/* The node allocator: counts, and fails the call numbered fail_at. */
struct node_source {
	uint64_t calls;
	uint64_t fail_at; /* UINT64_MAX: never */
	uint64_t live;
	uint64_t failures;
	struct prng *random_fail; /* when set, fail one call in 3 */
};

static void *alloc_node(void *ctx)
{
	struct node_source *s = ctx;
	void *n;

	if (s->calls++ == s->fail_at || (s->random_fail && prng_below(s->random_fail, 3) == 0)) {
		s->failures++;
		return NULL;
	}
	/* The node, then its summary word (garbage: the tree sets it). */
	n = aligned_alloc(PAGETREE_NODE_SIZE, 2 * PAGETREE_NODE_SIZE);
	assert_non_null(n);
	memset(n, 0, PAGETREE_NODE_SIZE);
	memset((char *)n + PAGETREE_NODE_SIZE, 0xa5, 8);
	s->live++;
	return n;
}

static void free_node(void *ctx, void *node)
{
	struct node_source *s = ctx;

	assert_true(s->live > 0);
	s->live--;
	free(node);
}

struct fixture {
	struct node_source src;
	struct pagetree_ops ops;
	struct pagetree t;
};

/* Whether the fixtures' trees keep summaries (the kernel's do). */
static bool use_summary;

static uint64_t *node_summary(void *ctx, void *node)
{
	(void)ctx;
	return (uint64_t *)((char *)node + PAGETREE_NODE_SIZE);
}

static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->src.fail_at = UINT64_MAX;
	f->ops.alloc_node = alloc_node;
	f->ops.free_node = free_node;
	f->ops.ctx = &f->src;
	f->ops.summary = use_summary ? node_summary : NULL;
	pagetree_init(&f->t, &f->ops);
}

/* Reference model: arrays of small and huge entries sorted by index. */
struct entry {
	uint64_t index;
	uint64_t value;
};

struct model {
	struct entry *small, *huge;
	size_t nsmall, nhuge, cap;
};

static void model_init(struct model *m, size_t cap)
{
	m->small = calloc(cap, sizeof(struct entry));
	m->huge = calloc(cap, sizeof(struct entry));
	assert_non_null(m->small);
	assert_non_null(m->huge);
	m->nsmall = m->nhuge = 0;
	m->cap = cap;
}

static void model_free(struct model *m)
{
	free(m->small);
	free(m->huge);
}

/* Position of the first entry with an index >= index. */
static size_t lower_bound(const struct entry *v, size_t n, uint64_t index)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct entry *model_find(struct entry *v, size_t n, uint64_t index)
{
	size_t i = lower_bound(v, n, index);

	return i < n && v[i].index == index ? &v[i] : NULL;
}

/* Set, replace, or (value 0) remove the entry for index. */
static void model_set(struct entry *v, size_t *n, size_t cap, uint64_t index, uint64_t value)
{
	size_t i = lower_bound(v, *n, index);
	bool present = i < *n && v[i].index == index;

	if (value == 0) {
		if (present) {
			memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof(*v));
			--*n;
		}
		return;
	}
	if (!present) {
		assert_true(*n < cap);
		memmove(&v[i + 1], &v[i], (*n - i) * sizeof(*v));
		(*n)++;
		v[i].index = index;
	}
	v[i].value = value;
}

static uint64_t model_lookup(const struct model *m, uint64_t index, bool *huge)
{
	struct entry *e = model_find(m->huge, m->nhuge, index & ~(uint64_t)(HUGE - 1));

	*huge = e != NULL;
	if (e)
		return e->value;
	e = model_find(m->small, m->nsmall, index);
	return e ? e->value : 0;
}

static bool model_small_in(const struct model *m, uint64_t base)
{
	size_t i = lower_bound(m->small, m->nsmall, base);

	return i < m->nsmall && m->small[i].index < base + HUGE;
}

/* The model's answer to pagetree_next. */
static uint64_t model_next(const struct model *m, uint64_t from, uint64_t end, uint64_t *index,
			   bool *huge)
{
	size_t s = lower_bound(m->small, m->nsmall, from);
	size_t h = lower_bound(m->huge, m->nhuge, from & ~(uint64_t)(HUGE - 1));
	uint64_t best = UINT64_MAX, value = 0;

	*huge = false;
	if (s < m->nsmall && m->small[s].index < end) {
		best = m->small[s].index;
		value = m->small[s].value;
	}
	if (h < m->nhuge && m->huge[h].index < end && m->huge[h].index < best) {
		best = m->huge[h].index;
		value = m->huge[h].value;
		*huge = true;
	}
	*index = best;
	return value;
}

/* Walk the nodes: returns the number of nodes, counting entries. */
static uint64_t check_nodes(const struct pagetree *t, uint64_t *small, uint64_t *huge)
{
	const uint64_t *stack[PAGETREE_MAX_HEIGHT + 1];
	unsigned next[PAGETREE_MAX_HEIGHT + 1];
	unsigned l = t->height;
	uint64_t nodes = 0;

	*small = *huge = 0;
	if (!l) {
		assert_null(t->root);
		return 0;
	}
	stack[l] = t->root;
	next[l] = 0;
	nodes = 1;
	while (l <= t->height) {
		uint64_t e;

		if (next[l] == PAGETREE_FANOUT) {
			l++;
			continue;
		}
		if (next[l] == 0) { /* first visit: the node must hold something */
			bool any = false;

			for (unsigned i = 0; i < PAGETREE_FANOUT; i++)
				any |= stack[l][i] != 0;
			assert_true(any);
		}
		e = stack[l][next[l]++];
		if (!e)
			continue;
		if (l == 1) {
			(*small)++;
		} else if (e & 1) {
			assert_int_equal(l, 2);
			(*huge)++;
		} else {
			l--;
			stack[l] = (const uint64_t *)(uintptr_t)e;
			next[l] = 0;
			nodes++;
		}
	}
	return nodes;
}

static void check_tree(const struct fixture *f, const struct model *m)
{
	const struct pagetree *t = &f->t;
	uint64_t small, huge, index, from = 0, count = 0;
	bool is_huge;

	assert_int_equal(check_nodes(t, &small, &huge), t->nodes);
	assert_int_equal(t->nodes, f->src.live);
	assert_int_equal(t->small, small);
	assert_int_equal(t->huge, huge);
	assert_int_equal(small, m->nsmall);
	assert_int_equal(huge, m->nhuge);
	assert_true(t->height <= PAGETREE_MAX_HEIGHT);
	if (t->height > 1) { /* no level that only leads to slot 0 */
		bool other = (t->root[0] & 1) != 0;

		for (unsigned i = 1; i < PAGETREE_FANOUT; i++)
			other |= t->root[i] != 0;
		assert_true(other);
	}
	for (size_t i = 0; i < m->nsmall; i++) {
		assert_int_equal(pagetree_lookup(t, m->small[i].index, &is_huge),
				 m->small[i].value);
		assert_false(is_huge);
	}
	for (size_t i = 0; i < m->nhuge; i++) {
		uint64_t in = m->huge[i].index + (i * 37) % HUGE;

		assert_int_equal(pagetree_lookup(t, in, &is_huge), m->huge[i].value);
		assert_true(is_huge);
	}
	/* The cursor visits exactly the model's entries, in order. */
	for (;;) {
		uint64_t v = pagetree_next(t, from, PAGETREE_INDEX_LIMIT, &index, &is_huge);
		uint64_t want_index;
		bool want_huge;

		if (!v)
			break;
		assert_true(index >= from);
		assert_int_equal(v, model_lookup(m, index, &want_huge));
		assert_int_equal(is_huge, want_huge);
		assert_int_equal(model_next(m, from, PAGETREE_INDEX_LIMIT, &want_index, &want_huge),
				 v);
		assert_int_equal(index, want_index);
		from = index + (is_huge ? HUGE : 1);
		count++;
	}
	assert_int_equal(count, m->nsmall + m->nhuge);
}

static void test_empty_and_bad_args(void **state)
{
	struct fixture f;
	uint64_t index, old = 7;
	bool huge = true;

	(void)state;
	fixture_init(&f);
	assert_int_equal(pagetree_lookup(&f.t, 0, &huge), 0);
	assert_false(huge);
	assert_int_equal(pagetree_lookup(&f.t, PAGETREE_INDEX_LIMIT, NULL), 0);
	assert_int_equal(pagetree_remove(&f.t, 5), 0);
	assert_int_equal(pagetree_remove_huge(&f.t, 0), 0);
	assert_int_equal(pagetree_next(&f.t, 0, UINT64_MAX, &index, NULL), 0);
	assert_int_equal(pagetree_insert(&f.t, PAGETREE_INDEX_LIMIT, 1, NULL), PAGETREE_EINVAL);
	assert_int_equal(pagetree_insert(&f.t, 0, 0, NULL), PAGETREE_EINVAL);
	assert_int_equal(pagetree_insert_huge(&f.t, 1, 0x200000, NULL), PAGETREE_EINVAL);
	assert_int_equal(pagetree_insert_huge(&f.t, 0, 0, NULL), PAGETREE_EINVAL);
	assert_int_equal(pagetree_insert_huge(&f.t, 0, PAGETREE_HUGE_VALUE_LIMIT, NULL),
			 PAGETREE_EINVAL);
	assert_int_equal(pagetree_insert_huge(&f.t, PAGETREE_INDEX_LIMIT, 0x200000, NULL),
			 PAGETREE_EINVAL);
	assert_int_equal(pagetree_split_huge(&f.t, 0, NULL, NULL), PAGETREE_ENOENT);
	assert_int_equal(f.src.calls, 0);
	/* Any nonzero small value is fine, the top bit included. */
	assert_int_equal(pagetree_insert(&f.t, 3, UINT64_MAX, &old), PAGETREE_OK);
	assert_int_equal(old, 0);
	assert_int_equal(pagetree_lookup(&f.t, 3, NULL), UINT64_MAX);
	assert_int_equal(pagetree_remove(&f.t, 3), UINT64_MAX);
	assert_int_equal(f.src.live, 0);
	assert_int_equal(f.t.height, 0);
}

static void test_dense(void **state)
{
	const uint64_t n = 3 * 512 + 7;
	struct fixture f;
	uint64_t old;

	(void)state;
	fixture_init(&f);
	for (uint64_t i = 0; i < n; i++)
		assert_int_equal(pagetree_insert(&f.t, i, (i + 1) << 12, NULL), PAGETREE_OK);
	assert_int_equal(f.t.height, 2);
	assert_int_equal(f.t.nodes, 1 + 4); /* the root and four leaves */
	assert_int_equal(f.t.small, n);
	for (uint64_t i = 0; i < n; i++)
		assert_int_equal(pagetree_lookup(&f.t, i, NULL), (i + 1) << 12);
	assert_int_equal(pagetree_lookup(&f.t, n, NULL), 0);
	/* Replace returns the old value and keeps the count. */
	assert_int_equal(pagetree_insert(&f.t, 100, 0xabc000, &old), PAGETREE_OK);
	assert_int_equal(old, 101 << 12);
	assert_int_equal(f.t.small, n);
	/* Emptying the first leaf frees it; the rest stays. */
	for (uint64_t i = 0; i < 512; i++)
		assert_true(pagetree_remove(&f.t, i) != 0);
	assert_int_equal(f.t.nodes, 1 + 3);
	assert_int_equal(pagetree_remove(&f.t, 0), 0);
	for (uint64_t i = 512; i < n; i++)
		assert_int_equal(pagetree_remove(&f.t, i), (i + 1) << 12);
	assert_int_equal(f.t.nodes, 0);
	assert_int_equal(f.t.height, 0);
	assert_int_equal(f.src.live, 0);
}

static void test_sparse_and_height(void **state)
{
	const uint64_t top = PAGETREE_INDEX_LIMIT - 1;
	struct fixture f;

	(void)state;
	fixture_init(&f);
	assert_int_equal(pagetree_insert(&f.t, 5, 0x5000, NULL), PAGETREE_OK);
	assert_int_equal(f.t.height, 1);
	assert_int_equal(f.t.nodes, 1);
	assert_int_equal(pagetree_insert(&f.t, 512, 0x6000, NULL), PAGETREE_OK);
	assert_int_equal(f.t.height, 2);
	assert_int_equal(f.t.nodes, 3);
	assert_int_equal(pagetree_insert(&f.t, top, 0x7000, NULL), PAGETREE_OK);
	assert_int_equal(f.t.height, 4);
	assert_int_equal(f.t.nodes, 3 + 2 + 3); /* two new tops, a new 3-2-1 path */
	assert_int_equal(pagetree_lookup(&f.t, top, NULL), 0x7000);
	assert_int_equal(pagetree_lookup(&f.t, top - 1, NULL), 0);
	assert_int_equal(pagetree_lookup(&f.t, 5, NULL), 0x5000);
	assert_int_equal(pagetree_lookup(&f.t, 512, NULL), 0x6000);
	/* Removing the top entry shrinks the tree back to two levels. */
	assert_int_equal(pagetree_remove(&f.t, top), 0x7000);
	assert_int_equal(f.t.height, 2);
	assert_int_equal(f.t.nodes, 3);
	assert_int_equal(pagetree_remove(&f.t, 512), 0x6000);
	assert_int_equal(f.t.height, 1);
	assert_int_equal(f.t.nodes, 1);
	/* An empty tree grows straight to the height an index needs. */
	assert_int_equal(pagetree_remove(&f.t, 5), 0x5000);
	assert_int_equal(pagetree_insert(&f.t, (uint64_t)1 << 30, 0x8000, NULL), PAGETREE_OK);
	assert_int_equal(f.t.height, 4);
	assert_int_equal(f.t.nodes, 4);
	/* Scattered one per 2^27: every top-level slot. */
	for (uint64_t i = 0; i < 512; i++)
		assert_int_equal(pagetree_insert(&f.t, i << 27 | 77, i + 1, NULL), PAGETREE_OK);
	assert_int_equal(f.t.nodes, 4 + 511 * 3); /* i = 8 shares the path of 1 << 30 */
	for (uint64_t i = 0; i < 512; i++)
		assert_int_equal(pagetree_lookup(&f.t, i << 27 | 77, NULL), i + 1);
	pagetree_destroy(&f.t);
	assert_int_equal(f.src.live, 0);
	assert_int_equal(f.t.nodes, 0);
	assert_int_equal(f.t.height, 0);
}

static void test_cursor(void **state)
{
	struct fixture f;
	uint64_t index;
	bool huge;

	(void)state;
	fixture_init(&f);
	pagetree_insert(&f.t, 3, 0x3000, NULL);
	pagetree_insert(&f.t, 700, 0x4000, NULL);
	pagetree_insert_huge(&f.t, 1024, 0x200000, NULL);
	pagetree_insert(&f.t, (uint64_t)1 << 35, 0x5000, NULL);
	assert_int_equal(pagetree_next(&f.t, 0, 3, &index, &huge), 0);
	assert_int_equal(pagetree_next(&f.t, 0, 4, &index, &huge), 0x3000);
	assert_int_equal(index, 3);
	assert_false(huge);
	assert_int_equal(pagetree_next(&f.t, 4, UINT64_MAX, &index, &huge), 0x4000);
	assert_int_equal(index, 700);
	assert_int_equal(pagetree_next(&f.t, 701, UINT64_MAX, &index, &huge), 0x200000);
	assert_int_equal(index, 1024);
	assert_true(huge);
	/* Starting inside a huge entry reports it, with its first page. */
	assert_int_equal(pagetree_next(&f.t, 1500, 1501, &index, &huge), 0x200000);
	assert_int_equal(index, 1024);
	assert_true(huge);
	assert_int_equal(pagetree_next(&f.t, 1536, UINT64_MAX, &index, &huge), 0x5000);
	assert_int_equal(index, (uint64_t)1 << 35);
	assert_false(huge);
	assert_int_equal(pagetree_next(&f.t, ((uint64_t)1 << 35) + 1, UINT64_MAX, &index, &huge),
			 0);
	assert_int_equal(pagetree_next(&f.t, 5, 5, &index, &huge), 0);
	pagetree_destroy(&f.t);
	assert_int_equal(f.src.live, 0);
}

static uint64_t split_all(void *ctx, uint64_t huge_value, unsigned i)
{
	(void)ctx;
	return huge_value + ((uint64_t)i << 12);
}

/* Keep pages outside [drop_from, drop_to), as a partial unmap would. */
struct drop_range {
	unsigned from, to;
};

static uint64_t split_drop(void *ctx, uint64_t huge_value, unsigned i)
{
	const struct drop_range *d = ctx;

	return i >= d->from && i < d->to ? 0 : huge_value + ((uint64_t)i << 12);
}

static void test_huge_entries(void **state)
{
	struct fixture f;
	struct drop_range all = { 0, 512 }, mid = { 100, 200 };
	uint64_t old;
	bool huge;

	(void)state;
	fixture_init(&f);
	/* Into an empty tree: two levels at once. */
	assert_int_equal(pagetree_insert_huge(&f.t, 0, 0x40000000, &old), PAGETREE_OK);
	assert_int_equal(old, 0);
	assert_int_equal(f.t.height, 2);
	assert_int_equal(f.t.nodes, 1);
	assert_int_equal(f.t.huge, 1);
	assert_int_equal(pagetree_lookup(&f.t, 0, &huge), 0x40000000);
	assert_true(huge);
	assert_int_equal(pagetree_lookup(&f.t, 511, &huge), 0x40000000);
	assert_true(huge);
	assert_int_equal(pagetree_lookup(&f.t, 512, &huge), 0);
	assert_false(huge);
	/* Small calls inside it are refused or ignored. */
	assert_int_equal(pagetree_insert(&f.t, 17, 0x1000, NULL), PAGETREE_EHUGE);
	assert_int_equal(pagetree_remove(&f.t, 17), 0);
	assert_int_equal(f.t.huge, 1);
	/* Replacing a huge entry returns the old one. */
	assert_int_equal(pagetree_insert_huge(&f.t, 0, 0x40200000, &old), PAGETREE_OK);
	assert_int_equal(old, 0x40000000);
	assert_int_equal(f.t.huge, 1);
	/* A huge entry over small ones is refused, even when the tree must
	 * grow first to hold it; nothing is kept. */
	assert_int_equal(pagetree_insert(&f.t, 512 + 3, 0x1000, NULL), PAGETREE_OK);
	assert_int_equal(pagetree_insert_huge(&f.t, 512, 0x80000000, NULL), PAGETREE_EBUSY);
	assert_int_equal(pagetree_remove_huge(&f.t, 5), 0x40200000);
	assert_int_equal(f.t.height, 2); /* root slot 1 still holds a leaf */
	assert_int_equal(pagetree_remove(&f.t, 512 + 3), 0x1000);
	assert_int_equal(f.src.live, 0);
	assert_int_equal(pagetree_insert(&f.t, 3, 0x1000, NULL), PAGETREE_OK);
	assert_int_equal(f.t.height, 1);
	assert_int_equal(pagetree_insert_huge(&f.t, 0, 0x80000000, NULL), PAGETREE_EBUSY);
	assert_int_equal(f.t.height, 1);
	assert_int_equal(f.t.nodes, 1);
	assert_int_equal(pagetree_remove(&f.t, 3), 0x1000);

	/* Split: 512 small entries with the computed values. */
	assert_int_equal(pagetree_insert_huge(&f.t, 3 * 512, 0x40000000, NULL), PAGETREE_OK);
	assert_int_equal(pagetree_split_huge(&f.t, 3 * 512 + 9, split_all, NULL), PAGETREE_OK);
	assert_int_equal(f.t.huge, 0);
	assert_int_equal(f.t.small, 512);
	for (unsigned i = 0; i < 512; i++) {
		assert_int_equal(pagetree_lookup(&f.t, 3 * 512 + i, &huge),
				 0x40000000 + ((uint64_t)i << 12));
		assert_false(huge);
	}
	assert_int_equal(pagetree_split_huge(&f.t, 3 * 512, split_all, NULL), PAGETREE_ENOENT);
	pagetree_destroy(&f.t);
	assert_int_equal(f.src.live, 0);

	/* Split dropping a middle part, then dropping everything. */
	fixture_init(&f);
	assert_int_equal(pagetree_insert_huge(&f.t, 512, 0x40000000, NULL), PAGETREE_OK);
	assert_int_equal(pagetree_insert_huge(&f.t, 1024, 0x40200000, NULL), PAGETREE_OK);
	assert_int_equal(pagetree_split_huge(&f.t, 512, split_drop, &mid), PAGETREE_OK);
	assert_int_equal(f.t.small, 412);
	assert_int_equal(f.t.huge, 1);
	assert_int_equal(pagetree_lookup(&f.t, 512 + 99, NULL), 0x40000000 + (99 << 12));
	assert_int_equal(pagetree_lookup(&f.t, 512 + 100, NULL), 0);
	assert_int_equal(pagetree_lookup(&f.t, 512 + 199, NULL), 0);
	assert_int_equal(pagetree_lookup(&f.t, 512 + 200, NULL), 0x40000000 + (200 << 12));
	assert_int_equal(pagetree_split_huge(&f.t, 1024 + 511, split_drop, &all), PAGETREE_OK);
	assert_int_equal(f.t.huge, 0);
	assert_int_equal(f.t.nodes, 2);
	for (unsigned i = 0; i < 512; i++)
		pagetree_remove(&f.t, 512 + i);
	assert_int_equal(f.src.live, 0);
	assert_int_equal(f.t.height, 0);
}

/*
 * One step of a scripted workload, run with an allocation failure at
 * every possible point in turn: each failure must leave the tree exactly
 * as it was.
 */
enum op_kind { OP_INSERT, OP_HUGE, OP_SPLIT };

struct script_op {
	enum op_kind kind;
	uint64_t index;
	uint64_t value;
};

static int run_op(struct fixture *f, const struct script_op *op)
{
	switch (op->kind) {
	case OP_INSERT:
		return pagetree_insert(&f->t, op->index, op->value, NULL);
	case OP_HUGE:
		return pagetree_insert_huge(&f->t, op->index, op->value, NULL);
	case OP_SPLIT:
		return pagetree_split_huge(&f->t, op->index, split_all, NULL);
	}
	return -100;
}

static void model_apply(struct model *m, const struct script_op *op)
{
	switch (op->kind) {
	case OP_INSERT:
		model_set(m->small, &m->nsmall, m->cap, op->index, op->value);
		break;
	case OP_HUGE:
		model_set(m->huge, &m->nhuge, m->cap, op->index, op->value);
		break;
	case OP_SPLIT: {
		uint64_t base = op->index & ~(uint64_t)(HUGE - 1);
		struct entry *e = model_find(m->huge, m->nhuge, base);
		uint64_t v = e->value;

		model_set(m->huge, &m->nhuge, m->cap, base, 0);
		for (unsigned i = 0; i < HUGE; i++)
			model_set(m->small, &m->nsmall, m->cap, base + i, split_all(NULL, v, i));
		break;
	}
	}
}

static void test_alloc_failure_every_point(void **state)
{
	static const struct script_op script[] = {
		{ OP_INSERT, 7, 0x1000 },
		{ OP_INSERT, 600, 0x2000 },		  /* grows to 2 levels */
		{ OP_INSERT, (uint64_t)1 << 35, 0x3000 }, /* grows to 4 levels */
		{ OP_INSERT, ((uint64_t)1 << 35) + 513, 0x4000 },
		{ OP_HUGE, 5 * 512, 0x40000000 },
		{ OP_HUGE, ((uint64_t)1 << 20) * 3, 0x40200000 }, /* new 3-2 path */
		{ OP_SPLIT, 5 * 512 + 1, 0 },
		{ OP_INSERT, PAGETREE_INDEX_LIMIT - 1, 0x5000 },
		{ OP_INSERT, 8, 0x6000 }, /* no allocation needed */
	};
	struct fixture f;
	struct model m;
	uint64_t failures = 0;

	(void)state;
	fixture_init(&f);
	model_init(&m, 2048);
	for (size_t i = 0; i < sizeof(script) / sizeof(script[0]); i++) {
		for (uint64_t k = 0;; k++) {
			uint64_t nodes = f.t.nodes;
			unsigned height = f.t.height;
			int err;

			f.src.fail_at = f.src.calls + k;
			err = run_op(&f, &script[i]);
			f.src.fail_at = UINT64_MAX;
			if (err == PAGETREE_OK)
				break;
			assert_int_equal(err, PAGETREE_ENOMEM);
			assert_int_equal(f.t.nodes, nodes);
			assert_int_equal(f.t.height, height);
			check_tree(&f, &m);
			failures++;
		}
		model_apply(&m, &script[i]);
		check_tree(&f, &m);
	}
	assert_int_equal(failures, f.src.failures);
	assert_true(failures >= 10);
	pagetree_destroy(&f.t);
	assert_int_equal(f.src.live, 0);
	model_free(&m);
}

/*
 * Indices drawn from a few clusters, so the tree grows and shrinks, and a
 * zone where huge entries mostly go (small ones land there now and then).
 */
#define HUGE_ZONE ((uint64_t)1 << 30)

static uint64_t random_index(struct prng *r)
{
	switch (prng_below(r, 9)) {
	case 0:
	case 1:
		return prng_below(r, 4096);
	case 2:
	case 3:
		return ((uint64_t)1 << 18) - 2048 + prng_below(r, 4096);
	case 4:
	case 5:
		return PAGETREE_INDEX_LIMIT - 1 - prng_below(r, 4096);
	case 6:
	case 7:
		return prng_below(r, 8) << 27 | prng_below(r, 1024);
	default:
		return HUGE_ZONE + prng_below(r, 64 * HUGE);
	}
}

static void random_ops(uint64_t seed, int ops, bool inject_failures)
{
	struct prng r = { seed }, fail_rng = { seed ^ 0x5555 };
	struct fixture f;
	struct model m;
	int did[7] = { 0 };

	fixture_init(&f);
	if (inject_failures)
		f.src.random_fail = &fail_rng;
	model_init(&m, 1 << 16);
	for (int op = 0; op < ops; op++) {
		unsigned kind = (unsigned)prng_below(&r, 10);
		uint64_t index = random_index(&r), base = index & ~(uint64_t)(HUGE - 1);
		uint64_t value = (prng_below(&r, 1u << 20) + 1) << 12 | prng_below(&r, 4096);
		uint64_t got, want, old, out_index, want_index, failures = f.src.failures;
		bool huge, want_huge;
		int err;

		want = model_lookup(&m, index, &want_huge);
		if (kind <= 2 || (kind == 9 && op < ops / 2)) { /* insert */
			err = pagetree_insert(&f.t, index, value, &old);
			if (want_huge) {
				assert_int_equal(err, PAGETREE_EHUGE);
			} else if (err != PAGETREE_ENOMEM) {
				assert_int_equal(err, PAGETREE_OK);
				assert_int_equal(old, want);
				model_set(m.small, &m.nsmall, m.cap, index, value);
				did[0]++;
			}
		} else if (kind <= 4 || kind == 9) { /* remove */
			got = pagetree_remove(&f.t, index);
			assert_int_equal(got, want_huge ? 0 : want);
			if (!want_huge)
				model_set(m.small, &m.nsmall, m.cap, index, 0);
			did[1]++;
		} else if (kind == 5) { /* huge insert */
			bool busy;

			if (prng_below(&r, 4)) {
				base = HUGE_ZONE + prng_below(&r, 64) * HUGE;
				want = model_lookup(&m, base, &want_huge);
			}
			busy = model_small_in(&m, base);

			err = pagetree_insert_huge(&f.t, base, value >> 1, &old);
			if (busy) {
				/* Refused, unless growing to two levels failed first. */
				assert_true(err == PAGETREE_EBUSY || err == PAGETREE_ENOMEM);
			} else if (err != PAGETREE_ENOMEM) {
				assert_int_equal(err, PAGETREE_OK);
				assert_int_equal(old, want_huge ? want : 0);
				model_set(m.huge, &m.nhuge, m.cap, base, value >> 1);
				did[2]++;
			}
		} else if (kind == 6) { /* huge removal or split */
			if (!m.nhuge)
				continue;
			base = m.huge[prng_below(&r, m.nhuge)].index;
			index = base + prng_below(&r, HUGE);
			if (prng_below(&r, 2)) {
				assert_int_equal(pagetree_remove_huge(&f.t, index),
						 model_lookup(&m, index, &huge));
				model_set(m.huge, &m.nhuge, m.cap, base, 0);
				did[3]++;
			} else {
				struct script_op s = { OP_SPLIT, index, 0 };

				err = pagetree_split_huge(&f.t, index, split_all, NULL);
				if (err != PAGETREE_ENOMEM) {
					assert_int_equal(err, PAGETREE_OK);
					model_apply(&m, &s);
					did[4]++;
				}
			}
		} else if (kind == 7) { /* lookup */
			assert_int_equal(pagetree_lookup(&f.t, index, &huge), want);
			assert_int_equal(huge, want_huge);
			did[5]++;
		} else { /* cursor over a range */
			uint64_t end = index + prng_below(&r, 3) * 4096 + 1;

			got = pagetree_next(&f.t, index, end, &out_index, &huge);
			want = model_next(&m, index, end, &want_index, &want_huge);
			assert_int_equal(got, want);
			if (got) {
				assert_int_equal(out_index, want_index);
				assert_int_equal(huge, want_huge);
			}
			did[6]++;
		}
		if (op % 32 == 0 || f.src.failures != failures)
			check_tree(&f, &m);
	}
	check_tree(&f, &m);
	for (int i = 0; i < 7; i++)
		assert_true(did[i] > ops / 300);
	if (inject_failures)
		assert_true(f.src.failures > 0);
	/* Remove everything through the API: every node comes back. */
	f.src.random_fail = NULL;
	while (m.nhuge) {
		struct entry *e = &m.huge[m.nhuge - 1];

		assert_int_equal(pagetree_remove_huge(&f.t, e->index), e->value);
		m.nhuge--;
	}
	while (m.nsmall) {
		struct entry *e = &m.small[m.nsmall - 1];

		assert_int_equal(pagetree_remove(&f.t, e->index), e->value);
		m.nsmall--;
	}
	check_tree(&f, &m);
	assert_int_equal(f.t.height, 0);
	assert_int_equal(f.src.live, 0);
	model_free(&m);
}

/* pagetree_drain: every entry visited once, in order, nodes freed; with
 * stops after leaf nodes and resumes; and from a later start, the nodes
 * holding entries below it stay. */
struct drained {
	uint64_t index[4096], value[4096];
	bool huge[4096];
	unsigned n;
};

static void drain_fn(void *ctx, uint64_t index, uint64_t value, bool huge)
{
	struct drained *d = ctx;

	assert_true(d->n < 4096);
	d->index[d->n] = index;
	d->value[d->n] = value;
	d->huge[d->n++] = huge;
}

static unsigned stops;
static bool stop_every(void)
{
	stops++;
	return true;
}

static void test_drain(void **state)
{
	struct fixture f;
	static struct drained d;
	uint64_t next = 0;
	(void)state;

	fixture_init(&f);
	/* Sparse pages over three leaves and two level-2 nodes, a huge entry. */
	static const uint64_t idx[] = { 0, 5, 511, 512, 1030, 1536, 300000, 300001 };
	for (unsigned i = 0; i < sizeof(idx) / sizeof(idx[0]); i++)
		assert_int_equal(pagetree_insert(&f.t, idx[i], 0x1000 * (i + 1), NULL),
				 PAGETREE_OK);
	assert_int_equal(pagetree_insert_huge(&f.t, 4096, 0x200000, NULL), PAGETREE_OK);
	memset(&d, 0, sizeof(d));
	stops = 0;
	unsigned calls = 0;
	while (pagetree_drain(&f.t, &next, drain_fn, &d, stop_every))
		calls++;
	assert_true(calls >= 3 && stops == calls);
	assert_int_equal(d.n, 9);
	for (unsigned i = 0, k = 0; i < d.n; i++) {
		if (d.huge[i]) {
			assert_int_equal(d.index[i], 4096);
			assert_int_equal(d.value[i], 0x200000);
			continue;
		}
		assert_int_equal(d.index[i], idx[k]);
		assert_int_equal(d.value[i], 0x1000 * (k + 1));
		k++;
	}
	for (unsigned i = 1; i < d.n; i++)
		assert_true(d.index[i] > d.index[i - 1]);
	assert_int_equal(f.src.live, 0);
	assert_int_equal(f.t.nodes, 0);
	assert_int_equal(f.t.height, 0);
	assert_int_equal(f.t.small + f.t.huge, 0);

	/* From 1000 on: 0, 5, 511, 512 stay, with their nodes. */
	fixture_init(&f);
	for (unsigned i = 0; i < sizeof(idx) / sizeof(idx[0]); i++)
		assert_int_equal(pagetree_insert(&f.t, idx[i], 0x1000 * (i + 1), NULL),
				 PAGETREE_OK);
	memset(&d, 0, sizeof(d));
	next = 1000;
	assert_false(pagetree_drain(&f.t, &next, drain_fn, &d, NULL));
	assert_int_equal(d.n, 4);
	assert_int_equal(f.t.small, 4);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(pagetree_lookup(&f.t, idx[i], NULL), 0x1000 * (i + 1));
	assert_int_equal(pagetree_lookup(&f.t, 1030, NULL), 0);
	next = 0;
	assert_false(pagetree_drain(&f.t, &next, drain_fn, &d, NULL));
	assert_int_equal(d.n, 8);
	assert_int_equal(f.src.live, 0);
	assert_int_equal(f.t.height, 0);
}

static void test_random_against_model(void **state)
{
	(void)state;
	random_ops(1, 6000, false);
	random_ops(99, 6000, false);
}

static void test_random_with_alloc_failures(void **state)
{
	(void)state;
	random_ops(7, 3000, true);
	random_ops(0xfeed, 3000, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_and_bad_args),
		cmocka_unit_test(test_dense),
		cmocka_unit_test(test_sparse_and_height),
		cmocka_unit_test(test_cursor),
		cmocka_unit_test(test_huge_entries),
		cmocka_unit_test(test_alloc_failure_every_point),
		cmocka_unit_test(test_drain),
		cmocka_unit_test(test_random_against_model),
		cmocka_unit_test(test_random_with_alloc_failures),
	};

	/* Once with every slot tested, once with the summaries the kernel
	 * keeps beside its nodes. */
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	use_summary = true;
	return failed | cmocka_run_group_tests_name("with summaries", tests, NULL, NULL);
}
