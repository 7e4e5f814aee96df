/* struct tern_regs to and from a thread's saved user state. */
#include "arch/user_regs.h"

#include "arch/gdt.h"
#include "arch/tls.h"
#include "arch/trap.h"
#include "kernel/percpu.h"
#include "kernel/vm.h"

void frame_complete(struct tcb *t)
{
	struct trap_frame *f = &t->ctx;

	if (f->vector != FRAME_SYSCALL)
		return;
	f->rcx = f->rip;
	f->r11 = f->rflags;
	/* cs and ss already hold these (set at creation; every push from
	 * 64-bit user mode writes the same): stored anyway, so an iret frame
	 * made from this one never depends on that. */
	f->cs = SEL_USER_CODE;
	f->ss = SEL_USER_DATA;
	f->error = 0;
	if (t->state == TS_BLOCKED_RECV || t->state == TS_BLOCKED_REPLY)
		f->rax = f->rdi = f->rsi = f->rdx = f->r8 = f->r9 = f->r10 = 0;
}

void user_regs_read(struct tcb *t, struct tern_regs *r)
{
	const struct trap_frame *f = &t->ctx;

	frame_complete(t);

	*r = (struct tern_regs){
		.rax = f->rax,
		.rbx = f->rbx,
		.rcx = f->rcx,
		.rdx = f->rdx,
		.rsi = f->rsi,
		.rdi = f->rdi,
		.rbp = f->rbp,
		.rsp = f->rsp,
		.r8 = f->r8,
		.r9 = f->r9,
		.r10 = f->r10,
		.r11 = f->r11,
		.r12 = f->r12,
		.r13 = f->r13,
		.r14 = f->r14,
		.r15 = f->r15,
		.rip = f->rip,
		.rflags = f->rflags,
		.fs_base = tls_fs_base(this_cpu(), t),
		.gs_base = tls_gs_base(this_cpu(), t),
	};
}

bool user_regs_valid(const struct tern_regs *r, bool with_tls)
{
	if (r->rip >= USER_TOP || r->rsp >= USER_TOP)
		return false;
	return !with_tls || (r->fs_base < USER_TOP && r->gs_base < USER_TOP);
}

void user_regs_write(struct tcb *t, const struct tern_regs *r, bool with_tls)
{
	struct trap_frame *f = &t->ctx;

	frame_complete(t); /* cs, ss: the frame returns with iret now */
	f->rax = r->rax, f->rbx = r->rbx, f->rcx = r->rcx, f->rdx = r->rdx;
	f->rsi = r->rsi, f->rdi = r->rdi, f->rbp = r->rbp, f->rsp = r->rsp;
	f->r8 = r->r8, f->r9 = r->r9, f->r10 = r->r10, f->r11 = r->r11;
	f->r12 = r->r12, f->r13 = r->r13, f->r14 = r->r14, f->r15 = r->r15;
	f->rip = r->rip;
	f->rflags = (r->rflags & RFLAGS_USER_MASK) | RFLAGS_USER_BASE;
	f->vector = 0; /* not a syscall frame: return with iret */
	if (with_tls) {
		t->fs_base = r->fs_base;
		t->gs_base = r->gs_base;
	}
}
