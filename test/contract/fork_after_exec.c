/* fork keeps working after children have exec'd: the parent's own image
 * (its text, which came from the file system) must stay whole whatever
 * its children exec. Three rounds of a fork whose child execs this
 * program again ("child": exits 5), each followed by a plain fork whose
 * child exits 6, then the parent touches its text and data again. */
#include "contract.h"

static int counter = 40;

int main(int argc, char **argv)
{
	contract_begin("fork_after_exec");
	if (argc == 2 && strcmp(argv[1], "child") == 0)
		_exit(5);
	for (int round = 0; round < 3; round++) {
		pid_t pid = fork();
		if (pid == 0) {
			static char *args[] = { "./init", "child", NULL };
			static char *env[] = { NULL };
			execve("./init", args, env);
			_exit(127);
		}
		VAL(pid > 0, 1);
		WAIT(pid, 0, 0x0500);
		pid = fork();
		if (pid == 0)
			_exit(6);
		VAL(pid > 0, 1);
		WAIT(pid, 0, 0x0600);
		counter++;
	}
	VAL(counter, 43);
	return contract_end();
}
