/*
 * Kernel objects: creation from a quota, destruction when their original
 * capability goes, and the per-type invocation entry points.
 */
#ifndef KERNEL_OBJECTS_H
#define KERNEL_OBJECTS_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/cap.h"
#include "kernel/object.h"

struct tcb;
struct trap_frame;

/* Charge `bytes` to q (and keep q alive); TERN_ENOT_ENOUGH_MEMORY if it
 * would pass the limit. */
int quota_charge(struct quota *q, uint64_t bytes);
void quota_refund(struct quota *q, uint64_t bytes);
/* One charge becomes `parts` charges of its bytes divided (a 2 MiB page
 * split into 4 KiB pages, each refunded on its own). */
void quota_divide_charge(struct quota *q, uint64_t parts);
void quota_put(struct quota *q); /* drop one reference */
struct quota *quota_create_root(uint64_t limit);

/* Allocate a zeroed object of `size` bytes charged to q (q's heap up to
 * 2 KiB, a power-of-two block of pages above, charged whole). NULL when
 * the quota or memory is exhausted. */
void *kobj_alloc(struct quota *q, uint32_t type, size_t size);
void kobj_free(void *obj);
/* Charge/free whole zeroed pages owned by an object (page tables, frames). */
uint64_t kobj_page_alloc(struct quota *q);
void kobj_page_free(struct quota *q, uint64_t pa);
/* Small kernel memory (at most 2 KiB) that is not an object, from q's
 * heap: its slab pages are charged to q. */
void *quota_kmalloc(struct quota *q, size_t size);
void quota_kfree(struct quota *q, void *p);

/* Create an object of `type` and put its original cap in `dst` (empty). */
int object_create(struct quota *q, unsigned type, uint64_t size, struct cte *dst);
/* The destroy callback of the CDT, and the ops to pass to cte_delete. */
extern const struct cdt_ops kernel_cdt_ops;

/*
 * Invocations: decode (validate everything, may fail) then invoke (cannot
 * fail). `cap` is the invoked cap (a copy), `t` the caller whose frame
 * holds the message; results go back into the frame's message registers.
 * Returns a tern_error for rax.
 */
int cnode_invoke(struct tcb *t, struct cap *cap, uint64_t label);
int quota_invoke(struct tcb *t, struct cap *cap, uint64_t label);
int tcb_invoke(struct tcb *t, struct cap *cap, uint64_t label);
int irq_invoke(struct tcb *t, struct cap *cap, uint64_t label);
int ioport_invoke(struct tcb *t, struct cap *cap, uint64_t label);
int machine_invoke(struct tcb *t, struct cap *cap, uint64_t label);
int vspace_invoke(struct tcb *t, struct cap *cap, uint64_t label);
int memobj_invoke(struct tcb *t, struct cap *cap, uint64_t label);

/* TERN_EINSUFFICIENT_RIGHTS when cap c lacks the rights invocation
 * `label` needs, TERN_ETRUNCATED_MESSAGE when the caller's message is
 * shorter than its fixed arguments (tern/invocation.h); checked for every
 * invocation before the object's decode reads a word. */
int msg_check_args(struct tcb *t, const struct cap *c, uint64_t label);
/* Message word i of the caller's current message (registers, then the
 * IPC buffer); 0 when out of range. */
uint64_t msg_word(struct tcb *t, unsigned i);
void msg_set_word(struct tcb *t, unsigned i, uint64_t v);
/* Resolve a destination slot (dst_cnode cptr in t's CSpace, index, depth). */
int lookup_dest_slot(struct tcb *t, tern_cptr_t cnode, uint64_t index, uint64_t depth,
		     struct cte **slot);
/* The i-th capability sent with the caller's message. */
int msg_cap(struct tcb *t, unsigned i, struct cte **slot);

#endif
