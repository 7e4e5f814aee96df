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
#include "sys/invoke.h"
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
			while (proc_find(ps, pid))
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
	(void)ps;
	free(p->stage);
	*p = (struct process){ .state = PROC_FREE };
}

/* Thread first (it stops), then everything the keeper holds. */
void proc_destroy_image(struct proc_server *ps, tern_cptr_t tcb, tern_cptr_t keeper)
{
	(void)ps;
	if (tcb) {
		tern_tcb_suspend(tcb);
		proc_slot_free(tcb);
	}
	proc_slot_free(keeper);
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
	if (!ps->init_waited)
		tern_machine_exit(PROC_SLOT_MACHINE, TERN_MACHINE_EXIT, status == 0 ? 0 : 1);
}

void proc_exit(struct proc_server *ps, struct process *p, uint64_t status)
{
	if (p->state != PROC_RUNNING)
		return;
	proc_signal_exit(ps, p);
	proc_destroy_image(ps, p->threads[0].tcb, p->keeper);
	proc_slot_free(p->threads[0].proc_ntfn);
	p->threads[0] = (struct proc_thread){ 0 };
	p->keeper = 0;
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
}
