/*
 * /proc: its nodes are made at lookup and live while used (inode.c frees
 * a /proc inode at its last reference), so nothing goes stale when a
 * process or fd goes away. What it knows of processes comes through
 * `procfs` (struct procfs_ops, set by the server); /proc/mounts and the
 * constant files are made here.
 *
 * Entry points: procfs_lookup, procfs_readdir, procfs_readlink,
 * procfs_mounts_text.
 */
#include "procfs.h"

#include "common/format.h"
#include "common/string.h"
#include "posix/dirent.h"

const struct procfs_ops *procfs;

struct entry {
	const char *name;
	enum procfs_kind kind;
	uint32_t mode;
};

static const struct entry root_entries[] = {
	{ "self", PROCFS_SELF, POSIX_S_IFLNK | 0777 },
	{ "meminfo", PROCFS_MEMINFO, POSIX_S_IFREG | 0444 },
	{ "uptime", PROCFS_UPTIME, POSIX_S_IFREG | 0444 },
	{ "version", PROCFS_VERSION, POSIX_S_IFREG | 0444 },
	{ "cpuinfo", PROCFS_CPUINFO, POSIX_S_IFREG | 0444 },
	{ "mounts", PROCFS_MOUNTS, POSIX_S_IFREG | 0444 },
	{ "filesystems", PROCFS_FILESYSTEMS, POSIX_S_IFREG | 0444 },
};
#define NROOT (sizeof(root_entries) / sizeof(root_entries[0]))

static const struct entry pid_entries[] = {
	{ "exe", PROCFS_EXE, POSIX_S_IFLNK | 0777 },
	{ "cwd", PROCFS_CWD, POSIX_S_IFLNK | 0777 },
	{ "fd", PROCFS_FD_DIR, POSIX_S_IFDIR | 0500 },
	{ "stat", PROCFS_STAT, POSIX_S_IFREG | 0444 },
	{ "cmdline", PROCFS_CMDLINE, POSIX_S_IFREG | 0444 },
	{ "comm", PROCFS_COMM, POSIX_S_IFREG | 0644 },
};
#define NPID (sizeof(pid_entries) / sizeof(pid_entries[0]))

#define PID_POS_BASE 0x1000u /* readdir positions of the pid directories */

/* A number of at most 10 digits, no sign, no leading zero. */
static bool parse_uint(const char *s, size_t len, uint32_t *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 10 || (len > 1 && s[0] == '0'))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > 0xffffffffu)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* Stable inode numbers: the same node has the same st_ino each lookup. */
static uint64_t proc_ino(enum procfs_kind kind, uint32_t pid, uint32_t fd)
{
	return 0x100000000000ull | (uint64_t)pid << 24 | (uint64_t)kind << 18 | (fd & 0x3ffffu);
}

static struct inode *proc_node(struct fs *fs, struct inode *dir, enum procfs_kind kind,
			       uint32_t mode, uint32_t pid, uint32_t fd)
{
	struct inode *n = inode_new(fs, dir->mnt, mode);

	if (!n)
		return NULL;
	n->proc_kind = kind;
	n->proc_pid = pid;
	n->proc_fd = fd;
	n->ino = proc_ino(kind, pid, fd);
	n->nlink = POSIX_S_ISDIR(mode) ? 2 : 1;
	inode_get(n);
	return n;
}

static bool name_is(const char *a, const char *name, size_t len)
{
	return strlen(a) == len && !memcmp(a, name, len);
}

struct inode *procfs_lookup(struct fs *fs, struct inode *dir, const char *name, size_t len,
			    void *ctx)
{
	uint32_t v;

	switch (dir->proc_kind) {
	case PROCFS_ROOT:
		for (size_t i = 0; i < NROOT; i++)
			if (name_is(root_entries[i].name, name, len))
				return proc_node(fs, dir, root_entries[i].kind,
						 root_entries[i].mode, 0, 0);
		if (parse_uint(name, len, &v) && v && procfs->pid_exists(ctx, v))
			return proc_node(fs, dir, PROCFS_PID_DIR, POSIX_S_IFDIR | 0555, v, 0);
		return NULL;
	case PROCFS_PID_DIR:
		for (size_t i = 0; i < NPID; i++)
			if (name_is(pid_entries[i].name, name, len))
				return proc_node(fs, dir, pid_entries[i].kind, pid_entries[i].mode,
						 dir->proc_pid, 0);
		return NULL;
	case PROCFS_FD_DIR: {
		char tmp[8];
		if (parse_uint(name, len, &v) &&
		    procfs->link(ctx, dir->proc_pid, PROCFS_FD_LINK, v, tmp, sizeof(tmp)) != -EBADF)
			return proc_node(fs, dir, PROCFS_FD_LINK, POSIX_S_IFLNK | 0700,
					 dir->proc_pid, v);
		return NULL;
	}
	default:
		return NULL;
	}
}

static size_t utoa(char *buf, uint64_t v)
{
	return (size_t)format(buf, 24, "%lu", (unsigned long)v);
}

