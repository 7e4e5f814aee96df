/*
 * proc's signals between processes and wait (servers/proc/signal.c,
 * servers/proc/wait.c) on the host: the process table is a plain array,
 * proc_exit/proc_find/proc_release are small stand-ins here, the kernel's
 * SIGNAL and the runtime's deferred answers are recorded. Each test is a
 * rule of Linux's kernel/signal.c or kernel/exit.c (named in the test).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "posix/errno.h"
#include "posix/proto_proc.h"
#include "posix/status.h"
#include "proc.h"
#include "sys/syscalls.h"

/* ---- the fake kernel and runtime ---- */

static uint64_t signalled[64]; /* tern_signal's caps, in order */
static unsigned nsignalled;

uint64_t tern_host_syscall(uint64_t num, struct tern_sysregs *r)
{
	(void)num;
	if (nsignalled < 64)
		signalled[nsignalled++] = r->rdi;
	return 0;
}

struct answer {
	tern_cptr_t reply;
	uint64_t status;
	uint64_t w[2];
};
static struct answer answers[32];
static unsigned nanswers;

/* No interrupt bits given out here: every client has its pid's. */
uint64_t tern_server_intr_bit_of(const struct tern_server *s, uint64_t badge)
{
	(void)s;
	return tern_server_intr_bit(badge);
}

enum tern_error tern_server_answer(tern_cptr_t reply, uint64_t status, const void *resp,
				   unsigned words)
{
	struct answer *a = &answers[nanswers++ % 32];
	*a = (struct answer){ .reply = reply, .status = status };
	if (resp && words)
		memcpy(a->w, resp, (words < 2 ? words : 2) * 8);
	return TERN_EOK;
}

/* ---- stand-ins for process.c ---- */

static struct proc_server ps;
static uint64_t exits; /* proc_exit calls */

struct process *proc_find(struct proc_server *s, uint64_t pid)
{
	for (unsigned i = 0; i < PROC_MAX; i++)
		if (s->procs[i].state != PROC_FREE && s->procs[i].pid == pid)
			return &s->procs[i];
	return NULL;
}

void proc_release(struct proc_server *s, struct process *p)
{
	(void)s;
	*p = (struct process){ .state = PROC_FREE };
}

void proc_exit(struct proc_server *s, struct process *p, uint64_t status)
{
	exits++;
	proc_signal_exit(s, p);
	p->state = PROC_ZOMBIE;
	p->status = status;
	proc_notify_parent(s, p, POSIX_CLD_EXITED);
}

#define BIT(s) (1ull << ((s)-1))

/* A running process: pid, parent, group, session, `threads` live threads
 * (thread i's proc_ntfn cap is pid * 100 + i). */
static struct process *mk(uint64_t pid, uint64_t ppid, uint64_t pgid, uint64_t sid, int threads)
{
	for (unsigned i = 0; i < PROC_MAX; i++) {
		struct process *p = &ps.procs[i];
		if (p->state != PROC_FREE)
			continue;
		*p = (struct process){
			.state = PROC_RUNNING, .pid = pid, .ppid = ppid, .pgid = pgid, .sid = sid
		};
		p->sig.exit_signal = POSIX_SIGCHLD;
		p->rlim[11][0] = 4; /* RLIMIT_SIGPENDING */
		for (int t = 0; t < threads; t++)
			p->threads[t] = (struct proc_thread){ .live = true,
							      .tid = t ? pid * 1000 + t : pid,
							      .proc_ntfn = pid * 100 + t };
		return p;
	}
	return NULL;
}

static int setup(void **state)
{
	(void)state;
	memset(&ps, 0, sizeof(ps));
	nsignalled = nanswers = 0;
	exits = 0;
	return 0;
}

static struct posix_siginfo info(int sig, int code)
{
	return (struct posix_siginfo){ .si_signo = sig, .si_code = code };
}

static int send(struct process *p, int thread, int sig, int code)
{
	struct posix_siginfo i = info(sig, code);
	return proc_signal_send(&ps, p, thread, &i);
}

static struct proc_sigfetch_resp fetch(struct process *p, int thread, uint64_t mask)
{
	struct proc_sigfetch_req q = { .thread = (uint64_t)thread, .mask = mask };
	struct proc_sigfetch_resp r;
	assert_int_equal(proc_sigfetch(&ps, p, &q, &r), 0);
	return r;
}

