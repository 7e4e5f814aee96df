/* select(2), pselect6(2) and ppoll's signal mask: readiness of pipes in
 * the read, write and exception sets (an fd in two sets counts twice),
 * the sets rewritten on success and left alone on error, EBADF for a set
 * bit of a closed fd, EINVAL for a negative n or a bad timeout, EFAULT,
 * n up to FD_SETSIZE, the timeout written back with the time
 * left (raw syscalls: musl passes select a copy), a zero timeout left
 * alone, a wait a child's write ends; then the masks: a signal blocked
 * outside and unblocked by the call's mask interrupts it (EINTR, the
 * handler runs, the old mask back afterwards), a signal the call's mask
 * blocks stays pending, and a bad sigset size is EINVAL. */
#include "contract.h"
#include <poll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <time.h>

static volatile int caught;

static void on_usr1(int s)
{
	(void)s;
	caught++;
}

static long sys_select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
	return syscall(SYS_select, n, r, w, e, tv);
}

static long sys_pselect6(int n, fd_set *r, fd_set *w, fd_set *e, struct timespec *ts,
			 const sigset_t *mask, size_t size)
{
	long pack[2] = { (long)mask, (long)size };
	return syscall(SYS_pselect6, n, r, w, e, ts, pack);
}

static long sys_ppoll(struct pollfd *f, unsigned n, struct timespec *ts, const sigset_t *mask,
		      size_t size)
{
	return syscall(SYS_ppoll, f, n, ts, mask, size);
}

static int blocked(int sig)
{
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, sig);
}

