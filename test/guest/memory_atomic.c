/*
 * Memory invocations that fail change nothing, and the holes an
 * independent hostile test found in them stay closed:
 *
 *   vspace_fail_atomic   MAP, UNMAP and PROTECT with the VSpace's quota
 *                        short by every amount up to what they need: each
 *                        failure leaves every mapping, right and
 *                        translation as it was, and the quota too
 *   clone_needs_read_keeps_rights  MEMOBJ_CLONE of a cap without the
 *                        read right is refused; a clone's cap has no more
 *                        rights than its source
 *   clone_charges_quota  a clone is charged to the quota sent with it
 *   map_rights_bits      MAP refuses rights bits PROTECT refuses
 *   short_message        every invocation refuses a message shorter than
 *                        its fixed arguments
 *   protect_exec_beyond_cap  PROTECT cannot add execute the cap lacked
 *   huge_block_offset    an existing 2 MiB block mapped at an offset that
 *                        is not 2 MiB aligned shows the right pages
 *   frames_returned      (last) every frame taken by the suite is free
 *                        again or paid for by a quota
 */
#include "memory.h"

#include "sys/invoke.h"

#define RWX_ALL (TERN_RIGHT_READ | TERN_RIGHT_WRITE | TERN_RIGHT_EXEC)

static uint64_t frames_at_start, used_at_start;

static uint64_t quota_used(uint64_t q)
{
	uint64_t used = ~0ull, limit;

	tern_quota_query(q, &used, &limit);
	return used;
}

static uint64_t quota_room(uint64_t q)
{
	uint64_t used = 0, limit = 0;

	tern_quota_query(q, &used, &limit);
	return limit - used;
}

/* ---- vspace_fail_atomic ------------------------------------------------ */

/* A VSpace of our own quota, not the one we run in, with two MemObjs:
 * A (4 MiB, two 2 MiB leaves once populated) and B (16 pages). */
struct vs_fixture {
	uint64_t quota, vs, a, b, c, ballast;
	uint64_t base;
};

#define FIX_QUOTA (1ul << 20)
#define FIX_BASE 0x100000000ul /* 4 GiB: 2 MiB aligned */
#define FIX_B (FIX_BASE + 8 * HUGE)
#define FIX_C (FIX_BASE + 16 * HUGE)
#define FIX_END (FIX_C + 4 * PAGE)

/* Pages whose state the test compares: around every 2 MiB boundary and
 * middle of A, every page of B and C, and the gaps after them. */
static uint64_t probe_addr(unsigned i)
{
	static const uint64_t in_block[] = { 0, 1, 255, 256, 257, 510, 511 };
	unsigned per = sizeof(in_block) / sizeof(in_block[0]);

	if (i < 2 * per)
		return FIX_BASE + (i / per) * HUGE + in_block[i % per] * PAGE;
	i -= 2 * per;
	if (i < 18)
		return FIX_B + i * PAGE;
	i -= 18;
	return FIX_C + i * PAGE;
}
#define PROBES (14 + 18 + 5)

struct vs_state {
	uint64_t q[PROBES][3];
	uint64_t used;
};

static int vs_snapshot(struct vs_fixture *f, struct vs_state *s)
{
	for (unsigned i = 0; i < PROBES; i++)
		CHECK_EQ(tern_vspace_query(f->vs, probe_addr(i), s->q[i]), TERN_EOK);
	s->used = quota_used(f->quota);
	return 0;
}

static int vs_same(const struct vs_state *a, const struct vs_state *b)
{
	for (unsigned i = 0; i < PROBES; i++)
		for (unsigned k = 0; k < 3; k++)
			if (a->q[i][k] != b->q[i][k]) {
				tern_printf("GUEST memory: page %lx: query word %u %lx -> %lx\n",
					    probe_addr(i), k, a->q[i][k], b->q[i][k]);
				return -1;
			}
	CHECK_EQ(a->used, b->used);
	return 0;
}

