/* The IPC fast path: Call and ReplyRecv in the common case, called
 * straight from syscall_entry (kernel/ipc/fastpath.c). */
#ifndef KERNEL_FASTPATH_H
#define KERNEL_FASTPATH_H

#include <stdint.h>

#include "arch/trap.h"

/* Returned in rax:rdx. frame NULL: take the slow path, nothing was
 * changed. Otherwise the thread owning `frame` is current and loaded;
 * syscall.S enters it with the sender's message and rdi = badge. */
struct fastpath_next {
	struct trap_frame *frame;
	uint64_t badge;
};

struct fastpath_next fastpath_call(struct trap_frame *f);
struct fastpath_next fastpath_reply_recv(struct trap_frame *f);

#endif
