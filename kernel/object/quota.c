/*
 * Quotas: every kernel object and page a task causes to exist is charged
 * to a quota, so no task can exhaust kernel memory, and the charge is the
 * frames it really takes (kernel/object.h). Running out is an error code
 * for the caller, never a panic.
 *
 * Entry points: quota_charge, quota_refund, quota_put, quota_create_root;
 * kobj_alloc, kobj_free, kobj_page_alloc, kobj_page_free, quota_kmalloc,
 * quota_kfree; quota_invoke (QUOTA_CREATE, QUOTA_SPLIT, QUOTA_QUERY).
 */
#include "kernel/objects.h"

#include "arch/page_ops.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "common/string.h"
#include "kernel/tcb.h"
#include "tern/caps.h"
#include "tern/invocation.h"
#include "tern/msginfo.h"

#define KHEAP_MAX SLAB_MAX_OBJ_SIZE
/* The largest page-backed object: a CNode of radix 16 (2^16 56-byte slots
 * and its header round up to 4 MiB). */
#define KOBJ_MAX_ORDER 10

int quota_charge(struct quota *q, uint64_t bytes)
{
	if (q->used + bytes > q->limit || q->used + bytes < q->used)
		return TERN_ENOT_ENOUGH_MEMORY;
	q->used += bytes;
	q->refs++;
	return TERN_EOK;
}

void quota_divide_charge(struct quota *q, uint64_t parts)
{
	q->refs += parts - 1; /* each part is refunded on its own */
}

void quota_refund(struct quota *q, uint64_t bytes)
{
	assert(q->used >= bytes);
	q->used -= bytes;
	quota_put(q);
}

static void quota_hold(struct quota *q)
{
	q->refs++;
}

static void heap_free(struct quota *q, void *obj);

/*
 * Drop a reference. The last one (capability gone, nothing charged: so
 * its heap holds no page) frees the quota's object from its parent's heap
 * and gives the parent back the budget split off for it. A loop, not a
 * recursion: a chain of split quotas can be long.
 */
void quota_put(struct quota *q)
{
	while (q) {
		assert(q->refs > 0);
		if (--q->refs > 0)
			return;
		struct quota *parent = q->hdr.quota;
		if (!parent)
			return; /* the root quota: kept (the root CNode is charged to it) */
		uint64_t limit = q->limit;
		quota_hold(parent); /* freeing q may refund a slab page to it */
		heap_free(parent, q);
		assert(parent->used >= limit && parent->refs >= 2);
		parent->used -= limit;
		parent->refs -= 2; /* the split's charge and our hold */
		if (parent->refs > 0)
			return;
		parent->refs = 1; /* let the loop drop it as the last one */
		q = parent;
	}
}

/* The slab pages of a quota's heap, charged to it. */
static void *heap_page_alloc(void *ctx)
{
	struct quota *q = ctx;

	if (quota_charge(q, PAGE_SIZE) != TERN_EOK)
		return NULL;
	uint64_t pa = page_alloc();
	if (!pa) {
		quota_refund(q, PAGE_SIZE);
		return NULL;
	}
	return phys_to_virt(pa);
}

static void heap_page_free(void *ctx, void *page)
{
	page_free(virt_to_phys(page));
	quota_refund(ctx, PAGE_SIZE);
}

static void quota_heap_init(struct quota *q)
{
	struct slab_page_source src = { heap_page_alloc, heap_page_free, q };

	kheap_init(&q->heap, &src);
}

/* Free a small object of q's heap and give back a slab it emptied (an
 * empty slab would keep q charged, and alive, after its last object). */
static void heap_free(struct quota *q, void *obj)
{
	struct slab_cache *c = slab_cache_of(obj);

	quota_hold(q);
	if (kheap_free(&q->heap, obj) != SLAB_OK)
		panic("quota %p: bad free of %p", q, obj);
	slab_cache_shrink(c);
	quota_put(q);
}

struct quota *quota_create_root(uint64_t limit)
{
	struct quota *q = kmalloc(sizeof(*q));

	if (!q)
		panic("quota: no memory for the root quota");
	memset(q, 0, sizeof(*q));
	q->hdr.type = TERN_CAP_QUOTA;
	q->limit = limit;
	q->refs = 1;
	quota_heap_init(q);
	return q;
}

void *quota_kmalloc(struct quota *q, size_t size)
{
	return size <= KHEAP_MAX ? kheap_alloc(&q->heap, size) : NULL;
}

