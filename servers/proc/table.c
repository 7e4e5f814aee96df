/*
 * proc's label-to-handler table and the handlers of PROC_PROTOCOL
 * (posix/proto_proc.h), plus the fault labels. The caller is the badge:
 * a pid for a Linux process, POSIX_BADGE_ROOT for the root task; nothing
 * in a message names who is asking.
 */
#include "proc.h"

#include "common/format.h"
#include "posix/boot.h"
#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/status.h"
#include "posix/proto_proc.h"
#include "posix/proto_vfs.h"
#include "common/string.h"
#include "sys/invoke.h"
#include "sys/malloc.h"
#include "sys/printf.h"
#include "sys/spawn.h"
#include "sys/syscalls.h"
#include "sys/thread.h"
#include "tern/fault.h"
#include "tern/invocation.h"

PROC_PROTOCOL(TERN_SERVER_HANDLER)

/* 0 or a Linux errno as a reply status. */
static int errno_status(int err)
{
	return err ? POSIX_STATUS(err) : TERN_SERVER_OK;
}

static struct proc_server *server_of(struct tern_request *req)
{
	return req->server->ctx;
}

/* The root task: its minted POSIX_BADGE_ROOT cap, or the unbadged
 * original of proc's endpoint (only the root holds it; every Linux
 * process's cap carries its pid, never 0). */
static bool from_root(const struct tern_request *req)
{
	return req->badge == POSIX_BADGE_ROOT || req->badge == 0;
}

/* The live process that sent req, or NULL. A thread's fault endpoint
 * carries its index above the pid (posix/cspace.h POSIX_BADGE_THREAD);
 * any message on it counts as from the pid. */
static struct process *caller(struct tern_request *req)
{
	if (req->badge & (POSIX_BADGE_PROC | POSIX_BADGE_ROOT | POSIX_BADGE_CONSOLE))
		return NULL;
	struct process *p = proc_find(server_of(req), POSIX_BADGE_PID(req->badge));

	return p && p->state == PROC_RUNNING ? p : NULL;
}

static int proc_start_init_handle(struct tern_request *req, const struct proc_start_init_req *in,
				  struct proc_start_init_resp *out)
{
	struct proc_server *ps = server_of(req);
	struct process *p;
	int err;

	if (!from_root(req))
		return POSIX_STATUS(EPERM);
	if (proc_find(ps, 1) || ps->init_exited)
		return POSIX_STATUS(EEXIST);
	p = proc_alloc(ps, 0, 1);
	if (!p)
		return POSIX_STATUS(EAGAIN);
	p->pgid = p->sid = p->pid;
	proc_limits_init(p, NULL);
	/* Its files first: fds 0, 1, 2 on /dev/console, cwd "/". */
	if (ps->vfs_ep) {
		struct vfs_proc_create_req c = { .pid = p->pid, .parent_pid = 0 };
		struct vfs_proc_create_resp cr;
		int st = tern_client_call(ps->vfs_ep, VFS_PROC_CREATE, &c, sizeof(c) / 8, &cr,
					  sizeof(cr) / 8);
		if (st) {
			proc_release(ps, p);
			return st > 0 ? st : POSIX_STATUS(EIO);
		}
	}
	err = proc_exec(ps, p, &in->e, req->words);
	if (err) {
		if (ps->vfs_ep) {
			struct vfs_proc_exit_req x = { .pid = p->pid };
			struct vfs_proc_exit_resp xr;
			tern_client_call(ps->vfs_ep, VFS_PROC_EXIT, &x, sizeof(x) / 8, &xr,
					 sizeof(xr) / 8);
		}
		proc_release(ps, p);
		return POSIX_STATUS(err);
	}
	out->pid = p->pid;
	return TERN_SERVER_OK;
}

static int proc_execve_handle(struct tern_request *req, const struct proc_execve_req *in,
			      struct proc_execve_resp *out)
{
	struct process *p = caller(req);
	(void)out;

	if (!p)
		return POSIX_STATUS(ESRCH);
	/* Success destroys the caller's thread: nothing is left to answer. */
	int err = proc_exec(server_of(req), p, &in->e, req->words);
	if (!err) /* exec keeps SIG_IGN, resets a handler and its flags */
		p->sig.chld =
			(in->e.sig_ignored >> (POSIX_SIGCHLD - 1)) & 1 ? PROC_CHLD_IGNORED : 0;
	free(p->stage);
	p->stage = NULL;
	p->stage_len = 0;
	return POSIX_STATUS(err);
}

