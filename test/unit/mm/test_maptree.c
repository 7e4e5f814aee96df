/*
 * Host tests of the mapping tree (kernel/maptree.h).
 *
 * check_tree() verifies the invariants after every operation of the
 * randomised test: parent links, AVL heights and balance, address order,
 * no overlap, and that both in-order walks match a sorted-array model.
 * The PRNG has a fixed seed so failures reproduce.
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

#include <kernel/maptree.h>

#define PG MAPTREE_PAGE_SIZE

static int objs[3]; /* distinct addresses standing for MemObjs */

static void set_node(struct map_node *n, uint64_t start_pg, uint64_t end_pg, void *obj,
		     uint64_t first_page, uint32_t rights)
{
	memset(n, 0xa5, sizeof(*n)); /* links must not be trusted before insert */
	n->start = start_pg * PG;
	n->end = end_pg * PG;
	n->obj = obj;
	n->first_page = first_page;
	n->rights = rights;
}

/* Returns the subtree height, asserting links and balance below n. */
static int32_t check_subtree(const struct map_node *n, const struct map_node *parent)
{
	int32_t l, r;

	if (!n)
		return 0;
	assert_ptr_equal(n->parent, parent);
	assert_true(n->start < n->end);
	assert_int_equal(n->start % PG, 0);
	assert_int_equal(n->end % PG, 0);
	if (n->left)
		assert_true(n->left->end <= n->start);
	if (n->right)
		assert_true(n->end <= n->right->start);
	l = check_subtree(n->left, n);
	r = check_subtree(n->right, n);
	assert_true(l - r <= 1 && r - l <= 1);
	assert_int_equal(n->height, (l > r ? l : r) + 1);
	return n->height;
}

struct model {
	struct map_node **v; /* sorted by start */
	size_t n;
};

static void check_tree(const struct map_tree *t, const struct model *m)
{
	struct map_node *n;
	size_t i = 0;

	check_subtree(t->root, NULL);
	assert_int_equal(t->count, m->n);
	for (n = maptree_first(t); n; n = maptree_next(n), i++) {
		assert_true(i < m->n);
		assert_ptr_equal(n, m->v[i]);
		if (i > 0)
			assert_true(m->v[i - 1]->end <= n->start);
	}
	assert_int_equal(i, m->n);
	for (n = maptree_last(t); n; n = maptree_prev(n))
		assert_ptr_equal(n, m->v[--i]);
	assert_int_equal(i, 0);
}

static void model_insert(struct model *m, struct map_node *n)
{
	size_t i = 0;

	while (i < m->n && m->v[i]->start < n->start)
		i++;
	memmove(&m->v[i + 1], &m->v[i], (m->n - i) * sizeof(m->v[0]));
	m->v[i] = n;
	m->n++;
}

static size_t model_index(const struct model *m, const struct map_node *n)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i] == n)
			return i;
	fail();
	return 0;
}

static void model_remove(struct model *m, const struct map_node *n)
{
	size_t i = model_index(m, n);

	memmove(&m->v[i], &m->v[i + 1], (m->n - i - 1) * sizeof(m->v[0]));
	m->n--;
}

static bool model_overlaps(const struct model *m, uint64_t start, uint64_t end)
{
	for (size_t i = 0; i < m->n; i++)
		if (start < m->v[i]->end && m->v[i]->start < end)
			return true;
	return false;
}

static struct map_node *model_first_overlap(const struct model *m, uint64_t start, uint64_t end)
{
	for (size_t i = 0; i < m->n; i++)
		if (start < m->v[i]->end && m->v[i]->start < end)
			return m->v[i];
	return NULL;
}

