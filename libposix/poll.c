/*
 * poll and ppoll (Linux's fs/select.c do_sys_poll). Each fd's readiness
 * comes from whoever serves its data path: vfs for its files (VFS_POLL:
 * a pipe's by its ends and data, any other file always ready), the
 * console driver for the terminal (CONSOLE_POLL: n_tty_poll's answer,
 * posix/proto_console.h), /dev/null and /dev/zero always ready; an fd
 * that is not open is POLLNVAL, a negative one is skipped.
 *
 * When nothing is ready and the timeout allows (posix_poll_loop, which
 * select.c shares):
 *   - only console fds can still become ready: the wait is the console
 *     driver's (CONSOLE_POLL with their events and the time left: a
 *     deferred reply that input, the timeout or a signal ends), then a
 *     pass without waiting fills revents;
 *   - a vfs fd (a pipe) is among them: the thread sleeps on its own Timer
 *     and looks again, at intervals from 1 ms growing to 8 ms (FIXME: vfs
 *     sends no wake-up yet, so a ready pipe is seen up to one interval
 *     late);
 *   - nothing at all (nfds 0, every fd negative): a plain sleep.
 * A signal ends the wait. poll then returns -ERESTART_RESTARTBLOCK with
 * the thread's restart block (the array, nfds, the deadline): EINTR when
 * a handler runs, else restart_syscall polls on to the same deadline
 * (do_restart_poll). ppoll returns -ERESTARTNOHAND after writing the time
 * left to its timespec (poll_select_finish: not for a zero timeout; when
 * the timespec cannot be written the call is not restarted: EINTR).
 * nfds above RLIMIT_NOFILE is EINVAL (asked of proc only for more than
 * POLL_NOFILE_FLOOR fds: a smaller limit than that is not seen).
 *
 * ppoll's signal mask is set for the wait as rt_sigsuspend sets it
 * (posix_signal_wait_mask_begin, signal.c): the old one comes back at the
 * end, or, when a handler runs, once the handler's frame has it
 * (restore_saved_sigmask_unless).
 */
#include <stdbool.h>
#include <stddef.h>

#include "call.h"
#include "fdtable.h"
#include "intr.h"
#include "log.h"
#include "poll_wait.h"
#include "state.h"
#include "time_calc.h"
#include "tty.h"
#include "uaccess.h"

#include "posix/errno.h"
#include "posix/poll.h"
#include "posix/proto_console.h"
#include "posix/proto_vfs.h"
#include "posix/time.h"
#include "signals.h"

#define POLL_FDS_MAX 1048576u /* RLIMIT_NOFILE's ceiling (nr_open) */
#define POLL_CHUNK 64u	      /* pollfds copied in and out at a time */
#define FOREVER POSIX_POLL_FOREVER
#define POLL_NOFILE_FLOOR 16u /* fewer fds than this are never checked against the limit */
#define SYS_POLL 7
#define RLIMIT_NOFILE 7
_Static_assert(CONSOLE_POLL_FOREVER == POSIX_POLL_FOREVER, "one 'forever'");
#define DEFAULT_POLLMASK (POSIX_POLLIN | POSIX_POLLOUT | POSIX_POLLRDNORM | POSIX_POLLWRNORM)

/* Defined in time.c: sleep to a CLOCK_MONOTONIC deadline, 0 or
 * -ERESTART_RESTARTBLOCK when a signal cut it short. */
long posix_sleep_until_monotonic(uint64_t deadline);
/* Defined in proc.c: the calling process's soft limit of `resource`. */
long posix_rlimit_cur(unsigned resource, uint64_t *cur);

int16_t posix_poll_fd(int32_t fd, int16_t events, struct poll_wait *w)
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
struct poll_array {
	uint64_t ufds, nfds;
};

