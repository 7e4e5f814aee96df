/*
 * Opening and closing: openat with Linux's flag checks and errnos, the
 * fd table's calls (close, dup/dup2/dup3/F_DUPFD, fcntl's fd and status
 * flags), pipes, the fd routes libposix caches, and an open file's MemObj
 * for mmap.
 *
 * Entry points: vfs_open_file, vfs_install, vfs_file_put, vfs_route_of,
 * the handlers of VFS_OPEN, VFS_CLOSE, VFS_DUP, VFS_FCNTL, VFS_PIPE,
 * VFS_FD_ROUTES, VFS_FD_MEMOBJ.
 */
#include "handlers.h"

#include "common/string.h"

#define OPEN_FLAGS_KNOWN                                                                      \
	(POSIX_O_ACCMODE | POSIX_O_CREAT | POSIX_O_EXCL | POSIX_O_NOCTTY | POSIX_O_TRUNC |    \
	 POSIX_O_APPEND | POSIX_O_NONBLOCK | POSIX_O_DSYNC | POSIX_O_ASYNC | POSIX_O_DIRECT | \
	 POSIX_O_LARGEFILE | POSIX_O_DIRECTORY | POSIX_O_NOFOLLOW | POSIX_O_NOATIME |         \
	 POSIX_O_CLOEXEC | POSIX_O_SYNC | POSIX_O_PATH | POSIX_O_TMPFILE)
/* What a description keeps (F_GETFL): the rest acts at open only. */
#define FILE_FLAGS_KEPT                                                                       \
	(POSIX_O_ACCMODE | POSIX_O_APPEND | POSIX_O_NONBLOCK | POSIX_O_DSYNC | POSIX_O_SYNC | \
	 POSIX_O_DIRECT | POSIX_O_LARGEFILE | POSIX_O_DIRECTORY | POSIX_O_NOFOLLOW |          \
	 POSIX_O_NOATIME | POSIX_O_PATH | POSIX_O_ASYNC)

static struct mount *pipefs;

static bool readable(uint32_t flags)
{
	return (flags & POSIX_O_ACCMODE) == POSIX_O_RDONLY ||
	       (flags & POSIX_O_ACCMODE) == POSIX_O_RDWR;
}

static bool writable(uint32_t flags)
{
	return (flags & POSIX_O_ACCMODE) == POSIX_O_WRONLY ||
	       (flags & POSIX_O_ACCMODE) == POSIX_O_RDWR;
}

static void pipe_release(struct pipe *pp, struct inode *n)
{
	if (pp->readers || pp->writers || pp->busy)
		return;
	if (n->fifo == pp)
		n->fifo = NULL;
	if (n->mnt == pipefs)
		n->nlink = 0; /* an anonymous pipe's inode goes with its last file */
	pipe_free(pp);
}

void vfs_file_put(struct file *f, void *unused)
{
	(void)unused;
	if (--f->refs)
		return;
	if (f->pipe) {
		struct pipe *pp = f->pipe;
		/* Answering the other end's waiters releases their files, which
		 * may be this pipe's last: it stays until this put is done. */
		pp->busy++;
		if ((f->kind == FILE_PIPE_R || f->kind == FILE_PIPE_RW) && --pp->readers == 0)
			vfs_pipe_closed(pp);
		if ((f->kind == FILE_PIPE_W || f->kind == FILE_PIPE_RW) && --pp->writers == 0)
			vfs_pipe_closed(pp);
		pp->busy--;
		pipe_release(pp, f->node);
	}
	fs_free(f->text);
	inode_put(&vfs.fs, f->node);
	dentry_put(&vfs.fs, f->dentry);
	fs_free(f);
}

void vfs_route_of(const struct file *f, uint64_t *route, uint64_t *handle)
{
	*route = POSIX_ROUTE_VFS;
	*handle = 0;
	if (f->kind != FILE_INODE || !POSIX_S_ISCHR(f->node->mode) || (f->flags & POSIX_O_PATH))
		return;
	if (dev_is_console(f->node->rdev)) {
		*route = POSIX_ROUTE_CONSOLE;
		*handle = f->node->rdev;
	} else if (dev_is_null(f->node->rdev)) {
		*route = POSIX_ROUTE_NULL;
	} else if (dev_is_zero(f->node->rdev)) {
		*route = POSIX_ROUTE_ZERO;
	}
}

