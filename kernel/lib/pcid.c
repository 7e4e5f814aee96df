/* The PCID pool (kernel/pcid.h): a bitmap, searched from where the last
 * allocation stopped so that a freed PCID is reused as late as possible. */
#include "kernel/pcid.h"

#include <stddef.h>

void pcid_pool_init(struct pcid_pool *p)
{
	for (size_t i = 0; i < PCID_COUNT / 64; i++)
		p->used[i] = 0;
	p->used[0] = 1; /* PCID 0: never handed out */
	p->next = 1;
	p->free = PCID_COUNT - 1;
}

bool pcid_owned(const struct pcid_pool *p, uint16_t pcid)
{
	return pcid < PCID_COUNT && (p->used[pcid / 64] >> (pcid % 64) & 1);
}

uint16_t pcid_alloc(struct pcid_pool *p)
{
	if (p->free == 0)
		return 0;
	/* One word at a time from p->next, wrapping; a free bit exists. */
	for (uint32_t scanned = 0; scanned <= PCID_COUNT; scanned += 64) {
		uint32_t i = p->next % PCID_COUNT;
		uint64_t avail = ~p->used[i / 64] & (~0ull << (i % 64));
		if (avail) {
			uint32_t pcid = (i & ~63u) + (uint32_t)__builtin_ctzll(avail);
			p->used[pcid / 64] |= 1ull << (pcid % 64);
			p->free--;
			p->next = pcid + 1;
			return (uint16_t)pcid;
		}
		p->next = (i | 63u) + 1;
	}
	return 0; /* unreachable while p->free counts the clear bits */
}

bool pcid_free(struct pcid_pool *p, uint16_t pcid)
{
	if (pcid == 0 || !pcid_owned(p, pcid))
		return false;
	p->used[pcid / 64] &= ~(1ull << (pcid % 64));
	p->free++;
	return true;
}