static long poll_once(void *ctx, struct poll_wait *w)
{
	const struct poll_array *a = ctx;
	struct posix_pollfd buf[POLL_CHUNK];
	long ready = 0;

	for (uint64_t i = 0; i < a->nfds; i += POLL_CHUNK) {
		uint64_t n = a->nfds - i < POLL_CHUNK ? a->nfds - i : POLL_CHUNK;
		uint64_t at = a->ufds + i * sizeof(struct posix_pollfd);
		if (copy_from_user(buf, at, n * sizeof(struct posix_pollfd)))
			return -EFAULT;
		/* Only revents goes back (Linux's do_sys_poll): the fd and
		 * events words stay as the program has them now, even if
		 * another thread or process changed them since the copy. */
		for (uint64_t j = 0; j < n; j++) {
			buf[j].revents = posix_poll_fd(buf[j].fd, buf[j].events, w);
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

uint64_t posix_poll_deadline(uint64_t ns)
{
	uint64_t now = posix_monotonic_ns();

	return ns == FOREVER || now + ns < now ? FOREVER : now + ns;
}

long posix_poll_loop(long (*pass)(void *ctx, struct poll_wait *w), void *ctx, uint64_t deadline)
{
	uint64_t interval = 1000000;
	struct poll_wait w;

	for (;;) {
		w = (struct poll_wait){ 0 };
		long ready = pass(ctx, &w);
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

/* do_sys_poll: nfds against RLIMIT_NOFILE, then the passes. */
static long do_poll(uint64_t ufds, uint64_t nfds, uint64_t deadline)
{
	struct poll_array a = { ufds, nfds };

	if (nfds > POLL_FDS_MAX)
		return -EINVAL;
	if (nfds > POLL_NOFILE_FLOOR) {
		uint64_t cur;
		long err = posix_rlimit_cur(RLIMIT_NOFILE, &cur);
		if (err)
			return err;
		if (nfds > cur)
			return -EINVAL;
	}
	return posix_poll_loop(poll_once, &a, deadline);
}

/* poll's way back from a signal: the restart block (sys_poll). */
static long poll_restartable(uint64_t ufds, uint64_t nfds, uint64_t deadline)
{
	struct posix_thread *self = posix_self();
	long r = do_poll(ufds, nfds, deadline);

	if (r != -ERESTARTNOHAND) {
		self->restart_nr = 0;
		return r;
	}
	self->restart_nr = SYS_POLL;
	self->restart_arg[0] = ufds;
	self->restart_arg[1] = nfds;
	self->restart_arg[2] = deadline;
	return -ERESTART_RESTARTBLOCK;
}

long posix_poll_restart(const uint64_t arg[4])
{
	return poll_restartable(arg[0], arg[1], arg[2]);
}

long posix_sys_poll(struct posix_call *c)
{
	int32_t ms = (int32_t)c->a[2];

	return poll_restartable(c->a[0], (uint32_t)c->a[1],
				posix_poll_deadline(ms < 0 ? FOREVER : (uint64_t)ms * 1000000));
}

/* poll_select_finish for a timespec (ppoll and pselect6): the time left
 * to the deadline, unless the timeout was zero; a restart code the
 * timespec could not take becomes EINTR. */
long posix_poll_finish_timespec(uint64_t uts, uint64_t deadline, bool zero, long r)
{
	if (!uts || zero || deadline == FOREVER)
		return r;
	uint64_t now = posix_monotonic_ns(), left = deadline > now ? deadline - now : 0;
	struct posix_timespec ts = { .tv_sec = (int64_t)(left / 1000000000u),
				     .tv_nsec = (int64_t)(left % 1000000000u) };
	if (copy_to_user(uts, &ts, sizeof(ts)) && r == -ERESTARTNOHAND)
		return -EINTR;
	return r;
}

/* The user's sigset for a wait (set_user_sigmask): 0 or -errno. */
long posix_poll_sigmask(uint64_t umask, uint64_t size, uint64_t *mask)
{
	if (size != sizeof(*mask))
		return -EINVAL;
	if (copy_from_user(mask, umask, sizeof(*mask)))
		return -EFAULT;
	return 0;
}

long posix_sys_ppoll(struct posix_call *c)
{
	uint64_t deadline = FOREVER, mask = 0;
	bool zero = false;
	long r;

	if (c->a[2]) {
		struct posix_timespec ts;
		if (copy_from_user(&ts, c->a[2], sizeof(ts)))
			return -EFAULT;
		if (!posix_timespec_valid(&ts))
			return -EINVAL;
		zero = !ts.tv_sec && !ts.tv_nsec;
		deadline = posix_poll_deadline(
			(uint64_t)ts.tv_sec > (FOREVER - (uint64_t)ts.tv_nsec) / 1000000000u
				? FOREVER
				: (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
	}
	if (c->a[3] && (r = posix_poll_sigmask(c->a[3], c->a[4], &mask)))
		return r;
	if (c->a[3])
		posix_signal_wait_mask_begin(mask);
	r = do_poll(c->a[0], (uint32_t)c->a[1], deadline);
	if (c->a[3])
		posix_signal_wait_mask_end(r == -ERESTARTNOHAND);
	return posix_poll_finish_timespec(c->a[2], deadline, zero, r);
}
