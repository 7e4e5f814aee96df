/*
 * Copy-on-write clones (MEMOBJ_CLONE): parent and clone share every page
 * until one of them writes it; untouched pages keep one frame (the same
 * physical address through VSPACE_QUERY); a shared huge block; a clone
 * mapped twice.
 */
#include "memory.h"

#define COW_PAGES 8
#define COW_WRITTEN 6 /* pages 0..5 written before the clone, 6..7 untouched */

static int cow_body(struct region *a, struct region *b)
{
	struct vm_counts v0, v1;

	CHECK_EQ(region_map(a, COW_PAGES, WINDOW(1), RW), 0);
	for (uint64_t i = 0; i < COW_WRITTEN; i++)
		*word(a->vaddr + i * PAGE) = 0x1000 + i;
	b->memobj = guest_slot();
	CHECK_EQ(tern_memobj_clone(a->memobj, TERN_SLOT_QUOTA, TERN_SLOT_CNODE, b->memobj, 64),
		 TERN_EOK);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, WINDOW(1) + HUGE, b->memobj, 0, COW_PAGES, RW),
		 TERN_EOK);
	b->vaddr = WINDOW(1) + HUGE;
	b->pages = COW_PAGES;

	/* Same contents, same frames. */
	for (uint64_t i = 0; i < COW_WRITTEN; i++) {
		CHECK_EQ(*word(b->vaddr + i * PAGE), 0x1000 + i);
		CHECK(qphys(a->vaddr + i * PAGE) != 0);
		CHECK_EQ(qphys(a->vaddr + i * PAGE), qphys(b->vaddr + i * PAGE));
	}
	CHECK_EQ(vm_counts(&v0), 0);
	*word(a->vaddr) = 0xaaaa;	 /* parent writes page 0 */
	*word(b->vaddr + PAGE) = 0xbbbb; /* clone writes page 1 */
	CHECK_EQ(vm_counts(&v1), 0);
	tern_printf("memory: cow copies for two writes: %lu\n", vm_delta(&v0, &v1).cow);
	CHECK(vm_delta(&v0, &v1).cow >= 2);

	CHECK_EQ(*word(a->vaddr), 0xaaaa);
	CHECK_EQ(*word(b->vaddr), 0x1000);
	CHECK_EQ(*word(b->vaddr + PAGE), 0xbbbb);
	CHECK_EQ(*word(a->vaddr + PAGE), 0x1001);
	CHECK(qphys(a->vaddr) != qphys(b->vaddr));
	CHECK(qphys(a->vaddr + PAGE) != qphys(b->vaddr + PAGE));
	for (uint64_t i = 2; i < COW_WRITTEN; i++)
		CHECK_EQ(qphys(a->vaddr + i * PAGE), qphys(b->vaddr + i * PAGE));

	/* Pages absent at the clone are zero on both sides, and private. */
	*word(a->vaddr + 6 * PAGE) = 6;
	CHECK_EQ(*word(b->vaddr + 6 * PAGE), 0);
	*word(b->vaddr + 7 * PAGE) = 7;
	CHECK_EQ(*word(a->vaddr + 7 * PAGE), 0);

	/* The clone outlives its parent, contents intact. */
	region_free(a);
	for (uint64_t i = 2; i < COW_WRITTEN; i++)
		CHECK_EQ(*word(b->vaddr + i * PAGE), 0x1000 + i);
	*word(b->vaddr + 2 * PAGE) = 0x2002;
	CHECK_EQ(*word(b->vaddr + 2 * PAGE), 0x2002);
	return 0;
}

int test_cow_clone(void)
{
	struct region a = { 0 }, b = { 0 };
	int r = cow_body(&a, &b);

	region_free(&a);
	region_free(&b);
	return r;
}

#define SPARSE_PAGES 32

/* A clone of a sparse MemObj: pages the clone faults in around an absent
 * page (fault-around) must be the parent's pages, shared, not zero. */
