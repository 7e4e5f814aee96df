/* Pre-zeroed 2 MiB blocks, filled by the idle loop (kernel/mm/zero_pool.c). */
#ifndef KERNEL_ZERO_POOL_H
#define KERNEL_ZERO_POOL_H

#include <stdbool.h>
#include <stdint.h>

/* At most this many bytes wait in the pool. They are free memory that no
 * quota is charged for, so the root quota is made this much smaller at
 * boot (kernel/core/roottask.c): the pool can never take frames a quota
 * was promised. */
#define ZERO_POOL_BLOCKS 32
#define ZERO_POOL_BYTES ((uint64_t)ZERO_POOL_BLOCKS << 21)

/* A zeroed 2 MiB block, or 0 when the pool is empty. */
uint64_t zero_pool_take_huge(void);
/* Zero one more block into the pool; false when full, memory is short or
 * an interrupt is waiting (the block is finished on a later call). */
bool zero_pool_refill_one(void);
unsigned zero_pool_count(void);
/* Frames the pool holds, the block being zeroed included. */
uint64_t zero_pool_frames(void);

#endif
