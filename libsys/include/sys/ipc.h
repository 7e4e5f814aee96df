/*
 * The calling thread's IPC buffer: %gs:8, a field of its struct
 * tern_thread (sys/thread.h), so every thread uses its own. Host unit
 * tests (HOST_TEST) have one thread and point a global at a fake buffer.
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

	__asm__("movq %%gs:8, %0" : "=r"(b));
	return b;
}
#endif

#endif
