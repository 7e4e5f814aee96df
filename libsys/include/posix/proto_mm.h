/*
 * The mm server's protocol (sys/server.h). mm owns every Linux process's
 * address space after exec has built it (docs/personality.md, "proc and
 * mm"): proc, with caps badged POSIX_BADGE_PROC, hands it over with
 * MM_SETUP and takes it back with MM_EXIT; a process (badge = pid) asks
 * for the Linux calls. Arguments are Linux's, unchecked by libposix.
 */
#ifndef POSIX_PROTO_MM_H
#define POSIX_PROTO_MM_H

#include <stdint.h>

#include "sys/server.h"

#define MM_PROTOCOL(X)                      \
	X(MM_SETUP, 1, mm_setup) /* proc */ \
	X(MM_EXIT, 2, mm_exit)	 /* proc */ \
	X(MM_BRK, 16, mm_brk)               \
	X(MM_MMAP, 17, mm_mmap)             \
	X(MM_MUNMAP, 18, mm_munmap)         \
	X(MM_MPROTECT, 19, mm_mprotect)     \
	X(MM_MREMAP, 20, mm_mremap)         \
	X(MM_MADVISE, 21, mm_madvise)       \
	X(MM_MSYNC, 22, mm_msync)           \
	X(MM_MINCORE, 23, mm_mincore)

/* A fresh address space for process `pid` (exec; replaces what mm held
 * for it), sent with the VSpace cap. What exec mapped is listed so that
 * mm never maps over it: [image_lo, image_hi) the program, [stack_lo,
 * stack_hi) the stack; libposix's region and vvar/vDSO are fixed
 * (posix/layout.h). brk starts at brk_start; mmap grows down from
 * mmap_top (randomised by proc). */
struct mm_setup_req {
	uint64_t pid;
	uint64_t image_lo, image_hi;
	uint64_t stack_lo, stack_hi;
	uint64_t brk_start;
	uint64_t mmap_top;
	uint64_t seed; /* randomness for mm's own choices */
};
struct mm_setup_resp {
	uint64_t unused;
};

struct mm_exit_req {
	uint64_t pid;
};
struct mm_exit_resp {
	uint64_t unused;
};

struct mm_brk_req {
	uint64_t addr;
};
struct mm_brk_resp {
	uint64_t brk; /* the break after the call (Linux's brk never fails) */
};

struct mm_mmap_req {
	uint64_t addr, len, prot, flags, fd, off;
};
struct mm_mmap_resp {
	uint64_t addr;
};

struct mm_munmap_req {
	uint64_t addr, len;
};
struct mm_munmap_resp {
	uint64_t unused;
};

struct mm_mprotect_req {
	uint64_t addr, len, prot;
};
struct mm_mprotect_resp {
	uint64_t unused;
};

struct mm_mremap_req {
	uint64_t old_addr, old_len, new_len, flags, new_addr;
};
struct mm_mremap_resp {
	uint64_t addr;
};

struct mm_madvise_req {
	uint64_t addr, len, advice;
};
struct mm_madvise_resp {
	uint64_t unused;
};

struct mm_msync_req {
	uint64_t addr, len, flags;
};
struct mm_msync_resp {
	uint64_t unused;
};

/* At most MM_MINCORE_MAX pages per call; libposix loops. */
#define MM_MINCORE_MAX 2048
struct mm_mincore_req {
	uint64_t addr, len;
};
struct mm_mincore_resp {
	uint64_t pages;
	uint8_t vec[MM_MINCORE_MAX];
};

enum mm_label { MM_PROTOCOL(TERN_PROTOCOL_ENUM) };
MM_PROTOCOL(TERN_PROTOCOL_ASSERTS)
MM_PROTOCOL(TERN_CLIENT_STUB)

#endif
