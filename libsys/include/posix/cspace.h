/*
 * The CSpace of a Linux process: one CNode of radix POSIX_CNODE_RADIX,
 * slot i is CPtr i (depth 64). Each cap is safe in a hostile program's
 * hands (docs/personality.md, "CSpace"): it reaches only the process
 * itself, or a server that identifies the caller by the cap's badge.
 */
#ifndef POSIX_CSPACE_H
#define POSIX_CSPACE_H

#include <stdint.h>

#define POSIX_CNODE_RADIX 8

enum posix_slot {
	POSIX_SLOT_TCB = 1,	    /* the TCB of the thread exec started (thread 0); see below */
	POSIX_SLOT_CNODE = 2,	    /* this CNode */
	POSIX_SLOT_PROC_EP = 4,	    /* proc, badge = pid */
	POSIX_SLOT_VFS_EP = 5,	    /* vfs, badge = pid */
	POSIX_SLOT_MM_EP = 6,	    /* mm, badge = pid */
	POSIX_SLOT_CONSOLE_EP = 7,  /* the console driver, badge = pid */
	POSIX_SLOT_TIMER = 8,	    /* the process's Timer (alarm, itimers, POSIX timers) */
	POSIX_SLOT_NTFN = 9,	    /* thread 0's Notification (as POSIX_SLOT_THREAD_NTFN(0)) */
	POSIX_SLOT_FIRST_FREE = 16, /* libposix's own from here ... */
	POSIX_SLOT_LAST_FREE = 31,  /* ... to here (its slot allocator) */
	POSIX_SLOT_THREADS = 32,    /* per-thread caps, POSIX_THREAD_SLOTS per thread */
};

/*
 * Per-thread caps (docs/personality.md, "Processes, threads and signals").
 * Thread index i (0 .. POSIX_THREADS_MAX - 1; the IPC buffer page and
 * handler stack of posix/layout.h have the same index) has, from slot
 * POSIX_SLOT_THREAD(i):
 *   +0 TCB     the thread's TCB
 *   +1 NTFN    its Notification, bound to the TCB with upcall mask
 *              POSIX_NTFN_UPCALLS; this unbadged cap signals bit 0
 *              (POSIX_NTFN_WAKE) and is the one the thread waits on
 *   +2 SIG     the same Notification badged POSIX_NTFN_SIGNAL: another
 *              thread of the process posts a signal to this one, and the
 *              process Timer is armed with one of these
 *   +3 TIMER   the thread's own Timer (nanosleep, futex and sigtimedwait
 *              timeouts), armed with NTFN (bit POSIX_NTFN_WAKE)
 *   +4 FAULT   its fault endpoint: proc's, badged pid | POSIX_BADGE_THREAD(i),
 *              so that proc knows which thread faulted (any other message
 *              on it counts as from the pid)
 * proc holds one more cap to each thread's Notification, badged
 * POSIX_NTFN_PROC, in its own CNode: "proc has something for you"
 * (signals from other processes, faults, stop), fetched with PROC_SIGFETCH.
 * The thread exec starts is index 0; a forked child's only thread has the
 * index of the parent's thread that forked.
 */
#define POSIX_THREAD_SLOTS 5
#define POSIX_THREADS_MAX 44 /* (256 - POSIX_SLOT_THREADS) / POSIX_THREAD_SLOTS */
#define POSIX_SLOT_THREAD(i) (POSIX_SLOT_THREADS + POSIX_THREAD_SLOTS * (i))
#define POSIX_SLOT_THREAD_TCB(i) (POSIX_SLOT_THREAD(i) + 0)
#define POSIX_SLOT_THREAD_NTFN(i) (POSIX_SLOT_THREAD(i) + 1)
#define POSIX_SLOT_THREAD_SIG(i) (POSIX_SLOT_THREAD(i) + 2)
#define POSIX_SLOT_THREAD_TIMER(i) (POSIX_SLOT_THREAD(i) + 3)
#define POSIX_SLOT_THREAD_FAULT(i) (POSIX_SLOT_THREAD(i) + 4)
_Static_assert(POSIX_SLOT_THREAD(POSIX_THREADS_MAX) <= (1 << POSIX_CNODE_RADIX),
	       "per-thread slots fit the CNode");

/* Notification bits of a thread's Notification. */
#define POSIX_NTFN_WAKE 1ul   /* futex wake, own timer: a wait's bit, no upcall */
#define POSIX_NTFN_SIGNAL 2ul /* a signal posted inside the process (upcall) */
#define POSIX_NTFN_PROC 4ul   /* proc has signals or a stop for the process (upcall) */
#define POSIX_NTFN_UPCALLS (POSIX_NTFN_SIGNAL | POSIX_NTFN_PROC)

/* Badges. A Linux process's caps carry its pid (1 .. POSIX_PID_MAX). */
#define POSIX_PID_MAX (1ul << 22)
#define POSIX_BADGE_PROC (1ul << 62)	/* proc's caps to vfs and mm */
#define POSIX_BADGE_ROOT (1ul << 61)	/* the root task's caps to the servers */
#define POSIX_BADGE_CONSOLE (1ul << 60) /* the console driver's cap to proc (job control) */
/* A thread's fault endpoint cap: pid | POSIX_BADGE_THREAD(index). */
#define POSIX_BADGE_THREAD_SHIFT 32
#define POSIX_BADGE_THREAD(i) (((uint64_t)(i) + 1) << POSIX_BADGE_THREAD_SHIFT)
#define POSIX_BADGE_PID(b) ((b) & ((1ul << POSIX_BADGE_THREAD_SHIFT) - 1))

#endif
