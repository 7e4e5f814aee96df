/*
 * Pre-zeroed 2 MiB blocks for huge-page faults. Zeroing 2 MiB is most of
 * the cost of such a fault, so the idle loop zeroes blocks ahead of time
 * (one per pass, 64 KiB between preemption points) and the fault handler
 * takes one when it can. The pool is small: its blocks are free memory
 * that nothing else can use while they wait, charged to no quota, so the
 * root quota leaves room for a full pool (ZERO_POOL_BYTES). A block a
 * fault takes is charged to the faulting object's quota from then on.
 */
#include "kernel/zero_pool.h"

#include "arch/page_ops.h"
#include "kernel/mm.h"
#include "kernel/preempt.h"

#define POOL_BLOCKS ZERO_POOL_BLOCKS		       /* 64 MiB, reserved at boot */
#define RESERVE_FREE_PAGES (64ull << 20 >> PAGE_SHIFT) /* leave 64 MiB for others */

#define ZERO_PIECE (64ull << 10)

static uint64_t pool[POOL_BLOCKS];
static unsigned n_pool;
static uint64_t filling, filled; /* the block being zeroed, and how far */

uint64_t zero_pool_take_huge(void)
{
	return n_pool ? pool[--n_pool] : 0;
}

bool zero_pool_refill_one(void)
{
	if (!filling) {
		if (n_pool == POOL_BLOCKS || pmm_free_pages() < RESERVE_FREE_PAGES)
			return false;
		if (!(filling = pages_alloc(9)))
			return false;
		filled = 0;
	}
	/* In pieces, so that an interrupt waits for one piece at most: the
	 * idle loop then halts, takes it and comes back to finish. */
	while (filled < HUGE_PAGE_SIZE) {
		pages_zero((uint8_t *)phys_to_virt(filling) + filled, ZERO_PIECE);
		filled += ZERO_PIECE;
		if (filled < HUGE_PAGE_SIZE && preempt_point())
			return false;
	}
	pool[n_pool++] = filling;
	filling = 0;
	return true;
}

uint64_t zero_pool_frames(void)
{
	return (uint64_t)(n_pool + (filling ? 1 : 0)) * (HUGE_PAGE_SIZE / PAGE_SIZE);
}

unsigned zero_pool_count(void)
{
	return n_pool;
}
