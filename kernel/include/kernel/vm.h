/*
 * Address spaces (VSpace) and memory objects (MemObj).
 *
 * A MemObj is anonymous (zero-filled lazily, pages in a radix page tree,
 * 2 MiB huge entries where possible), physical (device or boot memory it
 * does not own), or a copy-on-write clone of an anonymous one (it shares
 * the parent's pages, counted per frame, until either side writes). A
 * VSpace keeps its mappings in a balanced tree; page faults inside a
 * mapping are resolved in the kernel (kernel/object/vm_fault.c); only what it
 * cannot resolve becomes a fault message.
 */
#ifndef KERNEL_VM_H
#define KERNEL_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/cpu.h"
#include "kernel/maptree.h"
#include "kernel/object.h"
#include "kernel/pagetree.h"
#include "kernel/percpu.h"
#include "tern/caps.h"

#define USER_TOP 0x00007ffffffff000ull
#define MEMOBJ_MAX_PAGES (1ull << 24) /* 64 GiB */
#define HUGE_PAGES_PER_BLOCK 512
/* The rights a mapping can have. */
#define VM_RIGHTS (TERN_RIGHT_READ | TERN_RIGHT_WRITE | TERN_RIGHT_EXEC)

enum memobj_kind { MEMOBJ_ANON, MEMOBJ_PHYS };

struct mapping;
struct cte;

struct memobj {
	struct kobj hdr;
	uint32_t kind;
	bool readonly; /* PHYS objects handed out read-only (the initrd) */
	uint32_t pins; /* threads with their IPC buffer in it: no clone, pages never move */
	uint64_t npages;
	uint64_t phys_base;    /* MEMOBJ_PHYS */
	struct pagetree pages; /* MEMOBJ_ANON: page index -> physical address */
	struct pagetree_ops tree_ops;
	struct mapping *mappings; /* every mapping of this object */
	/* A clone stopped at a preemption point: the clone (in no slot yet),
	 * the slot it goes to and the first page index not shared yet. */
	struct memobj *clone_dst;
	struct cte *clone_slot;
	uint64_t clone_next;
	/* Deletion under way (memobj_predestroy): no new mapping or clone;
	 * pages below release_next are gone. */
	bool dying;
	uint64_t release_next;
};

struct vspace {
	struct kobj hdr;
	uint64_t pml4;	/* physical */
	uint16_t pcid;	/* 0 when the CPU has no PCID */
	bool stale_tlb; /* entries were removed while not current */
	bool dying;	/* deletion under way (vspace_predestroy): no new mapping */
	struct map_tree maps;
};

struct mapping {
	struct map_node node; /* start, end, obj, first_page, rights */
	struct vspace *vs;
	struct mapping *next_in_obj, *prev_in_obj;
	uint32_t max_rights;	/* what the MemObj cap allowed: PROTECT stays within */
	uint64_t populate_next; /* a TERN_MAP_POPULATE stopped here (0: none) */
	bool small;		/* TERN_MAP_SMALL: never a 2 MiB leaf or block */
};

/* Counters for TERN_DEBUG_QUERY_VM. */
struct vm_stats {
	uint64_t faults, zero_fills, huge_pages, cow_copies, huge_splits;
};
extern struct vm_stats vm_stats;

int memobj_init_anon(struct memobj *m, uint64_t npages);
void memobj_init_phys(struct memobj *m, uint64_t phys, uint64_t npages, bool readonly);
/* The physical page at `index`, creating a zeroed one if absent; 0 when
 * out of range or the quota is exhausted. */
uint64_t memobj_page(struct memobj *m, uint64_t index);
/* The steps of MEMOBJ_CLONE (kernel/preempt.h for PREEMPT_RESTART). */
int memobj_clone_pages(struct memobj *src, struct memobj *dst, uint64_t *next);
/* Drop a clone of src stopped at a preemption point, if any. */
void memobj_clone_cancel(struct memobj *src);
/* Before the last cap of m goes: unmap it and release its pages, with
 * preemption points (PREEMPT_RESTART), so that the destruction that
 * follows is short. */
int memobj_predestroy(struct memobj *m, bool (*stop)(void));
void memobj_release_frame(struct memobj *m, uint64_t pa, bool huge);
uint64_t memobj_cow_copy(struct memobj *m, uint64_t index, uint64_t old, bool huge);
/* Whether the 2 MiB block at pa is counted frame by frame (split). */
bool memobj_block_split(uint64_t pa);
int memobj_split_block(struct memobj *m, uint64_t index0, uint64_t pa);
uint64_t memobj_private_page(struct memobj *m, uint64_t index);
void memobj_destroy(struct memobj *m);

