/*
 * The data path of an open file: read, write, pread64, pwrite64, readv,
 * writev, preadv, pwritev, lseek, fstat, getdents64. A console fd's data
 * goes to the console driver (tty.h); everything else to vfs with the fd
 * number, once per VFS_PAYLOAD_MAX bytes, the bytes copied straight
 * between the application's buffer and the IPC buffer. Pieces after the
 * first ask vfs not to wait (VFS_IO_NOWAIT), so a read returns what a
 * pipe held, as Linux's does.
 *
 * Entry points: posix_sys_read, posix_sys_write, posix_sys_pread64,
 * posix_sys_pwrite64, posix_sys_readv, posix_sys_writev,
 * posix_sys_preadv, posix_sys_pwritev, posix_sys_lseek, posix_sys_fstat,
 * posix_sys_getdents64.
 */
#include "call.h"
#include "common/string.h"
#include "fdtable.h"
#include "intr.h"
#include "memdev.h"
#include "posix/dirent.h"
#include "posix/errno.h"
#include "posix/fcntl.h"
#include "posix/stat.h"
#include "signals.h"
#include "tty.h"
#include "uaccess.h"

long posix_tty_read(uint64_t handle, uint64_t ubuf, size_t n, int nonblock) __attribute__((weak));
long posix_tty_write(uint64_t handle, uint64_t ubuf, size_t n) __attribute__((weak));

/* A write that found no reader (-EPIPE) also raises SIGPIPE (signal.c):
 * on the error paths only. Through a data word, as start.c's weak hooks. */
static long (*volatile const write_result_hook)(long) = posix_signal_write_result;
static long write_result(long r)
{
	return r == -EPIPE && write_result_hook ? write_result_hook(r) : r;
}

#define IOV_MAX 1024
#define SSIZE_MAX 0x7fffffffffffffffl

struct iovec {
	uint64_t base;
	uint64_t len;
};

/*
 * A vfs call that may wait (a pipe or FIFO with nothing to read or no
 * room): a signal ends it with -ERESTARTSYS (intr.h; the way back makes
 * it -EINTR, or a restart under SA_RESTART, as Linux's pipe_read and
 * pipe_write); one the kernel ended before vfs had it, -ERESTARTNOINTR
 * (a read of a regular file is never EINTR); either is made again here
 * when no signal is pending. Calls that cannot wait (at an offset, VFS_IO_NOWAIT) skip
 * naming the interrupt cap.
 */
static long vfs_io_call(uint64_t label, const uint64_t *w, unsigned n, size_t payload_bytes,
			uint64_t r[4])
{
	if (w[3] & (VFS_IO_AT | VFS_IO_NOWAIT))
		return posix_vfs_call(label, w, n, payload_bytes, r);
	for (;;) {
		posix_intr_begin(POSIX_INTR_VFS);
		long err = posix_vfs_call(label, w, n, payload_bytes, r);
		posix_intr_end();
		if (!posix_intr_retry(err))
			return err;
	}
}

/*
 * A VFS_WRITE that may wait (w[1] bytes: inline in w[2] or the payload):
 * the count or -errno. vfs answers a pipe write that an interrupt bit
 * ended after part of it went in -VFS_EINTR_PART with that count
 * (posix/proto_vfs.h). Bits are shared (pid mod 64, and every thread of
 * a process), so with no signal of ours pending the rest is written as
 * if nothing happened: Linux's blocking pipe write without a signal
 * writes everything. With one, the count, as Linux's pipe_write after a
 * part.
 */
static long write_call(uint64_t w[4], size_t payload_bytes)
{
	uint64_t r[4];
	size_t done = 0;

	for (;;) {
		long err = vfs_io_call(VFS_WRITE, w, 4, payload_bytes, r);
		if (__builtin_expect(err != -VFS_EINTR_PART, 1)) {
			if (!done)
				return err ? err : (long)r[0];
			if (err < 0) /* a part went in: the count (EPIPE: SIGPIPE too) */
				return write_result(err), (long)done;
			return (long)(done + (r[0] < w[1] ? r[0] : w[1]));
		}
		size_t k = r[0] < w[1] ? (size_t)r[0] : (size_t)w[1];
		done += k;
		if (posix_self()->work || k == 0 || k == w[1])
			return (long)done;
		w[1] -= k;
		if (w[3] & VFS_IO_INLINE) {
			w[2] >>= 8 * k; /* k < w[1] <= 8 */
		} else {
			uint8_t *p = posix_vfs_payload();
			memmove(p, p + k, (size_t)w[1]);
			payload_bytes = (size_t)w[1];
		}
	}
}

