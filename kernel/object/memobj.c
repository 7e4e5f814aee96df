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
#include "kernel/preempt.h"

#define CLONE_CHUNK 64 /* entries shared between preemption points */

static void *tree_node_alloc(void *ctx)
{
	uint64_t pa = kobj_page_alloc(ctx);

	return pa ? phys_to_virt(pa) : NULL;
}

static void tree_node_free(void *ctx, void *node)
{
	kobj_page_free(ctx, virt_to_phys(node));
}

/* A node's frame is never a page of memory: its page_ref holds the
 * node's summary (kernel/cow.h). */
static uint64_t *tree_node_summary(void *ctx, void *node)
{
	struct page_ref *r = frame_ref(virt_to_phys(node));

	(void)ctx;
	return r ? &r->summary : NULL;
}

int memobj_init_anon(struct memobj *m, uint64_t npages)
{
	if (npages == 0 || npages > MEMOBJ_MAX_PAGES)
		return TERN_ERANGE_ERROR;
	m->kind = MEMOBJ_ANON;
	m->npages = npages;
	m->tree_ops = (struct pagetree_ops){ tree_node_alloc, tree_node_free, m->hdr.quota,
					     tree_node_summary };
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
	if (m->dying)
		return 0; /* being deleted: no new page */
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

static uint64_t block_frame(void *ctx, uint64_t block, unsigned i)
{
	(void)ctx;
	return block + (uint64_t)i * PAGE_SIZE;
}

/* Count the frames of the 2 MiB block at pa one by one (each held by
 * every holder of the block), once. */
static void block_count_frames(uint64_t pa)
{
	struct page_ref *head = frame_ref(pa);

	if (head->flags & PAGE_REF_SPLIT)
		return;
	for (unsigned i = 1; i < HUGE_PAGES_PER_BLOCK; i++) {
		struct page_ref *r = frame_ref(pa + (uint64_t)i * PAGE_SIZE);
		r->refs = head->refs;
		r->flags = 0;
	}
	head->flags |= PAGE_REF_SPLIT;
	pages_split(pa, 9);
}

bool memobj_block_split(uint64_t pa)
{
	return frame_ref(pa)->flags & PAGE_REF_SPLIT;
}

/*
 * This object's huge entry for the block at pa (pages index0 to index0 +
 * 511) becomes 512 small entries for its frames, as Linux splits a huge
 * page on a copy-on-write fault instead of copying 2 MiB; the frames are
 * then counted one by one and the charge (2 MiB) is the same. Every
 * mapping of the object loses its 2 MiB leaf there. ENOMEM (no tree
 * node) leaves the entry huge.
 */
int memobj_split_block(struct memobj *m, uint64_t index0, uint64_t pa)
{
	block_count_frames(pa);
	if (pagetree_split_huge(&m->pages, index0, block_frame, NULL) != PAGETREE_OK)
		return TERN_ENOT_ENOUGH_MEMORY;
	quota_divide_charge(m->hdr.quota, HUGE_PAGES_PER_BLOCK);
	zap_object_pages(m, index0, HUGE_PAGES_PER_BLOCK);
	vm_stats.huge_splits++;
	return TERN_EOK;
}

/* Give this object its own copy of a shared frame (a write to it); every
 * mapping of the object then faults in the copy. A shared 2 MiB block is
 * split first and only the page at index copied (or, if no one else holds
 * that frame, kept). The frame for index, or 0 without memory. */
uint64_t memobj_cow_copy(struct memobj *m, uint64_t index, uint64_t old, bool huge)
{
	if (huge) {
		uint64_t index0 = index - index % HUGE_PAGES_PER_BLOCK;
		if (memobj_split_block(m, index0, old))
			return 0;
		old += (index % HUGE_PAGES_PER_BLOCK) * PAGE_SIZE;
		if (cow_write_fault(frame_ref(old)) != COW_COPY)
			return old;
	}
	uint64_t pa = page_alloc();

	if (!pa)
		return 0;
	pages_copy(phys_to_virt(pa), phys_to_virt(old), PAGE_SIZE);
	pagetree_insert(&m->pages, index, pa, NULL);
	cow_page_init(frame_ref(pa));
	cow_copied(frame_ref(old));
	zap_object_pages(m, index, 1);
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
	if (huge ? !memobj_block_split(head) && cow_write_fault(frame_ref(head)) != COW_COPY
		 : cow_write_fault(frame_ref(head)) != COW_COPY)
		return pa;
	return memobj_cow_copy(m, index, head, huge);
}

/* Take away write access to pages [lo, hi) of the object in every mapping
 * of it (a 2 MiB leaf met on the way loses it whole). */
static void write_protect_pages(struct memobj *m, uint64_t lo, uint64_t hi)
{
	for (struct mapping *mp = m->mappings; mp; mp = mp->next_in_obj) {
		uint64_t first = mp->node.first_page;
		uint64_t last = first + (mp->node.end - mp->node.start) / PAGE_SIZE;
		uint64_t a = lo > first ? lo : first, b = hi < last ? hi : last;
		if (a >= b)
			continue;
		uint64_t start = mp->node.start + (a - first) * PAGE_SIZE;
		uint64_t end = mp->node.start + (b - first) * PAGE_SIZE;
		for (uint64_t va = start; va < end;) {
			int level;
			uint64_t *pte = vspace_pte(mp->vs, va, &level, false);
			if (pte && level == 1) {
				/* The rest of this page table without walking again. */
				do {
					if (*pte & PTE_P)
						*pte &= ~PTE_W;
					pte++;
					va += PAGE_SIZE;
				} while (va < end && (va & (HUGE_PAGE_SIZE - 1)));
				continue;
			}
			uint64_t span = pte ? HUGE_PAGE_SIZE : 1ull << (12 + 9 * (level - 1));
			if (pte && (*pte & PTE_P))
				*pte &= ~PTE_W;
			va = (va & ~(span - 1)) + span;
		}
		vspace_flush(mp->vs, start & ~(HUGE_PAGE_SIZE - 1),
			     (ALIGN_UP(end, HUGE_PAGE_SIZE) - (start & ~(HUGE_PAGE_SIZE - 1))) /
				     PAGE_SIZE);
	}
}

/* Share one entry of src (a page or a 2 MiB block) with dst, charged to
 * dst's quota: each holder pays for the pages it holds, shared or not,
 * so releasing a reference always refunds the releasing side. */
static int share_entry(struct memobj *dst, uint64_t index, uint64_t pa, bool huge)
{
	uint64_t size = huge ? HUGE_PAGE_SIZE : PAGE_SIZE;

	if (quota_charge(dst->hdr.quota, size) != TERN_EOK)
		return TERN_ENOT_ENOUGH_MEMORY;
	int r = huge ? pagetree_insert_huge(&dst->pages, index, pa, NULL)
		     : pagetree_insert(&dst->pages, index, pa, NULL);
	if (r == PAGETREE_OK && huge && memobj_block_split(pa)) {
		/* Counted frame by frame: a new holder of the whole block
		 * holds each frame. */
		unsigned i = 0;
		while (i < HUGE_PAGES_PER_BLOCK &&
		       cow_share(frame_ref(pa + (uint64_t)i * PAGE_SIZE)) == COW_OK)
			i++;
		if (i == HUGE_PAGES_PER_BLOCK)
			return TERN_EOK;
		while (i-- > 0)
			cow_unshare(frame_ref(pa + (uint64_t)i * PAGE_SIZE));
	} else if (r == PAGETREE_OK && cow_share(frame_ref(pa)) == COW_OK) {
		return TERN_EOK;
	}
	if (r == PAGETREE_OK)
		huge ? pagetree_remove_huge(&dst->pages, index)
		     : pagetree_remove(&dst->pages, index);
	quota_refund(dst->hdr.quota, size);
	return TERN_ENOT_ENOUGH_MEMORY;
}

/*
 * Share src's pages from *next on with dst (initialised by the caller),
 * CLONE_CHUNK entries between preemption points. Each chunk is write
 * protected in src's mappings before the next point, so a page shared is
 * never written in place. Returns TERN_EOK when every page is shared,
 * PREEMPT_RESTART with *next the first index left, or
 * TERN_ENOT_ENOUGH_MEMORY (dst keeps what it got; the caller destroys it,
 * which leaves src as it was but for read-only entries that fault back).
 */
int memobj_clone_pages(struct memobj *src, struct memobj *dst, uint64_t *next)
{
	uint64_t index, pa, from = *next, lo = *next;
	unsigned n = 0;
	bool huge;

	while ((pa = pagetree_next(&src->pages, from, src->npages, &index, &huge)) != 0) {
		/* A chunk's protection walk starts at its first page, not at
		 * the hole before it (a sparse 8 MiB stack walked whole cost
		 * fork some 60,000 instructions), and a hole ends a run: each
		 * run of present pages is protected on its own (libposix's
		 * data, 74 pages over 1,215, walked whole cost 7,000). */
		if (lo == from)
			lo = index;
		else if (index != from) {
			write_protect_pages(src, lo, from);
			lo = index;
		}
		int err = share_entry(dst, index, pa, huge);
		if (err) {
			write_protect_pages(src, lo, from);
			return err;
		}
		from = index + (huge ? HUGE_PAGES_PER_BLOCK : 1);
		if (++n % CLONE_CHUNK)
			continue;
		write_protect_pages(src, lo, from);
		lo = from;
		if (preempt_point()) {
			*next = from;
			return PREEMPT_RESTART;
		}
	}
	write_protect_pages(src, lo, from);
	*next = src->npages;
	return TERN_EOK;
}

void memobj_clone_cancel(struct memobj *src)
{
	struct memobj *c = src->clone_dst;

	if (!c)
		return;
	src->clone_dst = NULL;
	src->clone_slot = NULL;
	memobj_destroy(c);
	kobj_free(c);
}

/* Drop this object's reference to a frame (or 2 MiB block): the frame is
 * freed with its last holder, the charge goes back to this object's quota. */
void memobj_release_frame(struct memobj *m, uint64_t pa, bool huge)
{
	if (huge && memobj_block_split(pa)) {
		/* Counted frame by frame (memobj_split_block). */
		for (unsigned i = 0; i < HUGE_PAGES_PER_BLOCK; i++)
			if (cow_unshare(frame_ref(pa + (uint64_t)i * PAGE_SIZE)) == COW_FREE)
				page_free(pa + (uint64_t)i * PAGE_SIZE);
		quota_refund(m->hdr.quota, HUGE_PAGE_SIZE);
		return;
	}
	if (cow_unshare(frame_ref(pa)) == COW_FREE) {
		if (huge)
			pages_free(pa, 9);
		else
			page_free(pa);
	}
	quota_refund(m->hdr.quota, huge ? HUGE_PAGE_SIZE : PAGE_SIZE);
}

static void release_one(void *ctx, uint64_t index, uint64_t pa, bool huge)
{
	(void)index;
	memobj_release_frame(ctx, pa, huge);
}

/*
 * Release the pages from m->release_next on, in one walk of the tree
 * (pagetree_drain), asking stop() (when given) after each leaf node:
 * resumes where the last call stopped, so the walk is linear in the
 * pages however often it stops.
 */
static int release_pages(struct memobj *m, bool (*stop)(void))
{
	return pagetree_drain(&m->pages, &m->release_next, release_one, m, stop) ? PREEMPT_RESTART
										 : TERN_EOK;
}

int memobj_predestroy(struct memobj *m, bool (*stop)(void))
{
	if (m->kind != MEMOBJ_ANON)
		return TERN_EOK;
	memobj_clone_cancel(m);
	/* From here on the object is going: nothing maps it again. */
	m->dying = true;
	while (m->mappings) {
		vspace_remove_mapping(m->mappings);
		if (m->mappings && stop())
			return PREEMPT_RESTART;
	}
	return release_pages(m, stop);
}

void memobj_destroy(struct memobj *m)
{
	memobj_clone_cancel(m);
	while (m->mappings)
		vspace_remove_mapping(m->mappings);
	if (m->kind != MEMOBJ_ANON)
		return;
	release_pages(m, NULL); /* from where memobj_predestroy stopped */
	if (m->pages.small || m->pages.huge) {
		/* Pages made below that point meanwhile (none should be). */
		m->release_next = 0;
		release_pages(m, NULL);
	}
	pagetree_destroy(&m->pages);
}