static int fixture_up(struct vs_fixture *f)
{
	uint64_t s[6] = { f->quota, f->vs, f->a, f->b, f->c, f->ballast };

	for (int i = 0; i < 6; i++)
		tern_cnode_delete(TERN_SLOT_CNODE, s[i], 64); /* the previous round's */
	CHECK_EQ(tern_quota_split(TERN_SLOT_QUOTA, FIX_QUOTA, TERN_SLOT_CNODE, f->quota, 64),
		 TERN_EOK);
	CHECK_EQ(tern_quota_create(f->quota, TERN_CAP_VSPACE, 0, TERN_SLOT_CNODE, f->vs, 64),
		 TERN_EOK);
	CHECK_EQ(tern_quota_create(TERN_SLOT_QUOTA, TERN_CAP_MEMOBJ, 1024, TERN_SLOT_CNODE, f->a,
				   64),
		 TERN_EOK);
	CHECK_EQ(tern_quota_create(TERN_SLOT_QUOTA, TERN_CAP_MEMOBJ, 16, TERN_SLOT_CNODE, f->b, 64),
		 TERN_EOK);
	CHECK_EQ(tern_quota_create(TERN_SLOT_QUOTA, TERN_CAP_MEMOBJ, 4, TERN_SLOT_CNODE, f->c, 64),
		 TERN_EOK);
	CHECK_EQ(tern_vspace_map(f->vs, FIX_BASE, f->a, 0, 1024, RW | TERN_MAP_POPULATE), TERN_EOK);
	CHECK_EQ(tern_vspace_map(f->vs, FIX_B, f->b, 0, 16, RW | TERN_MAP_POPULATE), TERN_EOK);
	uint64_t q[3];
	CHECK_EQ(tern_vspace_query(f->vs, FIX_BASE + HUGE + 3 * PAGE, q), TERN_EOK);
	CHECK_EQ(q[0] & (TERN_QUERY_PRESENT | TERN_QUERY_HUGE),
		 TERN_QUERY_PRESENT | TERN_QUERY_HUGE);
	CHECK_EQ(q[2], RW);
	CHECK_EQ(tern_vspace_query(f->vs, FIX_B + 15 * PAGE, q), TERN_EOK);
	CHECK_EQ(q[0] & (TERN_QUERY_PRESENT | TERN_QUERY_HUGE | TERN_QUERY_WRITE),
		 TERN_QUERY_PRESENT | TERN_QUERY_WRITE);
	return 0;
}

/* Leave exactly `room` bytes free in the fixture's quota (a ballast quota
 * split off takes the rest); -1 if it has less. */
static int set_room(struct vs_fixture *f, uint64_t room, uint64_t split_cost)
{
	uint64_t have = quota_room(f->quota);

	CHECK(have >= room + split_cost);
	CHECK_EQ(tern_quota_split(f->quota, have - room - split_cost, TERN_SLOT_CNODE, f->ballast,
				  64),
		 TERN_EOK);
	CHECK_EQ(quota_room(f->quota), room);
	return 0;
}

enum vs_op { OP_UNMAP_HUGE, OP_PROTECT_HUGE, OP_PROTECT_SMALL, OP_UNMAP_SMALL, OP_MAP };

static enum tern_error vs_do(struct vs_fixture *f, enum vs_op op)
{
	switch (op) {
	case OP_UNMAP_HUGE: /* cuts A in three and both its 2 MiB leaves */
		return tern_vspace_unmap(f->vs, FIX_BASE + HUGE / 2, 512);
	case OP_PROTECT_HUGE:
		return tern_vspace_protect(f->vs, FIX_BASE + HUGE / 2, 512, TERN_RIGHT_READ);
	case OP_PROTECT_SMALL: /* cuts B in three */
		return tern_vspace_protect(f->vs, FIX_B + PAGE, 2, TERN_RIGHT_READ);
	case OP_UNMAP_SMALL:
		return tern_vspace_unmap(f->vs, FIX_B + PAGE, 2);
	case OP_MAP:
		return tern_vspace_map(f->vs, FIX_C, f->c, 0, 4, RW | TERN_MAP_POPULATE);
	}
	return TERN_EINVALID_ARGUMENT;
}

