/*
 * tern_spawn: a new task from an ELF image, built with invocations only
 * (sys/spawn.h). Order: validate the image, create the CNode, VSpace and
 * TCB, then one MemObj per segment (filled through a scratch mapping in
 * the caller, mapped into the child with the segment's rights), the stack
 * and the IPC buffer; copy the child's own caps into its CNode; configure,
 * set registers and priority, resume. Any failure deletes what exists.
 */
#include <stdint.h>

#include "common/string.h"
#include "sys/invoke.h"
#include "sys/spawn.h"
#include "tern/errors.h"

#define PAGE_SIZE 0x1000ul
#define PAGE_DOWN(x) ((x) & ~(PAGE_SIZE - 1))
#define PAGE_UP(x) (((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define RFLAGS_IF 0x200ul
#define RFLAGS_RESERVED 0x2ul

struct spawn {
	const struct tern_spawn_args *a;
	struct tern_task *t;
	uint64_t depth;
};

static uint64_t segment_rights(uint32_t flags)
{
	uint64_t rights = TERN_RIGHT_READ;

	if (flags & ELF_PF_W)
		rights |= TERN_RIGHT_WRITE;
	if (flags & ELF_PF_X)
		rights |= TERN_RIGHT_EXEC;
	return rights;
}

/* W^X, no two segments in one page, nothing in the stack/IPC region. */
static int check_layout(const struct elf_info *info)
{
	if (info->type != ELF_ET_EXEC)
		return TERN_SPAWN_EDYN;
	for (unsigned i = 0; i < info->nsegments; i++) {
		const struct elf_segment *s = &info->segments[i];

		if ((s->flags & ELF_PF_W) && (s->flags & ELF_PF_X))
			return TERN_SPAWN_EWX;
		if (PAGE_UP(s->vaddr + s->memsz) > TERN_CHILD_IMAGE_TOP)
			return TERN_SPAWN_ELAYOUT;
		for (unsigned j = 0; j < i; j++) {
			const struct elf_segment *o = &info->segments[j];

			if (PAGE_DOWN(s->vaddr) < PAGE_UP(o->vaddr + o->memsz) &&
			    PAGE_DOWN(o->vaddr) < PAGE_UP(s->vaddr + s->memsz))
				return TERN_SPAWN_EPAGES;
		}
	}
	return 0;
}

/* Creates an object in a fresh slot of the caller's CNode; *slot = its CPtr. */
static uint64_t spawn_radix(const struct tern_spawn_args *a)
{
	return a->cnode_radix ? a->cnode_radix : TERN_CHILD_CNODE_RADIX;
}

static int create(struct spawn *sp, enum tern_cap_type type, uint64_t size, tern_cptr_t *slot)
{
	uint64_t s = tern_slot_alloc(sp->a->slots);
	enum tern_error err;

	if (!s)
		return TERN_SPAWN_ESLOTS;
	err = tern_quota_create(sp->a->quota, type, size, sp->a->cnode, s, sp->depth);
	if (err)
		return err;
	*slot = s;
	return 0;
}

/* Copies the file bytes of s into memobj through the caller's scratch window. */
static int fill_segment(struct spawn *sp, const struct elf_segment *s, tern_cptr_t memobj,
			uint64_t pages)
{
	const struct tern_spawn_args *a = sp->a;
	uint64_t window = a->scratch_vaddr ? a->scratch_vaddr : TERN_SPAWN_SCRATCH_VADDR;
	enum tern_error err;

	if (s->filesz == 0)
		return 0;
	err = tern_vspace_map(a->vspace, window, memobj, 0, pages,
			      TERN_RIGHT_READ | TERN_RIGHT_WRITE);
	if (err)
		return err;
	memcpy((void *)(uintptr_t)(window + (s->vaddr - PAGE_DOWN(s->vaddr))),
	       (const uint8_t *)a->image + s->offset, s->filesz);
	return tern_vspace_unmap(a->vspace, window, pages);
}

static int load_segment(struct spawn *sp, const struct elf_segment *s)
{
	uint64_t base = PAGE_DOWN(s->vaddr);
	uint64_t pages = (PAGE_UP(s->vaddr + s->memsz) - base) / PAGE_SIZE;
	tern_cptr_t memobj;
	int err;

	err = create(sp, TERN_CAP_MEMOBJ, pages, &memobj);
	if (err)
		return err;
	sp->t->segments[sp->t->nsegments++] = memobj;
	err = fill_segment(sp, s, memobj, pages);
	if (err)
		return err;
	return tern_vspace_map(sp->t->vspace, base, memobj, 0, pages, segment_rights(s->flags));
}

/* A zeroed MemObj of `bytes` mapped read-write into the child at vaddr. */
static int map_anon(struct spawn *sp, uint64_t vaddr, uint64_t bytes, tern_cptr_t *slot)
{
	int err = create(sp, TERN_CAP_MEMOBJ, bytes / PAGE_SIZE, slot);

	if (err)
		return err;
	return tern_vspace_map(sp->t->vspace, vaddr, *slot, 0, bytes / PAGE_SIZE,
			       TERN_RIGHT_READ | TERN_RIGHT_WRITE);
}

static int give_child(struct spawn *sp, uint64_t child_slot, tern_cptr_t cap)
{
	return tern_cnode_copy_from(sp->t->cspace, child_slot, 64, sp->a->cnode, cap, sp->depth,
				    TERN_RIGHTS_ALL);
}