/* One read of at most VFS_PAYLOAD_MAX bytes into the application's ubuf. */
static long read_piece(int64_t fd, uint64_t ubuf, size_t n, uint64_t off, uint64_t flags)
{
	bool inl = n <= VFS_IO_INLINE_READ; /* all in registers: the IPC fast path */
	uint64_t w[4] = { (uint64_t)fd, n, off, flags | (inl ? VFS_IO_INLINE : 0) }, r[4];
	long err = vfs_io_call(VFS_READ, w, 4, 0, r);

	if (err)
		return err;
	size_t got = r[0] < n ? r[0] : n;
	size_t done = copy_to_user_upto(ubuf, inl ? (const void *)&r[1] : posix_vfs_payload(), got);
	if (done < got && !(flags & VFS_IO_AT)) {
		/* The buffer ended early: give back what it could not take. */
		uint64_t s[3] = { (uint64_t)fd, (uint64_t) - (int64_t)(got - done),
				  POSIX_SEEK_CUR };
		posix_vfs_call(VFS_LSEEK, s, 3, 0, r);
	}
	return done || !got ? (long)done : -EFAULT;
}

static long write_piece(int64_t fd, uint64_t ubuf, size_t n, uint64_t off, uint64_t flags)
{
	uint64_t w[4] = { (uint64_t)fd, 0, off, flags }, r[4];

	if (n <= VFS_IO_INLINE_WRITE && !(flags & VFS_IO_AT)) {
		/* All in registers: the IPC fast path both ways. */
		uint64_t data = 0;
		if (copy_from_user_upto(&data, ubuf, n) == n) {
			w[1] = n;
			w[2] = data;
			w[3] = flags | VFS_IO_INLINE;
			return write_call(w, 0);
		}
	}
	size_t in = copy_from_user_upto(posix_vfs_payload(), ubuf, n);

	if (in == 0 && n) {
		/* Unreadable: /dev/null takes it anyway, everything else says
		 * EFAULT (vfs knows which). */
		w[1] = n;
		w[3] = flags | VFS_IO_NODATA;
		long err = posix_vfs_call(VFS_WRITE, w, 4, 0, r);
		return err ? err : (long)r[0];
	}
	w[1] = in;
	return write_call(w, in);
}

/* read/pread: the pieces until the count, a short piece or an error. */
static long do_read(int64_t fd, uint64_t ubuf, size_t n, uint64_t off, uint64_t flags)
{
	size_t done = 0;

	if (n > SSIZE_MAX)
		n = SSIZE_MAX;
	if (!user_range_ok(ubuf, n))
		return -EFAULT;
	do {
		size_t piece = n - done < VFS_PAYLOAD_MAX ? n - done : VFS_PAYLOAD_MAX;
		long r = read_piece(fd, ubuf + done, piece, off + done,
				    flags | (done ? VFS_IO_NOWAIT : 0));
		if (r < 0)
			return done ? (long)done : r;
		done += (size_t)r;
		if ((size_t)r < piece)
			break;
	} while (done < n);
	return (long)done;
}

static long do_write(int64_t fd, uint64_t ubuf, size_t n, uint64_t off, uint64_t flags)
{
	size_t done = 0;

	if (n > SSIZE_MAX)
		n = SSIZE_MAX;
	if (!user_range_ok(ubuf, n))
		return -EFAULT;
	do {
		size_t piece = n - done < VFS_PAYLOAD_MAX ? n - done : VFS_PAYLOAD_MAX;
		long r = write_piece(fd, ubuf + done, piece, off + done, flags);
		if (r < 0) {
			/* EPIPE raises SIGPIPE even after a part (pipe_write). */
			r = write_result(r);
			return done ? (long)done : r;
		}
		done += (size_t)r;
		if ((size_t)r < piece)
			break;
	} while (done < n);
	return (long)done;
}

long posix_sys_read(struct posix_call *c)
{
	const struct posix_fd *f = posix_fd((int64_t)c->a[0]);

	if (f->route == POSIX_ROUTE_CONSOLE)
		return posix_tty_read ? posix_tty_read(f->handle, c->a[1], c->a[2],
						       !!(f->flags & POSIX_O_NONBLOCK))
				      : -EIO;
	if (posix_route_is_memdev(f->route))
		return posix_memdev_read(f, c->a[1], c->a[2]);
	return do_read((int64_t)c->a[0], c->a[1], c->a[2], 0, 0);
}

long posix_sys_write(struct posix_call *c)
{
	const struct posix_fd *f = posix_fd((int64_t)c->a[0]);

	if (f->route == POSIX_ROUTE_CONSOLE)
		return posix_tty_write ? posix_tty_write(f->handle, c->a[1], c->a[2]) : -EIO;
	if (posix_route_is_memdev(f->route))
		return posix_memdev_write(f, c->a[1], c->a[2]);
	return do_write((int64_t)c->a[0], c->a[1], c->a[2], 0, 0);
}

