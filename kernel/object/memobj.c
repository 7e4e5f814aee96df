/*
 * Memory objects. Anonymous pages are created on first touch (zeroed,
 * charged to the object's quota) and kept in a radix page tree; a 2 MiB
 * block can be held whole as a huge entry. A clone shares every page with
 * its source, one reference per holder (kernel/mm/cow.c), and both sides
 * lose write access in their mappings until the fault handler copies or
 * reuses the page. Destroying a MemObj removes its mappings first.
 */
#include "kernel/vm.h"

#include "arch/page_ops.h"
#include "arch/paging.h"
#include "kernel/cow.h"
#include "kernel/mm.h"
#include "kernel/objects.h"
#include "common/string.h"

static void *tree_node_alloc(void *ctx)
{
	uint64_t pa = kobj_page_alloc(ctx);

	return pa ? phys_to_virt(pa) : NULL;
}

static void tree_node_free(void *ctx, void *node)
{
	kobj_page_free(ctx, virt_to_phys(node));
}

int memobj_init_anon(struct memobj *m, uint64_t npages)
{
	if (npages == 0 || npages > MEMOBJ_MAX_PAGES)
		return TERN_ERANGE_ERROR;
	m->kind = MEMOBJ_ANON;
	m->npages = npages;
	m->tree_ops = (struct pagetree_ops){ tree_node_alloc, tree_node_free, m->hdr.quota };
	pagetree_init(&m->pages, &m->tree_ops);
	return TERN_EOK;
}

void memobj_init_phys(struct memobj *m, uint64_t phys, uint64_t npages, bool readonly)
{
	m->kind = MEMOBJ_PHYS;
	m->phys_base = phys;
	m->npages = npages;
	m->readonly = readonly;
}

uint64_t memobj_page(struct memobj *m, uint64_t index)
{
	bool huge;

	if (index >= m->npages)
		return 0;
	if (m->kind == MEMOBJ_PHYS)
		return m->phys_base + index * PAGE_SIZE;
	uint64_t pa = pagetree_lookup(&m->pages, index, &huge);
	if (pa)
		return huge ? pa + (index % HUGE_PAGES_PER_BLOCK) * PAGE_SIZE : pa;
	pa = kobj_page_alloc(m->hdr.quota);
	if (!pa)
		return 0;
	if (pagetree_insert(&m->pages, index, pa, NULL) != PAGETREE_OK) {
		kobj_page_free(m->hdr.quota, pa);
		return 0;
	}
	cow_page_init(frame_ref(pa));
	vm_stats.zero_fills++;
	return pa;
}

/* After a copy, every mapping of m still showing the old frame for pages
 * [index0, index0 + n) loses those entries: they fault in the new one. */
static void zap_object_pages(struct memobj *m, uint64_t index0, uint64_t n)
{
	for (struct mapping *mp = m->mappings; mp; mp = mp->next_in_obj) {
		uint64_t first = mp->node.first_page;
		uint64_t last = first + (mp->node.end - mp->node.start) / PAGE_SIZE;
		uint64_t lo = index0 > first ? index0 : first;
		uint64_t hi = index0 + n < last ? index0 + n : last;
		if (lo < hi)
			vspace_zap(mp->vs, mp->node.start + (lo - first) * PAGE_SIZE,
				   mp->node.start + (hi - first) * PAGE_SIZE);
	}
}

/* Give this object its own copy of a shared frame (a write to it); every
 * mapping of the object then faults in the copy. 0 without memory. */
uint64_t memobj_cow_copy(struct memobj *m, uint64_t index, uint64_t old, bool huge)
{
	uint64_t bytes = huge ? HUGE_PAGE_SIZE : PAGE_SIZE;
	uint64_t pa = huge ? pages_alloc(9) : page_alloc();
	uint64_t index0 = huge ? index - index % HUGE_PAGES_PER_BLOCK : index;

	if (!pa)
		return 0;
	pages_copy(phys_to_virt(pa), phys_to_virt(old), bytes);
	if (huge)
		pagetree_insert_huge(&m->pages, index0, pa, NULL);
	else
		pagetree_insert(&m->pages, index, pa, NULL);
	cow_page_init(frame_ref(pa));
	cow_copied(frame_ref(old));
	zap_object_pages(m, index0, huge ? HUGE_PAGES_PER_BLOCK : 1);
	vm_stats.cow_copies++;
	return pa;
}

