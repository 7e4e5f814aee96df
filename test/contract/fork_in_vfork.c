/* fork from a vfork child before it execs (BusyBox's timeout: vfork, then
 * the child daemonizes with fork): the grandchild gets a copy of the
 * memory the vfork child runs in, the parent's. */
#include "contract.h"

static volatile int shared_value = 1;

int main(void)
{
	int p[2], st;
	char c = 0;
	contract_begin("fork_in_vfork");

	VAL(pipe(p), 0);
	pid_t child = vfork();
	if (child == 0) {
		shared_value = 2; /* the parent's memory */
		pid_t g = fork();
		if (g < 0)
			_exit(10 + errno);
		if (g == 0) {
			/* The copy has what the vfork child wrote. */
			char v = (char)('0' + shared_value);
			write(p[1], &v, 1);
			_exit(0);
		}
		_exit(waitpid(g, &st, 0) == g && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 3);
	}
	TRUE(child > 0);
	TRUE(waitpid(child, &st, 0) == child);
	TRUE(WIFEXITED(st));
	VAL(WEXITSTATUS(st), 0);
	VAL(shared_value, 2);
	VAL(close(p[1]), 0);
	VAL(read(p[0], &c, 1), 1);
	VAL(c, '2');
	VAL(close(p[0]), 0);
	return contract_end();
}
