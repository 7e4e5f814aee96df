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
 * the way back to user mode. Signals to other processes: ESRCH when
 * proc knows no such pid, -ENOSYS otherwise (delivery again).
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

/* A forked child (libposix/fork.c, clone.h): not init, nothing pending
 * (Linux's copy_process: init_sigpending); actions, mask and alternate
 * stack are kept. Weak: the signal delivery part may replace it. */
__attribute__((weak)) void posix_signal_fork_child(void)
{
	sigstate.pending = 0;
	sigstate.init = false;
}

void posix_signal_exec_state(uint64_t *ignored, uint64_t *blocked, uint64_t *pending)
{
	*ignored = posix_sig_ignored_set(&sigstate);
	*blocked = sigstate.blocked;
	*pending = sigstate.pending;
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

/* Another process's thread `id` (its pid: one thread per process): proc
 * says whether it exists; reaching it is the delivery issue's. */
static long send_other(int64_t id, long sig)
{
	struct proc_getpgid_req req = { .pid = id };
	struct proc_getpgid_resp resp;
	long st = proc_getpgid_call(POSIX_SLOT_PROC_EP, &req, &resp);

	if (st)
		return posix_status_to_errno(st);
	if (sig < 0 || sig > POSIX_NSIG)
		return -EINVAL;
	return sig == 0 ? 0 : -ENOSYS;
}

long posix_sys_kill(struct posix_call *c)
{
	int pid = (int)c->a[0];
	long sig = (long)(int)c->a[1];

	if (pid == (int)0x80000000)
		return -ESRCH;
	/* 0: the caller's process group, which only it is known to hold. */
	if (pid == 0 || (uint64_t)pid == posix_state.pid)
		return send_self(sig);
	if (pid > 0)
		return send_other(pid, sig);
	return -ENOSYS; /* -1 (everyone) and other groups: the delivery issue */
}

long posix_sys_tkill(struct posix_call *c)
{
	int tid = (int)c->a[0];
	long sig = (long)(int)c->a[1];

	if (tid <= 0)
		return -EINVAL;
	if ((uint64_t)tid == posix_state.tid)
		return send_self(sig);
	return send_other(tid, sig);
}

long posix_sys_tgkill(struct posix_call *c)
{
	int tgid = (int)c->a[0], tid = (int)c->a[1];
	long sig = (long)(int)c->a[2];

	if (tid <= 0 || tgid <= 0)
		return -EINVAL;
	if ((uint64_t)tid == posix_state.tid)
		return (uint64_t)tgid == posix_state.pid ? send_self(sig) : -ESRCH;
	/* Another process's main thread: its tid is its pid. */
	if (tgid != tid)
		return -ESRCH;
	return send_other(tid, sig);
}
