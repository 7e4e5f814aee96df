/*
 * Invocation labels: the operation a Call on an object capability asks
 * for. The label goes in the message info; arguments are message words
 * MR0.. (MR0..MR3 in registers, MR4.. in the IPC buffer's msg[4..]);
 * capability arguments are sent with the message (IPC buffer send_caps[],
 * count in the message info). Results come back in MR0.. with rax = error.
 *
 * Slot addressing: a "slot" argument is a pair (cptr, depth) resolved with
 * exactly `depth` bits. For CNode operations the destination (dst_index,
 * dst_depth, or index/depth of DELETE and REVOKE) is looked up from the
 * invoked CNode, and the source (src_index, src_depth) from the caller's
 * own CSpace root, so a task can copy its capabilities into a CNode it
 * holds (a child's, say); when the message carries one capability, a
 * CNode, the source is looked up from that CNode instead. For QUOTA_CREATE, QUOTA_SPLIT,
 * IRQ_CONTROL_GET and IOPORT_MINT_RANGE the destination is (dst_cnode,
 * dst_index, dst_depth): dst_cnode is a CPtr in the caller's CSpace to a
 * CNode cap, and (dst_index, dst_depth) is looked up from that CNode. With
 * the root task's CNode (radix 12, guard 52 bits of 0), slot i of the root
 * is (cptr i, depth 64).
 *
 * X(name, number, object type, fixed argument words, rights needed,
 * arguments MR0, MR1, ... ; caps ; results). A message shorter than its
 * fixed argument words is refused with TERN_ETRUNCATED_MESSAGE, and a call
 * on a cap without the rights needed with TERN_EINSUFFICIENT_RIGHTS,
 * before the object sees it. Rights needed: W (TERN_RIGHT_WRITE) for what
 * changes the object or acts through it, R (TERN_RIGHT_READ) for what only
 * reads it, 0 for neither (IOPORT_MINT_RANGE derives a cap with at most
 * the invoked one's rights; MEMOBJ_SIZE reads only the size).
 */
#ifndef TERN_INVOCATION_H
#define TERN_INVOCATION_H

