/*
 * Traps from user mode: interrupts are dispatched and the kernel exits
 * into whoever should run; exceptions become a fault message to the
 * thread's fault endpoint, or, without one, a log line and a suspended
 * thread. A user fault never brings the kernel down.
 */
#include "arch/cpu.h"
#include "kernel/ipc.h"
#include "kernel/objects.h"
#include "kernel/preempt.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/tcb.h"
#include "kernel/vm.h"
#include "tern/fault.h"

#define PF_USER 4u /* page-fault error code: a user-mode access */

static void send_fault(struct tcb *t, struct trap_frame *f, uint64_t addr, uint64_t error)
{
	struct cte *slot;

	/* A copy routine's fault (TCB_SET_FAULT_FIXUP): resume at its fix-up,
	 * as Linux's exception table does; only memory faults qualify, and
	 * not one the quota could not pay: that is the fault handler's (an
	 * OOM killer frees memory and lets the copy go on, as Linux's
	 * allocator does, instead of a short copy or EFAULT). */
	if (f->rip >= t->fixup_lo && f->rip < t->fixup_hi && !(error & TERN_FAULT_QUOTA) &&
	    (f->vector == VEC_PAGE_FAULT || f->vector == VEC_GP || f->vector == VEC_STACK_FAULT ||
	     f->vector == VEC_ALIGNMENT_CHECK)) {
		f->rip = t->fixup_ip;
		return;
	}

	if (t->fault_ep && cspace_lookup_cap(&t->cspace_root.cap, t->fault_ep, &slot) == TERN_EOK &&
	    slot->cap.type == TERN_CAP_ENDPOINT && (slot->cap.rights & TERN_RIGHT_WRITE)) {
		t->fault_pending = true;
		t->fault_label = TERN_FAULT_LABEL_BASE + f->vector;
		t->fault_msg[0] = addr;
		t->fault_msg[1] = error;
		t->fault_msg[2] = f->rip;
		t->fault_msg[3] = f->rsp;
		endpoint_send(t, slot->cap.obj, slot->cap.badge, false, true, true);
		return;
	}
	printk(KERN_WARNING
	       "user fault: thread %p vector %lu (%s) error 0x%lx at rip %lx addr %lx; "
	       "no fault endpoint, thread suspended\n",
	       t, f->vector, trap_name((unsigned)f->vector), f->error, f->rip, addr);
	sched_block(t, TS_INACTIVE);
}

void trap_from_user(struct trap_frame *f)
{
	struct tcb *t = sched_current();

	irqoff_begin();
	if (f->vector == VEC_PAGE_FAULT) {
		struct vspace *vs = tcb_vspace(t);
		uint64_t addr = read_cr2();
		/* Without the U/S bit the access was an implicit supervisor
		 * one made on the thread's behalf (descriptor tables; QEMU's
		 * TCG before 9.1 also reads the stack of a user-mode iret or
		 * lret so, which SMAP refuses). The mapping cannot resolve
		 * it, and retrying would spin: it goes to the fault handler. */
		uint64_t err;
		if (!vs || !(f->error & PF_USER))
			send_fault(t, f, addr, f->error); /* even error code 0 */
		else if ((err = vm_fault(vs, addr, f->error)) != 0)
			send_fault(t, f, addr, err);
	} else if (f->vector >= VEC_IRQ_BASE)
		trap_dispatch(f);
	else if (f->vector == VEC_DEVICE_NOT_AVAILABLE && t->fpu_state)
		fpu_take(this_cpu(), t);
	else
		send_fault(t, f, 0, f->error);
	kernel_exit();
}
