/*
 * The structure offsets and constants the kernel's assembly uses
 * (syscall.S, entry.S, kernel/ipc/fastpath.S), taken from the C layout at
 * build time: this file is compiled to assembly only, and
 * scripts/gen_asm_offsets.py turns its "->NAME value" markers into
 * asm_offsets.h in the build tree. No offset is written by hand, so a
 * changed struct cannot leave the assembly behind.
 *
 * Where an instruction's operand width depends on a field's size (cmpb,
 * cmpl, cmpq), the size is asserted here.
 */
#include <stddef.h>

#include "arch/gdt.h"
#include "arch/trap.h"
#include "kernel/cap.h"
#include "kernel/ipc.h"
#include "kernel/objects.h"
#include "kernel/percpu.h"
#include "kernel/sched.h"
#include "kernel/tcb.h"
#include "kernel/vm.h"
#include "tern/caps.h"
#include "tern/errors.h"
#include "tern/ipc_buffer.h"
#include "tern/msginfo.h"
#include "tern/personality.h"
#include "tern/syscall.h"

#define DEFINE(sym, val) __asm__ volatile("\n.ascii \"->" #sym " %c0\"" : : "i"((long)(val)))
#define OFFSET(sym, type, member) DEFINE(sym, offsetof(type, member))
#define SIZE_IS(type, member, n) \
	_Static_assert(sizeof(((type *)0)->member) == (n), #type "." #member " width in assembly")

SIZE_IS(struct tcb, state, 4);
SIZE_IS(struct tcb, priority, 1);
SIZE_IS(struct tcb, timeslice, 4);
SIZE_IS(struct tcb, fault_pending, 1);
SIZE_IS(struct tcb, exit_work, 1);
SIZE_IS(struct tcb, fs_base, 8); /* TLS_BASE loads the high half at +4 */
SIZE_IS(struct tcb, gs_base, 8);
/* CAN_ENTER tests exit_work and fault_pending with one 16-bit compare. */
_Static_assert(offsetof(struct tcb, fault_pending) == offsetof(struct tcb, exit_work) + 1,
	       "fault_pending follows exit_work");
SIZE_IS(struct tcb, cspace_root.cap.type, 1);
SIZE_IS(struct tcb, cspace_root.cap.guard_bits, 1);
SIZE_IS(struct tcb, vspace_cap.cap.type, 1);
SIZE_IS(struct tcb, ipc_buffer_cap.cap.type, 1);
SIZE_IS(struct cnode, radix, 4);
SIZE_IS(struct cap, type, 1);
SIZE_IS(struct cap, rights, 1);
SIZE_IS(struct endpoint, state, 4);
SIZE_IS(struct runqueue, summary, 8);
SIZE_IS(struct percpu, ts_set, 1);
SIZE_IS(struct vspace, pcid, 2);
SIZE_IS(struct vspace, stale_tlb, 1);
_Static_assert(CR3_NOFLUSH == 1ull << 63, "CR3_NOFLUSH_BIT");
_Static_assert(TERN_CNODE_MAX_RADIX < 64, "the fast path's lookup shifts");
_Static_assert(offsetof(struct trap_frame, ss) == offsetof(struct trap_frame, rsp) + 8,
	       "SAVE_SYSCALL_FRAME pushes rsp just below ss");
_Static_assert(offsetof(struct trap_frame, vector) == 15 * 8 &&
		       offsetof(struct trap_frame, r15) == 0,
	       "return_to_user pops 15 registers to reach the vector");

void asm_offsets(void);
void asm_offsets(void)
{
	/* struct trap_frame */
	OFFSET(TF_R15, struct trap_frame, r15);
	OFFSET(TF_R14, struct trap_frame, r14);
	OFFSET(TF_R13, struct trap_frame, r13);
	OFFSET(TF_R12, struct trap_frame, r12);
	OFFSET(TF_R11, struct trap_frame, r11);
	OFFSET(TF_R10, struct trap_frame, r10);
	OFFSET(TF_R9, struct trap_frame, r9);
	OFFSET(TF_R8, struct trap_frame, r8);
	OFFSET(TF_RBP, struct trap_frame, rbp);
	OFFSET(TF_RDI, struct trap_frame, rdi);
	OFFSET(TF_RSI, struct trap_frame, rsi);
	OFFSET(TF_RDX, struct trap_frame, rdx);
	OFFSET(TF_RCX, struct trap_frame, rcx);
	OFFSET(TF_RBX, struct trap_frame, rbx);
	OFFSET(TF_RAX, struct trap_frame, rax);
	OFFSET(TF_VECTOR, struct trap_frame, vector);
	OFFSET(TF_ERROR, struct trap_frame, error);
	OFFSET(TF_RIP, struct trap_frame, rip);
	OFFSET(TF_CS, struct trap_frame, cs);
	OFFSET(TF_RFLAGS, struct trap_frame, rflags);
	OFFSET(TF_RSP, struct trap_frame, rsp);
	OFFSET(TF_SS, struct trap_frame, ss);
	DEFINE(FRAME_SYSCALL, FRAME_SYSCALL);
	DEFINE(VEC_INVALID_OP, VEC_INVALID_OP);
	DEFINE(SEL_USER_DATA, SEL_USER_DATA);
	DEFINE(SEL_USER_CODE, SEL_USER_CODE);

	/* struct percpu */
	OFFSET(PERCPU_USER_RSP, struct percpu, user_rsp);
	OFFSET(PERCPU_KSTACK_TOP, struct percpu, kstack_top);
	OFFSET(PERCPU_CURRENT, struct percpu, current);
	OFFSET(PERCPU_READY_SUMMARY, struct percpu, ready.summary);
	OFFSET(PERCPU_READY_BITMAP, struct percpu, ready.bitmap);
	OFFSET(PERCPU_FASTPATH_HITS, struct percpu, fastpath_hits);
	OFFSET(PERCPU_FPU_OWNER, struct percpu, fpu_owner);
	OFFSET(PERCPU_TS_SET, struct percpu, ts_set);
	OFFSET(PERCPU_LOADED, struct percpu, loaded);
	OFFSET(PERCPU_FS_BASE, struct percpu, fs_base);
	OFFSET(PERCPU_GS_BASE, struct percpu, gs_base);
	OFFSET(PERCPU_CR3, struct percpu, cr3);

	/* the user context switch (arch/switch.inc) */
	OFFSET(TCB_VSPACE_OBJ, struct tcb, vspace_cap.cap.obj);
	OFFSET(VS_PML4, struct vspace, pml4);
	OFFSET(VS_PCID, struct vspace, pcid);
	OFFSET(VS_STALE_TLB, struct vspace, stale_tlb);
	OFFSET(TSS_RSP0, struct tss, rsp[0]);
	DEFINE(CR3_NOFLUSH_BIT, 63);
	DEFINE(CR0_TS, CR0_TS);
	/* as 32-bit values (movl to ecx): %c cannot print an immediate that
	 * does not fit a sign-extended 32 bits */
	DEFINE(MSR_FS_BASE, (int32_t)MSR_FS_BASE);
	DEFINE(MSR_KERNEL_GS_BASE, (int32_t)MSR_KERNEL_GS_BASE);

	/* struct tcb */
	OFFSET(TCB_CTX, struct tcb, ctx);
	DEFINE(TCB_CTX_END, offsetof(struct tcb, ctx) + sizeof(struct trap_frame));
	OFFSET(TCB_FS_BASE, struct tcb, fs_base);
	OFFSET(TCB_GS_BASE, struct tcb, gs_base);
	OFFSET(TCB_STATE, struct tcb, state);
	OFFSET(TCB_PRIORITY, struct tcb, priority);
	OFFSET(TCB_TIMESLICE, struct tcb, timeslice);
	OFFSET(TCB_EP, struct tcb, ep);
	OFFSET(TCB_EP_NEXT, struct tcb, ep_next);
	OFFSET(TCB_EP_PREV, struct tcb, ep_prev);
	OFFSET(TCB_REPLY, struct tcb, reply);
	OFFSET(TCB_CSPACE_TYPE, struct tcb, cspace_root.cap.type);
	OFFSET(TCB_CSPACE_GUARD_BITS, struct tcb, cspace_root.cap.guard_bits);
	OFFSET(TCB_CSPACE_GUARD, struct tcb, cspace_root.cap.badge);
	OFFSET(TCB_CSPACE_OBJ, struct tcb, cspace_root.cap.obj);
	OFFSET(TCB_VSPACE_TYPE, struct tcb, vspace_cap.cap.type);
	OFFSET(TCB_IPC_BUFFER_CAP_TYPE, struct tcb, ipc_buffer_cap.cap.type);
	OFFSET(TCB_IPC_BUFFER_VADDR, struct tcb, ipc_buffer_vaddr);
	OFFSET(TCB_IPC_BUFFER, struct tcb, ipc_buffer);
	OFFSET(TCB_PERS_ENTRY, struct tcb, pers_entry);
	OFFSET(TCB_PERS_LO, struct tcb, pers_lo);
	OFFSET(TCB_PERS_HI, struct tcb, pers_hi);
	OFFSET(TCB_FAULT_PENDING, struct tcb, fault_pending);
	OFFSET(TCB_EXIT_WORK, struct tcb, exit_work);

	/* capabilities, endpoints, replies */
	OFFSET(CNODE_RADIX, struct cnode, radix);
	OFFSET(CNODE_SLOTS, struct cnode, slots);
	DEFINE(CTE_SIZE, sizeof(struct cte));
	OFFSET(CAP_TYPE, struct cap, type);
	OFFSET(CAP_RIGHTS, struct cap, rights);
	OFFSET(CAP_BADGE, struct cap, badge);
	OFFSET(CAP_OBJ, struct cap, obj);
	OFFSET(EP_STATE, struct endpoint, state);
	OFFSET(EP_HEAD, struct endpoint, head);
	OFFSET(EP_TAIL, struct endpoint, tail);
	OFFSET(REPLY_CALLER, struct reply, caller);
	OFFSET(REPLY_RECEIVER, struct reply, receiver);
	OFFSET(IPCBUF_SYSCALL_FRAME, struct tern_ipc_buffer, syscall_frame);

	/* constants */
	DEFINE(FP_SYS_CALL, TERN_SYS_CALL);
	DEFINE(FP_SYS_REPLY_RECV, TERN_SYS_REPLY_RECV);
	DEFINE(FP_CAP_CNODE, TERN_CAP_CNODE);
	DEFINE(FP_CAP_ENDPOINT, TERN_CAP_ENDPOINT);
	DEFINE(FP_CAP_REPLY, TERN_CAP_REPLY);
	DEFINE(FP_CAP_VSPACE, TERN_CAP_VSPACE);
	DEFINE(CAP_TYPE_MEMOBJ, TERN_CAP_MEMOBJ);
	DEFINE(FP_RIGHT_READ, TERN_RIGHT_READ);
	DEFINE(FP_RIGHT_WRITE, TERN_RIGHT_WRITE);
	DEFINE(FP_EP_IDLE, EP_IDLE);
	DEFINE(FP_EP_SEND, EP_SEND);
	DEFINE(FP_EP_RECV, EP_RECV);
	DEFINE(FP_TS_RUNNING, TS_RUNNING);
	DEFINE(FP_TS_BLOCKED_RECV, TS_BLOCKED_RECV);
	DEFINE(FP_TS_BLOCKED_REPLY, TS_BLOCKED_REPLY);
	DEFINE(FP_TIMESLICE_TICKS, TIMESLICE_TICKS);
	DEFINE(FP_MSG_REG_WORDS, TERN_MSG_REG_WORDS);
	DEFINE(FP_INFO_LOW_BITS, (1ull << 15) - 1); /* length, caps, unwrapped: below the label */
	DEFINE(UPCALL_KIND_SYSCALL, TERN_UPCALL_SYSCALL);
}
