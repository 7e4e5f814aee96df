/*
 * tern_call with the profiler on (sys/syscalls.h, sys/prof.h): the inline
 * Call jumps here instead of executing its `syscall`, with the same
 * registers (rax = TERN_SYS_CALL, rdi, rsi, rdx, r10, r8, r9, r12), below
 * the red zone. It times the round trip, takes a server's stamp out of a
 * success reply's label (TERN_PROF_LABEL_MARK: label bit 48, info bit 63;
 * the server's ticks in label bits 16..47, info bits 31..62; the status
 * below, which stays) and adds to the calling thread's IPC buffer:
 * prof_ipc += round trip - server, prof_server += server. Returns as the
 * `syscall` would (rcx and r11 clobbered, the flags too).
 */
#define IPCBUF_PROF_IPC 3984	/* struct tern_ipc_buffer, checked in prof.c */
#define IPCBUF_PROF_SERVER 3992

	.text
	.globl tern_prof_syscall_call
	.type tern_prof_syscall_call, @function
tern_prof_syscall_call:
	pushq %rdx
	pushq %rax
	rdtsc
	shlq $32, %rdx
	orq %rdx, %rax
	movq %rax, %rcx
	popq %rax
	popq %rdx
	pushq %rcx			/* t0 */
	syscall
	pushq %rdx
	pushq %rax			/* the call's error */
	pushq %rbx
	rdtsc
	shlq $32, %rdx
	orq %rdx, %rax
	subq 24(%rsp), %rax		/* the round trip */
	xorl %ebx, %ebx			/* the server's ticks */
	cmpq $0, 8(%rsp)
	jne 1f
	btq $63, %rsi
	jnc 1f
	movq %rsi, %rbx
	shrq $31, %rbx
	movl %ebx, %ebx
	cmpq %rax, %rbx
	cmovaq %rax, %rbx		/* at most the round trip */
	andl $0x7fffffff, %esi		/* the status, caps and length stay */
1:	subq %rbx, %rax
	addq %rax, %gs:IPCBUF_PROF_IPC
	addq %rbx, %gs:IPCBUF_PROF_SERVER
	popq %rbx
	popq %rax
	popq %rdx
	addq $8, %rsp
	ret
	.size tern_prof_syscall_call, . - tern_prof_syscall_call

	.section .note.GNU-stack, "", @progbits
