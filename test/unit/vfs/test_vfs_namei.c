/*
 * The vfs core's path walk and directory operations (servers/vfs/namei.c,
 * inode.c) against Linux's answers: ".", "..", symlinks and ELOOP after
 * 40, ENAMETOOLONG, ENOTDIR, trailing slashes, mount points both ways,
 * unlink/rmdir/rename/link errnos, getcwd's path, the dentry cache over
 * many entries.
 */
#include "vfs_test.h"

#include "common/format.h"

static int setup(void **state)
{
	(void)state;
	fs_setup();
	return 0;
}

static void test_dot_dotdot(void **state)
{
	uint32_t mode;
	(void)state;
	assert_int_equal(mkdir_("/a"), 0);
	assert_int_equal(mkdir_("/a/b"), 0);
	assert_int_equal(creat_("/a/b/f"), 0);
	assert_int_equal(lookup_mode("/a/./b/../b//f", 0, &mode), 0);
	assert_true(POSIX_S_ISREG(mode));
	assert_int_equal(lookup_mode("/../../a/b/f", 0, &mode), 0); /* the root is its own parent */
	assert_int_equal(lookup("/a/b/f/", 0), -ENOTDIR);
	assert_int_equal(lookup("/a/b/f/x", 0), -ENOTDIR);
	assert_int_equal(lookup("/a/b/f/..", 0), -ENOTDIR);
	assert_int_equal(lookup("/a/nope", 0), -ENOENT);
	assert_int_equal(lookup("", 0), -ENOENT);
	assert_int_equal(lookup_mode("/a/b/", 0, &mode), 0);
	assert_true(POSIX_S_ISDIR(mode));
}

static void test_symlinks(void **state)
{
	uint32_t mode;
	(void)state;
	assert_int_equal(mkdir_("/d"), 0);
	assert_int_equal(creat_("/d/file"), 0);
	assert_int_equal(symlink_("file", "/d/rel"), 0);
	assert_int_equal(symlink_("/d", "/abs"), 0);
	assert_int_equal(symlink_("nowhere", "/d/dangling"), 0);
	assert_int_equal(lookup_mode("/d/rel", WALK_FOLLOW, &mode), 0);
	assert_true(POSIX_S_ISREG(mode));
	assert_int_equal(lookup_mode("/d/rel", 0, &mode), 0);
	assert_true(POSIX_S_ISLNK(mode));
	assert_int_equal(lookup_mode("/abs/rel", WALK_FOLLOW, &mode), 0); /* through a dir link */
	assert_true(POSIX_S_ISREG(mode));
	assert_int_equal(lookup_mode("/abs", 0, &mode), 0);
	assert_true(POSIX_S_ISLNK(mode));
	assert_int_equal(lookup_mode("/abs/", 0, &mode), 0); /* a trailing slash follows */
	assert_true(POSIX_S_ISDIR(mode));
	assert_int_equal(lookup("/d/dangling", WALK_FOLLOW), -ENOENT);
	assert_int_equal(lookup("/d/rel/", WALK_FOLLOW), -ENOTDIR);
	/* A loop, and a chain: 40 links are followed, the 41st is ELOOP. */
	assert_int_equal(symlink_("/loop2", "/loop1"), 0);
	assert_int_equal(symlink_("/loop1", "/loop2"), 0);
	assert_int_equal(lookup("/loop1", WALK_FOLLOW), -ELOOP);
	char name[32], target[32];
	assert_int_equal(creat_("/c0"), 0);
	for (int i = 1; i <= 41; i++) {
		format(name, sizeof(name), "/c%d", i);
		format(target, sizeof(target), "c%d", i - 1);
		assert_int_equal(symlink_(target, name), 0);
	}
	assert_int_equal(lookup_mode("/c40", WALK_FOLLOW, &mode), 0);
	assert_true(POSIX_S_ISREG(mode));
	assert_int_equal(lookup("/c41", WALK_FOLLOW), -ELOOP);
}

