/* rt_sigaction's bookkeeping as the kernel ABI has it (struct sigaction
 * of the syscall: handler, flags, restorer, an 8-byte mask): old and new
 * actions round trip, unknown flags and SIGKILL/SIGSTOP in the mask are
 * dropped, the EINVAL and EFAULT cases; libc's sigaction and signal on
 * top of it. Nothing here is delivered (no handler ever runs). */
#include "contract.h"
#include <signal.h>

struct ksa {
	unsigned long handler, flags, restorer;
	uint64_t mask;
};

#define BIT(s) (1ull << ((s)-1))
#define SA_UNSUPPORTED_ 0x400ul
#define SA_RESTORER_ 0x04000000ul

static void handler(int sig)
{
	(void)sig;
}

static long ksigaction(long sig, const struct ksa *act, struct ksa *old, long size)
{
	return syscall(SYS_rt_sigaction, sig, act, old, size);
}

int main(void)
{
	struct ksa a, o;
	struct sigaction sa, so;
	contract_begin("signal_action");

	/* A fresh process: SIG_DFL everywhere, nothing set. */
	memset(&o, 0x5a, sizeof(o));
	VAL(ksigaction(SIGUSR1, NULL, &o, 8), 0);
	TRUE(o.handler == 0 && o.flags == 0 && o.mask == 0);

	/* Set, then read back through the old action of the next set. */
	a = (struct ksa){ (unsigned long)handler, SA_RESTART | SA_SIGINFO | SA_RESTORER_, 0x1234,
			  BIT(SIGUSR2) | BIT(SIGINT) };
	VAL(ksigaction(SIGUSR1, &a, NULL, 8), 0);
	struct ksa b = { 1 /* SIG_IGN */, 0, 0, 0 };
	VAL(ksigaction(SIGUSR1, &b, &o, 8), 0);
	TRUE(o.handler == (unsigned long)handler);
	TRUE(o.flags == (SA_RESTART | SA_SIGINFO | SA_RESTORER_));
	TRUE(o.restorer == 0x1234);
	TRUE(o.mask == (BIT(SIGUSR2) | BIT(SIGINT)));
	VAL(ksigaction(SIGUSR1, NULL, &o, 8), 0);
	TRUE(o.handler == 1 && o.flags == 0 && o.mask == 0);

	/* Flags Linux does not know are cleared (how programs probe, with
	 * SA_UNSUPPORTED); SIGKILL and SIGSTOP never enter a mask. */
	a = (struct ksa){ (unsigned long)handler, SA_UNSUPPORTED_ | 0x200 | SA_NODEFER, 0, ~0ull };
	VAL(ksigaction(SIGUSR2, &a, NULL, 8), 0);
	VAL(ksigaction(SIGUSR2, NULL, &o, 8), 0);
	printf("flags %#lx mask %#llx\n", o.flags, (unsigned long long)o.mask);
	TRUE(o.flags == SA_NODEFER);
	TRUE(o.mask == ~(BIT(SIGKILL) | BIT(SIGSTOP)));

	/* Real-time signals up to 64. */
	a = (struct ksa){ 1, 0, 0, 0 };
	VAL(ksigaction(64, &a, NULL, 8), 0);
	VAL(ksigaction(64, NULL, &o, 8), 0);
	TRUE(o.handler == 1);
	VAL(ksigaction(32, &a, NULL, 8), 0);

	/* The EINVAL cases. */
	ERR(ksigaction(0, NULL, &o, 8), EINVAL);
	ERR(ksigaction(65, NULL, &o, 8), EINVAL);
	ERR(ksigaction(-1, NULL, &o, 8), EINVAL);
	ERR(ksigaction(SIGKILL, &a, NULL, 8), EINVAL);
	ERR(ksigaction(SIGSTOP, &a, NULL, 8), EINVAL);
	a.handler = 0;
	ERR(ksigaction(SIGKILL, &a, NULL, 8), EINVAL); /* even SIG_DFL */
	VAL(ksigaction(SIGKILL, NULL, &o, 8), 0);      /* a query is fine */
	TRUE(o.handler == 0);
	ERR(ksigaction(SIGUSR1, NULL, &o, 4), EINVAL);
	ERR(ksigaction(SIGUSR1, NULL, &o, 16), EINVAL);
	ERR(ksigaction(SIGUSR1, NULL, NULL, 0), EINVAL);
	VAL(ksigaction(SIGUSR1, NULL, NULL, 8), 0);

	/* Bad pointers: EFAULT. A bad old pointer fails after the new
	 * action was set. */
	ERR(ksigaction(SIGUSR1, (struct ksa *)1, NULL, 8), EFAULT);
	ERR(ksigaction(SIGUSR1, NULL, (struct ksa *)8, 8), EFAULT);
	a = (struct ksa){ (unsigned long)handler, 0, 0, 0 };
	ERR(ksigaction(SIGUSR1, &a, (struct ksa *)0xffff800000000000ull, 8), EFAULT);
	VAL(ksigaction(SIGUSR1, NULL, &o, 8), 0);
	TRUE(o.handler == (unsigned long)handler);

	/* libc on top: sigaction and signal. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGALRM);
	sa.sa_flags = SA_RESTART;
	VAL(sigaction(SIGHUP, &sa, NULL), 0);
	VAL(sigaction(SIGHUP, NULL, &so), 0);
	TRUE(so.sa_handler == handler);
	TRUE(sigismember(&so.sa_mask, SIGALRM) == 1);
	TRUE(sigismember(&so.sa_mask, SIGHUP) == 0);
	TRUE((so.sa_flags & SA_RESTART) != 0);
	TRUE(signal(SIGHUP, SIG_IGN) == handler);
	TRUE(signal(SIGHUP, SIG_DFL) == SIG_IGN);
	TRUE(signal(SIGKILL, SIG_IGN) == SIG_ERR);
	TRUE(errno == EINVAL);
	TRUE(signal(SIGSTOP, handler) == SIG_ERR);
	VAL(sigaction(SIGSTOP, NULL, &so), 0);
	TRUE(so.sa_handler == SIG_DFL);
	return contract_end();
}