uint64_t procfs_readdir(struct fs *fs, struct inode *dir, uint64_t pos, void *ctx,
			bool (*emit)(void *arg, uint64_t ino, uint64_t next_pos, uint8_t type,
				     const char *name, size_t len),
			void *arg)
{
	char name[24];

	(void)fs;
	if (pos == 0) {
		if (!emit(arg, dir->ino, 1, POSIX_DT_DIR, ".", 1))
			return pos;
		pos = 1;
	}
	if (pos == 1) {
		if (!emit(arg, dir->ino, 2, POSIX_DT_DIR, "..", 2))
			return pos;
		pos = 2;
	}
	if (dir->proc_kind == PROCFS_ROOT || dir->proc_kind == PROCFS_PID_DIR) {
		const struct entry *e = dir->proc_kind == PROCFS_ROOT ? root_entries : pid_entries;
		size_t n = dir->proc_kind == PROCFS_ROOT ? NROOT : NPID;
		for (; pos - 2 < n && pos < PID_POS_BASE; pos++) {
			const struct entry *x = &e[pos - 2];
			if (!emit(arg, proc_ino(x->kind, dir->proc_pid, 0), pos + 1,
				  posix_mode_to_dtype(x->mode), x->name, strlen(x->name)))
				return pos;
		}
		if (dir->proc_kind == PROCFS_PID_DIR)
			return pos;
		if (pos < PID_POS_BASE)
			pos = PID_POS_BASE;
		for (uint32_t pid = procfs->next_pid(ctx, (uint32_t)(pos - PID_POS_BASE)); pid;
		     pid = procfs->next_pid(ctx, pid)) {
			if (!emit(arg, proc_ino(PROCFS_PID_DIR, pid, 0), PID_POS_BASE + pid,
				  POSIX_DT_DIR, name, utoa(name, pid)))
				return PID_POS_BASE + pid - 1;
			pos = PID_POS_BASE + pid;
		}
		return pos;
	}
	if (dir->proc_kind == PROCFS_FD_DIR) {
		/* Position 2 + fd: the next fd after pos - 3. */
		for (int64_t fd = procfs->next_fd(ctx, dir->proc_pid, (int64_t)pos - 3); fd >= 0;
		     fd = procfs->next_fd(ctx, dir->proc_pid, fd)) {
			if (!emit(arg, proc_ino(PROCFS_FD_LINK, dir->proc_pid, (uint32_t)fd),
				  (uint64_t)fd + 3, POSIX_DT_LNK, name, utoa(name, (uint64_t)fd)))
				return (uint64_t)fd + 2;
			pos = (uint64_t)fd + 3;
		}
	}
	return pos;
}

long procfs_readlink(struct inode *n, void *ctx, char *buf, size_t size)
{
	if (n->proc_kind == PROCFS_SELF) {
		char tmp[24];
		size_t len = utoa(tmp, procfs->self_pid(ctx));
		if (len >= size)
			return -ENAMETOOLONG;
		memcpy(buf, tmp, len);
		return (long)len;
	}
	if (n->proc_kind == PROCFS_EXE || n->proc_kind == PROCFS_CWD ||
	    n->proc_kind == PROCFS_FD_LINK)
		return procfs->link(ctx, n->proc_pid, n->proc_kind, n->proc_fd, buf, size);
	return -EINVAL;
}

static size_t append(char *buf, size_t size, size_t pos, const char *s)
{
	size_t n = strlen(s);

	if (pos + n > size)
		n = pos < size ? size - pos : 0;
	memcpy(buf + pos, s, n);
	return pos + n;
}

size_t procfs_mounts_text(const struct fs *fs, char *buf, size_t size)
{
	static const char *const opts[] = {
		[FS_TMPFS] = "rw,relatime",
		[FS_PROC] = "rw,nosuid,nodev,noexec,relatime",
		[FS_SYSFS] = "rw,nosuid,nodev,noexec,relatime",
		[FS_DEVTMPFS] = "rw,relatime",
	};
	size_t pos = 0;

	pos = append(buf, size, pos, "rootfs / rootfs rw 0 0\n");
	for (const struct mount *m = fs->mounts; m; m = m->next) {
		pos = append(buf, size, pos, m->source);
		pos = append(buf, size, pos, " ");
		pos = append(buf, size, pos, m->target);
		pos = append(buf, size, pos, " ");
		pos = append(buf, size, pos, m->fstype);
		pos = append(buf, size, pos, " ");
		pos = append(buf, size, pos, opts[m->type]);
		pos = append(buf, size, pos, " 0 0\n");
	}
	return pos;
}

size_t procfs_static_text(enum procfs_kind kind, char *buf, size_t size)
{
	switch (kind) {
	case PROCFS_VERSION:
		return append(buf, size, 0, PROCFS_VERSION_TEXT);
	case PROCFS_FILESYSTEMS:
		return append(buf, size, 0,
			      "nodev\tsysfs\nnodev\ttmpfs\nnodev\tramfs\nnodev\tproc\n"
			      "nodev\tdevtmpfs\n");
	default:
		return 0;
	}
}
