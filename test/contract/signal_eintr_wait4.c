/* A signal interrupts wait4 (the child itself sends it): the child
 * sleeps 200 ms (the parent is then blocked in wait4), sends SIGUSR1 to
 * its parent, and exits 5 once it reads the byte the parent's handler
 * writes. Without SA_RESTART wait4 returns -1 EINTR and a second wait4
 * gets the exit; with SA_RESTART the one wait4 returns the child. waitid
 * the same. A SIGCHLD handler without SA_RESTART does not make wait4
 * fail: the child it announces is there to be returned. */
#include "contract.h"
#include <sys/resource.h>
#include <time.h>

static int pfd[2];
static volatile int count, chld;

static void handler(int sig)
{
	if (sig == SIGCHLD) {
		chld++;
		return;
	}
	count++;
	if (write(pfd[1], "h", 1) != 1)
		count += 100;
}

static void set(int sig, int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) != 0)
		contract_fail(__LINE__, "sigaction: %s", errno_name(errno));
}

static pid_t child(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct timespec ts = { 0, 200 * 1000 * 1000 };
		char c;
		nanosleep(&ts, NULL);
		kill(getppid(), SIGUSR1);
		_exit(read(pfd[0], &c, 1) == 1 ? 5 : 6);
	}
	if (pid < 0)
		contract_fail(__LINE__, "fork: %s", errno_name(errno));
	return pid;
}

int main(void)
{
	int st;
	siginfo_t si;
	struct rusage ru;
	contract_begin("signal_eintr_wait4");
	VAL(pipe(pfd), 0);

	set(SIGUSR1, 0);
	count = 0;
	pid_t pid = child();
	ERR(wait4(pid, &st, 0, &ru), EINTR);
	VAL(count, 1);
	VAL(wait4(pid, &st, 0, &ru) == pid, 1);
	printf("then: %s\n", status_str(st));
	VAL(st, 0x0500);
	pid = child();
	ERR(waitid(P_PID, pid, &si, WEXITED), EINTR);
	VAL(count, 2);
	VAL(waitid(P_PID, pid, &si, WEXITED), 0);
	TRUE(si.si_pid == pid && si.si_code == CLD_EXITED && si.si_status == 5);

	set(SIGUSR1, SA_RESTART);
	count = 0;
	pid = child();
	VAL(wait4(pid, &st, 0, &ru) == pid, 1);
	printf("with SA_RESTART: %s\n", status_str(st));
	VAL(st, 0x0500);
	VAL(count, 1);
	pid = child();
	VAL(waitid(P_PID, pid, &si, WEXITED), 0);
	TRUE(si.si_pid == pid && si.si_code == CLD_EXITED && si.si_status == 5);
	VAL(count, 2);

	/* SIGCHLD's own handler, no SA_RESTART: wait4 returns the child. */
	set(SIGCHLD, 0);
	set(SIGUSR1, SA_RESTART);
	pid = child();
	VAL(wait4(pid, &st, 0, NULL) == pid, 1);
	VAL(st, 0x0500);
	VAL(chld, 1);
	return contract_end();
}
