/* A vfork child has nothing pending (Linux's copy_process:
 * init_sigpending, and a signal struct of its own without CLONE_THREAD):
 * what the parent has pending stays the parent's when the child execs,
 * and the exec'd image starts with nothing pending but the mask it was
 * given. (libposix runs a vfork child in the parent's memory, where the
 * process's pending set lives: its exec took the parent's signals.) The
 * program execs itself (./init) with the argument "after". */
#include "contract.h"
#include <signal.h>

#define BIT(s) (1ull << ((s)-1))

static volatile int got_usr1, got_40, value_40;

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (sig == SIGUSR1)
		got_usr1++;
	if (sig == 40) {
		got_40++;
		value_40 = si->si_value.sival_int;
	}
}

int main(int argc, char **argv)
{
	uint64_t m, p = 0;
	int st = -1;

	if (argc == 2 && strcmp(argv[1], "after") == 0) {
		/* The exec'd child: its exit status says what it saw. */
		if (syscall(SYS_rt_sigpending, &p, 8) != 0 || p != 0)
			_exit(1);
		if (syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8) != 0 ||
		    m != (BIT(SIGUSR1) | BIT(40)))
			_exit(2);
		_exit(0);
	}
	contract_begin("signal_vfork_pending");
	struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
	VAL(sigaction(SIGUSR1, &sa, NULL), 0);
	VAL(sigaction(40, &sa, NULL), 0);
	m = BIT(SIGUSR1) | BIT(40);
	VAL(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &m, NULL, 8), 0);
	VAL(kill(getpid(), SIGUSR1), 0);
	VAL(sigqueue(getpid(), 40, (union sigval){ .sival_int = 77 }), 0);

	char *args[] = { "./init", "after", NULL };
	char *env[] = { NULL };
	pid_t child = vfork();
	if (child == 0) {
		execve("./init", args, env);
		_exit(127);
	}
	TRUE(child > 0);
	TRUE(waitpid(child, &st, 0) == child);
	TRUE(WIFEXITED(st));
	VAL(WEXITSTATUS(st), 0);

	/* The parent's are still pending, 40 with its value. */
	VAL(syscall(SYS_rt_sigpending, &p, 8), 0);
	TRUE(p == (BIT(SIGUSR1) | BIT(40)));
	m = 0;
	VAL(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &m, NULL, 8), 0);
	VAL(got_usr1, 1);
	VAL(got_40, 1);
	VAL(value_40, 77);

	/* And a vfork child that exits without exec takes nothing either. */
	m = BIT(SIGUSR1);
	VAL(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &m, NULL, 8), 0);
	VAL(kill(getpid(), SIGUSR1), 0);
	child = vfork();
	if (child == 0)
		_exit(0);
	TRUE(waitpid(child, &st, 0) == child);
	VAL(syscall(SYS_rt_sigpending, &p, 8), 0);
	TRUE(p == BIT(SIGUSR1));
	m = 0;
	VAL(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &m, NULL, 8), 0);
	VAL(got_usr1, 2);
	return contract_end();
}
