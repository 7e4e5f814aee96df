/*
 * Personality support in libsys (sys/personality.h): the handler table
 * that personality.S calls through, and installing the range.
 */
#include "sys/personality.h"

#include <stddef.h>

#include "sys/invoke.h"
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
