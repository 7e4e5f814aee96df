/*
 * The vfs server's pure core: inodes, directories and the dentry cache
 * (inode.c), mounts and path lookup (namei.c), open file descriptions
 * and fd tables (fdtable.c), pipes (pipe.c), /proc's contents (procfs.c)
 * and the initramfs unpacker (initramfs.c). None of it makes an IPC call:
 * the host tests (test/unit/vfs) run exactly this code. What it needs from
 * its environment is below under "platform": memory, file data windows
 * and the clock (platform.c in the server, a fake in the tests).
 *
 * Errors are negative Linux errnos (posix/errno.h), as Linux's own
 * functions return them.
 */
#ifndef VFS_FS_H
#define VFS_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "posix/errno.h"
#include "posix/fcntl.h"
#include "posix/stat.h"

/* ---- platform ---- */

void *fs_alloc(size_t n); /* zeroed */
void fs_free(void *p);

/*
 * A regular file's bytes: a window of vfs's address space backed by a
 * MemObj of the file's own (so that exec and mmap can hand out exactly
 * its pages, from page 0), made at the first byte stored. Bytes in
 * [size, room) are always zero.
 */
struct fs_data {
	uint8_t *base;	 /* NULL until the first byte is stored */
	uint64_t room;	 /* bytes addressable at base */
	uint32_t index;	 /* the platform's handle (its cap's slot in vfs's store), 0 = none */
	uint32_t window; /* which address window */
	bool handed_out; /* others hold caps to it: never reuse its pages */
	/* The caps handed out are derived from these (read+exec, and
	 * read+write+exec), kept for the data's life: deleting one would
	 * revoke every cap derived from it (CNODE_DELETE revokes first). */
	uint32_t handout[2];
	uint64_t charged; /* pages counted in fs.pages: up to the highest byte written */
};
#define FS_DATA_MAX (256ull << 20) /* the largest regular file (EFBIG beyond) */

/* Make at least `size` bytes addressable: 0, -ENOSPC or -EFBIG. */
int fs_data_reserve(struct fs_data *d, uint64_t size);
/* Gives the data back; for data handed out (d->handed_out) the platform
 * takes over d->charged and the pages, and gives both back (fs->pages
 * too) once the last mapping of them went. */
void fs_data_release(struct fs_data *d);
/* Reclaim what gone files' handed-out data no longer needs (the tmpfs
 * limit is near): fs->pages may go down. */
void fs_data_reclaim(void);

/* Wall-clock time for timestamps. */
struct posix_timespec fs_now(void);

/* ---- inodes ---- */

struct inode;
struct mount;
struct pipe;

struct dentry {
	struct dentry *hnext;	    /* dentry cache chain */
	struct dentry *next, *prev; /* the directory's entries, in creation order */
	struct inode *dir;	    /* NULL once removed from it */
	struct inode *node;
	uint64_t off;  /* getdents position, increasing within the directory */
	uint32_t refs; /* the directory's own (1 while linked), open files, cwds */
	uint32_t hash;
	uint16_t len;
	char name[POSIX_NAME_MAX + 1]; /* room for any name: rename moves the dentry */
};

struct fs_dir {
	struct dentry *head, *tail;
	uint64_t next_off; /* entries get 3, 4, ...: 1 and 2 are "." and ".." */
	uint64_t count;
	struct inode *parent; /* ".." (itself at a file system's root) */
	struct dentry *self;  /* the entry naming it (NULL at a root) */
};

/* Kinds of /proc nodes (ephemeral inodes made at lookup). */
enum procfs_kind {
	PROCFS_NONE,
	PROCFS_ROOT,
	PROCFS_SELF,	/* symlink to the caller's pid */
	PROCFS_PID_DIR, /* /proc/<pid> */
	PROCFS_EXE,
	PROCFS_CWD,
	PROCFS_FD_DIR,
	PROCFS_FD_LINK,
	PROCFS_STAT,
	PROCFS_CMDLINE,
	PROCFS_COMM,
	PROCFS_MEMINFO,
	PROCFS_UPTIME,
	PROCFS_VERSION,
	PROCFS_CPUINFO,
	PROCFS_MOUNTS,
	PROCFS_FILESYSTEMS,
};

