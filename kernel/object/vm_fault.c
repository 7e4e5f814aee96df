/*
 * Page faults resolved in the kernel: find the mapping (O(log n)), then
 * zero-fill, share or copy-on-write, with 2 MiB pages wherever the mapping
 * and the object offset allow it, and a small fault-around window for
 * 4 KiB zero fills. What cannot be resolved (no mapping, no right, no
 * memory left in the quota) goes back to the caller as a fault message.
 * It sits beside vspace.c and memobj.c, whose page-table walk and page
 * lookups it uses.
 */
#include "arch/page_ops.h"
#include "arch/paging.h"
#include "kernel/cmdline.h"
#include "kernel/cow.h"
#include "kernel/mm.h"
#include "kernel/objects.h"
#include "common/string.h"
#include "kernel/vm.h"
#include "kernel/zero_pool.h"
#include "tern/fault.h"
#include "tern/invocation.h"

#define PF_PRESENT 1
#define PF_WRITE 2
#define PF_FETCH 16
#define FAULT_AROUND_DEFAULT 8
#define FAULT_AROUND_MAX 64

struct vm_stats vm_stats;
static int fault_around = -1;

static unsigned fault_around_pages(void)
{
	if (fault_around < 0) {
		const char *v;
		size_t len;
		fault_around = FAULT_AROUND_DEFAULT;
		if (cmdline_option("faultaround", &v, &len)) {
			unsigned n = 0;
			for (size_t i = 0; i < len && v[i] >= '0' && v[i] <= '9'; i++)
				n = n * 10 + (unsigned)(v[i] - '0');
			fault_around = n > FAULT_AROUND_MAX ? FAULT_AROUND_MAX : (int)n;
		}
	}
	return (unsigned)fault_around;
}

static void zero_block(uint64_t pa, uint64_t bytes)
{
	pages_zero(phys_to_virt(pa), bytes);
}

/* Install a 4 KiB entry; the page is writable only if the mapping allows
 * it and no one else holds the frame. */
static int install_4k(struct vspace *vs, uint64_t va, uint64_t pa, uint32_t rights, bool shared)
{
	int level;
	uint64_t *pte = vspace_pte(vs, va, &level, true);

	if (!pte)
		return TERN_ENOT_ENOUGH_MEMORY;
	uint64_t flags = vm_pte_flags(shared ? rights & ~TERN_RIGHT_WRITE : rights);
	if (level == 2) {
		/* A 2 MiB leaf already covers it: only its rights can change. */
		*pte = (*pte & ~(PTE_W | PTE_NX)) | (flags & (PTE_W | PTE_NX));
	} else {
		*pte = pa | flags;
	}
	return TERN_EOK;
}

static bool shared_frame(uint64_t pa)
{
	return cow_write_fault(frame_ref(pa)) == COW_COPY;
}

/* After a split: the 512 frames of the block at pa mapped read-only at
 * `block` where nothing is mapped yet (writes fault and copy one page). */
static void map_block_readonly(struct vspace *vs, uint64_t block, uint64_t pa, uint32_t rights)
{
	int level;
	uint64_t *pte = vspace_pte(vs, block, &level, true);
	uint64_t flags = vm_pte_flags(rights & ~TERN_RIGHT_WRITE);

	if (!pte || level != 1)
		return; /* no memory for the table: the pages fault in one by one */
	for (unsigned i = 0; i < HUGE_PAGES_PER_BLOCK; i++)
		if (!(pte[i] & PTE_P))
			pte[i] = (pa + (uint64_t)i * PAGE_SIZE) | flags;
}

/* Point the PD entry for `block` at a 2 MiB frame, freeing an empty page
 * table that was there. False if a table level cannot be allocated. */
static bool install_2m(struct vspace *vs, uint64_t block, uint64_t pa, uint32_t rights)
{
	int level;
	uint64_t *pde = vspace_walk(vs, block, 2, true, &level);

	if (!pde)
		return false;
	if ((*pde & PTE_P) && !(*pde & PTE_PS))
		kobj_page_free(vs->hdr.quota, *pde & PTE_ADDR_MASK);
	*pde = pa | vm_pte_flags(rights) | PTE_PS;
	return true;
}

/* Can the 2 MiB block around addr be mapped whole by this mapping? */
static bool block_fits(const struct mapping *mp, const struct memobj *m, uint64_t addr)
{
	uint64_t block = addr & ~(HUGE_PAGE_SIZE - 1);
	uint64_t index0 = mp->node.first_page + (block - mp->node.start) / PAGE_SIZE;

	return !mp->small && block >= mp->node.start && block + HUGE_PAGE_SIZE <= mp->node.end &&
	       index0 % HUGE_PAGES_PER_BLOCK == 0 && index0 + HUGE_PAGES_PER_BLOCK <= m->npages;
}

