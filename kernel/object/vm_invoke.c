/*
 * VSpace and MemObj invocations. Each has a decode step that validates
 * the arguments and allocates everything the change needs (it may fail
 * and then changes nothing), then an invoke step that cannot fail.
 */
#include "kernel/mm.h"
#include "kernel/objects.h"
#include "common/string.h"
#include "kernel/preempt.h"
#include "kernel/tcb.h"
#include "kernel/vm.h"
#include "tern/invocation.h"

/* A rights word of MAP (with its TERN_MAP_* flags) or PROTECT: readable,
 * W^X unless TERN_MAP_WX, no unknown bit anywhere in the 64-bit word. */
static int decode_rights(uint64_t word, uint32_t flags, uint32_t *rights)
{
	if (word & ~(uint64_t)(VM_RIGHTS | flags) || !(word & TERN_RIGHT_READ))
		return TERN_EINVALID_ARGUMENT;
	if ((word & TERN_RIGHT_WRITE) && (word & TERN_RIGHT_EXEC) && !(word & TERN_MAP_WX))
		return TERN_EINVALID_ARGUMENT;
	*rights = (uint32_t)word;
	return TERN_EOK;
}

static int range_ok(uint64_t vaddr, uint64_t pages)
{
	if ((vaddr & (PAGE_SIZE - 1)) || pages == 0)
		return TERN_EALIGNMENT_ERROR;
	if (vaddr >= USER_TOP || pages > (USER_TOP - vaddr) / PAGE_SIZE)
		return TERN_ERANGE_ERROR;
	return TERN_EOK;
}

static int vspace_map_decode(struct tcb *t, struct vspace *vs)
{
	uint64_t vaddr = msg_word(t, 0), first = msg_word(t, 1), pages = msg_word(t, 2);
	uint32_t rights;
	struct cte *m;

	if (msg_cap(t, 0, &m) || m->cap.type != TERN_CAP_MEMOBJ)
		return TERN_EINVALID_CAPABILITY;
	struct memobj *obj = m->cap.obj;
	if (obj->dying || vs->dying)
		return TERN_EILLEGAL_OPERATION;
	int err = range_ok(vaddr, pages);
	if (err)
		return err;
	if (first >= obj->npages || pages > obj->npages - first)
		return TERN_ERANGE_ERROR;
	if ((err = decode_rights(msg_word(t, 3), TERN_MAP_POPULATE | TERN_MAP_WX | TERN_MAP_SMALL,
				 &rights)))
		return err;
	if ((rights & ~m->cap.rights & VM_RIGHTS) || ((rights & TERN_RIGHT_WRITE) && obj->readonly))
		return TERN_EINSUFFICIENT_RIGHTS;
	uint32_t max = m->cap.rights & VM_RIGHTS;
	if (obj->readonly)
		max &= ~TERN_RIGHT_WRITE;
	if ((err = vspace_map_check(vs, vaddr, pages)))
		return err == TERN_EDELETE_FIRST && (rights & TERN_MAP_POPULATE)
			       ? vspace_populate_resume(vs, vaddr, pages, obj, first, rights,
							preempt_point)
			       : err;
	struct mapping *mp = vspace_mapping_alloc(vs);
	if (!mp)
		return TERN_ENOT_ENOUGH_MEMORY;
	return vspace_map_install(vs, mp, vaddr, obj, first, pages, rights, max, preempt_point);
}

static int vspace_unmap_decode(struct tcb *t, struct vspace *vs)
{
	uint64_t vaddr = msg_word(t, 0), pages = msg_word(t, 1);
	struct vspace_reserve r;
	int err = range_ok(vaddr, pages);

	if (err || (err = vspace_reserve(vs, vaddr, vaddr + pages * PAGE_SIZE, &r)))
		return err;
	vspace_unmap(vs, vaddr, pages, &r);
	vspace_reserve_release(vs, &r);
	return TERN_EOK;
}

static int vspace_protect_decode(struct tcb *t, struct vspace *vs)
{
	uint64_t vaddr = msg_word(t, 0), pages = msg_word(t, 1);
	struct vspace_reserve r;
	uint32_t rights;
	int err = range_ok(vaddr, pages);

	if (err || (err = decode_rights(msg_word(t, 2), TERN_MAP_WX, &rights)))
		return err;
	if ((err = vspace_protect_check(vs, vaddr, pages, rights)))
		return err;
	if ((err = vspace_reserve(vs, vaddr, vaddr + pages * PAGE_SIZE, &r)))
		return err;
	vspace_protect(vs, vaddr, pages, rights, &r);
	vspace_reserve_release(vs, &r);
	return TERN_EOK;
}

