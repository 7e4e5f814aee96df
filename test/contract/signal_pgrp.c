/* Signals to a process group: children A and B in a new group (A's
 * pid; each side calls setpgid, so neither order matters), child C left
 * in ours. kill(-pgid, SIGTERM) kills A and B; C, which has a SIGTERM
 * handler that would note it, gets nothing and exits 0 when told. Then
 * killpg the same; waitpid(-pgid) waits for the group's members only;
 * ESRCH for a group with no one in it; getpgid of each child. Each child
 * says it is ready (in its group) through a pipe first. */
#include "contract.h"

static volatile int got_term;

static void term(int sig)
{
	got_term = 1;
}

/* A child in group `pgid` (0: its own new group; -1: ours) that blocks
 * reading `hold` until killed or told, then exits with got_term. */
static pid_t member(pid_t pgid, int ready, int hold, int handle)
{
	pid_t pid = fork();
	if (pid == 0) {
		char c = 'r';
		if (pgid >= 0 && setpgid(0, pgid) != 0)
			_exit(100);
		if (handle)
			signal(SIGTERM, term);
		if (write(ready, &c, 1) != 1)
			_exit(101);
		if (read(hold, &c, 1) != 1)
			_exit(102);
		_exit(got_term ? 10 : 0);
	}
	if (pid < 0)
		contract_fail(__LINE__, "fork: %s", errno_name(errno));
	if (pgid >= 0)
		setpgid(pid, pgid ? pgid : pid); /* EACCES if it already exec'd: no */
	return pid;
}

static void round_(const char *how, int use_killpg, int ready[2], int hold[2])
{
	char c;
	printf("%s\n", how);
	pid_t a = member(0, ready[1], hold[0], 0);
	pid_t b = member(a, ready[1], hold[0], 0);
	pid_t other = member(-1, ready[1], hold[0], 1);
	for (int i = 0; i < 3; i++)
		if (read(ready[0], &c, 1) != 1)
			contract_fail(__LINE__, "ready: %s", errno_name(errno));
	TRUE(getpgid(a) == a && getpgid(b) == a);
	TRUE(getpgid(other) == getpgrp());
	if (use_killpg)
		VAL(killpg(a, SIGTERM), 0);
	else
		VAL(kill(-a, SIGTERM), 0);
	int st = 0, n = 0;
	pid_t w;
	while ((w = waitpid(-a, &st, 0)) > 0) {
		n++;
		printf("a member of the group: %s\n", status_str(st));
		if (st != SIGTERM || (w != a && w != b))
			contract_fail(__LINE__, "member");
	}
	printf("waitpid(-pgid) = -1 %s\n", errno_name(errno));
	VAL(n, 2);
	ERR(kill(-a, SIGTERM), ESRCH); /* no one left in it */
	VAL(write(hold[1], "x", 1), 1);
	WAIT(other, 0, 0x0000); /* exits 0: no SIGTERM */
}

int main(void)
{
	int ready[2], hold[2];
	contract_begin("signal_pgrp");
	VAL(pipe(ready), 0);
	VAL(pipe(hold), 0);
	round_("kill(-pgid, SIGTERM)", 0, ready, hold);
	round_("killpg(pgid, SIGTERM)", 1, ready, hold);
	ERR(killpg(0x3ffffff0, SIGTERM), ESRCH);
	ERR(kill(-0x3ffffff0, 0), ESRCH);
	ERR(killpg(-1, SIGTERM), EINVAL);
	return contract_end();
}