/* What the operation did once it succeeded. */
static int vs_check_done(struct vs_fixture *f, enum vs_op op)
{
	uint64_t q[3];

	switch (op) {
	case OP_UNMAP_HUGE:
	case OP_PROTECT_HUGE: {
		uint64_t want = op == OP_UNMAP_HUGE ? 0 : TERN_RIGHT_READ;
		CHECK_EQ(tern_vspace_query(f->vs, FIX_BASE + HUGE / 2, q), TERN_EOK);
		CHECK_EQ(q[2], want);
		CHECK_EQ(q[0] & TERN_QUERY_WRITE, 0);
		CHECK_EQ(tern_vspace_query(f->vs, FIX_BASE + HUGE + HUGE / 2 - PAGE, q), TERN_EOK);
		CHECK_EQ(q[2], want);
		CHECK_EQ(tern_vspace_query(f->vs, FIX_BASE + HUGE / 2 - PAGE, q), TERN_EOK);
		CHECK_EQ(q[2], RW);
		CHECK_EQ(q[0] & (TERN_QUERY_PRESENT | TERN_QUERY_WRITE | TERN_QUERY_HUGE),
			 TERN_QUERY_PRESENT | TERN_QUERY_WRITE);
		CHECK_EQ(tern_vspace_query(f->vs, FIX_BASE + HUGE + HUGE / 2, q), TERN_EOK);
		CHECK_EQ(q[2], RW);
		CHECK(q[0] & TERN_QUERY_PRESENT);
		return 0;
	}
	case OP_PROTECT_SMALL:
	case OP_UNMAP_SMALL:
		CHECK_EQ(tern_vspace_query(f->vs, FIX_B + 2 * PAGE, q), TERN_EOK);
		CHECK_EQ(q[2], op == OP_UNMAP_SMALL ? 0 : TERN_RIGHT_READ);
		CHECK_EQ(tern_vspace_query(f->vs, FIX_B + 3 * PAGE, q), TERN_EOK);
		CHECK_EQ(q[2], RW);
		return 0;
	case OP_MAP:
		CHECK_EQ(tern_vspace_query(f->vs, FIX_C + 3 * PAGE, q), TERN_EOK);
		CHECK_EQ(q[2], RW);
		return 0;
	}
	return -1;
}

/*
 * Small kernel objects live in slab pages charged to their quota, so an
 * allocation that fits in a page the quota already pays for costs nothing
 * and cannot fail. Fill the quota's pages of the mappings' size class
 * with mappings (one page of a filler MemObj charged elsewhere, mapped
 * lazily beside B, where no page table is needed) until the next one needs
 * a fresh page, so that the op's first new mapping does too. Filling with
 * the op's own kind of object keeps this true whatever the size classes
 * of other objects. fill[0] holds the filler MemObj.
 */
#define FILL_MAX 64
#define FILL_AT(i) (FIX_B + (64 + 2 * (uint64_t)(i)) * PAGE)

static int fill_mapping_class(struct vs_fixture *f, uint64_t fill[FILL_MAX])
{
	fill[0] = guest_slot();
	CHECK(fill[0]);
	CHECK_EQ(tern_quota_create(TERN_SLOT_QUOTA, TERN_CAP_MEMOBJ, 1, TERN_SLOT_CNODE, fill[0],
				   64),
		 TERN_EOK);
	for (unsigned i = 0; i < FILL_MAX; i++) {
		uint64_t used = quota_used(f->quota);
		CHECK_EQ(tern_vspace_map(f->vs, FILL_AT(i), fill[0], 0, 1, TERN_RIGHT_READ),
			 TERN_EOK);
		if (quota_used(f->quota) > used) {
			/* A fresh page: give it back, every page of the class is full. */
			CHECK_EQ(tern_vspace_unmap(f->vs, FILL_AT(i), 1), TERN_EOK);
			CHECK_EQ(quota_used(f->quota), used);
			return 0;
		}
	}
	return -1;
}

