/*
 * Pre-zeroed 2 MiB blocks for huge-page faults. Zeroing 2 MiB is most of
 * the cost of such a fault, so the idle loop zeroes blocks ahead of time
 * (one per pass, interrupts off for its duration) and the fault handler
 * takes one when it can. The pool is small: its blocks are free memory
 * that nothing else can use while they wait, charged to no quota, so the
 * root quota leaves room for a full pool (ZERO_POOL_BYTES). A block a
 * fault takes is charged to the faulting object's quota from then on.
 */
#include "kernel/zero_pool.h"

#include "arch/page_ops.h"
#include "kernel/mm.h"

#define POOL_BLOCKS ZERO_POOL_BLOCKS		       /* 64 MiB, reserved at boot */
#define RESERVE_FREE_PAGES (64ull << 20 >> PAGE_SHIFT) /* leave 64 MiB for others */

static uint64_t pool[POOL_BLOCKS];
static unsigned n_pool;

uint64_t zero_pool_take_huge(void)
{
	return n_pool ? pool[--n_pool] : 0;
}

bool zero_pool_refill_one(void)
{
	if (n_pool == POOL_BLOCKS || pmm_free_pages() < RESERVE_FREE_PAGES)
		return false;
	uint64_t pa = pages_alloc(9);
	if (!pa)
		return false;
	pages_zero(phys_to_virt(pa), HUGE_PAGE_SIZE);
	pool[n_pool++] = pa;
	return true;
}

unsigned zero_pool_count(void)
{
	return n_pool;
}