struct inode {
	uint64_t ino;
	uint32_t mode, uid, gid, nlink;
	uint32_t refs; /* dentries are counted by nlink; this is open files, cwds, walks */
	uint64_t size;
	uint64_t rdev;
	struct posix_timespec atime, mtime, ctime;
	struct mount *mnt;     /* the file system it lives in */
	struct mount *covered; /* a file system mounted on it (directories) */
	union {
		struct fs_dir dir;
		struct fs_data data;
		char *link;
	};
	struct pipe *fifo; /* a FIFO's pipe while open */
	enum procfs_kind proc_kind;
	uint32_t proc_pid, proc_fd;
};

enum fs_type { FS_TMPFS, FS_PROC, FS_SYSFS, FS_DEVTMPFS };

struct mount {
	struct mount *next; /* every mount, in mount order */
	struct mount *parent;
	struct inode *root;
	struct inode *mountpoint; /* in parent (NULL for the root file system) */
	enum fs_type type;
	uint32_t dev; /* st_dev (minor of major 0) */
	uint64_t flags;
	char source[64], target[256], fstype[16];
	uint64_t inodes; /* alive in it */
	uint64_t held;	 /* references to its inodes (their refs summed; 1: the root's own) */
	bool detached;	 /* unmounted: destroyed once nothing but the root's own is held */
};

struct fs {
	struct mount *root_mnt, *mounts;
	struct dentry **hash;
	uint32_t hash_size, hash_used;
	uint64_t next_ino;
	uint32_t next_dev;
	uint64_t inodes, bytes;
	/* The tmpfs size limit (docs/personality.md "vfs"): pages charged
	 * to regular files' data and the most there may be (0: no limit). */
	uint64_t pages, max_pages;
};

/* The caller of a path call: its credentials, root and cwd. */
struct fs_cred {
	uint32_t uid, gid;
};

int fs_init(struct fs *fs);
struct inode *inode_new(struct fs *fs, struct mount *mnt, uint32_t mode);
void inode_get(struct inode *n);
void inode_put(struct fs *fs, struct inode *n); /* frees it when unreferenced and unlinked */
void dentry_get(struct dentry *d);
void dentry_put(struct fs *fs, struct dentry *d);

/* Directory entries (the dentry cache answers lookups). */
struct dentry *dir_lookup(struct fs *fs, struct inode *dir, const char *name, size_t len);
int dir_link(struct fs *fs, struct inode *dir, const char *name, size_t len, struct inode *n,
	     struct dentry **out);
void dir_unlink(struct fs *fs, struct dentry *d);
/* Move d to (dir, name), which must be free: rename's own step. */
void dir_move(struct fs *fs, struct dentry *d, struct inode *dir, const char *name, size_t len);
bool dir_empty(const struct inode *dir);

/* Regular file data. */
long file_read(struct inode *n, uint64_t off, void *buf, size_t len);
long file_write(struct fs *fs, struct inode *n, uint64_t off, const void *buf, size_t len);
int file_truncate(struct fs *fs, struct inode *n, uint64_t size);

int inode_set_link(struct inode *n, const char *target, size_t len);
void inode_stat(const struct inode *n, struct posix_stat *st);
void inode_touch(struct inode *n, bool a, bool m, bool c);

/* Permission (Linux's generic_permission with CAP_DAC_OVERRIDE for uid 0):
 * mask of POSIX_R_OK | POSIX_W_OK | POSIX_X_OK. */
int inode_permission(const struct inode *n, const struct fs_cred *cred, int mask);

/* ---- mounts and path lookup (namei.c) ---- */

struct mount *mount_new(struct fs *fs, enum fs_type type, const char *source, const char *fstype);
/* Mount mnt on the directory `on` (target path recorded for /proc/mounts). */
int mount_attach(struct fs *fs, struct mount *mnt, struct inode *on, const char *target);
/* Takes the mount out of the tree; its files go when the last reference
 * to one of them does (Linux's lazy umount), with mount_destroy. */
