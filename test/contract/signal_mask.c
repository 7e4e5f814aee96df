/* rt_sigprocmask and rt_sigpending: SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK,
 * SIGKILL and SIGSTOP silently never blocked, the EINVAL and EFAULT
 * cases; a blocked signal sent to ourselves stays pending (even when its
 * action ignores it: the action may change before it is unblocked) and
 * setting an ignoring action discards it; an unblocked one whose action
 * ignores it is discarded. Only signals that are ignored reach us
 * unblocked: nothing is delivered, nobody dies. */
#include "contract.h"
#include <signal.h>

#define BIT(s) (1ull << ((s)-1))

static long mask(int how, const uint64_t *set, uint64_t *old, long size)
{
	return syscall(SYS_rt_sigprocmask, how, set, old, size);
}

static uint64_t pending(void)
{
	uint64_t p = 0x5a5a;
	if (syscall(SYS_rt_sigpending, &p, 8) != 0)
		contract_fail(__LINE__, "rt_sigpending: %s", errno_name(errno));
	return p;
}

int main(void)
{
	uint64_t set, old;
	sigset_t s, so;
	contract_begin("signal_mask");

	VAL(mask(SIG_SETMASK, NULL, &old, 8), 0);
	TRUE(old == 0);
	TRUE(pending() == 0);

	set = BIT(SIGUSR1) | BIT(SIGKILL) | BIT(SIGSTOP) | BIT(SIGHUP);
	VAL(mask(SIG_BLOCK, &set, NULL, 8), 0);
	VAL(mask(SIG_BLOCK, NULL, &old, 8), 0);
	TRUE(old == (BIT(SIGUSR1) | BIT(SIGHUP)));
	set = BIT(SIGUSR2) | (1ull << 63);
	VAL(mask(SIG_BLOCK, &set, &old, 8), 0);
	TRUE(old == (BIT(SIGUSR1) | BIT(SIGHUP)));
	set = BIT(SIGHUP) | BIT(SIGTERM);
	VAL(mask(SIG_UNBLOCK, &set, &old, 8), 0);
	TRUE(old == (BIT(SIGUSR1) | BIT(SIGHUP) | BIT(SIGUSR2) | (1ull << 63)));
	VAL(mask(SIG_SETMASK, NULL, &old, 8), 0);
	TRUE(old == (BIT(SIGUSR1) | BIT(SIGUSR2) | (1ull << 63)));
	set = ~0ull;
	VAL(mask(SIG_SETMASK, &set, &old, 8), 0);
	VAL(mask(SIG_SETMASK, NULL, &old, 8), 0);
	TRUE(old == ~(BIT(SIGKILL) | BIT(SIGSTOP)));

	/* EINVAL: how (only checked with a new set), sigsetsize. */
	set = 0;
	ERR(mask(3, &set, NULL, 8), EINVAL);
	ERR(mask(-1, &set, NULL, 8), EINVAL);
	VAL(mask(3, NULL, &old, 8), 0);
	ERR(mask(SIG_SETMASK, &set, NULL, 4), EINVAL);
	ERR(mask(SIG_SETMASK, &set, NULL, 16), EINVAL);
	VAL(mask(SIG_SETMASK, NULL, &old, 8), 0);
	TRUE(old == ~(BIT(SIGKILL) | BIT(SIGSTOP))); /* unchanged by the failures */
	ERR(mask(SIG_SETMASK, (uint64_t *)1, NULL, 8), EFAULT);
	ERR(mask(SIG_SETMASK, NULL, (uint64_t *)1, 8), EFAULT);
	/* A bad old pointer fails after the new mask was set. */
	set = BIT(SIGUSR1) | BIT(SIGCHLD) | BIT(SIGURG);
	ERR(mask(SIG_SETMASK, &set, (uint64_t *)0xffff800000001000ull, 8), EFAULT);
	VAL(mask(SIG_SETMASK, NULL, &old, 8), 0);
	TRUE(old == set);

	/* rt_sigpending: sigsetsize above 8 is EINVAL, below copies less. */
	uint64_t p = 0;
	ERR(syscall(SYS_rt_sigpending, &p, 9), EINVAL);
	ERR(syscall(SYS_rt_sigpending, (void *)1, 8), EFAULT);
	VAL(syscall(SYS_rt_sigpending, (void *)1, 0), 0);

	/* Blocked signals to ourselves stay pending. */
	VAL(kill(getpid(), SIGUSR1), 0);
	VAL(kill(getpid(), SIGCHLD), 0); /* default ignore, but blocked */
	TRUE(pending() == (BIT(SIGUSR1) | BIT(SIGCHLD)));
	p = ~0ull;
	VAL(syscall(SYS_rt_sigpending, &p, 4), 0);
	TRUE(p == (0xffffffff00000000ull | BIT(SIGUSR1) | BIT(SIGCHLD)));
	VAL(sigpending(&s), 0);
	TRUE(sigismember(&s, SIGUSR1) == 1 && sigismember(&s, SIGCHLD) == 1);
	/* Ignoring it discards it; a blocked ignored one is still queued. */
	TRUE(signal(SIGUSR1, SIG_IGN) != SIG_ERR);
	TRUE(pending() == BIT(SIGCHLD));
	VAL(kill(getpid(), SIGUSR1), 0);
	TRUE(pending() == (BIT(SIGUSR1) | BIT(SIGCHLD)));
	TRUE(signal(SIGUSR1, SIG_IGN) == SIG_IGN);
	TRUE(pending() == BIT(SIGCHLD));
	/* SIG_DFL of a default-ignore signal discards a pending one too. */
	TRUE(signal(SIGCHLD, SIG_DFL) == SIG_DFL);
	TRUE(pending() == 0);

	/* Unblocked and ignored: discarded at once. */
	VAL(kill(getpid(), SIGURG), 0);
	TRUE(pending() == BIT(SIGURG));
	set = BIT(SIGURG);
	VAL(mask(SIG_UNBLOCK, &set, NULL, 8), 0); /* its default: ignore */
	TRUE(pending() == 0);
	VAL(kill(getpid(), SIGURG), 0);
	VAL(kill(getpid(), SIGWINCH), 0);
	TRUE(pending() == 0);
	set = BIT(SIGUSR1);
	VAL(mask(SIG_UNBLOCK, &set, NULL, 8), 0);
	VAL(kill(getpid(), SIGUSR1), 0); /* SIG_IGN */
	TRUE(pending() == 0);

	/* libc's sigprocmask over the same mask. */
	sigemptyset(&s);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGKILL);
	VAL(sigprocmask(SIG_SETMASK, &s, &so), 0);
	VAL(sigprocmask(SIG_BLOCK, NULL, &so), 0);
	TRUE(sigismember(&so, SIGTERM) == 1);
	TRUE(sigismember(&so, SIGKILL) == 0);
	VAL(kill(getpid(), SIGTERM), 0);
	VAL(sigpending(&s), 0);
	TRUE(sigismember(&s, SIGTERM) == 1);
	TRUE(signal(SIGTERM, SIG_IGN) == SIG_DFL);
	VAL(sigpending(&s), 0);
	TRUE(sigismember(&s, SIGTERM) == 0);
	return contract_end();
}
