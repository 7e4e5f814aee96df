/*
 * The IPC fast path (after seL4's): Call to a waiting receiver and
 * ReplyRecv to a waiting caller, when the message fits in registers, no
 * capability moves, and the other thread is the one the scheduler would
 * pick. It is assembly (kernel/ipc/fastpath.S), entered from
 * syscall_entry with the sender's preserved registers saved: a short run
 * of checks, each leaving for the slow path (syscall_slow, which stores
 * the argument registers, then syscall_from_user) with nothing changed;
 * after the point of no return nothing can fail: requeue, switch the user
 * context (SWITCH_USER, arch/switch.inc: the same macro as
 * switch_to_user, which kernel_exit enters through), and sysret with the
 * message registers (rdx, r10, r8, r9 and the info word in rsi) still in
 * the registers from the sender's syscall, the rest from the receiver's
 * frame, rdi = badge and rax = TERN_EOK.
 *
 * Frames. The sender's frame has what every call preserves (rbx, rbp,
 * r12..r15, rip, rflags, rsp; kind FRAME_SYSCALL); its argument registers
 * are consumed, Call and ReplyRecv returning new values in all of them
 * (tern/syscall.h). A thread blocked here is otherwise as the slow path
 * would leave it: each later reader of its frame (a slow reply writes the
 * outputs; READ_REGISTERS, upcalls and a cancelled wait go through
 * frame_complete, which reports the consumed registers as 0) sees a
 * defined value. The receiver's frame is not written: it runs in user
 * mode at once and its next entry rewrites the frame; nothing reads the
 * frame of a thread that is in user mode.
 *
 * Audit: what the slow path checks or does for these two cases, and
 * where the fast path has it.
 *
 * Both calls
 *  - reflection (syscall_from_user: personality_reflects): decided in
 *    syscall_entry; a reflected call never reaches the fast path (also
 *    when reflect_syscall declines for lack of an IPC buffer: that goes
 *    straight to syscall_slow).
 *  - message info (ipc_transfer): the receiver gets
 *    tern_msginfo(label, caps moved, length) | unwrapped << 12. Fast only
 *    when bits 0..14 of the sender's word are a length <= 4 and nothing
 *    else (no caps, no unwrapped bits): then that word is exactly what
 *    the slow path builds, and it is passed on unchanged.
 *  - message words: ipc_transfer copies MR0..MR3 (rdx, r10, r8, r9)
 *    whatever the length; so does the exit. No IPC-buffer words (<= 4).
 *  - capability transfer (ncaps, grant): none (caps bits 0, above).
 *  - CSpace lookup (cspace_lookup_cap): LOOKUP_ROOT/LOOKUP_SLOT resolve
 *    only a root CNode whose guard and radix take all 64 bits in one
 *    level, with the same guard comparison and slot index as cspace_walk
 *    (radix <= TERN_CNODE_MAX_RADIX < 64, so the shifts are exact; radix
 *    0 with a 64-bit guard is slot 0, as there); anything else is slow.
 *    cspace_walk also refuses a CNode cap with no object: a cap's object
 *    is set whenever its type is. An empty slot fails the type check.
 *  - sender in a fault (ipc_transfer builds a fault message when
 *    from->fault_pending): a thread making a syscall is running, and a
 *    running thread never has fault_pending (it is set only while the
 *    kernel sends on its behalf, and cleared when it is answered or
 *    cancelled). Checked anyway: Call tests the caller's, and both calls
 *    test the entered thread's together with its exit work (one 16-bit
 *    compare, the two bytes adjacent: asserted in asm_offsets.c).
 *  - scheduling (sched_wake, schedule): the slow path queues the woken
 *    thread at the tail of its priority, the sender blocks, and
 *    schedule() takes the head of the highest ready priority. The fast
 *    path runs the woken thread only if its priority is above every
 *    ready thread (strictly: an equal one would run first), and refills
 *    its timeslice when empty, as schedule() does.
 *  - kernel_exit: a thread without an address space is suspended
 *    (tcb_vspace checked), the thread's exit work is run (an upcall to
 *    deliver, kernel/core/personality.c: any exit_work bit is slow), then
 *    switch_to_user (SWITCH_USER, the same code).
 *  - the return: return_to_user uses sysret only for a frame saved by the
 *    syscall entry (vector FRAME_SYSCALL); the fast exit is sysret, so
 *    any other frame (registers written, an upcall entered) is slow.
 *  - syscall_from_user bookkeeping: syscall_tcb (only for a TCB
 *    destroyed during its own call) and deferred_free are not needed:
 *    nothing is destroyed here. slowpath_ipcs counts slow calls,
 *    fastpath_hits these.
 *
 * Call (sys_CALL, endpoint_send with call = true, blocking)
 *  - the cap is an Endpoint (not an object invocation) with the write
 *    right; the badge is the cap's.
 *  - ep->state == EP_RECV (else the caller would block in Send); the
 *    receiver is the queue head (never NULL in EP_RECV: ep_dequeue
 *    makes an emptied queue EP_IDLE), blocked in Recv with a frame
 *    saved by syscall_entry.
 *  - the receiver named a Reply object (r->reply; else the slow path
 *    releases the caller with TERN_EINTERRUPTED). Such a Reply has no
 *    caller (endpoint_recv refuses a bound one).
 *  - dequeue the receiver (ep_dequeue), unbind its Reply from it and bind
 *    it to the caller (bind_reply), block the caller (sched_block: the
 *    running thread is in no ready queue).
 *
 * ReplyRecv (sys_REPLY_RECV: reply_send, then recv_common)
 *  - r12 names a Reply cap (reply_arg: r12 = 0 means "no Reply" there,
 *    whatever slot 0 holds, so 0 is slow; so is another type)
 *    with a caller waiting (else the slow path sends nothing and only
 *    receives), which is not in a fault (reply_send treats a fault reply
 *    differently; tested in CAN_ENTER with its exit work). A Reply with
 *    a caller has no receiver (bind_reply always follows clearing it,
 *    and endpoint_recv refuses to wait with a Reply that has a caller),
 *    so endpoint_recv's "bound to another thread" refusal cannot apply.
 *  - badge 0, no grant (reply_send).
 *  - rdi names an Endpoint cap with the read right (recv_common; a
 *    Notification is slow), not in EP_SEND (else a sender is received at
 *    once): the replier queues at the tail in EP_RECV with the Reply
 *    bound to it as receiver (endpoint_recv, blocking).
 */
#include "kernel/fastpath.h"

#include <stddef.h>

#include "kernel/cap.h"
#include "kernel/ipc.h"
#include "kernel/percpu.h"
#include "kernel/sched.h"
#include "kernel/tcb.h"
#include "tern/caps.h"
#include "tern/errors.h"
#include "tern/msginfo.h"
#include "tern/syscall.h"

/* fastpath.S reaches these structures through asm_offsets.h, generated
 * from their C layout (kernel/arch/x86_64/asm_offsets.c). This file holds
 * no code. */