static void test_insert_lookup(void **state)
{
	struct map_tree t;
	struct map_node a, b, c;

	(void)state;
	maptree_init(&t);
	assert_null(maptree_lookup(&t, 0));
	assert_null(maptree_first(&t));
	assert_null(maptree_last(&t));
	set_node(&a, 10, 20, &objs[0], 0, 1);
	set_node(&b, 30, 31, &objs[1], 7, 3);
	set_node(&c, 0, 5, &objs[2], 2, 1);
	assert_int_equal(maptree_insert(&t, &a), MAPTREE_OK);
	assert_int_equal(maptree_insert(&t, &b), MAPTREE_OK);
	assert_int_equal(maptree_insert(&t, &c), MAPTREE_OK);
	assert_int_equal(t.count, 3);
	assert_ptr_equal(maptree_lookup(&t, 10 * PG), &a);
	assert_ptr_equal(maptree_lookup(&t, 20 * PG - 1), &a);
	assert_ptr_equal(maptree_lookup(&t, 15 * PG + 123), &a);
	assert_null(maptree_lookup(&t, 20 * PG));
	assert_null(maptree_lookup(&t, 10 * PG - 1));
	assert_ptr_equal(maptree_lookup(&t, 30 * PG), &b);
	assert_null(maptree_lookup(&t, 31 * PG));
	assert_ptr_equal(maptree_lookup(&t, 0), &c);
	assert_null(maptree_lookup(&t, UINT64_MAX));
	assert_ptr_equal(maptree_first(&t), &c);
	assert_ptr_equal(maptree_last(&t), &b);
	assert_ptr_equal(maptree_next(&c), &a);
	assert_ptr_equal(maptree_next(&a), &b);
	assert_null(maptree_next(&b));
	assert_ptr_equal(maptree_prev(&b), &a);
	assert_null(maptree_prev(&c));
}

static void test_insert_rejects_bad_ranges(void **state)
{
	struct map_tree t;
	struct map_node n;

	(void)state;
	maptree_init(&t);
	set_node(&n, 5, 5, &objs[0], 0, 1);
	assert_int_equal(maptree_insert(&t, &n), MAPTREE_EINVAL);
	set_node(&n, 6, 5, &objs[0], 0, 1);
	assert_int_equal(maptree_insert(&t, &n), MAPTREE_EINVAL);
	set_node(&n, 5, 6, &objs[0], 0, 1);
	n.start += 8;
	assert_int_equal(maptree_insert(&t, &n), MAPTREE_EINVAL);
	set_node(&n, 5, 6, &objs[0], 0, 1);
	n.end -= 1;
	assert_int_equal(maptree_insert(&t, &n), MAPTREE_EINVAL);
	assert_null(t.root);
	assert_int_equal(t.count, 0);
}

/* Every way a range can sit against an existing [10, 20) and [30, 40). */
static void test_overlap_edges(void **state)
{
	static const struct {
		uint64_t s, e;
		bool ok;
	} cases[] = {
		{ 0, 10, true },   /* ends where the first starts */
		{ 20, 30, true },  /* fills the gap exactly */
		{ 40, 50, true },  /* starts where the second ends */
		{ 9, 11, false },  /* straddles the first start */
		{ 19, 21, false }, /* straddles the first end */
		{ 10, 20, false }, /* identical */
		{ 12, 13, false }, /* inside */
		{ 5, 25, false },  /* encloses */
		{ 10, 11, false }, /* same start */
		{ 19, 20, false }, /* same end */
		{ 0, 11, false },  /* touches first page */
		{ 19, 31, false }, /* meets both */
		{ 0, 100, false }, /* encloses both */
		{ 39, 40, false }, /* last page of the second */
		{ 20, 31, false }, /* gap plus one page */
		{ 29, 30, true },  /* page just before the second */
		{ 20, 21, true },  /* page just after the first */
	};
	struct map_node a, b, n;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct map_tree t;

		maptree_init(&t);
		set_node(&a, 10, 20, &objs[0], 0, 1);
		set_node(&b, 30, 40, &objs[0], 20, 1);
		assert_int_equal(maptree_insert(&t, &a), MAPTREE_OK);
		assert_int_equal(maptree_insert(&t, &b), MAPTREE_OK);
		set_node(&n, cases[i].s, cases[i].e, &objs[1], 0, 1);
		assert_int_equal(maptree_insert(&t, &n),
				 cases[i].ok ? MAPTREE_OK : MAPTREE_EOVERLAP);
		assert_int_equal(t.count, cases[i].ok ? 3 : 2);
		if (!cases[i].ok) {
			assert_ptr_equal(maptree_lookup(&t, 10 * PG), &a);
			assert_ptr_equal(maptree_lookup(&t, 30 * PG), &b);
		}
	}
}

