/*
 * The data path: read, pread64, write, pwrite64 (libposix cuts readv,
 * writev and long transfers into VFS_PAYLOAD_MAX pieces), lseek,
 * getdents64 and ioctl on a vfs file. A read of an empty pipe or a write
 * to a full one waits without blocking the server: the request is
 * deferred (its Reply kept in a waiter) and answered when the other end
 * moves, closes, or the caller's process exits.
 *
 * A waiting call ends early when its client is interrupted (a signal:
 * the server runtime's interruptible waits, sys/server.h): vfs_interrupt
 * answers it TERN_SERVER_EINTERRUPTED, or a write that already put bytes
 * in the pipe VFS_STATUS_INTR_PART with their count (the bit may be
 * another process's: libposix writes the rest then, else returns the
 * count, as Linux does after a part). A call about to wait
 * whose client's interrupt bit came meanwhile is answered so at once.
 *
 * Entry points: vfs_pipe_closed, vfs_proc_forget_waiters, vfs_interrupt,
 * vfs_wait_interrupted, the handlers of VFS_READ, VFS_WRITE, VFS_LSEEK,
 * VFS_GETDENTS, VFS_IOCTL.
 */
#include "handlers.h"

#include "common/string.h"
#include "posix/dirent.h"
#include "sys/thread.h"

#define FIONREAD 0x541bu
#define FIONBIO 0x5421u
#define FIONCLEX 0x5450u
#define FIOCLEX 0x5451u

struct waiter {
	struct waiter *next;
	tern_cptr_t reply;
	uint32_t pid;
	bool write;
	struct file *f; /* a reference */
	struct pipe *pipe;
	size_t count, done;
	uint8_t *data;	  /* a write's bytes not yet in the pipe */
	bool inline_read; /* answer in the registers (VFS_IO_INLINE) */
};

static struct waiter *waiters, **waiters_tail = &waiters;
static uint64_t fifo_interrupt(const struct tern_server *s, uint64_t bits, uint32_t pid_only,
			       bool by_pid);
static uint64_t answer[TERN_MSG_MAX_WORDS];

static bool readable(uint32_t flags)
{
	return !(flags & POSIX_O_PATH) && ((flags & POSIX_O_ACCMODE) == POSIX_O_RDONLY ||
					   (flags & POSIX_O_ACCMODE) == POSIX_O_RDWR);
}

static bool writable(uint32_t flags)
{
	return !(flags & POSIX_O_PATH) && ((flags & POSIX_O_ACCMODE) == POSIX_O_WRONLY ||
					   (flags & POSIX_O_ACCMODE) == POSIX_O_RDWR);
}

static unsigned words_for(size_t bytes)
{
	return (unsigned)((bytes + 7) / 8);
}

static bool pipe_has_waiter(const struct pipe *pp, bool write)
{
	for (struct waiter *w = waiters; w; w = w->next)
		if (w->pipe == pp && w->write == write)
			return true;
	return false;
}

static void waiter_unlink(struct waiter *w)
{
	struct waiter **pp = &waiters;

	while (*pp != w)
		pp = &(*pp)->next;
	*pp = w->next;
	if (waiters_tail == &w->next)
		waiters_tail = pp;
}

/* Answer and drop w; its file is released by the caller (done list). */
static void waiter_finish(struct waiter *w, int status, size_t n, const void *data)
{
	unsigned words = data ? VFS_PAYLOAD_WORD + words_for(n) : 1;

	answer[0] = n;
	if (data && w->inline_read) {
		memset(&answer[1], 0, 3 * 8);
		memcpy(&answer[1], data, n);
		words = VFS_PAYLOAD_WORD;
	} else if (data && n) {
		memcpy(&answer[VFS_PAYLOAD_WORD], data, n);
	}
	if (status == VFS_STATUS_INTR_PART) /* the count goes with it */
		tern_server_answer_words(w->reply, (uint64_t)status, answer, 1);
	else
		tern_server_answer(w->reply, (uint64_t)status, answer, words);
	waiter_unlink(w);
}

