/*
 * The mm server's state: per process, its VSpace (handed over by proc at
 * exec), a keeper CNode holding the MemObjs behind its regions (object
 * id i is keeper slot i), the region list and the break.
 */
#ifndef MM_MM_H
#define MM_MM_H

#include <stdbool.h>
#include <stdint.h>

#include "sys/server.h"
#include "tern/caps.h"
#include "vma.h"

#define MM_PROCS 64
#define MM_KEEPER_RADIX 8
#define MM_OBJS (1u << MM_KEEPER_RADIX)

struct mm_proc {
	bool used;
	uint64_t pid;
	tern_cptr_t vspace; /* in mm's CNode */
	tern_cptr_t keeper;
	uint64_t obj_used[MM_OBJS / 64]; /* bit i: object i exists (0 is "none") */
	struct vma_list vmas;
	uint64_t brk_start, brk, mmap_top;
	uint64_t rng;
};

struct mm_server {
	struct mm_proc procs[MM_PROCS];
};

struct mm_proc *mm_proc_of(struct mm_server *s, uint64_t pid);

/* The quota processes' memory is charged to (mmap.c), split at start. */
extern tern_cptr_t mm_user_quota;
void mm_quota_init(void);

/* oom.c: MM_OOM_STAT's answer. */
struct mm_oom_stat_resp;
void mm_oom_stat(struct mm_server *s, struct mm_oom_stat_resp *out);

#endif
