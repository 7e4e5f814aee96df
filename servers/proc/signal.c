/*
 * Signals between processes (docs/personality.md, "Signals between
 * processes, stop and wait, job control"): proc's pending sets and
 * siginfo queues until the target's libposix fetches them, the wake-up of
 * the thread that fetches (its POSIX_NTFN_PROC cap), kill's targets, the
 * group stop and continue, and orphaned process groups.
 *
 * After Linux's kernel/signal.c: prepare_signal (SIGCONT discards the
 * stops, a stop discards SIGCONT, SIGCONT continues), the legacy queue
 * (a standard signal once), __sigqueue_alloc (RLIMIT_SIGPENDING for
 * si_code < 0; a real-time signal beyond it EAGAIN unless SI_USER, a
 * standard one loses its info), next_signal and collect_signal at fetch.
 * SIGKILL and SIGSTOP are proc's alone: SIGKILL ends the process, SIGSTOP
 * starts the group stop; neither is queued. init (pid 1) never gets
 * either (SIGNAL_UNKILLABLE); its libposix drops the others whose action
 * is SIG_DFL at fetch, as Linux's get_signal does, so proc needs no copy
 * of init's actions.
 *
 * Entry points: proc_signal_send, proc_kill, proc_tgkill, proc_sigfetch,
 * proc_stop, proc_signal_exit, proc_signal_fork, proc_signal_orphans,
 * proc_pgrp_orphaned.
 */
#include "proc.h"

#include "common/string.h"
#include "posix/errno.h"
#include "posix/proto_proc.h"
#include "posix/status.h"
#include "sys/invoke.h"
#include "sys/malloc.h"
#include "sys/syscalls.h"
#include "sys/thread.h"

#define BIT(sig) (1ull << ((sig)-1))
#define STOP_SIGS \
	(BIT(POSIX_SIGSTOP) | BIT(POSIX_SIGTSTP) | BIT(POSIX_SIGTTIN) | BIT(POSIX_SIGTTOU))
#define SYNC_SIGS                                                                          \
	(BIT(POSIX_SIGSEGV) | BIT(POSIX_SIGBUS) | BIT(POSIX_SIGILL) | BIT(POSIX_SIGTRAP) | \
	 BIT(POSIX_SIGFPE) | BIT(POSIX_SIGSYS))
#define RLIMIT_SIGPENDING 11

/* The thread a process-directed signal wakes: 0, else the first live one. */
static int wake_index(const struct process *p)
{
	for (int i = 0; i < POSIX_THREADS_MAX; i++)
		if (p->threads[i].live && p->threads[i].proc_ntfn)
			return i;
	return -1;
}

static void wake(struct process *p, int thread)
{
	if (thread >= 0 && thread < POSIX_THREADS_MAX && p->threads[thread].live &&
	    p->threads[thread].proc_ntfn)
		tern_signal(p->threads[thread].proc_ntfn);
}

static void entry_free(struct proc_server *ps, struct proc_sigq *q)
{
	if (q->counted && ps->sigqueued)
		ps->sigqueued--;
	free(q);
}

/* Every queued instance of the signals in `set`, for the process and all
 * its threads (flush_sigqueue_mask). */
static void discard(struct proc_server *ps, struct process *p, uint64_t set)
{
	struct proc_sigq **pp = &p->sig.queue;

	p->sig.pending &= ~set;
	for (int i = 0; i < POSIX_THREADS_MAX; i++)
		p->sig.tpending[i] &= ~set;
	while (*pp) {
		struct proc_sigq *q = *pp;
		if (set & BIT(q->info.si_signo)) {
			*pp = q->next;
			entry_free(ps, q);
		} else {
			pp = &q->next;
		}
	}
}

static void answer_stop(tern_cptr_t *reply, uint64_t stopped)
{
	struct proc_stop_resp r = { .stopped = stopped };

	if (*reply)
		tern_server_answer(*reply, TERN_SERVER_OK, &r, sizeof(r) / 8);
	*reply = 0;
}

