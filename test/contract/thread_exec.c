/* execve from a thread that is not the main one (Linux's de_thread):
 * every other thread goes, the one that execs becomes the process's only
 * thread with tid = pid, and the new image starts with one thread. The
 * main thread is blocked in a futex wait when it goes. */
#include "contract.h"
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>

static uint32_t never;
static volatile int ready;

static void *nothing(void *arg)
{
	return arg;
}

static void *execer(void *arg)
{
	(void)arg;
	while (!ready) /* main's line is out first */
		sched_yield();
	printf("thread tid == pid: %s\n", syscall(SYS_gettid) == getpid() ? "yes" : "no");
	char *args[] = { "./init", "again", NULL }, *env[] = { NULL };
	fflush(stdout);
	execve("./init", args, env);
	contract_fail(__LINE__, "execve: %s", errno_name(errno));
	contract_end();
	_exit(1);
}

int main(int argc, char **argv)
{
	contract_begin("thread_exec");
	if (argc > 1 && strcmp(argv[1], "again") == 0) {
		printf("after exec\n");
		TRUE(syscall(SYS_gettid) == getpid());
		/* The new image's threads work as ever. */
		pthread_t t;
		VAL(pthread_create(&t, NULL, nothing, NULL), 0);
		VAL(pthread_join(t, NULL), 0);
		return contract_end();
	}
	pthread_t t;
	VAL(pthread_create(&t, NULL, execer, NULL), 0);
	ready = 1;
	syscall(SYS_futex, &never, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	printf("the main thread woke up\n");
	return 1;
}
