/*
 * malloc, free, calloc and realloc over a static arena in .bss, one lock
 * around the heap (sys/lock.h): allocation is short and not a hot path of
 * any server loop, so per-thread arenas would not pay for themselves yet.
 */
#include <stddef.h>
#include <stdint.h>

#include "common/string.h"
#include "sys/heap.h"
#include "sys/lock.h"
#include "sys/malloc.h"

static uint8_t arena[TERN_MALLOC_ARENA_SIZE] __attribute__((aligned(HEAP_ALIGN)));
static struct heap heap;
static int heap_ready;
static struct tern_lock heap_lock = TERN_LOCK_INIT;

int tern_malloc_lock_init(void)
{
	return tern_lock_init(&heap_lock);
}

/* Called with heap_lock held. */
static struct heap *the_heap(void)
{
	if (!heap_ready) {
		heap_init(&heap, arena, sizeof(arena));
		heap_ready = 1;
	}
	return &heap;
}

void *malloc(size_t size)
{
	tern_lock_acquire(&heap_lock);
	void *p = heap_alloc(the_heap(), size);
	tern_lock_release(&heap_lock);
	return p;
}

void free(void *p)
{
	tern_lock_acquire(&heap_lock);
	heap_free(the_heap(), p);
	tern_lock_release(&heap_lock);
}

void *calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *p, size_t size)
{
	tern_lock_acquire(&heap_lock);
	void *q = heap_realloc(the_heap(), p, size);
	tern_lock_release(&heap_lock);
	return q;
}
