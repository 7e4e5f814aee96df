/*
 * wait4 and waitid (PROC_WAITID, PROC_WAIT4), after Linux's do_wait
 * (kernel/exit.c): which children are eligible (the id, and __WALL /
 * __WCLONE against the child's exit signal), what each reports (a zombie
 * with WEXITED, a stopped child once with WSTOPPED, a continued one once
 * with WCONTINUED; WNOWAIT leaves the report), and the parent's side of a
 * child's change: SIGCHLD (its siginfo, SA_NOCLDSTOP, SIG_IGN and
 * SA_NOCLDWAIT's reaping at once) and the waiting call answered. A wait
 * that blocks is deferred, and ended with TERN_EINTERRUPTED when the
 * caller's interrupt bit comes (the server runtime's interruptible
 * waits, sys/server.h: main.c starts them).
 *
 * Entry points: proc_wait, proc_notify_parent, proc_wait_interrupt.
 */
#include "proc.h"

#include "posix/errno.h"
#include "posix/proto_proc.h"
#include "posix/status.h"
#include "sys/invoke.h"
#include "sys/syscalls.h"

#define WAITID_OPTIONS                                                                        \
	(POSIX_WNOHANG | POSIX_WNOWAIT | POSIX_WEXITED | POSIX_WUNTRACED | POSIX_WCONTINUED | \
	 POSIX_WNOTHREAD | POSIX_WCLONE | POSIX_WALL)

static bool eligible(const struct process *p, const struct process *c)
{
	const struct proc_signals *w = &p->sig;

	if (c->state == PROC_FREE || c->ppid != p->pid || c == p)
		return false;
	switch (w->wait_idtype) {
	case POSIX_P_PID:
		if (c->pid != (uint64_t)w->wait_id)
			return false;
		break;
	case POSIX_P_PGID:
		if (c->pgid != (uint64_t)w->wait_id)
			return false;
		break;
	}
	if (w->wait_options & POSIX_WALL)
		return true;
	/* Only __WCLONE sees children whose exit signal is not SIGCHLD. */
	return (c->sig.exit_signal != POSIX_SIGCHLD) == !!(w->wait_options & POSIX_WCLONE);
}

/* One scan of p's children with its stored wait: 1 found (out filled, the
 * report consumed unless WNOWAIT), 0 eligible children but nothing to
 * report, -1 none (ECHILD). */
static int scan(struct proc_server *ps, struct process *p, struct proc_waitid_resp *out)
{
	uint64_t opt = p->sig.wait_options;
	bool any = false;

	for (unsigned i = 0; i < PROC_MAX; i++) {
		struct process *c = &ps->procs[i];
		if (!eligible(p, c))
			continue;
		any = true;
		out->pid = (int64_t)c->pid;
		if (c->state == PROC_ZOMBIE) {
			if (!(opt & POSIX_WEXITED))
				continue;
			out->status = c->status;
			if (!(opt & POSIX_WNOWAIT))
				proc_release(ps, c);
			return 1;
		}
		if ((opt & POSIX_WUNTRACED) && c->sig.stopped && c->sig.stop_report) {
			out->status = POSIX_W_STOPPED(c->sig.stop_report);
			if (!(opt & POSIX_WNOWAIT))
				c->sig.stop_report = 0;
			return 1;
		}
		if ((opt & POSIX_WCONTINUED) && c->sig.cont_report) {
			out->status = POSIX_W_CONTINUED;
			if (!(opt & POSIX_WNOWAIT))
				c->sig.cont_report = false;
			return 1;
		}
	}
	out->pid = 0;
	return any ? 0 : -1;
}

/* A waiting call of p's answered, if it can be now. */
static void retry(struct proc_server *ps, struct process *p)
{
	struct proc_waitid_resp r = { 0 };

	if (!p->sig.wait_reply)
		return;
	int found = scan(ps, p, &r);
	if (found == 0)
		return;
	tern_cptr_t reply = p->sig.wait_reply;
	p->sig.wait_reply = 0;
	if (found > 0)
		tern_server_answer(reply, TERN_SERVER_OK, &r, sizeof(r) / 8);
	else
		tern_server_answer(reply, POSIX_STATUS(ECHILD), NULL, 0);
}

int proc_wait(struct proc_server *ps, struct process *p, const struct proc_waitid_req *in,
	      struct proc_waitid_resp *out)
{
	uint64_t opt = in->options;

