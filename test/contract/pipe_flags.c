/* pipe2 flags, O_NONBLOCK (EAGAIN both ways), the pipe's capacity. */
#include "contract.h"

int main(void)
{
	char buf[64];
	int p[2];
	contract_begin("pipe_flags");

	VAL(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
	VAL(fcntl(p[0], F_GETFD), FD_CLOEXEC);
	VAL(fcntl(p[1], F_GETFD), FD_CLOEXEC);
	VAL(fcntl(p[0], F_GETFL), O_RDONLY | O_NONBLOCK);
	VAL(fcntl(p[1], F_GETFL), O_WRONLY | O_NONBLOCK);
	ERR(read(p[0], buf, sizeof(buf)), EAGAIN);

	/* Fill it: 64 KiB on Linux, then EAGAIN. */
	static char big[70000];
	memset(big, 'p', sizeof(big));
	VAL(write(p[1], big, 65536), 65536);
	ERR(write(p[1], big, 1), EAGAIN);
	VAL(read(p[0], buf, sizeof(buf)), 64);
	/* PIPE_BUF (4096) writes are atomic: no room for all of it, EAGAIN. */
	ERR(write(p[1], big, 4096), EAGAIN);
	VAL(close(p[0]), 0);
	VAL(close(p[1]), 0);

	VAL(pipe2(p, 0), 0);
	VAL(fcntl(p[0], F_GETFD), 0);
	VAL(fcntl(p[0], F_GETFL), O_RDONLY);
	VAL(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	ERR(read(p[0], buf, 1), EAGAIN);
	VAL(fcntl(p[0], F_SETFL, 0), 0);
	VAL(fcntl(p[0], F_GETFL), O_RDONLY);
	VAL(close(p[0]), 0);
	VAL(close(p[1]), 0);
	ERR(pipe2(p, O_APPEND), EINVAL);
	ERR(pipe2(p, 0x10000000), EINVAL);
	return contract_end();
}
