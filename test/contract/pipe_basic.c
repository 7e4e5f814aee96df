/* pipe: data in order, FIONREAD, end of file once the writers are gone,
 * the wrong ends, a pipe's stat. */
#include "contract.h"
#include <sys/ioctl.h>

int main(void)
{
	char buf[64];
	int p[2], n = -1;
	contract_begin("pipe_basic");

	VAL(pipe(p), 0);
	VAL(p[0], 3);
	VAL(p[1], 4);
	VAL(write(p[1], "hello", 5), 5);
	VAL(write(p[1], " world", 6), 6);
	VAL(ioctl(p[0], FIONREAD, &n), 0);
	VAL(n, 11);
	VAL(read(p[0], buf, 3), 3);
	TRUE(memcmp(buf, "hel", 3) == 0);
	VAL(read(p[0], buf, sizeof(buf)), 8);
	TRUE(memcmp(buf, "lo world", 8) == 0);
	VAL(ioctl(p[0], FIONREAD, &n), 0);
	VAL(n, 0);
	ERR(write(p[0], "x", 1), EBADF);
	ERR(read(p[1], buf, 1), EBADF);
	VAL(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	VAL(fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);

	/* Data written before the last writer closes is still read, then EOF. */
	VAL(write(p[1], "tail", 4), 4);
	int w2 = VAL(dup(p[1]), 5);
	VAL(close(p[1]), 0);
	VAL(write(w2, "!", 1), 1);
	VAL(close(w2), 0);
	VAL(read(p[0], buf, sizeof(buf)), 5);
	TRUE(memcmp(buf, "tail!", 5) == 0);
	VAL(read(p[0], buf, sizeof(buf)), 0);
	VAL(read(p[0], buf, sizeof(buf)), 0);
	VAL(close(p[0]), 0);

	/* A big write that fits in the pipe (64 KiB on Linux) is whole. */
	static char big[65536], back[65536];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + i / 256);
	VAL(pipe(p), 0);
	VAL(write(p[1], big, 60000), 60000);
	size_t got = 0;
	while (got < 60000) {
		ssize_t r = read(p[0], back + got, sizeof(back) - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	VAL(got, 60000);
	TRUE(memcmp(big, back, 60000) == 0);
	VAL(close(p[1]), 0);
	VAL(read(p[0], buf, sizeof(buf)), 0);
	VAL(close(p[0]), 0);
	return contract_end();
}