static void test_name_too_long(void **state)
{
	char path[POSIX_PATH_MAX + 8];
	(void)state;
	memset(path, 'x', sizeof(path));
	path[0] = '/';
	path[257] = 0; /* a 256-byte component */
	assert_int_equal(lookup(path, 0), -ENAMETOOLONG);
	path[256] = 0; /* 255 is fine: absent */
	assert_int_equal(lookup(path, 0), -ENOENT);
	assert_int_equal(creat_(path), 0);
	/* PATH_MAX bytes with no NUL inside is too long, whatever it names. */
	for (int i = 0; i < POSIX_PATH_MAX; i += 2) {
		path[i] = '/';
		path[i + 1] = '.';
	}
	path[POSIX_PATH_MAX] = 0;
	assert_int_equal(lookup(path, 0), -ENAMETOOLONG);
	path[POSIX_PATH_MAX - 2] = 0;
	assert_int_equal(lookup(path, 0), 0);
	walk_done(&tfs, &tw);
}

static void test_unlink_rmdir(void **state)
{
	(void)state;
	assert_int_equal(mkdir_("/u"), 0);
	assert_int_equal(mkdir_("/u/sub"), 0);
	assert_int_equal(creat_("/u/sub/f"), 0);
	assert_int_equal(mkdir_("/u/sub"), -EEXIST);
	assert_int_equal(remove_("/u/sub", false), -EISDIR);
	assert_int_equal(remove_("/u/sub", true), -ENOTEMPTY);
	assert_int_equal(remove_("/u/sub/f", true), -ENOTDIR);
	assert_int_equal(remove_("/u/sub/f/", false), -ENOTDIR);
	assert_int_equal(remove_("/u/sub/.", true), -EINVAL);
	assert_int_equal(remove_("/u/sub/..", true), -ENOTEMPTY);
	assert_int_equal(remove_("/u/sub/f", false), 0);
	assert_int_equal(remove_("/u/sub/f", false), -ENOENT);
	assert_int_equal(remove_("/u/sub", true), 0);
	assert_int_equal(remove_("/", true), -EBUSY);
	uint32_t mode;
	assert_int_equal(lookup_mode("/u", 0, &mode), 0);
	assert_int_equal(lookup("/u", 0), 0);
	assert_int_equal(tw.node->nlink, 2); /* its subdirectory's ".." is gone */
	walk_done(&tfs, &tw);
}

static int rename_(const char *a, const char *b, unsigned flags)
{
	static struct walk from;
	int err;

	from.start = tfs.root_mnt->root;
	from.cred = &root;
	if ((err = fs_walk(&tfs, &from, a, strlen(a), WALK_PARENT)))
		return err;
	if ((err = lookup(b, WALK_PARENT))) {
		walk_done(&tfs, &from);
		return err;
	}
	err = fs_rename(&tfs, &from, &tw, flags, &root);
	walk_done(&tfs, &tw);
	walk_done(&tfs, &from);
	return err;
}

