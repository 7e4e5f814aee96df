/*
 * C side of program start (crt0.S): find the IPC buffer, run main, and
 * stop the thread when main returns. Entry points: tern_start,
 * tern_thread_exit, tern_bootinfo, tern_self_tcb.
 */
#include <stdint.h>

#include "sys/ipc.h"
#include "sys/printf.h"
#include "sys/runtime.h"
#include "sys/spawn.h"
#include "sys/syscalls.h"
#include "sys/invoke.h"

struct tern_ipc_buffer *tern_ipc_buffer_current;
static const struct tern_bootinfo *boot_info;
static tern_cptr_t self_tcb;

const struct tern_bootinfo *tern_bootinfo(void)
{
	return boot_info;
}

tern_cptr_t tern_self_tcb(void)
{
	return self_tcb;
}

void tern_thread_exit(int status)
{
	if (status != 0)
		tern_printf("task (tcb %lu) exited with status %d\n", (unsigned long)self_tcb,
			    status);
	tern_tcb_suspend(self_tcb);
	for (;;)
		tern_yield();
}

/* rsi is 0 only for the root task: a spawned child's TCB CPtr never is. */
void tern_start(uint64_t rdi, uint64_t rsi)
{
	uint64_t arg = rdi;

	if (rsi == 0) {
		boot_info = (const struct tern_bootinfo *)(uintptr_t)rdi;
		self_tcb = TERN_SLOT_TCB;
		tern_set_ipc_buffer(
			(struct tern_ipc_buffer *)(uintptr_t)boot_info->ipc_buffer_vaddr);
	} else {
		self_tcb = rsi;
		tern_set_ipc_buffer((struct tern_ipc_buffer *)TERN_CHILD_IPC_BUFFER);
	}
	tern_thread_exit(main(arg, self_tcb));
}
