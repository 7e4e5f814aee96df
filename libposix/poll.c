/*
 * poll and ppoll (Linux's fs/select.c do_sys_poll). Each fd's readiness
 * comes from whoever serves its data path: vfs for its files (VFS_POLL:
 * a pipe's by its ends and data, any other file always ready), the
 * console driver for the terminal (CONSOLE_POLL: n_tty_poll's answer,
 * posix/proto_console.h), /dev/null and /dev/zero always ready; an fd
 * that is not open is POLLNVAL, a negative one is skipped.
 *
 * When nothing is ready and the timeout allows:
 *   - only console fds can still become ready: the wait is the console
 *     driver's (CONSOLE_POLL with their events and the time left: a
 *     deferred reply that input, the timeout or a signal ends), then a
 *     pass without waiting fills revents;
 *   - a vfs fd (a pipe) is among them: the thread sleeps on its own Timer
 *     and looks again, at intervals from 1 ms growing to 8 ms (FIXME: vfs
 *     sends no wake-up yet, so a ready pipe is seen up to one interval
 *     late);
 *   - nothing at all (nfds 0, every fd negative): a plain sleep.
 * A signal ends the wait: -ERESTARTNOHAND (EINTR with a handler,
 * restarted otherwise; Linux restarts through a restart block that keeps
 * the deadline, here a restart waits the whole timeout again).
 *
 * Entry points: posix_sys_poll, posix_sys_ppoll (with a signal mask not
 * done: ENOSYS, logged once; musl's and glibc's poll are SYS_poll).
 */
#include <stdbool.h>
#include <stddef.h>

#include "call.h"
#include "fdtable.h"
#include "intr.h"
#include "log.h"
#include "state.h"
#include "time_calc.h"
#include "tty.h"
#include "uaccess.h"

#include "posix/errno.h"
#include "posix/poll.h"
#include "posix/proto_console.h"
#include "posix/proto_vfs.h"
#include "posix/time.h"

#define POLL_FDS_MAX 1048576u /* RLIMIT_NOFILE's ceiling (nr_open) */
#define POLL_CHUNK 64u	      /* pollfds copied in and out at a time */
#define FOREVER CONSOLE_POLL_FOREVER
#define DEFAULT_POLLMASK (POSIX_POLLIN | POSIX_POLLOUT | POSIX_POLLRDNORM | POSIX_POLLWRNORM)

/* Defined in time.c: sleep to a CLOCK_MONOTONIC deadline, 0 or
 * -ERESTART_RESTARTBLOCK when a signal cut it short. */
long posix_sleep_until_monotonic(uint64_t deadline);
uint64_t posix_monotonic_ns(void);

/* What a pass learnt of the fds that are not ready: how to wait for them. */
struct poll_wait {
	uint64_t console_events; /* the console entries' events (0: none) */
	uint64_t console_handle;
	bool vfs; /* a vfs fd: no wake-up, look again at intervals */
};

static int16_t fd_revents(int32_t fd, int16_t events, struct poll_wait *w)
{
	const struct posix_fd *f;
	uint64_t want = (uint16_t)events | POSIX_POLLERR | POSIX_POLLHUP;
	int16_t m;

	if (fd < 0)
		return 0;
	f = posix_fd(fd);
	switch (f->route) {
	case POSIX_ROUTE_NONE:
		return POSIX_POLLNVAL;
	case POSIX_ROUTE_NULL:
	case POSIX_ROUTE_ZERO:
		return (int16_t)(DEFAULT_POLLMASK & want);
	case POSIX_ROUTE_CONSOLE: {
		long r = posix_tty_poll(f->handle, want, 0);
		m = r < 0 ? POSIX_POLLERR : (int16_t)((uint64_t)r & want);
		if (!m) {
			w->console_events |= want;
			w->console_handle = f->handle;
		}
		return m;
	}
	default: {
		uint64_t q[4] = { (uint64_t)(int64_t)fd, (uint16_t)events, 0, 0 }, r[4];
		long err = posix_vfs_call(VFS_POLL, q, 2, 0, r);
		if (err == -EBADF)
			return POSIX_POLLNVAL;
		if (err < 0)
			return POSIX_POLLERR;
		m = (int16_t)(r[0] & want);
		w->vfs |= !m;
		return m;
	}
	}
}

