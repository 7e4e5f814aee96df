/*
 * Address spaces: a PML4 whose upper half is the kernel's (shared entries
 * copied at creation) and whose lower half holds user mappings of MemObj
 * pages, in 4 KiB pages for now. Page tables are charged to the VSpace's
 * quota. Each VSpace has its own PCID when the CPU supports it, so that
 * switching address spaces keeps the TLB.
 */
#include "kernel/vm.h"

#include "arch/cpu.h"
#include "arch/paging.h"
#include "kernel/mm.h"
#include "kernel/objects.h"
#include "kernel/percpu.h"
#include "kernel/string.h"

#define MAX_PCID 4096

static uint16_t next_pcid = 1;

int vspace_init(struct vspace *vs)
{
	vs->pml4 = kobj_page_alloc(vs->hdr.quota);
	if (!vs->pml4)
		return TERN_ENOT_ENOUGH_MEMORY;
	uint64_t *dst = phys_to_virt(vs->pml4);
	const uint64_t *src = phys_to_virt(paging_kernel_pml4());
	memcpy(dst + 256, src + 256, 256 * sizeof(uint64_t));
	if (cpu_features.pcid) {
		/* FIXME: PCIDs are reused round-robin; a reused PCID starts with a
		 * full flush (stale_tlb), which is correct but not optimal. */
		vs->pcid = next_pcid;
		next_pcid = next_pcid + 1 == MAX_PCID ? 1 : next_pcid + 1;
	}
	vs->stale_tlb = true;
	return TERN_EOK;
}

static uint64_t *pte_lookup(struct vspace *vs, uint64_t va, bool alloc, int *err)
{
	uint64_t *table = phys_to_virt(vs->pml4);

	for (int level = 4; level > 1; level--) {
		uint64_t *e = &table[(va >> (12 + 9 * (level - 1))) & 511];
		if (!(*e & PTE_P)) {
			if (!alloc)
				return NULL;
			uint64_t pa = kobj_page_alloc(vs->hdr.quota);
			if (!pa) {
				*err = TERN_ENOT_ENOUGH_MEMORY;
				return NULL;
			}
			*e = pa | PTE_P | PTE_W | PTE_U;
		}
		table = phys_to_virt(*e & PTE_ADDR_MASK);
	}
	return &table[(va >> 12) & 511];
}

static bool is_current(const struct vspace *vs)
{
	return (this_cpu()->cr3 & PTE_ADDR_MASK) == vs->pml4;
}

static void flush_range(struct vspace *vs, uint64_t va, uint64_t npages)
{
	if (!is_current(vs)) {
		vs->stale_tlb = true;
		return;
	}
	if (npages > 32) {
		vs->stale_tlb = true;
		vspace_activate(vs);
		return;
	}
	for (uint64_t i = 0; i < npages; i++)
		invlpg(va + i * PAGE_SIZE);
}

static uint64_t pte_flags(uint32_t rights)
{
	uint64_t f = PTE_P | PTE_U;

	if (rights & TERN_RIGHT_WRITE)
		f |= PTE_W;
	if (!(rights & TERN_RIGHT_EXEC) && cpu_features.nx)
		f |= PTE_NX;
	return f;
}

static void clear_ptes(struct vspace *vs, uint64_t vaddr, uint64_t npages)
{
	for (uint64_t i = 0; i < npages; i++) {
		uint64_t *pte = pte_lookup(vs, vaddr + i * PAGE_SIZE, false, NULL);
		if (pte)
			*pte = 0;
	}
	flush_range(vs, vaddr, npages);
}

int vspace_map(struct vspace *vs, uint64_t vaddr, struct memobj *m, uint64_t first_page,
	       uint64_t npages, uint32_t rights)
{
	uint64_t end = vaddr + npages * PAGE_SIZE;

	for (struct mapping *mp = vs->mappings; mp; mp = mp->next_in_vs)
		if (vaddr < mp->vaddr + mp->npages * PAGE_SIZE && mp->vaddr < end)
			return TERN_EDELETE_FIRST;
	struct mapping *mp = kmalloc(sizeof(*mp));
	if (!mp || quota_charge(vs->hdr.quota, sizeof(*mp)) != TERN_EOK) {
		if (mp)
			kfree(mp);
		return TERN_ENOT_ENOUGH_MEMORY;
	}
	uint64_t flags = pte_flags(rights);
	for (uint64_t i = 0; i < npages; i++) {
		int err = TERN_EOK;
		uint64_t *pte = pte_lookup(vs, vaddr + i * PAGE_SIZE, true, &err);
		if (!pte) {
			clear_ptes(vs, vaddr, i);
			kfree(mp);
			quota_refund(vs->hdr.quota, sizeof(*mp));
			return err;
		}
		*pte = memobj_page(m, first_page + i) | flags;
	}
	*mp =
		(struct mapping){ vs,	  m,	  vaddr,       first_page,
				  npages, rights, m->mappings, vs->mappings };
	m->mappings = mp;
	vs->mappings = mp;
	return TERN_EOK;
}

