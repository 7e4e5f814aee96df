/*
 * The reflected-syscall handler: Linux's register convention to a
 * struct posix_call, one table lookup, the handler. The result goes back
 * in rax (libsys's entry stub resumes the application as sysret would:
 * rcx and r11 clobbered, every other register as it was).
 */
#include "call.h"

extern const posix_handler_fn posix_table[POSIX_SYSCALL_MAX];

uint64_t posix_dispatch(struct tern_frame *frame)
{
	const struct tern_regs *r = &frame->regs;
	struct posix_call c = {
		.nr = r->rax,
		.a = { r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9 },
		.frame = frame,
	};
	if (__builtin_expect(c.nr < POSIX_SYSCALL_MAX, 1)) {
		posix_handler_fn fn = posix_table[c.nr];
		if (__builtin_expect(fn != 0, 1))
			return (uint64_t)fn(&c);
	}
	return (uint64_t)posix_enosys(c.nr);
}
