/* exit_group from a second thread ends the whole process with that
 * thread's code (each case in a child, whose status the parent reads):
 * the main thread blocked in a pipe read, a second thread calls
 * exit_group(42): status 42. The main thread leaves with SYS_exit (the
 * thread alone; the process goes on) and a second thread later calls
 * exit_group(3): status 3. A second thread's SYS_exit leaves the main
 * thread running, which returns 5 from main: status 5. A thread killed
 * process-wide by SIGKILL while the other waits: SIGKILL. */
#include "contract.h"
#include <pthread.h>
#include <time.h>

static int hold[2], told[2];

static void *group_exit(void *arg)
{
	syscall(SYS_exit_group, (int)(long)arg);
	return NULL;
}

static void *after_main(void *arg)
{
	char c;
	/* The main thread writes just before its SYS_exit; a pipe read
	 * returns, then the main thread is gone or about to be. */
	if (read(told[0], &c, 1) != 1)
		syscall(SYS_exit_group, 99);
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	syscall(SYS_exit_group, 3);
	return NULL;
}

static void *thread_exit(void *arg)
{
	syscall(SYS_exit, 77);
	return NULL;
}

static void *sleeper(void *arg)
{
	char c;
	if (read(hold[0], &c, 1) < 0)
		return NULL;
	return NULL;
}

int main(void)
{
	pthread_t t;
	char c;
	contract_begin("thread_exit_group");
	VAL(pipe(hold), 0);
	VAL(pipe(told), 0);

	pid_t pid = fork();
	if (pid == 0) {
		pthread_create(&t, NULL, group_exit, (void *)42);
		if (read(hold[0], &c, 1) < 0) /* blocked until the end */
			_exit(100);
		_exit(101);
	}
	WAIT(pid, 0, 42 << 8);

	pid = fork();
	if (pid == 0) {
		pthread_create(&t, NULL, after_main, NULL);
		if (write(told[1], "m", 1) != 1)
			_exit(100);
		syscall(SYS_exit, 8);
		_exit(101);
	}
	WAIT(pid, 0, 3 << 8);

	pid = fork();
	if (pid == 0) {
		pthread_create(&t, NULL, thread_exit, NULL);
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		_exit(5);
	}
	WAIT(pid, 0, 5 << 8);

	int ready[2];
	VAL(pipe(ready), 0);
	pid = fork();
	if (pid == 0) {
		pthread_create(&t, NULL, sleeper, NULL);
		if (write(ready[1], "r", 1) != 1)
			_exit(100);
		if (read(hold[0], &c, 1) < 0)
			_exit(101);
		_exit(102);
	}
	VAL(read(ready[0], &c, 1), 1);
	VAL(kill(pid, SIGKILL), 0);
	WAIT(pid, 0, SIGKILL);
	return contract_end();
}