	/* kernel_waitid's order: options, then the id. */
	if (opt & ~(uint64_t)WAITID_OPTIONS)
		return EINVAL;
	if (!(opt & (POSIX_WEXITED | POSIX_WUNTRACED | POSIX_WCONTINUED)))
		return EINVAL;
	int64_t id = in->id;
	switch (in->idtype) {
	case POSIX_P_ALL:
		break;
	case POSIX_P_PID:
		if (id <= 0)
			return EINVAL;
		break;
	case POSIX_P_PGID:
		if (id < 0)
			return EINVAL;
		if (id == 0)
			id = (int64_t)p->pgid;
		break;
	case POSIX_P_PIDFD:
		return id < 0 ? EINVAL : EBADF; /* no pidfd exists (pidfd_open: ENOSYS) */
	default:
		return EINVAL;
	}
	if (p->sig.wait_reply)
		return EBUSY; /* FIXME: one waiting call per process */
	p->sig.wait_idtype = in->idtype;
	p->sig.wait_id = id;
	p->sig.wait_options = opt;
	int found = scan(ps, p, out);
	if (found < 0)
		return ECHILD;
	if (found > 0 || (opt & POSIX_WNOHANG))
		return 0;
	return -1; /* the caller defers */
}

void proc_wait_deferred(struct proc_server *ps, struct process *p, tern_cptr_t reply)
{
	(void)ps;
	p->sig.wait_reply = reply;
}

uint64_t proc_wait_interrupt(struct proc_server *ps, uint64_t bits)
{
	uint64_t used = 0;

	for (unsigned i = 0; i < PROC_MAX; i++) {
		struct process *p = &ps->procs[i];
		uint64_t bit = tern_server_intr_bit_of(ps->srv, p->pid);
		if (p->state != PROC_RUNNING || !p->sig.wait_reply || !(bits & bit))
			continue;
		tern_server_answer(p->sig.wait_reply, TERN_SERVER_EINTERRUPTED, NULL, 0);
		p->sig.wait_reply = 0;
		used |= bit;
	}
	return used;
}

/* The SIGCHLD siginfo of child's change (do_notify_parent,
 * do_notify_parent_cldstop). */
static void chld_info(const struct process *c, int why, struct posix_siginfo *info)
{
	*info = (struct posix_siginfo){ .si_signo = POSIX_SIGCHLD, .si_code = why };
	info->u.chld.pid = (int32_t)c->pid;
	if (why == POSIX_CLD_STOPPED) {
		info->u.chld.status = (int32_t)c->sig.stop_sig;
	} else if (why == POSIX_CLD_CONTINUED) {
		info->u.chld.status = POSIX_SIGCONT;
	} else if (c->status & 0x7f) {
		info->si_code =
			(c->status & POSIX_W_COREFLAG) ? POSIX_CLD_DUMPED : POSIX_CLD_KILLED;
		info->u.chld.status = (int32_t)(c->status & 0x7f);
	} else {
		info->u.chld.status = (int32_t)((c->status >> 8) & 0xff);
	}
}

void proc_notify_parent(struct proc_server *ps, struct process *child, int why)
{
	struct process *parent = proc_find(ps, child->ppid);
	struct posix_siginfo info;

	if (!parent || parent->state != PROC_RUNNING)
		return;
	chld_info(child, why, &info);
	if (why != POSIX_CLD_EXITED) {
		if (!(parent->sig.chld & (PROC_CHLD_IGNORED | PROC_CHLD_NOCLDSTOP)))
			proc_signal_send(ps, parent, -1, &info);
		retry(ps, parent);
		return;
	}
	unsigned sig = child->sig.exit_signal;
	bool autoreap = false;
	if (sig == POSIX_SIGCHLD &&
	    (parent->sig.chld & (PROC_CHLD_IGNORED | PROC_CHLD_NOCLDWAIT))) {
		autoreap = true;
		if (parent->sig.chld & PROC_CHLD_IGNORED)
			sig = 0;
	}
	if (sig >= 1 && sig <= POSIX_NSIG) {
		info.si_signo = (int32_t)sig;
		proc_signal_send(ps, parent, -1, &info);
	}
	if (autoreap)
		proc_release(ps, child); /* no zombie: a waiting parent may see ECHILD */
	retry(ps, parent);
}
