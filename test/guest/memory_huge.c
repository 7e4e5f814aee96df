/*
 * 2 MiB pages: where they are used (an anonymous block whose MemObj
 * offset is 2 MiB aligned, lying wholly inside one mapping), and how a
 * partial unmap or protect splits one without losing its contents.
 */
#include "memory.h"

/* 4 MiB at a 2 MiB boundary, one write per 2 MiB: two huge pages, no
 * 4 KiB zero fill. */
static int huge_aligned(struct region *a)
{
	struct vm_counts v0, v1, d;

	CHECK_EQ(region_map(a, 1024, WINDOW(3), RW), 0);
	CHECK_EQ(vm_counts(&v0), 0);
	*word(a->vaddr) = 1;
	*word(a->vaddr + HUGE + 64) = 2;
	CHECK_EQ(vm_counts(&v1), 0);
	d = vm_delta(&v0, &v1);
	tern_printf("memory: 4 MiB aligned: %lu faults, %lu zero fills, %lu huge pages\n", d.faults,
		    d.zero_fills, d.huge);
	CHECK_EQ(d.huge, 2);
	CHECK_EQ(d.zero_fills, 0);
	for (uint64_t off = 0; off < 2 * HUGE; off += HUGE / 4) {
		uint64_t f = qflags(a->vaddr + off + 5 * PAGE);
		CHECK_EQ(f & (TERN_QUERY_PRESENT | TERN_QUERY_HUGE),
			 TERN_QUERY_PRESENT | TERN_QUERY_HUGE);
	}
	CHECK_EQ(qphys(a->vaddr) % HUGE, 0);
	for (uint64_t i = 1; i < 1024; i++)
		if (i != 512)
			CHECK_EQ(*word(a->vaddr + i * PAGE), 0);
	CHECK_EQ(*word(a->vaddr + HUGE + 64), 2);
	return 0;
}

/* Mapped 4 KiB past a 2 MiB boundary: with MemObj offset 0 no block is
 * eligible; with offset 1 the block at the next boundary is (its first
 * page is MemObj page 512), the partial first block is not. */
static int huge_offsets(struct region *b, struct region *c)
{
	struct vm_counts v0, v1;

	CHECK_EQ(region_map(b, 1024, WINDOW(3) + 4 * HUGE + PAGE, RW), 0);
	CHECK_EQ(vm_counts(&v0), 0);
	*word(WINDOW(3) + 5 * HUGE) = 3;
	CHECK_EQ(vm_counts(&v1), 0);
	CHECK_EQ(vm_delta(&v0, &v1).huge, 0);
	CHECK_EQ(qflags(WINDOW(3) + 5 * HUGE) & (TERN_QUERY_PRESENT | TERN_QUERY_HUGE),
		 TERN_QUERY_PRESENT);

	c->memobj = guest_create(TERN_CAP_MEMOBJ, 1024);
	CHECK(c->memobj);
	c->vaddr = WINDOW(3) + 8 * HUGE + PAGE;
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, c->vaddr, c->memobj, 1, 1023, RW), TERN_EOK);
	c->pages = 1023;
	*word(c->vaddr) = 4;
	*word(WINDOW(3) + 9 * HUGE) = 5;
	CHECK_EQ(qflags(c->vaddr) & (TERN_QUERY_PRESENT | TERN_QUERY_HUGE), TERN_QUERY_PRESENT);
	CHECK_EQ(qflags(WINDOW(3) + 9 * HUGE) & (TERN_QUERY_PRESENT | TERN_QUERY_HUGE),
		 TERN_QUERY_PRESENT | TERN_QUERY_HUGE);
	return 0;
}

int test_huge_pages(void)
{
	struct region a = { 0 }, b = { 0 }, c = { 0 };
	int r = huge_aligned(&a);

	if (r == 0)
		r = huge_offsets(&b, &c);
	region_free(&a);
	region_free(&b);
	region_free(&c);
	return r;
}