static void free_queues(void)
{
	for (unsigned i = 0; i < PROC_MAX; i++)
		if (ps.procs[i].state == PROC_RUNNING)
			proc_signal_exit(&ps, &ps.procs[i]);
}

/* legacy_queue: a standard signal is pending once; a real-time one is
 * queued each time, with its info; fetch in next_signal's order. */
static void queue_and_order(void **state)
{
	(void)state;
	struct process *p = mk(5, 1, 5, 1, 2);

	assert_int_equal(send(p, -1, POSIX_SIGUSR1, POSIX_SI_USER), 0);
	assert_int_equal(send(p, -1, POSIX_SIGUSR1, POSIX_SI_USER), 0);
	struct posix_siginfo q = info(40, POSIX_SI_QUEUE);
	q.u.kill.value = 111;
	assert_int_equal(proc_signal_send(&ps, p, -1, &q), 0);
	q.u.kill.value = 222;
	assert_int_equal(proc_signal_send(&ps, p, -1, &q), 0);
	assert_int_equal(send(p, -1, POSIX_SIGSEGV, 1), 0);
	assert_int_equal(send(p, 1, POSIX_SIGTERM, POSIX_SI_TKILL), 0);
	/* Process-directed signals wake thread 0, a directed one its thread. */
	assert_int_equal(signalled[0], 500);
	assert_int_equal(signalled[nsignalled - 1], 501);

	/* Thread 0: synchronous first (SIGSEGV), then the lowest. */
	struct proc_sigfetch_resp r = fetch(p, 0, 0);
	assert_int_equal(r.info.si_signo, POSIX_SIGSEGV);
	assert_true(r.flags & PROC_SIGFETCH_MORE);
	assert_false(r.flags & PROC_SIGFETCH_THREAD);
	r = fetch(p, 0, 0);
	assert_int_equal(r.info.si_signo, POSIX_SIGUSR1);
	r = fetch(p, 0, BIT(40)); /* masked: skipped, still pending */
	assert_int_equal(r.info.si_signo, 0);
	assert_int_equal(r.pending, BIT(40));
	assert_false(r.flags & PROC_SIGFETCH_MORE);
	r = fetch(p, 0, 0);
	assert_int_equal(r.info.si_signo, 40);
	assert_int_equal(r.info.u.kill.value, 111);
	assert_true(r.pending & BIT(40)); /* the second instance */
	r = fetch(p, 0, 0);
	assert_int_equal(r.info.u.kill.value, 222);
	assert_int_equal(r.pending, 0);
	/* Thread 1 takes its own first. */
	r = fetch(p, 1, 0);
	assert_int_equal(r.info.si_signo, POSIX_SIGTERM);
	assert_true(r.flags & PROC_SIGFETCH_THREAD);
	assert_int_equal(ps.sigqueued, 0);
}

/* __sigqueue_alloc: si_code < 0 counts against RLIMIT_SIGPENDING (4
 * here); beyond it a real-time sigqueue is EAGAIN, a real-time kill and
 * a standard signal stay pending without their info. */
static void sigpending_limit(void **state)
{
	(void)state;
	struct process *p = mk(5, 1, 5, 1, 1);

	for (int i = 0; i < 4; i++)
		assert_int_equal(send(p, -1, 50, POSIX_SI_QUEUE), 0);
	assert_int_equal(send(p, -1, 50, POSIX_SI_QUEUE), EAGAIN);
	assert_int_equal(send(p, -1, 51, POSIX_SI_USER), 0); /* override_rlimit */
	struct posix_siginfo t = info(POSIX_SIGHUP, POSIX_SI_TKILL);
	t.u.kill.pid = 77;
	assert_int_equal(proc_signal_send(&ps, p, -1, &t), 0);
	struct proc_sigfetch_resp r = fetch(p, 0, 0);
	assert_int_equal(r.info.si_signo, POSIX_SIGHUP);
	assert_int_equal(r.info.si_code, POSIX_SI_USER); /* the info was lost */
	assert_int_equal(r.info.u.kill.pid, 0);
	free_queues();
	assert_int_equal(ps.sigqueued, 0);
}

