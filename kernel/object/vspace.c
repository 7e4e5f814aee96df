/*
 * Address spaces: a PML4 whose upper half is the kernel's (entries copied
 * at creation) and a balanced tree of mappings (kernel/mm/maptree.c) in
 * the lower half. Page tables are filled lazily by the fault handler
 * (kernel/object/vm_fault.c) with 4 KiB or 2 MiB leaves and charged to the
 * VSpace's quota. Unmap and protect split mappings and 2 MiB leaves as
 * needed. Each VSpace has its own PCID when the CPU has them.
 */
#include "kernel/vm.h"

#include "arch/paging.h"
#include "kernel/cow.h"
#include "kernel/mm.h"
#include "kernel/objects.h"
#include "common/string.h"
#include "kernel/panic.h"
#include "kernel/pcid.h"
#include "kernel/preempt.h"
#include "tern/invocation.h"

#define FLUSH_ALL_PAGES 32
#define POPULATE_BATCH 16      /* pages populated between preemption points */
#define POPULATE_FAST_BATCH 64 /* pages populate_present installs between them */
#define TEARDOWN_BATCH 64      /* mappings or page tables freed between preemption points */

static struct pcid_pool pcids = PCID_POOL_INIT;

/*
 * Which entries of a page-table page (PML4, PDPT or PD) may be non-zero:
 * the frame's page_ref summary (kernel/cow.h), a bit for each group of 8
 * entries, set whenever an entry becomes a table pointer, so that a
 * teardown visits those groups instead of all 512 entries of every table
 * (some 20,000 instructions a process). A frame without a page_ref reads
 * as all set.
 */
static uint64_t table_summary(const uint64_t *table)
{
	struct page_ref *r = frame_ref(virt_to_phys(table));

	return r ? r->summary : ~0ull;
}

static void table_summary_set(uint64_t pa, uint64_t v)
{
	struct page_ref *r = frame_ref(pa);

	if (r)
		r->summary = v;
}

static void table_note(uint64_t *table, unsigned index)
{
	struct page_ref *r = frame_ref(virt_to_phys(table));

	if (r)
		r->summary |= 1ull << (index / 8);
}

int vspace_init(struct vspace *vs)
{
	vs->pml4 = kobj_page_alloc(vs->hdr.quota);
	if (!vs->pml4)
		return TERN_ENOT_ENOUGH_MEMORY;
	uint64_t *dst = phys_to_virt(vs->pml4);
	const uint64_t *src = phys_to_virt(paging_kernel_pml4());
	memcpy(dst + 256, src + 256, 256 * sizeof(uint64_t));
	table_summary_set(vs->pml4, 0);
	/* Its own PCID while one is free (kernel/pcid.h), else 0: flushed at
	 * every activation. stale_tlb: the first activation flushes what a
	 * destroyed VSpace left under that PCID. */
	vs->pcid = cpu_features.pcid ? pcid_alloc(&pcids) : 0;
	vs->stale_tlb = true;
	maptree_init(&vs->maps);
	return TERN_EOK;
}

/*
 * The one page-table walk. The entry for `va` at level `want` (1: the
 * 4 KiB PTE, 2: the page-directory entry), or a 2 MiB leaf met on the way
 * to level 1 (*level = 2). With `alloc`, missing tables above `want` are
 * created, charged to the VSpace's quota; NULL then means no memory.
 * Without it, NULL means an entry on the way is absent and *level is its
 * level, so a caller can skip everything that entry would cover.
 */
uint64_t *vspace_walk(struct vspace *vs, uint64_t va, int want, bool alloc, int *level)
{
	uint64_t *table = phys_to_virt(vs->pml4);

	for (int l = 4; l > want; l--) {
		uint64_t *e = &table[(va >> (12 + 9 * (l - 1))) & 511];
		if ((l == 3 || l == 2) && (*e & PTE_P) && (*e & PTE_PS)) {
			/* A 2 MiB leaf, or a 1 GiB one (only the kernel's direct map). */
			*level = l;
			return l == 2 ? e : NULL;
		}
		if (!(*e & PTE_P)) {
			*level = l;
			if (!alloc)
				return NULL;
			uint64_t pa = kobj_page_alloc(vs->hdr.quota);
			if (!pa)
				return NULL;
			table_summary_set(pa, 0);
			*e = pa | PTE_P | PTE_W | PTE_U;
			table_note(table, (unsigned)(e - table));
		}
		table = phys_to_virt(*e & PTE_ADDR_MASK);
	}
	*level = want;
	return &table[(va >> (12 + 9 * (want - 1))) & 511];
}

