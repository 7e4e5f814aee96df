/*
 * Metadata: fstat, newfstatat, statx, faccessat2, fchmodat, fchownat,
 * utimensat, truncate/ftruncate, fsync/fdatasync, statfs/fstatfs, umask.
 * A call "on a fd" (VFS_AT_FD, or AT_EMPTY_PATH with an empty path) acts
 * on the open file's inode, a pipe's too.
 *
 * Entry points: the handlers of VFS_FSTAT, VFS_STAT, VFS_STATX,
 * VFS_ACCESS, VFS_CHMOD, VFS_CHOWN, VFS_UTIMENS, VFS_TRUNCATE, VFS_FSYNC,
 * VFS_STATFS, VFS_UMASK.
 */
#include "handlers.h"

#include "common/string.h"

static struct walk mw;

/* The inode a path-or-fd call names (in mw.node, a reference). */
static int target(struct tern_request *req, struct vproc *p, int64_t dirfd, const void *in,
		  uint64_t path_len, uint64_t flags, bool follow)
{
	const char *s;
	int err;

	mw.node = mw.dir = NULL;
	if (flags & VFS_AT_FD) {
		struct file *f = vfs_file(p, dirfd);
		if (path_len)
			return -EINVAL;
		if (!f)
			return -EBADF;
		mw.node = f->node;
		inode_get(mw.node);
		return 0;
	}
	if ((err = vfs_payload_str(in, req->words, VFS_PAYLOAD_WORD * 8, path_len, &s)))
		return err;
	unsigned wf = (follow ? WALK_FOLLOW : 0) | ((flags & POSIX_AT_EMPTY_PATH) ? WALK_EMPTY : 0);
	if (!path_len && (flags & POSIX_AT_EMPTY_PATH) && dirfd != POSIX_AT_FDCWD &&
	    !vfs_file(p, dirfd))
		return -EBADF;
	return vfs_walk_at(p, &mw, dirfd, s, path_len, wf);
}

static void done(void)
{
	walk_done(&vfs.fs, &mw);
}

int vfs_fstat_handle(struct tern_request *req, const struct vfs_fstat_req *in,
		     struct vfs_fstat_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	struct file *f;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (!(f = vfs_file(p, (int64_t)in->fd)))
		return POSIX_STATUS(EBADF);
	inode_stat(f->node, &out->st);
	if (f->kind == FILE_PROC)
		out->st.st_size = 0; /* as Linux's /proc files */
	return 0;
}

int vfs_stat_handle(struct tern_request *req, const struct vfs_stat_req *in,
		    struct vfs_stat_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	int err;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (in->flags &
	    ~(uint64_t)(POSIX_AT_SYMLINK_NOFOLLOW | POSIX_AT_EMPTY_PATH | POSIX_AT_NO_AUTOMOUNT))
		return POSIX_STATUS(EINVAL);
	if ((err = target(req, p, in->dirfd, in, in->path_len, in->flags,
			  !(in->flags & POSIX_AT_SYMLINK_NOFOLLOW))))
		return vfs_status(err);
	inode_stat(mw.node, &out->st);
	if (mw.node->proc_kind && POSIX_S_ISREG(mw.node->mode))
		out->st.st_size = 0;
	done();
	return 0;
}

