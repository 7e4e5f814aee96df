/*
 * The fd table's calls, answered by vfs (which owns the table) and kept
 * in step in libposix's route cache: close, dup, dup2, dup3, fcntl
 * (F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL), pipe,
 * pipe2, ioctl (a console fd's go to the console driver; a vfs file's
 * FIONREAD, FIONBIO, FIOCLEX, FIONCLEX to vfs, any other is ENOTTY),
 * fsync, fdatasync, sync.
 *
 * Entry points: posix_sys_close, posix_sys_dup, posix_sys_dup2,
 * posix_sys_dup3, posix_sys_fcntl, posix_sys_pipe, posix_sys_pipe2,
 * posix_sys_ioctl, posix_sys_fsync, posix_sys_fdatasync, posix_sys_sync.
 */
#include "call.h"
#include "fdtable.h"
#include "posix/errno.h"
#include "posix/fcntl.h"
#include "tty.h"
#include "uaccess.h"

long posix_tty_ioctl(uint64_t handle, uint64_t cmd, uint64_t arg) __attribute__((weak));

#define FIONREAD 0x541bu
#define FIONBIO 0x5421u
#define FIONCLEX 0x5450u
#define FIOCLEX 0x5451u

long posix_sys_close(struct posix_call *c)
{
	uint64_t w[1] = { c->a[0] }, r[4];
	long err = posix_vfs_call(VFS_CLOSE, w, 1, 0, r);

	if (!err)
		posix_fd_clear((int64_t)c->a[0]);
	return err;
}

/* A dup of any kind: the new fd and its route into the cache. */
static long dup_call(uint64_t fd, uint64_t newfd, uint64_t op, uint64_t flags)
{
	uint64_t w[4] = { fd, newfd, op, flags }, r[4];
	long err = posix_vfs_call(VFS_DUP, w, 4, 0, r);

	if (err)
		return err;
	posix_fd_set((int64_t)r[0], r[1], r[2], r[3], flags & POSIX_O_CLOEXEC);
	return (long)r[0];
}

long posix_sys_dup(struct posix_call *c)
{
	return dup_call(c->a[0], 0, VFS_DUP_LOWEST, 0);
}

long posix_sys_dup2(struct posix_call *c)
{
	if ((int64_t)(int32_t)c->a[1] < 0)
		return -EBADF;
	return dup_call(c->a[0], (uint32_t)c->a[1], VFS_DUP_AT, 0);
}

long posix_sys_dup3(struct posix_call *c)
{
	if (c->a[2] & ~(uint64_t)POSIX_O_CLOEXEC)
		return -EINVAL;
	if ((int64_t)(int32_t)c->a[1] < 0)
		return -EBADF;
	return dup_call(c->a[0], (uint32_t)c->a[1], VFS_DUP_AT | VFS_DUP_NOT_SAME, c->a[2]);
}

long posix_sys_fcntl(struct posix_call *c)
{
	int64_t fd = (int32_t)c->a[0];
	uint64_t cmd = (uint32_t)c->a[1], arg = c->a[2], r[4];

	switch (cmd) {
	case POSIX_F_DUPFD:
	case POSIX_F_DUPFD_CLOEXEC:
		if ((int64_t)(int32_t)arg < 0)
			return -EINVAL;
		return dup_call((uint64_t)fd, (uint32_t)arg, VFS_DUP_LOWEST,
				cmd == POSIX_F_DUPFD_CLOEXEC ? POSIX_O_CLOEXEC : 0);
	case POSIX_F_GETFD:
	case POSIX_F_SETFD:
	case POSIX_F_GETFL:
	case POSIX_F_SETFL: {
		uint64_t w[3] = { (uint64_t)fd, cmd, (uint32_t)arg };
		long err = posix_vfs_call(VFS_FCNTL, w, 3, 0, r);
		if (err)
			return err;
		if ((uint64_t)fd < POSIX_FD_CACHE) {
			struct posix_fd *e = &posix_fds[fd];
			if (cmd == POSIX_F_SETFD)
				e->cloexec = arg & POSIX_FD_CLOEXEC;
			if (cmd == POSIX_F_SETFL)
				e->flags = (e->flags & ~(uint32_t)POSIX_SETFL_MASK) |
					   ((uint32_t)arg & POSIX_SETFL_MASK);
		}
		return (long)r[0];
	}
	default:
		/* FIXME: locks (F_GETLK, F_SETLK, F_SETLKW, OFD locks), F_SETOWN,
		 * F_SETPIPE_SZ: not yet; Linux says EINVAL for a command it
		 * does not know, and so does this until they exist. */
		return -EINVAL;
	}
}

