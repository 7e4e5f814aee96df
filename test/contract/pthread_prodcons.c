/* musl's pthreads: two producers and two consumers over a bounded
 * buffer of 4 with one mutex and two condition variables; 2 x 5,000
 * items, each consumed once (the sum and a count per item exact);
 * pthread_join's values; trylock's EBUSY while held; a timed wait that
 * times out (ETIMEDOUT); a recursive and an error-checking mutex
 * (EDEADLK); thread-local storage apart per thread; gettid differs per
 * thread, getpid does not. */
#include "contract.h"
#include <pthread.h>
#include <time.h>

#define ITEMS 5000
#define SLOTS 4

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER, not_empty = PTHREAD_COND_INITIALIZER;
static int buf[SLOTS], head, count_in_buf, produced, consumers_done;
static unsigned char seen[2 * ITEMS];
static long sum;
static __thread int tls = 1;
static pid_t tids[4];

static void *producer(void *arg)
{
	int base = (int)(long)arg * ITEMS;
	tls = 100 + (int)(long)arg;
	for (int i = 0; i < ITEMS; i++) {
		pthread_mutex_lock(&mu);
		while (count_in_buf == SLOTS)
			pthread_cond_wait(&not_full, &mu);
		buf[(head + count_in_buf) % SLOTS] = base + i;
		count_in_buf++;
		produced++;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&mu);
	}
	return (void *)(long)(tls == 100 + (int)(long)arg && getpid() == tids[0]);
}

static void *consumer(void *arg)
{
	long mine = 0;
	tids[1 + (int)(long)arg] = gettid();
	for (;;) {
		pthread_mutex_lock(&mu);
		while (count_in_buf == 0 && produced < 2 * ITEMS)
			pthread_cond_wait(&not_empty, &mu);
		if (count_in_buf == 0) {
			pthread_mutex_unlock(&mu);
			break;
		}
		int v = buf[head];
		head = (head + 1) % SLOTS;
		count_in_buf--;
		seen[v]++;
		sum += v;
		mine++;
		pthread_cond_signal(&not_full);
		pthread_mutex_unlock(&mu);
	}
	pthread_mutex_lock(&mu);
	consumers_done++;
	pthread_cond_broadcast(&not_empty);
	pthread_mutex_unlock(&mu);
	return (void *)mine;
}

static void *try_lock(void *arg)
{
	return (void *)(long)pthread_mutex_trylock(&mu);
}

int main(void)
{
	pthread_t p[2], c[2], t;
	void *r;
	contract_begin("pthread_prodcons");
	tids[0] = getpid();

	VAL(pthread_create(&c[0], NULL, consumer, (void *)0), 0);
	VAL(pthread_create(&c[1], NULL, consumer, (void *)1), 0);
	VAL(pthread_create(&p[0], NULL, producer, (void *)0), 0);
	VAL(pthread_create(&p[1], NULL, producer, (void *)1), 0);
	VAL(pthread_join(p[0], &r), 0);
	TRUE(r == (void *)1);
	VAL(pthread_join(p[1], &r), 0);
	TRUE(r == (void *)1);
	/* The producers are done: wake the consumers to finish. */
	pthread_mutex_lock(&mu);
	pthread_cond_broadcast(&not_empty);
	pthread_mutex_unlock(&mu);
	long total = 0;
	VAL(pthread_join(c[0], &r), 0);
	total += (long)r;
	VAL(pthread_join(c[1], &r), 0);
	total += (long)r;
	VAL(total, 2 * ITEMS);
	VAL(sum, (long)(2 * ITEMS) * (2 * ITEMS - 1) / 2);
	int once = 1;
	for (int i = 0; i < 2 * ITEMS; i++)
		once &= seen[i] == 1;
	TRUE(once);
	VAL(tls, 1); /* ours untouched */
	TRUE(tids[1] != tids[0] && tids[2] != tids[0] && tids[1] != tids[2]);
	TRUE(gettid() == getpid());

	/* trylock from another thread while we hold it. */
	VAL(pthread_mutex_lock(&mu), 0);
	VAL(pthread_create(&t, NULL, try_lock, NULL), 0);
	VAL(pthread_join(t, &r), 0);
	VAL((long)r, EBUSY);
	/* A timed wait that no one signals. */
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 100 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	VAL(pthread_cond_timedwait(&not_full, &mu, &ts), ETIMEDOUT);
	VAL(pthread_mutex_unlock(&mu), 0);

	pthread_mutexattr_t a;
	pthread_mutex_t m2;
	VAL(pthread_mutexattr_init(&a), 0);
	VAL(pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE), 0);
	VAL(pthread_mutex_init(&m2, &a), 0);
	VAL(pthread_mutex_lock(&m2), 0);
	VAL(pthread_mutex_lock(&m2), 0);
	VAL(pthread_mutex_unlock(&m2), 0);
	VAL(pthread_mutex_unlock(&m2), 0);
	VAL(pthread_mutex_destroy(&m2), 0);
	VAL(pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK), 0);
	VAL(pthread_mutex_init(&m2, &a), 0);
	VAL(pthread_mutex_lock(&m2), 0);
	VAL(pthread_mutex_lock(&m2), EDEADLK);
	VAL(pthread_mutex_unlock(&m2), 0);
	VAL(pthread_mutex_unlock(&m2), EPERM);
	return contract_end();
}
