/*
 * One function per invocation of tern/invocation.h. Each builds the
 * message (label TERN_INV_*, arguments MR0.. with words beyond MR3 in the
 * IPC buffer's msg[4..], capability arguments in send_caps[]), Calls the
 * object and returns the kernel's error code; results are copied out of
 * MR0.. only on success.
 *
 * A slot argument is a (index, depth) pair; with a single-level CNode
 * whose guard covers the other bits, slot i is (i, 64).
 */
#ifndef SYS_INVOKE_H
#define SYS_INVOKE_H

#include <stdint.h>

#include "tern/caps.h"
#include "tern/errors.h"
#include "tern/regs.h"

/* CNode: the destination (and the slot of DELETE/REVOKE) is looked up
 * from the invoked CNode, the source of COPY/MINT/MOVE from the caller's
 * own CSpace root (tern/invocation.h), so a task can place its own
 * capabilities in a CNode it holds. */
enum tern_error tern_cnode_copy(tern_cptr_t cnode, uint64_t dst_index, uint64_t dst_depth,
				uint64_t src_index, uint64_t src_depth, uint64_t rights);
enum tern_error tern_cnode_mint(tern_cptr_t cnode, uint64_t dst_index, uint64_t dst_depth,
				uint64_t src_index, uint64_t src_depth, uint64_t rights,
				uint64_t badge);
enum tern_error tern_cnode_move(tern_cptr_t cnode, uint64_t dst_index, uint64_t dst_depth,
				uint64_t src_index, uint64_t src_depth);
enum tern_error tern_cnode_delete(tern_cptr_t cnode, uint64_t index, uint64_t depth);
enum tern_error tern_cnode_revoke(tern_cptr_t cnode, uint64_t index, uint64_t depth);
/* Empty the slot of a derived cap without revoking what derives from it
 * (CNODE_REMOVE): a cap sent on by IPC (a child of the sent one) stays. */
enum tern_error tern_cnode_remove(tern_cptr_t cnode, uint64_t index, uint64_t depth);
/* *derived = 1 while caps derived from the slot's cap exist (copies and
 * mints of it, and theirs), else 0. Needs the read right on the CNode. */
enum tern_error tern_cnode_derived(tern_cptr_t cnode, uint64_t index, uint64_t depth,
				   uint64_t *derived);

/*
 * The same with the source looked up from src_root instead, a CNode CPtr
 * in the caller's CSpace sent as the message's one capability argument
 * (as seL4's src_root): this moves capabilities between two CNodes that
 * are not the caller's root. src_root 0 (the null slot) sends no
 * capability and means the caller's own root, as the plain calls above.
 */
enum tern_error tern_cnode_copy_from(tern_cptr_t cnode, uint64_t dst_index, uint64_t dst_depth,
				     tern_cptr_t src_root, uint64_t src_index, uint64_t src_depth,
				     uint64_t rights);
enum tern_error tern_cnode_mint_from(tern_cptr_t cnode, uint64_t dst_index, uint64_t dst_depth,
				     tern_cptr_t src_root, uint64_t src_index, uint64_t src_depth,
				     uint64_t rights, uint64_t badge);
enum tern_error tern_cnode_move_from(tern_cptr_t cnode, uint64_t dst_index, uint64_t dst_depth,
				     tern_cptr_t src_root, uint64_t src_index, uint64_t src_depth);

/* Quota. type is an enum tern_cap_type; size = radix for a CNode, pages
 * for a MemObj, 0 otherwise. */
enum tern_error tern_quota_create(tern_cptr_t quota, uint64_t type, uint64_t size,
				  tern_cptr_t dst_cnode, uint64_t dst_index, uint64_t dst_depth);
enum tern_error tern_quota_split(tern_cptr_t quota, uint64_t bytes, tern_cptr_t dst_cnode,
				 uint64_t dst_index, uint64_t dst_depth);
enum tern_error tern_quota_query(tern_cptr_t quota, uint64_t *used, uint64_t *limit);

/* TCB. fault_ep is a CPtr word (not a transferred cap); page ipc_page of
 * ipc_memobj (a read-write cap) is the IPC buffer, mapped at ipc_buf_vaddr.
 * Many threads can keep their buffers in one MemObj, a page each. */
enum tern_error tern_tcb_configure(tern_cptr_t tcb, tern_cptr_t fault_ep, uint64_t ipc_buf_vaddr,
				   uint64_t ipc_page, tern_cptr_t cspace, tern_cptr_t vspace,
				   tern_cptr_t ipc_memobj);