int vfs_install(struct vproc *p, struct file *f, bool cloexec, uint32_t min)
{
	return fd_alloc(p->fdt, f, min, p->nofile, cloexec);
}

/* A FIFO's open: the pipe made at its first opener, ends counted. */
static int fifo_open(struct file *f)
{
	struct inode *n = f->node;
	uint32_t acc = f->flags & POSIX_O_ACCMODE;

	if (!n->fifo && !(n->fifo = pipe_new()))
		return -ENOMEM;
	/* Linux's fifo_open: an O_NONBLOCK writer with no reader is ENXIO;
	 * without O_NONBLOCK an end waits for the other (vfs_open_handle,
	 * io.c); each end counts while it waits and releases the other's. */
	if (acc == POSIX_O_WRONLY && (f->flags & POSIX_O_NONBLOCK) && !n->fifo->readers) {
		pipe_release(n->fifo, n);
		return -ENXIO;
	}
	f->pipe = n->fifo;
	if (acc == POSIX_O_RDONLY) {
		f->kind = FILE_PIPE_R;
		f->pipe->readers++;
	} else if (acc == POSIX_O_WRONLY) {
		f->kind = FILE_PIPE_W;
		f->pipe->writers++;
	} else {
		/* O_RDWR: both ends at once, as Linux allows (and never waits). */
		f->kind = FILE_PIPE_RW;
		f->pipe->readers++;
		f->pipe->writers++;
	}
	vfs_fifo_opened(f->pipe);
	return 0;
}

/* The node an O_CREAT open names, made when missing. */
static int open_create(struct vproc *p, struct walk *w, uint64_t flags, uint64_t mode, bool *made)
{
	struct inode *n;
	int err;

	*made = false;
	if (w->last_type != LAST_NORM || w->trailing_slash)
		return -EISDIR;
	if (w->node) {
		if (flags & POSIX_O_EXCL)
			return -EEXIST;
		return 0;
	}
	err = fs_mknod(&vfs.fs, w->dir, w->last, w->last_len,
		       POSIX_S_IFREG | ((uint32_t)mode & 07777 & ~p->umask), 0, NULL, 0, &p->cred,
		       &n);
	if (err)
		return err;
	inode_get(n);
	w->node = n;
	w->dentry = dir_lookup(&vfs.fs, w->dir, w->last, w->last_len);
	*made = true;
	return 0;
}

/* O_CREAT names a symlink: follow it, to the last link, as Linux's
 * open_last_lookups does, so a dangling one creates its target. */
static int follow_for_create(struct walk *w, unsigned wf)
{
	static char target[POSIX_PATH_MAX];
	unsigned links = 0;

	while (wf && w->node && POSIX_S_ISLNK(w->node->mode)) {
		struct inode *from = w->dir;
		long n;
		if (++links > POSIX_MAXSYMLINKS)
			return -ELOOP;
		if (w->node->proc_kind)
			n = procfs_readlink(w->node, w->proc_ctx, target, sizeof(target));
		else if ((n = (long)w->node->size) < (long)sizeof(target))
			memcpy(target, w->node->link, (size_t)n);
		else
			n = -ENAMETOOLONG;
		if (n <= 0)
			return n ? (int)n : -ENOENT;
		inode_get(from);
		walk_done(&vfs.fs, w);
		w->start = from; /* a relative target starts at the link's directory */
		int err = fs_walk(&vfs.fs, w, target, (size_t)n, WALK_PARENT | WALK_FOLLOW);
		inode_put(&vfs.fs, from);
		if (err)
			return err;
	}
	return 0;
}

