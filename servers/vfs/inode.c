/*
 * tmpfs's inodes: creation and release, directories as lists of dentries
 * that the dentry cache (one hash table of (directory, name)) answers
 * lookups from, regular files' bytes in a platform data window, symlink
 * targets, stat and permission. As on Linux's tmpfs the dentries are the
 * directories: there is no backing store behind the cache.
 *
 * Entry points: fs_init, inode_new, inode_get, inode_put, dentry_get,
 * dentry_put, dir_lookup, dir_link, dir_unlink, dir_empty, file_read,
 * file_write, file_truncate, inode_set_link, inode_stat, inode_touch,
 * inode_permission.
 */
#include "fs.h"

#include "common/string.h"

#define HASH_INITIAL 256u
#define TMPFS_BOGO_DIRENT 20 /* Linux's BOGO_DIRENT_SIZE: a directory's st_size per entry */

static uint32_t name_hash(const struct inode *dir, const char *name, size_t len)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)(uintptr_t)dir;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)name[i]) * 1099511628211ull;
	return (uint32_t)(h ^ (h >> 32));
}

int fs_init(struct fs *fs)
{
	memset(fs, 0, sizeof(*fs));
	fs->hash_size = HASH_INITIAL;
	fs->hash = fs_alloc(fs->hash_size * sizeof(*fs->hash));
	if (!fs->hash)
		return -ENOMEM;
	fs->next_ino = 1;
	fs->next_dev = 1;
	return 0;
}

struct inode *inode_new(struct fs *fs, struct mount *mnt, uint32_t mode)
{
	struct inode *n = fs_alloc(sizeof(*n));

	if (!n)
		return NULL;
	n->ino = fs->next_ino++;
	n->mode = mode;
	n->mnt = mnt;
	n->atime = n->mtime = n->ctime = fs_now();
	if (POSIX_S_ISDIR(mode)) {
		n->dir.next_off = 3;
		n->dir.parent = n;
	}
	fs->inodes++;
	if (mnt)
		mnt->inodes++;
	return n;
}

void inode_get(struct inode *n)
{
	n->refs++;
	if (n->mnt)
		n->mnt->held++;
}

static void inode_free(struct fs *fs, struct inode *n)
{
	if (POSIX_S_ISREG(n->mode)) {
		fs->bytes -= n->size;
		/* Pages handed out for exec or mmap stay while mapped, and
		 * so does their charge (fs_data_release takes it over):
		 * unlinking such files in a loop ends in ENOSPC, never in
		 * vfs's quota running out. */
		if (!n->data.handed_out) {
			fs->pages -= n->data.charged;
			n->data.charged = 0;
		}
		fs_data_release(&n->data);
	} else if (POSIX_S_ISLNK(n->mode)) {
		fs_free(n->link);
	}
	fs->inodes--;
	if (n->mnt)
		n->mnt->inodes--;
	fs_free(n);
}

void inode_put(struct fs *fs, struct inode *n)
{
	struct mount *m;

	if (!n)
		return;
	m = n->mnt;
	if (n->refs) {
		n->refs--;
		if (m)
			m->held--;
	}
	/* /proc's inodes live only while used: no dentry holds them. */
	if (n->refs == 0 && (n->nlink == 0 || n->proc_kind))
		inode_free(fs, n);
	if (m && m->detached && m->held <= 1)
		mount_destroy(fs, m);
}

void dentry_get(struct dentry *d)
{
	d->refs++;
}

void dentry_put(struct fs *fs, struct dentry *d)
{
	(void)fs;
	if (d && --d->refs == 0)
		fs_free(d);
}

static bool dentry_is(const struct dentry *d, const struct inode *dir, const char *name, size_t len,
		      uint32_t hash)
{
	return d->hash == hash && d->dir == dir && d->len == len && !memcmp(d->name, name, len);
}

struct dentry *dir_lookup(struct fs *fs, struct inode *dir, const char *name, size_t len)
{
	uint32_t h = name_hash(dir, name, len);

	for (struct dentry *d = fs->hash[h & (fs->hash_size - 1)]; d; d = d->hnext)
		if (dentry_is(d, dir, name, len, h))
			return d;
	return NULL;
}

/* Double the table when it holds more entries than buckets. */
static void hash_grow(struct fs *fs)
{
	uint32_t size = fs->hash_size * 2;
	struct dentry **t = fs_alloc(size * sizeof(*t));

	if (!t)
		return; /* longer chains, still correct */
	for (uint32_t i = 0; i < fs->hash_size; i++) {
		struct dentry *d = fs->hash[i], *next;
		for (; d; d = next) {
			next = d->hnext;
			d->hnext = t[d->hash & (size - 1)];
			t[d->hash & (size - 1)] = d;
		}
	}
	fs_free(fs->hash);
	fs->hash = t;
	fs->hash_size = size;
}

static void dentry_attach(struct fs *fs, struct dentry *d, struct inode *dir);