/* The page at `index`, private to this object (copied if shared): the
 * kernel is about to keep a pointer to it and write through it. */
uint64_t memobj_private_page(struct memobj *m, uint64_t index)
{
	bool huge;
	uint64_t pa = memobj_page(m, index);

	if (!pa || m->kind != MEMOBJ_ANON)
		return pa;
	uint64_t head = pagetree_lookup(&m->pages, index, &huge);
	if (cow_write_fault(frame_ref(head)) != COW_COPY)
		return pa;
	head = memobj_cow_copy(m, index, head, huge);
	if (!head)
		return 0;
	return huge ? head + (index % HUGE_PAGES_PER_BLOCK) * PAGE_SIZE : head;
}

/* Take away write access to the object's pages in every mapping of it. */
static void write_protect_mappings(struct memobj *m)
{
	for (struct mapping *mp = m->mappings; mp; mp = mp->next_in_obj) {
		for (uint64_t va = mp->node.start; va < mp->node.end;) {
			int level;
			uint64_t *pte = vspace_pte(mp->vs, va, &level, false);
			uint64_t step = level == 2 ? HUGE_PAGE_SIZE - (va & (HUGE_PAGE_SIZE - 1))
						   : PAGE_SIZE;
			if (pte && (*pte & PTE_P))
				*pte &= ~PTE_W;
			va += step;
		}
		vspace_flush(mp->vs, mp->node.start, (mp->node.end - mp->node.start) / PAGE_SIZE);
	}
}

int memobj_clone(struct memobj *src, struct memobj *dst)
{
	uint64_t index;
	bool huge;
	uint64_t pa;

	int err = memobj_init_anon(dst, src->npages);
	if (err)
		return err;
	for (uint64_t from = 0;
	     (pa = pagetree_next(&src->pages, from, src->npages, &index, &huge)) != 0;
	     from = index + (huge ? HUGE_PAGES_PER_BLOCK : 1)) {
		/* Each holder pays for the pages it holds, shared or not, so
		 * releasing a reference always refunds the releasing side. */
		uint64_t size = huge ? HUGE_PAGE_SIZE : PAGE_SIZE;
		if (quota_charge(dst->hdr.quota, size) != TERN_EOK) {
			memobj_destroy(dst);
			return TERN_ENOT_ENOUGH_MEMORY;
		}
		int r = huge ? pagetree_insert_huge(&dst->pages, index, pa, NULL)
			     : pagetree_insert(&dst->pages, index, pa, NULL);
		if (r != PAGETREE_OK || cow_share(frame_ref(pa)) != COW_OK) {
			if (r == PAGETREE_OK)
				huge ? pagetree_remove_huge(&dst->pages, index)
				     : pagetree_remove(&dst->pages, index);
			quota_refund(dst->hdr.quota, size);
			memobj_destroy(dst);
			return TERN_ENOT_ENOUGH_MEMORY;
		}
	}
	write_protect_mappings(src);
	return TERN_EOK;
}

/* Drop this object's reference to a frame (or 2 MiB block): the frame is
 * freed with its last holder, the charge goes back to this object's quota. */
void memobj_release_frame(struct memobj *m, uint64_t pa, bool huge)
{
	if (cow_unshare(frame_ref(pa)) == COW_FREE) {
		if (huge)
			pages_free(pa, 9);
		else
			page_free(pa);
	}
	quota_refund(m->hdr.quota, huge ? HUGE_PAGE_SIZE : PAGE_SIZE);
}

void memobj_destroy(struct memobj *m)
{
	uint64_t index, pa;
	bool huge;

	while (m->mappings)
		vspace_remove_mapping(m->mappings);
	if (m->kind != MEMOBJ_ANON)
		return;
	while ((pa = pagetree_next(&m->pages, 0, m->npages, &index, &huge)) != 0) {
		if (huge)
			pagetree_remove_huge(&m->pages, index);
		else
			pagetree_remove(&m->pages, index);
		memobj_release_frame(m, pa, huge);
	}
	pagetree_destroy(&m->pages);
}
