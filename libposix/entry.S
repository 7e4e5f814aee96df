/*
 * libposix's entry for a reflected Linux syscall (tern/personality.h):
 * the kernel starts the thread here with rdi = TERN_UPCALL_SYSCALL and
 * rsi = the frame in the IPC buffer. libsys's entry stub
 * (libsys/src/personality.S) specialised for Linux: on the handler stack
 * it pushes only the struct posix_call the handlers take (libposix/call.h)
 * and indexes posix_table itself (docs/measurements.md, getpid).
 *
 * Unlike libsys's stub it leaves the frame in the IPC buffer instead of
 * copying it to the handler stack. That is safe because libposix never
 * runs application code nested inside a syscall handler: only a nested
 * reflection could overwrite the frame while its handler still needs it.
 * An upcall that arrives meanwhile saves and restores the frame with the
 * rest of the IPC buffer (libsys's stub), and a signal that comes while
 * libposix code runs (its rip in libposix's text, the resume tail below
 * included) is delivered when the syscall returns, by rewriting the frame
 * (tern_personality_resume_frame), as Linux delivers at its return to
 * user mode. Upcalls go to libsys's stub, which calls libposix's upcall
 * handler (signal.c); the way back tests posix_self()->work once and
 * ends with a copy of libsys's resume tail whose labels the upcall
 * handler knows. Offsets: struct tern_frame (tern/personality.h)
 * and the IPC buffer (tern/ipc_buffer.h), checked in dispatch.c.
 */
#include "posix/syscalls.h"

#include "sys/personality_frame.inc"
#include "signals.h"

#define B_USER_DATA 3592 /* the IPC buffer's user_data: posix_self() */

#define CALL_WORDS 8 /* struct posix_call: nr, a[6], frame */

	.section .text.posix_entry, "ax"
	.globl posix_entry
	.type posix_entry, @function
	.balign 16
posix_entry:
	cld
	cmpl $UPCALL_SYSCALL, %edi
	jne tern_personality_entry
	handler_stack %rsi, B_SYSCALL_FRAME
	/* struct posix_call: the frame stays where the kernel put it. */
	movq R_RAX(%rsi), %rax
	pushq %rsi			/* frame */
	pushq %r9
	pushq %r8
	pushq %r10
	pushq %rdx
	pushq R_RSI(%rsi)
	pushq R_RDI(%rsi)
	pushq %rax			/* nr */
	movq %rsp, %rdi
	/* The profiler (sys/prof.h, prof.c): the same dispatch, timed. */
	cmpb $0, tern_prof_on(%rip)
	jne 5f
	cmpq $POSIX_SYSCALL_MAX, %rax
	jae 2f
	leaq posix_table(%rip), %rcx
	movq (%rcx, %rax, 8), %rcx
	testq %rcx, %rcx
	jz 2f
	call *%rcx
	/* The way back: one test of posix_self()->work (signals to deliver:
	 * signal.c); an upcall from here to the tail's popfq comes back to
	 * the test (signal.c, upcall). */
	.globl posix_entry_back
posix_entry_back:
3:	movq %gs:B_USER_DATA, %rcx
	cmpl $0, POSIX_THREAD_WORK_OFFSET(%rcx)
	jne 4f
	/* The argument registers from the frame, the preserved ones as the
	 * C handler kept them; rcx = the frame for the resume tail. */
	movq (CALL_WORDS * 8 - 8)(%rsp), %rcx
	movq R_RDX(%rcx), %rdx
	movq R_RSI(%rcx), %rsi
	movq R_RDI(%rcx), %rdi
	movq R_R8(%rcx), %r8
	movq R_R9(%rcx), %r9
	movq R_R10(%rcx), %r10
	/* libsys's resume tail, with labels for the upcall handler: rcx = a
	 * frame; popfq takes the flags from the frame itself. */
	movq R_RFLAGS(%rcx), %r11
	leaq R_RFLAGS(%rcx), %rsp
	.globl posix_entry_tail_popf, posix_entry_tail_rest
	.globl posix_entry_tail_jmp, posix_entry_tail_end
posix_entry_tail_popf:
	popfq				/* nothing below changes the flags */
posix_entry_tail_rest:
	movq (R_RIP - R_RFLAGS - 8)(%rsp), %rcx
	movq (R_RSP - R_RFLAGS - 8)(%rsp), %rsp
posix_entry_tail_jmp:
	jmpq *%rcx
posix_entry_tail_end:
	/* Deliver (rewrites the frame, returns the rax to resume with), then
	 * test again. */
4:	movq %rax, %rdi
	movq (CALL_WORDS * 8 - 8)(%rsp), %rsi
	call posix_signal_return
	jmp 3b
2:	movq %rax, %rdi
	call posix_enosys
	jmp 3b
5:	call posix_prof_syscall
	jmp 3b
	.size posix_entry, . - posix_entry

	.section .note.GNU-stack, "", @progbits
