/*
 * What /proc shows about processes and the machine, for procfs.c: whose
 * "self" it is, the pids and their fds, the links (exe, cwd, fd/N) and
 * the texts of stat, comm, cmdline, meminfo, uptime, cpuinfo. A text is
 * made once at open, as Linux's seq files are per read.
 *
 * Entry points: vfs_procfs_ops, procfs_file_text.
 */
#include "procfs.h"
#include "vfs.h"

#include "common/format.h"
#include "common/string.h"

#define TEXT_MAX 8192

static uint32_t op_self_pid(void *ctx)
{
	return ((struct vfs_pctx *)ctx)->p->pid;
}

static bool op_pid_exists(void *ctx, uint32_t pid)
{
	(void)ctx;
	return vproc_find(pid) != NULL;
}

static uint32_t op_next_pid(void *ctx, uint32_t after)
{
	(void)ctx;
	for (struct vproc *p = vfs.all; p; p = p->next)
		if (p->pid > after)
			return p->pid;
	return 0;
}

static int64_t op_next_fd(void *ctx, uint32_t pid, int64_t after)
{
	struct vproc *p = vproc_find(pid);
	(void)ctx;

	if (!p)
		return -1;
	for (int64_t fd = after + 1; fd >= 0 && (uint64_t)fd < p->fdt->size; fd++)
		if (p->fdt->fds[fd].file)
			return fd;
	return -1;
}

static long copy_link(const char *s, char *buf, size_t size)
{
	size_t n = strlen(s);

	if (n >= size)
		return -ENAMETOOLONG;
	memcpy(buf, s, n);
	return (long)n;
}

static long file_link(const struct file *f, char *buf, size_t size)
{
	static char tmp[POSIX_PATH_MAX + 16];
	long n;

	if (f->node && f->node->mnt && !strcmp(f->node->mnt->fstype, "pipefs")) {
		format(tmp, sizeof(tmp), "pipe:[%lu]", (unsigned long)f->node->ino);
		return copy_link(tmp, buf, size);
	}
	if (f->node && POSIX_S_ISDIR(f->node->mode))
		n = fs_dir_path(&vfs.fs, f->node, tmp, sizeof(tmp));
	else if (f->dentry)
		n = fs_dentry_path(&vfs.fs, f->dentry, tmp, sizeof(tmp));
	else
		n = -ENOENT;
	if (n < 0)
		return copy_link("/", buf, size); /* FIXME: a name for what has none */
	return copy_link(tmp, buf, size);
}

static long op_link(void *ctx, uint32_t pid, enum procfs_kind kind, uint32_t fd, char *buf,
		    size_t size)
{
	static char tmp[POSIX_PATH_MAX];
	struct vproc *p = vproc_find(pid);
	(void)ctx;

	if (!p)
		return -ENOENT;
	switch (kind) {
	case PROCFS_EXE:
		return p->exe ? copy_link(p->exe, buf, size) : -ENOENT;
	case PROCFS_CWD: {
		long n = fs_dir_path(&vfs.fs, p->cwd, tmp, sizeof(tmp));
		return n < 0 ? n : copy_link(tmp, buf, size);
	}
	case PROCFS_FD_LINK: {
		struct file *f = vfs_file(p, fd);
		return f ? file_link(f, buf, size) : -EBADF;
	}
	default:
		return -EINVAL;
	}
}

static const char *comm_of(const struct vproc *p)
{
	if (p->comm[0])
		return p->comm;
	const char *s = p->exe ? p->exe : "init", *slash = s;

	for (const char *c = s; *c; c++)
		if (*c == '/')
			slash = c + 1;
	return slash;
}

static size_t text_stat(const struct vproc *p, char *buf, size_t size)
{
	/* Fields Linux's proc_pid_stat prints; what vfs does not know
	 * (times, memory, signals: proc's) is 0. */
	return (size_t)format(buf, size,
			      "%u (%.15s) R %u %u %u 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 0 0 0 "
			      "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 "
			      "0 0 0 0\n",
			      p->pid, comm_of(p), p->parent, p->pid, p->pid);
}

