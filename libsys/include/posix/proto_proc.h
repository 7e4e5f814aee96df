/*
 * The proc server's protocol (sys/server.h). A Linux process's caps to
 * proc carry badge = its pid; the root task's POSIX_BADGE_ROOT. Replies:
 * status 0 or POSIX_STATUS(errno) (posix/status.h).
 *
 * Strings (PROC_START_INIT, PROC_EXECVE) travel as a payload after the
 * request's fixed words: the path, then argc argument strings, then envc
 * environment strings, each NUL-terminated, `bytes` bytes in all (at
 * most PROC_STRINGS_MAX in one message). PROC_EXECVE's may instead be
 * staged first, in pieces (PROC_EXEC_STAGE, at most PROC_EXEC_STAGE_MAX
 * in all): `bytes` then carries PROC_EXEC_STAGED and the request no
 * payload.
 *
 * The thread's faults arrive here too (proc is every Linux thread's fault
 * endpoint): label TERN_FAULT_LABEL_BASE + vector, struct proc_fault_req.
 */
#ifndef POSIX_PROTO_PROC_H
#define POSIX_PROTO_PROC_H

#include <stdint.h>

#include "posix/signal.h"
#include "sys/server.h"
#include "tern/msginfo.h"

/* 50-59: signals between processes, stop and continue, wait, job control
 * (docs/personality.md, "Signals between processes, stop and wait, job
 * control"). The structs are after the fork/threads blocks below. */
#define PROC_PROTOCOL_SIGNALS(X)              \
	X(PROC_KILL, 50, proc_kill)           \
	X(PROC_TGKILL, 51, proc_tgkill)       \
	X(PROC_SIGFETCH, 52, proc_sigfetch)   \
	X(PROC_STOP, 53, proc_stop)           \
	X(PROC_SIGPOLICY, 54, proc_sigpolicy) \
	X(PROC_WAITID, 55, proc_waitid)       \
	X(PROC_TTY_QUERY, 57, proc_tty_query)

/* 90-99: what a dead process held (docs/personality.md, "What a dead
 * process held"): the console learns who died (PROC_GONE_WATCH, its cap
 * only; deferred until a death), proc asks mm what a process holds for
 * the OOM killer (mm's MM_OOM_STAT). */
#define PROC_PROTOCOL_RECLAIM(X) X(PROC_GONE_WATCH, 90, proc_gone_watch)

#define PROC_PROTOCOL(X)                                        \
	X(PROC_START_INIT, 1, proc_start_init) /* root only */  \
	X(PROC_EXECVE, 2, proc_execve)	       /* the caller */ \
	X(PROC_EXIT, 3, proc_exit)                              \
	X(PROC_WAIT4, 4, proc_wait4)                            \
	X(PROC_GETPGID, 5, proc_getpgid)                        \
	X(PROC_SETPGID, 6, proc_setpgid)                        \
	X(PROC_GETSID, 7, proc_getsid)                          \
	X(PROC_SETSID, 8, proc_setsid)                          \
	X(PROC_WAIT_INIT, 9, proc_wait_init) /* root only */    \
	X(PROC_PRLIMIT, 10, proc_prlimit)                       \
	X(PROC_GETPRIORITY, 11, proc_getpriority)               \
	X(PROC_SETPRIORITY, 12, proc_setpriority)               \
	X(PROC_EXEC_STAGE, 13, proc_exec_stage)                 \
	X(PROC_THREAD_CREATE, 40, proc_thread_create)           \
	X(PROC_THREAD_EXIT, 41, proc_thread_exit)               \
	X(PROC_EXIT_SIGNAL, 20, proc_exit_signal)               \
	X(PROC_REBOOT, 21, proc_reboot)                         \
	X(PROC_FORK, 30, proc_fork)                             \
	X(PROC_GETPPID, 31, proc_getppid)                       \
	PROC_PROTOCOL_SIGNALS(X)                                \
	X(PROC_FAULT_FETCH, 70, proc_fault_fetch)               \
	X(PROC_FAULT_KILL, 71, proc_fault_kill)                 \
	PROC_PROTOCOL_RECLAIM(X)
