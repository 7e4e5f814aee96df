/* sigaction flags at delivery (signals sent to ourselves): SA_RESETHAND
 * runs the handler once, then the handler is SIG_DFL (the flags stay;
 * Linux still blocks
 * the signal in that handler: SA_RESETHAND does not imply SA_NODEFER);
 * SA_NODEFER leaves the signal unblocked, so the handler nests when it
 * raises its own signal; without it the second one waits until the
 * handler returns, and standard signals pending twice are delivered once
 * while real-time ones queue; an ignored signal is discarded. */
#include "contract.h"

#define BIT(s) (1ull << ((s)-1))

static int depth, max_depth, count, order[8];
static uint64_t mask_in[8];

static uint64_t mask_now(void)
{
	uint64_t m = 0;
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8);
	return m;
}

static void handler(int sig)
{
	int n = count++;
	if (n < 8) {
		order[n] = sig;
		mask_in[n] = mask_now();
	}
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	if (n == 0 && sig == SIGUSR1)
		raise(SIGUSR1); /* nests with SA_NODEFER, else waits */
	depth--;
}

static void set_masked(int sig, int flags, int block_all)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	if (block_all)
		sigfillset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) != 0)
		contract_fail(__LINE__, "sigaction: %s", errno_name(errno));
}

static void set(int sig, int flags)
{
	set_masked(sig, flags, 0);
}

static void reset(void)
{
	depth = max_depth = count = 0;
	memset(order, 0, sizeof(order));
	memset(mask_in, 0, sizeof(mask_in));
}

int main(void)
{
	struct sigaction old;
	contract_begin("signal_flags");

	/* SA_RESETHAND. */
	set(SIGUSR2, SA_RESETHAND);
	reset();
	VAL(kill(getpid(), SIGUSR2), 0);
	VAL(count, 1);
	TRUE(mask_in[0] == BIT(SIGUSR2));
	VAL(sigaction(SIGUSR2, NULL, &old), 0);
	TRUE(old.sa_handler == SIG_DFL);
	TRUE((old.sa_flags & SA_RESETHAND) != 0); /* Linux resets the handler only */
	/* SA_RESETHAND | SA_NODEFER. */
	set(SIGUSR2, SA_RESETHAND | SA_NODEFER);
	reset();
	VAL(kill(getpid(), SIGUSR2), 0);
	VAL(count, 1);
	TRUE(mask_in[0] == 0);
	VAL(sigaction(SIGUSR2, NULL, &old), 0);
	TRUE(old.sa_handler == SIG_DFL);

	/* Without SA_NODEFER: the raise inside waits for the return. */
	set(SIGUSR1, 0);
	reset();
	VAL(kill(getpid(), SIGUSR1), 0);
	VAL(count, 2);
	VAL(max_depth, 1);
	TRUE(mask_in[0] == BIT(SIGUSR1) && mask_in[1] == BIT(SIGUSR1));
	/* SA_NODEFER: it nests. */
	set(SIGUSR1, SA_NODEFER);
	reset();
	VAL(kill(getpid(), SIGUSR1), 0);
	VAL(count, 2);
	VAL(max_depth, 2);
	TRUE(mask_in[0] == 0 && mask_in[1] == 0);

	/* Pending twice while blocked: a standard signal once, a real-time
	 * one twice; the lower-numbered first, standard before real-time
	 * (the handlers block everything, so each runs before the next is
	 * delivered: Linux would otherwise stack every frame at once and
	 * the last one delivered would run first). */
	set_masked(SIGUSR2, 0, 1);
	set_masked(SIGRTMIN + 1, 0, 1);
	set_masked(SIGHUP, 0, 1);
	uint64_t m = BIT(SIGUSR2) | BIT(SIGRTMIN + 1) | BIT(SIGHUP);
	VAL(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &m, NULL, 8), 0);
	VAL(kill(getpid(), SIGRTMIN + 1), 0);
	VAL(kill(getpid(), SIGUSR2), 0);
	VAL(kill(getpid(), SIGRTMIN + 1), 0);
	VAL(kill(getpid(), SIGUSR2), 0);
	VAL(kill(getpid(), SIGHUP), 0);
	reset();
	VAL(syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &m, NULL, 8), 0);
	VAL(count, 4);
	printf("order: %s", sig_name(order[0]));
	printf(", %s", sig_name(order[1]));
	printf(", %s", sig_name(order[2]));
	printf(", %s\n", sig_name(order[3]));
	TRUE(order[0] == SIGHUP && order[1] == SIGUSR2 && order[2] == SIGRTMIN + 1 &&
	     order[3] == SIGRTMIN + 1);

	/* Ignored: discarded, even when sent while blocked. */
	TRUE(signal(SIGUSR2, SIG_IGN) != SIG_ERR);
	reset();
	VAL(kill(getpid(), SIGUSR2), 0);
	VAL(count, 0);
	TRUE(signal(SIGUSR2, SIG_DFL) == SIG_IGN);
	return contract_end();
}
