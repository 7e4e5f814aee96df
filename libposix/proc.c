/*
 * The proc family: identity answered from posix_state (getpid, getppid,
 * gettid), TLS and thread bookkeeping answered locally (arch_prctl,
 * set_tid_address, set_robust_list, prctl names), the single root user,
 * limits, and what proc decides (execve, exit, wait, process groups and
 * sessions). Entry points: posix_sys_<name> for each syscall below.
 *
 * ARCH_SET_GS: libsys keeps its per-thread state in the %gs base (the IPC
 * buffer page), which a reflected syscall handler relies on even inside
 * Linux code. So the application's GS base is emulated: recorded and
 * returned by ARCH_GET_GS, never loaded (Linux programs on x86-64 leave
 * %gs alone; one that reads %gs: directly sees libposix's page).
 */
#include "call.h"
#include "intr.h"
#include "itimer.h"
#include "errors.h"
#include "intr.h"
#include "itimer.h"
#include "signals.h"
#include "state.h"
#include "thread.h"
#include "uaccess.h"
#include "vdso/vclock.h"

#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/layout.h"
#include "posix/time.h"
#include "posix/proto_proc.h"
#include "sys/invoke.h"
#include "sys/ipc.h"
#include "sys/syscalls.h"

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004
#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define PR_GET_CHILD_SUBREAPER 37
#define AT_FDCWD (-100)
#define AT_EMPTY_PATH 0x1000
#define AT_SYMLINK_NOFOLLOW 0x100
#define MAX_ARG_STRLEN (32 * 4096) /* Linux's per-string limit */
#define USER_TOP 0x0000800000000000ul

long posix_sys_getpid(struct posix_call *c)
{
	(void)c;
	return (long)posix_state.pid;
}

/* Asked of proc: a parent's exit reparents to pid 1 (pid 1's is 0). */
long posix_sys_getppid(struct posix_call *c)
{
	struct proc_getppid_req req = { 0 };
	struct proc_getppid_resp resp;
	(void)c;

	if (posix_state.pid == 1)
		return 0;
	long st = proc_getppid_call(POSIX_SLOT_PROC_EP, &req, &resp);
	return st ? posix_status_to_errno(st) : resp.ppid;
}

long posix_sys_gettid(struct posix_call *c)
{
	(void)c;
	return (long)posix_self()->tid;
}

/* exit and exit_group: thread.c. */

/* The strings of an execve, built here first: path, argv, envp. */
static char exec_buf[PROC_EXEC_STAGE_MAX];

/*
 * Copies a NULL-terminated array of strings (argv or envp) to
 * exec_buf at *off. Linux's limits: each string at most MAX_ARG_STRLEN
 * (E2BIG), the whole at most PROC_EXEC_STAGE_MAX here (E2BIG; Linux
 * allows a quarter of the stack limit), a bad pointer EFAULT. A NULL
 * array is an empty one (as Linux takes it).
 */
static long copy_strings(uint64_t *off, uint64_t uarr, uint64_t *count)
{
	*count = 0;
	if (!uarr)
		return 0;
	for (;; (*count)++) {
		uint64_t up;
		long n;

		if (copy_from_user(&up, uarr + *count * 8, 8))
			return -EFAULT;
		if (!up)
			return 0;
		if (*off >= sizeof(exec_buf))
			return -E2BIG;
		n = strncpy_from_user(exec_buf + *off, up, sizeof(exec_buf) - *off);
		if (n == -ENAMETOOLONG)
			return -E2BIG;
		if (n < 0)
			return n;
		if (n >= MAX_ARG_STRLEN)
			return -E2BIG;
		*off += (uint64_t)n + 1;
	}
}

