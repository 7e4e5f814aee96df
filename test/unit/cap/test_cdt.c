/*
 * Host tests of the capability derivation tree (kernel/cap/cdt.c).
 *
 * Objects are registered in a struct world: each has an id (kept in the
 * test caps' `extra` field, which derivation copies along), an alive flag
 * and a destroy count. The destroy callback checks what the kernel relies
 * on (a CNode is empty when destroyed, every object is destroyed once) and
 * frees the object with free(), so ASan catches any later use.
 *
 * check_cdt() walks every slot after each scenario and asserts the tree's
 * invariants: links symmetric, no cycles, originals are roots and derived
 * caps have a parent of the same object with at least their rights, empty
 * slots unlinked, each live object has exactly one original, no cap names
 * a destroyed object. The fuzz test runs thousands of random operations
 * with a fixed-seed PRNG and checks after every one.
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

#include <kernel/cap.h>

#define MAX_OBJECTS 4096
#define MAX_ROOTS 8

struct tobj {
	struct kobj hdr;
};

struct object_entry {
	void *ptr;
	uint8_t type;
	bool alive;
	unsigned destroyed;
	unsigned predestroys; /* calls of world_predestroy */
};

struct world {
	struct object_entry objs[MAX_OBJECTS];
	unsigned nobjs;
	unsigned destroy_calls;
	struct cte roots[MAX_ROOTS]; /* slots outside any CNode */
	struct cdt_ops ops;
	/* Slots that must be empty when object `watch_id` is destroyed. */
	struct cte **watch_slots;
	unsigned nwatch;
	unsigned watch_id;
	bool watch_seen;
	struct cte *last_derived; /* fuzz: a slot to derive from next */
};

static void world_destroy(const struct cap *original, void *ctx);

static struct world *world_new(void)
{
	struct world *w = calloc(1, sizeof(*w));

	assert_non_null(w);
	w->ops.destroy = world_destroy;
	w->ops.ctx = w;
	w->watch_id = ~0u;
	return w;
}

static unsigned object_id(const void *obj)
{
	return ((const struct kobj *)obj)->size;
}

static void world_destroy(const struct cap *original, void *ctx)
{
	struct world *w = ctx;
	unsigned id;

	assert_non_null(original->obj);
	assert_true(original->original);
	id = object_id(original->obj);
	assert_true(id < w->nobjs);
	assert_ptr_equal(w->objs[id].ptr, original->obj);
	assert_int_equal(w->objs[id].type, original->type);
	assert_true(w->objs[id].alive);
	assert_int_equal(w->objs[id].destroyed, 0);
	if (original->type == TERN_CAP_CNODE) {
		struct cnode *cn = original->obj;

		for (size_t i = 0; i < ((size_t)1 << cn->radix); i++) {
			struct cte *s = &cn->slots[i];

			assert_true(cap_is_null(&s->cap));
			assert_null(s->parent);
			assert_null(s->first_child);
			assert_null(s->next_sibling);
			assert_null(s->prev_sibling);
		}
	}
	if (id == w->watch_id) {
		for (unsigned i = 0; i < w->nwatch; i++)
			assert_true(cap_is_null(&w->watch_slots[i]->cap));
		w->watch_seen = true;
	}
	w->objs[id].alive = false;
	w->objs[id].destroyed++;
	w->destroy_calls++;
	free(original->obj);
}

/* A predestroy that stops its first two calls for each object. */
static bool world_predestroy(const struct cap *original, bool (*stop)(void), void *ctx)
{
	struct world *w = ctx;
	unsigned id = object_id(original->obj);

	assert_true(original->original);
	assert_int_not_equal(original->type, TERN_CAP_CNODE);
	assert_int_equal(w->objs[id].destroyed, 0);
	return ++w->objs[id].predestroys <= 2 && stop();
}

static void world_free(struct world *w)
{
	for (unsigned i = 0; i < w->nobjs; i++)
		if (w->objs[i].alive)
			free(w->objs[i].ptr);
	free(w);
}

static unsigned world_register(struct world *w, void *obj, uint8_t type)
{
	unsigned id = w->nobjs++;

	assert_true(id < MAX_OBJECTS);
	((struct kobj *)obj)->type = type;
	((struct kobj *)obj)->size = id;
	w->objs[id].ptr = obj;
	w->objs[id].type = type;
	w->objs[id].alive = true;
	return id;
}

static struct cap make_cap(void *obj, uint8_t type, unsigned id)
{
	struct cap c = { 0 };

	c.type = type;
	c.rights = TERN_RIGHTS_ALL;
	c.extra = id;
	c.obj = obj;
	return c;
}

/* Create a plain object and put its original cap in `slot`. */
static unsigned object_new(struct world *w, uint8_t type, struct cte *slot)
{
	struct tobj *o = calloc(1, sizeof(*o));
	unsigned id;
	struct cap c;

	assert_non_null(o);
	id = world_register(w, o, type);
	c = make_cap(o, type, id);
	cte_insert_original(slot, &c);
	return id;
}

static struct cnode *cnode_new(struct world *w, unsigned radix, struct cte *slot)
{
	struct cnode *cn = calloc(1, cnode_size(radix));
	unsigned id;
	struct cap c;

	assert_non_null(cn);
	cn->radix = radix;
	id = world_register(w, cn, TERN_CAP_CNODE);
	c = make_cap(cn, TERN_CAP_CNODE, id);
	cte_insert_original(slot, &c);
	return cn;
}

/* Every slot of every live CNode, and the root slots. */
static size_t world_slots(struct world *w, struct cte ***out)
{
	size_t n = MAX_ROOTS, k = 0;
	struct cte **v;

	for (unsigned i = 0; i < w->nobjs; i++)
		if (w->objs[i].alive && w->objs[i].type == TERN_CAP_CNODE)
			n += (size_t)1 << ((struct cnode *)w->objs[i].ptr)->radix;
	v = malloc(n * sizeof(*v));
	assert_non_null(v);
	for (unsigned i = 0; i < MAX_ROOTS; i++)
		v[k++] = &w->roots[i];
	for (unsigned i = 0; i < w->nobjs; i++) {
		if (w->objs[i].alive && w->objs[i].type == TERN_CAP_CNODE) {
			struct cnode *cn = w->objs[i].ptr;

			for (size_t j = 0; j < ((size_t)1 << cn->radix); j++)
				v[k++] = &cn->slots[j];
		}
	}
	*out = v;
	return k;
}

