/* struct tern_regs to and from a thread's saved user state. */
#include "arch/user_regs.h"

#include "kernel/vm.h"

void user_regs_read(const struct tcb *t, struct tern_regs *r)
{
	const struct trap_frame *f = &t->ctx;

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
		.fs_base = t->fs_base,
		.gs_base = t->gs_base,
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