enum tern_error tern_tcb_set_priority(tern_cptr_t tcb, uint64_t priority);
enum tern_error tern_tcb_write_registers(tern_cptr_t tcb, int resume, const struct tern_regs *regs);
enum tern_error tern_tcb_read_registers(tern_cptr_t tcb, struct tern_regs *regs);
enum tern_error tern_tcb_resume(tern_cptr_t tcb);
enum tern_error tern_tcb_suspend(tern_cptr_t tcb);
/* ntfn 0 unbinds. */
enum tern_error tern_tcb_bind_notification(tern_cptr_t tcb, tern_cptr_t ntfn, uint64_t upcall_mask);
enum tern_error tern_tcb_set_personality(tern_cptr_t tcb, uint64_t entry, uint64_t code_lo,
					 uint64_t code_hi);
enum tern_error tern_tcb_set_tls(tern_cptr_t tcb, uint64_t fs_base, uint64_t gs_base);
/* Ends the machine (TERN_MACHINE_*): returns only with an error. */
enum tern_error tern_machine_exit(tern_cptr_t machine, uint64_t action, uint64_t code);
/* A fault at an rip in [lo, hi) resumes at fixup (all 0: none). */
enum tern_error tern_tcb_set_fault_fixup(tern_cptr_t tcb, uint64_t lo, uint64_t hi, uint64_t fixup);
/* Make tcb's FPU/SSE/AVX state (x87 control word, MXCSR, every register)
 * a copy of source_tcb's: fork carries the parent's state this way. */
enum tern_error tern_tcb_copy_fpu(tern_cptr_t tcb, tern_cptr_t source_tcb);

/* IRQs. */
enum tern_error tern_irq_control_get(tern_cptr_t irq_control, uint64_t isa_irq,
				     tern_cptr_t dst_cnode, uint64_t dst_index, uint64_t dst_depth);
enum tern_error tern_irq_handler_ack(tern_cptr_t handler);
enum tern_error tern_irq_handler_set_notification(tern_cptr_t handler, tern_cptr_t ntfn);

/* I/O ports; width is 1, 2 or 4. */
enum tern_error tern_ioport_in(tern_cptr_t ioport, uint64_t port, uint64_t width, uint64_t *value);
enum tern_error tern_ioport_out(tern_cptr_t ioport, uint64_t port, uint64_t width, uint64_t value);
enum tern_error tern_ioport_mint_range(tern_cptr_t ioport, uint64_t first, uint64_t last,
				       tern_cptr_t dst_cnode, uint64_t dst_index,
				       uint64_t dst_depth);

/* Address spaces and memory objects; rights are TERN_RIGHT_*. */
enum tern_error tern_vspace_map(tern_cptr_t vspace, uint64_t vaddr, tern_cptr_t memobj,
				uint64_t offset_pages, uint64_t pages, uint64_t rights);
enum tern_error tern_vspace_unmap(tern_cptr_t vspace, uint64_t vaddr, uint64_t pages);
enum tern_error tern_vspace_protect(tern_cptr_t vspace, uint64_t vaddr, uint64_t pages,
				    uint64_t rights);
/* out[0] = TERN_QUERY_* flags, out[1] = physical address (tests only),
 * out[2] = the rights of the mapping covering vaddr (0 if none). */
enum tern_error tern_vspace_query(tern_cptr_t vspace, uint64_t vaddr, uint64_t out[3]);
enum tern_error tern_memobj_size(tern_cptr_t memobj, uint64_t *pages);
/* *mapped = 1 while some VSpace maps the object (MEMOBJ_SIZE's MR1). */
enum tern_error tern_memobj_mapped(tern_cptr_t memobj, uint64_t *mapped);
/* Its size and the pages it holds now (an anonymous object's present
 * pages, copy-on-write shared ones included; MEMOBJ_SIZE's MR2). */
enum tern_error tern_memobj_stat(tern_cptr_t memobj, uint64_t *pages, uint64_t *present);
/* A copy-on-write clone of memobj into (dst_cnode, dst_index, dst_depth),
 * charged to `quota` (fork charges the child's). Needs the read right on
 * memobj; the clone's cap has at most memobj's rights. */
enum tern_error tern_memobj_clone(tern_cptr_t memobj, tern_cptr_t quota, tern_cptr_t dst_cnode,
				  uint64_t dst_index, uint64_t dst_depth);

/* Timer: signal ntfn (with its cap's badge) once the monotonic clock
 * reaches deadline_ns; setting again re-arms; deadline 0 cancels (ntfn
 * unused). */
enum tern_error tern_timer_set(tern_cptr_t timer, uint64_t deadline_ns, tern_cptr_t ntfn);

#endif
