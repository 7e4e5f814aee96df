/*
 * The profiler's end of a run (sys/prof.h, docs/measurements.md "The
 * profiler"): before proc ends the machine, vfs, mm and the console print
 * their phase timers (the server runtime's TERN_SERVER_LABEL_PROF_DUMP),
 * then proc its own. Nothing when the profiler is off.
 */
#include "proc.h"

#include "posix/boot.h"
#include "sys/prof.h"

void proc_prof_dump_all(struct proc_server *ps)
{
	if (!tern_prof_enabled())
		return;
	if (ps->vfs_ep)
		tern_prof_dump_server(ps->vfs_ep, "vfs");
	if (ps->mm_ep)
		tern_prof_dump_server(ps->mm_ep, "mm");
	tern_prof_dump_server(PROC_SLOT_CONSOLE_EP, "console");
	tern_prof_dump("proc");
	tern_prof_line("{\"kind\":\"end\"}");
}