/* One pass over the user's array: the number of fds with events, or
 * -EFAULT. */
static long poll_once(uint64_t ufds, uint64_t nfds, struct poll_wait *w)
{
	struct posix_pollfd buf[POLL_CHUNK];
	long ready = 0;

	*w = (struct poll_wait){ 0 };
	for (uint64_t i = 0; i < nfds; i += POLL_CHUNK) {
		uint64_t n = nfds - i < POLL_CHUNK ? nfds - i : POLL_CHUNK;
		uint64_t at = ufds + i * sizeof(struct posix_pollfd);
		if (copy_from_user(buf, at, n * sizeof(struct posix_pollfd)))
			return -EFAULT;
		/* Only revents goes back (Linux's do_sys_poll): the fd and
		 * events words stay as the program has them now, even if
		 * another thread or process changed them since the copy. */
		for (uint64_t j = 0; j < n; j++) {
			buf[j].revents = fd_revents(buf[j].fd, buf[j].events, w);
			if (buf[j].revents)
				ready++;
			if (copy_to_user(at + j * sizeof(struct posix_pollfd) +
						 offsetof(struct posix_pollfd, revents),
					 &buf[j].revents, sizeof(buf[j].revents)))
				return -EFAULT;
		}
	}
	return ready;
}

/* timeout_ns: FOREVER waits forever, 0 not at all. */
static long do_poll(uint64_t ufds, uint64_t nfds, uint64_t timeout_ns)
{
	uint64_t start = posix_monotonic_ns(), interval = 1000000, deadline;
	struct poll_wait w;

	if (nfds > POLL_FDS_MAX)
		return -EINVAL;
	deadline =
		timeout_ns == FOREVER || start + timeout_ns < start ? FOREVER : start + timeout_ns;
	for (;;) {
		long ready = poll_once(ufds, nfds, &w);
		if (ready != 0)
			return ready;
		uint64_t now = posix_monotonic_ns();
		if (now >= deadline)
			return 0;
		if (w.console_events && !w.vfs) {
			long r = posix_tty_poll(w.console_handle, w.console_events,
						deadline == FOREVER ? FOREVER : deadline - now);
			if (r == -ERESTARTSYS)
				return -ERESTARTNOHAND;
			if (r < 0)
				return r;
			continue; /* ready (or the time ran out): the next pass says */
		}
		uint64_t until = !w.vfs && !w.console_events ? deadline
				 : deadline - now > interval ? now + interval
							     : deadline;
		if (posix_sleep_until_monotonic(until))
			return -ERESTARTNOHAND;
		if (interval < 8000000)
			interval *= 2;
	}
}

long posix_sys_poll(struct posix_call *c)
{
	int32_t ms = (int32_t)c->a[2];

	return do_poll(c->a[0], (uint32_t)c->a[1], ms < 0 ? FOREVER : (uint64_t)ms * 1000000);
}

long posix_sys_ppoll(struct posix_call *c)
{
	static bool said;
	uint64_t timeout = FOREVER;

	if (c->a[2]) {
		struct posix_timespec ts;
		if (copy_from_user(&ts, c->a[2], sizeof(ts)))
			return -EFAULT;
		if (!posix_timespec_valid(&ts))
			return -EINVAL;
		timeout = (uint64_t)ts.tv_sec > (FOREVER - (uint64_t)ts.tv_nsec) / 1000000000u
				  ? FOREVER
				  : (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	}
	if (c->a[3]) {
		if (!said) {
			said = true;
			posix_log("posix: ppoll with a signal mask is not implemented: ENOSYS");
		}
		return -ENOSYS;
	}
	return do_poll(c->a[0], (uint32_t)c->a[1], timeout);
}
