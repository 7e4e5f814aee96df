/*
 * The kernel half of a personality (the Linux one is libposix).
 *
 * A TCB with a personality has an entry point and a code range
 * [code_lo, code_hi). A `syscall` executed outside the range is reflected:
 * the kernel stores the user registers in the IPC buffer's syscall_frame
 * and restarts the thread at the entry point, in the same address space,
 * with
 *     rdi = TERN_UPCALL_SYSCALL, rsi = user address of the frame,
 *     rsp = the interrupted rsp minus the 128-byte red zone, 16-aligned
 *           minus 8 (as after a call).
 * The handler returns to the application entirely in user mode: after a
 * `syscall` the application expects rcx and r11 to be clobbered, so they
 * are free to hold the return address and flags (tern_personality_resume
 * in libsys does this).
 *
 * An upcall (a Notification bound to the TCB is signalled with a bit in
 * its upcall mask) redirects the thread in the same way, with the
 * interrupted state in upcall_frame and rdi = TERN_UPCALL_NOTIFICATION,
 * either at its next return to user mode or, when it is blocked in a
 * native call, at once: that call then returns TERN_EINTERRUPTED. Upcalls
 * are masked from delivery until the handler calls TERN_SYS_RESUME, which
 * restores upcall_frame in full.
 */
#ifndef TERN_PERSONALITY_H
#define TERN_PERSONALITY_H

#include <stdint.h>

#include "tern/regs.h"

#define TERN_UPCALL_SYSCALL 1
#define TERN_UPCALL_NOTIFICATION 2

struct tern_frame {
	struct tern_regs regs;
	uint64_t kind; /* TERN_UPCALL_* */
	uint64_t bits; /* notification bits that caused an upcall */
};
_Static_assert(sizeof(struct tern_frame) == 22 * 8, "struct tern_frame is ABI");

#endif