static void test_rename(void **state)
{
	uint32_t mode;
	(void)state;
	assert_int_equal(mkdir_("/r"), 0);
	assert_int_equal(mkdir_("/r/d1"), 0);
	assert_int_equal(mkdir_("/r/d2"), 0);
	assert_int_equal(creat_("/r/d2/x"), 0);
	assert_int_equal(creat_("/r/f"), 0);
	assert_int_equal(creat_("/r/g"), 0);
	assert_int_equal(rename_("/r/f", "/r/d1", 0), -EISDIR);
	assert_int_equal(rename_("/r/d1", "/r/f", 0), -ENOTDIR);
	assert_int_equal(rename_("/r/d1", "/r/d2", 0), -ENOTEMPTY);
	assert_int_equal(rename_("/r/d1", "/r/d1/in", 0), -EINVAL);
	assert_int_equal(rename_("/r/f", "/r/g", POSIX_RENAME_NOREPLACE), -EEXIST);
	assert_int_equal(rename_("/r/none", "/r/h", 0), -ENOENT);
	assert_int_equal(rename_("/r/f", "/r/f", 0), 0);
	assert_int_equal(rename_("/r/f", "/r/g", 0), 0); /* replaces g */
	assert_int_equal(lookup("/r/f", 0), -ENOENT);
	assert_int_equal(lookup_mode("/r/g", 0, &mode), 0);
	/* A directory moves with its contents; nlinks follow. */
	assert_int_equal(rename_("/r/d2", "/r/d1/moved", 0), 0);
	assert_int_equal(lookup_mode("/r/d1/moved/x", 0, &mode), 0);
	assert_int_equal(lookup("/r/d1", 0), 0);
	assert_int_equal(tw.node->nlink, 3);
	walk_done(&tfs, &tw);
	assert_int_equal(lookup("/r", 0), 0);
	assert_int_equal(tw.node->nlink, 3); /* ".", its name, d1's ".." */
	walk_done(&tfs, &tw);
	/* A directory with a subdirectory keeps its nlink across a move. */
	assert_int_equal(mkdir_("/r/d1/moved/sub"), 0);
	assert_int_equal(rename_("/r/d1/moved", "/r/m2", 0), 0);
	assert_int_equal(lookup("/r/m2", 0), 0);
	assert_int_equal(tw.node->nlink, 3);
	walk_done(&tfs, &tw);
	assert_int_equal(rename_("/r/m2", "/r/d1/moved", 0), 0);
	assert_int_equal(rename_("/r/g", "/r/d1", POSIX_RENAME_EXCHANGE), 0);
	assert_int_equal(lookup_mode("/r/g/moved/x", 0, &mode), 0);
	assert_int_equal(lookup_mode("/r/d1", 0, &mode), 0);
	assert_true(POSIX_S_ISREG(mode));
}

