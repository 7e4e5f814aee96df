/* A signal sent while its target is in execve is not lost: each child
 * tells the parent it is about to exec (a byte on a pipe) and execs
 * itself into a pause(); the parent sends SIGTERM after a delay that
 * grows by 50 us a round, so that it reaches the child before, during
 * and after the exec. Every child must die of
 * it (with the signal lost the new image would pause until the alarm).
 * On tern the wake-up proc posts to the new thread before libposix has
 * set its personality must wait in the kernel and reach libposix's
 * upcall handler (docs/personality.md, "Signal delivery"). */
#include "contract.h"
#include <signal.h>
#include <sys/wait.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>

#define ROUNDS 40

static void on_alarm(int sig)
{
	(void)sig;
	printf("a SIGTERM was lost (alarm)\n");
	kill(0, SIGKILL);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "pause") == 0) {
		for (;;)
			pause();
	}
	contract_begin("exec_signal_race");
	if (access("/proc/self/exe", F_OK) != 0) { /* tern's guest: /proc is not mounted */
		mkdir("/proc", 0555);
		mount("proc", "/proc", "proc", 0, NULL);
	}
	setpgid(0, 0);
	signal(SIGALRM, on_alarm);
	alarm(10);
	int killed = 0;
	for (int i = 0; i < ROUNDS; i++) {
		int p[2];
		char c;
		if (pipe(p))
			return 1;
		pid_t pid = fork();
		if (pid == 0) {
			close(p[0]);
			write(p[1], "x", 1);
			char *args[] = { "exec_signal_race", "pause", NULL };
			execv("/proc/self/exe", args);
			printf("execv: %s\n", strerror(errno));
			fflush(stdout);
			_exit(99);
		}
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			return 1;
		struct timespec d = { 0, 50000L * i };
		nanosleep(&d, NULL);
		kill(pid, SIGTERM);
		int st = 0;
		if (waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM)
			killed++;
		else
			printf("round %d: status %#x\n", i, st);
		close(p[0]);
	}
	alarm(0);
	VAL(killed, ROUNDS);
	return contract_end();
}
