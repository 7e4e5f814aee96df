/* vfork: the child shares the parent's memory and the parent is
 * suspended until the child execs or _exits (Linux: CLONE_VM |
 * CLONE_VFORK). The child's writes are seen by the parent, including one
 * made after a 100 ms sleep just before _exit, which the parent can only
 * see if it waited; its _exit code; an exec'd child (this program again,
 * with the argument "child") that prints and exits 9; a failed exec.
 * The parent prints nothing until its child is gone or exec'd. */
#include "contract.h"
#include <time.h>

static volatile int shared_word;
static volatile pid_t child_pid_seen;

int main(int argc, char **argv)
{
	int st;
	contract_begin("vfork_exec");
	if (argc == 2 && strcmp(argv[1], "child") == 0) {
		printf("the exec'd child runs\n");
		fflush(stdout);
		_exit(9);
	}

	shared_word = 1;
	pid_t pid = vfork();
	if (pid == 0) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		child_pid_seen = getpid();
		shared_word = 2;
		nanosleep(&ts, NULL);
		shared_word = 3;
		_exit(7);
	}
	int seen = shared_word;
	VAL(pid > 0, 1);
	VAL(seen, 3);
	TRUE(child_pid_seen == pid);
	TRUE(child_pid_seen != getpid());
	WAIT(pid, 0, 0x0700);

	/* exec: the parent resumes once the child has exec'd. */
	shared_word = 1;
	pid = vfork();
	if (pid == 0) {
		static char *args[] = { "./init", "child", NULL };
		static char *env[] = { NULL };
		shared_word = 4;
		execve("./init", args, env);
		_exit(127);
	}
	seen = shared_word;
	WAIT(pid, 0, 0x0900);
	VAL(seen, 4);

	/* A failed exec: the child _exits with the errno. */
	shared_word = 1;
	pid = vfork();
	if (pid == 0) {
		static char *args[] = { "./no-such-program", NULL };
		static char *env[] = { NULL };
		execve(args[0], args, env);
		shared_word = 5;
		_exit(errno);
	}
	seen = shared_word;
	st = WAIT(pid, 0, ENOENT << 8);
	printf("the child's errno: %s\n", errno_name(WEXITSTATUS(st)));
	VAL(seen, 5);
	ERR(waitpid(-1, &st, WNOHANG), ECHILD);
	return contract_end();
}
