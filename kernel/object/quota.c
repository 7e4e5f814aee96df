/*
 * Quotas: every kernel object and page a task causes to exist is charged
 * to a quota, so no task can exhaust kernel memory. Running out is an
 * error code for the caller, never a panic.
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

#define KHEAP_MAX 2048

int quota_charge(struct quota *q, uint64_t bytes)
{
	if (q->used + bytes > q->limit || q->used + bytes < q->used)
		return TERN_ENOT_ENOUGH_MEMORY;
	q->used += bytes;
	q->refs++;
	return TERN_EOK;
}

void quota_put(struct quota *q)
{
	assert(q->refs > 0);
	if (--q->refs > 0)
		return;
	/* The last reference: the quota's object and its budget go back to
	 * the parent it was split from (two charges, two references). */
	struct quota *parent = q->hdr.quota;
	uint64_t limit = q->limit, size = q->hdr.size;
	kfree(q);
	if (parent) {
		quota_refund(parent, limit);
		quota_refund(parent, size);
	}
}

void quota_refund(struct quota *q, uint64_t bytes)
{
	assert(q->used >= bytes);
	q->used -= bytes;
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
	return q;
}

void *kobj_alloc(struct quota *q, uint32_t type, size_t size)
{
	uint64_t charge = size <= KHEAP_MAX ? size : ALIGN_UP(size, PAGE_SIZE);
	unsigned order = 0;

	while ((PAGE_SIZE << order) < charge)
		order++;
	if (order > 8 || quota_charge(q, charge) != TERN_EOK)
		return NULL;
	void *p;
	if (size <= KHEAP_MAX) {
		p = kmalloc(size);
	} else {
		uint64_t pa = pages_alloc(order);
		p = pa ? phys_to_virt(pa) : NULL;
	}
	if (!p) {
		quota_refund(q, charge);
		return NULL;
	}
	memset(p, 0, size);
	struct kobj *h = p;
	h->type = type;
	h->size = (uint32_t)charge;
	h->quota = q;
	return p;
}

void kobj_free(void *obj)
{
	struct kobj *h = obj;
	struct quota *q = h->quota;
	uint64_t charge = h->size;

	if (charge <= KHEAP_MAX) {
		kfree(obj);
	} else {
		unsigned order = 0;
		while ((PAGE_SIZE << order) < charge)
			order++;
		pages_free(virt_to_phys(obj), order);
	}
	quota_refund(q, charge);
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

/* QUOTA_CREATE, QUOTA_SPLIT, QUOTA_QUERY. */
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
	case TERN_INV_QUOTA_SPLIT: {
		uint64_t bytes = msg_word(t, 0);
		if ((err = lookup_dest_slot(t, msg_word(t, 1), msg_word(t, 2), msg_word(t, 3),
					    &dst)))
			return err;
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
	case TERN_INV_QUOTA_QUERY:
		msg_set_word(t, 0, q->used);
		msg_set_word(t, 1, q->limit);
		t->ctx.rsi = tern_msginfo(0, 0, 2);
		return TERN_EOK;
	default:
		return TERN_EILLEGAL_OPERATION;
	}
}
