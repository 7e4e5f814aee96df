/*
 * The readiness machinery poll and ppoll (poll.c) share with select and
 * pselect6 (select.c): one fd's readiness as Linux's f_op->poll gives it,
 * and the wait between passes until something is ready, the deadline
 * passes or a signal comes.
 */
#ifndef LIBPOSIX_POLL_WAIT_H
#define LIBPOSIX_POLL_WAIT_H

#include <stdbool.h>
#include <stdint.h>

#define POSIX_POLL_FOREVER (~0ull) /* a deadline that never comes */

/* What a pass learnt of the fds that are not ready: how to wait for them. */
struct poll_wait {
	uint64_t console_events; /* the console entries' events (0: none) */
	uint64_t console_handle;
	bool vfs; /* a vfs fd: no wake-up, look again at intervals */
};

/* fd's revents for `events` (POLLERR and POLLHUP always asked): POLLNVAL
 * when fd is not open, 0 for a negative fd; notes in w how to wait for an
 * fd that is not ready. */
int16_t posix_poll_fd(int32_t fd, int16_t events, struct poll_wait *w);

/* Run pass(ctx, &w) until it returns non-zero (ready count or -errno),
 * then return that; 0 once the CLOCK_MONOTONIC deadline has passed (a
 * pass is always made first); -ERESTARTNOHAND when a signal ended the
 * wait. */
long posix_poll_loop(long (*pass)(void *ctx, struct poll_wait *w), void *ctx, uint64_t deadline);

/* The deadline of a relative timeout of ns from now (FOREVER if it
 * overflows), and the CLOCK_MONOTONIC clock. */
uint64_t posix_poll_deadline(uint64_t ns);
uint64_t posix_monotonic_ns(void);

/* ppoll's and pselect6's end (poll_select_finish for a timespec): the
 * time left to the deadline written to uts unless the timeout was zero
 * (or none); a restart code whose timespec could not be written becomes
 * -EINTR. Returns r. */
long posix_poll_finish_timespec(uint64_t uts, uint64_t deadline, bool zero, long r);

/* A wait's signal mask from the user (set_user_sigmask): size must be 8. */
long posix_poll_sigmask(uint64_t umask, uint64_t size, uint64_t *mask);

/* restart_syscall's continuation of a poll a signal without a handler cut
 * short (arg: the user's array, nfds, the deadline). Weak: time.c's
 * restart_syscall is also linked without poll.c. */
long posix_poll_restart(const uint64_t arg[4]) __attribute__((weak));

#endif
