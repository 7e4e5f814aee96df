/*
 * The calls that name files by path, each one message to vfs with its
 * path(s) copied from the application straight into the IPC buffer:
 * open, openat, creat, stat, lstat, newfstatat, statx, access, faccessat,
 * faccessat2, readlink, readlinkat, getcwd, chdir, fchdir, mkdir,
 * mkdirat, mknod, mknodat, unlink, unlinkat, rmdir, rename, renameat,
 * renameat2, link, linkat, symlink, symlinkat, chmod, fchmod, fchmodat,
 * chown, fchown, lchown, fchownat, umask, utimensat, truncate, ftruncate,
 * statfs, fstatfs, mount, umount2. The old calls are their *at forms with
 * AT_FDCWD, as in Linux's fs/.
 *
 * Entry points: posix_sys_<name> for each name above.
 */
#include "call.h"
#include "intr.h"
#include "fdtable.h"
#include "posix/errno.h"
#include "posix/fcntl.h"
#include "posix/stat.h"
#include "uaccess.h"

/* tty.c (weak: the console family may be left out). */
void posix_tty_opened(uint64_t handle, uint64_t flags) __attribute__((weak));

#define AT_FDCWD ((uint64_t)(int64_t)POSIX_AT_FDCWD)

/* A call whose path is at the payload's start (n fixed words, the path's
 * length into w[len_at]). */
static long path_call(uint64_t label, uint64_t *w, unsigned n, unsigned len_at, uint64_t upath,
		      uint64_t r[4])
{
	long len = posix_path_in_first(upath, (n - VFS_PAYLOAD_WORD) * 8);

	if (len < 0)
		return len;
	w[len_at] = (uint64_t)len;
	return posix_vfs_call(label, w, n, (size_t)len, r);
}

/* Two paths, the second on the word boundary after the first: *lens. A
 * long first path has its head sent ahead when it is the one walked
 * first (rename, link; not symlink's target). */
static long two_paths(uint64_t up1, uint64_t up2, uint64_t *lens, bool walked)
{
	long a = walked ? posix_path_in_first(up1, 0) : posix_path_in(up1, 0), b;

	if (a < 0)
		return a;
	size_t off = ((size_t)a + 7) & ~(size_t)7;
	if ((b = posix_path_in(up2, off)) < 0) {
		uint64_t w[4] = { 0, 0, 0, 0 }, r[4];
		if (walked)
			posix_vfs_call(VFS_PATH_PREFIX, w, 4, 0, r); /* drop a head sent ahead */
		return b;
	}
	*lens = VFS_LENS(a, b);
	return (long)(off + (size_t)b);
}

static long do_openat(uint64_t dirfd, uint64_t upath, uint64_t flags, uint64_t mode)
{
	uint64_t w[4] = { (uint64_t)(int64_t)(int32_t)dirfd, (uint32_t)flags, (uint32_t)mode, 0 },
		 r[4];
	long err;

	/* A FIFO's open waits for the other end: a signal ends it
	 * (-ERESTARTSYS, intr.h); made again when none is pending (the path
	 * is sent again: a head sent ahead went with the first try). */
	do {
		posix_intr_begin(POSIX_INTR_VFS);
		err = path_call(VFS_OPEN, w, 4, 3, upath, r);
		posix_intr_end();
	} while (posix_intr_retry(err));
	if (err)
		return err;
	posix_fd_set((int64_t)r[0], r[1], r[2], r[3], flags & POSIX_O_CLOEXEC);
	if (r[1] == POSIX_ROUTE_CONSOLE && posix_tty_opened)
		posix_tty_opened(r[2], flags); /* it may become the controlling tty */
	return (long)r[0];
}

long posix_sys_open(struct posix_call *c)
{
	return do_openat(AT_FDCWD, c->a[0], c->a[1], c->a[2]);
}

long posix_sys_openat(struct posix_call *c)
{
	return do_openat(c->a[0], c->a[1], c->a[2], c->a[3]);
}