/* Every live thread is in PROC_STOP: the process is stopped. */
static void check_stopped(struct proc_server *ps, struct process *p)
{
	if (!p->sig.stop_sig || p->sig.stopped)
		return;
	for (int i = 0; i < POSIX_THREADS_MAX; i++)
		if (p->threads[i].live && !p->sig.stop_reply[i])
			return;
	p->sig.stopped = true;
	p->sig.stop_report = p->sig.stop_sig;
	p->sig.cont_report = false;
	proc_notify_parent(ps, p, POSIX_CLD_STOPPED);
}

/* Start the group stop (do_signal_stop): every other live thread is asked
 * to stop (it fetches, sees PROC_SIGFETCH_STOP, calls PROC_STOP). */
static void group_stop(struct process *p, unsigned sig, int caller)
{
	if (p->sig.stop_sig)
		return; /* stopping or stopped already */
	p->sig.stop_sig = sig;
	for (int i = 0; i < POSIX_THREADS_MAX; i++) {
		if (i == caller || !p->threads[i].live)
			continue;
		p->sig.stop_ask[i] = true;
		wake(p, i);
	}
}

/* SIGCONT (prepare_signal): the stop ends; the parent hears of it. */
static void group_continue(struct proc_server *ps, struct process *p)
{
	bool was_stopped = p->sig.stopped;

	p->sig.cont_seq++;
	if (!p->sig.stop_sig)
		return;
	for (int i = 0; i < POSIX_THREADS_MAX; i++) {
		p->sig.stop_ask[i] = false;
		answer_stop(&p->sig.stop_reply[i], 1);
	}
	p->sig.stop_sig = 0;
	p->sig.stopped = false;
	if (was_stopped) {
		p->sig.stop_report = 0;
		p->sig.cont_report = true;
		proc_notify_parent(ps, p, POSIX_CLD_CONTINUED);
	}
}

int proc_signal_send(struct proc_server *ps, struct process *p, int thread,
		     const struct posix_siginfo *info)
{
	int sig = info->si_signo;

	if (sig < 1 || sig > POSIX_NSIG)
		return EINVAL;
	if (p->state != PROC_RUNNING)
		return 0; /* a zombie: nothing to do, no error (Linux) */
	if (thread >= POSIX_THREADS_MAX || (thread >= 0 && !p->threads[thread].live))
		return ESRCH;
	if (sig == POSIX_SIGKILL || sig == POSIX_SIGSTOP) {
		if (p->pid == 1)
			return 0; /* SIGNAL_UNKILLABLE: never init's */
		if (sig == POSIX_SIGKILL) {
			proc_exit(ps, p, POSIX_W_SIGNALED(POSIX_SIGKILL));
			return 0;
		}
	}
	if (BIT(sig) & STOP_SIGS) {
		discard(ps, p, BIT(POSIX_SIGCONT));
	} else if (sig == POSIX_SIGCONT) {
		discard(ps, p, STOP_SIGS);
		group_continue(ps, p);
	}
	if (sig == POSIX_SIGSTOP) {
		group_stop(p, POSIX_SIGSTOP, -1);
		return 0;
	}

	uint64_t *set = thread < 0 ? &p->sig.pending : &p->sig.tpending[thread];
	if (sig < POSIX_SIGRTMIN && (*set & BIT(sig)))
		return 0; /* legacy_queue: a standard signal is pending once */
	bool limited = info->si_code < 0;
	struct proc_sigq *q = NULL;
	if (!limited || ps->sigqueued < p->rlim[RLIMIT_SIGPENDING][0])
		q = malloc(sizeof(*q));
	if (q) {
		q->next = NULL;
		q->thread = thread;
		q->counted = limited;
		q->info = *info;
		if (limited)
			ps->sigqueued++;
		struct proc_sigq **pp = &p->sig.queue;
		while (*pp)
			pp = &(*pp)->next;
		*pp = q;
	} else if (sig >= POSIX_SIGRTMIN && info->si_code != POSIX_SI_USER) {
		return EAGAIN;
	} /* else: pending without its info (Linux's TRACE_SIGNAL_LOSE_INFO) */
	*set |= BIT(sig);
	wake(p, thread < 0 ? wake_index(p) : thread);
	return 0;
}

