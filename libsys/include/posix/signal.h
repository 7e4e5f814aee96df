/*
 * Linux's x86-64 signal ABI as the kernel's system calls see it
 * (arch/x86/include/uapi/asm/signal.h, include/uapi/asm-generic/
 * signal-defs.h, include/linux/signal_types.h): the numbers, the kernel's
 * struct sigaction of rt_sigaction (not libc's), the SA_* flags,
 * rt_sigprocmask's how values, stack_t of sigaltstack.
 *
 * A sigset is one 64-bit word: bit (sig - 1) for signal sig, 1..64.
 */
#ifndef POSIX_SIGNAL_H
#define POSIX_SIGNAL_H

#include <stddef.h>
#include <stdint.h>

#define POSIX_SIGHUP 1
#define POSIX_SIGINT 2
#define POSIX_SIGQUIT 3
#define POSIX_SIGILL 4
#define POSIX_SIGTRAP 5
#define POSIX_SIGABRT 6
#define POSIX_SIGBUS 7
#define POSIX_SIGFPE 8
#define POSIX_SIGKILL 9
#define POSIX_SIGUSR1 10
#define POSIX_SIGSEGV 11
#define POSIX_SIGUSR2 12
#define POSIX_SIGPIPE 13
#define POSIX_SIGALRM 14
#define POSIX_SIGTERM 15
#define POSIX_SIGSTKFLT 16
#define POSIX_SIGCHLD 17
#define POSIX_SIGCONT 18
#define POSIX_SIGSTOP 19
#define POSIX_SIGTSTP 20
#define POSIX_SIGTTIN 21
#define POSIX_SIGTTOU 22
#define POSIX_SIGURG 23
#define POSIX_SIGXCPU 24
#define POSIX_SIGXFSZ 25
#define POSIX_SIGVTALRM 26
#define POSIX_SIGPROF 27
#define POSIX_SIGWINCH 28
#define POSIX_SIGIO 29
#define POSIX_SIGPWR 30
#define POSIX_SIGSYS 31
#define POSIX_SIGRTMIN 32 /* the kernel's; libcs reserve the first few */
#define POSIX_SIGRTMAX 64
#define POSIX_NSIG 64 /* _NSIG: valid signals are 1..64 */

typedef uint64_t posix_sigset_t;
#define POSIX_SIGSET_SIZE 8 /* the only sigsetsize the rt_* calls accept */
#define POSIX_SIGBIT(sig) (1ull << ((sig)-1))

/* sa_handler's special values. */
#define POSIX_SIG_DFL 0ull
#define POSIX_SIG_IGN 1ull
#define POSIX_SIG_ERR (~0ull)

/* sa_flags. */
#define POSIX_SA_NOCLDSTOP 0x00000001ul
#define POSIX_SA_NOCLDWAIT 0x00000002ul
#define POSIX_SA_SIGINFO 0x00000004ul
#define POSIX_SA_UNSUPPORTED 0x00000400ul /* never kept: how a program probes */
#define POSIX_SA_EXPOSE_TAGBITS 0x00000800ul
#define POSIX_SA_RESTORER 0x04000000ul
#define POSIX_SA_ONSTACK 0x08000000ul
#define POSIX_SA_RESTART 0x10000000ul
#define POSIX_SA_NODEFER 0x40000000ul
#define POSIX_SA_RESETHAND 0x80000000ul
/* UAPI_SA_FLAGS: the bits rt_sigaction keeps (Linux 5.11 and later
 * clear the others, in the new action and in the old one returned). */
#define POSIX_SA_KNOWN                                                                        \
	(POSIX_SA_NOCLDSTOP | POSIX_SA_NOCLDWAIT | POSIX_SA_SIGINFO | POSIX_SA_ONSTACK |      \
	 POSIX_SA_RESTART | POSIX_SA_NODEFER | POSIX_SA_RESETHAND | POSIX_SA_EXPOSE_TAGBITS | \
	 POSIX_SA_RESTORER)

/* The kernel's struct sigaction on x86-64 (struct sigaction in
 * include/linux/signal_types.h with __ARCH_HAS_SA_RESTORER). */
struct posix_sigaction {
	uint64_t handler; /* sa_handler / sa_sigaction, or SIG_DFL, SIG_IGN */
	uint64_t flags;	  /* unsigned long sa_flags */
	uint64_t restorer;
	posix_sigset_t mask;
};
_Static_assert(sizeof(struct posix_sigaction) == 32, "kernel sigaction is 32 bytes");
_Static_assert(offsetof(struct posix_sigaction, restorer) == 16, "sa_restorer at 16");
_Static_assert(offsetof(struct posix_sigaction, mask) == 24, "sa_mask at 24");

/* rt_sigprocmask's how. */
#define POSIX_SIG_BLOCK 0
#define POSIX_SIG_UNBLOCK 1
#define POSIX_SIG_SETMASK 2

/* stack_t (arch/x86/include/uapi/asm/signal.h). */
struct posix_stack {
	uint64_t sp;
	int32_t flags;
	int32_t pad;
	uint64_t size;
};
_Static_assert(sizeof(struct posix_stack) == 24, "stack_t is 24 bytes");
_Static_assert(offsetof(struct posix_stack, flags) == 8, "ss_flags at 8");
_Static_assert(offsetof(struct posix_stack, size) == 16, "ss_size at 16");

#define POSIX_SS_ONSTACK 1
#define POSIX_SS_DISABLE 2
#define POSIX_SS_AUTODISARM (1u << 31) /* SS_FLAG_BITS */
#define POSIX_MINSIGSTKSZ 2048
#define POSIX_SIGSTKSZ 8192
_Static_assert(POSIX_MINSIGSTKSZ == 2048, "x86's MINSIGSTKSZ");

