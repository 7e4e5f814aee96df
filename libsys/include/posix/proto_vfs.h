/*
 * The vfs server's protocol (servers/vfs), defined once for the server,
 * libposix and proc: X(NAME, label, base) on the server runtime
 * (sys/server.h), with struct base_req and struct base_resp below.
 *
 * Who may call what. The caller is its endpoint cap's badge, never a
 * message field: a Linux process's cap carries its pid, and every call
 * but the VFS_PROC_* ones acts on that pid's state (its fd table, cwd,
 * umask). The VFS_PROC_* calls and VFS_EXEC_OPEN need the badge
 * POSIX_BADGE_PROC (proc's cap); any other caller gets
 * POSIX_STATUS(EPERM). A reply's label is 0 or POSIX_STATUS(errno)
 * (posix/status.h), errno being what Linux returns for the call.
 *
 * Payloads. Strings (paths) and data follow the fixed words of a request
 * or a response; the fixed part of every struct that carries one is at
 * least 4 words (VFS_PAYLOAD_WORD), so the payload starts in the IPC
 * buffer (msg[4..]) and a client can copy it there directly. A string is
 * sent without its NUL, its length in bytes in the fixed part; two
 * strings each start on a word boundary. At most VFS_PAYLOAD_MAX bytes
 * per message: libposix cuts longer reads and writes into pieces, and
 * sends the head of a longer path ahead with VFS_PATH_PREFIX (Linux
 * allows PATH_MAX - 1 = 4,095 bytes).
 *
 * File descriptors. The fd table lives here (one per process, shared by
 * CLONE_FILES). libposix keeps a cache of each fd's route (VFS_FD_ROUTES
 * at start-up, then the route in every open/dup/pipe answer) so that the
 * data path goes to the server that owns the file, once: a fd whose route
 * is POSIX_ROUTE_CONSOLE is read, written and ioctl'ed at the console
 * driver with `handle` (the device number, posix_makedev), everything
 * else of it (dup, close, fcntl, fstat, lseek) here.
 */
#ifndef POSIX_PROTO_VFS_H
#define POSIX_PROTO_VFS_H

#include <stdint.h>

#include "posix/stat.h"
#include "sys/server.h"

/* Labels are dense from 1: the runtime finds each at its index at once. */
#define VFS_PROTOCOL(X)                                        \
	X(VFS_PROC_CREATE, 1, vfs_proc_create)                 \
	X(VFS_PROC_EXEC, 2, vfs_proc_exec)                     \
	X(VFS_PROC_EXIT, 3, vfs_proc_exit)                     \
	X(VFS_EXEC_OPEN, 4, vfs_exec_open)                     \
	X(VFS_PROC_RLIMIT, 5, vfs_proc_rlimit)                 \
	X(VFS_FD_ROUTES, 6, vfs_fd_routes)                     \
	X(VFS_OPEN, 7, vfs_open)                               \
	X(VFS_CLOSE, 8, vfs_close)                             \
	X(VFS_READ, 9, vfs_read)                               \
	X(VFS_WRITE, 10, vfs_write)                            \
	X(VFS_LSEEK, 11, vfs_lseek)                            \
	X(VFS_FSTAT, 12, vfs_fstat)                            \
	X(VFS_STAT, 13, vfs_stat)                              \
	X(VFS_STATX, 14, vfs_statx)                            \
	X(VFS_ACCESS, 15, vfs_access)                          \
	X(VFS_READLINK, 16, vfs_readlink)                      \
	X(VFS_GETCWD, 17, vfs_getcwd)                          \
	X(VFS_CHDIR, 18, vfs_chdir)                            \
	X(VFS_MKDIR, 19, vfs_mkdir)                            \
	X(VFS_MKNOD, 20, vfs_mknod)                            \
	X(VFS_UNLINK, 21, vfs_unlink)                          \
	X(VFS_RENAME, 22, vfs_rename)                          \
	X(VFS_LINK, 23, vfs_link)                              \
	X(VFS_SYMLINK, 24, vfs_symlink)                        \
	X(VFS_GETDENTS, 25, vfs_getdents)                      \
	X(VFS_DUP, 26, vfs_dup)                                \
	X(VFS_FCNTL, 27, vfs_fcntl)                            \
	X(VFS_IOCTL, 28, vfs_ioctl)                            \
	X(VFS_PIPE, 29, vfs_pipe)                              \
	X(VFS_UMASK, 30, vfs_umask)                            \
	X(VFS_CHMOD, 31, vfs_chmod)                            \
	X(VFS_CHOWN, 32, vfs_chown)                            \
	X(VFS_UTIMENS, 33, vfs_utimens)                        \
	X(VFS_TRUNCATE, 34, vfs_truncate)                      \
	X(VFS_FSYNC, 35, vfs_fsync)                            \
	X(VFS_STATFS, 36, vfs_statfs)                          \
	X(VFS_MOUNT, 37, vfs_mount)                            \
	X(VFS_UMOUNT, 38, vfs_umount)                          \
	X(VFS_FD_MEMOBJ, 39, vfs_fd_memobj)                    \
	X(VFS_PATH_PREFIX, 40, vfs_path_prefix)                \
	X(VFS_POLL, 44, vfs_poll)	    /* bbtest: poll */ \
	X(VFS_PROC_FORK, 50, vfs_proc_fork) /* proc: fork */

