/*
 * Per-CPU single-page cache: see kernel/page_cache.h for the contract.
 *
 * The cache is a stack: the most recently freed page, likeliest to be in
 * this CPU's caches, is handed out first, and a drain returns the oldest
 * pages at the bottom of the stack to the zone.
 */
#include <kernel/page_cache.h>

void page_cache_init(struct page_cache *c)
{
	c->count = 0;
}

bool page_cache_pop(struct page_cache *c, struct buddy_zone *z, uint64_t *pfn_out)
{
	uint64_t pfn;

	if (c->count == 0)
		return false;
	pfn = c->pfns[--c->count];
	/* Cannot fail: every page in the cache was marked cached on entry. */
	(void)buddy_mark_allocated(z, pfn);
	*pfn_out = pfn;
	return true;
}

int page_cache_push(struct page_cache *c, struct buddy_zone *z, uint64_t pfn)
{
	int err;

	if (c->count == PAGE_CACHE_CAPACITY)
		return PAGE_CACHE_EFULL;
	err = buddy_mark_cached(z, pfn);
	if (err != BUDDY_OK)
		return err;
	c->pfns[c->count++] = pfn;
	return BUDDY_OK;
}

uint32_t page_cache_refill(struct page_cache *c, struct buddy_zone *z)
{
	uint32_t moved = 0;
	uint64_t pfn;

	while (moved < PAGE_CACHE_BATCH && c->count < PAGE_CACHE_CAPACITY &&
	       buddy_alloc(z, 0, &pfn)) {
		(void)buddy_mark_cached(z, pfn);
		c->pfns[c->count++] = pfn;
		moved++;
	}
	return moved;
}

uint32_t page_cache_drain(struct page_cache *c, struct buddy_zone *z)
{
	uint32_t moved = c->count < PAGE_CACHE_BATCH ? c->count : PAGE_CACHE_BATCH;

	for (uint32_t i = 0; i < moved; i++) {
		(void)buddy_mark_allocated(z, c->pfns[i]);
		(void)buddy_free(z, c->pfns[i], 0);
	}
	for (uint32_t i = moved; i < c->count; i++)
		c->pfns[i - moved] = c->pfns[i];
	c->count -= moved;
	return moved;
}

void page_cache_drain_all(struct page_cache *c, struct buddy_zone *z)
{
	while (c->count > 0)
		page_cache_drain(c, z);
}

bool page_cache_alloc(struct page_cache *c, struct buddy_zone *z, uint64_t *pfn_out)
{
	if (page_cache_pop(c, z, pfn_out))
		return true;
	page_cache_refill(c, z);
	return page_cache_pop(c, z, pfn_out);
}

int page_cache_free(struct page_cache *c, struct buddy_zone *z, uint64_t pfn)
{
	int err = page_cache_push(c, z, pfn);

	if (err != PAGE_CACHE_EFULL)
		return err;
	page_cache_drain(c, z);
	return page_cache_push(c, z, pfn);
}

uint32_t page_cache_count(const struct page_cache *c)
{
	return c->count;
}