/* Linux's may_open: what the node's type and the access mode allow. */
static int may_open(struct vproc *p, struct inode *n, uint64_t flags)
{
	uint32_t acc = flags & POSIX_O_ACCMODE;
	int mask = 0;

	if (flags & POSIX_O_PATH)
		return (flags & POSIX_O_DIRECTORY) && !POSIX_S_ISDIR(n->mode) ? -ENOTDIR : 0;
	if ((flags & POSIX_O_DIRECTORY) && !POSIX_S_ISDIR(n->mode))
		return -ENOTDIR;
	if (POSIX_S_ISLNK(n->mode))
		return -ELOOP;
	if (POSIX_S_ISDIR(n->mode) &&
	    (acc != POSIX_O_RDONLY || (flags & (POSIX_O_TRUNC | POSIX_O_CREAT))))
		return -EISDIR;
	if (POSIX_S_ISSOCK(n->mode))
		return -ENXIO;
	if ((POSIX_S_ISCHR(n->mode) && !dev_known(n->rdev)) || POSIX_S_ISBLK(n->mode))
		return -ENXIO;
	if (acc == POSIX_O_RDONLY || acc == POSIX_O_RDWR)
		mask |= POSIX_R_OK;
	if (acc == POSIX_O_WRONLY || acc == POSIX_O_RDWR || (flags & POSIX_O_TRUNC))
		mask |= POSIX_W_OK;
	if ((mask & POSIX_W_OK) && (n->mnt->type == FS_PROC || n->mnt->type == FS_SYSFS) &&
	    !POSIX_S_ISDIR(n->mode))
		return n->proc_kind == PROCFS_COMM ? 0 : -EACCES;
	return inode_permission(n, &p->cred, mask);
}

long vfs_open_file(struct vproc *p, int64_t dirfd, const char *path, size_t len, uint64_t flags,
		   uint64_t mode, struct file **out)
{
	static struct walk w;
	struct file *f;
	bool made = false;
	int err;

	if (flags & ~(uint64_t)OPEN_FLAGS_KNOWN)
		flags &= OPEN_FLAGS_KNOWN; /* Linux ignores unknown open flags */
	if ((flags & POSIX_O_TMPFILE) == POSIX_O_TMPFILE)
		return -EOPNOTSUPP;
	if (flags & POSIX_O_PATH)
		flags &= POSIX_O_PATH | POSIX_O_DIRECTORY | POSIX_O_NOFOLLOW | POSIX_O_CLOEXEC;
	unsigned wf = (flags & (POSIX_O_NOFOLLOW | POSIX_O_EXCL)) ? 0 : WALK_FOLLOW;
	if (flags & POSIX_O_CREAT) {
		if ((err = vfs_walk_at(p, &w, dirfd, path, len, WALK_PARENT | wf)))
			return err;
		if ((err = follow_for_create(&w, wf)))
			goto out;
		if ((err = open_create(p, &w, flags, mode, &made)))
			goto out;
		if (!made && POSIX_S_ISDIR(w.node->mode)) {
			err = -EISDIR;
			goto out;
		}
	} else {
		if ((err = vfs_walk_at(p, &w, dirfd, path, len, wf)))
			return err;
	}
	struct inode *n = w.node;
	if (!made && (err = may_open(p, n, flags)))
		goto out;
	if (!(f = file_new(FILE_INODE, (uint32_t)(flags & FILE_FLAGS_KEPT) | POSIX_O_LARGEFILE))) {
		err = -ENOMEM;
		goto out;
	}
	f->refs = 1;
	f->node = n;
	inode_get(n);
	if (w.dentry) {
		f->dentry = w.dentry;
		dentry_get(w.dentry);
	}
	if (!(flags & POSIX_O_PATH)) {
		if (POSIX_S_ISFIFO(n->mode))
			err = fifo_open(f);
		else if (n->proc_kind && POSIX_S_ISREG(n->mode))
			err = procfs_file_text(p, n, &f->text, &f->text_len);
		if (!err && n->proc_kind)
			f->kind = POSIX_S_ISREG(n->mode) ? FILE_PROC : FILE_INODE;
		if (!err && (flags & POSIX_O_TRUNC) && POSIX_S_ISREG(n->mode) && !n->proc_kind &&
		    !made)
			err = file_truncate(&vfs.fs, n, 0);
	}
	if (err) {
		vfs_file_put(f, NULL);
		goto out;
	}
	*out = f;
out:
	walk_done(&vfs.fs, &w);
	return err;
}

static void fill_open_resp(const struct file *f, int fd, struct vfs_open_resp *out)
{
	out->fd = (uint64_t)fd;
	vfs_route_of(f, &out->route, &out->handle);
	out->status_flags = f->flags;
}

