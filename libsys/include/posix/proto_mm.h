/*
 * The mm server's protocol (sys/server.h). mm owns every Linux process's
 * address space after exec has built it (docs/personality.md, "proc and
 * mm"): proc, with caps badged POSIX_BADGE_PROC, hands it over with
 * MM_SETUP, copies it for a child with MM_FORK and takes it back with
 * MM_EXIT; a process (badge = pid) asks
 * for the Linux calls. Arguments are Linux's, unchecked by libposix.
 */
#ifndef POSIX_PROTO_MM_H
#define POSIX_PROTO_MM_H

#include <stdint.h>

#include "sys/server.h"
#include "tern/msginfo.h"

#define MM_PROTOCOL(X)                      \
	X(MM_SETUP, 1, mm_setup) /* proc */ \
	X(MM_EXIT, 2, mm_exit)	 /* proc */ \
	X(MM_FORK, 3, mm_fork)	 /* proc */ \
	X(MM_BRK, 16, mm_brk)               \
	X(MM_MMAP, 17, mm_mmap)             \
	X(MM_MUNMAP, 18, mm_munmap)         \
	X(MM_MPROTECT, 19, mm_mprotect)     \
	X(MM_MREMAP, 20, mm_mremap)         \
	X(MM_MADVISE, 21, mm_madvise)       \
	X(MM_MSYNC, 22, mm_msync)           \
	X(MM_MINCORE, 23, mm_mincore)       \
	X(MM_OOM_STAT, 30, mm_oom_stat) /* proc */

/*
 * An address space (MM_SETUP, MM_FORK) travels as one CNode cap of radix
 * MM_SPACE_RADIX, the "space": the VSpace at slot 0, the MemObj of object
 * id i at slot i (1 .. MM_SPACE_OBJS - 1). mm keeps it as the process's
 * keeper (the original stays with proc, in the process's keeper, so the
 * whole image goes when proc deletes that).
 */
#define MM_SPACE_RADIX 8
#define MM_SPACE_OBJS (1u << MM_SPACE_RADIX)
#define MM_SPACE_VSPACE 0

/* Region kinds (servers/mm/vma.h uses the same bits). A private region
 * of mm's own anonymous memory (MM_REGION_ANON without MM_REGION_SHARED)
 * is cloned copy-on-write at fork; every other region with an object
 * shares it with the child. */
#define MM_REGION_ANON 1u
#define MM_REGION_SHARED 2u
#define MM_REGION_FIXED 4u    /* exec's program and stack (mremap: EFAULT) */
#define MM_REGION_RESERVED 8u /* libposix's, vvar, vDSO: never unmapped, moved or reprotected */
#define MM_REGION_GROWSDOWN 16u
#define MM_REGION_BRK 32u

/* One region of an address space exec built: [start, end) mapped from
 * page obj_page of object `obj` (0: nothing behind it, e.g. proc's IPC
 * buffers) with protection prot (PROT_*). */
struct mm_region {
	uint64_t start, end;
	uint32_t prot, kind;
	uint32_t obj, unused;
	uint64_t obj_page;
};
#define MM_REGION_WORDS (sizeof(struct mm_region) / 8)

/* exec's new address space for process `pid` (replacing what mm held for
 * it), sent with the space: `nregions` struct mm_region follow the fixed
 * words, sorted, already mapped by proc. brk starts at brk_start; mmap
 * grows down from mmap_top (randomised by proc). */
struct mm_setup_req {
	uint64_t pid;
	uint64_t brk_start;
	uint64_t mmap_top;
	uint64_t seed; /* randomness for mm's own choices */
	uint64_t nregions;
};
#define MM_SETUP_REQ_WORDS (sizeof(struct mm_setup_req) / 8)
#define MM_SETUP_REGIONS_MAX ((TERN_MSG_MAX_WORDS - MM_SETUP_REQ_WORDS) / MM_REGION_WORDS)
struct mm_setup_resp {
	uint64_t unused;
};

/* fork: child's address space from parent's, sent with the child's space
 * (the new VSpace at slot 0, nothing else). Every private anonymous
 * region becomes a copy-on-write MEMOBJ_CLONE (charged to mm's quota),
 * every other region shares its object; each is mapped with its current
 * protection (PROT_NONE: not at all), nothing populated; the region
 * list, brk and the mmap top are copied. Regions without an object (the
 * IPC buffers) stay unmapped: proc maps the child's own. */
struct mm_fork_req {
	uint64_t parent, child;
};
struct mm_fork_resp {
	uint64_t unused;
};

struct mm_exit_req {
	uint64_t pid;
};
struct mm_exit_resp {
	uint64_t unused;
};

/* MM_OOM_STAT (proc only, for its OOM killer: docs/personality.md "Out
 * of memory"): every process mm holds, its pid, the pages its objects
 * hold (rss: anonymous, copy-on-write shared and file pages alike, as
 * Linux's get_mm_rss counts them all) and the pages its regions span
 * (total-vm). */
#define MM_OOM_STAT_MAX 64
struct mm_oom_stat_req {
	uint64_t unused;
};
struct mm_oom_stat_entry {
	uint64_t pid, rss, vm;
};
struct mm_oom_stat_resp {
	uint64_t n;
	struct mm_oom_stat_entry procs[MM_OOM_STAT_MAX];
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
