/* A signal ends a futex wait as Linux's futex_wait does: an untimed wait
 * is -ERESTARTSYS (EINTR after a handler without SA_RESTART, restarted
 * with SA_RESTART), a timed one EINTR either way (its restart block
 * runs only when no handler does). The signal comes from another thread
 * (tgkill) while the main thread waits. */
#include "contract.h"
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <time.h>

static uint32_t word;
static volatile int handled;
static pid_t main_tid;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

/* Time for the main thread to block (yields, not a sleep: the sleep is
 * not what is tested). */
static void pause_a_little(void)
{
	for (int i = 0; i < 2000; i++)
		sched_yield();
}

/* Signals the main thread once it has had time to block, then, when
 * asked, wakes it for real. */
static void *poker(void *arg)
{
	long wake = (long)arg;
	pause_a_little();
	syscall(SYS_tgkill, getpid(), main_tid, SIGUSR1);
	if (wake) {
		pause_a_little();
		__atomic_store_n(&word, 1, __ATOMIC_SEQ_CST);
		syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	}
	return NULL;
}

static void set_handler(int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = flags;
	sigaction(SIGUSR1, &sa, NULL);
}

int main(void)
{
	contract_begin("futex_signal");
	main_tid = (pid_t)syscall(SYS_gettid);
	pthread_t t;

	set_handler(0);
	word = 0;
	pthread_create(&t, NULL, poker, (void *)0);
	ERR(syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0), EINTR);
	pthread_join(t, NULL);
	VAL(handled, 1);

	set_handler(SA_RESTART);
	word = 0;
	pthread_create(&t, NULL, poker, (void *)1);
	VAL(syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0), 0);
	pthread_join(t, NULL);
	VAL(handled, 2);
	VAL(word, 1);

	struct timespec ten = { 10, 0 };
	word = 0;
	pthread_create(&t, NULL, poker, (void *)0);
	ERR(syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, &ten, NULL, 0), EINTR);
	pthread_join(t, NULL);
	VAL(handled, 3);
	return contract_end();
}
