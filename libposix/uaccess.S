/*
 * Fault-safe copies between libposix and the application (uaccess.h).
 * Every routine is a leaf that keeps rsp where its caller left it, so a
 * fault anywhere between posix_uaccess_start and posix_uaccess_end can
 * resume at posix_uaccess_fixup, which returns -EFAULT to the caller: the
 * kernel moves rip there when it cannot resolve a user fault in this
 * range (TCB_SET_FAULT_FIXUP, set by libposix's start-up). An address at
 * or above the top of the user half is refused before any access (so a
 * non-canonical one never reaches the CPU either).
 */
#define EFAULT 14
#define ENAMETOOLONG 36
#define USER_TOP 0x800000000000
/* libposix's own region (posix/layout.h): no Linux program's memory, so
 * to a syscall as unmapped as on Linux (EFAULT, or a short count where it
 * starts), never libposix's state or IPC buffers written or read for it. */
#define POSIX_BASE 0x7fc000000000
#define POSIX_END 0x7fc040000000

/* Fault unless [lo, hi) misses libposix's region (clobbers rcx). */
.macro outside_posix lo, hi
	movabs $POSIX_END, %rcx
	cmp %rcx, \lo
	jae .Lout\@
	movabs $POSIX_BASE, %rcx
	cmp %rcx, \hi
	ja posix_uaccess_fixup
.Lout\@:
.endm

/* For the _upto copies: a range that starts inside copies nothing, one
 * that runs into it stops there (rdx shortened; clobbers rcx). */
.macro upto_posix lo, hi
	movabs $POSIX_END, %rcx
	cmp %rcx, \lo
	jae .Lok\@
	movabs $POSIX_BASE, %rcx
	cmp %rcx, \hi
	jbe .Lok\@
	cmp %rcx, \lo
	jae 9f
	mov %rcx, %rdx
	sub \lo, %rdx
.Lok\@:
.endm

	.text
	.globl posix_uaccess_start, posix_uaccess_end, posix_uaccess_fixup
	.globl copy_from_user, copy_to_user, clear_user, strncpy_from_user
	.globl copy_from_user_upto, copy_to_user_upto, posix_user_cmpxchg32

	.p2align 4
posix_uaccess_start:

/* rdx bytes from rsi to rdi: rep movsq, then the tail with rep movsb
 * (Linux's copy_user_generic_string without ERMS); returns 0. After a
 * fault rdi and rsi stand where the copy stopped (rep stops exactly at
 * the unit that faulted); rdx is left as it was. */
copy_bytes:
	mov %rdx, %rcx
	shr $3, %rcx
	rep movsq
	mov %rdx, %rcx
	and $7, %ecx
	rep movsb
	xor %eax, %eax
	ret

/* The same, a byte at a time (the retry after a fault, so the count of
 * what could be copied is exact). */
copy_bytewise:
	test %rdx, %rdx
	jz 2f
1:	movb (%rsi), %al
	movb %al, (%rdi)
	inc %rsi
	inc %rdi
	dec %rdx
	jnz 1b
2:	xor %eax, %eax
	ret

/* size_t copy_*_user_upto(dst, src, n): how many bytes were copied before
 * the first inaccessible one (Linux's short read or write). The fix-up
 * returns into this frame with rdi and rsi where the copy stopped, so the
 * rest (n less what rdi advanced) is retried byte by byte from there. A range that leaves the
 * user half copies nothing (as Linux's access_ok). */
copy_upto:
	mov %rdx, %r8
	mov %rdi, %r9
	call copy_bytes
	test %rax, %rax
	jz 1f
	mov %r8, %rdx
	add %r9, %rdx
	sub %rdi, %rdx		/* n - (rdi - dst): what is left */
	call copy_bytewise
	mov %r8, %rax
	sub %rdx, %rax
	ret
1:	mov %r8, %rax		/* all of it */
	ret

