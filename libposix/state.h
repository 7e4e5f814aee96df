/*
 * libposix's state: what is per process (posix_state: identity, the
 * name) and what is per thread (struct posix_thread: Linux's per-thread
 * state that libposix answers locally). docs/personality.md, "Processes,
 * threads and signals", is the contract the families build on.
 *
 * Threads. Thread index i (posix/cspace.h POSIX_SLOT_THREAD(i), IPC buffer
 * page i of POSIX_THREAD_IPC, handler stack i of POSIX_THREAD_STACKS) has
 * posix_threads[i]; its IPC buffer's user_data points at it (its first
 * member is libsys's struct tern_thread), so posix_self() is one load
 * through %gs, from any libposix code, upcall handlers included.
 */
#ifndef LIBPOSIX_STATE_H
#define LIBPOSIX_STATE_H

#include <stdint.h>

#include "futex_queue.h"
#include "posix/cspace.h"
#include "posix/signal.h"
#include "sys/thread.h"

/* posix_thread.work bits: what the way back from a syscall (or an upcall)
 * must do before the program runs again. 0 = nothing (one test). */
#define POSIX_WORK_SIGNAL 1u /* look at pending signals (deliver, act) */
#define POSIX_WORK_FETCH 2u  /* proc has something: PROC_SIGFETCH first */

struct posix_thread {
	struct tern_thread t; /* libsys's; first, so that tern_thread_self() is this */
	uint32_t index;	      /* 0 .. POSIX_THREADS_MAX - 1 */
	uint32_t live;	      /* POSIX_THREAD_* (thread.h): 0 free, 1 running */
	uint64_t tid;

	uint64_t fs_base;     /* ARCH_SET_FS (the real %fs base) */
	uint64_t app_gs_base; /* ARCH_SET_GS: emulated, %gs stays libsys's */
	uint64_t clear_child_tid;
	uint64_t robust_list, robust_list_len;

	/* Signals (per thread). */
	posix_sigset_t blocked;
	posix_sigset_t pending; /* directed at this thread (tkill, faults) */
	struct posix_stack altstack;
	volatile uint32_t work; /* POSIX_WORK_* */
	uint32_t in_handler;	/* nesting depth of signal handlers running */

	/* The part that owns a field documents it. The futex wait (futex.c:
	 * on the process's queue while the thread waits), then the restart
	 * of an interrupted call. */
	struct futex_waiter futex_wait;
	uint64_t restart_nr; /* -ERESTART_RESTARTBLOCK's call, 0 = none */
	uint64_t restart_arg[4];
};

struct posix_state {
	uint64_t pid, ppid, tid; /* tid: thread 0's at exec (gettid uses posix_self()) */
	uint64_t vdso;
	char comm[16];
};

extern struct posix_state posix_state;
extern struct posix_thread posix_threads[POSIX_THREADS_MAX];

#ifndef HOST_TEST
static inline struct posix_thread *posix_self(void)
{
	return (struct posix_thread *)tern_thread_self();
}
#endif

#endif
