/*
 * Linux threads: clone with CLONE_THREAD, exit(2) of one thread, the
 * thread table (posix_threads[], state.h) and its lock. proc makes and
 * destroys the TCB and the thread's caps (PROC_THREAD_CREATE,
 * PROC_THREAD_EXIT, servers/proc/thread.c); libposix picks the index,
 * prepares the thread's state and IPC page, then starts it itself with
 * the creator's registers (rax 0, the new stack, the new TLS) and FPU
 * state, as Linux's copy_thread does. Entry points: posix_clone_thread,
 * posix_thread_by_tid, posix_thread_count, posix_sys_exit,
 * posix_sys_clone (a weak fallback until the fork part's clone).
 */
#include "thread.h"

#include "call.h"
#include "errors.h"
#include "itimer.h"
#include "log.h"
#include "state.h"
#include "uaccess.h"

#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/futex.h"
#include "posix/layout.h"
#include "posix/proto_proc.h"
#include "posix/status.h"
#include "sys/invoke.h"
#include "sys/ipc.h"
#include "sys/personality.h"
#include "sys/syscalls.h"
#include "tern/errors.h"

extern char __text_start[], __text_end[];

#define TASK_SIZE_MAX 0x7ffffffff000ul
#define CSIGNAL 0xfful
#define CLONE_NS_MASK 0xfe020080ul /* NEWNS, NEWCGROUP ... NEWNET, IO, NEWTIME */
#define CLONE_NEWUSER 0x10000000ul
#define CLONE_NEWPID 0x20000000ul
#define CREATE_RETRIES 1000 /* an exiting thread's index, still proc's */

static volatile uint32_t table_lock;

static void lock(void)
{
	while (__atomic_exchange_n(&table_lock, 1, __ATOMIC_ACQUIRE))
		tern_yield();
}

static void unlock(void)
{
	__atomic_store_n(&table_lock, 0, __ATOMIC_RELEASE);
}

struct posix_thread *posix_thread_by_tid(uint64_t tid)
{
	for (unsigned i = 0; i < POSIX_THREADS_MAX; i++) {
		struct posix_thread *t = &posix_threads[i];
		if (t->live == POSIX_THREAD_RUNNING && t->tid == tid)
			return t;
	}
	return 0;
}

static unsigned count_locked(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < POSIX_THREADS_MAX; i++)
		if (posix_threads[i].live == POSIX_THREAD_RUNNING ||
		    posix_threads[i].live == POSIX_THREAD_STARTING)
			n++;
	return n;
}

unsigned posix_thread_count(void)
{
	lock();
	unsigned n = count_locked();
	unlock();
	return n;
}

/* The lowest index free for a new thread (0 is the leader's for the
 * process's life): marked STARTING. An exiting thread's index is a
 * candidate; proc answers EBUSY while it still has the thread. */
static int take_index(void)
{
	int found = -1;

	lock();
	for (unsigned i = 1; i < POSIX_THREADS_MAX && found < 0; i++) {
		uint32_t s = posix_threads[i].live;
		if (s == POSIX_THREAD_FREE || s == POSIX_THREAD_EXITING) {
			posix_threads[i].live = POSIX_THREAD_STARTING;
			found = (int)i;
		}
	}
	unlock();
	return found;
}

static void drop_index(unsigned i)
{
	lock();
	posix_threads[i].live = POSIX_THREAD_FREE;
	unlock();
}

static long proc_create(unsigned i, uint64_t *tid)
{
	struct proc_thread_create_req req = { .index = i };
	struct proc_thread_create_resp resp;

	for (unsigned n = 0;; n++) {
		long st = proc_thread_create_call(POSIX_SLOT_PROC_EP, &req, &resp);
		if (st == 0) {
			*tid = resp.tid;
			return 0;
		}
		if (st != POSIX_STATUS(EBUSY) || n == CREATE_RETRIES)
			return st == POSIX_STATUS(EBUSY) ? -EAGAIN : posix_status_to_errno(st);
		tern_yield(); /* its old thread is on its way to PROC_THREAD_EXIT */
	}
}

