/*
 * Linux threads in libposix (thread.c): clone with CLONE_THREAD, thread
 * exit, the table of posix_threads[] and its lock. docs/personality.md,
 * "Threads and futexes".
 */
#ifndef LIBPOSIX_THREAD_H
#define LIBPOSIX_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "call.h"
#include "state.h"

/* posix_thread.live */
#define POSIX_THREAD_FREE 0
#define POSIX_THREAD_RUNNING 1
#define POSIX_THREAD_STARTING 2 /* its creator is making it */
#define POSIX_THREAD_EXITING 3	/* on its way out (proc may still have it) */
#define POSIX_THREAD_GONE 4	/* thread 0 after exit(2): the index stays taken */

/* Linux's clone flags (include/uapi/linux/sched.h). */
#define CLONE_VM 0x00000100ul
#define CLONE_FS 0x00000200ul
#define CLONE_FILES 0x00000400ul
#define CLONE_SIGHAND 0x00000800ul
#define CLONE_PIDFD 0x00001000ul
#define CLONE_PTRACE 0x00002000ul
#define CLONE_VFORK 0x00004000ul
#define CLONE_PARENT 0x00008000ul
#define CLONE_THREAD 0x00010000ul
#define CLONE_NEWNS 0x00020000ul
#define CLONE_SYSVSEM 0x00040000ul
#define CLONE_SETTLS 0x00080000ul
#define CLONE_PARENT_SETTID 0x00100000ul
#define CLONE_CHILD_CLEARTID 0x00200000ul
#define CLONE_DETACHED 0x00400000ul
#define CLONE_UNTRACED 0x00800000ul
#define CLONE_CHILD_SETTID 0x01000000ul

/* clone(2) with CLONE_THREAD (the caller has done Linux's common flag
 * checks): a new thread of this process. Its tid, or -errno. */
long posix_clone_thread(struct posix_call *c);

/* The thread of this process with that tid, or NULL (tkill/tgkill). */
struct posix_thread *posix_thread_by_tid(uint64_t tid);

/* Threads running or being made, the caller included. */
unsigned posix_thread_count(void);

/* In a forked child, before anything else of libposix runs there: the
 * child's only thread is the one that forked (its index and tid are
 * proc's answer), every other entry of the table is free, and the futex
 * queue and the locks start empty (the parent's other threads may have
 * held them at the fork). For the fork part's child start-up. */
void posix_threads_after_fork(uint64_t tid);
void posix_futex_after_fork(void);

/* futex.c: wake up to nr waiters of uaddr (thread exit's CLEARTID). */
long posix_futex_wake(uint64_t uaddr, int nr, uint32_t bitset, bool shared);
/* restart_syscall of a timed futex wait a signal without a handler cut
 * short (its restart block: restart_nr SYS_FUTEX_RESTART). */
#define SYS_FUTEX_RESTART 202
long posix_futex_restart(void);

#endif