/* A 2 MiB zeroed block for index0..index0+511 if everything allows it. */
static bool try_huge(struct vspace *vs, struct mapping *mp, struct memobj *m, uint64_t addr)
{
	uint64_t block = addr & ~(HUGE_PAGE_SIZE - 1);
	uint64_t index0 = mp->node.first_page + (block - mp->node.start) / PAGE_SIZE;
	int level;

	if (!block_fits(mp, m, addr))
		return false;
	uint64_t *e = vspace_pte(vs, block, &level, false);
	if (e || level < 2) {
		/* A page table exists for this block: only an empty one may go. */
		if (level != 1)
			return false;
		uint64_t *pt = e - ((block >> 12) & 511);
		for (int i = 0; i < 512; i++)
			if (pt[i])
				return false;
	}
	if (quota_charge(m->hdr.quota, HUGE_PAGE_SIZE) != TERN_EOK)
		return false;
	uint64_t pa = zero_pool_take_huge();
	bool zeroed = pa != 0;
	if (!pa)
		pa = pages_alloc(9);
	if (!pa) {
		quota_refund(m->hdr.quota, HUGE_PAGE_SIZE);
		return false;
	}
	if (pagetree_insert_huge(&m->pages, index0, pa, NULL) != PAGETREE_OK) {
		pages_free(pa, 9);
		quota_refund(m->hdr.quota, HUGE_PAGE_SIZE);
		return false;
	}
	if (!zeroed)
		zero_block(pa, HUGE_PAGE_SIZE);
	cow_page_init(frame_ref(pa));
	install_2m(vs, block, pa, mp->node.rights);
	vm_stats.huge_pages++;
	return true;
}

static void fault_around_zero(struct vspace *vs, struct mapping *mp, struct memobj *m,
			      uint64_t addr)
{
	unsigned n = fault_around_pages();
	bool huge;

	for (unsigned i = 1; i < n; i++) {
		uint64_t va = addr + i * PAGE_SIZE;
		if (va >= mp->node.end)
			break;
		uint64_t index = mp->node.first_page + (va - mp->node.start) / PAGE_SIZE;
		if (pagetree_lookup(&m->pages, index, &huge))
			break;
		uint64_t pa = memobj_page(m, index);
		if (!pa || install_4k(vs, va, pa, mp->node.rights, false) != TERN_EOK)
			break;
	}
}

uint64_t vm_fault(struct vspace *vs, uint64_t addr, uint64_t error)
{
	struct mapping *mp = (struct mapping *)maptree_lookup(&vs->maps, addr);
	bool write = error & PF_WRITE, huge = false;

	if (!mp || (write && !(mp->node.rights & TERN_RIGHT_WRITE)) ||
	    ((error & PF_FETCH) && !(mp->node.rights & TERN_RIGHT_EXEC)))
		return error;
	struct memobj *m = mp->node.obj;
	uint64_t va = addr & ~(PAGE_SIZE - 1);
	uint64_t index = mp->node.first_page + (va - mp->node.start) / PAGE_SIZE;
	uint32_t rights = mp->node.rights;

	if (m->kind == MEMOBJ_PHYS) {
		if (install_4k(vs, va, memobj_page(m, index), rights, false))
			return error | TERN_FAULT_QUOTA;
		vspace_flush(vs, va, 1);
		vm_stats.faults++;
		return 0;
	}
	uint64_t pa = pagetree_lookup(&m->pages, index, &huge);
	if (!pa) {
		if (try_huge(vs, mp, m, addr)) {
			vm_stats.faults++;
			return 0;
		}
		pa = memobj_page(m, index);
		if (!pa || install_4k(vs, va, pa, rights, false))
			return error | TERN_FAULT_QUOTA;
		fault_around_zero(vs, mp, m, va);
		vm_stats.faults++;
		return 0;
	}
	/* A block counted frame by frame is never mapped whole writable. */
	bool shared = shared_frame(pa) || (huge && memobj_block_split(pa));
	if (write && shared) {
		uint64_t block_pa = pa;
		pa = memobj_cow_copy(m, index, pa, huge);
		if (!pa)
			return error | TERN_FAULT_QUOTA;
		if (huge) {
			/* Split (memobj_cow_copy): pa is the page's own frame,
			 * the rest of the block is mapped read-only at once,
			 * as Linux splits the PMD. */
			huge = false;
			if (block_fits(mp, m, va))
				map_block_readonly(vs, va & ~(HUGE_PAGE_SIZE - 1), block_pa,
						   rights);
		}
		shared = false;
	}
	if (huge && !shared && block_fits(mp, m, va) &&
	    install_2m(vs, va & ~(HUGE_PAGE_SIZE - 1), pa, rights)) {
		vspace_flush(vs, va & ~(HUGE_PAGE_SIZE - 1), HUGE_PAGES_PER_BLOCK);
		vm_stats.faults++;
		return 0;
	}
	uint64_t page = huge ? pa + (index % HUGE_PAGES_PER_BLOCK) * PAGE_SIZE : pa;
	if (install_4k(vs, va, page, rights, shared))
		return error | TERN_FAULT_QUOTA;
	vspace_flush(vs, va, 1);
	vm_stats.faults++;
	return 0;
}