int dir_link(struct fs *fs, struct inode *dir, const char *name, size_t len, struct inode *n,
	     struct dentry **out)
{
	struct dentry *d;

	if (len == 0 || len > POSIX_NAME_MAX)
		return -ENAMETOOLONG;
	d = fs_alloc(sizeof(*d));
	if (!d)
		return -ENOMEM;
	memcpy(d->name, name, len);
	d->len = (uint16_t)len;
	d->node = n;
	d->refs = 1;
	dentry_attach(fs, d, dir);
	n->nlink++;
	if (POSIX_S_ISDIR(n->mode)) {
		n->nlink++;   /* its own "." */
		dir->nlink++; /* its ".." */
		n->dir.parent = dir;
		n->dir.self = d;
	}
	dir->mtime = dir->ctime = fs_now();
	if (out)
		*out = d;
	return 0;
}

/* Take d out of the cache and its directory's list. */
static void dentry_detach(struct fs *fs, struct dentry *d)
{
	struct inode *dir = d->dir;
	struct dentry **pp = &fs->hash[d->hash & (fs->hash_size - 1)];

	while (*pp != d)
		pp = &(*pp)->hnext;
	*pp = d->hnext;
	fs->hash_used--;
	if (d->prev)
		d->prev->next = d->next;
	else
		dir->dir.head = d->next;
	if (d->next)
		d->next->prev = d->prev;
	else
		dir->dir.tail = d->prev;
	dir->dir.count--;
	d->dir = NULL;
	d->next = d->prev = d->hnext = NULL;
}

/* Put d (named already) at the end of dir's list and into the cache. */
static void dentry_attach(struct fs *fs, struct dentry *d, struct inode *dir)
{
	d->hash = name_hash(dir, d->name, d->len);
	d->dir = dir;
	d->off = dir->dir.next_off++;
	d->prev = dir->dir.tail;
	d->next = NULL;
	if (dir->dir.tail)
		dir->dir.tail->next = d;
	else
		dir->dir.head = d;
	dir->dir.tail = d;
	dir->dir.count++;
	d->hnext = fs->hash[d->hash & (fs->hash_size - 1)];
	fs->hash[d->hash & (fs->hash_size - 1)] = d;
	if (++fs->hash_used > fs->hash_size)
		hash_grow(fs);
}

void dir_move(struct fs *fs, struct dentry *d, struct inode *dir, const char *name, size_t len)
{
	struct inode *old = d->dir, *n = d->node;

	dentry_detach(fs, d);
	memcpy(d->name, name, len);
	d->name[len] = 0;
	d->len = (uint16_t)len;
	dentry_attach(fs, d, dir);
	if (POSIX_S_ISDIR(n->mode) && old != dir) {
		old->nlink--;
		dir->nlink++;
		n->dir.parent = dir;
	}
	old->mtime = old->ctime = dir->mtime = dir->ctime = n->ctime = fs_now();
}

void dir_unlink(struct fs *fs, struct dentry *d)
{
	struct inode *dir = d->dir, *n = d->node;

	dentry_detach(fs, d);
	dir->mtime = dir->ctime = fs_now();
	n->ctime = dir->mtime;
	if (POSIX_S_ISDIR(n->mode)) {
		n->nlink -= 2; /* its name and its "." (0 once empty, as rmdir wants) */
		dir->nlink--;
		n->dir.self = NULL;
	} else {
		n->nlink--;
	}
	dentry_put(fs, d);
	if (n->nlink == 0 && n->refs == 0)
		inode_free(fs, n);
}

/*
 * Everything in a detached mount, leaves first without recursion: a
 * directory with entries is entered, an entry without any is unlinked
 * (what nobody holds goes with it: nothing is held), an emptied
 * directory is unlinked from its parent on the way up. No mount sits
 * inside (mount_detach refused that) and nothing links outside (EXDEV).
 */
void mount_destroy(struct fs *fs, struct mount *m)
{
	struct inode *root = m->root, *cur = root;

	m->detached = false; /* no second destruction from the puts below */
	while (POSIX_S_ISDIR(root->mode) && !root->proc_kind) {
		struct dentry *d = cur->dir.head;
		if (d) {
			struct inode *n = d->node;
			if (POSIX_S_ISDIR(n->mode) && n->dir.head)
				cur = n;
			else
				dir_unlink(fs, d);
			continue;
		}
		if (cur == root)
			break;
		struct inode *parent = cur->dir.parent;
		dir_unlink(fs, cur->dir.self);
		cur = parent;
	}
	root->refs = 0;
	inode_free(fs, root);
	fs_free(m);
}

bool dir_empty(const struct inode *dir)
{
	return dir->dir.count == 0;
}

long file_read(struct inode *n, uint64_t off, void *buf, size_t len)
{
	if (off >= n->size)
		return 0;
	if (len > n->size - off)
		len = n->size - off;
	memcpy(buf, n->data.base + off, len);
	return (long)len;
}