int vspace_invoke(struct tcb *t, struct cap *cap, uint64_t label)
{
	switch (label) {
	case TERN_INV_VSPACE_MAP:
		return vspace_map_decode(t, cap->obj);
	case TERN_INV_VSPACE_UNMAP:
		return vspace_unmap_decode(t, cap->obj);
	case TERN_INV_VSPACE_PROTECT:
		return vspace_protect_decode(t, cap->obj);
	case TERN_INV_VSPACE_QUERY: {
		uint64_t phys;
		uint32_t rights;
		uint32_t flags = vspace_query(cap->obj, msg_word(t, 0), &phys, &rights);
		msg_set_word(t, 0, flags);
		msg_set_word(t, 1, phys);
		msg_set_word(t, 2, rights);
		t->ctx.rsi = tern_msginfo(0, 0, 3);
		return TERN_EOK;
	}
	default:
		return TERN_EILLEGAL_OPERATION;
	}
}

/*
 * A clone needs the read right on the source (it exposes every byte), is
 * charged to the quota sent with the call (fork charges the child) and
 * its cap carries no more rights than the source cap. A large clone stops
 * at preemption points: the partial clone stays with the source and the
 * call, executed again, continues it if it names the same slot and quota
 * (otherwise the partial clone is dropped and a new one starts).
 */
static int memobj_clone_decode(struct tcb *t, struct cap *cap)
{
	struct memobj *m = cap->obj;
	struct cte *dst, *qslot;

	if (!(cap->rights & TERN_RIGHT_READ))
		return TERN_EINSUFFICIENT_RIGHTS;
	int err = msg_cap(t, 0, &qslot);
	if (err)
		return err;
	if (qslot->cap.type != TERN_CAP_QUOTA)
		return TERN_EINVALID_CAPABILITY;
	if ((err = lookup_dest_slot(t, msg_word(t, 0), msg_word(t, 1), msg_word(t, 2), &dst)))
		return err;
	if (m->kind != MEMOBJ_ANON || m->pins || m->dying)
		err = TERN_EILLEGAL_OPERATION;
	else if (!cap_is_null(&dst->cap))
		err = TERN_EDELETE_FIRST;
	if (err) {
		/* A partial clone that can no longer complete goes now rather
		 * than hold its pages until the next clone of the source. */
		if (m->clone_slot == dst)
			memobj_clone_cancel(m);
		return err;
	}
	struct quota *q = qslot->cap.obj;
	if (m->clone_dst && (m->clone_slot != dst || m->clone_dst->hdr.quota != q))
		memobj_clone_cancel(m);
	struct memobj *c = m->clone_dst;
	if (!c) {
		if (!(c = kobj_alloc(q, TERN_CAP_MEMOBJ, sizeof(*c))))
			return TERN_ENOT_ENOUGH_MEMORY;
		if ((err = memobj_init_anon(c, m->npages))) {
			kobj_free(c);
			return err;
		}
		m->clone_dst = c;
		m->clone_slot = dst;
		m->clone_next = 0;
	}
	err = memobj_clone_pages(m, c, &m->clone_next);
	if (err == PREEMPT_RESTART)
		return err;
	m->clone_dst = NULL;
	m->clone_slot = NULL;
	if (err) {
		/* Built whole or not at all: the source is as it was. */
		memobj_destroy(c);
		kobj_free(c);
		return err;
	}
	struct cap clone = { .type = TERN_CAP_MEMOBJ,
			     .rights = cap->rights & TERN_RIGHTS_ALL,
			     .obj = c };
	cte_insert_original(dst, &clone);
	return TERN_EOK;
}

int memobj_invoke(struct tcb *t, struct cap *cap, uint64_t label)
{
	struct memobj *m = cap->obj;

	switch (label) {
	case TERN_INV_MEMOBJ_SIZE:
		msg_set_word(t, 0, m->npages);
		msg_set_word(t, 1, m->mappings != NULL);
		/* The pages it holds (an anonymous object's, shared ones
		 * included): what a server charges a process for. */
		msg_set_word(t, 2,
			     m->kind == MEMOBJ_ANON
				     ? m->pages.small + m->pages.huge * PAGETREE_HUGE_PAGES
				     : m->npages);
		t->ctx.rsi = tern_msginfo(0, 0, 3);
		return TERN_EOK;
	case TERN_INV_MEMOBJ_CLONE:
		return memobj_clone_decode(t, cap);
	default:
		return TERN_EILLEGAL_OPERATION;
	}
}