static int cow_sparse_body(struct region *a, struct region *b)
{
	CHECK_EQ(region_map(a, SPARSE_PAGES, WINDOW(7), RW), 0);
	for (uint64_t i = 0; i < SPARSE_PAGES; i += 2)
		*word(a->vaddr + i * PAGE) = 0x5000 + i;
	b->memobj = guest_slot();
	CHECK_EQ(tern_memobj_clone(a->memobj, TERN_SLOT_QUOTA, TERN_SLOT_CNODE, b->memobj, 64),
		 TERN_EOK);
	CHECK_EQ(
		tern_vspace_map(TERN_SLOT_VSPACE, WINDOW(7) + HUGE, b->memobj, 0, SPARSE_PAGES, RW),
		TERN_EOK);
	b->vaddr = WINDOW(7) + HUGE;
	b->pages = SPARSE_PAGES;

	*word(b->vaddr + 9 * PAGE) = 9; /* an absent page, amid shared ones */
	for (uint64_t i = 0; i < SPARSE_PAGES; i += 2) {
		CHECK_EQ(*word(b->vaddr + i * PAGE), 0x5000 + i);
		CHECK_EQ(qphys(b->vaddr + i * PAGE), qphys(a->vaddr + i * PAGE));
		CHECK_EQ(*word(a->vaddr + (i + 1) * PAGE), 0);
	}
	for (uint64_t i = 1; i < SPARSE_PAGES; i += 2)
		if (i != 9)
			CHECK_EQ(*word(b->vaddr + i * PAGE), 0);
	*word(b->vaddr + 8 * PAGE) = 8;
	*word(a->vaddr + 10 * PAGE) = 10;
	CHECK_EQ(*word(a->vaddr + 8 * PAGE), 0x5008);
	CHECK_EQ(*word(b->vaddr + 10 * PAGE), 0x500a);
	CHECK_EQ(*word(a->vaddr + 9 * PAGE), 0);
	return 0;
}

int test_cow_sparse(void)
{
	struct region a = { 0 }, b = { 0 };
	int r = cow_sparse_body(&a, &b);

	region_free(&a);
	region_free(&b);
	return r;
}

/* A clone of a MemObj backed by a huge page diverges page by page. */
static int cow_huge_body(struct region *a, struct region *b)
{
	struct vm_counts v0, v1, d;

	CHECK_EQ(region_map(a, 512, WINDOW(8), RW), 0);
	for (uint64_t i = 0; i < 512; i++)
		*word(a->vaddr + i * PAGE) = 0x7000 + i;
	CHECK(qflags(a->vaddr) & TERN_QUERY_HUGE);
	b->memobj = guest_slot();
	CHECK_EQ(tern_memobj_clone(a->memobj, TERN_SLOT_QUOTA, TERN_SLOT_CNODE, b->memobj, 64),
		 TERN_EOK);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, WINDOW(8) + HUGE, b->memobj, 0, 512, RW),
		 TERN_EOK);
	b->vaddr = WINDOW(8) + HUGE;
	b->pages = 512;
	CHECK_EQ(vm_counts(&v0), 0);
	*word(b->vaddr + 10 * PAGE) = 10;
	*word(a->vaddr + 20 * PAGE) = 20;
	CHECK_EQ(vm_counts(&v1), 0);
	d = vm_delta(&v0, &v1);
	tern_printf("memory: huge clone, two writes: %lu faults, %lu copies, %lu huge pages\n",
		    d.faults, d.cow, d.huge);
	for (uint64_t i = 0; i < 512; i++) {
		CHECK_EQ(*word(a->vaddr + i * PAGE), i == 20 ? 20 : 0x7000 + i);
		CHECK_EQ(*word(b->vaddr + i * PAGE), i == 10 ? 10 : 0x7000 + i);
	}
	/* A shared block is split on its first write, as Linux splits a huge
	 * page: each side copies the one page it wrote (4 KiB, not 2 MiB)
	 * and still shares the other 510 with the other side. */
	CHECK_EQ(d.cow, 2);
	CHECK(!(qflags(a->vaddr) & TERN_QUERY_HUGE));
	CHECK(!(qflags(b->vaddr) & TERN_QUERY_HUGE));
	for (uint64_t i = 0; i < 512; i++) {
		if (i == 10 || i == 20)
			CHECK(qphys(b->vaddr + i * PAGE) != qphys(a->vaddr + i * PAGE));
		else
			CHECK_EQ(qphys(b->vaddr + i * PAGE), qphys(a->vaddr + i * PAGE));
	}
	return 0;
}