#define VFS_PAYLOAD_WORD 4 /* payloads start at this message word */
#define VFS_PAYLOAD_MAX ((TERN_MSG_MAX_WORDS - VFS_PAYLOAD_WORD) * 8) /* 3,488 bytes */

/* Routes of a fd (libposix's cache). */
#define POSIX_ROUTE_NONE 0    /* not open */
#define POSIX_ROUTE_VFS 1     /* everything at vfs */
#define POSIX_ROUTE_CONSOLE 2 /* read, write, ioctl at the console driver with `handle` */
/* /dev/null and /dev/zero: read, write, pread64 and pwrite64 answered in
 * libposix (libposix/memdev.c: they keep no state); the rest at vfs. */
#define POSIX_ROUTE_NULL 3
#define POSIX_ROUTE_ZERO 4

/* `flags` bit of path calls that take a fd instead of a path (fchdir,
 * fchmod, fchown, ftruncate, fstatfs, futimens): the call acts on the
 * file open as `dirfd` and the path must be empty. */
#define VFS_AT_FD (1u << 31)
#define VFS_CHDIR_ROOT (1u << 30) /* VFS_CHDIR: chroot (the root, not the cwd) */

/* ---- proc's calls (badge POSIX_BADGE_PROC) ---- */

/* A process's vfs state: parent_pid 0 is a fresh process (fds 0, 1, 2 =
 * one open of /dev/console, dup'ed, as Linux's console_on_rootfs; cwd
 * "/", umask 022); else a copy of the parent's fd table (the open file
 * descriptions shared), cwd and umask, or its table itself with
 * VFS_PROC_SHARE_FILES (CLONE_FILES). EEXIST for a pid in use, ESRCH for
 * a parent that does not exist, EINVAL for a pid out of range. */
#define VFS_PROC_SHARE_FILES 1u
struct vfs_proc_create_req {
	uint64_t pid, parent_pid, flags;
};
struct vfs_proc_create_resp {
	uint64_t unused;
};

/* fork: the child's state from the parent's (proc only): a copy of the
 * fd table with the open file descriptions shared (one offset, as Linux;
 * a pipe's ends stay open while either process holds them), the
 * close-on-exec flags, cwd, umask, RLIMIT_NOFILE, /proc/self/exe; or the
 * table itself with VFS_PROC_SHARE_FILES (CLONE_FILES). EEXIST for a
 * child pid in use, ESRCH for a parent vfs does not know. */
struct vfs_proc_fork_req {
	uint64_t parent, child, flags;
};
struct vfs_proc_fork_resp {
	uint64_t unused;
};

/* The process exec'ed: close its close-on-exec fds, and its exe (for
 * /proc/self/exe) becomes the file of its last VFS_EXEC_OPEN. */
struct vfs_proc_exec_req {
	uint64_t pid;
};
struct vfs_proc_exec_resp {
	uint64_t unused;
};

/* The process is gone: every fd closed, its state dropped, and its
 * waiting reads and writes (whose callers are gone) forgotten. */
struct vfs_proc_exit_req {
	uint64_t pid;
};
struct vfs_proc_exit_resp {
	uint64_t unused;
};

/* Open `path` (payload, relative to pid's cwd) for exec: a regular file
 * with an exec bit. The reply carries a read-only MemObj cap holding the
 * file's bytes from its page 0 (text maps shared from it, data
 * copy-on-write). ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG as for open;
 * EACCES when it is not a regular file or has no exec bit. */
struct vfs_exec_open_req {
	uint64_t pid, path_len, unused[2];
};
struct vfs_exec_open_resp {
	uint64_t size, mode, uid, gid, ino, dev;
};

