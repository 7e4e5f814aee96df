/* A thread's exit is not the process's: the main thread leaves with
 * pthread_exit (exit(2) of thread 0) while a second thread goes on, then
 * that thread ends the process with exit_group. A third thread, blocked
 * in a futex wait that nobody will wake, goes with it. */
#include "contract.h"
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>

static pid_t main_pid;
static uint32_t never;

static void *blocked(void *arg)
{
	(void)arg;
	syscall(SYS_futex, &never, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	printf("the blocked thread woke up\n");
	return NULL;
}

static void *last(void *arg)
{
	pthread_t main_thread = *(pthread_t *)arg;
	/* pthread_join on the main thread works once it has exited: musl
	 * and glibc wait for its tid word, which exit(2) clears. */
	VAL(pthread_join(main_thread, NULL), 0);
	VAL(getpid() == main_pid, 1);
	TRUE(syscall(SYS_gettid) != main_pid);
	contract_end();
	fflush(stdout);
	syscall(SYS_exit_group, contract_failures ? 1 : 0);
	return NULL;
}

int main(void)
{
	static pthread_t self, t1, t2;
	contract_begin("thread_exit");
	main_pid = getpid();
	self = pthread_self();
	VAL(pthread_create(&t1, NULL, blocked, NULL), 0);
	VAL(pthread_create(&t2, NULL, last, &self), 0);
	pthread_exit(NULL);
}
