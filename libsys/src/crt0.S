/*
 * Entry of every native program. The kernel starts the root task with
 * rsp = top of its stack (16-byte aligned), rdi = its struct tern_bootinfo
 * and rsi = 0; tern_spawn() starts a child with rdi = an argument word and
 * rsi = the child's own TCB CPtr (never 0) and rdx = its CNode's radix.
 * All three go to tern_start(rdi, rsi, rdx).
 */
	.section .text.start, "ax"
	.globl _start
	.type _start, @function
_start:
	xorl %ebp, %ebp
	andq $-16, %rsp
	call tern_start
	ud2
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
