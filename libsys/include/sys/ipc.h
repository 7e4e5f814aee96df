/*
 * The calling thread's IPC buffer. The %gs base of every libsys thread is
 * its IPC buffer page, whose user_self word holds the page's address
 * (sys/thread.h), so this is one load and every thread uses its own. Host
 * unit tests (HOST_TEST) have one thread and point a global at a fake
 * buffer.
 */
#ifndef SYS_IPC_H
#define SYS_IPC_H

#include "tern/ipc_buffer.h"

#ifdef HOST_TEST
extern struct tern_ipc_buffer *tern_ipc_buffer_current;

static inline struct tern_ipc_buffer *tern_ipc_buffer(void)
{
	return tern_ipc_buffer_current;
}
#else
static inline struct tern_ipc_buffer *tern_ipc_buffer(void)
{
	struct tern_ipc_buffer *b;

	__asm__("movq %%gs:%c1, %0"
		: "=r"(b)
		: "i"(__builtin_offsetof(struct tern_ipc_buffer, user_self)));
	return b;
}
#endif

#endif
