/*
 * Slab caches and the kheap size classes: see kernel/slab.h.
 *
 * Each slab page starts with a struct slab: a magic number and the owning
 * cache (so a free can be checked and kheap can find the size class), the
 * links of the cache list it sits on, a free list threaded through the
 * free objects themselves, and a bitmap of allocated objects that makes
 * double-free detection exact and O(1).
 *
 * A slab is on one of three places: `partial` (some objects free), `full`
 * (none free) or `empty` (all free, at most one kept so that an alloc/free
 * pair at a page boundary does not call the page source every time).
 */
#include <kernel/slab.h>

#define SLAB_MAGIC 0x736c616263616368ull /* "slabcach" */
#define SLAB_MIN_ALIGN sizeof(void *)
#define SLAB_MAX_OBJS (SLAB_PAGE_SIZE / SLAB_MIN_ALIGN)
#define SLAB_BITMAP_WORDS (SLAB_MAX_OBJS / 64)

struct slab {
	uint64_t magic;
	struct slab_cache *cache;
	struct slab *prev;
	struct slab *next;
	void *free_list; /* next pointer stored in each free object */
	size_t in_use;
	uint64_t allocated[SLAB_BITMAP_WORDS];
};

static size_t round_up(size_t v, size_t align)
{
	return (v + align - 1) & ~(align - 1);
}

static void slab_list_push(struct slab **head, struct slab *s)
{
	s->prev = NULL;
	s->next = *head;
	if (*head)
		(*head)->prev = s;
	*head = s;
}

static void slab_list_remove(struct slab **head, struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		*head = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->prev = NULL;
	s->next = NULL;
}

static void *slab_obj(const struct slab_cache *c, struct slab *s, size_t i)
{
	return (char *)s + c->first_obj + i * c->stride;
}

int slab_cache_init(struct slab_cache *c, const char *name, size_t obj_size, size_t align,
		    const struct slab_page_source *src)
{
	if (align == 0)
		align = SLAB_MIN_ALIGN;
	if ((align & (align - 1)) != 0 || align >= SLAB_PAGE_SIZE || obj_size == 0 ||
	    obj_size > SLAB_MAX_OBJ_SIZE)
		return SLAB_EINVAL;
	if (align < SLAB_MIN_ALIGN)
		align = SLAB_MIN_ALIGN; /* free objects hold a pointer */

	c->name = name;
	c->obj_size = obj_size;
	c->stride = round_up(obj_size, align);
	c->first_obj = round_up(sizeof(struct slab), align);
	if (c->first_obj + c->stride > SLAB_PAGE_SIZE)
		return SLAB_EINVAL;
	c->objs_per_slab = (SLAB_PAGE_SIZE - c->first_obj) / c->stride;
	c->src = *src;
	c->partial = NULL;
	c->full = NULL;
	c->empty = NULL;
	c->in_use = 0;
	c->pages = 0;
	return SLAB_OK;
}

/* Take a page from the source and format it as an all-free slab. */
static struct slab *slab_create(struct slab_cache *c)
{
	struct slab *s = c->src.page_alloc(c->src.ctx);

	if (!s)
		return NULL;
	s->magic = SLAB_MAGIC;
	s->cache = c;
	s->prev = NULL;
	s->next = NULL;
	s->in_use = 0;
	s->free_list = NULL;
	for (size_t w = 0; w < SLAB_BITMAP_WORDS; w++)
		s->allocated[w] = 0;
	/* Build the list backwards so objects go out in address order. */
	for (size_t i = c->objs_per_slab; i-- > 0;) {
		void **obj = slab_obj(c, s, i);

		*obj = s->free_list;
		s->free_list = obj;
	}
	c->pages++;
	return s;
}

static void slab_destroy(struct slab_cache *c, struct slab *s)
{
	/* A stale free into a recycled page must not find a valid header. */
	s->magic = 0;
	s->cache = NULL;
	c->pages--;
	c->src.page_free(c->src.ctx, s);
}

