/*
 * Process-context identifiers: which VSpace owns each of the CPU's 4,095
 * usable PCIDs (0 is the kernel's own page tables and the shared "none").
 *
 * A PCID tags TLB entries, so two live address spaces must never hold the
 * same one: a VSpace activated without a flush would then run on the
 * other's translations. The pool hands a PCID to one VSpace at a time and
 * takes it back when the VSpace is destroyed; the next owner starts with
 * a flush of that PCID (vspace_init marks it stale_tlb), which clears the
 * old owner's entries. When all are taken, a VSpace gets PCID 0 and is
 * flushed at every activation, as on a CPU without PCIDs. (One CPU: with
 * several, a freed PCID must also be flushed on every CPU that ran it
 * before reuse.)
 */
#ifndef KERNEL_PCID_H
#define KERNEL_PCID_H

#include <stdbool.h>
#include <stdint.h>

#define PCID_COUNT 4096 /* CR3[11:0] */

struct pcid_pool {
	uint64_t used[PCID_COUNT / 64]; /* bit i: PCID i is owned (0 always) */
	uint32_t next;			/* where the search starts (round-robin) */
	uint32_t free;			/* how many are not owned */
};

/* A pool with every PCID but 0 free (static initialiser, or the call). */
#define PCID_POOL_INIT                                           \
	{                                                        \
		.used = { 1 }, .next = 1, .free = PCID_COUNT - 1 \
	}
void pcid_pool_init(struct pcid_pool *p);
/* A PCID nobody owns, now owned by the caller; 0 when none is left. */
uint16_t pcid_alloc(struct pcid_pool *p);
/* Give back an owned PCID; false (and nothing changes) for 0, one out of
 * range, or one that is not owned: a kernel bug. */
bool pcid_free(struct pcid_pool *p, uint16_t pcid);
bool pcid_owned(const struct pcid_pool *p, uint16_t pcid);

#endif