uint64_t *vspace_pte(struct vspace *vs, uint64_t va, int *level, bool alloc)
{
	return vspace_walk(vs, va, 1, alloc, level);
}

static bool is_current(const struct vspace *vs)
{
	return (this_cpu()->cr3 & PTE_ADDR_MASK) == vs->pml4;
}

void vspace_flush(struct vspace *vs, uint64_t va, uint64_t npages)
{
	if (!is_current(vs)) {
		vs->stale_tlb = true;
		return;
	}
	if (npages > FLUSH_ALL_PAGES) {
		vs->stale_tlb = true;
		vspace_activate(vs);
		return;
	}
	for (uint64_t i = 0; i < npages; i++)
		invlpg(va + i * PAGE_SIZE);
}

uint64_t vm_pte_flags(uint32_t rights)
{
	uint64_t f = PTE_P | PTE_U;

	if (rights & TERN_RIGHT_WRITE)
		f |= PTE_W;
	if (!(rights & TERN_RIGHT_EXEC) && cpu_features.nx)
		f |= PTE_NX;
	return f;
}

/* Replace the 2 MiB leaf *pde by the page table `pa` (reserved, zeroed)
 * of 512 equivalent 4 KiB entries, so part of it can change. */
static void split_leaf(uint64_t *pde, uint64_t pa)
{
	uint64_t *pt = phys_to_virt(pa);
	uint64_t base = *pde & PTE_ADDR_MASK & ~(HUGE_PAGE_SIZE - 1);
	uint64_t flags = *pde & (PTE_P | PTE_W | PTE_U | PTE_NX);

	uint64_t *pd = (uint64_t *)((uintptr_t)pde & ~(uintptr_t)(PAGE_SIZE - 1));

	for (int i = 0; i < 512; i++)
		pt[i] = (base + (uint64_t)i * PAGE_SIZE) | flags;
	*pde = pa | PTE_P | PTE_W | PTE_U;
	table_note(pd, (unsigned)(pde - pd));
}

static uint64_t reserved_table(struct vspace_reserve *r)
{
	if (!r || r->ntables == 0)
		return 0;
	return r->tables[--r->ntables];
}

/*
 * Apply fn to the page-table entries of [start, end): whole 2 MiB leaves
 * when covered, split ones when not, with the page tables reserved for
 * that. Without a reserved table (only vspace_zap, which removes entries)
 * a partly covered leaf is removed whole and *widened is set: the rest of
 * it faults back in. Cannot fail.
 */
static void for_each_pte(struct vspace *vs, uint64_t start, uint64_t end,
			 void (*fn)(uint64_t *pte, int level, void *ctx), void *ctx,
			 struct vspace_reserve *r, bool *widened)
{
	for (uint64_t va = start; va < end;) {
		int level;
		uint64_t *e = vspace_pte(vs, va, &level, false);
		if (!e) {
			/* Nothing mapped at this level: skip the whole table. */
			uint64_t span = 1ull << (12 + 9 * (level - 1));
			va = (va & ~(span - 1)) + span;
			continue;
		}
		if (level == 2) {
			uint64_t block = va & ~(HUGE_PAGE_SIZE - 1);
			if (va == block && block + HUGE_PAGE_SIZE <= end) {
				fn(e, 2, ctx);
				va = block + HUGE_PAGE_SIZE;
				continue;
			}
			uint64_t pt = reserved_table(r);
			if (!pt) {
				assert(widened);
				*e = 0;
				*widened = true;
				va = block + HUGE_PAGE_SIZE;
				continue;
			}
			split_leaf(e, pt);
			continue; /* again, now through the new table */
		}
		/* The rest of this page table without a walk per page; an
		 * empty entry has nothing to clear or restrict. */
		for (unsigned i = (unsigned)((va >> 12) & 511); i < 512 && va < end;
		     i++, e++, va += PAGE_SIZE)
			if (*e)
				fn(e, 1, ctx);
	}
}