int test_cow_huge(void)
{
	struct region a = { 0 }, b = { 0 };
	int r = cow_huge_body(&a, &b);

	region_free(&a);
	region_free(&b);
	return r;
}

/* A clone mapped twice is still one memory after a copy-on-write
 * break through one of the mappings: the other must see the copy, not
 * keep the frame it shares with the parent. `base` 2 MiB aligned gives
 * huge pages, 4 KiB past that 4 KiB pages. */
static int cow_twice_body(uint64_t base, struct region *a, struct region *b, uint64_t *b2)
{
	CHECK_EQ(region_map(a, 512, base, RW), 0);
	for (uint64_t i = 0; i < 512; i++)
		*word(a->vaddr + i * PAGE) = 0x3000 + i;
	b->memobj = guest_slot();
	CHECK_EQ(tern_memobj_clone(a->memobj, TERN_SLOT_QUOTA, TERN_SLOT_CNODE, b->memobj, 64),
		 TERN_EOK);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, base + 2 * HUGE, b->memobj, 0, 512, RW),
		 TERN_EOK);
	b->vaddr = base + 2 * HUGE;
	b->pages = 512;
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, base + 4 * HUGE, b->memobj, 0, 512, RW),
		 TERN_EOK);
	*b2 = base + 4 * HUGE;
	for (uint64_t i = 0; i < 512; i += 64) {
		CHECK_EQ(*word(b->vaddr + i * PAGE), 0x3000 + i);
		CHECK_EQ(*word(*b2 + i * PAGE), 0x3000 + i);
	}
	*word(b->vaddr + 64 * PAGE) = 1; /* the clone breaks the sharing */
	CHECK_EQ(*word(*b2 + 64 * PAGE), 1);
	CHECK_EQ(qphys(*b2 + 64 * PAGE), qphys(b->vaddr + 64 * PAGE));
	*word(*b2 + 128 * PAGE) = 2;
	CHECK_EQ(*word(b->vaddr + 128 * PAGE), 2);
	*word(a->vaddr + 192 * PAGE) = 3; /* the parent writes too */
	CHECK_EQ(*word(b->vaddr + 192 * PAGE), 0x3000 + 192);
	CHECK_EQ(*word(*b2 + 192 * PAGE), 0x3000 + 192);
	CHECK_EQ(*word(a->vaddr + 64 * PAGE), 0x3000 + 64);
	CHECK_EQ(*word(a->vaddr + 128 * PAGE), 0x3000 + 128);
	return 0;
}

static int cow_twice(uint64_t base)
{
	struct region a = { 0 }, b = { 0 };
	uint64_t b2 = 0;
	int r = cow_twice_body(base, &a, &b, &b2);

	if (b2)
		tern_vspace_unmap(TERN_SLOT_VSPACE, b2, 512);
	region_free(&a);
	region_free(&b);
	return r;
}

int test_cow_two_mappings(void)
{
	int small = cow_twice(WINDOW(11) + PAGE), huge = cow_twice(WINDOW(12));

	tern_printf("memory: clone mapped twice: 4 KiB pages %s, huge pages %s\n",
		    small ? "stale" : "ok", huge ? "stale" : "ok");
	return small || huge ? -1 : 0;
}
