/* The IPC fast path: Call and ReplyRecv in the common case, entered
 * straight from syscall_entry; each falls back to syscall_from_user. */
#ifndef KERNEL_FASTPATH_H
#define KERNEL_FASTPATH_H

#include "arch/trap.h"
#include "common/compiler.h"

void fastpath_call(struct trap_frame *f) __noreturn;
void fastpath_reply_recv(struct trap_frame *f) __noreturn;

#endif
