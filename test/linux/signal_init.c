/* Signals to pid 1, as Linux treats its init (SIGNAL_UNKILLABLE): a
 * signal whose action is SIG_DFL is discarded when generated (SIGKILL
 * and SIGSTOP included) or, blocked, kept pending and discarded once
 * unblocked; so SIGPIPE's default does not end init: the write fails
 * with EPIPE and init goes on. Runs as /init only (Debian's Linux and
 * tern, compared; no host run: a host process would die). */
#include "contract.h"
#include <signal.h>

#define BIT(s) (1ull << ((s)-1))

static void handler(int sig)
{
	(void)sig;
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
	int p[2];
	uint64_t m;
	contract_begin("signal_init");
	VAL(getpid(), 1);

	/* SIGPIPE's default, SIG_DFL: discarded for init. */
	VAL(pipe(p), 0);
	VAL(close(p[0]), 0);
	ERR(write(p[1], "x", 1), EPIPE);
	TRUE(pending() == 0);

	/* Default actions of terminate, core, stop: all discarded. */
	VAL(kill(1, SIGTERM), 0);
	VAL(kill(1, SIGSEGV), 0);
	VAL(kill(1, SIGKILL), 0);
	VAL(kill(1, SIGSTOP), 0);
	VAL(kill(1, SIGTSTP), 0);
	VAL(kill(1, 40), 0);
	VAL(raise(SIGINT), 0);
	VAL(syscall(SYS_tgkill, 1, 1, SIGQUIT), 0);
	VAL(syscall(SYS_tkill, 1, SIGHUP), 0);
	TRUE(pending() == 0);

	/* Blocked: pending, then discarded when unblocked. */
	m = BIT(SIGTERM) | BIT(SIGPIPE) | BIT(SIGUSR1);
	VAL(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &m, NULL, 8), 0);
	VAL(kill(1, SIGTERM), 0);
	ERR(write(p[1], "x", 1), EPIPE);
	TRUE(pending() == (BIT(SIGTERM) | BIT(SIGPIPE)));
	/* A handler while blocked, then SIG_DFL again: still pending. */
	TRUE(signal(SIGUSR1, handler) == SIG_DFL);
	VAL(kill(1, SIGUSR1), 0);
	TRUE(signal(SIGUSR1, SIG_DFL) == handler);
	TRUE(pending() == (BIT(SIGTERM) | BIT(SIGPIPE) | BIT(SIGUSR1)));
	VAL(syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &m, NULL, 8), 0);
	TRUE(pending() == 0);
	VAL(close(p[1]), 0);
	printf("init lives\n");
	return contract_end();
}