long posix_sys_creat(struct posix_call *c)
{
	return do_openat(AT_FDCWD, c->a[0], POSIX_O_CREAT | POSIX_O_WRONLY | POSIX_O_TRUNC,
			 c->a[1]);
}

static long do_fstatat(uint64_t dirfd, uint64_t upath, uint64_t ust, uint64_t flags)
{
	uint64_t w[4] = { (uint64_t)(int64_t)(int32_t)dirfd, (uint32_t)flags, 0, 0 }, r[4];
	long err;

	if (!user_range_ok(ust, sizeof(struct posix_stat)))
		return -EFAULT;
	if ((err = path_call(VFS_STAT, w, 4, 2, upath, r)))
		return err;
	return posix_copy_answer(ust, r, sizeof(struct posix_stat));
}

long posix_sys_stat(struct posix_call *c)
{
	return do_fstatat(AT_FDCWD, c->a[0], c->a[1], 0);
}

long posix_sys_lstat(struct posix_call *c)
{
	return do_fstatat(AT_FDCWD, c->a[0], c->a[1], POSIX_AT_SYMLINK_NOFOLLOW);
}

long posix_sys_newfstatat(struct posix_call *c)
{
	return do_fstatat(c->a[0], c->a[1], c->a[2], c->a[3]);
}

long posix_sys_statx(struct posix_call *c)
{
	uint64_t w[4] = { (uint64_t)(int64_t)(int32_t)c->a[0], (uint32_t)c->a[2], (uint32_t)c->a[3],
			  0 },
		 r[4];
	long err;

	if (!user_range_ok(c->a[4], sizeof(struct posix_statx)))
		return -EFAULT;
	if ((err = path_call(VFS_STATX, w, 4, 3, c->a[1], r)))
		return err;
	return posix_copy_answer(c->a[4], r, sizeof(struct posix_statx));
}

static long do_faccessat(uint64_t dirfd, uint64_t upath, uint64_t mode, uint64_t flags)
{
	uint64_t w[4] = { (uint64_t)(int64_t)(int32_t)dirfd, (uint32_t)mode, (uint32_t)flags, 0 },
		 r[4];
	return path_call(VFS_ACCESS, w, 4, 3, upath, r);
}

long posix_sys_access(struct posix_call *c)
{
	return do_faccessat(AT_FDCWD, c->a[0], c->a[1], 0);
}

long posix_sys_faccessat(struct posix_call *c)
{
	return do_faccessat(c->a[0], c->a[1], c->a[2], 0);
}

long posix_sys_faccessat2(struct posix_call *c)
{
	return do_faccessat(c->a[0], c->a[1], c->a[2], c->a[3]);
}

static long do_readlinkat(uint64_t dirfd, uint64_t upath, uint64_t ubuf, uint64_t size)
{
	uint64_t w[4] = { (uint64_t)(int64_t)(int32_t)dirfd, (uint32_t)size, 0, 0 }, r[4];
	long err;

	if ((int32_t)size <= 0)
		return -EINVAL;
	if ((err = path_call(VFS_READLINK, w, 4, 2, upath, r)))
		return err;
	size_t n = r[0] < (uint32_t)size ? r[0] : (uint32_t)size;
	return copy_to_user(ubuf, posix_vfs_payload(), n) ? -EFAULT : (long)n;
}

long posix_sys_readlink(struct posix_call *c)
{
	return do_readlinkat(AT_FDCWD, c->a[0], c->a[1], c->a[2]);
}

long posix_sys_readlinkat(struct posix_call *c)
{
	return do_readlinkat(c->a[0], c->a[1], c->a[2], c->a[3]);
}

long posix_sys_getcwd(struct posix_call *c)
{
	uint64_t w[1] = { c->a[1] }, r[4];
	long err = posix_vfs_call(VFS_GETCWD, w, 1, 0, r);

	if (err)
		return err;
	if (r[0] > c->a[1] || r[0] > VFS_PAYLOAD_MAX)
		return -ERANGE;
	return copy_to_user(c->a[0], posix_vfs_payload(), r[0]) ? -EFAULT : (long)r[0];
}

