/* futex(2) as Linux's kernel/futex answers it: the errors (EAGAIN,
 * EINVAL, EFAULT, ENOSYS, ETIMEDOUT) and their order, the timeouts of
 * WAIT (relative) and WAIT_BITSET (absolute, either clock), WAKE_OP's
 * operations and comparisons, REQUEUE/CMP_REQUEUE's counts, and the
 * bitset match, with waiters in other threads. */
#include "contract.h"
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <time.h>

static long fx(void *uaddr, int op, uint32_t val, const void *ts_or_val2, void *uaddr2,
	       uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, ts_or_val2, uaddr2, val3);
}

static uint32_t word_a, word_b;
static volatile int started;

struct waiter {
	uint32_t *addr;
	uint32_t val, bitset;
	long ret;
	int err;
};

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;
	__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
	errno = 0;
	w->ret = fx(w->addr, FUTEX_WAIT_BITSET_PRIVATE, w->val, NULL, NULL, w->bitset);
	w->err = errno;
	return NULL;
}

/* Starts n waiters on addr, then waits until all of them are queued:
 * a wake that finds nobody is retried until it wakes someone is not
 * what we want here, so sleep a little after they started. */
static void start_waiters(pthread_t *t, struct waiter *w, int n)
{
	started = 0;
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, wait_thread, &w[i]);
	while (__atomic_load_n(&started, __ATOMIC_SEQ_CST) < n)
		sched_yield();
	struct timespec d = { 0, 20 * 1000 * 1000 };
	nanosleep(&d, NULL);
}