/* RLIMIT_NOFILE's soft limit for pid (1024 at start, inherited). */
struct vfs_proc_rlimit_req {
	uint64_t pid, nofile;
};
struct vfs_proc_rlimit_resp {
	uint64_t unused;
};

/* ---- a process's own calls (badge = its pid) ---- */

/* The routes of the caller's open fds >= start, in increasing order. */
struct vfs_route {
	uint32_t fd;
	uint16_t route;	       /* POSIX_ROUTE_* */
	uint16_t fd_flags;     /* POSIX_FD_CLOEXEC */
	uint32_t status_flags; /* O_ACCMODE and the F_GETFL flags */
	uint32_t reserved;
	uint64_t handle; /* the console's device number (route CONSOLE) */
};
_Static_assert(sizeof(struct vfs_route) == 24, "struct vfs_route is 3 words");
#define VFS_ROUTES_MAX ((TERN_MSG_MAX_WORDS - VFS_PAYLOAD_WORD) / 3)
struct vfs_fd_routes_req {
	uint64_t start;
};
struct vfs_fd_routes_resp {
	uint64_t count; /* entries in the payload (struct vfs_route each) */
	uint64_t next;	/* where to go on, or 0 when this was the last */
	uint64_t unused[2];
};

/* openat(dirfd, path, flags, mode): the new fd and its route. */
struct vfs_open_req {
	int64_t dirfd;
	uint64_t flags, mode, path_len;
};
struct vfs_open_resp {
	uint64_t fd, route, handle, status_flags;
};

struct vfs_close_req {
	uint64_t fd;
};
struct vfs_close_resp {
	uint64_t unused;
};

/* read/pread64 (VFS_IO_AT: at offset, the file offset unchanged). At
 * most VFS_PAYLOAD_MAX bytes; the data follows the fixed part. A read
 * that must wait (a pipe) is answered when data or EOF arrives. */
#define VFS_IO_AT 1u
#define VFS_IO_NOWAIT 2u /* EAGAIN rather than wait (the later pieces of one read) */
/* VFS_IO_NODATA: a write whose buffer libposix could not read; the
 * answer is what a device that ignores its data gives (Linux's write_null
 * never reads it), else EFAULT. VFS_IO_INLINE: a small transfer all in
 * registers (the IPC fast path): a write's <= 8 bytes in `offset` (not
 * with VFS_IO_AT), a read's <= 24 bytes in the answer's words 1..3. */
#define VFS_IO_NODATA 4u
#define VFS_IO_INLINE 8u
#define VFS_IO_INLINE_WRITE 8
#define VFS_IO_INLINE_READ 24
struct vfs_read_req {
	uint64_t fd, count, offset, flags;
};
struct vfs_read_resp {
	uint64_t count, unused[3];
};

/* write/pwrite64: count bytes of payload. A blocking pipe write that an
 * interrupt bit ended after part of its bytes went in is answered
 * VFS_STATUS_INTR_PART with that count in word 0: the bit may be another
 * client's (bits are shared, sys/server.h), so libposix writes the rest
 * when no signal of its own is pending, else returns the count (Linux's
 * pipe_write after a part). VFS_EINTR_PART is no Linux errno and never
 * reaches a program. */
#define VFS_EINTR_PART 600
#define VFS_STATUS_INTR_PART POSIX_STATUS(VFS_EINTR_PART)
struct vfs_write_req {
	uint64_t fd, count, offset, flags;
};
struct vfs_write_resp {
	uint64_t count;
};

struct vfs_lseek_req {
	uint64_t fd;
	int64_t offset;
	uint64_t whence;
};
struct vfs_lseek_resp {
	uint64_t offset;
};

struct vfs_fstat_req {
	uint64_t fd;
};
struct vfs_fstat_resp {
	struct posix_stat st;
};

/* newfstatat(dirfd, path, st, flags): AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH
 * (then an empty path is dirfd itself). */
struct vfs_stat_req {
	int64_t dirfd;
	uint64_t flags, path_len, unused;
};
struct vfs_stat_resp {
	struct posix_stat st;
};

struct vfs_statx_req {
	int64_t dirfd;
	uint64_t flags, mask, path_len;
};
struct vfs_statx_resp {
	struct posix_statx stx;
};

/* faccessat2(dirfd, path, mode, flags). */
struct vfs_access_req {
	int64_t dirfd;
	uint64_t mode, flags, path_len;
};
struct vfs_access_resp {
	uint64_t unused;
};

