/*
 * fork, vfork and clone of a process (PROC_FORK, posix/proto_proc.h;
 * docs/personality.md "fork"). The child: a new pid, the caller's
 * identity and limits, a CSpace as exec's (image.c) whose one thread has
 * the index of the forking thread, a new VSpace that mm fills from the
 * parent's (MM_FORK: copy-on-write clones of private memory), vfs's copy
 * of the fd table (VFS_PROC_FORK), fresh IPC buffers, the FPU state of
 * the forking thread. Everything is undone on a failure. Entry point:
 * proc_fork.
 */
#include "image.h"

#include "posix/boot.h"
#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/status.h"
#include "posix/layout.h"
#include "posix/proto_mm.h"
#include "posix/proto_proc.h"
#include "posix/proto_vfs.h"
#include "posix/signal.h"
#include "sys/invoke.h"
#include "sys/prof.h"
#include "sys/spawn.h"
#include "tern/invocation.h"

#define PAGE 4096ul
#define RFLAGS_IF 0x200ul
#define RFLAGS_RESERVED 0x2ul
#define USER_TOP 0x800000000000ul

/* The flags a process clone accepts (CLONE_THREAD is a thread's). The
 * namespaces, ptrace and pidfd are not known here: EINVAL. */
#define FORK_FLAGS                                                                       \
	(PROC_CLONE_VM | PROC_CLONE_FS | PROC_CLONE_FILES | PROC_CLONE_SIGHAND |         \
	 PROC_CLONE_VFORK | PROC_CLONE_PARENT | PROC_CLONE_SYSVSEM | PROC_CLONE_SETTLS | \
	 PROC_CLONE_PARENT_SETTID | PROC_CLONE_CHILD_CLEARTID | PROC_CLONE_DETACHED |    \
	 PROC_CLONE_UNTRACED | PROC_CLONE_CHILD_SETTID | 0xfful)

static int vfs_fork(struct proc_server *ps, struct process *p, struct process *c, uint64_t flags)
{
	if (!ps->vfs_ep)
		return 0;
	struct vfs_proc_fork_req req = {
		.parent = p->pid,
		.child = c->pid,
		.flags = (flags & PROC_CLONE_FILES) ? VFS_PROC_SHARE_FILES : 0,
	};
	struct vfs_proc_fork_resp resp;
	int st = tern_client_call(ps->vfs_ep, VFS_PROC_FORK, &req, sizeof(req) / 8, &resp,
				  sizeof(resp) / 8);
	if (st == POSIX_STATUS(ENOMEM))
		return ENOMEM;
	return st ? EAGAIN : 0;
}

static void vfs_unfork(struct proc_server *ps, struct process *c)
{
	struct vfs_proc_exit_req req = { .pid = c->pid };
	struct vfs_proc_exit_resp resp;

	if (ps->vfs_ep)
		tern_client_call(ps->vfs_ep, VFS_PROC_EXIT, &req, sizeof(req) / 8, &resp,
				 sizeof(resp) / 8);
}

static int mm_fork(struct build *b, struct process *p, struct process *c)
{
	if (!b->ps->mm_ep)
		return 0;
	/* A CLONE_VM child (a vfork child before its exec) has no space of
	 * its own: its fork copies the memory it runs in, its parent's (as
	 * Linux's copy_mm of the mm it shares). */
	for (unsigned hops = 0; !p->space && p->vfork_parent && hops < 8; hops++) {
		struct process *owner = proc_find(b->ps, p->vfork_parent);
		if (!owner)
			break;
		p = owner;
	}
	struct mm_fork_req req = { .parent = p->pid, .child = c->pid };
	struct mm_fork_resp resp;
	int st = tern_client_call_cap(b->ps->mm_ep, MM_FORK, b->space, &req, sizeof(req) / 8, &resp,
				      sizeof(resp) / 8);
	return st ? ENOMEM : 0;
}

static void mm_unfork(struct proc_server *ps, struct process *c)
{
	struct mm_exit_req req = { .pid = c->pid };
	struct mm_exit_resp resp;

	if (ps->mm_ep)
		mm_exit_call(ps->mm_ep, &req, &resp);
}

/* Where a fork's time goes in proc (sys/prof.h, tern.profile=1; the
 * names in docs/measurements.md, "fork and exit (issue 10)"). */
TERN_PROF_PHASE(ph_fork_cspace, "fork.cspace");	  /* keeper, CNode, space, VSpace */
TERN_PROF_PHASE(ph_fork_ipc_tcb, "fork.ipc_tcb"); /* IPC buffers mapped, TCB configured */
TERN_PROF_PHASE(ph_fork_fill, "fork.fill");	  /* the child's CSpace */
TERN_PROF_PHASE(ph_fork_vfs, "fork.vfs");	  /* VFS_PROC_FORK: the fd table */
TERN_PROF_PHASE(ph_fork_mm, "fork.mm");		  /* MM_FORK: the memory */
TERN_PROF_PHASE(ph_fork_start, "fork.start");	  /* FPU, registers, keeper, resume */
TERN_PROF_PHASE(ph_fork_total, "fork.total");	  /* the whole request */