int vfs_open_handle(struct tern_request *req, const struct vfs_open_req *in,
		    struct vfs_open_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	struct file *f;
	const char *s;
	long err;
	int fd;

	if (!p)
		return POSIX_STATUS(EPERM);
	if ((err = vfs_payload_str(in, req->words, VFS_PAYLOAD_WORD * 8, in->path_len, &s)))
		return vfs_status(err);
	/* The fd first, as Linux's do_sys_openat2 (get_unused_fd_flags):
	 * a full table is EMFILE before O_CREAT makes anything. */
	if (!fd_room(p->fdt, p->nofile))
		return POSIX_STATUS(EMFILE);
	if ((err = vfs_open_file(p, in->dirfd, s, in->path_len, in->flags, in->mode, &f)))
		return vfs_status(err);
	if (vfs_fifo_must_wait(f)) {
		int st = vfs_fifo_wait(req, p, f, in->flags & POSIX_O_CLOEXEC);
		if (st != TERN_SERVER_DEFERRED)
			vfs_file_put(f, NULL);
		return st;
	}
	fd = vfs_install(p, f, in->flags & POSIX_O_CLOEXEC, 0);
	if (fd >= 0)
		fill_open_resp(f, fd, out);
	vfs_file_put(f, NULL);
	return vfs_status(fd);
}

int vfs_close_handle(struct tern_request *req, const struct vfs_close_req *in,
		     struct vfs_close_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	struct file *f;
	(void)out;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (!(f = fd_remove(p->fdt, (int64_t)in->fd)))
		return POSIX_STATUS(EBADF);
	vfs_file_put(f, NULL);
	return 0;
}

int vfs_dup_handle(struct tern_request *req, const struct vfs_dup_req *in, struct vfs_dup_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	struct file *f, *old;
	bool cloexec;
	int fd;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (in->flags & ~(uint64_t)POSIX_O_CLOEXEC ||
	    in->op & ~(uint64_t)(VFS_DUP_AT | VFS_DUP_NOT_SAME))
		return POSIX_STATUS(EINVAL);
	cloexec = in->flags & POSIX_O_CLOEXEC;
	if (!(f = vfs_file(p, (int64_t)in->fd)))
		return POSIX_STATUS(EBADF);
	if (in->op & VFS_DUP_AT) {
		if (in->newfd == in->fd) {
			if (in->op & VFS_DUP_NOT_SAME)
				return POSIX_STATUS(EINVAL); /* dup3 */
			fill_open_resp(f, (int)in->fd, (struct vfs_open_resp *)out);
			return 0; /* dup2 onto itself */
		}
		if (in->newfd >= p->nofile)
			return POSIX_STATUS(EBADF);
		if ((fd = fd_install_at(p->fdt, (uint32_t)in->newfd, f, cloexec, p->nofile, &old)))
			return vfs_status(fd);
		if (old)
			vfs_file_put(old, NULL);
		fd = (int)in->newfd;
	} else {
		if (in->newfd >= p->nofile)
			return POSIX_STATUS(EINVAL); /* F_DUPFD beyond RLIMIT_NOFILE */
		if ((fd = vfs_install(p, f, cloexec, (uint32_t)in->newfd)) < 0)
			return vfs_status(fd);
	}
	fill_open_resp(f, fd, (struct vfs_open_resp *)out);
	return 0;
}
_Static_assert(sizeof(struct vfs_dup_resp) == sizeof(struct vfs_open_resp),
	       "dup answers as open does");

int vfs_fcntl_handle(struct tern_request *req, const struct vfs_fcntl_req *in,
		     struct vfs_fcntl_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	struct file *f;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (!(f = vfs_file(p, (int64_t)in->fd)))
		return POSIX_STATUS(EBADF);
	switch (in->cmd) {
	case POSIX_F_GETFD:
		out->result = p->fdt->fds[in->fd].cloexec ? POSIX_FD_CLOEXEC : 0;
		return 0;
	case POSIX_F_SETFD:
		p->fdt->fds[in->fd].cloexec = in->arg & POSIX_FD_CLOEXEC;
		return 0;
	case POSIX_F_GETFL:
		out->result = f->flags;
		return 0;
	case POSIX_F_SETFL:
		if (f->flags & POSIX_O_PATH)
			return POSIX_STATUS(EBADF);
		f->flags = (f->flags & ~(uint32_t)POSIX_SETFL_MASK) |
			   ((uint32_t)in->arg & POSIX_SETFL_MASK);
		out->result = 0;
		return 0;
	default:
		return POSIX_STATUS(EINVAL);
	}
}