long posix_sys_chdir(struct posix_call *c)
{
	uint64_t w[4] = { AT_FDCWD, 0, 0, 0 }, r[4];
	return path_call(VFS_CHDIR, w, 4, 2, c->a[0], r);
}

long posix_sys_chroot(struct posix_call *c)
{
	uint64_t w[4] = { AT_FDCWD, VFS_CHDIR_ROOT, 0, 0 }, r[4];
	return path_call(VFS_CHDIR, w, 4, 2, c->a[0], r);
}

long posix_sys_fchdir(struct posix_call *c)
{
	uint64_t w[4] = { (uint64_t)(int64_t)(int32_t)c->a[0], VFS_AT_FD, 0, 0 }, r[4];
	return posix_vfs_call(VFS_CHDIR, w, 4, 0, r);
}

static long do_mkdirat(uint64_t dirfd, uint64_t upath, uint64_t mode)
{
	uint64_t w[4] = { (uint64_t)(int64_t)(int32_t)dirfd, (uint32_t)mode, 0, 0 }, r[4];
	return path_call(VFS_MKDIR, w, 4, 2, upath, r);
}

long posix_sys_mkdir(struct posix_call *c)
{
	return do_mkdirat(AT_FDCWD, c->a[0], c->a[1]);
}

long posix_sys_mkdirat(struct posix_call *c)
{
	return do_mkdirat(c->a[0], c->a[1], c->a[2]);
}

static long do_mknodat(uint64_t dirfd, uint64_t upath, uint64_t mode, uint64_t dev)
{
	/* The syscall's dev is Linux's 32-bit encoding (new_decode_dev). */
	uint32_t d = (uint32_t)dev;
	uint64_t rdev = posix_makedev((d & 0xfff00u) >> 8, (d & 0xffu) | ((d >> 12) & 0xfff00u));
	uint64_t w[4] = { (uint64_t)(int64_t)(int32_t)dirfd, (uint32_t)mode, rdev, 0 }, r[4];
	return path_call(VFS_MKNOD, w, 4, 3, upath, r);
}

long posix_sys_mknod(struct posix_call *c)
{
	return do_mknodat(AT_FDCWD, c->a[0], c->a[1], c->a[2]);
}

long posix_sys_mknodat(struct posix_call *c)
{
	return do_mknodat(c->a[0], c->a[1], c->a[2], c->a[3]);
}

static long do_unlinkat(uint64_t dirfd, uint64_t upath, uint64_t flags)
{
	uint64_t w[4] = { (uint64_t)(int64_t)(int32_t)dirfd, (uint32_t)flags, 0, 0 }, r[4];
	return path_call(VFS_UNLINK, w, 4, 2, upath, r);
}

long posix_sys_unlink(struct posix_call *c)
{
	return do_unlinkat(AT_FDCWD, c->a[0], 0);
}

long posix_sys_rmdir(struct posix_call *c)
{
	return do_unlinkat(AT_FDCWD, c->a[0], POSIX_AT_REMOVEDIR);
}

long posix_sys_unlinkat(struct posix_call *c)
{
	return do_unlinkat(c->a[0], c->a[1], c->a[2]);
}

static long do_renameat2(uint64_t od, uint64_t op, uint64_t nd, uint64_t np, uint64_t flags)
{
	uint64_t w[4] = { (uint64_t)(int64_t)(int32_t)od, (uint64_t)(int64_t)(int32_t)nd,
			  (uint32_t)flags, 0 },
		 r[4];
	long bytes = two_paths(op, np, &w[3], true);

	return bytes < 0 ? bytes : posix_vfs_call(VFS_RENAME, w, 4, (size_t)bytes, r);
}

long posix_sys_rename(struct posix_call *c)
{
	return do_renameat2(AT_FDCWD, c->a[0], AT_FDCWD, c->a[1], 0);
}

long posix_sys_renameat(struct posix_call *c)
{
	return do_renameat2(c->a[0], c->a[1], c->a[2], c->a[3], 0);
}

long posix_sys_renameat2(struct posix_call *c)
{
	return do_renameat2(c->a[0], c->a[1], c->a[2], c->a[3], c->a[4]);
}

