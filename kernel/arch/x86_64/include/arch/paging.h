/* x86-64 four-level page table entries. */
#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#include <stdint.h>

#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_U (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_A (1ull << 5)
#define PTE_D (1ull << 6)
#define PTE_PS (1ull << 7)
#define PTE_G (1ull << 8)
#define PTE_NX (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull

/* Page sizes a leaf can have, as the level it sits at. */
enum pt_level { PT_4K = 1, PT_2M = 2, PT_1G = 3 };

/* Map one page of the given size at `va` in the tree rooted at `pml4_pa`,
 * allocating intermediate tables from early_alloc. Kernel use only. */
void pt_map_kernel(uint64_t pml4_pa, uint64_t va, uint64_t pa, enum pt_level size, uint64_t flags);
/* The kernel's PML4 (its upper half is shared by every address space). */
uint64_t paging_kernel_pml4(void);

#endif
