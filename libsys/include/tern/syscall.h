/*
 * Native system calls: `syscall` with the number in rax, executed by a
 * thread without a personality, or from inside its personality's code
 * range (see tern/personality.h).
 *
 * Register convention (in and out):
 *   rax  call number in; error code (enum tern_error) out
 *   rdi  capability pointer (CPtr) of the object invoked or waited on;
 *        out: the badge of the sender
 *   rsi  message info (tern/msginfo.h)
 *   rdx, r10, r8, r9   message registers MR0..MR3
 *   r12  the Reply capability (Recv, ReplyRecv, Call's server side)
 *   rcx, r11           clobbered (the CPU uses them for the return)
 * Message words beyond MR3 travel in the IPC buffer (tern/ipc_buffer.h).
 *
 * Registers across a call: rbx, rbp, r12..r15, rsp and the user flags are
 * preserved by every call; rcx and r11 are clobbered. Calls that receive
 * (CALL, REPLY_RECV, RECV, NBRECV) consume their argument registers: rax,
 * rdi, rsi, rdx, r8, r9 and r10 are all outputs. They return the result
 * in rax and, with TERN_EOK, the badge (rdi), message info (rsi) and
 * MR0..MR3; when a wait to receive ends in an error (the Reply or the
 * endpoint destroyed, the wait cancelled) rdi, rsi, rdx, r8..r10 are 0,
 * and an error returned at once leaves them as they were passed. While a
 * thread waits in the receive phase of such a call (for a message, or
 * for the reply to its Call) its argument registers are not part of its
 * state: TCB_READ_REGISTERS reports them as 0, and rcx and r11 as rip and
 * rflags (what syscall put there), for any thread stopped in a syscall.
 * This lets the kernel's entry save only the preserved registers on the
 * IPC fast path (kernel/arch/x86_64/syscall.S).
 *
 * Per call: REPLY and REPLY_RECV take the Reply cap in r12; WAIT, POLL
 * (and RECV on a notification) return the notification word in rdi;
 * SIGNAL (or SEND on a notification) ORs in the cap's badge, or bit 0 for
 * an unbadged cap; DEBUG_PUTS writes at most 1,024 bytes (rdi = pointer,
 * rsi = length, rdx = flags) as program output, unprefixed, each "\n" as
 * "\r\n" unless rdx has TERN_DEBUG_PUTS_RAW (bytes as they are: the
 * console driver's, processed as its termios says); LOG writes at most 200
 * bytes (rdi = pointer, rsi = length, rdx = a Linux log level 0..7) as
 * one line of the system log, with the kernel's prefix, dropped like a
 * kernel line at or above the console level; RANDOM fills the buffer at
 * rdi with rsi bytes (at most TERN_RANDOM_MAX, else
 * TERN_EINVALID_ARGUMENT) from the kernel CRNG, TERN_EBAD_ADDRESS when it
 * is not all writable user memory (getrandom, AT_RANDOM, /dev/urandom).
 * TCB_CONFIGURE's fault endpoint is a CPtr looked up in
 * the faulting thread's own CSpace when the fault happens.
 */
#ifndef TERN_SYSCALL_H
#define TERN_SYSCALL_H

/* X(name, number): numbers, the kernel's dispatch table and the user
 * stubs are all generated from this list. */
#define TERN_SYSCALLS(X)   \
	X(CALL, 1)         \
	X(REPLY_RECV, 2)   \
	X(SEND, 3)         \
	X(NBSEND, 4)       \
	X(RECV, 5)         \
	X(NBRECV, 6)       \
	X(REPLY, 7)        \
	X(YIELD, 8)        \
	X(SIGNAL, 9)       \
	X(WAIT, 10)        \
	X(POLL, 11)        \
	X(RESUME, 12)      \
	X(DEBUG_PUTS, 13)  \
	X(DEBUG_QUERY, 14) \
	X(LOG, 15)         \
	X(RANDOM, 16)

enum tern_syscall {
#define TERN_SYSCALL_ENUM(name, num) TERN_SYS_##name = num,
	TERN_SYSCALLS(TERN_SYSCALL_ENUM)
#undef TERN_SYSCALL_ENUM
		TERN_SYS_COUNT
};

#define TERN_DEBUG_PUTS_RAW 1 /* DEBUG_PUTS flag (rdx) */
/* DEBUG_PUTS flag: the text starts a line of its own (a newline first when
 * the console's line is unfinished; the profiler's PROF lines). */
#define TERN_DEBUG_PUTS_LINE 2

/* DEBUG_QUERY selectors (rdi); results in MR0.. */
#define TERN_DEBUG_QUERY_QUOTA 1    /* rdx = quota CPtr -> MR0 used bytes, MR1 limit */
#define TERN_DEBUG_QUERY_CLOCK_NS 2 /* MR0 = monotonic ns */
#define TERN_DEBUG_QUERY_TSC_HZ 3   /* MR0 = TSC frequency */
#define TERN_DEBUG_QUERY_FASTPATH 4 /* MR0 = fastpath hits, MR1 = slowpath IPCs */
#define TERN_DEBUG_QUERY_VM \
	5 /* MR0 = page faults resolved in the kernel, MR1 = 4 KiB
				zero fills, MR2 = 2 MiB pages mapped, MR3 = CoW copies */
/* MR0 = free 4 KiB frames (the buddy allocator's, the per-CPU page caches'
 * and the pre-zeroed pool's blocks, 512 each), MR1 = frames the kernel heap
 * holds (its slab pages, cached empty ones included). Every frame is in one
 * of these, or held by an object that is still alive. */
#define TERN_DEBUG_QUERY_FRAMES 6
/* MR0 = the longest stretch with interrupts off, in TSC ticks, since the
 * last reset (rdx = 1 resets it), MR1 = kernel entries measured, MR2 =
 * preemptions of long operations (restarted invocations). */
#define TERN_DEBUG_QUERY_IRQ_OFF 7
/* MR0 = usable RAM in bytes (the boot memory map's), MR1 = free bytes
 * (the frames of TERN_DEBUG_QUERY_FRAMES's MR0): sysinfo's totalram and
 * freeram. */
#define TERN_DEBUG_QUERY_MEMORY 8
/* MR0 = 1 when the command line has tern.profile=1 (sys/prof.h), else 0. */
#define TERN_DEBUG_QUERY_PROFILE 9

/* The most bytes one RANDOM call fills. */
#define TERN_RANDOM_MAX 256

#endif