/* Strings that do not fit in one message go to proc in pieces first. */
static long stage_strings(uint64_t len)
{
	static uint64_t msg[TERN_MSG_MAX_WORDS];
	struct proc_exec_stage_req *req = (struct proc_exec_stage_req *)msg;
	const uint64_t piece = (TERN_MSG_MAX_WORDS - sizeof(*req) / 8) * 8;
	struct proc_exec_stage_resp resp;

	for (uint64_t off = 0; off < len; off += piece) {
		uint64_t n = len - off < piece ? len - off : piece;
		req->offset = off;
		req->bytes = n;
		__builtin_memcpy(req + 1, exec_buf + off, n);
		long st = tern_client_call(POSIX_SLOT_PROC_EP, PROC_EXEC_STAGE, msg,
					   (unsigned)(sizeof(*req) / 8 + (n + 7) / 8), &resp,
					   sizeof(resp) / 8);
		if (st)
			return posix_status_to_errno(st);
	}
	return 0;
}

/* A data word: a direct call to an undefined weak function cannot be
 * encoded from libposix's high address (as start.c's hooks). */
static void (*volatile const exec_state_hook)(uint64_t *, uint64_t *,
					      uint64_t *) = posix_signal_exec_state;

static long do_execve(uint64_t upath, uint64_t uargv, uint64_t uenvp)
{
	static uint64_t msg[TERN_MSG_MAX_WORDS];
	struct proc_exec_req *req = (struct proc_exec_req *)msg;
	uint64_t off;
	long n, err;

	n = strncpy_from_user(exec_buf, upath, 4096);
	if (n == -ENAMETOOLONG)
		return -ENAMETOOLONG;
	if (n < 0)
		return n;
	if (n == 0)
		return -ENOENT;
	req->path_len = (uint64_t)n;
	req->sig_ignored = req->sig_blocked = req->sig_pending = 0;
	if (exec_state_hook) /* what exec keeps of the signal state */
		exec_state_hook(&req->sig_ignored, &req->sig_blocked, &req->sig_pending);
	req->itimer_real_expires = req->itimer_real_interval = req->timer_next_id = 0;
	if (posix_itimer_exec_state) /* ITIMER_REAL survives exec */
		posix_itimer_exec_state(&req->itimer_real_expires, &req->itimer_real_interval,
					&req->timer_next_id);
	off = (uint64_t)n + 1;
	err = copy_strings(&off, uargv, &req->argc);
	if (!err)
		err = copy_strings(&off, uenvp, &req->envc);
	if (err)
		return err;
	unsigned words = PROC_EXEC_REQ_WORDS;
	if (off <= PROC_STRINGS_MAX) {
		char *payload = (char *)(req + 1);
		__builtin_memcpy(payload, exec_buf, off);
		for (uint64_t i = off; i % 8; i++)
			payload[i] = 0;
		req->bytes = off;
		words += (unsigned)((off + 7) / 8);
	} else {
		err = stage_strings(off);
		if (err)
			return err;
		req->bytes = off | PROC_EXEC_STAGED;
	}
	struct proc_execve_resp resp;
	long st = tern_client_call(POSIX_SLOT_PROC_EP, PROC_EXECVE, msg, words, &resp,
				   sizeof(resp) / 8);
	return posix_status_to_errno(st);
}

long posix_sys_execve(struct posix_call *c)
{
	return do_execve(c->a[0], c->a[1], c->a[2]);
}

/* execveat: only what needs no file descriptor yet (FIXME: dirfd-relative
 * paths and AT_EMPTY_PATH need vfs's VFS_EXEC_OPEN). */