/*
 * Label ranges of the fork/threads/signals work (docs/personality.md,
 * "Processes, threads and signals"), one block per part so that each
 * adds its own:
 *   30-39 fork, vfork, clone of a process (PROC_FORK ...), wait's new
 *         statuses;
 *   40-49 threads (PROC_THREAD_CREATE, PROC_THREAD_EXIT ...);
 *   50-59 signals between processes (PROC_KILL, PROC_SIGFETCH, PROC_STOP
 *         ...), from the console (POSIX_BADGE_CONSOLE);
 *   60-69 timers and interruptions;
 *   70-79 signal delivery (faults as signals).
 */

struct proc_exec_req {
	uint64_t path_len; /* strlen(path) */
	uint64_t argc, envc;
	uint64_t bytes; /* of the payload that follows */
	/* The signal state exec keeps (posix/signal.h sigsets; 0 from the
	 * root): the signals set to SIG_IGN, the blocked mask, the pending
	 * set. proc drops SIGKILL and SIGSTOP from the first two and passes
	 * them to the new image in struct posix_start. */
	uint64_t sig_ignored, sig_blocked, sig_pending;
	/* ITIMER_REAL survives exec (Linux): its deadline on the monotonic
	 * clock (ns, 0 = disarmed) and interval, passed to the new image's
	 * start page as they are (a process can only set its own timer). */
	uint64_t itimer_real_expires, itimer_real_interval;
	/* The next POSIX timer id: Linux keeps it in the signal struct,
	 * which exec keeps (the timers themselves go). */
	uint64_t timer_next_id;
};
#define PROC_EXEC_REQ_WORDS (sizeof(struct proc_exec_req) / 8)
#define PROC_STRINGS_MAX ((TERN_MSG_MAX_WORDS - PROC_EXEC_REQ_WORDS) * 8)
#define PROC_EXEC_STAGED (1ull << 63)
#define PROC_EXEC_STAGE_MAX (256ul << 10) /* path, argv and envp (Linux: 2 MiB) */

/* Bytes [offset, offset + bytes) of the caller's staged exec strings
 * (payload after the fixed words); offset 0 starts afresh. */
struct proc_exec_stage_req {
	uint64_t offset, bytes, unused[2];
};
struct proc_exec_stage_resp {
	uint64_t unused;
};
struct proc_start_init_req {
	struct proc_exec_req e;
};
struct proc_start_init_resp {
	uint64_t pid; /* 1 */
};
struct proc_execve_req {
	struct proc_exec_req e;
};
struct proc_execve_resp {
	uint64_t unused; /* success is never answered: the caller runs the new image */
};

/* exit_group(code): proc makes the wait status ((code & 0xff) << 8)
 * itself, so a process cannot pass for one a signal killed. */
struct proc_exit_req {
	uint64_t code;
};
struct proc_exit_resp {
	uint64_t unused; /* never answered: the caller is gone */
};

/* The process ends killed by a signal (libposix decided that the
 * signal's action is the default one, terminate): wait status `sig`
 * (POSIX_W_SIGNALED), sig 1..64 (else EINVAL). */
struct proc_exit_signal_req {
	uint64_t sig;
};
struct proc_exit_signal_resp {
	uint64_t unused; /* never answered: the caller is gone */
};

/* reboot(2)'s machine commands, libposix having checked the magic:
 * proc logs as Linux does and ends the machine (never answered then). */
#define PROC_REBOOT_POWER_OFF 1
#define PROC_REBOOT_RESTART 2
#define PROC_REBOOT_HALT 3
struct proc_reboot_req {
	uint64_t cmd; /* PROC_REBOOT_* */
};
struct proc_reboot_resp {
	uint64_t unused;
};

/* wait4(pid, &status, options): pid as Linux (-1 any child, > 0 that
 * one, 0 / < -1 a process group); answers when a child has exited (or at
 * once with WNOHANG: pid 0). */