int main(void)
{
	contract_begin("futex_ops");
	uint32_t w = 5;
	struct timespec ms = { 0, 1000 * 1000 }, bad = { 0, 1000000000 }, neg = { -1, 0 };
	struct timespec past = { 0, 1 };

	/* WAIT's errors, in Linux's order: the timeout first, then the
	 * bitset, the alignment, the address, the value. */
	ERR(fx(&w, FUTEX_WAIT, 6, NULL, NULL, 0), EAGAIN);
	ERR(fx(&w, FUTEX_WAIT_PRIVATE, 6, NULL, NULL, 0), EAGAIN);
	ERR(fx((char *)&w + 1, FUTEX_WAIT, 5, NULL, NULL, 0), EINVAL);
	ERR(fx(NULL, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT);
	ERR(fx(NULL, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0), EFAULT);
	ERR(fx((void *)0x800000000000ul, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0), EFAULT);
	ERR(fx(&w, FUTEX_WAIT, 5, &bad, NULL, 0), EINVAL);
	ERR(fx(&w, FUTEX_WAIT, 5, &neg, NULL, 0), EINVAL);
	ERR(fx(&w, FUTEX_WAIT, 5, (void *)8, NULL, 0), EFAULT);
	ERR(fx(NULL, FUTEX_WAIT, 5, &bad, NULL, 0), EINVAL); /* timeout before address */
	ERR(fx(&w, FUTEX_WAIT, 5, &ms, NULL, 0), ETIMEDOUT);
	ERR(fx(&w, FUTEX_WAIT, 6, &past, NULL, 0), EAGAIN); /* the value before the time */
	ERR(fx(&w, FUTEX_WAIT_BITSET, 5, NULL, NULL, 0), EINVAL);
	ERR(fx(&w, FUTEX_WAIT_BITSET, 5, &past, NULL, ~0u), ETIMEDOUT); /* absolute, long past */
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	now.tv_nsec += 2 * 1000 * 1000;
	if (now.tv_nsec >= 1000000000) {
		now.tv_sec++;
		now.tv_nsec -= 1000000000;
	}
	ERR(fx(&w, FUTEX_WAIT_BITSET_PRIVATE, 5, &now, NULL, ~0u), ETIMEDOUT);
	clock_gettime(CLOCK_REALTIME, &now);
	ERR(fx(&w, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 5, &now, NULL, ~0u), ETIMEDOUT);
	/* CLOCK_REALTIME is for WAIT_BITSET only (after the timeout's checks). */
	ERR(fx(&w, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 5, &ms, NULL, 0), ENOSYS);
	ERR(fx(&w, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 5, &bad, NULL, 0), EINVAL);
	ERR(fx(&w, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0), ENOSYS);

	/* WAKE: nobody waits; a private key needs no memory, a shared one a
	 * mapped page. */
	VAL(fx(&w, FUTEX_WAKE, 1, NULL, NULL, 0), 0);
	VAL(fx(&w, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0), 0);
	VAL(fx(NULL, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0);
	ERR(fx(NULL, FUTEX_WAKE, 1, NULL, NULL, 0), EFAULT);
	ERR(fx((char *)&w + 2, FUTEX_WAKE, 1, NULL, NULL, 0), EINVAL);
	/* Beyond the user half with 4- and 5-level paging alike (QEMU's -cpu
	 * max has LA57, and Debian's kernel uses it: 0x7ffffffffffc is a
	 * user address there). */
	ERR(fx((void *)0xffff800000000000ul, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), EFAULT);
	ERR(fx(&w, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0), EINVAL);
	ERR(fx(&w, 14, 0, NULL, NULL, 0), ENOSYS);
	ERR(fx(&w, FUTEX_FD, 0, NULL, NULL, 0), ENOSYS);
	ERR(fx(&w, 0x1000 | FUTEX_WAKE, 1, NULL, NULL, 0), ENOSYS);

	/* REQUEUE and CMP_REQUEUE with nobody waiting. */
	VAL(fx(&w, FUTEX_REQUEUE, 1, (void *)1, &word_b, 0), 0);
	ERR(fx(&w, FUTEX_REQUEUE, 0x80000000u, (void *)1, &word_b, 0), EINVAL);
	ERR(fx(&w, FUTEX_REQUEUE, 1, (void *)0x80000000ul, &word_b, 0), EINVAL);
	ERR(fx(&w, FUTEX_CMP_REQUEUE, 1, (void *)1, &word_b, 4), EAGAIN);
	VAL(fx(&w, FUTEX_CMP_REQUEUE, 1, (void *)1, &word_b, 5), 0);
	ERR(fx(&w, FUTEX_CMP_REQUEUE, 1, (void *)1, (char *)&word_b + 1, 5), EINVAL);
	ERR(fx(NULL, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &word_b, 5), EFAULT);

	/* WAKE_OP: the operation on the second word, then the comparison. */
	uint32_t w2 = 10;
	VAL(fx(&w, FUTEX_WAKE_OP, 1, (void *)1, &w2,
	       FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 10)),
	    0);
	VAL(w2, 13);
	VAL(fx(&w, FUTEX_WAKE_OP, 1, (void *)1, &w2, FUTEX_OP(FUTEX_OP_SET, 7, FUTEX_OP_CMP_GT, 0)),
	    0);
	VAL(w2, 7);
	VAL(fx(&w, FUTEX_WAKE_OP, 1, (void *)1, &w2, FUTEX_OP(FUTEX_OP_OR, 8, FUTEX_OP_CMP_LT, 0)),
	    0);
	VAL(w2, 15);
	VAL(fx(&w, FUTEX_WAKE_OP, 1, (void *)1, &w2,
	       FUTEX_OP(FUTEX_OP_ANDN, 5, FUTEX_OP_CMP_NE, 0)),
	    0);
	VAL(w2, 10);
	VAL(fx(&w, FUTEX_WAKE_OP, 1, (void *)1, &w2, FUTEX_OP(FUTEX_OP_XOR, 3, FUTEX_OP_CMP_GE, 0)),
	    0);
	VAL(w2, 9);
	VAL(fx(&w, FUTEX_WAKE_OP, 1, (void *)1, &w2,
	       FUTEX_OP((FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT), 4, FUTEX_OP_CMP_LE, 0)),
	    0);
	VAL(w2, 16);
	VAL(fx(&w, FUTEX_WAKE_OP, 1, (void *)1, &w2,
	       FUTEX_OP(FUTEX_OP_ADD, -1, FUTEX_OP_CMP_EQ, 0)),
	    0);
	VAL(w2, 15);
	ERR(fx(&w, FUTEX_WAKE_OP, 1, (void *)1, &w2, 7u << 28), ENOSYS);
	VAL(w2, 15);
	ERR(fx(&w, FUTEX_WAKE_OP, 1, (void *)1, &w2, FUTEX_OP(FUTEX_OP_ADD, 1, 9, 0)), ENOSYS);
	VAL(w2, 16); /* done before the comparison failed */
	ERR(fx(&w, FUTEX_WAKE_OP, 1, (void *)1, NULL, 0), EFAULT);
	ERR(fx(&w, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, (char *)&w2 + 1, 0), EINVAL);
	uint32_t *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ERR(fx(&w, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, ro, 0), EFAULT);
	/* A read-only anonymous page: a private key, never a shared one. */
	VAL(fx(ro, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0);
	ERR(fx(ro, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0), EAGAIN);
	ERR(fx(ro, FUTEX_WAKE, 1, NULL, NULL, 0), EFAULT);
	ERR(fx(ro, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT);

	/* With waiters: WAKE wakes one (nr 0 still wakes one, as Linux). */
	pthread_t t[3];
	struct waiter ws[3];
	word_a = 1;
	for (int i = 0; i < 2; i++)
		ws[i] = (struct waiter){ &word_a, 1, ~0u, 0, 0 };
	start_waiters(t, ws, 2);
	VAL(fx(&word_a, FUTEX_WAKE_PRIVATE, 0, NULL, NULL, 0), 1);
	VAL(fx(&word_a, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0), 1);
	for (int i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		VAL(ws[i].ret, 0);
	}

	/* The bitset decides who wakes. */
	ws[0] = (struct waiter){ &word_a, 1, 2, 0, 0 };
	start_waiters(t, ws, 1);
	VAL(fx(&word_a, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 1), 0);
	VAL(fx(&word_a, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 6), 1);
	pthread_join(t[0], NULL);
	VAL(ws[0].ret, 0);

	/* CMP_REQUEUE: wake one of three, move one to word_b, leave one. */
	for (int i = 0; i < 3; i++)
		ws[i] = (struct waiter){ &word_a, 1, ~0u, 0, 0 };
	start_waiters(t, ws, 3);
	VAL(fx(&word_a, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &word_b, 1), 2);
	VAL(fx(&word_a, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0), 1);
	VAL(fx(&word_b, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0), 1);
	for (int i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		VAL(ws[i].ret, 0);
	}

	/* WAKE_OP wakes the second word's waiter only when cmp holds. */
	ws[0] = (struct waiter){ &word_b, 0, ~0u, 0, 0 };
	word_b = 0;
	start_waiters(t, ws, 1);
	VAL(fx(&word_a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &word_b,
	       FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 5)),
	    0);
	VAL(fx(&word_a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &word_b,
	       FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 1)),
	    1);
	pthread_join(t[0], NULL);
	VAL(ws[0].ret, 0);
	VAL(word_b, 2);
	return contract_end();
}
