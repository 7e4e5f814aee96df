/*
 * The initramfs, unpacked as Linux's init/initramfs.c does: each cpio
 * newc entry in order (concatenated archives too, common/cpio.h), names
 * without a leading "./" or "/"; a directory that exists already keeps
 * its entries (mode and time updated), any other existing name is
 * replaced; regular files, directories, symlinks, device nodes, FIFOs and
 * sockets with their mode, owner and mtime (atime too, as do_utime; a
 * directory's once the whole archive is in, as dir_utime). An entry whose parent directory is
 * missing is skipped, as Linux skips it. Before it, rootfs_populate makes
 * what Linux's built-in default archive holds: /dev, /dev/console, /root.
 *
 * Entry points: initramfs_unpack, rootfs_populate.
 */
#include "fs.h"

#include "common/cpio.h"
#include "common/string.h"

static const struct fs_cred root_cred = { 0, 0 };

/* A header field common/cpio.h does not return (the reader has checked
 * every field is 8 hex digits): the header is the 110 bytes before the
 * name. */
#define CPIO_HDR 110
#define CPIO_UID 22
#define CPIO_GID 30
#define CPIO_RDEVMAJOR 78
#define CPIO_RDEVMINOR 86

static uint32_t cpio_field(const struct cpio_entry *e, unsigned off)
{
	const char *h = e->name - CPIO_HDR + off;
	uint32_t v = 0;

	for (unsigned i = 0; i < 8; i++) {
		char c = h[i];
		v = v << 4 | (uint32_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

/* The directory holding path's last component, and that component. */
static struct inode *parent_of(struct fs *fs, const char *path, size_t len, const char **name,
			       size_t *name_len)
{
	static struct walk w;
	size_t slash = len;
	struct inode *dir;

	while (slash > 0 && path[slash - 1] != '/')
		slash--;
	*name = path + slash;
	*name_len = len - slash;
	if (slash == 0)
		return fs->root_mnt->root;
	w.start = fs->root_mnt->root;
	w.cred = &root_cred;
	w.proc_ctx = NULL;
	if (fs_walk(fs, &w, path, slash, WALK_FOLLOW | WALK_DIRECTORY))
		return NULL;
	dir = w.node;
	walk_done(fs, &w); /* tmpfs directories stay while linked */
	return dir;
}

/* A directory's times are set once everything is unpacked (Linux's
 * dir_add and dir_utime): the entries made in it would move them. */
struct dir_time {
	struct dir_time *next;
	struct inode *dir;
	uint32_t mtime;
};
static struct dir_time *dir_times;

static int dir_time_later(struct inode *dir, uint32_t mtime)
{
	struct dir_time *t = fs_alloc(sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->dir = dir;
	t->mtime = mtime;
	inode_get(dir);
	t->next = dir_times;
	dir_times = t;
	return 0;
}

static void dir_times_apply(struct fs *fs)
{
	while (dir_times) {
		struct dir_time *t = dir_times;
		dir_times = t->next;
		t->dir->mtime.tv_sec = t->dir->atime.tv_sec = t->mtime;
		t->dir->mtime.tv_nsec = t->dir->atime.tv_nsec = 0;
		inode_put(fs, t->dir);
		fs_free(t);
	}
}

static int unpack_entry(struct fs *fs, const struct cpio_entry *e)
{
	const char *path = e->name, *name;
	size_t len = e->name_len, nlen;
	struct inode *dir, *n;
	struct dentry *d;
	uint32_t type = e->mode & POSIX_S_IFMT;

	for (;;) {
		if (len && path[0] == '/') {
			path++;
			len--;
		} else if (len >= 2 && path[0] == '.' && path[1] == '/') {
			path += 2;
			len -= 2;
		} else {
			break;
		}
	}
	while (len && path[len - 1] == '/')
		len--;
	if (len == 0 || (len == 1 && path[0] == '.'))
		return 0;
	dir = parent_of(fs, path, len, &name, &nlen);
	if (!dir || nlen == 0 || nlen > POSIX_NAME_MAX)
		return 0;
	d = dir_lookup(fs, dir, name, nlen);
	if (d && type == POSIX_S_IFDIR && POSIX_S_ISDIR(d->node->mode)) {
		n = d->node;
		n->mode = e->mode;
		n->uid = cpio_field(e, CPIO_UID);
		n->gid = cpio_field(e, CPIO_GID);
		return dir_time_later(n, e->mtime);
	}
	if (d) {
		if (POSIX_S_ISDIR(d->node->mode) && !dir_empty(d->node))
			return 0; /* Linux cannot replace a full directory either */
		dir_unlink(fs, d);
	}
	switch (type) {
	case POSIX_S_IFREG:
	case POSIX_S_IFDIR:
	case POSIX_S_IFCHR:
	case POSIX_S_IFBLK:
	case POSIX_S_IFIFO:
	case POSIX_S_IFSOCK:
	case POSIX_S_IFLNK:
		break;
	default:
		return 0;
	}
	if (type == POSIX_S_IFLNK && (e->size == 0 || e->size >= POSIX_PATH_MAX))
		return 0;
	uint64_t rdev = posix_makedev(cpio_field(e, CPIO_RDEVMAJOR), cpio_field(e, CPIO_RDEVMINOR));
	int err = fs_mknod(fs, dir, name, nlen, e->mode, rdev, e->data, e->size, &root_cred, &n);
	if (err)
		return err == -ENOMEM || err == -ENOSPC ? err : 0;
	n->uid = cpio_field(e, CPIO_UID);
	n->gid = cpio_field(e, CPIO_GID);
	if (type == POSIX_S_IFREG && e->size) {
		long w = file_write(fs, n, 0, e->data, e->size);
		if (w < 0)
			return (int)w;
	}
	if (type == POSIX_S_IFDIR)
		return dir_time_later(n, e->mtime);
	/* Linux's do_utime: atime and mtime from the archive (ctime is now). */
	n->mtime.tv_sec = n->atime.tv_sec = e->mtime;
	n->mtime.tv_nsec = n->atime.tv_nsec = 0;
	return 0;
}

int initramfs_unpack(struct fs *fs, const void *buf, size_t len)
{
	struct cpio_iter it;
	struct cpio_entry e;
	int r;

	cpio_iter_init(&it, buf, len);
	while ((r = cpio_next(&it, &e)) > 0) {
		int err = unpack_entry(fs, &e);
		if (err) {
			dir_times_apply(fs);
			return err;
		}
	}
	dir_times_apply(fs);
	return r < 0 ? -EINVAL : 0;
}

int rootfs_populate(struct fs *fs)
{
	struct inode *root = fs->root_mnt->root, *dev;
	int err;

	if ((err = fs_mknod(fs, root, "dev", 3, POSIX_S_IFDIR | 0755, 0, NULL, 0, &root_cred,
			    &dev)) ||
	    (err = fs_mknod(fs, dev, "console", 7, POSIX_S_IFCHR | 0600, posix_makedev(5, 1), NULL,
			    0, &root_cred, NULL)) ||
	    (err = fs_mknod(fs, root, "root", 4, POSIX_S_IFDIR | 0700, 0, NULL, 0, &root_cred,
			    NULL)))
		return err;
	return 0;
}
