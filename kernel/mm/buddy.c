/*
 * Binary buddy allocator: see kernel/buddy.h for the contract.
 *
 * Free blocks of each order sit on a doubly linked list threaded through
 * struct buddy_page by 32-bit index, so removing a buddy when merging is
 * O(1). Only the first frame of a block carries a state; the buddy of the
 * block at pfn with order k is the block at pfn ^ 2^k, and the two merge
 * when that buddy is a free head of the same order.
 */
#include <kernel/buddy.h>

static uint32_t pfn_to_index(const struct buddy_zone *z, uint64_t pfn)
{
	return (uint32_t)(pfn - z->base_pfn);
}

/* True when [pfn, pfn + 2^order) lies inside the zone. */
static bool block_in_zone(const struct buddy_zone *z, uint64_t pfn, unsigned order)
{
	uint64_t end = z->base_pfn + z->nframes;

	return pfn >= z->base_pfn && pfn < end && ((uint64_t)1 << order) <= end - pfn;
}

static void free_list_push(struct buddy_zone *z, uint32_t idx, unsigned order)
{
	struct buddy_page *p = &z->pages[idx];
	uint32_t head = z->free_head[order];

	p->prev = BUDDY_NIL;
	p->next = head;
	if (head != BUDDY_NIL)
		z->pages[head].prev = idx;
	z->free_head[order] = idx;
	p->order = (uint8_t)order;
	p->state = BUDDY_PAGE_FREE;
	z->free_blocks[order]++;
	z->free_frames += (uint64_t)1 << order;
}

static void free_list_remove(struct buddy_zone *z, uint32_t idx)
{
	struct buddy_page *p = &z->pages[idx];
	unsigned order = p->order;

	if (p->prev != BUDDY_NIL)
		z->pages[p->prev].next = p->next;
	else
		z->free_head[order] = p->next;
	if (p->next != BUDDY_NIL)
		z->pages[p->next].prev = p->prev;
	p->next = BUDDY_NIL;
	p->prev = BUDDY_NIL;
	p->state = BUDDY_PAGE_NONE;
	z->free_blocks[order]--;
	z->free_frames -= (uint64_t)1 << order;
}

/*
 * Put the block [pfn, pfn + 2^order) on the free lists, first merging it
 * with its buddy for as long as the buddy is a free block of equal order.
 * The block's own frames must all be in state NONE.
 */
static void free_block_merge(struct buddy_zone *z, uint64_t pfn, unsigned order)
{
	while (order < BUDDY_MAX_ORDER) {
		uint64_t buddy = pfn ^ ((uint64_t)1 << order);
		struct buddy_page *bp;

		if (!block_in_zone(z, buddy, order))
			break;
		bp = &z->pages[pfn_to_index(z, buddy)];
		if (bp->state != BUDDY_PAGE_FREE || bp->order != order)
			break;
		free_list_remove(z, pfn_to_index(z, buddy));
		if (buddy < pfn)
			pfn = buddy;
		order++;
	}
	free_list_push(z, pfn_to_index(z, pfn), order);
}

size_t buddy_meta_size(uint64_t nframes)
{
	if (nframes > BUDDY_MAX_FRAMES)
		nframes = BUDDY_MAX_FRAMES;
	return (size_t)nframes * sizeof(struct buddy_page);
}

void buddy_init(struct buddy_zone *z, uint64_t base_pfn, uint64_t nframes, struct buddy_page *pages)
{
	if (nframes > BUDDY_MAX_FRAMES)
		nframes = BUDDY_MAX_FRAMES;
	z->base_pfn = base_pfn;
	z->nframes = nframes;
	z->pages = pages;
	z->free_frames = 0;
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++) {
		z->free_head[k] = BUDDY_NIL;
		z->free_blocks[k] = 0;
	}
	for (uint64_t i = 0; i < nframes; i++) {
		pages[i].next = BUDDY_NIL;
		pages[i].prev = BUDDY_NIL;
		pages[i].order = 0;
		pages[i].state = BUDDY_PAGE_NONE;
		pages[i].reserved = 0;
	}
}

/* Largest order whose aligned block starts at pfn and ends by `end`. */
static unsigned largest_fitting_order(uint64_t pfn, uint64_t end)
{
	unsigned order = 0;

	while (order < BUDDY_MAX_ORDER) {
		uint64_t size = (uint64_t)2 << order;

		if ((pfn & (size - 1)) != 0 || size > end - pfn)
			break;
		order++;
	}
	return order;
}

void buddy_add_free_range(struct buddy_zone *z, uint64_t pfn, uint64_t count)
{
	uint64_t zone_end = z->base_pfn + z->nframes;
	uint64_t end;

	/* Clip to the zone, guarding against pfn + count wrapping. */
	if (count > UINT64_MAX - pfn)
		count = UINT64_MAX - pfn;
	end = pfn + count;
	if (pfn < z->base_pfn)
		pfn = z->base_pfn;
	if (end > zone_end)
		end = zone_end;

	while (pfn < end) {
		unsigned order = largest_fitting_order(pfn, end);

		free_block_merge(z, pfn, order);
		pfn += (uint64_t)1 << order;
	}
}

