/*
 * Resource limits and nice values: PROC_PRLIMIT (prlimit64, getrlimit,
 * setrlimit), PROC_GETPRIORITY and PROC_SETPRIORITY, with Linux's checks
 * (kernel/sys.c). The single user is root, so raising a hard limit and
 * lowering nice are allowed (CAP_SYS_RESOURCE, CAP_SYS_NICE). Limits are
 * inherited from the parent and kept across exec; RLIMIT_NOFILE goes to
 * vfs, which enforces it. Nothing else is enforced yet (FIXME: RLIMIT_AS,
 * RLIMIT_DATA and RLIMIT_STACK in mm).
 *
 * fork and clone meet Linux's two limits (kernel/fork.c copy_process):
 * RLIMIT_NPROC counts the caller's user's processes but binds no
 * process whose real user is INIT_USER or that has CAP_SYS_RESOURCE or
 * CAP_SYS_ADMIN; every process here is root's, so it binds no one (as
 * on Linux for root). The system-wide one binds root too: nr_threads
 * >= max_threads is EAGAIN, max_threads as Linux's set_max_threads
 * makes it from RAM (an eighth of memory in 16 KiB thread stacks,
 * 20 .. FUTEX_TID_MASK); proc's process table (PROC_MAX) is the other
 * system-wide bound, a full table EAGAIN as well (proc_alloc).
 */
#include "proc.h"

#include "posix/errno.h"
#include "posix/proto_proc.h"
#include "posix/proto_vfs.h"
#include "posix/status.h"
#include "sys/syscalls.h"
#include "tern/syscall.h"

#define INF POSIX_RLIM_INFINITY
#define NR_OPEN 1048576 /* fs.nr_open's default */
#define RLIMIT_NOFILE 7
#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2

/* What Linux 6.1's init task starts with (include/asm-generic/resource.h);
 * RLIMIT_NPROC and RLIMIT_SIGPENDING depend on memory there (max_threads
 * / 2): 512 MiB's value. */
static const uint64_t linux_defaults[POSIX_RLIM_NLIMITS][2] = {
	{ INF, INF },		  /* CPU */
	{ INF, INF },		  /* FSIZE */
	{ INF, INF },		  /* DATA */
	{ 8ul << 20, INF },	  /* STACK */
	{ 0, INF },		  /* CORE */
	{ INF, INF },		  /* RSS */
	{ 1913, 1913 },		  /* NPROC */
	{ 1024, 4096 },		  /* NOFILE */
	{ 8ul << 20, 8ul << 20 }, /* MEMLOCK */
	{ INF, INF },		  /* AS */
	{ INF, INF },		  /* LOCKS */
	{ 1913, 1913 },		  /* SIGPENDING */
	{ 819200, 819200 },	  /* MSGQUEUE */
	{ 0, 0 },		  /* NICE */
	{ 0, 0 },		  /* RTPRIO */
	{ INF, INF },		  /* RTTIME */
};

void proc_limits_init(struct process *p, const struct process *parent)
{
	for (unsigned i = 0; i < POSIX_RLIM_NLIMITS; i++) {
		p->rlim[i][0] = parent ? parent->rlim[i][0] : linux_defaults[i][0];
		p->rlim[i][1] = parent ? parent->rlim[i][1] : linux_defaults[i][1];
	}
	p->nice = parent ? parent->nice : 0;
}

int proc_prlimit(struct proc_server *ps, struct process *self, const struct proc_prlimit_req *in,
		 struct proc_prlimit_resp *out)
{
	struct process *t = in->pid == 0 ? self : proc_find(ps, (uint64_t)in->pid);

