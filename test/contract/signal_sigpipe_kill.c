/* SIGPIPE's actions (a child each, since the default action is death
 * and this program may be pid 1, which Linux never kills that way): by
 * default a write to a pipe with no reader kills the writer (status
 * SIGPIPE, no core); ignored, the write fails with EPIPE; with a handler,
 * it runs first (si_code SI_USER, si_pid the writer itself, as Linux's
 * pipe_write sends it) and then the write returns -1 EPIPE. */
#include "contract.h"

static volatile int count, code, pid_ok;

static void handler(int sig, siginfo_t *si, void *ctx)
{
	count++;
	code = si->si_code;
	pid_ok = si->si_pid == getpid();
}

int main(void)
{
	int p[2];
	contract_begin("signal_sigpipe_kill");

	VAL(pipe(p), 0);
	VAL(close(p[0]), 0);
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		if (write(p[1], "x", 1) < 0)
			_exit(errno);
		_exit(0);
	}
	WAIT(pid, 0, SIGPIPE);

	pid = fork();
	if (pid == 0) {
		signal(SIGPIPE, SIG_IGN);
		ERR(write(p[1], "x", 1), EPIPE);
		child_end();
	}
	WAIT(pid, 0, 0);

	pid = fork();
	if (pid == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = handler;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGPIPE, &sa, NULL);
		ERR(write(p[1], "x", 1), EPIPE);
		VAL(count, 1);
		TRUE(code == SI_USER && pid_ok);
		child_end();
	}
	WAIT(pid, 0, 0);

	/* A blocked SIGPIPE in the writer: EPIPE, then death when it is
	 * unblocked. */
	pid = fork();
	if (pid == 0) {
		sigset_t s;
		signal(SIGPIPE, SIG_DFL);
		sigemptyset(&s);
		sigaddset(&s, SIGPIPE);
		sigprocmask(SIG_BLOCK, &s, NULL);
		ERR(write(p[1], "x", 1), EPIPE);
		fflush(stdout);
		sigprocmask(SIG_UNBLOCK, &s, NULL);
		_exit(99);
	}
	WAIT(pid, 0, SIGPIPE);
	VAL(close(p[1]), 0);
	return contract_end();
}
