/* The IPC fast path: Call and ReplyRecv in the common case, jumped to
 * from syscall_entry (kernel/ipc/fastpath.S; checks in fastpath.c). */
#ifndef KERNEL_FASTPATH_H
#define KERNEL_FASTPATH_H

struct tcb;

/* switch_user_context for the fast path's exit (called from assembly). */
void fastpath_switch(struct tcb *r);

#endif