/* Run `op` with 0, 8, 16, ... bytes of room until it succeeds: every
 * charged allocation it makes fails in turn (kernel charges are whole
 * pages, or multiples of 8). */
static int vs_sweep(struct vs_fixture *f, enum vs_op op, uint64_t split_cost)
{
	struct vs_state before, after;
	unsigned failures = 0;
	uint64_t charged = 0;

	uint64_t fill[FILL_MAX] = { 0 };

	CHECK_EQ(fixture_up(f), 0);
	CHECK_EQ(fill_mapping_class(f, fill), 0);
	CHECK_EQ(vs_snapshot(f, &before), 0);
	for (uint64_t room = 0;; room += 8) {
		CHECK(room <= 4 * PAGE + 1024);
		CHECK_EQ(set_room(f, room, split_cost), 0);
		enum tern_error err = vs_do(f, op);
		charged = room - quota_room(f->quota);
		CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, f->ballast, 64), TERN_EOK);
		if (err == TERN_EOK)
			break;
		CHECK_EQ(err, TERN_ENOT_ENOUGH_MEMORY);
		failures++;
		CHECK_EQ(vs_snapshot(f, &after), 0);
		CHECK_EQ(vs_same(&before, &after), 0);
	}
	for (unsigned i = 0; i < FILL_MAX; i++)
		if (fill[i])
			CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, fill[i], 64), TERN_EOK);
	CHECK(failures > 0);
	tern_printf("memory: vspace op %d failed at %u quota levels, state kept each time "
		    "(charged %lu bytes)\n",
		    (int)op, failures, charged);
	return vs_check_done(f, op);
}

static int fail_atomic_body(struct vs_fixture *f)
{
	f->quota = guest_slot();
	f->vs = guest_slot();
	f->a = guest_slot();
	f->b = guest_slot();
	f->c = guest_slot();
	f->ballast = guest_slot();
	CHECK(f->ballast);
	/* What a split costs beyond the bytes it moves: the quota object. */
	CHECK_EQ(tern_quota_split(TERN_SLOT_QUOTA, FIX_QUOTA, TERN_SLOT_CNODE, f->quota, 64),
		 TERN_EOK);
	uint64_t used0 = quota_used(f->quota);
	CHECK_EQ(tern_quota_split(f->quota, 0, TERN_SLOT_CNODE, f->ballast, 64), TERN_EOK);
	uint64_t split_cost = quota_used(f->quota) - used0;
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, f->ballast, 64), TERN_EOK);
	CHECK(split_cost > 0);
	for (int op = OP_UNMAP_HUGE; op <= OP_MAP; op++)
		CHECK_EQ(vs_sweep(f, (enum vs_op)op, split_cost), 0);
	return 0;
}

int test_vspace_fail_atomic(void)
{
	struct vs_fixture f = { 0 };
	uint64_t frames = guest_frames();
	int r = fail_atomic_body(&f);
	uint64_t s[5] = { f.vs, f.a, f.b, f.c, f.quota };

	for (int i = 0; i < 5; i++)
		if (s[i])
			tern_cnode_delete(TERN_SLOT_CNODE, s[i], 64);
	if (r == 0 && guest_frames() != frames) {
		tern_printf("GUEST memory: %ld frames not given back\n",
			    (long)(frames - guest_frames()));
		return -1;
	}
	return r;
}

/* ---- MEMOBJ_CLONE -------------------------------------------------------- */

