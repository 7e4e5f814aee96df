/*
 * What exec and fork share to build a process image (image.h): the
 * keeper, the process's CSpace, the space mm gets, the IPC buffers and
 * the TCB of the image's one thread. Entry points: see image.h.
 */
#include "image.h"

#include "posix/boot.h"
#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/layout.h"
#include "sys/invoke.h"
#include "sys/spawn.h"
#include "sys/thread.h"
#include "tern/invocation.h"

#define PAGE 4096ul

int image_object(struct build *b, enum tern_cap_type type, uint64_t size, tern_cptr_t *slot)
{
	if (b->nobjs == IMAGE_MAX_OBJS || proc_object(type, size, slot))
		return ENOMEM;
	b->objs[b->nobjs++] = *slot;
	return 0;
}

uint32_t image_space_obj(struct build *b, tern_cptr_t slot, bool copy)
{
	for (unsigned i = 0; i < b->nsobj; i++)
		if (b->sobj[i] == slot)
			return i + 1;
	if (b->nsobj == IMAGE_MAX_REGIONS)
		return 0;
	b->sobj[b->nsobj] = slot;
	b->sobj_copy[b->nsobj] = copy;
	return ++b->nsobj;
}

uint32_t image_memobj(struct build *b, uint64_t pages, tern_cptr_t *slot)
{
	uint32_t id;

	if (b->nsobj == IMAGE_MAX_REGIONS || proc_object(TERN_CAP_MEMOBJ, pages, slot))
		return 0;
	id = image_space_obj(b, *slot, false);
	return id;
}

int image_region(struct build *b, uint64_t start, uint64_t end, uint32_t prot, uint32_t kind,
		 uint32_t obj, uint64_t obj_page)
{
	if (b->nregions) {
		struct mm_region *last = &b->regions[b->nregions - 1];
		if (last->end > start && last->start < end) {
			if (last->start >= start)
				b->nregions--; /* all of it taken over */
			else
				last->end = start;
		}
	}
	if (start >= end)
		return 0;
	if (b->nregions == IMAGE_MAX_REGIONS)
		return ENOMEM;
	b->regions[b->nregions++] = (struct mm_region){ .start = start,
							.end = end,
							.prot = prot,
							.kind = kind,
							.obj = obj,
							.obj_page = obj_page };
	return 0;
}

static tern_cptr_t copy_out(tern_cptr_t cnode, uint64_t index)
{
	tern_cptr_t copy = tern_slot_get();

	if (copy && tern_cnode_copy_from(TERN_CHILD_SLOT_CNODE, copy, 64, cnode, index, 64,
					 TERN_RIGHTS_ALL)) {
		tern_slot_put(copy);
		copy = 0;
	}
	return copy;
}

/* The keeper, and the process's CNode and the space made inside it: an
 * original CNode cap can never move (the kernel refuses, so that no CNode
 * owns itself), so they are born in the keeper and used through copies.
 * The VSpace is born in the space. */
int image_new_cspace(struct build *b)
{
	if (proc_object(TERN_CAP_CNODE, PROC_KEEPER_RADIX, &b->keeper))
		return ENOMEM;
	if (tern_quota_create(TERN_CHILD_SLOT_QUOTA, TERN_CAP_CNODE, POSIX_CNODE_RADIX, b->keeper,
			      IMAGE_KEEPER_CNODE, 64) ||
	    (!b->shared && tern_quota_create(TERN_CHILD_SLOT_QUOTA, TERN_CAP_CNODE, MM_SPACE_RADIX,
					     b->keeper, IMAGE_KEEPER_SPACE, 64)))
		return ENOMEM;
	b->cnode = copy_out(b->keeper, IMAGE_KEEPER_CNODE);
	if (b->shared) {
		/* CLONE_VM: the other process's VSpace (a copy: its own goes
		 * with that process). */
		b->vspace = tern_slot_get();
		if (!b->cnode || !b->vspace ||
		    tern_cnode_copy(TERN_CHILD_SLOT_CNODE, b->vspace, 64, b->shared->vspace, 64,
				    TERN_RIGHTS_ALL))
			return ENOMEM;
		return 0;
	}
	b->space = copy_out(b->keeper, IMAGE_KEEPER_SPACE);
	if (!b->cnode || !b->space ||
	    tern_quota_create(TERN_CHILD_SLOT_QUOTA, TERN_CAP_VSPACE, 0, b->space, MM_SPACE_VSPACE,
			      64))
		return ENOMEM;
	b->vspace = copy_out(b->space, MM_SPACE_VSPACE);
	return b->vspace ? 0 : ENOMEM;
}

/* The process's CSpace (posix/cspace.h): its thread, itself, and the
 * servers' endpoints badged with its pid (send only). */
