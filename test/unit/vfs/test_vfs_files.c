/*
 * The vfs core's files: data read, written and truncated (zeros after a
 * shrink and regrow, EFBIG), the fd table (lowest fd, EMFILE at the
 * limit, dup2 onto an open fd, a fork's copy sharing descriptions,
 * close-on-exec), the pipe ring (PIPE_BUF atomicity, wrap-around), the
 * initramfs unpacker on a cpio written here (types, modes, device numbers,
 * replacement, a missing parent) and /proc/mounts.
 */
#include "vfs_test.h"

#include "common/format.h"
#include "procfs.h"

static int setup(void **state)
{
	(void)state;
	fs_setup();
	return 0;
}

static struct inode *node_at(const char *path)
{
	assert_int_equal(lookup(path, WALK_FOLLOW), 0);
	struct inode *n = tw.node;
	walk_done(&tfs, &tw);
	return n;
}

static void test_file_data(void **state)
{
	char buf[64];
	(void)state;
	assert_int_equal(creat_("/f"), 0);
	struct inode *n = node_at("/f");
	assert_int_equal(file_write(&tfs, n, 0, "hello world", 11), 11);
	assert_int_equal(file_read(n, 6, buf, sizeof(buf)), 5);
	assert_memory_equal(buf, "world", 5);
	assert_int_equal(file_read(n, 11, buf, 1), 0);
	assert_int_equal(file_read(n, 1000, buf, 1), 0);
	assert_int_equal(file_truncate(&tfs, n, 5), 0);
	assert_int_equal(file_truncate(&tfs, n, 20), 0);
	assert_int_equal(file_read(n, 0, buf, sizeof(buf)), 20);
	assert_memory_equal(buf, "hello\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 20); /* no old bytes */
	assert_int_equal(file_write(&tfs, n, 100, "x", 1), 1); /* a hole reads zeros */
	assert_int_equal(n->size, 101);
	assert_int_equal(file_read(n, 50, buf, 10), 10);
	assert_memory_equal(buf, "\0\0\0\0\0\0\0\0\0\0", 10);
	assert_int_equal(file_write(&tfs, n, FS_DATA_MAX, "x", 1), -EFBIG);
	assert_int_equal(file_truncate(&tfs, n, FS_DATA_MAX + 1), -EFBIG);
	struct posix_stat st;
	inode_stat(n, &st);
	assert_int_equal(st.st_size, 101);
	assert_int_equal(st.st_blocks, 8);
	assert_int_equal(st.st_nlink, 1);
	assert_true(POSIX_S_ISREG(st.st_mode));
	/* Emptied, the data and its charge go (Linux's tmpfs frees what a
	 * truncation cuts off); a write after it starts afresh. */
	static char page3[3 * 4096];
	uint64_t pages0 = tfs.pages;
	assert_int_equal(file_write(&tfs, n, 0, page3, sizeof(page3)), (long)sizeof(page3));
	assert_int_equal(tfs.pages, pages0 + 2);
	assert_int_equal(file_truncate(&tfs, n, 0), 0);
	assert_int_equal(tfs.pages, pages0 - 1);
	assert_null(n->data.base);
	assert_int_equal(file_write(&tfs, n, 1, "y", 1), 1);
	assert_int_equal(file_read(n, 0, buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "\0y", 2);
	assert_int_equal(tfs.pages, pages0);
}

static void put_file(struct file *f, void *ctx)
{
	unsigned *closed = ctx;
	if (--f->refs == 0) {
		(*closed)++;
		fs_free(f);
	}
}

static void test_fdtable(void **state)
{
	unsigned closed = 0;
	struct file *old;
	(void)state;
	struct fdtable *t = fdtable_new();
	struct file *a = file_new(FILE_INODE, POSIX_O_RDWR), *b = file_new(FILE_INODE, 0);
	assert_non_null(t);
	assert_int_equal(fd_alloc(t, a, 0, 4, false), 0);
	assert_int_equal(fd_alloc(t, a, 0, 4, true), 1); /* dup: the same description */
	assert_int_equal(fd_alloc(t, b, 0, 4, false), 2);
	assert_int_equal(a->refs, 2);
	assert_int_equal(fd_alloc(t, b, 0, 3, false), -EMFILE);
	assert_int_equal(fd_alloc(t, b, 10, 4, false), -EMFILE);
	assert_ptr_equal(fd_remove(t, 0), a);
	a->refs--;
	assert_int_equal(fd_alloc(t, b, 0, 4, false), 0);	     /* the lowest free one */
	assert_int_equal(fd_install_at(t, 2, a, false, 4, &old), 0); /* dup2 onto an open fd */
	assert_ptr_equal(old, b);
	old->refs--;
	assert_int_equal(fd_install_at(t, 4, a, false, 4, &old), -EBADF);
	assert_int_equal(fd_install_at(t, 200, a, false, 1024, &old), 0); /* grows */
	assert_null(old);
	assert_ptr_equal(fd_get(t, 200), a);
	assert_null(fd_get(t, -1));
	assert_null(fd_get(t, 100000));
	/* A fork's copy shares the descriptions (offsets shared). */
	struct fdtable *c = fdtable_clone(t);
	assert_non_null(c);
	assert_ptr_equal(fd_get(c, 1), a);
	a->offset = 42;
	assert_int_equal(fd_get(c, 2)->offset, 42);
	assert_int_equal(a->refs, 6);
	/* exec: fd 1 is close-on-exec. */
	fdtable_cloexec(c, put_file, &closed);
	assert_null(fd_get(c, 1));
	assert_ptr_equal(fd_get(c, 2), a);
	assert_int_equal(a->refs, 5);
	fdtable_put(c, put_file, &closed);
	fdtable_put(t, put_file, &closed);
	assert_int_equal(closed, 2);
}

static void test_pipe(void **state)
{
	static uint8_t big[PIPE_SIZE + 10], out[PIPE_SIZE + 10];
	(void)state;
	struct pipe *p = pipe_new();
	assert_non_null(p);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	assert_int_equal(pipe_write(p, big, PIPE_SIZE - 100), PIPE_SIZE - 100);
	/* PIPE_BUF or less: all or nothing; more: what fits. */
	assert_int_equal(pipe_write(p, big, 200), 0);
	assert_int_equal(pipe_write(p, big, POSIX_PIPE_BUF + 1), 100);
	assert_int_equal(pipe_room(p), 0);
	assert_int_equal(pipe_read(p, out, 1000), 1000);
	assert_memory_equal(out, big, 1000);
	/* Wrap around the ring's end. */
	assert_int_equal(pipe_write(p, big + 5, 900), 900);
	assert_int_equal(pipe_read(p, out, sizeof(out)), PIPE_SIZE - 100 + 100 - 1000 + 900);
	assert_memory_equal(out, big + 1000, PIPE_SIZE - 1100);
	assert_memory_equal(out + PIPE_SIZE - 1100, big, 100);
	assert_memory_equal(out + PIPE_SIZE - 1000, big + 5, 900);
	assert_int_equal(pipe_read(p, out, 10), 0);
	pipe_free(p);
}

/* A cpio newc archive, written entry by entry. */
struct archive {
	uint8_t buf[8192];
	size_t len;
};

static void put_entry(struct archive *a, const char *name, uint32_t mode, const char *data,
		      uint32_t rmaj, uint32_t rmin)
{
	size_t nlen = strlen(name) + 1, dlen = data ? strlen(data) : 0;
	char hdr[111];

	format(hdr, sizeof(hdr), "070701%08x%08x%08x%08x%08x%08x%08zx%08x%08x%08x%08x%08zx%08x", 1u,
	       mode, 7u, 8u, 1u, 12345u, dlen, 0u, 0u, rmaj, rmin, nlen, 0u);
	memcpy(a->buf + a->len, hdr, 110);
	a->len += 110;
	memcpy(a->buf + a->len, name, nlen);
	a->len = (a->len + nlen + 3) & ~3ul;
	if (dlen)
		memcpy(a->buf + a->len, data, dlen);
	a->len = (a->len + dlen + 3) & ~3ul;
}

static void test_initramfs(void **state)
{
	static struct archive a;
	char buf[64];
	(void)state;
	a.len = 0;
	assert_int_equal(rootfs_populate(&tfs), 0);
	put_entry(&a, ".", POSIX_S_IFDIR | 0755, NULL, 0, 0);
	put_entry(&a, "bin", POSIX_S_IFDIR | 0755, NULL, 0, 0);
	put_entry(&a, "./bin/init", POSIX_S_IFREG | 0755, "#!/bin/sh\n", 0, 0);
	put_entry(&a, "bin/sh", POSIX_S_IFLNK | 0777, "init", 0, 0);
	put_entry(&a, "dev/null", POSIX_S_IFCHR | 0666, NULL, 1, 3);
	put_entry(&a, "missing/file", POSIX_S_IFREG | 0644, "x", 0, 0);
	put_entry(&a, "bin/init", POSIX_S_IFREG | 0700, "second", 0, 0); /* replaces */
	put_entry(&a, "TRAILER!!!", 0, NULL, 0, 0);
	assert_int_equal(initramfs_unpack(&tfs, a.buf, a.len), 0);
	struct inode *n = node_at("/bin/sh");
	assert_int_equal(n->mode, POSIX_S_IFREG | 0700);
	assert_int_equal(file_read(n, 0, buf, sizeof(buf)), 6);
	assert_memory_equal(buf, "second", 6);
	assert_int_equal(n->uid, 7);
	assert_int_equal(n->gid, 8);
	assert_int_equal(n->mtime.tv_sec, 12345);
	assert_int_equal(n->atime.tv_sec, 12345);
	n = node_at("/bin");
	assert_int_equal(n->mtime.tv_sec, 12345); /* set after its entries went in */
	n = node_at("/dev/null");
	assert_int_equal(n->rdev, posix_makedev(1, 3));
	n = node_at("/dev/console");
	assert_int_equal(n->rdev, posix_makedev(5, 1));
	assert_int_equal(n->mode, POSIX_S_IFCHR | 0600);
	n = node_at("/root");
	assert_int_equal(n->mode, POSIX_S_IFDIR | 0700);
	assert_int_equal(lookup("/missing", 0), -ENOENT);
	/* Damage after a good entry: what came before stays, the error is reported. */
	a.len = 0;
	put_entry(&a, "late", POSIX_S_IFREG | 0644, "y", 0, 0);
	memcpy(a.buf + a.len, "0707XX", 6);
	a.len += 200;
	assert_int_equal(initramfs_unpack(&tfs, a.buf, a.len), -EINVAL);
	n = node_at("/late");
	assert_int_equal(n->size, 1);
}

static void test_proc_mounts(void **state)
{
	char buf[256];
	(void)state;
	assert_int_equal(mkdir_("/proc"), 0);
	struct inode *on = node_at("/proc");
	struct mount *m = mount_new(&tfs, FS_PROC, "proc", "proc");
	assert_int_equal(mount_attach(&tfs, m, on, "/proc"), 0);
	size_t n = procfs_mounts_text(&tfs, buf, sizeof(buf));
	buf[n] = 0;
	assert_string_equal(buf, "rootfs / rootfs rw 0 0\n"
				 "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n");
	assert_int_equal(procfs_mounts_text(&tfs, buf, 10), 10); /* cut, never past */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_file_data, setup),
		cmocka_unit_test_setup(test_fdtable, setup),
		cmocka_unit_test_setup(test_pipe, setup),
		cmocka_unit_test_setup(test_initramfs, setup),
		cmocka_unit_test_setup(test_proc_mounts, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