static int clone_rights_body(uint64_t *s)
{
	uint64_t q[3];

	s[0] = guest_create(TERN_CAP_MEMOBJ, 4);
	s[1] = guest_slot(); /* s[0] without the read right */
	s[2] = guest_slot(); /* s[0] read-only */
	s[3] = guest_slot(); /* clone */
	s[4] = guest_slot();
	CHECK(s[0] && s[4]);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, WINDOW(12), s[0], 0, 4, RW), TERN_EOK);
	*word(WINDOW(12) + PAGE) = 0x5ec12e7;
	CHECK_EQ(tern_vspace_unmap(TERN_SLOT_VSPACE, WINDOW(12), 4), TERN_EOK);
	CHECK_EQ(tern_cnode_copy(TERN_SLOT_CNODE, s[1], 64, s[0], 64,
				 TERN_RIGHT_WRITE | TERN_RIGHT_GRANT | TERN_RIGHT_EXEC),
		 TERN_EOK);
	CHECK_EQ(tern_cnode_copy(TERN_SLOT_CNODE, s[2], 64, s[0], 64, TERN_RIGHT_READ), TERN_EOK);

	/* Needs read. */
	uint64_t used = guest_quota_used();
	CHECK_EQ(tern_memobj_clone(s[1], TERN_SLOT_QUOTA, TERN_SLOT_CNODE, s[3], 64),
		 TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(guest_quota_used(), used);
	CHECK_EQ(tern_memobj_size(s[3], q), TERN_EINVALID_CAPABILITY); /* nothing made */

	/* Keeps rights: from a read-only cap, a read-only clone. */
	CHECK_EQ(tern_memobj_clone(s[2], TERN_SLOT_QUOTA, TERN_SLOT_CNODE, s[3], 64), TERN_EOK);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, WINDOW(12), s[3], 0, 4, RW),
		 TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, WINDOW(12), s[3], 0, 4, TERN_RIGHT_READ),
		 TERN_EOK);
	CHECK_EQ(*word(WINDOW(12) + PAGE), 0x5ec12e7);
	CHECK_EQ(tern_vspace_unmap(TERN_SLOT_VSPACE, WINDOW(12), 4), TERN_EOK);
	/* ... and its copies cannot gain what it lacks. */
	CHECK_EQ(tern_cnode_copy(TERN_SLOT_CNODE, s[4], 64, s[3], 64, TERN_RIGHTS_ALL), TERN_EOK);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, WINDOW(12), s[4], 0, 4, RW),
		 TERN_EINSUFFICIENT_RIGHTS);
	return 0;
}

int test_clone_rights(void)
{
	uint64_t s[5] = { 0 };
	int r = clone_rights_body(s);

	for (int i = 4; i >= 0; i--)
		if (s[i])
			tern_cnode_delete(TERN_SLOT_CNODE, s[i], 64);
	return r;
}