/* SIGKILL ends the process (not init); SIGSTOP is never queued. */
static void kill_and_init(void **state)
{
	(void)state;
	struct process *init = mk(1, 0, 1, 1, 1), *p = mk(6, 1, 6, 1, 1);

	assert_int_equal(send(init, -1, POSIX_SIGKILL, POSIX_SI_USER), 0);
	assert_int_equal(send(init, -1, POSIX_SIGSTOP, POSIX_SI_USER), 0);
	assert_int_equal(init->state, PROC_RUNNING);
	assert_int_equal(init->sig.stop_sig, 0);
	assert_int_equal(send(p, -1, POSIX_SIGKILL, POSIX_SI_USER), 0);
	assert_int_equal(p->state, PROC_ZOMBIE);
	assert_int_equal(p->status, 9);
	/* init got SIGCHLD with CLD_KILLED. */
	struct proc_sigfetch_resp r = fetch(init, 0, 0);
	assert_int_equal(r.info.si_signo, POSIX_SIGCHLD);
	assert_int_equal(r.info.si_code, POSIX_CLD_KILLED);
	assert_int_equal(r.info.u.chld.status, 9);
	assert_int_equal(r.info.u.chld.pid, 6);
}

static int stop_call(struct process *p, int thread, unsigned sig, uint64_t seq, tern_cptr_t reply)
{
	struct proc_stop_req q = { .thread = (uint64_t)thread, .sig = sig, .seq = seq };
	int err;
	if (proc_stop(&ps, p, &q, &err))
		return err ? -err : 0; /* answered now: not stopped */
	proc_stop_wait(&ps, p, (uint64_t)thread, reply);
	return 1;
}

static int wait_call(struct process *p, uint64_t idtype, int64_t id, uint64_t options,
		     struct proc_waitid_resp *out)
{
	struct proc_waitid_req q = { .idtype = idtype, .id = id, .options = options };
	return proc_wait(&ps, p, &q, out);
}

/* The group stop (do_signal_stop): SIGSTOP asks every thread; the process
 * is stopped when all are in PROC_STOP; the parent hears CLD_STOPPED and
 * wait(WUNTRACED) reports 0x137f once; SIGCONT answers the stops, the
 * parent hears CLD_CONTINUED, wait(WCONTINUED) reports 0xffff once. */
static void stop_and_continue(void **state)
{
	(void)state;
	struct process *parent = mk(2, 1, 2, 1, 1), *c = mk(3, 2, 2, 1, 2);
	struct proc_waitid_resp w;

	assert_int_equal(send(c, -1, POSIX_SIGCONT, POSIX_SI_USER), 0); /* pending SIGCONT */
	assert_int_equal(send(c, -1, POSIX_SIGSTOP, POSIX_SI_USER), 0);
	assert_int_equal(c->sig.pending, 0); /* the stop discarded SIGCONT */
	struct proc_sigfetch_resp r = fetch(c, 0, 0);
	assert_true(r.flags & PROC_SIGFETCH_STOP);
	assert_int_equal(wait_call(parent, POSIX_P_ALL, 0, POSIX_WUNTRACED | POSIX_WNOHANG, &w), 0);
	assert_int_equal(w.pid, 0);
	assert_int_equal(stop_call(c, 0, 0, r.seq, 900), 1);
	assert_false(c->sig.stopped);
	assert_int_equal(stop_call(c, 1, 0, r.seq, 901), 1);
	assert_true(c->sig.stopped);
	r = fetch(parent, 0, 0);
	assert_int_equal(r.info.si_signo, POSIX_SIGCHLD);
	assert_int_equal(r.info.si_code, POSIX_CLD_STOPPED);
	assert_int_equal(r.info.u.chld.status, POSIX_SIGSTOP);
	/* WEXITED alone does not see a stop; WUNTRACED does, WNOWAIT keeps it. */
	assert_int_equal(wait_call(parent, POSIX_P_ALL, 0, POSIX_WEXITED | POSIX_WNOHANG, &w), 0);
	assert_int_equal(w.pid, 0);
	assert_int_equal(wait_call(parent, POSIX_P_PID, 3, POSIX_WUNTRACED | POSIX_WNOWAIT, &w), 0);
	assert_int_equal(w.status, 0x137f);
	assert_int_equal(wait_call(parent, POSIX_P_PID, 3, POSIX_WUNTRACED, &w), 0);
	assert_int_equal(w.status, 0x137f);
	assert_int_equal(wait_call(parent, POSIX_P_PID, 3, POSIX_WUNTRACED | POSIX_WNOHANG, &w), 0);
	assert_int_equal(w.pid, 0); /* reported once */
	/* A stop signal queued while stopped is discarded by SIGCONT. */
	assert_int_equal(send(c, -1, POSIX_SIGTSTP, POSIX_SI_USER), 0);
	nanswers = 0;
	assert_int_equal(send(c, -1, POSIX_SIGCONT, POSIX_SI_USER), 0);
	assert_false(c->sig.stopped);
	assert_int_equal(nanswers, 2); /* both stops answered: stopped 1 */
	assert_int_equal(answers[0].status, 0);
	assert_int_equal(answers[0].w[0], 1);
	assert_int_equal(c->sig.pending, BIT(POSIX_SIGCONT)); /* SIGTSTP gone */
	r = fetch(parent, 0, 0);
	assert_int_equal(r.info.si_code, POSIX_CLD_CONTINUED);
	assert_int_equal(r.info.u.chld.status, POSIX_SIGCONT);
	assert_int_equal(wait_call(parent, POSIX_P_ALL, 0, POSIX_WCONTINUED, &w), 0);
	assert_int_equal(w.status, 0xffff);
	assert_int_equal(wait_call(parent, POSIX_P_ALL, 0, POSIX_WCONTINUED | POSIX_WNOHANG, &w),
			 0);
	assert_int_equal(w.pid, 0);
	free_queues();
}

