/*
 * Whole-page zeroing and copying with string instructions, as Linux's
 * clear_page/copy_page do: on current CPUs `rep stosq`/`rep movsq` are the
 * fastest way to fill or move a page. (Under QEMU's -icount each repeat is
 * one counted instruction, one per 8 bytes.)
 */
#ifndef ARCH_PAGE_OPS_H
#define ARCH_PAGE_OPS_H

#include <stdint.h>

static inline void pages_zero(void *dst, uint64_t bytes)
{
	uint64_t n = bytes / 8;

	__asm__ volatile("rep stosq" : "+D"(dst), "+c"(n) : "a"(0ull) : "memory");
}

static inline void pages_copy(void *dst, const void *src, uint64_t bytes)
{
	uint64_t n = bytes / 8;

	__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

#endif
