/* SIGPIPE from a write to a pipe without a reader (Linux's pipe_write
 * sends it, then returns EPIPE): blocked, the write fails with EPIPE and
 * SIGPIPE is pending; ignored, it is discarded. writev and pwrite... on
 * a pipe (ESPIPE for pwrite: no signal). The default action (death) is
 * not tested here: as pid 1 the program never gets it (Linux's init
 * ignores every signal it has no handler for). */
#include "contract.h"
#include <signal.h>
#include <sys/uio.h>

#define BIT(s) (1ull << ((s)-1))

static uint64_t pending(void)
{
	uint64_t p = 0x5a5a;
	if (syscall(SYS_rt_sigpending, &p, 8) != 0)
		contract_fail(__LINE__, "rt_sigpending: %s", errno_name(errno));
	return p;
}

int main(void)
{
	int p[2];
	uint64_t m = BIT(SIGPIPE);
	struct iovec iov = { "ab", 2 };
	contract_begin("signal_sigpipe");

	VAL(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &m, NULL, 8), 0);
	VAL(pipe(p), 0);
	VAL(write(p[1], "x", 1), 1); /* a reader: no signal */
	TRUE(pending() == 0);
	VAL(close(p[0]), 0);
	ERR(write(p[1], "x", 1), EPIPE);
	TRUE(pending() == BIT(SIGPIPE));
	TRUE(signal(SIGPIPE, SIG_IGN) == SIG_DFL); /* discards it */
	TRUE(pending() == 0);
	ERR(writev(p[1], &iov, 1), EPIPE);
	TRUE(pending() == BIT(SIGPIPE)); /* blocked: queued though ignored */
	TRUE(signal(SIGPIPE, SIG_DFL) == SIG_IGN);
	TRUE(pending() == BIT(SIGPIPE));
	ERR(pwrite(p[1], "x", 1, 0), ESPIPE);
	TRUE(signal(SIGPIPE, SIG_IGN) == SIG_DFL);
	TRUE(pending() == 0);

	/* Unblocked and ignored: EPIPE, nothing pending. */
	VAL(syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &m, NULL, 8), 0);
	ERR(write(p[1], "x", 1), EPIPE);
	ERR(writev(p[1], &iov, 1), EPIPE);
	TRUE(pending() == 0);
	VAL(close(p[1]), 0);
	return contract_end();
}
