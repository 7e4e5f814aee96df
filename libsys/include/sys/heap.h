/*
 * A first-fit heap over one caller-given region: an address-ordered free
 * list whose neighbours coalesce on free. Every block is a 16-byte header
 * followed by a 16-byte aligned payload. Pure (no globals), so malloc.c is
 * a thin wrapper and the host tests exercise the same code.
 */
#ifndef SYS_HEAP_H
#define SYS_HEAP_H

#include <stddef.h>
#include <stdint.h>

#define HEAP_ALIGN 16

struct heap_block;

struct heap {
	struct heap_block *free_list; /* address order */
	uintptr_t start, end;
	size_t free_bytes; /* including headers of free blocks */
	/* Optional backing (heap_set_backing): memory the heap may leave
	 * unbacked. Every block header is always backed. */
	int (*commit)(void *ctx, uintptr_t start, uintptr_t end);
	void (*decommit)(void *ctx, uintptr_t start, uintptr_t end);
	void *ctx;
};

/* mem need not be aligned; the usable part is trimmed to HEAP_ALIGN. */
void heap_init(struct heap *h, void *mem, size_t size);
/*
 * A region backed piecewise (vfs's: a MemObj per 64 KiB chunk): before
 * the heap writes into [start, end) it calls commit, which backs it or
 * fails (non-zero: the allocation fails, nothing changed); after a free
 * it calls decommit with the interior of the free block it made (past
 * its header), where the caller may drop what lies wholly inside. The
 * first HEAP_ALIGN bytes of the region must be backed at heap_init.
 */
void heap_set_backing(struct heap *h, int (*commit)(void *, uintptr_t, uintptr_t),
		      void (*decommit)(void *, uintptr_t, uintptr_t), void *ctx);
void *heap_alloc(struct heap *h, size_t size);
void heap_free(struct heap *h, void *p);
void *heap_realloc(struct heap *h, void *p, size_t size);
/* The payload size of an allocated block (>= what was asked). */
size_t heap_usable_size(const void *p);
/* Checks the free list: ordered, inside the region, no adjacent free
 * blocks left uncoalesced, byte count right. Returns 0 when consistent. */
int heap_check(const struct heap *h);
/* Every block in address order, whole size (header included), free or
 * not: for accounting dumps (vfs's VFS_MEMDUMP). O(blocks). */
void heap_walk(const struct heap *h, void (*fn)(void *arg, uintptr_t addr, size_t size, int used),
	       void *arg);

#endif