struct proc_wait4_req {
	int64_t pid;
	uint64_t options;
};
struct proc_wait4_resp {
	int64_t pid;
	uint64_t status;
};

struct proc_getpgid_req {
	int64_t pid; /* 0 = the caller */
};
struct proc_getpgid_resp {
	int64_t pgid;
};
struct proc_setpgid_req {
	int64_t pid, pgid;
};
struct proc_setpgid_resp {
	uint64_t unused;
};
struct proc_getsid_req {
	int64_t pid;
};
struct proc_getsid_resp {
	int64_t sid;
};
struct proc_setsid_req {
	uint64_t unused;
};
struct proc_setsid_resp {
	int64_t sid;
};

/* The root task waits for pid 1 (answered when init exits: its status). */
struct proc_wait_init_req {
	uint64_t unused;
};
struct proc_wait_init_resp {
	uint64_t status;
};

/* prlimit64(pid, resource, new, old): `set` says whether new_* apply;
 * the old values come back. Linux's rules (kernel/sys.c do_prlimit). */
#define POSIX_RLIM_NLIMITS 16
#define POSIX_RLIM_INFINITY (~0ull)
struct proc_prlimit_req {
	int64_t pid;
	uint64_t resource, set, new_cur, new_max;
};
struct proc_prlimit_resp {
	uint64_t old_cur, old_max;
};

/* getpriority/setpriority(which, who[, nice]): nice values -20..19;
 * getpriority answers the lowest nice of the matching processes. */
struct proc_getpriority_req {
	uint64_t which;
	int64_t who;
};
struct proc_getpriority_resp {
	int64_t nice;
};
struct proc_setpriority_req {
	uint64_t which;
	int64_t who, nice;
};
struct proc_setpriority_resp {
	uint64_t unused;
};

/* Threads (40-49; docs/personality.md "Threads and futexes").
 * PROC_THREAD_CREATE: proc makes thread `index` of the caller (1 ..
 * POSIX_THREADS_MAX - 1; 0 is the leader's: EINVAL; an index proc still
 * has EBUSY; out of objects or slots EAGAIN): its TCB (configured with
 * the process's CSpace and VSpace, IPC page `index`, fault endpoint
 * POSIX_SLOT_THREAD_FAULT(index), proc's priority), its caps at
 * POSIX_SLOT_THREAD(index) as exec makes thread 0's, and its tid (the
 * pid space). The thread does not run: the caller sets its personality,
 * registers and FPU state through POSIX_SLOT_THREAD_TCB(index) and
 * resumes it. */
struct proc_thread_create_req {
	uint64_t index;
};
struct proc_thread_create_resp {
	uint64_t tid;
};
/* PROC_THREAD_EXIT, twice. The first: thread `index` of the caller is
 * dead to the rest (its tid gone, no signals, not counted), or, when it
 * was the last live one, the process exits with `code` as exit_group
 * (never answered then). The second, for an index proc still holds after
 * the first: the thread is destroyed (TCB and caps; the caller itself is
 * never answered). In between the thread does Linux's exit work
 * (CLONE_CHILD_CLEARTID's wake), which a joiner must not see it alive
 * after. */
struct proc_thread_exit_req {
	uint64_t index, code;
};
struct proc_thread_exit_resp {
	uint64_t unused;
};
/*
 * Signal delivery (70-79). PROC_FAULT_FETCH: the caller's thread
 * `thread` takes the signal proc made of its last fault (servers/proc/
 * fault.c), posted with POSIX_NTFN_PROC: Linux's siginfo (si_signo 0:
 * none) and the sigcontext's trapno (the vector), err (the error code)
 * and cr2 (a page fault's address). PROC_FAULT_INT3: the fault is the #GP
 * of an int3 (the kernel's IDT gates refuse every user `int`): rip is
 * still at the instruction, and libposix resumes after it, as Linux's #BP
 * trap does (trapno is then 3).
 *
 * PROC_FAULT_KILL: the thread's fetched fault signal `sig` has its
 * default action: proc logs the fault and ends the process with the
 * signal's status (as PROC_EXIT_SIGNAL otherwise).
 */
