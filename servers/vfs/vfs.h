/*
 * The vfs server's own state and the helpers its call families share
 * (the core it drives is fs.h). One file per family: proc_calls.c (what
 * proc asks), open.c (open, close, dup, fcntl, pipe, the fd routes),
 * io.c (read, write, lseek, getdents, ioctl, the pipes' waiting callers),
 * meta.c (stat, statx, access, chmod, chown, utimens, truncate, fsync,
 * statfs, umask), names.c (mkdir, mknod, unlink, rename, link, symlink,
 * readlink, getcwd, chdir, mount, umount), dev.c (the /dev nodes),
 * proctext.c (/proc's process files); table.c is the label table and
 * main.c the loop and start-up, platform.c the memory and file windows.
 */
#ifndef VFS_VFS_H
#define VFS_VFS_H

#include "fs.h"
#include "posix/proto_vfs.h"
#include "posix/status.h"

#define VFS_PROC_HASH 1024u

struct vproc {
	struct vproc *hnext; /* pid hash chain */
	struct vproc *next;  /* all processes, by increasing pid */
	uint32_t pid, parent;
	struct fdtable *fdt;
	struct inode *cwd;  /* a reference */
	struct inode *root; /* chroot's (a reference), NULL: the global root */
	uint32_t umask;
	uint32_t nofile; /* RLIMIT_NOFILE's soft limit */
	struct fs_cred cred;
	char *exe, *pending_exe; /* /proc/self/exe, and the next one (exec) */
	/* comm (/proc/<pid>/stat, comm): the basename of the path exec was
	 * given (Linux's bprm->filename: a script's own, not its
	 * interpreter's), and the next one; pending_script: the last
	 * VFS_EXEC_OPEN was of a "#!" file, so the next is its interpreter. */
	char comm[16], pending_comm[16];
	bool pending_script;
	char *prefix; /* VFS_PATH_PREFIX: the head of the next path */
	uint32_t prefix_len;
};

/* Processes with a path head pending (table.c drops it after any other call). */
extern unsigned vfs_prefixes;
void vfs_prefix_drop(uint64_t badge);

struct vfs {
	struct fs fs;
	struct vproc *procs[VFS_PROC_HASH];
	struct vproc *all;
	uint64_t quota_limit;
};

extern struct vfs vfs;

/* The caller of a request (badge = pid), or NULL. */
struct vproc *vproc_of(uint64_t badge);
struct vproc *vproc_find(uint32_t pid);
int vfs_is_proc(uint64_t badge);

/* A status from a -errno (0 stays 0). */
static inline int vfs_status(long err)
{
	return err < 0 ? POSIX_STATUS(-err) : 0;
}

/*
 * The string of `len` bytes at message word `word` of a request of
 * `words` words: 0 and *s, -ENAMETOOLONG beyond PATH_MAX - 1 bytes, or
 * -EINVAL when the message does not hold it or it has a NUL inside.
 */
int vfs_payload_str(const void *in, unsigned words, size_t byte_off, uint64_t len, const char **s);

/* Resolve a path call's (dirfd, path): the walk in w (walk_done it).
 * flags are WALK_*; at_fd = the call acts on dirfd itself when the path
 * is empty. */
int vfs_walk_at(struct vproc *p, struct walk *w, int64_t dirfd, const char *path, size_t len,
		unsigned flags);

/* The procfs context of a call: whose /proc/self. */
struct vfs_pctx {
	struct vproc *p;
};

/* Files. */
struct file *vfs_file(struct vproc *p, int64_t fd);
void vfs_file_put(struct file *f, void *unused);
long vfs_open_file(struct vproc *p, int64_t dirfd, const char *path, size_t len, uint64_t flags,
		   uint64_t mode, struct file **out);
int vfs_install(struct vproc *p, struct file *f, bool cloexec, uint32_t min);
void vfs_route_of(const struct file *f, uint64_t *route, uint64_t *handle);
void vfs_pipe_closed(struct pipe *p);
void vfs_proc_forget_waiters(uint32_t pid);

/* Interrupted waits (io.c; sys/server.h's interruptible waits). The badge
 * of the runtime thread's cap: no pid, none of posix/cspace.h's. */
#define VFS_BADGE_INTR (1ul << 59)
struct tern_server;
struct tern_request;
/* The runtime's intr_fn: end the waiting calls of the clients in bits. */
uint64_t vfs_interrupt(struct tern_server *s, uint64_t bits);
/* A call is about to wait: true when its client was interrupted meanwhile
 * (answer TERN_SERVER_EINTERRUPTED instead). */
bool vfs_wait_interrupted(struct tern_request *req);
/* FIFO opens (io.c): whether the open file f must wait for the other
 * end; wait (defer the open, its fd installed when it ends); an end was
 * opened: answer the opens of pp that can go on. */
bool vfs_fifo_must_wait(const struct file *f);
int vfs_fifo_wait(struct tern_request *req, struct vproc *p, struct file *f, bool cloexec);
void vfs_fifo_opened(struct pipe *pp);

/* /dev (dev.c). */
bool dev_known(uint64_t rdev);
bool dev_is_console(uint64_t rdev);
/* /dev/null, /dev/zero: their reads and writes are answered in libposix. */
bool dev_is_null(uint64_t rdev);
bool dev_is_zero(uint64_t rdev);
long dev_read(uint64_t rdev, void *buf, size_t n);
long dev_write(uint64_t rdev, size_t n);
long dev_write_nodata(uint64_t rdev, size_t n); /* VFS_IO_NODATA */
int devtmpfs_populate(struct fs *fs, struct inode *root);

/* /proc's process texts (proctext.c) and procfs's operations. */
extern const struct procfs_ops vfs_procfs_ops;
int procfs_file_text(struct vproc *caller, struct inode *n, char **text, size_t *len);

/* The platform's file memory (platform.c). */
int platform_init(uint64_t initrd_size, const void **initrd);
/* A cap to d's MemObj (read-only, or writable) in a slot that stays valid
 * until the next call: 0 and *slot, or -errno. */
int platform_data_cap(struct fs_data *d, bool write, uint64_t *slot);
uint64_t platform_now_ns(void); /* CLOCK_MONOTONIC */
void platform_memory(uint64_t *used, uint64_t *limit);
/* The tmpfs size limit in pages (half of RAM, within vfs's quota). */
uint64_t platform_tmpfs_pages(void);
/* Free the objects of gone files whose last mapping went: up to budget
 * of them looked at (0: all). At exits, execs and releases a batch, at a
 * /proc/meminfo read all (so its figure is exact). */
#define PLATFORM_REAP_BATCH 16
void platform_reap(unsigned budget);
#ifdef VFS_MEMDUMP
void platform_memdump(void); /* what holds vfs's quota, on the console */
#endif

#endif
