/*
 * Threads of a Linux process (docs/personality.md, "Threads and
 * futexes"): the per-thread caps exec gives thread 0 and
 * PROC_THREAD_CREATE gives the others (posix/cspace.h), their
 * destruction at thread exit, exit_group and exec, and tids, which share
 * the pid space. Thread 0's Notification and Timer live in the process's
 * keeper (exec made them); a created thread's objects are originals in
 * proc's own CNode (struct proc_thread), so deleting them revokes the
 * process's copies. Entry points: proc_thread_caps, proc_thread_create,
 * proc_thread_exit, proc_threads_end, proc_id_in_use.
 */
#include "proc.h"

#include "posix/boot.h"
#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/layout.h"
#include "posix/proto_proc.h"
#include "posix/status.h"
#include "sys/invoke.h"
#include "sys/server.h"
#include "sys/spawn.h"
#include "sys/thread.h"
#include "tern/invocation.h"

#define PAGE 4096ul

int proc_thread_caps(tern_cptr_t cnode, uint64_t pid, unsigned i, tern_cptr_t tcb, tern_cptr_t ntfn,
		     tern_cptr_t timer, tern_cptr_t *proc_ntfn)
{
	tern_cptr_t slot;

	if (tern_cnode_copy(cnode, POSIX_SLOT_THREAD_TCB(i), 64, tcb, 64, TERN_RIGHTS_ALL) ||
	    tern_cnode_copy(cnode, POSIX_SLOT_THREAD_NTFN(i), 64, ntfn, 64, TERN_RIGHTS_ALL) ||
	    tern_cnode_mint(cnode, POSIX_SLOT_THREAD_SIG(i), 64, ntfn, 64, TERN_RIGHT_WRITE,
			    POSIX_NTFN_SIGNAL) ||
	    tern_cnode_copy(cnode, POSIX_SLOT_THREAD_TIMER(i), 64, timer, 64, TERN_RIGHTS_ALL) ||
	    tern_cnode_mint(cnode, POSIX_SLOT_THREAD_FAULT(i), 64, SRV_SLOT_EP, 64,
			    TERN_RIGHT_WRITE, pid | POSIX_BADGE_THREAD(i)) ||
	    tern_tcb_bind_notification(tcb, ntfn, POSIX_NTFN_UPCALLS))
		return ENOMEM;
	slot = tern_slot_get();
	if (!slot)
		return ENOMEM;
	if (tern_cnode_mint(TERN_CHILD_SLOT_CNODE, slot, 64, ntfn, 64, TERN_RIGHT_WRITE,
			    POSIX_NTFN_PROC)) {
		tern_slot_put(slot);
		return ENOMEM;
	}
	*proc_ntfn = slot;
	return 0;
}

bool proc_id_in_use(struct proc_server *ps, uint64_t id)
{
	for (unsigned i = 0; i < PROC_MAX; i++) {
		const struct process *p = &ps->procs[i];
		if (p->state == PROC_FREE)
			continue;
		if (p->pid == id)
			return true;
		for (unsigned t = 0; p->state == PROC_RUNNING && t < POSIX_THREADS_MAX; t++)
			if (p->threads[t].live && p->threads[t].tid == id)
				return true;
	}
	return false;
}

static uint64_t tid_alloc(struct proc_server *ps)
{
	uint64_t id = ps->next_pid;

	while (proc_id_in_use(ps, id))
		id = id >= POSIX_PID_MAX ? 2 : id + 1;
	ps->next_pid = id >= POSIX_PID_MAX ? 2 : id + 1;
	return id;
}

static void release(struct process *p, unsigned i, struct proc_thread *t)
{
	if (t->tcb) {
		tern_tcb_suspend(t->tcb);
		proc_slot_free(t->tcb);
	}
	proc_slot_free(t->proc_ntfn);
	proc_slot_free(t->ntfn);
	proc_slot_free(t->timer);
	/* The fault endpoint is a mint of proc's endpoint: not revoked with
	 * the thread's objects. */
	if (i && p->cnode)
		tern_cnode_delete(p->cnode, POSIX_SLOT_THREAD_FAULT(i), 64);
	*t = (struct proc_thread){ 0 };
}

