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

#include "sys/server.h"
#include "tern/msginfo.h"

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
	X(PROC_EXIT_SIGNAL, 20, proc_exit_signal)               \
	X(PROC_REBOOT, 21, proc_reboot)
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

/* A fault message (tern/fault.h). */
struct proc_fault_req {
	uint64_t addr, error, rip, rsp;
};
struct proc_fault_resp {
	uint64_t unused;
};

enum proc_label { PROC_PROTOCOL(TERN_PROTOCOL_ENUM) };
PROC_PROTOCOL(TERN_PROTOCOL_ASSERTS)
PROC_PROTOCOL(TERN_CLIENT_STUB)

/* Linux's wait status words. */
#define POSIX_W_EXITCODE(code) (((uint64_t)(code)&0xff) << 8)
#define POSIX_W_SIGNALED(sig) ((uint64_t)(sig)&0x7f)

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
