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

#endif
