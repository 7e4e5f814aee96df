/*
 * void hostile_native(struct hostile_regs *r, uint64_t gadget, uint64_t spray)
 *
 * A native kernel call made the way any Linux program here can: jump to
 * a `syscall` instruction inside libposix's text (the kernel's
 * personality range, so the call is not reflected), with rsp and rbp on
 * a spray of our landing address, so that the epilogue after that
 * instruction (pops, leave, loads from rbp, ret) returns to us. In: rax
 * (call), rdi (CPtr), rsi (message info), rdx, r10, r8, r9 (MR0..MR3),
 * r12 (Reply CPtr); out: rax, rdi (badge), rsi, rdx, r10, r8, r9.
 */
	.text
	.globl hostile_native
	.type hostile_native, @function
hostile_native:
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rdi, hostile_regs_ptr(%rip)
	mov %rsp, hostile_saved_rsp(%rip)
	mov %rsi, %r11
	mov %rdx, %rcx
	mov 0(%rdi), %rax
	mov 16(%rdi), %rsi
	mov 24(%rdi), %rdx
	mov 32(%rdi), %r10
	mov 40(%rdi), %r8
	mov 48(%rdi), %r9
	mov 56(%rdi), %r12
	mov 8(%rdi), %rdi
	mov %rcx, %rsp
	mov %rcx, %rbp
	jmp *%r11
	.globl hostile_landing
hostile_landing:
	mov hostile_regs_ptr(%rip), %r11
	mov %rax, 0(%r11)
	mov %rdi, 8(%r11)
	mov %rsi, 16(%r11)
	mov %rdx, 24(%r11)
	mov %r10, 32(%r11)
	mov %r8, 40(%r11)
	mov %r9, 48(%r11)
	mov hostile_saved_rsp(%rip), %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	ret
	.size hostile_native, . - hostile_native

	.bss
	.align 8
hostile_regs_ptr:
	.quad 0
hostile_saved_rsp:
	.quad 0
	.section .note.GNU-stack, "", @progbits