/* A SIGCONT between the fetch and PROC_STOP cancels the stop; SIGTSTP in
 * an orphaned group is discarded (get_signal); SA_NOCLDSTOP: no SIGCHLD. */
static void stop_races_and_orphans(void **state)
{
	(void)state;
	struct process *parent = mk(2, 1, 2, 1, 1), *c = mk(3, 2, 3, 1, 1);

	struct proc_sigfetch_resp r = fetch(c, 0, 0);
	assert_int_equal(send(c, -1, POSIX_SIGCONT, POSIX_SI_USER), 0);
	assert_int_equal(stop_call(c, 0, POSIX_SIGTSTP, r.seq, 900), 0);
	assert_int_equal(c->sig.stop_sig, 0);
	/* Not orphaned: the parent is in another group of the session. */
	parent->sig.chld = PROC_CHLD_NOCLDSTOP;
	r = fetch(c, 0, 0);
	assert_int_equal(stop_call(c, 0, POSIX_SIGTSTP, r.seq, 901), 1);
	assert_true(c->sig.stopped);
	assert_int_equal(parent->sig.pending, 0); /* SA_NOCLDSTOP */
	assert_int_equal(send(c, -1, POSIX_SIGCONT, POSIX_SI_USER), 0);
	/* Orphaned: the parent in another session. */
	parent->sid = 2;
	r = fetch(c, 0, 0);
	assert_int_equal(stop_call(c, 0, POSIX_SIGTTIN, r.seq, 902), 0);
	assert_false(c->sig.stopped);
	assert_int_equal(stop_call(c, 0, POSIX_SIGINT, r.seq, 903), -EINVAL);
	free_queues();
}

/* do_wait: exit statuses, ECHILD, WNOHANG, id types, __WCLONE/__WALL,
 * option checks (kernel_waitid's order). */
