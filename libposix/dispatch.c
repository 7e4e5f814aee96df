/*
 * The reflected-syscall handler in C: Linux's register convention to a
 * struct posix_call, one table lookup, the handler. The result goes back
 * in rax (libsys's entry stub resumes the application as sysret would:
 * rcx and r11 clobbered, every other register as it was). A Linux process
 * enters through entry.S instead, which does the same while it copies the
 * frame; this one serves programs that host libposix's families behind
 * libsys's own stub (test/guest/posix_time.c).
 */
#include <stddef.h>

#include "call.h"
#include "tern/ipc_buffer.h"

/* The layouts entry.S hard-codes. */
_Static_assert(offsetof(struct tern_ipc_buffer, syscall_frame) == 3600, "entry.S");
_Static_assert(offsetof(struct tern_ipc_buffer, handler_stack_top) == 3960, "entry.S");
_Static_assert(offsetof(struct tern_ipc_buffer, handler_stack_size) == 3968, "entry.S");
_Static_assert(offsetof(struct tern_regs, rsp) == 56 && offsetof(struct tern_regs, r10) == 80 &&
		       offsetof(struct tern_regs, rip) == 128 &&
		       offsetof(struct tern_regs, gs_base) == 152,
	       "entry.S");
_Static_assert(offsetof(struct posix_call, nr) == 0 && offsetof(struct posix_call, a) == 8 &&
		       offsetof(struct posix_call, frame) == 56 && sizeof(struct posix_call) == 64,
	       "entry.S pushes struct posix_call");

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
