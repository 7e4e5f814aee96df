/*
 * /proc's nodes (servers/vfs/procfs.c) over fake processes: lookups of
 * self, pid directories and fd links (only what exists), stable inode
 * numbers, readdir positions that resume where a full buffer stopped,
 * links, and nodes that go away with their last reference.
 */
#include "vfs_test.h"

#include "common/format.h"
#include "posix/dirent.h"

static uint32_t pids[] = { 1, 7, 42 };

static uint32_t f_self(void *ctx)
{
	(void)ctx;
	return 7;
}

static bool f_exists(void *ctx, uint32_t pid)
{
	(void)ctx;
	return pid == 1 || pid == 7 || pid == 42;
}

static uint32_t f_next_pid(void *ctx, uint32_t after)
{
	(void)ctx;
	for (unsigned i = 0; i < 3; i++)
		if (pids[i] > after)
			return pids[i];
	return 0;
}

static int64_t f_next_fd(void *ctx, uint32_t pid, int64_t after)
{
	static const int64_t fds[] = { 0, 1, 2, 9 };
	(void)ctx;
	(void)pid;
	for (unsigned i = 0; i < 4; i++)
		if (fds[i] > after)
			return fds[i];
	return -1;
}

static long f_link(void *ctx, uint32_t pid, enum procfs_kind kind, uint32_t fd, char *buf,
		   size_t size)
{
	(void)ctx;
	if (kind == PROCFS_FD_LINK && fd != 0 && fd != 1 && fd != 2 && fd != 9)
		return -EBADF;
	return format(buf, size, "/link/%u/%d/%u", pid, (int)kind, fd);
}

static size_t f_text(void *ctx, uint32_t pid, enum procfs_kind kind, char *buf, size_t size)
{
	(void)ctx;
	return (size_t)format(buf, size, "text %u %d\n", pid, (int)kind);
}

static const struct procfs_ops fake = { f_self, f_exists, f_next_pid, f_next_fd, f_link, f_text };
static struct mount *procm;

static int setup(void **state)
{
	(void)state;
	fs_setup();
	procfs = &fake;
	assert_int_equal(mkdir_("/proc"), 0);
	assert_int_equal(lookup("/proc", 0), 0);
	procm = mount_new(&tfs, FS_PROC, "proc", "proc");
	assert_int_equal(mount_attach(&tfs, procm, tw.node, "/proc"), 0);
	walk_done(&tfs, &tw);
	return 0;
}

static void test_lookup(void **state)
{
	char buf[64];
	uint32_t mode;
	(void)state;
	assert_int_equal(lookup_mode("/proc/self", 0, &mode), 0);
	assert_true(POSIX_S_ISLNK(mode));
	assert_int_equal(lookup_mode("/proc/self", WALK_FOLLOW, &mode), 0);
	assert_true(POSIX_S_ISDIR(mode)); /* /proc/7 */
	assert_int_equal(lookup("/proc/self/fd/9", 0), 0);
	assert_int_equal(procfs_readlink(tw.node, NULL, buf, sizeof(buf)), 11);
	assert_memory_equal(buf, "/link/7/7/9", 11);
	uint64_t ino = tw.node->ino;
	walk_done(&tfs, &tw);
	assert_int_equal(lookup("/proc/7/fd/9", 0), 0);
	assert_int_equal(tw.node->ino, ino); /* the same node each lookup */
	walk_done(&tfs, &tw);
	assert_int_equal(lookup("/proc/7/fd/3", 0), -ENOENT);
	assert_int_equal(lookup("/proc/8", 0), -ENOENT);
	assert_int_equal(lookup("/proc/007", 0), -ENOENT); /* no leading zeros */
	assert_int_equal(lookup("/proc/99999999999", 0), -ENOENT);
	assert_int_equal(lookup("/proc/nope", 0), -ENOENT);
	assert_int_equal(lookup_mode("/proc/42/stat", 0, &mode), 0);
	assert_true(POSIX_S_ISREG(mode));
	/* ".." of /proc/<pid>/fd is /proc/<pid>, of /proc it is /. */
	assert_int_equal(lookup("/proc/42/fd/..", 0), 0);
	assert_int_equal(tw.node->proc_kind, PROCFS_PID_DIR);
	assert_int_equal(tw.node->proc_pid, 42);
	walk_done(&tfs, &tw);
	assert_int_equal(lookup("/proc/1/..", 0), 0);
	assert_ptr_equal(tw.node, procm->root);
	walk_done(&tfs, &tw);
	assert_int_equal(lookup("/proc/..", 0), 0);
	assert_ptr_equal(tw.node, tfs.root_mnt->root);
	walk_done(&tfs, &tw);
	/* Nothing is created or removed in /proc. */
	assert_int_equal(creat_("/proc/new"), -ENOENT);
	assert_int_equal(remove_("/proc/meminfo", false), -EPERM);
	uint64_t before = tfs.inodes;
	assert_int_equal(lookup("/proc/1/fd/0", 0), 0);
	assert_int_equal(tfs.inodes, before + 1);
	walk_done(&tfs, &tw);
	assert_int_equal(tfs.inodes, before); /* gone with its last use */
}

struct names {
	char seen[64][16];
	uint64_t next[64];
	unsigned n, room;
};

static bool emit(void *arg, uint64_t ino, uint64_t next_pos, uint8_t type, const char *name,
		 size_t len)
{
	struct names *x = arg;
	(void)ino;
	(void)type;
	if (x->n == x->room)
		return false;
	memcpy(x->seen[x->n], name, len);
	x->seen[x->n][len] = 0;
	x->next[x->n++] = next_pos;
	return true;
}

static void test_readdir(void **state)
{
	struct names all = { .room = 64 }, part;
	(void)state;
	uint64_t end = procfs_readdir(&tfs, procm->root, 0, NULL, emit, &all);
	assert_int_equal(all.n, 2 + 7 + 3);
	assert_string_equal(all.seen[0], ".");
	assert_string_equal(all.seen[2], "self");
	assert_string_equal(all.seen[9], "1");
	assert_string_equal(all.seen[11], "42");
	/* Three at a time, resuming from each stop: the same sequence. */
	uint64_t pos = 0;
	unsigned got = 0;
	for (int round = 0; round < 10 && got < all.n; round++) {
		part = (struct names){ .room = 3 };
		pos = procfs_readdir(&tfs, procm->root, pos, NULL, emit, &part);
		for (unsigned i = 0; i < part.n; i++, got++)
			assert_string_equal(part.seen[i], all.seen[got]);
	}
	assert_int_equal(got, all.n);
	assert_int_equal(pos, end);
	part = (struct names){ .room = 3 };
	assert_int_equal(procfs_readdir(&tfs, procm->root, end, NULL, emit, &part), end);
	assert_int_equal(part.n, 0);
	/* The fd directory: its fds, resuming too. */
	assert_int_equal(lookup("/proc/7/fd", 0), 0);
	struct inode *fd = tw.node;
	part = (struct names){ .room = 4 };
	pos = procfs_readdir(&tfs, fd, 0, NULL, emit, &part);
	assert_int_equal(part.n, 4);
	assert_string_equal(part.seen[2], "0");
	assert_string_equal(part.seen[3], "1");
	part = (struct names){ .room = 4 };
	procfs_readdir(&tfs, fd, pos, NULL, emit, &part);
	assert_int_equal(part.n, 2);
	assert_string_equal(part.seen[0], "2");
	assert_string_equal(part.seen[1], "9");
	walk_done(&tfs, &tw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_lookup, setup),
		cmocka_unit_test_setup(test_readdir, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