static void test_first_overlap(void **state)
{
	struct map_tree t;
	struct map_node a, b;

	(void)state;
	maptree_init(&t);
	assert_null(maptree_first_overlap(&t, 0, UINT64_MAX));
	set_node(&a, 10, 20, &objs[0], 0, 1);
	set_node(&b, 30, 40, &objs[0], 0, 1);
	maptree_insert(&t, &a);
	maptree_insert(&t, &b);
	assert_ptr_equal(maptree_first_overlap(&t, 0, UINT64_MAX), &a);
	assert_null(maptree_first_overlap(&t, 0, 10 * PG));
	assert_ptr_equal(maptree_first_overlap(&t, 0, 10 * PG + 1), &a);
	assert_ptr_equal(maptree_first_overlap(&t, 19 * PG, 35 * PG), &a);
	assert_ptr_equal(maptree_first_overlap(&t, 20 * PG, 35 * PG), &b);
	assert_null(maptree_first_overlap(&t, 20 * PG, 30 * PG));
	assert_null(maptree_first_overlap(&t, 40 * PG, UINT64_MAX));
	assert_null(maptree_first_overlap(&t, 15 * PG, 15 * PG)); /* empty range */
}

static void test_split(void **state)
{
	struct map_tree t;
	struct map_node a, hi, hi2, other;

	(void)state;
	maptree_init(&t);
	set_node(&a, 100, 110, &objs[0], 50, 3);
	set_node(&other, 110, 111, &objs[1], 0, 1);
	maptree_insert(&t, &a);
	maptree_insert(&t, &other);
	assert_int_equal(maptree_split(&t, &a, 100 * PG, &hi), MAPTREE_EINVAL);
	assert_int_equal(maptree_split(&t, &a, 110 * PG, &hi), MAPTREE_EINVAL);
	assert_int_equal(maptree_split(&t, &a, 99 * PG, &hi), MAPTREE_EINVAL);
	assert_int_equal(maptree_split(&t, &a, 104 * PG + 8, &hi), MAPTREE_EINVAL);
	assert_int_equal(a.end, 110 * PG);
	assert_int_equal(t.count, 2);

	assert_int_equal(maptree_split(&t, &a, 104 * PG, &hi), MAPTREE_OK);
	assert_int_equal(t.count, 3);
	assert_int_equal(a.start, 100 * PG);
	assert_int_equal(a.end, 104 * PG);
	assert_int_equal(a.first_page, 50);
	assert_int_equal(hi.start, 104 * PG);
	assert_int_equal(hi.end, 110 * PG);
	assert_int_equal(hi.first_page, 54);
	assert_ptr_equal(hi.obj, &objs[0]);
	assert_int_equal(hi.rights, 3);
	assert_ptr_equal(maptree_lookup(&t, 103 * PG), &a);
	assert_ptr_equal(maptree_lookup(&t, 104 * PG), &hi);
	assert_ptr_equal(maptree_lookup(&t, 109 * PG), &hi);
	assert_ptr_equal(maptree_next(&a), &hi);
	assert_ptr_equal(maptree_next(&hi), &other);

	/* Split the upper half again, at its last page. */
	assert_int_equal(maptree_split(&t, &hi, 109 * PG, &hi2), MAPTREE_OK);
	assert_int_equal(hi2.first_page, 59);
	assert_ptr_equal(maptree_lookup(&t, 109 * PG), &hi2);
	assert_ptr_equal(maptree_lookup(&t, 108 * PG), &hi);
	check_subtree(t.root, NULL);

	/* And merging the pieces back restores the original mapping. */
	assert_ptr_equal(maptree_merge(&t, &hi, &hi2), &hi2);
	assert_ptr_equal(maptree_merge(&t, &a, &hi), &hi);
	assert_int_equal(t.count, 2);
	assert_int_equal(a.end, 110 * PG);
	assert_ptr_equal(maptree_lookup(&t, 109 * PG), &a);
	check_subtree(t.root, NULL);
}