static int proc_exec_stage_handle(struct tern_request *req, const struct proc_exec_stage_req *in,
				  struct proc_exec_stage_resp *out)
{
	struct process *p = caller(req);
	uint64_t avail = ((uint64_t)req->words - sizeof(*in) / 8) * 8;
	(void)out;

	if (!p)
		return POSIX_STATUS(ESRCH);
	if (in->bytes > avail || in->offset > PROC_EXEC_STAGE_MAX ||
	    in->bytes > PROC_EXEC_STAGE_MAX - in->offset)
		return POSIX_STATUS(E2BIG);
	if (in->offset == 0)
		p->stage_len = 0;
	if (in->offset != p->stage_len)
		return POSIX_STATUS(EINVAL); /* pieces in order */
	if (!p->stage && !(p->stage = malloc(PROC_EXEC_STAGE_MAX)))
		return POSIX_STATUS(ENOMEM);
	memcpy(p->stage + in->offset, in + 1, in->bytes);
	p->stage_len += in->bytes;
	return TERN_SERVER_OK;
}

static int proc_exit_handle(struct tern_request *req, const struct proc_exit_req *in,
			    struct proc_exit_resp *out)
{
	struct process *p = caller(req);
	(void)out;

	if (!p)
		return POSIX_STATUS(ESRCH);
	proc_exit(server_of(req), p, POSIX_W_EXITCODE(in->code));
	return TERN_SERVER_OK; /* to nobody: the thread is gone */
}

/* Threads (thread.c). */
static int proc_thread_create_handle(struct tern_request *req,
				     const struct proc_thread_create_req *in,
				     struct proc_thread_create_resp *out)
{
	struct process *p = caller(req);

	if (!p)
		return POSIX_STATUS(ESRCH);
	int err = proc_thread_create(server_of(req), p, in->index, &out->tid);
	return err ? POSIX_STATUS(err) : TERN_SERVER_OK;
}

static int proc_thread_exit_handle(struct tern_request *req, const struct proc_thread_exit_req *in,
				   struct proc_thread_exit_resp *out)
{
	struct process *p = caller(req);
	(void)out;

	if (!p)
		return POSIX_STATUS(ESRCH);
	/* The calling thread itself may be gone now: its answer goes nowhere. */
	int err = proc_thread_exit(server_of(req), p, in->index, in->code & 0xff);
	return err ? POSIX_STATUS(err) : TERN_SERVER_OK;
}

/* Killed by a signal whose action libposix found to be the default,
 * terminate (posix/proto_proc.h): the status is the signal's. */
static int proc_exit_signal_handle(struct tern_request *req, const struct proc_exit_signal_req *in,
				   struct proc_exit_signal_resp *out)
{
	struct process *p = caller(req);
	(void)out;

	if (!p)
		return POSIX_STATUS(ESRCH);
	if (in->sig < 1 || in->sig > 64)
		return POSIX_STATUS(EINVAL);
	proc_exit(server_of(req), p, proc_kill_status(p, (unsigned)in->sig));
	return TERN_SERVER_OK; /* to nobody: the thread is gone */
}

/* reboot(2) (libposix checked the magic and the single root user's
 * CAP_SYS_BOOT): Linux's last line, then the machine's end. HALT has no
 * cleaner end under QEMU than power-off (Linux would stop the CPUs and
 * leave QEMU running). A Machine cap that fails answers EIO. */
static int proc_reboot_handle(struct tern_request *req, const struct proc_reboot_req *in,
			      struct proc_reboot_resp *out)
{
	static const char power[] = "reboot: Power down", halt[] = "reboot: System halted",
			  restart[] = "reboot: Restarting system";
	(void)out;