/* clone_charges_quota: the quota sent pays, the source's does not. */
static int clone_quota_body(uint64_t *s)
{
	s[0] = guest_slot();
	s[1] = guest_slot();
	s[2] = guest_slot();
	CHECK(s[2]);
	CHECK_EQ(tern_quota_split(TERN_SLOT_QUOTA, 1ul << 20, TERN_SLOT_CNODE, s[0], 64), TERN_EOK);
	CHECK_EQ(tern_quota_create(TERN_SLOT_QUOTA, TERN_CAP_MEMOBJ, 8, TERN_SLOT_CNODE, s[1], 64),
		 TERN_EOK);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, WINDOW(12), s[1], 0, 8, RW), TERN_EOK);
	for (int i = 0; i < 8; i++)
		*word(WINDOW(12) + i * PAGE) = (uint64_t)i;
	uint64_t root = guest_quota_used();
	CHECK_EQ(quota_used(s[0]), 0);
	CHECK_EQ(tern_memobj_clone(s[1], s[0], TERN_SLOT_CNODE, s[2], 64), TERN_EOK);
	CHECK_EQ(guest_quota_used(), root);
	CHECK(quota_used(s[0]) >= 8 * PAGE);
	/* A clone with no room in the quota sent fails and costs nothing. */
	uint64_t s3 = guest_slot(), small = guest_slot();
	CHECK(small);
	CHECK_EQ(tern_quota_split(TERN_SLOT_QUOTA, 4 * PAGE, TERN_SLOT_CNODE, small, 64), TERN_EOK);
	root = guest_quota_used();
	CHECK_EQ(tern_memobj_clone(s[1], small, TERN_SLOT_CNODE, s3, 64), TERN_ENOT_ENOUGH_MEMORY);
	CHECK_EQ(quota_used(small), 0);
	CHECK_EQ(guest_quota_used(), root);
	/* Not a quota: refused. */
	CHECK_EQ(tern_memobj_clone(s[1], s[1], TERN_SLOT_CNODE, s3, 64), TERN_EINVALID_CAPABILITY);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, small, 64), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, s[2], 64), TERN_EOK);
	CHECK_EQ(quota_used(s[0]), 0);
	return 0;
}

int test_clone_quota(void)
{
	uint64_t s[3] = { 0 };
	int r = clone_quota_body(s);

	tern_vspace_unmap(TERN_SLOT_VSPACE, WINDOW(12), 8);
	for (int i = 2; i >= 0; i--)
		if (s[i])
			tern_cnode_delete(TERN_SLOT_CNODE, s[i], 64);
	return r;
}

/* ---- map_rights_bits, protect_exec_beyond_cap ----------------------------- */

/* map_rights_bits: bits above 32 used to be cut off by MAP only. */
static int map_bits_body(uint64_t *s)
{
	uint64_t va = WINDOW(13);
	uint64_t bad[] = { RW | (1ull << 32), TERN_RIGHT_READ | (1ull << 40),
			   TERN_RIGHT_READ | TERN_RIGHT_GRANT, TERN_RIGHT_READ | (1ull << 63) };

	s[0] = guest_create(TERN_CAP_MEMOBJ, 4);
	CHECK(s[0]);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, va, s[0], 0, 4, bad[i]),
			 TERN_EINVALID_ARGUMENT);
		CHECK_EQ(qflags(va), 0);
	}
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, va, s[0], 0, 4, RW), TERN_EOK);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(tern_vspace_protect(TERN_SLOT_VSPACE, va, 4, bad[i]),
			 TERN_EINVALID_ARGUMENT);
	return 0;
}

/* protect_exec_beyond_cap: mapped through a cap without execute. */
static int protect_exec_body(uint64_t *s)
{
	uint64_t va = WINDOW(13), q[3];

	s[0] = guest_create(TERN_CAP_MEMOBJ, 4);
	s[1] = guest_slot();
	CHECK(s[0] && s[1]);
	CHECK_EQ(tern_cnode_copy(TERN_SLOT_CNODE, s[1], 64, s[0], 64, RW), TERN_EOK);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, va, s[1], 0, 4, TERN_RIGHT_READ), TERN_EOK);
	CHECK_EQ(tern_vspace_protect(TERN_SLOT_VSPACE, va, 4, TERN_RIGHT_READ | TERN_RIGHT_EXEC),
		 TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_vspace_protect(TERN_SLOT_VSPACE, va + PAGE, 1,
				     TERN_RIGHT_READ | TERN_RIGHT_EXEC),
		 TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_vspace_query(TERN_SLOT_VSPACE, va + PAGE, q), TERN_EOK);
	CHECK_EQ(q[2], TERN_RIGHT_READ);
	(void)*word(va + PAGE);
	CHECK_EQ(qflags(va + PAGE) & TERN_QUERY_EXEC, 0);
	/* What the cap allows, protect may give. */
	CHECK_EQ(tern_vspace_protect(TERN_SLOT_VSPACE, va, 4, RW), TERN_EOK);
	CHECK_EQ(tern_vspace_query(TERN_SLOT_VSPACE, va + PAGE, q), TERN_EOK);
	CHECK_EQ(q[2], RW);
	return 0;
}