/* PROC_THREAD_EXIT (posix/proto_proc.h): the first call makes the
 * thread dead to the rest (or ends the process when it was the last),
 * the second destroys it. */
static void proc_thread_exit_once(unsigned i, uint64_t code)
{
	struct proc_thread_exit_req req = { .index = i, .code = code };
	struct proc_thread_exit_resp resp;

	posix_itimer_thread_exit(i); /* the process Timer signals a live thread */
	proc_thread_exit_call(POSIX_SLOT_PROC_EP, &req, &resp);
}

/* A thread that never ran (its start failed). */
static void proc_destroy(unsigned i, uint64_t code)
{
	proc_thread_exit_once(i, code);
	proc_thread_exit_once(i, code);
}

/* Linux's flag rules for a thread (kernel/fork.c copy_process), beyond
 * the common ones: what this personality cannot do is -ENOSYS, logged. */
static long thread_flags_check(uint64_t flags, uint64_t tls)
{
	const uint64_t supported =
		CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
		CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID |
		CLONE_DETACHED | CLONE_UNTRACED | CLONE_PTRACE | CLONE_PARENT | CSIGNAL;

	if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS))
		return -EINVAL;
	if (!(flags & CLONE_SIGHAND) || !(flags & CLONE_VM))
		return -EINVAL; /* THREAD needs SIGHAND, SIGHAND needs VM */
	if (flags & (CLONE_NEWUSER | CLONE_NEWPID))
		return -EINVAL;
	if (flags & CLONE_PIDFD)
		return -EINVAL; /* with CLONE_THREAD (Linux 6.1) */
	if ((flags & CLONE_SETTLS) && tls >= TASK_SIZE_MAX)
		return -EPERM; /* ARCH_SET_FS's check */
	if ((flags & ~supported) || !(flags & CLONE_FS) || !(flags & CLONE_FILES)) {
		/* Namespaces, CLONE_VFORK, and a thread with its own fd table
		 * or cwd: there is one of each per process here. */
		posix_log("posix: clone of a thread with flags %lx is not implemented",
			  (unsigned long)flags);
		return -ENOSYS;
	}
	return 0;
}

/* libposix has only POSIX_SLOT_FIRST_FREE .. POSIX_SLOT_LAST_FREE, and
 * libsys keeps freed slots in a per-thread cache (sys/thread.h): a dead
 * thread's cache passes to the next thread of its index, and a departed
 * leader's (which takes none on its way out) to the first new thread. */
static void inherit_slots(struct tern_thread *to, struct tern_thread *from)
{
	if (from->nslots > TERN_THREAD_SLOT_CACHE)
		from->nslots = 0; /* never: the struct is libposix's own */
	while (from->nslots && to->nslots < TERN_THREAD_SLOT_CACHE)
		to->slots[to->nslots++] = from->slots[--from->nslots];
	from->nslots = 0;
}

/* Thread i's IPC page and libposix state before it runs (proc has
 * destroyed whatever thread had the index before). */
static void prepare(struct posix_thread *self, unsigned i, uint64_t tid, uint64_t flags,
		    uint64_t ctid, uint64_t fs_base)
{
	struct posix_thread *t = &posix_threads[i];
	struct tern_ipc_buffer *ipc =
		(struct tern_ipc_buffer *)(POSIX_THREAD_IPC + (uint64_t)i * POSIX_PAGE_SIZE);
	uint32_t state = t->live;

	struct tern_thread cache = { .nslots = 0 };

	inherit_slots(&cache, &t->t);
	lock(); /* two creators must not both take the leader's */
	if (posix_threads[0].live == POSIX_THREAD_GONE)
		inherit_slots(&cache, &posix_threads[0].t);
	unlock();
	__builtin_memset(ipc, 0, sizeof(*ipc));
	ipc->user_self = (uint64_t)(uintptr_t)ipc;
	ipc->user_data = (uint64_t)(uintptr_t)t;
	tern_personality_set_stack(ipc,
				   (void *)(POSIX_THREAD_STACKS +
					    (uint64_t)i * POSIX_THREAD_STACK_STRIDE +
					    POSIX_PAGE_SIZE),
				   POSIX_THREAD_STACK_SIZE);
	__builtin_memset(t, 0, sizeof(*t));
	t->live = state;
	inherit_slots(&t->t, &cache);
	t->t.ipc = ipc;
	t->t.tcb = POSIX_SLOT_THREAD_TCB(i);
	t->t.id = i;
	t->index = i;
	t->tid = tid;
	t->fs_base = fs_base;
	t->app_gs_base = self->app_gs_base;
	/* Linux: the mask is the creator's, nothing pending, and a CLONE_VM
	 * child without CLONE_VFORK has no alternate stack; no robust list. */
	t->blocked = self->blocked;
	t->clear_child_tid = (flags & CLONE_CHILD_CLEARTID) ? ctid : 0;
}