	if (!caller(req) && !from_root(req))
		return POSIX_STATUS(ESRCH);
	if (in->cmd == PROC_REBOOT_POWER_OFF || in->cmd == PROC_REBOOT_HALT ||
	    in->cmd == PROC_REBOOT_RESTART)
		proc_prof_dump_all(server_of(req)); /* prof.c */
	switch (in->cmd) {
	case PROC_REBOOT_POWER_OFF:
		tern_log(0, power, sizeof(power) - 1);
		tern_machine_exit(PROC_SLOT_MACHINE, TERN_MACHINE_POWER_OFF, 0);
		break;
	case PROC_REBOOT_HALT:
		tern_log(0, halt, sizeof(halt) - 1);
		tern_machine_exit(PROC_SLOT_MACHINE, TERN_MACHINE_POWER_OFF, 0);
		break;
	case PROC_REBOOT_RESTART:
		tern_log(0, restart, sizeof(restart) - 1);
		tern_machine_exit(PROC_SLOT_MACHINE, TERN_MACHINE_RESTART, 0);
		break;
	default:
		return POSIX_STATUS(EINVAL);
	}
	return POSIX_STATUS(EIO);
}

/* fork, vfork, clone of a process (fork.c). A vfork parent's answer waits
 * in the child until it execs or exits. */
static int proc_fork_handle(struct tern_request *req, const struct proc_fork_req *in,
			    struct proc_fork_resp *out)
{
	struct process *p = caller(req);
	uint64_t pid = 0;

	if (!p)
		return POSIX_STATUS(ESRCH);
	int err = proc_fork(server_of(req), p, in, &pid);
	if (err)
		return POSIX_STATUS(err);
	out->pid = (int64_t)pid;
	if (in->flags & (PROC_CLONE_VFORK | PROC_CLONE_VM)) {
		/* The child holds the answer (proc_vfork_release); it cannot
		 * run proc's handlers before this one returns. */
		struct process *c = proc_find(server_of(req), pid);
		c->vfork_reply = tern_request_defer(req);
		c->vfork_parent = p->pid;
		if (c->vfork_reply)
			return TERN_SERVER_DEFERRED;
	}
	return TERN_SERVER_OK;
}

static int proc_getppid_handle(struct tern_request *req, const struct proc_getppid_req *in,
			       struct proc_getppid_resp *out)
{
	struct process *p = caller(req);
	(void)in;

	if (!p)
		return POSIX_STATUS(ESRCH);
	out->ppid = (int64_t)p->ppid;
	return TERN_SERVER_OK;
}

/* The wait both calls share: answered, an error, or deferred. */
static int wait_common(struct tern_request *req, struct process *p, const struct proc_waitid_req *w,
		       struct proc_waitid_resp *out)
{
	struct proc_server *ps = server_of(req);
	int r = proc_wait(ps, p, w, out);

	if (r >= 0)
		return errno_status(r);
	if (tern_server_intr_check(req->server, req->badge))
		return TERN_SERVER_EINTERRUPTED; /* a signal came as it called */
	tern_cptr_t reply = tern_request_defer(req);
	if (!reply)
		return POSIX_STATUS(EAGAIN);
	proc_wait_deferred(ps, p, reply);
	return TERN_SERVER_DEFERRED;
}

static int proc_waitid_handle(struct tern_request *req, const struct proc_waitid_req *in,
			      struct proc_waitid_resp *out)
{
	struct process *p = caller(req);

	return p ? wait_common(req, p, in, out) : POSIX_STATUS(ESRCH);
}

/* wait4 (kernel_wait4): its own options, INT_MIN ESRCH, the pid as an
 * idtype, WEXITED added. */
static int proc_wait4_handle(struct tern_request *req, const struct proc_wait4_req *in,
			     struct proc_wait4_resp *out)
{
	struct process *p = caller(req);
	struct proc_waitid_req w = { .options = in->options | POSIX_WEXITED };
	struct proc_waitid_resp r;

	if (!p)
		return POSIX_STATUS(ESRCH);
	if (in->options & ~(uint64_t)(POSIX_WNOHANG | POSIX_WUNTRACED | POSIX_WCONTINUED |
				      POSIX_WNOTHREAD | POSIX_WALL | POSIX_WCLONE))
		return POSIX_STATUS(EINVAL);
	if (in->pid == INT32_MIN || in->pid == INT64_MIN)
		return POSIX_STATUS(ESRCH);
	if (in->pid == -1) {
		w.idtype = POSIX_P_ALL;
	} else if (in->pid <= 0) {
		w.idtype = POSIX_P_PGID;
		w.id = -in->pid;
	} else {
		w.idtype = POSIX_P_PID;
		w.id = in->pid;
	}
	_Static_assert(sizeof(r) == sizeof(*out), "wait4's answer is waitid's");
	int st = wait_common(req, p, &w, &r);
	out->pid = r.pid;
	out->status = r.status;
	return st;
}