static void cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(0));
}

static size_t text_cpuinfo(char *buf, size_t size)
{
	uint32_t r[4], brand[12];
	char vendor[13];

	cpuid(0, r);
	memcpy(vendor, &r[1], 4);
	memcpy(vendor + 4, &r[3], 4);
	memcpy(vendor + 8, &r[2], 4);
	vendor[12] = 0;
	cpuid(1, r);
	uint32_t family = (r[0] >> 8) & 15, model = (r[0] >> 4) & 15;
	if (family == 15)
		family += (r[0] >> 20) & 0xff;
	if (family >= 6)
		model |= ((r[0] >> 16) & 15) << 4;
	cpuid(0x80000000u, r);
	memset(brand, 0, sizeof(brand));
	if (r[0] >= 0x80000004u)
		for (uint32_t i = 0; i < 3; i++)
			cpuid(0x80000002u + i, &brand[i * 4]);
	return (size_t)format(buf, size,
			      "processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n"
			      "model name\t: %.48s\ncpu cores\t: 1\nflags\t\t: fpu tsc msr pae cx8 "
			      "apic sep cmov pat clflush mmx fxsr sse sse2 syscall nx lm\n\n",
			      vendor, family, model, (const char *)brand);
}

static size_t op_text(void *ctx, uint32_t pid, enum procfs_kind kind, char *buf, size_t size)
{
	struct vproc *p = vproc_find(pid);
	uint64_t used, limit, ns;
	(void)ctx;

	switch (kind) {
	case PROCFS_STAT:
		return p ? text_stat(p, buf, size) : 0;
	case PROCFS_COMM:
		return p ? (size_t)format(buf, size, "%.15s\n", comm_of(p)) : 0;
	case PROCFS_CMDLINE:
		return 0; /* FIXME: argv is proc's; vfs does not know it */
	case PROCFS_MEMINFO:
		/* What vfs can see: its own quota, the memory files live in. */
		platform_reap(0); /* exact: gone files no one maps are gone */
#ifdef VFS_MEMDUMP
		platform_memdump();
#endif
		platform_memory(&used, &limit);
		return (size_t)format(
			buf, size,
			"MemTotal:       %8lu kB\nMemFree:        %8lu kB\n"
			"MemAvailable:   %8lu kB\nBuffers:               0 kB\n"
			"Cached:         %8lu kB\nShmem:          %8lu kB\n",
			(unsigned long)(limit >> 10), (unsigned long)((limit - used) >> 10),
			(unsigned long)((limit - used) >> 10), (unsigned long)(vfs.fs.bytes >> 10),
			(unsigned long)(vfs.fs.bytes >> 10));
	case PROCFS_UPTIME:
		ns = platform_now_ns();
		return (size_t)format(
			buf, size, "%lu.%02lu %lu.%02lu\n", (unsigned long)(ns / 1000000000u),
			(unsigned long)(ns / 10000000u % 100), (unsigned long)(ns / 1000000000u),
			(unsigned long)(ns / 10000000u % 100));
	case PROCFS_CPUINFO:
		return text_cpuinfo(buf, size);
	case PROCFS_MOUNTS:
		return procfs_mounts_text(&vfs.fs, buf, size);
	default:
		return procfs_static_text(kind, buf, size);
	}
}

const struct procfs_ops vfs_procfs_ops = {
	.self_pid = op_self_pid,
	.pid_exists = op_pid_exists,
	.next_pid = op_next_pid,
	.next_fd = op_next_fd,
	.link = op_link,
	.text = op_text,
};

int procfs_file_text(struct vproc *caller, struct inode *n, char **text, size_t *len)
{
	char *buf = fs_alloc(TEXT_MAX);
	struct vfs_pctx ctx = { caller };

	if (!buf)
		return -ENOMEM;
	size_t got = procfs->text(&ctx, n->proc_pid, n->proc_kind, buf, TEXT_MAX);
	*text = buf;
	*len = got < TEXT_MAX ? got : TEXT_MAX - 1;
	return 0;
}
