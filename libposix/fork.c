/*
 * fork, vfork, clone of a process (docs/personality.md, "fork"). proc
 * makes the child (PROC_FORK): mm clones the memory copy-on-write, vfs
 * the fd table, proc copies the FPU state. The child's IPC buffer is a
 * fresh page (TCB_CONFIGURE pins IPC pages: they cannot be cloned), so
 * before the call the parent saves its syscall frame on its handler stack
 * (which is cloned), and the child starts at fork_child, below that save
 * on its copy of the stack: it sets up its IPC buffer, handler stack,
 * personality and fault fix-up, its identity, then returns 0 to the
 * program through the normal resume path from the saved frame.
 *
 * CLONE_VM without CLONE_THREAD (vfork, musl's posix_spawn: CLONE_VM |
 * CLONE_VFORK with a stack of its own): the child runs in the parent's
 * own address space, as a free thread index there (its IPC buffer page,
 * its handler stack), while the parent waits until it execs or exits
 * (also without CLONE_VFORK: FIXME); the parent then puts back the
 * process-wide state the child changed in the shared memory (identity,
 * the fd route cache, which is refetched from vfs).
 * Entry points: posix_sys_fork, posix_sys_vfork, posix_sys_clone.
 */
#include "call.h"
#include "clone.h"
#include "init.h"
#include "intr.h"
#include "itimer.h"
#include "state.h"
#include "uaccess.h"

#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/layout.h"
#include "posix/proto_proc.h"
#include "posix/signal.h"
#include "sys/invoke.h"
#include "sys/ipc.h"
#include "sys/syscalls.h"
#include "tern/invocation.h"
#include "sys/personality.h"
#include "sys/thread.h"
#include "errors.h"
#include "thread.h"

extern char __text_start[], __text_end[];

#pragma weak posix_clone_thread
#pragma weak posix_signal_fork_child
#pragma weak posix_signal_vm_child_done
/* Through data words: a direct call to an undefined weak function
 * (address 0) cannot be encoded from libposix's high address. */
static long (*volatile const clone_thread_hook)(struct posix_call *) = posix_clone_thread;
static void (*volatile const signal_fork_hook)(void) = posix_signal_fork_child;
static void (*volatile const signal_vm_done_hook)(unsigned) = posix_signal_vm_child_done;

/* Namespaces (a kernel without them: EINVAL, as copy_namespaces), pidfd,
 * CLONE_IO, CLONE_NEWTIME and the unknown bits. */
#define CLONE_NEWNS 0x00020000ul
#define CLONE_NEWCGROUP 0x02000000ul
#define CLONE_NEWUTS 0x04000000ul
#define CLONE_NEWIPC 0x08000000ul
#define CLONE_NEWUSER 0x10000000ul
#define CLONE_NEWPID 0x20000000ul
#define CLONE_NEWNET 0x40000000ul
#define CLONE_IO 0x80000000ul
#define CLONE_NEWTIME 0x00000080ul
#define CLONE_UNSUPPORTED                                                              \
	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | \
	 CLONE_NEWPID | CLONE_NEWNET | CLONE_IO | CLONE_NEWTIME | PROC_CLONE_PIDFD)

/* What the child needs of the parent's state, on the parent's handler
 * stack (so in the child's copy of it). */
struct fork_save {
	struct tern_frame frame; /* the parent's syscall, rax 0 */
	uint64_t flags;
	uint64_t child_tid;
	uint32_t index;	       /* the child's thread index */
	uint32_t parent_index; /* the forking thread's */
};

__attribute__((noreturn, used)) static void fork_child(struct fork_save *s, uint64_t pid,
						       uint64_t ppid)
{
	unsigned i = s->index;
	struct tern_ipc_buffer *ipc =
		(struct tern_ipc_buffer *)(uintptr_t)(POSIX_THREAD_IPC + i * POSIX_PAGE_SIZE);
	struct posix_thread *self = &posix_threads[i];
	tern_cptr_t tcb = POSIX_SLOT_THREAD_TCB(i);

	/* %gs is the IPC buffer already (proc set it); the buffer's own
	 * words first: libsys finds everything through them. */
	ipc->user_self = (uint64_t)(uintptr_t)ipc;
	ipc->user_data = (uint64_t)(uintptr_t)self;
	tern_personality_set_stack(ipc,
				   (void *)(uintptr_t)(POSIX_THREAD_STACKS +
						       i * POSIX_THREAD_STACK_STRIDE +
						       POSIX_PAGE_SIZE),
				   POSIX_THREAD_STACK_SIZE);
	if (tern_tcb_set_fault_fixup(tcb, (uint64_t)(uintptr_t)posix_uaccess_start,
				     (uint64_t)(uintptr_t)posix_uaccess_end,
				     (uint64_t)(uintptr_t)posix_uaccess_fixup) ||
	    tern_tcb_set_personality(tcb, (uint64_t)(uintptr_t)posix_entry,
				     (uint64_t)(uintptr_t)__text_start,
				     (uint64_t)(uintptr_t)__text_end)) {
		struct tern_msg m = { .info = tern_msginfo(PROC_EXIT, 0, 1), .mr = { 127 } };
		tern_call(POSIX_SLOT_PROC_EP, &m);
	}
	if (s->flags & PROC_CLONE_VM) {
		/* In the parent's memory, as thread i beside the parent's
		 * (which waits): its per-thread state starts as the forking
		 * thread's. The parent puts back what the child changes of
		 * the process's (do_fork). */
		*self = posix_threads[s->parent_index];
		self->index = i;
		self->live = POSIX_THREAD_RUNNING;
	} else {
		/* The child's only thread is this one (thread.c): the table,
		 * the futex queue and the locks as a new process has them. */
		posix_threads_after_fork(pid);
	}
	self->t.ipc = ipc;
	self->t.tcb = tcb;
	self->work = 0;
	posix_state.pid = pid;
	posix_state.ppid = ppid;
	posix_state.tid = pid;
	if (s->flags & PROC_CLONE_CHILD_CLEARTID)
		self->clear_child_tid = s->child_tid;
	posix_intr_forget(); /* its interruption caps are per pid */
	/* CLONE_VM: the signal and timer state is the parent's memory; the
	 * child only execs or exits (FIXME: its pending set is the parent's). */
	if (!(s->flags & PROC_CLONE_VM))
		posix_itimer_fork_child(); /* a child has no timers (Linux) */
	if (signal_fork_hook && !(s->flags & PROC_CLONE_VM))
		signal_fork_hook();
	if (s->flags & PROC_CLONE_CHILD_SETTID) {
		int32_t tid = (int32_t)pid;
		copy_to_user(s->child_tid, &tid, sizeof(tid)); /* Linux ignores a fault */
	}
	if (s->flags & PROC_CLONE_SETTLS)
		self->fs_base = s->frame.regs.fs_base;
	tern_personality_resume_frame(&s->frame);
}