#define FS_PAGE 4096ul

long file_write(struct fs *fs, struct inode *n, uint64_t off, const void *buf, size_t len)
{
	int err;

	if (len == 0)
		return 0;
	if (off >= FS_DATA_MAX || len > FS_DATA_MAX - off)
		return -EFBIG;
	/* The size limit: a file is charged the pages up to the highest
	 * byte written (a hole below it too; truncation keeps the charge,
	 * the pages stay until the data goes). What does not fit is a
	 * short write, and none at all ENOSPC (generic_perform_write). */
	uint64_t end_page = (off + len + FS_PAGE - 1) / FS_PAGE;
	uint64_t need = end_page > n->data.charged ? end_page - n->data.charged : 0;
	if (fs->max_pages && fs->pages + need > fs->max_pages)
		fs_data_reclaim(); /* gone files' pages no longer mapped */
	if (fs->max_pages && fs->pages + need > fs->max_pages) {
		uint64_t avail = fs->pages < fs->max_pages ? fs->max_pages - fs->pages : 0;
		uint64_t end = (n->data.charged + avail) * FS_PAGE;
		if (end <= off)
			return -ENOSPC;
		len = end - off;
		end_page = (off + len + FS_PAGE - 1) / FS_PAGE;
		need = end_page > n->data.charged ? end_page - n->data.charged : 0;
	}
	err = fs_data_reserve(&n->data, off + len);
	if (err)
		return err;
	fs->pages += need;
	n->data.charged += need;
	memcpy(n->data.base + off, buf, len);
	if (off + len > n->size) {
		fs->bytes += off + len - n->size;
		n->size = off + len;
	}
	return (long)len;
}

int file_truncate(struct fs *fs, struct inode *n, uint64_t size)
{
	if (size > FS_DATA_MAX)
		return -EFBIG;
	if (size > n->size) {
		int err = fs_data_reserve(&n->data, size);
		if (err)
			return err;
		fs->bytes += size - n->size;
	} else if (size == 0 && n->data.base && !n->data.handed_out) {
		/* Emptied (O_TRUNC): its pages and their charge go, as
		 * Linux's tmpfs frees what a truncation cuts off. Pages
		 * handed out stay (processes map them): zeroed below. */
		fs->bytes -= n->size;
		fs->pages -= n->data.charged < fs->pages ? n->data.charged : fs->pages;
		n->data.charged = 0;
		fs_data_release(&n->data);
	} else if (size < n->size) {
		/* Keep [size, room) zero: a later extension reads zeros. */
		memset(n->data.base + size, 0, n->size - size);
		fs->bytes -= n->size - size;
	}
	if (size != n->size)
		n->mtime = n->ctime = fs_now();
	n->size = size;
	return 0;
}

int inode_set_link(struct inode *n, const char *target, size_t len)
{
	char *t = fs_alloc(len + 1);

	if (!t)
		return -ENOMEM;
	memcpy(t, target, len);
	n->link = t;
	n->size = len;
	return 0;
}

void inode_stat(const struct inode *n, struct posix_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = posix_makedev(0, n->mnt ? n->mnt->dev : 0);
	st->st_ino = n->ino;
	st->st_nlink = n->nlink;
	st->st_mode = n->mode;
	st->st_uid = n->uid;
	st->st_gid = n->gid;
	st->st_rdev = n->rdev;
	st->st_blksize = 4096;
	if (POSIX_S_ISDIR(n->mode) && !n->proc_kind)
		st->st_size = (int64_t)(n->dir.count + 2) * TMPFS_BOGO_DIRENT;
	else
		st->st_size = (int64_t)n->size;
	if (POSIX_S_ISREG(n->mode))
		st->st_blocks = (int64_t)((n->size + 4095) / 4096 * 8);
	st->st_atim = n->atime;
	st->st_mtim = n->mtime;
	st->st_ctim = n->ctime;
}

void inode_touch(struct inode *n, bool a, bool m, bool c)
{
	struct posix_timespec now = fs_now();

	if (a)
		n->atime = now;
	if (m)
		n->mtime = now;
	if (c)
		n->ctime = now;
}

int inode_permission(const struct inode *n, const struct fs_cred *cred, int mask)
{
	uint32_t mode = n->mode, bits;

	if (cred->uid == 0) {
		/* CAP_DAC_OVERRIDE: everything, except exec of a file with no
		 * exec bit at all. */
		if ((mask & POSIX_X_OK) && !POSIX_S_ISDIR(mode) && !(mode & 0111))
			return -EACCES;
		return 0;
	}
	if (cred->uid == n->uid)
		bits = (mode >> 6) & 7;
	else if (cred->gid == n->gid)
		bits = (mode >> 3) & 7;
	else
		bits = mode & 7;
	return (bits & (uint32_t)mask) == (uint32_t)mask ? 0 : -EACCES;
}
