/* SIGCHLD: a child's exit sends it to the parent with si_code CLD_EXITED,
 * si_status the exit code, si_pid the child (taken here by sigtimedwait
 * with SIGCHLD blocked); death by a signal CLD_KILLED; a stop CLD_STOPPED
 * and a continuation CLD_CONTINUED, unless the action has SA_NOCLDSTOP;
 * with SIGCHLD ignored (SIG_IGN, or SA_NOCLDWAIT) children are reaped by
 * the system and wait ends with ECHILD once they are gone. */
#include "contract.h"

static const char *cld(int c)
{
	return c == CLD_EXITED	    ? "CLD_EXITED"
	       : c == CLD_KILLED    ? "CLD_KILLED"
	       : c == CLD_STOPPED   ? "CLD_STOPPED"
	       : c == CLD_CONTINUED ? "CLD_CONTINUED"
				    : "?";
}

static sigset_t chld;

/* The next SIGCHLD (waits up to 5 s), printed. */
static int next(const char *what, pid_t pid, int code, int status)
{
	siginfo_t si;
	struct timespec ts = { 5, 0 };
	memset(&si, 0, sizeof(si));
	int r = sigtimedwait(&chld, &si, &ts);
	printf("%s: %s si_code %s si_status %d si_pid %s\n", what,
	       r == SIGCHLD ? "SIGCHLD" : errno_name(errno), cld(si.si_code), si.si_status,
	       si.si_pid == pid ? "= the child" : "wrong");
	if (r != SIGCHLD || si.si_code != code || si.si_status != status || si.si_pid != pid)
		contract_fail(__LINE__, "%s", what);
	return r;
}

static int none(void)
{
	siginfo_t si;
	struct timespec ts = { 0, 0 };
	return sigtimedwait(&chld, &si, &ts) == -1 && errno == EAGAIN;
}

int main(void)
{
	int p[2], st;
	char c;
	struct sigaction sa;
	contract_begin("signal_sigchld");
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	VAL(sigprocmask(SIG_BLOCK, &chld, NULL), 0);
	VAL(pipe(p), 0);

	pid_t pid = fork();
	if (pid == 0)
		_exit(7);
	next("exit(7)", pid, CLD_EXITED, 7);
	WAIT(pid, 0, 0x0700);

	pid = fork();
	if (pid == 0) {
		if (read(p[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	VAL(kill(pid, SIGSTOP), 0);
	next("SIGSTOP", pid, CLD_STOPPED, SIGSTOP);
	VAL(kill(pid, SIGCONT), 0);
	next("SIGCONT", pid, CLD_CONTINUED, SIGCONT);
	VAL(kill(pid, SIGKILL), 0);
	next("SIGKILL", pid, CLD_KILLED, SIGKILL);
	WAIT(pid, 0, SIGKILL);

	/* SA_NOCLDSTOP: no SIGCHLD for the stop and the continuation. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = SA_NOCLDSTOP;
	VAL(sigaction(SIGCHLD, &sa, NULL), 0);
	pid = fork();
	if (pid == 0) {
		if (read(p[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	VAL(kill(pid, SIGSTOP), 0);
	WAIT(pid, WUNTRACED, 0x137f);
	VAL(kill(pid, SIGCONT), 0);
	WAIT(pid, WCONTINUED, 0xffff);
	TRUE(none());
	VAL(write(p[1], "x", 1), 1);
	next("exit(0)", pid, CLD_EXITED, 0);
	WAIT(pid, 0, 0);

	/* Ignored: reaped by the system; wait blocks until then, ECHILD. */
	VAL(sigprocmask(SIG_UNBLOCK, &chld, NULL), 0);
	TRUE(signal(SIGCHLD, SIG_IGN) != SIG_ERR);
	pid = fork();
	if (pid == 0)
		_exit(3);
	ERR(waitpid(pid, &st, 0), ECHILD);
	ERR(waitpid(pid, &st, WNOHANG), ECHILD);
	TRUE(signal(SIGCHLD, SIG_DFL) == SIG_IGN);
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = SA_NOCLDWAIT;
	VAL(sigaction(SIGCHLD, &sa, NULL), 0);
	pid = fork();
	if (pid == 0)
		_exit(4);
	ERR(waitpid(-1, &st, 0), ECHILD);
	sa.sa_flags = 0;
	VAL(sigaction(SIGCHLD, &sa, NULL), 0);
	VAL(close(p[0]), 0);
	VAL(close(p[1]), 0);
	return contract_end();
}
