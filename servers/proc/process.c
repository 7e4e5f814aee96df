/*
 * The process table: pids (pid 1 first, never reused while a process or
 * zombie holds one) and exit (the parent's wait is wait.c's). Entry points:
 * proc_find, proc_alloc, proc_release, proc_exit, proc_destroy_image.
 */
#include "proc.h"

#include "posix/boot.h"
#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/status.h"
#include "posix/proto_mm.h"
#include "posix/proto_proc.h"
#include "posix/proto_vfs.h"
#include "posix/signal.h"
#include "sys/invoke.h"
#include "sys/prof.h"
#include "common/format.h"
#include "sys/malloc.h"
#include "sys/printf.h"
#include "sys/spawn.h"
#include "sys/syscalls.h"
#include "sys/thread.h"
#include "tern/invocation.h"

struct process *proc_find(struct proc_server *ps, uint64_t pid)
{
	if (pid == 0 || pid > POSIX_PID_MAX)
		return NULL;
	for (unsigned i = 0; i < PROC_MAX; i++)
		if (ps->procs[i].state != PROC_FREE && ps->procs[i].pid == pid)
			return &ps->procs[i];
	return NULL;
}

struct process *proc_alloc(struct proc_server *ps, uint64_t ppid, uint64_t want)
{
	for (unsigned i = 0; i < PROC_MAX; i++) {
		struct process *p = &ps->procs[i];
		if (p->state != PROC_FREE)
			continue;
		uint64_t pid = want;
		if (!want) {
			pid = ps->next_pid;
			while (proc_id_in_use(ps, pid)) /* tids share the space */
				pid = pid >= POSIX_PID_MAX ? 2 : pid + 1;
			ps->next_pid = pid >= POSIX_PID_MAX ? 2 : pid + 1;
		} else if (proc_find(ps, want)) {
			return NULL;
		}
		*p = (struct process){ .state = PROC_RUNNING, .pid = pid, .ppid = ppid };
		p->sig.exit_signal = POSIX_SIGCHLD;
		return p;
	}
	return NULL;
}

void proc_release(struct proc_server *ps, struct process *p)
{
	if (ps->srv && p->pid)
		tern_server_intr_release(ps->srv, p->pid); /* its interrupt bit is free */
	free(p->stage);
	*p = (struct process){ .state = PROC_FREE };
}

/* Threads first (they stop), then proc's copies, then everything the
 * keeper holds (the whole address space with it: mm's copies of the
 * space and VSpace are revoked). */
void proc_destroy_image(struct proc_server *ps, struct process *p)
{
	(void)ps;
	for (unsigned i = 0; i < POSIX_THREADS_MAX; i++) {
		struct proc_thread *t = &p->threads[i];
		if (t->tcb) {
			tern_tcb_suspend(t->tcb);
			proc_slot_free(t->tcb);
		}
		proc_slot_free(t->proc_ntfn);
		proc_slot_free(t->ntfn);
		proc_slot_free(t->timer);
		*t = (struct proc_thread){ 0 };
	}
	proc_slot_free(p->ipc);
	proc_slot_free(p->vspace);
	proc_slot_free(p->space);
	proc_slot_free(p->cnode);
	proc_slot_free(p->keeper);
	p->ipc = p->vspace = p->space = p->cnode = p->keeper = 0;
}

/* The status of a process killed by sig: the signal number, with the
 * core bit for the signals whose default action is core when RLIMIT_CORE
 * allows a dump (Linux sets it only when a core was written; none is
 * written here). */
uint64_t proc_kill_status(const struct process *p, unsigned sig)
{
	static const uint64_t core = POSIX_SIGBIT(POSIX_SIGQUIT) | POSIX_SIGBIT(POSIX_SIGILL) |
				     POSIX_SIGBIT(POSIX_SIGTRAP) | POSIX_SIGBIT(POSIX_SIGABRT) |
				     POSIX_SIGBIT(POSIX_SIGBUS) | POSIX_SIGBIT(POSIX_SIGFPE) |
				     POSIX_SIGBIT(POSIX_SIGSEGV) | POSIX_SIGBIT(POSIX_SIGXCPU) |
				     POSIX_SIGBIT(POSIX_SIGXFSZ) | POSIX_SIGBIT(POSIX_SIGSYS);
	uint64_t st = POSIX_W_SIGNALED(sig);

	if (sig >= 1 && sig <= 64 && (core & POSIX_SIGBIT(sig)) && p->rlim[PROC_RLIMIT_CORE][0])
		st |= POSIX_W_COREFLAG;
	return st;
}