bool buddy_alloc(struct buddy_zone *z, unsigned order, uint64_t *pfn_out)
{
	unsigned k = order;
	uint32_t idx;

	if (order > BUDDY_MAX_ORDER)
		return false;
	while (k <= BUDDY_MAX_ORDER && z->free_head[k] == BUDDY_NIL)
		k++;
	if (k > BUDDY_MAX_ORDER)
		return false;

	idx = z->free_head[k];
	free_list_remove(z, idx);
	/* Split down to the requested order, freeing each upper half. */
	while (k > order) {
		k--;
		free_list_push(z, idx + ((uint32_t)1 << k), k);
	}
	z->pages[idx].order = (uint8_t)order;
	z->pages[idx].state = BUDDY_PAGE_ALLOCATED;
	*pfn_out = z->base_pfn + idx;
	return true;
}

/* The head of the allocated block [pfn, pfn + 2^order) in *out, or why not. */
static int allocated_head(struct buddy_zone *z, uint64_t pfn, unsigned order,
			  struct buddy_page **out)
{
	struct buddy_page *p;

	if (order > BUDDY_MAX_ORDER || !block_in_zone(z, pfn, order) ||
	    (pfn & (((uint64_t)1 << order) - 1)) != 0)
		return BUDDY_EINVAL;
	p = &z->pages[pfn_to_index(z, pfn)];
	if (p->state != BUDDY_PAGE_ALLOCATED || p->order != order)
		return BUDDY_ENOTALLOC;
	*out = p;
	return BUDDY_OK;
}

int buddy_free(struct buddy_zone *z, uint64_t pfn, unsigned order)
{
	struct buddy_page *p;
	int err = allocated_head(z, pfn, order, &p);

	if (err)
		return err;
	p->state = BUDDY_PAGE_NONE;
	free_block_merge(z, pfn, order);
	return BUDDY_OK;
}

int buddy_split(struct buddy_zone *z, uint64_t pfn, unsigned order)
{
	struct buddy_page *p;
	int err = allocated_head(z, pfn, order, &p);

	if (err)
		return err;
	for (uint64_t i = 0; i < (uint64_t)1 << order; i++) {
		p[i].order = 0;
		p[i].state = BUDDY_PAGE_ALLOCATED;
	}
	return BUDDY_OK;
}

bool buddy_alloc_run(struct buddy_zone *z, uint64_t count, uint64_t *pfn_out)
{
	unsigned order = 0;
	uint64_t pfn, cur, end;

	if (count == 0)
		return false;
	while (((uint64_t)1 << order) < count) {
		if (++order > BUDDY_MAX_ORDER)
			return false;
	}
	if (!buddy_alloc(z, order, &pfn))
		return false;
	/* pfn is 2^order-aligned, so each piece (one per set bit of count,
	 * largest first) is aligned to its own size. */
	z->pages[pfn_to_index(z, pfn)].state = BUDDY_PAGE_NONE;
	cur = pfn;
	end = pfn + count;
	for (int k = (int)order; k >= 0; k--) {
		if (count & ((uint64_t)1 << k)) {
			z->pages[pfn_to_index(z, cur)].order = (uint8_t)k;
			z->pages[pfn_to_index(z, cur)].state = BUDDY_PAGE_ALLOCATED;
			cur += (uint64_t)1 << k;
		}
	}
	/* The tail's buddies inside the run are allocated heads or NONE, so
	 * it merges only with what lies beyond the run. */
	buddy_add_free_range(z, end, pfn + ((uint64_t)1 << order) - end);
	*pfn_out = pfn;
	return true;
}

int buddy_free_run(struct buddy_zone *z, uint64_t pfn, uint64_t count)
{
	for (int k = BUDDY_MAX_ORDER; k >= 0; k--) {
		if (count & ((uint64_t)1 << k)) {
			int err = buddy_free(z, pfn, (unsigned)k);
			if (err)
				return err;
			pfn += (uint64_t)1 << k;
		}
	}
	return BUDDY_OK;
}

uint64_t buddy_free_frames(const struct buddy_zone *z)
{
	return z->free_frames;
}

/* Switch an order-0 page from state `from` to `to`, refusing otherwise. */
static int page_change_state(struct buddy_zone *z, uint64_t pfn, enum buddy_page_state from,
			     enum buddy_page_state to)
{
	struct buddy_page *p;

	if (!block_in_zone(z, pfn, 0))
		return BUDDY_EINVAL;
	p = &z->pages[pfn_to_index(z, pfn)];
	if (p->state != from || p->order != 0)
		return BUDDY_ENOTALLOC;
	p->state = (uint8_t)to;
	return BUDDY_OK;
}

int buddy_mark_cached(struct buddy_zone *z, uint64_t pfn)
{
	return page_change_state(z, pfn, BUDDY_PAGE_ALLOCATED, BUDDY_PAGE_CACHED);
}

int buddy_mark_allocated(struct buddy_zone *z, uint64_t pfn)
{
	return page_change_state(z, pfn, BUDDY_PAGE_CACHED, BUDDY_PAGE_ALLOCATED);
}
