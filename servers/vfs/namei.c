/*
 * Mounts and path lookup, after Linux's fs/namei.c: components split on
 * '/', "." and "..", symlinks followed (all but a final one unless asked;
 * ELOOP after POSIX_MAXSYMLINKS), mount points crossed both ways,
 * ENAMETOOLONG for a component above NAME_MAX, ENOTDIR for a component
 * that is not a directory; then the directory operations on resolved
 * names (create, unlink, rename, link) with Linux's checks and errnos.
 *
 * Entry points: mount_new, mount_attach, mount_detach, fs_walk, walk_done,
 * fs_dir_path, fs_dentry_path, fs_mknod, fs_unlink, fs_rename, fs_link.
 */
#include "fs.h"

#include "common/string.h"

/* strlcpy's job (the host tests link libc's string functions, which have
 * no strlcpy). */
static void copy_str(char *dst, const char *src, size_t size)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = 0;
}

struct mount *mount_new(struct fs *fs, enum fs_type type, const char *source, const char *fstype)
{
	struct mount *m = fs_alloc(sizeof(*m));
	uint32_t mode = POSIX_S_IFDIR | 0755;

	if (!m)
		return NULL;
	m->type = type;
	m->dev = fs->next_dev++;
	copy_str(m->source, source, sizeof(m->source));
	copy_str(m->fstype, fstype, sizeof(m->fstype));
	if (type == FS_TMPFS && strcmp(fstype, "ramfs") != 0 && strcmp(fstype, "rootfs") != 0)
		mode = POSIX_S_IFDIR | 01777; /* tmpfs's root default */
	if (type == FS_PROC)
		mode = POSIX_S_IFDIR | 0555;
	m->root = inode_new(fs, m, mode);
	if (!m->root) {
		fs_free(m);
		return NULL;
	}
	m->root->nlink = 2;
	inode_get(m->root); /* the mount's own */
	if (type == FS_PROC)
		m->root->proc_kind = PROCFS_ROOT;
	return m;
}

int mount_attach(struct fs *fs, struct mount *m, struct inode *on, const char *target)
{
	struct mount **pp = &fs->mounts;

	if (!POSIX_S_ISDIR(on->mode))
		return -ENOTDIR;
	while (on->covered) /* stacked: the newest is on top */
		on = on->covered->root;
	/* A directory of a detached (lazily unmounted) tree, reached from a
	 * root or cwd inside it: Linux's do_add_mount refuses a parent not
	 * in the namespace (check_mnt) with EINVAL. Here the tree's
	 * destruction would also free the mountpoint under the new mount. */
	if (on->mnt && on->mnt->detached)
		return -EINVAL;
	on->covered = m;
	inode_get(on);
	m->mountpoint = on;
	m->parent = on->mnt;
	copy_str(m->target, target, sizeof(m->target));
	while (*pp)
		pp = &(*pp)->next;
	*pp = m;
	return 0;
}

int mount_detach(struct fs *fs, struct inode *root)
{
	struct mount *m = root->mnt, **pp;

	if (!m || m->root != root || !m->mountpoint)
		return -EINVAL;
	if (root->covered)
		return -EBUSY;
	for (struct mount *c = fs->mounts; c; c = c->next)
		if (c->parent == m)
			return -EBUSY;
	for (pp = &fs->mounts; *pp != m; pp = &(*pp)->next)
		;
	*pp = m->next;
	m->mountpoint->covered = NULL;
	inode_put(fs, m->mountpoint);
	/* Its root is its own ".." from now on (the mountpoint may go). As
	 * after Linux's lazy umount, files open in it keep working; the
	 * tree is freed when nothing in it is held any more (the caller's
	 * own reference to root is one: its put frees it). */
	m->mountpoint = NULL;
	m->detached = true;
	if (m->held <= 1)
		mount_destroy(fs, m);
	return 0;
}

static struct inode *global_root(const struct fs *fs)
{
	return fs->root_mnt->root;
}

/* "..": the parent, leaving a mounted file system for the directory it
 * covers; the walk's root (the process's, after chroot) and the global
 * root are their own parents. */
/* ".." of cur, not above root; *looked_up says the answer is a /proc node
 * procfs_lookup made with its reference, every other one is not
 * referenced for the caller. */
