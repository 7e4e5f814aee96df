/*
 * Personalities: the kernel's contract and who saves what (the one place
 * this is written down; libsys's side is in sys/personality.h).
 *
 * Reflection. A TCB with a personality has an entry point and a code
 * range [code_lo, code_hi). A `syscall` executed outside the range is
 * reflected: the kernel stores the user registers in the IPC buffer's
 * syscall_frame and restarts the thread at the entry point, in the same
 * address space, with
 *     rdi = TERN_UPCALL_SYSCALL, rsi = user address of the frame,
 *     rsp = the interrupted rsp minus the 128-byte red zone, 16-aligned
 *           minus 8 (as after a call); nothing is written there,
 *     rcx = the entry point, r11 = the flags (as sysret leaves them), and
 *     every other register as the application left it.
 * The handler returns to the application entirely in user mode: after a
 * `syscall` the application expects rcx and r11 to be clobbered, so they
 * are free to hold the return address and flags.
 *
 * Upcalls. A Notification bound to the TCB (TCB_BIND_NOTIFICATION) that
 * is signalled with a bit in the upcall mask redirects the thread in the
 * same way, with the interrupted state in upcall_frame and
 * rdi = TERN_UPCALL_NOTIFICATION, at its next return to user mode. What
 * happens to a thread that is blocked when the upcall is posted:
 *   - in Send (a Call not yet received included), Recv or a notification
 *     wait: the call ends with TERN_EINTERRUPTED, then the upcall runs;
 *     nothing was delivered, so nothing is lost;
 *   - waiting for the reply to a Call the server has received: the call
 *     is never cancelled. The reply is delivered, then the upcall runs
 *     with the reply's registers in upcall_frame, so RESUME returns the
 *     reply to the caller;
 *   - with a fault at its fault handler: the fault stays there; once the
 *     handler replies, the upcall runs before the instruction is retried.
 * Upcalls are masked from delivery until the handler calls
 * TERN_SYS_RESUME (rdi = 0), which restores upcall_frame in full (iret) and
 * lets the next pending upcall in. RESUME with rdi = the user address of a
 * struct tern_regs restores those registers in full instead, at any time
 * (a signal return: rcx and r11 too), ending an upcall in progress; an
 * upcall posted meanwhile is delivered at once on the way out, so a
 * handler that restores this way loses none.
 *
 * Ending a server wait early (a pipe read, wait4, nanosleep). The client
 * names, in its IPC buffer's interrupt_ntfn, a Notification cap to the
 * server before it makes a call that may wait long; the server minted it
 * for this client with a badge of its own. When an upcall is posted while
 * the client waits for that call's reply, the kernel signals that cap
 * once (the client cannot run to do it). The server then replies to the
 * client's pending call at once with the label TERN_EINTERRUPTED (servers
 * put their result code in the reply's label); the client's libposix
 * turns it into EINTR or a restart after the upcall. A reply that
 * answers the call normally before the server looks at the signal is
 * simply delivered: the race ends either way with exactly one reply. The
 * signal refers to the call pending when it was sent: a server polls its
 * interrupt notification when it receives a new call from a client and
 * forgets that client's older bit. The signal never becomes an upcall
 * itself (bits in the bound TCB's upcall mask are not forwarded).
 *
 * Who saves what.
 *   kernel     on reflection: rax..r15, rip, rflags, fs_base, gs_base into
 *              syscall_frame; on an upcall the same into upcall_frame;
 *              RESUME restores upcall_frame's registers in full. The
 *              kernel never writes the user stack.
 *   the stub   (libsys personality.S) copies syscall_frame to the handler
 *              stack before calling the handler, so a reflection nested in
 *              it (from code an upcall handler runs) cannot overwrite it;
 *              an upcall saves and restores the IPC buffer fields native
 *              calls and reflections overwrite (msg[4..], send_caps,
 *              recv_badges, the receive slot, user_data, syscall_frame and
 *              interrupt_ntfn).
 *   the C handler  rbx, rbp, r12-r15 (the C ABI); the stub reloads the
 *              argument registers and flags from the frame.
 *   FPU/SSE/AVX state is user space's. The kernel switches it lazily
 *              between threads (CR0.TS) but saves nothing on reflection
 *              or upcall: the registers still hold the application's
 *              values when the handler runs, and Linux programs keep
 *              vector values live across `syscall`. A handler must leave
 *              them alone (build it with -mgeneral-regs-only, as libsys
 *              and the kernel are) or save and restore what it uses
 *              (XSAVE to its own stack). A signal handler run from an
 *              upcall is application code: libposix saves the FPU state
 *              in the signal frame first, as Linux does.
 *   fs_base, gs_base are not switched: the handler runs with the
 *              application's TLS bases (libsys must not depend on %fs).
 * Across fork the child's FPU state starts as the kernel's default (FCW
 * 0x37f, MXCSR 0x1f80) unless the parent's is copied: TCB_COPY_FPU makes
 * the child thread's whole XSAVE area a copy of the parent's (its live
 * registers included), which libposix's fork does before the child runs.
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