copy_from_user_upto:
	mov %rsi, %rax
	add %rdx, %rax
	jc 9f
	movabs $USER_TOP, %rcx
	cmp %rcx, %rax
	ja 9f
	upto_posix %rsi, %rax
	jmp copy_upto
9:	xor %eax, %eax
	ret

copy_to_user_upto:
	mov %rdi, %rax
	add %rdx, %rax
	jc 9f
	movabs $USER_TOP, %rcx
	cmp %rcx, %rax
	ja 9f
	upto_posix %rdi, %rax
	jmp copy_upto
9:	xor %eax, %eax
	ret

/* long copy_from_user(void *dst, uint64_t usrc, size_t n) */
copy_from_user:
	mov %rsi, %rax
	add %rdx, %rax
	jc posix_uaccess_fixup
	movabs $USER_TOP, %rcx
	cmp %rcx, %rax
	ja posix_uaccess_fixup
	outside_posix %rsi, %rax
	jmp copy_bytes

/* long copy_to_user(uint64_t udst, const void *src, size_t n) */
copy_to_user:
	mov %rdi, %rax
	add %rdx, %rax
	jc posix_uaccess_fixup
	movabs $USER_TOP, %rcx
	cmp %rcx, %rax
	ja posix_uaccess_fixup
	outside_posix %rdi, %rax
	jmp copy_bytes

/* long clear_user(uint64_t udst, size_t n) */
clear_user:
	mov %rdi, %rax
	add %rsi, %rax
	jc posix_uaccess_fixup
	movabs $USER_TOP, %rcx
	cmp %rcx, %rax
	ja posix_uaccess_fixup
	outside_posix %rdi, %rax
	xor %eax, %eax
	mov %rsi, %rcx
	shr $3, %rcx
	rep stosq
	mov %rsi, %rcx
	and $7, %ecx
	rep stosb
	ret

/* long strncpy_from_user(char *dst, uint64_t usrc, size_t max): the
 * length, or -ENAMETOOLONG without a NUL in max bytes. Bytes at or above
 * the top of the user half are a fault as soon as they are reached. */
strncpy_from_user:
	xor %eax, %eax
	mov %rdx, %r10		/* what may be read: up to libposix's region */
	movabs $POSIX_END, %rcx
	cmp %rcx, %rsi
	jae 4f
	movabs $POSIX_BASE, %rcx
	cmp %rcx, %rsi
	jae posix_uaccess_fixup
	mov %rcx, %r11
	sub %rsi, %r11
	cmp %r11, %r10
	cmova %r11, %r10
4:	movabs $USER_TOP, %rcx
1:	cmp %r10, %rax
	jae 3f
	lea (%rsi,%rax), %r8
	cmp %rcx, %r8
	jae posix_uaccess_fixup
	movb (%r8), %r9b
	movb %r9b, (%rdi,%rax)
	test %r9b, %r9b
	jz 2f
	inc %rax
	jmp 1b
2:	ret
3:	cmp %rdx, %rax		/* stopped by the region, not by max */
	jb posix_uaccess_fixup
	mov $-ENAMETOOLONG, %rax
	ret

/* long posix_user_cmpxchg32(uint64_t uaddr, uint32_t *old, uint32_t new):
 * atomically, *uaddr = new if it holds *old; *old = the value found
 * (futex's WAKE_OP). 0, or -EFAULT (uaddr 4-aligned by the caller). */
posix_user_cmpxchg32:
	movabs $USER_TOP - 4, %rcx
	cmp %rcx, %rdi
	ja posix_uaccess_fixup
	lea 4(%rdi), %rax
	outside_posix %rdi, %rax
	movl (%rsi), %eax
	lock cmpxchgl %edx, (%rdi)
	movl %eax, (%rsi)
	xor %eax, %eax
	ret

posix_uaccess_end:

/* Where a fault in the routines above resumes: rsp is the caller's. */
posix_uaccess_fixup:
	mov $-EFAULT, %rax
	ret

	.section .note.GNU-stack, "", @progbits