static int rights_case(int (*body)(uint64_t *))
{
	uint64_t s[2] = { 0 };
	int r = body(s);

	tern_vspace_unmap(TERN_SLOT_VSPACE, WINDOW(13), 4);
	for (int i = 1; i >= 0; i--)
		if (s[i])
			tern_cnode_delete(TERN_SLOT_CNODE, s[i], 64);
	return r;
}

int test_map_rights_bits(void)
{
	return rights_case(map_bits_body);
}

int test_protect_exec_beyond_cap(void)
{
	return rights_case(protect_exec_body);
}

/* ---- short_message ------------------------------------------------------ */

struct label_words {
	uint64_t label, type, words;
	const char *name;
};

static const struct label_words all_labels[] = {
#define LABEL_WORDS(name, num, type, nwords, needs, args) { num, TERN_CAP_##type, nwords, #name },
	TERN_INVOCATIONS(LABEL_WORDS)
#undef LABEL_WORDS
};

static int short_message_body(uint64_t *objs)
{
	/* An object of each type we can name; IRQ handlers are not needed:
	 * their invocations take no words. */
	objs[TERN_CAP_CNODE] = TERN_SLOT_CNODE;
	objs[TERN_CAP_QUOTA] = TERN_SLOT_QUOTA;
	objs[TERN_CAP_TCB] = guest_create(TERN_CAP_TCB, 0);
	objs[TERN_CAP_IRQ_CONTROL] = TERN_SLOT_IRQ_CONTROL;
	objs[TERN_CAP_IOPORT] = TERN_SLOT_IOPORT;
	objs[TERN_CAP_VSPACE] = guest_create(TERN_CAP_VSPACE, 0);
	objs[TERN_CAP_MEMOBJ] = guest_create(TERN_CAP_MEMOBJ, 1);
	objs[TERN_CAP_MACHINE] = TERN_SLOT_MACHINE; /* short messages never reach it */
	objs[TERN_CAP_TIMER] = guest_create(TERN_CAP_TIMER, 0);
	CHECK(objs[TERN_CAP_TCB] && objs[TERN_CAP_VSPACE] && objs[TERN_CAP_MEMOBJ]);
	unsigned checked = 0;
	for (unsigned i = 0; i < sizeof(all_labels) / sizeof(all_labels[0]); i++) {
		const struct label_words *l = &all_labels[i];
		if (l->words == 0)
			continue;
		CHECK(objs[l->type]);
		for (uint64_t len = 0; len < l->words; len++) {
			/* Words past the length hold what a careless decode would
			 * act on: the slot of the MemObj, depth 64, ... */
			struct tern_msg m = { .info = tern_msginfo(l->label, 0, len),
					      .mr = { objs[TERN_CAP_MEMOBJ], 64, 64, 64 } };
			enum tern_error err = tern_call(objs[l->type], &m);
			if (err != TERN_ETRUNCATED_MESSAGE) {
				tern_printf("GUEST memory: %s with %lu of %lu words: %s\n", l->name,
					    len, l->words, tern_strerror(err));
				return -1;
			}
			checked++;
		}
	}
	tern_printf("memory: %u short messages refused\n", checked);
	uint64_t pages;
	CHECK_EQ(tern_memobj_size(objs[TERN_CAP_MEMOBJ], &pages), TERN_EOK);
	CHECK_EQ(pages, 1);
	return 0;
}

