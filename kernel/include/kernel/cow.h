/*
 * Copy-on-write bookkeeping for physical pages shared between MemObj
 * clones: the reference count of each frame and the decisions that
 * depend on it. Pure logic: the caller keeps one struct page_ref per
 * frame (an array indexed by frame number, say), takes the locks, and
 * does the copying, mapping and freeing these functions decide on.
 *
 * A frame's refs counts the page trees holding it. A clone that shares a
 * page takes a reference (cow_share); a write fault on a page nobody else
 * holds writes it in place, otherwise the writer copies it and drops its
 * reference to the original (cow_copied); dropping the last reference
 * frees the frame (cow_unshare). A pinned frame (the shared zero page) is
 * never counted, freed or written: every write to it copies.
 *
 * cow_resolve() is the decision of a fault in a clone chain, where an
 * object looks for a page in its own tree, then in its ancestors' trees.
 *
 * Entry points: cow_page_init, cow_page_init_pinned, cow_share,
 * cow_write_fault, cow_copied, cow_unshare, cow_resolve.
 */
#ifndef KERNEL_COW_H
#define KERNEL_COW_H

#include <stdbool.h>
#include <stdint.h>

struct page_ref {
	union {
		struct {
			uint32_t refs;
			uint32_t flags;
		};
		/* A frame that is a page-table page or a MemObj's page-tree
		 * node, never a page of memory: which groups of 8 entries
		 * may be non-zero (bit i: entries 8i to 8i + 7), so walks
		 * skip the empty ones (kernel/object/vspace.c, pagetree.c). */
		uint64_t summary;
	};
};

#define PAGE_REF_PINNED (1u << 0) /* never freed nor written in place */
/* On the first frame of a 2 MiB block: its 512 frames are counted one by
 * one, each by the holders of that frame, since a holder split its entry
 * (a copy-on-write write to one page of it, kernel/object/memobj.c). */
#define PAGE_REF_SPLIT (1u << 1)

/* Results of cow_share, cow_copied and cow_unshare. */
#define COW_OK 0
#define COW_KEEP 0 /* other holders remain */
#define COW_FREE 1 /* that was the last reference: free the frame */
/* refs at UINT32_MAX: copy the page for the new holder instead of sharing it */
#define COW_EOVERFLOW (-1)
#define COW_EUNDERFLOW (-2) /* no reference left to drop: a double release */

enum cow_action {
	COW_REUSE,   /* the only holder: make it writable in place */
	COW_COPY,    /* shared: copy it, then cow_copied() on the original */
	COW_INVALID, /* refs is 0: nobody holds this page */
};

/* A freshly allocated page held by one tree. */
void cow_page_init(struct page_ref *r);

/* A page that is never freed nor written in place (the zero page). */
void cow_page_init_pinned(struct page_ref *r);

/* One more tree holds the page. COW_EOVERFLOW leaves the count as is. */
int cow_share(struct page_ref *r);

/* What a write fault on a page the faulting tree holds must do. */
enum cow_action cow_write_fault(const struct page_ref *r);

/*
 * The faulting tree now holds its own copy instead of the page: drop its
 * reference. The same as cow_unshare, named for the fault path.
 */
int cow_copied(struct page_ref *r);

/*
 * A tree drops the page (unmapped for good, object destroyed): COW_FREE
 * when the frame must be freed, COW_KEEP, or COW_EUNDERFLOW.
 */
int cow_unshare(struct page_ref *r);

/* Where a fault found its page along a clone chain. */
#define COW_FOUND_NOWHERE (-1)
#define COW_FOUND_OWN 0 /* in the faulting object's own tree */
/* n > 0: in the tree of the n-th ancestor (1 being the parent) */

enum cow_resolution {
	COW_MAP_ZERO_PAGE,	/* read, no page anywhere: map the zero page read-only */
	COW_ALLOC_ZERO,		/* write, no page anywhere: a new zeroed page into own tree */
	COW_MAP_READONLY,	/* map the page found, read-only: shared or an ancestor's */
	COW_MAP_WRITABLE,	/* own page held by nobody else: map it with the mapping's rights */
	COW_COPY_REPLACE,	/* own shared page: copy, replace in own tree, cow_copied(old) */
	COW_COPY_FROM_ANCESTOR, /* copy into own tree; the ancestor keeps its page */
	COW_RESOLVE_INVALID,	/* an own page with no references */
};

/*
 * The decision of a read or write fault that found a page at `depth`
 * (COW_FOUND_NOWHERE, COW_FOUND_OWN, or an ancestor's depth) whose frame
 * has the reference `ref` (unused when nowhere). An ancestor's page is
 * never written by a descendant, whatever its count: other clones of the
 * ancestor may see it.
 */
enum cow_resolution cow_resolve(int depth, const struct page_ref *ref, bool write);

#endif