long posix_sys_pread64(struct posix_call *c)
{
	const struct posix_fd *f = posix_fd((int64_t)c->a[0]);

	if (f->route == POSIX_ROUTE_CONSOLE)
		return -ESPIPE;
	if (posix_route_is_memdev(f->route))
		return posix_memdev_read(f, c->a[1], c->a[2]);
	if ((int64_t)c->a[3] < 0)
		return -EINVAL;
	return do_read((int64_t)c->a[0], c->a[1], c->a[2], c->a[3], VFS_IO_AT);
}

long posix_sys_pwrite64(struct posix_call *c)
{
	const struct posix_fd *f = posix_fd((int64_t)c->a[0]);

	if (f->route == POSIX_ROUTE_CONSOLE)
		return -ESPIPE;
	if (posix_route_is_memdev(f->route))
		return posix_memdev_write(f, c->a[1], c->a[2]);
	if ((int64_t)c->a[3] < 0)
		return -EINVAL;
	return do_write((int64_t)c->a[0], c->a[1], c->a[2], c->a[3], VFS_IO_AT);
}

#define IOV_BATCH 32 /* iovecs copied in at a time (the handler stack is small) */

/* Linux's import_iovec checks: at most IOV_MAX entries, each readable, a
 * total that fits in ssize_t. */
static long iov_check(uint64_t uiov, uint64_t cnt)
{
	struct iovec iov[IOV_BATCH];
	uint64_t total = 0;

	if (cnt > IOV_MAX)
		return -EINVAL;
	for (uint64_t i = 0; i < cnt; i += IOV_BATCH) {
		uint64_t n = cnt - i < IOV_BATCH ? cnt - i : IOV_BATCH;
		if (copy_from_user(iov, uiov + i * sizeof(*iov), n * sizeof(*iov)))
			return -EFAULT;
		for (uint64_t j = 0; j < n; j++) {
			if (iov[j].len > (uint64_t)SSIZE_MAX - total)
				return -EINVAL;
			total += iov[j].len;
		}
	}
	return 0;
}

/* Entry i of the application's iovec array (checked readable above). */
static long iov_get(uint64_t uiov, uint64_t i, struct iovec *v)
{
	return copy_from_user(v, uiov + i * sizeof(*v), sizeof(*v)) ? -EFAULT : 0;
}

static long do_readv(int64_t fd, uint64_t uiov, uint64_t cnt, uint64_t off, uint64_t flags)
{
	const struct posix_fd *f = posix_fd(fd);
	size_t done = 0;
	long err = iov_check(uiov, cnt);
	struct iovec v;

	if (err)
		return err;
	if (f->route == POSIX_ROUTE_CONSOLE && (flags & VFS_IO_AT))
		return -ESPIPE;
	for (uint64_t i = 0; i < cnt; i++) {
		long r;
		if ((err = iov_get(uiov, i, &v)))
			return done ? (long)done : err;
		if (!v.len)
			continue;
		if (f->route == POSIX_ROUTE_CONSOLE)
			r = posix_tty_read ? posix_tty_read(f->handle, v.base, v.len,
							    !!(f->flags & POSIX_O_NONBLOCK) || done)
					   : -EIO;
		else
			r = do_read(fd, v.base, v.len, off + done,
				    flags | (done ? VFS_IO_NOWAIT : 0));
		if (r < 0)
			return done ? (long)done : r;
		done += (size_t)r;
		if ((size_t)r < v.len)
			break;
	}
	return (long)done;
}

/* writev to vfs gathered into one message when it fits: one write, as
 * Linux's writev is one write to the file (a pipe's atomicity). */
static long gather_write(int64_t fd, uint64_t uiov, uint64_t cnt, uint64_t off, uint64_t flags,
			 long *written)
{
	uint8_t *p = posix_vfs_payload();
	size_t fill = 0;
	struct iovec v;

	for (uint64_t i = 0; i < cnt; i++) {
		if (iov_get(uiov, i, &v))
			return -EFAULT;
		if (v.len > VFS_PAYLOAD_MAX - fill)
			return 1; /* does not fit: piece by piece */
		if (copy_from_user(p + fill, v.base, v.len))
			return 1; /* let the pieces find the bad one */
		fill += v.len;
	}
	uint64_t w[4] = { (uint64_t)fd, fill, off, flags };
	*written = write_call(w, fill);
	return 0;
}