long posix_sys_execveat(struct posix_call *c)
{
	int dirfd = (int)c->a[0];
	uint64_t flags = c->a[4];
	char first;

	if (flags & ~(uint64_t)(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	if (copy_from_user(&first, c->a[1], 1))
		return -EFAULT;
	if (dirfd != AT_FDCWD && first != '/')
		return -ENOSYS;
	return do_execve(c->a[1], c->a[2], c->a[3]);
}

/* A wait in proc that a signal ends (intr.h, proc's interruptible waits
 * on the server runtime): -ERESTARTSYS, which the way back makes -EINTR
 * or a restart (SA_RESTART), as Linux's do_wait; a wait ended with no
 * signal of ours pending is made again. */
static long wait_call(uint64_t label, const void *req, unsigned req_words, void *resp,
		      unsigned resp_words)
{
	for (;;) {
		posix_intr_begin(POSIX_INTR_PROC);
		long st = tern_client_call(POSIX_SLOT_PROC_EP, label, req, req_words, resp,
					   resp_words);
		posix_intr_end();
		if (!posix_intr_status(st))
			return st ? posix_status_to_errno(st) : 0;
		if (!posix_intr_again())
			return -ERESTARTSYS;
	}
}

/* The rusage of a reaped child: zeros (FIXME: no CPU accounting yet). */
#define RUSAGE_SIZE 144

long posix_sys_wait4(struct posix_call *c)
{
	struct proc_wait4_req req = { .pid = (int64_t)(int)c->a[0], .options = (uint32_t)c->a[2] };
	struct proc_wait4_resp resp;
	int status;
	long st;

	/* kernel_wait4's checks, before anything is waited for. */
	if (req.options & ~(uint64_t)(POSIX_WNOHANG | POSIX_WUNTRACED | POSIX_WCONTINUED |
				      POSIX_WNOTHREAD | POSIX_WALL | POSIX_WCLONE))
		return -EINVAL;
	if (req.pid == INT32_MIN)
		return -ESRCH;
	st = wait_call(PROC_WAIT4, &req, sizeof(req) / 8, &resp, sizeof(resp) / 8);
	if (st)
		return st;
	status = (int)resp.status;
	if (resp.pid > 0 && c->a[1] && copy_to_user(c->a[1], &status, sizeof(status)))
		return -EFAULT;
	if (resp.pid > 0 && c->a[3] && clear_user(c->a[3], RUSAGE_SIZE))
		return -EFAULT;
	return resp.pid;
}

/* The fields of siginfo_t waitid writes (kernel/exit.c's waitid: signo,
 * errno, code, pid, uid, status; the rest untouched). */
struct waitid_info {
	int32_t si_signo, si_errno, si_code, pad;
	int32_t si_pid, si_uid, si_status;
};

long posix_sys_waitid(struct posix_call *c)
{
	struct proc_waitid_req req = {
		.idtype = (uint32_t)c->a[0],
		.id = (int64_t)(int)c->a[1],
		.options = (uint32_t)c->a[3],
	};
	struct proc_waitid_resp resp;
	long st = wait_call(PROC_WAITID, &req, sizeof(req) / 8, &resp, sizeof(resp) / 8);

	if (st)
		return st;
	struct waitid_info info = { 0 };
	uint64_t w = resp.status;
	if (resp.pid > 0) {
		info.si_signo = POSIX_SIGCHLD;
		info.si_pid = (int32_t)resp.pid;
		if (w == POSIX_W_CONTINUED) {
			info.si_code = POSIX_CLD_CONTINUED;
			info.si_status = POSIX_SIGCONT;
		} else if ((w & 0xff) == 0x7f) {
			info.si_code = POSIX_CLD_STOPPED;
			info.si_status = (int32_t)((w >> 8) & 0xff);
		} else if (w & 0x7f) {
			info.si_code = (w & POSIX_W_COREFLAG) ? POSIX_CLD_DUMPED : POSIX_CLD_KILLED;
			info.si_status = (int32_t)(w & 0x7f);
		} else {
			info.si_code = POSIX_CLD_EXITED;
			info.si_status = (int32_t)((w >> 8) & 0xff);
		}
	}
	/* WNOHANG with nothing to report: the fields are zeroed (Linux). */
	if (c->a[2] &&
	    (copy_to_user(c->a[2], &info, 12) || copy_to_user(c->a[2] + 16, &info.si_pid, 12)))
		return -EFAULT;
	if (resp.pid > 0 && c->a[4] && clear_user(c->a[4], RUSAGE_SIZE))
		return -EFAULT;
	return 0;
}

long posix_sys_getpgid(struct posix_call *c)
{
	struct proc_getpgid_req req = { .pid = (int64_t)(int)c->a[0] };
	struct proc_getpgid_resp resp;
	long st = proc_getpgid_call(POSIX_SLOT_PROC_EP, &req, &resp);

	return st ? posix_status_to_errno(st) : resp.pgid;
}

long posix_sys_getpgrp(struct posix_call *c)
{
	struct proc_getpgid_req req = { .pid = 0 };
	struct proc_getpgid_resp resp;
	long st = proc_getpgid_call(POSIX_SLOT_PROC_EP, &req, &resp);
	(void)c;

	return st ? posix_status_to_errno(st) : resp.pgid;
}

long posix_sys_setpgid(struct posix_call *c)
{
	struct proc_setpgid_req req = { .pid = (int64_t)(int)c->a[0],
					.pgid = (int64_t)(int)c->a[1] };
	struct proc_setpgid_resp resp;

	return posix_status_to_errno(proc_setpgid_call(POSIX_SLOT_PROC_EP, &req, &resp));
}

long posix_sys_getsid(struct posix_call *c)
{
	struct proc_getsid_req req = { .pid = (int64_t)(int)c->a[0] };
	struct proc_getsid_resp resp;
	long st = proc_getsid_call(POSIX_SLOT_PROC_EP, &req, &resp);

	return st ? posix_status_to_errno(st) : resp.sid;
}

long posix_sys_setsid(struct posix_call *c)
{
	struct proc_setsid_req req = { 0 };
	struct proc_setsid_resp resp;
	long st = proc_setsid_call(POSIX_SLOT_PROC_EP, &req, &resp);
	(void)c;

	return st ? posix_status_to_errno(st) : resp.sid;
}

long posix_sys_arch_prctl(struct posix_call *c)
{
	uint64_t addr = c->a[1];

	switch (c->a[0]) {
	case ARCH_SET_FS:
		if (addr >= USER_TOP)
			return -EPERM;
		if (tern_tcb_set_tls(posix_self()->t.tcb, addr,
				     (uint64_t)(uintptr_t)tern_ipc_buffer()))
			return -EPERM;
		posix_self()->fs_base = addr;
		/* The resumed frame carries the base too: keep it in step. */
		c->frame->regs.fs_base = addr;
		return 0;
	case ARCH_SET_GS:
		if (addr >= USER_TOP)
			return -EPERM;
		posix_self()->app_gs_base = addr;
		return 0;
	case ARCH_GET_FS:
		return copy_to_user(addr, &posix_self()->fs_base, 8) ? -EFAULT : 0;
	case ARCH_GET_GS:
		return copy_to_user(addr, &posix_self()->app_gs_base, 8) ? -EFAULT : 0;
	default:
		return -EINVAL;
	}
}

/* Per thread (posix_self()): the word thread exit zeroes and wakes. */
long posix_sys_set_tid_address(struct posix_call *c)
{
	struct posix_thread *self = posix_self();

	self->clear_child_tid = c->a[0];
	return (long)self->tid;
}

long posix_sys_set_robust_list(struct posix_call *c)
{
	struct posix_thread *self = posix_self();

	if (c->a[1] != 24) /* sizeof(struct robust_list_head) */
		return -EINVAL;
	self->robust_list = c->a[0];
	self->robust_list_len = c->a[1];
	return 0;
}

/* pid 0 is the caller; another thread of this process by its tid (other
 * processes' lists: ESRCH, FIXME). Linux writes the length first. */
long posix_sys_get_robust_list(struct posix_call *c)
{
	struct posix_thread *t = c->a[0] == 0 ? posix_self() : posix_thread_by_tid(c->a[0]);
	uint64_t len = 24;

	if ((int64_t)(int32_t)c->a[0] < 0 || !t)
		return -ESRCH;
	if (copy_to_user(c->a[2], &len, 8) || copy_to_user(c->a[1], &t->robust_list, 8))
		return -EFAULT;
	return 0;
}

long posix_sys_prctl(struct posix_call *c)
{
	char name[16];
	long n;

	switch (c->a[0]) {
	case PR_SET_NAME:
		n = strncpy_from_user(name, c->a[1], sizeof(name));
		if (n == -EFAULT)
			return -EFAULT;
		name[sizeof(name) - 1] = 0; /* longer names are cut, as Linux does */
		for (unsigned i = 0; i < sizeof(name); i++)
			posix_state.comm[i] = name[i];
		return 0;
	case PR_GET_NAME:
		return copy_to_user(c->a[1], posix_state.comm, sizeof(posix_state.comm)) ? -EFAULT
											 : 0;
	case PR_GET_CHILD_SUBREAPER: {
		/* No process is a subreaper (PR_SET_CHILD_SUBREAPER: EINVAL,
		 * FIXME): orphans always go to pid 1. */
		int32_t zero = 0;
		return copy_to_user(c->a[1], &zero, sizeof(zero)) ? -EFAULT : 0;
	}
	default:
		return -EINVAL;
	}
}

/* The single root user: every id is 0; root may set ids to 0. */
long posix_sys_getuid(struct posix_call *c)
{
	(void)c;
	return 0;
}
long posix_sys_geteuid(struct posix_call *c)
{
	(void)c;
	return 0;
}
long posix_sys_getgid(struct posix_call *c)
{
	(void)c;
	return 0;
}
long posix_sys_getegid(struct posix_call *c)
{
	(void)c;
	return 0;
}

static long ids_out(const struct posix_call *c)
{
	uint32_t zero = 0;

	for (int i = 0; i < 3; i++)
		if (copy_to_user(c->a[i], &zero, 4))
			return -EFAULT;
	return 0;
}
long posix_sys_getresuid(struct posix_call *c)
{
	return ids_out(c);
}
long posix_sys_getresgid(struct posix_call *c)
{
	return ids_out(c);
}

long posix_sys_getgroups(struct posix_call *c)
{
	if ((int)c->a[0] < 0)
		return -EINVAL;
	return 0; /* no supplementary groups */
}

long posix_sys_sched_yield(struct posix_call *c)
{
	(void)c;
	tern_yield();
	return 0;
}

/* One CPU for now: the mask has bit 0, as many bytes as a long. */
long posix_sys_sched_getaffinity(struct posix_call *c)
{
	uint64_t mask = 1;
	uint64_t len = c->a[1];

	if (len < 8 || (len & 7))
		return -EINVAL;
	if (copy_to_user(c->a[2], &mask, 8))
		return -EFAULT;
	return 8;
}

/* Limits and nice values live in proc (they are per process and
 * inherited): struct rlimit is two 64-bit words on x86-64. */
static long do_prlimit(int64_t pid, uint64_t resource, uint64_t unew, uint64_t uold)
{
	struct proc_prlimit_req req = { .pid = pid, .resource = resource };
	struct proc_prlimit_resp resp;
	uint64_t lim[2];
	long st;

	if (unew) {
		if (copy_from_user(lim, unew, sizeof(lim)))
			return -EFAULT;
		req.set = 1;
		req.new_cur = lim[0];
		req.new_max = lim[1];
	}
	st = proc_prlimit_call(POSIX_SLOT_PROC_EP, &req, &resp);
	if (st)
		return posix_status_to_errno(st);
	lim[0] = resp.old_cur;
	lim[1] = resp.old_max;
	if (uold && copy_to_user(uold, lim, sizeof(lim)))
		return -EFAULT;
	return 0;
}

/* poll and select's look at RLIMIT_NOFILE (poll_wait.h's users). */
long posix_rlimit_cur(unsigned resource, uint64_t *cur)
{
	struct proc_prlimit_req req = { .pid = 0, .resource = resource };
	struct proc_prlimit_resp resp;
	long st = proc_prlimit_call(POSIX_SLOT_PROC_EP, &req, &resp);

	if (st)
		return posix_status_to_errno(st);
	*cur = resp.old_cur;
	return 0;
}

long posix_sys_prlimit64(struct posix_call *c)
{
	return do_prlimit((int64_t)(int)c->a[0], (uint32_t)c->a[1], c->a[2], c->a[3]);
}

/* getrlimit and setrlimit take the pointer as required: NULL is EFAULT
 * (prlimit64's NULLs mean "not this one"). */
long posix_sys_getrlimit(struct posix_call *c)
{
	if ((uint32_t)c->a[0] >= POSIX_RLIM_NLIMITS)
		return -EINVAL;
	if (!c->a[1])
		return -EFAULT;
	return do_prlimit(0, (uint32_t)c->a[0], 0, c->a[1]);
}

long posix_sys_setrlimit(struct posix_call *c)
{
	if (!c->a[1])
		return -EFAULT;
	if ((uint32_t)c->a[0] >= POSIX_RLIM_NLIMITS)
		return -EINVAL;
	return do_prlimit(0, (uint32_t)c->a[0], c->a[1], 0);
}

#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1

/* FIXME: the kernel accounts no CPU time per thread yet, so every figure
 * is 0 (as for a process that has not run a tick); the struct rusage
 * layout (144 bytes) and the checks are Linux's. */
long posix_sys_getrusage(struct posix_call *c)
{
	int who = (int)c->a[0];

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return -EINVAL;
	return clear_user(c->a[1], 144) ? -EFAULT : 0;
}

/*
 * times: the clock ticks (USER_HZ 100) since boot as Linux counts them,
 * from INITIAL_JIFFIES (2^32 - 300 s of jiffies, so that wrap bugs show
 * early) at Debian's HZ of 250: (2^32 - 75,000) * 100 / 250, plus the
 * monotonic clock. FIXME: the struct tms times are 0, as getrusage's.
 */
#define TIMES_BASE ((0x100000000ull - 75000) * 2 / 5)

long posix_sys_times(struct posix_call *c)
{
	uint64_t ns =
		vclock_ns((const volatile struct tern_clock_page *)POSIX_VVAR, CLOCK_MONOTONIC);

	if (c->a[0] && clear_user(c->a[0], 32)) /* struct tms: four clock_t */
		return -EFAULT;
	return (long)(TIMES_BASE + ns / 10000000);
}

/* The single root user: setting an id to 0 (or -1, "unchanged") is what
 * root may always do; another id would make a second user, which this
 * system does not have yet (EPERM). */
static long root_ids(const struct posix_call *c, int n)
{
	for (int i = 0; i < n; i++) {
		uint32_t id = (uint32_t)c->a[i];
		if (id != 0 && id != (uint32_t)-1)
			return -EPERM;
	}
	return 0;
}

long posix_sys_setuid(struct posix_call *c)
{
	if ((uint32_t)c->a[0] == (uint32_t)-1)
		return -EINVAL;
	return root_ids(c, 1);
}

long posix_sys_setgid(struct posix_call *c)
{
	if ((uint32_t)c->a[0] == (uint32_t)-1)
		return -EINVAL;
	return root_ids(c, 1);
}

long posix_sys_setreuid(struct posix_call *c)
{
	return root_ids(c, 2);
}

long posix_sys_setregid(struct posix_call *c)
{
	return root_ids(c, 2);
}

long posix_sys_setresuid(struct posix_call *c)
{
	return root_ids(c, 3);
}

long posix_sys_setresgid(struct posix_call *c)
{
	return root_ids(c, 3);
}

/* setfsuid/setfsgid answer the previous id (0) whatever happens. */
long posix_sys_setfsuid(struct posix_call *c)
{
	(void)c;
	return 0;
}

long posix_sys_setfsgid(struct posix_call *c)
{
	(void)c;
	return 0;
}

/* The syscall answers 20 - nice (1..40), as Linux's does. */
long posix_sys_getpriority(struct posix_call *c)
{
	struct proc_getpriority_req req = { .which = (uint32_t)c->a[0],
					    .who = (int64_t)(int)c->a[1] };
	struct proc_getpriority_resp resp;
	long st = proc_getpriority_call(POSIX_SLOT_PROC_EP, &req, &resp);

	return st ? posix_status_to_errno(st) : 20 - resp.nice;
}

long posix_sys_setpriority(struct posix_call *c)
{
	struct proc_setpriority_req req = { .which = (uint32_t)c->a[0],
					    .who = (int64_t)(int)c->a[1],
					    .nice = (int64_t)(int)c->a[2] };
	struct proc_setpriority_resp resp;

	return posix_status_to_errno(proc_setpriority_call(POSIX_SLOT_PROC_EP, &req, &resp));
}
