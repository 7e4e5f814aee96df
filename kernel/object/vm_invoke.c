/* VSpace and MemObj invocations. */
#include "kernel/mm.h"
#include "kernel/objects.h"
#include "kernel/tcb.h"
#include "kernel/vm.h"
#include "tern/invocation.h"
#include "kernel/string.h"

/* Readable, W^X unless TERN_MAP_WX, no unknown bits. */
static bool rights_valid(uint32_t rights, uint32_t flags)
{
	if (!(rights & TERN_RIGHT_READ) || (rights & ~(TERN_RIGHTS_ALL | flags)))
		return false;
	return !((rights & TERN_RIGHT_WRITE) && (rights & TERN_RIGHT_EXEC) &&
		 !(rights & TERN_MAP_WX));
}

static int range_ok(uint64_t vaddr, uint64_t pages)
{
	if ((vaddr & (PAGE_SIZE - 1)) || pages == 0)
		return TERN_EALIGNMENT_ERROR;
	if (vaddr >= USER_TOP || pages > (USER_TOP - vaddr) / PAGE_SIZE)
		return TERN_ERANGE_ERROR;
	return TERN_EOK;
}

static int decode_map(struct tcb *t, struct cap *cap)
{
	uint64_t vaddr = msg_word(t, 0), first = msg_word(t, 1), pages = msg_word(t, 2);
	uint32_t rights = (uint32_t)msg_word(t, 3);
	struct cte *m;

	if (msg_cap(t, 0, &m) || m->cap.type != TERN_CAP_MEMOBJ)
		return TERN_EINVALID_CAPABILITY;
	struct memobj *obj = m->cap.obj;
	int err = range_ok(vaddr, pages);
	if (err)
		return err;
	if (first >= obj->npages || pages > obj->npages - first)
		return TERN_ERANGE_ERROR;
	if (!rights_valid(rights, TERN_MAP_POPULATE | TERN_MAP_WX))
		return TERN_EINVALID_ARGUMENT;
	if ((rights & ~m->cap.rights & (TERN_RIGHT_READ | TERN_RIGHT_WRITE | TERN_RIGHT_EXEC)) ||
	    ((rights & TERN_RIGHT_WRITE) && obj->readonly))
		return TERN_EINSUFFICIENT_RIGHTS;
	uint32_t max = m->cap.rights & (TERN_RIGHT_READ | TERN_RIGHT_WRITE | TERN_RIGHT_EXEC);
	if (obj->readonly)
		max &= ~TERN_RIGHT_WRITE;
	return vspace_map(cap->obj, vaddr, obj, first, pages, rights, max);
}

int vspace_invoke(struct tcb *t, struct cap *cap, uint64_t label)
{
	switch (label) {
	case TERN_INV_VSPACE_MAP:
		return decode_map(t, cap);
	case TERN_INV_VSPACE_UNMAP: {
		uint64_t vaddr = msg_word(t, 0), pages = msg_word(t, 1);
		int err = range_ok(vaddr, pages);
		return err ? err : vspace_unmap(cap->obj, vaddr, pages);
	}
	case TERN_INV_VSPACE_PROTECT: {
		uint64_t vaddr = msg_word(t, 0), pages = msg_word(t, 1);
		uint32_t rights = (uint32_t)msg_word(t, 2);
		int err = range_ok(vaddr, pages);
		if (err)
			return err;
		if (!rights_valid(rights, TERN_MAP_WX) || msg_word(t, 2) >> 32)
			return TERN_EINVALID_ARGUMENT;
		return vspace_protect(cap->obj, vaddr, pages, rights);
	}
	case TERN_INV_VSPACE_QUERY: {
		uint64_t phys;
		uint32_t flags = vspace_query(cap->obj, msg_word(t, 0), &phys);
		msg_set_word(t, 0, flags);
		msg_set_word(t, 1, phys);
		t->ctx.rsi = tern_msginfo(0, 0, 2);
		return TERN_EOK;
	}
	default:
		return TERN_EILLEGAL_OPERATION;
	}
}

static int decode_clone(struct tcb *t, struct memobj *m)
{
	struct cte *dst;
	int err = lookup_dest_slot(t, msg_word(t, 0), msg_word(t, 1), msg_word(t, 2), &dst);

	if (err)
		return err;
	if (m->kind != MEMOBJ_ANON || m->pins)
		return TERN_EILLEGAL_OPERATION;
	if (!cap_is_null(&dst->cap))
		return TERN_EDELETE_FIRST;
	/* The clone is charged to the same quota as its source. */
	struct memobj *c = kobj_alloc(m->hdr.quota, TERN_CAP_MEMOBJ, sizeof(*c));
	if (!c)
		return TERN_ENOT_ENOUGH_MEMORY;
	if ((err = memobj_clone(m, c))) {
		kobj_free(c);
		return err;
	}
	struct cap cap = { .type = TERN_CAP_MEMOBJ, .rights = TERN_RIGHTS_ALL, .obj = c };
	cte_insert_original(dst, &cap);
	return TERN_EOK;
}

int memobj_invoke(struct tcb *t, struct cap *cap, uint64_t label)
{
	struct memobj *m = cap->obj;

	switch (label) {
	case TERN_INV_MEMOBJ_SIZE:
		msg_set_word(t, 0, m->npages);
		t->ctx.rsi = tern_msginfo(0, 0, 1);
		return TERN_EOK;
	case TERN_INV_MEMOBJ_CLONE:
		return decode_clone(t, m);
	default:
		return TERN_EILLEGAL_OPERATION;
	}
}
