/*
 * /dev/null and /dev/zero in the process (route POSIX_ROUTE_NULL and
 * _ZERO, given by vfs at open): they keep no state, so read, write,
 * pread64 and pwrite64 on them need no server, as Fuchsia's fdio answers
 * its null protocol in the process. Linux's order of checks (vfs_read,
 * vfs_write: the access mode, access_ok on the whole count, then the
 * MAX_RW_COUNT clamp; their offsets are unsigned on current Linux, so
 * pread64 and pwrite64 take any offset and, like read and write, ignore it) and its drivers' answers
 * (drivers/char/mem.c): null reads nothing and swallows any write without
 * touching the buffer; zero fills the buffer, a short count when it runs
 * into a bad page. Everything else on these fds (fstat, lseek, fcntl,
 * readv, ...) goes to vfs, which owns the open file description.
 */
#include "memdev.h"

#include "posix/errno.h"
#include "posix/fcntl.h"
#include "posix/proto_vfs.h"
#include "uaccess.h"

#define MAX_RW_COUNT 0x7ffff000ul /* INT_MAX & PAGE_MASK */
#define ZERO_CHUNK 4096

static const uint8_t zeros[ZERO_CHUNK];

/* The checks of vfs_read and vfs_write; `mode` is the access mode besides
 * O_RDWR that allows the call. */
static long check(const struct posix_fd *f, uint32_t mode, uint64_t ubuf, size_t *n)
{
	uint32_t acc = f->flags & POSIX_O_ACCMODE;

	if (acc != mode && acc != POSIX_O_RDWR)
		return -EBADF;
	/* access_ok on the whole count: it also refuses every count that
	 * rw_verify_area would call negative. */
	if (!user_range_ok(ubuf, *n))
		return -EFAULT;
	if (*n > MAX_RW_COUNT)
		*n = MAX_RW_COUNT;
	return 0;
}

long posix_memdev_read(const struct posix_fd *f, uint64_t ubuf, size_t n)
{
	long err = check(f, POSIX_O_RDONLY, ubuf, &n);

	if (err)
		return err;
	if (f->route == POSIX_ROUTE_NULL)
		return 0;
	size_t done = 0;
	while (done < n) {
		size_t piece = n - done < ZERO_CHUNK ? n - done : ZERO_CHUNK;
		size_t got = copy_to_user_upto(ubuf + done, zeros, piece);
		done += got;
		if (got < piece)
			return done ? (long)done : -EFAULT;
	}
	return (long)done;
}

long posix_memdev_write(const struct posix_fd *f, uint64_t ubuf, size_t n)
{
	long err = check(f, POSIX_O_WRONLY, ubuf, &n);

	return err ? err : (long)n;
}
