/*
 * Per-CPU cache of single free pages in front of a buddy zone.
 *
 * Most page faults and page-table allocations want one page, so each CPU
 * keeps a small stack of pfns and touches the shared zone only to refill
 * or drain a batch. Pages in the cache stay out of the zone's free count
 * and are marked BUDDY_PAGE_CACHED there, so a double free through the
 * cache and the zone is caught.
 *
 * Locking: page_cache_pop and page_cache_push touch only this cache and
 * the page's own state, so the owning CPU calls them without the zone
 * lock; page_cache_refill, page_cache_drain and page_cache_drain_all call
 * into the zone and need the zone lock. page_cache_alloc and
 * page_cache_free combine both for callers that hold the lock anyway.
 *
 * Entry points: page_cache_init, page_cache_alloc, page_cache_free,
 * page_cache_pop, page_cache_push, page_cache_refill, page_cache_drain,
 * page_cache_drain_all, page_cache_count.
 */
#ifndef KERNEL_PAGE_CACHE_H
#define KERNEL_PAGE_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include <kernel/buddy.h>

#define PAGE_CACHE_CAPACITY 64
#define PAGE_CACHE_BATCH 32

/* Error code of page_cache_push beyond the BUDDY_E* ones. */
#define PAGE_CACHE_EFULL (-3)

struct page_cache {
	uint32_t count;
	uint64_t pfns[PAGE_CACHE_CAPACITY]; /* [0, count), hottest on top */
};

void page_cache_init(struct page_cache *c);

/* One page, from the cache or after refilling it from the zone. */
bool page_cache_alloc(struct page_cache *c, struct buddy_zone *z, uint64_t *pfn_out);

/*
 * Take back a page allocated at order 0 (by either allocator), draining a
 * batch to the zone first when the cache is full. Returns a BUDDY_E* code
 * for a page that is not an allocated order-0 page.
 */
int page_cache_free(struct page_cache *c, struct buddy_zone *z, uint64_t pfn);

/* Lock-free halves: false / PAGE_CACHE_EFULL when the zone is needed. */
bool page_cache_pop(struct page_cache *c, struct buddy_zone *z, uint64_t *pfn_out);
int page_cache_push(struct page_cache *c, struct buddy_zone *z, uint64_t pfn);

/* Move up to PAGE_CACHE_BATCH pages between zone and cache; returns how
 * many moved. */
uint32_t page_cache_refill(struct page_cache *c, struct buddy_zone *z);
uint32_t page_cache_drain(struct page_cache *c, struct buddy_zone *z);

/* Give every cached page back to the zone (CPU going offline, low memory). */
void page_cache_drain_all(struct page_cache *c, struct buddy_zone *z);

uint32_t page_cache_count(const struct page_cache *c);

#endif
