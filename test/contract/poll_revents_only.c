/* poll writes only each pollfd's revents back (Linux's do_sys_poll puts
 * revents alone), never the fd and events it read: a thread that changes
 * an entry while poll waits keeps its change. (The syscall fuzzer found
 * the whole entries written back: a poll of a child's undid words another
 * process had written in the same shared page.) */
#include "contract.h"
#include <poll.h>
#include <pthread.h>

#define N 1000 /* entries poll goes through, then one the thread changes */
static struct pollfd fds[N + 1];
static volatile int stop;
static volatile long lost, writes;

static void *writer(void *arg)
{
	volatile struct pollfd *e = &fds[N];
	(void)arg;
	for (int n = 1; !stop; n++) {
		e->fd = -n; /* negative: poll ignores it (revents 0) */
		e->events = (short)(n & 0x7fff);
		for (volatile int i = 0; i < 100; i++)
			;
		if (e->fd != -n || e->events != (short)(n & 0x7fff))
			lost++;
		writes++;
	}
	return NULL;
}

int main(void)
{
	int p[2];
	pthread_t t;
	contract_begin("poll_revents_only");

	VAL(pipe(p), 0);
	for (int i = 0; i < N; i++) {
		fds[i].fd = p[0];
		fds[i].events = POLLIN;
	}
	fds[N].fd = -1;
	VAL(pthread_create(&t, NULL, writer, NULL), 0);
	/* Nothing to read: poll goes over the entries until its timeout. */
	VAL(poll(fds, N + 1, 600), 0);
	stop = 1;
	VAL(pthread_join(t, NULL), 0);
	TRUE(writes > 0);
	TRUE(lost == 0);
	TRUE(fds[N].revents == 0);
	TRUE(fds[0].fd == p[0] && fds[0].events == POLLIN && fds[0].revents == 0);

	/* Ready entries: revents says so, fd and events as they were. */
	VAL(write(p[1], "x", 1), 1);
	fds[1].events = POLLIN | POLLOUT;
	VAL(poll(fds, 2, 0), 2);
	TRUE(fds[0].fd == p[0] && fds[0].events == POLLIN && fds[0].revents == POLLIN);
	TRUE(fds[1].fd == p[0] && fds[1].events == (POLLIN | POLLOUT) && fds[1].revents == POLLIN);
	return contract_end();
}
