/*
 * The processes vfs knows (by pid, from proc's VFS_PROC_CREATE) and what
 * every call needs first: who is calling (the badge), its strings out of
 * the message (checked against the message's length), where a relative
 * path starts, its open files.
 *
 * Entry points: vproc_of, vproc_find, vfs_is_proc, vfs_payload_str,
 * vfs_walk_at, vfs_file.
 */
#include "vfs.h"

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

int vfs_walk_at(struct vproc *p, struct walk *w, int64_t dirfd, const char *path, size_t len,
		unsigned flags)
{
	static struct vfs_pctx pctx;

	w->cred = &p->cred;
	pctx.p = p;
	w->proc_ctx = &pctx;
	if (len && path[0] == '/') {
		w->start = vfs.fs.root_mnt->root;
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
