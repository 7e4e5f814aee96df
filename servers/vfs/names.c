/*
 * The namespace: mkdirat, mknodat, unlinkat, renameat2, linkat,
 * symlinkat, readlinkat, getcwd, chdir/fchdir, mount, umount2. Each
 * resolves its names (the parent directory for what it creates or
 * removes) and leaves the checks and errnos to the core (namei.c).
 *
 * Entry points: the handlers of VFS_MKDIR, VFS_MKNOD, VFS_UNLINK,
 * VFS_RENAME, VFS_LINK, VFS_SYMLINK, VFS_READLINK, VFS_GETCWD, VFS_CHDIR,
 * VFS_MOUNT, VFS_UMOUNT.
 */
#include "handlers.h"

#include "common/string.h"

#define MS_RDONLY 1ul
#define MS_REMOUNT 32ul
#define MS_BIND 4096ul
#define MS_MOVE 8192ul
/* MS_SILENT (1 << 15) only quiets Linux's log: ignored, as do_mount does. */
#define MS_PROPAGATION ((1ul << 17) | (1ul << 18) | (1ul << 19) | (1ul << 20))

static struct walk w1, w2;

static int parent_walk(struct tern_request *req, struct vproc *p, int64_t dirfd, const void *in,
		       size_t off, uint64_t len, struct walk *w)
{
	const char *s;
	int err = vfs_payload_str(in, req->words, off, len, &s);

	return err ? err : vfs_walk_at(p, w, dirfd, s, len, WALK_PARENT);
}

/* mkdir and mknod: the new name's directory, refusing what exists. */
static int create_at(struct tern_request *req, struct vproc *p, int64_t dirfd, const void *in,
		     uint64_t len, uint32_t mode, uint64_t rdev, const char *link, size_t link_len)
{
	int err = parent_walk(req, p, dirfd, in, VFS_PAYLOAD_WORD * 8, len, &w1);

	if (err)
		return err;
	if (w1.last_type != LAST_NORM || w1.node)
		err = -EEXIST;
	else if (w1.trailing_slash && !POSIX_S_ISDIR(mode))
		err = -ENOENT; /* "name/" names a directory */
	else
		err = fs_mknod(&vfs.fs, w1.dir, w1.last, w1.last_len, mode, rdev, link, link_len,
			       &p->cred, NULL);
	walk_done(&vfs.fs, &w1);
	return err;
}

int vfs_mkdir_handle(struct tern_request *req, const struct vfs_mkdir_req *in,
		     struct vfs_mkdir_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	(void)out;

	if (!p)
		return POSIX_STATUS(EPERM);
	uint32_t mode = POSIX_S_IFDIR | ((uint32_t)in->mode & (0777 | POSIX_S_ISVTX) & ~p->umask);
	return vfs_status(create_at(req, p, in->dirfd, in, in->path_len, mode, 0, NULL, 0));
}

int vfs_mknod_handle(struct tern_request *req, const struct vfs_mknod_req *in,
		     struct vfs_mknod_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	uint32_t type = (uint32_t)in->mode & POSIX_S_IFMT;
	(void)out;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (type == 0)
		type = POSIX_S_IFREG;
	if (type == POSIX_S_IFDIR)
		return POSIX_STATUS(EPERM);
	if (type != POSIX_S_IFREG && type != POSIX_S_IFCHR && type != POSIX_S_IFBLK &&
	    type != POSIX_S_IFIFO && type != POSIX_S_IFSOCK)
		return POSIX_STATUS(EINVAL);
	if ((type == POSIX_S_IFCHR || type == POSIX_S_IFBLK) && p->cred.uid != 0)
		return POSIX_STATUS(EPERM);
	uint32_t mode = type | ((uint32_t)in->mode & POSIX_S_IALLUGO & ~p->umask);
	uint64_t rdev = type == POSIX_S_IFCHR || type == POSIX_S_IFBLK ? in->dev : 0;
	return vfs_status(create_at(req, p, in->dirfd, in, in->path_len, mode, rdev, NULL, 0));
}