int image_fill_cspace(struct build *b, struct process *p)
{
	/* mm's may carry a cap: a file's MemObj for mmap (mm takes nothing
	 * else). */
	static const struct {
		uint64_t dst;
		tern_cptr_t src;
		uint64_t rights;
	} eps[] = {
		{ POSIX_SLOT_PROC_EP, SRV_SLOT_EP, TERN_RIGHT_WRITE },
		{ POSIX_SLOT_VFS_EP, PROC_SLOT_VFS_EP, TERN_RIGHT_WRITE },
		{ POSIX_SLOT_MM_EP, PROC_SLOT_MM_EP, TERN_RIGHT_WRITE | TERN_RIGHT_GRANT },
		{ POSIX_SLOT_CONSOLE_EP, PROC_SLOT_CONSOLE_EP, TERN_RIGHT_WRITE },
	};
	unsigned t = b->thread;
	tern_cptr_t timer, ntfn, thread_timer;

	/* The image's one thread also at POSIX_SLOT_TCB and POSIX_SLOT_NTFN
	 * (thread 0 after exec; the forking thread's index in a child). */
	if (tern_cnode_copy(b->cnode, POSIX_SLOT_TCB, 64, b->tcb, 64, TERN_RIGHTS_ALL) ||
	    tern_cnode_copy(b->cnode, POSIX_SLOT_CNODE, 64, b->cnode, 64, TERN_RIGHTS_ALL))
		return ENOMEM;
	/* The process's Timer, and the thread's caps (posix/cspace.h): its
	 * TCB, its Notification bound to it (signals upcall it), that
	 * Notification badged for in-process signals, its own Timer, its
	 * fault endpoint. proc keeps a copy badged POSIX_NTFN_PROC. */
	if (image_object(b, TERN_CAP_TIMER, 0, &timer) ||
	    image_object(b, TERN_CAP_TIMER, 0, &thread_timer) ||
	    image_object(b, TERN_CAP_NOTIFICATION, 0, &ntfn) ||
	    tern_cnode_copy(b->cnode, POSIX_SLOT_TIMER, 64, timer, 64, TERN_RIGHTS_ALL) ||
	    tern_cnode_copy(b->cnode, POSIX_SLOT_NTFN, 64, ntfn, 64, TERN_RIGHTS_ALL) ||
	    proc_thread_caps(b->cnode, p->pid, t, b->tcb, ntfn, thread_timer, &b->proc_ntfn))
		return ENOMEM;
	for (unsigned i = 0; i < sizeof(eps) / sizeof(eps[0]); i++) {
		enum tern_error e = tern_cnode_mint(b->cnode, eps[i].dst, 64, eps[i].src, 64,
						    eps[i].rights, p->pid);
		/* A server that is not running (an empty slot) is simply absent. */
		if (e && e != TERN_EINVALID_CAPABILITY && e != TERN_EFAILED_LOOKUP)
			return ENOMEM;
	}
	return 0;
}

int image_ipc_tcb(struct build *b)
{
	unsigned t = b->thread;
	tern_cptr_t ipc;

	/* The IPC buffers stay proc's (TCB_CONFIGURE pins their pages: no
	 * clone); mm knows the region as reserved, with nothing behind it.
	 * CLONE_VM: page b->thread of the other process's. */
	if (b->shared) {
		ipc = b->shared->ipc;
	} else {
		if (proc_object(TERN_CAP_MEMOBJ, POSIX_THREAD_MAX, &b->ipc))
			return ENOMEM;
		ipc = b->ipc;
		if (tern_vspace_map(b->vspace, POSIX_THREAD_IPC, ipc, 0, POSIX_THREAD_MAX,
				    TERN_RIGHT_READ | TERN_RIGHT_WRITE) ||
		    image_region(b, POSIX_THREAD_IPC, POSIX_THREAD_IPC + POSIX_THREAD_MAX * PAGE, 3,
				 MM_REGION_RESERVED, 0, 0))
			return ENOMEM;
	}
	if (proc_object(TERN_CAP_TCB, 0, &b->tcb))
		return ENOMEM;
	if (tern_tcb_configure(b->tcb, POSIX_SLOT_THREAD_FAULT(t), POSIX_THREAD_IPC + t * PAGE, t,
			       b->cnode, b->vspace, ipc) ||
	    tern_tcb_set_priority(b->tcb, PROC_PRIORITY))
		return ENOMEM;
	return 0;
}

int image_keep(struct build *b)
{
	for (unsigned i = 0; i < b->nsobj; i++) {
		tern_cptr_t s = b->sobj[i];
		if (b->sobj_copy[i]) {
			/* proc's own (libposix's shared pages, the clock page):
			 * mm gets them without the write right. */
			if (tern_cnode_copy(b->space, i + 1, 64, s, 64,
					    TERN_RIGHT_READ | TERN_RIGHT_EXEC))
				return ENOMEM;
		} else {
			if (tern_cnode_move(b->space, i + 1, 64, s, 64))
				return ENOMEM;
			tern_slot_put(s);
		}
		b->sobj[i] = 0;
	}
	b->nsobj = 0;
	b->file = 0;
	/* After the space's copies (vfs's file cap is copied from here). */
	for (unsigned i = 0; i < b->nobjs; i++) {
		if (tern_cnode_move(b->keeper, 3 + i, 64, b->objs[i], 64))
			return ENOMEM;
		tern_slot_put(b->objs[i]);
		b->objs[i] = 0;
	}
	return 0;
}

void image_abort(struct build *b)
{
	proc_slot_free(b->proc_ntfn);
	b->proc_ntfn = 0;
	if (b->tcb) {
		tern_tcb_suspend(b->tcb);
		proc_slot_free(b->tcb);
	}
	for (unsigned i = b->nobjs; i-- > 0;)
		proc_slot_free(b->objs[i]);
	b->nobjs = 0;
	for (unsigned i = b->nsobj; i-- > 0;)
		if (b->sobj[i] && !b->sobj_copy[i])
			proc_slot_free(b->sobj[i]);
	b->nsobj = 0;
	b->file = 0;
	proc_slot_free(b->ipc);
	proc_slot_free(b->vspace);
	proc_slot_free(b->space);
	proc_slot_free(b->cnode);
	proc_slot_free(b->keeper);
	b->tcb = b->ipc = b->vspace = b->space = b->cnode = b->keeper = 0;
}

void image_install(struct build *b, struct process *p)
{
	p->threads[b->thread] = (struct proc_thread){
		.live = true, .tid = p->pid, .tcb = b->tcb, .proc_ntfn = b->proc_ntfn
	};
	p->keeper = b->keeper;
	p->cnode = b->cnode;
	p->space = b->space;
	p->vspace = b->vspace;
	p->ipc = b->ipc;
	*b = (struct build){ .ps = b->ps };
}
