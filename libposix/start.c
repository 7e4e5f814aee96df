/*
 * libposix's start-up: the first code of every Linux process. proc starts
 * the main thread at posix_start on its handler stack with rdi = the
 * start page (posix/start.h). It sets up libsys's per-thread state (the
 * %gs base is the IPC buffer page, sys/thread.h), installs the
 * personality (every `syscall` outside libposix's text is reflected to
 * posix_entry, entry.S, which runs the handler on the handler stack), the fault fix-up of uaccess.S,
 * runs the families' start-up hooks (init.h), then enters the Linux
 * program with the registers Linux gives a new process: rsp = the stack
 * proc built (argc there), every other register 0.
 */
#include "call.h"
#include "init.h"
#include "prof.h"
#include "signals.h"
#include "state.h"
#include "thread.h"
#include "uaccess.h"

#include "posix/cspace.h"
#include "posix/layout.h"
#include "posix/proto_proc.h"
#include "posix/start.h"
#include "sys/invoke.h"
#include "sys/ipc.h"
#include "sys/syscalls.h"
#include "sys/personality.h"
#include "sys/prof.h"
#include "tern/clock.h"
#include "sys/runtime.h"
#include "sys/thread.h"
#include "tern/invocation.h"

extern char __text_start[], __text_end[];

struct posix_state posix_state;
struct posix_thread posix_threads[POSIX_THREADS_MAX];

/* The weak hooks through data words: a direct call to an undefined weak
 * function (address 0) cannot be encoded from libposix's high address. */
static int (*volatile const fd_init_hook)(void) = posix_fd_init;
static int (*volatile const time_init_hook)(void) = posix_time_init;
static int (*volatile const signal_init_hook)(const struct posix_start *) = posix_signal_init;

void posix_start(const struct posix_start *st);

/* Ends the process from start-up (no Linux code has run): exit code 127,
 * what a shell reports for a program that could not start. */
static __attribute__((noreturn)) void start_failed(void)
{
	/* A raw Call, words in registers: %gs may not be set up yet. */
	struct tern_msg m = { .info = tern_msginfo(PROC_EXIT, 0, 1), .mr = { 127 } };

	tern_call(POSIX_SLOT_PROC_EP, &m);
	for (;;)
		__asm__ volatile("ud2");
}

/* %gs = the IPC buffer page, as libsys's crt0 does (a raw call: the
 * stubs find the buffer through %gs). */
static int thread_init(struct tern_ipc_buffer *ipc, uint64_t tid)
{
	struct tern_msg m = { .info = tern_msginfo(TERN_INV_TCB_SET_TLS, 0, 2) };
	struct posix_thread *self = &posix_threads[0];

	self->t.ipc = ipc;
	self->t.tcb = POSIX_SLOT_THREAD_TCB(0);
	self->index = 0;
	self->live = POSIX_THREAD_RUNNING;
	self->tid = tid;
	ipc->user_self = (uint64_t)(uintptr_t)ipc;
	ipc->user_data = (uint64_t)(uintptr_t)self;
	m.mr[0] = 0;
	m.mr[1] = (uint64_t)(uintptr_t)ipc;
	return tern_call(POSIX_SLOT_TCB, &m);
}

static __attribute__((noreturn)) void enter_linux(uint64_t entry, uint64_t rsp)
{
	/* The entry goes just below the initial stack (free memory) and ret
	 * takes it, so that no register has to carry it. */
	__asm__ volatile("movq %1, -8(%0)\n\t"
			 "leaq -8(%0), %%rsp\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "xorl %%ebx, %%ebx\n\t"
			 "xorl %%ecx, %%ecx\n\t"
			 "xorl %%edx, %%edx\n\t"
			 "xorl %%esi, %%esi\n\t"
			 "xorl %%edi, %%edi\n\t"
			 "xorl %%ebp, %%ebp\n\t"
			 "xorl %%r8d, %%r8d\n\t"
			 "xorl %%r9d, %%r9d\n\t"
			 "xorl %%r10d, %%r10d\n\t"
			 "xorl %%r11d, %%r11d\n\t"
			 "xorl %%r12d, %%r12d\n\t"
			 "xorl %%r13d, %%r13d\n\t"
			 "xorl %%r14d, %%r14d\n\t"
			 "xorl %%r15d, %%r15d\n\t"
			 "cld\n\t"
			 "ret"
			 :
			 : "r"(rsp), "r"(entry)
			 : "memory");
	__builtin_unreachable();
}

__attribute__((noreturn, used, section(".text.start"))) void
posix_start(const struct posix_start *st)
{
	struct tern_ipc_buffer *ipc = (struct tern_ipc_buffer *)(uintptr_t)st->ipc_buffer;

	if (st->magic != POSIX_START_MAGIC || thread_init(ipc, st->tid) != TERN_EOK)
		start_failed();
	tern_runtime_init(0, POSIX_SLOT_FIRST_FREE, POSIX_SLOT_LAST_FREE + 1);
	/* sys/prof.h: the kernel's flag, from the clock page proc maps. */
	if (st->vdso)
		tern_prof_on = (((const volatile struct tern_clock_page *)POSIX_VVAR)->flags &
				TERN_CLOCK_FLAG_PROFILE) != 0;
	uint64_t t_prof = tern_prof_begin(); /* prof.c: exec.posix_start */
	posix_state.pid = st->pid;
	posix_state.ppid = st->ppid;
	posix_state.tid = st->tid;
	posix_state.vdso = st->vdso;
	for (unsigned i = 0; i < sizeof(posix_state.comm); i++)
		posix_state.comm[i] = st->comm[i];
	posix_state.comm[sizeof(posix_state.comm) - 1] = 0;

	tern_personality_set_stack(ipc, (void *)(uintptr_t)st->handler_stack,
				   st->handler_stack_size);
	if (tern_tcb_set_fault_fixup(POSIX_SLOT_TCB, (uint64_t)(uintptr_t)posix_uaccess_start,
				     (uint64_t)(uintptr_t)posix_uaccess_end,
				     (uint64_t)(uintptr_t)posix_uaccess_fixup))
		start_failed();
	if ((fd_init_hook && fd_init_hook() < 0) || (time_init_hook && time_init_hook() < 0) ||
	    (signal_init_hook && signal_init_hook(st) < 0))
		start_failed();
	/* The personality last, once the upcall handler is in place: an
	 * upcall proc posted since the thread was made (a signal during
	 * exec) waited in the kernel and is delivered now, to that handler
	 * (a wake-up to the default one would be lost). */
	if (tern_tcb_set_personality(POSIX_SLOT_TCB, (uint64_t)(uintptr_t)posix_entry,
				     (uint64_t)(uintptr_t)__text_start,
				     (uint64_t)(uintptr_t)__text_end))
		start_failed();
	posix_prof_enter(t_prof);
	enter_linux(st->entry, st->rsp);
}