/* Let the waiters of pp go on as far as they can, in arrival order. */
static void pipe_serve(struct pipe *pp)
{
	static uint8_t buf[VFS_PAYLOAD_MAX];
	struct waiter *done = NULL;
	bool progress = true;

	while (progress) {
		progress = false;
		for (struct waiter *w = waiters, *next; w; w = next) {
			next = w->next;
			if (w->pipe != pp || w->write)
				continue;
			if (pp->len) {
				size_t n = pipe_read(pp, buf, w->count);
				waiter_finish(w, 0, n, buf);
			} else if (!pp->writers) {
				waiter_finish(w, 0, 0, buf); /* end of file */
			} else {
				break;
			}
			w->next = done;
			done = w;
			progress = true;
		}
		for (struct waiter *w = waiters, *next; w; w = next) {
			next = w->next;
			if (w->pipe != pp || !w->write)
				continue;
			if (!pp->readers) {
				if (w->done)
					waiter_finish(w, 0, w->done, NULL);
				else
					waiter_finish(w, POSIX_STATUS(EPIPE), 0, NULL);
			} else {
				size_t n = pipe_write(pp, w->data + w->done, w->count - w->done);
				w->done += n;
				if (n)
					progress = true;
				if (w->done < w->count)
					break; /* later writers wait behind it */
				waiter_finish(w, 0, w->count, NULL);
			}
			w->next = done;
			done = w;
			progress = true;
		}
	}
	while (done) {
		struct waiter *w = done;
		done = w->next;
		fs_free(w->data);
		struct file *f = w->f;
		fs_free(w);
		vfs_file_put(f, NULL); /* may free pp: nothing touches it after */
	}
}

void vfs_pipe_closed(struct pipe *pp)
{
	pipe_serve(pp);
}

void vfs_proc_forget_waiters(uint32_t pid)
{
	fifo_interrupt(NULL, 0, pid, true);
	/* One at a time from the head: releasing a file may answer (and
	 * free) other waiters. */
	for (;;) {
		struct waiter *w = waiters;
		while (w && w->pid != pid)
			w = w->next;
		if (!w)
			return;
		waiter_finish(w, POSIX_STATUS(EINTR), 0, NULL); /* its caller is gone */
		fs_free(w->data);
		struct file *f = w->f;
		fs_free(w);
		vfs_file_put(f, NULL);
	}
}

/*
 * FIFO opens that wait for the other end (Linux's fifo_open: a reader
 * without O_NONBLOCK until a writer opens, a writer until a reader does;
 * each end is counted while it waits). The open's file is kept, its fd
 * installed only when the wait ends; a signal ends it (the file put back).
 */
struct fifo_waiter {
	struct fifo_waiter *next;
	tern_cptr_t reply;
	uint32_t pid;
	bool cloexec;
	struct file *f; /* the open's reference */
};

static struct fifo_waiter *fifo_waiters;

bool vfs_fifo_must_wait(const struct file *f)
{
	if (!f->pipe || (f->flags & POSIX_O_NONBLOCK))
		return false;
	return (f->kind == FILE_PIPE_R && !f->pipe->writers) ||
	       (f->kind == FILE_PIPE_W && !f->pipe->readers);
}

int vfs_fifo_wait(struct tern_request *req, struct vproc *p, struct file *f, bool cloexec)
{
	struct fifo_waiter *w;

	if (vfs_wait_interrupted(req))
		return TERN_SERVER_EINTERRUPTED;
	if (!(w = fs_alloc(sizeof(*w))))
		return POSIX_STATUS(ENOMEM);
	if (!(w->reply = tern_request_defer(req))) {
		fs_free(w);
		return TERN_SERVER_ENOREPLY;
	}
	w->pid = p->pid;
	w->cloexec = cloexec;
	w->f = f;
	w->next = fifo_waiters;
	fifo_waiters = w;
	return TERN_SERVER_DEFERRED;
}

/* Unlink and answer w: with the open's answer (ok) or status. */
static void fifo_finish(struct fifo_waiter *w, bool ok, int status)
{
	struct fifo_waiter **pp = &fifo_waiters;

	while (*pp != w)
		pp = &(*pp)->next;
	*pp = w->next;
	struct vproc *p = vproc_find(w->pid);
	if (ok) {
		int fd = p ? vfs_install(p, w->f, w->cloexec, 0) : -EINTR;
		struct vfs_open_resp r = { .fd = (uint64_t)fd, .status_flags = w->f->flags };
		vfs_route_of(w->f, &r.route, &r.handle);
		if (fd < 0)
			tern_server_answer(w->reply, (uint64_t)vfs_status(fd), NULL, 0);
		else
			tern_server_answer(w->reply, 0, &r, sizeof(r) / 8);
	} else {
		tern_server_answer(w->reply, (uint64_t)status, NULL, 0);
	}
	struct file *f = w->f;
	fs_free(w);
	vfs_file_put(f, NULL); /* installed: the table holds it; else its end goes */
}