static void clear_pte(uint64_t *pte, int level, void *ctx)
{
	(void)level;
	(void)ctx;
	*pte = 0;
}

static void restrict_pte(uint64_t *pte, int level, void *ctx)
{
	uint32_t rights = *(uint32_t *)ctx;

	(void)level;
	/* Write access comes back through the fault handler, which knows
	 * whether the page is shared copy-on-write. */
	*pte &= ~PTE_W;
	if (!(rights & TERN_RIGHT_EXEC) && cpu_features.nx)
		*pte |= PTE_NX;
	else
		*pte &= ~PTE_NX;
}

/* Remove the entries of [start, end) so the next access faults again. */
void vspace_zap(struct vspace *vs, uint64_t start, uint64_t end)
{
	bool widened = false;

	for_each_pte(vs, start, end, clear_pte, NULL, NULL, &widened);
	if (widened) {
		start &= ~(HUGE_PAGE_SIZE - 1);
		end = ALIGN_UP(end, HUGE_PAGE_SIZE);
	}
	vspace_flush(vs, start, (end - start) / PAGE_SIZE);
}

/* The object's mappings are a doubly linked list: unlinking is O(1)
 * however many mappings of it there are. */
static void unlink_from_obj(struct mapping *mp)
{
	struct memobj *m = mp->node.obj;

	if (mp->prev_in_obj)
		mp->prev_in_obj->next_in_obj = mp->next_in_obj;
	else
		m->mappings = mp->next_in_obj;
	if (mp->next_in_obj)
		mp->next_in_obj->prev_in_obj = mp->prev_in_obj;
}

struct mapping *vspace_mapping_alloc(struct vspace *vs)
{
	struct mapping *mp = quota_kmalloc(vs->hdr.quota, sizeof(*mp));

	if (!mp)
		return NULL;
	memset(mp, 0, sizeof(*mp));
	mp->vs = vs;
	return mp;
}

void vspace_mapping_free(struct vspace *vs, struct mapping *mp)
{
	quota_kfree(vs->hdr.quota, mp);
}

int vspace_map_check(struct vspace *vs, uint64_t vaddr, uint64_t npages)
{
	if (maptree_first_overlap(&vs->maps, vaddr, vaddr + npages * PAGE_SIZE))
		return TERN_EDELETE_FIRST;
	return TERN_EOK;
}

/*
 * TERN_MAP_POPULATE, a hint as MAP_POPULATE is on Linux: the pages that
 * fit in the quotas are filled in now, the others fault in later. From
 * mp->populate_next on; with `stop`, asked every POPULATE_BATCH pages,
 * the mapping keeps where it got to and PREEMPT_RESTART says to call
 * again (vspace_populate_resume).
 */
/*
 * The populate fast path: from va on, the object's own present 4 KiB
 * pages (an exec'd program's text from the file's cached pages) straight
 * into one page table, one walk for the whole run and no fault each (a
 * vm_fault per page was ~690 instructions, icount). Stops, leaving the
 * rest to vm_fault, at the end of the page table, after `max` pages, at
 * a page the object's own tree lacks, or at an entry already there. A new entry in a slot that was empty needs no TLB
 * flush. Returns how many pages it installed.
 */
