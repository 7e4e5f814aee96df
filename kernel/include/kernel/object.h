/*
 * The header every kernel object starts with, and the quota it is charged
 * to. An object lives exactly as long as its original capability (the one
 * QUOTA_CREATE made): deleting that capability first revokes every
 * capability derived from it, then destroys the object and refunds its
 * quota. Quotas themselves are reference counted by the objects charged
 * to them, so a quota outlives its capability while anything still uses it.
 */
#ifndef KERNEL_OBJECT_H
#define KERNEL_OBJECT_H

#include <stdint.h>

#include "kernel/slab.h"

struct quota;

struct kobj {
	uint32_t type; /* enum tern_cap_type */
	uint32_t size; /* bytes asked for (small) or charged (page objects) */
	struct quota *quota;
};

/*
 * What a quota is charged is what the frames it caused to be allocated
 * take: whole pages for page-sized objects, and for small objects the slab
 * pages of the quota's own heap (so slab headers, size-class rounding and
 * half-empty slabs are the quota's, and no pattern of allocations and
 * frees can make it hold more frames than it is charged for).
 */
struct quota {
	struct kobj hdr;
	uint64_t limit;	   /* bytes this quota may charge */
	uint64_t used;	   /* bytes charged now (pages, slab pages, child quotas) */
	uint64_t refs;	   /* 1 for the capability + 1 per charge outstanding */
	struct kheap heap; /* its small objects, in slab pages charged to it */
};

#endif
