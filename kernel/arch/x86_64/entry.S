/*
 * Interrupt and exception entry. Each vector has a tiny stub that pushes
 * a dummy error code when the CPU does not, then the vector number, and
 * jumps to the common path, which saves the general registers into a
 * struct trap_frame (arch/trap.h) and calls trap_dispatch.
 */
#include "asm_offsets.h"
	.include "arch/frame.inc"

	.text

.macro VECTOR_STUB n
	.balign 16
vector_stub_\n:
	.if (\n == 8 || (\n >= 10 && \n <= 14) || \n == 17 || \n == 21 || \n == 29 || \n == 30)
	.else
	pushq $0
	.endif
	pushq $\n
	jmp trap_common
.endm

	.balign 16
	.globl vector_stubs_start
vector_stubs_start:
.altmacro
.set i, 0
.rept 256
	VECTOR_STUB %i
	.set i, i + 1
.endr

trap_common:
	PUSH_GPRS
	cld
	testb $3, 18*8(%rsp)		/* from user mode? */
	jz 1f
	/* From user: TSS.rsp0 pointed at the end of the current TCB's frame,
	 * so the registers are already saved in the TCB. Continue on the
	 * per-CPU kernel stack; trap_from_user never returns. */
	swapgs
	movq %rsp, %rdi
	movq %gs:PERCPU_KSTACK_TOP, %rsp
	xorl %ebp, %ebp
	call trap_from_user
	ud2
1:	/* From the kernel (the idle loop, or a kernel bug): handle in place. */
	movq %rsp, %rdi
	call trap_dispatch
	POP_GPRS
	addq $16, %rsp			/* vector, error code */
	iretq