static void test_merge_conditions(void **state)
{
	struct map_tree t;
	struct map_node a, b;

	(void)state;
	for (int c = 0; c < 7; c++) {
		maptree_init(&t);
		set_node(&a, 10, 20, &objs[0], 5, 3);
		set_node(&b, 20, 25, &objs[0], 15, 3);
		switch (c) {
		case 0: /* mergeable */
			break;
		case 1:
			b.obj = &objs[1];
			break;
		case 2:
			b.first_page = 16;
			break;
		case 3:
			b.first_page = 14;
			break;
		case 4:
			b.rights = 1;
			break;
		case 5: /* a gap between them */
			b.start = 21 * PG;
			b.first_page = 16;
			break;
		case 6: /* adjacent, but given in the wrong order */
			break;
		}
		assert_int_equal(maptree_insert(&t, &a), MAPTREE_OK);
		assert_int_equal(maptree_insert(&t, &b), MAPTREE_OK);
		if (c == 0) {
			assert_true(maptree_can_merge(&a, &b));
			assert_ptr_equal(maptree_merge(&t, &a, &b), &b);
			assert_int_equal(t.count, 1);
			assert_int_equal(a.start, 10 * PG);
			assert_int_equal(a.end, 25 * PG);
			assert_int_equal(a.first_page, 5);
			assert_ptr_equal(maptree_lookup(&t, 24 * PG), &a);
			assert_null(maptree_next(&a));
		} else {
			struct map_node *x = c == 6 ? &b : &a, *y = c == 6 ? &a : &b;

			assert_false(maptree_can_merge(x, y));
			assert_null(maptree_merge(&t, x, y));
			assert_int_equal(t.count, 2);
			assert_int_equal(a.end, 20 * PG);
			assert_ptr_equal(maptree_lookup(&t, 22 * PG), &b);
		}
		assert_false(maptree_can_merge(&a, &a));
		check_subtree(t.root, NULL);
	}
}

static void test_remove(void **state)
{
	struct map_tree t;
	struct map_node n[64];
	struct model m = { calloc(64, sizeof(struct map_node *)), 0 };

	(void)state;
	assert_non_null(m.v);
	maptree_init(&t);
	for (int i = 0; i < 64; i++) {
		set_node(&n[i], (uint64_t)i * 2, (uint64_t)i * 2 + 1, &objs[0], 0, 1);
		assert_int_equal(maptree_insert(&t, &n[i]), MAPTREE_OK);
		model_insert(&m, &n[i]);
	}
	check_tree(&t, &m);
	/* Remove the root repeatedly (the two-children case), then leaves. */
	for (int i = 0; i < 32; i++) {
		struct map_node *r = t.root;

		maptree_remove(&t, r);
		model_remove(&m, r);
		assert_null(maptree_lookup(&t, r->start));
		check_tree(&t, &m);
	}
	while (m.n) {
		struct map_node *r = m.v[m.n / 3];

		maptree_remove(&t, r);
		model_remove(&m, r);
		check_tree(&t, &m);
	}
	assert_null(t.root);
	assert_int_equal(t.count, 0);
	free(m.v);
}

#define RAND_NODES 512
#define RAND_SPACE 8192 /* pages of address space the random ranges use */

