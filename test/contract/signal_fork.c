/* The signal state across fork and then exec: the child inherits the
 * blocked mask, the handlers (a handler runs in the child), SIG_IGN and
 * the alternate stack, but not the pending signals (its pending set is
 * empty while the parent's still holds SIGUSR1 and a real-time one);
 * the child then makes its own pending (SIGUSR2, signal 40) and execs
 * this program with "after": there the mask and the pending set are
 * kept, the handlers reset to SIG_DFL and SIG_IGN kept (signal_exec has
 * the rest of exec's side). */
#include "contract.h"

#define BIT(s) (1ull << ((s)-1))

static volatile int count;
static char alt[16384];

static void handler(int sig)
{
	count++;
}

static uint64_t mask(void)
{
	uint64_t m = 0;
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8);
	return m;
}

static uint64_t pending(void)
{
	uint64_t p = 0;
	syscall(SYS_rt_sigpending, &p, 8);
	return p;
}

static void after(void)
{
	struct sigaction sa;
	printf("after exec\n");
	TRUE(mask() == (BIT(SIGUSR1) | BIT(SIGUSR2) | BIT(40)));
	TRUE(pending() == (BIT(SIGUSR2) | BIT(40)));
	VAL(sigaction(SIGUSR1, NULL, &sa), 0);
	TRUE(sa.sa_handler == SIG_DFL);
	VAL(sigaction(SIGINT, NULL, &sa), 0);
	TRUE(sa.sa_handler == SIG_IGN);
	VAL(sigaction(SIGHUP, NULL, &sa), 0);
	TRUE(sa.sa_handler == SIG_DFL);
	/* Taken here by sigtimedwait: they did survive. */
	sigset_t s;
	siginfo_t si;
	struct timespec ts = { 0, 0 };
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	sigaddset(&s, 40);
	VAL(sigtimedwait(&s, &si, &ts), SIGUSR2);
	VAL(sigtimedwait(&s, &si, &ts), 40);
	TRUE(si.si_code == SI_QUEUE && si.si_value.sival_int == 40);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	stack_t ss;
	contract_begin("signal_fork");
	if (argc == 3 && strcmp(argv[1], "after") == 0) {
		contract_failures = atoi(argv[2]); /* the child's before exec */
		after();
		return contract_end();
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	VAL(sigaction(SIGUSR1, &sa, NULL), 0);
	VAL(sigaction(SIGHUP, &sa, NULL), 0);
	TRUE(signal(SIGINT, SIG_IGN) != SIG_ERR);
	ss = (stack_t){ .ss_sp = alt, .ss_size = sizeof(alt) };
	VAL(sigaltstack(&ss, NULL), 0);
	uint64_t m = BIT(SIGUSR1) | BIT(SIGUSR2) | BIT(40);
	VAL(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &m, NULL, 8), 0);
	VAL(kill(getpid(), SIGUSR1), 0);
	union sigval v = { .sival_int = 1 };
	VAL(sigqueue(getpid(), 40, v), 0);
	TRUE(pending() == (BIT(SIGUSR1) | BIT(40)));

	pid_t pid = fork();
	if (pid == 0) {
		printf("child\n");
		TRUE(mask() == m);
		TRUE(pending() == 0);
		VAL(sigaction(SIGINT, NULL, &sa), 0);
		TRUE(sa.sa_handler == SIG_IGN);
		VAL(sigaltstack(NULL, &ss), 0);
		TRUE(ss.ss_sp == alt && ss.ss_size == sizeof(alt) && ss.ss_flags == 0);
		count = 0;
		VAL(kill(getpid(), SIGHUP), 0); /* the inherited handler */
		VAL(count, 1);
		VAL(kill(getpid(), SIGUSR2), 0);
		v.sival_int = 40;
		VAL(sigqueue(getpid(), 40, v), 0);
		TRUE(pending() == (BIT(SIGUSR2) | BIT(40)));
		char failures[16];
		snprintf(failures, sizeof(failures), "%d", contract_failures);
		char *args[] = { "./init", "after", failures, NULL };
		char *env[] = { NULL };
		execve("./init", args, env);
		contract_fail(__LINE__, "execve: %s", errno_name(errno));
		child_end();
	}
	if (pid < 0) {
		contract_fail(__LINE__, "fork: %s", errno_name(errno));
		return contract_end();
	}
	WAIT(pid, 0, 0);
	printf("parent\n");
	TRUE(pending() == (BIT(SIGUSR1) | BIT(40))); /* still ours */
	sigset_t s;
	siginfo_t si;
	struct timespec ts = { 0, 0 };
	sigemptyset(&s);
	sigaddset(&s, 40);
	VAL(sigtimedwait(&s, &si, &ts), 40); /* its default action is death */
	TRUE(si.si_value.sival_int == 1);
	count = 0;
	m = 0;
	VAL(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &m, NULL, 8), 0);
	VAL(count, 1); /* SIGUSR1, pending all along */
	return contract_end();
}
