/*
 * The device nodes vfs answers itself (Linux's drivers/char/mem.c and
 * random.c): null, zero, full, random and urandom (the kernel CRNG); the
 * console's nodes (tty 5:0, console 5:1, ttyS0..3 4:64..67) are the
 * console driver's: libposix sends their data straight there (route
 * POSIX_ROUTE_CONSOLE). devtmpfs starts with all of them.
 *
 * Entry points: dev_known, dev_is_console, dev_is_null, dev_is_zero, dev_read, dev_write,
 * dev_write_nodata, devtmpfs_populate.
 */
#include "vfs.h"

#include "common/string.h"
#include "sys/syscalls.h"

enum { MEM_MAJOR = 1, TTY_MAJOR = 4, TTYAUX_MAJOR = 5 };
enum { DEV_NULL = 3, DEV_ZERO = 5, DEV_FULL = 7, DEV_RANDOM = 8, DEV_URANDOM = 9 };

bool dev_is_console(uint64_t rdev)
{
	uint32_t ma = posix_major(rdev), mi = posix_minor(rdev);

	return (ma == TTYAUX_MAJOR && mi <= 1) || (ma == TTY_MAJOR && mi >= 64 && mi < 68);
}

bool dev_is_null(uint64_t rdev)
{
	return posix_major(rdev) == MEM_MAJOR && posix_minor(rdev) == DEV_NULL;
}

bool dev_is_zero(uint64_t rdev)
{
	return posix_major(rdev) == MEM_MAJOR && posix_minor(rdev) == DEV_ZERO;
}

bool dev_known(uint64_t rdev)
{
	uint32_t ma = posix_major(rdev), mi = posix_minor(rdev);

	if (dev_is_console(rdev))
		return true;
	return ma == MEM_MAJOR && (mi == DEV_NULL || mi == DEV_ZERO || mi == DEV_FULL ||
				   mi == DEV_RANDOM || mi == DEV_URANDOM);
}

long dev_read(uint64_t rdev, void *buf, size_t n)
{
	uint8_t *b = buf;

	if (posix_major(rdev) != MEM_MAJOR)
		return -EIO; /* the console's data goes to the console driver */
	switch (posix_minor(rdev)) {
	case DEV_NULL:
		return 0;
	case DEV_ZERO:
	case DEV_FULL:
		memset(buf, 0, n);
		return (long)n;
	case DEV_RANDOM:
	case DEV_URANDOM:
		for (size_t done = 0; done < n;) {
			size_t chunk = n - done < TERN_RANDOM_MAX ? n - done : TERN_RANDOM_MAX;
			if (tern_random(b + done, chunk) != TERN_EOK)
				return done ? (long)done : -EIO;
			done += chunk;
		}
		return (long)n;
	default:
		return -ENXIO;
	}
}

long dev_write(uint64_t rdev, size_t n)
{
	if (posix_major(rdev) != MEM_MAJOR)
		return -EIO;
	switch (posix_minor(rdev)) {
	case DEV_FULL:
		return -ENOSPC;
	case DEV_NULL:
	case DEV_ZERO:
	case DEV_RANDOM:
	case DEV_URANDOM: /* mixed into nothing: Linux credits no entropy either */
		return (long)n;
	default:
		return -ENXIO;
	}
}

long dev_write_nodata(uint64_t rdev, size_t n)
{
	if (posix_major(rdev) != MEM_MAJOR)
		return -EFAULT;
	switch (posix_minor(rdev)) {
	case DEV_NULL:
	case DEV_ZERO:
		return (long)n; /* write_null: the buffer is never read */
	case DEV_FULL:
		return -ENOSPC;
	default:
		return -EFAULT; /* random reads what it is given */
	}
}

int devtmpfs_populate(struct fs *fs, struct inode *root)
{
	static const struct fs_cred cred = { 0, 0 };
	static const struct {
		const char *name;
		uint32_t mode, major, minor;
	} nodes[] = {
		{ "null", 0666, MEM_MAJOR, DEV_NULL },
		{ "zero", 0666, MEM_MAJOR, DEV_ZERO },
		{ "full", 0666, MEM_MAJOR, DEV_FULL },
		{ "random", 0666, MEM_MAJOR, DEV_RANDOM },
		{ "urandom", 0666, MEM_MAJOR, DEV_URANDOM },
		{ "tty", 0666, TTYAUX_MAJOR, 0 },
		{ "console", 0600, TTYAUX_MAJOR, 1 },
		{ "ttyS0", 0660, TTY_MAJOR, 64 },
	};
	int err;

	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++)
		if ((err = fs_mknod(fs, root, nodes[i].name, strlen(nodes[i].name),
				    POSIX_S_IFCHR | nodes[i].mode,
				    posix_makedev(nodes[i].major, nodes[i].minor), NULL, 0, &cred,
				    NULL)))
			return err;
	return 0;
}
