/* Shared set-up of the vfs host tests: a root tmpfs and path helpers. */
#ifndef VFS_TEST_H
#define VFS_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fs.h"
#include "platform_host.h"

static struct fs tfs;
static const struct fs_cred root = { 0, 0 };
static struct walk tw;

static void fs_setup(void)
{
	assert_int_equal(fs_init(&tfs), 0);
	tfs.root_mnt = mount_new(&tfs, FS_TMPFS, "rootfs", "rootfs");
	assert_non_null(tfs.root_mnt);
}

/* Resolve path from the root: 0 or -errno; the result in tw (walk_done). */
static __attribute__((unused)) int lookup(const char *path, unsigned flags)
{
	tw.start = tfs.root_mnt->root;
	tw.cred = &root;
	tw.proc_ctx = NULL;
	return fs_walk(&tfs, &tw, path, strlen(path), flags);
}

static __attribute__((unused)) int lookup_mode(const char *path, unsigned flags, uint32_t *mode)
{
	int err = lookup(path, flags);

	if (!err) {
		*mode = tw.node->mode;
		walk_done(&tfs, &tw);
	}
	return err;
}

/* Create path (its parent resolved) with mode; a symlink's target in link. */
static __attribute__((unused)) int make(const char *path, uint32_t mode, const char *link)
{
	int err = lookup(path, WALK_PARENT | WALK_FOLLOW);

	if (err)
		return err;
	if (tw.last_type != LAST_NORM)
		err = -EEXIST;
	else if (tw.node)
		err = -EEXIST;
	else
		err = fs_mknod(&tfs, tw.dir, tw.last, tw.last_len, mode, 0, link,
			       link ? strlen(link) : 0, &root, NULL);
	walk_done(&tfs, &tw);
	return err;
}

static __attribute__((unused)) int mkdir_(const char *path)
{
	return make(path, POSIX_S_IFDIR | 0755, NULL);
}

static __attribute__((unused)) int creat_(const char *path)
{
	return make(path, POSIX_S_IFREG | 0644, NULL);
}

static __attribute__((unused)) int symlink_(const char *target, const char *path)
{
	return make(path, POSIX_S_IFLNK | 0777, target);
}

static __attribute__((unused)) int remove_(const char *path, bool dir)
{
	int err = lookup(path, WALK_PARENT);

	if (err)
		return err;
	err = fs_unlink(&tfs, &tw, dir, &root);
	walk_done(&tfs, &tw);
	return err;
}

#endif