void vfs_fifo_opened(struct pipe *pp)
{
	for (struct fifo_waiter *w = fifo_waiters, *next; w; w = next) {
		next = w->next;
		if (w->f->pipe == pp && !vfs_fifo_must_wait(w->f))
			fifo_finish(w, true, 0);
	}
}

static uint64_t fifo_interrupt(const struct tern_server *s, uint64_t bits, uint32_t pid_only,
			       bool by_pid)
{
	uint64_t used = 0;

	for (struct fifo_waiter *w = fifo_waiters, *next; w; w = next) {
		next = w->next;
		uint64_t bit = tern_server_intr_bit_of(s, w->pid);
		if (by_pid ? w->pid != pid_only : !(bits & bit))
			continue;
		used |= bit;
		fifo_finish(w, false, by_pid ? POSIX_STATUS(EINTR) : TERN_SERVER_EINTERRUPTED);
		next = fifo_waiters; /* putting a file may have answered others */
	}
	return used;
}

uint64_t vfs_interrupt(struct tern_server *s, uint64_t bits)
{
	uint64_t used = fifo_interrupt(s, bits, 0, false);

	/* One at a time from the head, as vfs_proc_forget_waiters. */
	for (;;) {
		struct waiter *w = waiters;
		while (w && !(bits & tern_server_intr_bit_of(s, w->pid)))
			w = w->next;
		if (!w)
			return used;
		used |= tern_server_intr_bit_of(s, w->pid);
		if (w->write && w->done) /* the bytes written count: resumable */
			waiter_finish(w, VFS_STATUS_INTR_PART, w->done, NULL);
		else
			waiter_finish(w, TERN_SERVER_EINTERRUPTED, 0, NULL);
		fs_free(w->data);
		struct file *f = w->f;
		fs_free(w);
		vfs_file_put(f, NULL);
	}
}

bool vfs_wait_interrupted(struct tern_request *req)
{
	return tern_server_intr_check(req->server, req->badge);
}

static int wait_on(struct tern_request *req, struct vproc *p, struct file *f, bool write,
		   size_t count, const void *data, size_t done, bool inline_read)
{
	struct waiter *w;

	if (vfs_wait_interrupted(req))
		return TERN_SERVER_EINTERRUPTED; /* a write with bytes in: see the caller */
	if (!(w = fs_alloc(sizeof(*w))))
		return POSIX_STATUS(ENOMEM);
	if (write && !(w->data = fs_alloc(count))) {
		fs_free(w);
		return POSIX_STATUS(ENOMEM);
	}
	if (!(w->reply = tern_request_defer(req))) {
		fs_free(w->data);
		fs_free(w);
		return TERN_SERVER_ENOREPLY;
	}
	if (write)
		memcpy(w->data, data, count);
	w->pid = p->pid;
	w->write = write;
	w->f = f;
	f->refs++;
	w->pipe = f->pipe;
	w->count = count;
	w->done = done;
	w->inline_read = inline_read;
	*waiters_tail = w;
	waiters_tail = &w->next;
	return TERN_SERVER_DEFERRED;
}

static long read_inode(struct file *f, uint64_t off, void *buf, size_t n)
{
	struct inode *node = f->node;

	if (POSIX_S_ISDIR(node->mode))
		return -EISDIR;
	if (POSIX_S_ISCHR(node->mode))
		return dev_read(node->rdev, buf, n);
	if (!POSIX_S_ISREG(node->mode))
		return -EINVAL;
	return file_read(node, off, buf, n);
}