int main(void)
{
	fd_set r, w, e;
	struct timeval tv;
	struct timespec ts;
	int p[2], q[2], st;
	contract_begin("select_basic");

	TRUE(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
	VAL(pipe(p), 0);
	VAL(pipe(q), 0);
	int hi = p[0] > p[1] ? p[0] : p[1];
	hi = q[0] > hi ? q[0] : hi;
	hi = q[1] > hi ? q[1] : hi;

	/* Nothing to read, both write ends writable: the write set only. */
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&e);
	FD_SET(p[0], &r);
	FD_SET(q[0], &r);
	FD_SET(p[1], &w);
	FD_SET(q[1], &w);
	FD_SET(p[0], &e);
	tv = (struct timeval){ 0, 0 };
	VAL(sys_select(hi + 1, &r, &w, &e, &tv), 2);
	VAL(FD_ISSET(p[0], &r), 0);
	VAL(FD_ISSET(q[0], &r), 0);
	TRUE(FD_ISSET(p[1], &w));
	TRUE(FD_ISSET(q[1], &w));
	VAL(FD_ISSET(p[0], &e), 0);
	VAL(tv.tv_sec, 0);
	VAL(tv.tv_usec, 0);

	/* Data in q: readable; an fd in the read and write sets counts twice
	 * (a pipe read end is never writable: once). */
	VAL(write(q[1], "x", 1), 1);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(q[0], &r);
	FD_SET(q[1], &w);
	FD_SET(q[0], &w);
	VAL(select(hi + 1, &r, &w, NULL, &(struct timeval){ 0, 0 }), 2);
	TRUE(FD_ISSET(q[0], &r));
	TRUE(FD_ISSET(q[1], &w));
	VAL(FD_ISSET(q[0], &w), 0);
	FD_ZERO(&r);
	FD_SET(q[0], &r);
	FD_SET(p[0], &r);
	VAL(sys_select(hi + 1, &r, &r, NULL, &(struct timeval){ 0, 0 }), 1);

	/* A writer gone: the read end is readable (EOF); a reader gone: the
	 * write end is writable (EPIPE awaits). */
	int s[2];
	VAL(pipe(s), 0);
	VAL(close(s[1]), 0);
	FD_ZERO(&r);
	FD_SET(s[0], &r);
	VAL(select(s[0] + 1, &r, NULL, NULL, &(struct timeval){ 0, 0 }), 1);
	TRUE(FD_ISSET(s[0], &r));
	VAL(close(s[0]), 0);

	/* Errors: the sets are left as they were. */
	FD_ZERO(&r);
	FD_SET(q[0], &r);
	FD_SET(hi + 3, &r);
	ERR(sys_select(hi + 4, &r, NULL, NULL, &(struct timeval){ 0, 0 }), EBADF);
	TRUE(FD_ISSET(q[0], &r));
	TRUE(FD_ISSET(hi + 3, &r));
	/* ... but a bit at n or beyond is not the call's */
	VAL(sys_select(hi + 3, &r, NULL, NULL, &(struct timeval){ 0, 0 }), 1);
	/* n up to FD_SETSIZE with only open fds' bits set (Linux cuts n to
	 * its fd table's size, which a process inherits from its parent's
	 * history: whether fd 100's bit is EBADF depends on the runner) */
	FD_ZERO(&r);
	FD_SET(q[1], &r);
	VAL(sys_select(FD_SETSIZE, &r, NULL, NULL, &(struct timeval){ 0, 0 }), 0);
	ERR(sys_select(-1, NULL, NULL, NULL, &(struct timeval){ 0, 0 }), EINVAL);
	ERR(sys_select(1, NULL, NULL, NULL, &(struct timeval){ 0, -1 }), EINVAL);
	ERR(sys_select(1, NULL, NULL, NULL, &(struct timeval){ -1, 0 }), EINVAL);
	ERR(sys_select(1, NULL, NULL, NULL, (struct timeval *)8), EFAULT);
	ERR(sys_select(hi + 1, (fd_set *)8, NULL, NULL, &(struct timeval){ 0, 0 }), EFAULT);
	/* tv_usec beyond a second carries: 1.5 s as {0, 1500000} */
	FD_ZERO(&r);
	FD_SET(q[0], &r);
	tv = (struct timeval){ 0, 1500000 };
	VAL(sys_select(hi + 1, &r, NULL, NULL, &tv), 1);
	TRUE(tv.tv_sec == 1 && tv.tv_usec > 0);
	char c;
	VAL(read(q[0], &c, 1), 1);

	/* A timeout that runs out: sets emptied, time left 0. */
	FD_ZERO(&r);
	FD_SET(q[0], &r);
	tv = (struct timeval){ 0, 30000 };
	VAL(sys_select(hi + 1, &r, NULL, NULL, &tv), 0);
	VAL(FD_ISSET(q[0], &r), 0);
	VAL(tv.tv_sec, 0);
	VAL(tv.tv_usec, 0);
	/* select with no fds sleeps */
	VAL(sys_select(0, NULL, NULL, NULL, &(struct timeval){ 0, 10000 }), 0);

	/* A wait a child's write ends; the time left is written back. */
	pid_t pid = fork();
	if (pid == 0) {
		struct timespec d = { 0, 20 * 1000000 };
		nanosleep(&d, NULL);
		write(q[1], "y", 1);
		_exit(0);
	}
	TRUE(pid > 0);
	FD_ZERO(&r);
	FD_SET(q[0], &r);
	tv = (struct timeval){ 10, 0 };
	VAL(sys_select(hi + 1, &r, NULL, NULL, &tv), 1);
	TRUE(FD_ISSET(q[0], &r));
	TRUE(tv.tv_sec >= 8 && tv.tv_sec <= 9);
	TRUE(waitpid(pid, &st, 0) == pid);
	VAL(read(q[0], &c, 1), 1);

	/* pselect6: the timespec written back, the pack's NULL mask. */
	FD_ZERO(&r);
	FD_SET(q[0], &r);
	ts = (struct timespec){ 0, 20000000 };
	VAL(sys_pselect6(hi + 1, &r, NULL, NULL, &ts, NULL, 0), 0);
	VAL(ts.tv_sec, 0);
	VAL(ts.tv_nsec, 0);
	ERR(sys_pselect6(hi + 1, &r, NULL, NULL, &(struct timespec){ 0, 1000000000 }, NULL, 0),
	    EINVAL);
	sigset_t none;
	sigemptyset(&none);
	ERR(sys_pselect6(hi + 1, &r, NULL, NULL, &(struct timespec){ 0, 0 }, &none, 4), EINVAL);
	ERR(syscall(SYS_pselect6, hi + 1, &r, NULL, NULL, &(struct timespec){ 0, 0 }, (void *)8),
	    EFAULT);

	/* The masks: SIGUSR1 blocked, made pending; a wait whose mask lets it
	 * in ends with EINTR after the handler ran, and the block is back. */
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigemptyset(&sa.sa_mask);
	VAL(sigaction(SIGUSR1, &sa, NULL), 0);
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	VAL(sigprocmask(SIG_BLOCK, &usr1, NULL), 0);
	VAL(kill(getpid(), SIGUSR1), 0);
	FD_ZERO(&r);
	FD_SET(q[0], &r);
	ERR(sys_pselect6(hi + 1, &r, NULL, NULL, NULL, &none, 8), EINTR);
	VAL(caught, 1);
	TRUE(blocked(SIGUSR1));
	TRUE(FD_ISSET(q[0], &r)); /* left alone */
	/* the call's mask blocks it: it stays pending, the call times out */
	VAL(kill(getpid(), SIGUSR1), 0);
	ts = (struct timespec){ 0, 10000000 };
	VAL(sys_pselect6(hi + 1, &r, NULL, NULL, &ts, &usr1, 8), 0);
	VAL(caught, 1);
	sigset_t pend;
	VAL(sigpending(&pend), 0);
	TRUE(sigismember(&pend, SIGUSR1));
	/* ppoll the same way */
	struct pollfd f = { .fd = q[0], .events = POLLIN };
	ERR(sys_ppoll(&f, 1, NULL, &none, 8), EINTR);
	VAL(caught, 2);
	TRUE(blocked(SIGUSR1));
	VAL(kill(getpid(), SIGUSR1), 0);
	ts = (struct timespec){ 0, 10000000 };
	VAL(sys_ppoll(&f, 1, &ts, &usr1, 8), 0);
	VAL(ts.tv_sec, 0);
	VAL(ts.tv_nsec, 0);
	VAL(caught, 2);
	ERR(sys_ppoll(&f, 1, &(struct timespec){ 0, 0 }, &usr1, 16), EINVAL);
	/* ready at once: the mask changes nothing, the signal still waits */
	VAL(write(q[1], "z", 1), 1);
	VAL(sys_ppoll(&f, 1, NULL, &usr1, 8), 1);
	VAL(f.revents, POLLIN);
	VAL(caught, 2);
	/* unblocked: delivered now */
	VAL(sigprocmask(SIG_UNBLOCK, &usr1, NULL), 0);
	VAL(caught, 3);
	/* a poll of more fds than RLIMIT_NOFILE is EINVAL */
	struct rlimit rl;
	VAL(getrlimit(RLIMIT_NOFILE, &rl), 0);
	struct rlimit low = { 20, rl.rlim_max };
	VAL(setrlimit(RLIMIT_NOFILE, &low), 0);
	static struct pollfd many[21];
	for (int i = 0; i < 21; i++)
		many[i] = (struct pollfd){ .fd = -1 };
	ERR(poll(many, 21, 0), EINVAL);
	VAL(poll(many, 20, 0), 0);
	VAL(setrlimit(RLIMIT_NOFILE, &rl), 0);

	VAL(close(p[0]), 0);
	VAL(close(p[1]), 0);
	VAL(close(q[0]), 0);
	VAL(close(q[1]), 0);
	return contract_end();
}
