/*
 * C side of program start (crt0.S): set up the main thread's struct
 * tern_thread (sys/thread.h) and the runtime, run main, and stop the
 * thread when main returns. Entry points: tern_start, tern_thread_exit,
 * tern_bootinfo, tern_self_tcb.
 */
#include <stdint.h>

#include "sys/ipc.h"
#include "sys/printf.h"
#include "sys/prof.h"
#include "sys/runtime.h"
#include "sys/spawn.h"
#include "sys/syscalls.h"
#include "sys/invoke.h"
#include "sys/thread.h"
#include "tern/invocation.h"

_Static_assert(TERN_ROOT_IPC_BUFFER_VADDR == TERN_CHILD_IPC_BUFFER,
	       "one %gs base for the main threads of the root task and its children");

static const struct tern_bootinfo *boot_info;
static tern_cptr_t self_tcb;
static struct tern_thread main_thread;

const struct tern_bootinfo *tern_bootinfo(void)
{
	return boot_info;
}

tern_cptr_t tern_self_tcb(void)
{
	return tern_thread_self()->tcb;
}

void tern_thread_exit(int status)
{
	struct tern_thread *t = tern_thread_self();

	if (status != 0)
		tern_printf("thread %u (tcb %lu) exited with status %d\n", t->id,
			    (unsigned long)t->tcb, status);
	t->exited = true;
	tern_tcb_suspend(t->tcb);
	for (;;)
		tern_yield();
}

/*
 * Point %gs at the main thread's IPC buffer (sys/thread.h). A raw call:
 * the invocation stubs find the buffer through %gs, which is not set yet
 * (SET_TLS needs no buffer, its two words travel in registers).
 */
static void main_thread_init(struct tern_ipc_buffer *ipc)
{
	struct tern_msg m = { .info = tern_msginfo(TERN_INV_TCB_SET_TLS, 0, 2) };
	enum tern_error err;

	main_thread.ipc = ipc;
	main_thread.tcb = self_tcb;
	ipc->user_self = (uint64_t)(uintptr_t)ipc;
	ipc->user_data = (uint64_t)(uintptr_t)&main_thread;
	m.mr[1] = (uint64_t)(uintptr_t)ipc;
	err = tern_call(self_tcb, &m);
	if (err != TERN_EOK) {
		tern_printf("task (tcb %lu): cannot set the thread pointer: %d\n",
			    (unsigned long)self_tcb, err);
		struct tern_msg s = { .info = tern_msginfo(TERN_INV_TCB_SUSPEND, 0, 0) };
		tern_call(self_tcb, &s);
		for (;;)
			tern_yield();
	}
}

/* rsi is 0 only for the root task: a spawned child's TCB CPtr never is. */
void tern_start(uint64_t rdi, uint64_t rsi, uint64_t rdx)
{
	uint64_t arg = rdi;

	if (rsi == 0) {
		boot_info = (const struct tern_bootinfo *)(uintptr_t)rdi;
		self_tcb = TERN_SLOT_TCB;
		main_thread_init((struct tern_ipc_buffer *)(uintptr_t)boot_info->ipc_buffer_vaddr);
		tern_runtime_init(TERN_SLOT_QUOTA, boot_info->first_free_slot, boot_info->n_slots);
	} else {
		self_tcb = rsi;
		main_thread_init((struct tern_ipc_buffer *)TERN_CHILD_IPC_BUFFER);
		tern_runtime_init(
			TERN_CHILD_SLOT_QUOTA, TERN_CHILD_SLOT_FIRST_FREE,
			1ul << (rdx > TERN_CHILD_CNODE_RADIX && rdx <= TERN_CHILD_CNODE_RADIX_MAX
					? rdx
					: TERN_CHILD_CNODE_RADIX));
	}
	uint64_t q[4] = { 0 };
	if (tern_debug_query(TERN_DEBUG_QUERY_PROFILE, 0, q) == TERN_EOK)
		tern_prof_on = q[0] != 0; /* sys/prof.h: fixed from here on */
	tern_thread_exit(main(arg, self_tcb));
}
