/*
 * poll and ppoll (Linux's fs/select.c do_sys_poll). Each pass reads the
 * user's struct pollfd array entry by entry and asks each fd's owner for
 * its mask:
 *   - the console (POSIX_ROUTE_CONSOLE): CONSOLE_POLL, n_tty_poll's
 *     answer (posix/proto_console.h);
 *   - /dev/null, /dev/zero and every vfs file that is not a pipe or FIFO:
 *     DEFAULT_POLLMASK (POLLIN|POLLOUT|POLLRDNORM|POLLWRNORM), as Linux
 *     answers for files without a poll operation (regular files,
 *     directories, memory devices);
 *   - a pipe or FIFO: not implemented (FIXME: vfs has no readiness query
 *     yet): the call is -ENOSYS, logged once.
 * A negative fd is skipped (revents 0), an fd that is not open is
 * POLLNVAL. When nothing is ready and the timeout allows, the wait is the
 * console's (CONSOLE_POLL with the union of the console entries' events,
 * a deferred reply ended by input, the timeout or a signal), or with no
 * console entry a plain sleep on the thread's Timer; then a pass without
 * waiting fills revents. A signal ends the wait with -ERESTARTNOHAND (a
 * handler makes it -EINTR; without one poll is made again with its whole
 * timeout: FIXME, Linux's restart block counts from the first call).
 * ppoll's sigmask (not NULL) is not implemented: -ENOSYS (FIXME).
 *
 * Entry points: posix_sys_poll, posix_sys_ppoll.
 */
#include <stdbool.h>
#include <stddef.h>

#include "call.h"
#include "fdtable.h"
#include "intr.h"
#include "log.h"
#include "time_calc.h"
#include "tty.h"
#include "uaccess.h"

#include "posix/errno.h"
#include "posix/poll.h"
#include "posix/proto_console.h"
#include "posix/stat.h"
#include "posix/time.h"

#define POLL_NFDS_MAX 1048576 /* Linux's nr_open: nfds beyond any RLIMIT_NOFILE is EINVAL */
#define DEFAULT_POLLMASK \
	(POSIX_POLLIN | POSIX_POLLOUT | POSIX_POLLRDNORM | POSIX_POLLWRNORM)

/* What is not implemented is said once per process (in the system log). */
static long not_implemented(const char *what)
{
	static bool said;

	if (!said) {
		said = true;
		posix_log("posix: %s is not implemented: ENOSYS", what);
	}
	return -ENOSYS;
}

/* The mask of one vfs fd, or -errno. */
static long vfs_mask(int64_t fd)
{
	uint64_t w[1] = { (uint64_t)fd }, r[4];
	long err = posix_vfs_call(VFS_FSTAT, w, 1, 0, r);

	if (err == -EBADF)
		return POSIX_POLLNVAL;
	if (err)
		return err;
	uint32_t mode = (uint32_t)r[3]; /* struct stat's st_mode: bytes 24..27 */
	if (POSIX_S_ISFIFO(mode) || POSIX_S_ISSOCK(mode)) {
		return not_implemented("poll of a pipe, FIFO or socket");
	}
	return DEFAULT_POLLMASK;
}

/* One pollfd's revents (0 when none of its events, POLLERR or POLLHUP
 * hold), or -errno. `events` collects what the console entries ask. */
static long revents_of(const struct posix_pollfd *p, uint64_t *console_events,
		       uint64_t *console_handle)
{
	if (p->fd < 0)
		return 0;
	const struct posix_fd *f = posix_fd(p->fd);
	uint64_t want = (uint16_t)p->events | POSIX_POLLERR | POSIX_POLLHUP;
	long m;

	switch (f->route) {
	case POSIX_ROUTE_NONE:
		return POSIX_POLLNVAL;
	case POSIX_ROUTE_CONSOLE:
		*console_events |= want;
		*console_handle = f->handle;
		m = posix_tty_poll(f->handle, want, 0);
		break;
	case POSIX_ROUTE_NULL:
	case POSIX_ROUTE_ZERO:
		m = DEFAULT_POLLMASK;
		break;
	default:
		m = vfs_mask(p->fd);
		break;
	}
	if (m < 0)
		return m;
	return m == POSIX_POLLNVAL ? m : (long)((uint64_t)m & want);
}

/* One pass over the array: revents stored, the count of ready entries
 * returned (or -errno). */
static long poll_pass(uint64_t ufds, uint64_t nfds, uint64_t *console_events,
		      uint64_t *console_handle)
{
	long ready = 0;

	*console_events = 0;
	for (uint64_t i = 0; i < nfds; i++) {
		struct posix_pollfd p;
		uint64_t u = ufds + i * sizeof(p);
		if (copy_from_user(&p, u, sizeof(p)))
			return -EFAULT;
		long m = revents_of(&p, console_events, console_handle);
		if (m < 0)
			return m;
		p.revents = (int16_t)m;
		if (copy_to_user(u + offsetof(struct posix_pollfd, revents), &p.revents,
				 sizeof(p.revents)))
			return -EFAULT;
		ready += m != 0;
	}
	return ready;
}

/* poll with a timeout in ns (CONSOLE_POLL_FOREVER: none). */
static long do_poll(uint64_t ufds, uint64_t nfds, uint64_t timeout)
{
	if (nfds > POLL_NFDS_MAX)
		return -EINVAL;
	if (!user_range_ok(ufds, nfds * sizeof(struct posix_pollfd)))
		return -EFAULT;
	uint64_t start = posix_monotonic_ns();
	uint64_t deadline = timeout == CONSOLE_POLL_FOREVER || timeout > UINT64_MAX - start
				    ? CONSOLE_POLL_FOREVER
				    : start + timeout;
	for (;;) {
		uint64_t events, handle = 0;
		long ready = poll_pass(ufds, nfds, &events, &handle);
		if (ready != 0 || timeout == 0)
			return ready;
		uint64_t now = posix_monotonic_ns();
		if (deadline != CONSOLE_POLL_FOREVER && now >= deadline)
			return 0;
		uint64_t left = deadline == CONSOLE_POLL_FOREVER ? CONSOLE_POLL_FOREVER
								 : deadline - now;
		long r;
		if (events) {
			r = posix_tty_poll(handle, events, left);
			if (r == -ERESTARTSYS)
				r = -ERESTARTNOHAND;
		} else {
			r = posix_sleep_until(deadline); /* nothing to wait for but time */
		}
		if (r < 0)
			return r;
		if (!events || r == 0)
			timeout = 0; /* the time ran out: one last pass */
	}
}

long posix_sys_poll(struct posix_call *c)
{
	int32_t ms = (int32_t)c->a[2];

	return do_poll(c->a[0], (uint32_t)c->a[1],
		       ms < 0 ? CONSOLE_POLL_FOREVER : (uint64_t)ms * 1000000u);
}

long posix_sys_ppoll(struct posix_call *c)
{
	uint64_t timeout = CONSOLE_POLL_FOREVER;

	if (c->a[2]) {
		struct posix_timespec ts;
		if (copy_from_user(&ts, c->a[2], sizeof(ts)))
			return -EFAULT;
		if (!posix_timespec_valid(&ts))
			return -EINVAL;
		timeout = (uint64_t)ts.tv_sec > (UINT64_MAX - (uint64_t)ts.tv_nsec) / 1000000000u
				  ? CONSOLE_POLL_FOREVER
				  : (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	}
	if (c->a[3]) {
		return not_implemented("ppoll with a signal mask");
	}
	return do_poll(c->a[0], (uint32_t)c->a[1], timeout);
}
