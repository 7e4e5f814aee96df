/* The signal mask and the handler table (bookkeeping only: nothing is
 * delivered): rt_sigprocmask with each how, SIGKILL and SIGSTOP never
 * blocked, rt_sigaction storing and returning handlers and flags, the
 * errors. */
#include "contract.h"
#include <signal.h>

static void handler(int sig)
{
	(void)sig;
}

int main(void)
{
	sigset_t set, old;
	struct sigaction sa, prev;
	contract_begin("signal_handlers");

	sigemptyset(&set);
	VAL(sigprocmask(SIG_SETMASK, &set, &old), 0);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGKILL);
	sigaddset(&set, SIGSTOP);
	VAL(sigprocmask(SIG_BLOCK, &set, NULL), 0);
	VAL(sigprocmask(SIG_BLOCK, NULL, &old), 0);
	TRUE(sigismember(&old, SIGUSR1) == 1);
	TRUE(sigismember(&old, SIGKILL) == 0 && sigismember(&old, SIGSTOP) == 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	VAL(sigprocmask(SIG_BLOCK, &set, &old), 0);
	TRUE(sigismember(&old, SIGUSR1) && !sigismember(&old, SIGUSR2));
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	VAL(sigprocmask(SIG_UNBLOCK, &set, &old), 0);
	VAL(sigprocmask(SIG_BLOCK, NULL, &old), 0);
	TRUE(!sigismember(&old, SIGUSR1) && sigismember(&old, SIGUSR2));
	ERR(syscall(SYS_rt_sigprocmask, 7, &set, NULL, 8), EINVAL);
	ERR(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4), EINVAL); /* sigsetsize */
	sigemptyset(&set);
	VAL(sigprocmask(SIG_SETMASK, &set, NULL), 0);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	VAL(sigaction(SIGUSR1, &sa, NULL), 0);
	memset(&prev, 0, sizeof(prev));
	VAL(sigaction(SIGUSR1, NULL, &prev), 0);
	TRUE(prev.sa_handler == handler);
	TRUE((prev.sa_flags & SA_RESTART) != 0);
	TRUE(sigismember(&prev.sa_mask, SIGUSR2) == 1);
	sa.sa_handler = SIG_IGN;
	VAL(sigaction(SIGUSR1, &sa, &prev), 0);
	TRUE(prev.sa_handler == handler);
	VAL(sigaction(SIGUSR1, NULL, &prev), 0);
	TRUE(prev.sa_handler == SIG_IGN);
	sa.sa_handler = SIG_DFL;
	VAL(sigaction(SIGUSR1, &sa, NULL), 0);
	VAL(sigaction(SIGPIPE, NULL, &prev), 0);
	TRUE(prev.sa_handler == SIG_DFL);
	ERR(sigaction(SIGKILL, &sa, NULL), EINVAL);
	ERR(sigaction(SIGSTOP, &sa, NULL), EINVAL);
	VAL(sigaction(SIGKILL, NULL, &prev), 0); /* reading is fine */
	ERR(sigaction(0, &sa, NULL), EINVAL);
	ERR(sigaction(65, &sa, NULL), EINVAL);
	ERR(syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4), EINVAL);
	return contract_end();
}