static void unlink_mapping(struct mapping *mp)
{
	struct mapping **pp;

	for (pp = &mp->obj->mappings; *pp != mp; pp = &(*pp)->next_in_obj)
		;
	*pp = mp->next_in_obj;
	for (pp = &mp->vs->mappings; *pp != mp; pp = &(*pp)->next_in_vs)
		;
	*pp = mp->next_in_vs;
}

/* Unmap whole mappings inside [vaddr, vaddr + npages pages); a mapping
 * only partly inside the range is an error (no partial unmap yet). */
int vspace_unmap(struct vspace *vs, uint64_t vaddr, uint64_t npages)
{
	uint64_t end = vaddr + npages * PAGE_SIZE;

	for (struct mapping *mp = vs->mappings; mp; mp = mp->next_in_vs) {
		uint64_t mend = mp->vaddr + mp->npages * PAGE_SIZE;
		if (mp->vaddr < end && vaddr < mend && (mp->vaddr < vaddr || mend > end))
			return TERN_EINVALID_ARGUMENT;
	}
	struct mapping **pp = &vs->mappings;
	while (*pp) {
		struct mapping *mp = *pp;
		if (mp->vaddr >= vaddr && mp->vaddr < end) {
			clear_ptes(vs, mp->vaddr, mp->npages);
			unlink_mapping(mp);
			kfree(mp);
			quota_refund(vs->hdr.quota, sizeof(*mp));
			continue; /* *pp now holds the next one */
		}
		pp = &mp->next_in_vs;
	}
	return TERN_EOK;
}

static void free_tables(struct vspace *vs, uint64_t table_pa, int level)
{
	/* Three levels below the PML4: iterative over a fixed depth. */
	uint64_t *t4 = phys_to_virt(table_pa);
	for (int i4 = 0; i4 < 256; i4++) {
		if (!(t4[i4] & PTE_P))
			continue;
		uint64_t *t3 = phys_to_virt(t4[i4] & PTE_ADDR_MASK);
		for (int i3 = 0; i3 < 512; i3++) {
			if (!(t3[i3] & PTE_P))
				continue;
			uint64_t *t2 = phys_to_virt(t3[i3] & PTE_ADDR_MASK);
			for (int i2 = 0; i2 < 512; i2++)
				if (t2[i2] & PTE_P)
					kobj_page_free(vs->hdr.quota, t2[i2] & PTE_ADDR_MASK);
			kobj_page_free(vs->hdr.quota, t3[i3] & PTE_ADDR_MASK);
		}
		kobj_page_free(vs->hdr.quota, t4[i4] & PTE_ADDR_MASK);
	}
	(void)level;
}

void vspace_destroy(struct vspace *vs)
{
	while (vs->mappings) {
		struct mapping *mp = vs->mappings;
		unlink_mapping(mp);
		kfree(mp);
		quota_refund(vs->hdr.quota, sizeof(*mp));
	}
	if (!vs->pml4)
		return;
	if (is_current(vs)) {
		write_cr3(paging_kernel_pml4());
		this_cpu()->cr3 = paging_kernel_pml4();
	}
	free_tables(vs, vs->pml4, 4);
	kobj_page_free(vs->hdr.quota, vs->pml4);
	vs->pml4 = 0;
}

void *vspace_translate(struct vspace *vs, uint64_t va, uint32_t rights)
{
	if (va >= USER_TOP)
		return NULL;
	uint64_t *pte = pte_lookup(vs, va, false, NULL);
	if (!pte || !(*pte & PTE_P))
		return NULL;
	if ((rights & TERN_RIGHT_WRITE) && !(*pte & PTE_W))
		return NULL;
	return (uint8_t *)phys_to_virt(*pte & PTE_ADDR_MASK) + (va & (PAGE_SIZE - 1));
}