static unsigned populate_present(struct vspace *vs, struct mapping *mp, uint64_t va, unsigned max)
{
	struct memobj *m = mp->node.obj;
	uint32_t rights = mp->node.rights;
	uint64_t flags = vm_pte_flags(rights);
	uint64_t index = mp->node.first_page + (va - mp->node.start) / PAGE_SIZE;
	unsigned n = 0;
	bool huge;
	int level;

	if (m->kind == MEMOBJ_PHYS || !pagetree_lookup(&m->pages, index, &huge))
		return 0;
	/* A whole 2 MiB frame for a whole block: vm_fault's 2 MiB leaf. */
	if (huge && va % HUGE_PAGE_SIZE == 0 && va + HUGE_PAGE_SIZE <= mp->node.end &&
	    index % HUGE_PAGES_PER_BLOCK == 0)
		return 0;
	uint64_t *pte = vspace_pte(vs, va, &level, true);
	if (!pte || level != 1)
		return 0;
	unsigned left = 512 - (unsigned)((va >> 12) & 511);
	uint64_t pa = 0, f = flags;
	for (; n < max && n < left && va < mp->node.end; n++, va += PAGE_SIZE, index++) {
		/* Inside one 2 MiB frame the pages follow: no lookup each. */
		if (!huge || !pa || index % HUGE_PAGES_PER_BLOCK == 0) {
			pa = pagetree_lookup(&m->pages, index, &huge);
			if (!pa)
				break;
			f = flags;
			if ((rights & TERN_RIGHT_WRITE) &&
			    cow_write_fault(frame_ref(pa)) == COW_COPY)
				f &= ~(uint64_t)PTE_W;
		}
		if (pte[n])
			break;
		/* A page of a 2 MiB frame: 4 KiB entries here (a 2 MiB leaf
		 * only where vm_fault finds the whole block fits). */
		pte[n] = (huge ? pa + (index % HUGE_PAGES_PER_BLOCK) * PAGE_SIZE : pa) | f;
	}
	vm_stats.faults += n;
	return n;
}

static int populate(struct vspace *vs, struct mapping *mp, bool (*stop)(void))
{
	uint64_t err = mp->node.rights & TERN_RIGHT_WRITE ? 2 : 0;
	unsigned n = 0;

	for (uint64_t va = mp->populate_next; va < mp->node.end;) {
		unsigned fast = populate_present(
			vs, mp, va, n < POPULATE_FAST_BATCH ? POPULATE_FAST_BATCH - n : 1);
		if (fast) {
			va += (uint64_t)fast * PAGE_SIZE;
			n += fast;
		} else {
			int level;
			if (vm_fault(vs, va, err | 4))
				break;
			/* A 2 MiB leaf now covers the rest of its block. */
			bool leaf = vspace_pte(vs, va, &level, false) && level == 2;
			va = leaf ? (va & ~(HUGE_PAGE_SIZE - 1)) + HUGE_PAGE_SIZE : va + PAGE_SIZE;
			/* A page through vm_fault counts as POPULATE_FAST_BATCH /
			 * POPULATE_BATCH fast ones; a 2 MiB fill is a batch of its own. */
			n += leaf ? POPULATE_FAST_BATCH : POPULATE_FAST_BATCH / POPULATE_BATCH;
		}
		if (stop && va < mp->node.end && n >= POPULATE_FAST_BATCH) {
			n = 0;
			if (!stop())
				continue;
			mp->populate_next = va;
			return PREEMPT_RESTART;
		}
	}
	mp->populate_next = 0;
	return TERN_EOK;
}

int vspace_populate_resume(struct vspace *vs, uint64_t vaddr, uint64_t npages, struct memobj *m,
			   uint64_t first_page, uint32_t rights, bool (*stop)(void))
{
	struct mapping *mp = (struct mapping *)maptree_lookup(&vs->maps, vaddr);

	if (!mp || !mp->populate_next || mp->node.start != vaddr ||
	    mp->node.end != vaddr + npages * PAGE_SIZE || mp->node.obj != m ||
	    mp->node.first_page != first_page || mp->node.rights != (rights & VM_RIGHTS))
		return TERN_EDELETE_FIRST; /* not the map that stopped: an overlap */
	return populate(vs, mp, stop);
}

int vspace_map_install(struct vspace *vs, struct mapping *mp, uint64_t vaddr, struct memobj *m,
		       uint64_t first_page, uint64_t npages, uint32_t rights, uint32_t max_rights,
		       bool (*stop)(void))
{
	mp->node.start = vaddr;
	mp->node.end = vaddr + npages * PAGE_SIZE;
	mp->node.obj = m;
	mp->node.first_page = first_page;
	mp->node.rights = rights & VM_RIGHTS;
	mp->max_rights = max_rights;
	mp->small = rights & TERN_MAP_SMALL;
	if (maptree_insert(&vs->maps, &mp->node) != MAPTREE_OK)
		panic("vspace: a checked mapping overlaps");
	mp->prev_in_obj = NULL;
	mp->next_in_obj = m->mappings;
	if (m->mappings)
		m->mappings->prev_in_obj = mp;
	m->mappings = mp;
	if (!(rights & TERN_MAP_POPULATE))
		return TERN_EOK;
	mp->populate_next = vaddr;
	return populate(vs, mp, stop);
}

