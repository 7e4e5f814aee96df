/*
 * The profiler's test program (test/profiler/CMakeLists.txt): a static
 * musl /init that makes a known number of each call, so that
 * check_prof.py can match the PROF lines against it: 1000 getppid, 200
 * reads of /dev/zero, 300 writes to /dev/null, 50 one-byte pipe round
 * trips (a write and a read each), one fork whose child makes 7 getppid
 * and execs /init again, which makes 3 getppid and exits, the parent's
 * wait4; a second child whose SIGSEGV handler exits 42. Then /init exits 0 (proc ends the
 * machine, and the servers print their phases).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define N_GETPPID 1000
#define N_READ 200
#define N_WRITE 300
#define N_PIPE 50
#define N_CHILD_GETPPID 7
#define N_EXEC_GETPPID 3

static void segv(int sig)
{
	(void)sig;
	syscall(SYS_exit_group, 42);
}

static int fail(const char *what)
{
	printf("prof_calls: FAIL %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	char buf[64] = { 0 };

	if (argc > 1) { /* the fork child, exec'ed */
		for (int i = 0; i < N_EXEC_GETPPID; i++)
			syscall(SYS_getppid);
		syscall(SYS_exit_group, 0);
	}
	int zero = open("/dev/zero", O_RDONLY);
	int null = open("/dev/null", O_WRONLY);
	int p[2];

	if (zero < 0 || null < 0 || pipe(p) != 0)
		return fail("setup");
	for (int i = 0; i < N_GETPPID; i++)
		syscall(SYS_getppid);
	for (int i = 0; i < N_READ; i++)
		if (syscall(SYS_read, zero, buf, sizeof(buf)) != (long)sizeof(buf))
			return fail("read");
	for (int i = 0; i < N_WRITE; i++)
		if (syscall(SYS_write, null, buf, sizeof(buf)) != (long)sizeof(buf))
			return fail("write");
	for (int i = 0; i < N_PIPE; i++)
		if (syscall(SYS_write, p[1], buf, 1) != 1 || syscall(SYS_read, p[0], buf, 1) != 1)
			return fail("pipe");
	pid_t pid = (pid_t)syscall(SYS_fork);
	if (pid == 0) {
		char *argv[] = { "init", "child", 0 }, *envp[] = { 0 };
		for (int i = 0; i < N_CHILD_GETPPID; i++)
			syscall(SYS_getppid);
		syscall(SYS_execve, "/init", argv, envp);
		syscall(SYS_exit_group, 3);
	}
	int status = -1;
	if (pid < 0 || syscall(SYS_wait4, pid, &status, 0, 0) != pid || status != 0)
		return fail("fork");
	/* A fault answered by proc (the handler runs): the answer to a
	 * fault message must not carry a server's stamp. */
	pid = (pid_t)syscall(SYS_fork);
	if (pid == 0) {
		signal(SIGSEGV, segv);
		*(volatile int *)0 = 1;
		syscall(SYS_exit_group, 4);
	}
	status = -1;
	if (pid < 0 || syscall(SYS_wait4, pid, &status, 0, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 42)
		return fail("SIGSEGV handler");
	printf("prof_calls: done\n");
	fflush(stdout);
	return 0;
}
