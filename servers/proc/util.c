/*
 * proc's small helpers: objects in scratch slots, the one scratch window
 * through which proc writes a new process's pages, and randomness.
 */
#include "proc.h"

#include "sys/invoke.h"
#include "sys/spawn.h"
#include "sys/syscalls.h"
#include "sys/thread.h"

int proc_object(enum tern_cap_type type, uint64_t size, tern_cptr_t *slot)
{
	return tern_object_create(type, size, slot);
}

void proc_slot_free(tern_cptr_t slot)
{
	if (!slot)
		return;
	tern_cnode_delete(TERN_CHILD_SLOT_CNODE, slot, 64);
	tern_slot_put(slot);
}

/* The kernel's CRNG (AT_RANDOM, layout randomisation). */
uint64_t proc_random(void)
{
	uint64_t v = 0;

	if (tern_random(&v, sizeof(v)) != TERN_EOK) {
		uint64_t lo, hi; /* cannot happen for a buffer of our own */
		__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
		v = (hi << 32 | lo) * 0x9e3779b97f4a7c15ul;
	}
	return v;
}

int proc_map_in(tern_cptr_t memobj, uint64_t pages, uint64_t rights, uint64_t *va)
{
	*va = PROC_SCRATCH_VA;
	return tern_vspace_map(TERN_CHILD_SLOT_VSPACE, PROC_SCRATCH_VA, memobj, 0, pages, rights);
}

void proc_map_out(uint64_t va, uint64_t pages)
{
	tern_vspace_unmap(TERN_CHILD_SLOT_VSPACE, va, pages);
}