void quota_kfree(struct quota *q, void *p)
{
	if (p)
		heap_free(q, p);
}

static unsigned page_order(uint64_t bytes)
{
	unsigned order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

void *kobj_alloc(struct quota *q, uint32_t type, size_t size)
{
	void *p;
	uint32_t recorded = (uint32_t)size;

	if (size <= KHEAP_MAX) {
		p = quota_kmalloc(q, size);
	} else {
		unsigned order = page_order(size);
		uint64_t charge = PAGE_SIZE << order;
		if (order > KOBJ_MAX_ORDER || quota_charge(q, charge) != TERN_EOK)
			return NULL;
		uint64_t pa = pages_alloc(order);
		if (!pa) {
			quota_refund(q, charge);
			return NULL;
		}
		p = phys_to_virt(pa);
		recorded = (uint32_t)charge;
	}
	if (!p)
		return NULL;
	memset(p, 0, size);
	struct kobj *h = p;
	h->type = type;
	h->size = recorded;
	h->quota = q;
	if (type == TERN_CAP_QUOTA)
		quota_heap_init(p);
	return p;
}

void kobj_free(void *obj)
{
	struct kobj *h = obj;
	struct quota *q = h->quota;
	uint64_t size = h->size;

	if (size <= KHEAP_MAX) {
		heap_free(q, obj);
	} else {
		pages_free(virt_to_phys(obj), page_order(size));
		quota_refund(q, size);
	}
}

uint64_t kobj_page_alloc(struct quota *q)
{
	if (quota_charge(q, PAGE_SIZE) != TERN_EOK)
		return 0;
	uint64_t pa = page_alloc();
	if (!pa) {
		quota_refund(q, PAGE_SIZE);
		return 0;
	}
	pages_zero(phys_to_virt(pa), PAGE_SIZE);
	return pa;
}

void kobj_page_free(struct quota *q, uint64_t pa)
{
	page_free(pa);
	quota_refund(q, PAGE_SIZE);
}

/* QUOTA_SPLIT: a child quota of `bytes`, charged to q (its object is in
 * q's heap). */
static int quota_split(struct quota *q, uint64_t bytes, struct cte *dst)
{
	if (!cap_is_null(&dst->cap))
		return TERN_EDELETE_FIRST;
	struct quota *child = kobj_alloc(q, TERN_CAP_QUOTA, sizeof(struct quota));
	if (!child)
		return TERN_ENOT_ENOUGH_MEMORY;
	if (quota_charge(q, bytes) != TERN_EOK) {
		kobj_free(child);
		return TERN_ENOT_ENOUGH_MEMORY;
	}
	child->limit = bytes;
	child->refs = 1;
	struct cap c = { .type = TERN_CAP_QUOTA, .rights = TERN_RIGHTS_ALL, .obj = child };
	cte_insert_original(dst, &c);
	return TERN_EOK;
}

int quota_invoke(struct tcb *t, struct cap *cap, uint64_t label)
{
	struct quota *q = cap->obj;
	struct cte *dst;
	int err;

	switch (label) {
	case TERN_INV_QUOTA_CREATE: {
		uint64_t type = msg_word(t, 0);
		if ((err = lookup_dest_slot(t, msg_word(t, 2), msg_word(t, 3), msg_word(t, 4),
					    &dst)))
			return err;
		if (type == TERN_CAP_QUOTA || type == TERN_CAP_IRQ_CONTROL ||
		    type == TERN_CAP_IRQ_HANDLER || type == TERN_CAP_IOPORT ||
		    type >= TERN_CAP_TYPE_COUNT || type == TERN_CAP_NULL)
			return TERN_EINVALID_ARGUMENT;
		return object_create(q, (unsigned)type, msg_word(t, 1), dst);
	}
	case TERN_INV_QUOTA_SPLIT:
		if ((err = lookup_dest_slot(t, msg_word(t, 1), msg_word(t, 2), msg_word(t, 3),
					    &dst)))
			return err;
		return quota_split(q, msg_word(t, 0), dst);
	case TERN_INV_QUOTA_QUERY:
		msg_set_word(t, 0, q->used);
		msg_set_word(t, 1, q->limit);
		t->ctx.rsi = tern_msginfo(0, 0, 2);
		return TERN_EOK;
	default:
		return TERN_EILLEGAL_OPERATION;
	}
}
