/*
 * A process's region list (Linux's VMAs): sorted, non-overlapping
 * [start, end) page ranges, each with its protection, kind, and the
 * memory behind it (an object of mm's, and the page offset in it). Pure:
 * no IPC; mm.c turns each change into VSpace calls, and the host tests
 * (test/unit/posix/test_vma.c) run this code.
 *
 * Every change that cuts a region reports the pieces removed through a
 * callback before forgetting them, so the caller can unmap them and
 * drop object references.
 */
#ifndef MM_VMA_H
#define MM_VMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VMA_MAX 256
#define VMA_PAGE 4096ul

/* Kinds (the bits of posix/proto_mm.h MM_REGION_*). Every region with
 * memory behind it has an object of mm's; a private anonymous one
 * (VMA_ANON, not VMA_SHARED) is cloned copy-on-write at fork, every
 * other one shared with the child. */
#define VMA_ANON 1u
#define VMA_SHARED 2u
#define VMA_FIXED 4u	/* exec's program and stack: mremap leaves them */
#define VMA_RESERVED 8u /* libposix's region, vvar, vDSO: never touched */
#define VMA_GROWSDOWN 16u
#define VMA_BRK 32u

struct vma {
	uint64_t start, end; /* page aligned */
	uint32_t prot;	     /* PROT_* */
	uint32_t kind;	     /* VMA_* */
	uint32_t obj;	     /* mm's object id, 0 = none */
	uint64_t obj_page;   /* the object's page at start */
};

struct vma_list {
	struct vma v[VMA_MAX];
	unsigned n;
};

typedef void (*vma_removed_fn)(void *ctx, const struct vma *piece);

void vma_init(struct vma_list *l);
/* The region containing addr, or NULL. */
struct vma *vma_find(struct vma_list *l, uint64_t addr);
/* Whether no region meets [start, end). */
bool vma_range_free(const struct vma_list *l, uint64_t start, uint64_t end);
/* Whether regions cover [start, end) without a hole. */
bool vma_range_covered(const struct vma_list *l, uint64_t start, uint64_t end);
/* Whether a region of one of these kinds meets [start, end). */
bool vma_range_has_kind(const struct vma_list *l, uint64_t start, uint64_t end, uint32_t kinds);
/* The highest free [a, a + len) with a aligned to `align` (a power of
 * two, at least a page) inside [lo, hi): a, or 0 when none. */
uint64_t vma_find_gap(const struct vma_list *l, uint64_t len, uint64_t align, uint64_t lo,
		      uint64_t hi);
/* Adds a region over a free range: 0, or -1 when the list is full or the
 * range is not free. Merges nothing (regions stay as mapped). */
int vma_insert(struct vma_list *l, const struct vma *v);
/* Removes [start, end) from every region, splitting at the edges; each
 * piece removed is reported first. -1 (nothing changed) when the splits
 * would overflow the list. */
int vma_remove(struct vma_list *l, uint64_t start, uint64_t end, vma_removed_fn fn, void *ctx);
/* Splits regions so that start and end are region edges: 0 or -1 (list
 * full). Then every region inside [start, end) can be changed alone. */
int vma_split_at(struct vma_list *l, uint64_t start, uint64_t end);
/* Whether some region uses object `obj`. */
bool vma_obj_used(const struct vma_list *l, uint32_t obj);
/* Whether fork clones object `obj` (copy-on-write) rather than sharing
 * it: it backs a private anonymous region (VMA_ANON without VMA_SHARED),
 * whatever the region's protection now (an mprotect may make it
 * writable later). */
bool vma_obj_cloned(const struct vma_list *l, uint32_t obj);

#endif