static struct inode *walk_dotdot(struct fs *fs, struct inode *cur, struct inode *root, void *ctx,
				 bool *looked_up)
{
	*looked_up = false;
	for (;;) {
		if (cur == global_root(fs) || cur == root)
			return cur;
		if (cur == cur->mnt->root && cur->mnt->mountpoint) {
			cur = cur->mnt->mountpoint;
			continue;
		}
		if (cur->proc_kind == PROCFS_FD_DIR) {
			char name[12];
			size_t n = 0;
			uint32_t pid = cur->proc_pid;
			char tmp[12];
			do
				tmp[n++] = (char)('0' + pid % 10);
			while ((pid /= 10) && n < sizeof(tmp));
			for (size_t i = 0; i < n; i++)
				name[i] = tmp[n - 1 - i];
			struct inode *p = procfs_lookup(fs, cur->mnt->root, name, n, ctx);
			*looked_up = p != NULL;
			return p ? p : cur->mnt->root;
		}
		if (cur->proc_kind == PROCFS_PID_DIR)
			return cur->mnt->root;
		return cur->dir.parent;
	}
}

static struct inode *cross_mounts(struct inode *n)
{
	while (n->covered)
		n = n->covered->root;
	return n;
}

static void set_cur(struct fs *fs, struct inode **cur, struct inode *n)
{
	inode_get(n);
	inode_put(fs, *cur);
	*cur = n;
}

/* A symlink's target into buf: its length, or -errno. */
static long link_target(struct inode *n, void *ctx, char *buf, size_t size)
{
	if (n->proc_kind)
		return procfs_readlink(n, ctx, buf, size);
	if (n->size >= size)
		return -ENAMETOOLONG;
	memcpy(buf, n->link, n->size);
	return (long)n->size;
}

int fs_walk(struct fs *fs, struct walk *w, const char *path, size_t len, unsigned flags)
{
	struct inode *cur;
	unsigned links = 0, bi = 0;
	size_t i = 0;

	w->node = w->dir = NULL;
	w->dentry = NULL;
	w->last_type = LAST_NORM;
	w->trailing_slash = false;
	w->last_len = 0;
	w->last[0] = 0;
	if (len == 0) {
		if (!(flags & WALK_EMPTY) || !w->start)
			return -ENOENT;
		inode_get(w->start);
		w->node = w->start;
		if ((flags & WALK_DIRECTORY) && !POSIX_S_ISDIR(w->node->mode)) {
			walk_done(fs, w);
			return -ENOTDIR;
		}
		return 0;
	}
	if (len >= POSIX_PATH_MAX)
		return -ENAMETOOLONG;
	struct inode *root = w->root ? w->root : global_root(fs);
	cur = path[0] == '/' ? root : w->start;
	inode_get(cur);
	for (;;) {
		while (i < len && path[i] == '/')
			i++;
		if (i == len) {
			/* Only slashes left: the path named cur itself ("/", "a/"). */
			if (flags & WALK_PARENT) {
				w->dir = cur;
				w->last_type = LAST_ROOT;
				return 0;
			}
			break;
		}
		size_t s = i;
		while (i < len && path[i] != '/')
			i++;
		size_t clen = i - s, j = i;
		while (j < len && path[j] == '/')
			j++;
		bool last = j == len, trailing = last && j > i;
		const char *c = path + s;
		int err;

		if (clen > POSIX_NAME_MAX) {
			inode_put(fs, cur);
			return -ENAMETOOLONG;
		}
		if (!POSIX_S_ISDIR(cur->mode)) {
			inode_put(fs, cur);
			return -ENOTDIR;
		}
		if ((err = inode_permission(cur, w->cred, POSIX_X_OK))) {
			inode_put(fs, cur);
			return err;
		}
		enum walk_last type = clen == 1 && c[0] == '.'			? LAST_DOT
				      : clen == 2 && c[0] == '.' && c[1] == '.' ? LAST_DOTDOT
										: LAST_NORM;
		if (last && (flags & WALK_PARENT)) {
			w->dir = cur;
			w->last_type = type;
			w->trailing_slash = trailing;
			memcpy(w->last, c, clen);
			w->last[clen] = 0;
			w->last_len = (uint16_t)clen;
			if (type == LAST_NORM) {
				struct inode *n = NULL;
				if (cur->proc_kind) {
					n = procfs_lookup(fs, cur, c, clen, w->proc_ctx);
				} else if ((w->dentry = dir_lookup(fs, cur, c, clen))) {
					n = w->dentry->node;
					inode_get(n);
				}
				w->node = n;
			}
			return 0;
		}
		struct inode *child;
		struct dentry *from = NULL;
		if (type == LAST_DOT) {
			child = cur;
			inode_get(child);
		} else if (type == LAST_DOTDOT) {
			bool looked_up;
			child = walk_dotdot(fs, cur, root, w->proc_ctx, &looked_up);
			/* An ephemeral /proc node from procfs_lookup has its
			 * reference; any other needs one, a /proc node too (".."
			 * at a root chroot put in /proc is that root: without it a
			 * walk took a reference the root never had, and the
			 * last exit inside freed it twice, robust.fuzz at 10^6). */
			if (!looked_up)
				inode_get(child);
		} else if (cur->proc_kind) {
			child = procfs_lookup(fs, cur, c, clen, w->proc_ctx);
			if (!child) {
				inode_put(fs, cur);
				return -ENOENT;
			}
		} else {
			struct dentry *d = dir_lookup(fs, cur, c, clen);
			if (!d) {
				inode_put(fs, cur);
				return -ENOENT;
			}
			child = d->node;
			inode_get(child);
			from = d;
		}
		struct inode *top = cross_mounts(child);
		if (top != child) {
			inode_get(top);
			inode_put(fs, child);
			child = top;
		}
		if (POSIX_S_ISLNK(child->mode) && (!last || (flags & WALK_FOLLOW) || trailing)) {
			char *nb = w->buf[bi];
			long tl;
			if (++links > POSIX_MAXSYMLINKS) {
				inode_put(fs, child);
				inode_put(fs, cur);
				return -ELOOP;
			}
			tl = link_target(child, w->proc_ctx, nb, POSIX_PATH_MAX);
			inode_put(fs, child);
			if (tl == 0)
				tl = -ENOENT;
			if (tl < 0 || (size_t)tl + (len - i) >= POSIX_PATH_MAX) {
				inode_put(fs, cur);
				return tl < 0 ? (int)tl : -ENAMETOOLONG;
			}
			memcpy(nb + tl, path + i, len - i);
			len = (size_t)tl + (len - i);
			path = nb;
			bi ^= 1;
			i = 0;
			if (path[0] == '/')
				set_cur(fs, &cur, root);
			continue;
		}
		inode_put(fs, cur);
		cur = child;
		if (last) {
			w->trailing_slash = trailing;
			w->dentry = from;
			break;
		}
	}
	if (((flags & WALK_DIRECTORY) || w->trailing_slash) && !POSIX_S_ISDIR(cur->mode)) {
		inode_put(fs, cur);
		return -ENOTDIR;
	}
	w->node = cur;
	return 0;
}

