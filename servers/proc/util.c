/*
 * proc's small helpers: objects in scratch slots, the one scratch window
 * through which proc writes a new process's pages, and randomness.
 */
#include "proc.h"

#include "sys/invoke.h"
#include "tern/invocation.h"
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

/*
 * The kernel's CRNG (AT_RANDOM, layout randomisation), drawn a batch at a
 * time as Linux's get_random_u64 draws from a per-CPU batch of its CRNG:
 * one kernel call per TERN_RANDOM_MAX bytes instead of one per word (an
 * exec takes seven words). Each word is wiped from the batch as it is
 * handed out, so what proc holds is only what it has not given yet.
 */
static uint64_t random_batch[TERN_RANDOM_MAX / 8];
static unsigned random_left;

uint64_t proc_random(void)
{
	uint64_t v;

	if (!random_left) {
		if (tern_random(random_batch, sizeof(random_batch)) != TERN_EOK) {
			uint64_t lo, hi; /* cannot happen for a buffer of our own */
			__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
			return (hi << 32 | lo) * 0x9e3779b97f4a7c15ul;
		}
		random_left = sizeof(random_batch) / 8;
	}
	v = random_batch[--random_left];
	random_batch[random_left] = 0;
	return v;
}

int proc_map_in(tern_cptr_t memobj, uint64_t pages, uint64_t rights, uint64_t *va)
{
	/* 4 KiB pages only: the window is 2 MiB aligned, so the first write
	 * through it would make a zeroed 2 MiB page of a big object
	 * (libposix's data and bss template), which every process then
	 * shares and its first write after a fork splits into 512 pages
	 * each fork clones. */
	*va = PROC_SCRATCH_VA;
	return tern_vspace_map(TERN_CHILD_SLOT_VSPACE, PROC_SCRATCH_VA, memobj, 0, pages,
			       rights | TERN_MAP_SMALL);
}

void proc_map_out(uint64_t va, uint64_t pages)
{
	tern_vspace_unmap(TERN_CHILD_SLOT_VSPACE, va, pages);
}
