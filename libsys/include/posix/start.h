/*
 * What proc tells libposix when it starts a Linux process's main thread:
 * a read-only page at POSIX_START_PAGE (posix/layout.h), whose address
 * is also in rdi when posix_start (libposix/start.c) runs.
 */
#ifndef POSIX_START_H
#define POSIX_START_H

#include <stdint.h>

#define POSIX_START_MAGIC 0x7465726e706f7378ul /* "ternposx" */

struct posix_start {
	uint64_t magic;
	uint64_t entry;		 /* the Linux program's entry point */
	uint64_t rsp;		 /* its initial stack pointer (argc there) */
	uint64_t pid, ppid, tid; /* the process's identity at start */
	uint64_t pgid, sid;
	uint64_t ipc_buffer;	/* the main thread's IPC buffer (POSIX_THREAD_IPC) */
	uint64_t handler_stack; /* its handler stack's base (lowest byte) ... */
	uint64_t handler_stack_size;
	uint64_t heap, heap_size; /* libposix's own heap (POSIX_HEAP) */
	uint64_t vdso;		  /* AT_SYSINFO_EHDR, 0 = none */
	uint64_t brk;		  /* the program break at start (mm knows it too) */
	char comm[16];		  /* the task name (PR_GET_NAME): the file's base name */
	/* The signal state exec keeps (posix/signal.h sigsets, from the
	 * execve request; 0 for init): handlers reset to SIG_DFL, SIG_IGN
	 * kept; the blocked mask and the pending set kept. */
	uint64_t sig_ignored, sig_blocked, sig_pending;
	/* ITIMER_REAL from the execve request (libposix/itimer.c). */
	uint64_t itimer_real_expires, itimer_real_interval;
	uint64_t timer_next_id; /* the next POSIX timer id (exec keeps it) */
};

#endif
