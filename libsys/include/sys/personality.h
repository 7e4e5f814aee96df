/*
 * The user half of a personality (the kernel's contract is in
 * tern/personality.h): an entry stub, tern_personality_entry, that the
 * kernel starts the thread at when it reflects a foreign `syscall` or
 * delivers an upcall, and the C handlers the program registers.
 *
 * Code ranges. The kernel reflects a `syscall` whose instruction lies
 * outside the thread's personality range and runs any other natively. A
 * program that hosts its own application code (a test, a benchmark, one
 * day libposix loading a Linux binary beside itself) puts that code in the
 * section ".text.app" (TERN_APP_CODE); libsys/user.ld places the section
 * first in the text segment, between __app_start and __app_end, and ends
 * the rest of the text at __text_end. tern_personality_install() makes
 * [__app_end, __text_end) the range, so the stub, the handlers and every
 * libsys function they call (whose native syscalls are inlined stubs)
 * issue native calls. Only where `syscall` instructions sit matters; data
 * is not part of the range.
 *
 * A reflected syscall. The handler gets a copy of the frame on its stack
 * (frame->regs.rax is the number, rdi, rsi, rdx, r10, r8, r9 the
 * arguments, rip the return address) and returns the result. The stub
 * then resumes the application entirely in user mode, as Linux's sysret
 * would leave it: rax = the result, rcx = frame->regs.rip, r11 =
 * frame->regs.rflags, rflags and rsp restored from the frame, rdi, rsi,
 * rdx, r8, r9, r10 reloaded from it, and rbx, rbp, r12-r15 as the C
 * handler preserved them (the kernel hands them over untouched). A
 * handler that replaces the whole state (sigreturn, execve) edits
 * frame->regs and calls tern_personality_resume_frame() instead of
 * returning.
 *
 * An upcall. The handler gets the upcall frame in the IPC buffer
 * (frame->bits says which notification bits fired; editing frame->regs
 * changes where RESUME goes) and the stub then calls TERN_SYS_RESUME,
 * which restores the interrupted state in full.
 *
 * The handler stack. Both run on the thread's own handler stack, never on
 * the interrupted application stack (Linux never touches the user stack
 * on a syscall, and a goroutine stack or a sigaltstack may be small),
 * unless they interrupted code already on it: then below its red zone.
 * The stack is per thread and lives in the thread's IPC buffer
 * (handler_stack_top and _size, set with tern_personality_set_stack), so
 * the stub finds it from the frame pointer the kernel passes, with no
 * thread pointer. For a libsys thread (sys/thread.h) its creator calls
 * tern_personality_set_stack(thread->ipc, ...) before installing the
 * personality on thread->tcb; a thread sets its own with
 * tern_ipc_buffer(). A thread without one runs its handlers below the
 * interrupted red zone.
 * Size: an upcall takes about 3.8 KiB of it for the IPC buffer it saves,
 * a reflected syscall 176 bytes for the frame; the handlers' own use
 * comes on top (TERN_PERSONALITY_STACK_MIN is a floor, not a budget).
 * Nested entries grow it downwards; keep an unmapped page below it so an
 * overrun faults instead of writing what lies there. Nesting is told
 * from the interrupted rsp, so an upcall handler that interrupted a
 * syscall handler (frame->regs.rsp on the handler stack) must not RESUME
 * into application code that makes syscalls (a signal handler started by
 * rewriting the frame): their reflections would start again at the top,
 * over the interrupted handler. Run such code from inside the upcall
 * handler, where it nests, or deliver the signal when the syscall handler
 * returns, as Linux does at its return to user mode.
 *
 * An upcall can arrive at any return to user mode, also while the
 * interrupted code holds a libsys lock (malloc's, the slot allocator's,
 * the thread table's) or is half way through its thread's slot or Reply
 * cache, and upcalls stay masked until RESUME. So an upcall handler must
 * not call malloc/free, tern_slot_get/put, tern_reply_get/put,
 * tern_object_create or tern_thread_create/destroy: it would wait forever
 * on a lock its own thread holds, or hand out a slot twice. It records
 * what happened and leaves the work to the interrupted code (as a Linux
 * signal handler keeps to async-signal-safe calls).
 *
 * Who saves which registers (FPU state included) is written down in
 * tern/personality.h. The stub clears DF before calling C.
 */
#ifndef SYS_PERSONALITY_H
#define SYS_PERSONALITY_H

#include <stddef.h>
#include <stdint.h>

#include "sys/ipc.h"
#include "tern/caps.h"
#include "tern/errors.h"
#include "tern/personality.h"

/* Put a function in the application section: its `syscall`s are
 * reflected. noinline keeps its body out of callers in the range. */
#define TERN_APP_CODE __attribute__((section(".text.app"), noinline))

/* Bounds from libsys/user.ld. */
extern char __app_start[], __app_end[], __text_end[];

typedef uint64_t (*tern_syscall_handler_fn)(struct tern_frame *frame);
typedef void (*tern_upcall_handler_fn)(struct tern_frame *frame);

/* The kernel's entry point (personality.S); never called from C. */
void tern_personality_entry(void);

/* Resume the application with every register from frame->regs (rax
 * included): for a syscall handler that rewrote the frame. */
__attribute__((noreturn)) void tern_personality_resume_frame(struct tern_frame *frame);

/* Register the handlers. NULL restores the defaults: a syscall returns
 * -38 (Linux's -ENOSYS), an upcall does nothing. */
void tern_personality_set_handler(tern_syscall_handler_fn syscall_handler,
				  tern_upcall_handler_fn upcall_handler);

/* Give the thread that owns the IPC buffer `buf` a handler stack
 * [base, base + size) (base NULL: none). Call it before the thread can
 * reflect or take an upcall, or from the thread itself. */
#define TERN_PERSONALITY_STACK_MIN 8192
void tern_personality_set_stack(struct tern_ipc_buffer *buf, void *base, size_t size);

/* Name the Notification cap the kernel signals if an upcall arrives
 * while the current thread waits for a reply (0: none), so the server
 * can end the call early (tern/personality.h). Set before a call that
 * may wait long, clear after. */
static inline void tern_personality_set_interrupt(tern_cptr_t ntfn)
{
	tern_ipc_buffer()->interrupt_ntfn = ntfn;
}

/* Give the thread `tcb` of this program the personality: entry
 * tern_personality_entry, range [__app_end, __text_end). */
enum tern_error tern_personality_install(tern_cptr_t tcb);
/* Take it away again: every `syscall` of the thread is native. */
enum tern_error tern_personality_remove(tern_cptr_t tcb);

#endif
