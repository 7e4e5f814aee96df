/*
 * poll and ppoll (Linux's fs/select.c do_sys_poll). Each fd's readiness
 * comes from whoever serves its data path: vfs for its files (VFS_POLL:
 * a pipe's by its ends and data, any other file always ready), the
 * console driver for the terminal (FIONREAD: input a read would take
 * now; output always has room), /dev/null and /dev/zero always ready;
 * an fd that is not open is POLLNVAL. When nothing is ready and the
 * timeout allows, the thread sleeps on its own Timer and looks again,
 * at intervals from 1 ms growing to 8 ms (FIXME: no wake-up from the
 * servers yet, so a ready fd is seen up to one interval late). A signal
 * ends the wait: -ERESTARTNOHAND (EINTR with a handler, restarted
 * otherwise; Linux restarts through a restart block that keeps the
 * deadline, here a restart waits the whole timeout again).
 *
 * Entry point: posix_sys_poll (ppoll, with its signal mask, is not done:
 * ENOSYS; musl's poll is SYS_poll).
 */
#include "call.h"
#include "fdtable.h"
#include "intr.h"
#include "state.h"
#include "tty.h"
#include "uaccess.h"

#include "posix/errno.h"
#include "posix/proto_vfs.h"

#define POLLIN 0x001
#define POLLOUT 0x004
#define POLLERR 0x008
#define POLLHUP 0x010
#define POLLNVAL 0x020
#define POLLRDNORM 0x040
#define POLLWRNORM 0x100
#define FIONREAD 0x541bu
#define POLL_FDS_MAX 1048576u /* RLIMIT_NOFILE's ceiling (nr_open) */
#define POLL_CHUNK 64u	      /* pollfds copied in and out at a time */

struct pollfd {
	int32_t fd;
	int16_t events, revents;
};

/* Defined in time.c: sleep to a CLOCK_MONOTONIC deadline, 0 or
 * -ERESTART_RESTARTBLOCK when a signal cut it short. */
long posix_sleep_until_monotonic(uint64_t deadline);
uint64_t posix_monotonic_ns(void);

static int16_t fd_revents(int32_t fd, int16_t events)
{
	const struct posix_fd *f;
	uint64_t always = POLLERR | POLLHUP, want = (uint16_t)events | always;

	if (fd < 0)
		return 0;
	f = posix_fd(fd);
	switch (f->route) {
	case POSIX_ROUTE_NONE:
		return POLLNVAL;
	case POSIX_ROUTE_NULL:
	case POSIX_ROUTE_ZERO:
		return (int16_t)((POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM) & want);
	case POSIX_ROUTE_CONSOLE: {
		/* FIONREAD through the console's own ioctl path (its answer is
		 * written to a user int, so a word of ours on the stack). */
		uint64_t mask = POLLOUT | POLLWRNORM;
		long n = posix_tty_readable(f->handle);
		if (n > 0)
			mask |= POLLIN | POLLRDNORM;
		else if (n < 0 && n != -EAGAIN)
			mask |= POLLERR;
		return (int16_t)(mask & want);
	}
	default: {
		uint64_t w[4] = { (uint64_t)(int64_t)fd, (uint16_t)events, 0, 0 }, r[4];
		long err = posix_vfs_call(VFS_POLL, w, 2, 0, r);
		if (err == -EBADF)
			return POLLNVAL;
		if (err < 0)
			return POLLERR;
		return (int16_t)(r[0] & want);
	}
	}
}

/* One pass over the user's array: the number of fds with events, or
 * -EFAULT. */
static long poll_once(uint64_t ufds, uint64_t nfds)
{
	struct pollfd buf[POLL_CHUNK];
	long ready = 0;

	for (uint64_t i = 0; i < nfds; i += POLL_CHUNK) {
		uint64_t n = nfds - i < POLL_CHUNK ? nfds - i : POLL_CHUNK;
		uint64_t at = ufds + i * sizeof(struct pollfd);
		if (copy_from_user(buf, at, n * sizeof(struct pollfd)))
			return -EFAULT;
		for (uint64_t j = 0; j < n; j++) {
			buf[j].revents = fd_revents(buf[j].fd, buf[j].events);
			if (buf[j].revents)
				ready++;
		}
		if (copy_to_user(at, buf, n * sizeof(struct pollfd)))
			return -EFAULT;
	}
	return ready;
}

/* timeout_ns: UINT64_MAX waits forever, 0 not at all. */
static long do_poll(uint64_t ufds, uint64_t nfds, uint64_t timeout_ns)
{
	uint64_t start = posix_monotonic_ns(), interval = 1000000, deadline;

	if (nfds > POLL_FDS_MAX)
		return -EINVAL;
	deadline = timeout_ns == UINT64_MAX || start + timeout_ns < start ? UINT64_MAX
									   : start + timeout_ns;
	for (;;) {
		long ready = poll_once(ufds, nfds);
		if (ready != 0)
			return ready;
		uint64_t now = posix_monotonic_ns();
		if (now >= deadline)
			return 0;
		uint64_t until = deadline - now > interval ? now + interval : deadline;
		if (posix_sleep_until_monotonic(until))
			return -ERESTARTNOHAND;
		if (interval < 8000000)
			interval *= 2;
	}
}

long posix_sys_poll(struct posix_call *c)
{
	int32_t ms = (int32_t)c->a[2];

	return do_poll(c->a[0], c->a[1], ms < 0 ? UINT64_MAX : (uint64_t)ms * 1000000);
}