static void check_cdt(struct world *w)
{
	struct cte **slots;
	size_t n = world_slots(w, &slots);
	size_t used = 0, reached = 0;
	unsigned *originals = calloc(w->nobjs + 1, sizeof(unsigned));

	assert_non_null(originals);
	for (size_t i = 0; i < n; i++) {
		struct cte *s = slots[i];
		unsigned id;

		if (cap_is_null(&s->cap)) {
			assert_null(s->parent);
			assert_null(s->first_child);
			assert_null(s->next_sibling);
			assert_null(s->prev_sibling);
			continue;
		}
		used++;
		id = s->cap.extra;
		assert_true(id < w->nobjs);
		assert_true(w->objs[id].alive);
		assert_ptr_equal(w->objs[id].ptr, s->cap.obj);
		assert_int_equal(w->objs[id].type, s->cap.type);
		if (s->cap.original) {
			originals[id]++;
			assert_null(s->parent);
			assert_null(s->next_sibling);
			assert_null(s->prev_sibling);
		} else {
			struct cte *p = s->parent;
			size_t steps = 0;

			assert_non_null(p);
			assert_false(cap_is_null(&p->cap));
			assert_ptr_equal(p->cap.obj, s->cap.obj);
			assert_int_equal(s->cap.rights & ~p->cap.rights, 0);
			if (p->cap.badge != 0)
				assert_true(s->cap.badge == p->cap.badge);
			/* The parent chain ends at an original, without cycles. */
			for (struct cte *a = s; !a->cap.original; a = a->parent)
				assert_true(++steps <= n);
		}
		if (s->prev_sibling != NULL)
			assert_ptr_equal(s->prev_sibling->next_sibling, s);
		else if (s->parent != NULL)
			assert_ptr_equal(s->parent->first_child, s);
		if (s->next_sibling != NULL) {
			assert_ptr_equal(s->next_sibling->prev_sibling, s);
			assert_ptr_equal(s->next_sibling->parent, s->parent);
		}
		if (s->first_child != NULL) {
			assert_ptr_equal(s->first_child->parent, s);
			assert_null(s->first_child->prev_sibling);
		}
	}
	/* Walking every tree from its original reaches every used slot once. */
	for (size_t i = 0; i < n; i++) {
		struct cte *root = slots[i], *c = root;

		if (cap_is_null(&root->cap) || !root->cap.original)
			continue;
		for (;;) {
			assert_true(++reached <= used);
			assert_true(c == root || !c->cap.original);
			if (c->first_child != NULL) {
				c = c->first_child;
				continue;
			}
			while (c != root && c->next_sibling == NULL)
				c = c->parent;
			if (c == root)
				break;
			c = c->next_sibling;
		}
	}
	assert_int_equal(reached, used);
	for (unsigned id = 0; id < w->nobjs; id++)
		assert_int_equal(originals[id], w->objs[id].alive ? 1 : 0);
	free(originals);
	free(slots);
}

static void assert_no_links(const struct cte *s)
{
	assert_null(s->parent);
	assert_null(s->first_child);
	assert_null(s->next_sibling);
	assert_null(s->prev_sibling);
}

static unsigned child_count(const struct cte *s)
{
	unsigned n = 0;

	for (const struct cte *c = s->first_child; c != NULL; c = c->next_sibling)
		n++;
	return n;
}

static bool is_child(const struct cte *parent, const struct cte *s)
{
	for (const struct cte *c = parent->first_child; c != NULL; c = c->next_sibling)
		if (c == s)
			return true;
	return false;
}