/* Linux's siginfo_t (128 bytes, include/uapi/asm-generic/siginfo.h): the
 * fields of each kind at Linux's offsets. */
struct posix_siginfo {
	int32_t si_signo, si_errno, si_code;
	int32_t pad0;
	union {
		struct {
			int32_t pid;
			uint32_t uid;
			uint64_t value; /* sigval (rt, mq) */
		} kill;			/* SI_USER, SI_TKILL, SI_QUEUE */
		struct {
			int32_t tid, overrun;
			uint64_t value;
		} timer; /* SI_TIMER */
		struct {
			int32_t pid;
			uint32_t uid;
			int32_t status;
			int32_t pad;
			int64_t utime, stime;
		} chld; /* SIGCHLD */
		struct {
			uint64_t addr;
			int16_t addr_lsb;
		} fault; /* SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP */
		uint8_t pad[112];
	} u;
};
_Static_assert(sizeof(struct posix_siginfo) == 128, "siginfo_t is 128 bytes");
_Static_assert(__builtin_offsetof(struct posix_siginfo, u.chld.status) == 24, "si_status");
_Static_assert(__builtin_offsetof(struct posix_siginfo, u.fault.addr) == 16, "si_addr");

/* si_code values (include/uapi/asm-generic/siginfo.h). */
#define POSIX_SI_USER 0
#define POSIX_SI_KERNEL 0x80
#define POSIX_SI_QUEUE (-1)
#define POSIX_SI_TIMER (-2)
#define POSIX_SI_MESGQ (-3)
#define POSIX_SI_ASYNCIO (-4)
#define POSIX_SI_SIGIO (-5)
#define POSIX_SI_TKILL (-6)
#define POSIX_ILL_ILLOPN 2
#define POSIX_FPE_INTDIV 1
#define POSIX_SEGV_MAPERR 1
#define POSIX_SEGV_ACCERR 2
#define POSIX_BUS_ADRALN 1
#define POSIX_BUS_ADRERR 2
#define POSIX_TRAP_BRKPT 1
#define POSIX_TRAP_TRACE 2

/*
 * The signal frame (arch/x86/include/uapi/asm/sigcontext.h, ucontext.h,
 * arch/x86/include/asm/sigframe.h, fpu/types.h): what a handler finds at
 * its rsp, 16-byte aligned minus 8 as on function entry. The XSAVE area
 * (standard form, 64-byte aligned) lies above the frame; sigcontext's
 * fpstate points at it.
 */
struct posix_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate; /* the XSAVE area, or 0 */
	uint64_t reserved1[8];
};
_Static_assert(sizeof(struct posix_sigcontext) == 256, "struct sigcontext is 256 bytes");
_Static_assert(offsetof(struct posix_sigcontext, rip) == 128, "sc.rip at 128");
_Static_assert(offsetof(struct posix_sigcontext, cs) == 144, "sc.cs at 144");
_Static_assert(offsetof(struct posix_sigcontext, err) == 152, "sc.err at 152");
_Static_assert(offsetof(struct posix_sigcontext, cr2) == 176, "sc.cr2 at 176");
_Static_assert(offsetof(struct posix_sigcontext, fpstate) == 184, "sc.fpstate at 184");

/* uc_flags. */
#define POSIX_UC_FP_XSTATE 0x1
#define POSIX_UC_SIGCONTEXT_SS 0x2
#define POSIX_UC_STRICT_RESTORE_SS 0x4

/* The kernel's struct ucontext (its sigset is 8 bytes, not libc's 128). */
struct posix_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct posix_stack uc_stack;
	struct posix_sigcontext uc_mcontext;
	posix_sigset_t uc_sigmask;
};
_Static_assert(sizeof(struct posix_ucontext) == 304, "kernel ucontext is 304 bytes");
_Static_assert(offsetof(struct posix_ucontext, uc_mcontext) == 40, "uc_mcontext at 40");
_Static_assert(offsetof(struct posix_ucontext, uc_sigmask) == 296, "uc_sigmask at 296");

/* struct rt_sigframe (x86-64): the handler's return address (sa_restorer)
 * at its rsp, then the ucontext and the siginfo. */
struct posix_rt_sigframe {
	uint64_t pretcode;
	struct posix_ucontext uc;
	struct posix_siginfo info;
};
_Static_assert(sizeof(struct posix_rt_sigframe) == 440, "rt_sigframe is 440 bytes");
_Static_assert(offsetof(struct posix_rt_sigframe, info) == 312, "rt_sigframe.info at 312");

/* The software-reserved bytes 464..511 of the XSAVE legacy area in a
 * signal frame (struct _fpx_sw_bytes), and the magic after the area. */
#define POSIX_FP_XSTATE_MAGIC1 0x46505853u
#define POSIX_FP_XSTATE_MAGIC2 0x46505845u
#define POSIX_FP_XSTATE_MAGIC2_SIZE 4
#define POSIX_FPX_SW_OFFSET 464
#define POSIX_XSAVE_HDR_OFFSET 512
#define POSIX_XSAVE_HDR_SIZE 64
struct posix_fpx_sw_bytes {
	uint32_t magic1;
	uint32_t extended_size; /* xstate_size + FP_XSTATE_MAGIC2_SIZE */
	uint64_t xfeatures;
	uint32_t xstate_size;
	uint32_t padding[7];
};
_Static_assert(sizeof(struct posix_fpx_sw_bytes) == 48, "struct _fpx_sw_bytes is 48 bytes");

#endif