int vfs_unlink_handle(struct tern_request *req, const struct vfs_unlink_req *in,
		      struct vfs_unlink_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	int err;
	(void)out;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (in->flags & ~(uint64_t)POSIX_AT_REMOVEDIR)
		return POSIX_STATUS(EINVAL);
	if ((err = parent_walk(req, p, in->dirfd, in, VFS_PAYLOAD_WORD * 8, in->path_len, &w1)))
		return vfs_status(err);
	err = fs_unlink(&vfs.fs, &w1, in->flags & POSIX_AT_REMOVEDIR, &p->cred);
	walk_done(&vfs.fs, &w1);
	return vfs_status(err);
}

/* Offset of the second string of a two-path request. */
static size_t second_off(uint64_t lens)
{
	return VFS_PAYLOAD_WORD * 8 + ((VFS_LEN_FIRST(lens) + 7) & ~(size_t)7);
}

int vfs_rename_handle(struct tern_request *req, const struct vfs_rename_req *in,
		      struct vfs_rename_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	int err;
	(void)out;

	if (!p)
		return POSIX_STATUS(EPERM);
	if ((err = parent_walk(req, p, in->olddirfd, in, VFS_PAYLOAD_WORD * 8,
			       VFS_LEN_FIRST(in->lens), &w1)))
		return vfs_status(err);
	if ((err = parent_walk(req, p, in->newdirfd, in, second_off(in->lens),
			       VFS_LEN_SECOND(in->lens), &w2))) {
		walk_done(&vfs.fs, &w1);
		return vfs_status(err);
	}
	err = fs_rename(&vfs.fs, &w1, &w2, (unsigned)in->flags, &p->cred);
	walk_done(&vfs.fs, &w2);
	walk_done(&vfs.fs, &w1);
	return vfs_status(err);
}

int vfs_link_handle(struct tern_request *req, const struct vfs_link_req *in,
		    struct vfs_link_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	const char *s;
	int err;
	(void)out;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (in->flags & ~(uint64_t)(POSIX_AT_SYMLINK_FOLLOW | POSIX_AT_EMPTY_PATH))
		return POSIX_STATUS(EINVAL);
	if ((err = vfs_payload_str(in, req->words, VFS_PAYLOAD_WORD * 8, VFS_LEN_FIRST(in->lens),
				   &s)))
		return vfs_status(err);
	unsigned wf = (in->flags & POSIX_AT_SYMLINK_FOLLOW ? WALK_FOLLOW : 0) |
		      (in->flags & POSIX_AT_EMPTY_PATH ? WALK_EMPTY : 0);
	if ((err = vfs_walk_at(p, &w1, in->olddirfd, s, VFS_LEN_FIRST(in->lens), wf)))
		return vfs_status(err);
	if ((err = parent_walk(req, p, in->newdirfd, in, second_off(in->lens),
			       VFS_LEN_SECOND(in->lens), &w2))) {
		walk_done(&vfs.fs, &w1);
		return vfs_status(err);
	}
	err = fs_link(&vfs.fs, w1.node, &w2, &p->cred);
	walk_done(&vfs.fs, &w2);
	walk_done(&vfs.fs, &w1);
	return vfs_status(err);
}

int vfs_symlink_handle(struct tern_request *req, const struct vfs_symlink_req *in,
		       struct vfs_symlink_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	const char *target;
	int err;
	(void)out;

	if (!p)
		return POSIX_STATUS(EPERM);
	if ((err = vfs_payload_str(in, req->words, VFS_PAYLOAD_WORD * 8, VFS_LEN_FIRST(in->lens),
				   &target)))
		return vfs_status(err);
	if (VFS_LEN_FIRST(in->lens) == 0)
		return POSIX_STATUS(ENOENT);
	/* The link's own name is the second string: shift the walk to it. */
	const char *s;
	if ((err = vfs_payload_str(in, req->words, second_off(in->lens), VFS_LEN_SECOND(in->lens),
				   &s)))
		return vfs_status(err);
	if ((err = vfs_walk_at(p, &w1, in->newdirfd, s, VFS_LEN_SECOND(in->lens), WALK_PARENT)))
		return vfs_status(err);
	if (w1.last_type != LAST_NORM || w1.node)
		err = -EEXIST;
	else if (w1.trailing_slash)
		err = -ENOENT;
	else
		err = fs_mknod(&vfs.fs, w1.dir, w1.last, w1.last_len, POSIX_S_IFLNK | 0777, 0,
			       target, VFS_LEN_FIRST(in->lens), &p->cred, NULL);
	walk_done(&vfs.fs, &w1);
	return vfs_status(err);
}

