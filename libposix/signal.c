/*
 * The signal family: rt_sigaction, rt_sigprocmask, rt_sigpending,
 * sigaltstack, kill, tkill, tgkill. The handler table (per process), the
 * mask and the pending set (per thread; one thread today) and the
 * alternate stack live here, in libposix's memory: every call is
 * answered without leaving the process (signal_calc.c holds the rules).
 * Entry points: posix_sys_<name> for each syscall above, and signals.h.
 *
 * No delivery yet (the next issue): a signal generated for the process
 * itself (kill to its own pid, SIGPIPE from a write) is discarded when
 * ignored, ends the process through PROC_EXIT_SIGNAL when its action is
 * the default terminate, and otherwise (a handler, a stop signal, or
 * blocked) stays pending. After each change of the mask or of an action
 * the pending, unblocked signals are looked at again, as Linux does on
 * the way back to user mode. Signals to other processes, groups and -1
 * go to proc (PROC_KILL, PROC_TGKILL: servers/proc/signal.c), which
 * leaves the caller's own to us.
 *
 * exec (proc.c's execve) passes on the SIG_IGN set, the mask and the
 * pending set; the new image's posix_signal_init starts from them.
 */
#include "call.h"
#include "errors.h"
#include "signal_calc.h"
#include "signals.h"
#include "state.h"
#include "uaccess.h"

#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/proto_proc.h"
#include "posix/start.h"
#include "sys/invoke.h"
#include "sys/syscalls.h"

static struct posix_sigstate sigstate;

int posix_signal_init(const struct posix_start *st)
{
	posix_sig_init(&sigstate, st->pid == 1, st->sig_ignored, st->sig_blocked, st->sig_pending);
	return 0;
}

void posix_signal_exec_state(uint64_t *ignored, uint64_t *blocked, uint64_t *pending)
{
	*ignored = posix_sig_ignored_set(&sigstate);
	*blocked = sigstate.blocked;
	*pending = sigstate.pending;
}

uint64_t posix_signal_ignored_or_blocked(void)
{
	return posix_sig_ignored_set(&sigstate) | sigstate.blocked;
}

static __attribute__((noreturn)) void killed_by(int sig)
{
	struct proc_exit_signal_req req = { .sig = (uint64_t)sig };
	struct proc_exit_signal_resp resp;

	proc_exit_signal_call(POSIX_SLOT_PROC_EP, &req, &resp);
	/* proc destroys the thread; reaching here means proc is gone. */
	for (;;)
		tern_tcb_suspend(POSIX_SLOT_TCB);
}

/* The default actions of what is pending and unblocked, now. */
static void settle(void)
{
	int sig = posix_sig_fatal_pending(&sigstate);

	if (sig)
		killed_by(sig);
}

long posix_signal_write_result(long r)
{
	if (r == -EPIPE) {
		posix_sig_generate(&sigstate, POSIX_SIGPIPE);
		settle();
	}
	return r;
}

/* SIGCHLD's action as proc's wait needs it (PROC_SIGPOLICY), sent when
 * it changes (the signals-between-processes part). */
static void chld_policy(const struct posix_sigaction *act)
{
	static uint64_t sent_pid, sent;
	uint64_t chld = (act->handler == POSIX_SIG_IGN ? PROC_CHLD_IGNORED : 0) |
			(act->flags & POSIX_SA_NOCLDWAIT ? PROC_CHLD_NOCLDWAIT : 0) |
			(act->flags & POSIX_SA_NOCLDSTOP ? PROC_CHLD_NOCLDSTOP : 0);

	if (sent_pid == posix_state.pid && sent == chld)
		return;
	struct proc_sigpolicy_req req = { .chld = chld };
	struct proc_sigpolicy_resp resp;
	if (proc_sigpolicy_call(POSIX_SLOT_PROC_EP, &req, &resp) == 0) {
		sent_pid = posix_state.pid;
		sent = chld;
	}
}

long posix_sys_rt_sigaction(struct posix_call *c)
{
	struct posix_sigaction act, old;
	long err;

	if (c->a[3] != POSIX_SIGSET_SIZE)
		return -EINVAL;
	if (c->a[1] && copy_from_user(&act, c->a[1], sizeof(act)))
		return -EFAULT;
	err = posix_sig_action(&sigstate, (long)(int)c->a[0], c->a[1] ? &act : NULL,
			       c->a[2] ? &old : NULL);
	if (err)
		return err;
	if (c->a[2] && copy_to_user(c->a[2], &old, sizeof(old)))
		err = -EFAULT;
	if (c->a[1] && (int)c->a[0] == POSIX_SIGCHLD)
		chld_policy(&act);
	if (c->a[1])
		settle();
	return err;
}