/* readlinkat(dirfd, path, buf, bufsiz): the target (not NUL-terminated),
 * at most bufsiz bytes, in the payload. */
struct vfs_readlink_req {
	int64_t dirfd;
	uint64_t bufsiz, path_len, unused;
};
struct vfs_readlink_resp {
	uint64_t count, unused[3];
};

/* getcwd(buf, size): the path and its NUL (length in `count`), ERANGE
 * when size is too small. */
struct vfs_getcwd_req {
	uint64_t size;
};
struct vfs_getcwd_resp {
	uint64_t count, unused[3];
};

/* chdir(path), or fchdir(dirfd) with VFS_AT_FD. */
struct vfs_chdir_req {
	int64_t dirfd;
	uint64_t flags, path_len, unused;
};
struct vfs_chdir_resp {
	uint64_t unused;
};

struct vfs_mkdir_req {
	int64_t dirfd;
	uint64_t mode, path_len, unused;
};
struct vfs_mkdir_resp {
	uint64_t unused;
};

/* mknodat(dirfd, path, mode, dev): regular files, FIFOs, devices. */
struct vfs_mknod_req {
	int64_t dirfd;
	uint64_t mode, dev, path_len;
};
struct vfs_mknod_resp {
	uint64_t unused;
};

/* unlinkat(dirfd, path, flags): AT_REMOVEDIR is rmdir. */
struct vfs_unlink_req {
	int64_t dirfd;
	uint64_t flags, path_len, unused;
};
struct vfs_unlink_resp {
	uint64_t unused;
};

/* Two paths: the first at word 4, the second at the next word boundary
 * after it; lens = first | second << 32. */
#define VFS_LENS(a, b) ((uint64_t)(a) | (uint64_t)(b) << 32)
#define VFS_LEN_FIRST(lens) ((uint32_t)(lens))
#define VFS_LEN_SECOND(lens) ((uint32_t)((lens) >> 32))

/* renameat2(olddirfd, old, newdirfd, new, flags). */
struct vfs_rename_req {
	int64_t olddirfd, newdirfd;
	uint64_t flags, lens;
};
struct vfs_rename_resp {
	uint64_t unused;
};

/* linkat(olddirfd, old, newdirfd, new, flags): AT_SYMLINK_FOLLOW,
 * AT_EMPTY_PATH. */
struct vfs_link_req {
	int64_t olddirfd, newdirfd;
	uint64_t flags, lens;
};
struct vfs_link_resp {
	uint64_t unused;
};

/* symlinkat(target, newdirfd, linkpath): target first, then linkpath. */
struct vfs_symlink_req {
	int64_t newdirfd;
	uint64_t lens, unused[2];
};
struct vfs_symlink_resp {
	uint64_t unused;
};

/* getdents64(fd, buf, count): linux_dirent64 records in the payload;
 * `before` is the directory's position before the call (libposix seeks
 * back to a record's d_off, or there, when the application's buffer
 * cannot take them all). */
struct vfs_getdents_req {
	uint64_t fd, count;
};
struct vfs_getdents_resp {
	uint64_t count, before, unused[2];
};

/* dup (VFS_DUP_LOWEST from 0), fcntl F_DUPFD/F_DUPFD_CLOEXEC
 * (VFS_DUP_LOWEST from newfd), dup2 (VFS_DUP_AT: exactly newfd, a no-op
 * when equal), dup3 (VFS_DUP_AT | VFS_DUP_NOT_SAME). flags:
 * POSIX_O_CLOEXEC. Answers the new fd. */
#define VFS_DUP_LOWEST 0u
#define VFS_DUP_AT 1u
#define VFS_DUP_NOT_SAME 2u
struct vfs_dup_req {
	uint64_t fd, newfd, op, flags;
};
struct vfs_dup_resp {
	uint64_t fd, route, handle, status_flags;
};

/* fcntl(fd, cmd, arg) for F_GETFD, F_SETFD, F_GETFL, F_SETFL. */
struct vfs_fcntl_req {
	uint64_t fd, cmd, arg;
};
struct vfs_fcntl_resp {
	uint64_t result;
};

/* poll's readiness of one vfs fd (Linux's f_op->poll): the POLL* bits
 * of `events` it has now, and POLLERR, POLLHUP whatever was asked; a
 * pipe's by its ends and data (pipe_poll), every other file
 * DEFAULT_POLLMASK. EBADF for an fd that is not open (POLLNVAL). */