static int huge_split_body(struct region *a, struct fault_thread *t)
{
	struct tern_msg m;

	CHECK_EQ(region_map(a, 512, WINDOW(4), RW), 0);
	uint64_t hole = a->vaddr + 100 * PAGE;
	for (uint64_t i = 0; i < 512; i++)
		*word(a->vaddr + i * PAGE) = 0xc0de0000 + i;
	CHECK(qflags(a->vaddr) & TERN_QUERY_HUGE);

	/* Drop the upper half and a 4-page hole in the lower one. */
	CHECK_EQ(tern_vspace_unmap(TERN_SLOT_VSPACE, a->vaddr + 256 * PAGE, 256), TERN_EOK);
	CHECK_EQ(tern_vspace_unmap(TERN_SLOT_VSPACE, hole, 4), TERN_EOK);
	for (uint64_t i = 0; i < 256; i++) {
		uint64_t va = a->vaddr + i * PAGE;
		if (va >= hole && va < hole + 4 * PAGE) {
			CHECK_EQ(qflags(va), 0);
			continue;
		}
		CHECK_EQ(qflags(va) & (TERN_QUERY_PRESENT | TERN_QUERY_HUGE | TERN_QUERY_WRITE),
			 TERN_QUERY_PRESENT | TERN_QUERY_WRITE);
		CHECK_EQ(*word(va), 0xc0de0000 + i);
	}
	CHECK_EQ(qflags(a->vaddr + 256 * PAGE), 0);
	CHECK_EQ(qflags(a->vaddr + 511 * PAGE), 0);
	*word(a->vaddr + 99 * PAGE) = 99;
	CHECK_EQ(*word(a->vaddr + 99 * PAGE), 99);

	/* A read of the unmapped half is a fault (read, not write). */
	CHECK_EQ(fault_thread_start(t, reader_thread, a->vaddr + 300 * PAGE), 0);
	CHECK_EQ(fault_wait(&m, FAULT_WAIT_MS), 0);
	print_fault(&m);
	CHECK_EQ(tern_msginfo_label(m.info), PF_LABEL);
	CHECK_EQ(m.mr[0], a->vaddr + 300 * PAGE);
	CHECK(!(m.mr[1] & PF_WRITE));
	CHECK(!(m.mr[1] & TERN_FAULT_QUOTA));
	CHECK_EQ(fault_reply_label(1), TERN_EOK); /* leave it suspended */
	CHECK(!thread_done(10));
	/* Unmap the pieces that are left, so region_free does not trip. */
	CHECK_EQ(tern_vspace_unmap(TERN_SLOT_VSPACE, a->vaddr, 100), TERN_EOK);
	CHECK_EQ(tern_vspace_unmap(TERN_SLOT_VSPACE, hole + 4 * PAGE, 152), TERN_EOK);
	CHECK_EQ(qflags(a->vaddr + 200 * PAGE), 0);
	a->vaddr = 0;
	return 0;
}

int test_huge_split(void)
{
	struct region a = { 0 };
	struct fault_thread t = { 0 };
	int r = huge_split_body(&a, &t);

	fault_thread_destroy(&t);
	region_free(&a);
	return r;
}

/* Protecting one page of a huge page splits it; the rest keeps its
 * contents and rights, and a write to that page is a fault. */
static int protect_huge_body(struct region *a, struct fault_thread *t)
{
	struct tern_msg m;
	uint64_t ro = WINDOW(9) + 7 * PAGE;

	CHECK_EQ(region_map(a, 512, WINDOW(9), RW), 0);
	for (uint64_t i = 0; i < 512; i++)
		*word(a->vaddr + i * PAGE) = 0x9000 + i;
	CHECK(qflags(a->vaddr) & TERN_QUERY_HUGE);
	CHECK_EQ(tern_vspace_protect(TERN_SLOT_VSPACE, ro, 1, TERN_RIGHT_READ), TERN_EOK);
	for (uint64_t i = 0; i < 512; i++) {
		uint64_t va = a->vaddr + i * PAGE, f = qflags(va);
		CHECK_EQ(f & (TERN_QUERY_PRESENT | TERN_QUERY_HUGE), TERN_QUERY_PRESENT);
		CHECK_EQ(!!(f & TERN_QUERY_WRITE), va != ro);
		CHECK_EQ(*word(va), 0x9000 + i);
	}
	*word(ro + PAGE) = 1;
	CHECK_EQ(fault_thread_start(t, writer_thread, ro), 0);
	CHECK_EQ(fault_wait(&m, FAULT_WAIT_MS), 0);
	CHECK_EQ(tern_msginfo_label(m.info), PF_LABEL);
	CHECK_EQ(m.mr[0], ro);
	CHECK(m.mr[1] & PF_WRITE);
	CHECK_EQ(fault_reply_label(1), TERN_EOK);
	CHECK_EQ(*word(ro), 0x9007);
	return 0;
}

int test_protect_huge(void)
{
	struct region a = { 0 };
	struct fault_thread t = { 0 };
	int r = protect_huge_body(&a, &t);

	fault_thread_destroy(&t);
	region_free(&a);
	return r;
}
