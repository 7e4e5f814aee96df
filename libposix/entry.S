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
 * user mode. Upcalls go to libsys's stub unchanged; the way back is
 * libsys's resume tail. Offsets: struct tern_frame (tern/personality.h)
 * and the IPC buffer (tern/ipc_buffer.h), checked in dispatch.c.
 */
#include "posix/syscalls.h"

#include "sys/personality_frame.inc"

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
	cmpq $POSIX_SYSCALL_MAX, %rax
	jae 2f
	leaq posix_table(%rip), %rcx
	movq (%rcx, %rax, 8), %rcx
	testq %rcx, %rcx
	jz 2f
	call *%rcx
	/* The argument registers from the frame, the preserved ones as the
	 * C handler kept them; rcx = the frame for the resume tail. */
3:	movq (CALL_WORDS * 8 - 8)(%rsp), %rcx
	movq R_RDX(%rcx), %rdx
	movq R_RSI(%rcx), %rsi
	movq R_RDI(%rcx), %rdi
	movq R_R8(%rcx), %r8
	movq R_R9(%rcx), %r9
	movq R_R10(%rcx), %r10
	jmp tern_personality_resume_tail
2:	movq %rax, %rdi
	call posix_enosys
	jmp 3b
	.size posix_entry, . - posix_entry

	.section .note.GNU-stack, "", @progbits