static int populate_cspace(struct spawn *sp)
{
	const struct tern_spawn_args *a = sp->a;
	struct tern_task *t = sp->t;
	int err;

	err = give_child(sp, TERN_CHILD_SLOT_TCB, t->tcb);
	if (!err)
		err = give_child(sp, TERN_CHILD_SLOT_CNODE, t->cspace);
	if (!err)
		err = give_child(sp, TERN_CHILD_SLOT_VSPACE, t->vspace);
	if (!err && a->fault_ep)
		err = give_child(sp, TERN_CHILD_SLOT_FAULT_EP, a->fault_ep);
	if (!err && a->child_quota)
		err = give_child(sp, TERN_CHILD_SLOT_QUOTA, a->child_quota);
	if (!err && a->arg_cap)
		err = give_child(sp, TERN_CHILD_SLOT_ARG_CAP, a->arg_cap);
	for (unsigned i = 0; !err && i < a->ncaps; i++) {
		const struct tern_spawn_cap *c = &a->caps[i];
		uint64_t rights = c->rights ? c->rights : TERN_RIGHTS_ALL;
		if (c->slot == 0 || c->slot >= (1ul << spawn_radix(a)))
			return TERN_EINVALID_ARGUMENT;
		if (c->badge)
			err = tern_cnode_mint_from(t->cspace, c->slot, 64, a->cnode, c->src,
						   sp->depth, rights, c->badge);
		else
			err = tern_cnode_copy_from(t->cspace, c->slot, 64, a->cnode, c->src,
						   sp->depth, rights);
	}
	return err;
}

static int start_thread(struct spawn *sp)
{
	const struct tern_spawn_args *a = sp->a;
	struct tern_task *t = sp->t;
	struct tern_regs regs = { 0 };
	int err;

	err = tern_tcb_configure(t->tcb, a->fault_ep ? TERN_CHILD_SLOT_FAULT_EP : 0,
				 TERN_CHILD_IPC_BUFFER, 0, t->cspace, t->vspace, t->ipc_buffer);
	if (err)
		return err;
	regs.rip = t->entry;
	regs.rsp = TERN_CHILD_STACK_TOP;
	regs.rdi = a->arg;
	regs.rsi = TERN_CHILD_SLOT_TCB;
	regs.rdx = spawn_radix(a);
	regs.rflags = RFLAGS_IF | RFLAGS_RESERVED;
	err = tern_tcb_write_registers(t->tcb, 0, &regs);
	if (!err)
		err = tern_tcb_set_priority(t->tcb, a->priority);
	if (!err)
		err = tern_tcb_resume(t->tcb);
	return err;
}

static int build(struct spawn *sp, const struct elf_info *info)
{
	struct tern_task *t = sp->t;
	int err;

	err = create(sp, TERN_CAP_CNODE, spawn_radix(sp->a), &t->cspace);
	if (!err)
		err = create(sp, TERN_CAP_VSPACE, 0, &t->vspace);
	if (!err)
		err = create(sp, TERN_CAP_TCB, 0, &t->tcb);
	for (unsigned i = 0; !err && i < info->nsegments; i++)
		err = load_segment(sp, &info->segments[i]);
	if (!err)
		err = map_anon(sp, TERN_CHILD_STACK_TOP - TERN_CHILD_STACK_SIZE,
			       TERN_CHILD_STACK_SIZE, &t->stack);
	if (!err)
		err = map_anon(sp, TERN_CHILD_IPC_BUFFER, PAGE_SIZE, &t->ipc_buffer);
	if (!err)
		err = populate_cspace(sp);
	if (!err)
		err = start_thread(sp);
	return err;
}

int tern_spawn(const struct tern_spawn_args *a, struct tern_task *out)
{
	struct elf_info info;
	struct spawn sp = { .a = a, .t = out, .depth = a->cnode_depth ? a->cnode_depth : 64 };
	int err;

	memset(out, 0, sizeof(*out));
	out->cnode_root = a->cnode;
	out->depth = sp.depth;
	if (a->cnode_radix && (a->cnode_radix < TERN_CHILD_CNODE_RADIX ||
			       a->cnode_radix > TERN_CHILD_CNODE_RADIX_MAX))
		return TERN_EINVALID_ARGUMENT;
	err = elf_parse(a->image, a->image_size, &info);
	if (!err)
		err = check_layout(&info);
	if (err)
		return err;
	out->entry = info.entry;
	err = build(&sp, &info);
	if (err)
		tern_task_destroy(out);
	return err;
}

static int destroy_cap(struct tern_task *t, tern_cptr_t *cap, int first_err)
{
	int err;

	if (!*cap)
		return first_err;
	err = tern_cnode_revoke(t->cnode_root, *cap, t->depth);
	if (!err)
		err = tern_cnode_delete(t->cnode_root, *cap, t->depth);
	*cap = 0;
	return first_err ? first_err : err;
}

int tern_task_destroy(struct tern_task *t)
{
	int err = 0;

	err = destroy_cap(t, &t->tcb, err);
	for (unsigned i = 0; i < t->nsegments; i++)
		err = destroy_cap(t, &t->segments[i], err);
	t->nsegments = 0;
	err = destroy_cap(t, &t->stack, err);
	err = destroy_cap(t, &t->ipc_buffer, err);
	err = destroy_cap(t, &t->vspace, err);
	err = destroy_cap(t, &t->cspace, err);
	return err;
}

const char *tern_spawn_strerror(int err)
{
	if (err >= 0)
		return tern_strerror(err);
	switch (err) {
#define TERN_SPAWN_ERROR_CASE(name, num, text) \
	case name:                             \
		return text;
		TERN_SPAWN_ERRORS(TERN_SPAWN_ERROR_CASE)
#undef TERN_SPAWN_ERROR_CASE
	}
	return elf_strerror(err);
}
