/*
 * What each process holds, for proc's OOM killer (MM_OOM_STAT,
 * docs/personality.md "Out of memory"): Linux's oom_badness counts a
 * process's rss (get_mm_rss: anonymous, file and shared pages), its swap
 * entries and page tables; here the pages its objects hold (the
 * kernel's MEMOBJ_SIZE, each object once however many regions share it;
 * a copy-on-write page shared with a fork counts in both, as in both
 * rss), with no swap, and the page tables left out (the kernel's, not
 * charged to the process). Only when a page fault finds the processes'
 * quota spent: each object is moved out of the keeper to be asked and
 * back, three kernel calls.
 *
 * Entry point: mm_oom_stat.
 */
#include "mm.h"

#include "posix/proto_mm.h"
#include "sys/invoke.h"
#include "sys/thread.h"

#define CNODE TERN_CHILD_SLOT_CNODE

_Static_assert(MM_PROCS <= MM_OOM_STAT_MAX, "every process in one answer");

static uint64_t rss_of(struct mm_proc *mp, tern_cptr_t tmp)
{
	uint64_t rss = 0;

	for (uint32_t id = 1; id < MM_OBJS; id++) {
		uint64_t pages, present;
		if (!(mp->obj_used[id / 64] & (1ul << (id % 64))))
			continue;
		if (tern_cnode_move_from(CNODE, tmp, 64, mp->keeper, id, 64))
			continue;
		if (tern_memobj_stat(tmp, &pages, &present) == TERN_EOK)
			rss += present;
		tern_cnode_move(mp->keeper, id, 64, tmp, 64);
	}
	return rss;
}

void mm_oom_stat(struct mm_server *s, struct mm_oom_stat_resp *out)
{
	tern_cptr_t tmp = tern_slot_get();

	out->n = 0;
	for (unsigned i = 0; i < MM_PROCS && out->n < MM_OOM_STAT_MAX; i++) {
		struct mm_proc *mp = &s->procs[i];
		if (!mp->used)
			continue;
		struct mm_oom_stat_entry *e = &out->procs[out->n++];
		e->pid = mp->pid;
		e->rss = tmp ? rss_of(mp, tmp) : 0;
		e->vm = 0;
		for (unsigned k = 0; k < mp->vmas.n; k++)
			e->vm += (mp->vmas.v[k].end - mp->vmas.v[k].start) / VMA_PAGE;
	}
	if (tmp)
		tern_slot_put(tmp);
}
