/*
 * Kernel memory layout and the physical page allocator.
 *
 *   0x0000000000000000 - 0x00007fffffffffff  user space
 *   0xffff800000000000 - ...                  direct map of all RAM
 *   0xffffc00000000000 - ...                  device mappings (ioremap)
 *   0xffffffff80000000 - ...                  kernel image (loaded at 1 MiB)
 */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/boot_info.h"
#include "common/compiler.h"

#define PAGE_SIZE 4096ul
#define PAGE_SHIFT 12
#define HUGE_PAGE_SIZE (2ul << 20)
#define GIANT_PAGE_SIZE (1ul << 30)
#define PHYS_MAP_BASE 0xffff800000000000ul
#define IOREMAP_BASE 0xffffc00000000000ul
#define KERNEL_VMA 0xffffffff80000000ul

extern char __kernel_start[], __kernel_end[];
extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[], __bss_start[], __bss_end[];

static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(pa + PHYS_MAP_BASE);
}

/* Works for direct-map and kernel-image addresses. */
static inline uint64_t virt_to_phys(const void *va)
{
	uint64_t v = (uint64_t)va;
	return v >= KERNEL_VMA ? v - KERNEL_VMA : v - PHYS_MAP_BASE;
}

/* Physical memory set-up, in two steps around paging_init: pmm_init
 * reserves the kernel, modules and loader data and opens the early bump
 * allocator; pmm_start hands every other usable frame to the buddy
 * allocator once the direct map covers all of RAM. */
void pmm_init(const struct boot_info *bi);
void pmm_start(void);
bool pmm_started(void);
/* A bump allocator used before the buddy allocator exists (page tables,
 * allocator metadata). Returns a zeroed, direct-mapped physical page range. */
uint64_t early_alloc(size_t bytes);

/* One 4 KiB frame through the per-CPU cache; 0 when memory is exhausted
 * (frame 0 is never handed out). */
uint64_t page_alloc(void);
void page_free(uint64_t pa);
/* 2^order contiguous, naturally aligned frames. */
uint64_t pages_alloc(unsigned order);
void pages_free(uint64_t pa, unsigned order);
/* An allocated block of 2^order pages becomes 2^order pages, each freed
 * with page_free. */
void pages_split(uint64_t pa, unsigned order);
/* Give the allocator the whole frames inside [start, end), a range that
 * pmm_init reserved and nothing uses any more (a boot module's). */
void pmm_release(uint64_t start, uint64_t end);
/* `count` contiguous frames, not a power of two (buddy_alloc_run). */
uint64_t pages_alloc_run(uint64_t count);
void pages_free_run(uint64_t pa, uint64_t count);

uint64_t pmm_free_pages(void);
uint64_t pmm_usable_bytes(void);
/* End of the direct-mapped physical range. */
uint64_t mm_phys_limit(void);

/* Kernel page tables, built once memory is known. */
void paging_init(uint64_t phys_limit);
/* Map device memory uncached; returns its kernel virtual address. */
void *ioremap(uint64_t pa, size_t len);

/* The kernel object heap (slab caches by size class). */
void kheap_setup(void);
void *kmalloc(size_t size);
void kfree(void *p);
/* Frames the heap's slabs hold (TERN_DEBUG_QUERY_FRAMES). */
uint64_t kheap_pages(void);

#endif