/* next_signal: synchronous signals first, then the lowest number. */
static int next_signal(uint64_t pending, uint64_t mask)
{
	uint64_t x = pending & ~mask;

	if (!x)
		return 0;
	if (x & SYNC_SIGS)
		x &= SYNC_SIGS;
	return __builtin_ctzll(x) + 1;
}

/* collect_signal: the first queued instance of sig for `thread` (-1 the
 * process); the bit stays while another instance is queued. */
static void collect(struct proc_server *ps, struct process *p, int thread, int sig,
		    struct posix_siginfo *info)
{
	uint64_t *set = thread < 0 ? &p->sig.pending : &p->sig.tpending[thread];
	struct proc_sigq **pp, *first = NULL, **firstp = NULL;
	bool more = false;

	for (pp = &p->sig.queue; *pp; pp = &(*pp)->next) {
		if ((*pp)->thread != thread || (*pp)->info.si_signo != sig)
			continue;
		if (first) {
			more = true;
			break;
		}
		first = *pp;
		firstp = pp;
	}
	if (!more)
		*set &= ~BIT(sig);
	if (first) {
		*info = first->info;
		*firstp = first->next;
		entry_free(ps, first);
	} else {
		*info = (struct posix_siginfo){ .si_signo = sig, .si_code = POSIX_SI_USER };
	}
}

int proc_sigfetch(struct proc_server *ps, struct process *p, const struct proc_sigfetch_req *in,
		  struct proc_sigfetch_resp *out)
{
	if (in->thread >= POSIX_THREADS_MAX || !p->threads[in->thread].live)
		return EINVAL;
	int t = (int)in->thread;
	uint64_t mask = in->mask & ~(BIT(POSIX_SIGKILL) | BIT(POSIX_SIGSTOP));
	int sig = next_signal(p->sig.tpending[t], mask);

	memset(out, 0, sizeof(*out));
	if (sig) {
		collect(ps, p, t, sig, &out->info);
		out->flags |= PROC_SIGFETCH_THREAD;
	} else if ((sig = next_signal(p->sig.pending, mask))) {
		collect(ps, p, -1, sig, &out->info);
	}
	out->pending = p->sig.tpending[t] | p->sig.pending;
	if (out->pending & ~mask)
		out->flags |= PROC_SIGFETCH_MORE;
	if (p->sig.stop_ask[t])
		out->flags |= PROC_SIGFETCH_STOP;
	out->seq = p->sig.cont_seq;
	return 0;
}

/* PROC_STOP. 1: answered now (*stopped), 0: the caller waits (reply
 * deferred into p->sig.stop_reply[thread] by the caller's handler). */
int proc_stop(struct proc_server *ps, struct process *p, const struct proc_stop_req *in, int *err)
{
	*err = 0;
	if (in->thread >= POSIX_THREADS_MAX || !p->threads[in->thread].live) {
		*err = EINVAL;
		return 1;
	}
	if (in->sig && !(in->sig <= POSIX_NSIG && (BIT(in->sig) & STOP_SIGS))) {
		*err = EINVAL;
		return 1;
	}
	if (p->sig.stop_reply[in->thread]) {
		*err = EBUSY;
		return 1;
	}
	if (in->seq != p->sig.cont_seq)
		return 1; /* a SIGCONT came after the fetch */
	if (in->sig) {
		/* Linux discards SIGTSTP, SIGTTIN and SIGTTOU for an orphaned
		 * group (get_signal), and init stops for nothing. */
		if (p->pid == 1 ||
		    (in->sig != POSIX_SIGSTOP && proc_pgrp_orphaned(ps, p->pgid, NULL)))
			return 1;
		group_stop(p, (unsigned)in->sig, (int)in->thread);
	} else if (!p->sig.stop_sig) {
		return 1; /* nothing to join */
	}
	return 0;
}

void proc_stop_wait(struct proc_server *ps, struct process *p, uint64_t thread, tern_cptr_t reply)
{
	p->sig.stop_ask[thread] = false;
	p->sig.stop_reply[thread] = reply;
	check_stopped(ps, p);
}