static void test_mounts_and_paths(void **state)
{
	char buf[256];
	(void)state;
	assert_int_equal(mkdir_("/mnt"), 0);
	assert_int_equal(mkdir_("/mnt/under"), 0);
	assert_int_equal(lookup("/mnt", 0), 0);
	struct mount *m = mount_new(&tfs, FS_TMPFS, "tmpfs", "tmpfs");
	assert_non_null(m);
	assert_int_equal(mount_attach(&tfs, m, tw.node, "/mnt"), 0);
	walk_done(&tfs, &tw);
	assert_int_equal(lookup("/mnt/under", 0), -ENOENT); /* covered */
	assert_int_equal(mkdir_("/mnt/new"), 0);
	assert_int_equal(lookup("/mnt/new/../..", 0), 0);
	assert_ptr_equal(tw.node, tfs.root_mnt->root); /* ".." leaves the mount */
	walk_done(&tfs, &tw);
	assert_int_equal(lookup("/mnt/new", 0), 0);
	assert_int_equal(fs_dir_path(&tfs, tw.node, buf, sizeof(buf)), 9);
	assert_string_equal(buf, "/mnt/new");
	assert_int_equal(fs_dir_path(&tfs, tw.node, buf, 8), -ERANGE);
	assert_int_equal(tw.node->mnt, m);
	walk_done(&tfs, &tw);
	assert_int_equal(fs_dir_path(&tfs, tfs.root_mnt->root, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "/");
	assert_int_equal(remove_("/mnt", true), -EBUSY);
	assert_int_equal(lookup("/mnt", 0), 0);
	assert_int_equal(mount_detach(&tfs, tw.node), 0);
	walk_done(&tfs, &tw);
	uint32_t mode;
	assert_int_equal(lookup_mode("/mnt/under", 0, &mode), 0); /* uncovered */
	assert_int_equal(lookup("/", 0), 0);
	assert_int_equal(mount_detach(&tfs, tw.node), -EINVAL); /* not a mount */
	walk_done(&tfs, &tw);
}

/* umount frees the detached tree (inodes, dentries, data) at once when
 * nothing in it is held, else when the last reference goes (a lazy
 * umount: the held directory still works meanwhile). */
static void test_umount_frees_tree(void **state)
{
	(void)state;
	assert_int_equal(mkdir_("/m"), 0);
	uint64_t inodes0 = tfs.inodes;
	for (int round = 0; round < 2; round++) {
		assert_int_equal(lookup("/m", 0), 0);
		struct mount *m = mount_new(&tfs, FS_TMPFS, "tmpfs", "tmpfs");
		assert_non_null(m);
		assert_int_equal(mount_attach(&tfs, m, tw.node, "/m"), 0);
		walk_done(&tfs, &tw);
		assert_int_equal(mkdir_("/m/d"), 0);
		assert_int_equal(mkdir_("/m/d/e"), 0);
		assert_int_equal(creat_("/m/d/e/f"), 0);
		assert_int_equal(creat_("/m/g"), 0);
		assert_int_equal(symlink_("g", "/m/d/l"), 0);
		assert_int_equal(tfs.inodes, inodes0 + 6);
		static struct walk held;
		if (round == 1) { /* a cwd in the tree */
			held.start = tfs.root_mnt->root;
			held.cred = &root;
			assert_int_equal(fs_walk(&tfs, &held, "/m/d", 4, 0), 0);
		}
		assert_int_equal(lookup("/m", 0), 0);
		assert_int_equal(mount_detach(&tfs, tw.node), 0);
		walk_done(&tfs, &tw);
		if (round == 1) {
			assert_int_equal(tfs.inodes, inodes0 + 6);
			struct inode *d = held.node;
			assert_non_null(dir_lookup(&tfs, d, "e", 1)); /* still works */
			walk_done(&tfs, &held);
		}
		assert_int_equal(tfs.inodes, inodes0);
	}
	assert_int_equal(lookup("/m/d", 0), -ENOENT);
}

static void test_link_and_cache(void **state)
{
	char name[32];
	uint32_t mode;
	(void)state;
	assert_int_equal(mkdir_("/many"), 0);
	for (int i = 0; i < 3000; i++) {
		format(name, sizeof(name), "/many/entry%d", i);
		assert_int_equal(creat_(name), 0);
	}
	for (int i = 0; i < 3000; i += 7) {
		format(name, sizeof(name), "/many/entry%d", i);
		assert_int_equal(lookup_mode(name, 0, &mode), 0);
	}
	assert_int_equal(lookup("/many/entry3000", 0), -ENOENT);
	assert_true(tfs.hash_size >= 3000);
	/* A hard link: two names, one inode; a directory cannot be linked. */
	assert_int_equal(lookup("/many/entry1", 0), 0);
	struct inode *n = tw.node;
	static struct walk to;
	to.start = tfs.root_mnt->root;
	to.cred = &root;
	assert_int_equal(fs_walk(&tfs, &to, "/hard", 5, WALK_PARENT), 0);
	assert_int_equal(fs_link(&tfs, n, &to, &root), 0);
	walk_done(&tfs, &to);
	assert_int_equal(n->nlink, 2);
	walk_done(&tfs, &tw);
	assert_int_equal(remove_("/many/entry1", false), 0);
	assert_int_equal(lookup("/hard", 0), 0);
	assert_ptr_equal(tw.node, n);
	assert_int_equal(n->nlink, 1);
	walk_done(&tfs, &tw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_dot_dotdot, setup),
		cmocka_unit_test_setup(test_symlinks, setup),
		cmocka_unit_test_setup(test_name_too_long, setup),
		cmocka_unit_test_setup(test_unlink_rmdir, setup),
		cmocka_unit_test_setup(test_rename, setup),
		cmocka_unit_test_setup(test_mounts_and_paths, setup),
		cmocka_unit_test_setup(test_umount_frees_tree, setup),
		cmocka_unit_test_setup(test_link_and_cache, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
