/*
 * What proc asks of vfs (badge POSIX_BADGE_PROC only): a process's state
 * made (fresh, or from its parent at fork), reset at exec (close-on-exec),
 * dropped at exit; a file opened for exec with its MemObj handed over;
 * RLIMIT_NOFILE.
 *
 * Entry points: the handlers of VFS_PROC_CREATE, VFS_PROC_FORK, VFS_PROC_EXEC,
 * VFS_PROC_EXIT, VFS_EXEC_OPEN, VFS_PROC_RLIMIT.
 */
#include "handlers.h"

#include "common/string.h"
#include "posix/cspace.h"
#include "sys/syscalls.h"

static void vproc_insert(struct vproc *p)
{
	struct vproc **pp = &vfs.all;

	p->hnext = vfs.procs[p->pid % VFS_PROC_HASH];
	vfs.procs[p->pid % VFS_PROC_HASH] = p;
	while (*pp && (*pp)->pid < p->pid)
		pp = &(*pp)->next;
	p->next = *pp;
	*pp = p;
}

static void vproc_remove(struct vproc *p)
{
	struct vproc **pp = &vfs.procs[p->pid % VFS_PROC_HASH];

	while (*pp != p)
		pp = &(*pp)->hnext;
	*pp = p->hnext;
	for (pp = &vfs.all; *pp != p; pp = &(*pp)->next)
		;
	*pp = p->next;
}

static char *str_dup(const char *s)
{
	size_t n = strlen(s);
	char *d = fs_alloc(n + 1);

	if (d)
		memcpy(d, s, n + 1);
	return d;
}

/* fds 0, 1, 2: one open of /dev/console, dup'ed (Linux's console_on_rootfs). */
static void console_on_rootfs(struct vproc *p)
{
	struct file *f;

	if (vfs_open_file(p, POSIX_AT_FDCWD, "/dev/console", 12, POSIX_O_RDWR, 0, &f) < 0) {
		static const char msg[] = "Warning: unable to open an initial console.";
		tern_log(4, msg,
			 sizeof(msg) - 1); /* Linux's words; the process starts without fds */
		return;
	}
	for (int i = 0; i < 3; i++)
		vfs_install(p, f, false, 0);
	vfs_file_put(f, NULL); /* the open's own reference: the table holds three */
}

/* A process's state: fresh (parent NULL), or the parent's copy (fork). */
static int proc_new(uint64_t pid, struct vproc *parent, uint64_t flags)
{
	struct vproc *p;

	if (pid == 0 || pid > POSIX_PID_MAX || flags & ~(uint64_t)VFS_PROC_SHARE_FILES)
		return POSIX_STATUS(EINVAL);
	if (vproc_find((uint32_t)pid))
		return POSIX_STATUS(EEXIST);
	if (!(p = fs_alloc(sizeof(*p))))
		return POSIX_STATUS(ENOMEM);
	p->pid = (uint32_t)pid;
	if (parent) {
		p->parent = parent->pid;
		if (flags & VFS_PROC_SHARE_FILES) {
			p->fdt = parent->fdt;
			p->fdt->refs++;
		} else {
			/* The descriptions are shared (their refs go up), so a
			 * pipe's end stays open, for EOF and EPIPE, until every
			 * process that holds it has closed it. */
			p->fdt = fdtable_clone(parent->fdt);
		}
		p->cwd = parent->cwd;
		p->root = parent->root;
		p->umask = parent->umask;
		p->nofile = parent->nofile;
		p->cred = parent->cred;
		p->exe = parent->exe ? str_dup(parent->exe) : NULL;
		memcpy(p->comm, parent->comm, sizeof(p->comm));
	} else {
		p->fdt = fdtable_new();
		p->cwd = vfs.fs.root_mnt->root;
		p->umask = 022;
		p->nofile = FD_NOFILE_DEFAULT;
	}
	if (!p->fdt) {
		fs_free(p->exe);
		fs_free(p);
		return POSIX_STATUS(ENOMEM);
	}
	inode_get(p->cwd);
	if (p->root)
		inode_get(p->root);
	vproc_insert(p);
	if (!parent)
		console_on_rootfs(p);
	return 0;
}

int vfs_proc_create_handle(struct tern_request *req, const struct vfs_proc_create_req *in,
			   struct vfs_proc_create_resp *out)
{
	struct vproc *parent = NULL;
	(void)out;

	if (!vfs_is_proc(req->badge))
		return POSIX_STATUS(EPERM);
	if (in->parent_pid && !(parent = vproc_find((uint32_t)in->parent_pid)))
		return POSIX_STATUS(in->parent_pid > POSIX_PID_MAX ? EINVAL : ESRCH);
	return proc_new(in->pid, parent, in->flags);
}

int vfs_proc_fork_handle(struct tern_request *req, const struct vfs_proc_fork_req *in,
			 struct vfs_proc_fork_resp *out)
{
	struct vproc *parent;
	(void)out;

	if (!vfs_is_proc(req->badge))
		return POSIX_STATUS(EPERM);
	if (in->parent == 0 || in->parent > POSIX_PID_MAX ||
	    !(parent = vproc_find((uint32_t)in->parent)))
		return POSIX_STATUS(ESRCH);
	return proc_new(in->child, parent, in->flags);
}

int vfs_proc_exec_handle(struct tern_request *req, const struct vfs_proc_exec_req *in,
			 struct vfs_proc_exec_resp *out)
{
	struct vproc *p;
	(void)out;