int vfs_read_handle(struct tern_request *req, const struct vfs_read_req *in,
		    struct vfs_read_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	bool at = in->flags & VFS_IO_AT, inl = in->flags & VFS_IO_INLINE;
	uint8_t *buf =
		inl ? (uint8_t *)out->unused : (uint8_t *)((uint64_t *)out + VFS_PAYLOAD_WORD);
	size_t max = inl ? VFS_IO_INLINE_READ : VFS_PAYLOAD_MAX;
	size_t n = in->count < max ? in->count : max;
	struct file *f;
	long r;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (in->flags & ~(uint64_t)(VFS_IO_AT | VFS_IO_NOWAIT | VFS_IO_INLINE))
		return POSIX_STATUS(EINVAL);
	if (!(f = vfs_file(p, (int64_t)in->fd)) || !readable(f->flags))
		return POSIX_STATUS(EBADF);
	if (at && (int64_t)in->offset < 0)
		return POSIX_STATUS(EINVAL);
	if (f->pipe) {
		if (at)
			return POSIX_STATUS(ESPIPE);
		if (n == 0)
			r = 0;
		else if (f->pipe->len && !pipe_has_waiter(f->pipe, false))
			r = (long)pipe_read(f->pipe, buf, n);
		else if (!f->pipe->writers)
			r = 0;
		else if ((f->flags & POSIX_O_NONBLOCK) || (in->flags & VFS_IO_NOWAIT))
			return POSIX_STATUS(EAGAIN);
		else
			return wait_on(req, p, f, false, n, NULL, 0, inl);
		if (r > 0)
			pipe_serve(f->pipe);
	} else if (f->kind == FILE_PROC) {
		uint64_t off = at ? in->offset : f->offset;
		r = 0;
		if (off < f->text_len) {
			r = (long)(f->text_len - off < n ? f->text_len - off : n);
			memcpy(buf, f->text + off, (size_t)r);
		}
	} else {
		r = read_inode(f, at ? in->offset : f->offset, buf, n);
	}
	if (r < 0)
		return vfs_status(r);
	if (!at)
		f->offset += (uint64_t)r;
	out->count = (uint64_t)r;
	req->resp_words = inl ? VFS_PAYLOAD_WORD : VFS_PAYLOAD_WORD + words_for((size_t)r);
	return 0;
}

int vfs_write_handle(struct tern_request *req, const struct vfs_write_req *in,
		     struct vfs_write_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	bool at = in->flags & VFS_IO_AT, inl = in->flags & VFS_IO_INLINE;
	const uint8_t *data = inl ? (const uint8_t *)&in->offset
				  : (const uint8_t *)((const uint64_t *)in + VFS_PAYLOAD_WORD);
	struct file *f;
	long r;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (in->flags & ~(uint64_t)(VFS_IO_AT | VFS_IO_NODATA | VFS_IO_INLINE))
		return POSIX_STATUS(EINVAL);
	if (inl && (at || in->count > VFS_IO_INLINE_WRITE))
		return POSIX_STATUS(EINVAL);
	if (!inl && !(in->flags & VFS_IO_NODATA) &&
	    (in->count > VFS_PAYLOAD_MAX ||
	     in->count > ((uint64_t)req->words - VFS_PAYLOAD_WORD) * 8))
		return POSIX_STATUS(EINVAL); /* the message does not hold it */
	if (!(f = vfs_file(p, (int64_t)in->fd)) || !writable(f->flags))
		return POSIX_STATUS(EBADF);
	if (in->flags & VFS_IO_NODATA) {
		r = POSIX_S_ISCHR(f->node->mode) && !f->pipe
			    ? dev_write_nodata(f->node->rdev, in->count)
			    : -EFAULT;
		out->count = r > 0 ? (uint64_t)r : 0;
		return vfs_status(r < 0 ? r : 0);
	}
	if (at && (int64_t)in->offset < 0)
		return POSIX_STATUS(EINVAL);
	size_t n = in->count;
	struct inode *node = f->node;
	if (f->pipe) {
		if (at)
			return POSIX_STATUS(ESPIPE);
		if (!f->pipe->readers)
			return POSIX_STATUS(EPIPE); /* FIXME: and SIGPIPE, once signals land */
		if (n == 0)
			return 0;
		size_t w = pipe_has_waiter(f->pipe, true) ? 0 : pipe_write(f->pipe, data, n);
		if (w)
			pipe_serve(f->pipe);
		if (w < n && !(f->flags & POSIX_O_NONBLOCK)) {
			int st = wait_on(req, p, f, true, n, data, w, false);
			if (st != TERN_SERVER_EINTERRUPTED || !w)
				return st;
			/* Interrupted with bytes in: the count, resumable
			 * (VFS_STATUS_INTR_PART carries it). */
			tern_cptr_t reply = tern_request_defer(req);
			if (reply) {
				uint64_t count = w;
				tern_server_answer_words(reply, VFS_STATUS_INTR_PART, &count, 1);
				return TERN_SERVER_DEFERRED;
			}
		}
		if (w == 0)
			return POSIX_STATUS(EAGAIN);
		r = (long)w;
	} else if (POSIX_S_ISCHR(node->mode)) {
		r = dev_write(node->rdev, n);
	} else if (POSIX_S_ISREG(node->mode) && !node->proc_kind) {
		uint64_t off = (f->flags & POSIX_O_APPEND) ? node->size
			       : at			   ? in->offset
							   : f->offset;
		r = file_write(&vfs.fs, node, off, data, n);
		if (r > 0) {
			inode_touch(node, false, true, true);
			if (!at) /* pwrite with O_APPEND appends and keeps the offset, as Linux */
				f->offset = off + (uint64_t)r;
		}
		out->count = r > 0 ? (uint64_t)r : 0;
		return vfs_status(r < 0 ? r : 0);
	} else if (f->kind == FILE_PROC) {
		r = -EINVAL; /* FIXME: /proc/<pid>/comm writes */
	} else {
		r = POSIX_S_ISDIR(node->mode) ? -EISDIR : -EINVAL;
	}
	if (r < 0)
		return vfs_status(r);
	out->count = (uint64_t)r;
	return 0;
}