int vfs_statx_handle(struct tern_request *req, const struct vfs_statx_req *in,
		     struct vfs_statx_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	struct posix_stat st;
	struct posix_statx *x = &out->stx;
	int err;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (in->flags & ~(uint64_t)(POSIX_AT_SYMLINK_NOFOLLOW | POSIX_AT_EMPTY_PATH |
				    POSIX_AT_NO_AUTOMOUNT | POSIX_AT_STATX_SYNC_TYPE) ||
	    (in->flags & POSIX_AT_STATX_SYNC_TYPE) == POSIX_AT_STATX_SYNC_TYPE ||
	    (in->mask & POSIX_STATX__RESERVED))
		return POSIX_STATUS(EINVAL);
	if ((err = target(req, p, in->dirfd, in, in->path_len, in->flags,
			  !(in->flags & POSIX_AT_SYMLINK_NOFOLLOW))))
		return vfs_status(err);
	inode_stat(mw.node, &st);
	if (mw.node->proc_kind && POSIX_S_ISREG(mw.node->mode))
		st.st_size = 0;
	x->stx_mask = POSIX_STATX_BASIC_STATS | POSIX_STATX_MNT_ID;
	x->stx_blksize = (uint32_t)st.st_blksize;
	x->stx_nlink = (uint32_t)st.st_nlink;
	x->stx_uid = st.st_uid;
	x->stx_gid = st.st_gid;
	x->stx_mode = (uint16_t)st.st_mode;
	x->stx_ino = st.st_ino;
	x->stx_size = (uint64_t)st.st_size;
	x->stx_blocks = (uint64_t)st.st_blocks;
	x->stx_atime = (struct posix_statx_timestamp){ st.st_atim.tv_sec,
						       (uint32_t)st.st_atim.tv_nsec, 0 };
	x->stx_mtime = (struct posix_statx_timestamp){ st.st_mtim.tv_sec,
						       (uint32_t)st.st_mtim.tv_nsec, 0 };
	x->stx_ctime = (struct posix_statx_timestamp){ st.st_ctim.tv_sec,
						       (uint32_t)st.st_ctim.tv_nsec, 0 };
	x->stx_rdev_major = posix_major(st.st_rdev);
	x->stx_rdev_minor = posix_minor(st.st_rdev);
	x->stx_dev_major = posix_major(st.st_dev);
	x->stx_dev_minor = posix_minor(st.st_dev);
	x->stx_mnt_id = mw.node->mnt ? mw.node->mnt->dev : 0;
	done();
	return 0;
}

int vfs_access_handle(struct tern_request *req, const struct vfs_access_req *in,
		      struct vfs_access_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	int err;
	(void)out;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (in->mode & ~(uint64_t)7)
		return POSIX_STATUS(EINVAL);
	if (in->flags &
	    ~(uint64_t)(POSIX_AT_EACCESS | POSIX_AT_SYMLINK_NOFOLLOW | POSIX_AT_EMPTY_PATH))
		return POSIX_STATUS(EINVAL);
	if ((err = target(req, p, in->dirfd, in, in->path_len, in->flags,
			  !(in->flags & POSIX_AT_SYMLINK_NOFOLLOW))))
		return vfs_status(err);
	err = in->mode ? inode_permission(mw.node, &p->cred, (int)in->mode) : 0;
	done();
	return vfs_status(err);
}

/* Only the owner or root changes a file's mode and times. */
static int owner_ok(const struct vproc *p, const struct inode *n)
{
	return p->cred.uid == 0 || p->cred.uid == n->uid ? 0 : -EPERM;
}

int vfs_chmod_handle(struct tern_request *req, const struct vfs_chmod_req *in,
		     struct vfs_chmod_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	int err;
	(void)out;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (in->flags & ~(uint64_t)(VFS_AT_FD | POSIX_AT_SYMLINK_NOFOLLOW))
		return POSIX_STATUS(EINVAL);
	if ((err = target(req, p, in->dirfd, in, in->path_len, in->flags,
			  !(in->flags & POSIX_AT_SYMLINK_NOFOLLOW))))
		return vfs_status(err);
	struct inode *n = mw.node;
	if (POSIX_S_ISLNK(n->mode))
		err = -EOPNOTSUPP; /* fchmodat2 with AT_SYMLINK_NOFOLLOW on a symlink */
	else if (n->proc_kind)
		err = -EPERM;
	else if (!(err = owner_ok(p, n))) {
		n->mode = (n->mode & POSIX_S_IFMT) | ((uint32_t)in->mode & POSIX_S_IALLUGO);
		inode_touch(n, false, false, true);
	}
	done();
	return vfs_status(err);
}