int vfs_readlink_handle(struct tern_request *req, const struct vfs_readlink_req *in,
			struct vfs_readlink_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	char *buf = (char *)((uint64_t *)out + VFS_PAYLOAD_WORD);
	static char target[POSIX_PATH_MAX];
	const char *s;
	long n;
	int err;

	if (!p)
		return POSIX_STATUS(EPERM);
	if ((int64_t)in->bufsiz <= 0)
		return POSIX_STATUS(EINVAL);
	if ((err = vfs_payload_str(in, req->words, VFS_PAYLOAD_WORD * 8, in->path_len, &s)))
		return vfs_status(err);
	if ((err = vfs_walk_at(p, &w1, in->dirfd, s, in->path_len, WALK_EMPTY)))
		return vfs_status(err);
	struct inode *node = w1.node;
	if (!POSIX_S_ISLNK(node->mode))
		n = in->path_len ? -EINVAL : -ENOENT;
	else if (node->proc_kind) {
		static struct vfs_pctx ctx;
		ctx.p = p;
		n = procfs_readlink(node, &ctx, target, sizeof(target));
	} else {
		n = (long)node->size;
		memcpy(target, node->link, node->size);
	}
	if (n >= 0) {
		size_t max = in->bufsiz < VFS_PAYLOAD_MAX ? in->bufsiz : VFS_PAYLOAD_MAX;
		if ((size_t)n > max)
			n = (long)max;
		memcpy(buf, target, (size_t)n);
		out->count = (uint64_t)n;
		req->resp_words = VFS_PAYLOAD_WORD + (unsigned)(((size_t)n + 7) / 8);
		inode_touch(node, true, false, false);
	}
	walk_done(&vfs.fs, &w1);
	return vfs_status(n < 0 ? n : 0);
}

int vfs_getcwd_handle(struct tern_request *req, const struct vfs_getcwd_req *in,
		      struct vfs_getcwd_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	char *buf = (char *)((uint64_t *)out + VFS_PAYLOAD_WORD);
	size_t size = in->size < VFS_PAYLOAD_MAX ? in->size : VFS_PAYLOAD_MAX;
	long n;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (in->size == 0)
		return POSIX_STATUS(ERANGE);
	n = fs_dir_path_in(&vfs.fs, p->root, p->cwd, buf, size);
	if (n < 0)
		return vfs_status(n);
	out->count = (uint64_t)n;
	req->resp_words = VFS_PAYLOAD_WORD + (unsigned)(((size_t)n + 7) / 8);
	return 0;
}

int vfs_chdir_handle(struct tern_request *req, const struct vfs_chdir_req *in,
		     struct vfs_chdir_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	struct inode *n;
	int err;
	(void)out;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (in->flags & ~(uint64_t)(VFS_AT_FD | VFS_CHDIR_ROOT))
		return POSIX_STATUS(EINVAL);
	/* chroot: CAP_SYS_CHROOT, which only root has here. */
	if ((in->flags & VFS_CHDIR_ROOT) && p->cred.uid != 0)
		return POSIX_STATUS(EPERM);
	if (in->flags & VFS_AT_FD) {
		struct file *f = vfs_file(p, in->dirfd);
		if (!f)
			return POSIX_STATUS(EBADF);
		n = f->node;
		if (!POSIX_S_ISDIR(n->mode))
			return POSIX_STATUS(ENOTDIR);
		if ((err = inode_permission(n, &p->cred, POSIX_X_OK)))
			return vfs_status(err);
		inode_get(n);
	} else {
		const char *s;
		if ((err = vfs_payload_str(in, req->words, VFS_PAYLOAD_WORD * 8, in->path_len, &s)))
			return vfs_status(err);
		if ((err = vfs_walk_at(p, &w1, POSIX_AT_FDCWD, s, in->path_len,
				       WALK_FOLLOW | WALK_DIRECTORY)))
			return vfs_status(err);
		n = w1.node;
		if ((err = inode_permission(n, &p->cred, POSIX_X_OK))) {
			walk_done(&vfs.fs, &w1);
			return vfs_status(err);
		}
		inode_get(n);
		walk_done(&vfs.fs, &w1);
	}
	if (in->flags & VFS_CHDIR_ROOT) {
		/* chroot: the root moves, the cwd stays (Linux's set_fs_root). */
		if (p->root)
			inode_put(&vfs.fs, p->root);
		p->root = n;
		return 0;
	}
	inode_put(&vfs.fs, p->cwd);
	p->cwd = n;
	return 0;
}