static long do_linkat(uint64_t od, uint64_t op, uint64_t nd, uint64_t np, uint64_t flags)
{
	uint64_t w[4] = { (uint64_t)(int64_t)(int32_t)od, (uint64_t)(int64_t)(int32_t)nd,
			  (uint32_t)flags, 0 },
		 r[4];
	long bytes = two_paths(op, np, &w[3], true);

	return bytes < 0 ? bytes : posix_vfs_call(VFS_LINK, w, 4, (size_t)bytes, r);
}

long posix_sys_link(struct posix_call *c)
{
	return do_linkat(AT_FDCWD, c->a[0], AT_FDCWD, c->a[1], 0);
}

long posix_sys_linkat(struct posix_call *c)
{
	return do_linkat(c->a[0], c->a[1], c->a[2], c->a[3], c->a[4]);
}

static long do_symlinkat(uint64_t target, uint64_t nd, uint64_t lp)
{
	uint64_t w[4] = { (uint64_t)(int64_t)(int32_t)nd, 0, 0, 0 }, r[4];
	long bytes = two_paths(target, lp, &w[1], false);

	return bytes < 0 ? bytes : posix_vfs_call(VFS_SYMLINK, w, 4, (size_t)bytes, r);
}

long posix_sys_symlink(struct posix_call *c)
{
	return do_symlinkat(c->a[0], AT_FDCWD, c->a[1]);
}

long posix_sys_symlinkat(struct posix_call *c)
{
	return do_symlinkat(c->a[0], c->a[1], c->a[2]);
}

static long do_fchmodat(uint64_t dirfd, uint64_t upath, uint64_t mode, uint64_t flags)
{
	uint64_t w[4] = { (uint64_t)(int64_t)(int32_t)dirfd, (uint32_t)mode, flags, 0 }, r[4];
	if (flags & VFS_AT_FD)
		return posix_vfs_call(VFS_CHMOD, w, 4, 0, r);
	return path_call(VFS_CHMOD, w, 4, 3, upath, r);
}

long posix_sys_chmod(struct posix_call *c)
{
	return do_fchmodat(AT_FDCWD, c->a[0], c->a[1], 0);
}

long posix_sys_fchmod(struct posix_call *c)
{
	return do_fchmodat(c->a[0], 0, c->a[1], VFS_AT_FD);
}

long posix_sys_fchmodat(struct posix_call *c)
{
	return do_fchmodat(c->a[0], c->a[1], c->a[2], 0);
}

static long do_fchownat(uint64_t dirfd, uint64_t upath, uint64_t uid, uint64_t gid, uint64_t flags)
{
	uint64_t w[4] = { (uint64_t)(int64_t)(int32_t)dirfd,
			  (uint64_t)(uint32_t)uid | (uint64_t)(uint32_t)gid << 32, flags, 0 },
		 r[4];
	if (flags & VFS_AT_FD)
		return posix_vfs_call(VFS_CHOWN, w, 4, 0, r);
	return path_call(VFS_CHOWN, w, 4, 3, upath, r);
}

long posix_sys_chown(struct posix_call *c)
{
	return do_fchownat(AT_FDCWD, c->a[0], c->a[1], c->a[2], 0);
}

long posix_sys_lchown(struct posix_call *c)
{
	return do_fchownat(AT_FDCWD, c->a[0], c->a[1], c->a[2], POSIX_AT_SYMLINK_NOFOLLOW);
}

long posix_sys_fchown(struct posix_call *c)
{
	return do_fchownat(c->a[0], 0, c->a[1], c->a[2], VFS_AT_FD);
}

long posix_sys_fchownat(struct posix_call *c)
{
	return do_fchownat(c->a[0], c->a[1], c->a[2], c->a[3], (uint32_t)c->a[4]);
}

long posix_sys_umask(struct posix_call *c)
{
	uint64_t w[1] = { c->a[0] & 0777 }, r[4];
	long err = posix_vfs_call(VFS_UMASK, w, 1, 0, r);
	return err ? err : (long)r[0];
}

