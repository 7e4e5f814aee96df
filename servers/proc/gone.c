/*
 * Who died, for the console (docs/personality.md, "What a dead process
 * held"). A server that keeps a caller's Reply while the call waits must
 * drop it when the caller dies: vfs and mm hear it from proc_exit
 * (VFS_PROC_EXIT, MM_EXIT), but proc never calls the console (the
 * console calls proc, so a call the other way could deadlock). Instead
 * the console keeps a call of its own waiting here (PROC_GONE_WATCH,
 * from a thread of its own), and proc answers it with the pids of the
 * processes that died since the console last asked, or whose other
 * threads exec ended: the console then ends their waiting calls.
 *
 * Entry points: proc_gone, proc_gone_exec, proc_gone_watch.
 */
#include "proc.h"

#include "posix/errno.h"
#include "posix/proto_proc.h"
#include "posix/status.h"

_Static_assert(sizeof(((struct proc_gone *)0)->ring) / 8 == PROC_GONE_RING, "the ring");

/* The answer for a watch that has seen the first `seq` deaths. */
static void fill(const struct proc_server *ps, uint64_t seq, struct proc_gone_watch_resp *out)
{
	const struct proc_gone *g = &ps->gone;

	*out = (struct proc_gone_watch_resp){ 0 };
	if (seq > g->deaths)
		seq = g->deaths; /* a watch of an older proc: nothing to say */
	if (g->deaths - seq > PROC_GONE_RING) {
		out->flags = PROC_GONE_LOST;
		seq = g->deaths - PROC_GONE_RING;
	}
	while (seq < g->deaths && out->n < PROC_GONE_MAX)
		out->pids[out->n++] = g->ring[seq++ % PROC_GONE_RING];
	out->seq = seq;
}

void proc_gone(struct proc_server *ps, uint64_t pid)
{
	struct proc_gone *g = &ps->gone;

	g->ring[g->deaths % PROC_GONE_RING] = pid;
	g->deaths++;
	if (!g->watch)
		return;
	struct proc_gone_watch_resp r;
	fill(ps, g->watch_seq, &r);
	tern_server_answer(g->watch, TERN_SERVER_OK, &r, sizeof(r) / 8);
	g->watch = 0;
}

void proc_gone_exec(struct proc_server *ps, struct process *p)
{
	for (unsigned i = 1; i < POSIX_THREADS_MAX; i++)
		if (p->threads[i].live || p->threads[i].tcb) {
			proc_gone(ps, p->pid); /* calls of its other threads wait no more */
			return;
		}
}

int proc_gone_watch(struct proc_server *ps, struct tern_request *req,
		    const struct proc_gone_watch_req *in, struct proc_gone_watch_resp *out)
{
	struct proc_gone *g = &ps->gone;

	if (req->badge != POSIX_BADGE_CONSOLE)
		return POSIX_STATUS(EPERM);
	if (in->seq < g->deaths) {
		fill(ps, in->seq, out);
		return TERN_SERVER_OK;
	}
	if (g->watch) {
		/* A console that started again: its old thread is gone. */
		struct proc_gone_watch_resp r;
		fill(ps, g->deaths, &r);
		tern_server_answer(g->watch, TERN_SERVER_OK, &r, sizeof(r) / 8);
		g->watch = 0;
	}
	tern_cptr_t reply = tern_request_defer(req);
	if (!reply)
		return TERN_SERVER_ENOREPLY;
	g->watch = reply;
	g->watch_seq = in->seq < g->deaths ? in->seq : g->deaths;
	return TERN_SERVER_DEFERRED;
}
