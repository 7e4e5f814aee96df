/* musl's pthreads on clone(CLONE_THREAD) and futex: create and join
 * with return values, threads with their own tid and TLS in one process,
 * a mutex-protected counter under contention, a condition variable,
 * detached threads, the creator's signal mask inherited, indexes reused
 * by many threads in turn, gettid and arch_prctl per thread. */
#include "contract.h"
#include <asm/prctl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>

#define NTHREADS 8
#define ROUNDS 2000

static __thread int tls_value;
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int queue_items, queue_done;
static volatile int detached_ran;

static void *counting(void *arg)
{
	tls_value = (int)(long)arg;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&mutex);
		counter++;
		pthread_mutex_unlock(&mutex);
		if (i % 256 == 0)
			sched_yield();
	}
	/* Its own TLS survived the others' runs. */
	return (void *)(long)(tls_value == (int)(long)arg ? 100 + tls_value : -1);
}

static void *identity(void *arg)
{
	long *out = arg;
	out[0] = getpid();
	out[1] = syscall(SYS_gettid);
	sigset_t set;
	sigemptyset(&set);
	pthread_sigmask(SIG_BLOCK, NULL, &set);
	out[2] = sigismember(&set, SIGUSR1);
	unsigned long fs = 0;
	syscall(SYS_arch_prctl, ARCH_GET_FS, &fs);
	out[3] = fs == (unsigned long)pthread_self(); /* musl: the TCB is %fs */
	out[4] = syscall(SYS_gettid) == out[1];
	return NULL;
}

static void *consumer(void *arg)
{
	long got = 0;
	(void)arg;
	pthread_mutex_lock(&mutex);
	for (;;) {
		while (queue_items == 0 && !queue_done)
			pthread_cond_wait(&cond, &mutex);
		if (queue_items == 0 && queue_done)
			break;
		queue_items--;
		got++;
	}
	pthread_mutex_unlock(&mutex);
	return (void *)got;
}

static void *detached(void *arg)
{
	(void)arg;
	__atomic_store_n(&detached_ran, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Exits only once its joiner is (very likely) asleep in pthread_join's
 * futex wait on the tid word: only CLONE_CHILD_CLEARTID's wake ends it. */
static volatile int joining;
static void *slow_exit(void *arg)
{
	while (!joining)
		sched_yield();
	for (int i = 0; i < 200; i++)
		sched_yield();
	return arg;
}

/* A file mapping takes one of libposix's few free slots for the file's
 * MemObj; each thread keeps freed slots in a cache of its own, which its
 * index's next thread must get back. */
static void *map_file(void *arg)
{
	int fd = open("hello.txt", O_RDONLY);
	char *p = fd < 0 ? MAP_FAILED : mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	long ok = p != MAP_FAILED && p[0] == 'h';
	if (p != MAP_FAILED)
		munmap(p, 4096);
	if (fd >= 0)
		close(fd);
	return (void *)(ok + (long)arg * 0);
}

static void *short_lived(void *arg)
{
	return (void *)((long)arg * 2);
}

int main(void)
{
	contract_begin("thread_basics");
	pthread_t t[NTHREADS];
	void *ret;

	tls_value = -7;
	for (long i = 0; i < NTHREADS; i++)
		VAL(pthread_create(&t[i], NULL, counting, (void *)i), 0);
	long sum = 0;
	for (int i = 0; i < NTHREADS; i++) {
		VAL(pthread_join(t[i], &ret), 0);
		sum += (long)ret;
	}
	VAL(sum, 100 * NTHREADS + NTHREADS * (NTHREADS - 1) / 2);
	VAL(counter, (long)NTHREADS * ROUNDS);
	VAL(tls_value, -7);

	/* A thread is another tid of the same process, with the mask of its
	 * creator and its own TLS. */
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	long id[5] = { 0 };
	VAL(pthread_create(&t[0], NULL, identity, id), 0);
	VAL(pthread_join(t[0], NULL), 0);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	TRUE(id[0] == getpid());
	TRUE(id[1] != getpid() && id[1] > 0);
	VAL(id[2], 1);
	VAL(id[3], 1);
	VAL(id[4], 1);
	TRUE(syscall(SYS_gettid) == getpid());

	/* A condition variable: two consumers, one producer. */
	pthread_t c[2];
	for (int i = 0; i < 2; i++)
		VAL(pthread_create(&c[i], NULL, consumer, NULL), 0);
	for (int i = 0; i < 500; i++) {
		pthread_mutex_lock(&mutex);
		queue_items++;
		pthread_cond_signal(&cond);
		pthread_mutex_unlock(&mutex);
		if (i % 50 == 0)
			sched_yield();
	}
	pthread_mutex_lock(&mutex);
	queue_done = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&mutex);
	long got = 0;
	for (int i = 0; i < 2; i++) {
		VAL(pthread_join(c[i], &ret), 0);
		got += (long)ret;
	}
	VAL(got, 500);

	/* Detached: it runs and its slot comes back. */
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	VAL(pthread_create(&t[0], &attr, detached, NULL), 0);
	while (!__atomic_load_n(&detached_ran, __ATOMIC_SEQ_CST))
		sched_yield();
	VAL(detached_ran, 1);

	VAL(pthread_create(&t[0], NULL, slow_exit, (void *)42), 0);
	joining = 1;
	VAL(pthread_join(t[0], &ret), 0);
	VAL((long)ret, 42);

	long mapped = 0;
	for (int i = 0; i < 20; i++) {
		pthread_t s;
		if (pthread_create(&s, NULL, map_file, NULL) != 0)
			break;
		pthread_join(s, &ret);
		mapped += (long)ret;
	}
	VAL(mapped, 20);

	/* Many threads one after the other: more than there are indexes. */
	long total = 0;
	for (long i = 0; i < 100; i++) {
		pthread_t s;
		if (pthread_create(&s, NULL, short_lived, (void *)i) != 0) {
			printf("pthread_create %ld failed\n", i);
			break;
		}
		pthread_join(s, &ret);
		total += (long)ret;
	}
	VAL(total, 9900);
	return contract_end();
}
