/*
 * The kernel heap: size-class slab caches (kernel/mm/slab.c) fed with
 * direct-mapped pages from the physical allocator. Objects larger than the
 * largest class are not served: kernel objects are small by design, and
 * big buffers are whole pages from page_alloc.
 */
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/slab.h"

static struct kheap heap;

static void *heap_page_alloc(void *ctx)
{
	(void)ctx;
	uint64_t pa = page_alloc();
	return pa ? phys_to_virt(pa) : NULL;
}

static void heap_page_free(void *ctx, void *page)
{
	(void)ctx;
	page_free(virt_to_phys(page));
}

static const struct slab_page_source heap_pages = {
	.page_alloc = heap_page_alloc,
	.page_free = heap_page_free,
};

void kheap_setup(void)
{
	kheap_init(&heap, &heap_pages);
}

void *kmalloc(size_t size)
{
	return kheap_alloc(&heap, size);
}

void kfree(void *p)
{
	int err = kheap_free(&heap, p);

	if (err)
		panic("kfree: bad free of %p (%d)", p, err);
}

uint64_t kheap_pages(void)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < KHEAP_NCLASSES; i++)
		n += slab_cache_pages(&heap.classes[i]);
	return n;
}
