/*
 * Slab caches of fixed-size kernel objects, and kheap, a kmalloc-style
 * layer of power-of-two size classes on top of them.
 *
 * A slab is one 4 KiB page, 4096-aligned, with its header at the start
 * and objects after it, so the slab of an object is `obj & ~4095`. Pages
 * come from a caller-supplied source (the kernel's direct-map page
 * allocator; aligned_alloc in host tests). No locks: the caller
 * serialises calls on one cache.
 *
 * Entry points: slab_cache_init, slab_alloc, slab_free, slab_cache_in_use,
 * slab_cache_pages, slab_cache_shrink, slab_cache_of; kheap_init,
 * kheap_alloc, kheap_free.
 */
#ifndef KERNEL_SLAB_H
#define KERNEL_SLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLAB_PAGE_SIZE 4096
#define SLAB_MAX_OBJ_SIZE 2048

/* Error codes of slab_cache_init, slab_free and kheap_free. */
#define SLAB_OK 0
#define SLAB_EINVAL (-1)      /* bad size or alignment for a cache */
#define SLAB_EBADPTR (-2)     /* not an object of this cache */
#define SLAB_EDOUBLEFREE (-3) /* object is already free */

struct slab_page_source {
	void *(*page_alloc)(void *ctx); /* one 4096-aligned page, or NULL */
	void (*page_free)(void *ctx, void *page);
	void *ctx;
};

struct slab; /* page header, private to slab.c */

struct slab_cache {
	const char *name;
	size_t obj_size;  /* as requested */
	size_t stride;	  /* obj_size rounded up to the alignment */
	size_t first_obj; /* offset of object 0 within the page */
	size_t objs_per_slab;
	struct slab_page_source src;
	struct slab *partial; /* some objects free */
	struct slab *full;    /* no object free */
	struct slab *empty;   /* at most one slab with every object free */
	size_t in_use;	      /* objects handed out */
	size_t pages;	      /* slabs held, the cached empty one included */
};

/*
 * Set up a cache of objects of obj_size bytes (at most SLAB_MAX_OBJ_SIZE)
 * aligned to `align` (a power of two, 0 meaning pointer alignment). `name`
 * is kept by reference for diagnostics. Returns SLAB_EINVAL for a size or
 * alignment no slab page can hold.
 */
int slab_cache_init(struct slab_cache *c, const char *name, size_t obj_size, size_t align,
		    const struct slab_page_source *src);

/* One object, or NULL when the page source is exhausted. */
void *slab_alloc(struct slab_cache *c);

/*
 * Give back an object from slab_alloc on this cache. A pointer that is not
 * the start of an object in one of this cache's slabs, or an object that
 * is already free, is refused with SLAB_EBADPTR or SLAB_EDOUBLEFREE. The
 * slab header is read to decide, so `obj` must lie in a mapped page.
 */
int slab_free(struct slab_cache *c, void *obj);

size_t slab_cache_in_use(const struct slab_cache *c);
size_t slab_cache_pages(const struct slab_cache *c);

/* Return the cached empty slab to the page source. */
void slab_cache_shrink(struct slab_cache *c);

/* The cache owning the slab page that holds `obj`, or NULL. */
struct slab_cache *slab_cache_of(const void *obj);

/* Size classes 16, 32, ..., 2048 bytes. */
#define KHEAP_MIN_SHIFT 4
#define KHEAP_MAX_SHIFT 11
#define KHEAP_NCLASSES (KHEAP_MAX_SHIFT - KHEAP_MIN_SHIFT + 1)

struct kheap {
	struct slab_cache classes[KHEAP_NCLASSES];
};

void kheap_init(struct kheap *h, const struct slab_page_source *src);

/* At least `size` bytes aligned to 16; NULL for 0, > 2048 or no memory. */
void *kheap_alloc(struct kheap *h, size_t size);

/* Free a kheap_alloc object; NULL is a no-op. Returns a SLAB_E* code. */
int kheap_free(struct kheap *h, void *obj);

#endif