int vspace_init(struct vspace *vs);
void vspace_destroy(struct vspace *vs);
/* Before the last cap of vs goes: free its mappings and page tables,
 * asking stop() between batches (PREEMPT_RESTART when it said so). */
int vspace_predestroy(struct vspace *vs, bool (*stop)(void));

/*
 * Map, unmap and protect come in two steps, as invocations do: a check
 * and reservation that may fail and changes nothing, then the change,
 * which cannot fail. vspace_map does both (for the kernel's own callers).
 */
int vspace_map_check(struct vspace *vs, uint64_t vaddr, uint64_t npages);
struct mapping *vspace_mapping_alloc(struct vspace *vs);
void vspace_mapping_free(struct vspace *vs, struct mapping *mp);
/* Insert mp; with TERN_MAP_POPULATE fill the pages in, asking stop() (if
 * given) between batches: PREEMPT_RESTART when it said so, the mapping
 * in place, and vspace_populate_resume carries on when the same map is
 * made again. */
int vspace_map_install(struct vspace *vs, struct mapping *mp, uint64_t vaddr, struct memobj *m,
		       uint64_t first_page, uint64_t npages, uint32_t rights, uint32_t max_rights,
		       bool (*stop)(void));
int vspace_populate_resume(struct vspace *vs, uint64_t vaddr, uint64_t npages, struct memobj *m,
			   uint64_t first_page, uint32_t rights, bool (*stop)(void));
int vspace_map(struct vspace *vs, uint64_t vaddr, struct memobj *m, uint64_t first_page,
	       uint64_t npages, uint32_t rights, uint32_t max_rights);

/* What an unmap or protect of a range allocates before changing anything:
 * at most two mapping splits and two 2 MiB leaves cut by its edges. */
struct vspace_reserve {
	struct map_node *edge[2]; /* the mappings to split at start and at end */
	struct mapping *maps[2];
	uint64_t tables[2];
	unsigned nmaps, ntables;
};
int vspace_reserve(struct vspace *vs, uint64_t start, uint64_t end, struct vspace_reserve *r);
/* Give back what the change did not use. */
void vspace_reserve_release(struct vspace *vs, struct vspace_reserve *r);
void vspace_unmap(struct vspace *vs, uint64_t vaddr, uint64_t npages, struct vspace_reserve *r);
int vspace_protect_check(struct vspace *vs, uint64_t vaddr, uint64_t npages, uint32_t rights);
void vspace_protect(struct vspace *vs, uint64_t vaddr, uint64_t npages, uint32_t rights,
		    struct vspace_reserve *r);
/* TERN_QUERY_* flags for vaddr, the physical address of its page and the
 * rights of the mapping covering it. */
uint32_t vspace_query(struct vspace *vs, uint64_t vaddr, uint64_t *phys, uint32_t *map_rights);
/* The kernel pointer to the byte at `va`, resolving a fault first if the
 * mapping allows `rights`; NULL if it cannot be accessed so. */
void *vspace_translate(struct vspace *vs, uint64_t va, uint32_t rights);

/* Resolve a user page fault at `addr` (x86 error code bits). 0 when
 * resolved; otherwise the fault message's MR1 (the error code, with
 * TERN_FAULT_QUOTA when memory ran out). */
uint64_t vm_fault(struct vspace *vs, uint64_t addr, uint64_t error);

/* Page-table helpers shared by vspace.c, vm_fault.c and memobj.c: the one
 * walk (want = 1 for a PTE, 2 for a PDE), and its level-1 form. */
uint64_t *vspace_walk(struct vspace *vs, uint64_t va, int want, bool alloc, int *level);
uint64_t *vspace_pte(struct vspace *vs, uint64_t va, int *level, bool alloc);
void vspace_flush(struct vspace *vs, uint64_t va, uint64_t npages);
void vspace_zap(struct vspace *vs, uint64_t start, uint64_t end);
/* Remove one whole mapping; cannot fail (a destroyed object's mappings). */
void vspace_remove_mapping(struct mapping *mp);
uint64_t vm_pte_flags(uint32_t rights);

/* Per-frame reference counts for copy-on-write sharing (kernel/mm/frame_ref.c). */
struct page_ref *frame_ref(uint64_t pa);
void frame_refs_init(uint64_t nframes);

#define CR3_NOFLUSH (1ull << 63)

/* Load CR3 for vs (keeping its TLB entries under PCID when valid).
 * Assembly (VSPACE_LOAD in arch/switch.inc, the same code the thread
 * switch runs). */
void vspace_activate(struct vspace *vs);

#endif
