/*
 * Address spaces (VSpace) and memory objects (MemObj), the minimum the
 * microkernel core needs: anonymous MemObjs are populated when created,
 * physical ones cover device or boot memory, and a mapping places a range
 * of a MemObj's pages in a VSpace with rights. (The memory issue replaces
 * this with lazy population, page faults, huge pages and copy-on-write.)
 */
#ifndef KERNEL_VM_H
#define KERNEL_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/cpu.h"
#include "kernel/object.h"
#include "kernel/percpu.h"

#define USER_TOP 0x00007ffffffff000ull
#define MEMOBJ_MAX_PAGES (1ull << 16) /* 256 MiB */

enum memobj_kind { MEMOBJ_ANON, MEMOBJ_PHYS };

struct mapping;

struct memobj {
	struct kobj hdr;
	uint32_t kind;
	uint32_t readonly; /* PHYS objects handed out read-only (the initrd) */
	uint64_t npages;
	uint64_t phys_base; /* MEMOBJ_PHYS */
	uint64_t *pages;    /* MEMOBJ_ANON: physical address of each page */
	uint64_t pages_charge;
	struct mapping *mappings;
};

struct vspace {
	struct kobj hdr;
	uint64_t pml4;	/* physical */
	uint16_t pcid;	/* 0 when the CPU has no PCID */
	bool stale_tlb; /* entries were removed while not current */
	struct mapping *mappings;
};

struct mapping {
	struct vspace *vs;
	struct memobj *obj;
	uint64_t vaddr;
	uint64_t first_page;
	uint64_t npages;
	uint32_t rights;
	struct mapping *next_in_obj;
	struct mapping *next_in_vs;
};

int memobj_init_anon(struct memobj *m, uint64_t npages);
void memobj_init_phys(struct memobj *m, uint64_t phys, uint64_t npages, bool readonly);
uint64_t memobj_page(const struct memobj *m, uint64_t index);
void memobj_destroy(struct memobj *m);

int vspace_init(struct vspace *vs);
void vspace_destroy(struct vspace *vs);
int vspace_map(struct vspace *vs, uint64_t vaddr, struct memobj *m, uint64_t first_page,
	       uint64_t npages, uint32_t rights);
int vspace_unmap(struct vspace *vs, uint64_t vaddr, uint64_t npages);
#define CR3_NOFLUSH (1ull << 63)

/* Load CR3 for vs (keeping its TLB entries under PCID when valid). Inline:
 * every switch between address spaces comes through here. */
static inline __attribute__((always_inline)) void vspace_activate(struct vspace *vs)
{
	uint64_t cr3 = vs->pml4 | vs->pcid;

	if (vs->pcid && !vs->stale_tlb)
		cr3 |= CR3_NOFLUSH;
	vs->stale_tlb = false;
	write_cr3(cr3);
	this_cpu()->cr3 = vs->pml4 | vs->pcid;
}
/* Translate a user address for the kernel: the kernel pointer to the
 * byte at `va` if mapped with at least `rights`, else NULL. */
void *vspace_translate(struct vspace *vs, uint64_t va, uint32_t rights);

#endif