	if (!vfs_is_proc(req->badge))
		return POSIX_STATUS(EPERM);
	if (!(p = vproc_find((uint32_t)in->pid)) || in->pid > POSIX_PID_MAX)
		return POSIX_STATUS(ESRCH);
	/* The calls its other threads waited in died with the old image
	 * (Linux's de_thread): a write of theirs never reaches the pipe, and
	 * the files they held go before close-on-exec counts the ends. */
	vfs_proc_forget_waiters(p->pid);
	/* exec unshares a CLONE_FILES table (Linux's unshare_files). */
	if (p->fdt->refs > 1) {
		struct fdtable *t = fdtable_clone(p->fdt);
		if (!t)
			return POSIX_STATUS(ENOMEM);
		p->fdt->refs--;
		p->fdt = t;
	}
	fdtable_cloexec(p->fdt, vfs_file_put, NULL);
	if (p->pending_exe) {
		fs_free(p->exe);
		p->exe = p->pending_exe;
		p->pending_exe = NULL;
	}
	if (p->pending_comm[0])
		memcpy(p->comm, p->pending_comm, sizeof(p->comm));
	p->pending_comm[0] = 0;
	p->pending_script = false;
	platform_reap(PLATFORM_REAP_BATCH); /* the old image's mappings went */
	return 0;
}

int vfs_proc_exit_handle(struct tern_request *req, const struct vfs_proc_exit_req *in,
			 struct vfs_proc_exit_resp *out)
{
	struct vproc *p;
	(void)out;

	if (!vfs_is_proc(req->badge))
		return POSIX_STATUS(EPERM);
	if (in->pid > POSIX_PID_MAX || !(p = vproc_find((uint32_t)in->pid)))
		return POSIX_STATUS(ESRCH);
	vproc_remove(p);
	if (p->prefix_len)
		vfs_prefixes--;
	fs_free(p->prefix);
	vfs_proc_forget_waiters(p->pid);
	tern_server_intr_release(req->server, p->pid); /* its interrupt bit is free */
	fdtable_put(p->fdt, vfs_file_put, NULL);
	inode_put(&vfs.fs, p->cwd);
	if (p->root)
		inode_put(&vfs.fs, p->root);
	fs_free(p->exe);
	fs_free(p->pending_exe);
	fs_free(p);
	platform_reap(PLATFORM_REAP_BATCH);
	return 0;
}

int vfs_exec_open_handle(struct tern_request *req, const struct vfs_exec_open_req *in,
			 struct vfs_exec_open_resp *out)
{
	static struct walk w;
	static char path[POSIX_PATH_MAX];
	struct vproc *p;
	const char *s;
	uint64_t slot;
	int err;

	if (!vfs_is_proc(req->badge))
		return POSIX_STATUS(EPERM);
	if (in->pid > POSIX_PID_MAX || !(p = vproc_find((uint32_t)in->pid)))
		return POSIX_STATUS(ESRCH);
	if ((err = vfs_payload_str(in, req->words, VFS_PAYLOAD_WORD * 8, in->path_len, &s)))
		return vfs_status(err);
	if ((err = vfs_walk_at(p, &w, POSIX_AT_FDCWD, s, in->path_len, WALK_FOLLOW)))
		return vfs_status(err);
	struct inode *n = w.node;
	if (!POSIX_S_ISREG(n->mode) || n->proc_kind)
		err = -EACCES;
	else
		err = inode_permission(n, &p->cred, POSIX_X_OK);
	if (!err)
		err = platform_data_cap(&n->data, false, &slot);
	if (!err) {
		long len =
			w.dentry ? fs_dentry_path(&vfs.fs, w.dentry, path, sizeof(path)) : -ENOENT;
		fs_free(p->pending_exe);
		p->pending_exe = len > 0 ? str_dup(path) : NULL;
		/* comm: the first file of this exec, not a script's interpreter
		 * (FIXME: an exec that fails after opening a script leaves its
		 * name for the next one). */
		if (!p->pending_script) {
			size_t b = in->path_len, e = in->path_len;
			while (b > 0 && s[b - 1] != '/')
				b--;
			e = e - b < sizeof(p->pending_comm) - 1 ? e
								: b + sizeof(p->pending_comm) - 1;
			memcpy(p->pending_comm, s + b, e - b);
			p->pending_comm[e - b] = 0;
		}
		char magic[2];
		p->pending_script =
			file_read(n, 0, magic, 2) == 2 && magic[0] == '#' && magic[1] == '!';
		out->size = n->size;
		out->mode = n->mode;
		out->uid = n->uid;
		out->gid = n->gid;
		out->ino = n->ino;
		out->dev = posix_makedev(0, n->mnt->dev);
		req->reply_cap = slot;
		inode_touch(n, true, false, false);
	}
	walk_done(&vfs.fs, &w);
	return vfs_status(err);
}

int vfs_proc_rlimit_handle(struct tern_request *req, const struct vfs_proc_rlimit_req *in,
			   struct vfs_proc_rlimit_resp *out)
{
	struct vproc *p;
	(void)out;

	if (!vfs_is_proc(req->badge))
		return POSIX_STATUS(EPERM);
	if (in->pid > POSIX_PID_MAX || !(p = vproc_find((uint32_t)in->pid)))
		return POSIX_STATUS(ESRCH);
	if (in->nofile > FD_NOFILE_MAX)
		return POSIX_STATUS(EPERM); /* above fs.nr_open, as Linux's setrlimit */
	p->nofile = (uint32_t)in->nofile;
	return 0;
}