struct vfs_poll_req {
	uint64_t fd, events;
};
struct vfs_poll_resp {
	uint64_t revents;
};

/* ioctl(fd, cmd, arg) of a vfs file: FIONREAD answers `value` (an int
 * libposix writes to *arg); ENOTTY for any other cmd. */
struct vfs_ioctl_req {
	uint64_t fd, cmd, arg;
};
struct vfs_ioctl_resp {
	uint64_t result, value;
};

/* pipe2(fds, flags): O_CLOEXEC, O_NONBLOCK, O_DIRECT (EINVAL otherwise). */
struct vfs_pipe_req {
	uint64_t flags;
};
struct vfs_pipe_resp {
	uint64_t fd[2];
};

struct vfs_umask_req {
	uint64_t mask;
};
struct vfs_umask_resp {
	uint64_t old;
};

/* fchmodat(dirfd, path, mode, flags); fchmod with VFS_AT_FD. */
struct vfs_chmod_req {
	int64_t dirfd;
	uint64_t mode, flags, path_len;
};
struct vfs_chmod_resp {
	uint64_t unused;
};

/* fchownat(dirfd, path, uid, gid, flags); ids = uid | gid << 32, each
 * 0xffffffff for "unchanged". fchown with VFS_AT_FD. */
struct vfs_chown_req {
	int64_t dirfd;
	uint64_t ids, flags, path_len;
};
struct vfs_chown_resp {
	uint64_t unused;
};

/* utimensat(dirfd, path, times, flags); times[0] atime, [1] mtime, with
 * UTIME_NOW and UTIME_OMIT (libposix sends UTIME_NOW twice for NULL).
 * VFS_AT_FD: futimens (utimensat with a NULL path). */
struct vfs_utimens_req {
	int64_t dirfd;
	uint64_t flags, path_len, unused;
	struct posix_timespec times[2];
};
struct vfs_utimens_resp {
	uint64_t unused;
};

/* truncate(path, length), or ftruncate(dirfd, length) with VFS_AT_FD. */
struct vfs_truncate_req {
	int64_t dirfd;
	int64_t length;
	uint64_t flags, path_len;
};
struct vfs_truncate_resp {
	uint64_t unused;
};

/* fsync/fdatasync: EBADF or EINVAL (a pipe) as Linux, else nothing to do
 * for a file in memory. */
struct vfs_fsync_req {
	uint64_t fd;
};
struct vfs_fsync_resp {
	uint64_t unused;
};

/* statfs(path) / fstatfs(dirfd) with VFS_AT_FD. */
struct vfs_statfs_req {
	int64_t dirfd;
	uint64_t flags, path_len, unused;
};
struct vfs_statfs_resp {
	struct posix_statfs st;
};

/* mount(source, target, fstype, flags, data): three strings, each on a
 * word boundary; lens = source | target << 16 | fstype << 32. The
 * filesystem types accepted are tmpfs, ramfs, devtmpfs, proc and sysfs. */
#define VFS_MOUNT_LENS(s, t, f) ((uint64_t)(s) | (uint64_t)(t) << 16 | (uint64_t)(f) << 32)
struct vfs_mount_req {
	uint64_t flags, lens, unused[2];
};
struct vfs_mount_resp {
	uint64_t unused;
};

struct vfs_umount_req {
	uint64_t flags, path_len, unused[2];
};
struct vfs_umount_resp {
	uint64_t unused;
};

/* The MemObj holding an open regular file's bytes, for mmap (mm maps it):
 * read-only, or writable when `write` and the file is open for writing
 * (EACCES otherwise). ENODEV for a file that is not regular. */
struct vfs_fd_memobj_req {
	uint64_t fd, write;
};
struct vfs_fd_memobj_resp {
	uint64_t size, pages;
};

/* The head of the next call's path (its first path, the one it walks)
 * when the whole does not fit in one message: appended to what this
 * process sent before; the next call of any other kind from the process
 * consumes it (a walk prepends it) or drops it; len 0 drops it. At most
 * PATH_MAX - 1 bytes in all (ENAMETOOLONG). */
struct vfs_path_prefix_req {
	uint64_t len, unused[3];
};
struct vfs_path_prefix_resp {
	uint64_t unused;
};

enum vfs_label { VFS_PROTOCOL(TERN_PROTOCOL_ENUM) };
VFS_PROTOCOL(TERN_PROTOCOL_ASSERTS)

#endif