static bool str_is(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && !memcmp(s, lit, len);
}

int vfs_mount_handle(struct tern_request *req, const struct vfs_mount_req *in,
		     struct vfs_mount_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	uint64_t sl = in->lens & 0xffff, tl = (in->lens >> 16) & 0xffff,
		 fl = (in->lens >> 32) & 0xffff;
	size_t off = VFS_PAYLOAD_WORD * 8;
	const char *src, *tgt, *type;
	static char path[POSIX_PATH_MAX];
	char srcbuf[64], typebuf[16];
	enum fs_type t;
	int err;
	(void)out;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (p->cred.uid != 0)
		return POSIX_STATUS(EPERM);
	if ((err = vfs_payload_str(in, req->words, off, sl, &src)) ||
	    (err = vfs_payload_str(in, req->words, off + ((sl + 7) & ~7ul), tl, &tgt)) ||
	    (err = vfs_payload_str(in, req->words, off + ((sl + 7) & ~7ul) + ((tl + 7) & ~7ul), fl,
				   &type)))
		return vfs_status(err);
	if ((err = vfs_walk_at(p, &w1, POSIX_AT_FDCWD, tgt, tl, WALK_FOLLOW)))
		return vfs_status(err);
	struct inode *on = w1.node;
	if (in->flags & (MS_REMOUNT | MS_PROPAGATION)) {
		/* Options and propagation of a mount: nothing shares mounts
		 * here, and mount options are not kept, so there is nothing
		 * to change beyond the checks. */
		err = (in->flags & MS_REMOUNT) && on != on->mnt->root ? -EINVAL : 0;
		goto out;
	}
	if (in->flags & (MS_BIND | MS_MOVE)) {
		err = -EINVAL; /* FIXME: bind and move mounts */
		goto out;
	}
	if (str_is(type, fl, "tmpfs") || str_is(type, fl, "ramfs"))
		t = FS_TMPFS;
	else if (str_is(type, fl, "devtmpfs"))
		t = FS_DEVTMPFS;
	else if (str_is(type, fl, "proc"))
		t = FS_PROC;
	else if (str_is(type, fl, "sysfs"))
		t = FS_SYSFS;
	else {
		err = -ENODEV;
		goto out;
	}
	if (!POSIX_S_ISDIR(on->mode)) {
		err = -ENOTDIR;
		goto out;
	}
	long plen = fs_dir_path(&vfs.fs, on, path, sizeof(path));
	size_t n = sl < sizeof(srcbuf) - 1 ? sl : sizeof(srcbuf) - 1;
	memcpy(srcbuf, src, n);
	srcbuf[n] = 0;
	n = fl < sizeof(typebuf) - 1 ? fl : sizeof(typebuf) - 1;
	memcpy(typebuf, type, n);
	typebuf[n] = 0;
	struct mount *m = mount_new(&vfs.fs, t, srcbuf[0] ? srcbuf : "none", typebuf);
	if (!m) {
		err = -ENOMEM;
		goto out;
	}
	if (t == FS_DEVTMPFS)
		devtmpfs_populate(&vfs.fs, m->root);
	err = mount_attach(&vfs.fs, m, on, plen > 0 ? path : "?");
	if (err)
		mount_destroy(&vfs.fs, m); /* never attached: its tree goes */
out:
	walk_done(&vfs.fs, &w1);
	return vfs_status(err);
}

int vfs_umount_handle(struct tern_request *req, const struct vfs_umount_req *in,
		      struct vfs_umount_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	const char *s;
	int err;
	(void)out;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (p->cred.uid != 0)
		return POSIX_STATUS(EPERM);
	if (in->flags & ~(uint64_t)15)
		return POSIX_STATUS(EINVAL);
	if ((err = vfs_payload_str(in, req->words, VFS_PAYLOAD_WORD * 8, in->path_len, &s)))
		return vfs_status(err);
	if ((err = vfs_walk_at(p, &w1, POSIX_AT_FDCWD, s, in->path_len,
			       (in->flags & 8) ? 0 : WALK_FOLLOW)))
		return vfs_status(err);
	err = mount_detach(&vfs.fs, w1.node);
	walk_done(&vfs.fs, &w1);
	return vfs_status(err);
}