int mount_detach(struct fs *fs, struct inode *root);
/* Frees a detached mount nothing refers to: every inode, dentry and
 * file's data in it, and the mount (inode.c). */
void mount_destroy(struct fs *fs, struct mount *m);

#define WALK_FOLLOW 1u	  /* follow a final symlink */
#define WALK_PARENT 2u	  /* stop at the last component's directory */
#define WALK_DIRECTORY 4u /* the result must be a directory */
#define WALK_EMPTY 8u	  /* an empty path is the start directory */

enum walk_last { LAST_NORM, LAST_DOT, LAST_DOTDOT, LAST_ROOT };

struct walk {
	/* in */
	struct inode *start; /* for a relative path */
	struct inode *root;  /* for an absolute one and "..": NULL, the global root */
	const struct fs_cred *cred;
	/* procfs needs to know whose "self" and fds these are */
	void *proc_ctx;
	/* out */
	struct inode *node;    /* the result (a reference), or NULL (WALK_PARENT: missing) */
	struct inode *dir;     /* WALK_PARENT: the directory (a reference) */
	struct dentry *dentry; /* the last component's entry, if it exists (no reference) */
	enum walk_last last_type;
	bool trailing_slash;
	uint16_t last_len;
	char last[POSIX_NAME_MAX + 1];
	char buf[2][POSIX_PATH_MAX]; /* symlink expansion */
};

/* Resolve path[0..len): 0 or -errno; release with walk_done. */
int fs_walk(struct fs *fs, struct walk *w, const char *path, size_t len, unsigned flags);
void walk_done(struct fs *fs, struct walk *w);

/* The path of a directory (for getcwd) or a dentry, into buf (NUL
 * included): its length with the NUL, -ERANGE, or -ENOENT when it is no
 * longer reachable. */
long fs_dir_path(const struct fs *fs, const struct inode *dir, char *buf, size_t size);
/* The same as seen from root (a chroot's; NULL: the global root). */
long fs_dir_path_in(const struct fs *fs, const struct inode *root, const struct inode *dir,
		    char *buf, size_t size);
long fs_dentry_path(const struct fs *fs, const struct dentry *d, char *buf, size_t size);

/* The directory operations on resolved names (namei.c). */
/* Create `name` in dir (which must not hold it): a node of `mode` (any
 * type; rdev for devices, link = a symlink's target). */
int fs_mknod(struct fs *fs, struct inode *dir, const char *name, size_t len, uint32_t mode,
	     uint64_t rdev, const char *link, size_t link_len, const struct fs_cred *cred,
	     struct inode **out);
int fs_unlink(struct fs *fs, struct walk *w, bool rmdir, const struct fs_cred *cred);
int fs_rename(struct fs *fs, struct walk *from, struct walk *to, unsigned flags,
	      const struct fs_cred *cred);
int fs_link(struct fs *fs, struct inode *n, struct walk *to, const struct fs_cred *cred);

/* ---- pipes (pipe.c) ---- */

#define PIPE_SIZE 65536u

struct pipe {
	uint8_t *ring;	    /* PIPE_SIZE bytes */
	uint32_t head, len; /* ring[head .. head+len) holds data */
	uint32_t readers, writers;
	uint32_t busy; /* the server is inside a call on it: do not free yet */
};

struct pipe *pipe_new(void);
void pipe_free(struct pipe *p);
size_t pipe_read(struct pipe *p, void *buf, size_t n);
/* Writes as much as fits (all or nothing for n <= PIPE_BUF, as POSIX). */
size_t pipe_write(struct pipe *p, const void *buf, size_t n);
size_t pipe_room(const struct pipe *p);

/* ---- open files and fd tables (fdtable.c) ---- */

enum file_kind { FILE_INODE, FILE_PIPE_R, FILE_PIPE_W, FILE_PIPE_RW, FILE_PROC };

