/*
 * The processes vfs knows (by pid, from proc's VFS_PROC_CREATE) and what
 * every call needs first: who is calling (the badge), its strings out of
 * the message (checked against the message's length), where a relative
 * path starts, its open files.
 *
 * Entry points: vproc_of, vproc_find, vfs_is_proc, vfs_payload_str,
 * vfs_walk_at (which prepends a path head sent ahead), vfs_file,
 * vfs_prefix_drop, the handler of VFS_PATH_PREFIX.
 */
#include "handlers.h"

#include "common/string.h"

#include "posix/cspace.h"

struct vproc *vproc_find(uint32_t pid)
{
	for (struct vproc *p = vfs.procs[pid % VFS_PROC_HASH]; p; p = p->hnext)
		if (p->pid == pid)
			return p;
	return NULL;
}

struct vproc *vproc_of(uint64_t badge)
{
	if (badge == 0 || badge > POSIX_PID_MAX)
		return NULL;
	return vproc_find((uint32_t)badge);
}

int vfs_is_proc(uint64_t badge)
{
	return badge == POSIX_BADGE_PROC;
}

int vfs_payload_str(const void *in, unsigned words, size_t byte_off, uint64_t len, const char **s)
{
	const char *base = (const char *)in;

	if (len >= POSIX_PATH_MAX)
		return -ENAMETOOLONG;
	if (byte_off > (size_t)words * 8 || len > (size_t)words * 8 - byte_off)
		return -EINVAL;
	*s = base + byte_off;
	for (uint64_t i = 0; i < len; i++)
		if ((*s)[i] == 0)
			return -EINVAL;
	return 0;
}

struct file *vfs_file(struct vproc *p, int64_t fd)
{
	return fd_get(p->fdt, fd);
}

unsigned vfs_prefixes;

void vfs_prefix_drop(uint64_t badge)
{
	struct vproc *p = vproc_of(badge);

	if (p && p->prefix_len) {
		p->prefix_len = 0;
		vfs_prefixes--;
	}
}

int vfs_path_prefix_handle(struct tern_request *req, const struct vfs_path_prefix_req *in,
			   struct vfs_path_prefix_resp *out)
{
	struct vproc *p = vproc_of(req->badge);
	const char *s;
	int err;
	(void)out;

	if (!p)
		return POSIX_STATUS(EPERM);
	if (in->len == 0) { /* drop what was sent: the call it was for is not coming */
		vfs_prefix_drop(req->badge);
		return 0;
	}
	if ((err = vfs_payload_str(in, req->words, VFS_PAYLOAD_WORD * 8, in->len, &s)))
		return vfs_status(err);
	if (in->len >= POSIX_PATH_MAX - p->prefix_len)
		return POSIX_STATUS(ENAMETOOLONG);
	if (!p->prefix && !(p->prefix = fs_alloc(POSIX_PATH_MAX)))
		return POSIX_STATUS(ENOMEM);
	if (!p->prefix_len && in->len)
		vfs_prefixes++;
	memcpy(p->prefix + p->prefix_len, s, in->len);
	p->prefix_len += (uint32_t)in->len;
	return 0;
}

int vfs_walk_at(struct vproc *p, struct walk *w, int64_t dirfd, const char *path, size_t len,
		unsigned flags)
{
	static struct vfs_pctx pctx;
	static char whole[POSIX_PATH_MAX];

	if (p->prefix_len) {
		/* The head sent ahead (VFS_PATH_PREFIX), then this part. */
		size_t head = p->prefix_len;
		p->prefix_len = 0;
		vfs_prefixes--;
		if (head + len >= POSIX_PATH_MAX)
			return -ENAMETOOLONG;
		memcpy(whole, p->prefix, head);
		memcpy(whole + head, path, len);
		path = whole;
		len += head;
	}

	w->cred = &p->cred;
	w->root = p->root;
	pctx.p = p;
	w->proc_ctx = &pctx;
	if (len && path[0] == '/') {
		w->start = p->root ? p->root : vfs.fs.root_mnt->root;
	} else if (dirfd == POSIX_AT_FDCWD) {
		w->start = p->cwd;
	} else {
		struct file *f = vfs_file(p, dirfd);
		if (!f)
			return -EBADF;
		if (len && !POSIX_S_ISDIR(f->node->mode))
			return -ENOTDIR;
		w->start = f->node;
	}
	return fs_walk(&vfs.fs, w, path, len, flags);
}
