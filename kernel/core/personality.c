/*
 * Syscall reflection and upcalls. Both save the interrupted user state in
 * a frame in the thread's IPC buffer (which the kernel reaches through its
 * own mapping) and restart the thread at its personality entry point in
 * the same address space: no address-space switch, one kernel entry.
 */
#include "kernel/personality.h"

#include "arch/user_regs.h"
#include "kernel/cap.h"
#include "kernel/ipc.h"
#include "kernel/sched.h"
#include "kernel/tcb.h"
#include "kernel/uaccess.h"
#include "kernel/vm.h"
#include "tern/errors.h"
#include "tern/personality.h"

#define RED_ZONE 128

static void enter_handler(struct tcb *t, uint64_t kind, uint64_t frame_offset)
{
	struct trap_frame *f = &t->ctx;

	f->rsp = ((f->rsp - RED_ZONE) & ~15ull) - 8;
	f->rip = t->pers_entry;
	f->rdi = kind;
	f->rsi = t->ipc_buffer_vaddr + frame_offset;
}

/* A syscall to reflect when the thread has no IPC buffer for the frame:
 * syscall.S (reflect_syscall) reflects every other one itself. */
void personality_reflect(struct tcb *t)
{
	t->ctx.rax = (uint64_t)-38; /* -ENOSYS: nowhere to reflect to */
}

/* Can t take an upcall at its next exit: a personality, an IPC buffer
 * for the frame, and not in its upcall handler already? */
static bool upcall_deliverable(const struct tcb *t)
{
	return t->pers_entry && t->ipc_buffer_cap.cap.type == TERN_CAP_MEMOBJ && !t->upcall_active;
}

/*
 * t waits for the reply to a Call whose message the server has: tell the
 * server, through the Notification the thread named in its IPC buffer
 * (interrupt_ntfn), so it can end the call early with TERN_EINTERRUPTED.
 * The signal carries the cap's badge, which tells the server who it is.
 * It never becomes an upcall itself: a chain of such forwards through
 * other threads would run on the kernel stack.
 */
static void forward_interrupt(struct tcb *t)
{
	tern_cptr_t cptr = t->ipc_buffer->interrupt_ntfn;
	struct cte *slot;

	if (!cptr || cspace_lookup_cap(&t->cspace_root.cap, cptr, &slot) != TERN_EOK)
		return;
	const struct cap *c = &slot->cap;
	if (c->type != TERN_CAP_NOTIFICATION || !(c->rights & TERN_RIGHT_WRITE))
		return;
	struct notification *n = c->obj;
	uint64_t badge = c->badge ? c->badge : 1;
	if (n->bound && (badge & n->bound->upcall_mask))
		return;
	notification_signal(n, badge);
}

void personality_post_upcall(struct tcb *t, uint64_t bits)
{
	bool first = !t->upcall_pending;

	t->upcall_pending |= bits;
	if (!upcall_deliverable(t))
		return; /* RESUME (or a later personality) picks it up */
	t->exit_work |= 1u << EXIT_WORK_UPCALL;
	/* A fault stays with its handler: the thread cannot run until the
	 * reply, and the upcall follows it. */
	if (t->fault_pending)
		return;
	switch (t->state) {
	case TS_BLOCKED_SEND: /* nothing was delivered yet: the call ends */
	case TS_BLOCKED_RECV:
	case TS_BLOCKED_NTFN:
		ipc_cancel(t, TERN_EINTERRUPTED);
		break;
	case TS_BLOCKED_REPLY:
		/* The server has the message: the reply is delivered, then the
		 * upcall runs. Once per wait, so the server sees no stale bit. */
		if (first)
			forward_interrupt(t);
		break;
	default:
		break;
	}
}

/* The exit-work hook: on t's way out to user mode, redirect it to its
 * handler with the state it would have returned to in upcall_frame. */
static void deliver_upcall(struct tcb *t)
{
	if (!t->upcall_pending || !upcall_deliverable(t))
		return;
	struct tern_ipc_buffer *b = t->ipc_buffer;
	user_regs_read(t, &b->upcall_frame.regs);
	b->upcall_frame.kind = TERN_UPCALL_NOTIFICATION;
	b->upcall_frame.bits = t->upcall_pending;
	t->upcall_pending = 0;
	t->upcall_active = true;
	enter_handler(t, TERN_UPCALL_NOTIFICATION,
		      __builtin_offsetof(struct tern_ipc_buffer, upcall_frame));
	t->ctx.vector = 0; /* the frame was rewritten: return with iret */
}

void personality_init(void)
{
	sched_set_exit_hook(EXIT_WORK_UPCALL, deliver_upcall);
}

int personality_resume(struct tcb *t, uint64_t regs_addr)
{
	struct tern_regs r;

	if (regs_addr) {
		/* A full restore from user memory (a signal return): any time,
		 * and it ends an upcall in progress too. */
		if (!t->pers_entry)
			return TERN_EILLEGAL_OPERATION;
		if (copy_from_user(t, &r, user_ptr(regs_addr), sizeof(r)))
			return TERN_EBAD_ADDRESS;
	} else {
		if (!t->upcall_active || t->ipc_buffer_cap.cap.type != TERN_CAP_MEMOBJ)
			return TERN_EILLEGAL_OPERATION;
		r = t->ipc_buffer->upcall_frame.regs;
	}
	/* The TLS bases stay the thread's own: the frame's copy is only
	 * informative (a handler changes them with TCB_SET_TLS). */
	if (!user_regs_valid(&r, false))
		return TERN_EBAD_ADDRESS;
	user_regs_write(t, &r, false);
	t->upcall_active = false;
	if (t->upcall_pending && upcall_deliverable(t)) /* posted meanwhile */
		t->exit_work |= 1u << EXIT_WORK_UPCALL;
	return TERN_EOK;
}
