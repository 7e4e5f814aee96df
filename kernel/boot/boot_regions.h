/* Helpers shared by the multiboot1 and multiboot2 parsers (pure). */
#ifndef KERNEL_BOOT_REGIONS_H
#define KERNEL_BOOT_REGIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/boot_info.h"

/* Multiboot memory types (the same numbers in both versions) to ours. */
uint32_t boot_mem_type(uint32_t multiboot_type);

/*
 * Record a region, dropping it once the table is full: the first regions of
 * a firmware map cover low memory, which early boot needs most. A region
 * that would wrap past 2^64 is clipped rather than trusted.
 */
void boot_add_region(struct boot_info *out, uint64_t base, uint64_t length, uint32_t type);

/* Whether any recorded region is usable RAM (a map without any is refused). */
bool boot_has_usable_memory(const struct boot_info *out);

/* Unaligned little-endian loads from a loader's structures. */
static inline uint32_t load_u32(const uint8_t *p)
{
	uint32_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t load_u64(const uint8_t *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

#endif