/* kill(2) and rt_sigqueueinfo (PROC_KILL_INFO); the console's cap
 * signals groups (posix/proto_proc.h). */
static int proc_kill_handle(struct tern_request *req, const struct proc_kill_req *in,
			    struct proc_kill_resp *out)
{
	struct process *p = caller(req);
	const struct posix_siginfo *user = NULL;
	bool self = false;

	if (!p && req->badge != POSIX_BADGE_CONSOLE)
		return POSIX_STATUS(ESRCH);
	if (in->flags & ~(uint64_t)(PROC_KILL_INFO | PROC_KILL_NOTSELF | PROC_KILL_PGRP))
		return POSIX_STATUS(EINVAL);
	if (in->flags & PROC_KILL_INFO) {
		if (!p)
			return POSIX_STATUS(EPERM);
		if (req->words < sizeof(*in) / 8 + sizeof(*user) / 8)
			return TERN_SERVER_EMSGSIZE;
		user = (const struct posix_siginfo *)(in + 1);
	}
	int err = proc_kill(server_of(req), p, in, user, &self);
	out->self = self;
	return errno_status(err);
}

static int proc_tgkill_handle(struct tern_request *req, const struct proc_tgkill_req *in,
			      struct proc_tgkill_resp *out)
{
	struct process *p = caller(req);
	const struct posix_siginfo *user = NULL;
	(void)out;

	if (!p)
		return POSIX_STATUS(ESRCH);
	if (in->flags & ~(uint64_t)PROC_KILL_INFO)
		return POSIX_STATUS(EINVAL);
	if (in->flags & PROC_KILL_INFO) {
		if (req->words < sizeof(*in) / 8 + sizeof(*user) / 8)
			return TERN_SERVER_EMSGSIZE;
		user = (const struct posix_siginfo *)(in + 1);
	}
	return errno_status(proc_tgkill(server_of(req), p, in, user));
}

static int proc_sigfetch_handle(struct tern_request *req, const struct proc_sigfetch_req *in,
				struct proc_sigfetch_resp *out)
{
	struct process *p = caller(req);

	return p ? errno_status(proc_sigfetch(server_of(req), p, in, out)) : POSIX_STATUS(ESRCH);
}

static int proc_stop_handle(struct tern_request *req, const struct proc_stop_req *in,
			    struct proc_stop_resp *out)
{
	struct proc_server *ps = server_of(req);
	struct process *p = caller(req);
	int err;

	if (!p)
		return POSIX_STATUS(ESRCH);
	if (proc_stop(ps, p, in, &err)) {
		out->stopped = 0;
		return errno_status(err);
	}
	tern_cptr_t reply = tern_request_defer(req);
	if (!reply)
		return POSIX_STATUS(EAGAIN);
	proc_stop_wait(ps, p, in->thread, reply);
	return TERN_SERVER_DEFERRED;
}

static int proc_sigpolicy_handle(struct tern_request *req, const struct proc_sigpolicy_req *in,
				 struct proc_sigpolicy_resp *out)
{
	struct process *p = caller(req);
	(void)out;

	if (!p)
		return POSIX_STATUS(ESRCH);
	if (in->chld & ~(uint64_t)(PROC_CHLD_IGNORED | PROC_CHLD_NOCLDWAIT | PROC_CHLD_NOCLDSTOP))
		return POSIX_STATUS(EINVAL);
	p->sig.chld = (unsigned)in->chld;
	return TERN_SERVER_OK;
}

/* The console's watch for deaths (gone.c): its cap only. */
static int proc_gone_watch_handle(struct tern_request *req, const struct proc_gone_watch_req *in,
				  struct proc_gone_watch_resp *out)
{
	return proc_gone_watch(server_of(req), req, in, out);
}

/* The console's questions for job control (tty_check_change, TIOCSPGRP,
 * the controlling session's end): its cap only. */
