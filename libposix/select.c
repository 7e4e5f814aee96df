/*
 * select and pselect6 (Linux's fs/select.c core_sys_select), on poll's
 * readiness and wait (poll_wait.h).
 *
 * The three sets are read once at the start (a NULL set is empty) for
 * the first n fds; n beyond the process's fd table is cut to its size as
 * Linux cuts it to fdtable->max_fds (64, then 128 times a power of two
 * that holds the highest open fd: alloc_fdtable's sizes; here the size
 * the highest fd open now needs, as libposix's fd cache knows it up to
 * POSIX_FD_CACHE). Any set bit of an fd that is not open is EBADF
 * (max_select_fd). An fd of the read set is ready with POLLIN, POLLRDNORM,
 * POLLRDBAND, POLLHUP or POLLERR, of the write set with POLLOUT,
 * POLLWRNORM, POLLWRBAND or POLLERR, of the exception set with POLLPRI;
 * the result counts set bits (an fd in two sets twice) and replaces each
 * given set, on success only (a timeout writes empty sets; an error or a
 * signal leaves them).
 *
 * The timeout is select's timeval (tv_usec beyond a second carries into
 * tv_sec; negative fields EINVAL) or pselect6's timespec; either is
 * written back with the time left (poll_select_finish: not for a zero
 * timeout). A signal ends the wait with -ERESTARTNOHAND: EINTR when a
 * handler runs, else the call is made again with the time left.
 * pselect6's sixth argument is {const sigset_t *ss; size_t ss_len}: a
 * mask set for the wait as ppoll sets it (signals.h).
 */
#include <stdbool.h>

#include "call.h"
#include "fdtable.h"
#include "intr.h"
#include "poll_wait.h"
#include "signals.h"
#include "time_calc.h"
#include "uaccess.h"

#include "posix/errno.h"
#include "posix/poll.h"
#include "posix/time.h"

#define SEL_FDS_MAX POSIX_FD_CACHE
#define SEL_WORDS (SEL_FDS_MAX / 64)
#define USEC_PER_SEC 1000000
#define NSEC_PER_SEC 1000000000ull

#define POLLIN_SET \
	(POSIX_POLLRDNORM | POSIX_POLLRDBAND | POSIX_POLLIN | POSIX_POLLHUP | POSIX_POLLERR)
#define POLLOUT_SET (POSIX_POLLWRBAND | POSIX_POLLWRNORM | POSIX_POLLOUT | POSIX_POLLERR)
#define POLLEX_SET POSIX_POLLPRI

struct sel {
	uint64_t n;		    /* fds looked at */
	uint64_t in[3][SEL_WORDS];  /* read, write, exception: asked */
	uint64_t out[3][SEL_WORDS]; /* and found ready */
};

/* fdtable->max_fds of a table whose highest open fd is hi (-1: none). */
static uint64_t table_size(int64_t hi)
{
	uint64_t units = (uint64_t)hi / 128 + 1, p = 1;

	if (hi < 64)
		return 64;
	while (p < units)
		p <<= 1;
	return p * 128;
}

static uint64_t clamp_n(uint64_t n)
{
	int64_t hi = -1;

	for (int64_t fd = SEL_FDS_MAX - 1; fd >= 0; fd--)
		if (posix_fds[fd].route != POSIX_ROUTE_NONE) {
			hi = fd;
			break;
		}
	uint64_t max = table_size(hi);
	return n > max ? max : n;
}

static long select_once(void *ctx, struct poll_wait *w)
{
	struct sel *s = ctx;
	long ready = 0;

	for (uint64_t word = 0; word * 64 < s->n; word++) {
		uint64_t any = s->in[0][word] | s->in[1][word] | s->in[2][word];
		s->out[0][word] = s->out[1][word] = s->out[2][word] = 0;
		while (any) {
			unsigned b = (unsigned)__builtin_ctzll(any);
			uint64_t bit = 1ull << b;
			any &= any - 1;
			int16_t ev = 0;
			if (s->in[0][word] & bit)
				ev |= POSIX_POLLIN | POSIX_POLLRDNORM | POSIX_POLLRDBAND;
			if (s->in[1][word] & bit)
				ev |= POSIX_POLLOUT | POSIX_POLLWRNORM | POSIX_POLLWRBAND;
			if (s->in[2][word] & bit)
				ev |= POSIX_POLLPRI;
			int16_t m = posix_poll_fd((int32_t)(word * 64 + b), ev, w);
			if (m & POSIX_POLLNVAL)
				return -EBADF; /* closed meanwhile, or beyond the cache */
			static const int16_t sets[3] = { POLLIN_SET, POLLOUT_SET, POLLEX_SET };
			for (int k = 0; k < 3; k++)
				if ((s->in[k][word] & bit) && (m & sets[k])) {
					s->out[k][word] |= bit;
					ready++;
				}
		}
	}
	return ready;
}