static void wait_rules(void **state)
{
	(void)state;
	struct process *parent = mk(2, 1, 2, 1, 1), *a = mk(3, 2, 7, 1, 1), *b = mk(4, 2, 2, 1, 1);
	struct proc_waitid_resp w;

	assert_int_equal(wait_call(parent, POSIX_P_ALL, 0, 0, &w), EINVAL);
	assert_int_equal(wait_call(parent, POSIX_P_ALL, 0, POSIX_WEXITED | 0x10, &w), EINVAL);
	assert_int_equal(wait_call(parent, POSIX_P_PID, 0, POSIX_WEXITED, &w), EINVAL);
	assert_int_equal(wait_call(parent, POSIX_P_PGID, -1, POSIX_WEXITED, &w), EINVAL);
	assert_int_equal(wait_call(parent, 9, 0, POSIX_WEXITED, &w), EINVAL);
	assert_int_equal(wait_call(parent, POSIX_P_PID, 99, POSIX_WEXITED, &w), ECHILD);
	assert_int_equal(wait_call(a, POSIX_P_ALL, 0, POSIX_WEXITED, &w), ECHILD);
	assert_int_equal(wait_call(parent, POSIX_P_ALL, 0, POSIX_WEXITED, &w), -1); /* blocks */
	proc_wait_deferred(&ps, parent, 700);
	proc_exit(&ps, a, POSIX_W_EXITCODE(3));
	assert_int_equal(answers[nanswers - 1].reply, 700);
	assert_int_equal(answers[nanswers - 1].w[0], 3);
	assert_int_equal(answers[nanswers - 1].w[1], 0x300);
	assert_null(proc_find(&ps, 3)); /* reaped */
	/* P_PGID 0: the caller's group (b's). */
	b->sig.exit_signal = 0; /* a clone child: only __WCLONE / __WALL */
	proc_exit(&ps, b, POSIX_W_SIGNALED(POSIX_SIGSEGV) | POSIX_W_COREFLAG);
	assert_int_equal(wait_call(parent, POSIX_P_PGID, 0, POSIX_WEXITED | POSIX_WNOHANG, &w),
			 ECHILD);
	assert_int_equal(wait_call(parent, POSIX_P_PGID, 0,
				   POSIX_WEXITED | POSIX_WCLONE | POSIX_WNOWAIT, &w),
			 0);
	assert_int_equal(w.status, 0x8b);
	assert_int_equal(wait_call(parent, POSIX_P_ALL, 0, POSIX_WEXITED | POSIX_WALL, &w), 0);
	assert_int_equal(w.pid, 4);
	assert_int_equal(wait_call(parent, POSIX_P_ALL, 0, POSIX_WEXITED | POSIX_WALL, &w), ECHILD);
	/* A waiting call ended by its interrupt bit. */
	mk(5, 2, 2, 1, 1);
	assert_int_equal(wait_call(parent, POSIX_P_ALL, 0, POSIX_WEXITED, &w), -1);
	proc_wait_deferred(&ps, parent, 701);
	assert_int_equal(proc_wait_interrupt(&ps, 1ull << 3), 0); /* another's bit */
	assert_int_equal(proc_wait_interrupt(&ps, 1ull << 2), 1ull << 2);
	assert_int_equal(answers[nanswers - 1].reply, 701);
	assert_int_equal(answers[nanswers - 1].status, TERN_SERVER_EINTERRUPTED);
	free_queues();
}

/* do_notify_parent: SIGCHLD SIG_IGN reaps at once with no signal;
 * SA_NOCLDWAIT reaps and signals; a waiting parent then gets ECHILD. */
static void chld_policy(void **state)
{
	(void)state;
	struct process *parent = mk(2, 1, 2, 1, 1), *a = mk(3, 2, 2, 1, 1), *b = mk(4, 2, 2, 1, 1);
	struct proc_waitid_resp w;

	parent->sig.chld = PROC_CHLD_IGNORED;
	proc_exit(&ps, a, POSIX_W_EXITCODE(0));
	assert_null(proc_find(&ps, 3));
	assert_int_equal(parent->sig.pending, 0);
	parent->sig.chld = PROC_CHLD_NOCLDWAIT;
	assert_int_equal(wait_call(parent, POSIX_P_ALL, 0, POSIX_WEXITED, &w), -1);
	proc_wait_deferred(&ps, parent, 702);
	proc_exit(&ps, b, POSIX_W_EXITCODE(1));
	assert_null(proc_find(&ps, 4));
	assert_int_equal(parent->sig.pending, BIT(POSIX_SIGCHLD));
	assert_int_equal(answers[nanswers - 1].reply, 702);
	assert_int_equal(answers[nanswers - 1].status, POSIX_STATUS(ECHILD));
	struct proc_sigfetch_resp r = fetch(parent, 0, 0);
	assert_int_equal(r.info.si_code, POSIX_CLD_EXITED);
	assert_int_equal(r.info.u.chld.status, 1);
}

/* kill_something_info: groups, -1 (not init, not the caller), ESRCH
 * before EINVAL, NOTSELF, rt_sigqueueinfo's EPERM, tgkill's ESRCH. */
