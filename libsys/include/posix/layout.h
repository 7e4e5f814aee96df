/*
 * The address space of a Linux process here (docs/personality.md). Linux's
 * own layout where a program can tell (nothing below mmap_min_addr, the
 * stack at the top of the user half, mmap below it); libposix's region
 * sits between the mmap area and the stack, at a fixed address, so the
 * kernel's personality range and the fault fix-up range are constants.
 */
#ifndef POSIX_LAYOUT_H
#define POSIX_LAYOUT_H

#define POSIX_PAGE_SIZE 4096ul

/* Linux's vm.mmap_min_addr default: nothing is ever mapped below it. */
#define POSIX_MMAP_MIN_ADDR 0x10000ul

/* The Linux stack's highest end (before randomisation), its default
 * reservation and how far down randomisation moves it. */
#define POSIX_STACK_TOP 0x7ffffffff000ul
#define POSIX_STACK_MAX (8ul << 20) /* RLIMIT_STACK's default */
#define POSIX_STACK_RANDOM (16ul << 20)

/* The top of the mmap area (grows down, randomised below this). */
#define POSIX_MMAP_TOP 0x7fb000000000ul
#define POSIX_MMAP_RANDOM (1ul << 36)

/* vvar: the kernel's clock page (read-only), then the vDSO image. */
#define POSIX_VVAR 0x7fbfffff0000ul
#define POSIX_VDSO (POSIX_VVAR + POSIX_PAGE_SIZE)
#define POSIX_VDSO_MAX_PAGES 4ul

/* libposix's region: [POSIX_BASE, POSIX_END). */
#define POSIX_BASE 0x7fc000000000ul
#define POSIX_HEAP (POSIX_BASE + 0x10000000ul)
#define POSIX_HEAP_SIZE (64ul << 20)
#define POSIX_THREAD_IPC (POSIX_BASE + 0x20000000ul) /* page i: thread i's IPC buffer */
#define POSIX_THREAD_STACKS (POSIX_BASE + 0x30000000ul)
#define POSIX_THREAD_STACK_SIZE (64ul << 10) /* each, an unmapped guard page below */
#define POSIX_THREAD_STACK_STRIDE (POSIX_THREAD_STACK_SIZE + POSIX_PAGE_SIZE)
#define POSIX_THREAD_MAX 64 /* room for; posix/cspace.h POSIX_THREADS_MAX is the limit */
#define POSIX_START_PAGE (POSIX_BASE + 0x3f000000ul) /* struct posix_start, read-only */
#define POSIX_END (POSIX_BASE + 0x40000000ul)

#endif