int vspace_map(struct vspace *vs, uint64_t vaddr, struct memobj *m, uint64_t first_page,
	       uint64_t npages, uint32_t rights, uint32_t max_rights)
{
	int err = vspace_map_check(vs, vaddr, npages);

	if (err)
		return err;
	struct mapping *mp = vspace_mapping_alloc(vs);
	if (!mp)
		return TERN_ENOT_ENOUGH_MEMORY;
	return vspace_map_install(vs, mp, vaddr, m, first_page, npages, rights, max_rights, NULL);
}

/* Is the 2 MiB block at `block` mapped by a leaf? A leaf only ever lies
 * inside one mapping (faults make them there, and every split at an edge
 * inside a block splits the leaf too), so without a mapping `n` that
 * covers the whole block there is none and no walk is needed. */
static bool leaf_at(struct vspace *vs, const struct map_node *n, uint64_t block)
{
	int level;

	if (!n || n->start > block || n->end < block + HUGE_PAGE_SIZE)
		return false;
	uint64_t *e = vspace_pte(vs, block, &level, false);
	return e && level == 2;
}

/*
 * What changing [start, end) needs: a mapping for each edge that falls
 * strictly inside a mapping (the upper part of the split), a page table
 * for each edge that cuts a 2 MiB leaf. Allocated all at once, so the
 * change that follows cannot run out of memory half way.
 */
int vspace_reserve(struct vspace *vs, uint64_t start, uint64_t end, struct vspace_reserve *r)
{
	uint64_t mask = HUGE_PAGE_SIZE - 1;
	struct map_node *at_start = maptree_lookup(&vs->maps, start);
	struct map_node *at_end = maptree_lookup(&vs->maps, end);
	unsigned maps = 0, tables = 0;

	r->nmaps = r->ntables = 0;
	r->edge[0] = at_start && at_start->start != start ? at_start : NULL;
	r->edge[1] = at_end && at_end->start != end ? at_end : NULL;
	maps = (r->edge[0] != NULL) + (r->edge[1] != NULL);
	bool start_cut = (start & mask) && leaf_at(vs, at_start, start & ~mask);
	if (start_cut)
		tables++;
	if ((end & mask) && !((start & mask) && (end & ~mask) == (start & ~mask)) &&
	    leaf_at(vs, at_end, end & ~mask))
		tables++;
	while (r->nmaps < maps) {
		if (!(r->maps[r->nmaps] = vspace_mapping_alloc(vs)))
			goto fail;
		r->nmaps++;
	}
	while (r->ntables < tables) {
		if (!(r->tables[r->ntables] = kobj_page_alloc(vs->hdr.quota)))
			goto fail;
		r->ntables++;
	}
	return TERN_EOK;
fail:
	vspace_reserve_release(vs, r);
	return TERN_ENOT_ENOUGH_MEMORY;
}

void vspace_reserve_release(struct vspace *vs, struct vspace_reserve *r)
{
	while (r->nmaps)
		vspace_mapping_free(vs, r->maps[--r->nmaps]);
	while (r->ntables)
		kobj_page_free(vs->hdr.quota, r->tables[--r->ntables]);
}

/* Split the mappings that straddle `start` or `end` (found by
 * vspace_reserve) so that the range is made of whole mappings, with the
 * reserved mappings. One mapping straddling both is cut twice: the second
 * cut falls in the upper part of the first. */
static void split_edges(struct vspace *vs, uint64_t start, uint64_t end, struct vspace_reserve *r)
{
	uint64_t edges[2] = { start, end };
	struct mapping *upper = NULL;

	for (int i = 0; i < 2; i++) {
		struct mapping *lower = (struct mapping *)r->edge[i];
		if (!lower)
			continue;
		if (i == 1 && r->edge[1] == r->edge[0])
			lower = upper;
		assert(r->nmaps > 0 && lower->node.start < edges[i] && edges[i] < lower->node.end);
		upper = r->maps[--r->nmaps];
		maptree_split(&vs->maps, &lower->node, edges[i], &upper->node);
		upper->max_rights = lower->max_rights;
		upper->small = lower->small;
		upper->next_in_obj = lower->next_in_obj;
		upper->prev_in_obj = lower;
		if (lower->next_in_obj)
			lower->next_in_obj->prev_in_obj = upper;
		lower->next_in_obj = upper;
	}
}