static int proc_tty_query_handle(struct tern_request *req, const struct proc_tty_query_req *in,
				 struct proc_tty_query_resp *out)
{
	struct proc_server *ps = server_of(req);

	if (req->badge != POSIX_BADGE_CONSOLE)
		return POSIX_STATUS(EPERM);
	struct process *p = proc_find(ps, in->pid);
	*out = (struct proc_tty_query_resp){ 0 };
	if (p && p->state == PROC_RUNNING) {
		out->sid = (int64_t)p->sid;
		out->pgid = (int64_t)p->pgid;
		if (proc_pgrp_orphaned(ps, p->pgid, NULL))
			out->flags |= PROC_TTY_ORPHANED;
	}
	out->pgrp_sid = -1;
	int64_t by_pid = -1;
	for (unsigned i = 0; i < PROC_MAX; i++) {
		const struct process *q = &ps->procs[i];
		if (q->state == PROC_FREE)
			continue;
		if (in->pgrp > 0 && q->pgid == (uint64_t)in->pgrp)
			out->pgrp_sid = (int64_t)q->sid;
		if (in->pgrp > 0 && q->pid == (uint64_t)in->pgrp)
			by_pid = (int64_t)q->sid;
		if (in->session > 0 && q->state == PROC_RUNNING &&
		    q->pid == (uint64_t)in->session && q->sid == q->pid)
			out->flags |= PROC_TTY_SESSION_LIVE;
	}
	if (out->pgrp_sid < 0)
		out->pgrp_sid = by_pid;
	return TERN_SERVER_OK;
}

/* The process a pid argument names: 0 is the caller. */
static struct process *target(struct tern_request *req, struct process *self, int64_t pid)
{
	if (pid < 0)
		return NULL;
	return pid == 0 ? self : proc_find(server_of(req), (uint64_t)pid);
}

static int proc_getpgid_handle(struct tern_request *req, const struct proc_getpgid_req *in,
			       struct proc_getpgid_resp *out)
{
	struct process *p = caller(req), *t;

	if (!p)
		return POSIX_STATUS(ESRCH);
	t = target(req, p, in->pid);
	if (!t)
		return POSIX_STATUS(ESRCH);
	out->pgid = (int64_t)t->pgid;
	return TERN_SERVER_OK;
}

static int proc_getsid_handle(struct tern_request *req, const struct proc_getsid_req *in,
			      struct proc_getsid_resp *out)
{
	struct process *p = caller(req), *t;

	if (!p)
		return POSIX_STATUS(ESRCH);
	t = target(req, p, in->pid);
	if (!t)
		return POSIX_STATUS(ESRCH);
	out->sid = (int64_t)t->sid;
	return TERN_SERVER_OK;
}

/* Linux's setpgid (kernel/sys.c): the caller or a child of it, in the
 * caller's session; not a session leader; the group must exist in the
 * session unless it is the target's own pid. */
static int proc_setpgid_handle(struct tern_request *req, const struct proc_setpgid_req *in,
			       struct proc_setpgid_resp *out)
{
	struct proc_server *ps = server_of(req);
	struct process *p = caller(req), *t;
	int64_t pgid = in->pgid;
	(void)out;

	if (!p)
		return POSIX_STATUS(ESRCH);
	if (pgid < 0)
		return POSIX_STATUS(EINVAL);
	t = target(req, p, in->pid);
	if (!t || t->state != PROC_RUNNING || (t != p && t->ppid != p->pid))
		return POSIX_STATUS(ESRCH);
	if (pgid == 0)
		pgid = (int64_t)t->pid;
	if (t != p && t->sid != p->sid)
		return POSIX_STATUS(EPERM);
	if (t->sid == t->pid)
		return POSIX_STATUS(EPERM);
	if ((uint64_t)pgid != t->pid) {
		bool found = false;
		for (unsigned i = 0; i < PROC_MAX; i++)
			if (ps->procs[i].state == PROC_RUNNING &&
			    ps->procs[i].pgid == (uint64_t)pgid && ps->procs[i].sid == p->sid)
				found = true;
		if (!found)
			return POSIX_STATUS(EPERM);
	}
	t->pgid = (uint64_t)pgid;
	return TERN_SERVER_OK;
}