void walk_done(struct fs *fs, struct walk *w)
{
	inode_put(fs, w->node);
	inode_put(fs, w->dir);
	w->node = w->dir = NULL;
	w->dentry = NULL;
}

/* Prepend "/name" at buf[*pos...]. */
static int prepend(char *buf, size_t *pos, const char *name, size_t len)
{
	if (*pos < len + 1)
		return -ERANGE;
	*pos -= len;
	memcpy(buf + *pos, name, len);
	buf[--*pos] = '/';
	return 0;
}

static long path_finish(char *tmp, size_t pos, size_t tsize, char *buf, size_t size)
{
	size_t n = tsize - pos;

	if (n == 0) {
		tmp[--pos] = '/';
		n = 1;
	}
	if (n + 1 > size)
		return -ERANGE;
	memcpy(buf, tmp + pos, n);
	buf[n] = 0;
	return (long)n + 1;
}

/* Build the path of dir into tmp's end, up to root (NULL: the global
 * root): -ENOENT when it is unreachable; *outside set when dir is not
 * under root (Linux's getcwd then says "(unreachable)"). */
static int dir_path_rev_in(const struct fs *fs, const struct inode *root, const struct inode *dir,
			   char *tmp, size_t *pos, bool *outside)
{
	if (outside)
		*outside = root && root != global_root(fs);
	while (dir != global_root(fs)) {
		if (dir == root) {
			if (outside)
				*outside = false;
			break;
		}
		if (dir == dir->mnt->root) {
			if (!dir->mnt->mountpoint)
				return -ENOENT;
			dir = dir->mnt->mountpoint;
			continue;
		}
		if (dir->proc_kind == PROCFS_PID_DIR || dir->proc_kind == PROCFS_FD_DIR) {
			/* /proc/<pid> and /proc/<pid>/fd have no dentries: their
			 * names are their numbers. */
			char num[12];
			size_t n = 0;
			uint32_t v = dir->proc_pid;
			if (dir->proc_kind == PROCFS_FD_DIR && prepend(tmp, pos, "fd", 2))
				return -ENAMETOOLONG;
			do
				num[sizeof(num) - 1 - n++] = (char)('0' + v % 10);
			while ((v /= 10) && n < sizeof(num));
			if (prepend(tmp, pos, num + sizeof(num) - n, n))
				return -ENAMETOOLONG;
			dir = dir->mnt->root;
			continue;
		}
		if (dir->proc_kind || !dir->dir.self)
			return -ENOENT;
		if (prepend(tmp, pos, dir->dir.self->name, dir->dir.self->len))
			return -ENAMETOOLONG;
		dir = dir->dir.parent;
	}
	return 0;
}