static void test_copy(void **state)
{
	struct world *w = world_new();
	struct cnode *cn = cnode_new(w, 3, &w->roots[0]);
	struct cte *s = cn->slots;
	struct cte before[8];

	(void)state;
	object_new(w, TERN_CAP_ENDPOINT, &s[0]);
	assert_int_equal(s[0].cap.original, 1);
	assert_int_equal(cte_copy(&s[1], &s[0], TERN_RIGHT_READ | TERN_RIGHT_GRANT), TERN_EOK);
	assert_int_equal(s[1].cap.rights, TERN_RIGHT_READ | TERN_RIGHT_GRANT);
	assert_int_equal(s[1].cap.original, 0);
	assert_ptr_equal(s[1].cap.obj, s[0].cap.obj);
	assert_ptr_equal(s[1].parent, &s[0]);
	assert_ptr_equal(s[0].first_child, &s[1]);
	/* A copy of a copy: rights only shrink. */
	assert_int_equal(cte_copy(&s[2], &s[1], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(s[2].cap.rights, TERN_RIGHT_READ | TERN_RIGHT_GRANT);
	assert_ptr_equal(s[2].parent, &s[1]);
	assert_int_equal(cte_copy(&s[3], &s[0], 0), TERN_EOK);
	assert_int_equal(s[3].cap.rights, 0);
	assert_int_equal(child_count(&s[0]), 2);
	check_cdt(w);

	/* Failures change nothing. */
	memcpy(before, s, sizeof(before));
	assert_int_equal(cte_copy(&s[1], &s[0], TERN_RIGHTS_ALL), TERN_EDELETE_FIRST);
	assert_int_equal(cte_copy(&s[5], &s[4], TERN_RIGHTS_ALL), TERN_EFAILED_LOOKUP);
	assert_int_equal(cte_copy(&s[0], &s[0], TERN_RIGHTS_ALL), TERN_EDELETE_FIRST);
	assert_memory_equal(before, s, sizeof(before));
	check_cdt(w);

	cte_delete(&w->roots[0], &w->ops);
	assert_int_equal(w->destroy_calls, 2);
	check_cdt(w);
	world_free(w);
}

static void test_mint(void **state)
{
	struct world *w = world_new();
	struct cnode *cn = cnode_new(w, 4, &w->roots[0]);
	struct cte *s = cn->slots;
	struct cte before[16];

	(void)state;
	object_new(w, TERN_CAP_ENDPOINT, &s[0]);
	object_new(w, TERN_CAP_NOTIFICATION, &s[1]);
	object_new(w, TERN_CAP_TCB, &s[2]);
	assert_int_equal(cte_mint(&s[3], &s[0], TERN_RIGHT_WRITE, 42), TERN_EOK);
	assert_int_equal(s[3].cap.badge, 42);
	assert_int_equal(s[3].cap.rights, TERN_RIGHT_WRITE);
	assert_int_equal(s[3].cap.original, 0);
	assert_ptr_equal(s[3].parent, &s[0]);
	assert_int_equal(s[0].cap.badge, 0);
	assert_int_equal(cte_mint(&s[4], &s[1], TERN_RIGHTS_ALL, 7), TERN_EOK);
	assert_int_equal(s[4].cap.badge, 7);
	/* Badge 0 is a plain copy: allowed on any cap, keeps the badge. */
	assert_int_equal(cte_mint(&s[5], &s[3], TERN_RIGHTS_ALL, 0), TERN_EOK);
	assert_int_equal(s[5].cap.badge, 42);
	assert_int_equal(s[5].cap.rights, TERN_RIGHT_WRITE);
	assert_ptr_equal(s[5].parent, &s[3]);
	assert_int_equal(cte_mint(&s[6], &s[2], TERN_RIGHT_READ, 0), TERN_EOK);
	assert_int_equal(s[6].cap.rights, TERN_RIGHT_READ);
	check_cdt(w);

	memcpy(before, s, sizeof(before));
	/* Re-badging, badging a type without badges, a CNode (its guard). */
	assert_int_equal(cte_mint(&s[7], &s[3], TERN_RIGHTS_ALL, 9), TERN_EILLEGAL_OPERATION);
	assert_int_equal(cte_mint(&s[7], &s[2], TERN_RIGHTS_ALL, 9), TERN_EILLEGAL_OPERATION);
	assert_int_equal(cte_mint(&s[7], &w->roots[0], TERN_RIGHTS_ALL, 9),
			 TERN_EILLEGAL_OPERATION);
	assert_int_equal(cte_mint(&s[3], &s[0], TERN_RIGHTS_ALL, 9), TERN_EDELETE_FIRST);
	assert_int_equal(cte_mint(&s[7], &s[8], TERN_RIGHTS_ALL, 9), TERN_EFAILED_LOOKUP);
	assert_memory_equal(before, s, sizeof(before));
	check_cdt(w);

	cte_delete(&w->roots[0], &w->ops);
	assert_int_equal(w->destroy_calls, 4);
	world_free(w);
}

static void test_move(void **state)
{
	struct world *w = world_new();
	struct cnode *cn = cnode_new(w, 4, &w->roots[0]);
	struct cte *s = cn->slots;
	struct cte before[16];

	(void)state;
	/* s0 -> {s1, s2, s3}; s2 -> {s4, s5}. Move the middle child s2. */
	object_new(w, TERN_CAP_ENDPOINT, &s[0]);
	assert_int_equal(cte_copy(&s[1], &s[0], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_copy(&s[2], &s[0], TERN_RIGHT_READ), TERN_EOK);
	assert_int_equal(cte_copy(&s[3], &s[0], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_copy(&s[4], &s[2], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_copy(&s[5], &s[2], TERN_RIGHTS_ALL), TERN_EOK);
	assert_ptr_equal(s[0].first_child, &s[3]);
	assert_int_equal(cte_move(&s[10], &s[2]), TERN_EOK);
	assert_true(cap_is_null(&s[2].cap));
	assert_no_links(&s[2]);
	assert_int_equal(s[10].cap.rights, TERN_RIGHT_READ);
	assert_ptr_equal(s[10].parent, &s[0]);
	assert_ptr_equal(s[3].next_sibling, &s[10]);
	assert_ptr_equal(s[1].prev_sibling, &s[10]);
	assert_ptr_equal(s[4].parent, &s[10]);
	assert_ptr_equal(s[5].parent, &s[10]);
	assert_int_equal(child_count(&s[10]), 2);
	check_cdt(w);
	/* Move the first child and the original. */
	assert_int_equal(cte_move(&s[11], &s[3]), TERN_EOK);
	assert_ptr_equal(s[0].first_child, &s[11]);
	assert_int_equal(cte_move(&s[12], &s[0]), TERN_EOK);
	assert_int_equal(s[12].cap.original, 1);
	assert_ptr_equal(s[11].parent, &s[12]);
	assert_ptr_equal(s[10].parent, &s[12]);
	assert_ptr_equal(s[1].parent, &s[12]);
	check_cdt(w);

	/* Derived CNode caps move; the original does not. */
	assert_int_equal(cte_copy(&s[6], &w->roots[0], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_move(&s[7], &s[6]), TERN_EOK);
	memcpy(before, s, sizeof(before));
	assert_int_equal(cte_move(&s[8], &w->roots[0]), TERN_EILLEGAL_OPERATION);
	assert_int_equal(cte_move(&w->roots[1], &w->roots[0]), TERN_EILLEGAL_OPERATION);
	assert_int_equal(cte_move(&s[1], &s[4]), TERN_EDELETE_FIRST);
	assert_int_equal(cte_move(&s[8], &s[9]), TERN_EFAILED_LOOKUP);
	assert_int_equal(cte_move(&s[9], &s[9]), TERN_EFAILED_LOOKUP);
	assert_int_equal(cte_move(&s[10], &s[10]), TERN_EOK);
	assert_int_equal(cte_move(&w->roots[0], &w->roots[0]), TERN_EOK);
	assert_memory_equal(before, s, sizeof(before));
	check_cdt(w);

	cte_delete(&w->roots[0], &w->ops);
	assert_int_equal(w->destroy_calls, 2);
	world_free(w);
}

/*
 * s0 (original) -> {s1, s2}; s1 -> {s3, s4}; s3 -> s5 -> s6; s2 -> s7.
 * An unrelated object in s8 with a copy in s9.
 */
static void build_tree(struct world *w, struct cte *s)
{
	object_new(w, TERN_CAP_ENDPOINT, &s[0]);
	assert_int_equal(cte_copy(&s[1], &s[0], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_copy(&s[2], &s[0], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_copy(&s[3], &s[1], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_mint(&s[4], &s[1], TERN_RIGHTS_ALL, 3), TERN_EOK);
	assert_int_equal(cte_copy(&s[5], &s[3], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_copy(&s[6], &s[5], TERN_RIGHT_READ), TERN_EOK);
	assert_int_equal(cte_copy(&s[7], &s[2], TERN_RIGHTS_ALL), TERN_EOK);
	object_new(w, TERN_CAP_NOTIFICATION, &s[8]);
	assert_int_equal(cte_copy(&s[9], &s[8], TERN_RIGHTS_ALL), TERN_EOK);
}

static void test_revoke(void **state)
{
	struct world *w = world_new();
	struct cte *s = cnode_new(w, 4, &w->roots[0])->slots;

	(void)state;
	build_tree(w, s);
	check_cdt(w);
	/* From the middle: s1's subtree goes, s2's stays. */
	cte_revoke(&s[1], &w->ops);
	for (int i = 3; i <= 6; i++) {
		assert_true(cap_is_null(&s[i].cap));
		assert_no_links(&s[i]);
	}
	assert_false(cap_is_null(&s[1].cap));
	assert_null(s[1].first_child);
	assert_false(cap_is_null(&s[7].cap));
	check_cdt(w);

	/* From the original: everything derived goes, the original and the
	 * unrelated object stay, nothing is destroyed. */
	s = cnode_new(w, 4, &w->roots[1])->slots;
	build_tree(w, s);
	cte_revoke(&s[0], &w->ops);
	for (int i = 1; i <= 7; i++)
		assert_true(cap_is_null(&s[i].cap));
	assert_false(cap_is_null(&s[0].cap));
	assert_no_links(&s[0]);
	assert_false(cap_is_null(&s[8].cap));
	assert_ptr_equal(s[9].parent, &s[8]);
	assert_int_equal(w->destroy_calls, 0);
	check_cdt(w);
	/* Revoking a leaf or an empty slot does nothing. */
	cte_revoke(&s[9], &w->ops);
	cte_revoke(&s[12], &w->ops);
	assert_ptr_equal(s[9].parent, &s[8]);
	check_cdt(w);

	cte_delete(&w->roots[0], &w->ops);
	cte_delete(&w->roots[1], &w->ops);
	assert_int_equal(w->destroy_calls, 6);
	world_free(w);
}

static unsigned stops;

static bool stop_always(void)
{
	stops++;
	return true;
}

/* A revoke stopped after every cap and called again until it finishes
 * deletes the same caps as one that runs through. */
static void test_revoke_bounded(void **state)
{
	struct world *w = world_new();
	struct cte *s = cnode_new(w, 4, &w->roots[0])->slots;
	unsigned calls = 0;

	(void)state;
	build_tree(w, s);
	stops = 0;
	while (cte_revoke_bounded(&s[0], &w->ops, 1, stop_always)) {
		calls++;
		check_cdt(w);
		assert_true(calls < 100);
	}
	assert_true(calls >= 5);
	assert_int_equal(stops, calls);
	for (int i = 1; i <= 7; i++)
		assert_true(cap_is_null(&s[i].cap));
	assert_false(cap_is_null(&s[0].cap));
	assert_no_links(&s[0]);
	assert_ptr_equal(s[9].parent, &s[8]);
	assert_int_equal(w->destroy_calls, 0);
	check_cdt(w);
	/* Nothing left: no stop asked. */
	assert_false(cte_revoke_bounded(&s[0], &w->ops, 1, stop_always));
	assert_int_equal(stops, calls);
	cte_delete(&w->roots[0], &w->ops);
	world_free(w);
}

/*
 * A CNode holding originals (one with a child outside), a nested CNode
 * with caps of its own, and a derived cap whose parent and child are
 * outside, deleted by cte_delete_bounded stopped at every point and
 * called again until done: everything in it is destroyed once, after its
 * predestroy completed, the outside child of the derived cap moves up,
 * and a stopped CNode stays dying with its progress recorded.
 */
static void test_delete_bounded_cnode(void **state)
{
	struct world *w = world_new();
	struct cnode *a = cnode_new(w, 4, &w->roots[0]);
	struct cnode *b = cnode_new(w, 3, &w->roots[1]);
	unsigned calls = 0, x, y, z, outer;
	struct cnode *n;

	(void)state;
	w->ops.predestroy = world_predestroy;
	x = object_new(w, TERN_CAP_ENDPOINT, &a->slots[0]);
	assert_int_equal(cte_copy(&a->slots[1], &a->slots[0], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_copy(&b->slots[1], &a->slots[0], TERN_RIGHTS_ALL), TERN_EOK);
	n = cnode_new(w, 2, &a->slots[2]);
	y = object_new(w, TERN_CAP_MEMOBJ, &n->slots[0]);
	assert_int_equal(cte_copy(&n->slots[1], &n->slots[0], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_copy(&n->slots[3], &w->roots[1], TERN_RIGHTS_ALL), TERN_EOK);
	z = object_new(w, TERN_CAP_VSPACE, &a->slots[9]);
	outer = object_new(w, TERN_CAP_NOTIFICATION, &w->roots[2]);
	assert_int_equal(cte_copy(&a->slots[5], &w->roots[2], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_copy(&b->slots[2], &a->slots[5], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_copy(&b->slots[3], &a->slots[5], TERN_RIGHTS_ALL), TERN_EOK);
	/* A derived cap of A outside: revoked first. */
	assert_int_equal(cte_copy(&b->slots[4], &w->roots[0], TERN_RIGHTS_ALL), TERN_EOK);

	stops = 0;
	while (cte_delete_bounded(&w->roots[0], &w->ops, 1, stop_always)) {
		calls++;
		assert_true(calls < 1000);
		if (!cap_is_null(&w->roots[0].cap)) {
			assert_true(a->dying);
			assert_true(cap_is_null(&b->slots[4].cap));
		}
	}
	assert_int_equal(stops, calls);
	/* Stops inside revokes, predestroys (2 each), slot steps. */
	assert_true(calls >= 10);
	assert_true(cap_is_null(&w->roots[0].cap));
	assert_no_links(&w->roots[0]);
	assert_int_equal(w->objs[x].destroyed, 1);
	assert_int_equal(w->objs[y].destroyed, 1);
	assert_int_equal(w->objs[z].destroyed, 1);
	assert_int_equal(w->objs[y].predestroys, 3);
	assert_int_equal(w->objs[z].predestroys, 3);
	assert_int_equal(w->objs[x].predestroys, 3);
	/* A, N, X, Y, Z. */
	assert_int_equal(w->destroy_calls, 5);
	assert_true(cap_is_null(&b->slots[1].cap));
	assert_true(w->objs[outer].alive);
	assert_ptr_equal(b->slots[2].parent, &w->roots[2]);
	assert_ptr_equal(b->slots[3].parent, &w->roots[2]);
	assert_int_equal(child_count(&w->roots[2]), 2);
	/* The copy of B that N held was deleted; B lives. */
	assert_null(w->roots[1].first_child);
	check_cdt(w);
	for (int i = 0; i < MAX_ROOTS; i++)
		cte_delete(&w->roots[i], &w->ops);
	assert_int_equal(w->destroy_calls, w->nobjs);
	world_free(w);
}

static unsigned held_calls;
static struct cte *held_last;

static void count_held(struct cte *slot, void *ctx)
{
	(void)ctx;
	assert_true(slot->cap.held);
	assert_false(cap_is_null(&slot->cap));
	held_calls++;
	held_last = slot;
}

/*
 * A held slot (one a kernel object keeps, as a TCB its IPC-buffer cap)
 * tells its owner once when it is emptied, whichever way: a revoke from
 * above, the deletion of the original, its CNode's destruction, a bounded
 * delete, its own deletion. Caps derived from it are not held; a move
 * keeps the flag without telling.
 */
static void test_held_slot_emptied(void **state)
{
	struct world *w = world_new();
	struct cnode *a = cnode_new(w, 3, &w->roots[0]);
	struct cte *held = &w->roots[5];

	(void)state;
	w->ops.held_emptied = count_held;
	held_calls = 0;
	object_new(w, TERN_CAP_MEMOBJ, &a->slots[0]);
	assert_int_equal(cte_copy(&a->slots[1], &a->slots[0], TERN_RIGHTS_ALL), TERN_EOK);
	/* Revoke from above (of the held slot's parent). */
	assert_int_equal(cte_copy(held, &a->slots[1], TERN_RIGHTS_ALL), TERN_EOK);
	held->cap.held = 1;
	assert_int_equal(cte_copy(&a->slots[2], held, TERN_RIGHTS_ALL), TERN_EOK);
	assert_false(a->slots[2].cap.held);
	cte_revoke(&a->slots[0], &w->ops);
	assert_int_equal(held_calls, 1);
	assert_ptr_equal(held_last, held);
	assert_true(cap_is_null(&held->cap));
	assert_false(held->cap.held);
	/* The bounded revoke. */
	assert_int_equal(cte_copy(held, &a->slots[0], TERN_RIGHTS_ALL), TERN_EOK);
	held->cap.held = 1;
	stops = 0;
	while (cte_revoke_bounded(&a->slots[0], &w->ops, 1, stop_always))
		;
	assert_int_equal(held_calls, 2);
	/* Its own deletion, after a move that does not tell. */
	assert_int_equal(cte_copy(&w->roots[6], &a->slots[0], TERN_RIGHTS_ALL), TERN_EOK);
	w->roots[6].cap.held = 1;
	assert_int_equal(cte_move(held, &w->roots[6]), TERN_EOK);
	assert_int_equal(held_calls, 2);
	assert_true(held->cap.held);
	cte_delete(held, &w->ops);
	assert_int_equal(held_calls, 3);
	/* Held in a CNode that is destroyed, plain and bounded. */
	object_new(w, TERN_CAP_ENDPOINT, &w->roots[1]);
	assert_int_equal(cte_copy(&a->slots[4], &w->roots[1], TERN_RIGHTS_ALL), TERN_EOK);
	a->slots[4].cap.held = 1;
	assert_int_equal(cte_copy(&a->slots[5], &a->slots[0], TERN_RIGHTS_ALL), TERN_EOK);
	a->slots[5].cap.held = 1;
	assert_int_equal(cte_copy(held, &a->slots[0], TERN_RIGHTS_ALL), TERN_EOK);
	held->cap.held = 1;
	struct cnode *b = cnode_new(w, 2, &w->roots[2]);
	assert_int_equal(cte_copy(&b->slots[0], &w->roots[1], TERN_RIGHTS_ALL), TERN_EOK);
	b->slots[0].cap.held = 1;
	/* a's slot 0 original: its derived held slot outside goes too. */
	while (cte_delete_bounded(&w->roots[0], &w->ops, 1, stop_always))
		;
	assert_int_equal(held_calls, 6);
	assert_true(cap_is_null(&held->cap));
	cte_delete(&w->roots[2], &w->ops);
	assert_int_equal(held_calls, 7);
	check_cdt(w);
	for (int i = 0; i < MAX_ROOTS; i++)
		cte_delete(&w->roots[i], &w->ops);
	assert_int_equal(held_calls, 7);
	assert_int_equal(w->destroy_calls, w->nobjs);
	world_free(w);
}

static void test_delete_derived_reparents_children(void **state)
{
	struct world *w = world_new();
	struct cte *s = cnode_new(w, 4, &w->roots[0])->slots;

	(void)state;
	build_tree(w, s);
	cte_delete(&s[1], &w->ops);
	assert_true(cap_is_null(&s[1].cap));
	assert_no_links(&s[1]);
	assert_ptr_equal(s[3].parent, &s[0]);
	assert_ptr_equal(s[4].parent, &s[0]);
	assert_true(is_child(&s[0], &s[3]));
	assert_true(is_child(&s[0], &s[4]));
	assert_true(is_child(&s[0], &s[2]));
	assert_int_equal(child_count(&s[0]), 3);
	assert_ptr_equal(s[5].parent, &s[3]);
	check_cdt(w);
	/* The middle of a chain: s3 -> s5 -> s6. */
	cte_delete(&s[5], &w->ops);
	assert_ptr_equal(s[6].parent, &s[3]);
	check_cdt(w);
	/* A leaf, and an empty slot. */
	cte_delete(&s[7], &w->ops);
	assert_null(s[2].first_child);
	cte_delete(&s[7], &w->ops);
	check_cdt(w);
	assert_int_equal(w->destroy_calls, 0);
	/* The re-parented caps are still revocable from the original. */
	cte_revoke(&s[0], &w->ops);
	for (int i = 1; i <= 7; i++)
		assert_true(cap_is_null(&s[i].cap));
	check_cdt(w);
	cte_delete(&w->roots[0], &w->ops);
	world_free(w);
}

static void test_delete_original_destroys_once(void **state)
{
	struct world *w = world_new();
	struct cte *s = cnode_new(w, 4, &w->roots[0])->slots;
	struct cte *watch[7];
	unsigned id;

	(void)state;
	build_tree(w, s);
	id = s[0].cap.extra;
	for (int i = 0; i < 7; i++)
		watch[i] = &s[i + 1];
	w->watch_id = id;
	w->watch_slots = watch;
	w->nwatch = 7;
	cte_delete(&s[0], &w->ops);
	assert_true(w->watch_seen);
	assert_int_equal(w->destroy_calls, 1);
	assert_int_equal(w->objs[id].destroyed, 1);
	for (int i = 0; i <= 7; i++) {
		assert_true(cap_is_null(&s[i].cap));
		assert_no_links(&s[i]);
	}
	assert_ptr_equal(s[9].parent, &s[8]);
	check_cdt(w);
	/* Deleting a derived CNode cap destroys nothing. */
	assert_int_equal(cte_copy(&w->roots[1], &w->roots[0], TERN_RIGHTS_ALL), TERN_EOK);
	cte_delete(&w->roots[1], &w->ops);
	assert_int_equal(w->destroy_calls, 1);
	check_cdt(w);
	cte_delete(&w->roots[0], &w->ops);
	assert_int_equal(w->destroy_calls, 3);
	check_cdt(w);
	world_free(w);
}

/* A CNode holding derived copies of its own cap, and of each other's. */
static void test_cnode_holds_copy_of_own_cap(void **state)
{
	struct world *w = world_new();
	struct cnode *cn = cnode_new(w, 2, &w->roots[0]);

	(void)state;
	assert_int_equal(cte_copy(&cn->slots[0], &w->roots[0], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_copy(&cn->slots[1], &cn->slots[0], TERN_RIGHT_READ), TERN_EOK);
	object_new(w, TERN_CAP_ENDPOINT, &cn->slots[2]);
	assert_int_equal(cte_copy(&cn->slots[3], &cn->slots[2], TERN_RIGHTS_ALL), TERN_EOK);
	check_cdt(w);
	cte_delete(&cn->slots[0], &w->ops);
	assert_ptr_equal(cn->slots[1].parent, &w->roots[0]);
	assert_int_equal(cte_copy(&cn->slots[0], &cn->slots[1], TERN_RIGHTS_ALL), TERN_EOK);
	check_cdt(w);
	cte_delete(&w->roots[0], &w->ops);
	assert_int_equal(w->destroy_calls, 2);
	assert_true(cap_is_null(&w->roots[0].cap));
	check_cdt(w);
	world_free(w);
}

/* A CNode whose own original sits in one of its slots. */
static void test_cnode_holds_own_original(void **state)
{
	struct world *w = world_new();
	struct cnode *cn = calloc(1, cnode_size(2));
	struct cap c;

	(void)state;
	assert_non_null(cn);
	cn->radix = 2;
	c = make_cap(cn, TERN_CAP_CNODE, world_register(w, cn, TERN_CAP_CNODE));
	cte_insert_original(&cn->slots[0], &c);
	object_new(w, TERN_CAP_ENDPOINT, &cn->slots[1]);
	assert_int_equal(cte_copy(&cn->slots[2], &cn->slots[0], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_copy(&cn->slots[3], &cn->slots[1], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_copy(&w->roots[0], &cn->slots[2], TERN_RIGHTS_ALL), TERN_EOK);
	check_cdt(w);
	/* destroy frees the memory holding the slot being deleted. */
	cte_delete(&cn->slots[0], &w->ops);
	assert_int_equal(w->destroy_calls, 2);
	assert_int_equal(w->objs[0].destroyed, 1);
	assert_int_equal(w->objs[1].destroyed, 1);
	assert_true(cap_is_null(&w->roots[0].cap));
	check_cdt(w);
	world_free(w);
}

/*
 * A (in roots[0]) owns CNode C and object X; B (in roots[1]) owns Z; C
 * owns Y. Each object has copies in the other CNodes. Deleting A destroys
 * A, C, X and Y, and leaves B and Z with no copies left.
 */
static void test_cnode_destroy_cross_links(void **state)
{
	struct world *w = world_new();
	struct cnode *a = cnode_new(w, 3, &w->roots[0]);
	struct cnode *b = cnode_new(w, 3, &w->roots[1]);
	struct cnode *c = cnode_new(w, 3, &a->slots[7]);
	unsigned x = object_new(w, TERN_CAP_ENDPOINT, &a->slots[1]);
	unsigned y = object_new(w, TERN_CAP_NOTIFICATION, &c->slots[2]);
	unsigned z = object_new(w, TERN_CAP_TCB, &b->slots[2]);

	(void)state;
	assert_int_equal(cte_copy(&b->slots[0], &a->slots[1], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_mint(&c->slots[0], &a->slots[1], TERN_RIGHTS_ALL, 5), TERN_EOK);
	assert_int_equal(cte_copy(&c->slots[1], &c->slots[0], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_copy(&a->slots[2], &c->slots[2], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_copy(&b->slots[1], &a->slots[2], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_copy(&a->slots[3], &b->slots[2], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_copy(&c->slots[3], &a->slots[3], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_copy(&c->slots[4], &b->slots[2], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_copy(&b->slots[3], &a->slots[7], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_copy(&c->slots[5], &a->slots[7], TERN_RIGHTS_ALL), TERN_EOK);
	assert_int_equal(cte_copy(&b->slots[4], &w->roots[0], TERN_RIGHTS_ALL), TERN_EOK);
	check_cdt(w);
	cte_delete(&w->roots[0], &w->ops);
	assert_int_equal(w->destroy_calls, 4);
	assert_int_equal(w->objs[x].destroyed, 1);
	assert_int_equal(w->objs[y].destroyed, 1);
	assert_true(w->objs[z].alive);
	assert_true(w->objs[1].alive); /* b */
	assert_null(b->slots[2].first_child);
	for (int i = 0; i < 8; i++)
		assert_true(i == 2 || cap_is_null(&b->slots[i].cap));
	check_cdt(w);
	cte_delete(&w->roots[1], &w->ops);
	assert_int_equal(w->destroy_calls, 6);
	check_cdt(w);
	world_free(w);
}

/*
 * 1000 CNodes, each owning the next. Each holds an endpoint original, a
 * copy of the shallower level's endpoint, one of the deeper level's, and a
 * copy of its own cap.
 */
static void test_nested_cnodes_1000(void **state)
{
	enum { DEPTH = 1000 };
	struct world *w = world_new();
	struct cnode **level = calloc(DEPTH, sizeof(*level));
	struct cte *slot = &w->roots[0];

	(void)state;
	assert_non_null(level);
	for (int i = 0; i < DEPTH; i++) {
		level[i] = cnode_new(w, 3, slot);
		object_new(w, TERN_CAP_ENDPOINT, &level[i]->slots[1]);
		if (i > 0)
			assert_int_equal(cte_copy(&level[i]->slots[2], &level[i - 1]->slots[1],
						  TERN_RIGHTS_ALL),
					 TERN_EOK);
		assert_int_equal(cte_copy(&level[i]->slots[3], slot, TERN_RIGHTS_ALL), TERN_EOK);
		slot = &level[i]->slots[0];
	}
	for (int i = 0; i + 1 < DEPTH; i++)
		assert_int_equal(
			cte_copy(&level[i]->slots[4], &level[i + 1]->slots[1], TERN_RIGHTS_ALL),
			TERN_EOK);
	check_cdt(w);
	cte_delete(&w->roots[0], &w->ops);
	assert_int_equal(w->destroy_calls, 2 * DEPTH);
	for (unsigned i = 0; i < w->nobjs; i++)
		assert_int_equal(w->objs[i].destroyed, 1);
	check_cdt(w);
	free(level);
	world_free(w);
}

static void count_and_free(const struct cap *original, void *ctx)
{
	(*(unsigned long *)ctx)++;
	free(original->obj);
}

/* A chain far deeper than any recursion could survive with ASan's frames. */
static void test_deep_chain_no_recursion(void **state)
{
	enum { DEPTH = 200000 };
	unsigned long destroyed = 0;
	struct cdt_ops ops = { .destroy = count_and_free, .ctx = &destroyed };
	struct cte top = { 0 };
	struct cte *slot = &top;

	(void)state;
	for (int i = 0; i < DEPTH; i++) {
		struct cnode *cn = calloc(1, cnode_size(0));
		struct cap c = { 0 };

		assert_non_null(cn);
		c.type = TERN_CAP_CNODE;
		c.obj = cn;
		cte_insert_original(slot, &c);
		slot = &cn->slots[0];
	}
	cte_delete(&top, &ops);
	assert_int_equal(destroyed, DEPTH);
	assert_true(cap_is_null(&top.cap));
}

static const uint8_t fuzz_types[] = { TERN_CAP_ENDPOINT, TERN_CAP_NOTIFICATION, TERN_CAP_TCB,
				      TERN_CAP_CNODE };

static int expect_derive(const struct cte *dst, const struct cte *src, uint64_t badge)
{
	if (!cap_is_null(&dst->cap))
		return TERN_EDELETE_FIRST;
	if (cap_is_null(&src->cap))
		return TERN_EFAILED_LOOKUP;
	if (badge != 0 &&
	    ((src->cap.type != TERN_CAP_ENDPOINT && src->cap.type != TERN_CAP_NOTIFICATION) ||
	     src->cap.badge != 0))
		return TERN_EILLEGAL_OPERATION;
	return TERN_EOK;
}

static int expect_move(const struct cte *dst, const struct cte *src)
{
	if (dst == src)
		return cap_is_null(&src->cap) ? TERN_EFAILED_LOOKUP : TERN_EOK;
	if (!cap_is_null(&dst->cap))
		return TERN_EDELETE_FIRST;
	if (cap_is_null(&src->cap))
		return TERN_EFAILED_LOOKUP;
	if (src->cap.original && src->cap.type == TERN_CAP_CNODE)
		return TERN_EILLEGAL_OPERATION;
	return TERN_EOK;
}

static bool is_root_slot(struct world *w, const struct cte *s)
{
	return s >= &w->roots[0] && s < &w->roots[MAX_ROOTS];
}

/*
 * One random operation on random slots. Sources are mostly used slots;
 * originals, above all those in root slots, are deleted less often than
 * derived caps, so the world stays large enough for deep trees and nested
 * CNodes to form, yet whole CNode trees do go at times.
 */
static struct prng *fuzz_stop_rng;

static bool fuzz_stop(void)
{
	return prng_below(fuzz_stop_rng, 3) == 0;
}

static void fuzz_step(struct world *w, struct prng *r)
{
	struct cte **slots, **used;
	size_t n = world_slots(w, &slots), nused = 0;
	struct cte *a, *b;
	unsigned kind = (unsigned)prng_below(r, 100);

	used = malloc(n * sizeof(*used));
	assert_non_null(used);
	for (size_t i = 0; i < n; i++)
		if (!cap_is_null(&slots[i]->cap))
			used[nused++] = slots[i];
	/* Forget last_derived once emptied or freed with its CNode. */
	for (size_t i = 0; i < nused && w->last_derived != NULL; i++)
		if (used[i] == w->last_derived)
			break;
		else if (i + 1 == nused)
			w->last_derived = NULL;
	a = nused > 0 && prng_below(r, 5) != 0 ? used[prng_below(r, nused)]
					       : slots[prng_below(r, n)];
	/* Derive from the most recently derived cap now and then, for depth. */
	if (kind >= 20 && kind < 57 && w->last_derived != NULL && prng_below(r, 2) == 0)
		a = w->last_derived;
	b = slots[prng_below(r, n)];
	if (kind >= 70 && kind < 92 && is_root_slot(w, a) && prng_below(r, 20) != 0)
		kind = 20;
	if (kind >= 70 && kind < 92 && a->cap.original && prng_below(r, 4) != 0)
		kind = 20;
	if (kind < 20) {
		/* Create an object; now and then refill an empty root slot. */
		uint8_t type = fuzz_types[prng_below(r, sizeof(fuzz_types))];

		if (prng_below(r, 4) == 0)
			b = &w->roots[prng_below(r, MAX_ROOTS)];
		if (cap_is_null(&b->cap) && w->nobjs + 1 < MAX_OBJECTS) {
			if (type == TERN_CAP_CNODE)
				cnode_new(w, (unsigned)prng_below(r, 4), b);
			else
				object_new(w, type, b);
		}
	} else if (kind < 45) {
		uint8_t mask = (uint8_t)prng_below(r, 16);
		int want = expect_derive(b, a, 0);
		struct cap src = a->cap;

		assert_int_equal(cte_copy(b, a, mask), want);
		if (want == TERN_EOK) {
			w->last_derived = b;
			assert_ptr_equal(b->parent, a);
			assert_int_equal(b->cap.rights, src.rights & mask);
			assert_int_equal(b->cap.badge, src.badge);
		}
	} else if (kind < 57) {
		uint8_t mask = (uint8_t)prng_below(r, 16);
		uint64_t badge = prng_below(r, 3) == 0 ? 0 : prng_next(r) | 1;
		int want = expect_derive(b, a, badge);
		struct cap src = a->cap;

		assert_int_equal(cte_mint(b, a, mask, badge), want);
		if (want == TERN_EOK) {
			w->last_derived = b;
			assert_int_equal(b->cap.badge, badge != 0 ? badge : src.badge);
		}
	} else if (kind < 70) {
		int want = expect_move(b, a);
		struct cap src = a->cap;

		assert_int_equal(cte_move(b, a), want);
		if (want == TERN_EOK) {
			assert_memory_equal(&b->cap, &src, sizeof(src));
			assert_true(a == b || cap_is_null(&a->cap));
		}
	} else if (kind < 92) {
		bool original = !cap_is_null(&a->cap) && a->cap.original;
		unsigned id = a->cap.extra, before = w->destroy_calls;

		if (prng_below(r, 2) == 0) {
			cte_delete(a, &w->ops);
		} else {
			/* Stopped at random points and called again until done:
			 * the derived caps of `a` go too (as CNODE_DELETE). */
			fuzz_stop_rng = r;
			while (cte_delete_bounded(a, &w->ops, 1 + (unsigned)prng_below(r, 4),
						  fuzz_stop))
				;
			assert_true(cap_is_null(&a->cap));
		}
		if (original)
			assert_int_equal(w->objs[id].destroyed, 1);
		else
			assert_int_equal(w->destroy_calls, before);
	} else {
		bool empty = cap_is_null(&a->cap);
		unsigned before = w->destroy_calls;

		cte_revoke(a, &w->ops);
		assert_null(a->first_child);
		assert_int_equal(cap_is_null(&a->cap), empty);
		assert_int_equal(w->destroy_calls, before);
	}
	free(used);
	free(slots);
}

static void fuzz_run(uint64_t seed, unsigned steps)
{
	struct world *w = world_new();
	struct prng r = { seed };

	for (int i = 0; i < 4; i++)
		cnode_new(w, 5, &w->roots[i]);
	for (unsigned i = 0; i < steps; i++) {
		fuzz_step(w, &r);
		check_cdt(w);
	}
	/* Every object is owned, through CNodes, by a root slot. */
	for (int i = 0; i < MAX_ROOTS; i++)
		cte_delete(&w->roots[i], &w->ops);
	assert_int_equal(w->destroy_calls, w->nobjs);
	for (unsigned i = 0; i < w->nobjs; i++) {
		assert_false(w->objs[i].alive);
		assert_int_equal(w->objs[i].destroyed, 1);
	}
	check_cdt(w);
	world_free(w);
}

static void test_fuzz(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 4; seed++)
		fuzz_run(seed, 3000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_mint),
		cmocka_unit_test(test_move),
		cmocka_unit_test(test_revoke),
		cmocka_unit_test(test_delete_derived_reparents_children),
		cmocka_unit_test(test_delete_original_destroys_once),
		cmocka_unit_test(test_cnode_holds_copy_of_own_cap),
		cmocka_unit_test(test_cnode_holds_own_original),
		cmocka_unit_test(test_cnode_destroy_cross_links),
		cmocka_unit_test(test_nested_cnodes_1000),
		cmocka_unit_test(test_deep_chain_no_recursion),
		cmocka_unit_test(test_fuzz),
		cmocka_unit_test(test_revoke_bounded),
		cmocka_unit_test(test_delete_bounded_cnode),
		cmocka_unit_test(test_held_slot_emptied),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