static int proc_setsid_handle(struct tern_request *req, const struct proc_setsid_req *in,
			      struct proc_setsid_resp *out)
{
	struct proc_server *ps = server_of(req);
	struct process *p = caller(req);
	(void)in;

	if (!p)
		return POSIX_STATUS(ESRCH);
	for (unsigned i = 0; i < PROC_MAX; i++)
		if (ps->procs[i].state != PROC_FREE && ps->procs[i].pgid == p->pid)
			return POSIX_STATUS(EPERM); /* already a group leader */
	p->sid = p->pgid = p->pid;
	out->sid = (int64_t)p->sid;
	return TERN_SERVER_OK;
}

static int proc_wait_init_handle(struct tern_request *req, const struct proc_wait_init_req *in,
				 struct proc_wait_init_resp *out)
{
	struct proc_server *ps = server_of(req);
	(void)in;

	if (!from_root(req))
		return POSIX_STATUS(EPERM);
	if (ps->init_exited) {
		out->status = ps->init_status;
		return TERN_SERVER_OK;
	}
	if (ps->init_wait)
		return POSIX_STATUS(EBUSY);
	ps->init_wait = tern_request_defer(req);
	return ps->init_wait ? TERN_SERVER_DEFERRED : POSIX_STATUS(EAGAIN);
}

static int proc_prlimit_handle(struct tern_request *req, const struct proc_prlimit_req *in,
			       struct proc_prlimit_resp *out)
{
	struct process *p = caller(req);

	return p ? proc_prlimit(server_of(req), p, in, out) : POSIX_STATUS(ESRCH);
}

static int proc_getpriority_handle(struct tern_request *req, const struct proc_getpriority_req *in,
				   struct proc_getpriority_resp *out)
{
	struct process *p = caller(req);

	return p ? proc_getpriority(server_of(req), p, in->which, in->who, &out->nice)
		 : POSIX_STATUS(ESRCH);
}

static int proc_setpriority_handle(struct tern_request *req, const struct proc_setpriority_req *in,
				   struct proc_setpriority_resp *out)
{
	struct process *p = caller(req);
	(void)out;

	return p ? proc_setpriority(server_of(req), p, in->which, in->who, in->nice)
		 : POSIX_STATUS(ESRCH);
}

/* A Linux thread's fault (proc is its fault endpoint): fault.c. A fault
 * is only believed from a process's own badge. */
static int fault_thunk(struct tern_request *req, const void *in_words, void *out)
{
	struct process *p = caller(req);
	(void)out;

	if (!p)
		return POSIX_STATUS(ESRCH);
	return proc_fault(server_of(req), p, req->badge, TERN_FAULT_VECTOR(req->label), in_words);
}

static int proc_fault_fetch_handle(struct tern_request *req, const struct proc_fault_fetch_req *in,
				   struct proc_fault_fetch_resp *out)
{
	struct process *p = caller(req);

	return p ? proc_fault_fetch(server_of(req), p, in, out) : POSIX_STATUS(ESRCH);
}

static int proc_fault_kill_handle(struct tern_request *req, const struct proc_fault_kill_req *in,
				  struct proc_fault_kill_resp *out)
{
	struct process *p = caller(req);
	(void)out;

	if (!p)
		return POSIX_STATUS(ESRCH);
	int st = proc_fault_kill(server_of(req), p, in);
	return st ? st : TERN_SERVER_OK; /* to nobody once it succeeded */
}

/* clang-format off */
#define FAULT_OP(v) { TERN_FAULT_LABEL_BASE + (v), 4, 1, fault_thunk, "FAULT" },
#define FAULT_OPS8(v) FAULT_OP(v) FAULT_OP(v + 1) FAULT_OP(v + 2) FAULT_OP(v + 3) \
	FAULT_OP(v + 4) FAULT_OP(v + 5) FAULT_OP(v + 6) FAULT_OP(v + 7)
/* clang-format on */

const struct tern_server_op proc_ops[] = { PROC_PROTOCOL(TERN_SERVER_OP) FAULT_OPS8(0) FAULT_OPS8(8)
						   FAULT_OPS8(16) FAULT_OPS8(24) };
const unsigned proc_nops = sizeof(proc_ops) / sizeof(proc_ops[0]);
