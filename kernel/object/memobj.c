/*
 * Memory objects, eager version: an anonymous MemObj gets all its zeroed
 * pages when created (charged to its quota); a physical one describes
 * existing memory (devices, the initrd) and owns nothing. Destroying a
 * MemObj first removes every mapping of it.
 */
#include "kernel/vm.h"

#include "kernel/mm.h"
#include "kernel/objects.h"
#include "kernel/string.h"

static unsigned order_for(uint64_t bytes)
{
	unsigned order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

int memobj_init_anon(struct memobj *m, uint64_t npages)
{
	struct quota *q = m->hdr.quota;
	uint64_t array = ALIGN_UP(npages * sizeof(uint64_t), PAGE_SIZE);

	if (npages == 0 || npages > MEMOBJ_MAX_PAGES)
		return TERN_ERANGE_ERROR;
	if (quota_charge(q, array) != TERN_EOK)
		return TERN_ENOT_ENOUGH_MEMORY;
	uint64_t pa = pages_alloc(order_for(array));
	if (!pa) {
		quota_refund(q, array);
		return TERN_ENOT_ENOUGH_MEMORY;
	}
	m->kind = MEMOBJ_ANON;
	m->pages = phys_to_virt(pa);
	m->pages_charge = array;
	memset(m->pages, 0, npages * sizeof(uint64_t));
	m->npages = npages;
	for (uint64_t i = 0; i < npages; i++) {
		m->pages[i] = kobj_page_alloc(q);
		if (!m->pages[i]) {
			memobj_destroy(m);
			return TERN_ENOT_ENOUGH_MEMORY;
		}
	}
	return TERN_EOK;
}

void memobj_init_phys(struct memobj *m, uint64_t phys, uint64_t npages, bool readonly)
{
	m->kind = MEMOBJ_PHYS;
	m->phys_base = phys;
	m->npages = npages;
	m->readonly = readonly;
}

uint64_t memobj_page(const struct memobj *m, uint64_t index)
{
	if (index >= m->npages)
		return 0;
	return m->kind == MEMOBJ_PHYS ? m->phys_base + index * PAGE_SIZE : m->pages[index];
}

/* Releases what the object owns; the object struct itself is the caller's. */
void memobj_destroy(struct memobj *m)
{
	while (m->mappings) {
		struct mapping *mp = m->mappings;
		vspace_unmap(mp->vs, mp->vaddr, mp->npages); /* unlinks mp */
	}
	if (m->kind != MEMOBJ_ANON || !m->pages)
		return;
	for (uint64_t i = 0; i < m->npages; i++)
		if (m->pages[i])
			kobj_page_free(m->hdr.quota, m->pages[i]);
	pages_free(virt_to_phys(m->pages), order_for(m->pages_charge));
	quota_refund(m->hdr.quota, m->pages_charge);
	m->pages = NULL;
}
