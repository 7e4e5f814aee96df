/*
 * The proc server: the receive loop on SRV_SLOT_EP (posix/boot.h) after
 * mapping the system archive (libposix, the vDSO) and the initramfs and
 * loading libposix once. The handlers are in table.c and the family
 * files; see proc.h for the state.
 */
#include "proc.h"

#include "posix/boot.h"
#include "posix/cspace.h"
#include "posix/layout.h"
#include "sys/invoke.h"
#include "sys/printf.h"
#include "sys/runtime.h"
#include "sys/spawn.h"
#include "sys/thread.h"

extern const struct tern_server_op proc_ops[];
extern const unsigned proc_nops;

static struct proc_server server;

/* The runtime's interruptible waits: a signal ends a waiting wait4. */
static uint64_t intr_fn(struct tern_server *s, uint64_t bits)
{
	return proc_wait_interrupt(s->ctx, bits);
}

/* A read-only MemObj of proc's CSpace mapped at va; its size in bytes. */
static uint64_t map_readonly(tern_cptr_t memobj, uint64_t va)
{
	uint64_t pages;

	if (tern_memobj_size(memobj, &pages) || !pages)
		return 0;
	if (tern_vspace_map(TERN_CHILD_SLOT_VSPACE, va, memobj, 0, pages, TERN_RIGHT_READ))
		return 0;
	return pages * 4096;
}

static tern_cptr_t mint_proc_badge(tern_cptr_t ep)
{
	tern_cptr_t slot = tern_slot_get();

	if (!slot)
		return 0;
	if (tern_cnode_mint(TERN_CHILD_SLOT_CNODE, slot, 64, ep, 64,
			    TERN_RIGHT_WRITE | TERN_RIGHT_GRANT, POSIX_BADGE_PROC)) {
		tern_slot_put(slot);
		return 0;
	}
	return slot;
}

int main(uint64_t initrd_size, uint64_t self_tcb)
{
	struct proc_server *ps = &server;
	uint64_t pages;
	(void)self_tcb;

	ps->next_pid = 2; /* pid 1 is init's, PROC_START_INIT */
	ps->system_size = map_readonly(PROC_SLOT_SYSTEM, PROC_SYSTEM_VA);
	ps->system = ps->system_size ? (const void *)PROC_SYSTEM_VA : NULL;
	uint64_t isize = map_readonly(PROC_SLOT_INITRD, PROC_INITRD_VA);
	if (isize) {
		ps->initrd = (const void *)PROC_INITRD_VA;
		ps->initrd_size = initrd_size && initrd_size <= isize ? initrd_size : isize;
	}
	ps->have_clock = tern_memobj_size(PROC_SLOT_CLOCK, &pages) == 0 && pages >= 1;
	ps->mm_ep = mint_proc_badge(PROC_SLOT_MM_EP);
	ps->vfs_ep = mint_proc_badge(PROC_SLOT_VFS_EP);
	if (!ps->system || shared_image_load(ps, "lib/libposix.elf", 0, &ps->libposix)) {
		tern_printf("proc: no lib/libposix.elf in the system archive\n");
		return 1;
	}
	ps->have_vdso = shared_image_load(ps, "lib/vdso.so", POSIX_VDSO, &ps->vdso) == 0;
	struct tern_server s = {
		.ep = SRV_SLOT_EP,
		.ops = proc_ops,
		.nops = proc_nops,
		.ctx = ps,
	};
	static struct tern_server_intr intr;
	if (tern_server_intr_start(&s, &intr, intr_fn, PROC_BADGE_INTR))
		tern_printf("proc: waits cannot be interrupted\n"); /* and go on */
	ps->srv = &s;
	enum tern_error err = tern_server_run(&s);
	tern_printf("proc: the server loop ended: %d\n", err);
	return 1;
}
