/*
 * First-fit heap with an address-ordered free list (sys/heap.h). Freeing
 * merges a block with free neighbours at once, so the list never holds
 * two adjacent blocks. A block header keeps the whole block size; while
 * allocated its second word is a magic number, so freeing a pointer the
 * heap never gave out (or twice) traps instead of corrupting the list.
 */
#include <stddef.h>
#include <stdint.h>

#include "sys/heap.h"

#define HEAP_MAGIC ((uintptr_t)0xa110cb10c4a110c8ull)
#define MIN_BLOCK (2 * sizeof(struct heap_block))

struct heap_block {
	size_t size; /* whole block, header included, a multiple of HEAP_ALIGN */
	union {
		struct heap_block *next; /* free */
		uintptr_t magic;	 /* allocated */
	};
};
_Static_assert(sizeof(struct heap_block) == HEAP_ALIGN, "header keeps payloads aligned");

static uintptr_t align_up(uintptr_t x)
{
	return (x + HEAP_ALIGN - 1) & ~(uintptr_t)(HEAP_ALIGN - 1);
}

static struct heap_block *block_of(const void *p)
{
	return (struct heap_block *)((uintptr_t)p - sizeof(struct heap_block));
}

static struct heap_block *block_end(const struct heap_block *b)
{
	return (struct heap_block *)((uintptr_t)b + b->size);
}

void heap_init(struct heap *h, void *mem, size_t size)
{
	uintptr_t start = align_up((uintptr_t)mem);
	uintptr_t end = ((uintptr_t)mem + size) & ~(uintptr_t)(HEAP_ALIGN - 1);

	h->free_list = NULL;
	h->free_bytes = 0;
	h->commit = NULL;
	h->decommit = NULL;
	h->ctx = NULL;
	h->start = start;
	h->end = start;
	if ((uintptr_t)mem + size < (uintptr_t)mem || end <= start || end - start < MIN_BLOCK)
		return;
	h->end = end;
	h->free_list = (struct heap_block *)start;
	h->free_list->size = end - start;
	h->free_list->next = NULL;
	h->free_bytes = end - start;
}

void heap_set_backing(struct heap *h, int (*commit)(void *, uintptr_t, uintptr_t),
		      void (*decommit)(void *, uintptr_t, uintptr_t), void *ctx)
{
	h->commit = commit;
	h->decommit = decommit;
	h->ctx = ctx;
}

/* Back [a, b) before writing there: 0, or non-zero when it cannot be. */
static int commit(struct heap *h, uintptr_t a, uintptr_t b)
{
	return h->commit ? h->commit(h->ctx, a, b) : 0;
}

/* The block size that holds `size` payload bytes, or 0 when too large. */
static size_t block_size_for(const struct heap *h, size_t size)
{
	if (size > h->end - h->start)
		return 0;
	size = align_up(size ? size : 1);
	return size + sizeof(struct heap_block);
}

/* Cut b down to `need` bytes when the rest can be a block; returns the
 * remainder (a block not on any list) or NULL. */
static struct heap_block *split(struct heap_block *b, size_t need)
{
	struct heap_block *rest;

	if (b->size - need < MIN_BLOCK)
		return NULL;
	rest = (struct heap_block *)((uintptr_t)b + need);
	rest->size = b->size - need;
	b->size = need;
	return rest;
}

void *heap_alloc(struct heap *h, size_t size)
{
	size_t need = block_size_for(h, size);
	struct heap_block **link;

	if (!need)
		return NULL;
	for (link = &h->free_list; *link; link = &(*link)->next) {
		struct heap_block *b = *link;
		struct heap_block *rest;

		if (b->size < need)
			continue;
		/* Its payload, and the remainder's header if it splits. */
		if (commit(h, (uintptr_t)b,
			   (uintptr_t)b + need + (b->size - need >= MIN_BLOCK ? sizeof(*b) : 0)))
			return NULL;
		rest = split(b, need);
		if (rest) {
			rest->next = b->next;
			*link = rest;
		} else {
			*link = b->next;
		}
		h->free_bytes -= b->size;
		b->magic = HEAP_MAGIC;
		return b + 1;
	}
	return NULL;
}

