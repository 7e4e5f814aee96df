/*
 * The current thread's IPC buffer. Tasks are single-threaded for now, so
 * one global set by crt0 (tern_start) is enough; a thread library would
 * switch it per thread with tern_set_ipc_buffer().
 */
#ifndef SYS_IPC_H
#define SYS_IPC_H

#include "tern/ipc_buffer.h"

extern struct tern_ipc_buffer *tern_ipc_buffer_current;

static inline struct tern_ipc_buffer *tern_ipc_buffer(void)
{
	return tern_ipc_buffer_current;
}

static inline void tern_set_ipc_buffer(struct tern_ipc_buffer *buf)
{
	tern_ipc_buffer_current = buf;
}

#endif
