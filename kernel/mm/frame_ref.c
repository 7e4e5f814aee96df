/*
 * Reference counts of physical frames shared copy-on-write between memory
 * objects (kernel/mm/cow.c decides; this file only stores them). One
 * struct page_ref per frame of RAM, allocated at boot; a 2 MiB block uses
 * the count of its first frame.
 */
#include "kernel/cow.h"
#include "kernel/mm.h"
#include "kernel/vm.h"

static struct page_ref *refs;
static uint64_t n_refs;

void frame_refs_init(uint64_t nframes)
{
	refs = phys_to_virt(early_alloc(nframes * sizeof(struct page_ref)));
	n_refs = nframes;
}

struct page_ref *frame_ref(uint64_t pa)
{
	uint64_t pfn = pa >> PAGE_SHIFT;

	return pfn < n_refs ? &refs[pfn] : NULL;
}