static void check_allocated(const struct heap *h, const struct heap_block *b)
{
	if ((uintptr_t)b < h->start || (uintptr_t)b >= h->end || b->magic != HEAP_MAGIC ||
	    b->size < MIN_BLOCK || b->size > h->end - (uintptr_t)b)
		__builtin_trap();
}

/* Put a block (not allocated, not listed) on the free list, merging;
 * then the interior of the free block it became may be dropped. */
static void insert_free(struct heap *h, struct heap_block *b)
{
	struct heap_block *m = b; /* the merged block */
	struct heap_block *prev = NULL;
	struct heap_block *next = h->free_list;

	while (next && next < b) {
		prev = next;
		next = next->next;
	}
	h->free_bytes += b->size;
	if (next && block_end(b) == next) {
		b->size += next->size;
		b->next = next->next;
	} else {
		b->next = next;
	}
	if (prev && block_end(prev) == b) {
		prev->size += b->size;
		prev->next = b->next;
		m = prev;
	} else if (prev) {
		prev->next = b;
	} else {
		h->free_list = b;
	}
	if (h->decommit)
		h->decommit(h->ctx, (uintptr_t)(m + 1), (uintptr_t)block_end(m));
}

void heap_free(struct heap *h, void *p)
{
	struct heap_block *b;

	if (!p)
		return;
	b = block_of(p);
	check_allocated(h, b);
	insert_free(h, b);
}

size_t heap_usable_size(const void *p)
{
	return block_of(p)->size - sizeof(struct heap_block);
}

/* Take the free block that starts right after b, if it makes b big enough. */
static int grow_in_place(struct heap *h, struct heap_block *b, size_t need)
{
	struct heap_block **link;

	for (link = &h->free_list; *link && *link < block_end(b); link = &(*link)->next)
		;
	if (*link != block_end(b) || b->size + (*link)->size < need)
		return 0;
	uintptr_t end = (uintptr_t)b + need + sizeof(*b), next_end = (uintptr_t)block_end(*link);
	if (commit(h, (uintptr_t)block_end(b), end < next_end ? end : next_end))
		return 0;
	h->free_bytes -= (*link)->size;
	b->size += (*link)->size;
	*link = (*link)->next;
	return 1;
}

void *heap_realloc(struct heap *h, void *p, size_t size)
{
	struct heap_block *b, *rest;
	size_t need;
	void *q;

	if (!p)
		return heap_alloc(h, size);
	if (size == 0) {
		heap_free(h, p);
		return NULL;
	}
	b = block_of(p);
	check_allocated(h, b);
	need = block_size_for(h, size);
	if (!need)
		return NULL;
	if (b->size >= need || grow_in_place(h, b, need)) {
		rest = split(b, need);
		if (rest)
			insert_free(h, rest);
		return p;
	}
	q = heap_alloc(h, size);
	if (!q)
		return NULL;
	__builtin_memcpy(q, p, b->size - sizeof(struct heap_block));
	heap_free(h, p);
	return q;
}

int heap_check(const struct heap *h)
{
	size_t bytes = 0;

	for (const struct heap_block *b = h->free_list; b; b = b->next) {
		uintptr_t a = (uintptr_t)b;

		if (a < h->start || a >= h->end || a % HEAP_ALIGN || b->size < MIN_BLOCK ||
		    b->size % HEAP_ALIGN || b->size > h->end - a)
			return -1;
		if (b->next && block_end(b) >= b->next)
			return -2; /* out of order, overlapping or uncoalesced */
		bytes += b->size;
	}
	return bytes == h->free_bytes ? 0 : -3;
}

void heap_walk(const struct heap *h, void (*fn)(void *arg, uintptr_t addr, size_t size, int used),
	       void *arg)
{
	const struct heap_block *f = h->free_list;

	for (uintptr_t a = h->start; a < h->end;) {
		const struct heap_block *b = (const struct heap_block *)a;
		int used = b != f;

		if (!used)
			f = f->next;
		fn(arg, a, b->size, used);
		a += b->size;
	}
}