	if (in->resource >= POSIX_RLIM_NLIMITS)
		return POSIX_STATUS(EINVAL);
	if (in->pid < 0 || !t || t->state != PROC_RUNNING)
		return POSIX_STATUS(ESRCH);
	if (in->set) {
		if (in->new_cur > in->new_max)
			return POSIX_STATUS(EINVAL);
		if (in->resource == RLIMIT_NOFILE && in->new_max > NR_OPEN)
			return POSIX_STATUS(EPERM);
	}
	out->old_cur = t->rlim[in->resource][0];
	out->old_max = t->rlim[in->resource][1];
	if (!in->set)
		return TERN_SERVER_OK;
	if (in->resource == RLIMIT_NOFILE && ps->vfs_ep) {
		struct vfs_proc_rlimit_req r = { .pid = t->pid, .nofile = in->new_cur };
		struct vfs_proc_rlimit_resp rr;
		int st = tern_client_call(ps->vfs_ep, VFS_PROC_RLIMIT, &r, sizeof(r) / 8, &rr,
					  sizeof(rr) / 8);
		if (st)
			return st > 0 ? st : POSIX_STATUS(EIO);
	}
	t->rlim[in->resource][0] = in->new_cur;
	t->rlim[in->resource][1] = in->new_max;
	return TERN_SERVER_OK;
}

static bool prio_match(const struct process *self, const struct process *p, uint64_t which,
		       int64_t who)
{
	if (p->state != PROC_RUNNING)
		return false;
	switch (which) {
	case PRIO_PROCESS:
		return who == 0 ? p == self : p->pid == (uint64_t)who;
	case PRIO_PGRP:
		return p->pgid == (who == 0 ? self->pgid : (uint64_t)who);
	default: /* PRIO_USER: everyone is uid 0 */
		return who == 0;
	}
}

int proc_getpriority(struct proc_server *ps, struct process *self, uint64_t which, int64_t who,
		     int64_t *nice)
{
	bool found = false;

	if (which > PRIO_USER)
		return POSIX_STATUS(EINVAL);
	if (who < 0)
		return POSIX_STATUS(ESRCH);
	for (unsigned i = 0; i < PROC_MAX; i++) {
		struct process *p = &ps->procs[i];
		if (!prio_match(self, p, which, who))
			continue;
		if (!found || p->nice < *nice)
			*nice = p->nice;
		found = true;
	}
	return found ? TERN_SERVER_OK : POSIX_STATUS(ESRCH);
}

int proc_setpriority(struct proc_server *ps, struct process *self, uint64_t which, int64_t who,
		     int64_t nice)
{
	bool found = false;

	if (which > PRIO_USER)
		return POSIX_STATUS(EINVAL);
	if (who < 0)
		return POSIX_STATUS(ESRCH);
	if (nice < -20)
		nice = -20;
	if (nice > 19)
		nice = 19;
	for (unsigned i = 0; i < PROC_MAX; i++) {
		struct process *p = &ps->procs[i];
		if (!prio_match(self, p, which, who))
			continue;
		p->nice = nice; /* FIXME: not yet a scheduling priority */
		found = true;
	}
	return found ? TERN_SERVER_OK : POSIX_STATUS(ESRCH);
}

/* Linux's set_max_threads(MAX_THREADS): totalram * PAGE_SIZE /
 * (THREAD_SIZE * 8), clamped to [MIN_THREADS, FUTEX_TID_MASK]. */
#define THREAD_SIZE (16ul << 10)
#define MIN_THREADS 20
#define FUTEX_TID_MASK 0x3ffffffful

int proc_fork_limit(struct proc_server *ps)
{
	if (!ps->threads_max) {
		uint64_t mem[4] = { 0 };
		uint64_t t = 0;
		if (tern_debug_query(TERN_DEBUG_QUERY_MEMORY, 0, mem) == TERN_EOK)
			t = mem[0] / (THREAD_SIZE * 8);
		ps->threads_max = t < MIN_THREADS      ? MIN_THREADS
				  : t > FUTEX_TID_MASK ? FUTEX_TID_MASK
						       : t;
	}
	uint64_t nr_threads = 0;
	for (unsigned i = 0; i < PROC_MAX; i++) {
		const struct process *p = &ps->procs[i];
		if (p->state != PROC_RUNNING)
			continue;
		for (unsigned t = 0; t < POSIX_THREADS_MAX; t++)
			nr_threads += p->threads[t].live;
	}
	return nr_threads >= ps->threads_max ? EAGAIN : 0;
}