void proc_signal_exit(struct proc_server *ps, struct process *p)
{
	for (int i = 0; i < POSIX_THREADS_MAX; i++)
		if (p->sig.stop_reply[i]) {
			tern_server_answer(p->sig.stop_reply[i], POSIX_STATUS(ESRCH), NULL, 0);
			p->sig.stop_reply[i] = 0;
		}
	if (p->sig.wait_reply) {
		tern_server_answer(p->sig.wait_reply, POSIX_STATUS(ESRCH), NULL, 0);
		p->sig.wait_reply = 0;
	}
	discard(ps, p, ~0ull);
	p->sig.stop_sig = 0;
	p->sig.stopped = false;
	p->sig.stop_report = 0;
	p->sig.cont_report = false;
}

void proc_signal_fork(const struct process *parent, struct process *child)
{
	unsigned exit_signal = child->sig.exit_signal;

	child->sig = (struct proc_signals){ .chld = parent->sig.chld, .exit_signal = exit_signal };
}

bool proc_pgrp_orphaned(struct proc_server *ps, uint64_t pgid, const struct process *ignore)
{
	for (unsigned i = 0; i < PROC_MAX; i++) {
		const struct process *q = &ps->procs[i];
		if (q->state != PROC_RUNNING || q->pgid != pgid || q == ignore)
			continue;
		if (ignore && q->ppid == ignore->pid)
			continue; /* its parent becomes init */
		const struct process *parent = proc_find(ps, q->ppid);
		if (!parent || parent->pid == 1)
			continue;
		if (parent->pgid != pgid && parent->sid == q->sid)
			return false;
	}
	return true;
}

static bool has_stopped_jobs(struct proc_server *ps, uint64_t pgid)
{
	for (unsigned i = 0; i < PROC_MAX; i++)
		if (ps->procs[i].state == PROC_RUNNING && ps->procs[i].pgid == pgid &&
		    ps->procs[i].sig.stopped)
			return true;
	return false;
}

static void hup_cont(struct proc_server *ps, uint64_t pgid)
{
	static const int sigs[2] = { POSIX_SIGHUP, POSIX_SIGCONT };

	for (int k = 0; k < 2; k++)
		for (unsigned i = 0; i < PROC_MAX; i++) {
			struct process *q = &ps->procs[i];
			if (q->state != PROC_RUNNING || q->pgid != pgid)
				continue;
			struct posix_siginfo info = { .si_signo = sigs[k],
						      .si_code = POSIX_SI_KERNEL };
			proc_signal_send(ps, q, -1, &info);
		}
}

/* kill_orphaned_pgrp at exit_notify: p's own group (its link was p's
 * parent) and its children's groups (their link was p). */
void proc_signal_orphans(struct proc_server *ps, struct process *p)
{
	struct process *parent = proc_find(ps, p->ppid);

	if (parent && parent->state == PROC_RUNNING && parent->pgid != p->pgid &&
	    parent->sid == p->sid && proc_pgrp_orphaned(ps, p->pgid, p) &&
	    has_stopped_jobs(ps, p->pgid))
		hup_cont(ps, p->pgid);
	for (unsigned i = 0; i < PROC_MAX; i++) {
		struct process *c = &ps->procs[i];
		if (c->state != PROC_RUNNING || c->ppid != p->pid || c == p)
			continue;
		if (c->pgid != p->pgid && c->sid == p->sid && proc_pgrp_orphaned(ps, c->pgid, p) &&
		    has_stopped_jobs(ps, c->pgid))
			hup_cont(ps, c->pgid);
	}
}

/* The sender's siginfo for kill/tkill (prepare_kill_siginfo). */
static void kill_info(struct posix_siginfo *info, int sig, int code, uint64_t sender)
{
	*info = (struct posix_siginfo){ .si_signo = sig, .si_code = code };
	info->u.kill.pid = (int32_t)sender;
}

