/* Linux's wait status words and the wait calls: exit codes 0, 1, 255
 * (and 256, which is 0), death by SIGTERM and SIGKILL, a stopped child
 * (SIGSTOP, seen with WUNTRACED only) and its continuation (SIGCONT,
 * WCONTINUED), each reported once; waitid's siginfo for each (CLD_*,
 * si_status, si_pid, si_uid), WNOWAIT, WNOHANG with a running child and
 * with none ready, ECHILD and EINVAL. Pipes order everything: a child
 * that must be alive blocks reading one. */
#include "contract.h"

static const char *cld_name(int code)
{
	switch (code) {
	case CLD_EXITED:
		return "CLD_EXITED";
	case CLD_KILLED:
		return "CLD_KILLED";
	case CLD_DUMPED:
		return "CLD_DUMPED";
	case CLD_STOPPED:
		return "CLD_STOPPED";
	case CLD_CONTINUED:
		return "CLD_CONTINUED";
	case 0:
		return "0";
	}
	return "?";
}

/* A child that exits with `code` at once. */
static pid_t exiting(int code)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(code);
	if (pid < 0)
		contract_fail(__LINE__, "fork: %s", errno_name(errno));
	return pid;
}

/* A child that blocks reading `fd` until a byte comes, then exits 3
 * (or with 4 at end of file). */
static pid_t blocked(int fd_read, int fd_write)
{
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(fd_write);
		_exit(read(fd_read, &c, 1) == 1 ? 3 : 4);
	}
	if (pid < 0)
		contract_fail(__LINE__, "fork: %s", errno_name(errno));
	return pid;
}

static void show(const char *what, const siginfo_t *si, pid_t pid)
{
	printf("%s: si_signo %s si_code %s si_status %d (%s) si_pid %s si_uid %s\n", what,
	       sig_name(si->si_signo), cld_name(si->si_code), si->si_status,
	       si->si_code == CLD_EXITED ? "code" : sig_name(si->si_status),
	       si->si_pid == pid ? "= the child" : "wrong",
	       si->si_uid == getuid() ? "= ours" : "wrong");
	if (si->si_pid != pid || si->si_uid != getuid())
		contract_fail(__LINE__, "%s: si_pid/si_uid", what);
}

int main(void)
{
	int st, p[2];
	pid_t pid;
	siginfo_t si;
	contract_begin("wait_status");

	pid = exiting(0);
	WAIT(pid, 0, 0x0000);
	pid = exiting(1);
	WAIT(pid, 0, 0x0100);
	pid = exiting(255);
	WAIT(pid, 0, 0xff00);
	pid = exiting(256);
	WAIT(pid, 0, 0x0000);
	pid = exiting(42);
	st = 0;
	VAL(wait(&st) == pid, 1);
	VAL(WIFEXITED(st) && WEXITSTATUS(st) == 42, 1);

	/* Killed while blocked (SIGTERM, SIGKILL: default actions). */
	VAL(pipe(p), 0);
	pid = blocked(p[0], p[1]);
	VAL(waitpid(pid, &st, WNOHANG), 0); /* alive */
	VAL(kill(pid, SIGTERM), 0);
	WAIT(pid, 0, SIGTERM);
	pid = blocked(p[0], p[1]);
	VAL(kill(pid, SIGKILL), 0);
	WAIT(pid, 0, SIGKILL);

	/* Stopped and continued, each reported once and only when asked. */
	pid = blocked(p[0], p[1]);
	VAL(kill(pid, SIGSTOP), 0);
	WAIT(pid, WUNTRACED, 0x137f);
	VAL(waitpid(pid, &st, WNOHANG | WUNTRACED), 0);
	VAL(waitpid(pid, &st, WNOHANG | WCONTINUED), 0);
	VAL(kill(pid, SIGCONT), 0);
	WAIT(pid, WCONTINUED, 0xffff);
	VAL(waitpid(pid, &st, WNOHANG | WCONTINUED | WUNTRACED), 0);
	VAL(kill(pid, SIGSTOP), 0);
	WAIT(pid, WUNTRACED, 0x137f);
	VAL(kill(pid, SIGCONT), 0);
	/* Without WCONTINUED the continuation is not reported: the child
	 * exits 3 once it reads its byte, and that is the next report. */
	VAL(write(p[1], "x", 1), 1);
	WAIT(pid, WUNTRACED, 0x0300);
	/* A stopped child killed by SIGKILL. */
	pid = blocked(p[0], p[1]);
	VAL(kill(pid, SIGSTOP), 0);
	WAIT(pid, WUNTRACED, 0x137f);
	VAL(kill(pid, SIGKILL), 0);
	WAIT(pid, 0, SIGKILL);
	/* SIGTERM to a stopped child, then SIGCONT: killed by SIGTERM. */
	pid = blocked(p[0], p[1]);
	VAL(kill(pid, SIGSTOP), 0);
	WAIT(pid, WUNTRACED, 0x137f);
	VAL(kill(pid, SIGTERM), 0);
	VAL(kill(pid, SIGCONT), 0);
	WAIT(pid, 0, SIGTERM);

	/* waitid's siginfo. */
	pid = exiting(5);
	memset(&si, 0x5a, sizeof(si));
	VAL(waitid(P_PID, pid, &si, WEXITED | WNOWAIT), 0);
	show("waitid WNOWAIT", &si, pid);
	memset(&si, 0x5a, sizeof(si));
	VAL(waitid(P_ALL, 0, &si, WEXITED), 0); /* still there: reaped now */
	show("waitid", &si, pid);
	pid = blocked(p[0], p[1]);
	VAL(kill(pid, SIGSTOP), 0);
	memset(&si, 0x5a, sizeof(si));
	VAL(waitid(P_PID, pid, &si, WSTOPPED), 0);
	show("waitid WSTOPPED", &si, pid);
	VAL(kill(pid, SIGCONT), 0);
	memset(&si, 0x5a, sizeof(si));
	VAL(waitid(P_PID, pid, &si, WCONTINUED), 0);
	show("waitid WCONTINUED", &si, pid);
	memset(&si, 0x5a, sizeof(si));
	VAL(waitid(P_PID, pid, &si, WEXITED | WNOHANG), 0);
	TRUE(si.si_signo == 0 && si.si_pid == 0); /* nothing to report: zeroed */
	VAL(kill(pid, SIGTERM), 0);
	memset(&si, 0x5a, sizeof(si));
	VAL(waitid(P_PID, pid, &si, WEXITED), 0);
	show("waitid", &si, pid);
	ERR(waitid(P_PID, pid, &si, WEXITED), ECHILD);
	ERR(waitid(P_ALL, 0, &si, 0), EINVAL);
	ERR(waitid(7, 0, &si, WEXITED), EINVAL);

	/* No children. */
	ERR(waitpid(-1, &st, 0), ECHILD);
	ERR(waitpid(-1, &st, WNOHANG), ECHILD);
	ERR(wait(&st), ECHILD);
	ERR(waitpid(getpid(), &st, 0), ECHILD);
	ERR(waitpid(-1, &st, 0x1000), EINVAL);
	/* A NULL status is allowed. */
	pid = exiting(9);
	VAL(waitpid(pid, NULL, 0) == pid, 1);
	VAL(close(p[0]), 0);
	VAL(close(p[1]), 0);
	return contract_end();
}