#define PROC_FAULT_INT3 1u
struct proc_fault_fetch_req {
	uint64_t thread;
};
struct proc_fault_fetch_resp {
	uint64_t trapno, error, cr2, flags;
	struct posix_siginfo info;
};
struct proc_fault_kill_req {
	uint64_t thread;
	uint64_t sig;
};
struct proc_fault_kill_resp {
	uint64_t unused; /* never answered: the caller is gone */
};

/* A fault message (tern/fault.h). */
struct proc_fault_req {
	uint64_t addr, error, rip, rsp;
};
struct proc_fault_resp {
	uint64_t unused;
};

/*
 * fork, vfork and clone of a process (label 30; docs/personality.md,
 * "fork"). flags: Linux's CLONE_* (no CLONE_THREAD: that is a thread),
 * the exit signal in the low byte (SIGCHLD for fork; 0: the parent is
 * told nothing and waits with __WALL or __WCLONE). `thread` is the
 * index of the calling thread (checked: a live thread of the caller);
 * the child's only thread has that index and starts at rip with rsp,
 * rdi as given, rsi = its pid, rdx = its parent's pid, the caller's
 * fs base (tls with CLONE_SETTLS) and FPU state. The answer is the
 * child's pid; with CLONE_VFORK or CLONE_VM only once the child has
 * exec'ed or exited. EAGAIN: no process left or
 * RLIMIT_NPROC; ENOMEM: objects ran out; EINVAL: a bad flag or index.
 */
#define PROC_CLONE_VM 0x00000100ul
#define PROC_CLONE_FS 0x00000200ul
#define PROC_CLONE_FILES 0x00000400ul
#define PROC_CLONE_SIGHAND 0x00000800ul
#define PROC_CLONE_PIDFD 0x00001000ul
#define PROC_CLONE_PTRACE 0x00002000ul
#define PROC_CLONE_VFORK 0x00004000ul
#define PROC_CLONE_PARENT 0x00008000ul
#define PROC_CLONE_THREAD 0x00010000ul
#define PROC_CLONE_NEWNS 0x00020000ul
#define PROC_CLONE_SYSVSEM 0x00040000ul
#define PROC_CLONE_SETTLS 0x00080000ul
#define PROC_CLONE_PARENT_SETTID 0x00100000ul
#define PROC_CLONE_CHILD_CLEARTID 0x00200000ul
#define PROC_CLONE_DETACHED 0x00400000ul
#define PROC_CLONE_UNTRACED 0x00800000ul
#define PROC_CLONE_CHILD_SETTID 0x01000000ul
struct proc_fork_req {
	uint64_t flags;
	uint64_t thread;
	uint64_t rip, rsp, rdi;
	uint64_t tls;
	/* CLONE_VM: the child runs in the caller's own address space (the
	 * caller waits, as for vfork) as thread index child_thread there
	 * (its IPC buffer page and handler stack; checked free). */
	uint64_t child_thread;
};
struct proc_fork_resp {
	int64_t pid;
};

/* getppid: the parent changes when it exits (reparenting to pid 1), so
 * proc answers it. */
struct proc_getppid_req {
	uint64_t unused;
};
struct proc_getppid_resp {
	int64_t ppid;
};

/*
 * 50-59: signals between processes, stop and continue, wait, job control.
 *
 * PROC_KILL: kill(pid, sig) with Linux's pid rules (> 0 that process, 0
 * the caller's group, -1 every process but init and the caller, < -1 the
 * group -pid; INT_MIN ESRCH), ESRCH before EINVAL, sig 0 an existence
 * check. si_code SI_USER and si_pid the caller, or, with PROC_KILL_INFO,
 * rt_sigqueueinfo's siginfo as a payload after the four words (pid > 0
 * only; si_code >= 0 or SI_TKILL to another process EPERM; a real-time
 * signal over RLIMIT_SIGPENDING EAGAIN). PROC_KILL_NOTSELF leaves the
 * caller out and says in `self` whether it was a target, so that
 * libposix generates its own signal at once. From the console's cap (badge
 * POSIX_BADGE_CONSOLE): the tty's signals to a group (PROC_KILL_PGRP),
 * si_code SI_KERNEL.
 */