static int dir_path_rev(const struct fs *fs, const struct inode *dir, char *tmp, size_t *pos)
{
	return dir_path_rev_in(fs, NULL, dir, tmp, pos, NULL);
}

long fs_dir_path(const struct fs *fs, const struct inode *dir, char *buf, size_t size)
{
	return fs_dir_path_in(fs, NULL, dir, buf, size);
}

long fs_dir_path_in(const struct fs *fs, const struct inode *root, const struct inode *dir,
		    char *buf, size_t size)
{
	static char tmp[POSIX_PATH_MAX];
	static const char unreachable[] = "(unreachable)";
	size_t pos = sizeof(tmp);
	bool outside;
	int err = dir_path_rev_in(fs, root, dir, tmp, &pos, &outside);

	if (err)
		return err == -ENAMETOOLONG ? -ERANGE : err;
	if (outside) {
		if (pos == sizeof(tmp))
			tmp[--pos] = '/'; /* the global root: "(unreachable)/" */
		if (pos < sizeof(unreachable) - 1)
			return -ERANGE;
		pos -= sizeof(unreachable) - 1;
		memcpy(tmp + pos, unreachable, sizeof(unreachable) - 1);
	}
	return path_finish(tmp, pos, sizeof(tmp), buf, size);
}

long fs_dentry_path(const struct fs *fs, const struct dentry *d, char *buf, size_t size)
{
	static char tmp[POSIX_PATH_MAX];
	size_t pos = sizeof(tmp);
	static const char deleted[] = " (deleted)";

	if (!d->dir) {
		pos -= sizeof(deleted) - 1;
		memcpy(tmp + pos, deleted, sizeof(deleted) - 1);
	}
	if (prepend(tmp, &pos, d->name, d->len))
		return -ERANGE;
	if (d->dir && dir_path_rev(fs, d->dir, tmp, &pos))
		return -ENOENT;
	return path_finish(tmp, pos, sizeof(tmp), buf, size);
}

int fs_mknod(struct fs *fs, struct inode *dir, const char *name, size_t len, uint32_t mode,
	     uint64_t rdev, const char *link, size_t link_len, const struct fs_cred *cred,
	     struct inode **out)
{
	struct inode *n;
	int err;

