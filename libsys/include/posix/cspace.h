/*
 * The CSpace of a Linux process: one CNode of radix POSIX_CNODE_RADIX,
 * slot i is CPtr i (depth 64). Each cap is safe in a hostile program's
 * hands (docs/personality.md, "CSpace"): it reaches only the process
 * itself, or a server that identifies the caller by the cap's badge.
 */
#ifndef POSIX_CSPACE_H
#define POSIX_CSPACE_H

#define POSIX_CNODE_RADIX 8

enum posix_slot {
	POSIX_SLOT_TCB = 1,	    /* the main thread's TCB */
	POSIX_SLOT_CNODE = 2,	    /* this CNode */
	POSIX_SLOT_PROC_EP = 4,	    /* proc, badge = pid */
	POSIX_SLOT_VFS_EP = 5,	    /* vfs, badge = pid */
	POSIX_SLOT_MM_EP = 6,	    /* mm, badge = pid */
	POSIX_SLOT_CONSOLE_EP = 7,  /* the console driver, badge = pid */
	POSIX_SLOT_TIMER = 8,	    /* a Timer of its own (nanosleep) */
	POSIX_SLOT_NTFN = 9,	    /* a Notification of its own, bound to the TCB */
	POSIX_SLOT_FIRST_FREE = 16, /* libposix's own from here */
};

/* Badges. A Linux process's caps carry its pid (1 .. POSIX_PID_MAX). */
#define POSIX_PID_MAX (1ul << 22)
#define POSIX_BADGE_PROC (1ul << 62) /* proc's caps to vfs and mm */
#define POSIX_BADGE_ROOT (1ul << 61) /* the root task's caps to the servers */

#endif