#define PROC_KILL_INFO 1u
#define PROC_KILL_NOTSELF 2u /* a group or -1: the caller's own is libposix's */
#define PROC_KILL_PGRP 4u    /* pid is a process group (> 0): the console's kill_pgrp */
struct proc_kill_req {
	int64_t pid;
	int64_t sig;
	uint64_t flags; /* PROC_KILL_INFO: a struct posix_siginfo follows */
	uint64_t unused;
};
struct proc_kill_resp {
	uint64_t self; /* NOTSELF: the caller is a target (libposix generates it) */
};

/* tkill(tid, sig) (tgid -1) and tgkill(tgid, tid, sig): a thread of any
 * process (pids and tids are one number space). tid or tgid <= 0 EINVAL
 * (tgid -1 means none), a tid not in tgid ESRCH; si_code SI_TKILL, or
 * rt_tgsigqueueinfo's siginfo with PROC_KILL_INFO. */
struct proc_tgkill_req {
	int64_t tgid, tid;
	int64_t sig;
	uint64_t flags; /* PROC_KILL_INFO: a struct posix_siginfo follows */
};
struct proc_tgkill_resp {
	uint64_t unused;
};

/*
 * PROC_SIGFETCH: the caller's thread `thread` takes the next signal proc
 * holds for it (its own queue first, then the process's; synchronous
 * signals first, then the lowest number, as Linux's dequeue_signal),
 * skipping those in `mask` (0: take any). info.si_signo 0: nothing to
 * take. `pending` is what stays queued for the thread (its own | the
 * process's), PROC_SIGFETCH_MORE says some of it is not in mask,
 * PROC_SIGFETCH_STOP that proc stops the process (SIGSTOP, or another
 * thread's stop): the thread calls PROC_STOP {thread, 0, seq}.
 */
#define PROC_SIGFETCH_MORE 1u
#define PROC_SIGFETCH_STOP 2u
#define PROC_SIGFETCH_THREAD 4u /* the signal was directed at this thread */
struct proc_sigfetch_req {
	uint64_t thread;
	uint64_t mask;
};
struct proc_sigfetch_resp {
	uint64_t flags;
	uint64_t pending;
	uint64_t seq; /* the continue count, for PROC_STOP */
	uint64_t unused;
	struct posix_siginfo info;
};

/* PROC_STOP: the thread stops: `sig` the stop signal libposix took whose
 * action is the default (SIGTSTP, SIGTTIN, SIGTTOU: not for an orphaned
 * group, Linux discards them then), or 0 to join the stop proc asked
 * for. Answered when the process is continued (stopped 1) or at once
 * when a SIGCONT came after the fetch whose seq it names (stopped 0). */
struct proc_stop_req {
	uint64_t thread;
	uint64_t sig;
	uint64_t seq;
};
struct proc_stop_resp {
	uint64_t stopped;
};

/* PROC_SIGPOLICY: SIGCHLD's action, which lives in libposix, as proc's
 * wait needs it; sent when it changes (exec keeps PROC_CHLD_IGNORED only,
 * a fork child inherits). */
#define PROC_CHLD_IGNORED 1u   /* SIG_IGN: children are reaped at once, no SIGCHLD */
#define PROC_CHLD_NOCLDWAIT 2u /* SA_NOCLDWAIT: reaped at once, SIGCHLD sent */
#define PROC_CHLD_NOCLDSTOP 4u /* SA_NOCLDSTOP: no SIGCHLD for stops and continues */
struct proc_sigpolicy_req {
	uint64_t chld;
};
struct proc_sigpolicy_resp {
	uint64_t unused;
};