static long do_writev(int64_t fd, uint64_t uiov, uint64_t cnt, uint64_t off, uint64_t flags)
{
	const struct posix_fd *f = posix_fd(fd);
	size_t done = 0;
	long err = iov_check(uiov, cnt);
	struct iovec v;

	if (err)
		return err;
	if (f->route == POSIX_ROUTE_CONSOLE && (flags & VFS_IO_AT))
		return -ESPIPE;
	if (posix_route_is_memdev(f->route)) {
		/* /dev/null and /dev/zero take every segment whole without
		 * reading it (write_iter_null), the total clamped to
		 * MAX_RW_COUNT as import_iovec clamps it: never piece by piece
		 * through vfs (a segment of 2^62 bytes was a loop that never
		 * ended). */
		for (uint64_t i = 0; i < cnt && done < 0x7ffff000ul; i++) {
			long r;
			if ((err = iov_get(uiov, i, &v)))
				return err;
			if ((r = posix_memdev_write(f, v.base, v.len)) < 0)
				return r;
			done += (size_t)r;
		}
		return (long)(done < 0x7ffff000ul ? done : 0x7ffff000ul);
	}
	if (f->route != POSIX_ROUTE_CONSOLE) {
		long written, g = gather_write(fd, uiov, cnt, off, flags, &written);
		if (g == 0) /* one message: the count or the error */
			return written < 0 ? write_result(written) : written;
		if (g < 0)
			return g;
	}
	for (uint64_t i = 0; i < cnt; i++) {
		long r;
		if ((err = iov_get(uiov, i, &v)))
			return done ? (long)done : err;
		if (!v.len)
			continue;
		if (f->route == POSIX_ROUTE_CONSOLE)
			r = posix_tty_write ? posix_tty_write(f->handle, v.base, v.len) : -EIO;
		else
			r = do_write(fd, v.base, v.len, off + done, flags);
		if (r < 0)
			return done ? (long)done : r;
		done += (size_t)r;
		if ((size_t)r < v.len)
			break;
	}
	return (long)done;
}

long posix_sys_readv(struct posix_call *c)
{
	return do_readv((int64_t)c->a[0], c->a[1], c->a[2], 0, 0);
}

long posix_sys_writev(struct posix_call *c)
{
	return do_writev((int64_t)c->a[0], c->a[1], c->a[2], 0, 0);
}

long posix_sys_preadv(struct posix_call *c)
{
	if ((int64_t)c->a[3] < 0)
		return -EINVAL;
	return do_readv((int64_t)c->a[0], c->a[1], c->a[2], c->a[3], VFS_IO_AT);
}

long posix_sys_pwritev(struct posix_call *c)
{
	if ((int64_t)c->a[3] < 0)
		return -EINVAL;
	return do_writev((int64_t)c->a[0], c->a[1], c->a[2], c->a[3], VFS_IO_AT);
}

long posix_sys_lseek(struct posix_call *c)
{
	uint64_t w[3] = { c->a[0], c->a[1], c->a[2] }, r[4];

	if (posix_fd((int64_t)c->a[0])->route == POSIX_ROUTE_CONSOLE)
		return -ESPIPE;
	long err = posix_vfs_call(VFS_LSEEK, w, 3, 0, r);
	return err ? err : (long)r[0];
}

long posix_copy_answer(uint64_t udst, const uint64_t r[4], size_t bytes)
{
	if (copy_to_user(udst, r, 32) || copy_to_user(udst + 32, posix_vfs_payload(), bytes - 32))
		return -EFAULT;
	return 0;
}

long posix_sys_fstat(struct posix_call *c)
{
	uint64_t w[1] = { c->a[0] }, r[4];
	long err;

	if (!user_range_ok(c->a[1], sizeof(struct posix_stat)))
		return -EFAULT;
	if ((err = posix_vfs_call(VFS_FSTAT, w, 1, 0, r)))
		return err;
	return posix_copy_answer(c->a[1], r, sizeof(struct posix_stat));
}

long posix_sys_getdents64(struct posix_call *c)
{
	size_t n = c->a[2] < VFS_PAYLOAD_MAX ? c->a[2] : VFS_PAYLOAD_MAX;
	uint64_t w[2] = { c->a[0], n }, r[4];
	long err;

	if (!user_range_ok(c->a[1], n))
		return -EFAULT;
	if ((err = posix_vfs_call(VFS_GETDENTS, w, 2, 0, r)))
		return err;
	size_t got = r[0] < n ? r[0] : n;
	size_t copied = copy_to_user_upto(c->a[1], posix_vfs_payload(), got);
	if (copied == got)
		return (long)got;
	/* As Linux's filldir64: the records that went in whole count, and
	 * the directory is left at the first one that did not. */
	const uint8_t *p = posix_vfs_payload();
	size_t whole = 0;
	uint64_t pos = r[1];
	while (whole < got) {
		const struct posix_dirent64 *d = (const struct posix_dirent64 *)(p + whole);
		if (d->d_reclen == 0 || whole + d->d_reclen > copied)
			break;
		whole += d->d_reclen;
		pos = (uint64_t)d->d_off;
	}
	uint64_t s[3] = { c->a[0], pos, POSIX_SEEK_SET };
	posix_vfs_call(VFS_LSEEK, s, 3, 0, r);
	return whole ? (long)whole : -EFAULT;
}