int vfs_lseek_handle(struct tern_request *req, const struct vfs_lseek_req *in,
		     struct vfs_lseek_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	struct file *f;
	int64_t base;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (!(f = vfs_file(p, (int64_t)in->fd)) || (f->flags & POSIX_O_PATH))
		return POSIX_STATUS(EBADF);
	if (f->pipe)
		return POSIX_STATUS(ESPIPE);
	struct inode *n = f->node;
	if (POSIX_S_ISCHR(n->mode)) {
		if (dev_is_console(n->rdev))
			return POSIX_STATUS(ESPIPE);
		if (in->whence > POSIX_SEEK_END)
			return POSIX_STATUS(EINVAL);
		f->offset = 0; /* null, zero, full, random: always at 0 (Linux's null_lseek) */
		out->offset = 0;
		return 0;
	}
	switch (in->whence) {
	case POSIX_SEEK_SET:
		base = 0;
		break;
	case POSIX_SEEK_CUR:
		base = (int64_t)f->offset;
		break;
	case POSIX_SEEK_END:
		if (POSIX_S_ISDIR(n->mode))
			return POSIX_STATUS(EINVAL); /* tmpfs directories: SET and CUR only */
		base = f->kind == FILE_PROC ? (int64_t)f->text_len : (int64_t)n->size;
		break;
	default:
		return POSIX_STATUS(EINVAL);
	}
	if ((in->offset > 0 && base > INT64_MAX - in->offset) || base + in->offset < 0)
		return POSIX_STATUS(EINVAL);
	f->offset = (uint64_t)(base + in->offset);
	out->offset = f->offset;
	return 0;
}

struct dirent_buf {
	uint8_t *buf;
	size_t size, used;
	bool full; /* an entry did not fit */
};

static bool emit_dirent(void *arg, uint64_t ino, uint64_t next_pos, uint8_t type, const char *name,
			size_t len)
{
	struct dirent_buf *b = arg;
	size_t rec = posix_dirent64_reclen(len);
	struct posix_dirent64 *d = (struct posix_dirent64 *)(b->buf + b->used);

	if (b->used + rec > b->size) {
		b->full = true;
		return false;
	}
	memset(d, 0, rec);
	d->d_ino = ino;
	d->d_off = (int64_t)next_pos;
	d->d_reclen = (uint16_t)rec;
	d->d_type = type;
	memcpy(d->d_name, name, len);
	b->used += rec;
	return true;
}

/* tmpfs: "." at 0, ".." at 1, then the entries by their d->off (>= 3). */
static uint64_t tmpfs_readdir(struct inode *dir, uint64_t pos, struct dirent_buf *b)
{
	struct inode *parent = dir;

	if (pos == 0) {
		if (!emit_dirent(b, dir->ino, 1, POSIX_DT_DIR, ".", 1))
			return pos;
		pos = 1;
	}
	if (pos == 1) {
		if (dir == dir->mnt->root && dir->mnt->mountpoint)
			parent = dir->mnt->mountpoint->dir.parent;
		else
			parent = dir->dir.parent;
		if (!emit_dirent(b, parent->ino, 2, POSIX_DT_DIR, "..", 2))
			return pos;
		pos = 2;
	}
	for (struct dentry *d = dir->dir.head; d; d = d->next) {
		if (d->off < pos)
			continue;
		if (!emit_dirent(b, d->node->ino, d->off + 1, posix_mode_to_dtype(d->node->mode),
				 d->name, d->len))
			return d->off;
		pos = d->off + 1;
	}
	return pos;
}