/* PROC_WAITID: waitid(idtype, id, options) as Linux's do_wait (wait4
 * maps onto it: pid -1 P_ALL, 0 P_PGID 0, < -1 P_PGID -pid, WEXITED
 * added). The status word: exit (code << 8), killed (sig | 0x80 core),
 * stopped (sig << 8 | 0x7f), continued 0xffff; pid 0 with WNOHANG and
 * nothing to report. A wait that blocks ends with TERN_EINTERRUPTED when
 * the caller's interrupt cap (the server runtime's, sys/server.h) is
 * signalled. */
#define POSIX_P_ALL 0
#define POSIX_P_PID 1
#define POSIX_P_PGID 2
#define POSIX_P_PIDFD 3
struct proc_waitid_req {
	uint64_t idtype;
	int64_t id;
	uint64_t options;
};
struct proc_waitid_resp {
	int64_t pid;
	uint64_t status;
};

/* PROC_TTY_QUERY (the console's cap only): what job control needs of
 * `pid` (its badge told the console who called) and of the groups
 * `pgrp` and the session `session` the console names. */
#define PROC_TTY_ORPHANED 1u	 /* pid's group is orphaned */
#define PROC_TTY_SESSION_LIVE 2u /* session's leader is alive */
struct proc_tty_query_req {
	uint64_t pid;
	int64_t pgrp;
	int64_t session;
};
struct proc_tty_query_resp {
	int64_t sid, pgid; /* pid's, 0 when it does not exist */
	uint64_t flags;
	/* The session of pgrp (session_of_pgrp: a member of that group, else
	 * the process of that pid), -1 when neither exists. */
	int64_t pgrp_sid;
};

/* siginfo codes (include/uapi/asm-generic/siginfo.h). */
#ifndef POSIX_SI_USER
#define POSIX_SI_USER 0
#define POSIX_SI_KERNEL 0x80
#define POSIX_SI_QUEUE (-1)
#define POSIX_SI_TKILL (-6)
#endif
#ifndef POSIX_CLD_EXITED
#define POSIX_CLD_EXITED 1
#define POSIX_CLD_KILLED 2
#define POSIX_CLD_DUMPED 3
#define POSIX_CLD_TRAPPED 4
#define POSIX_CLD_STOPPED 5
#define POSIX_CLD_CONTINUED 6
#endif

/* PROC_GONE_WATCH {seq}: the pids whose processes died (exit, any kill)
 * or lost every thread but the caller to exec, after the first `seq`
 * deaths proc counted; answered at once when there are some, else at the
 * next. `seq` in the answer is what to ask with next. PROC_GONE_LOST:
 * more died than proc keeps (PROC_GONE_RING): treat every waiter as
 * possibly gone. Only from POSIX_BADGE_CONSOLE (EPERM); one watch at a
 * time (a new one answers the old with no pids). */
#define PROC_GONE_MAX 32
#define PROC_GONE_RING 256
#define PROC_GONE_LOST 1u
struct proc_gone_watch_req {
	uint64_t seq;
};
struct proc_gone_watch_resp {
	uint64_t seq, n, flags;
	uint64_t pids[PROC_GONE_MAX];
};

enum proc_label { PROC_PROTOCOL(TERN_PROTOCOL_ENUM) };
PROC_PROTOCOL(TERN_PROTOCOL_ASSERTS)
PROC_PROTOCOL(TERN_CLIENT_STUB)

/* Linux's wait status words. */
#define POSIX_W_EXITCODE(code) (((uint64_t)(code)&0xff) << 8)
#define POSIX_W_SIGNALED(sig) ((uint64_t)(sig)&0x7f)
#define POSIX_W_COREFLAG 0x80
#define POSIX_W_STOPPED(sig) ((((uint64_t)(sig)&0xff) << 8) | 0x7f)
#define POSIX_W_CONTINUED 0xffff

/* wait4 options. */
#define POSIX_WNOHANG 1
#define POSIX_WUNTRACED 2
#define POSIX_WEXITED 4
#define POSIX_WCONTINUED 8
#define POSIX_WNOWAIT 0x01000000
#define POSIX_WNOTHREAD 0x20000000
#define POSIX_WALL 0x40000000
#define POSIX_WCLONE 0x80000000

#endif
