/*
 * malloc, free, calloc and realloc over a static arena in .bss. Tasks are
 * single-threaded, so there is no lock (FIXME: add one with threads).
 */
#include <stddef.h>
#include <stdint.h>

#include "common/string.h"
#include "sys/heap.h"
#include "sys/malloc.h"

static uint8_t arena[TERN_MALLOC_ARENA_SIZE] __attribute__((aligned(HEAP_ALIGN)));
static struct heap heap;
static int heap_ready;

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
	return heap_alloc(the_heap(), size);
}

void free(void *p)
{
	heap_free(the_heap(), p);
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
	return heap_realloc(the_heap(), p, size);
}
