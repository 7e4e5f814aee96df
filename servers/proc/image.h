/*
 * A process image under construction (exec and fork share it): the caps
 * it made, the process's CSpace, and the address space that goes to mm.
 *
 * Ownership. proc's keeper CNode of the process (radix PROC_KEEPER_RADIX)
 * holds the originals: slot 1 the process's CNode, slot 2 its "space"
 * (posix/proto_mm.h: the VSpace at slot 0, every MemObj mm knows at its
 * object id), then its Timers, Notifications, the IPC MemObj. mm keeps a
 * copy of the space; deleting the keeper destroys the whole image. proc
 * works through copies in its own CNode (b->cnode, b->space, b->vspace).
 */
#ifndef PROC_IMAGE_H
#define PROC_IMAGE_H

#include "proc.h"
#include "posix/proto_mm.h"

#define IMAGE_MAX_OBJS 24    /* caps for the keeper */
#define IMAGE_MAX_REGIONS 40 /* regions for mm */
#define IMAGE_KEEPER_CNODE 1
#define IMAGE_KEEPER_SPACE 2

struct build {
	struct proc_server *ps;
	tern_cptr_t objs[IMAGE_MAX_OBJS]; /* moved into the keeper by image_keep */
	unsigned nobjs;
	tern_cptr_t keeper;			    /* the keeper (proc's original) */
	tern_cptr_t cnode, space, vspace, tcb, ipc; /* copies (ipc, tcb: proc's originals) */
	/* MemObjs for the space: slot i - 1 goes to object id i (moved, or
	 * copied with `rights` when proc keeps the original). */
	tern_cptr_t sobj[IMAGE_MAX_REGIONS];
	uint8_t sobj_copy[IMAGE_MAX_REGIONS];
	unsigned nsobj;
	struct mm_region regions[IMAGE_MAX_REGIONS];
	unsigned nregions;
	unsigned thread;	/* the index of the image's one thread */
	struct process *shared; /* CLONE_VM: the process whose VSpace it runs in */
	uint64_t bias, brk, mmap_top, stack_top, image_lo, image_hi;
	tern_cptr_t file;      /* vfs's MemObj of the file (read-only), or 0 */
	tern_cptr_t proc_ntfn; /* the thread's Notification badged POSIX_NTFN_PROC, proc's */
};

/* A new object in a slot of proc's, for the keeper. 0 or ENOMEM. */
int image_object(struct build *b, enum tern_cap_type type, uint64_t size, tern_cptr_t *slot);
/* A new MemObj of `pages` for the space: its object id, or 0. */
uint32_t image_memobj(struct build *b, uint64_t pages, tern_cptr_t *slot);
/* The object id of a cap of proc's for the space: moved there (copy
 * false: proc gives it up) or copied with `rights`. Same slot, same id. */
uint32_t image_space_obj(struct build *b, tern_cptr_t slot, bool copy);
/* A region for mm; a later region that overlaps the last one takes the
 * pages it shares over. 0 or ENOMEM. */
int image_region(struct build *b, uint64_t start, uint64_t end, uint32_t prot, uint32_t kind,
		 uint32_t obj, uint64_t obj_page);
/* The keeper, the process's CNode and the space with a fresh VSpace. */
int image_new_cspace(struct build *b);
/* The process's CSpace (posix/cspace.h) for its one thread b->thread. */
int image_fill_cspace(struct build *b, struct process *p);
/* The IPC buffers' MemObj mapped at POSIX_THREAD_IPC, and the TCB
 * configured for thread b->thread (not started). */
int image_ipc_tcb(struct build *b);
/* Moves the caps into the keeper and the space (after mm has its copy). */
int image_keep(struct build *b);
/* Undoes everything made. */
void image_abort(struct build *b);
/* The process's image becomes b's: proc's caps of the old one are given
 * back (the caller destroys the old keeper and TCB). */
void image_install(struct build *b, struct process *p);

#endif