/* One target of kill: its result (group_send_sig_info). */
static int kill_one(struct proc_server *ps, struct process *t, int64_t sig,
		    const struct posix_siginfo *info)
{
	if (sig < 0 || sig > POSIX_NSIG)
		return EINVAL;
	if (sig == 0 || t->state != PROC_RUNNING)
		return 0;
	struct posix_siginfo i = *info;
	i.si_signo = (int32_t)sig;
	return proc_signal_send(ps, t, -1, &i);
}

int proc_kill(struct proc_server *ps, struct process *self, const struct proc_kill_req *in,
	      const struct posix_siginfo *user, bool *self_target)
{
	int64_t pid = in->pid, sig = in->sig;
	uint64_t sender = self ? self->pid : 0;
	struct posix_siginfo info;

	if (user) {
		/* rt_sigqueueinfo: one process; the caller's siginfo as it
		 * gave it, si_signo forced. */
		if (pid <= 0)
			return ESRCH; /* kill_proc_info finds no such pid */
		if ((user->si_code >= 0 || user->si_code == POSIX_SI_TKILL) &&
		    (!self || (uint64_t)pid != self->pid))
			return EPERM;
		info = *user;
	} else {
		kill_info(&info, 0, self ? POSIX_SI_USER : POSIX_SI_KERNEL, sender);
	}
	if (in->flags & PROC_KILL_PGRP) {
		if (pid <= 0)
			return ESRCH;
		pid = -pid; /* a group, even group 1 */
	} else if (pid == INT32_MIN) {
		return ESRCH;
	}
	if (pid > 0) {
		struct process *t = proc_find(ps, (uint64_t)pid);
		if (!t)
			return ESRCH;
		if (t == self && (in->flags & PROC_KILL_NOTSELF)) {
			*self_target = sig >= 0 && sig <= POSIX_NSIG;
			return *self_target ? 0 : EINVAL;
		}
		return kill_one(ps, t, sig, &info);
	}
	if (!self && !(in->flags & PROC_KILL_PGRP))
		return EPERM; /* the console signals groups only */
	bool all = pid == -1 && !(in->flags & PROC_KILL_PGRP), any = false, success = false;
	uint64_t pgid = pid == 0 ? self->pgid : (uint64_t)-pid;
	int ret = ESRCH;
	for (unsigned i = 0; i < PROC_MAX; i++) {
		struct process *t = &ps->procs[i];
		if (t->state == PROC_FREE)
			continue;
		if (all ? (t->pid <= 1 || t == self) : t->pgid != pgid)
			continue;
		int err;
		if (t == self && (in->flags & PROC_KILL_NOTSELF)) {
			err = sig < 0 || sig > POSIX_NSIG ? EINVAL : 0;
			*self_target = !err;
		} else {
			err = kill_one(ps, t, sig, &info);
		}
		any = true;
		success |= !err;
		if (all ? err != EPERM : true)
			ret = err;
	}
	if (!any)
		return ESRCH;
	return all ? ret : (success ? 0 : ret);
}

int proc_tgkill(struct proc_server *ps, struct process *self, const struct proc_tgkill_req *in,
		const struct posix_siginfo *user)
{
	struct posix_siginfo info;

	if (in->tid <= 0 || (in->tgid <= 0 && in->tgid != -1))
		return EINVAL;
	if (user) {
		if ((user->si_code >= 0 || user->si_code == POSIX_SI_TKILL) &&
		    (uint64_t)in->tgid != self->pid)
			return EPERM;
		info = *user;
	} else {
		kill_info(&info, 0, POSIX_SI_TKILL, self->pid);
	}
	for (unsigned i = 0; i < PROC_MAX; i++) {
		struct process *t = &ps->procs[i];
		if (t->state != PROC_RUNNING)
			continue;
		if (in->tgid != -1 && t->pid != (uint64_t)in->tgid)
			continue;
		for (int k = 0; k < POSIX_THREADS_MAX; k++) {
			if (!t->threads[k].live || t->threads[k].tid != (uint64_t)in->tid)
				continue;
			if (in->sig < 0 || in->sig > POSIX_NSIG)
				return EINVAL;
			if (in->sig == 0)
				return 0;
			info.si_signo = (int32_t)in->sig;
			return proc_signal_send(ps, t, k, &info);
		}
	}
	return ESRCH;
}