int proc_thread_create(struct proc_server *ps, struct process *p, uint64_t index, uint64_t *tid)
{
	struct proc_thread n = { 0 };
	unsigned i = (unsigned)index;
	int err = EAGAIN;

	if (index == 0 || index >= POSIX_THREADS_MAX)
		return EINVAL;
	if (p->threads[i].live || p->threads[i].tcb)
		return EBUSY; /* still there, or between its two PROC_THREAD_EXITs */
	if (!p->cnode || !p->vspace || !p->ipc || proc_fork_limit(ps))
		return EAGAIN;
	/* Whatever the process left in the thread's slots goes first. */
	for (unsigned s = 0; s < POSIX_THREAD_SLOTS; s++)
		tern_cnode_delete(p->cnode, POSIX_SLOT_THREAD(i) + s, 64);
	if (proc_object(TERN_CAP_TCB, 0, &n.tcb) ||
	    proc_object(TERN_CAP_NOTIFICATION, 0, &n.ntfn) ||
	    proc_object(TERN_CAP_TIMER, 0, &n.timer))
		goto fail;
	if (proc_thread_caps(p->cnode, p->pid, i, n.tcb, n.ntfn, n.timer, &n.proc_ntfn))
		goto fail;
	if (tern_tcb_configure(n.tcb, POSIX_SLOT_THREAD_FAULT(i),
			       POSIX_THREAD_IPC + (uint64_t)i * PAGE, i, p->cnode, p->vspace,
			       p->ipc) ||
	    tern_tcb_set_priority(n.tcb, PROC_PRIORITY))
		goto fail;
	n.tid = tid_alloc(ps);
	n.live = true;
	p->threads[i] = n;
	*tid = n.tid;
	return 0;
fail:
	release(p, i, &n);
	return err;
}

static unsigned live_threads(const struct process *p)
{
	unsigned n = 0;

	for (unsigned i = 0; i < POSIX_THREADS_MAX; i++)
		n += p->threads[i].live;
	return n;
}

int proc_thread_exit(struct proc_server *ps, struct process *p, uint64_t index, uint64_t code)
{
	struct proc_thread *t;

	if (index >= POSIX_THREADS_MAX)
		return EINVAL;
	t = &p->threads[index];
	if (!t->live) {
		if (!t->tcb)
			return ESRCH;
		/* The second call: the thread has done its exit work. Thread
		 * 0's Notification and Timer stay in the keeper with the
		 * index: a leader that exits leaves its slot taken, as Linux
		 * keeps the group leader until the whole group is gone. */
		release(p, (unsigned)index, t);
		return 0;
	}
	if (live_threads(p) == 1) {
		proc_exit(ps, p, POSIX_W_EXITCODE(code)); /* the last one: exit_group */
		return 0;
	}
	/* The first call: the thread is dead to everyone else (its tid is
	 * gone for tgkill and signals, it no longer counts for the last
	 * thread or a group stop) before it zeroes its CLONE_CHILD_CLEARTID
	 * word and wakes the joiner; its second call destroys it. */
	t->live = false;
	t->tid = 0;
	return 0;
}

void proc_threads_end(struct proc_server *ps, struct process *p)
{
	bool any = false;
	(void)ps;

	for (unsigned i = 1; i < POSIX_THREADS_MAX; i++)
		if (p->threads[i].live || p->threads[i].tcb) {
			release(p, i, &p->threads[i]);
			any = true;
		}
	/* A wait4 deferred by a thread that is gone now: answered into the
	 * void, so that the next image can wait. */
	if (any && p->sig.wait_reply) {
		tern_server_answer(p->sig.wait_reply, POSIX_STATUS(EINTR), NULL, 0);
		p->sig.wait_reply = 0;
	}
}
