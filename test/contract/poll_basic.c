/* poll(2): readiness of pipes (data, no writer: POLLHUP, no reader:
 * POLLERR), of a regular file and /dev/null (always ready), fd -1 (left
 * out), an fd that is not open (POLLNVAL), a timeout that runs out, and
 * a wait that a child's write ends. ash's read builtin polls before each
 * byte (BusyBox's testsuite). */
#include "contract.h"
#include <poll.h>
#include <time.h>

static long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

int main(void)
{
	struct pollfd f[3];
	struct timespec t0;
	int p[2], st;
	char c;
	contract_begin("poll_basic");
	need_dev();

	TRUE(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
	VAL(pipe(p), 0);
	f[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	f[1] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	VAL(poll(f, 2, 0), 1);
	VAL(f[0].revents, 0);
	VAL(f[1].revents, POLLOUT);
	VAL(poll(f, 1, 0), 0);
	VAL(write(p[1], "x", 1), 1);
	VAL(poll(f, 1, 0), 1);
	VAL(f[0].revents, POLLIN);
	/* Asked for nothing: only what is always reported. */
	f[0].events = 0;
	VAL(poll(f, 1, 0), 0);
	VAL(close(p[1]), 0);
	VAL(poll(f, 1, 0), 1);
	VAL(f[0].revents, POLLHUP);
	f[0].events = POLLIN;
	VAL(poll(f, 1, 0), 1);
	VAL(f[0].revents, POLLIN | POLLHUP);
	VAL(read(p[0], &c, 1), 1);
	VAL(poll(f, 1, 0), 1);
	VAL(f[0].revents, POLLHUP);
	VAL(close(p[0]), 0);

	/* A write end whose reader is gone. */
	VAL(pipe(p), 0);
	VAL(close(p[0]), 0);
	f[0] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	VAL(poll(f, 1, 0), 1);
	VAL(f[0].revents, POLLOUT | POLLERR);
	VAL(close(p[1]), 0);

	/* Files and devices are always ready; -1 is left out; a closed fd
	 * is POLLNVAL. */
	int fd = open("poll.tmp", O_RDWR | O_CREAT | O_TRUNC, 0644);
	TRUE(fd >= 0);
	int null = open("/dev/null", O_RDWR);
	TRUE(null >= 0);
	f[0] = (struct pollfd){ .fd = fd, .events = POLLIN | POLLOUT };
	f[1] = (struct pollfd){ .fd = -1, .events = POLLIN };
	f[2] = (struct pollfd){ .fd = null, .events = POLLIN | POLLOUT };
	VAL(poll(f, 3, 0), 2);
	VAL(f[0].revents, POLLIN | POLLOUT);
	VAL(f[1].revents, 0);
	VAL(f[2].revents, POLLIN | POLLOUT);
	VAL(close(fd), 0);
	VAL(unlink("poll.tmp"), 0);
	VAL(close(null), 0);
	f[0] = (struct pollfd){ .fd = 200, .events = POLLIN };
	VAL(poll(f, 1, 0), 1);
	VAL(f[0].revents, POLLNVAL);
	ERR(poll((struct pollfd *)8, 1, 0), EFAULT);
	VAL(poll(NULL, 0, 0), 0);

	/* A timeout that runs out, then a wait a child's write ends. */
	VAL(pipe(p), 0);
	f[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	VAL(poll(f, 1, 30), 0);
	TRUE(ms_since(&t0) >= 30);
	pid_t pid = fork();
	if (pid == 0) {
		struct timespec d = { 0, 20 * 1000000 };
		nanosleep(&d, NULL);
		write(p[1], "y", 1);
		_exit(0);
	}
	TRUE(pid > 0);
	VAL(poll(f, 1, -1), 1);
	VAL(f[0].revents, POLLIN);
	TRUE(waitpid(pid, &st, 0) == pid);
	VAL(close(p[0]), 0);
	VAL(close(p[1]), 0);
	return contract_end();
}
