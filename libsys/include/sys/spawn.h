/*
 * Starting a new task (its own CSpace and VSpace) from an ELF image that
 * is already in the caller's memory, using only invocations.
 *
 * The child's CSpace is one CNode of radix TERN_CHILD_CNODE_RADIX whose
 * guard covers the other 56 bits, so its slot i is CPtr i (depth 64):
 *   TERN_CHILD_SLOT_TCB       its own TCB (also passed in rsi at start)
 *   TERN_CHILD_SLOT_CNODE     its CNode
 *   TERN_CHILD_SLOT_VSPACE    its address space
 *   TERN_CHILD_SLOT_FAULT_EP  the fault endpoint, when one was given
 *   TERN_CHILD_SLOT_QUOTA     a quota, when one was given (the child's
 *                             runtime makes its threads and Replies from it)
 *   TERN_CHILD_SLOT_ARG_CAP   the capability the parent passed, if any
 *   TERN_CHILD_SLOT_FIRST_FREE and up: free
 * Its IPC buffer is at TERN_CHILD_IPC_BUFFER, its 64 KiB stack ends at
 * TERN_CHILD_STACK_TOP, and it starts at the ELF entry with rdi = the
 * argument word and rsi = TERN_CHILD_SLOT_TCB (crt0 then calls main).
 */
#ifndef SYS_SPAWN_H
#define SYS_SPAWN_H

#include <stddef.h>
#include <stdint.h>

#include "common/elf.h"
#include "sys/errors.h"
#include "tern/caps.h"

#define TERN_CHILD_CNODE_RADIX 8
/* The largest radix tern_spawn_args.cnode_radix may ask for. */
#define TERN_CHILD_CNODE_RADIX_MAX 12
#define TERN_CHILD_IPC_BUFFER 0x7ffffff80000ul
#define TERN_CHILD_STACK_TOP 0x7ffffff00000ul
#define TERN_CHILD_STACK_SIZE (64ul << 10)
/* Program segments must end below this (stack, guard gap, IPC buffer above). */
#define TERN_CHILD_IMAGE_TOP (TERN_CHILD_STACK_TOP - TERN_CHILD_STACK_SIZE - 0x1000)
/* Where tern_spawn maps a segment in the caller to copy file bytes in,
 * unless the caller names another free window. */
#define TERN_SPAWN_SCRATCH_VADDR 0x7f0000000000ul

enum tern_child_slot {
	TERN_CHILD_SLOT_TCB = 1,
	TERN_CHILD_SLOT_CNODE = 2,
	TERN_CHILD_SLOT_VSPACE = 3,
	TERN_CHILD_SLOT_FAULT_EP = 4,
	TERN_CHILD_SLOT_QUOTA = 5,
	TERN_CHILD_SLOT_ARG_CAP = 10,
	TERN_CHILD_SLOT_FIRST_FREE = 16,
};

/* The caller's free slots [next, end) of its root CNode; a bump allocator. */
struct tern_slot_alloc {
	uint64_t next;
	uint64_t end;
};

/* Returns a free slot index, or 0 when none is left. */
static inline uint64_t tern_slot_alloc(struct tern_slot_alloc *a)
{
	return a->next < a->end ? a->next++ : 0;
}

/* One more capability for the child, in its slot `slot` before it runs:
 * a copy of src with `rights` (0 = all of src's), minted with `badge`
 * when that is not 0. */
struct tern_spawn_cap {
	tern_cptr_t src;
	uint64_t slot;
	uint64_t rights;
	uint64_t badge;
};

struct tern_spawn_args {
	const void *image; /* the ELF file, in the caller's memory */
	size_t image_size;
	tern_cptr_t quota;	       /* pays for every object created */
	tern_cptr_t cnode;	       /* the caller's root CNode (a CPtr in its CSpace) */
	uint64_t cnode_depth;	       /* depth of a slot in it; 0 means 64. Slot i is CPtr i */
	struct tern_slot_alloc *slots; /* free slots of that CNode */
	tern_cptr_t vspace;	       /* the caller's VSpace, for the copy window */
	uint64_t scratch_vaddr;	       /* free, page-aligned window; 0 = TERN_SPAWN_SCRATCH_VADDR */
	uint64_t priority;
	uint64_t arg;			   /* the child's rdi (main's first argument) */
	tern_cptr_t arg_cap;		   /* copied to TERN_CHILD_SLOT_ARG_CAP; 0 = none */
	tern_cptr_t fault_ep;		   /* copied to TERN_CHILD_SLOT_FAULT_EP; 0 = none */
	tern_cptr_t child_quota;	   /* copied to TERN_CHILD_SLOT_QUOTA; 0 = none */
	const struct tern_spawn_cap *caps; /* more caps, placed before the child runs */
	unsigned ncaps;
	/* The child's CNode radix: 0 = TERN_CHILD_CNODE_RADIX, else 8 ..
	 * TERN_CHILD_CNODE_RADIX_MAX (rdx tells the child's runtime). */
	uint64_t cnode_radix;
};

/* The capabilities tern_spawn created, all in the caller's root CNode. */
struct tern_task {
	tern_cptr_t cnode_root;
	uint64_t depth;
	tern_cptr_t tcb;
	tern_cptr_t cspace;
	tern_cptr_t vspace;
	tern_cptr_t stack;
	tern_cptr_t ipc_buffer;
	tern_cptr_t segments[ELF_MAX_SEGMENTS];
	unsigned nsegments;
	uint64_t entry;
};

/* tern_spawn's own failures; it also returns ELF_E* (< 0) and
 * enum tern_error values (> 0) from a failed invocation. */
#define TERN_SPAWN_ERRORS(X)                                                         \
	X(TERN_SPAWN_ESLOTS, -100, "out of free slots")                              \
	X(TERN_SPAWN_EWX, -101, "segment both writable and executable")              \
	X(TERN_SPAWN_EPAGES, -102, "segments share a page")                          \
	X(TERN_SPAWN_ELAYOUT, -103, "segment collides with the stack or IPC buffer") \
	X(TERN_SPAWN_EDYN, -104, "ET_DYN images are not supported yet")

enum tern_spawn_error {
#define TERN_SPAWN_ERROR_ENUM(name, num, text) name = num,
	TERN_SPAWN_ERRORS(TERN_SPAWN_ERROR_ENUM)
#undef TERN_SPAWN_ERROR_ENUM
};

/*
 * Creates and starts the task. Returns 0 and fills *out, or an error (see
 * above) after deleting whatever it had created. Slots taken from
 * a->slots are not given back.
 */
int tern_spawn(const struct tern_spawn_args *a, struct tern_task *out);

/* Revokes and deletes every capability in *t, TCB first (which stops the
 * thread), so the task's objects are freed. Returns the first error. */
int tern_task_destroy(struct tern_task *t);

/* Text for any result of tern_spawn (or an enum tern_error). */
const char *tern_spawn_strerror(int err);

#endif
