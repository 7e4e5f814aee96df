/*
 * Synchronous IPC (endpoints, replies) and notifications.
 *
 * Endpoints queue threads that wait to send or to receive. Replies are
 * objects (as in seL4's MCS kernel): a receiver names a Reply object, a
 * Call binds its caller to it, and the server answers through it whenever
 * it likes, so it never has to block on one client.
 */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/object.h"

struct tcb;

enum ep_state { EP_IDLE, EP_SEND, EP_RECV };

struct endpoint {
	struct kobj hdr;
	enum ep_state state;
	struct tcb *head, *tail;
};

struct reply {
	struct kobj hdr;
	struct tcb *caller;   /* blocked in a Call, waiting for this reply */
	struct tcb *receiver; /* blocked in Recv, will bind the next caller */
};

struct notification {
	struct kobj hdr;
	uint64_t word;
	struct tcb *head, *tail; /* waiters */
	struct tcb *bound;	 /* TCB that receives upcalls from it */
};

/* Operations on the current thread `t`. They leave results in t's frame
 * (or block t) and may change the current thread. */
void endpoint_send(struct tcb *t, struct endpoint *ep, uint64_t badge, bool grant, bool call,
		   bool blocking);
void endpoint_recv(struct tcb *t, struct endpoint *ep, struct reply *reply, bool blocking);
int reply_send(struct tcb *t, struct reply *reply);

void notification_signal(struct notification *n, uint64_t badge);
void notification_wait(struct tcb *t, struct notification *n, bool blocking);
void notification_cancel_wait(struct tcb *t);

/* Take a blocked thread out of whatever IPC it waits in (destruction,
 * suspension, upcalls); its rax becomes `err`. */
void ipc_cancel(struct tcb *t, int err);
/* An endpoint, notification or reply is destroyed: release its waiters. */
void endpoint_destroy(struct endpoint *ep);
void notification_destroy(struct notification *n);
void reply_destroy(struct reply *r);

/* Copy the message (words, badge, caps) from sender to receiver. */
void ipc_transfer(struct tcb *from, struct tcb *to, uint64_t badge, bool grant,
		  struct endpoint *via);

#endif
