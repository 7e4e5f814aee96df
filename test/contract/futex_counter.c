/* Two threads and a counter behind a lock made of raw futex calls (the
 * classic three-state mutex: 0 free, 1 locked, 2 locked with waiters;
 * FUTEX_WAIT_PRIVATE while it is 2, FUTEX_WAKE_PRIVATE of one on
 * unlock): first a thread that must wait (we hold the lock until it
 * has marked it contended), then 2 x 100,000 increments from two
 * threads started together (a turnstile on a futex word), the result
 * exact. Also the futex calls' plain results: EAGAIN when the word is
 * not the value, ETIMEDOUT after a relative timeout (and an absolute
 * one with FUTEX_WAIT_BITSET), 0 woken with no waiter, a wait woken by a
 * wake, CMP_REQUEUE's EAGAIN, EINVAL for a bitset of 0 and an unaligned
 * word. */
#include "contract.h"
#include <linux/futex.h>
#include <pthread.h>
#include <time.h>

#define ROUNDS 100000

static int lock_word, start_word, counter;
static int waits;

static long futex(int *uaddr, int op, int val, const struct timespec *ts, int *uaddr2, int val3)
{
	return syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

static void lock(void)
{
	int c = 0;
	if (__atomic_compare_exchange_n(&lock_word, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	if (c != 2)
		c = __atomic_exchange_n(&lock_word, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		__atomic_fetch_add(&waits, 1, __ATOMIC_RELAXED);
		futex(&lock_word, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0);
		c = __atomic_exchange_n(&lock_word, 2, __ATOMIC_ACQUIRE);
	}
}

static void unlock(void)
{
	if (__atomic_fetch_sub(&lock_word, 1, __ATOMIC_RELEASE) != 1) {
		__atomic_store_n(&lock_word, 0, __ATOMIC_RELEASE);
		futex(&lock_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	}
}

static void *worker(void *arg)
{
	/* The turnstile: one more started; wait until both have. */
	__atomic_fetch_add(&start_word, 1, __ATOMIC_SEQ_CST);
	futex(&start_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	int s;
	while ((s = __atomic_load_n(&start_word, __ATOMIC_SEQ_CST)) < 2)
		futex(&start_word, FUTEX_WAIT_PRIVATE, s, NULL, NULL, 0);
	for (int i = 0; i < ROUNDS; i++) {
		lock();
		int v = counter;
		if ((i & 1023) == 0)
			sched_yield(); /* holding the lock: the other one waits */
		counter = v + 1;
		unlock();
	}
	return arg;
}

static int wake_word;

static void *contender(void *arg)
{
	lock();
	counter += 1000;
	unlock();
	return NULL;
}

static void *waker(void *arg)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	__atomic_store_n(&wake_word, 1, __ATOMIC_SEQ_CST);
	futex(&wake_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	void *ret;
	int word = 5;
	contract_begin("futex_counter");

	struct timespec rel = { 0, 50 * 1000 * 1000 };
	ERR(futex(&word, FUTEX_WAIT_PRIVATE, 6, NULL, NULL, 0), EAGAIN);
	ERR(futex(&word, FUTEX_WAIT_PRIVATE, 5, &rel, NULL, 0), ETIMEDOUT);
	ERR(futex(&word, FUTEX_WAIT, 5, &rel, NULL, 0), ETIMEDOUT); /* shared */
	struct timespec abs;
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 50 * 1000 * 1000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	ERR(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 5, &abs, NULL, FUTEX_BITSET_MATCH_ANY),
	    ETIMEDOUT);
	ERR(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 5, &abs, NULL, 0), EINVAL);
	VAL(futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0);
	VAL(futex(&word, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 1), 0);
	ERR(futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &lock_word, 4), EAGAIN);
	VAL(futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &lock_word, 5), 0);
	ERR(futex((int *)((char *)&word + 1), FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), EINVAL);
	rel.tv_nsec = 1000000000;
	ERR(futex(&word, FUTEX_WAIT_PRIVATE, 5, &rel, NULL, 0), EINVAL);

	/* A wait that a wake ends. */
	pthread_t w;
	VAL(pthread_create(&w, NULL, waker, NULL), 0);
	while (__atomic_load_n(&wake_word, __ATOMIC_SEQ_CST) == 0)
		futex(&wake_word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	VAL(pthread_join(w, NULL), 0);
	VAL(wake_word, 1);

	/* Contention for sure: we hold the lock, a thread marks it contended
	 * (2) and sleeps in FUTEX_WAIT until our unlock wakes it. */
	lock();
	VAL(pthread_create(&w, NULL, contender, NULL), 0);
	while (__atomic_load_n(&lock_word, __ATOMIC_SEQ_CST) != 2)
		sched_yield();
	struct timespec pause_ = { 0, 50 * 1000 * 1000 };
	nanosleep(&pause_, NULL);
	VAL(counter, 0); /* it waits */
	unlock();
	VAL(pthread_join(w, NULL), 0);
	VAL(counter, 1000);
	TRUE(waits >= 1);
	counter = 0;

	VAL(pthread_create(&t[0], NULL, worker, (void *)1), 0);
	VAL(pthread_create(&t[1], NULL, worker, (void *)2), 0);
	VAL(pthread_join(t[0], &ret), 0);
	TRUE(ret == (void *)1);
	VAL(pthread_join(t[1], &ret), 0);
	TRUE(ret == (void *)2);
	VAL(counter, 2 * ROUNDS);
	VAL(lock_word, 0);
	return contract_end();
}