int test_short_message(void)
{
	uint64_t objs[TERN_CAP_TYPE_COUNT] = { 0 };
	int r = short_message_body(objs);
	unsigned made[] = { TERN_CAP_TCB, TERN_CAP_VSPACE, TERN_CAP_MEMOBJ };

	for (unsigned i = 0; i < 3; i++)
		if (objs[made[i]])
			tern_cnode_delete(TERN_SLOT_CNODE, objs[made[i]], 64);
	return r;
}

/* ---- huge_block_offset -------------------------------------------------- */

/* A MemObj whose first 2 MiB is one huge block, mapped again 4 KiB past a
 * 2 MiB boundary (offset 0) and at a boundary with offset 1: neither view
 * may use the block as a 2 MiB page, and each page shows its own data. */
static int huge_offset_body(uint64_t *mo)
{
	uint64_t a = WINDOW(14), b = WINDOW(14) + 4 * HUGE + PAGE, c = WINDOW(14) + 8 * HUGE;

	*mo = guest_create(TERN_CAP_MEMOBJ, 1024);
	CHECK(*mo);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, a, *mo, 0, 1024, RW), TERN_EOK);
	*word(a) = 1;
	CHECK_EQ(qflags(a) & TERN_QUERY_HUGE, TERN_QUERY_HUGE);
	for (uint64_t i = 0; i < 512; i++)
		*word(a + i * PAGE + 8) = 0xb10c0000 + i;
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, b, *mo, 0, 1024, RW), TERN_EOK);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, c, *mo, 1, 1023, TERN_RIGHT_READ), TERN_EOK);
	for (uint64_t i = 0; i < 512; i += 37) {
		CHECK_EQ(*word(b + i * PAGE + 8), 0xb10c0000 + i);
		CHECK_EQ(qflags(b + i * PAGE) & TERN_QUERY_HUGE, 0);
		CHECK_EQ(qphys(b + i * PAGE), qphys(a) + i * PAGE);
		if (i < 511) {
			CHECK_EQ(*word(c + i * PAGE + 8), 0xb10c0000 + i + 1);
			CHECK_EQ(qflags(c + i * PAGE) & TERN_QUERY_HUGE, 0);
			CHECK_EQ(qphys(c + i * PAGE), qphys(a) + (i + 1) * PAGE);
		}
	}
	*word(b + 300 * PAGE + 8) = 0xfeed;
	CHECK_EQ(*word(a + 300 * PAGE + 8), 0xfeed);
	CHECK_EQ(*word(c + 299 * PAGE + 8), 0xfeed);
	return 0;
}

int test_huge_block_offset(void)
{
	uint64_t mo = 0;
	int r = huge_offset_body(&mo);

	tern_vspace_unmap(TERN_SLOT_VSPACE, WINDOW(14), 1024);
	tern_vspace_unmap(TERN_SLOT_VSPACE, WINDOW(14) + 4 * HUGE + PAGE, 1024);
	tern_vspace_unmap(TERN_SLOT_VSPACE, WINDOW(14) + 8 * HUGE, 1023);
	if (mo)
		tern_cnode_delete(TERN_SLOT_CNODE, mo, 64);
	return r;
}

/* ---- frames ------------------------------------------------------------- */

int test_frames_baseline(void)
{
	frames_at_start = guest_frames();
	used_at_start = guest_quota_used();
	CHECK(frames_at_start > 0);
	return 0;
}

/* Every frame the suite took is free again, or a page our quota still
 * pays for (the page tables our VSpace grew, objects kept for reuse). A
 * kernel that refunds the quota but keeps the frame fails here. */
int test_frames_returned(void)
{
	uint64_t frames = guest_frames(), used = guest_quota_used();
	int64_t lost = (int64_t)(frames_at_start - frames);
	int64_t paid = (int64_t)(used - used_at_start);

	tern_printf("memory: %ld frames not free since the start, %ld bytes still charged\n",
		    (long)lost, (long)paid);
	guest_print_irqoff("memory");
	CHECK(lost * (int64_t)PAGE <= paid + (int64_t)PAGE);
	return 0;
}