struct file {
	uint32_t refs;
	uint32_t flags; /* O_ACCMODE and status flags */
	enum file_kind kind;
	uint64_t offset;
	struct inode *node;
	struct dentry *dentry; /* how it was opened (for /proc/self/fd), may be NULL */
	struct pipe *pipe;
	char *text; /* /proc contents, made at open */
	size_t text_len;
};

struct fd_slot {
	struct file *file;
	bool cloexec;
};

struct fdtable {
	uint32_t refs; /* processes sharing it (CLONE_FILES) */
	uint32_t size; /* slots allocated */
	uint32_t open; /* fds in use */
	struct fd_slot *fds;
};

#define FD_NOFILE_DEFAULT 1024u
#define FD_NOFILE_MAX 1048576u

struct fdtable *fdtable_new(void);
struct fdtable *fdtable_clone(const struct fdtable *t); /* NULL: out of memory */
/* Releases every file through put (the server closes each). */
void fdtable_put(struct fdtable *t, void (*put)(struct file *, void *), void *ctx);

struct file *fd_get(const struct fdtable *t, int64_t fd);
/* Whether a fd below limit is free (open checks before it creates). */
bool fd_room(const struct fdtable *t, uint32_t limit);
/* Installs f (taking a reference of its own) at the lowest free fd >=
 * min below limit: the fd, -EMFILE or -ENOMEM. */
int fd_alloc(struct fdtable *t, struct file *f, uint32_t min, uint32_t limit, bool cloexec);
/* Puts f at fd exactly (the old file returned in *old for the caller to
 * release): 0, -EBADF (fd >= limit) or -ENOMEM. */
int fd_install_at(struct fdtable *t, uint32_t fd, struct file *f, bool cloexec, uint32_t limit,
		  struct file **old);
/* Removes fd: its file (the caller releases it) or NULL. */
struct file *fd_remove(struct fdtable *t, int64_t fd);
void fdtable_cloexec(struct fdtable *t, void (*put)(struct file *, void *), void *ctx);

struct file *file_new(enum file_kind kind, uint32_t flags);

/* ---- /proc (procfs.c) ---- */

/* What /proc needs about processes: the server answers these. */
struct procfs_ops {
	uint32_t (*self_pid)(void *ctx);
	bool (*pid_exists)(void *ctx, uint32_t pid);
	/* Every pid in increasing order from `after`: the next one, or 0. */
	uint32_t (*next_pid)(void *ctx, uint32_t after);
	/* The fds of pid in increasing order from `after` (-1 first). */
	int64_t (*next_fd)(void *ctx, uint32_t pid, int64_t after);
	/* The link text of /proc/<pid>/{exe,cwd,fd/N} into buf: length or -errno. */
	long (*link)(void *ctx, uint32_t pid, enum procfs_kind kind, uint32_t fd, char *buf,
		     size_t size);
	/* Text of a /proc file into buf (size bytes at most): length. */
	size_t (*text)(void *ctx, uint32_t pid, enum procfs_kind kind, char *buf, size_t size);
};
extern const struct procfs_ops *procfs;

struct inode *procfs_lookup(struct fs *fs, struct inode *dir, const char *name, size_t len,
			    void *ctx);
/* The entries of a /proc directory from position pos (0 = "."): calls emit
 * for each; returns the next position. emit returns false when full. */
uint64_t procfs_readdir(struct fs *fs, struct inode *dir, uint64_t pos, void *ctx,
			bool (*emit)(void *arg, uint64_t ino, uint64_t next_pos, uint8_t type,
				     const char *name, size_t len),
			void *arg);
long procfs_readlink(struct inode *n, void *ctx, char *buf, size_t size);

/* ---- the initramfs (initramfs.c) ---- */

/* Unpack a cpio newc archive into the file system under its root, as
 * Linux's init/initramfs.c does: 0, or -EINVAL for a malformed archive
 * (what was unpacked before the damage stays). */
int initramfs_unpack(struct fs *fs, const void *buf, size_t len);
/* What Linux's rootfs holds before that: /dev, /dev/console, /root. */
int rootfs_populate(struct fs *fs);

#endif