/* proc starts the child here: rsp as after a call, rdi the save. */
__asm__(".pushsection .text\n"
	".balign 16\n"
	"fork_child_entry:\n\t"
	"cld\n\t"
	"xorl %ebp, %ebp\n\t"
	"jmp fork_child\n"
	".popsection");
void fork_child_entry(void);

static long do_fork(struct posix_call *c, uint64_t flags, uint64_t stack, uint64_t ptid,
		    uint64_t ctid, uint64_t tls)
{
	struct posix_thread *self = posix_self();
	struct fork_save save;
	struct proc_fork_resp resp;
	struct posix_state keep;
	uint32_t index = self->index;
	uint64_t rsp = (uint64_t)(uintptr_t)&save;
	long st;

	if (flags & PROC_CLONE_VM) {
		/* The child runs in this memory as the lowest free thread
		 * index, on that index's handler stack. */
		for (index = 0; index < POSIX_THREADS_MAX && posix_threads[index].live; index++)
			;
		if (index == POSIX_THREADS_MAX)
			return -EAGAIN;
		rsp = POSIX_THREAD_STACKS + index * POSIX_THREAD_STACK_STRIDE + POSIX_PAGE_SIZE +
		      POSIX_THREAD_STACK_SIZE;
		keep = posix_state;
	}
	save.frame = *c->frame;
	save.frame.regs.rax = 0;
	if (stack)
		save.frame.regs.rsp = stack;
	if (flags & PROC_CLONE_SETTLS)
		save.frame.regs.fs_base = tls;
	save.flags = flags;
	save.child_tid = ctid;
	save.index = index;
	save.parent_index = self->index;
	struct proc_fork_req req = {
		.flags = flags,
		.thread = self->index,
		.rip = (uint64_t)(uintptr_t)fork_child_entry,
		.rsp = ((rsp - 128) & ~15ul) - 8,
		.rdi = (uint64_t)(uintptr_t)&save,
		.tls = save.frame.regs.fs_base,
		.child_thread = index,
	};
	st = proc_fork_call(POSIX_SLOT_PROC_EP, &req, &resp);
	if (flags & PROC_CLONE_VM) {
		/* The child has exec'ed or exited: what it changed of the
		 * process's own state in this memory goes back. */
		posix_state = keep;
		posix_threads[index].live = 0;
		if (signal_vm_done_hook)
			signal_vm_done_hook(index);
		if (!st)
			posix_fd_init(); /* its fd changes were its own table's */
		posix_intr_forget();
	}
	if (st)
		return posix_status_to_errno(st);
	if (flags & PROC_CLONE_PARENT_SETTID) {
		int32_t pid = (int32_t)resp.pid;
		copy_to_user(ptid, &pid, sizeof(pid)); /* Linux ignores a fault */
	}
	return resp.pid;
}

long posix_sys_fork(struct posix_call *c)
{
	return do_fork(c, POSIX_SIGCHLD, 0, 0, 0, 0);
}

long posix_sys_vfork(struct posix_call *c)
{
	return do_fork(c, PROC_CLONE_VM | PROC_CLONE_VFORK | POSIX_SIGCHLD, 0, 0, 0, 0);
}

/* clone(flags, stack, parent_tid, child_tid, tls): Linux's checks
 * (kernel/fork.c copy_process, in its order). */
long posix_sys_clone(struct posix_call *c)
{
	uint64_t flags = c->a[0] & 0xfffffffful; /* Linux: lower_32_bits */

	if ((flags & (CLONE_NEWNS | PROC_CLONE_FS)) == (CLONE_NEWNS | PROC_CLONE_FS))
		return -EINVAL;
	if ((flags & (CLONE_NEWUSER | PROC_CLONE_FS)) == (CLONE_NEWUSER | PROC_CLONE_FS))
		return -EINVAL;
	if ((flags & PROC_CLONE_THREAD) && !(flags & PROC_CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & PROC_CLONE_SIGHAND) && !(flags & PROC_CLONE_VM))
		return -EINVAL;
	if (flags & CLONE_UNSUPPORTED)
		return -EINVAL;
	if (flags & PROC_CLONE_THREAD)
		return clone_thread_hook ? clone_thread_hook(c) : -ENOSYS;
	/* CLONE_VM without a thread: vfork in a copy of the memory. */
	return do_fork(c, flags & ~(uint64_t)(PROC_CLONE_PTRACE | PROC_CLONE_UNTRACED), c->a[1],
		       c->a[2], c->a[3], c->a[4]);
}