long posix_sys_pipe2(struct posix_call *c)
{
	uint64_t w[1] = { c->a[1] }, r[4];
	long err;

	if (!user_range_ok(c->a[0], 8))
		return -EFAULT;
	if ((err = posix_vfs_call(VFS_PIPE, w, 1, 0, r)))
		return err;
	int32_t fds[2] = { (int32_t)r[0], (int32_t)r[1] };
	uint32_t status = (uint32_t)(c->a[1] & (POSIX_O_NONBLOCK | POSIX_O_DIRECT));
	bool cloexec = c->a[1] & POSIX_O_CLOEXEC;
	if (copy_to_user(c->a[0], fds, sizeof(fds))) {
		/* Linux: the pipe is made and closed again, and EFAULT. */
		for (int i = 0; i < 2; i++) {
			uint64_t fd = r[i], ignored[4];
			posix_vfs_call(VFS_CLOSE, &fd, 1, 0, ignored);
		}
		return -EFAULT;
	}
	posix_fd_set(fds[0], POSIX_ROUTE_VFS, 0, POSIX_O_RDONLY | status, cloexec);
	posix_fd_set(fds[1], POSIX_ROUTE_VFS, 0, POSIX_O_WRONLY | status, cloexec);
	return 0;
}

long posix_sys_pipe(struct posix_call *c)
{
	struct posix_call p = { .nr = c->nr, .a = { c->a[0], 0 }, .frame = c->frame };
	return posix_sys_pipe2(&p);
}

long posix_sys_ioctl(struct posix_call *c)
{
	int64_t fd = (int32_t)c->a[0];
	uint32_t cmd = (uint32_t)c->a[1];
	const struct posix_fd *f = posix_fd(fd);
	uint64_t w[3] = { (uint64_t)fd, cmd, 0 }, r[4];
	long err;

	if (f->route == POSIX_ROUTE_CONSOLE)
		return posix_tty_ioctl ? posix_tty_ioctl(f->handle, c->a[1], c->a[2]) : -EIO;
	switch (cmd) {
	case FIONBIO: {
		int32_t on;
		if (copy_from_user(&on, c->a[2], sizeof(on)))
			return -EFAULT;
		w[2] = on != 0;
		if ((err = posix_vfs_call(VFS_IOCTL, w, 3, 0, r)))
			return err;
		if ((uint64_t)fd < POSIX_FD_CACHE) {
			if (on)
				posix_fds[fd].flags |= POSIX_O_NONBLOCK;
			else
				posix_fds[fd].flags &= ~(uint32_t)POSIX_O_NONBLOCK;
		}
		return 0;
	}
	case FIOCLEX:
	case FIONCLEX:
		if ((err = posix_vfs_call(VFS_IOCTL, w, 3, 0, r)))
			return err;
		if ((uint64_t)fd < POSIX_FD_CACHE)
			posix_fds[fd].cloexec = cmd == FIOCLEX;
		return 0;
	case FIONREAD: {
		if ((err = posix_vfs_call(VFS_IOCTL, w, 3, 0, r)))
			return err;
		int32_t n = (int32_t)r[1];
		return copy_to_user(c->a[2], &n, sizeof(n)) ? -EFAULT : 0;
	}
	default:
		/* A vfs file takes no other ioctl: ENOTTY once vfs has said the
		 * fd is open (the cache knows that without asking). */
		if ((uint64_t)fd < POSIX_FD_CACHE)
			return posix_fds[fd].route == POSIX_ROUTE_NONE ? -EBADF : -ENOTTY;
		if ((err = posix_vfs_call(VFS_IOCTL, w, 3, 0, r)))
			return err;
		return -ENOTTY;
	}
}

long posix_sys_fsync(struct posix_call *c)
{
	uint64_t w[1] = { c->a[0] }, r[4];
	return posix_vfs_call(VFS_FSYNC, w, 1, 0, r);
}

long posix_sys_fdatasync(struct posix_call *c)
{
	return posix_sys_fsync(c);
}

long posix_sys_sync(struct posix_call *c)
{
	(void)c;
	return 0; /* every file system here is in memory: nothing to write back */
}