void *slab_alloc(struct slab_cache *c)
{
	struct slab *s = c->partial;
	void **obj;
	size_t i;

	if (!s) {
		s = c->empty;
		c->empty = NULL;
		if (!s)
			s = slab_create(c);
		if (!s)
			return NULL;
		slab_list_push(&c->partial, s);
	}
	obj = s->free_list;
	s->free_list = *obj;
	i = ((size_t)((char *)obj - (char *)s) - c->first_obj) / c->stride;
	s->allocated[i / 64] |= (uint64_t)1 << (i % 64);
	s->in_use++;
	c->in_use++;
	if (s->in_use == c->objs_per_slab) {
		slab_list_remove(&c->partial, s);
		slab_list_push(&c->full, s);
	}
	return obj;
}

/* The slab page holding `obj`, if its header looks like one. */
static struct slab *slab_of(const void *obj)
{
	struct slab *s = (struct slab *)((uintptr_t)obj & ~(uintptr_t)(SLAB_PAGE_SIZE - 1));

	if (!obj || s->magic != SLAB_MAGIC)
		return NULL;
	return s;
}

struct slab_cache *slab_cache_of(const void *obj)
{
	struct slab *s = slab_of(obj);

	return s ? s->cache : NULL;
}

int slab_free(struct slab_cache *c, void *obj)
{
	struct slab *s = slab_of(obj);
	size_t off, i;
	uint64_t bit;

	if (!s || s->cache != c)
		return SLAB_EBADPTR;
	off = (size_t)((char *)obj - (char *)s);
	if (off < c->first_obj || (off - c->first_obj) % c->stride != 0)
		return SLAB_EBADPTR;
	i = (off - c->first_obj) / c->stride;
	if (i >= c->objs_per_slab)
		return SLAB_EBADPTR;
	bit = (uint64_t)1 << (i % 64);
	if (!(s->allocated[i / 64] & bit))
		return SLAB_EDOUBLEFREE;

	s->allocated[i / 64] &= ~bit;
	*(void **)obj = s->free_list;
	s->free_list = obj;
	c->in_use--;
	if (s->in_use-- == c->objs_per_slab) {
		slab_list_remove(&c->full, s);
		slab_list_push(&c->partial, s);
	}
	if (s->in_use == 0) {
		slab_list_remove(&c->partial, s);
		if (c->empty)
			slab_destroy(c, s);
		else
			c->empty = s;
	}
	return SLAB_OK;
}

size_t slab_cache_in_use(const struct slab_cache *c)
{
	return c->in_use;
}

size_t slab_cache_pages(const struct slab_cache *c)
{
	return c->pages;
}

void slab_cache_shrink(struct slab_cache *c)
{
	if (c->empty) {
		slab_destroy(c, c->empty);
		c->empty = NULL;
	}
}

/*
 * kheap: one slab cache per power of two from 16 to 2048 bytes.
 *
 * FIXME: the in-page header leaves room for a single 2048-byte object per
 * page (and three of 1024); an off-page header for large classes would
 * halve that waste once the kernel uses them heavily.
 */
#define KHEAP_ALIGN 16

void kheap_init(struct kheap *h, const struct slab_page_source *src)
{
	static const char *const names[KHEAP_NCLASSES] = {
		"kheap-16",  "kheap-32",  "kheap-64",	"kheap-128",
		"kheap-256", "kheap-512", "kheap-1024", "kheap-2048",
	};

	for (unsigned i = 0; i < KHEAP_NCLASSES; i++)
		(void)slab_cache_init(&h->classes[i], names[i], (size_t)1 << (KHEAP_MIN_SHIFT + i),
				      KHEAP_ALIGN, src);
}

void *kheap_alloc(struct kheap *h, size_t size)
{
	unsigned shift = KHEAP_MIN_SHIFT;

	if (size == 0 || size > ((size_t)1 << KHEAP_MAX_SHIFT))
		return NULL;
	while (((size_t)1 << shift) < size)
		shift++;
	return slab_alloc(&h->classes[shift - KHEAP_MIN_SHIFT]);
}

int kheap_free(struct kheap *h, void *obj)
{
	struct slab_cache *c;

	if (!obj)
		return SLAB_OK;
	c = slab_cache_of(obj);
	for (unsigned i = 0; i < KHEAP_NCLASSES; i++)
		if (c == &h->classes[i])
			return slab_free(c, obj);
	return SLAB_EBADPTR;
}
