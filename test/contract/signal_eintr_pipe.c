/* A signal interrupts a blocked pipe read (no fork: an ITIMER_REAL of
 * 250 ms sends SIGALRM while the read waits for data no one writes but
 * the handler): without SA_RESTART the read returns -1 EINTR (and the
 * byte the handler wrote is there afterwards); with SA_RESTART it is
 * restarted and returns that byte; the same for readv. nanosleep is
 * never restarted: -1 EINTR with SA_RESTART too, the time left in
 * *rem. alarm(1) interrupting a read, once, the same way. */
#include "contract.h"
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>

static int pfd[2];
static volatile int count;

static void handler(int sig)
{
	count++;
	if (write(pfd[1], "h", 1) != 1)
		count += 100;
}

static void set(int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) != 0)
		contract_fail(__LINE__, "sigaction: %s", errno_name(errno));
}

static void arm(long ms)
{
	struct itimerval it = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } };
	if (setitimer(ITIMER_REAL, &it, NULL) != 0)
		contract_fail(__LINE__, "setitimer: %s", errno_name(errno));
}

int main(void)
{
	char buf[8] = { 0 };
	struct iovec iov = { buf, sizeof(buf) };
	contract_begin("signal_eintr_pipe");
	VAL(pipe(pfd), 0);

	set(0);
	count = 0;
	arm(250);
	ERR(read(pfd[0], buf, sizeof(buf)), EINTR);
	VAL(count, 1);
	VAL(read(pfd[0], buf, sizeof(buf)), 1); /* the handler's byte */
	arm(250);
	ERR(readv(pfd[0], &iov, 1), EINTR);
	VAL(count, 2);
	VAL(read(pfd[0], buf, sizeof(buf)), 1);

	set(SA_RESTART);
	count = 0;
	buf[0] = 0;
	arm(250);
	VAL(read(pfd[0], buf, sizeof(buf)), 1);
	VAL(count, 1);
	TRUE(buf[0] == 'h');
	arm(250);
	VAL(readv(pfd[0], &iov, 1), 1);
	VAL(count, 2);

	/* nanosleep: EINTR even with SA_RESTART, and the remainder. */
	struct timespec ts = { 5, 0 }, rem = { 0, 0 };
	arm(250);
	ERR(nanosleep(&ts, &rem), EINTR);
	VAL(count, 3);
	TRUE(rem.tv_sec >= 3 && rem.tv_sec <= 4 && rem.tv_nsec >= 0 && rem.tv_nsec < 1000000000);
	VAL(read(pfd[0], buf, sizeof(buf)), 1);

	/* alarm(1), without SA_RESTART. */
	set(0);
	count = 0;
	VAL(alarm(1), 0);
	ERR(read(pfd[0], buf, sizeof(buf)), EINTR);
	VAL(count, 1);
	VAL(alarm(0), 0);
	VAL(close(pfd[0]), 0);
	VAL(close(pfd[1]), 0);
	return contract_end();
}