long posix_sys_utimensat(struct posix_call *c)
{
	struct posix_timespec t[2] = { { 0, POSIX_UTIME_NOW }, { 0, POSIX_UTIME_NOW } };
	uint64_t flags = (uint32_t)c->a[3], r[4];

	if (c->a[2] && copy_from_user(t, c->a[2], sizeof(t)))
		return -EFAULT;
	uint64_t w[8] = { (uint64_t)(int64_t)(int32_t)c->a[0],
			  flags,
			  0,
			  0,
			  (uint64_t)t[0].tv_sec,
			  (uint64_t)t[0].tv_nsec,
			  (uint64_t)t[1].tv_sec,
			  (uint64_t)t[1].tv_nsec };
	if (!c->a[1]) {
		/* utimensat(fd, NULL, ...): the file open as fd (futimens). */
		w[1] |= VFS_AT_FD;
		return posix_vfs_call(VFS_UTIMENS, w, 8, 0, r);
	}
	return path_call(VFS_UTIMENS, w, 8, 2, c->a[1], r);
}

long posix_sys_truncate(struct posix_call *c)
{
	uint64_t w[4] = { AT_FDCWD, c->a[1], 0, 0 }, r[4];
	return path_call(VFS_TRUNCATE, w, 4, 3, c->a[0], r);
}

long posix_sys_ftruncate(struct posix_call *c)
{
	uint64_t w[4] = { (uint64_t)(int64_t)(int32_t)c->a[0], c->a[1], VFS_AT_FD, 0 }, r[4];
	return posix_vfs_call(VFS_TRUNCATE, w, 4, 0, r);
}

long posix_sys_statfs(struct posix_call *c)
{
	uint64_t w[4] = { AT_FDCWD, 0, 0, 0 }, r[4];
	long err;

	if (!user_range_ok(c->a[1], sizeof(struct posix_statfs)))
		return -EFAULT;
	if ((err = path_call(VFS_STATFS, w, 4, 2, c->a[0], r)))
		return err;
	return posix_copy_answer(c->a[1], r, sizeof(struct posix_statfs));
}

long posix_sys_fstatfs(struct posix_call *c)
{
	uint64_t w[4] = { (uint64_t)(int64_t)(int32_t)c->a[0], VFS_AT_FD, 0, 0 }, r[4];
	long err;

	if (!user_range_ok(c->a[1], sizeof(struct posix_statfs)))
		return -EFAULT;
	if ((err = posix_vfs_call(VFS_STATFS, w, 4, 0, r)))
		return err;
	return posix_copy_answer(c->a[1], r, sizeof(struct posix_statfs));
}

/* One of mount's strings at byte off of the payload (NULL: empty). */
static long mount_str(uint64_t u, size_t off, size_t max)
{
	long n;

	if (!u)
		return 0;
	if (off >= VFS_PAYLOAD_MAX)
		return -ENAMETOOLONG;
	n = strncpy_from_user((char *)posix_vfs_payload() + off, u,
			      max < VFS_PAYLOAD_MAX - off ? max : VFS_PAYLOAD_MAX - off);
	return n;
}

long posix_sys_mount(struct posix_call *c)
{
	uint64_t r[4];
	long s = mount_str(c->a[0], 0, 0xffff), t, f;

	if (s < 0)
		return s;
	size_t off = ((size_t)s + 7) & ~(size_t)7;
	if (!c->a[1])
		return -EFAULT;
	if ((t = mount_str(c->a[1], off, 0xffff)) < 0)
		return t;
	off += ((size_t)t + 7) & ~(size_t)7;
	if ((f = mount_str(c->a[2], off, 0xffff)) < 0)
		return f;
	uint64_t w[4] = { c->a[3], VFS_MOUNT_LENS(s, t, f), 0, 0 };
	return posix_vfs_call(VFS_MOUNT, w, 4, off + (size_t)f, r);
}

long posix_sys_umount2(struct posix_call *c)
{
	uint64_t w[4] = { (uint32_t)c->a[1], 0, 0, 0 }, r[4];
	return path_call(VFS_UMOUNT, w, 4, 1, c->a[0], r);
}