static void random_ops(uint64_t seed, int ops)
{
	struct prng r = { seed };
	struct map_tree t;
	struct map_node *pool = calloc(RAND_NODES, sizeof(*pool));
	struct map_node **freelist = calloc(RAND_NODES, sizeof(*freelist));
	struct model m = { calloc(RAND_NODES, sizeof(struct map_node *)), 0 };
	size_t nfree = RAND_NODES;
	int did[6] = { 0 };

	assert_non_null(pool);
	assert_non_null(freelist);
	assert_non_null(m.v);
	for (size_t i = 0; i < RAND_NODES; i++)
		freelist[i] = &pool[i];
	maptree_init(&t);
	for (int op = 0; op < ops; op++) {
		unsigned kind = (unsigned)prng_below(&r, 8);

		/* Grow the tree in the first half, shrink it in the second. */
		if (kind >= 6)
			kind = op < ops / 2 ? 0 : 1;

		if (kind == 0 || (kind == 1 && m.n == 0)) { /* insert */
			uint64_t s = prng_below(&r, RAND_SPACE);
			uint64_t len = 1 + prng_below(&r, prng_below(&r, 4) ? 8 : 64);
			struct map_node *n;
			bool overlaps;
			int err;

			if (!nfree)
				continue;
			n = freelist[--nfree];
			/* Offsets mostly follow addresses, so neighbours of one
			 * object often merge. */
			set_node(n, s, s + len, &objs[prng_below(&r, 2)],
				 prng_below(&r, 4) ? s : prng_below(&r, 4096),
				 (uint32_t)prng_below(&r, 2) + 1);
			overlaps = model_overlaps(&m, n->start, n->end);
			err = maptree_insert(&t, n);
			assert_int_equal(err, overlaps ? MAPTREE_EOVERLAP : MAPTREE_OK);
			if (err)
				freelist[nfree++] = n;
			else
				model_insert(&m, n);
			did[0]++;
		} else if (kind == 1) { /* remove */
			struct map_node *n = m.v[prng_below(&r, m.n)];

			maptree_remove(&t, n);
			model_remove(&m, n);
			freelist[nfree++] = n;
			did[1]++;
		} else if (kind == 2 && m.n && nfree) { /* split */
			struct map_node *n = m.v[prng_below(&r, m.n)];
			uint64_t pages = (n->end - n->start) / PG;
			uint64_t at, fp = n->first_page, end = n->end;
			struct map_node *hi = freelist[--nfree];

			if (pages < 2) {
				assert_int_equal(maptree_split(&t, n, n->start, hi),
						 MAPTREE_EINVAL);
				freelist[nfree++] = hi;
				continue;
			}
			at = n->start + (1 + prng_below(&r, pages - 1)) * PG;
			assert_int_equal(maptree_split(&t, n, at, hi), MAPTREE_OK);
			assert_int_equal(n->end, at);
			assert_int_equal(hi->start, at);
			assert_int_equal(hi->end, end);
			assert_int_equal(hi->first_page, fp + (at - n->start) / PG);
			model_insert(&m, hi);
			did[2]++;
		} else if (kind == 3 && m.n >= 2) { /* merge a neighbour pair */
			size_t i = prng_below(&r, m.n - 1);
			struct map_node *a = m.v[i], *b = m.v[i + 1];
			bool can = a->end == b->start && a->obj == b->obj &&
				   a->rights == b->rights &&
				   a->first_page + (a->end - a->start) / PG == b->first_page;
			uint64_t end = b->end;
			struct map_node *got;

			assert_int_equal(maptree_can_merge(a, b), can);
			assert_false(maptree_can_merge(b, a));
			got = maptree_merge(&t, a, b);
			if (can) {
				assert_ptr_equal(got, b);
				assert_int_equal(a->end, end);
				model_remove(&m, b);
				freelist[nfree++] = b;
				did[3]++;
			} else {
				assert_null(got);
			}
		} else if (kind == 4) { /* lookup */
			uint64_t addr = prng_below(&r, (RAND_SPACE + 64) * PG);
			struct map_node *want = model_first_overlap(&m, addr, addr + 1);

			assert_ptr_equal(maptree_lookup(&t, addr), want);
			did[4]++;
		} else if (kind == 5) { /* range query */
			uint64_t s = prng_below(&r, (RAND_SPACE + 64) * PG);
			uint64_t e = s + prng_below(&r, 32 * PG);

			assert_ptr_equal(maptree_first_overlap(&t, s, e),
					 model_first_overlap(&m, s, e));
			did[5]++;
		}
		check_tree(&t, &m);
	}
	for (int i = 0; i < 6; i++)
		assert_true(did[i] > ops / 100); /* every kind of op really ran */
	free(m.v);
	free(freelist);
	free(pool);
}

static void test_random_against_model(void **state)
{
	(void)state;
	random_ops(1, 5000);
	random_ops(0xdecafbad, 5000);
	random_ops(42, 5000);
}

static void test_height_sequential(void **state)
{
	const size_t count = 100000;
	struct map_node *pool = calloc(count, sizeof(*pool));
	struct map_tree t;

	(void)state;
	assert_non_null(pool);
	maptree_init(&t);
	for (size_t i = 0; i < count; i++) {
		set_node(&pool[i], i, i + 1, &objs[0], i, 1);
		assert_int_equal(maptree_insert(&t, &pool[i]), MAPTREE_OK);
	}
	/* AVL height is below 1.45 log2(n + 2): 24 for 100,000 nodes; a
	 * perfectly balanced tree needs 17. */
	assert_true(t.root->height <= 24);
	assert_true(t.root->height >= 17);
	check_subtree(t.root, NULL);
	for (size_t i = 0; i < count; i += 997)
		assert_ptr_equal(maptree_lookup(&t, i * PG + 5), &pool[i]);
	/* Remove every other one, from the top down, and recheck. */
	for (size_t i = count; i > 0; i -= 2)
		maptree_remove(&t, &pool[i - 1]);
	assert_int_equal(t.count, count / 2);
	assert_true(t.root->height <= 23);
	check_subtree(t.root, NULL);
	assert_null(maptree_lookup(&t, 1 * PG));
	assert_ptr_equal(maptree_lookup(&t, 2 * PG), &pool[2]);
	free(pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_lookup),
		cmocka_unit_test(test_insert_rejects_bad_ranges),
		cmocka_unit_test(test_overlap_edges),
		cmocka_unit_test(test_first_overlap),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_merge_conditions),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_random_against_model),
		cmocka_unit_test(test_height_sequential),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