int vfs_chown_handle(struct tern_request *req, const struct vfs_chown_req *in,
		     struct vfs_chown_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	uint32_t uid = (uint32_t)in->ids, gid = (uint32_t)(in->ids >> 32);
	int err;
	(void)out;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (in->flags & ~(uint64_t)(VFS_AT_FD | POSIX_AT_SYMLINK_NOFOLLOW | POSIX_AT_EMPTY_PATH))
		return POSIX_STATUS(EINVAL);
	if ((err = target(req, p, in->dirfd, in, in->path_len, in->flags,
			  !(in->flags & POSIX_AT_SYMLINK_NOFOLLOW))))
		return vfs_status(err);
	struct inode *n = mw.node;
	if (p->cred.uid != 0) /* CAP_CHOWN: root only */
		err = -EPERM;
	else if (n->proc_kind)
		err = -EPERM;
	else {
		if (uid != 0xffffffffu)
			n->uid = uid;
		if (gid != 0xffffffffu)
			n->gid = gid;
		/* Linux clears set-id bits of a regular file on chown. */
		if (POSIX_S_ISREG(n->mode) && (uid != 0xffffffffu || gid != 0xffffffffu))
			n->mode &=
				~(uint32_t)(POSIX_S_ISUID | ((n->mode & 010) ? POSIX_S_ISGID : 0));
		inode_touch(n, false, false, true);
	}
	done();
	return vfs_status(err);
}

static bool time_ok(const struct posix_timespec *t)
{
	return t->tv_nsec == POSIX_UTIME_NOW || t->tv_nsec == POSIX_UTIME_OMIT ||
	       (t->tv_nsec >= 0 && t->tv_nsec < 1000000000);
}

int vfs_utimens_handle(struct tern_request *req, const struct vfs_utimens_req *in,
		       struct vfs_utimens_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	const struct posix_timespec *t = in->times;
	int err;
	(void)out;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (in->flags & ~(uint64_t)(VFS_AT_FD | POSIX_AT_SYMLINK_NOFOLLOW | POSIX_AT_EMPTY_PATH))
		return POSIX_STATUS(EINVAL);
	if (!time_ok(&t[0]) || !time_ok(&t[1]))
		return POSIX_STATUS(EINVAL);
	/* The path comes after the times here. */
	const char *s;
	mw.node = NULL;
	if (in->flags & VFS_AT_FD) {
		err = target(req, p, in->dirfd, in, 0, in->flags, true);
	} else if (!(err = vfs_payload_str(in, req->words, sizeof(*in), in->path_len, &s))) {
		unsigned wf = (in->flags & POSIX_AT_SYMLINK_NOFOLLOW ? 0 : WALK_FOLLOW) |
			      (in->flags & POSIX_AT_EMPTY_PATH ? WALK_EMPTY : 0);
		err = vfs_walk_at(p, &mw, in->dirfd, s, in->path_len, wf);
	}
	if (err)
		return vfs_status(err);
	struct inode *n = mw.node;
	bool both_now = t[0].tv_nsec == POSIX_UTIME_NOW && t[1].tv_nsec == POSIX_UTIME_NOW;
	if (n->proc_kind)
		err = -EPERM;
	else if (!both_now)
		err = owner_ok(p, n);
	else if (p->cred.uid != 0 && p->cred.uid != n->uid)
		err = inode_permission(n, &p->cred, POSIX_W_OK);
	if (!err && !(t[0].tv_nsec == POSIX_UTIME_OMIT && t[1].tv_nsec == POSIX_UTIME_OMIT)) {
		struct posix_timespec now = fs_now();
		if (t[0].tv_nsec != POSIX_UTIME_OMIT)
			n->atime = t[0].tv_nsec == POSIX_UTIME_NOW ? now : t[0];
		if (t[1].tv_nsec != POSIX_UTIME_OMIT)
			n->mtime = t[1].tv_nsec == POSIX_UTIME_NOW ? now : t[1];
		n->ctime = now;
	}
	done();
	return vfs_status(err);
}

