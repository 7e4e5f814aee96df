/*
 * Binary buddy allocator over a range of physical page frames.
 *
 * A zone manages frames [base_pfn, base_pfn + nframes). A block of order k
 * is 2^k frames and starts at an absolute pfn that is a multiple of 2^k, so
 * order-9 and order-18 blocks are usable as 2 MiB and 1 GiB huge pages.
 * Per-frame metadata lives in an array the caller supplies
 * (buddy_meta_size() bytes); the allocator holds no other state and takes
 * no locks, so the caller serialises calls on one zone.
 *
 * Entry points: buddy_meta_size, buddy_init, buddy_add_free_range,
 * buddy_alloc, buddy_free, buddy_alloc_run, buddy_free_run,
 * buddy_free_frames; buddy_mark_cached and
 * buddy_mark_allocated serve the per-CPU page cache (page_cache.h).
 */
#ifndef KERNEL_BUDDY_H
#define KERNEL_BUDDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest block: 2^18 frames, 1 GiB with 4 KiB pages. */
#define BUDDY_MAX_ORDER 18

/* Frame indices are 32-bit to keep struct buddy_page small (16 TiB). */
#define BUDDY_MAX_FRAMES ((uint64_t)UINT32_MAX - 1)
#define BUDDY_NIL UINT32_MAX

/* States of struct buddy_page.state; only the first frame of a block is
 * marked, every other frame stays BUDDY_PAGE_NONE. */
enum buddy_page_state {
	BUDDY_PAGE_NONE = 0,	  /* reserved, or not the head of a block */
	BUDDY_PAGE_FREE = 1,	  /* head of a block on a free list */
	BUDDY_PAGE_ALLOCATED = 2, /* head of a block handed out */
	BUDDY_PAGE_CACHED = 3,	  /* order-0 page held by a page_cache */
};

/* Error codes of buddy_free and buddy_mark_*: 0 on success. */
#define BUDDY_OK 0
#define BUDDY_EINVAL (-1) /* pfn outside the zone, misaligned, bad order */
#define BUDDY_ENOTALLOC \
	(-2) /* not the head of an allocated block of that
			      * order: a double or stray free */

struct buddy_page {
	uint32_t next; /* free-list links, as indices into the zone */
	uint32_t prev;
	uint8_t order; /* valid while state != BUDDY_PAGE_NONE */
	uint8_t state; /* enum buddy_page_state */
	uint16_t reserved;
};

struct buddy_zone {
	uint64_t base_pfn;
	uint64_t nframes;
	struct buddy_page *pages; /* nframes entries */
	uint32_t free_head[BUDDY_MAX_ORDER + 1];
	uint64_t free_blocks[BUDDY_MAX_ORDER + 1];
	uint64_t free_frames;
};

/* Bytes of struct buddy_page the caller must supply for nframes frames. */
size_t buddy_meta_size(uint64_t nframes);

/*
 * Set up a zone with every frame reserved. nframes is clamped to
 * BUDDY_MAX_FRAMES; `pages` must hold buddy_meta_size(nframes) bytes.
 */
void buddy_init(struct buddy_zone *z, uint64_t base_pfn, uint64_t nframes,
		struct buddy_page *pages);

/*
 * Hand reserved frames [pfn, pfn + count) to the allocator, clipped to the
 * zone. The range must not overlap frames already free or allocated.
 */
void buddy_add_free_range(struct buddy_zone *z, uint64_t pfn, uint64_t count);

/* Allocate 2^order frames aligned to 2^order; false when none is free. */
bool buddy_alloc(struct buddy_zone *z, unsigned order, uint64_t *pfn_out);

/*
 * Allocate `count` contiguous frames (not a power of two: a large buffer
 * such as the inflated initrd) from the smallest block that holds them;
 * the block's tail goes back to the free lists. The run is held as the
 * aligned blocks its size is made of, largest first, so buddy_free_run
 * frees it piece by piece. False when count is 0 or no block is free.
 */
bool buddy_alloc_run(struct buddy_zone *z, uint64_t count, uint64_t *pfn_out);
/* Free a run from buddy_alloc_run: 0 or the first piece's BUDDY_E* error. */
int buddy_free_run(struct buddy_zone *z, uint64_t pfn, uint64_t count);

/*
 * Return a block from buddy_alloc, merging it with free buddies. A free of
 * anything but an allocated block of exactly that order is refused with
 * BUDDY_EINVAL or BUDDY_ENOTALLOC and leaves the zone unchanged.
 */
int buddy_free(struct buddy_zone *z, uint64_t pfn, unsigned order);

/* The allocated block [pfn, pfn + 2^order) becomes 2^order allocated
 * order-0 pages, each freed on its own (buddy_free order 0). */
int buddy_split(struct buddy_zone *z, uint64_t pfn, unsigned order);

/* Frames currently on the free lists. */
uint64_t buddy_free_frames(const struct buddy_zone *z);

/*
 * Move an allocated order-0 page into BUDDY_PAGE_CACHED and back, so a
 * page sitting in a page cache cannot also be freed to the zone.
 */
int buddy_mark_cached(struct buddy_zone *z, uint64_t pfn);
int buddy_mark_allocated(struct buddy_zone *z, uint64_t pfn);

#endif
