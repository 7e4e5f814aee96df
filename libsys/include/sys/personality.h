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
 * A reflected syscall. The handler gets the frame (frame->regs.rax is the
 * number, rdi, rsi, rdx, r10, r8, r9 the arguments, rip the return
 * address) and returns the result. The stub then resumes the application
 * entirely in user mode, as Linux's sysret would leave it: rax = the
 * result, rcx = frame->regs.rip, r11 = frame->regs.rflags, rflags and rsp
 * restored from the frame, rdi, rsi, rdx, r8, r9, r10 reloaded from it,
 * and rbx, rbp, r12-r15 as the C handler preserved them (the kernel hands
 * them over untouched). The application's red zone is never written (the
 * handler runs below it). A handler that replaces the whole state
 * (sigreturn, execve) edits frame->regs and calls
 * tern_personality_resume_frame() instead of returning.
 *
 * An upcall. The handler gets the upcall frame (frame->bits says which
 * notification bits fired) and the stub then calls TERN_SYS_RESUME, which
 * restores the interrupted state in full. A native call that the upcall
 * interrupted returns TERN_EINTERRUPTED.
 *
 * Neither path saves x87/SSE/AVX state: a handler must leave it alone
 * (build it with -mgeneral-regs-only, as the kernel is) or save it itself,
 * since Linux programs keep vector values live across a `syscall`. The
 * stub clears DF before calling C. fs_base and gs_base are not switched.
 */
#ifndef SYS_PERSONALITY_H
#define SYS_PERSONALITY_H

#include <stdint.h>

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

/* Give the thread `tcb` of this program the personality: entry
 * tern_personality_entry, range [__app_end, __text_end). */
enum tern_error tern_personality_install(tern_cptr_t tcb);
/* Take it away again: every `syscall` of the thread is native. */
enum tern_error tern_personality_remove(tern_cptr_t tcb);

#endif