void vspace_remove_mapping(struct mapping *mp)
{
	struct vspace *vs = mp->vs;

	vspace_zap(vs, mp->node.start, mp->node.end);
	maptree_remove(&vs->maps, &mp->node);
	unlink_from_obj(mp);
	vspace_mapping_free(vs, mp);
}

void vspace_unmap(struct vspace *vs, uint64_t vaddr, uint64_t npages, struct vspace_reserve *r)
{
	uint64_t end = vaddr + npages * PAGE_SIZE;

	split_edges(vs, vaddr, end, r);
	for_each_pte(vs, vaddr, end, clear_pte, NULL, r, NULL);
	vspace_flush(vs, vaddr, npages);
	struct map_node *n;
	while ((n = maptree_first_overlap(&vs->maps, vaddr, end)) != NULL) {
		struct mapping *mp = (struct mapping *)n;
		maptree_remove(&vs->maps, n);
		unlink_from_obj(mp);
		vspace_mapping_free(vs, mp);
	}
}

/* Never more than the MemObj cap gave when the range was mapped. */
int vspace_protect_check(struct vspace *vs, uint64_t vaddr, uint64_t npages, uint32_t rights)
{
	uint64_t end = vaddr + npages * PAGE_SIZE;

	for (struct map_node *n = maptree_first_overlap(&vs->maps, vaddr, end); n && n->start < end;
	     n = maptree_next(n))
		if (rights & VM_RIGHTS & ~((struct mapping *)n)->max_rights)
			return TERN_EINSUFFICIENT_RIGHTS;
	return TERN_EOK;
}

void vspace_protect(struct vspace *vs, uint64_t vaddr, uint64_t npages, uint32_t rights,
		    struct vspace_reserve *r)
{
	uint64_t end = vaddr + npages * PAGE_SIZE;

	split_edges(vs, vaddr, end, r);
	for_each_pte(vs, vaddr, end, restrict_pte, &rights, r, NULL);
	vspace_flush(vs, vaddr, npages);
	for (struct map_node *n = maptree_first_overlap(&vs->maps, vaddr, end); n && n->start < end;
	     n = maptree_next(n))
		n->rights = rights & VM_RIGHTS;
}