static void kill_targets(void **state)
{
	(void)state;
	struct process *init = mk(1, 0, 1, 1, 1), *me = mk(2, 1, 2, 1, 1), *x = mk(3, 2, 2, 1, 1),
		       *y = mk(4, 2, 4, 1, 2);
	bool self = false;
	struct proc_kill_req q = { .pid = -2, .sig = POSIX_SIGUSR1, .flags = PROC_KILL_NOTSELF };

	assert_int_equal(proc_kill(&ps, me, &q, NULL, &self), 0);
	assert_true(self);
	assert_int_equal(me->sig.pending, 0);
	assert_int_equal(x->sig.pending, BIT(POSIX_SIGUSR1));
	struct proc_sigfetch_resp r = fetch(x, 0, 0);
	assert_int_equal(r.info.si_code, POSIX_SI_USER);
	assert_int_equal(r.info.u.kill.pid, 2);
	q = (struct proc_kill_req){ .pid = -1, .sig = POSIX_SIGUSR2 };
	self = false;
	assert_int_equal(proc_kill(&ps, me, &q, NULL, &self), 0);
	assert_int_equal(init->sig.pending | me->sig.pending, 0);
	assert_int_equal(x->sig.pending & y->sig.pending, BIT(POSIX_SIGUSR2));
	q = (struct proc_kill_req){ .pid = -9, .sig = 99 };
	assert_int_equal(proc_kill(&ps, me, &q, NULL, &self), ESRCH);
	q.pid = -4;
	assert_int_equal(proc_kill(&ps, me, &q, NULL, &self), EINVAL);
	q = (struct proc_kill_req){ .pid = -2147483648ll, .sig = 0 };
	assert_int_equal(proc_kill(&ps, me, &q, NULL, &self), ESRCH);
	q = (struct proc_kill_req){ .pid = 4, .sig = 0 };
	assert_int_equal(proc_kill(&ps, me, &q, NULL, &self), 0);
	/* rt_sigqueueinfo: si_code >= 0 or SI_TKILL to another process. */
	struct posix_siginfo u = info(0, POSIX_SI_USER);
	q = (struct proc_kill_req){ .pid = 4, .sig = 40, .flags = PROC_KILL_INFO };
	assert_int_equal(proc_kill(&ps, me, &q, &u, &self), EPERM);
	u.si_code = POSIX_SI_QUEUE;
	u.u.kill.value = 5;
	assert_int_equal(proc_kill(&ps, me, &q, &u, &self), 0);
	/* The console's group kill (no caller process): SI_KERNEL, group 1. */
	q = (struct proc_kill_req){ .pid = 1, .sig = POSIX_SIGINT, .flags = PROC_KILL_PGRP };
	assert_int_equal(proc_kill(&ps, NULL, &q, NULL, &self), 0);
	r = fetch(init, 0, 0);
	assert_int_equal(r.info.si_signo, POSIX_SIGINT);
	assert_int_equal(r.info.si_code, POSIX_SI_KERNEL);
	q = (struct proc_kill_req){ .pid = -1, .sig = POSIX_SIGINT };
	assert_int_equal(proc_kill(&ps, NULL, &q, NULL, &self), EPERM);
	/* tgkill: thread 1 of pid 4 is tid 4001. */
	struct proc_tgkill_req t = { .tgid = 4, .tid = 4001, .sig = POSIX_SIGTERM };
	assert_int_equal(proc_tgkill(&ps, me, &t, NULL), 0);
	assert_int_equal(y->sig.tpending[1], BIT(POSIX_SIGTERM));
	t.tgid = 3;
	assert_int_equal(proc_tgkill(&ps, me, &t, NULL), ESRCH);
	t = (struct proc_tgkill_req){ .tgid = -1, .tid = 4001, .sig = 65 };
	assert_int_equal(proc_tgkill(&ps, me, &t, NULL), EINVAL);
	t.tid = 0;
	assert_int_equal(proc_tgkill(&ps, me, &t, NULL), EINVAL);
	free_queues();
}

/* kill_orphaned_pgrp: a parent's exit orphans its child's stopped group:
 * SIGHUP then SIGCONT for it. */
static void orphaned_stopped_group(void **state)
{
	(void)state;
	mk(1, 0, 1, 1, 1);
	struct process *sh = mk(2, 1, 2, 2, 1), *job = mk(3, 2, 3, 2, 1);

	struct proc_sigfetch_resp r = fetch(job, 0, 0);
	assert_int_equal(stop_call(job, 0, POSIX_SIGTSTP, r.seq, 900), 1);
	assert_true(job->sig.stopped);
	assert_false(proc_pgrp_orphaned(&ps, 3, NULL));
	proc_signal_orphans(&ps, sh);
	assert_false(job->sig.stopped);
	assert_int_equal(job->sig.pending, BIT(POSIX_SIGHUP) | BIT(POSIX_SIGCONT));
	free_queues();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(queue_and_order, setup),
		cmocka_unit_test_setup(sigpending_limit, setup),
		cmocka_unit_test_setup(kill_and_init, setup),
		cmocka_unit_test_setup(stop_and_continue, setup),
		cmocka_unit_test_setup(stop_races_and_orphans, setup),
		cmocka_unit_test_setup(wait_rules, setup),
		cmocka_unit_test_setup(chld_policy, setup),
		cmocka_unit_test_setup(kill_targets, setup),
		cmocka_unit_test_setup(orphaned_stopped_group, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