#define TERN_INVOCATIONS(X)                                                                        \
	X(CNODE_COPY, 1, CNODE, 5, W, "dst_index dst_depth src_index src_depth rights_mask")       \
	X(CNODE_MINT, 2, CNODE, 6, W, "dst_index dst_depth src_index src_depth rights_mask badge") \
	X(CNODE_MOVE, 3, CNODE, 4, W, "dst_index dst_depth src_index src_depth")                   \
	X(CNODE_DELETE, 4, CNODE, 2, W, "index depth")                                             \
	X(CNODE_REVOKE, 5, CNODE, 2, W, "index depth")                                             \
	X(CNODE_DERIVED, 6, CNODE, 2, R,                                                           \
	  "index depth; ; MR0 1 while caps derived from the slot's cap exist, else 0 (a "          \
	  "server learns when the caps it handed out are all gone)")                               \
	X(CNODE_REMOVE, 7, CNODE, 2, W,                                                            \
	  "index depth: a derived cap's slot emptied without a revoke, what derives from it "      \
	  "staying under its parent (a cap passed on by IPC outlives the sender's slot); "         \
	  "EILLEGAL_OPERATION for an original")                                                    \
	X(QUOTA_CREATE, 16, QUOTA, 5, W,                                                           \
	  "type size dst_cnode dst_index dst_depth; size = radix for CNode, pages for "            \
	  "MemObj, 0 otherwise")                                                                   \
	X(QUOTA_SPLIT, 17, QUOTA, 4, W, "bytes dst_cnode dst_index dst_depth")                     \
	X(QUOTA_QUERY, 18, QUOTA, 0, R, "; ; MR0 used bytes, MR1 limit bytes")                     \
	X(TCB_CONFIGURE, 32, TCB, 3, W,                                                            \
	  "fault_ep_cptr ipc_buffer_vaddr ipc_buffer_page; caps: cspace root CNode, vspace, "      \
	  "ipc buffer MemObj (read+write; page ipc_buffer_page of it is the buffer, pinned "       \
	  "until the TCB is reconfigured or destroyed: no clone meanwhile)")                       \
	X(TCB_SET_PRIORITY, 33, TCB, 1, W, "priority (<= the caller's own)")                       \
	X(TCB_WRITE_REGISTERS, 34, TCB, 1, W,                                                      \
	  "resume(0/1); IPC buffer msg[4..] = struct tern_regs")                                   \
	X(TCB_READ_REGISTERS, 35, TCB, 0, R, "; ; IPC buffer msg[4..] = struct tern_regs")         \
	X(TCB_RESUME, 36, TCB, 0, W, "")                                                           \
	X(TCB_SUSPEND, 37, TCB, 0, W, "")                                                          \
	X(TCB_BIND_NOTIFICATION, 38, TCB, 1, W,                                                    \
	  "upcall_mask; caps: notification (no cap = unbind). Signals with a bit in "              \
	  "upcall_mask upcall the thread (tern/personality.h)")                                    \
	X(TCB_SET_PERSONALITY, 39, TCB, 3, W, "entry code_lo code_hi (all 0 = none)")              \
	X(TCB_SET_TLS, 40, TCB, 2, W, "fs_base gs_base")                                           \
	X(TCB_COPY_FPU, 41, TCB, 0, W,                                                             \
	  "; caps: source TCB. The invoked thread's FPU/SSE/AVX state becomes a copy of the "      \
	  "source's (fork)")                                                                       \
	X(TCB_SET_FAULT_FIXUP, 42, TCB, 3, W,                                                      \
	  "lo hi fixup (all 0 = none): a user fault the kernel cannot resolve at an rip in "       \
	  "[lo, hi) resumes at fixup instead of going to the fault endpoint (not one the "         \
	  "quota could not pay, TERN_FAULT_QUOTA: that goes to the fault endpoint)")               \
	X(IRQ_CONTROL_GET, 48, IRQ_CONTROL, 4, W, "isa_irq dst_cnode dst_index dst_depth")         \
	X(IRQ_HANDLER_ACK, 49, IRQ_HANDLER, 0, W, "")                                              \
	X(IRQ_HANDLER_SET_NOTIFICATION, 50, IRQ_HANDLER, 0, W, "; caps: notification")             \
	X(IOPORT_IN, 56, IOPORT, 2, R, "port width(1,2,4); ; MR0 value")                           \
	X(IOPORT_OUT, 57, IOPORT, 3, W, "port width(1,2,4) value")                                 \
	X(IOPORT_MINT_RANGE, 58, IOPORT, 5, 0, "first last dst_cnode dst_index dst_depth")         \
	X(VSPACE_MAP, 64, VSPACE, 4, W,                                                            \
	  "vaddr memobj_offset_pages pages rights|TERN_MAP_*; caps: memobj. Page aligned, "        \
	  "user half")                                                                             \
	X(VSPACE_UNMAP, 65, VSPACE, 2, W, "vaddr pages (may split mappings and huge pages)")       \
	X(VSPACE_PROTECT, 66, VSPACE, 3, W, "vaddr pages rights (may split)")                      \
	X(VSPACE_QUERY, 67, VSPACE, 1, R,                                                          \
	  "vaddr; ; MR0 TERN_QUERY_* flags, MR1 physical address, MR2 the mapping's rights")       \
	X(MEMOBJ_SIZE, 72, MEMOBJ, 0, 0,                                                           \
	  "; ; MR0 pages, MR1 1 while a VSpace maps it, else 0, MR2 pages present (held)")         \
	X(MEMOBJ_CLONE, 73, MEMOBJ, 3, R,                                                          \
	  "dst_cnode dst_index dst_depth; caps: quota (charged for the clone). A "                 \
	  "copy-on-write clone; needs the read right, gets at most the source cap's rights")       \
	X(TIMER_SET, 80, TIMER, 1, W,                                                              \
	  "deadline_ns (monotonic clock, tern/clock.h; 0 = cancel); caps: notification (with "     \
	  "the write right; not needed to cancel). At the deadline the notification is signalled " \
	  "with that cap's badge, once; setting again re-arms, replacing deadline and cap")        \
	X(MACHINE_EXIT, 88, MACHINE, 2, W,                                                         \
	  "action code: TERN_MACHINE_EXIT (code 0 success, else failure: isa-debug-exit, then "    \
	  "power-off or panic= policy), TERN_MACHINE_POWER_OFF, TERN_MACHINE_RESTART; never "      \
	  "returns on success")

/* MACHINE_EXIT actions. */
#define TERN_MACHINE_EXIT 0
#define TERN_MACHINE_POWER_OFF 1
#define TERN_MACHINE_RESTART 2

/* VSPACE_MAP flags, or'ed into the rights word. */
#define TERN_MAP_POPULATE (1u << 8) /* populate now instead of on first touch */
#define TERN_MAP_WX (1u << 9)	    /* allow writable and executable together */
#define TERN_MAP_SMALL (1u << 10)   /* 4 KiB pages only, never a 2 MiB one */

/* VSPACE_QUERY result flags. */
#define TERN_QUERY_MAPPED (1u << 0)  /* a mapping covers the address */
#define TERN_QUERY_PRESENT (1u << 1) /* a page is in the page tables */
#define TERN_QUERY_WRITE (1u << 2)   /* ... and writable now */
#define TERN_QUERY_EXEC (1u << 3)
#define TERN_QUERY_HUGE (1u << 4) /* mapped by a 2 MiB page */

/* The rights-needed column: */
#define TERN_INV_NEEDS_0 0u
#define TERN_INV_NEEDS_R TERN_RIGHT_READ
#define TERN_INV_NEEDS_W TERN_RIGHT_WRITE

enum tern_invocation {
#define TERN_INVOCATION_ENUM(name, num, type, nwords, needs, args) TERN_INV_##name = num,
	TERN_INVOCATIONS(TERN_INVOCATION_ENUM)
#undef TERN_INVOCATION_ENUM
};

#endif
