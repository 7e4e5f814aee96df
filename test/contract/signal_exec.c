/* What execve keeps of the signal state (Linux: handlers reset to
 * SIG_DFL, SIG_IGN kept, flags and masks cleared; the blocked mask and
 * the pending set kept; the alternate stack gone). The program execs
 * itself (./init) with the argument "after". */
#include "contract.h"
#include <signal.h>

struct ksa {
	unsigned long handler, flags, restorer;
	uint64_t mask;
};
#define BIT(s) (1ull << ((s)-1))

static void handler(int sig)
{
	(void)sig;
}

static struct ksa action(int sig)
{
	struct ksa o;
	memset(&o, 0x5a, sizeof(o));
	if (syscall(SYS_rt_sigaction, sig, NULL, &o, 8) != 0)
		contract_fail(__LINE__, "rt_sigaction %d: %s", sig, errno_name(errno));
	return o;
}

static void after(void)
{
	uint64_t m = 0, p = 0;
	stack_t ss;

	printf("after exec\n");
	struct ksa a = action(SIGUSR1);
	TRUE(a.handler == 0 && a.flags == 0 && a.restorer == 0 && a.mask == 0);
	a = action(SIGUSR2);
	TRUE(a.handler == 1 && a.flags == 0 && a.restorer == 0 && a.mask == 0);
	a = action(SIGINT);
	TRUE(a.handler == 0);
	a = action(40);
	TRUE(a.handler == 1);
	VAL(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8), 0);
	TRUE(m == (BIT(SIGHUP) | BIT(SIGTERM) | BIT(50)));
	VAL(syscall(SYS_rt_sigpending, &p, 8), 0);
	TRUE(p == (BIT(SIGHUP) | BIT(50)));
	VAL(sigaltstack(NULL, &ss), 0);
	TRUE(ss.ss_size == 0 && (ss.ss_flags & SS_DISABLE));
	/* Ignoring the pending ones discards them. */
	TRUE(signal(SIGHUP, SIG_IGN) == SIG_DFL);
	TRUE(signal(50, SIG_IGN) == SIG_DFL);
	VAL(syscall(SYS_rt_sigpending, &p, 8), 0);
	TRUE(p == 0);
}

int main(int argc, char **argv)
{
	static char alt[8192];
	contract_begin("signal_exec");
	if (argc == 2 && strcmp(argv[1], "after") == 0) {
		after();
		return contract_end();
	}

	struct ksa a = { (unsigned long)handler, SA_RESTART | 0x04000000, 0x1000, BIT(SIGINT) };
	VAL(syscall(SYS_rt_sigaction, SIGUSR1, &a, NULL, 8), 0);
	a = (struct ksa){ 1, SA_RESTART, 0, BIT(SIGQUIT) };
	VAL(syscall(SYS_rt_sigaction, SIGUSR2, &a, NULL, 8), 0);
	VAL(syscall(SYS_rt_sigaction, 40, &a, NULL, 8), 0);
	a = (struct ksa){ (unsigned long)handler, 0, 0, 0 };
	VAL(syscall(SYS_rt_sigaction, SIGINT, &a, NULL, 8), 0);
	uint64_t m = BIT(SIGHUP) | BIT(SIGTERM) | BIT(50);
	VAL(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &m, NULL, 8), 0);
	VAL(kill(getpid(), SIGHUP), 0);
	VAL(kill(getpid(), 50), 0);
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt) };
	VAL(sigaltstack(&ss, NULL), 0);

	char *args[] = { "./init", "after", NULL };
	char *env[] = { NULL };
	printf("exec\n");
	execve("./init", args, env);
	contract_fail(__LINE__, "execve: %s", errno_name(errno));
	return contract_end();
}