int vfs_getdents_handle(struct tern_request *req, const struct vfs_getdents_req *in,
			struct vfs_getdents_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	struct dirent_buf b = { (uint8_t *)((uint64_t *)out + VFS_PAYLOAD_WORD),
				in->count < VFS_PAYLOAD_MAX ? in->count : VFS_PAYLOAD_MAX, 0,
				false };
	struct vfs_pctx ctx = { p };
	struct file *f;
	uint64_t pos;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (!(f = vfs_file(p, (int64_t)in->fd)) || (f->flags & POSIX_O_PATH))
		return POSIX_STATUS(EBADF);
	if (f->kind != FILE_INODE || !POSIX_S_ISDIR(f->node->mode))
		return POSIX_STATUS(ENOTDIR);
	if (f->node->proc_kind)
		pos = procfs_readdir(&vfs.fs, f->node, f->offset, &ctx, emit_dirent, &b);
	else if (f->node->nlink == 0)
		return POSIX_STATUS(ENOENT); /* a removed directory: Linux's IS_DEADDIR */
	else
		pos = tmpfs_readdir(f->node, f->offset, &b);
	if (b.used == 0 && b.full)
		return POSIX_STATUS(EINVAL); /* the buffer cannot hold one entry */
	out->before = f->offset; /* for libposix to go back to when the copy out fails */
	f->offset = pos;
	out->count = b.used;
	req->resp_words = VFS_PAYLOAD_WORD + words_for(b.used);
	inode_touch(f->node, true, false, false);
	return 0;
}

int vfs_ioctl_handle(struct tern_request *req, const struct vfs_ioctl_req *in,
		     struct vfs_ioctl_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	struct file *f;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (!(f = vfs_file(p, (int64_t)in->fd)) || (f->flags & POSIX_O_PATH))
		return POSIX_STATUS(EBADF);
	switch ((uint32_t)in->cmd) {
	case FIOCLEX:
	case FIONCLEX:
		p->fdt->fds[in->fd].cloexec = (uint32_t)in->cmd == FIOCLEX;
		return 0;
	case FIONBIO:
		if (in->arg)
			f->flags |= POSIX_O_NONBLOCK;
		else
			f->flags &= ~(uint32_t)POSIX_O_NONBLOCK;
		return 0;
	case FIONREAD:
		if (f->pipe) {
			out->value = f->pipe->len;
			return 0;
		}
		if (f->kind == FILE_INODE && POSIX_S_ISREG(f->node->mode)) {
			/* Linux's file_ioctl: i_size - f_pos, negative past the end. */
			out->value = (uint64_t)(int64_t)(int32_t)(f->node->size - f->offset);
			return 0;
		}
		return POSIX_STATUS(ENOTTY);
	default:
		return POSIX_STATUS(ENOTTY);
	}
}

/* poll's bits (Linux's uapi/asm-generic/poll.h). */
#define POLLIN 0x001u
#define POLLPRI 0x002u
#define POLLOUT 0x004u
#define POLLERR 0x008u
#define POLLHUP 0x010u
#define POLLRDNORM 0x040u
#define POLLWRNORM 0x100u

/* One fd's readiness for poll: a pipe's as Linux's pipe_poll (data or no
 * writer for a read end, room for PIPE_BUF or no reader for a write
 * end), any other file's DEFAULT_POLLMASK (always ready). */
int vfs_poll_handle(struct tern_request *req, const struct vfs_poll_req *in,
		    struct vfs_poll_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	struct file *f;
	uint64_t mask = 0;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (!(f = vfs_file(p, (int64_t)in->fd)))
		return POSIX_STATUS(EBADF);
	if (f->pipe && f->kind != FILE_INODE) {
		const struct pipe *pp = f->pipe;
		if (f->kind == FILE_PIPE_R || f->kind == FILE_PIPE_RW) {
			if (pp->len)
				mask |= POLLIN | POLLRDNORM;
			if (!pp->writers)
				mask |= POLLHUP;
		}
		if (f->kind == FILE_PIPE_W || f->kind == FILE_PIPE_RW) {
			if (pipe_room(pp) >= POSIX_PIPE_BUF)
				mask |= POLLOUT | POLLWRNORM;
			if (!pp->readers)
				mask |= POLLERR;
		}
	} else {
		mask = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	}
	out->revents = mask & (in->events | POLLERR | POLLHUP);
	return 0;
}
