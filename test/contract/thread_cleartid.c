/* A thread's exit wakes its joiner through CLONE_CHILD_CLEARTID: a raw
 * clone (musl's clone(): CLONE_VM | CLONE_FS | CLONE_FILES |
 * CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | CLONE_PARENT_SETTID |
 * CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID) whose function waits for a
 * go word, then returns (musl's clone then calls SYS_exit: the thread
 * alone). The parent's and child's tid words hold the new tid, the
 * thread's getpid() is ours and gettid() the tid; FUTEX_WAIT on the
 * child tid word returns once the kernel has zeroed it and woken us; the
 * thread's writes are all seen then. pthread_join does the same for a
 * pthread that ends with pthread_exit. The child does raw syscalls only
 * (it has no thread pointer of its own). */
#include "contract.h"
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <time.h>

static int go, ptid, ctid, seen_pid, seen_tid, steps;

static long futex(int *uaddr, int op, int val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

static int fn(void *arg)
{
	seen_pid = (int)syscall(SYS_getpid);
	seen_tid = (int)syscall(SYS_gettid);
	while (__atomic_load_n(&go, __ATOMIC_SEQ_CST) == 0)
		syscall(SYS_futex, &go, FUTEX_WAIT, 0, NULL, NULL, 0);
	for (int i = 0; i < 1000; i++)
		__atomic_fetch_add(&steps, 1, __ATOMIC_RELAXED);
	return 0;
}

static void *pt(void *arg)
{
	steps += 5;
	pthread_exit((void *)42);
}

int main(void)
{
	contract_begin("thread_cleartid");
	size_t size = 64 * 1024;
	char *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TRUE(stack != MAP_FAILED);
	int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
		    CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID;
	ptid = ctid = -1;
	int tid = clone(fn, stack + size, flags, NULL, &ptid, NULL, &ctid);
	TRUE(tid > 0);
	if (tid <= 0)
		return contract_end();
	TRUE(ptid == tid); /* written before clone returned */
	/* CLONE_CHILD_SETTID writes when the thread starts: wait for it. */
	while (__atomic_load_n(&seen_tid, __ATOMIC_SEQ_CST) == 0)
		sched_yield();
	TRUE(seen_pid == getpid());
	TRUE(seen_tid == tid && tid != getpid());
	int c = __atomic_load_n(&ctid, __ATOMIC_SEQ_CST);
	TRUE(c == tid);
	__atomic_store_n(&go, 1, __ATOMIC_SEQ_CST);
	futex(&go, FUTEX_WAKE, 1);
	/* The joiner: wait while the word holds the tid. */
	int waits = 0;
	while ((c = __atomic_load_n(&ctid, __ATOMIC_SEQ_CST)) != 0) {
		long r = futex(&ctid, FUTEX_WAIT, c); /* shared: the kernel's wake is not private */
		if (r != 0 && errno != EAGAIN && errno != EINTR)
			contract_fail(__LINE__, "futex wait: %s", errno_name(errno));
		waits++;
	}
	VAL(ctid, 0);
	VAL(steps, 1000);
	/* Gone soon after (the word is cleared before the thread is
	 * released: Linux's mm_release comes before exit_notify). */
	for (int i = 0; i < 2000 && syscall(SYS_tgkill, getpid(), tid, 0) == 0; i++) {
		struct timespec ts = { 0, 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	ERR(syscall(SYS_tgkill, getpid(), tid, 0), ESRCH);
	VAL(munmap(stack, size), 0);

	/* pthread_join after pthread_exit. */
	pthread_t t;
	void *r;
	VAL(pthread_create(&t, NULL, pt, NULL), 0);
	VAL(pthread_join(t, &r), 0);
	TRUE(r == (void *)42);
	VAL(steps, 1005);
	return contract_end();
}
