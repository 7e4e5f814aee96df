/*
 * Personality support in libsys (sys/personality.h): the handler table
 * that personality.S calls through, and installing the range.
 */
#include "sys/personality.h"

#include <stddef.h>

#include "sys/invoke.h"
#include "tern/ipc_buffer.h"
#include "tern/syscall.h"

/* personality.S hard-codes these; the asserts keep it honest. */
_Static_assert(TERN_SYS_RESUME == 12, "personality.S: TERN_SYS_RESUME");
_Static_assert(TERN_UPCALL_SYSCALL == 1, "personality.S: TERN_UPCALL_SYSCALL");
_Static_assert(
	offsetof(struct tern_regs, rbx) == 8 && offsetof(struct tern_regs, rdx) == 24 &&
		offsetof(struct tern_regs, rsi) == 32 && offsetof(struct tern_regs, rdi) == 40 &&
		offsetof(struct tern_regs, rbp) == 48 && offsetof(struct tern_regs, rsp) == 56 &&
		offsetof(struct tern_regs, r8) == 64 && offsetof(struct tern_regs, r15) == 120 &&
		offsetof(struct tern_regs, rip) == 128 &&
		offsetof(struct tern_regs, rflags) == 136 && offsetof(struct tern_frame, regs) == 0,
	"personality.S: frame offsets");
_Static_assert(offsetof(struct tern_regs, r11) == 88 && offsetof(struct tern_regs, rcx) == 16 &&
		       offsetof(struct tern_regs, fs_base) == 144 &&
		       offsetof(struct tern_regs, gs_base) == 152 &&
		       offsetof(struct tern_frame, kind) == 160 &&
		       offsetof(struct tern_frame, bits) == 168 && sizeof(struct tern_frame) == 176,
	       "personality.S: frame offsets");
/* The upcall saves [msg[4], the end of syscall_frame) in one piece. */
_Static_assert(offsetof(struct tern_ipc_buffer, msg[4]) == 32 &&
		       offsetof(struct tern_ipc_buffer, syscall_frame) == 3600 &&
		       offsetof(struct tern_ipc_buffer, upcall_frame) == 3600 + 176 &&
		       offsetof(struct tern_ipc_buffer, interrupt_ntfn) == 3952 &&
		       offsetof(struct tern_ipc_buffer, handler_stack_top) == 3960 &&
		       offsetof(struct tern_ipc_buffer, handler_stack_size) == 3968,
	       "personality.S: IPC buffer offsets");

static uint64_t default_syscall(struct tern_frame *frame)
{
	(void)frame;
	return (uint64_t)-38; /* -ENOSYS */
}

static void default_upcall(struct tern_frame *frame)
{
	(void)frame;
}

/* Read by personality.S. */
tern_syscall_handler_fn tern_personality_syscall_handler = default_syscall;
tern_upcall_handler_fn tern_personality_upcall_handler = default_upcall;

void tern_personality_set_handler(tern_syscall_handler_fn syscall_handler,
				  tern_upcall_handler_fn upcall_handler)
{
	tern_personality_syscall_handler = syscall_handler ? syscall_handler : default_syscall;
	tern_personality_upcall_handler = upcall_handler ? upcall_handler : default_upcall;
}

enum tern_error tern_personality_install(tern_cptr_t tcb)
{
	return tern_tcb_set_personality(tcb, (uint64_t)(uintptr_t)tern_personality_entry,
					(uint64_t)(uintptr_t)__app_end,
					(uint64_t)(uintptr_t)__text_end);
}

enum tern_error tern_personality_remove(tern_cptr_t tcb)
{
	return tern_tcb_set_personality(tcb, 0, 0, 0);
}

void tern_personality_set_stack(struct tern_ipc_buffer *buf, void *base, size_t size)
{
	uintptr_t lo = (uintptr_t)base, top = (lo + size) & ~(uintptr_t)15;

	buf->handler_stack_size = base ? top - lo : 0;
	buf->handler_stack_top = base ? top : 0;
}
