/*
 * The OOM killer (docs/personality.md, "Out of memory"), after Linux's
 * mm/oom_kill.c. A page fault the processes' quota cannot pay
 * (TERN_FAULT_QUOTA) comes here: as out_of_memory, proc picks the process
 * with the highest badness, kills it with SIGKILL and lets the faulting
 * thread try again (it faults again, and the next victim is chosen, while
 * there is still not enough). oom_badness: the pages the process holds
 * (mm's MM_OOM_STAT: its rss; no swap here, and page tables are the
 * kernel's, not charged to it), oom_score_adj 0 for everyone (FIXME: no
 * /proc/<pid>/oom_score_adj to change it yet). Never init (pid 1, as
 * oom_unkillable_task), never a server (they are not processes here, and
 * their memory is not the processes' quota). Ties go to the later
 * process in the table, as oom_evaluate_task's `points <
 * chosen_points` keeps the last of equals. With nobody else to kill the
 * faulting process itself dies (Linux panics when that is init, here
 * init's end stops the machine as well).
 *
 * Entry point: proc_oom.
 */
#include "proc.h"

#include "posix/proto_mm.h"
#include "posix/signal.h"
#include "sys/printf.h"

static struct mm_oom_stat_resp stat; /* 1.5 KiB: not on the loop's stack */

bool proc_oom(struct proc_server *ps, struct process *faulter)
{
	struct mm_oom_stat_req q = { 0 };
	const struct mm_oom_stat_entry *best = NULL;

	if (!ps->mm_ep || mm_oom_stat_call(ps->mm_ep, &q, &stat))
		stat.n = 0;
	for (uint64_t i = 0; i < stat.n && i < MM_OOM_STAT_MAX; i++) {
		const struct mm_oom_stat_entry *e = &stat.procs[i];
		struct process *p = proc_find(ps, e->pid);
		if (!p || p->state != PROC_RUNNING || p->pid == 1)
			continue;
		if (!best || e->rss >= best->rss)
			best = e;
	}
	struct process *victim = best ? proc_find(ps, best->pid) : faulter;
	tern_logf(3,
		  "proc: Out of memory: Killed process %lu total-vm:%lukB, rss:%lukB, UID:0 "
		  "oom_score_adj:0 (page fault of pid %lu)",
		  (unsigned long)victim->pid, (unsigned long)(best ? best->vm * 4 : 0),
		  (unsigned long)(best ? best->rss * 4 : 0), (unsigned long)faulter->pid);
	proc_exit(ps, victim, proc_kill_status(victim, POSIX_SIGKILL));
	return victim == faulter;
}