long posix_sys_rt_sigprocmask(struct posix_call *c)
{
	posix_sigset_t set, old;
	long err;

	if (c->a[3] != POSIX_SIGSET_SIZE)
		return -EINVAL;
	if (c->a[1] && copy_from_user(&set, c->a[1], sizeof(set)))
		return -EFAULT;
	err = posix_sig_procmask(&sigstate, (long)(int)c->a[0], c->a[1] ? &set : NULL, &old);
	if (err)
		return err;
	if (c->a[2] && copy_to_user(c->a[2], &old, sizeof(old)))
		err = -EFAULT;
	if (c->a[1])
		settle();
	return err;
}

/* Linux copies sigsetsize bytes (fewer than 8 allowed, more EINVAL). */
long posix_sys_rt_sigpending(struct posix_call *c)
{
	posix_sigset_t set = posix_sig_pending(&sigstate);

	if (c->a[1] > POSIX_SIGSET_SIZE)
		return -EINVAL;
	return copy_to_user(c->a[0], &set, c->a[1]) ? -EFAULT : 0;
}

long posix_sys_sigaltstack(struct posix_call *c)
{
	struct posix_stack ss, old;
	long err;

	if (c->a[0] && copy_from_user(&ss, c->a[0], sizeof(ss)))
		return -EFAULT;
	err = posix_sig_altstack(&sigstate, c->a[0] ? &ss : NULL, c->a[1] ? &old : NULL,
				 c->frame->regs.rsp);
	if (!err && c->a[1] && copy_to_user(c->a[1], &old, sizeof(old)))
		err = -EFAULT;
	return err;
}

/* A signal to this process (check_kill_permission passed: one root
 * user). Signal 0 only asks whether the target exists. */
static long send_self(long sig)
{
	if (sig < 0 || sig > POSIX_NSIG)
		return -EINVAL;
	if (sig == 0)
		return 0;
	posix_sig_generate(&sigstate, (int)sig);
	settle();
	return 0;
}

/* kill(pid, sig) for anything but our own pid: proc finds the targets
 * and signals them (Linux's kill_something_info: ESRCH, EINVAL, sig 0);
 * we are left out and generate our own at once when we are one
 * (PROC_KILL_NOTSELF). */
static long send_proc(int64_t pid, long sig)
{
	struct proc_kill_req req = { .pid = pid, .sig = sig, .flags = PROC_KILL_NOTSELF };
	struct proc_kill_resp resp;
	long st = proc_kill_call(POSIX_SLOT_PROC_EP, &req, &resp);

	if (st)
		return posix_status_to_errno(st);
	return resp.self ? send_self(sig) : 0;
}

/* A thread of another process (tkill: tgid -1). */
static long send_thread(int64_t tgid, int64_t tid, long sig)
{
	struct proc_tgkill_req req = { .tgid = tgid, .tid = tid, .sig = sig };
	struct proc_tgkill_resp resp;

	return posix_status_to_errno(proc_tgkill_call(POSIX_SLOT_PROC_EP, &req, &resp));
}

long posix_sys_kill(struct posix_call *c)
{
	int pid = (int)c->a[0];
	long sig = (long)(int)c->a[1];

	if (pid == (int)0x80000000)
		return -ESRCH;
	if ((uint64_t)pid == posix_state.pid)
		return send_self(sig);
	return send_proc(pid, sig); /* another pid, a group, -1 */
}

long posix_sys_tkill(struct posix_call *c)
{
	int tid = (int)c->a[0];
	long sig = (long)(int)c->a[1];

	if (tid <= 0)
		return -EINVAL;
	if ((uint64_t)tid == posix_state.tid)
		return send_self(sig);
	return send_thread(-1, tid, sig);
}

long posix_sys_tgkill(struct posix_call *c)
{
	int tgid = (int)c->a[0], tid = (int)c->a[1];
	long sig = (long)(int)c->a[2];

	if (tid <= 0 || tgid <= 0)
		return -EINVAL;
	if ((uint64_t)tid == posix_state.tid)
		return (uint64_t)tgid == posix_state.pid ? send_self(sig) : -ESRCH;
	return send_thread(tgid, tid, sig);
}