long posix_clone_thread(struct posix_call *c)
{
	uint64_t flags = c->a[0], stack = c->a[1], ptid = c->a[2], ctid = c->a[3], tls = c->a[4];
	struct posix_thread *self = posix_self();
	uint64_t tid = 0;
	long err = thread_flags_check(flags, tls);
	int i;

	if (err)
		return err;
	i = take_index();
	if (i < 0)
		return -EAGAIN; /* Linux's answer at RLIMIT_NPROC / threads-max */
	err = proc_create((unsigned)i, &tid);
	if (err) {
		drop_index((unsigned)i);
		return err;
	}
	/* The creator's registers as the syscall left them, rax 0 (rcx and
	 * r11 as after a syscall), the new stack and TLS; %gs is libposix's. */
	struct tern_regs r = c->frame->regs;
	r.rax = 0;
	if (stack)
		r.rsp = stack;
	r.rcx = r.rip;
	r.r11 = r.rflags;
	if (flags & CLONE_SETTLS)
		r.fs_base = tls;
	r.gs_base = POSIX_THREAD_IPC + (uint64_t)i * POSIX_PAGE_SIZE;
	prepare(self, (unsigned)i, tid, flags, ctid, r.fs_base);

	/* Written before the thread runs, as Linux's kernel_clone and
	 * schedule_tail do (a fault is ignored there too). */
	int32_t tid32 = (int32_t)tid;
	if (flags & CLONE_PARENT_SETTID)
		copy_to_user(ptid, &tid32, 4);
	if (flags & CLONE_CHILD_SETTID)
		copy_to_user(ctid, &tid32, 4);

	tern_cptr_t tcb = POSIX_SLOT_THREAD_TCB(i);
	if (tern_tcb_set_personality(tcb, (uint64_t)(uintptr_t)posix_entry,
				     (uint64_t)(uintptr_t)__text_start,
				     (uint64_t)(uintptr_t)__text_end) ||
	    tern_tcb_set_fault_fixup(tcb, (uint64_t)(uintptr_t)posix_uaccess_start,
				     (uint64_t)(uintptr_t)posix_uaccess_end,
				     (uint64_t)(uintptr_t)posix_uaccess_fixup) ||
	    tern_tcb_copy_fpu(tcb, self->t.tcb)) {
		proc_destroy((unsigned)i, 0);
		drop_index((unsigned)i);
		return -ENOMEM;
	}
	lock();
	posix_threads[i].live = POSIX_THREAD_RUNNING;
	unlock();
	if (tern_tcb_write_registers(tcb, 1, &r)) {
		lock();
		posix_threads[i].live = POSIX_THREAD_STARTING;
		unlock();
		proc_destroy((unsigned)i, 0);
		drop_index((unsigned)i);
		return -ENOMEM;
	}
	return (long)tid;
}

void posix_threads_after_fork(uint64_t tid)
{
	struct posix_thread *self = posix_self();

	for (unsigned i = 0; i < POSIX_THREADS_MAX; i++)
		if (&posix_threads[i] != self)
			posix_threads[i].live = i == 0 ? POSIX_THREAD_GONE : POSIX_THREAD_FREE;
	/* Linux: the child's tid is its pid; no futex wait, no robust list
	 * (clear_child_tid only with CLONE_CHILD_CLEARTID: the fork part sets it). */
	self->live = POSIX_THREAD_RUNNING;
	self->tid = tid;
	self->robust_list = 0;
	self->robust_list_len = 0;
	self->clear_child_tid = 0;
	self->futex_wait.queued = false;
	self->futex_wait.next = 0;
	table_lock = 0;
	posix_futex_after_fork();
}

