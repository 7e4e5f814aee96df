/*
 * The 32-bit SYSCALL entry (MSR_CSTAR), which only refuses.
 *
 * tern has no 32-bit ABI and its GDT holds no code segment a user thread
 * can run in compatibility mode with, so this entry should be unreachable.
 * It exists because on AMD CPUs (and QEMU's TCG) a `syscall` from a
 * compatibility-mode segment enters ring 0 at CSTAR: left at 0, that ran
 * the thread's own code at address 0 in ring 0. Should a thread reach it
 * anyway, it gets what an Intel CPU gives it, an invalid-opcode fault at
 * the syscall instruction, delivered to its fault endpoint like any other
 * exception (rip is moved back over the two-byte instruction; cs is the
 * 64-bit user segment, since no compatibility one exists).
 *
 * State on entry, as for the 64-bit entry: ring 0, the user's rsp and gs,
 * rcx = the return rip, r11 = the user rflags, interrupts off (SFMASK).
 */
#include "asm_offsets.h"
	.include "arch/frame.inc"

#define SYSCALL_INSN_BYTES 2

	.text
	.globl compat_syscall_entry
	.balign 16
compat_syscall_entry:
	swapgs
	movq %rsp, %gs:PERCPU_USER_RSP
	movq %gs:PERCPU_CURRENT, %rsp
	addq $TCB_CTX_END, %rsp		/* the end of its frame */
	pushq $SEL_USER_DATA		/* ss */
	pushq %gs:PERCPU_USER_RSP	/* rsp */
	pushq %r11			/* rflags */
	pushq $SEL_USER_CODE		/* cs */
	subq $SYSCALL_INSN_BYTES, %rcx
	pushq %rcx			/* rip: the syscall instruction */
	pushq $0			/* error */
	pushq $VEC_INVALID_OP		/* vector: returns with iret */
	PUSH_GPRS
	cld
	movq %rsp, %rdi
	movq %gs:PERCPU_KSTACK_TOP, %rsp
	xorl %ebp, %ebp
	call trap_from_user
	ud2
