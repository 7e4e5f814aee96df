/* VSpace and MemObj invocations. */
#include "kernel/mm.h"
#include "kernel/objects.h"
#include "kernel/tcb.h"
#include "kernel/vm.h"
#include "tern/invocation.h"

static int decode_map(struct tcb *t, struct cap *cap)
{
	uint64_t vaddr = msg_word(t, 0), first = msg_word(t, 1), pages = msg_word(t, 2);
	uint32_t rights = (uint32_t)msg_word(t, 3);
	struct cte *m;

	if (msg_cap(t, 0, &m) || m->cap.type != TERN_CAP_MEMOBJ)
		return TERN_EINVALID_CAPABILITY;
	struct memobj *obj = m->cap.obj;
	if ((vaddr & (PAGE_SIZE - 1)) || pages == 0 || pages > MEMOBJ_MAX_PAGES)
		return TERN_EALIGNMENT_ERROR;
	if (vaddr >= USER_TOP || pages > (USER_TOP - vaddr) / PAGE_SIZE)
		return TERN_ERANGE_ERROR;
	if (first >= obj->npages || pages > obj->npages - first)
		return TERN_ERANGE_ERROR;
	if (!(rights & TERN_RIGHT_READ) || (rights & ~TERN_RIGHTS_ALL) ||
	    ((rights & TERN_RIGHT_WRITE) && (rights & TERN_RIGHT_EXEC)))
		return TERN_EINVALID_ARGUMENT; /* readable, and W^X */
	if ((rights & ~m->cap.rights & (TERN_RIGHT_READ | TERN_RIGHT_WRITE | TERN_RIGHT_EXEC)) ||
	    ((rights & TERN_RIGHT_WRITE) && obj->readonly))
		return TERN_EINSUFFICIENT_RIGHTS;
	return vspace_map(cap->obj, vaddr, obj, first, pages, rights);
}

int vspace_invoke(struct tcb *t, struct cap *cap, uint64_t label)
{
	switch (label) {
	case TERN_INV_VSPACE_MAP:
		return decode_map(t, cap);
	case TERN_INV_VSPACE_UNMAP: {
		uint64_t vaddr = msg_word(t, 0), pages = msg_word(t, 1);
		if ((vaddr & (PAGE_SIZE - 1)) || vaddr >= USER_TOP ||
		    pages > (USER_TOP - vaddr) / PAGE_SIZE)
			return TERN_ERANGE_ERROR;
		return vspace_unmap(cap->obj, vaddr, pages);
	}
	default:
		return TERN_EILLEGAL_OPERATION;
	}
}

int memobj_invoke(struct tcb *t, struct cap *cap, uint64_t label)
{
	struct memobj *m = cap->obj;

	if (label != TERN_INV_MEMOBJ_SIZE)
		return TERN_EILLEGAL_OPERATION;
	msg_set_word(t, 0, m->npages);
	t->ctx.rsi = tern_msginfo(0, 0, 1);
	return TERN_EOK;
}