/* core_sys_select, with the deadline made; the sets are written back on
 * success. */
static long do_select(int64_t n, const uint64_t uset[3], uint64_t deadline)
{
	struct sel s; /* 3 KiB of the thread's 64 KiB libposix stack */
	size_t bytes;

	if (n < 0)
		return -EINVAL;
	s.n = clamp_n((uint64_t)n);
	bytes = (s.n + 63) / 64 * 8;
	for (int k = 0; k < 3; k++) {
		for (unsigned i = 0; i < SEL_WORDS; i++)
			s.in[k][i] = 0;
		if (uset[k] && copy_from_user(s.in[k], uset[k], bytes))
			return -EFAULT;
		/* bits beyond n in the last word are not the call's */
		if (s.n & 63)
			s.in[k][s.n / 64] &= (1ull << (s.n & 63)) - 1;
	}
	for (uint64_t word = 0; word * 64 < s.n; word++) {
		uint64_t any = s.in[0][word] | s.in[1][word] | s.in[2][word];
		while (any) {
			unsigned b = (unsigned)__builtin_ctzll(any);
			any &= any - 1;
			if (posix_fds[word * 64 + b].route == POSIX_ROUTE_NONE)
				return -EBADF;
		}
	}
	long r = posix_poll_loop(select_once, &s, deadline);
	if (r < 0)
		return r;
	for (int k = 0; k < 3; k++)
		if (uset[k] && copy_to_user(uset[k], s.out[k], bytes))
			return -EFAULT;
	return r;
}

long posix_sys_select(struct posix_call *c)
{
	const uint64_t uset[3] = { c->a[1], c->a[2], c->a[3] };
	uint64_t utv = c->a[4], deadline = POSIX_POLL_FOREVER;
	bool zero = false;

	if (utv) {
		struct posix_timeval tv;
		if (copy_from_user(&tv, utv, sizeof(tv)))
			return -EFAULT;
		/* in the kernel's wrapping arithmetic */
		int64_t sec =
			(int64_t)((uint64_t)tv.tv_sec + (uint64_t)(tv.tv_usec / USEC_PER_SEC));
		int64_t nsec = tv.tv_usec % USEC_PER_SEC * 1000;
		if (sec < 0 || nsec < 0)
			return -EINVAL;
		zero = !sec && !nsec;
		deadline = posix_poll_deadline(
			(uint64_t)sec > (POSIX_POLL_FOREVER - (uint64_t)nsec) / NSEC_PER_SEC
				? POSIX_POLL_FOREVER
				: (uint64_t)sec * NSEC_PER_SEC + (uint64_t)nsec);
	}
	long r = do_select((int64_t)(int32_t)c->a[0], uset, deadline);
	if (!utv || zero)
		return r;
	/* poll_select_finish for a timeval */
	uint64_t now = posix_monotonic_ns(), left = deadline > now ? deadline - now : 0;
	struct posix_timeval tv = { .tv_sec = (int64_t)(left / NSEC_PER_SEC),
				    .tv_usec = (int64_t)(left % NSEC_PER_SEC / 1000) };
	if (copy_to_user(utv, &tv, sizeof(tv)) && r == -ERESTARTNOHAND)
		return -EINTR;
	return r;
}

long posix_sys_pselect6(struct posix_call *c)
{
	const uint64_t uset[3] = { c->a[1], c->a[2], c->a[3] };
	uint64_t uts = c->a[4], deadline = POSIX_POLL_FOREVER, pack[2] = { 0, 0 }, mask = 0;
	bool zero = false;
	long r;

	if (c->a[5] && copy_from_user(pack, c->a[5], sizeof(pack)))
		return -EFAULT;
	if (uts) {
		struct posix_timespec ts;
		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (!posix_timespec_valid(&ts))
			return -EINVAL;
		zero = !ts.tv_sec && !ts.tv_nsec;
		deadline = posix_poll_deadline(
			(uint64_t)ts.tv_sec >
					(POSIX_POLL_FOREVER - (uint64_t)ts.tv_nsec) / NSEC_PER_SEC
				? POSIX_POLL_FOREVER
				: (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec);
	}
	if (pack[0] && (r = posix_poll_sigmask(pack[0], pack[1], &mask)))
		return r;
	if (pack[0])
		posix_signal_wait_mask_begin(mask);
	r = do_select((int64_t)(int32_t)c->a[0], uset, deadline);
	if (pack[0])
		posix_signal_wait_mask_end(r == -ERESTARTNOHAND);
	return posix_poll_finish_timespec(uts, deadline, zero, r);
}