/*
 * Linux's exit_robust_list (kernel/futex/core.c): every robust futex the
 * thread still holds gets FUTEX_OWNER_DIED and a waiter is woken. The
 * list is the application's: each step is a fault-safe read, and a
 * broken or endless list stops the walk (ROBUST_LIST_LIMIT).
 */
static void handle_futex_death(uint64_t uaddr, uint64_t tid, bool pending)
{
	uint32_t uval, nval;

	if (uaddr & 3)
		return;
	if (copy_from_user(&uval, uaddr, 4))
		return;
	for (;;) {
		/* A pending op on a word with no owner wakes a waiter only. */
		if (pending && !(uval & FUTEX_TID_MASK)) {
			posix_futex_wake(uaddr, 1, FUTEX_BITSET_MATCH_ANY, true);
			return;
		}
		if ((uval & FUTEX_TID_MASK) != (uint32_t)tid)
			return;
		nval = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
		uint32_t seen = uval;
		if (posix_user_cmpxchg32(uaddr, &seen, nval))
			return;
		if (seen == uval)
			break;
		uval = seen;
	}
	if (nval & FUTEX_WAITERS)
		posix_futex_wake(uaddr, 1, FUTEX_BITSET_MATCH_ANY, true);
}

static void exit_robust_list(struct posix_thread *self)
{
	struct posix_robust_list_head head;
	uint64_t entry, pending, next;
	unsigned limit = ROBUST_LIST_LIMIT;

	if (!self->robust_list || copy_from_user(&head, self->robust_list, sizeof(head)))
		return;
	entry = head.list & ~1ul;
	pending = head.list_op_pending & ~1ul;
	while (entry != self->robust_list) {
		if (copy_from_user(&next, entry, 8))
			return;
		if (entry != pending)
			handle_futex_death(entry + (uint64_t)head.futex_offset, self->tid, false);
		entry = next & ~1ul;
		if (!--limit)
			break;
	}
	if (pending)
		handle_futex_death(pending + (uint64_t)head.futex_offset, self->tid, true);
}

static __attribute__((noreturn)) void exit_process(uint64_t code)
{
	struct proc_exit_req req = { .code = code };
	struct proc_exit_resp resp;

	proc_exit_call(POSIX_SLOT_PROC_EP, &req, &resp);
	for (;;) /* proc destroys the thread; reaching here means proc is gone */
		tern_tcb_suspend(posix_self()->t.tcb);
}

long posix_sys_exit_group(struct posix_call *c)
{
	exit_process(c->a[0] & 0xff);
}

/* exit(2): the thread ends; the process with its last thread. */
long posix_sys_exit(struct posix_call *c)
{
	struct posix_thread *self = posix_self();
	uint64_t code = c->a[0] & 0xff;

	lock();
	if (count_locked() <= 1) {
		unlock();
		exit_process(code);
	}
	self->live = self->index == 0 ? POSIX_THREAD_GONE : POSIX_THREAD_EXITING;
	unlock();
	/* Dead to proc first (no tgkill, no signal finds it; the process ends
	 * here when another thread's exit made this one the last). */
	proc_thread_exit_once(self->index, code);
	exit_robust_list(self);
	/* mm_release: CLONE_CHILD_CLEARTID's word is zeroed and one waiter
	 * woken (pthread_join's wait on the thread's tid). */
	if (self->clear_child_tid) {
		uint32_t zero = 0;
		if (!copy_to_user(self->clear_child_tid, &zero, 4))
			posix_futex_wake(self->clear_child_tid, 1, FUTEX_BITSET_MATCH_ANY, true);
	}
	proc_thread_exit_once(self->index, code); /* proc destroys this thread */
	for (;;)
		tern_tcb_suspend(self->t.tcb);
}
