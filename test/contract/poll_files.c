/* poll and ppoll on files: /dev/null and a regular file are always ready,
 * a pipe's ends by their data and the other end, a closed fd is POLLNVAL,
 * a negative fd is skipped, timeouts, EFAULT and EINVAL. */
#include "contract.h"
#include <poll.h>
#include <time.h>

static long elapsed_ms(const struct timespec *a)
{
	struct timespec b;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

int main(void)
{
	struct pollfd f[4];
	struct timespec t0;
	int p[2];
	contract_begin("poll_files");
	need_dev();

	int null = VAL(open("/dev/null", O_RDWR), 3);
	f[0] = (struct pollfd){ null, POLLIN | POLLOUT, 0x7777 };
	VAL(poll(f, 1, 0), 1);
	VAL(f[0].revents, POLLIN | POLLOUT);
	int file = VAL(open("poll_files.tmp", O_RDWR | O_CREAT | O_TRUNC, 0644), 4);
	f[0] = (struct pollfd){ file, POLLIN | POLLOUT | POLLPRI, 0 };
	f[1] = (struct pollfd){ -1, POLLIN, 0x7777 };
	f[2] = (struct pollfd){ 9, POLLIN, 0 }; /* not open */
	VAL(poll(f, 3, -1), 2);
	VAL(f[0].revents, POLLIN | POLLOUT);
	VAL(f[1].revents, 0);
	VAL(f[2].revents, POLLNVAL);
	f[0].events = 0; /* nothing asked: a file reports nothing */
	VAL(poll(f, 1, 0), 0);
	VAL(f[0].revents, 0);

	VAL(pipe(p), 0);
	f[0] = (struct pollfd){ p[0], POLLIN, 0 };
	f[1] = (struct pollfd){ p[1], POLLOUT, 0 };
	VAL(poll(f, 2, 0), 1);
	VAL(f[0].revents, 0);
	VAL(f[1].revents, POLLOUT);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	VAL(poll(f, 1, 50), 0); /* an empty pipe: the timeout */
	TRUE(elapsed_ms(&t0) >= 45);
	VAL(write(p[1], "x", 1), 1);
	VAL(poll(f, 2, 1000), 2);
	VAL(f[0].revents, POLLIN);
	VAL(close(p[1]), 0);
	VAL(poll(f, 1, 0), 1);
	VAL(f[0].revents, POLLIN | POLLHUP); /* data, and no writer */
	char c;
	VAL(read(p[0], &c, 1), 1);
	VAL(poll(f, 1, 0), 1);
	VAL(f[0].revents, POLLHUP);
	VAL(close(p[0]), 0);

	/* No fds: a sleep. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	VAL(poll(NULL, 0, 30), 0);
	TRUE(elapsed_ms(&t0) >= 25);
	struct timespec ts = { 0, 20000000 };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	VAL(syscall(SYS_ppoll, NULL, 0, &ts, NULL, 8), 0);
	TRUE(elapsed_ms(&t0) >= 15);
	ts.tv_nsec = 1000000000;
	ERR(syscall(SYS_ppoll, NULL, 0, &ts, NULL, 8), EINVAL);

	ERR(poll((struct pollfd *)8, 1, 0), EFAULT);
	ERR(poll(f, (1u << 20) + 1, 0), EINVAL); /* beyond any RLIMIT_NOFILE */
	VAL(unlink("poll_files.tmp"), 0);
	return contract_end();
}