int vfs_truncate_handle(struct tern_request *req, const struct vfs_truncate_req *in,
			struct vfs_truncate_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	int err;
	(void)out;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (in->flags & ~(uint64_t)VFS_AT_FD)
		return POSIX_STATUS(EINVAL);
	if (in->flags & VFS_AT_FD) {
		struct file *f = vfs_file(p, in->dirfd);
		if (!f || (f->flags & POSIX_O_PATH))
			return POSIX_STATUS(EBADF);
		if (in->length < 0)
			return POSIX_STATUS(EINVAL);
		if (f->kind != FILE_INODE || !POSIX_S_ISREG(f->node->mode) ||
		    (f->flags & POSIX_O_ACCMODE) == POSIX_O_RDONLY)
			return POSIX_STATUS(EINVAL);
		return vfs_status(file_truncate(&vfs.fs, f->node, (uint64_t)in->length));
	}
	if (in->length < 0)
		return POSIX_STATUS(EINVAL);
	if ((err = target(req, p, POSIX_AT_FDCWD, in, in->path_len, 0, true)))
		return vfs_status(err);
	struct inode *n = mw.node;
	if (POSIX_S_ISDIR(n->mode))
		err = -EISDIR;
	else if (!POSIX_S_ISREG(n->mode) || n->proc_kind)
		err = -EINVAL;
	else if (!(err = inode_permission(n, &p->cred, POSIX_W_OK)))
		err = file_truncate(&vfs.fs, n, (uint64_t)in->length);
	done();
	return vfs_status(err);
}

int vfs_fsync_handle(struct tern_request *req, const struct vfs_fsync_req *in,
		     struct vfs_fsync_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	struct file *f;
	(void)out;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (!(f = vfs_file(p, (int64_t)in->fd)) || (f->flags & POSIX_O_PATH))
		return POSIX_STATUS(EBADF);
	if (f->pipe || (POSIX_S_ISCHR(f->node->mode) && dev_is_console(f->node->rdev)))
		return POSIX_STATUS(EINVAL);
	return 0; /* in memory: nothing to write back */
}

int vfs_statfs_handle(struct tern_request *req, const struct vfs_statfs_req *in,
		      struct vfs_statfs_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	struct posix_statfs *st = &out->st;
	uint64_t used, limit;
	int err;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (in->flags & ~(uint64_t)VFS_AT_FD)
		return POSIX_STATUS(EINVAL);
	if ((err = target(req, p, in->dirfd, in, in->path_len, in->flags, true)))
		return vfs_status(err);
	struct mount *m = mw.node->mnt;
	platform_memory(&used, &limit);
	st->f_bsize = st->f_frsize = 4096;
	st->f_namelen = POSIX_NAME_MAX;
	st->f_fsid[0] = st->f_fsid[1] = 0;
	st->f_flags = POSIX_ST_VALID | POSIX_ST_RELATIME;
	if (!m || m->type == FS_TMPFS || m->type == FS_DEVTMPFS) {
		st->f_type = POSIX_TMPFS_MAGIC;
		/* shmem_statfs: the size limit and the pages charged. */
		st->f_blocks = vfs.fs.max_pages ? vfs.fs.max_pages : limit / 4096;
		st->f_bfree = st->f_bavail =
			vfs.fs.max_pages
				? (vfs.fs.pages < vfs.fs.max_pages ? vfs.fs.max_pages - vfs.fs.pages
								   : 0)
				: (limit - used) / 4096;
		st->f_files = limit / 4096 / 2;
		st->f_ffree = st->f_files > vfs.fs.inodes ? st->f_files - vfs.fs.inodes : 0;
	} else {
		st->f_type = m->type == FS_PROC ? POSIX_PROC_SUPER_MAGIC : POSIX_SYSFS_MAGIC;
		st->f_flags |= POSIX_ST_NOSUID | POSIX_ST_NODEV | POSIX_ST_NOEXEC;
	}
	done();
	return 0;
}

int vfs_umask_handle(struct tern_request *req, const struct vfs_umask_req *in,
		     struct vfs_umask_resp *out)
{
	struct vproc *p = vproc_of(req->badge);

	if (!p)
		return POSIX_STATUS(EPERM);
	out->old = p->umask;
	p->umask = (uint32_t)in->mask & 0777;
	return 0;
}