void proc_vfork_release(struct proc_server *ps, struct process *p)
{
	struct process *parent = proc_find(ps, p->vfork_parent);
	(void)parent;

	if (!p->vfork_reply)
		return;
	struct proc_fork_resp r = { .pid = (int64_t)p->pid };
	tern_server_answer(p->vfork_reply, TERN_SERVER_OK, &r, sizeof(r) / 8);
	p->vfork_reply = 0;
	p->vfork_parent = 0;
}
static void init_exited(struct proc_server *ps, uint64_t status)
{
	char line[96];
	int n;

	if (status & 0x7f)
		n = format(line, sizeof(line), "init (pid 1) killed by signal %lu",
			   (unsigned long)(status & 0x7f));
	else
		n = format(line, sizeof(line), "init (pid 1) exited with status %lu",
			   (unsigned long)((status >> 8) & 0xff));
	tern_log(0, line, (size_t)n);
	ps->init_exited = true;
	ps->init_status = status;
	if (ps->init_wait) {
		struct proc_wait_init_resp r = { .status = status };
		tern_server_answer(ps->init_wait, TERN_SERVER_OK, &r, sizeof(r) / 8);
		ps->init_wait = 0;
		ps->init_waited = true;
	}
	/* The root task of a test may wait instead; otherwise init's end is
	 * the machine's, with success for status 0 (Linux panics; QEMU's
	 * -no-reboot then exits). */
	if (!ps->init_waited) {
		proc_prof_dump_all(ps); /* prof.c */
		tern_machine_exit(PROC_SLOT_MACHINE, TERN_MACHINE_EXIT, status == 0 ? 0 : 1);
	}
}

/* Where an exit's time goes in proc (sys/prof.h, tern.profile=1). */
TERN_PROF_PHASE(ph_exit_threads, "exit.threads"); /* other threads, signal state */
TERN_PROF_PHASE(ph_exit_image, "exit.image");	  /* TCBs, the keeper: the whole image */
TERN_PROF_PHASE(ph_exit_servers, "exit.servers"); /* MM_EXIT and VFS_PROC_EXIT */
TERN_PROF_PHASE(ph_exit_total, "exit.total");	  /* to the zombie and the parent told */

void proc_exit(struct proc_server *ps, struct process *p, uint64_t status)
{
	if (p->state != PROC_RUNNING)
		return;
	uint64_t t_all = tern_prof_begin(), t = t_all; /* 0 when off */
	proc_threads_end(ps, p);		       /* every thread but 0 (thread.c) */
	proc_signal_exit(ps, p);
	tern_prof_lap(&ph_exit_threads, &t);
	proc_destroy_image(ps, p);
	tern_prof_lap(&ph_exit_image, &t);
	if (ps->mm_ep) {
		struct mm_exit_req req = { .pid = p->pid };
		struct mm_exit_resp resp;
		mm_exit_call(ps->mm_ep, &req, &resp);
	}
	if (ps->vfs_ep) {
		struct vfs_proc_exit_req req = { .pid = p->pid };
		struct vfs_proc_exit_resp resp;
		tern_client_call(ps->vfs_ep, VFS_PROC_EXIT, &req, sizeof(req) / 8, &resp,
				 sizeof(resp) / 8);
	}
	tern_prof_lap(&ph_exit_servers, &t);
	proc_gone(ps, p->pid); /* the console ends its calls (gone.c) */
	proc_vfork_release(ps, p);
	p->state = PROC_ZOMBIE;
	p->status = status;
	proc_signal_orphans(ps, p);
	/* Children of the dead go to init, as Linux reparents them. */
	for (unsigned i = 0; i < PROC_MAX; i++) {
		struct process *c = &ps->procs[i];
		if (c->state != PROC_FREE && c->ppid == p->pid && c != p) {
			c->ppid = 1;
			c->sig.exit_signal = POSIX_SIGCHLD; /* as Linux's reparent_leader */
			if (c->state == PROC_ZOMBIE)
				proc_notify_parent(ps, c, POSIX_CLD_EXITED);
		}
	}
	if (p->pid == 1) {
		init_exited(ps, status);
		proc_release(ps, p);
		return;
	}
	if (!proc_find(ps, p->ppid)) {
		proc_release(ps, p); /* nobody to wait: reaped at once */
		return;
	}
	proc_notify_parent(ps, p, POSIX_CLD_EXITED);
	tern_prof_end(&ph_exit_total, t_all);
}