int vfs_pipe_handle(struct tern_request *req, const struct vfs_pipe_req *in,
		    struct vfs_pipe_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	struct file *r = NULL, *w = NULL;
	struct inode *n = NULL;
	struct pipe *pp = NULL;
	int fd0 = -ENOMEM, fd1 = -ENOMEM;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (in->flags & ~(uint64_t)(POSIX_O_CLOEXEC | POSIX_O_NONBLOCK | POSIX_O_DIRECT))
		return POSIX_STATUS(EINVAL);
	if (!pipefs && !(pipefs = mount_new(&vfs.fs, FS_TMPFS, "pipefs", "pipefs")))
		return POSIX_STATUS(ENFILE);
	uint32_t status = (uint32_t)(in->flags & (POSIX_O_NONBLOCK | POSIX_O_DIRECT));
	if (!(n = inode_new(&vfs.fs, pipefs, POSIX_S_IFIFO | 0600)) || !(pp = pipe_new()) ||
	    !(r = file_new(FILE_PIPE_R, POSIX_O_RDONLY | status)) ||
	    !(w = file_new(FILE_PIPE_W, POSIX_O_WRONLY | status))) {
		if (pp)
			pipe_free(pp);
		fs_free(r);
		if (n)
			inode_put(&vfs.fs, n);
		return POSIX_STATUS(ENFILE);
	}
	n->nlink = 1;
	r->refs = w->refs = 1;
	r->node = w->node = n;
	inode_get(n);
	inode_get(n);
	r->pipe = w->pipe = pp;
	pp->readers = pp->writers = 1;
	bool cloexec = in->flags & POSIX_O_CLOEXEC;
	fd0 = vfs_install(p, r, cloexec, 0);
	if (fd0 >= 0 && (fd1 = vfs_install(p, w, cloexec, 0)) < 0)
		vfs_file_put(fd_remove(p->fdt, fd0), NULL);
	vfs_file_put(r, NULL);
	vfs_file_put(w, NULL);
	if (fd0 < 0 || fd1 < 0)
		return vfs_status(fd0 < 0 ? fd0 : fd1);
	out->fd[0] = (uint64_t)fd0;
	out->fd[1] = (uint64_t)fd1;
	return 0;
}

int vfs_fd_routes_handle(struct tern_request *req, const struct vfs_fd_routes_req *in,
			 struct vfs_fd_routes_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	struct vfs_route *r = (struct vfs_route *)((uint64_t *)out + VFS_PAYLOAD_WORD);
	uint64_t fd;
	unsigned n = 0;

	if (!p)
		return POSIX_STATUS(EPERM);
	for (fd = in->start; fd < p->fdt->size && n < VFS_ROUTES_MAX; fd++) {
		struct fd_slot *s = &p->fdt->fds[fd];
		uint64_t route, handle;
		if (!s->file)
			continue;
		vfs_route_of(s->file, &route, &handle);
		r[n] = (struct vfs_route){ .fd = (uint32_t)fd,
					   .route = (uint16_t)route,
					   .fd_flags = s->cloexec ? POSIX_FD_CLOEXEC : 0,
					   .status_flags = s->file->flags,
					   .handle = handle };
		n++;
	}
	out->count = n;
	out->next = fd < p->fdt->size ? fd : 0;
	req->resp_words = VFS_PAYLOAD_WORD + n * 3;
	return 0;
}

int vfs_fd_memobj_handle(struct tern_request *req, const struct vfs_fd_memobj_req *in,
			 struct vfs_fd_memobj_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	struct file *f;
	uint64_t slot;
	int err;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (!(f = vfs_file(p, (int64_t)in->fd)) || (f->flags & POSIX_O_PATH))
		return POSIX_STATUS(EBADF);
	if (f->kind != FILE_INODE || !POSIX_S_ISREG(f->node->mode) || f->node->proc_kind)
		return POSIX_STATUS(ENODEV);
	if (!readable(f->flags) || (in->write && !writable(f->flags)))
		return POSIX_STATUS(EACCES);
	if ((err = platform_data_cap(&f->node->data, in->write != 0, &slot)))
		return vfs_status(err);
	out->size = f->node->size;
	out->pages = FS_DATA_MAX / 4096;
	req->reply_cap = slot;
	return 0;
}
