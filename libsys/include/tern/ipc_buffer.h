/*
 * The per-thread IPC buffer: one page of the thread's memory that the
 * kernel also reaches. It carries message words beyond the registers,
 * capabilities to send and where to put received ones, and the
 * personality frames.
 */
#ifndef TERN_IPC_BUFFER_H
#define TERN_IPC_BUFFER_H

#include <stdint.h>

#include "tern/caps.h"
#include "tern/msginfo.h"
#include "tern/personality.h"

struct tern_ipc_buffer {
	uint64_t msg[TERN_MSG_MAX_WORDS]; /* msg[0..3] mirror MR0..MR3 */
	tern_cptr_t send_caps[TERN_MSG_MAX_CAPS];
	uint64_t recv_badges[TERN_MSG_MAX_CAPS]; /* badges of unwrapped caps */
	tern_cptr_t recv_cnode;			 /* where a received cap goes: CNode CPtr, */
	uint64_t recv_index;			 /* slot index in it, */
	uint64_t recv_depth;			 /* and depth (0 = receive no caps) */
	uint64_t user_data; /* free for the runtime (libsys: its struct tern_thread) */
	struct tern_frame syscall_frame;
	struct tern_frame upcall_frame;
	/* Read by the kernel when an upcall arrives while the thread waits
	 * for a reply: a Notification CPtr it then signals, so the server can
	 * end the call early (0 = none; tern/personality.h). */
	tern_cptr_t interrupt_ntfn;
	/* The personality handler's stack (user space only: libsys's entry
	 * stub switches to it; 0 = run below the interrupted red zone). */
	uint64_t handler_stack_top, handler_stack_size;
	/* Free for the runtime: libsys keeps the page's own address here and
	 * points the thread's %gs base at the page (sys/thread.h). */
	uint64_t user_self;
	/* Free for the runtime: the profiler's per-thread sums of IPC and
	 * server ticks (sys/prof.h; only with tern.profile=1). */
	uint64_t prof_ipc, prof_server;
	uint64_t reserved[12];
};
_Static_assert(sizeof(struct tern_ipc_buffer) == 4096, "the IPC buffer is one page");

#endif