	if (!POSIX_S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (dir->proc_kind || dir->mnt->type == FS_PROC)
		return -ENOENT;
	if (dir->mnt->type == FS_SYSFS)
		return -EACCES;
	if (dir->nlink == 0)
		return -ENOENT; /* a removed directory takes no new entries */
	if ((err = inode_permission(dir, cred, POSIX_W_OK | POSIX_X_OK)))
		return err;
	n = inode_new(fs, dir->mnt, mode);
	if (!n)
		return -ENOSPC;
	n->uid = cred->uid;
	n->gid = (dir->mode & POSIX_S_ISGID) ? dir->gid : cred->gid;
	n->rdev = rdev;
	if (POSIX_S_ISLNK(mode) && (err = inode_set_link(n, link, link_len))) {
		inode_get(n);
		inode_put(fs, n);
		return err;
	}
	if ((err = dir_link(fs, dir, name, len, n, NULL))) {
		inode_get(n);
		inode_put(fs, n);
		return err;
	}
	if (out)
		*out = n;
	return 0;
}

int fs_unlink(struct fs *fs, struct walk *w, bool rmdir, const struct fs_cred *cred)
{
	struct inode *n = w->node;
	int err;

	if (w->last_type != LAST_NORM) {
		if (!rmdir)
			return -EISDIR;
		return w->last_type == LAST_DOT	     ? -EINVAL
		       : w->last_type == LAST_DOTDOT ? -ENOTEMPTY
						     : -EBUSY;
	}
	if (!n)
		return -ENOENT;
	if (!w->dentry)
		return -EPERM; /* /proc's entries cannot be removed */
	if ((err = inode_permission(w->dir, cred, POSIX_W_OK | POSIX_X_OK)))
		return err;
	if (rmdir) {
		if (!POSIX_S_ISDIR(n->mode))
			return -ENOTDIR;
		if (n->covered || n == n->mnt->root)
			return -EBUSY;
		if (!dir_empty(n))
			return -ENOTEMPTY;
	} else {
		if (POSIX_S_ISDIR(n->mode))
			return -EISDIR;
		if (w->trailing_slash)
			return -ENOTDIR;
	}
	if (n->covered)
		return -EBUSY;
	dir_unlink(fs, w->dentry);
	w->dentry = NULL;
	return 0;
}

/* Whether dir is `anc` or lies under it. */
static bool is_under(const struct inode *dir, const struct inode *anc)
{
	for (;;) {
		if (dir == anc)
			return true;
		if (!POSIX_S_ISDIR(dir->mode) || dir->dir.parent == dir)
			return false;
		dir = dir->dir.parent;
	}
}

/* Swap the inodes two dentries name (RENAME_EXCHANGE). */
static void dentry_exchange(struct dentry *a, struct dentry *b)
{
	struct inode *an = a->node, *bn = b->node, *ad = a->dir, *bd = b->dir;
	struct posix_timespec now = fs_now();

	a->node = bn;
	b->node = an;
	if (POSIX_S_ISDIR(an->mode)) {
		an->dir.parent = bd;
		an->dir.self = b;
		ad->nlink--;
		bd->nlink++;
	}
	if (POSIX_S_ISDIR(bn->mode)) {
		bn->dir.parent = ad;
		bn->dir.self = a;
		bd->nlink--;
		ad->nlink++;
	}
	ad->mtime = ad->ctime = bd->mtime = bd->ctime = an->ctime = bn->ctime = now;
}

int fs_rename(struct fs *fs, struct walk *from, struct walk *to, unsigned flags,
	      const struct fs_cred *cred)
{
	struct inode *on = from->node, *nn = to->node;
	int err;

	if (flags & ~(unsigned)(POSIX_RENAME_NOREPLACE | POSIX_RENAME_EXCHANGE))
		return -EINVAL;
	if ((flags & POSIX_RENAME_NOREPLACE) && (flags & POSIX_RENAME_EXCHANGE))
		return -EINVAL;
	if (from->last_type != LAST_NORM || to->last_type != LAST_NORM)
		return -EBUSY;
	if (!on)
		return -ENOENT;
	if (from->dir->mnt != to->dir->mnt)
		return -EXDEV;
	if (!from->dentry || (nn && !to->dentry))
		return -EPERM; /* /proc */
	if ((err = inode_permission(from->dir, cred, POSIX_W_OK | POSIX_X_OK)) ||
	    (err = inode_permission(to->dir, cred, POSIX_W_OK | POSIX_X_OK)))
		return err;
	if ((flags & POSIX_RENAME_NOREPLACE) && nn)
		return -EEXIST;
	if ((flags & POSIX_RENAME_EXCHANGE) && !nn)
		return -ENOENT;
	if (!POSIX_S_ISDIR(on->mode) && (from->trailing_slash || to->trailing_slash) &&
	    !(flags & POSIX_RENAME_EXCHANGE))
		return -ENOTDIR;
	if (on == nn)
		return 0; /* the same file: POSIX says do nothing */
	if (on->covered || (nn && nn->covered))
		return -EBUSY;
	if (POSIX_S_ISDIR(on->mode) && is_under(to->dir, on))
		return -EINVAL; /* into its own subtree */
	if (flags & POSIX_RENAME_EXCHANGE) {
		if (POSIX_S_ISDIR(nn->mode) && is_under(from->dir, nn))
			return -EINVAL;
		dentry_exchange(from->dentry, to->dentry);
		return 0;
	}
	if (nn) {
		if (POSIX_S_ISDIR(on->mode)) {
			if (!POSIX_S_ISDIR(nn->mode))
				return -ENOTDIR;
			if (!dir_empty(nn))
				return -ENOTEMPTY;
		} else if (POSIX_S_ISDIR(nn->mode)) {
			return -EISDIR;
		}
		dir_unlink(fs, to->dentry);
		to->dentry = NULL;
	}
	dir_move(fs, from->dentry, to->dir, to->last, to->last_len);
	to->dentry = from->dentry;
	return 0;
}

int fs_link(struct fs *fs, struct inode *n, struct walk *to, const struct fs_cred *cred)
{
	int err;

	if (to->last_type != LAST_NORM || to->node)
		return -EEXIST;
	if (POSIX_S_ISDIR(n->mode))
		return -EPERM;
	if (n->mnt != to->dir->mnt)
		return -EXDEV;
	if (n->proc_kind || to->dir->proc_kind)
		return -EXDEV;
	if (n->nlink == 0)
		return -ENOENT;
	if (to->trailing_slash)
		return -ENOENT;
	if ((err = inode_permission(to->dir, cred, POSIX_W_OK | POSIX_X_OK)))
		return err;
	if ((err = dir_link(fs, to->dir, to->last, to->last_len, n, NULL)))
		return err;
	n->ctime = fs_now();
	return 0;
}