uint32_t vspace_query(struct vspace *vs, uint64_t vaddr, uint64_t *phys, uint32_t *map_rights)
{
	uint32_t flags = 0;
	int level;

	*phys = 0;
	*map_rights = 0;
	if (vaddr >= USER_TOP)
		return 0; /* the kernel half is not the caller's to inspect */
	struct map_node *n = maptree_lookup(&vs->maps, vaddr);
	if (n) {
		flags |= TERN_QUERY_MAPPED;
		*map_rights = n->rights;
	}
	uint64_t *e = vspace_pte(vs, vaddr, &level, false);
	if (!e || !(*e & PTE_P))
		return flags;
	flags |= TERN_QUERY_PRESENT;
	if (*e & PTE_W)
		flags |= TERN_QUERY_WRITE;
	if (!(*e & PTE_NX))
		flags |= TERN_QUERY_EXEC;
	if (level == 2) {
		flags |= TERN_QUERY_HUGE;
		*phys = (*e & PTE_ADDR_MASK & ~(HUGE_PAGE_SIZE - 1)) +
			(vaddr & (HUGE_PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
	} else {
		*phys = *e & PTE_ADDR_MASK;
	}
	return flags;
}

void *vspace_translate(struct vspace *vs, uint64_t va, uint32_t rights)
{
	bool write = rights & TERN_RIGHT_WRITE;

	if (va >= USER_TOP)
		return NULL;
	for (int attempt = 0; attempt < 2; attempt++) {
		int level;
		uint64_t *e = vspace_pte(vs, va, &level, false);
		if (e && (*e & PTE_P) && (!write || (*e & PTE_W))) {
			uint64_t mask = level == 2 ? HUGE_PAGE_SIZE - 1 : PAGE_SIZE - 1;
			return (uint8_t *)phys_to_virt(*e & PTE_ADDR_MASK & ~mask) + (va & mask);
		}
		/* Not there yet, or copy-on-write: resolve as the CPU would. */
		uint64_t error = 4 | (write ? 2 : 0) | (e && (*e & PTE_P) ? 1 : 0);
		if (vm_fault(vs, va, error))
			return NULL;
	}
	return NULL;
}

/*
 * Free the mappings and page tables, clearing each entry as its table goes
 * so that a walk stopped by stop() (every TEARDOWN_BATCH items) and
 * started again skips what is done. Without stop, runs to the end.
 */
static int vspace_teardown(struct vspace *vs, bool (*stop)(void))
{
	struct map_node *n;
	unsigned done = 0;

	while ((n = maptree_first(&vs->maps)) != NULL) {
		struct mapping *mp = (struct mapping *)n;
		maptree_remove(&vs->maps, n);
		unlink_from_obj(mp);
		vspace_mapping_free(vs, mp);
		if (stop && ++done % TEARDOWN_BATCH == 0 && maptree_first(&vs->maps) && stop())
			return PREEMPT_RESTART;
	}
	if (!vs->pml4)
		return TERN_EOK;
	if (is_current(vs)) {
		write_cr3(paging_kernel_pml4());
		this_cpu()->cr3 = paging_kernel_pml4();
	}
	uint64_t *t4 = phys_to_virt(vs->pml4);
	/* Only the groups of entries the summaries say were ever set; the
	 * lower half of the PML4 (256 entries) is the first 32 bits. */
	for (uint64_t g4 = table_summary(t4) & 0xffffffffull; g4; g4 &= g4 - 1) {
		for (int i4 = __builtin_ctzll(g4) * 8, e4 = i4 + 8; i4 < e4; i4++) {
			if (!(t4[i4] & PTE_P))
				continue;
			uint64_t *t3 = phys_to_virt(t4[i4] & PTE_ADDR_MASK);
			for (uint64_t g3 = table_summary(t3); g3; g3 &= g3 - 1) {
				for (int i3 = __builtin_ctzll(g3) * 8, e3 = i3 + 8; i3 < e3; i3++) {
					if (!(t3[i3] & PTE_P))
						continue;
					uint64_t *t2 = phys_to_virt(t3[i3] & PTE_ADDR_MASK);
					for (uint64_t g2 = table_summary(t2); g2; g2 &= g2 - 1) {
						for (int i2 = __builtin_ctzll(g2) * 8, e2 = i2 + 8;
						     i2 < e2; i2++) {
							if (!(t2[i2] & PTE_P) || (t2[i2] & PTE_PS))
								continue;
							kobj_page_free(vs->hdr.quota,
								       t2[i2] & PTE_ADDR_MASK);
							t2[i2] = 0;
							if (stop && ++done % TEARDOWN_BATCH == 0 &&
							    stop())
								return PREEMPT_RESTART;
						}
					}
					kobj_page_free(vs->hdr.quota, t3[i3] & PTE_ADDR_MASK);
					t3[i3] = 0;
				}
			}
			kobj_page_free(vs->hdr.quota, t4[i4] & PTE_ADDR_MASK);
			t4[i4] = 0;
		}
	}
	return TERN_EOK;
}

int vspace_predestroy(struct vspace *vs, bool (*stop)(void))
{
	/* From here on the VSpace is going: nothing maps into it again. */
	vs->dying = true;
	return vspace_teardown(vs, stop);
}

void vspace_destroy(struct vspace *vs)
{
	vspace_teardown(vs, NULL);
	if (!vs->pml4)
		return;
	kobj_page_free(vs->hdr.quota, vs->pml4);
	vs->pml4 = 0;
	if (vs->pcid && !pcid_free(&pcids, vs->pcid))
		panic("vspace %p: PCID %u was not its own", vs, vs->pcid);
	vs->pcid = 0;
}
