/* The IPC fast path: Call and ReplyRecv in the common case. Each returns
 * only when it cannot take the fast path (the slow path then runs). */
#ifndef KERNEL_FASTPATH_H
#define KERNEL_FASTPATH_H

struct tcb;

void fastpath_call(struct tcb *t);
void fastpath_reply_recv(struct tcb *t);

#endif
