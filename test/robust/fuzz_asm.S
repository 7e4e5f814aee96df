/*
 * long fz_clone_raw(long nr, uint64_t flags, uint64_t stack, uint64_t ptid,
 *                   uint64_t ctid, uint64_t tls, long mode)
 *
 * clone (nr 56) or vfork (58) whose child runs no C when it shares our
 * memory: mode 0 returns 0 in the child (only without CLONE_VM and with no
 * stack: the child runs on its copy of ours), mode 1 makes the child call
 * exit(0) at once, mode 2 makes it exec fz_exec_path (argv fz_exec_argv,
 * envp fz_exec_envp) and exit_group(127) if that fails. Modes 1 and 2
 * touch no stack, so a child on ours, or on a bad one, harms nobody.
 */
	.text
	.globl fz_clone_raw
	.type fz_clone_raw, @function
fz_clone_raw:
	push %rbx
	mov 16(%rsp), %rbx
	mov %rdi, %rax
	mov %rsi, %rdi
	mov %rdx, %rsi
	mov %rcx, %rdx
	mov %r8, %r10
	mov %r9, %r8
	syscall
	test %rax, %rax
	jz 1f
	pop %rbx
	ret
1:	test %rbx, %rbx
	jnz 2f
	pop %rbx
	ret
2:	cmp $1, %rbx
	jne 3f
	mov $60, %eax
	xor %edi, %edi
	syscall
	jmp 2b
3:	mov fz_exec_path(%rip), %rdi
	mov fz_exec_argv(%rip), %rsi
	mov fz_exec_envp(%rip), %rdx
	mov $59, %eax
	syscall
4:	mov $231, %eax
	mov $127, %edi
	syscall
	jmp 4b
	.size fz_clone_raw, . - fz_clone_raw
	.section .note.GNU-stack, "", @progbits