int proc_fork(struct proc_server *ps, struct process *p, const struct proc_fork_req *in,
	      uint64_t *child_pid)
{
	uint64_t t_all = tern_prof_begin(), tp = t_all; /* 0 when off */
	uint64_t flags = in->flags, t = in->thread;
	struct process *c;
	bool vfs_done = false, mm_done = false;
	int err;

	if (flags & ~(uint64_t)FORK_FLAGS)
		return EINVAL;
	if ((flags & 0xff) > 64)
		return EINVAL;
	/* Linux's copy_process checks. */
	if ((flags & PROC_CLONE_SIGHAND) && !(flags & PROC_CLONE_VM))
		return EINVAL;
	if ((flags & PROC_CLONE_PARENT) && p->pid == 1)
		return EINVAL; /* init's siblings cannot be reaped */
	if (t >= POSIX_THREADS_MAX || !p->threads[t].live || !p->threads[t].tcb)
		return EINVAL;
	/* CLONE_VM: the child is a thread of another process in the
	 * caller's address space, at a free index there. */
	bool vm = flags & PROC_CLONE_VM;
	if (vm && (in->child_thread >= POSIX_THREADS_MAX || p->threads[in->child_thread].live ||
		   p->threads[in->child_thread].tcb || !p->ipc || !p->vspace))
		return EINVAL;
	if (in->rip >= USER_TOP || in->rsp >= USER_TOP ||
	    ((flags & PROC_CLONE_SETTLS) && in->tls >= USER_TOP))
		return EINVAL;
	/* RLIMIT_NPROC and threads-max (limits.c). */
	if ((err = proc_fork_limit(ps)))
		return err;
	c = proc_alloc(ps, (flags & PROC_CLONE_PARENT) ? p->ppid : p->pid, 0);
	if (!c)
		return EAGAIN;
	c->pgid = p->pgid;
	c->sid = p->sid;
	c->nice = p->nice;
	for (unsigned i = 0; i < POSIX_RLIM_NLIMITS; i++) {
		c->rlim[i][0] = p->rlim[i][0];
		c->rlim[i][1] = p->rlim[i][1];
	}
	/* CLONE_PARENT: the caller's own exit signal (Linux). */
	c->sig.exit_signal =
		(flags & PROC_CLONE_PARENT) ? p->sig.exit_signal : (unsigned)(flags & 0xff);
	proc_signal_fork(p, c);

	if (vm)
		t = in->child_thread;
	struct build b = { .ps = ps, .thread = (unsigned)t, .shared = vm ? p : NULL };
	struct tern_regs regs = {
		.rip = in->rip,
		.rsp = in->rsp,
		.rdi = in->rdi,
		.rsi = c->pid,
		.rdx = c->ppid,
		.rflags = RFLAGS_IF | RFLAGS_RESERVED,
		.fs_base = in->tls, /* libposix sends the caller's own without CLONE_SETTLS */
		.gs_base = POSIX_THREAD_IPC + t * PAGE,
	};
	err = image_new_cspace(&b);
	tern_prof_lap(&ph_fork_cspace, &tp);
	if (!err)
		err = image_ipc_tcb(&b);
	tern_prof_lap(&ph_fork_ipc_tcb, &tp);
	if (!err)
		err = image_fill_cspace(&b, c);
	tern_prof_lap(&ph_fork_fill, &tp);
	if (!err && !(err = vfs_fork(ps, p, c, flags)))
		vfs_done = true;
	tern_prof_lap(&ph_fork_vfs, &tp);
	if (!err && !vm && !(err = mm_fork(&b, p, c)))
		mm_done = true;
	tern_prof_lap(&ph_fork_mm, &tp);
	if (!err && (tern_tcb_copy_fpu(b.tcb, p->threads[in->thread].tcb) ||
		     tern_tcb_write_registers(b.tcb, 0, &regs)))
		err = ENOMEM;
	if (!err)
		err = image_keep(&b);
	if (err) {
		if (mm_done)
			mm_unfork(ps, c);
		if (vfs_done)
			vfs_unfork(ps, c);
		image_abort(&b);
		proc_release(ps, c);
		return err;
	}
	image_install(&b, c);
	tern_tcb_resume(c->threads[t].tcb);
	*child_pid = c->pid;
	tern_prof_end(&ph_fork_start, tp);
	tern_prof_end(&ph_fork_total, t_all);
	return 0;
}
