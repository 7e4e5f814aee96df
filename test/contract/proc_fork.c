/* fork, vfork, clone and posix_spawn of a process: copy-on-write memory,
 * shared file offsets, pipes across fork, exit statuses (exit codes,
 * killed, the core bit with RLIMIT_CORE), clone's flag checks, __WCLONE
 * children, an orphan reparented. The fork part's own checks
 * (docs/personality.md, "fork"). */
#include "contract.h"
#include <sched.h>
#include <time.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

extern char **environ;

static int counter = 1;

static long raw_clone(unsigned long flags, void *stack)
{
	return syscall(SYS_clone, flags, stack, NULL, NULL, 0);
}

int main(void)
{
	int status, p[2];
	pid_t pid;
	char c = 0;
	contract_begin("proc_fork");

	/* Memory diverges: a global, the heap, a private mapping. */
	char *heap = malloc(64);
	strcpy(heap, "parent");
	size_t len = 8 << 20;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TRUE(m != MAP_FAILED);
	memset(m, 'p', len);
	char *sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	TRUE(sh != MAP_FAILED);
	sh[0] = 'a';
	pid = fork();
	if (pid == 0) {
		counter = 2;
		strcpy(heap, "child");
		for (size_t i = 0; i < len; i += 4096)
			m[i] = 'c';
		sh[0] = 'b'; /* shared: the parent sees it */
		_exit(m[len - 4096] == 'c' && counter == 2 ? 7 : 1);
	}
	TRUE(pid > 0);
	TRUE(waitpid(pid, &status, 0) == pid);
	TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 7);
	VAL(counter, 1);
	VAL(strcmp(heap, "parent"), 0);
	TRUE(m[0] == 'p' && m[len - 4096] == 'p');
	VAL(sh[0], 'b');
	ERR(waitpid(pid, &status, 0), ECHILD);
	ERR(wait(&status), ECHILD);

	/* The fd table is copied, the offsets shared. */
	int fd = open("proc_fork.tmp", O_RDWR | O_CREAT | O_TRUNC, 0644);
	TRUE(fd >= 0);
	VAL(write(fd, "0123456789", 10), 10);
	VAL(lseek(fd, 2, SEEK_SET), 2);
	pid = fork();
	if (pid == 0) {
		char b[3];
		_exit(read(fd, b, 3) == 3 && b[0] == '2' ? 0 : 1);
	}
	TRUE(waitpid(pid, &status, 0) == pid);
	VAL(status, 0);
	VAL(lseek(fd, 0, SEEK_CUR), 5);
	VAL(close(fd), 0);
	VAL(unlink("proc_fork.tmp"), 0);

	/* A pipe: EOF only once both writers are gone. */
	VAL(pipe(p), 0);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		write(p[1], "x", 1);
		_exit(0);
	}
	VAL(close(p[1]), 0);
	VAL(read(p[0], &c, 1), 1);
	VAL(c, 'x');
	VAL(read(p[0], &c, 1), 0);
	TRUE(waitpid(pid, &status, 0) == pid);
	VAL(close(p[0]), 0);

	/* Statuses: an exit code, a kill, the core bit. */
	pid = fork();
	if (pid == 0)
		_exit(300);
	TRUE(waitpid(pid, &status, 0) == pid);
	VAL(status, 300 << 8 & 0xff00);
	pid = fork();
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		raise(SIGTERM);
		_exit(1);
	}
	TRUE(waitpid(pid, &status, 0) == pid);
	VAL(status, SIGTERM);
	TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM && !WCOREDUMP(status));
	struct rlimit rl = { 0, 0 };
	pid = fork();
	if (pid == 0) {
		setrlimit(RLIMIT_CORE, &rl);
		{
			volatile int *volatile bad = (int *)8;
			*bad = 1;
		}
		_exit(1);
	}
	TRUE(waitpid(pid, &status, 0) == pid);
	TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV && !WCOREDUMP(status));

	/* vfork: the parent runs again once the child has exited. */
	pid = vfork();
	if (pid == 0)
		_exit(5);
	TRUE(waitpid(pid, &status, 0) == pid);
	VAL(WEXITSTATUS(status), 5);

	/* posix_spawn (musl: CLONE_VM | CLONE_VFORK on its own stack), and
	 * its exec error through the pipe. */
	char *argv[] = { "proc_fork", NULL };
	VAL(posix_spawn(&pid, "/no/such/file", NULL, NULL, argv, environ), ENOENT);
	if (pid > 0)
		waitpid(pid, &status, 0);

	/* clone's checks. */
	ERR(raw_clone(CLONE_SIGHAND, NULL), EINVAL);
	ERR(raw_clone(CLONE_THREAD, NULL), EINVAL);
	ERR(raw_clone(CLONE_FS | CLONE_NEWNS, NULL), EINVAL);
	/* A child with no exit signal: only __WCLONE or __WALL see it. */
	pid = raw_clone(0, NULL);
	if (pid == 0)
		_exit(3);
	TRUE(pid > 0);
	ERR(waitpid(pid, &status, 0), ECHILD);
	TRUE(waitpid(pid, &status, __WCLONE) == pid);
	VAL(WEXITSTATUS(status), 3);
	pid = raw_clone(SIGCHLD, NULL);
	if (pid == 0)
		_exit(4);
	ERR(waitpid(pid, &status, __WCLONE), ECHILD);
	TRUE(waitpid(pid, &status, __WALL) == pid);
	VAL(WEXITSTATUS(status), 4);

	/* An orphan goes to another parent (pid 1, or a subreaper). */
	VAL(pipe(p), 0);
	pid = fork();
	if (pid == 0) {
		pid_t mid = getpid();
		if (fork() == 0) {
			close(p[0]);
			for (int i = 0; i < 2000 && getppid() == mid; i++) {
				struct timespec ts = { 0, 1000000 };
				nanosleep(&ts, NULL);
			}
			c = getppid() != mid ? 'o' : 'x';
			write(p[1], &c, 1);
			_exit(0);
		}
		_exit(0);
	}
	VAL(close(p[1]), 0);
	TRUE(waitpid(pid, &status, 0) == pid);
	VAL(read(p[0], &c, 1), 1);
	VAL(c, 'o');
	VAL(close(p[0]), 0);
	if (getpid() == 1)
		while (wait(&status) > 0)
			;
	return contract_end();
}
